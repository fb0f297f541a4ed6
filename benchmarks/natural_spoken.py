"""Natural answers, spoken: the corpus said by synthetic voices, through a real recogniser.

Each answer of ``benchmarks/corpus/`` (see its README) is spoken by one voice of a voice set
(espeak-ng or flite, at 120, 140 or 160 words a minute, with 0 to 0.4 s more silence before
it and 0.8 s after it, the quiet the microphone path ends an answer with), resampled to 16 kHz
mono, in quiet or with pink noise from sox at a signal-to-noise ratio
set from the speech's power. It is recognised as the check-in asks the item's question
(``expectation(question, person)``, with the recogniser's phrases and second try), then
understood and handled as the check-in does (``Session.interpret``: what is read back first
depends on its confidence). Each answer is one of:

- right: the meaning it was labelled with (talk that is not an answer: not taken);
- asked again: rejected by the recogniser or not understood, so asked again with examples;
- wrong, read back first: another meaning, heard with too little confidence to keep unasked;
- wrong and acted on: another meaning, kept (or a control carried out) without asking.

A polarity flip is a yes taken as a no or a no as a yes, read back or not. Latency is from
the end of the audio to the understood reply; peak memory is the process's (VmHWM).

Voices are split like the answers: the held-out half is spoken only with ``HELD_OUT_VOICES``,
which neither ``benchmarks/run.py`` nor any test uses; the tuning half only with
``TUNING_VOICES`` (voices of ``benchmarks/run.py``).

    python -m benchmarks.natural_spoken --engine pocketsphinx --half held_out --sample 200
    python -m benchmarks.natural_spoken --engine whisper --conditions quiet,pink10
    python -m benchmarks.natural_spoken --table benchmarks/out/natural-*.json
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy

from benchmarks.natural_tables import (  # the tables, kept importable from here
    CONDITIONS,
    Result,
    breakdown,
    kind_table,
    summary_table,
)
from benchmarks.natural_tables import OUTCOMES as OUTCOMES
from benchmarks.natural_tables import tallies as tallies
from benchmarks.run import TimedAudio
from benchmarks.typed import HALVES, Item, _said, judge, load
from voiceskill import content as content_mod
from voiceskill.config import Settings
from voiceskill.content import Content
from voiceskill.dialog import Dialog, expectation
from voiceskill.errors import ModelError
from voiceskill.messages import SAMPLE_RATE, Expectation, Person, Transcript, Understood
from voiceskill.recognizer import Recognizer
from voiceskill.session import Heard, Session
from voiceskill.testing import neural_voice
from voiceskill.testing.speech import FLITE, cache_dir, pcm
from voiceskill.understanding import Understander

OUT = Path(__file__).resolve().parent / "out"

TUNING_VOICES = ("en-us", "en-us+f3", "en-gb", f"{FLITE}slt", f"{FLITE}rms")
"""Voices ``benchmarks/run.py`` speaks with, which the grammars were tuned against."""
HELD_OUT_VOICES = ("en-us-nyc", "en-gb-x-gbclan+f4", "en-gb-x-gbcwmd+m5", "en-us+klatt",
                   f"{FLITE}kal")
"""Voices no tuning and no test used: New York, Lancashire (female 4) and West Midlands
(male 5) accents, the Klatt formant synthesiser, and flite's 8 kHz diphone voice."""
NEURAL_VOICES = tuple(neural_voice.VOICES)
"""Neural voices (five Kokoro-82M speakers, Piper joe; ``voiceskill/testing/neural_voice.py``),
nearer people than the formant voices, that no recogniser or understanding was tuned on: a
second set for the held-out half only (the ``neural-voices`` extra, also in ``test``)."""
DEV_VOICES = ("en-029+m4", "en-gb-scotland+f2", "en-us+m7", "en+grandma", "en+klatt2")
"""Voices for the tuning half only, that no tuning, test or ``benchmarks/run.py`` speaker used
(Caribbean male 4, Scottish female 2, American male 7, British "grandma", British with the
Klatt 2 synthesiser): a stand-in for new voices, to check that a rule set on the tuning
voices carries over before the held-out half is measured. espeak-ng ignores a variant after
"en-gb" (``en-gb+f2`` speaks as ``en-gb``), so the British ones are written ``en+``."""
VOICE_SETS = {"tuning": TUNING_VOICES, "held_out": HELD_OUT_VOICES, "neural": NEURAL_VOICES,
              "dev": DEV_VOICES}
