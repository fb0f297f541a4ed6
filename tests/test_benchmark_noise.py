"""The benchmark's noise: the right colour and the right level."""

from __future__ import annotations

import numpy
import pytest

from benchmarks.noise_beds import level_order, noise, snr_name
from voiceskill.messages import SAMPLE_RATE


def octave_power(x: numpy.ndarray, low: float) -> float:
    spectrum = numpy.abs(numpy.fft.rfft(x)) ** 2
    freqs = numpy.fft.rfftfreq(len(x), 1.0 / SAMPLE_RATE)
    return float(spectrum[(freqs >= low) & (freqs < 2 * low)].sum())


@pytest.mark.parametrize("colour", ["white", "pink"])
def test_noise_has_unit_power(colour: str) -> None:
    x = noise(numpy.random.default_rng(1), 4 * SAMPLE_RATE, colour)
    assert abs(float(numpy.mean(x**2)) - 1.0) < 0.05


def test_pink_noise_has_the_same_power_in_every_octave_and_white_does_not() -> None:
    rng = numpy.random.default_rng(2)
    pink = noise(rng, 8 * SAMPLE_RATE, "pink")
    white = noise(rng, 8 * SAMPLE_RATE, "white")
    ratio = octave_power(pink, 200.0) / octave_power(pink, 3200.0)
    assert 0.7 < ratio < 1.4, ratio
    # White noise has sixteen times as much power in the octave from 3.2 kHz as from 200 Hz.
    assert octave_power(white, 3200.0) / octave_power(white, 200.0) > 10


def test_unknown_colour_is_named() -> None:
    with pytest.raises(ValueError, match="brown"):
        noise(numpy.random.default_rng(0), 100, "brown")


def test_levels_are_named_and_ordered_quiet_first() -> None:
    names = [snr_name(None), snr_name(5.0), snr_name(20.0, "pink"), snr_name(10.0)]
    assert names == ["clean", "5 dB", "20 dB pink", "10 dB"]
    assert sorted(names, key=level_order) == ["clean", "20 dB pink", "10 dB", "5 dB"]


@pytest.mark.audio
def test_the_television_talks_with_pauses_and_is_not_the_same_twice() -> None:
    pytest.importorskip("numpy")
    from benchmarks.listed_items import VOICES
    from benchmarks.noise_beds import TV_VOICES, tv_bed

    assert not set(TV_VOICES) & set(VOICES)  # never one of the answering voices
    bed = tv_bed()
    assert len(bed) > 40 * SAMPLE_RATE
    assert abs(float(numpy.mean(bed**2)) - 1.0) < 1e-6
    # Speech, not hiss: 50 ms frames range from pauses to loud syllables.
    frames = bed[: len(bed) // 800 * 800].reshape(-1, 800)
    level = numpy.sqrt(numpy.mean(frames**2, axis=1))
    assert numpy.percentile(level, 10) < 0.1 * numpy.percentile(level, 90)
    a = noise(numpy.random.default_rng(1), SAMPLE_RATE, "tv")
    b = noise(numpy.random.default_rng(2), SAMPLE_RATE, "tv")
    again = noise(numpy.random.default_rng(1), SAMPLE_RATE, "tv")
    assert len(a) == SAMPLE_RATE and numpy.array_equal(a, again) and not numpy.array_equal(a, b)
