"""Listening: find where one spoken answer starts and ends in a stream of microphone blocks.

Pure over the blocks it reads: no audio library is imported here, so the end-of-answer logic is
tested with a fake stream (``voiceskill.testing.microphone``) and runs unchanged on the real
microphone (``voiceskill.engines.sounddevice_input``).

How an answer is found, in 20 ms frames:

* The noise floor is a low percentile of the last few seconds of frame levels (minimum
  statistics), kept across answers and held still while an answer is spoken. Pauses between
  words keep it honest, and a fan switched on is learned within a few seconds.
* Speech starts when ``min_speech`` seconds of frames within a short window are louder than the
  floor by ``start_ratio`` (and than ``min_level``). A click or a knock is shorter than that;
  a clipped "no" of 0.25 s is longer.
* Up to ``preroll`` seconds before that point are yielded first, so the onset the detector needed
  to see is not cut off (a "no" said right after the question keeps its "n").
* The answer ends after ``end_silence`` seconds below the (lower) ``hold_ratio`` threshold, or
  at ``max_answer`` seconds as a safety cap; if speech never starts within the no-input timeout,
  nothing is yielded and the caller reprompts.

Not hearing itself (half duplex). The session wraps every prompt in ``listener.muted()``:
``mute()`` and ``unmute()`` both drop everything the stream has captured but not yet delivered
(``InputStream.flush``), and after unmuting a further ``unmute_guard`` seconds are read and thrown
away, in case the end of the prompt is still in flight (output latency, Bluetooth speakers, room
echo) when the speech engine returns. Frames read while muted are discarded too, and neither
muted nor guard frames reach the noise floor, the pre-roll or the recogniser; muting in the
middle of an answer ends that answer. The stream keeps running while muted rather than being
stopped: restarting a device costs time and can fail, and a running stream lets a quick answer
be captured the moment the guard ends. The price is that an answer begun within the guard
(0.2 s by default) loses its first syllable; with a headset or echo cancellation set it to 0.
"""

from __future__ import annotations

import array
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol

from .audio import CHUNK_BYTES
from .messages import SAMPLE_RATE

Outcome = Literal["speech", "no_input", "max_length"]

FRAME_SECONDS = 0.02
"""Level analysis resolution: fine enough to tell a 20 ms click from a 120 ms syllable."""


CALIBRATION_SECONDS = 0.5
"""Until this much of the room has been heard, each block also counts toward its own floor."""


class InputStream(Protocol):
    """A running microphone: 16 kHz mono int16 PCM, delivered in real time.

    ``read`` blocks until ``frames`` frames are available and returns exactly ``frames * 2``
    bytes. When the device fails or disappears it raises ``AudioError`` naming the device.
    ``flush`` drops audio captured but not yet read and returns how many frames it dropped.
    """

    def read(self, frames: int) -> bytes: ...

    def flush(self) -> int: ...

    def close(self) -> None: ...


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