ALLOWED = {("tuning", "tuning"), ("tuning", "dev"), ("held_out", "held_out"),
           ("held_out", "neural")}
"""(half, voice set) pairs: the development voices speak the tuning half only, so the held-out
half stays spoken only by voices nothing was chosen on."""
RATES = (120, 140, 160)
ENGINES = ("pocketsphinx", "whisper")
SEED = 20261206


def person_for(text: str) -> Person:
    """Who answers: a caregiver when the answer speaks of "she" or "he" ("she does, yes"), so
    the question listens for a caregiver's replies as the check-in would; else oneself."""
    words = set(re.findall(r"[a-z']+", text.lower()))
    if words & {"she", "she's"}:
        return Person(True, "Rose", "she")
    if words & {"he", "he's"}:
        return Person(True, "Tom", "he")
    return Person()


def sample(items: list[Item], n: int | None, seed: int = SEED) -> list[Item]:
    """``n`` items drawn at random with a fixed seed, in file order (all when ``n`` is None):
    the same items for every engine and condition."""
    if n is None or n >= len(items):
        return list(items)
    chosen = set(random.Random(seed).sample(range(len(items)), n))
    return [item for i, item in enumerate(items) if i in chosen]


@dataclass(frozen=True)
class Spoken:
    voice: str
    rate: int
    lead: float


def speaking(item: Item, voices: Sequence[str]) -> Spoken:
    """The voice, rate and onset an item is said with, fixed by its words."""
    r = random.Random(f"{item.question}|{item.text}|{'|'.join(voices)}")
    return Spoken(r.choice(list(voices)), r.choice(RATES), round(r.uniform(0.0, 0.4), 2))


_PINK: list[numpy.ndarray] = []


def pink_bed(seconds: int = 60) -> numpy.ndarray:
    """A minute of pink noise made by sox (repeatable), with unit power. Made once."""
    if not _PINK:
        out = cache_dir() / f"pink-{seconds}s.wav"
        if not out.exists():
            cache_dir().mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(".tmp.wav")
            subprocess.run(["sox", "-R", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16",
                            "-e", "signed-integer", str(tmp), "synth", str(seconds),
                            "pinknoise", "vol", "0.5"], check=True, capture_output=True)
            tmp.replace(out)
        from voiceskill.audio import read_wav

        bed = numpy.frombuffer(read_wav(out), dtype="<i2").astype(numpy.float64)
        _PINK.append(bed / float(numpy.sqrt(numpy.mean(bed**2))))
    return _PINK[0]


SYNTH_PAD = 0.3
"""Seconds of silence the synthesised file has each side of the speech (``speech.synth``)."""
TRAIL = Settings().end_silence - SYNTH_PAD
"""Silence added after the synthesised file, so that the recogniser gets what the microphone
path hands it: the listener ends an answer only after ``end_silence`` (0.8 s) of quiet and
passes that quiet on with the speech (``mic.Listener.listen``). Before decision 033 the
benchmark gave 0.3 s."""


def audio_for(item: Item, spoken: Spoken, snr: float | None, trail: float = TRAIL) -> bytes:
    """The answer with its extra silence before and ``trail`` seconds more after it, and pink
    noise at ``snr`` dB over all of it (the level set from the power of the synthesised file:
    speech with 0.3 s pads each side)."""
    clean = numpy.frombuffer(pcm(item.text, voice=spoken.voice, rate=spoken.rate), dtype="<i2")
    samples = numpy.concatenate([numpy.zeros(int(spoken.lead * SAMPLE_RATE)),
                                 clean.astype(numpy.float64),
                                 numpy.zeros(round(trail * SAMPLE_RATE))])
    if snr is not None:
        power = float(numpy.mean(clean.astype(numpy.float64) ** 2))
        bed = pink_bed()
        digest = hashlib.sha1(f"{item.question}|{item.text}".encode()).digest()
        start = int.from_bytes(digest[:4], "big") % len(bed)
        stretch = bed[(start + numpy.arange(len(samples))) % len(bed)]
        samples = samples + (power / 10 ** (snr / 10)) ** 0.5 * stretch
    return bytes(numpy.clip(numpy.round(samples), -32768, 32767).astype("<i2").tobytes())


class _NoEars:
    def listen(self, expect: Expectation) -> Heard:
        return Heard("end")


