"""Safety answers said in a person's own words, spoken and heard by the real Whisper base
model, then read by the check-in: a warning sign or a wish not to be here must come out as
a yes, and "breathing fine" as a no (docs/decisions/036)."""

from __future__ import annotations

import pytest

from voiceskill import content as content_mod
from voiceskill.audio import chunks
from voiceskill.dialog import expectation
from voiceskill.engines.whisper_recognizer import WhisperRecognizer
from voiceskill.messages import Person
from voiceskill.testing.speech import pcm
from voiceskill.understanding import Understander

pytestmark = pytest.mark.voice

CONTENT = content_mod.load()
UNDERSTAND = Understander(CONTENT)

SPOKEN = [
    # (said, question, meaning)
    ("I'm not breathing well", "red_flag_any", "yes"),
    ("No, I'm breathing fine.", "red_flag_any", "no"),
    ("I don't feel well", "red_flag_any", "unsure"),
    ("I've got no strength in my arm", "red_flag_stroke", "yes"),
    ("Sometimes I wish I wasn't here.", "self_harm", "yes"),
]



@pytest.mark.parametrize(("said", "qid", "meaning"), SPOKEN)
def test_safety_answers_in_own_words_are_heard_the_safe_way(
    whisper: WhisperRecognizer, said: str, qid: str, meaning: str
) -> None:
    expect = expectation(CONTENT.question(qid), Person())
    heard = whisper.recognize(chunks(pcm(said, voice="en-gb")), expect,
                              UNDERSTAND.phrases(expect))
    assert not heard.rejected, (heard.heard, whisper.last_reason)
    understood = UNDERSTAND.understand(heard.text, expect)
    assert (understood.intent, understood.value) == ("answer", meaning), heard.text
