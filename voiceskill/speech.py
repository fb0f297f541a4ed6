"""Speech output behind one small interface, plus the voice settings a person can change by voice.

The session prints what is said (text mode, logs, and as the fallback when speech output fails);
a ``Speaker`` only speaks.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Protocol, TextIO

DEFAULT_RATE = 145
"""Words per minute. pyttsx3's espeak default of 200 is the top of the comfortable band for
synthetic speech, and older listeners expect a reply slower than their own speech."""
MIN_RATE = 90
"""Slower than this espeak-ng stretches vowels until words become hard to recognise."""
MAX_RATE = 220
RATE_STEP = 20
MIN_VOLUME = 0.2
""""Quieter" stops here so a few repeated requests cannot make the skill silent."""
MAX_VOLUME = 1.0
"""pyttsx3's volume runs 0..1; 1.0 is the engine's full volume, so "louder" stops here and the
person has to turn up the device itself."""
VOLUME_STEP = 0.2


class Speaker(Protocol):
    """Speaks one prompt and returns once it has been spoken (or raises AudioError)."""

    def say(self, text: str) -> None: ...


class PrintingSpeaker:
    """Shows the text instead of speaking it: text mode, and the fallback when audio fails."""

    def __init__(self, out: TextIO | None = None, prefix: str = "") -> None:
        self._out = out
        self._prefix = prefix

    def say(self, text: str) -> None:
        # Resolve stdout at call time so pytest's capsys and redirected streams see the text.
        out = self._out if self._out is not None else sys.stdout
        print(f"{self._prefix}{text}", file=out, flush=True)


@dataclass(frozen=True)
class Adjusted:
    """The outcome of a spoken "slower" / "louder" request.

    ``changed`` is false when the voice was already at its limit, so the dialog can say so
    ("I'm already at full volume — please turn the device up") instead of pretending.
    """

    voice: Voice
    changed: bool
    at_limit: bool
    """The voice is now as slow/fast/loud/quiet as it goes: a further step will not change it."""


@dataclass(frozen=True)
class Voice:
    """How prompts are spoken. Immutable: each change returns a new ``Voice``."""

    rate: int = DEFAULT_RATE
    """Words per minute."""
    volume: float = MAX_VOLUME
    """0..1, the engine's own scale."""
    voice: str | None = None
    """Engine voice id or name (e.g. ``en-us`` for espeak-ng); ``None`` keeps the default."""

    def __post_init__(self) -> None:
        if not MIN_RATE <= self.rate <= MAX_RATE:
            raise ValueError(f"rate must be {MIN_RATE}..{MAX_RATE} words a minute, not {self.rate}")
        if not 0.0 <= self.volume <= MAX_VOLUME:
            raise ValueError(f"volume must be 0..{MAX_VOLUME}, not {self.volume}")

    def slower(self, step: int = RATE_STEP) -> Adjusted:
        rate = max(MIN_RATE, self.rate - step)
        return self._adjusted(replace(self, rate=rate), at_limit=rate <= MIN_RATE)

    def faster(self, step: int = RATE_STEP) -> Adjusted:
        rate = min(MAX_RATE, self.rate + step)
        return self._adjusted(replace(self, rate=rate), at_limit=rate >= MAX_RATE)

    def louder(self, step: float = VOLUME_STEP) -> Adjusted:
        # Rounded so repeated 0.2 steps land exactly on the limits instead of 0.9999999.
        volume = round(min(MAX_VOLUME, self.volume + step), 3)
        return self._adjusted(replace(self, volume=volume), at_limit=volume >= MAX_VOLUME)

    def quieter(self, step: float = VOLUME_STEP) -> Adjusted:
        # min() keeps a voice already set below the floor from being made louder by "quieter".
        volume = round(min(self.volume, max(MIN_VOLUME, self.volume - step)), 3)
        return self._adjusted(replace(self, volume=volume), at_limit=volume <= MIN_VOLUME)

    def _adjusted(self, new: Voice, at_limit: bool) -> Adjusted:
        return Adjusted(new, changed=new != self, at_limit=at_limit)
