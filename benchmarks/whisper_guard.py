"""How often Whisper writes words where nobody spoke, and what the guard lets through.

Clips with no speech in them (digital silence, a quiet room, steady hiss, a fan, mains hum,
noise that rises and falls, knocks) are made with sox and decoded three ways at a yes/no
question, with its real prompt:

* ``bare``: Whisper alone with no prompt, no speech check and no guard;
* ``raw``: Whisper alone with the question's prompt (no speech check, no guard);
* ``signals``: Whisper, then only the guard's judgement of its own signals (no-speech and
  log-probability, compression ratio, the known subtitle phrases);
* ``scored``: the engine as it runs, but with no speech check before decoding: Whisper's
  signals, the two hearings, and expected answers scored against the audio (031);
* ``full``: as the check-in runs it: the energy and voice-activity check first, then the guard.

A clip "invents" when any text comes out. Also timed: spoken answers from end of audio to
transcript, and the process's peak memory.

    python -m benchmarks.whisper_guard [MODEL_DIR]     (from the project root)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from voiceskill import content as content_mod
from voiceskill import whisper_models
from voiceskill.audio import chunks, read_wav
from voiceskill.dialog import expectation
from voiceskill.engines.whisper_checks import judge
from voiceskill.engines.whisper_prompt import build_prompt
from voiceskill.engines.whisper_recognizer import WhisperRecognizer
from voiceskill.messages import Person
from voiceskill.understanding import Understander

NO_SPEECH = {
    "digital silence": "synth 3 sine 0 vol 0",
    "quiet room (white, -60 dB)": "synth 3 whitenoise vol 0.001",
    "white noise -40 dB": "synth 3 whitenoise vol 0.01",
    "white noise -20 dB": "synth 3 whitenoise vol 0.1",
    "pink noise -30 dB": "synth 3 pinknoise vol 0.03",
    "pink noise -10 dB": "synth 3 pinknoise vol 0.3",
    "brown noise -20 dB": "synth 3 brownnoise vol 0.1",
    "fan (low-passed pink)": "synth 3 pinknoise lowpass 400 vol 0.3",
    "mains hum 50 Hz": "synth 3 sine 50 vol 0.05",
    "rising and falling noise": "synth 3 pinknoise vol 0.3 tremolo 1.5 90",
    "breathing-like noise": "synth 3 brownnoise vol 0.2 tremolo 0.4 100",
    "fast flutter": "synth 3 whitenoise vol 0.1 tremolo 6 100",
    "knocks": "synth 0.05 whitenoise vol 0.5 pad 0.5 0 repeat 5 pad 0 0.25",
    "tone beeps": "synth 0.2 sine 880 vol 0.2 pad 0.4 0 repeat 4",
    "low rumble + hiss": "synth 3 brownnoise vol 0.3 lowpass 200 vol 0.5",
    "crackle": "synth 3 whitenoise vol 0.05 tremolo 20 100",
}
ANSWERS = ["I guess so", "not that I've noticed", "yes", "no, not really", "say that again",
           "about seventy", "five nights a week", "yes, I take sertraline"]


def make_clip(folder: Path, name: str, effect: str) -> bytes:
    out = folder / f"{abs(hash(name))}.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                    str(out), *effect.split()], check=True, capture_output=True)
    return read_wav(out)


def hallucinations(rec: WhisperRecognizer, clips: dict[str, bytes]) -> None:
    content = content_mod.load()
    und = Understander(content)
    expect = expectation(content.question("urge"), Person())
    phrases = und.phrases(expect)
    prompt = build_prompt(expect, phrases, rec.medicines(), rec._count_tokens)
    invented = {"bare": 0, "raw": 0, "signals": 0, "scored": 0, "full": 0}
    print(f"{'clip':30} {'bare':16} {'raw (prompt)':16} {'signals':8} {'scored':8} "
          f"{'full':8}")
    for name, pcm in clips.items():
        bare = rec._decode(rec._samples(pcm), "").text.strip()
        heard = rec._decode(rec._samples(pcm), prompt)
        raw = heard.text.strip()
        signals = "" if judge(heard, rec.guard) else raw
        setattr(rec, "_no_speech", lambda *_: "")  # noqa: B010 (the check skipped)
        scored = rec.recognize(chunks(pcm), expect, phrases).text
        del rec._no_speech
        full = rec.recognize(chunks(pcm), expect, phrases).text
        for key, text in (("bare", bare), ("raw", raw), ("signals", signals),
                          ("scored", scored), ("full", full)):
            invented[key] += bool(text)
        print(f"{name:30} {bare[:16]!r:16} {raw[:16]!r:16} {'kept' if signals else '-':8} "
              f"{'kept' if scored else '-':8} {'kept' if full else '-':8}")
    n = len(clips)
    print("invented text: " + ", ".join(f"{k} {v}/{n}" for k, v in invented.items()))


def timing(rec: WhisperRecognizer) -> None:
    from voiceskill.testing.speech import pcm as speak

    content = content_mod.load()
    und = Understander(content)
    waits = []
    for i, text in enumerate(ANSWERS):
        qid = ("urge", "kicking", "urge", "snoring", "urge", "age", "nights_per_week",
               "takes_medicines")[i]
        expect = expectation(content.question(qid), Person())
        audio = speak(text, voice="en-gb")
        started = time.perf_counter()
        tr = rec.recognize(chunks(audio), expect, und.phrases(expect))
        waits.append(time.perf_counter() - started)
        value = und.understand(tr.text, expect) if tr.text else None
        print(f"{text!r:28} -> {tr.text or '(rejected: ' + tr.heard + ')'!r:34} "
              f"{waits[-1]:.2f} s  {value.intent + ' ' + str(value.value) if value else ''}")
    print(f"end of audio to transcript: median {statistics.median(waits):.2f} s, "
          f"max {max(waits):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", help="Whisper model folder (default: installed)")
    args = parser.parse_args()
    folder = Path(args.model) if args.model else whisper_models.find_model()
    if folder is None:
        raise SystemExit(whisper_models.install_hint())
    rec = WhisperRecognizer(folder)
    print(f"{rec.name}, {rec.threads} threads, loaded in {rec.model_load_seconds:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        clips = {name: make_clip(Path(tmp), name, eff) for name, eff in NO_SPEECH.items()}
    hallucinations(rec, clips)
    timing(rec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(f"peak memory (VmHWM): {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
