"""Answers whose yes or no lies in how they are built (docs/decisions/037): a wish contrary
to fact, an answer said to be untrue, an echo nobody has told of, a yes on a condition, an
answer with its reason, a no of how often before a "but", and controls said with a word to
the person asking.

Examples are quoted from the development lists and the tuning halves (``_listed`` checks
they are there, with the label the test expects) or, where a form is shown from both sides,
written here.
"""

from __future__ import annotations

import pytest

from benchmarks import typed
from voiceskill.understanding import forms
from voiceskill.understanding.words import normalise

from .typed_lists import listed as _listed
from .typed_lists import read as _read


def test_the_second_development_list_is_reported_on_its_own() -> None:
    items = typed.load(typed.DEV2)
    assert len(items) >= 150
    assert {i.kind for i in items} == set(typed.KINDS)
    assert typed.DEV2 in typed.TUNING_HALVES
    assert not {(i.question, i.text) for i in items} & {
        (i.question, i.text) for i in typed.load(typed.DEV)}


@pytest.mark.parametrize(("question", "text"), [
    # Listed: each was wrong or asked again before the form was read.
    ("urge", "I wish I didn't."),
    ("urge", "I'd be lying if I said no."),
    ("snoring", "I've never been told I do."),
    ("urge", "Only when I'm overtired."),
    ("relief_moving", "Only while I keep going."),
    ("stress", "A bit, since my husband died."),
    ("takes_medicines", "Just the one, for my blood pressure."),
    ("urge", "Not every night, but often enough."),
    ("urge", "Every blessed night."),
    ("urge", "Only the odd time."),
    ("cramps", "I get the odd one."),
    ("worse_at_rest", "Doesn't seem to."),
    ("position_once", "No, it always comes back."),
    ("urge", "I'm not the one to ask."),
    # The questions' own words (prompts/questions.yaml, ``says``).
    ("diabetes", "Diet-controlled."),
    ("heavy_periods", "I'm past all that."),
    ("akathisia", "Just the legs."),
    ("augmentation", "It's come on earlier lately."),
    ("stress", "I'm coping fine."),
    ("caffeine_alcohol", "Never touch the stuff."),
    ("low_iron", "I eat plenty of meat."),
    ("kicking", "She's had bruises from it."),
    ("red_flag_calf", "Both legs are the same as always."),
    ("red_flag_any", "His face looks lopsided."),
    ("urge", "Sort of, but not every night."),
    ("cramps", "He gets them in his feet."),
    ("worse_evening", "I don't notice a difference."),
    ("worse_evening", "It's the same morning and night."),
    ("relief_moving", "It makes it worse, if anything."),
    ("red_flag_fever", "She's burning up."),
    ("urge", "Repeat the last question."),
    ("urge", "Cancel the check-in."),
    ("urge", "Run that by me again."),
    ("urge", "Can you be a bit quieter?"),
    ("urge", "Some nights more than others."),
    ("caffeine_alcohol", "Only at weekends."),
    ("self_harm", "No, but I feel like giving up some days."),
])
def test_listed_forms_are_read_as_labelled(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


@pytest.mark.parametrize(("text", "meant"), [
    # Both sides of each form.
    ("I wish I did", "no"), ("she wishes she didn't", "yes"),
    ("I'd be lying if I told you I didn't", "yes"), ("I'd be kidding if I said yes", "no"),
    ("nobody's said she does", "no"),
    ("only if I've had coffee", "yes"), ("only when I don't sleep", "unknown"),
    ("not all the time, but a lot", "yes"), ("not really, but sometimes", "unsure"),
    # How often, not whether: which is meant cannot be told.
    ("not every night", "unsure"), ("Definitely not every night.", "unsure"),
    # The same said with the verb negated: "I don't get it every night" is not a no.
    ("it doesn't happen every night", "unsure"), ("Don't miss every single night.", "unsure"),
    ("it doesn't bother me all the time", "unsure"), ("no, not at all", "no"),
    ("he's never on time", "unknown"), ("only the one", "yes"),
])
def test_forms_from_both_sides(text: str, meant: str) -> None:
    assert _read("urge", text) == meant


def test_a_reason_is_not_counted_as_content_but_words_before_the_answer_are() -> None:
    assert _read("urge", "a bit, because of my back") == "yes"
    # Asking for something else with a weak word in it stays no answer.
    assert _read("urge", "put the telly down a bit for me") == "unknown"


@pytest.mark.parametrize(("text", "meant"), [
    ("cancel the check-in", "stop"), ("explain the question", "help"),
    # A control verb with other words after it is talk, not a control.
    ("finish your tea", "unknown"), ("stop that barking, Rover", "unknown"),
])
def test_a_control_verb_counts_with_the_check_in_as_its_object(text: str, meant: str) -> None:
    assert _read("urge", text) == meant


def test_words_of_force_are_dropped() -> None:
    assert forms.plain(normalise("every bloody night")) == ["every", "night"]


@pytest.mark.parametrize(("question", "text"), [
    ("nights_per_week", "Not every night, maybe four."),
    ("stress", "Pardon, love?"),
    ("urge", "I didn't quite hear you."),
    ("urge", "What am I supposed to say?"),
    ("urge", "Off."),
    ("urge", "That's it for tonight."),
    ("snoring", "Stop the questions."),
    ("urge", "Hurry it up."),
])
def test_numbers_and_controls_as_labelled(question: str, text: str) -> None:
    assert str(_read(question, text)) == _listed(question, text)


def test_a_number_denied_gives_way_to_the_one_said_after_it() -> None:
    assert _read("nights_per_week", "not most nights, two or three") in (2, 3)
    assert _read("nights_per_week", "most nights") == 5


@pytest.mark.parametrize("text", ["Nothing, love.", "None that I can think of."])
def test_ways_of_saying_no_medicines(text: str) -> None:
    assert _listed("medications", text) == "none"
    assert _read("medications", text) == []
