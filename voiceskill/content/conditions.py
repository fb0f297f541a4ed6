"""Conditions: the tests on the answers or on who is answering that questions.yaml,
rules.yaml and advice.yaml share (their forms are described in questions.yaml)."""

from __future__ import annotations

from typing import Any

from .checks import known_question
from .model import MED_CLASSES, TIERS, YES_NO_VALUES, Condition, Question
from .reader import Reader, _yaml_bools

_KEYS = {
    "question",
    "is",
    "below",
    "at_least",
    "class_in",
    "or_unknown",
    "mode",
    "pronoun_not",
    "pronoun",
    "tier_in",
}


def conditions(r: Reader, raw: Any, path: str, qids: dict[str, Question]
               ) -> tuple[Condition, ...]:
    if raw is not None and not isinstance(raw, list):
        raise r.fail(path, "must be a list")
    return tuple(condition(r, c, f"{path}[{j}]", qids) for j, c in enumerate(raw or []))


def condition(r: Reader, raw: Any, path: str, qids: dict[str, Question] | None) -> Condition:
    if not isinstance(raw, dict):
        raise r.fail(path, "must be a mapping such as {question: urge, is: [yes]}")
    for key in raw:
        if key not in _KEYS:
            raise r.fail(f"{path}.{key}", f"unknown key; use {', '.join(sorted(_KEYS))}")
    if "mode" in raw:
        if raw["mode"] not in ("caregiver", "self"):
            raise r.fail(f"{path}.mode", "must be caregiver or self")
        return Condition(mode=raw["mode"])
    for key in ("pronoun_not", "pronoun"):
        if key in raw:
            if raw[key] not in ("he", "she", "they"):
                raise r.fail(f"{path}.{key}", "must be he, she or they")
            return Condition(**{key: raw[key]})
    qid = r.need(raw, "question", path, str)
    if qids is not None:
        known_question(r, qid, path, qids)
    q = qids.get(qid) if qids else None
    is_ = _is(r, raw, path, qid, q)
    below, at_least = _bounds(r, raw, path, qid, q)
    class_in, tier_in = _classes(r, raw, path, qid, q)
    if not (is_ or below is not None or at_least is not None or class_in):
        raise r.fail(path, "needs one of is, below, at_least or class_in")
    or_unknown = raw.get("or_unknown", False)
    if not isinstance(or_unknown, bool):
        raise r.fail(f"{path}.or_unknown", "must be true or false")
    return Condition(qid, is_, below, at_least, class_in, tier_in, or_unknown)


def _is(r: Reader, raw: dict[str, Any], path: str, qid: str, q: Question | None
        ) -> tuple[str, ...]:
    is_: tuple[str, ...] = ()
    if "is" in raw:
        is_ = tuple(
            str(v).lower() for v in r.text_list(_yaml_bools(raw["is"]), f"{path}.is")
        )
        for v in is_:
            if v not in YES_NO_VALUES:
                raise r.fail(
                    f"{path}.is", f'"{v}" must be yes, no or unsure (quote "yes" and "no")'
                )
        if q is not None and q.expect != "yes_no":
            raise r.fail(f"{path}.is", f"{qid} expects {q.expect}, not yes/no")
    return is_


def _bounds(r: Reader, raw: dict[str, Any], path: str, qid: str, q: Question | None
            ) -> tuple[Any, Any]:
    below = raw.get("below")
    at_least = raw.get("at_least")
    for key, val in (("below", below), ("at_least", at_least)):
        if val is not None:
            if not isinstance(val, (int, float)) or isinstance(val, bool):
                raise r.fail(f"{path}.{key}", "must be a number")
            if q is not None and q.expect != "number":
                raise r.fail(f"{path}.{key}", f"{qid} expects {q.expect}, not a number")
    return below, at_least


def _classes(r: Reader, raw: dict[str, Any], path: str, qid: str, q: Question | None
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    class_in: tuple[str, ...] = ()
    if "class_in" in raw:
        class_in = r.text_list(raw["class_in"], f"{path}.class_in")
        for c in class_in:
            if c not in MED_CLASSES:
                raise r.fail(f"{path}.class_in", f'"{c}" is not a medicine class')
        if q is not None and q.expect != "medications":
            raise r.fail(f"{path}.class_in", f"{qid} does not ask for medicines")
    tier_in: tuple[str, ...] = ()
    if "tier_in" in raw:
        tier_in = r.text_list(raw["tier_in"], f"{path}.tier_in")
        if not class_in or any(t not in TIERS for t in tier_in):
            raise r.fail(f"{path}.tier_in", f"needs class_in, and tiers from {TIERS}")
    return class_in, tier_in
