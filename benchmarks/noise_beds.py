"""Noise for the benchmarks: white, pink (a fan) and a television talking in the room, mixed
in at a signal-to-noise ratio set from the speech's own power."""

from __future__ import annotations

import numpy

from benchmarks.listed_items import Case
from voiceskill.messages import SAMPLE_RATE
from voiceskill.testing.speech import pcm

NOISES = ("white", "pink", "tv")
"""White noise is the standard test. Pink noise (power falling 3 dB an octave) stands in for
a fan or air conditioner by the bed: most of its power lies low, under the voice. ``tv`` is a
television talking in the room while the person answers: two presenters whose voices are not
among the answering voices, with the pauses of real speech, so it is neither steady (the noise
filter cannot learn it) nor unlike the answers."""

TV_VOICES = ("en-gb-scotland", "en-029")
TV_LINES = (
    "good evening, here are tonight's main stories",
    "the council has approved plans for a new bridge across the river",
    "shoppers in the city centre said prices had gone up again this month",
    "and in football, the home side came from behind to win in the final minutes",
    "scientists say the comet will be visible in the early hours of saturday",
    "the museum reopens next week after two years of repairs",
    "farmers are hoping for drier weather before the harvest",
    "police have asked anyone who saw the accident to come forward",
    "the orchestra will play in the park on sunday afternoon",
    "tomorrow will start cloudy, with sunny spells later in the day",
    "train services are running normally again after this morning's delays",
    "that's all from us tonight, thank you for watching",
)
_TV_BED: list[numpy.ndarray] = []


def tv_bed() -> numpy.ndarray:
    """About a minute of the television, scaled to unit power over the whole of it, so that its
    pauses stay quiet as a real programme's do. Made once per process."""
    if not _TV_BED:
        parts = [
            numpy.frombuffer(pcm(line, voice=TV_VOICES[i % 2], rate=165), dtype="<i2")
            for i, line in enumerate(TV_LINES)
        ]
        bed = numpy.concatenate(parts).astype(numpy.float64)
        _TV_BED.append(bed / float(numpy.sqrt(numpy.mean(bed**2))))
    return _TV_BED[0]


def noise(rng: numpy.random.Generator, n: int, colour: str) -> numpy.ndarray:
    """``n`` samples of ``colour`` noise (``NOISES``) with unit power (``tv``: unit power over
    the whole programme, so a stretch that falls in a pause is quieter)."""
    if colour == "tv":
        # A stretch of the programme starting at a random point, wrapping round at the end.
        bed = tv_bed()
        start = int(rng.integers(0, len(bed)))
        return bed[(start + numpy.arange(n)) % len(bed)]
    white = rng.standard_normal(n)
    if colour == "white":
        return white
    if colour != "pink":
        raise ValueError(f"unknown noise colour {colour!r}; use {', '.join(NOISES)}")
    freqs = numpy.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    # 1/f power; below 20 Hz held flat, as a fan's sound has no real power there.
    shaped = numpy.fft.irfft(numpy.fft.rfft(white) / numpy.sqrt(numpy.maximum(freqs, 20.0)), n)
    return shaped / float(numpy.sqrt(numpy.mean(shaped**2)))


def audio_for(case: Case, snr: float | None, colour: str = "white") -> bytes:
    """The spoken case with its extra silence, and noise at ``snr`` dB over all of it.

    The noise level is set from the power of espeak's file (speech with 0.3 s pads), so the
    extra silence does not change how loud the noise is relative to the speech.
    """
    clean = numpy.frombuffer(pcm(case.text, voice=case.voice, rate=case.rate), dtype="<i2")
    samples = numpy.concatenate(
        [
            numpy.zeros(int(case.lead * SAMPLE_RATE), dtype=numpy.float64),
            clean.astype(numpy.float64),
            numpy.zeros(int(case.trail * SAMPLE_RATE), dtype=numpy.float64),
        ]
    )
    if snr is not None:
        power = float(numpy.mean(clean.astype(numpy.float64) ** 2))
        rng = numpy.random.default_rng(case.seed)
        level = (power / 10 ** (snr / 10)) ** 0.5
        samples = samples + level * noise(rng, len(samples), colour)
    return bytes(numpy.clip(numpy.round(samples), -32768, 32767).astype("<i2").tobytes())


def snr_name(snr: float | None, colour: str = "white") -> str:
    if snr is None:
        return "clean"
    return f"{snr:g} dB" + ("" if colour == "white" else f" {colour}")


def level_order(name: str) -> tuple[float, str]:
    """Quiet first, then louder and louder noise ("20 dB" before "10 dB pink")."""
    if name == "clean":
        return (float("-inf"), "")
    snr, _, rest = name.partition(" dB")
    return (-float(snr), rest)
