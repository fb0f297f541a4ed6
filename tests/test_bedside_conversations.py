"""Bedside conversations as data (tests/bedside/*.yaml): the real content, matcher, relief
plan and check-in dialog, with typed words in place of a microphone."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from voiceskill import content as content_mod
from voiceskill.bedside import settings as bedside_settings
from voiceskill.bedside.assistant import Assistant
from voiceskill.bedside.memory import MemoryJournal
from voiceskill.bedside.requests import BedsideContent, load
from voiceskill.dialog import Dialog
from voiceskill.session import ConsoleEars, Session
from voiceskill.testing.fakes import FixedClock, RecordingMouth
from voiceskill.understanding import Understander

HERE = Path(__file__).parent / "bedside"
CASES = [c for f in sorted(HERE.glob("*.yaml"))
         for c in yaml.safe_load(f.read_text())["conversations"]]


class ScriptedEars:
    """Says the next scripted line (None: silence); runs out into silence."""

    def __init__(self, lines: Sequence[str | None]) -> None:
        self.lines = list(lines)

    def hear(self, phrases: Sequence[str], timeout: float) -> str | None:
        return self.lines.pop(0) if self.lines else None


@pytest.fixture(scope="module")
def bedside() -> BedsideContent:
    return load(content_mod.load(None))


def run(case: dict[str, Any], bedside: BedsideContent) -> tuple[RecordingMouth, MemoryJournal]:
    settings = bedside_settings.parse(case.get("settings"), "test settings")
    journal = MemoryJournal()
    known = case.get("journal") or {}
    if "last_answers" in known:
        journal.answers[settings.listener] = dict(known["last_answers"])
    if "last_summary" in known:
        journal.summaries[settings.listener] = known["last_summary"]
    mouth = RecordingMouth()
    typed = io.StringIO("".join(f"{a}\n" for a in case.get("checkin", [])))

    def checkin(dialog: Dialog) -> None:
        session = Session(dialog, Understander(bedside.content), ConsoleEars(typed, io.StringIO()),
                          speaker=mouth, out=io.StringIO())
        session.run()

    said = list(case["said"])
    assistant = Assistant(bedside, settings, mouth, ScriptedEars(said[1:]), journal,
                          FixedClock(datetime(2026, 12, 6, 23, 10)), checkin)
    if case.get("reminder"):
        assistant.ears = ScriptedEars(said)
        assistant.remind()
    else:
        assistant.handle(bedside.request(said[0]))
    return mouth, journal


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bedside_conversation(case: dict[str, Any], bedside: BedsideContent) -> None:
    mouth, journal = run(case, bedside)
    spoken = "\n".join(mouth.said)
    if case.get("says_nothing"):
        assert mouth.said == []
    at = 0
    for wanted in case.get("says", []):
        found = spoken.find(wanted, at)
        assert found >= 0, f"{wanted!r} not said (in order) in:\n{spoken}"
        at = found + len(wanted)
    for unwanted in case.get("never_says", []):
        assert unwanted not in spoken
    expect = case.get("expect") or {}
    if "reliefs" in expect:
        assert len(journal.reliefs) == expect["reliefs"]
    if "steps_heard" in expect:
        assert journal.reliefs[-1].steps_heard == expect["steps_heard"]
    if "checkins" in expect:
        assert len(journal.checkins) == expect["checkins"]
    if "finished" in expect:
        assert journal.checkins[-1][2] is expect["finished"]


def test_every_request_template_is_matched_back(bedside: BedsideContent) -> None:
    # Every sentence the recognisers are given must be understood as the request it came from.
    for phrase in bedside.requests.phrases:
        assert bedside.request(phrase).intent != "other", phrase
