"""A whole spoken check-in: generated answer recordings go through the real microphone
listener (fed by a device-like fake stream), the real embedded recogniser, the real
understanding and the real dialog."""

from __future__ import annotations

import io

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import Dialog
from voiceskill.messages import Expectation, Person
from voiceskill.mic import Listener
from voiceskill.session import Heard, Session
from voiceskill.testing.microphone import FakeInputStream
from voiceskill.testing.speech import need_espeak, pcm
from voiceskill.understanding import Understander
from voiceskill.voice import VoiceEars

pytestmark = pytest.mark.voice

SILENCE = b"\x00\x00" * 16000


@pytest.fixture(scope="module")
def recognizer():  # type: ignore[no-untyped-def]
    pytest.importorskip("pocketsphinx")
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    return SphinxRecognizer()


class ScriptedEars(VoiceEars):
    """A person answering the question they are asked, by its id, as they would at the
    bedside: their recording reaches the microphone only once the skill is listening.
    Each id maps to what they say on each asking (the last entry is said again if asked
    more often); ``None`` is saying nothing. A read-back ("I heard yes. Is that right?")
    is answered "yes" unless answers are given for it ("age:confirm")."""

    def __init__(
        self, answers: dict[str, list[str | None]], stream: FakeInputStream, **kw: object
    ) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.answers = {k: list(v) for k, v in answers.items()}
        self.stream = stream
        self.heard: list[tuple[str, str, str]] = []

    def listen(self, expect: Expectation) -> Heard:
        qid = expect.question_id
        if qid.endswith(":confirm") and qid not in self.answers:
            answer: str | None = "yes"
        elif qid not in self.answers:
            return Heard("end")
        else:
            queue = self.answers[qid]
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if answer is not None:
            self.stream.feed(SILENCE[: 2 * 4000] + pcm(answer, rate=140) + SILENCE)
        heard = super().listen(expect)
        text = heard.transcript.text if heard.transcript else ""
        self.heard.append((qid, answer or "", text))
        return heard


def run_spoken(recognizer, answers: dict[str, list[str | None]], person: Person | None = None):  # type: ignore[no-untyped-def]
    need_espeak()
    content = content_mod.load()
    understander = Understander(content)
    stream = FakeInputStream(noise_level=30.0)
    listener = Listener(stream, unmute_guard=0.0)
    ears = ScriptedEars(
        answers,
        stream,
        listener=listener,
        recognizer=recognizer,
        understander=understander,
        no_input_timeout=2.0,
    )
    dialog = Dialog(content, person or Person())
    out = io.StringIO()
    session = Session(dialog, understander, ears, out=out)
    result = session.run()
    return result, dialog, ears, out.getvalue()


def test_whole_spoken_checkin_with_restless_legs(recognizer) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["no"],
        "age": ["well sixty eight"],  # answers begun with a sound, as people do
        "male": ["a woman"],  # an answer in words of the question's own
        "urge": ["yes i do"],  # a short reply that echoes the question
        "worse_at_rest": ["oh yes"],
        "relief_moving": ["yes"],
        "worse_evening": ["yes"],
        "position_once": ["no"],
        "nights_per_week": ["every night"],
        "cramps": ["no"],
        "swelling_joints": ["no"],
        "takes_medicines": ["yes"],
        "medications": ["sertraline"],  # a list of names; heard names are read back
        "caffeine_alcohol": ["no"],
        "stress": ["well no"],
        "low_iron": ["yes"],
        "kidney_disease": ["no i don't"],
        "kicking": ["no"],
        "snoring": ["no"],
        "numb_burning": ["no"],
        "details": ["tell me more"],  # after the summary
    }
    result, dialog, ears, said = run_spoken(recognizer, answers)
    assert "Here are the details." in said, ears.heard
    assert dialog.done and not dialog.stopped_early, ears.heard
    causes = {f.cause: f.likelihood for f in result.likely_triggers}
    assert causes.get("restless_legs_syndrome") == "high", (ears.heard, causes)
    assert "iron_deficiency" in causes, ears.heard
    assert dialog.answers["red_flag_any"] == "no", ears.heard
    assert dialog.answers["age"] == 68, ears.heard
    assert dialog.answers["nights_per_week"] == 7, ears.heard
    assert dialog.answers["takes_medicines"] == "yes", ears.heard
    assert dialog.answers["urge"] == "yes" and dialog.answers["kidney_disease"] == "no", ears.heard
    assert dialog.answers["worse_at_rest"] == "yes" and dialog.answers["stress"] == "no", ears.heard
    meds = dialog.answers["medications"]
    assert [m.name for m in meds] == ["sertraline"], ears.heard
    assert "not a diagnosis" in said
    # Spoken numbers and medicine names are read back, whatever the confidence.
    read_backs = {qid for qid, _, _ in ears.heard if qid.endswith(":confirm")}
    assert {"age:confirm", "nights_per_week:confirm", "medications:confirm"} <= read_backs
    # Most answers understood the first time: a long check-in is not a test of patience.
    asked = [qid for qid, _, _ in ears.heard if not qid.endswith(":confirm")]
    assert len(asked) <= len(answers) + 2, ears.heard


