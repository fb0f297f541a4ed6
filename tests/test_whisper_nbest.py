"""The beam's other hypotheses, looked at when what Whisper wrote means nothing: on the real
Whisper base model with speech made by espeak-ng, and the rules on their own
(docs/decisions/033).

The hearings named in the comments are what Whisper base wrote for these clips when this was
written; the assertions are on what the check-in makes of them.
"""

from __future__ import annotations

import pytest

from voiceskill import content as content_mod
from voiceskill.audio import chunks
from voiceskill.config import Settings
from voiceskill.dialog import expectation
from voiceskill.engines.whisper_checks import Guard, Heard, polarity_differs
from voiceskill.engines.whisper_nbest import agreed, usable
from voiceskill.engines.whisper_recognizer import WhisperRecognizer
from voiceskill.interpretation import ReadBack, interpret_transcript
from voiceskill.messages import SAMPLE_RATE, Expectation, Person
from voiceskill.testing.speech import pcm
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
UNDERSTAND = Understander(CONTENT)
POLICY = ReadBack(Settings().confirm_below)
END_QUIET = bytes(2 * round((Settings().end_silence - 0.3) * SAMPLE_RATE))
"""What the microphone path hands on after an answer beyond the 0.3 s the clips end with."""


def _expect(qid: str) -> Expectation:
    return expectation(CONTENT.question(qid), Person())


def _meaning(expect: Expectation):  # type: ignore[no-untyped-def]
    def meaning(text: str) -> tuple[str, str] | None:
        said = UNDERSTAND.understand(text, expect)
        return None if said.intent == "unknown" else (said.intent, str(said.value))
    return meaning



@pytest.mark.voice
@pytest.mark.parametrize(("said", "qid", "voice", "rate", "value"), [
    ("he is seventy-seven", "age", "en-us", 140, 77),  # "He is seven to seven."
    ("eighty one years young", "age", "en-us", 120, 81),  # "A. B. One years young."
])
def test_a_number_the_other_hypotheses_agree_on_is_read_back(
    whisper: WhisperRecognizer, said: str, qid: str, voice: str, rate: int, value: int,
) -> None:
    expect = _expect(qid)
    audio = pcm(said, voice=voice, rate=rate) + END_QUIET
    phrases = UNDERSTAND.phrases(expect)
    try:
        whisper.nbest = False
        before = whisper.recognize(chunks(audio), expect, phrases)
        assert UNDERSTAND.understand(before.text, expect).intent == "unknown"
        whisper.nbest = True
        after = whisper.recognize(chunks(audio), expect, phrases)
    finally:
        whisper.nbest = True
    assert after.heard == before.heard  # the same best hypothesis, now passed over
    understood, confident = interpret_transcript(after, expect, UNDERSTAND.understand, POLICY)
    assert (understood.intent, understood.value) == ("answer", value)
    assert not confident  # read back first


def _heard(text: str, logprob: float = -0.4) -> Heard:
    return Heard(text, logprob, 0.02, 1.0)


def test_a_yes_or_no_found_only_in_a_lower_hypothesis_is_never_taken() -> None:
    # As Whisper base wrote tuning answers (best "Cut." for "huh?", "Let me think.").
    urge = _expect("urge")
    assert agreed(["Yeah."], urge, _meaning(urge)) == ""
    assert agreed(["Not me think."], urge, _meaning(urge)) == ""
    # The same hypotheses offering a stop are taken (a stop is asked about).
    assert agreed(["Can we stop?"], urge, _meaning(urge)) == "Can we stop?"


def test_hypotheses_that_disagree_leave_it_unknown() -> None:
    urge = _expect("urge")
    assert agreed(["Say again.", "Yes."], urge, _meaning(urge)) == ""
    age = _expect("age")
    assert agreed(["I'm 72.", "I'm 74."], age, _meaning(age)) == ""
    assert agreed(["I'm 72.", "I am seventy two.", "I'm sure."], age, _meaning(age)) == "I'm 72."


def test_a_control_carried_out_without_asking_is_never_taken_from_a_lower_hypothesis() -> None:
    urge = _expect("urge")
    assert agreed(["Not so loud."], urge, _meaning(urge)) == ""
    assert agreed(["Go back."], urge, _meaning(urge)) == ""


def test_only_hypotheses_that_pass_the_checks_are_counted() -> None:
    urge = _expect("urge")
    others = [_heard("Say again.", -1.3), _heard("Yep. Not me."), _heard("Stop now."),
              _heard("I can't hear you.")]
    # Turned away by its log-probability, a yes and a no in one, a negation the hearing
    # without the prompt does not have.
    assert usable(others, urge, "I can hear you", Guard()) == ["Stop now."]


def test_a_negation_written_without_its_apostrophe_is_still_a_negation() -> None:
    # Heard so without the prompt: "I dont take any." (and "I don't take any." with it).
    assert polarity_differs("I don't take any.", "I dont take any.") == ""
    assert polarity_differs("I do take any.", "I dont take any.") != ""
    assert polarity_differs("Yes I can.", "yes I cant") != ""

