"""rules.yaml and red_flags.yaml: one rule per declared cause, and the warning signs asked
first (shapes: ``schema.RulesFile``, ``schema.RedFlagsFile``)."""

from __future__ import annotations

from typing import Any

from .checks import advice_ids, declared_once, yes_no_question
from .conditions import condition, conditions
from .model import (
    PERSON_SLOTS,
    Cause,
    Criterion,
    Question,
    RedFlag,
    Signal,
    Text,
    Tip,
    Unresolved,
)
from .reader import Reader
from .schema import CauseSpec, CriterionSpec, RedFlagsFile, RulesFile


def causes(
    r: Reader,
    data: dict[str, Any],
    qids: dict[str, Question],
    tonight: dict[str, Tip],
    doctor: dict[str, Tip],
) -> tuple[Cause, ...]:
    """The rules, in the order of ``cause_ids``."""
    _declared(r, data)
    spec = r.validate(data, RulesFile)
    declared_once(r, spec.cause_ids, "cause_ids")
    if not spec.cause_ids:
        raise r.fail("cause_ids", "must list at least one cause")
    return tuple(_cause(r, cid, spec.causes[cid], qids, tonight, doctor)
                 for cid in spec.cause_ids)


def _declared(r: Reader, data: dict[str, Any]) -> None:
    """Every declared cause has a rule and every rule a declared cause. Checked before the
    rules' own shape: a rule under a misspelt id is first of all not the cause meant."""
    ids, rules = data.get("cause_ids"), data.get("causes")
    if not (isinstance(ids, list) and isinstance(rules, dict)
            and all(isinstance(i, str) for i in ids)):
        return  # the schema says what is wrong
    for cid in ids:
        if cid not in rules:
            raise r.fail(f"causes.{cid}", "is missing (every cause needs a rule)")
    for cid in rules:
        if cid not in ids:
            raise r.fail(f"causes.{cid}", "unknown cause id; declare it under cause_ids "
                         f"(the ids are {', '.join(ids)})")


def _cause(r: Reader, cid: str, body: CauseSpec, qids: dict[str, Question],
           tonight: dict[str, Tip], doctor: dict[str, Tip]) -> Cause:
    path = f"causes.{cid}"
    lv = body.levels
    if not lv.high >= lv.medium >= lv.low >= 1:
        raise r.fail(f"{path}.levels", "must satisfy high >= medium >= low >= 1")
    return Cause(
        cid, body.title, lv.high, lv.medium, lv.low,
        conditions(r, body.requires, f"{path}.requires", qids),
        _signals(r, body, path, qids),
        advice_ids(r, body.tonight, "tonight", path, tonight),
        advice_ids(r, body.ask_doctor, "ask_doctor", path, doctor),
        body.kind, body.plural,
        _criteria(r, body.criteria, f"{path}.criteria", qids),
        conditions(r, body.symptoms, f"{path}.symptoms", qids),
    )


def _signals(r: Reader, body: CauseSpec, path: str, qids: dict[str, Question]
             ) -> tuple[Signal, ...]:
    signals = []
    if not body.signals:
        raise r.fail(f"{path}.signals", "must list at least one signal")
    for j, s in enumerate(body.signals):
        spath = f"{path}.signals[{j}]"
        when = condition(r, s.when, f"{spath}.when", qids)
        slots: tuple[str, ...] = ("medicine", "plain") if when.class_in else ("value",)
        r.check_slots(s.because, f"{spath}.because", slots)
        if s.because_caregiver is not None:
            r.check_slots(s.because_caregiver, f"{spath}.because_caregiver",
                          slots + PERSON_SLOTS)
        signals.append(Signal(when, s.points, Text(s.because, s.because_caregiver),
                              s.requires_fired, s.cap))
    if not any(s.points > 0 and not s.requires_fired for s in signals):
        raise r.fail(f"{path}.signals", "needs at least one positive signal of its own")
    return tuple(signals)


def _criteria(r: Reader, specs: list[CriterionSpec] | None, path: str,
              qids: dict[str, Question]) -> tuple[Criterion, ...]:
    out = []
    for j, item in enumerate(specs or []):
        cpath = f"{path}[{j}]"
        when = condition(r, item.when, f"{cpath}.when", qids)
        if not when.is_:
            raise r.fail(f"{cpath}.when", "must test a yes/no answer with is")
        r.check_slots(item.unmet, f"{cpath}.unmet", ())
        if item.unmet_caregiver is not None:
            r.check_slots(item.unmet_caregiver, f"{cpath}.unmet_caregiver", PERSON_SLOTS)
        out.append(Criterion(when, Text(item.unmet, item.unmet_caregiver)))
    return tuple(out)


def red_flags(r: Reader, data: dict[str, Any], qids: dict[str, Question]
              ) -> tuple[tuple[RedFlag, ...], Unresolved | None]:
    spec = r.validate(data, RedFlagsFile)
    if not spec.red_flags:
        raise r.fail("red_flags", "must list at least one red flag")
    out = []
    for i, item in enumerate(spec.red_flags):
        path = f"red_flags[{i}] ({item.id})"
        qid = yes_no_question(r, item.question, path, qids)
        advice = r.text(item.advice, f"{path}.advice", ())
        unanswered = (r.text(item.unanswered, f"{path}.unanswered", ())
                      if item.unanswered is not None else None)
        out.append(RedFlag(item.id, qid, item.level, item.end_checkin, item.reason, advice,
                           tuple(s.lower() for s in item.signs or ()), unanswered))
    unresolved = None
    if spec.unresolved is not None:
        body = spec.unresolved
        qid = yes_no_question(r, body.question, "unresolved", qids)
        advice = r.text(body.advice, "unresolved.advice", ())
        unresolved = Unresolved(qid, body.reason, advice)
    return tuple(out), unresolved
