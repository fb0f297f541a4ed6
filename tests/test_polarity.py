"""Two hearings of one answer that disagree on its "not" are asked again (docs/decisions/024)."""

from __future__ import annotations

import pytest

from voiceskill.engines.polarity import negated
from voiceskill.engines.sphinx_checks import negation_lost
from voiceskill.engines.whisper_checks import polarity_differs


@pytest.mark.parametrize(("text", "expected"), [
    ("Oh yes she doesn\u2019t.", True), ("I don't know.", True), ("Nope. Never.", True),
    ("yes and no", True), ("Can say I've noticed.", False), ("Yes I know.", False),
    ("She knows.", False), ("Nothing at all", True), ("yep that's me", False),
])
def test_negation_words(text: str, expected: bool) -> None:
    assert negated(text) is expected


def test_whisper_answers_whose_not_comes_and_goes_are_turned_away() -> None:
    # Heard with the prompt / without it, as Whisper base wrote them on the tuning half.
    assert polarity_differs("Oh yes she doesn't.", "Oh yes, she does.")
    assert polarity_differs("Can say I've noticed.", "Can't say I've noticed.")
    assert polarity_differs("Yep. Not me.", "Yep, that's me.")
    # Both hearings agree, or there is no second hearing: the answer stands.
    assert polarity_differs("No, I don't.", "No. No, I don't.") == ""
    assert polarity_differs("Yes, please.", "Yes please") == ""
    assert polarity_differs("Yes.", "") == ""
    # Without the prompt Whisper often garbles the first short word: a negation that opens
    # the prompted hearing is not doubted for that, nor anything against a one-word hearing.
    assert polarity_differs("Not really sure.", "Ha, really sure.") == ""
    assert polarity_differs("No. Thank God.", "Oh, thank goodness.") == ""
    assert polarity_differs("Got us. No.", ".s0") == ""


def test_a_grammar_answer_that_drops_the_open_pass_negation_is_turned_away() -> None:
    assert negation_lost("a lot", "no ma'am")
    assert negation_lost("that's enough for tonight", "that's not right")
    assert negation_lost("yes i do", "guess not")
    # The grammar kept the negation, or the open pass heard none: no test made.
    assert not negation_lost("no", "no")
    assert not negation_lost("i don't think so", "i don't think so")
    assert not negation_lost("no", "know")
    assert not negation_lost("yes", "")


def test_two_hearings_that_differ_lower_the_confidence() -> None:
    from voiceskill.engines.whisper_checks import agreement

    assert agreement("Yes, please.", "Yes please") == 1.0
    assert agreement("Yes.", "") == 1.0
    assert 0.7 < agreement("I more than to say so.", "I'm more than to say so.") < 1.0
    assert agreement("At night.", "Admoklu") < 0.5


def test_only_a_yes_is_turned_round_by_a_lost_negation() -> None:
    from voiceskill.engines.polarity import affirmed

    assert affirmed("yes i do") and affirmed("she does") and affirmed("sure")
    assert not affirmed("say that again") and not affirmed("start my check in")
    assert not affirmed("no i don't") and not affirmed("a lot")


def test_a_yes_and_a_negation_with_nothing_saying_which_stands_is_mixed() -> None:
    from voiceskill.engines.polarity import mixed

    # As Whisper base wrote answers on the tuning half, a "not" added to a yes.
    assert mixed("Yes. I am not.") and mixed("Yep, not me.")
    assert mixed("Oh yes, I'm not off in my chair.") and mixed("Uh-huh, no feelings.")
    # A contrast or a correction says which stands; an idiom is one answer.
    assert not mixed("No, but actually, yes.") and not mixed("Yes, but not every night.")
    assert not mixed("Yes and no.") and not mixed("Yes, no doubt.")
    # One answer only.
    assert not mixed("Yes.") and not mixed("No, I don't.") and not mixed("Yeah, I doubt it.")


def test_nothing_else_closes_a_list_and_leaves_the_yes_standing() -> None:
    from voiceskill.engines.polarity import mixed

    # As Whisper base wrote "yes, sertraline, nothing else" and the like at the medicines
    # question: the negation is of anything more, not of the yes.
    assert not mixed("Yes. Sertraline. Nothing else.")
    assert not mixed("Yes. Metformin and nothing else.")
    assert not mixed("Yes. Only sertraline. Not anything else.")
    assert not mixed("Yes. Sertraline. Nothing more.")
    assert not mixed("Yes. Serafuel. No others.") and not mixed("Yes, sertraline, none other.")
    # A negation besides the list's end still makes it mixed; "no more" can mean stopped.
    assert mixed("Yes. Sertraline. Nothing else. I don't.")
    assert mixed("Yes. Sertraline. No more.")


def test_a_loop_is_kept_as_one_copy_only_when_the_other_hearing_said_it() -> None:
    from voiceskill.engines.whisper_checks import Heard, loop_confirmed, loop_phrase

    assert loop_phrase("Nope. Never. Nope. Never. Nope. Never. Nope") == "nope never"
    assert loop_phrase("Console. Console Console Console") == "console"
    assert loop_phrase("No, no.") == "" and loop_phrase("Skip this question.") == ""
    looped = Heard("Skip. This question. Skip. This question. Skip. This question.",
                   -0.2, 0.01, 4.0)
    kept = loop_confirmed(looped, "Skip this question.")
    assert kept is not None and kept.text == "skip this question"
    # The prompt said back in a loop, which the hearing without it did not hear.
    echo = Heard("A little. A little. A little. A little.", -0.2, 0.01, 3.3)
    assert loop_confirmed(echo, "a chlorocyte tube") is None
