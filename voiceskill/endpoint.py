"""Endpointing: where one answer starts and ends, judged from 20 ms frame levels.

Pure and stateful over the levels it is given; ``voiceskill.mic.Listener`` reads the microphone,
handles muting and the pre-roll, and hands each block's levels here. The rules themselves are
described in ``voiceskill.mic``.

* ``NoiseFloor`` is the room's level, remembered across answers by the listener.
* ``Endpoint`` is one ``listen()``: waiting for speech (``hear`` until ``in_speech``), in speech
  (``hear`` keeps ``quiet`` and ``last_voice``), and ending (``ending`` names the outcome).
* ``ListenStats`` is what one ``listen()`` reports when it ends.
"""

from __future__ import annotations

import array
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["speech", "no_input", "max_length"]


@dataclass(frozen=True)
class ListenStats:
    """What happened during one ``listen()``. Positions are seconds of audio since it began."""

    outcome: Outcome
    speech_onset: float | None
    """First loud frame of the answer (None when no speech started)."""
    speech_detected: float | None
    """When the detector was sure it was speech: the first chunk was yielded here."""
    speech_end: float | None
    """Last loud frame of the answer."""
    ended: float
    """Where listening stopped."""
    yielded_seconds: float
    noise_floor: float
    start_threshold: float
    detected_time: float | None
    """``time.monotonic()`` when the first chunk was yielded."""
    end_time: float | None
    """``time.monotonic()`` when the end of the answer was decided (None if no speech)."""


def frame_levels(chunk: bytes, frame_samples: int) -> list[float]:
    """RMS level of each ``frame_samples`` frame of int16 PCM (the last frame may be shorter)."""
    samples = array.array("h")
    samples.frombytes(chunk[: len(chunk) - len(chunk) % 2])
    levels = []
    for start in range(0, len(samples), frame_samples):
        frame = samples[start : start + frame_samples]
        levels.append(math.sqrt(sum(s * s for s in frame) / len(frame)))
    return levels


class NoiseFloor:
    """A low percentile of the last ``window_frames`` frame levels (minimum statistics)."""

    def __init__(self, window_frames: int, percentile: float, calibration_frames: int) -> None:
        self.percentile = percentile
        self.calibration_frames = calibration_frames
        self._levels: deque[float] = deque(maxlen=window_frames)
        self._cache: float | None = None
        self._dirty = True

    @property
    def calibrating(self) -> bool:
        """Too little of the room heard yet to judge a block against the floor before it."""
        return len(self._levels) < self.calibration_frames

    def remember(self, levels: list[float]) -> None:
        self._levels.extend(levels)
        self._dirty = True

    def level(self) -> float:
        # Sorting 250 levels per block is cheap, but a floor read twice per block need not be.
        if self._dirty:
            if self._levels:
                ordered = sorted(self._levels)
                self._cache = ordered[int(self.percentile * (len(ordered) - 1))]
            else:
                self._cache = 0.0
            self._dirty = False
        return self._cache or 0.0


@dataclass(frozen=True)
class Thresholds:
    """The levels one block is judged against, all following from the noise floor."""

    floor: float
    start: float
    """Louder than this starts an answer."""
    hold: float
    """Louder than this keeps an answer going (lower than ``start``)."""


@dataclass
class Endpoint:
    """One ``listen()`` in progress: positions are seconds of audio since it began."""

    frame_seconds: float
    min_speech_frames: int
    start_window_frames: int
    thresholds: Thresholds
    chunks_read: int = 0
    position: float = 0.0
    in_speech: bool = False
    onset: float | None = None
    detected: float | None = None
    detected_time: float | None = None
    last_voice: float = 0.0
    quiet: float = 0.0
    yielded: float = 0.0
    voiced: deque[bool] = field(init=False)

    def __post_init__(self) -> None:
        self.voiced = deque(maxlen=self.start_window_frames)

    def advance(self, chunk_frames: int, rate: int) -> float:
        """Count one block read; returns where it started."""
        chunk_start = self.position
        self.chunks_read += 1
        # Counted from the number of blocks, not summed, so positions do not drift.
        self.position = self.chunks_read * chunk_frames / rate
        return chunk_start

    def forget_onset(self) -> None:
        """Nothing heard while muted may count toward the next answer's onset."""
        self.voiced.clear()
        self.onset = None

    def hear(self, levels: list[float], chunk_start: float) -> bool:
        """Judge one block's frames; True when speech started in this block."""
        started_now = False
        for i, level in enumerate(levels):
            frame_end = round(chunk_start + (i + 1) * self.frame_seconds, 6)
            if not self.in_speech:
                started_now = self._wait_for_speech(level, frame_end)
            elif level > self.thresholds.hold:
                self.quiet = 0.0
                self.last_voice = frame_end
            else:
                self.quiet += self.frame_seconds
        return started_now

    def _wait_for_speech(self, level: float, frame_end: float) -> bool:
        loud = level > self.thresholds.start
        self.voiced.append(loud)
        if not any(self.voiced):
            self.onset = None
        elif loud and self.onset is None:
            self.onset = round(frame_end - self.frame_seconds, 6)
        if sum(self.voiced) >= self.min_speech_frames:
            self.in_speech = True
            self.last_voice = frame_end
            self.quiet = 0.0
            return True
        return False

    def mark_detected(self) -> None:
        """Speech is certain: the first chunk is yielded now."""
        self.detected = self.position
        self.detected_time = time.monotonic()

    def count_yielded(self, piece: bytes, rate: int) -> None:
        self.yielded += len(piece) / (2 * rate)

    def ending(self, end_silence: float, longest: float) -> Outcome | None:
        """How the answer ends after this block, or None while it goes on."""
        if self.quiet >= end_silence - 1e-9:
            return "speech"
        if self.onset is not None and self.position - self.onset >= longest - 1e-9:
            return "max_length"
        return None

    def stats(self, outcome: Outcome) -> ListenStats:
        return ListenStats(
            outcome=outcome,
            speech_onset=self.onset if self.in_speech else None,
            speech_detected=self.detected,
            speech_end=self.last_voice if self.in_speech else None,
            ended=self.position,
            yielded_seconds=self.yielded,
            noise_floor=self.thresholds.floor,
            start_threshold=self.thresholds.start,
            detected_time=self.detected_time,
            end_time=time.monotonic() if self.in_speech else None,
        )
