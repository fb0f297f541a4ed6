"""Endpointing benchmark: the listener's frame levels against Silero VAD deciding speech.

    python -m benchmarks.endpointing     # both detectors; quiet, pink noise 10 and 5 dB below

Each answer is generated speech (espeak-ng, and flite when installed) with 1.5 s of the same
background before it and 2 s after, fed in 0.1 s blocks through ``FakeInputStream`` to
(a) ``voiceskill.mic.Listener`` as it is, and (b) the same listener with Silero VAD's speech
probability in place of the frame levels (``SileroListener`` below): the same start window,
pre-roll and end silence, only the judge of a frame differs. Per condition it counts:

* cut off: listening ended before the last speech sample of the clean answer;
* start clipped: the first audio handed on began after the first speech sample;
* missed: no answer heard at all;
* noise taken as an answer: a fresh listener given 10 s of the background alone;
* end delay: where listening ended, after the last speech sample (median);
* CPU per second of audio heard.

Silero's threshold is chosen on the tuning half of the items and reported on both halves.
Figures only; it does not pass or fail (docs/decisions/029).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy

from benchmarks.noise_beds import noise
from voiceskill.bedside.vad import SileroDetector
from voiceskill.endpoint import Endpoint, Thresholds
from voiceskill.messages import SAMPLE_RATE
from voiceskill.mic import Listener
from voiceskill.testing.microphone import FakeInputStream
from voiceskill.testing.speech import FLITE, have_flite, pcm

VOICES = ("en-us", "en-us+f3", "en-gb", f"{FLITE}slt", f"{FLITE}rms")
"""The tuning voices of the listed-phrase items (benchmarks/natural_spoken.py)."""

ANSWERS: tuple[tuple[str, ...], ...] = (
    ("yes",), ("no",), ("not really",), ("only when i sit for a long time",),
    ("seventy five",), ("three nights a week",),
    # Said with a pause inside: the listener must not end the answer there.
    ("um", "yes"), ("seventy", "five"), ("no", "only in the evening"),
)
PAUSE = 0.5
"""Seconds of pause inside the answers of more than one part (under the 0.8 s end silence)."""
LEAD, TAIL, ALONE = 1.5, 2.0, 10.0
END_SILENCE = 0.8
THRESHOLDS = (0.3, 0.5, 0.7)
QUIET_HISS = 20.0
"""RMS of the white hiss of a quiet room's microphone (int16 units)."""


@dataclass(frozen=True)
class Item:
    text: str
    voice: str
    clean: numpy.ndarray
    half: str


@dataclass(frozen=True)
class Result:
    ended: float | None
    """Where listening stopped, seconds into the stream (None: no answer heard)."""
    speech_end: float
    start_clipped: bool
    """The first audio handed on began after the answer's first speech sample."""
    cpu: float
    heard: float


def speech_bounds(samples: numpy.ndarray, rate: int = SAMPLE_RATE) -> tuple[float, float]:
    """First and last 10 ms of the clean signal within 40 dB of its loudest 10 ms, in seconds.

    A fixed share of the loudest frame, not an absolute level, so a quiet voice's last
    consonant counts as speech as a loud voice's does."""
    step = rate // 100
    n = len(samples) // step
    if n == 0:
        raise ValueError("no audio to find speech in")
    frames = samples[: n * step].astype(numpy.float64).reshape(n, step)
    rms = numpy.sqrt((frames**2).mean(axis=1))
    loud = numpy.flatnonzero(rms >= rms.max() * 0.01)
    return float(loud[0] * step / rate), float((loud[-1] + 1) * step / rate)


def cut_off(ended: float | None, speech_end: float) -> bool:
    """Listening stopped before the answer did (an unheard answer is counted as missed)."""
    return ended is not None and ended < speech_end - 1e-9


