"""The study of decision 023: what raises detection of "okay nabu" without false wakes
(``python -m benchmarks.wake --study``). The model runs once over each piece of audio with no
window; every window and cut-off is then scored from those probabilities."""

from __future__ import annotations

from typing import Any

import numpy

from benchmarks.wake import BLOCK, ESPEAK, FLITE, RATES, SECOND, noisy, tv_hour
from voiceskill.testing.speech import pcm

STUDY_GAINS = (1.0, 3.0, 8.0)
"""Gains tried before the model (clipped to 16 bits): the generated words already peak near
full scale (about -18 dBFS while voiced), so any gain above ~1.5 also clips them."""
STUDY_WINDOWS = (1, 3, 5, 8)
STUDY_RENDERINGS = ("okay nabu", "OK Nabu", "okay, nabu")


def raw_steps(model: str, audio: bytes, gain: float = 1.0) -> list[tuple[int, float]]:
    """(bytes fed, probability) at each step of the model, without its window, so that any
    window and cut-off can be scored afterwards from one pass over the audio."""
    from collections import deque

    from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model

    if gain != 1.0:
        scaled = numpy.frombuffer(audio, dtype="<i2").astype(numpy.float64) * gain
        audio = numpy.clip(numpy.round(scaled), -32768, 32767).astype("<i2").tobytes()
    net: Any = MicroWakeWord.from_builtin(Model(model))
    net.sliding_window_size = 1
    net._probabilities = deque(maxlen=1)  # the library fixes its window when it loads
    features, out, count = MicroWakeWordFeatures(), [], 0
    for i in range(0, len(audio), BLOCK):
        for f in features.process_streaming(audio[i:i + BLOCK]):
            p = net.process_streaming_prob(f)
            count += 1
            if p is not None and count % net.stride == 0:  # a step every `stride` features
                out.append((i + BLOCK, p))
    net.close()
    return out


def smoothed(steps: list[tuple[int, float]], window: int) -> list[tuple[int, float]]:
    probs = numpy.array([p for _, p in steps])
    sums = numpy.concatenate([[0.0], numpy.cumsum(probs)])
    return [(steps[k][0], float(sums[k + 1] - sums[k + 1 - window]) / window)
            for k in range(window - 1, len(steps))]


def study_hits(steps: list[tuple[int, float]], window: int, cutoff: float) -> int:
    """Wakes in a long recording: after each, a second (33 steps) before the next can count,
    as the loop resets the model and starts again."""
    hits, skip_to = 0, -1
    for k, (_, p) in enumerate(smoothed(steps, window)):
        if k >= skip_to and p > cutoff:
            hits, skip_to = hits + 1, k + 33
    return hits


def study_found(items: list[tuple[str, int, list[tuple[int, float]]]], window: int,
                cutoff: float) -> dict[str, int]:
    """Items found (the first step over the cut-off within a second of the word's end), per
    condition."""
    out = {"quiet": 0, "pink10": 0}
    for condition, end, steps in items:
        first = next((at for at, p in smoothed(steps, window) if p > cutoff), None)
        out[condition] += first is not None and SECOND <= first <= end + SECOND
    return out


def study_items(model: str, text: str, voices: list[str], gain: float,
                pool: list[str] | None = None) -> list[tuple[str, int, list[tuple[int, float]]]]:
    """The items of ``voices``; the noise of each is seeded by its place in ``pool`` (the
    family's whole list), as in ``wake.detection``."""
    items = []
    for condition, snr in (("quiet", None), ("pink10", 10.0)):
        for n, (voice, rate) in enumerate((v, r) for v in pool or ESPEAK + FLITE for r in RATES):
            if voice not in voices:
                continue
            word = pcm(text, voice, rate)
            audio = bytes(SECOND) + word + bytes(SECOND)
            if snr is not None:
                audio = noisy(audio, word, snr, n)
            items.append((condition, SECOND + len(word) - int(0.3 * SECOND),
                          raw_steps(model, audio, gain)))
    return items


def study(minutes: int) -> None:
    """For each gain and rendering and window: the lowest cut-off (0.70 to 0.99) with no
    false wake in the tuning hour (seed 7), and what it finds on the tuning voices; then the
    same cut-off on the held-out voices and hour (seed 11), printed, not used to choose."""
    halves = {"tuning": ESPEAK[::2] + FLITE[::2], "held-out": ESPEAK[1::2] + FLITE[1::2]}
    hours = {"tuning": tv_hour(minutes, 7), "held-out": tv_hour(minutes, 11)}
    print("gain  rendering   window cut-off | tuning: quiet pink false | held-out: quiet pink"
          " false  (of 15, 15, in the hour)")
    for gain in STUDY_GAINS:
        talk = {h: raw_steps("okay_nabu", audio, gain) for h, audio in hours.items()}
        for text in STUDY_RENDERINGS if gain == 1.0 else STUDY_RENDERINGS[:1]:
            items = {h: study_items("okay_nabu", text, v, gain) for h, v in halves.items()}
            for window in STUDY_WINDOWS:
                cutoff = next((c / 100 for c in range(70, 100)
                               if study_hits(talk["tuning"], window, c / 100) == 0), 0.99)
                row = []
                for half in halves:
                    f = study_found(items[half], window, cutoff)
                    row.append(f"{f['quiet']:5d} {f['pink10']:4d} "
                               f"{study_hits(talk[half], window, cutoff):5d}")
                print(f"x{gain:<4.0f} {text:11s} {window:6d} {cutoff:7.2f} | tuning: {row[0]} "
                      f"| held-out: {row[1]}", flush=True)


NEURAL_CUTOFFS = (0.85, 0.88, 0.90, 0.93, 0.95)


def neural_cutoffs(minutes: int) -> None:
    """What each cut-off finds on the neural voices' halves (docs/decisions/028), and its false
    wakes in the formant talk and the neural talk, tuning (seed 7) and held-out (seed 11)
    hours. Printed to weigh the trade; the tuning columns alone may choose."""
    from benchmarks.wake import NEURAL

    halves = {"tuning": NEURAL[::2], "held-out": NEURAL[1::2]}
    items = {h: study_items("okay_nabu", "okay nabu", v, 1.0, NEURAL) for h, v in halves.items()}
    talk = {(who, seed): raw_steps("okay_nabu", tv_hour(minutes, seed, voices))
            for who, voices in (("formant", None), ("neural", NEURAL)) for seed in (7, 11)}
    print("cut-off | neural tuning: quiet pink (of 9, 9) | held-out: quiet pink | false wakes:"
          " formant talk 7 / 11, neural talk 7 / 11")
    for cutoff in NEURAL_CUTOFFS:
        found = {h: study_found(items[h], 5, cutoff) for h in halves}
        false = [study_hits(talk[k], 5, cutoff) for k in
                 (("formant", 7), ("formant", 11), ("neural", 7), ("neural", 11))]
        print(f"{cutoff:7.2f} | tuning {found['tuning']['quiet']:2d} {found['tuning']['pink10']:2d}"
              f" | held-out {found['held-out']['quiet']:2d} {found['held-out']['pink10']:2d}"
              f" | {false[0]} / {false[1]}, {false[2]} / {false[3]}", flush=True)