def test_spoken_controls_and_silence(recognizer) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["say that again", "no"],  # the safety question is repeated
        "age": [None, "seventy"],  # silence: asked again, patiently
        "urge": ["stop"],  # the summary of what was answered
    }
    result, dialog, ears, said = run_spoken(recognizer, answers)
    assert dialog.done and dialog.stopped_early, ears.heard
    assert said.count("First, a safety check") >= 2, ears.heard
    assert "I didn't hear anything" in said
    assert result.answers.get("red_flag_any") == "no", ears.heard
    assert result.answers.get("age") == 70, ears.heard


def test_a_misheard_number_is_corrected_in_one_breath(recognizer) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["no"],
        "age": ["sixty"],
        "age:confirm": ["no seventy five", "yes"],
        "urge": ["stop"],
    }
    result, _dialog, ears, said = run_spoken(recognizer, answers)
    assert result.answers.get("age") == 75, ears.heard
    assert "I heard 60. Is that right?" in said and "I heard 75. Is that right?" in said
    # The question itself was asked once: the correction took its place.
    assert [qid for qid, _, _ in ears.heard].count("age") == 1, ears.heard


def test_unrelated_talk_is_not_taken_as_an_answer(recognizer) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["turn on the lights in the kitchen", "what is the weather like tomorrow"],
    }
    result, _, ears, said = run_spoken(recognizer, answers)
    # Not an answer, so never yes or no; at the safety question it counts as not sure, and
    # each warning sign is asked on its own.
    assert result.answers.get("red_flag_any") == "unsure", ears.heard
    assert "Is there chest pain, or trouble breathing?" in said


def test_caregiver_spoken_checkin_numbers(recognizer) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["no"],
        "age": ["she's sixty eight"],  # an age said as a sentence
        "urge": ["yes"],
        "worse_at_rest": ["yes"],
        "relief_moving": ["yes"],
        "worse_evening": ["yes"],
        "position_once": ["no"],
        "nights_per_week": ["every night"],
    }
    _, dialog, ears, said = run_spoken(
        recognizer, answers, Person(caregiver=True, name="Rose", pronoun="she")
    )
    assert "How old is Rose?" in said
    assert dialog.answers.get("age") == 68, ears.heard
    assert dialog.answers.get("nights_per_week") == 7, ears.heard
    assert "pregnant" not in said


def test_each_answer_is_logged_for_troubleshooting(recognizer, caplog) -> None:  # type: ignore[no-untyped-def]
    # `voiceskill checkin --verbose` shows, for every answer, what the microphone detected and
    # what the recogniser made of it: the first thing to look at when answers go unheard.
    caplog.set_level("INFO", logger="voiceskill.voice")
    answers: dict[str, list[str | None]] = {"red_flag_any": ["no"], "age": [None]}
    run_spoken(recognizer, answers)
    lines = [r.getMessage() for r in caplog.records if r.name == "voiceskill.voice"]
    assert any(m.startswith("red_flag_any: speech") and "heard 'no'" in m for m in lines), lines
    assert any(m.startswith("age: no_input") for m in lines), lines


def test_spoken_voice_controls(recognizer) -> None:  # type: ignore[no-untyped-def]
    # Each control is said at the same question: it changes the voice and asks again.
    answers: dict[str, list[str | None]] = {
        "red_flag_any": ["quieter", "quieter", "too slow", "slower", "no"],
        "age": ["stop"],
    }
    result, _, ears, said = run_spoken(recognizer, answers)
    assert [text for qid, _, text in ears.heard if qid == "red_flag_any"] == [
        "quieter", "quieter", "too slow", "slower", "no"
    ], ears.heard
    assert said.count("I'll speak more quietly") == 2, said
    assert "I'll speak a little faster" in said and "I'll speak more slowly" in said
    assert result.answers.get("red_flag_any") == "no", ears.heard
