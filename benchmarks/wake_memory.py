"""The long memory run of bedside mode (``python -m benchmarks.wake --memory-hours N``).

N simulated hours through the real loop of `voiceskill listen` (``bedside.loop.Service``):
microWakeWord at its shipped cut-off, and behind it, should anything wake it, Silero VAD,
pocketsphinx constrained to the requests and the real assistant, with the journal in memory
and the replies written down instead of spoken (the speaker is the one fake: a hardware edge).
The microphone is a fake stream read as fast as the loop takes it. Each hour is twenty minutes
each of a quiet room (faint white noise), television-like talk over pink noise (the talk of the
false-wake hour, seed 7) and a fan (pink noise alone, about -40 dBFS); at the start of each
hour the person says "okay nabu" and, once the microphone opens for them, "how was this
week", so the whole path runs (the VAD, the recogniser, a spoken reply). The resident set size
is printed at the end of every hour, with its growth since the end of the first (which holds
what is loaded once: the models, the talk).
"""

from __future__ import annotations

import time
from datetime import datetime

import numpy

from benchmarks.natural_spoken import pink_bed
from benchmarks.wake import SECOND, tv_hour
from voiceskill.messages import SAMPLE_RATE
from voiceskill.testing.microphone import FakeInputStream
from voiceskill.testing.speech import pcm

PART_MINUTES = 20


def rss_mb() -> float:
    """This process's resident set size now (not its peak), from /proc."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def parts() -> list[bytes]:
    """A minute of quiet room, twenty minutes of talk, a minute of fan."""
    rng = numpy.random.default_rng(3)
    quiet = numpy.clip(numpy.round(rng.normal(0, 30, 60 * SAMPLE_RATE)), -32768, 32767)
    fan = numpy.clip(numpy.round(pink_bed() * 330), -32768, 32767)
    return [quiet.astype("<i2").tobytes(), tv_hour(PART_MINUTES, 7),
            fan.astype("<i2").tobytes()]


class Night(FakeInputStream):
    """The room, fed a minute at a time (so the stream's own buffer stays at a minute): each
    part is fed again, from its start, when its twenty minutes come round."""

    def __init__(self) -> None:
        super().__init__()
        self.quiet, self.talk, self.fan = parts()
        self.fed = 0.0  # seconds of audio fed so far
        self.wake_word = bytes(SECOND) + pcm("okay nabu", "en-us", 140) + bytes(SECOND // 4)
        self.request = bytes(SECOND // 2) + pcm("how was this week", "en-us", 140)
        self.asking = False

    def flush(self) -> int:
        # Non-real-time, a flush drops everything fed: the request comes after it, once.
        dropped = super().flush()
        if self.asking:
            self.feed(self.request)
            self.fed += len(self.request) / SECOND
            self.asking = False
        return dropped

    def read(self, frames: int) -> bytes:
        if len(self._pending) < 2 * frames:
            minute = int(self.fed // 60) % (3 * PART_MINUTES)
            if PART_MINUTES <= minute < 2 * PART_MINUTES:
                at = (minute - PART_MINUTES) * 60 * SECOND
                chunk = self.talk[at:at + 60 * SECOND]
            else:
                chunk = self.quiet if minute < PART_MINUTES else self.fan
            if minute == 0:
                chunk, self.asking = self.wake_word + chunk, True
            self.feed(chunk)
            self.fed += len(chunk) / SECOND
        return super().read(frames)


class Mouth:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.said.append(text)


def memory_run(hours: float) -> None:
    from voiceskill import content as content_mod
    from voiceskill.bedside.assistant import Assistant
    from voiceskill.bedside.loop import Service, StreamEars
    from voiceskill.bedside.memory import MemoryJournal
    from voiceskill.bedside.requests import load
    from voiceskill.bedside.settings import BedsideSettings
    from voiceskill.bedside.vad import SileroDetector
    from voiceskill.bedside.wake import MicroWake
    from voiceskill.dialog import Dialog
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    words = load(content_mod.load(None))
    journal, mouth, night = MemoryJournal(), Mouth(), Night()
    print(f"memory run: {hours:g} simulated hours; RSS before the loop {rss_mb():.1f} MB",
          flush=True)

    class Clock:
        def now(self) -> datetime:
            return datetime(2026, 12, 6, 23, 0)

    def no_checkin(dialog: Dialog) -> None:
        raise AssertionError("nobody asked for a check-in")

    def assistant_for(stream: FakeInputStream) -> Assistant:
        return Assistant(words, BedsideSettings(), mouth,
                         StreamEars(stream, SileroDetector(), SphinxRecognizer()),
                         journal, Clock(), no_checkin)

    marks: list[float] = []
    began = time.monotonic()

    def should_stop() -> bool:
        if night.position >= 3600 * (len(marks) + 1):
            marks.append(rss_mb())
            hour = len(marks)
            print(f"hour {hour:3d}: RSS {marks[-1]:7.1f} MB, growth since hour 1 "
                  f"{marks[-1] - marks[0]:+6.1f} MB; wakes {service.wakes}, "
                  f"replies {len(mouth.said)}; "
                  f"{night.position / (time.monotonic() - began):.0f}x real time", flush=True)
        return night.position >= hours * 3600

    service = Service(lambda: night, MicroWake("okay_nabu", "okay nabu"),
                      assistant_for,  # type: ignore[arg-type]
                      lambda: None, Clock(), sleep=lambda s: None, should_stop=should_stop)
    service.run()
    if len(marks) > 1:
        per_hour = (marks[-1] - marks[0]) / (len(marks) - 1)
        print(f"growth after the first hour: {marks[-1] - marks[0]:+.1f} MB in "
              f"{len(marks) - 1} h ({per_hour:+.2f} MB an hour); replies said: {len(mouth.said)}")
