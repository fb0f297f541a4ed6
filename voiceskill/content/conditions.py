"""Conditions: the tests on the answers or on who is answering that questions.yaml,
rules.yaml and advice.yaml share (their forms: ``schema_base.ConditionSpec``)."""

from __future__ import annotations

from .checks import known_question
from .model import TIERS, Condition, Question
from .reader import Reader
from .schema_base import ConditionSpec


def conditions(r: Reader, specs: list[ConditionSpec] | None, path: str,
               qids: dict[str, Question]) -> tuple[Condition, ...]:
    return tuple(condition(r, c, f"{path}[{j}]", qids) for j, c in enumerate(specs or []))


def condition(r: Reader, spec: ConditionSpec, path: str, qids: dict[str, Question] | None
              ) -> Condition:
    """One condition; ``qids`` are the questions it may name (None: any)."""
    if spec.mode is not None:
        return Condition(mode=spec.mode)
    if spec.pronoun_not is not None:
        return Condition(pronoun_not=spec.pronoun_not)
    if spec.pronoun is not None:
        return Condition(pronoun=spec.pronoun)
    qid = spec.question
    if qid is None:
        raise r.fail(f"{path}.question", "is missing")
    if qids is not None:
        known_question(r, qid, path, qids)
    q = qids.get(qid) if qids else None
    is_ = tuple(spec.is_ or ())
    if is_ and q is not None and q.expect != "yes_no":
        raise r.fail(f"{path}.is", f"{qid} expects {q.expect}, not yes/no")
    for key, value in (("below", spec.below), ("at_least", spec.at_least)):
        if value is not None and q is not None and q.expect != "number":
            raise r.fail(f"{path}.{key}", f"{qid} expects {q.expect}, not a number")
    class_in, tier_in = _classes(r, spec, path, qid, q)
    if not (is_ or spec.below is not None or spec.at_least is not None or class_in):
        raise r.fail(path, "needs one of is, below, at_least or class_in")
    return Condition(qid, is_, spec.below, spec.at_least, class_in, tier_in, spec.or_unknown)


def _classes(r: Reader, spec: ConditionSpec, path: str, qid: str, q: Question | None
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    class_in = tuple(spec.class_in or ())
    for c in class_in:
        if c not in r.med_classes:
            raise r.fail(f"{path}.class_in",
                         f'"{c}" is not a medicine class (classes in medications.yaml)')
    if class_in and q is not None and q.expect != "medications":
        raise r.fail(f"{path}.class_in", f"{qid} does not ask for medicines")
    tier_in = tuple(spec.tier_in or ())
    if tier_in and not class_in:
        raise r.fail(f"{path}.tier_in", f"needs class_in, and tiers from {TIERS}")
    return class_in, tier_in
