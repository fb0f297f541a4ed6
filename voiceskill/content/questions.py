"""questions.yaml: the questions, when each is asked, and how a short answer to it sounds."""

from __future__ import annotations

import re
from typing import Any

from .checks import names_answers
from .conditions import condition
from .model import KINDS, PERSON_SLOTS, YES_NO_VALUES, Question, Text
from .reader import Reader, _yaml_bool_keys

_NEGATIVE = {
    "do": "don't", "does": "doesn't", "is": "isn't", "are": "aren't", "am": "not",
    "have": "haven't", "has": "hasn't",
}
_PLURAL = {"does": "do", "is": "are", "has": "have"}


def short_forms(short: str) -> tuple[str, ...]:
    """The short replies a recogniser listens for: "i do" -> yes i do, no i don't.

    People answer "Do you...?" with "yes I do" or "no I don't" as often as with a bare yes
    or no; a recogniser listening only for "yes" and "no" rejects those or mistakes them.
    The bare form is added only after "she" ("she does", "she doesn't"): a bare "i do" in
    the grammar was heard for "no", "never", "help" and "skip" in tests with generated
    speech, while "she does", which starts with a sound no other answer has, was not (other
    bare forms were not measured). "they does" becomes "they do", since "they" stands for
    any person.
    """
    subject, verb = short.lower().split()
    if subject == "they":
        verb = _PLURAL.get(verb, verb)
    yes = f"{subject} {verb}"
    no = "i'm not" if verb == "am" else f"{subject} {_NEGATIVE[verb]}"
    bare = (yes, no) if subject == "she" else ()
    return (f"yes {yes}", f"no {no}", *bare)


_CONTRACTED = {"am": "'m", "is": "'s", "are": "'re"}


def number_openers(short: str) -> tuple[str, ...]:
    """What a person may say before a number: "i am" -> i'm, i am; "she is" -> she's, she
    is; "they is" -> they're, they are ("they" stands for any person)."""
    subject, verb = short.lower().split()
    if subject == "they":
        verb = _PLURAL.get(verb, verb)
    return (f"{subject}{_CONTRACTED[verb]}", f"{subject} {verb}")


_QUESTION_KEYS = {
    "id", "expect", "text", "caregiver", "help", "help_caregiver", "range", "ask_if",
    "names_answer", "short_answer", "short_answer_caregiver", "units", "per", "says",
}


def questions(r: Reader, data: dict[str, Any]) -> tuple[Question, ...]:
    items = r.need(data, "questions", "", list)
    if not items:
        raise r.fail("questions", "must list at least one question")
    out: list[Question] = []
    seen: dict[str, Question] = {}
    for i, item in enumerate(items):
        q = _question(r, item, i, seen)
        seen[q.id] = q
        out.append(q)
    names_answers(r, out)
    return tuple(out)


def _question(r: Reader, item: Any, i: int, seen: dict[str, Question]) -> Question:
    """One question; ``seen`` holds those before it, the only ones its ask_if may name."""
    path = f"questions[{i}]"
    qid = r.need(item, "id", path, str)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", qid):
        raise r.fail(f"{path}.id", "must be lower case letters, digits and _")
    if qid in seen:
        raise r.fail(f"{path}.id", f'"{qid}" is used twice')
    path = f"questions[{i}] ({qid})"
    r.known_keys(item, path, _QUESTION_KEYS)
    expect = r.need(item, "expect", path, str)
    if expect not in KINDS:
        raise r.fail(f"{path}.expect", f"must be one of {', '.join(KINDS)}")
    text = r.need(item, "text", path, str)
    r.check_slots(text, f"{path}.text", ())
    care = r.need(item, "caregiver", path, str)
    r.check_slots(care, f"{path}.caregiver", PERSON_SLOTS)
    help_text = r.need(item, "help", path, str)
    r.check_slots(help_text, f"{path}.help", ())
    help_care = item.get("help_caregiver")
    if help_care is not None:
        if not isinstance(help_care, str):
            raise r.fail(f"{path}.help_caregiver", "must be a text")
        r.check_slots(help_care, f"{path}.help_caregiver", PERSON_SLOTS)
    low, high = _range(r, item, path, expect)
    conds = []
    for j, raw in enumerate(item.get("ask_if", []) or []):
        cond = condition(r, raw, f"{path}.ask_if[{j}]", seen)
        conds.append(cond)
    names_answer = item.get("names_answer")
    if names_answer is not None:
        if expect != "yes_no":
            raise r.fail(f"{path}.names_answer", "only yes_no questions take it")
        if not isinstance(names_answer, str):
            raise r.fail(f"{path}.names_answer", "must be a question id")
    short = _short_answer(r, item, path, expect)
    units, per = _units(r, item, path, expect)
    return Question(
        qid, expect, Text(text, care), Text(help_text, help_care), low, high,
        tuple(conds), names_answer, short, _says(r, item, path, expect), units, per,
    )


