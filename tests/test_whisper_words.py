"""What is made of Whisper's words without the model: numbers written with their tens and
units side by side, and the choice among expected answers scored against the audio
(docs/decisions/031). The scoring itself, on the real model, is in test_whisper_rescue.py."""

from __future__ import annotations

import math

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.engines.whisper_checks import Heard
from voiceskill.engines.whisper_rescue import (
    Choice,
    Phrases,
    Rescue,
    choose,
    rescue_answer,
    shortlist,
    written,
)
from voiceskill.messages import Expectation, Person
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
UNDERSTAND = Understander(CONTENT)


def _expect(qid: str) -> Expectation:
    return expectation(CONTENT.question(qid), Person())


@pytest.mark.parametrize(("heard", "value"), [
    ("I'm 702.", 72), ("She's 804.", 84), ("702", 72),
    # In range as written, or not tens and units: left as it is.
    ("I'm 107.", 107), ("I'm 72.", 72),
])
def test_tens_and_units_written_side_by_side_are_one_number(heard: str, value: int) -> None:
    said = UNDERSTAND.understand(heard, _expect("age"))
    assert (said.intent, said.value) == ("answer", value)


@pytest.mark.parametrize("heard", ["I'm 800.", "I'm 750.", "I'm 1002."])
def test_other_numbers_out_of_range_stay_out_of_range(heard: str) -> None:
    said = UNDERSTAND.understand(heard, _expect("age"))
    assert said.intent == "unknown" and said.reason == "out_of_range"
    # Nights a week run 0 to 7: "205" read as 25 would still be out of range.
    assert UNDERSTAND.understand("205", _expect("nights_per_week")).intent == "unknown"


def test_phrases_are_written_as_whisper_writes_them() -> None:
    assert written("i think so") == "I think so."
    assert written("that's enough for tonight") == "That's enough for tonight."


def test_the_shortlist_holds_what_looks_like_the_hearing_and_the_plain_answers() -> None:
    pool = Phrases(CONTENT).pool
    short = shortlist(pool, ["Math innately."], 12)
    assert "definitely" in short
    assert {"yes", "no", "i'm not sure"} <= set(short)
    assert "a fair bit" in shortlist(pool, ["Affirmate."], 12)


YES, NO, STOP = ("answer", "yes"), ("answer", "no"), ("stop", "None")


def test_the_best_phrase_is_offered_only_with_a_margin_and_close_to_the_hearing() -> None:
    rescue = Rescue(margin=3.0, slack=4.0)
    scored = [("definitely", YES, -2.0), ("yes", YES, -6.0), ("no", NO, -9.0)]
    assert choose(scored, -1.8, rescue).phrase == "definitely"
    # Another meaning too close behind.
    close = [("definitely", YES, -2.0), ("definitely not", NO, -4.0)]
    assert choose(close, -1.8, rescue).phrase == ""
    # The hearing itself far more likely: an answer outside the list, never forced.
    assert "below what was heard" in choose(scored, 3.0, rescue).why
    assert choose([], 0.0, rescue) == Choice("", "no phrase to score")


def test_only_answers_a_stop_and_repeat_or_help_are_offered() -> None:
    phrases = Phrases(CONTENT)
    urge = _expect("urge")

    def scored(best: str) -> Choice:
        # Scores by the phrase: the one given far ahead of every other.
        def score(tokens: object) -> list[float]:
            texts = list(tokens)  # type: ignore[call-overload]
            return [0.0 if t == [hash(best)] else -20.0 for t in texts[:-1]] + [0.0]

        return rescue_answer(score, lambda p: phrases.meaning(p, urge),
                             lambda t: [hash(t.strip().rstrip(".").lower())],
                             phrases.pool, [Heard("Slo it down.", -0.5, 0.1, 1.0, (1, 2))],
                             Rescue(margin=3.0, slack=4.0))

    assert scored("slow it down").phrase == ""
    assert "without asking" in scored("slow it down").why
    assert scored("no").phrase == "no"
    assert math.isinf(Choice("", "").best)


def test_only_a_hearing_turned_away_for_its_log_probability_or_a_loop_may_be_scored() -> None:
    from voiceskill.engines.whisper_checks import Guard
    from voiceskill.engines.whisper_rescue import may_score

    guard = Guard()
    assert may_score(Heard("Math innately.", -1.3, 0.1, 1.0), "Math innately.", guard)
    assert may_score(Heard("Skip. This. " * 8, -0.2, 0.0, 5.0), "Skip this.", guard)
    # Passed Whisper's signals: turned away for its negation, never scored.
    assert not may_score(Heard("Yep. Not me.", -0.3, 0.02, 1.0), "Yep, not me.", guard)
    # Whisper thought nobody spoke, or wrote what it writes for noise.
    assert not may_score(Heard("No.", -1.3, 0.8, 1.0), "", guard)
    assert not may_score(Heard("Thank you.", -1.3, 0.1, 1.0), "", guard)
    # Low log-probability, but the hearings disagree on a negation or hold a yes and a no.
    assert not may_score(Heard("I certainly didn't.", -1.3, 0.1, 1.0),
                         "I certainly leave him.", guard)
    assert not may_score(Heard("Yes. I am not.", -1.3, 0.1, 1.0), "Yes, I am not.", guard)
