"""Speech output behind one small interface, plus the voice settings a person can change by voice.

The session prints what is said (text mode, logs, and as the fallback when speech output fails);
a ``Speaker`` only speaks.
"""

from __future__ import annotations

import array
import math
import sys
from dataclasses import dataclass, replace
from typing import Protocol, TextIO

from .config import Settings, bounds

DEFAULT_RATE: int = Settings().rate
"""Words per minute. pyttsx3's espeak default of 200 is the top of the comfortable band for
synthetic speech, and older listeners expect a reply slower than their own speech."""
MIN_RATE, MAX_RATE = bounds("rate")
"""Declared once, on the ``rate`` setting: the config file, the flags, the remembered voice and
"slower"/"faster" all stop at the same ends."""
RATE_STEP = 20
MIN_VOLUME = 0.2
""""Quieter" stops here so a few repeated requests cannot make the skill silent."""
_, MAX_VOLUME = bounds("volume")
"""pyttsx3's volume runs 0..1; 1.0 is the engine's full volume, so "louder" stops here and the
person has to turn up the device itself."""
VOLUME_STEP = 0.2

CHIME_NOTES = ((659.25, 0.07), (880.0, 0.09))
"""E5 then A5, rising: the "your turn" sound. Short, because the microphone opens only once
it has played."""
CHIME_GAP = 0.12
"""Seconds of quiet between the last word and the chime, so it is heard as its own sound."""
CHIME_PEAK = 0.1
"""Of full scale at volume 1. espeak-ng's prompts peak near 0.8 with an RMS near 0.09; a pure
tone carries all of its level all the time, so at this peak its RMS (0.07) is a little under
the voice's: a soft cue, not an alarm, for someone half asleep."""


class Speaker(Protocol):
    """Speaks one prompt and returns once it has been spoken (or raises AudioError).

    ``then_listen`` says the microphone opens next: a speaker may end the prompt with the
    listening chime, so a person who cannot see the device knows it is their turn.
    """

    def say(self, text: str, then_listen: bool = False) -> None: ...


def listening_chime(sample_rate: int, volume: float = 1.0) -> array.array[int]:
    """The chime as 16-bit samples, with the gap before it: each note fades in and out
    (raised cosine) so it has no click."""
    out = array.array("h", bytes(2 * int(CHIME_GAP * sample_rate)))
    peak = 32767 * CHIME_PEAK * max(0.0, min(1.0, volume))
    for freq, seconds in CHIME_NOTES:
        n = int(seconds * sample_rate)
        fade = max(1, int(0.015 * sample_rate))
        for i in range(n):
            edge = min(i, n - 1 - i)
            env = 0.5 - 0.5 * math.cos(math.pi * edge / fade) if edge < fade else 1.0
            out.append(int(peak * env * math.sin(2 * math.pi * freq * i / sample_rate)))
    return out


class PrintingSpeaker:
    """Shows the text instead of speaking it: text mode, and the fallback when audio fails."""

    def __init__(self, out: TextIO | None = None, prefix: str = "") -> None:
        self._out = out
        self._prefix = prefix

    def say(self, text: str, then_listen: bool = False) -> None:
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
