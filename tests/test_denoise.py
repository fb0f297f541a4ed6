"""The steady-noise filter in front of the embedded recogniser, on synthetic signals."""

from __future__ import annotations

import numpy as np
import pytest

from voiceskill.engines.denoise import NoiseFilter

pytestmark = pytest.mark.audio

RATE = 16000


def _stream(filt: NoiseFilter, pcm: bytes, size: int) -> bytes:
    out = b"".join(filt.process(pcm[i : i + size]) for i in range(0, len(pcm), size))
    return out + filt.flush()


def _tone(seconds: float, start: float, end: float, level: float = 3000.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    # A vowel-like sound: a 150 Hz voice with a few harmonics, on only between start and end.
    wave = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in (1, 2, 3, 5))
    return level * wave * ((t >= start) & (t < end))


def _noise(n: int, level: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, level, n)


def _pcm(x: np.ndarray) -> bytes:
    return bytes(np.clip(np.rint(x), -32768, 32767).astype("<i2").tobytes())


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


@pytest.mark.parametrize("size", [3200, 1001, 7, 128])
def test_with_no_cut_the_answer_comes_out_unchanged_and_as_long(size: int) -> None:
    # Any block size, odd byte counts included: nothing is lost, added or shifted.
    x = _pcm(_tone(1.3, 0.2, 1.0) + _noise(int(1.3 * RATE), 300, 1))
    out = _stream(NoiseFilter(np, floor=1.0), x, size)
    assert len(out) == len(x)
    assert np.abs(_samples(out) - _samples(x)).max() <= 1


def test_steady_noise_is_turned_down_and_the_voice_kept() -> None:
    n = int(3.0 * RATE)
    voice = _tone(3.0, 1.5, 2.5)
    noise = _noise(n, 1500, 2)
    filt = NoiseFilter(np)
    out = _samples(_stream(filt, _pcm(voice + noise), 3200))
    pause = slice(int(0.8 * RATE), int(1.4 * RATE))
    spoken = slice(int(1.6 * RATE), int(2.4 * RATE))
    # In the pause only noise is left, turned down by at least 2.5 dB ...
    assert out[pause].std() < 0.75 * noise[pause].std()
    # ... while the voice keeps its shape and most of its level.
    assert np.corrcoef(out[spoken], voice[spoken])[0, 1] > 0.9
    assert out[spoken].std() > 0.8 * voice[spoken].std()


def test_the_noise_estimate_carries_over_to_the_next_answer() -> None:
    filt = NoiseFilter(np)
    _stream(filt, _pcm(_noise(2 * RATE, 1500, 3)), 3200)
    # The room was heard before: the next answer's first tenth of a second is already quieter.
    nxt = _noise(RATE // 2, 1500, 4)
    out = _samples(_stream(filt, _pcm(nxt), 3200))
    assert out[: RATE // 10].std() < 0.75 * nxt[: RATE // 10].std()


def test_digital_silence_stays_silent() -> None:
    out = _stream(NoiseFilter(np), bytes(2 * RATE), 3200)
    assert len(out) == 2 * RATE
    assert not _samples(out).any()


def test_a_cut_off_answer_ends_cleanly() -> None:
    filt = NoiseFilter(np)
    assert filt.process(b"\x01") == b""  # half a sample waits for its other byte
    assert filt.flush() == b""
    # After a flush the next answer starts afresh, with no leftover half sample or tail.
    x = _pcm(_noise(RATE // 4, 500, 5))
    assert len(_stream(filt, x, 3200)) == len(x)


def test_many_short_answers_keep_the_noise_estimate() -> None:
    # Each answer's first and last windows reach into padding; were those frames taken for
    # the room's noise, short answers would drag the estimate down and the filter would
    # stop turning the noise down.
    filt = NoiseFilter(np)
    for seed in range(30):
        _stream(filt, _pcm(_noise(RATE // 5, 1500, 10 + seed)), 3200)
    nxt = _noise(RATE // 5, 1500, 99)
    out = _samples(_stream(filt, _pcm(nxt), 3200))
    assert out.std() < 0.75 * nxt.std()
