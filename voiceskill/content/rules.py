"""rules.yaml and red_flags.yaml: one rule per cause, and the warning signs asked first."""

from __future__ import annotations

from typing import Any

from .checks import advice_ids, yes_no_question
from .conditions import condition, conditions
from .model import (
    CAUSE_IDS,
    LEVELS,
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


def causes(
    r: Reader,
    data: dict[str, Any],
    qids: dict[str, Question],
    tonight: dict[str, Tip],
    doctor: dict[str, Tip],
) -> tuple[Cause, ...]:
    raw = r.need(data, "causes", "", dict)
    for cid in CAUSE_IDS:
        if cid not in raw:
            raise r.fail(f"causes.{cid}", "is missing (every cause needs a rule)")
    out = []
    keys = {"title", "levels", "requires", "signals", "tonight", "ask_doctor", "kind",
            "plural", "criteria", "symptoms"}
    for cid, body in raw.items():
        path = f"causes.{cid}"
        if cid not in CAUSE_IDS:
            raise r.fail(path, f"unknown cause id; the ids are {', '.join(CAUSE_IDS)}")
        r.known_keys(body, path, keys)
        title = r.need(body, "title", path, str)
        levels = r.need(body, "levels", path, dict)
        r.known_keys(levels, f"{path}.levels", {"high", "medium", "low"})
        lv = [r.need(levels, name, f"{path}.levels", int) for name in LEVELS[:3]]
        if not lv[0] >= lv[1] >= lv[2] >= 1:
            raise r.fail(f"{path}.levels", "must satisfy high >= medium >= low >= 1")
        kind = body.get("kind", "condition")
        if kind not in ("condition", "trigger"):
            raise r.fail(f"{path}.kind", "must be condition or trigger")
        plural = body.get("plural", False)
        if not isinstance(plural, bool):
            raise r.fail(f"{path}.plural", "must be true or false")
        out.append(Cause(
            cid, title, lv[0], lv[1], lv[2],
            conditions(r, body.get("requires"), f"{path}.requires", qids),
            _signals(r, body, path, qids),
            advice_ids(r, body, "tonight", path, tonight),
            advice_ids(r, body, "ask_doctor", path, doctor),
            kind, plural,
            _criteria(r, body.get("criteria"), f"{path}.criteria", qids),
            conditions(r, body.get("symptoms"), f"{path}.symptoms", qids),
        ))
    return tuple(out)


def _signals(r: Reader, body: dict[str, Any], path: str, qids: dict[str, Question]
             ) -> tuple[Signal, ...]:
    signals = []
    sig_list = r.need(body, "signals", path, list)
    if not sig_list:
        raise r.fail(f"{path}.signals", "must list at least one signal")
    for j, s in enumerate(sig_list):
        spath = f"{path}.signals[{j}]"
        r.known_keys(s, spath, {"when", "points", "because", "because_caregiver",
                                "requires_fired", "cap"})
        when = condition(r, r.need(s, "when", spath, dict), f"{spath}.when", qids)
        points = r.need(s, "points", spath, int)
        slots: tuple[str, ...] = ("medicine", "plain") if when.class_in else ("value",)
        because = r.need(s, "because", spath, str)
        r.check_slots(because, f"{spath}.because", slots)
        care = s.get("because_caregiver")
        if care is not None:
            r.check_slots(care, f"{spath}.because_caregiver", slots + PERSON_SLOTS)
        fired = s.get("requires_fired", False)
        if not isinstance(fired, bool):
            raise r.fail(f"{spath}.requires_fired", "must be true or false")
        cap = s.get("cap")
        if cap is not None and cap not in LEVELS[1:]:
            raise r.fail(f"{spath}.cap", f"must be one of {', '.join(LEVELS[1:])}")
        signals.append(Signal(when, points, Text(because, care), fired, cap))
    if not any(s.points > 0 and not s.requires_fired for s in signals):
        raise r.fail(f"{path}.signals", "needs at least one positive signal of its own")
    return tuple(signals)


def _criteria(r: Reader, raw: Any, path: str, qids: dict[str, Question]) -> tuple[Criterion, ...]:
    if raw is not None and not isinstance(raw, list):
        raise r.fail(path, "must be a list")
    out = []
    for j, item in enumerate(raw or []):
        cpath = f"{path}[{j}]"
        r.known_keys(item, cpath, {"when", "unmet", "unmet_caregiver"})
        when = condition(r, r.need(item, "when", cpath, dict), f"{cpath}.when", qids)
        if not when.is_:
            raise r.fail(f"{cpath}.when", "must test a yes/no answer with is")
        unmet = r.need(item, "unmet", cpath, str)
        r.check_slots(unmet, f"{cpath}.unmet", ())
        care = item.get("unmet_caregiver")
        if care is not None:
            r.check_slots(care, f"{cpath}.unmet_caregiver", PERSON_SLOTS)
        out.append(Criterion(when, Text(unmet, care)))
    return tuple(out)


def red_flags(r: Reader, data: dict[str, Any], qids: dict[str, Question]
              ) -> tuple[tuple[RedFlag, ...], Unresolved | None]:
    r.known_keys(data, "", {"red_flags", "unresolved"})
    items = r.need(data, "red_flags", "", list)
    if not items:
        raise r.fail("red_flags", "must list at least one red flag")
    out = []
    keys = {"id", "question", "level", "end_checkin", "reason", "advice", "signs"}
    for i, item in enumerate(items):
        path = f"red_flags[{i}]"
        rid = r.need(item, "id", path, str)
        path = f"red_flags[{i}] ({rid})"
        r.known_keys(item, path, keys)
        qid = yes_no_question(r, item, path, qids)
        level = r.need(item, "level", path, str)
        if level not in ("emergency", "urgent"):
            raise r.fail(f"{path}.level", "must be emergency or urgent")
        end = r.need(item, "end_checkin", path, bool)
        reason = r.need(item, "reason", path, str)
        advice = r.text(r.need(item, "advice", path, (str, dict)), f"{path}.advice", ())
        signs = r.text_list(item.get("signs") or [], f"{path}.signs")
        out.append(RedFlag(rid, qid, level, end, reason, advice,
                           tuple(s.lower() for s in signs)))
    unresolved = None
    if data.get("unresolved") is not None:
        body = data["unresolved"]
        r.known_keys(body, "unresolved", {"question", "reason", "advice"})
        qid = yes_no_question(r, body, "unresolved", qids)
        reason = r.need(body, "reason", "unresolved", str)
        advice = r.text(r.need(body, "advice", "unresolved", (str, dict)),
                        "unresolved.advice", ())
        unresolved = Unresolved(qid, reason, advice)
    return tuple(out), unresolved
