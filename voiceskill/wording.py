"""What the check-in says, for one person: dialog lines, questions, findings. Pure."""

from __future__ import annotations

from . import rules
from .content import Content, Question, Text
from .messages import Finding, Medication, Person


class Wording:
    """Dialog lines for one person: the caregiver wording where there is one."""

    def __init__(self, content: Content, person: Person) -> None:
        self.content = content
        self.person = person

    def say(self, key: str, **slots: object) -> str:
        dialog = self.content.dialog
        template = dialog.get(f"{key}_caregiver") if self.person.caregiver else None
        if not isinstance(template, str):
            template = dialog[key]
        return rules.render(Text(template), self.person, **slots)

    def counted(self, key: str, n: int, **slots: object) -> str:
        """A text with a ``one`` and an ``other`` form, chosen by ``n``."""
        dialog = self.content.dialog
        forms = dialog.get(f"{key}_caregiver") if self.person.caregiver else None
        if not isinstance(forms, dict):
            forms = dialog[key]
        return rules.render(Text(forms["one" if n == 1 else "other"]), self.person, **slots)

    def question(self, q: Question) -> str:
        return rules.render(q.text, self.person)

    def help(self, q: Question) -> str:
        return rules.render(q.help, self.person)

    def examples(self, q: Question) -> str:
        template = self.content.dialog["examples"][q.expect]
        return rules.render(Text(template), self.person, low=q.low, high=q.high)

    def finding_line(self, f: Finding, reason: str | None) -> str:
        """One finding in one sentence: "Leg cramps are quite likely, because ..."."""
        cause = next(c for c in self.content.causes if c.id == f.cause)
        title = capital(cause.title)
        verb = "are" if cause.plural else "is"
        if f.likelihood == "unlikely":
            return self.say("unlikely_line", title=title, verb=verb, reason=reason or "")
        if cause.kind == "trigger" and reason:
            key = "background_line" if f.background else "trigger_line"
            return self.say(key, reason=capital(reason))
        likelihood = self.content.dialog["likelihood"][f.likelihood]
        if not reason:
            return self.say("condition_alone", title=title, verb=verb, likelihood=likelihood)
        return self.say("condition_line", title=title, verb=verb, likelihood=likelihood,
                        reason=reason)


def heard(value: object) -> str:
    """An answer as it is read back: "not sure", "none", "sertraline and Benadryl"."""
    if value == "unsure":
        return "not sure"
    if isinstance(value, list):
        if not value:
            return "none"
        return join([m.said if isinstance(m, Medication) else str(m) for m in value])
    return str(value)


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