def _range(r: Reader, item: dict[str, Any], path: str, expect: str
           ) -> tuple[int | None, int | None]:
    if expect == "number":
        rng = r.need(item, "range", path, list)
        if len(rng) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in rng
        ):
            raise r.fail(f"{path}.range", "must be [lowest, highest] whole numbers")
        low, high = rng
        if low > high:
            raise r.fail(f"{path}.range", "lowest is above highest")
        return low, high
    if "range" in item:
        raise r.fail(f"{path}.range", "only number questions take a range")
    return None, None


def _says(r: Reader, item: dict[str, Any], path: str, expect: str) -> tuple[tuple[str, str], ...]:
    raw = item.get("says")
    if raw is None:
        return ()
    if expect != "yes_no":
        raise r.fail(f"{path}.says", "only yes_no questions take it")
    if isinstance(raw, dict):
        raw = _yaml_bool_keys(raw)
    r.known_keys(raw, f"{path}.says", set(YES_NO_VALUES))
    return tuple((p.lower(), value) for value, phrases in raw.items()
                 for p in r.text_list(phrases, f"{path}.says.{value}"))


def _units(r: Reader, item: dict[str, Any], path: str, expect: str) -> tuple[tuple[str, ...], str]:
    units = item.get("units")
    per = item.get("per")
    for key, value in (("units", units), ("per", per)):
        if value is not None and expect != "number":
            raise r.fail(f"{path}.{key}", "only number questions take it")
    if units is None:
        if per is not None:
            raise r.fail(f"{path}.per", "needs units (what is counted per it)")
        return (), ""
    if not isinstance(units, list) or not units:
        raise r.fail(f"{path}.units", "must list words such as [night, time]")
    for j, unit in enumerate(units):
        if not isinstance(unit, str) or not re.fullmatch(r"[a-z]+", unit):
            raise r.fail(f"{path}.units[{j}]", "must be one word in lower case, like night")
        if unit.endswith("s"):
            raise r.fail(f"{path}.units[{j}]",
                         f'"{unit}" must be singular (an s is added after two or more)')
    if per is not None and (not isinstance(per, str) or not per.strip()):
        raise r.fail(f"{path}.per", 'must be a text, like "a week"')
    return tuple(units), (per or "").strip().lower()


def _short_answer(r: Reader, item: dict[str, Any], path: str, expect: str) -> Text | None:
    forms: list[str | None] = []
    for key, slots in (("short_answer", ()), ("short_answer_caregiver", ("they",))):
        value = item.get(key)
        forms.append(value)
        if value is None:
            continue
        if expect not in ("yes_no", "number"):
            raise r.fail(f"{path}.{key}", "only yes_no and number questions take it")
        if not isinstance(value, str):
            raise r.fail(f"{path}.{key}", "must be a text")
        r.check_slots(value, f"{path}.{key}", slots)
        words = value.lower().split()
        verbs = _NEGATIVE if expect == "yes_no" else _CONTRACTED
        example = "i do" if expect == "yes_no" else "i am"
        if len(words) != 2 or words[1] not in verbs:
            raise r.fail(
                f"{path}.{key}",
                f'"{value}" must be who and one of {", ".join(verbs)}, like "{example}"',
            )
    self_form, care_form = forms
    if self_form is None:
        if care_form is not None:
            raise r.fail(f"{path}.short_answer", "is missing (the caregiver one needs it)")
        return None
    if care_form is None and self_form.lower().split()[0] == "i":
        # A caregiver answers "she does", not "I do".
        raise r.fail(f"{path}.short_answer_caregiver", f'is missing (for "{self_form}")')
    return Text(self_form, care_form)
