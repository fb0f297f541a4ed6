"""How long the voice ears let one answer run, and when the sound of the room is reported."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

from voiceskill import content as content_mod
from voiceskill.messages import Expectation, Transcript
from voiceskill.mic import Listener
from voiceskill.testing import speech as speechgen
from voiceskill.testing.microphone import FakeInputStream
from voiceskill.understanding import Understander
from voiceskill.voice import LONGEST_ANSWER, VoiceEars

pytestmark = pytest.mark.audio

RATE = 16_000


class CountingRecognizer:
    """Takes the audio as the real engines do, and rejects it (a television is no answer)."""

    name = "counting"

    def __init__(self) -> None:
        self.seconds = 0.0

    def reset(self) -> None:
        self.seconds = 0.0

    def recognize(
        self,
        audio: Iterable[bytes],
        expect: Expectation,
        phrases: Sequence[str],
        second_try: Sequence[str] = (),
    ) -> Transcript:
        self.seconds = sum(len(chunk) for chunk in audio) / (2 * RATE)
        return Transcript(text="", confidence=0.0, engine="fake", rejected=True)


@pytest.fixture(scope="module")
def television() -> bytes:
    """Twenty seconds of talk with no pause long enough to end an answer."""
    speechgen.need_espeak()
    line = speechgen.pcm("and in football the home side came from behind to win", rate=165)
    talk = b""
    while len(talk) < 20 * 2 * RATE:
        talk += line[len(line) // 20 : -len(line) // 20]  # trim most of the padding
    return bytes(2 * RATE // 2) + talk


@pytest.mark.parametrize(
    ("expect", "longest"),
    [
        (Expectation("yes_no", "urge"), LONGEST_ANSWER["yes_no"]),
        (Expectation("number", "age", 18, 110), LONGEST_ANSWER["number"]),
        # "Yes, sertraline, Seroquel and Tylenol PM ..." may take longer.
        (Expectation("yes_no", "takes_medicines", names_medicines=True), 15.0),
        (Expectation("medications", "medication_names"), 15.0),
    ],
)
def test_unbroken_sound_is_cut_at_the_longest_answer_and_reported(
    television: bytes, expect: Expectation, longest: float
) -> None:
    recognizer = CountingRecognizer()
    listener = Listener(FakeInputStream(television), max_answer=15.0)
    ears = VoiceEars(listener, recognizer, Understander(content_mod.load()), 8.0)

    heard = ears.listen(expect)

    assert heard.ended == "too_long" and heard.noisy and heard.rejected
    assert longest <= recognizer.seconds <= longest + listener.preroll + 0.2
