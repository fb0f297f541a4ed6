"""One recognition in the listed-phrase benchmark, and what the check-in would do with it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from voiceskill.audio import CHUNK_BYTES, chunks
from voiceskill.messages import Expectation, Understood
from voiceskill.session import Heard


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


class TimedAudio:
    """Yields chunks and notes when the last one was taken: the end of the answer."""

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.ended = 0.0

    def __iter__(self) -> Iterator[bytes]:
        yield from chunks(self.audio, CHUNK_BYTES)
        self.ended = time.perf_counter()
