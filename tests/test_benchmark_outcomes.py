"""The benchmark's reading of a recognition as what the check-in would do with it."""

from __future__ import annotations

from benchmarks.listed_items import YES_NO
from benchmarks.trials import NoEars, outcome
from voiceskill import content as content_mod
from voiceskill.dialog import Dialog
from voiceskill.messages import Transcript
from voiceskill.session import Session
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
U = Understander(CONTENT)
SESSION = Session(Dialog(CONTENT), U, NoEars())


def handled(group: str, said: str, heard: str, confidence: float, rejected: bool = False) -> str:
    transcript = Transcript(text="" if rejected else heard, confidence=confidence,
                            engine="pocketsphinx", rejected=rejected)
    meant, confident = SESSION.interpret(transcript, YES_NO)
    return outcome(group, U.understand(said, YES_NO), meant, confident)


def test_right_answers_and_read_backs() -> None:
    assert handled("answers", "yep", "yes", 0.9) == "right"
    assert handled("answers", "yep", "yes", 0.55) == "right_read_back"
    assert handled("answers", "yep", "", 0.0, rejected=True) == "asked_again"


def test_wrong_answers_are_told_apart_by_their_cost() -> None:
    assert handled("controls", "help", "nope", 0.9) == "wrong_acted_on"
    assert handled("controls", "help", "nope", 0.55) == "wrong_read_back"
    assert handled("answers", "yes please", "what do you mean", 0.9) == "wrong_control"


def test_unrelated_talk_heard_as_stop_is_asked_about_when_faint() -> None:
    assert handled("unrelated", "set an alarm for seven", "that's enough for tonight",
                   0.6) == "wrong_read_back"
    assert handled("unrelated", "set an alarm for seven", "goodbye", 0.9) == "wrong_acted_on"
    assert handled("unrelated", "turn on the lights", "", 0.0, rejected=True) == "asked_again"


def test_every_answer_begun_with_a_sound_means_an_answer() -> None:
    from benchmarks.listed_items import LEAD_INS

    for said, expect in LEAD_INS:
        meant = U.understand(said, expect)
        assert meant.intent == "answer" and meant.value in ("yes", "no", "unsure"), said
    assert handled("lead_in", "oh no", "oh no", 0.9) == "right"
    assert handled("lead_in", "um no", "um a lot", 0.9) == "wrong_acted_on"


def test_every_number_begun_with_a_sound_means_a_number_in_range() -> None:
    from benchmarks.listed_items import NUMBER_LEAD_INS

    for said, expect in NUMBER_LEAD_INS:
        meant = U.understand(said, expect)
        assert meant.intent == "answer" and isinstance(meant.value, int), said
        assert expect.low is not None and expect.high is not None
        assert expect.low <= meant.value <= expect.high, said
        assert said.split()[0] in CONTENT.vocabulary.listen_for["lead_ins"], said


def test_every_age_said_as_a_sentence_is_an_age_begun_as_its_question_listens_for() -> None:
    from benchmarks.listed_items import AGE_OPENERS

    assert {e.short_answers[0] for _, e in AGE_OPENERS} == {"i'm", "she's", "he's", "they're"}
    for said, expect in AGE_OPENERS:
        assert expect.question_id == "age"
        meant = U.understand(said, expect)
        assert meant.intent == "answer" and isinstance(meant.value, int), said
        assert expect.low is not None and expect.high is not None
        assert expect.low <= meant.value <= expect.high, said
        # Listened for where the check-in listens for it: a caregiver's "she's" with the
        # numbers, the speaker's own "I'm" on the second try.
        tries = (U.phrases(expect), U.second_try(expect))
        heard_in, not_in = tries if expect.openers_with_numbers else tries[::-1]
        assert said in heard_in and said not in not_in, said
    assert {e.openers_with_numbers for _, e in AGE_OPENERS} == {True, False}


def test_unrelated_talk_at_a_number_question_is_no_number() -> None:
    from benchmarks.listed_items import UNRELATED, UNRELATED_AT_NUMBERS

    assert {e.question_id for _, e in UNRELATED_AT_NUMBERS} == {"age", "nights_per_week"}
    assert {t for t, _ in UNRELATED_AT_NUMBERS} <= set(UNRELATED)
    for said, expect in UNRELATED_AT_NUMBERS:
        assert U.understand(said, expect).intent == "unknown", said
    # Taken as a number, it is wrong even when the number is read back first.
    assert outcome("unrelated_number", U.understand("what time is it", YES_NO),
                   U.understand("ninety three", UNRELATED_AT_NUMBERS[0][1]),
                   False) == "wrong_read_back"


def test_groups_added_later_leave_the_earlier_items_where_they_were() -> None:
    from benchmarks.listed_items import cases

    every = [(c.group, c.text, c.rate) for c in cases(["en-us"])]
    later = ["lead_in", "number_lead_in", "unrelated_number", "age_opener"]
    earlier = [c for c in every if c[0] not in later]
    assert every[: len(earlier)] == earlier
    groups = [c[0] for c in every[len(earlier):]]
    assert groups == sorted(groups, key=later.index)
    assert set(groups) == set(later)