def score(item: Item, understood: Understood, confident: bool) -> tuple[str, bool]:
    """(one of ``OUTCOMES``, whether it is a polarity flip) for what the check-in made of a
    spoken answer and whether it would keep it without reading it back."""
    verdict, flip = judge(item, understood)
    if verdict == "right":
        return "right", False
    if verdict == "asked":
        return "asked", False
    return ("acted_on" if confident else "read_back"), flip


def build(engine: str, model: str | None = None) -> Recognizer:
    from voiceskill.voice import build_recognizer

    return build_recognizer(Settings(engine=engine, model=model), announce=False)


def run(items: Iterable[Item], recognizer: Recognizer, voices: Sequence[str], condition: str,
        content: Content | None = None, trail: float = TRAIL) -> list[Result]:
    """Every item spoken once, in order, through one recogniser."""
    content = content or content_mod.load()
    understander = Understander(content)
    session = Session(Dialog(content), understander, _NoEars(), out=io.StringIO())
    snr = CONDITIONS[condition]
    results = []
    for item in items:
        spoken = speaking(item, voices)
        audio = audio_for(item, spoken, snr, trail)
        expect = expectation(content.question(item.question), person_for(item.text))
        timed = TimedAudio(audio)
        transcript = recognizer.recognize(timed, expect, understander.phrases(expect),
                                          understander.second_try(expect))
        understood, confident = session.interpret(transcript, expect)
        latency = (time.perf_counter() - timed.ended) * 1000
        outcome, flip = score(item, understood, confident)
        results.append(Result(item.kind, item.question, item.text, item.expect, spoken.voice,
                              condition, transcript.text or f"(rejected: {transcript.heard})",
                              _said(understood), outcome, flip, round(latency, 1),
                              transcript.heard, round(transcript.confidence, 3),
                              getattr(recognizer, "last_open", ""),
                              getattr(recognizer, "last_reason", ""), transcript.alternative,
                              _hypotheses(recognizer, "last_hypotheses"),
                              _hypotheses(recognizer, "last_open_hypotheses"),
                              [[piece, round(p, 4)] for piece, p
                               in getattr(recognizer, "last_probabilities", ())]))
    return results


def _hypotheses(recognizer: Recognizer, name: str) -> list[list[Any]]:
    """Whisper's other hypotheses as [text, mean log-probability] pairs ([] for others)."""
    return [[h.text, round(h.avg_logprob, 3)] for h in getattr(recognizer, name, ())]


def rescore(results: list[Result], content: Content) -> list[Result]:
    """Stored hearings understood again with the current understanding, without the engine:
    quick to try a change of understanding, though the engine's prompt (made from the same
    phrases) and its rejections stay as they were when recorded."""
    understander = Understander(content)
    session = Session(Dialog(content), understander, _NoEars(), out=io.StringIO())
    out = []
    for r in results:
        item = Item(r.kind, r.question, r.text, r.expect, "")
        rejected = r.heard.startswith("(rejected")
        transcript = Transcript("" if rejected else r.heard, r.confidence, engine="whisper",
                                rejected=rejected, heard=r.open_heard,
                                alternative=r.alternative)
        expect = expectation(content.question(r.question), person_for(r.text))
        understood, confident = session.interpret(transcript, expect)
        outcome, flip = score(item, understood, confident)
        out.append(replace(r, said=_said(understood), outcome=outcome, flip=flip))
    return out


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=ENGINES, default="pocketsphinx")
    parser.add_argument("--half", choices=HALVES, default="held_out")
    parser.add_argument("--voices", choices=tuple(VOICE_SETS), default=None,
                        help="voice set (default: the half's own; the held-out half is spoken "
                        "only with held-out voices or the neural ones, the tuning half only "
                        "with tuning voices or the development ones, dev)")
    parser.add_argument("--conditions", default="quiet,pink10",
                        help=f"comma-separated, of {', '.join(CONDITIONS)}")
    parser.add_argument("--sample", type=int, default=None,
                        help="a fixed random sample of this many items (seeded: the same items "
                        "for every engine and condition)")
    parser.add_argument("--model", default=None, help="a Vosk or Whisper model, name or folder")
    parser.add_argument("--out", type=Path, default=None, help="results file (JSON)")
    parser.add_argument("--misses", action="store_true",
                        help="list every answer not taken right (the tuning half only)")
    parser.add_argument("--breakdown", action="store_true",
                        help="with --table: the misses of each kind by cause")
    parser.add_argument("--table", nargs="*", type=Path, default=None,
                        help="print the summary table of these results files and stop")
    parser.add_argument("--beam", type=int, default=None,
                        help="Whisper: decode with this beam size (as --set beam_size=N)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="Whisper: set one of the engine's settings or decoding options "
                        "for this run (a number, true/false or a word), to measure it "
                        "before it is made the default")
    parser.add_argument("--trail", type=float, default=TRAIL,
                        help=f"seconds of silence added after each answer (default {TRAIL:.1f}: "
                        "the microphone path's end of answer)")
    parser.add_argument("--rescore", type=Path, default=None,
                        help="understand the hearings of this results file again, print the "
                        "tables and stop (the engine's rejections stay as recorded)")
    return parser