class Listener:
    """Turns a running microphone into one answer at a time.

    ``mute()``/``unmute()`` may be called from another thread while ``listen()`` runs; one
    ``listen()`` at a time. ``close()`` (or leaving the ``with`` block) closes the stream.
    """

    def __init__(
        self,
        source: InputStream,
        *,
        rate: int = SAMPLE_RATE,
        chunk_bytes: int = CHUNK_BYTES,
        end_silence: float = 0.8,
        preroll: float = 0.4,
        max_answer: float = 15.0,
        min_speech: float = 0.12,
        start_window: float = 0.3,
        start_ratio: float = 3.0,
        hold_ratio: float = 2.0,
        min_level: float = 150.0,
        floor_window: float = 5.0,
        floor_percentile: float = 0.1,
        unmute_guard: float = 0.2,
    ) -> None:
        if chunk_bytes % 2 or chunk_bytes <= 0:
            raise ValueError("chunk_bytes must be a positive, even number of bytes")
        if not 0 < min_speech <= start_window:
            raise ValueError("min_speech must be positive and no longer than start_window")
        self.source = source
        self.rate = rate
        self.chunk_bytes = chunk_bytes
        self.end_silence = end_silence
        self.preroll = preroll
        self.max_answer = max_answer
        self.min_speech = min_speech
        self.start_ratio = start_ratio
        self.hold_ratio = hold_ratio
        self.min_level = min_level
        self.floor_percentile = floor_percentile
        self.unmute_guard = unmute_guard

        self._chunk_frames = chunk_bytes // 2
        self._chunk_seconds = self._chunk_frames / rate
        self._frame_samples = max(1, round(rate * FRAME_SECONDS))
        self._frame_seconds = self._frame_samples / rate
        self._start_window_frames = max(1, round(start_window / self._frame_seconds))
        self._min_speech_frames = max(1, round(min_speech / self._frame_seconds))
        # Levels are remembered across answers: the room does not change between questions, and
        # a person who answers at once should not be measured as the room.
        self._levels: deque[float] = deque(maxlen=max(1, round(floor_window / self._frame_seconds)))
        self._calibration_frames = max(1, round(CALIBRATION_SECONDS / self._frame_seconds))
        self._floor_cache: float | None = None
        self._floor_dirty = True

        self._lock = threading.Lock()
        self._muted = False
        self._guard_left = 0.0
        self.last: ListenStats | None = None

    # -- muting ---------------------------------------------------------------------------

    @property
    def is_muted(self) -> bool:
        return self._muted

    def mute(self) -> None:
        """Stop hearing: call before the skill speaks."""
        with self._lock:
            self._muted = True
        self.source.flush()

    def unmute(self) -> None:
        """Hear again: call after the skill has finished speaking.

        Everything captured while muted is dropped, and the next ``unmute_guard`` seconds too.
        """
        self.source.flush()
        with self._lock:
            self._muted = False
            self._guard_left = self.unmute_guard

    @contextmanager
    def muted(self) -> Iterator[None]:
        """``with listener.muted(): speaker.say(prompt)`` — the skill never hears itself."""
        self.mute()
        try:
            yield
        finally:
            self.unmute()

    def flush(self) -> int:
        """Drop audio captured but not yet read (frames dropped)."""
        return self.source.flush()

    discard = flush

    # -- results --------------------------------------------------------------------------

    @property
    def last_outcome(self) -> Outcome | None:
        return self.last.outcome if self.last else None

    @property
    def speech_end_time(self) -> float | None:
        """``time.monotonic()`` when the last answer was judged finished."""
        return self.last.end_time if self.last else None

    @property
    def noise_floor(self) -> float:
        return self._floor()

    # -- listening ------------------------------------------------------------------------

    def listen(
        self,
        no_input_timeout: float = 8.0,
        max_answer: float | None = None,
        ended: Callable[[ListenStats], None] | None = None,
    ) -> Generator[bytes, None, None]:
        """Yield ``chunk_bytes`` chunks of one answer while it is spoken.

        ``max_answer`` overrides the listener's cap on the length of this one answer.
        ``ended`` is handed how this listening ended, once it has (also when the consumer
        stops early), so a caller need not read ``last`` after the fact.

        Nothing is yielded until speech starts; then the pre-roll, then each chunk as it is
        read, up to the chunk in which ``end_silence`` of quiet completed the answer. When no
        speech starts within ``no_input_timeout`` seconds the iterator ends empty
        (``last_outcome == "no_input"``). ``AudioError`` from the stream propagates.
        """
        longest = self.max_answer if max_answer is None else max_answer
        preroll: deque[bytes] = deque(maxlen=1 + math.ceil(self.preroll / self._chunk_seconds))
        voiced: deque[bool] = deque(maxlen=self._start_window_frames)
        fs = self._frame_seconds
        position = 0.0
        chunks_read = 0
        in_speech = False
        onset: float | None = None
        detected: float | None = None
        detected_time: float | None = None
        last_voice = 0.0
        quiet = 0.0
        yielded = 0.0
        floor = self._floor()
        start_threshold = self._start_threshold(floor)
        hold_threshold = self._hold_threshold(floor)
        self.last = None

        def finish(outcome: Outcome) -> None:
            self.last = ListenStats(
                outcome=outcome,
                speech_onset=onset if in_speech else None,
                speech_detected=detected,
                speech_end=last_voice if in_speech else None,
                ended=position,
                yielded_seconds=yielded,
                noise_floor=floor,
                start_threshold=start_threshold,
                detected_time=detected_time,
                end_time=time.monotonic() if in_speech else None,
            )
            if ended is not None:
                ended(self.last)

        try:
            while True:
                chunk = self.source.read(self._chunk_frames)
                chunk_start = position
                chunks_read += 1
                position = chunks_read * self._chunk_frames / self.rate

                with self._lock:
                    drop = self._muted or self._guard_left > 1e-9
                    if not self._muted:
                        self._guard_left = max(0.0, self._guard_left - self._chunk_seconds)
                if drop:
                    if in_speech:
                        # The skill began speaking over the answer: keep what was said before it.
                        finish("speech")
                        return
                    # Nothing heard while muted may leak into the next answer's onset or pre-roll.
                    preroll.clear()
                    voiced.clear()
                    onset = None
                    if position >= no_input_timeout - 1e-9:
                        finish("no_input")
                        return
                    continue

                calibrating = len(self._levels) < self._calibration_frames
                levels = self._frame_levels(chunk)
                self._remember(levels)
                if calibrating and not in_speech:
                    # Nothing known about the room yet (first answer): judge these frames against
                    # a floor that already includes them, not against the bare minimum level.
                    floor = self._floor()
                    start_threshold = self._start_threshold(floor)
                    hold_threshold = self._hold_threshold(floor)
                started_now = False
                for i, level in enumerate(levels):
                    frame_end = round(chunk_start + (i + 1) * fs, 6)
                    if not in_speech:
                        loud = level > start_threshold
                        voiced.append(loud)
                        if not any(voiced):
                            onset = None
                        elif loud and onset is None:
                            onset = round(frame_end - fs, 6)
                        if sum(voiced) >= self._min_speech_frames:
                            in_speech = started_now = True
                            last_voice = frame_end
                            quiet = 0.0
                    elif level > hold_threshold:
                        quiet = 0.0
                        last_voice = frame_end
                    else:
                        quiet += fs

                if not in_speech:
                    preroll.append(chunk)
                    # The floor follows the room only between answers; inside one it stays put so
                    # a long answer cannot raise it to the level of its own quieter syllables.
                    floor = self._floor()
                    start_threshold = self._start_threshold(floor)
                    hold_threshold = self._hold_threshold(floor)
                    if position >= no_input_timeout - 1e-9:
                        finish("no_input")
                        return
                    continue

                if started_now:
                    detected = position
                    detected_time = time.monotonic()
                    preroll.append(chunk)
                    held = list(preroll)
                    preroll.clear()
                    for piece in held:
                        yielded += len(piece) / (2 * self.rate)
                        yield piece
                else:
                    yielded += len(chunk) / (2 * self.rate)
                    yield chunk

                if quiet >= self.end_silence - 1e-9:
                    finish("speech")
                    return
                if onset is not None and position - onset >= longest - 1e-9:
                    finish("max_length")
                    return
        except GeneratorExit:
            # The consumer stopped early (a recogniser that had heard enough, or an error).
            finish("speech" if in_speech else "no_input")
            raise

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- levels ---------------------------------------------------------------------------

    def _frame_levels(self, chunk: bytes) -> list[float]:
        samples = array.array("h")
        samples.frombytes(chunk[: len(chunk) - len(chunk) % 2])
        n = self._frame_samples
        levels = []
        for start in range(0, len(samples), n):
            frame = samples[start : start + n]
            levels.append(math.sqrt(sum(s * s for s in frame) / len(frame)))
        return levels

    def _remember(self, levels: list[float]) -> None:
        self._levels.extend(levels)
        self._floor_dirty = True

    def _floor(self) -> float:
        if self._floor_dirty:
            if self._levels:
                ordered = sorted(self._levels)
                self._floor_cache = ordered[int(self.floor_percentile * (len(ordered) - 1))]
            else:
                self._floor_cache = 0.0
            self._floor_dirty = False
        return self._floor_cache or 0.0

    def _start_threshold(self, floor: float) -> float:
        return max(self.min_level, floor * self.start_ratio)

    def _hold_threshold(self, floor: float) -> float:
        return max(self.min_level * self.hold_ratio / self.start_ratio, floor * self.hold_ratio)

