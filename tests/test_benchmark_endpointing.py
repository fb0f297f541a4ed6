"""The endpointing benchmark's scoring: where speech is, and what counts as cut off."""

from __future__ import annotations

import numpy
import pytest

from benchmarks.endpointing import Result, cut_off, end_delay, score, speech_bounds
from benchmarks.engines_bench import WebrtcFilter
from voiceskill.messages import SAMPLE_RATE


def tone(seconds: float, amplitude: float) -> numpy.ndarray:
    t = numpy.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return amplitude * numpy.sin(2 * numpy.pi * 220 * t)


def test_speech_bounds_find_a_quiet_last_syllable_and_not_the_silence_around() -> None:
    # Silence, a loud word, a pause, a syllable 30 dB quieter, silence.
    samples = numpy.concatenate([
        numpy.zeros(SAMPLE_RATE // 2), tone(0.4, 10000), numpy.zeros(SAMPLE_RATE // 5),
        tone(0.2, 300), numpy.zeros(SAMPLE_RATE),
    ]).astype("<i2")
    first, last = speech_bounds(samples)
    assert first == pytest.approx(0.5, abs=0.011)
    assert last == pytest.approx(1.3, abs=0.011)


def test_speech_bounds_ignore_what_is_40_db_below_the_loudest() -> None:
    samples = numpy.concatenate([tone(0.3, 10000), tone(0.5, 50)]).astype("<i2")
    assert speech_bounds(samples)[1] == pytest.approx(0.3, abs=0.011)


def test_speech_bounds_refuse_no_audio() -> None:
    with pytest.raises(ValueError, match="no audio"):
        speech_bounds(numpy.zeros(10, dtype="<i2"))


def test_ending_before_the_last_speech_sample_is_cut_off_and_has_no_delay() -> None:
    assert cut_off(2.0, 2.1)
    assert end_delay(2.0, 2.1) is None
    assert not cut_off(2.9, 2.1)
    assert end_delay(2.9, 2.1) == pytest.approx(0.8)
    # Nothing heard is a miss, not a cut.
    assert not cut_off(None, 2.1)
    assert end_delay(None, 2.1) is None


def test_score_counts_each_failure_once() -> None:
    rows = [
        Result(3.0, 2.0, False, 0.01, 3.0),  # whole, 1 s late
        Result(1.5, 2.0, True, 0.01, 1.5),  # cut off, start clipped
        Result(None, 2.0, False, 0.01, 8.0),  # missed
        Result(2.5, 2.0, False, 0.01, 2.5),  # whole, 0.5 s late
    ]
    alone = [Result(None, 0.0, False, 0.0, 10.0), Result(4.0, 0.0, False, 0.0, 4.0)]
    got = score(rows, alone)
    assert got == {"n": 4, "cut_off": 1, "start_clipped": 1, "missed": 1, "noise_as_answer": 1,
                   "delay_ms": 750, "cpu_pct": 0.3}


def test_webrtc_filter_returns_an_answer_as_long_as_it_was_given() -> None:
    rng = numpy.random.default_rng(0)
    pcm = (1000 * rng.standard_normal(SAMPLE_RATE)).astype("<i2").tobytes()
    f = WebrtcFilter(2, 0)
    out = f.process(pcm[:3001]) + f.process(pcm[3001:]) + f.flush()
    assert len(out) == len(pcm)
    # Steady noise alone is turned down.
    level = float(numpy.sqrt(numpy.mean(numpy.frombuffer(out, "<i2").astype(float) ** 2)))
    assert level < 700
