"""Natural answers, typed: how the understanding reads answers said in people's own words.

Examples come from the tuning half of the corpus in benchmarks/corpus/ (each test checks
that what it quotes is there). The named defects below are the exception: they were known
before the corpus was split, and three of them fell into the held-out half ("that's not
correct", "no doubt about it", "I'd say no"). Nothing else from the held-out half is quoted;
it is measured by ``python -m benchmarks.typed``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from benchmarks import typed
from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.messages import Expectation, Person, Understood
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "corpus"
CONTENT = content_mod.load(ROOT / "prompts")
U = Understander(CONTENT)
TUNING = {(i.question, i.text): i for i in typed.load("tuning")}


def _at(question: str) -> Expectation:
    return expectation(CONTENT.question(question), Person())


def _read(text: str, question: str = "urge") -> object:
    """The answer value, the control intent, or "unknown"."""
    u = U.understand(text, _at(question))
    return u.value if u.intent == "answer" else u.intent


def _tuning(question: str, text: str) -> str:
    """The label of a tuning item: a test quoting anything else fails."""
    item = TUNING.get((question, text))
    assert item is not None, f"{text!r} at {question} is not in the tuning half"
    return item.expect


# ---- the defects named when natural answers were taken wrongly -----------------------------

DEFECTS = [
    # "right" is a yes only when it is the answer.
    ("red_flag_any", "right now I'm fine", "no"),
    ("numb_burning", "no, it's my right leg", "no"),
    ("kicking", "no, he sleeps right through", "no"),
    # "not ... sure" is not sure; "not" before "correct" makes it a no.
    ("urge", "not at all sure", "unsure"),
    ("relief_moving", "that's not correct", "no"),
    # the "no" of an idiom is no denial; a hedge changes nothing.
    ("urge", "no doubt about it", "yes"),
    ("urge", "I'd say no", "no"),
    ("urge", "absolutely", "yes"),
]


@pytest.mark.parametrize(("question", "text", "meaning"), DEFECTS, ids=[t for _, t, _ in DEFECTS])
def test_named_defects(question: str, text: str, meaning: str) -> None:
    assert _read(text, question) == meaning


def test_right_now_is_never_a_yes() -> None:
    # Said alone, "right now" answers nothing; with "I'm fine" it is a no, never a yes.
    assert _read("right now", "red_flag_any") == "unknown"
    assert _read("right now I'm fine", "red_flag_any") != "yes"


# ---- behaviours, with examples from the tuning half ------------------------------------------

BEHAVIOURS = {
    "negation reaches a yes after it": [
        ("urge", "I don't believe I do"), ("urge", "not even a little"),
        ("kicking", "can't say I've noticed"), ("urge", "I can't say I have"),
        ("urge", "I can't say that I do"), ("cramps", "that's not right"),
        ("relief_moving", "not correct"), ("urge", "I wouldn't say so"),
        ("low_iron", "I wouldn't have thought so"),
    ],
    "double negation is a yes": [
        ("stress", "I can't say I haven't"), ("urge", "it's not unusual for me"),
    ],
    "hedges with so or not": [
        ("urge", "I reckon so"), ("urge", "I would say so"), ("worse_at_rest", "it seems so"),
        ("urge", "I think not"), ("urge", "I suppose not"), ("urge", "guess not"),
        ("diabetes", "fortunately not"), ("urge", "I would say no"),
        ("worse_at_rest", "probably"),
    ],
    "idioms": [
        ("urge", "big time"), ("urge", "spot on"), ("pregnant", "no way"),
        ("kidney_disease", "I doubt it"), ("pregnant", "at my age? no"),
    ],
    "begun with not": [
        ("caffeine_alcohol", "not me"), ("stress", "not especially"), ("urge", "not as such"),
        ("dialysis", "not yet"), ("pregnant", "not likely"),
    ],
    "said between the person and the verb": [
        ("urge", "she certainly does"), ("stress", "I certainly am"),
        ("relief_moving", "it sure does"), ("urge", "I don't really"),
    ],
    "not sure, however it is said": [
        ("urge", "I'm not at all sure"), ("urge", "not really sure"),
        ("kicking", "not entirely sure"), ("cramps", "I'm not positive"),
        ("low_iron", "I haven't a clue"), ("low_iron", "never had it checked"),
        ("worse_at_rest", "yes and no"),
    ],
    "hearsay": [("snoring", "so I'm told"), ("kicking", "so they tell me")],
    "a caregiver's answer": [
        ("urge", "she does, yes"), ("urge", "oh yes she does"),
        ("snoring", "no, I don't think he does"), ("kicking", "no, she sleeps like a log"),
    ],
    "self-correction: the last answer counts": [
        ("urge", "no, but actually, yes"), ("urge", "yeah, I doubt it"),
    ],
    "answers that disagree are not sure": [
        ("relief_moving", "sometimes it does, sometimes it doesn't"),
    ],
}
CASES = [(b, q, t) for b, items in BEHAVIOURS.items() for q, t in items]


@pytest.mark.parametrize(("behaviour", "question", "text"), CASES,
                         ids=[f"{b}: {t}" for b, _, t in CASES])
def test_yes_no_behaviours(behaviour: str, question: str, text: str) -> None:
    assert _read(text, question) == _tuning(question, text)


@pytest.mark.parametrize(("question", "text"), [
    ("urge", "right now"), ("urge", "turn right at the next junction"),
    ("urge", "the right honourable gentleman"), ("urge", "put the telly down a bit"),
    ("urge", "no one expected that result"), ("urge", "Hey Siri, call my daughter"),
    ("age", "Siri, set an alarm for seven"), ("age", "temperatures will reach twenty degrees"),
    ("age", "we need to be up at seven"), ("medications", "side effects may include drowsiness"),
])
def test_talk_that_is_no_answer(question: str, text: str) -> None:
    assert _tuning(question, text) == "unknown"
    assert _read(text, question) == "unknown"


@pytest.mark.parametrize(("question", "text"), [
    ("urge", "what was the question"), ("urge", "huh?"), ("age", "I didn't quite catch that"),
    ("urge", "I'm not sure what you mean"), ("cramps", "I don't follow"),
    ("urge", "scratch that"), ("urge", "move on"), ("stress", "I'll pass"),
    ("urge", "let's do this tomorrow"), ("urge", "forget it"), ("urge", "a little quicker"),
    ("urge", "louder, I'm a bit deaf"), ("urge", "turn the volume down"),
])
def test_controls_in_other_words(question: str, text: str) -> None:
    assert _read(text, question) == _tuning(question, text)


@pytest.mark.parametrize(("question", "text"), [
    ("nights_per_week", "all week"), ("nights_per_week", "no nights"),
    ("nights_per_week", "I've never counted"), ("trimester", "the middle one"),
    ("age", "I'm not sure, about sixty"), ("age", "nearly seventy"),
])
def test_numbers_in_other_words(question: str, text: str) -> None:
    accepted = _tuning(question, text).split("|")
    assert str(_read(text, question)) in accepted


HELD_OUT_TEXTS = {_i.text.lower() for _i in typed.load("held_out")}


@pytest.mark.parametrize(("tuning_text", "caregivers", "meaning"), [
    ("I really don't know", "she really doesn't know", "unsure"),
    ("don't really know", "he doesn't really know", "unsure"),
    ("I don't remember, it was years ago", "she doesn't remember, it was years ago", "unsure"),
    ("I haven't a clue", "she hasn't a clue", "unsure"),
    ("can't say I've noticed", "can't say she's noticed", "no"),
    ("that sounds like me", "that sounds like her", "yes"),
])
def test_a_caregiver_says_it_of_someone_else(tuning_text: str, caregivers: str,
                                             meaning: str) -> None:
    # The same answer said of the person cared for means the same.
    assert caregivers.lower() not in HELD_OUT_TEXTS
    question = next(q for q, t in TUNING if t == tuning_text)
    assert _read(tuning_text, question) == _tuning(question, tuning_text) == meaning
    assert _read(caregivers, question) == meaning


@pytest.mark.parametrize(("question", "heard", "meaning"), [
    # Nobody having said so is a no; Whisper writes "no one's said so" without the "'s".
    ("low_iron", "No one said so.", "no"), ("snoring", "Nobody told me.", "no"),
    ("kicking", "He's never said.", "no"),
    # A negation before a word of hearsay is no hearsay ("I can't tell you" was a yes).
    ("kicking", "I can't tell you.", "unsure"), ("snoring", "so I'm told", "yes"),
    # A change of voice said last, after a garbled "a bit" or "a little".
    ("urge", "A big louder.", "louder"), ("urge", "At little slower please.", "slower"),
    ("urge", "yes, faster", "yes"), ("urge", "not faster", "no"),
    # A hedge is weak: with more than one other word of content it is not read.
    ("urge", "I more than to say so.", "unknown"), ("urge", "my wife would say so", "yes"),
    ("urge", "I should think so", "yes"), ("urge", "I'd have to say so", "yes"),
])
def test_answers_as_whisper_writes_them(question: str, heard: str, meaning: str) -> None:
    # New wordings, or tuning answers as Whisper wrote them; none is a held-out answer.
    assert heard.lower().rstrip(".") not in HELD_OUT_TEXTS
    assert _read(heard, question) == meaning


def test_uh_huh_is_a_yes_not_a_request_to_repeat() -> None:
    # "huh" on its own asks again; inside "uh huh" it is part of a yes.
    assert _read("huh") == "repeat"
    assert _read("uh huh") == "yes"


# ---- the corpus and its split ------------------------------------------------------------

# The split is made once; a changed file must be a deliberate, reported change. (The
# question column was renamed once, from the retired two-part look-alike question to
# cramps; no phrase moved between halves.)
HALVES = {
    "tuning": ("65fb5eb4beff468862a514f925cdf5024ff8b9af340cd7ad917e60c61da78b6a", 418),
    "held_out": ("d83cd7c540fef5c7570522c803b6d588bbcc279ddca089462795767d0c6fd3b2", 415),
}


@pytest.mark.parametrize("half", sorted(HALVES))
def test_the_split_is_stable(half: str) -> None:
    digest, count = HALVES[half]
    path = CORPUS / f"{half}.tsv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert len(typed.load(half)) == count


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split())


def test_no_phrase_is_in_both_halves_and_every_kind_is_in_each() -> None:
    tuning, held = typed.load("tuning"), typed.load("held_out")
    assert not {_key(i.text) for i in tuning} & {_key(i.text) for i in held}
    for half in (tuning, held):
        assert {i.kind for i in half} == set(typed.KINDS)
        assert {i.expect for i in half if i.kind == "control"} == {
            "repeat", "help", "back", "skip", "stop", "slower", "faster", "louder", "quieter"
        }
    assert len(tuning) + len(held) >= 600


def test_every_item_names_a_question_and_a_meaning_of_its_kind() -> None:
    meanings = {"yes_no": {"yes", "no", "unsure"}, "not_answer": {"unknown"}}
    for half in typed.HALVES:
        with (CORPUS / f"{half}.tsv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        for row in rows:
            CONTENT.question(row["question"])  # raises for an unknown id
            if row["kind"] in meanings:
                assert row["expect"] in meanings[row["kind"]], row


# ---- the benchmark ----------------------------------------------------------------------


def test_the_benchmark_runs_on_a_slice_and_counts_every_answer() -> None:
    items = typed.load("tuning")[:25]
    tallies = typed.measure(items, CONTENT)
    all_ = tallies["all"]
    assert all_.n == 25 and all_.right + all_.asked + all_.wrong == 25
    assert sum(t.n for k, t in tallies.items() if k != "all") == 25
    assert "tuning" in typed.table("tuning", tallies)


def test_the_benchmark_tells_right_asked_again_wrong_and_flips_apart() -> None:
    item = typed.Item("yes_no", "urge", "yes", "yes", "test")
    assert typed.judge(item, Understood("answer", "yes")) == ("right", False)
    assert typed.judge(item, Understood("unknown")) == ("asked", False)
    assert typed.judge(item, Understood("answer", "no")) == ("wrong", True)
    assert typed.judge(item, Understood("answer", "unsure")) == ("wrong", False)
    assert typed.judge(item, Understood("repeat")) == ("wrong", False)
    talk = typed.Item("not_answer", "urge", "in other news", "unknown", "test")
    assert typed.judge(talk, Understood("unknown")) == ("right", False)
    assert typed.judge(talk, Understood("answer", "no")) == ("wrong", False)
    number = typed.Item("number", "nights_per_week", "five or six", "5|6", "test")
    assert typed.judge(number, Understood("answer", 6))[0] == "right"
    assert typed.judge(number, Understood("answer", 7))[0] == "wrong"


def test_the_tuning_half_has_no_polarity_flip() -> None:
    tallies = typed.measure(typed.load("tuning"), CONTENT)
    assert tallies["all"].flips == 0, [
        (i.text, said) for i, said in tallies["yes_no"].misses
    ]
    assert tallies["all"].right >= 0.97 * tallies["all"].n
