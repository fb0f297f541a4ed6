"""The bedside: section of the settings file, the reminder and quiet hours on a fake clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

import pytest

from voiceskill.bedside.schedule import NightVoice, Reminder, night_of
from voiceskill.bedside.settings import BedsideSettings
from voiceskill.config import load_settings
from voiceskill.errors import ContentError
from voiceskill.messages import Person
from voiceskill.speech import Voice


def from_file(tmp_path: Path, text: str) -> BedsideSettings:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    bedside: BedsideSettings = load_settings(str(path)).bedside
    return bedside


def test_settings_file_with_a_bedside_section(tmp_path: Path) -> None:
    s = from_file(tmp_path, "rate: 130\nbedside:\n  wake_word: Hey Jarvis\n  reminder: 21:00\n"
                  "  quiet_hours: '23:00-06:30'\n  quiet_volume: 0.3\n  name: Rose\n"
                  "  caregiver: true\n  pronoun: she\n")
    assert (s.model, s.reminder, s.quiet_from, s.quiet_until) == (
        "hey_jarvis", time(21, 0), time(23, 0), time(6, 30))
    assert s.person == Person(caregiver=True, name="Rose", pronoun="she")
    assert s.listener == "Rose" and s.quiet_volume == 0.3


def test_no_section_means_the_defaults(tmp_path: Path) -> None:
    assert from_file(tmp_path, "rate: 130\n") == BedsideSettings()
    assert BedsideSettings().listener is None


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("bedside:\n  wake_word: hey google\n", "bedside.wake_word", "has no model"),
    ("bedside:\n  reminder: '25:00'\n", "bedside.reminder", "not a time of day"),
    ("bedside:\n  reminder: '23:30'\n", "bedside.reminder", "inside quiet_hours"),
    ("bedside:\n  quiet_hours: 'late'\n", "bedside.quiet_hours", "not a span"),
    ("bedside:\n  quiet_volume: 0.05\n", "bedside.quiet_volume", "from 0.2 to 1"),
    ("bedside:\n  caregiver: true\n", "bedside.caregiver", "needs the person's name"),
    ("bedside:\n  caregiver: 'yes please'\n", "bedside.caregiver", "true or false"),
    ("bedside:\n  pronoun: it\n", "bedside.pronoun", "she, he or they"),
    ("bedside:\n  volume: 3\n", "bedside.volume", "unknown setting"),
    ("bedside: [okay nabu]\n", "bedside", "must be a mapping"),
])
def test_a_mistake_names_the_file_and_the_key(
        tmp_path: Path, text: str, key: str, problem: str) -> None:
    with pytest.raises(ContentError) as caught:
        from_file(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'config.yaml'}: {key}: ") and problem in message
    assert "\n" not in message


def test_quiet_hours_over_midnight() -> None:
    s = BedsideSettings(quiet_from=time(22, 30), quiet_until=time(7, 0))
    assert [s.quiet_at(time(h, m)) for h, m in [(22, 29), (22, 30), (3, 0), (6, 59), (7, 0)]] \
        == [False, True, True, True, False]
    assert not BedsideSettings(quiet_from=None, quiet_until=None).quiet_at(time(3, 0))


def test_reminder_once_a_night_at_its_time() -> None:
    r = Reminder(BedsideSettings(reminder=time(21, 30)))
    assert not r.due(datetime(2026, 12, 6, 21, 29))
    assert r.due(datetime(2026, 12, 6, 21, 30))
    r.done(datetime(2026, 12, 6, 21, 30))
    assert not r.due(datetime(2026, 12, 6, 21, 45))  # asked: not again that night
    assert not r.due(datetime(2026, 12, 6, 23, 45))  # past its window anyway
    assert r.due(datetime(2026, 12, 7, 21, 31))      # the next night it asks again


def test_no_reminder_once_quiet_hours_have_begun() -> None:
    # Listening started late: the reminder's window is still open, but quiet hours are not
    # broken for it.
    r = Reminder(BedsideSettings(reminder=time(21, 30), quiet_from=time(22, 0)))
    assert r.due(datetime(2026, 12, 6, 21, 59))
    assert not r.due(datetime(2026, 12, 6, 22, 5))


def test_a_checkin_done_before_the_reminder_time_means_no_reminder() -> None:
    r = Reminder(BedsideSettings(reminder=time(21, 30)))
    r.done(datetime(2026, 12, 6, 20, 0))
    assert not r.due(datetime(2026, 12, 6, 21, 35))
    assert night_of(datetime(2026, 12, 7, 2, 0)) == night_of(datetime(2026, 12, 6, 20, 0))


def test_no_reminder_when_it_is_off(tmp_path: Path) -> None:
    s = from_file(tmp_path, "bedside:\n  reminder: off\n")
    assert not Reminder(s).due(datetime(2026, 12, 6, 21, 30))


@dataclass
class Clock:
    at: datetime

    def now(self) -> datetime:
        return self.at


class Speaker:
    def __init__(self) -> None:
        self.voice = Voice(volume=0.9)
        self.heard: list[float] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.heard.append(self.voice.volume)


def test_quiet_hours_speak_softer_and_the_usual_volume_comes_back() -> None:
    clock = Clock(datetime(2026, 12, 6, 21, 0))
    speaker = Speaker()
    night = NightVoice(speaker, BedsideSettings(quiet_volume=0.4), clock)
    night.say("evening")
    clock.at = datetime(2026, 12, 7, 2, 0)
    night.say("in the night")
    clock.at = datetime(2026, 12, 7, 8, 0)
    night.say("morning")
    assert speaker.heard == [0.9, 0.4, 0.9]


def test_louder_asked_for_in_quiet_hours_is_heard_for_the_night() -> None:
    clock = Clock(datetime(2026, 12, 7, 2, 0))
    speaker = Speaker()
    night = NightVoice(speaker, BedsideSettings(quiet_volume=0.4), clock)
    night.say("softly")
    night.voice = night.voice.louder().voice  # what the check-in does for "louder"
    night.say("louder now")
    clock.at = datetime(2026, 12, 7, 9, 0)
    night.say("morning")
    assert speaker.heard == [0.4, 0.6, 0.9]
