"""Voice changes asked for in bedside mode are kept for later nights, in the same SQLite store
`voiceskill checkin` uses: the relief routine with the real assistant, content, night voice
and preferences; only the speaker is a stand-in (it records what it is told). The whole path,
`voiceskill listen` twice on the virtual audio stack, is in test_bedside_live_voice.py."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import pytest

from voiceskill import content as content_mod
from voiceskill.bedside.assistant import Assistant
from voiceskill.bedside.memory import MemoryJournal
from voiceskill.bedside.requests import BedsideContent, Request, load
from voiceskill.bedside.schedule import NightVoice
from voiceskill.bedside.settings import BedsideSettings
from voiceskill.dialog import Dialog
from voiceskill.remembered import remembered_voice, rememberer
from voiceskill.speech import Voice
from voiceskill.testing.fakes import FixedClock


class Speaker:
    def __init__(self) -> None:
        self.voice = Voice(rate=145, volume=1.0)
        self.heard: list[tuple[str, Voice]] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.heard.append((text, self.voice))


class Ears:
    def __init__(self, lines: Sequence[str | None]) -> None:
        self.lines = list(lines)

    def hear(self, phrases: Sequence[str], timeout: float) -> str | None:
        return self.lines.pop(0) if self.lines else None


@pytest.fixture(scope="module")
def words() -> BedsideContent:
    return load(content_mod.load(None))


def relief_night(words: BedsideContent, at: datetime, said: list[str]) -> Speaker:
    """One relief routine with ``said`` as the answers, remembering as `listen` does."""
    prefs, kept = remembered_voice("", io.StringIO())
    speaker = Speaker()
    if kept:
        speaker.voice = Voice(rate=kept.get("rate", 145), volume=kept.get("volume", 1.0))
    remember = rememberer(prefs, "", io.StringIO(), usual={"rate": 145, "volume": 1.0},
                          kept=kept or {})
    clock = FixedClock(at)
    night = NightVoice(speaker, BedsideSettings(), clock, remember)

    def no_checkin(dialog: Dialog) -> None:
        raise AssertionError("no check-in was asked for")

    Assistant(words, BedsideSettings(), night, Ears(said), MemoryJournal(), clock,
              no_checkin).handle(Request("relief", "my legs are twitching"))
    return speaker


def test_slower_in_the_relief_routine_is_kept_for_the_next_night(
        words: BedsideContent) -> None:
    first = relief_night(words, datetime(2026, 12, 6, 21, 0), ["slower", "stop"])
    assert [v.rate for _, v in first.heard][-1] == 125  # the step again, more slowly
    assert remembered_voice("", io.StringIO())[1] == {"rate": 125}
    second = relief_night(words, datetime(2026, 12, 7, 21, 0), ["stop"])
    assert second.heard and all(v.rate == 125 for _, v in second.heard)


def test_louder_in_quiet_hours_is_for_that_night_only(words: BedsideContent) -> None:
    night = relief_night(words, datetime(2026, 12, 6, 23, 30), ["louder", "slower", "stop"])
    volumes = [round(v.volume, 1) for _, v in night.heard]
    assert volumes[0] == 0.4 and volumes[-1] == 0.6  # quiet hours, then louder at once
    # The speed is kept; the volume is not: the next evening starts at the usual one.
    assert remembered_voice("", io.StringIO())[1] == {"rate": 125}


def test_faster_back_to_the_usual_speed_forgets_it(words: BedsideContent) -> None:
    relief_night(words, datetime(2026, 12, 6, 21, 0), ["slower", "stop"])
    relief_night(words, datetime(2026, 12, 7, 21, 0), ["too slow", "stop"])
    assert remembered_voice("", io.StringIO())[1] is None


def test_a_change_made_in_the_checkin_is_kept_the_same_way() -> None:
    # The check-in run from `listen` hands its new voice to the night voice through
    # ``voice_user``, as `spoken_checkin` does.
    from voiceskill.remembered import voice_user

    prefs, _ = remembered_voice("", io.StringIO())
    speaker = Speaker()
    night = NightVoice(speaker, BedsideSettings(), FixedClock(datetime(2026, 12, 6, 21, 0)),
                       rememberer(prefs, "", io.StringIO(), usual={"rate": 145, "volume": 1.0}))
    use = voice_user(night)
    assert use is not None
    use(Voice(rate=145, volume=0.8))
    assert speaker.voice.volume == 0.8
    assert remembered_voice("", io.StringIO())[1] == {"volume": 0.8}
