"""The session between ears and dialog: when a recognised answer is read back for confirmation."""

from __future__ import annotations

import io

from voiceskill import content as content_mod
from voiceskill.dialog import Dialog
from voiceskill.errors import AudioError
from voiceskill.messages import Expectation, Person, Transcript, Utterance
from voiceskill.remembered import voice_user
from voiceskill.session import ConsoleEars, Session
from voiceskill.speech import MIN_VOLUME, Voice
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
U = Understander(CONTENT)
MEDS = Expectation("medications", "medications")
YES_NO = Expectation("yes_no", "urge")


class NoEars:
    def listen(self, expect: Expectation) -> Utterance:
        return Utterance("end")


def session() -> Session:
    return Session(Dialog(CONTENT, Person()), U, NoEars(), out=io.StringIO())


def heard(text: str, confidence: float, engine: str = "pocketsphinx") -> Transcript:
    return Transcript(text=text, confidence=confidence, engine=engine)


def test_spoken_medicine_names_are_always_read_back() -> None:
    understood, confident = session().interpret(heard("sertraline", 0.97), MEDS)
    assert understood.intent == "answer" and understood.value
    assert not confident


def test_spoken_names_at_the_do_you_take_any_question_are_read_back() -> None:
    gate = Expectation("yes_no", "takes_medicines", names_medicines=True)
    understood, confident = session().interpret(heard("yes i take zoloft", 0.97), gate)
    assert [m.name for m in understood.value] == ["sertraline"]  # type: ignore[attr-defined]
    assert not confident
    understood, confident = session().interpret(heard("no", 0.97), gate)
    assert understood.value == "no" and confident


def test_typed_medicine_names_and_spoken_none_are_not_read_back() -> None:
    s = session()
    assert s.interpret(heard("sertraline", 1.0, engine="text"), MEDS)[1]
    understood, confident = s.interpret(heard("none", 0.97), MEDS)
    assert understood.value == [] and confident


def test_spoken_numbers_are_always_read_back() -> None:
    # "seventy" heard as "seventeen" scores as high as a number heard right.
    age = Expectation("number", "age", 12, 110)
    understood, confident = session().interpret(heard("seventeen", 0.99), age)
    assert understood.value == 17 and not confident
    assert session().interpret(heard("seventy", 1.0, engine="text"), age)[1]
    # "Not sure" is no number: nothing to read back.
    understood, confident = session().interpret(heard("i don't know", 0.99), age)
    assert understood.value == "unsure" and confident


def test_other_answers_are_read_back_only_when_unsure() -> None:
    s = session()
    assert s.interpret(heard("yes", 0.9), YES_NO)[1]
    assert not s.interpret(heard("yes", 0.3), YES_NO)[1]
    # A control is acted on at once, whatever the confidence.
    understood, confident = s.interpret(heard("say that again", 0.3), YES_NO)
    assert understood.intent == "repeat" and confident


def test_a_faint_stop_is_asked_about_before_ending() -> None:
    s = session()
    understood, confident = s.interpret(heard("goodbye", 0.65), YES_NO)
    assert understood.intent == "stop" and not confident
    understood, confident = s.interpret(heard("that's enough for tonight", 0.8), YES_NO)
    assert understood.intent == "stop" and confident
    # Other controls are acted on at once: saying something again or explaining costs little.
    assert s.interpret(heard("what do you mean", 0.55), YES_NO) [1]


def test_typed_stop_ends_at_once() -> None:
    understood, confident = session().interpret(heard("stop", 1.0, engine="text"), YES_NO)
    assert understood.intent == "stop" and confident


class VoiceSpeaker:
    """Records each prompt with the voice it was spoken in."""

    def __init__(self) -> None:
        self.voice = Voice()
        self.said: list[tuple[str, Voice]] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.said.append((text, self.voice))


def test_voice_controls_change_the_voice_and_say_so_at_the_limit() -> None:
    speaker = VoiceSpeaker()
    typed = io.StringIO("quieter\n" * 5 + "a bit faster\n")
    s = Session(
        Dialog(CONTENT, Person(), voice=speaker.voice), U, ConsoleEars(typed, io.StringIO()),
        speaker=speaker, out=io.StringIO(), use_voice=voice_user(speaker),
    )
    s.run()
    replies = speaker.said[1:7]
    volumes = [v.volume for _, v in replies[:5]]
    assert volumes == [0.8, 0.6, 0.4, MIN_VOLUME, MIN_VOLUME]
    # The reply is spoken in the new voice, and at the limit it says so instead of pretending.
    assert "more quietly" in replies[3][0]
    assert "as quietly as I can" in replies[4][0] and "more quietly" not in replies[4][0]
    assert "a little faster" in replies[5][0] and replies[5][1].rate == Voice().rate + 20
    # The question is asked again each time: nothing was answered.
    assert all("safety check" in text or "?" in text for text, _ in replies)
    assert s.dialog.answers == {}


class CueSpeaker:
    def __init__(self) -> None:
        self.said: list[tuple[str, bool]] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.said.append((text, then_listen))


def test_the_chime_follows_questions_and_not_the_goodbye() -> None:
    speaker = CueSpeaker()
    typed = io.StringIO("no\nstop\n")
    Session(
        Dialog(CONTENT, Person()), U, ConsoleEars(typed, io.StringIO()), speaker=speaker,
        out=io.StringIO(),
    ).run()
    assert [cue for _, cue in speaker.said[:-1]] == [True] * (len(speaker.said) - 1)
    text, cue = speaker.said[-1]
    assert "Good night" in text and not cue


