"""Bedside mode: the wake word, false wakes, idle CPU, wake-to-earcon time, and the VAD.

    python -m benchmarks.wake                  # everything, the default wake word
    python -m benchmarks.wake --models all     # every shipped wake word
    python -m benchmarks.wake --tv-minutes 10  # a shorter false-wake run
    python -m benchmarks.wake --study          # feeds, windows and renderings, both halves
    python -m benchmarks.wake --voices all     # the neural voices too (docs/decisions/028)
    python -m benchmarks.wake --memory-hours 4 # RSS through hours of the real loop

Generated speech (espeak-ng and flite voices; with ``--voices neural`` or ``all`` also the
neural family of ``voiceskill/testing/neural_voice.py``: Kokoro-82M's five voices and Piper's
joe; three rates) of each wake word, after a second
of the same background, in quiet and in pink noise 10 dB below the speech. Found means the
model fired between the start of the word and one second after its end. No threshold is tuned
here, except "okay nabu"'s (``voiceskill.bedside.wake.CUTOFFS``): chosen on the tuning voices
(every other voice of each list) and the false-wake hour made with seed 7; the held-out voices
and the hour made with seed 11 (other voices, rates, noise and order for the same lines) were
not looked at to choose it. Both halves are printed.
False wakes: an hour of television-like talk (many voices, sentences that begin with "okay"
among them) over pink noise, through the model. Idle CPU: `voiceskill listen`'s loop reading a
real-time fake microphone for 30 s. Figures are printed; targets are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from datetime import datetime

import numpy

from benchmarks.natural_spoken import pink_bed
from voiceskill.bedside.settings import WAKE_WORDS
from voiceskill.bedside.vad import MicroVadDetector, SileroDetector, Vad
from voiceskill.bedside.wake import MicroWake
from voiceskill.messages import SAMPLE_RATE
from voiceskill.testing.neural_voice import VOICES as NEURAL
from voiceskill.testing.phrases import UNRELATED
from voiceskill.testing.speech import pcm

SECOND = 2 * SAMPLE_RATE
BLOCK = 3200  # 0.1 s, as the loop reads
ESPEAK = ["en-us", "en", "en-us+f3", "en-us+m3", "en+f2", "en-us+f4"]
FLITE = ["flite:slt", "flite:kal", "flite:rms", "flite:awb"]
RATES = [130, 160, 190]
FAMILIES = {"formant": [ESPEAK, FLITE], "neural": [NEURAL]}
"""Each family's lists; every other voice of each list is a tuning voice, the rest held out
(the neural split, made once: tuning jf_alpha, jf_nezumi, jm_kumo; held-out jf_gongitsune,
jf_tebukuro, joe)."""
TV_LINES = [*UNRELATED, "okay so here is what we found", "okay everyone settle down",
            "okay now back to you in the studio", "no but I think he already knew",
            "the match ends one nil after extra time", "a band of rain moves in overnight",
            "let us now turn to the markets", "she said she would call him back later",
            "thank you for watching and good night", "alex are you still there",
            "hey there how are you doing", "my goodness look at that",
            "and the winner of tonight's prize is", "scientists have found a new species",
            "buy one get one free this weekend only", "okay nurse what do we have"]
TV_VOICES = ["en-us", "en", "en-us+m3", "en-us+f3", "en+f2", "flite:slt", "flite:kal",
             "flite:awb", "flite:rms", "en-us+f4"]


def mix(clean: bytes, snr: float | None, seed: int) -> bytes:
    samples = numpy.frombuffer(clean, dtype="<i2").astype(numpy.float64)
    if snr is not None:
        power = float(numpy.mean(samples ** 2))
        bed = pink_bed()
        start = random.Random(seed).randrange(len(bed))
        noise = bed[(start + numpy.arange(len(samples))) % len(bed)]
        samples = samples + (power / 10 ** (snr / 10)) ** 0.5 * noise
    return bytes(numpy.clip(numpy.round(samples), -32768, 32767).astype("<i2").tobytes())


def noisy(audio: bytes, speech: bytes, snr: float, seed: int) -> bytes:
    samples = numpy.frombuffer(audio, dtype="<i2").astype(numpy.float64)
    power = float(numpy.mean(numpy.frombuffer(speech, dtype="<i2").astype(numpy.float64) ** 2))
    bed = pink_bed()
    start = random.Random(seed).randrange(len(bed))
    samples = samples + (power / 10 ** (snr / 10)) ** 0.5 * bed[
        (start + numpy.arange(len(samples))) % len(bed)]
    return bytes(numpy.clip(numpy.round(samples), -32768, 32767).astype("<i2").tobytes())


def family_of(voice: str) -> str:
    return voice.split(":")[0] if ":" in voice else "espeak-ng"


def detection(model: str, words: str, voices: list[str] | None = None
              ) -> dict[str, list[tuple[str, bool, float]]]:
    """Per condition: (voice, found, seconds from the word's end to the detection)."""
    wake = MicroWake(model, words)
    out: dict[str, list[tuple[str, bool, float]]] = {"quiet": [], "pink10": []}
    voices = voices or ESPEAK + FLITE
    for condition, snr in (("quiet", None), ("pink10", 10.0)):
        for n, (voice, rate) in enumerate((v, r) for v in voices for r in RATES):
            word = pcm(words, voice, rate)
            # Noise over the whole of it, set from the power of the word alone.
            audio = bytes(SECOND) + word + bytes(SECOND)
            if snr is not None:
                audio = noisy(audio, word, snr, n)
            wake.reset()
            end = SECOND + len(word) - int(0.3 * SECOND)  # the file ends with 0.3 s of pad
            found, delay = False, 0.0
            for i in range(0, len(audio), BLOCK):
                if wake.process(audio[i:i + BLOCK]):
                    at = i + BLOCK
                    found = SECOND <= at <= end + SECOND
                    delay = (at - end) / SECOND
                    break
            out[condition].append((voice, found, delay))
    return out


def tv_hour(minutes: int, seed: int = 7, voices: list[str] | None = None) -> bytes:
    """``minutes`` of talk: the lines in many voices and rates, a pause of 0.2 to 2 s between
    them, over pink noise 10 to 20 dB below, in a fresh order each pass."""
    rng = random.Random(seed)
    lines = [(t, v, r) for t in TV_LINES for v in voices or TV_VOICES for r in (140, 175)]
    out = bytearray()
    while len(out) < minutes * 60 * SECOND:
        rng.shuffle(lines)
        for text, voice, rate in lines:
            out += bytes(int(rng.uniform(0.2, 2.0) * SECOND) // 2 * 2)
            out += mix(pcm(text, voice, rate), rng.uniform(10, 20), rng.randrange(10**6))
            if len(out) >= minutes * 60 * SECOND:
                break
    return bytes(out[: minutes * 60 * SECOND])


def false_wakes(model: str, words: str, audio: bytes) -> tuple[int, float]:
    wake = MicroWake(model, words)
    hits = 0
    cpu = time.process_time()
    for i in range(0, len(audio), BLOCK):
        if wake.process(audio[i:i + BLOCK]):
            hits += 1
            wake.reset()
    return hits, time.process_time() - cpu


def idle_cpu(seconds: float = 30.0) -> float:
    """Share of one core used by the waiting loop on a real-time microphone (a quiet room)."""
    from voiceskill.bedside.loop import Service
    from voiceskill.testing.microphone import FakeInputStream

    room = mix(bytes(int(seconds + 2) * SECOND), None, 0)
    stream = FakeInputStream(room, realtime=True)
    start_wall, start_cpu = time.monotonic(), time.process_time()

    class Clock:
        def now(self) -> datetime:
            return datetime(2026, 12, 6, 23, 0)

    class Idle:
        reminder = None

    service = Service(lambda: stream, MicroWake("okay_nabu", "okay nabu"),
                      lambda s: Idle(),  # type: ignore[arg-type,return-value]
                      lambda: None, Clock(),
                      should_stop=lambda: time.monotonic() - start_wall > seconds)
    service.run()
    return (time.process_time() - start_cpu) / (time.monotonic() - start_wall)


def vad_figures(vad: Vad, words: list[tuple[str, str]]) -> dict[str, float]:
    """Requests caught whole by ``utterance()`` (from before the first loud frame to after
    the last), in quiet and in pink noise 10 dB down; noise alone (6 s at the same level)
    taken as an utterance; CPU per second of audio fed to the VAD."""
    from voiceskill.bedside.vad import utterance

    out: dict[str, float] = {}
    fed = 0
    cpu = time.process_time()
    for condition, snr in (("quiet", None), ("pink10", 10.0)):
        whole = false = 0
        for n, (text, voice) in enumerate(words):
            clean = pcm(text, voice)
            level = numpy.abs(numpy.frombuffer(clean, dtype="<i2").astype(float))
            frames = level[: len(level) // 160 * 160].reshape(-1, 160).mean(axis=1)
            loud = numpy.nonzero(frames > frames.max() / 30)[0]
            first, last = SECOND + loud[0] * 320, SECOND + (loud[-1] + 1) * 320
            audio = bytes(SECOND) + clean + bytes(3 * SECOND)
            quiet_bed = bytes(6 * SECOND)
            if snr is not None:
                audio = noisy(audio, clean, snr, n)
                quiet_bed = noisy(quiet_bed, clean, snr, n + 1)
            for which, data in (("speech", audio), ("noise", quiet_bed)):
                pos = [0]

                def read(frames: int, data: bytes = data, pos: list[int] = pos) -> bytes:
                    chunk = data[pos[0]:pos[0] + 2 * frames].ljust(2 * frames, b"\0")
                    pos[0] += 2 * frames
                    return chunk

                got = b"".join(utterance(read, vad, timeout=5.0))
                fed += pos[0]
                if which == "noise":
                    false += bool(got)
                else:
                    began = pos[0] - len(got)
                    whole += bool(got) and began <= first and pos[0] >= last
        out[f"whole_{condition}"] = whole / len(words)
        out[f"noise_{condition}"] = false / len(words)
    out["cpu"] = (time.process_time() - cpu) / (fed / SECOND)
    return out


def earcon_start() -> float:
    """Seconds for a whole ``Earcon.play()`` to ALSA's null device (no sound card here): an
    upper bound on the time before its sound starts; the live test measures it on the
    virtual speaker."""
    from voiceskill.bedside.earcon import Earcon

    earcon = Earcon("null")
    times = []
    for _ in range(5):
        began = time.monotonic()
        earcon.play()
        times.append(time.monotonic() - began)
    earcon.close()
    return statistics.median(times)


def report(words: str, result: dict[str, list[tuple[str, bool, float]]],
           tuning: set[str]) -> None:
    """Found per condition, per family and per half, and the voices that missed."""
    for condition, rows in result.items():
        found = sum(f for _, f, _ in rows)
        half = [sum(f for v, f, _ in rows if (v in tuning) == t) for t in (True, False)]
        size = [sum(1 for v, _, _ in rows if (v in tuning) == t) for t in (True, False)]
        by: dict[str, list[bool]] = {}
        for v, f, _ in rows:
            by.setdefault(family_of(v), []).append(f)
        families = ", ".join(f"{k} {sum(x)}/{len(x)}" for k, x in by.items())
        print(f"{words:12s} {condition:7s} found {found / len(rows):6.1%} ({found}/{len(rows)}); "
              f"{families}; tuning voices {half[0]}/{size[0]}, held-out {half[1]}/{size[1]}")
        missed = sorted({v for v, f, _ in rows if not f})
        if missed:
            print(f"{'':21s} missed by: {', '.join(missed)}")
    delays = [d for _, f, d in result["quiet"] if f]
    if delays:
        print(f"{words:12s} detection after the word's end: median "
              f"{statistics.median(delays) * 1000:.0f} ms, worst {max(delays) * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="okay nabu", help="wake words, comma separated, or all")
    ap.add_argument("--voices", default="formant", choices=["formant", "neural", "all"],
                    help="voice families for detection: espeak-ng and flite (formant), the "
                    "neural ones (Kokoro, Piper), or all, each family reported apart")
    ap.add_argument("--tv-minutes", type=int, default=60)
    ap.add_argument("--tv-voices", default="formant", choices=["formant", "neural"],
                    help="who talks in the false-wake hour: espeak-ng and flite, or the "
                    "neural voices")
    ap.add_argument("--seed", type=int, default=11, help="the talk's seed (7: tuning)")
    ap.add_argument("--study", action="store_true",
                    help="only the study of feeds, windows and renderings (docs/decisions/023);"
                    " with --voices neural, the cut-offs on the neural voices (028)")
    ap.add_argument("--memory-hours", type=float, metavar="N",
                    help="only the memory run: N simulated hours through the real loop")
    args = ap.parse_args()
    if args.study:
        from benchmarks.wake_study import neural_cutoffs, study

        if args.voices == "neural":
            neural_cutoffs(args.tv_minutes)  # cut-offs on the neural voices (decision 028)
        else:
            study(args.tv_minutes)
        return
    if args.memory_hours:
        from benchmarks.wake_memory import memory_run

        memory_run(args.memory_hours)
        return
    chosen = list(WAKE_WORDS) if args.models == "all" else args.models.split(",")
    families = list(FAMILIES) if args.voices == "all" else [args.voices]
    print(f"making {args.tv_minutes} minutes of television-like talk ...", flush=True)
    talkers = NEURAL if args.tv_voices == "neural" else TV_VOICES
    tv = tv_hour(args.tv_minutes, args.seed, talkers) if args.tv_minutes else b""
    for words in chosen:
        model = WAKE_WORDS[words.strip()]
        print(f"{words}: cut-off {MicroWake(model, words).cutoff:.2f}")
        for family in families:
            voices = [v for group in FAMILIES[family] for v in group]
            tuning = {v for group in FAMILIES[family] for v in group[::2]}
            report(words, detection(model, words, voices), tuning)
        if not tv:
            continue
        hits, cpu = false_wakes(model, words, tv)
        hours = len(tv) / SECOND / 3600
        print(f"{words:12s} false wakes: {hits} in {hours:.2f} h of talk over pink noise "
              f"({hits / hours:.1f} an hour); model CPU {cpu / (hours * 3600):.2%} of a core")
    if not args.tv_minutes:
        return  # a detection-only run
    others()


def others() -> None:
    """Idle CPU, the earcon, the two VADs and the peak memory of the run."""
    print(f"idle CPU while waiting (real time, 30 s): {idle_cpu():.2%} of one core")
    print(f"earcon played through aplay in {earcon_start() * 1000:.0f} ms (median of 5)")
    requests = [(t, v) for t in ("start my check in", "my legs are twitching", "help me relax",
                                 "what did you say last time", "how was this week", "stop")
                for v in ("en-us", "en-us+f3", "flite:slt", "flite:awb")]
    for name, vad in (("pymicro-vad", MicroVadDetector()), ("silero", SileroDetector())):
        f = vad_figures(vad, requests)
        print(f"VAD {name:11s}: requests caught whole {f['whole_quiet']:.0%} quiet, "
              f"{f['whole_pink10']:.0%} at 10 dB (of {len(requests)}); noise alone taken as "
              f"speech {f['noise_quiet']:.0%} / {f['noise_pink10']:.0%}; "
              f"CPU {f['cpu']:.2%} of a core")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
