"""Listening: find where one spoken answer starts and ends in a stream of microphone blocks.

Pure over the blocks it reads: no audio library is imported here, so the end-of-answer logic is
tested with a fake stream (``voiceskill.testing.microphone``) and runs unchanged on the real
microphone (``voiceskill.engines.sounddevice_input``). The listener reads blocks, mutes and keeps
the pre-roll; the judging of levels (the noise floor, one answer's state from waiting through
speech to its end) is in ``voiceskill.endpoint``.

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

import math
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Protocol

from .audio import CHUNK_BYTES
from .endpoint import Endpoint, ListenStats, NoiseFloor, Outcome, Thresholds, frame_levels
from .messages import SAMPLE_RATE

__all__ = [
    "CALIBRATION_SECONDS",
    "FRAME_SECONDS",
    "InputStream",
    "ListenStats",
    "Listener",
    "Outcome",
]

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
        self._room = NoiseFloor(
            window_frames=max(1, round(floor_window / self._frame_seconds)),
            percentile=floor_percentile,
            calibration_frames=max(1, round(CALIBRATION_SECONDS / self._frame_seconds)),
        )

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
        return self._room.level()

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
        answer = Endpoint(
            frame_seconds=self._frame_seconds,
            min_speech_frames=self._min_speech_frames,
            start_window_frames=self._start_window_frames,
            thresholds=self._thresholds(),
        )
        self.last = None
        try:
            while True:
                chunk = self.source.read(self._chunk_frames)
                chunk_start = answer.advance(self._chunk_frames, self.rate)
                if self._dropping():
                    if answer.in_speech:
                        # The skill began speaking over the answer: keep what was said before it.
                        self._finish(answer, "speech", ended)
                        return
                    # Nothing heard while muted may leak into the next answer's onset or pre-roll.
                    preroll.clear()
                    answer.forget_onset()
                else:
                    started_now = self._hear(answer, chunk, chunk_start)
                    if answer.in_speech:
                        yield from self._speak(answer, preroll, chunk, started_now)
                        outcome = answer.ending(self.end_silence, longest)
                        if outcome is not None:
                            self._finish(answer, outcome, ended)
                            return
                        continue
                    preroll.append(chunk)
                if answer.position >= no_input_timeout - 1e-9:
                    self._finish(answer, "no_input", ended)
                    return
        except GeneratorExit:
            # The consumer stopped early (a recogniser that had heard enough, or an error).
            self._finish(answer, "speech" if answer.in_speech else "no_input", ended)
            raise

    def _finish(
        self, answer: Endpoint, outcome: Outcome, ended: Callable[[ListenStats], None] | None
    ) -> None:
        self.last = answer.stats(outcome)
        if ended is not None:
            ended(self.last)

    def _dropping(self) -> bool:
        """Whether the block just read is thrown away: muted, or within the unmute guard."""
        with self._lock:
            drop = self._muted or self._guard_left > 1e-9
            if not self._muted:
                self._guard_left = max(0.0, self._guard_left - self._chunk_seconds)
        return drop

    def _hear(self, answer: Endpoint, chunk: bytes, chunk_start: float) -> bool:
        """Judge one block's levels and learn the room from them; True when speech started."""
        calibrating = self._room.calibrating
        levels = frame_levels(chunk, self._frame_samples)
        self._room.remember(levels)
        if calibrating and not answer.in_speech:
            # Nothing known about the room yet (first answer): judge these frames against
            # a floor that already includes them, not against the bare minimum level.
            answer.thresholds = self._thresholds()
        started_now = answer.hear(levels, chunk_start)
        if not answer.in_speech:
            # The floor follows the room only between answers; inside one it stays put so
            # a long answer cannot raise it to the level of its own quieter syllables.
            answer.thresholds = self._thresholds()
        return started_now

    def _speak(
        self, answer: Endpoint, preroll: deque[bytes], chunk: bytes, started_now: bool
    ) -> Generator[bytes, None, None]:
        """Yield the block, led by the pre-roll when speech has just been detected."""
        if started_now:
            answer.mark_detected()
            preroll.append(chunk)
            held = list(preroll)
            preroll.clear()
            for piece in held:
                answer.count_yielded(piece, self.rate)
                yield piece
        else:
            answer.count_yielded(chunk, self.rate)
            yield chunk

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- levels ---------------------------------------------------------------------------

    def _thresholds(self) -> Thresholds:
        floor = self._room.level()
        return Thresholds(
            floor=floor, start=self._start_threshold(floor), hold=self._hold_threshold(floor)
        )

    def _start_threshold(self, floor: float) -> float:
        return max(self.min_level, floor * self.start_ratio)

    def _hold_threshold(self, floor: float) -> float:
        return max(self.min_level * self.hold_ratio / self.start_ratio, floor * self.hold_ratio)
