"""Warning signs in a person's own words: how a clause that ends by saying how a thing is
("breathing is fine", "not breathing well") is read. A miss here either sends someone to
call for help who is well, or lets a warning sign pass as a no."""

from __future__ import annotations

import pytest

from voiceskill import content as content_mod
from voiceskill import symptoms

FLAGS = content_mod.load().red_flags
BREATHING, STROKE, CALF = "red_flag_breathing", "red_flag_stroke", "red_flag_calf"


@pytest.mark.parametrize("said", [
    "I'm not breathing well", "my breathing isn't good", "I can't breathe properly",
    "no, I'm not breathing right", "my breathing's not normal at all",
])
def test_a_denied_well_affirms_the_sign(said: str) -> None:
    affirmed, denied = symptoms.mentioned(said, FLAGS)
    assert BREATHING in affirmed and BREATHING not in denied


@pytest.mark.parametrize("said", ["my leg is not swollen", "my chest isn't painful"])
def test_a_negation_between_the_signs_words_denies_it(said: str) -> None:
    affirmed, denied = symptoms.mentioned(said, FLAGS)
    assert denied and not affirmed


@pytest.mark.parametrize("said", [
    "No, I'm breathing fine.", "no, breathing is normal", "breathing fine, thanks",
    "my breathing is okay really",
])
def test_a_sign_said_to_be_fine_is_denied(said: str) -> None:
    affirmed, denied = symptoms.mentioned(said, FLAGS)
    assert BREATHING in denied and not affirmed


@pytest.mark.parametrize("said, flag", [
    # The last word decides: a side, an amount or an "ok" first says nothing about being fine.
    ("my right calf is swollen", CALF),
    ("ok so my calf is swollen", CALF),
    ("my calf is a good bit swollen", CALF),
    ("my arm went numb as well", STROKE),
    # "Fine now" can mean it was not, earlier tonight.
    ("my breathing is fine now", BREATHING),
    # A fine clause does not cancel a sign in another one.
    ("breathing is fine but my chest hurts", BREATHING),
    # "Right" as a side says nothing about being fine.
    ("my calf is swollen on the right", CALF),
    ("the swollen calf is my right", CALF),
    # "Myself" after a deed says nothing about being well.
    ("I wet myself", "red_flag_saddle"),
])
def test_only_a_clause_ending_on_being_fine_denies(said: str, flag: str) -> None:
    affirmed, _ = symptoms.mentioned(said, FLAGS)
    assert flag in affirmed


@pytest.mark.parametrize("said, unwell", [
    ("I don't feel well", True), ("I'm not feeling right", True),
    ("no, but he's not himself tonight", True),
    ("she isn't herself", True), ("things aren't great", True),
    ("no, I feel well", False), ("no, I'm fine", False), ("I'm not sure", False),
    ("not that I know of", False),
])
def test_unwell_is_a_denied_well_without_a_sign(said: str, unwell: bool) -> None:
    assert symptoms.unwell(said) is unwell


@pytest.mark.parametrize("said, flag", [
    ("my calf is killing me", CALF), ("his calf is in agony", CALF),
    ("I can't feel my arm", STROKE), ("she cannot move her hand", STROKE),
    ("he couldn't feel his face", STROKE),
])
def test_signs_said_as_people_say_them(said: str, flag: str) -> None:
    affirmed, _ = symptoms.mentioned(said, FLAGS)
    assert flag in affirmed


@pytest.mark.parametrize("said", [
    # Said of restless legs: a leg that cannot be kept still is no stroke sign.
    "I can't stop moving my legs", "I can't keep my legs still",
    # Legs that hurt, without a calf, are asked about one sign at a time.
    "my legs are killing me",
])
def test_restless_legs_said_strongly_are_no_sign(said: str) -> None:
    affirmed, _ = symptoms.mentioned(said, FLAGS)
    assert not affirmed


@pytest.mark.parametrize("said, question, fine", [
    ("I'm breathing okay", BREATHING, True), ("I'm breathing alright", None, True),
    ("she's alright", None, True), ("his calf is ok", CALF, True),
    ("everything's okay", None, True),
    # Something besides being fine: not a denial.
    ("the pain's okay", CALF, False), ("it hurts but it's okay", CALF, False),
    ("I'm okay now", None, False), ("my calf is killing me", CALF, False),
    ("I'm not okay", None, False),
])
def test_fine_is_a_denial_said_without_a_no(said: str, question: str | None,
                                            fine: bool) -> None:
    assert symptoms.fine(said, FLAGS, question) is fine


def _understood(said: str, question: str) -> object:
    from voiceskill.dialog import expectation
    from voiceskill.messages import Person
    from voiceskill.understanding import Understander

    content = content_mod.load()
    u = Understander(content).understand(said, expectation(content.question(question), Person()))
    return u.value if u.intent == "answer" else u.intent


@pytest.mark.parametrize("said, question, meant", [
    # Hopelessness after a no is never a plain no: not sure, so the crisis lines are read.
    ("not really, but I'm tired of it all", "self_harm", "unsure"),
    ("no, but some days I don't see the point", "self_harm", "unsure"),
    ("I'm fine, just tired of everything", "self_harm", "unsure"),
    ("I don't, but I can't go on like this", "self_harm", "unsure"),
    ("he says he can't go on", "self_harm", "yes"),
    ("no, I'd never hurt myself", "self_harm", "no"),
    ("no, I'm not tired of it all", "self_harm", "no"),
    ("no, but I'm tired", "self_harm", "no"),
    ("my calf is killing me", CALF, "yes"), ("it hurts like hell", CALF, "yes"),
    ("no, it doesn't hurt", CALF, "no"),
    ("I can't feel my arm", "red_flag_any", "yes"),
    ("she can't lift her arm", STROKE, "yes"),
    ("I'm breathing okay", "red_flag_any", "no"), ("I'm breathing ok", BREATHING, "no"),
    ("she's breathing alright", BREATHING, "no"), ("he's alright", "red_flag_any", "no"),
    ("yes, but I'm breathing okay", "red_flag_any", "yes"),
    ("she talks about not wanting to wake up", "self_harm", "yes"),
    ("he keeps talking about dying", "self_harm", "yes"),
    ("no, she's never talked about dying", "self_harm", "no"),
    ("she gets puffed out", BREATHING, "yes"), ("I'm out of puff", "red_flag_any", "yes"),
    ("no, she's not puffed out", BREATHING, "no"),
])
def test_safety_answers_read_the_safe_way(said: str, question: str, meant: str) -> None:
    assert _understood(said, question) == meant
