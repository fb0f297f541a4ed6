"""The bedside mode keeps its check-ins and reliefs in the real night journal (SQLite in the
state folder), so "what did you say last time?" and "how was this week?" work across runs."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.bedside.assistant import Assistant
from voiceskill.bedside.memory import open_journal
from voiceskill.bedside.requests import BedsideContent, load
from voiceskill.bedside.settings import BedsideSettings
from voiceskill.dialog import Dialog
from voiceskill.journal import Journal, week_in_words
from voiceskill.session import ConsoleEars, Session
from voiceskill.testing.fakes import RecordingMouth
from voiceskill.understanding import Understander

ANSWERS = ["no", "seventy", *["no"] * 30]
"""Every warning sign no, aged seventy, and no to the rest: a check-in that finishes."""
TONIGHT = datetime(2026, 12, 6, 23, 10)


class Silence:
    def hear(self, phrases: object, timeout: float) -> str | None:
        return None


class Clock:
    def now(self) -> datetime:
        return TONIGHT


@pytest.fixture()
def bedside() -> BedsideContent:
    return load(content_mod.load(None))


def _assistant(bedside: BedsideContent, mouth: RecordingMouth) -> Assistant:
    journal = open_journal()

    def checkin(dialog: Dialog) -> None:
        typed = io.StringIO("".join(f"{a}\n" for a in ANSWERS))
        Session(dialog, Understander(bedside.content), ConsoleEars(typed, io.StringIO()),
                speaker=mouth, out=io.StringIO()).run()

    return Assistant(bedside, BedsideSettings(), mouth, Silence(), journal, Clock(), checkin)


def test_checkins_kept_in_the_journal_are_repeated_on_a_later_run(
        bedside: BedsideContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICESKILL_STATE_DIR", str(tmp_path))
    first = _assistant(bedside, RecordingMouth())
    assert isinstance(first.journal, Journal)
    first.handle(bedside.request("start my check-in"))
    first.journal.close()

    mouth = RecordingMouth()
    later = _assistant(bedside, mouth)  # as after `voiceskill listen` was restarted
    try:
        kept = later.journal.last_summary(None)
        assert kept and "not a diagnosis" in kept
        later.handle(bedside.request("what did you say last time"))
        assert any(kept in line for line in mouth.said), mouth.said
        later.handle(bedside.request("how was this week"))
        assert isinstance(later.journal, Journal)
        week = week_in_words(later.journal, None, TONIGHT.date())
        assert mouth.said[-1] == week
        assert len(later.journal.checkins("")) == 1
    finally:
        later.journal.close()