def end_delay(ended: float | None, speech_end: float) -> float | None:
    """Seconds from the last speech sample to the end of listening, for answers heard whole."""
    if ended is None or cut_off(ended, speech_end):
        return None
    return ended - speech_end


class SileroListener(Listener):
    """The listener with Silero's speech probability judged in place of each frame's level."""

    def __init__(self, source: FakeInputStream, threshold: float, end_silence: float) -> None:
        super().__init__(source, end_silence=end_silence)
        self.vad_threshold = threshold
        self._vad = SileroDetector()

    def _thresholds(self) -> Thresholds:
        # A little lower to hold than to start, as the level rule does (Silero's own default).
        return Thresholds(0.0, self.vad_threshold, max(0.05, self.vad_threshold - 0.15))

    def _hear(self, answer: Endpoint, chunk: bytes, chunk_start: float) -> bool:
        probs = []
        for start in range(0, len(chunk), 640):  # two 10 ms frames make a 20 ms frame
            self._vad.probability(chunk[start : start + 320])
            probs.append(self._vad.probability(chunk[start + 320 : start + 640]))
        answer.thresholds = self._thresholds()
        return answer.hear(probs, chunk_start)


def trimmed(samples: numpy.ndarray) -> numpy.ndarray:
    first, last = speech_bounds(samples)
    return samples[round(first * SAMPLE_RATE) : round(last * SAMPLE_RATE)]


def items() -> list[Item]:
    voices = [v for v in VOICES if not v.startswith(FLITE) or have_flite()]
    out = []
    for voice in voices:
        for parts in ANSWERS:
            # Each part trimmed to its speech, so the pause inside is PAUSE and not the
            # synthesiser's padding on top; the whole keeps 0.3 s of silence either side.
            pieces = [trimmed(numpy.frombuffer(pcm(p, voice=voice), dtype="<i2")) for p in parts]
            gap = numpy.zeros(int(PAUSE * SAMPLE_RATE), dtype="<i2")
            pad = numpy.zeros(int(0.3 * SAMPLE_RATE), dtype="<i2")
            joined = [pad, *[x for piece in pieces for x in (piece, gap)][:-1], pad]
            out.append(Item(" ... ".join(parts), voice, numpy.concatenate(joined), ""))
    # One fixed split: every answer and every voice falls in both halves.
    order = list(range(len(out)))
    random.Random("endpointing split").shuffle(order)
    return [
        Item(it.text, it.voice, it.clean, "tuning" if rank % 2 == 0 else "held_out")
        for rank, it in sorted(zip(order, out, strict=True))
    ]


def background(kind: str, n: int, level: float, seed: int) -> numpy.ndarray:
    rng = numpy.random.default_rng(seed)
    if kind == "quiet":
        return QUIET_HISS * rng.standard_normal(n)
    return level * noise(rng, n, "pink")


def stream(item: Item, kind: str, seed: int, snr: float) -> tuple[bytes, float, float, float]:
    """The item inside its background; the room hiss or pink noise level for what follows."""
    clean = item.clean.astype(numpy.float64)
    lead, tail = int(LEAD * SAMPLE_RATE), int(TAIL * SAMPLE_RATE)
    first, last = speech_bounds(item.clean)
    level = float(numpy.sqrt(numpy.mean(clean**2)) / 10 ** (snr / 20))
    signal = numpy.concatenate([numpy.zeros(lead), clean, numpy.zeros(tail)])
    signal += background(kind, len(signal), level, seed)
    audio = numpy.clip(numpy.round(signal), -32768, 32767).astype("<i2").tobytes()
    return audio, LEAD + first, LEAD + last, QUIET_HISS if kind == "quiet" else level


def listener(detector: str, source: FakeInputStream, threshold: float) -> Listener:
    if detector == "levels":
        return Listener(source, end_silence=END_SILENCE)
    return SileroListener(source, threshold, end_silence=END_SILENCE)


