"""questions.yaml: the questions, when each is asked, and how a short answer to it sounds
(shape: ``schema.QuestionsFile``)."""

from __future__ import annotations

import re
from typing import Any

from .checks import names_answers
from .conditions import conditions
from .model import PERSON_SLOTS, YES_NO_VALUES, Question, Text
from .reader import Reader
from .schema import QuestionsFile, QuestionSpec

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


def questions(r: Reader, data: dict[str, Any]) -> tuple[Question, ...]:
    spec = r.validate(data, QuestionsFile)
    if not spec.questions:
        raise r.fail("questions", "must list at least one question")
    out: list[Question] = []
    seen: dict[str, Question] = {}
    for i, item in enumerate(spec.questions):
        q = _question(r, item, i, seen)
        seen[q.id] = q
        out.append(q)
    names_answers(r, out)
    return tuple(out)


def _question(r: Reader, item: QuestionSpec, i: int, seen: dict[str, Question]) -> Question:
    """One question; ``seen`` holds those before it, the only ones its ask_if may name."""
    if item.id in seen:
        raise r.fail(f"questions[{i}].id", f'"{item.id}" is used twice')
    path = f"questions[{i}] ({item.id})"
    expect = item.expect
    for key, slots in (("text", ()), ("caregiver", PERSON_SLOTS), ("help", ()),
                       ("help_caregiver", PERSON_SLOTS)):
        value = getattr(item, key)
        if value is not None:
            r.check_slots(value, f"{path}.{key}", slots)
    low, high = _range(r, item, path)
    if item.names_answer is not None and expect != "yes_no":
        raise r.fail(f"{path}.names_answer", "only yes_no questions take it")
    units, per = _units(r, item, path)
    return Question(
        item.id, expect, Text(item.text, item.caregiver), Text(item.help, item.help_caregiver),
        low, high, conditions(r, item.ask_if, f"{path}.ask_if", seen), item.names_answer,
        _short_answer(r, item, path), _says(r, item, path), units, per,
    )


def _range(r: Reader, item: QuestionSpec, path: str) -> tuple[int | None, int | None]:
    if item.expect != "number":
        if item.range is not None:
            raise r.fail(f"{path}.range", "only number questions take a range")
        return None, None
    if item.range is None:
        raise r.fail(f"{path}.range", "is missing")
    if len(item.range) != 2:
        raise r.fail(f"{path}.range", "must be [lowest, highest] whole numbers")
    low, high = item.range
    if low > high:
        raise r.fail(f"{path}.range", "lowest is above highest")
    return low, high


def _says(r: Reader, item: QuestionSpec, path: str) -> tuple[tuple[str, str], ...]:
    if item.says is None:
        return ()
    if item.expect != "yes_no":
        raise r.fail(f"{path}.says", "only yes_no questions take it")
    return tuple((p.lower(), value) for value in YES_NO_VALUES
                 for p in getattr(item.says, value) or ())


def _units(r: Reader, item: QuestionSpec, path: str) -> tuple[tuple[str, ...], str]:
    units, per = item.units, item.per
    for key, value in (("units", units), ("per", per)):
        if value is not None and item.expect != "number":
            raise r.fail(f"{path}.{key}", "only number questions take it")
    if units is None:
        if per is not None:
            raise r.fail(f"{path}.per", "needs units (what is counted per it)")
        return (), ""
    if not units:
        raise r.fail(f"{path}.units", "must list words such as [night, time]")
    for j, unit in enumerate(units):
        if not re.fullmatch(r"[a-z]+", unit):
            raise r.fail(f"{path}.units[{j}]", "must be one word in lower case, like night")
        if unit.endswith("s"):
            raise r.fail(f"{path}.units[{j}]",
                         f'"{unit}" must be singular (an s is added after two or more)')
    if per is not None and not per.strip():
        raise r.fail(f"{path}.per", 'must be a text, like "a week"')
    return tuple(units), (per or "").strip().lower()


def _short_answer(r: Reader, item: QuestionSpec, path: str) -> Text | None:
    self_form, care_form = item.short_answer, item.short_answer_caregiver
    for key, value, slots in (("short_answer", self_form, ()),
                              ("short_answer_caregiver", care_form, ("they",))):
        if value is None:
            continue
        if item.expect not in ("yes_no", "number"):
            raise r.fail(f"{path}.{key}", "only yes_no and number questions take it")
        r.check_slots(value, f"{path}.{key}", slots)
        words = value.lower().split()
        verbs = _NEGATIVE if item.expect == "yes_no" else _CONTRACTED
        example = "i do" if item.expect == "yes_no" else "i am"
        if len(words) != 2 or words[1] not in verbs:
            raise r.fail(
                f"{path}.{key}",
                f'"{value}" must be who and one of {", ".join(verbs)}, like "{example}"',
            )
    if self_form is None:
        if care_form is not None:
            raise r.fail(f"{path}.short_answer", "is missing (the caregiver one needs it)")
        return None
    if care_form is None and self_form.lower().split()[0] == "i":
        # A caregiver answers "she does", not "I do".
        raise r.fail(f"{path}.short_answer_caregiver", f'is missing (for "{self_form}")')
    return Text(self_form, care_form)
