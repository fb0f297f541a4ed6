"""Speech benchmark: accuracy, rejection, latency, real-time factor, start-up and memory.

    python benchmarks/run.py                 # everything available on this machine
    python benchmarks/run.py --quick         # two voices, clean and 10 dB, grammar only
    python benchmarks/run.py --engines pocketsphinx

Speech is generated with espeak-ng (several voices and rates, a varying onset) and mixed
with white noise at the given signal-to-noise ratios. Figures are printed, and written to
benchmarks/out/results.json. Targets are in benchmarks/README.md; this script reports, it
does not pass or fail.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if not __package__:
    # Run as a script (python benchmarks/run.py), as the benchmark report says: its modules
    # are imported as the package they are, from the project folder.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.engines_bench import (
    ROOT,
    WebrtcFilter,
    build,
    english_vosk_available,
    peak_memory,
    reply_latency,
    startup,
    vosk_korean,
)
from benchmarks.listed_items import (
    AGE_OPENERS,
    ANSWERS,
    CONTROLS,
    FLITE_VOICES,
    FREE_SNRS,
    LEAD_INS,
    NAMES_A_NUMBER,
    NUMBER_LEAD_INS,
    NUMBERS,
    QUICK_SNRS,
    QUICK_VOICES,
    RATES,
    SNRS,
    UNRELATED,
    UNRELATED_AT_NUMBERS,
    VOICES,
    YES_NO,
    Case,
    cases,
)
from benchmarks.listed_report import report
from benchmarks.noise_beds import NOISES, TV_VOICES, audio_for, level_order, noise, snr_name, tv_bed
from benchmarks.trials import OUTCOMES, NoEars, TimedAudio, Trial, outcome
from voiceskill import content as content_mod
from voiceskill.audio import seconds
from voiceskill.dialog import Dialog
from voiceskill.messages import Understood
from voiceskill.session import Session
from voiceskill.testing.speech import have_flite
from voiceskill.understanding import Understander

__all__ = [  # what other benchmarks and tests take from here
    "AGE_OPENERS", "FLITE_VOICES", "LEAD_INS", "NAMES_A_NUMBER", "NUMBER_LEAD_INS", "OUTCOMES",
    "RATES", "TV_VOICES", "UNRELATED", "UNRELATED_AT_NUMBERS", "VOICES", "YES_NO", "Case",
    "NoEars", "TimedAudio", "WebrtcFilter", "audio_for", "build", "cases", "have_flite",
    "level_order", "noise", "outcome", "snr_name", "tv_bed",
]


def run_accuracy(
    engine: str,
    voices: list[str],
    snrs: list[float | None],
    modes: tuple[str, ...] = ("constrained", "free"),
    options: dict[str, Any] | None = None,
    colour: str = "white",
    groups: tuple[str, ...] = (),
) -> list[Trial]:
    """Every case of ``voices`` (or of ``groups`` only; the others are skipped, not
    reordered) at each of ``snrs``, through one recogniser per mode."""
    content = content_mod.load()
    understander = Understander(content)
    # One recogniser per mode: a recogniser carries state from one answer to the next (its
    # noise filter, cepstral mean), and in a check-in it hears each answer once. Sharing one
    # fed every answer to the phone loop twice and moved the constrained figures.
    recognizers = {mode: build(engine, **(options or {})) for mode in modes}
    session = Session(Dialog(content), understander, NoEars(), out=io.StringIO())
    trials: list[Trial] = []
    for snr in snrs:
        for case in cases(voices):
            if groups and case.group not in groups:
                continue
            audio = audio_for(case, snr, colour)
            truth = understander.understand(case.text, case.expect)
            for mode in modes:
                if mode == "free" and snr_name(snr, colour) not in FREE_SNRS:
                    continue
                constrained = mode == "constrained"
                phrases = understander.phrases(case.expect) if constrained else []
                second = understander.second_try(case.expect) if constrained else []
                timed = TimedAudio(audio)
                cpu0 = time.process_time()
                transcript = recognizers[mode].recognize(timed, case.expect, phrases, second)
                got = (
                    understander.understand(transcript.text, case.expect)
                    if transcript.text
                    else Understood("unknown")
                )
                latency = (time.perf_counter() - timed.ended) * 1000
                cpu = time.process_time() - cpu0
                if case.group.startswith("unrelated"):
                    ok = got.intent == "unknown"
                else:
                    ok = got.intent == truth.intent and got.value == truth.value
                handled = ""
                if mode == "constrained":
                    meant, confident = session.interpret(transcript, case.expect)
                    handled = outcome(case.group, truth, meant, confident)
                trials.append(
                    Trial(
                        engine, mode, case.group, case.voice, snr_name(snr, colour), case.text,
                        transcript.text or transcript.heard, ok, latency, cpu, seconds(audio),
                        handled, None if transcript.rejected else transcript.confidence,
                    )
                )
    return trials


def _accuracy_job(
    args: tuple[
        str, list[str], list[float | None], tuple[str, ...], dict[str, Any], str, tuple[str, ...]
    ],
) -> list[Trial]:
    return run_accuracy(*args)


def run_parallel(
    engine: str,
    voices: list[str],
    snrs: list[float | None],
    modes: tuple[str, ...],
    jobs: int,
    options: dict[str, Any] | None = None,
    colour: str = "white",
    groups: tuple[str, ...] = (),
) -> list[Trial]:
    """run_accuracy with the voices shared out over ``jobs`` processes, one recogniser each."""
    opts = options or {}
    if jobs <= 1 or len(voices) <= 1:
        return run_accuracy(engine, voices, snrs, modes, opts, colour, groups)
    shares = [voices[i::jobs] for i in range(jobs) if voices[i::jobs]]
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        parts = pool.map(
            _accuracy_job, [(engine, s, snrs, modes, opts, colour, groups) for s in shares]
        )
    return [t for part in parts for t in part]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="pocketsphinx,vosk")
    ap.add_argument("--quick", action="store_true",
                    help="two voices, clean and 10 dB, constrained grammar only")
    ap.add_argument("--no-flite", action="store_true",
                    help="espeak-ng voices only (flite voices are used when flite is installed)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="processes for the accuracy runs (voices are shared out)")
    ap.add_argument("--no-noise-filter", action="store_true",
                    help="feed pocketsphinx the noisy audio as it is, for comparison")
    ap.add_argument("--denoise", choices=("wiener", "webrtc", "webrtc-gain"), default="wiener",
                    help="pocketsphinx's noise filter: the hand-written one, or webrtc-noise-gain"
                    " suppression level 2 without or with auto gain (5 dBFS), for comparison")
    ap.add_argument("--noise", choices=NOISES, default="white",
                    help="colour of the noise mixed in (pink stands in for a fan, tv for a "
                    "television talking in the room)")
    ap.add_argument("--snrs", help="noise levels to run, e.g. clean,10,5 (default: all)")
    ap.add_argument("--constrained-only", action="store_true",
                    help="leave out free recognition (the check-in constrains every question)")
    ap.add_argument("--groups", default="",
                    help="item groups to run, e.g. numbers,number_lead_in,unrelated_number "
                    "(default: all; the others are skipped, so recogniser state differs)")
    args = ap.parse_args()
    voices = QUICK_VOICES if args.quick else list(VOICES)
    if not args.quick and not args.no_flite:
        if have_flite():
            voices += FLITE_VOICES
        else:
            print("flite not installed (apt-get install flite): espeak-ng voices only")
    snrs = QUICK_SNRS if args.quick else SNRS
    if args.snrs:
        snrs = [None if x.strip() == "clean" else float(x) for x in args.snrs.split(",")]
    modes: tuple[str, ...] = ("constrained",) if args.quick else ("constrained", "free")
    if args.constrained_only:
        modes = ("constrained",)
    engines = [e for e in args.engines.split(",") if e]
    groups = tuple(g for g in args.groups.split(",") if g)
    sizes: dict[str, list[Any]] = {"answers": ANSWERS, "controls": CONTROLS, "numbers": NUMBERS,
             "unrelated": UNRELATED, "lead_in": LEAD_INS, "number_lead_in": NUMBER_LEAD_INS,
             "unrelated_number": UNRELATED_AT_NUMBERS, "age_opener": AGE_OPENERS}
    if set(groups) - set(sizes):
        ap.error(f"--groups: unknown {sorted(set(groups) - set(sizes))}; known: {sorted(sizes)}")
    n_items = sum(len(items) for g, items in sizes.items() if not groups or g in groups)
    results: dict[str, object] = {
        "voices": voices, "rates": RATES, "snrs": [snr_name(s, args.noise) for s in snrs],
        "items_per_voice": n_items, "noise_filter": not args.no_noise_filter,
        "denoise": args.denoise,
        "groups": list(groups) or "all",
    }
    trials: list[Trial] = []
    for engine in engines:
        if engine == "vosk" and not english_vosk_available():
            print(
                "vosk: no English Vosk model installed; accuracy not measured "
                "(voiceskill model download vosk-model-small-en-us-0.15)"
            )
            continue
        print(
            f"Running {engine}: {n_items} items x {len(voices)} voices x {len(snrs)} noise "
            f"levels, {', '.join(modes)} ...",
            flush=True,
        )
        options: dict[str, Any] = (
            {"noise_filter": False} if engine == "pocketsphinx" and args.no_noise_filter else {}
        )
        if engine == "pocketsphinx" and args.denoise != "wiener":
            options["denoise"] = args.denoise
        trials += run_parallel(
            engine, voices, snrs, modes, args.jobs, options, args.noise, groups
        )
    results["accuracy"] = report(trials)
    for engine in engines:
        if engine == "vosk" and not english_vosk_available():
            continue
        lat = reply_latency(engine)
        p50 = statistics.median(lat)
        p95 = sorted(lat)[int(0.95 * (len(lat) - 1))]
        print(
            f"{engine}: end of answer to reply ready: median {p50:.0f} ms, "
            f"95th percentile {p95:.0f} ms (+ {0.8:.1f} s end-of-answer silence by design)"
        )
        st = startup(engine)
        print(f"{engine}: start-up {st}")
        mem = peak_memory(engine)
        print(f"{engine}: peak memory {mem:.0f} MB")
        results[f"{engine}/reply_ms"] = {"p50": round(p50, 1), "p95": round(p95, 1)}
        results[f"{engine}/startup"] = st
        results[f"{engine}/peak_mb"] = round(mem, 1)
    if "vosk" in engines:
        ko = vosk_korean()
        print(f"vosk on the Korean model (engine figures, not English accuracy): {ko}")
        results["vosk/korean_model"] = ko
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    tag = "" if args.noise == "white" else f"-{args.noise}"
    tag += "" if args.denoise == "wiener" else f"-{args.denoise}"
    if groups:
        tag += "-" + "+".join(groups)  # a part run leaves the full run's files as they are
    (out / f"results{tag}.json").write_text(json.dumps(results, indent=2))
    # Every trial, so that acceptance or read-back thresholds can be re-scored without a re-run.
    (out / f"trials{tag}.json").write_text(json.dumps([dataclasses.asdict(t) for t in trials]))
    print(
        f"\nWrote {out / f'results{tag}.json'} and trials{tag}.json; this process peaked at "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