def run_one(detector: str, audio: bytes, speech: tuple[float, float], hiss: float,
            threshold: float, timeout: float) -> Result:
    # After the given audio the fake microphone goes on with white noise near the same level.
    source = FakeInputStream(audio, noise_level=hiss)
    ear = listener(detector, source, threshold)
    cpu0 = time.process_time()
    for _ in ear.listen(no_input_timeout=timeout):
        pass
    cpu = time.process_time() - cpu0
    last = ear.last
    assert last is not None
    ended = None if last.outcome == "no_input" else last.ended
    # The answer's audio is contiguous: it began where listening ended, less what was handed on.
    clipped = ended is not None and last.ended - last.yielded_seconds > speech[0] + 1e-9
    return Result(ended, speech[1], clipped, cpu, last.ended)


def score(results: Sequence[Result], alone: Sequence[Result]) -> dict[str, object]:
    delays = [d for r in results if (d := end_delay(r.ended, r.speech_end)) is not None]
    return {
        "n": len(results),
        "cut_off": sum(cut_off(r.ended, r.speech_end) for r in results),
        "start_clipped": sum(r.start_clipped for r in results),
        "missed": sum(r.ended is None for r in results),
        "noise_as_answer": sum(r.ended is not None for r in alone),
        "delay_ms": round(1000 * statistics.median(delays)) if delays else None,
        "cpu_pct": round(100 * sum(r.cpu for r in results) / sum(r.heard for r in results), 1),
    }


def measure(detector: str, threshold: float, kind: str, snr: float, all_items: list[Item],
            runs_alone: int) -> dict[str, dict[str, object]]:
    results: dict[str, list[Result]] = {"tuning": [], "held_out": []}
    for i, item in enumerate(all_items):
        audio, start, end, hiss = stream(item, kind, i, snr)
        results[item.half].append(run_one(detector, audio, (start, end), hiss, threshold, 8.0))
    # The background alone at the median answer's noise level.
    level = statistics.median(
        float(numpy.sqrt(numpy.mean(it.clean.astype(numpy.float64) ** 2))) for it in all_items
    ) / 10 ** (snr / 20)
    alone = []
    for seed in range(runs_alone):
        bed = background(kind, int(ALONE * SAMPLE_RATE), level, 1000 + seed)
        audio = numpy.clip(numpy.round(bed), -32768, 32767).astype("<i2").tobytes()
        hiss = QUIET_HISS if kind == "quiet" else level
        alone.append(run_one(detector, audio, (0.0, 0.0), hiss, threshold, ALONE))
    return {half: score(rows, alone) for half, rows in results.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--alone", type=int, default=3, help="10 s stretches of background alone")
    args = ap.parse_args()
    all_items = items()
    print(f"{len(all_items)} answers ({sum(i.half == 'tuning' for i in all_items)} tuning), "
          f"end silence {END_SILENCE} s, {args.alone} x {ALONE:g} s of background alone")
    print(f"{'detector':<13}{'background':<12}{'half':<10}{'n':>3}{'cut':>4}{'start':>6}"
          f"{'missed':>7}{'noise':>6}{'delay ms':>9}{'cpu %':>6}")
    conditions = [("levels", 0.0)] + [("silero", t) for t in THRESHOLDS]
    for detector, threshold in conditions:
        name = detector if detector == "levels" else f"silero {threshold:g}"
        for kind, snr in (("quiet", 10.0), ("pink", 10.0), ("pink", 5.0)):
            figures = measure(detector, threshold, kind, snr, all_items, args.alone)
            label = kind if kind == "quiet" else f"pink {snr:g} dB"
            for half, f in figures.items():
                print(f"{name:<13}{label:<12}{half:<10}{f['n']:>3}{f['cut_off']:>4}"
                      f"{f['start_clipped']:>6}{f['missed']:>7}{f['noise_as_answer']:>6}"
                      f"{f['delay_ms']!s:>9}{f['cpu_pct']:>6}", flush=True)


if __name__ == "__main__":
    main()
