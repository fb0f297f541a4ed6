"""The spoken summary a tired person can follow, and the details behind it. Pure.

The summary fits in about 45 seconds at 145 words a minute: the urgent advice if any, the
one or two most likely causes with one reason each, one thing to try tonight, one thing to
ask the doctor, the disclaimer, and the offer of details. Everything else (every reason,
step and doctor item) is in the details and the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import rules
from .content import Content
from .messages import Assessment, Person
from .wording import Wording, capital

MAX_SUMMARY_WORDS = 110
"""45 seconds at 145 words a minute."""
MAX_SENTENCE_WORDS = 20


@dataclass(frozen=True)
class History:
    """What the night journal holds of this week, tonight included (voiceskill/journal)."""

    earlier_nights: int
    """Nights before tonight, in the last seven, with a check-in."""
    bothered: int
    """Nights the legs bothered the person, of ``nights_known``."""
    nights_known: int
    """Nights with a check-in in the last seven, tonight included."""
    trigger_title: str = ""
    """Tonight's most likely trigger, when it came up on other nights this week too."""
    trigger_nights: int = 0


MIN_EARLIER_NIGHTS = 3
"""Fewer nights say nothing a person would call a pattern."""
MIN_TRIGGER_NIGHTS = 3


def history_sentence(content: Content, history: History | None, person: Person) -> str | None:
    """One short sentence of the week, or None. A trigger that keeps coming up is worth more
    than the count of bad nights: it is something to change."""
    if history is None or history.earlier_nights < MIN_EARLIER_NIGHTS:
        return None
    w = Wording(content, person)
    if history.trigger_title and history.trigger_nights >= MIN_TRIGGER_NIGHTS:
        return w.say("history_trigger", title=capital(history.trigger_title),
                     count=history.trigger_nights)
    if history.bothered < 1:
        return None
    # Nights without a check-in are unknown: "of the last seven" only when all are known.
    if history.nights_known >= 7:
        return capital(w.say("history_all_nights", count=history.bothered))
    return capital(w.say("history_checked", count=history.bothered,
                         checked=history.nights_known))


def words(text: str) -> int:
    return len(text.split())


def spoken_summary(content: Content, result: Assessment, answers: Mapping[str, object],
                   person: Person, history: History | None = None) -> list[str]:
    """The summary lines, most important first, within the word budget: urgent advice is
    never cut; the rest is added in order of use while it fits. ``history`` adds one
    sentence of the week after the causes, when it fits."""
    w = Wording(content, person)
    closing = [w.say("disclaimer")]
    if not result.emergency:
        closing.append(w.say("details_offer"))
    urgent = _fitted(rules.urgent_advice(content, answers, person),
                     MAX_SUMMARY_WORDS - sum(words(x) for x in closing))
    if urgent:
        urgent[0] = w.say("urgent_summary_intro") + urgent[0]
    if result.emergency:
        # Getting help is all that matters now.
        return [*urgent, *closing]
    likely = list(result.likely_triggers)
    causes: list[str] = []
    if likely:
        causes.append(w.finding_line(likely[0], likely[0].because[0]))
    elif result.not_likely:
        nl = result.not_likely[0]
        causes.append(w.finding_line(nl, nl.because[0]))
    elif sum(1 for v in answers.values() if v not in rules.MISSING) < 3:
        causes.append(w.say("summary_not_enough"))
    else:
        causes.append(w.say("summary_nothing"))
    tonight = rules.tonight_steps(content, likely[:2], answers, person, limit=1)
    parts: list[tuple[str, list[str]]] = [
        ("causes", [w.say("summary_intro"), *causes]),
        ("tonight", [w.say("tonight_intro") + " ".join(tonight)] if tonight else []),
        ("doctor", [w.say("doctor_intro") + _first_doctor_item(content, result, person)]
         if result.ask_doctor else []),
    ]
    always = {rules.render(content.doctor[d].text, person) for d in rules.ALWAYS_ASK_DOCTOR
              if d in content.doctor}
    if result.ask_doctor and _first_doctor_item(content, result, person) in always:
        # "Please don't stop a prescribed medicine on your own" must fit before any tip.
        parts[1], parts[2] = parts[2], parts[1]
    week = history_sentence(content, history, person)
    if week:
        parts.append(("history", [week]))
    if len(likely) > 1:
        parts.append(("second", [w.finding_line(likely[1], likely[1].because[0])]))
    budget = MAX_SUMMARY_WORDS - sum(words(x) for x in (*urgent, *closing))
    kept: dict[str, list[str]] = {}
    for name, lines in parts:
        size = sum(words(x) for x in lines)
        if lines and size <= budget:
            kept[name] = lines
            budget -= size
    body = kept.get("causes", []) + kept.get("second", []) + kept.get("history", [])
    return [*urgent, *body, *kept.get("tonight", []), *kept.get("doctor", []), *closing]


def _fitted(advice: list[str], budget: int) -> list[str]:
    """Urgent advice is never left out. When several together would not fit, the less
    serious ones (the list is most serious first) are cut to their first two sentences,
    which say what it may be and what to do, then to the first; the most serious one keeps
    its call to action. The full advice stays in the details and the JSON."""
    budget -= 2  # "Most important:"
    out = list(advice)
    for keep in (2, 1):
        for i in reversed(range(1, len(out))):
            if sum(words(x) for x in out) <= budget:
                return out
            out[i] = " ".join(_SENTENCE.split(out[i])[:keep])
    if out and sum(words(x) for x in out) > budget:
        out[0] = " ".join(_SENTENCE.split(out[0])[:2])
    return out


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _first_doctor_item(content: Content, result: Assessment, person: Person) -> str:
    """The one doctor item the summary has room for: the medicine review whenever it is due,
    since it carries "don't stop a prescribed medicine on your own"; otherwise the first."""
    for must in rules.ALWAYS_ASK_DOCTOR:
        text = rules.render(content.doctor[must].text, person) if must in content.doctor else ""
        if text in result.ask_doctor:
            return text
    return result.ask_doctor[0]


def details(content: Content, result: Assessment, answers: Mapping[str, object],
            person: Person) -> list[str]:
    """Everything behind the summary, one short sentence at a time."""
    w = Wording(content, person)
    lines = [w.say("details_intro")]
    for f in (*result.likely_triggers, *result.not_likely):
        cause = next(c for c in content.causes if c.id == f.cause)
        if cause.kind == "trigger" and f.likelihood != "unlikely":
            lines.append(w.finding_line(f, f.because[0]))
            lines += [capital(r) + "." for r in f.because[1:]]
            continue
        verb = "are" if cause.plural else "is"
        likelihood = content.dialog["likelihood"].get(f.likelihood, "not likely")
        lines.append(w.say("condition_alone", title=capital(cause.title), verb=verb,
                           likelihood=likelihood))
        lines += [capital(r) + "." for r in f.because]
    urgent = set(rules.urgent_advice(content, answers, person))
    steps = [s for s in result.next_steps if s not in urgent]
    if steps:
        lines.append(w.say("tonight_intro") + " ".join(steps))
    if result.ask_doctor:
        lines.append(w.say("doctor_intro") + " ".join(result.ask_doctor))
    lines += [w.say("disclaimer"), w.say("goodbye")]
    return lines
