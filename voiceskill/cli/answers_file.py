"""Answers from a YAML or JSON file, for `voiceskill assess`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content import Content
from ..errors import ContentError
from ..messages import Expectation, Person
from ..understanding import Understander
from ..yamlfile import read_mapping


def read_answers(path: Path, content: Content) -> tuple[dict[str, object], Person]:
    """Answers from a YAML or JSON file: a mapping of question id to answer.

    Answers may be given as values (yes, 5, [sertraline]) or in the person's words
    ("yep", "about six", "she takes Seroquel"); both are understood the same way.
    Optionally ``answers:`` and ``person: {caregiver, name, pronoun}`` at the top level.
    """
    where = str(path)
    data = read_mapping(
        path,
        missing="answers file not found",
        not_mapping="must be a mapping of question id to answer",
        syntax="YAML or JSON",
    )
    person = Person()
    nested = "answers" in data
    if nested:
        person = _person(where, data.get("person") or {})
        data = data["answers"]
        if not isinstance(data, dict):
            raise ContentError(where, "answers", "must be a mapping of question id to answer")
    understander = Understander(content)
    answers: dict[str, object] = {}
    known = {q.id: q for q in content.questions}
    for qid, raw in data.items():
        key = f"answers.{qid}" if nested else str(qid)
        if qid not in known:
            raise ContentError(where, key, f"unknown question id; known: {', '.join(known)}")
        q = known[qid]
        expect = Expectation(q.expect, q.id, q.low, q.high)  # type: ignore[arg-type]
        answers[qid] = _file_answer(raw, expect, understander, where, key)
    return answers, person


def _person(where: str, raw_person: object) -> Person:
    if not isinstance(raw_person, dict):
        raise ContentError(where, "person", "must be a mapping with caregiver, name, pronoun")
    pronoun = raw_person.get("pronoun", "they")
    if pronoun not in ("she", "he", "they"):
        raise ContentError(where, "person.pronoun", "must be she, he or they")
    return Person(
        bool(raw_person.get("caregiver", False)), str(raw_person.get("name", "")), pronoun
    )


def _file_answer(raw: Any, expect: Expectation, u: Understander, where: str, key: str) -> object:
    if raw is True or raw is False:
        raw = "yes" if raw else "no"
    if raw is None or raw in ("unknown", "skipped"):
        return raw
    if expect.kind == "number" and isinstance(raw, int):
        if (expect.low is not None and raw < expect.low) or (
            expect.high is not None and raw > expect.high
        ):
            raise ContentError(where, key, f"{raw} is outside {expect.low} to {expect.high}")
        return raw
    if expect.kind == "medications" and isinstance(raw, list):
        raw = ", ".join(str(x) for x in raw) if raw else "none"
    understood = u.understand(str(raw), expect)
    if understood.intent != "answer":
        wanted = {
            "yes_no": "yes, no or unsure",
            "number": f"a number from {expect.low} to {expect.high}",
            "medications": "medicine names or none",
        }[expect.kind]
        raise ContentError(where, key, f'"{raw}" is not understood as {wanted}')
    return understood.value