def report(args: argparse.Namespace) -> None:
    """``--rescore`` or ``--table``: tables from results files, with no engine run."""
    if args.rescore is not None:
        record = json.loads(args.rescore.read_text())
        again = rescore([Result(**r) for r in record["results"]], content_mod.load())
        for condition in CONDITIONS:
            part = [r for r in again if r.condition == condition]
            if part:
                print(f"{record['engine']}, {record['half']}, {condition}, re-understood")
                print(kind_table(part))
                if args.breakdown:
                    print(breakdown(part))
        return
    runs = [json.loads(p.read_text()) for p in args.table]
    print(summary_table(runs))
    if args.breakdown:
        for run_ in runs:
            for condition in CONDITIONS:
                part = [Result(**r) for r in run_["results"] if r["condition"] == condition]
                if part:
                    print(f"\n{run_['engine']}, {run_['half']}, {condition}")
                    print(breakdown(part))


def _value(text: str) -> float | int | bool | str:
    """A ``--set`` value: true/false, a number (whole numbers as int), or else a word."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _print_part(args: argparse.Namespace, voices: str, condition: str,
                part: list[Result]) -> None:
    print(f"{args.engine}, {args.half} half, {voices} voices, {condition}: "
          f"latency median {statistics.median(r.latency_ms for r in part):.0f} ms")
    print(kind_table(part))
    print(breakdown(part))
    if args.misses and args.half == "tuning":
        for r in part:
            if r.outcome != "right":
                print(f"  {r.kind:<11} {r.question:<16} {r.text!r} ({r.voice}): expected "
                      f"{r.expect}, heard {r.heard!r}, got {r.said} [{r.outcome}]")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.rescore is not None or args.table is not None:
        report(args)
        return 0
    voices = args.voices or args.half
    if (args.half, voices) not in ALLOWED:
        parser.error("the held-out half is spoken only with held-out or neural voices, and "
                     "the tuning half only with tuning or development (dev) voices")
    conditions = [c for c in args.conditions.split(",") if c]
    if unknown := set(conditions) - set(CONDITIONS):
        parser.error(f"--conditions: unknown {sorted(unknown)}; use {', '.join(CONDITIONS)}")
    content = content_mod.load()
    items = sample(load(args.half), args.sample)
    started = time.perf_counter()
    before_engine = peak_mb()
    try:
        recognizer = build(args.engine, args.model)
    except ModelError as err:
        parser.exit(2, f"natural_spoken: {err}\n")
    if args.beam is not None:
        args.set.insert(0, f"beam_size={args.beam}")
    for setting in args.set:
        name, _, value = setting.partition("=")
        options = getattr(recognizer, "decoding", None)
        if options is not None and name in {f.name for f in fields(options)}:
            setattr(recognizer, "decoding", replace(options, **{name: _value(value)}))  # noqa: B010
        elif hasattr(recognizer, name):
            setattr(recognizer, name, _value(value))
        else:
            parser.error(f"--set: the engine has no setting {name!r}")
    results: list[Result] = []
    for condition in conditions:
        part = run(items, recognizer, VOICE_SETS[voices], condition, content, args.trail)
        results += part
        _print_part(args, voices, condition, part)
    record = {"engine": args.engine, "half": args.half, "voices": voices,
              "voice_list": list(VOICE_SETS[voices]), "sample": args.sample,
              "items": len(items), "seed": SEED, "trail": args.trail,
              "peak_mb": round(peak_mb(), 1),
              "peak_mb_before_engine": round(before_engine, 1),
              "seconds": round(time.perf_counter() - started, 1),
              "date": time.strftime("%Y-%m-%d", time.gmtime()),
              "results": [asdict(r) for r in results]}
    out = args.out or OUT / f"natural-{args.engine}-{args.half}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=1))
    print(f"peak memory {record['peak_mb']} MB ({before_engine:.0f} MB before the engine was "
          f"built), {record['seconds']} s; wrote {out}")
    print(summary_table([record]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
