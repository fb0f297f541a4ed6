"""A microphone for tests and benchmarks: audio given in advance, then a quiet room.

It behaves as the sounddevice adapter does towards ``voiceskill.mic.Listener`` (the
``InputStream`` protocol), so the listener is tested without a sound card.
"""

from __future__ import annotations

import array
import random
import threading
import time

from voiceskill.errors import AudioError
from voiceskill.messages import SAMPLE_RATE


class FakeInputStream:
    """A microphone for tests that behaves like the sounddevice adapter.

    Audio given to the constructor or to ``feed()`` is what the microphone "hears" next; once it
    is used up the room is quiet (``noise_level`` RMS of white noise, 0 for digital silence).
    With ``realtime`` each read returns no earlier than a real device would deliver it, and
    ``flush`` drops what was "captured" up to now. ``fail_at`` makes the device vanish after
    that many seconds, raising ``AudioError`` from ``read`` like an unplugged microphone.
    """

    def __init__(
        self,
        pcm: bytes = b"",
        *,
        rate: int = SAMPLE_RATE,
        realtime: bool = False,
        noise_level: float = 0.0,
        fail_at: float | None = None,
        name: str = "fake microphone",
        seed: int = 0,
    ) -> None:
        self.rate = rate
        self.realtime = realtime
        self.noise_level = noise_level
        self.fail_at = fail_at
        self.name = name
        self.frames_read = 0
        self.frames_flushed = 0
        self._pending = bytearray(pcm)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._closed = False
        self._t0 = time.monotonic()

    @property
    def position(self) -> float:
        """Seconds of audio delivered or flushed so far."""
        return (self.frames_read + self.frames_flushed) / self.rate

    def feed(self, pcm: bytes) -> None:
        with self._lock:
            self._pending.extend(pcm)

    def read(self, frames: int) -> bytes:
        if self._closed:
            raise AudioError(f"{self.name}: read from a closed microphone stream")
        if self.fail_at is not None and self.position + frames / self.rate > self.fail_at:
            raise AudioError(f"{self.name}: the microphone stopped delivering audio (disconnected)")
        if self.realtime:
            due = self._t0 + (self.frames_read + self.frames_flushed + frames) / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        with self._lock:
            data = bytes(self._pending[: 2 * frames])
            del self._pending[: 2 * frames]
            self.frames_read += frames
        return data + self._room(frames - len(data) // 2)

    def flush(self) -> int:
        with self._lock:
            if self.realtime:
                captured = int((time.monotonic() - self._t0) * self.rate)
                dropped = max(0, captured - self.frames_read - self.frames_flushed)
            else:
                # Without a clock everything fed so far counts as already captured.
                dropped = len(self._pending) // 2
            del self._pending[: 2 * dropped]
            self.frames_flushed += dropped
        return dropped

    def close(self) -> None:
        self._closed = True

    def _room(self, frames: int) -> bytes:
        if frames <= 0:
            return b""
        if self.noise_level <= 0:
            return bytes(2 * frames)
        gauss = self._rng.gauss
        level = self.noise_level
        noise = array.array(
            "h", (max(-32768, min(32767, int(gauss(0.0, level)))) for _ in range(frames))
        )
        return noise.tobytes()
