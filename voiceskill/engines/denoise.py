"""Steady-noise reduction in front of the embedded recogniser: a streaming Wiener filter.

A fan, a heater or a humming appliance beside the bed fills every frequency band a little.
pocketsphinx's own noise removal is mild, and in steady noise its grammar picks a phrase
that fits the masked sounds ("stop" heard as "no"). This filter estimates the noise
spectrum from the quietest frames heard recently (the pauses before, between and after
answers, kept across answers because the room stays the same) and scales every band by a
decision-directed Wiener gain, never below ``FLOOR``. It is deliberately gentle: turning
the noise down a few decibels leaves the speech sounds close to what the acoustic model
learned, where a deep cut distorts them and costs more answers than the noise it removes
(measured, docs/decisions/007).

Streaming: 32 ms Hann windows every 8 ms with overlap-add. Output lags input by 24 ms and
``flush`` returns the rest, so an answer comes out exactly as long as it went in.
"""

from __future__ import annotations

import math
from typing import Any

FLOOR = 0.45
"""Lowest gain for any band (about -7 dB). At 10 dB SNR a floor of 0.1 lost more answers than
it saved; 0.3 to 0.6 all helped, 0.45 most."""

_WINDOW = 512
_HOP = 128
_HISTORY = 1000
"""Frames of recent audio (8 s) from which the noise spectrum is estimated."""

_QUIET_PERCENTILE = 15
"""The noise level of a band comes from its 15th-percentile power over the history: even a
long answer leaves that many frames of pause."""

_PERCENTILE_TO_MEAN = 1.0 / -math.log(1.0 - _QUIET_PERCENTILE / 100.0)
"""The power of steady noise in one band varies from frame to frame like an exponential
variable, whose 15th percentile is about a sixth of its mean."""

_NOISE_SHARE = 0.25
"""The share of the estimated noise power the Wiener gain treats as noise. A quarter turns
steady noise down by about 4 dB; the answers' sounds stay close to what the acoustic model
learned. Measured at 10 dB SNR on ten voices: treating a sixth, a quarter or a third of it as
noise all helped, the last two about equally."""

_UPDATE_EVERY = 16
"""Frames (128 ms) between noise estimates; the percentile is the costly step."""

_SMOOTHING = 0.98
"""Weight of the previous frame's clean-speech estimate in the a-priori SNR (the
decision-directed rule of Ephraim and Malah); it keeps residual noise from warbling."""


class NoiseFilter:
    """Streaming noise reduction for 16 kHz int16 mono PCM.

    ``process`` takes any number of bytes and returns what is finished; ``flush`` ends the
    answer. The noise estimate outlives answers; everything else starts afresh.
    """

    def __init__(self, np: Any, floor: float = FLOOR) -> None:
        self._np = np
        self._floor = floor
        self._window = np.hanning(_WINDOW + 1)[:-1]
        # Overlap-add of squared Hann windows at a quarter hop is constant (1.5), so
        # dividing by it restores the level without per-sample bookkeeping.
        self._norm = float((self._window**2).sum() / _HOP)
        self._history = np.zeros((_HISTORY, _WINDOW // 2 + 1))
        self._filled = 0
        self._slot = 0
        self._since_update = 0
        self._noise: Any = None
        self._start()

    def _start(self) -> None:
        np = self._np
        # The first frame reaches back a window before the answer: start with silence,
        # and drop what comes out for that stretch.
        self._input = np.zeros(_WINDOW - _HOP)
        self._output = np.zeros(_WINDOW)
        self._speech_power = np.zeros(_WINDOW // 2 + 1)
        self._carry = b""
        self._skip = _WINDOW - _HOP
        # Frames whose window still reaches into that silence are not the room's noise.
        self._padded_frames = (_WINDOW - _HOP) // _HOP
        self._received = 0
        self._emitted = 0

    def process(self, pcm: bytes) -> bytes:
        np = self._np
        data = self._carry + pcm
        usable = len(data) - len(data) % 2
        self._carry = data[usable:]
        samples = np.frombuffer(data[:usable], dtype="<i2").astype(np.float64)
        self._received += len(samples)
        return self._pcm(self._run(samples))

    def flush(self) -> bytes:
        """The rest of the answer (up to 24 ms), then a fresh start for the next one."""
        np = self._np
        remaining = self._received - self._emitted
        # The zeros that finish the last windows are not the room's noise either.
        self._padded_frames = _WINDOW // _HOP
        tail = self._run(np.zeros(_WINDOW))[:remaining] if remaining > 0 else np.zeros(0)
        self._start()
        return self._pcm(tail)

    # ---- internals ----------------------------------------------------------------------
    def _remember(self, power: Any) -> None:
        np = self._np
        self._history[self._slot] = power
        self._slot = (self._slot + 1) % _HISTORY
        self._filled = min(self._filled + 1, _HISTORY)
        self._since_update += 1
        if self._noise is None or self._since_update >= _UPDATE_EVERY:
            self._since_update = 0
            self._noise = (
                _NOISE_SHARE
                * _PERCENTILE_TO_MEAN
                * np.percentile(self._history[: self._filled], _QUIET_PERCENTILE, axis=0)
                + 1e-6
            )

    def _run(self, samples: Any) -> Any:
        np = self._np
        self._input = np.concatenate([self._input, samples])
        if len(self._input) < _WINDOW:
            return np.zeros(0)
        frames = (len(self._input) - _WINDOW) // _HOP + 1
        idx = np.arange(_WINDOW)[None, :] + _HOP * np.arange(frames)[:, None]
        spectra = np.fft.rfft(self._input[idx] * self._window, axis=1)
        power = spectra.real**2 + spectra.imag**2
        out = np.empty(frames * _HOP)
        for t in range(frames):
            if self._padded_frames > 0:
                self._padded_frames -= 1
                if self._noise is None:
                    # Nothing learned yet: pass these through, and learn from the next frame.
                    self._noise = np.full_like(power[t], 1e-6)
                    self._since_update = _UPDATE_EVERY
            else:
                self._remember(power[t])
            frame = np.fft.irfft(spectra[t] * self._gain(power[t]), _WINDOW) * self._window
            self._output += frame
            out[t * _HOP : (t + 1) * _HOP] = self._output[:_HOP]
            self._output = np.concatenate([self._output[_HOP:], np.zeros(_HOP)])
        self._input = self._input[frames * _HOP :]
        out = out[self._skip :] / self._norm
        self._skip = max(self._skip - frames * _HOP, 0)
        self._emitted += len(out)
        return out

    def _gain(self, power: Any) -> Any:
        np = self._np
        noise = self._noise
        posterior = power / noise
        prior = _SMOOTHING * self._speech_power / noise + (1.0 - _SMOOTHING) * np.maximum(
            posterior - 1.0, 0.0
        )
        gain = np.maximum(prior / (1.0 + prior), self._floor)
        self._speech_power = gain**2 * power
        return gain

    def _pcm(self, samples: Any) -> bytes:
        np = self._np
        return bytes(np.clip(np.rint(samples), -32768, 32767).astype("<i2").tobytes())
