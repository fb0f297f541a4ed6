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
