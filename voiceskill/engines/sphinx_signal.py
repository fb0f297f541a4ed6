"""What pocketsphinx's grammar tests measure on the audio itself: how loud an answer rises
above the room (:class:`Level`), how many of its frames are voiced (:class:`Voicing`), and the
comfort-noise floor added to every sample (``FLOOR_STD``).
"""

from __future__ import annotations

import math
from typing import Any

from ..messages import SAMPLE_RATE

FLOOR_STD = 30.0
"""Comfort noise added to every sample. Digitally silent stretches (exact zeros, as files and
some sound cards give) produce log-energy frames the acoustic model never saw, and
pocketsphinx's live CMN skips them entirely, which broke recognition of the words around them.
Thirty is about -60 dBFS: far below any real room, so it changes nothing else."""

_NOISY_BELOW = 28.0
"""A room is noisy for an answer when its loudest 100 ms of sound are less than 28 dB above
its quiet (the 15th percentile of its 20 ms frames). Generated answers in quiet measure 33 dB
or more, with white noise 10 dB below the speech 16 to 22 dB."""


class Level:
    """How far the loudest sound of an answer rises above the room's quiet (``_NOISY_BELOW``).

    Measured on the audio as it arrives, before the noise filter, in 20 ms frames. The comfort
    noise floor (``FLOOR_STD``) is added to every frame's power, as the decoders hear it.
    """

    _FRAME = 320
    _LOUDEST = 5

    def __init__(self, np: Any) -> None:
        self._np = np
        self._pending = b""
        self._powers: list[float] = []

    def feed(self, pcm: bytes) -> None:
        np = self._np
        data = self._pending + pcm
        n = len(data) // (2 * self._FRAME)
        self._pending = data[n * 2 * self._FRAME :]
        if n:
            x = np.frombuffer(data[: n * 2 * self._FRAME], dtype="<i2").astype(np.float64)
            power = (x.reshape(n, self._FRAME) ** 2).mean(axis=1) + FLOOR_STD**2
            self._powers.extend(float(p) for p in power)

    def above_quiet_db(self) -> float:
        """The loudest 100 ms over the 15th percentile, in dB; too little audio to tell is
        taken for a quiet room."""
        if len(self._powers) < 2 * self._LOUDEST:
            return math.inf
        np = self._np
        powers = np.array(self._powers)
        loud = float(np.sort(powers)[-self._LOUDEST :].mean())
        quiet = float(np.percentile(powers, 15))
        return 10.0 * math.log10(loud / quiet)

    def noisy(self) -> bool:
        return self.above_quiet_db() < _NOISY_BELOW


class Voicing:
    """Counts periodic (voiced) 20 ms frames with a normalised autocorrelation test.

    Vowels are periodic at 70-400 Hz; hiss, coughs, knocks and breath are not.
    """

    _FRAME = 320
    _MIN_LAG = SAMPLE_RATE // 400
    _MAX_LAG = SAMPLE_RATE // 70
    _THRESHOLD = 0.6

    def __init__(self, np: Any) -> None:
        self._np = np
        self._pending = np.zeros(0, dtype=np.float64)
        self.voiced_frames = 0

    def feed(self, pcm: bytes) -> None:
        np = self._np
        x = np.concatenate([self._pending, np.frombuffer(pcm, dtype="<i2").astype(np.float64)])
        span = self._FRAME + self._MAX_LAG
        n = (len(x) - self._MAX_LAG) // self._FRAME if len(x) >= span else 0
        lags = np.arange(self._MIN_LAG, self._MAX_LAG)
        for k in range(n):
            seg = x[k * self._FRAME : k * self._FRAME + span]
            seg = seg - seg.mean()
            head = seg[: self._FRAME]
            energy = float(head @ head)
            if energy <= 0.0:
                continue
            corr = np.fft.irfft(np.fft.rfft(seg, 1024) * np.conj(np.fft.rfft(head, 1024)), 1024)
            power = np.concatenate([[0.0], np.cumsum(seg * seg)])
            tails = power[lags + self._FRAME] - power[lags]
            ratio = corr[lags] / np.sqrt(np.maximum(energy * tails, 1e-9))
            if float(ratio.max()) >= self._THRESHOLD:
                self.voiced_frames += 1
        self._pending = x[n * self._FRAME :]
