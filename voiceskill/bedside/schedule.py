"""Night manners: the clock, the bedtime reminder (once a night), and the quieter voice of
quiet hours. Pure apart from ``SystemClock``; tests drive it with a clock of their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from ..speech import Voice
from .settings import BedsideSettings

REMINDER_WINDOW = timedelta(hours=2)
"""After this long past the reminder time (listen started late, the person was talking) the
reminder is not said that night: by then they may be asleep."""


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now()


def night_of(moment: datetime) -> date:
    """The evening a moment belongs to: 02:00 on Tuesday is Monday's night."""
    return (moment - timedelta(hours=12)).date()


@dataclass
class Reminder:
    """Asks "Would you like your check-in?" once a night, at the configured time."""

    settings: BedsideSettings
    done_night: date | None = None
    """The night it was asked, or a check-in was done: nothing more is asked that night."""

    def due(self, now: datetime) -> bool:
        at = self.settings.reminder
        if at is None or self.done_night == night_of(now):
            return False
        if self.settings.quiet_at(now.time()):
            return False  # quiet hours began before it could be said: nothing unprompted
        evening = night_of(now)
        moment = datetime.combine(evening if at.hour >= 12 else evening + timedelta(days=1), at)
        return moment <= now < moment + REMINDER_WINDOW

    def done(self, now: datetime) -> None:
        """Asked, or a check-in was done: not again tonight."""
        self.done_night = night_of(now)


class Tunable(Protocol):
    voice: Voice

    def say(self, text: str, then_listen: bool = False) -> None: ...


class NightVoice:
    """The speaker, softer in quiet hours: the usual volume is put back outside them."""

    def __init__(self, speaker: Tunable, settings: BedsideSettings, clock: Clock,
                 remember: Callable[[Voice], None] | None = None) -> None:
        self.speaker = speaker
        self.settings = settings
        self.clock = clock
        self.remember = remember
        """Keeps a voice asked for ("slower") for later nights, as `voiceskill checkin` does."""
        self.usual = speaker.voice.volume
        self.asked_at_night: float | None = None
        """A volume asked for by voice ("louder") during quiet hours: kept for the night."""

    @property
    def voice(self) -> Voice:
        return self.speaker.voice

    @voice.setter
    def voice(self, voice: Voice) -> None:
        # "louder" or "quieter" asked for during a check-in must be heard at once, in quiet
        # hours too: there it replaces the quiet volume, outside them the usual one.
        self.speaker.voice = voice
        if self.settings.quiet_at(self.clock.now().time()):
            self.asked_at_night = voice.volume
        else:
            self.usual = voice.volume
            self.asked_at_night = None
        if self.remember is not None:
            # A volume asked for in quiet hours is for that night: the quiet volume is the
            # night's, and the next evening starts at the usual one. The speed is kept.
            self.remember(replace(voice, volume=self.usual))

    def volume_now(self) -> float:
        if self.settings.quiet_at(self.clock.now().time()):
            if self.asked_at_night is not None:
                return self.asked_at_night
            return min(self.usual, self.settings.quiet_volume)
        return self.usual

    def say(self, text: str, then_listen: bool = False) -> None:
        volume = self.volume_now()
        if self.speaker.voice.volume != volume:
            self.speaker.voice = replace(self.speaker.voice, volume=volume)
        self.speaker.say(text, then_listen)