class ScriptedEars:
    def __init__(self, turns: list[Utterance]) -> None:
        self.turns = list(turns)

    def listen(self, expect: Expectation) -> Utterance:
        return self.turns.pop(0) if self.turns else Utterance("end")


TV = Transcript(text="", confidence=0.0, engine="pocketsphinx", rejected=True,
                heard="and in football the home side came from behind")


def test_sound_that_never_stops_asks_for_the_television_to_be_turned_down() -> None:
    out = io.StringIO()
    s = Session(
        Dialog(CONTENT, Person()), U,
        ScriptedEars([Utterance("too_long", TV), Utterance("speech", heard("no", 0.99)),
                      Utterance("speech", heard("yes", 0.99))]),  # the no is read back
        out=out,
    )
    s.run()
    said = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(said) if "turn it down" in line)
    assert "over the sound in the room" in said[at]
    assert "safety check" in said[at + 1]  # the question is asked again straight after
    assert "didn't catch" not in out.getvalue()
    assert s.dialog.answers["red_flag_any"] == "no"


def test_a_long_answer_that_was_understood_is_kept() -> None:
    # A caregiver talking at length, heard clearly: the cap ended it, the answer stands.
    s = Session(
        Dialog(CONTENT, Person()), U,
        ScriptedEars([Utterance("too_long", heard("no", 0.99)),
                      Utterance("speech", heard("yes", 0.99))]), out=io.StringIO(),
    )
    s.run()
    assert s.dialog.answers["red_flag_any"] == "no"


def test_the_sound_of_the_room_still_counts_as_a_miss() -> None:
    # Told once to turn it down; if the sound goes on, the check-in does not go round and
    # round: at the safety question, an answer lost twice counts as not sure, and each
    # warning sign is asked on its own.
    out = io.StringIO()
    s = Session(
        Dialog(CONTENT, Person()), U,
        ScriptedEars([Utterance("too_long", TV), Utterance("too_long", TV)]),
        out=out,
    )
    s.run()
    assert out.getvalue().count("turn it down") == 1
    assert s.dialog.answers["red_flag_any"] == "unsure"
    assert "Is there chest pain, or trouble breathing?" in out.getvalue()


def test_the_sound_of_the_room_during_a_read_back_says_so_and_reads_back_again() -> None:
    out = io.StringIO()
    s = Session(
        Dialog(CONTENT, Person()), U,
        ScriptedEars([
            Utterance("speech", heard("no", 0.5)),  # faint: read back first
            Utterance("too_long", TV),
            Utterance("speech", heard("yes", 0.99)),
        ]),
        out=out,
    )
    s.run()
    said = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(said) if "turn it down" in line)
    assert "Is that right?" in said[at + 1]
    assert s.dialog.answers["red_flag_any"] == "no"


class BrokenSpeaker:
    def __init__(self) -> None:
        self.calls = 0

    def say(self, text: str, then_listen: bool = True) -> None:
        self.calls += 1
        raise AudioError("speech output: the default sound output could not be opened")


def test_a_speaker_that_fails_is_reported_once_and_the_check_in_goes_on_in_text() -> None:
    out = io.StringIO()
    broken = BrokenSpeaker()
    Session(Dialog(CONTENT, Person()), U, NoEars(), speaker=broken, out=out).run()
    text = out.getvalue()
    assert broken.calls == 1
    assert text.count("(Speech output stopped working: the default sound output could not be "
                      "opened. I'll carry on in text.)") == 1, text
    assert "Good night." in text


def test_a_voice_control_that_changes_nothing_again_and_again_is_not_a_loop() -> None:
    """An answer misheard as "quieter" every time, at the quietest: twice it says so, then
    it counts as not understood (examples), then the question is left."""
    speaker = VoiceSpeaker()
    typed = io.StringIO("no\nsixty\nno\n" + "quieter\n" * 9)
    s = Session(
        Dialog(CONTENT, Person(), voice=speaker.voice), U, ConsoleEars(typed, io.StringIO()),
        speaker=speaker, out=io.StringIO(), use_voice=voice_user(speaker),
    )
    s.run()
    said = [text for text, _ in speaker.said]
    at_urge = said[: next(i for i, t in enumerate(said) if "let's move on" in t)]
    assert sum("as quietly as I can" in t for t in at_urge) == 2, said
    assert any("didn't catch that" in t for t in said), said
    assert s.dialog.answers.get("urge") == "unknown"


def test_a_spoken_no_to_a_warning_sign_is_read_back_whatever_the_confidence() -> None:
    out = io.StringIO()
    s = Session(
        Dialog(CONTENT, Person()), U,
        ScriptedEars([Utterance("speech", heard("no", 0.99)),
                      Utterance("speech", heard("no", 0.99)),
                      Utterance("speech", heard("yes", 0.99))]),
        out=out,
    )
    s.run()
    said = out.getvalue()
    assert said.count("I heard no. Is that right?") == 1, said
    # Corrected: the safety question is asked again, and a yes then asks each sign.
    assert said.count("First, a safety check") == 2, said
    assert s.dialog.answers["red_flag_any"] == "yes"
