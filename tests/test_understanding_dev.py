"""Readings made on the development list (benchmarks/corpus/dev_answers.tsv) and the tuning
halves (docs/decisions/035): talk that only sounds like a no, Whisper's spellings, controls.

Examples are quoted from the development list and the tuning halves only; ``_listed`` checks
that what a test quotes is there, with the label the test expects.
"""

from __future__ import annotations

import pytest

from benchmarks import typed
from voiceskill.understanding.talk import negated_elsewhere, topic_words

from .typed_lists import U
from .typed_lists import listed as _listed
from .typed_lists import read as _read


def test_the_development_list_is_reported_on_its_own() -> None:
    items = typed.load(typed.DEV)
    assert len(items) >= 200
    assert {i.kind for i in items} == set(typed.KINDS)
    controls = {i.expect for i in items if i.kind == "control"}
    assert {"repeat", "help", "stop", "skip", "back", "slower", "faster", "louder",
            "quieter"} <= controls


# ---- talk that only sounds like a no ------------------------------------------------------

@pytest.mark.parametrize(("question", "text"), [
    ("urge", "I never said that"),
    ("urge", "it's not over yet"),
    ("urge", "You never listen to me."),
    ("urge", "It's not the end of the world."),
    ("cramps", "He never scores from there."),
    ("urge", "She hasn't phoned all week."),
    ("daytime_sleepy", "It isn't on till nine."),
])
def test_a_negation_of_a_verb_not_the_questions_is_talk(question: str, text: str) -> None:
    assert _listed(question, text) == "unknown"
    assert _read(question, text) == "unknown"


@pytest.mark.parametrize(("question", "text"), [
    ("kicking", "he's never mentioned it"),   # hearsay, someone else's: nobody has told of it
    ("stress", "she hasn't said so"),
    ("urge", "I don't reckon"),               # a hedge is no verb of its own
    ("caffeine_alcohol", "I don't drink at all."),  # "drink": the question's ("energy drinks")
    ("cramps", "Never had one."),             # a light verb and a pronoun
    ("urge", "I never get that."),
])
def test_a_negation_of_the_questions_own_verb_stays_a_no(question: str, text: str) -> None:
    assert _listed(question, text) == "no"
    assert _read(question, text) == "no"


def test_talk_is_told_by_the_first_word_of_its_own_after_the_negation() -> None:
    topic = topic_words(["Do you snore loudly?"])
    words = ["i", "never", "said", "that"]
    assert negated_elsewhere(words, (1, 2, "no"), set(), topic)
    assert not negated_elsewhere(["i", "never", "snore"], (1, 2, "no"), set(), topic)
    assert not negated_elsewhere(["he", "never", "said", "so"], (1, 2, "no"), set(), topic,
                                 hearsay=frozenset(["said"]))
    # A no word or an idiom that is a whole answer is never talk: "no, I said".
    assert not negated_elsewhere(["no", "said"], (0, 1, "no"), set(), topic)
    assert not negated_elsewhere(["not", "really", "said"], (0, 2, "no"), set(), topic)


# ---- answers that were read the other way round -------------------------------------------

def test_a_plain_no_before_the_questions_own_no_is_that_no() -> None:
    # Left to the reader, "all day" was a weak yes after the no: a flip.
    assert _listed("worse_evening", "No, it's the same all day.") == "no"
    assert _read("worse_evening", "No, it's the same all day.") == "no"
    assert _read("male", "no, I'm a woman") == "no"


@pytest.mark.parametrize(("question", "text"), [
    ("male", "I'm not a woman"), ("snoring", "he's not quiet"),
    ("position_once", "it doesn't come back"), ("worse_evening", "it's not the same all day"),
])
def test_a_denied_no_of_the_questions_own_is_asked_again(question: str, text: str) -> None:
    # The reader took the negation for a no; which is meant cannot be told.
    assert _read(question, text) == "unknown"


@pytest.mark.parametrize("text", ["Nobody's noticed.", "no one's noticed", "nobody has noticed"])
def test_nobody_negates_a_yes_after_it(text: str) -> None:
    if text[0].isupper():
        assert _listed("breathing_pauses", text) == "no"
    assert _read("breathing_pauses", text) == "no"


# ---- controls -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "intent"), [
    ("Quiet. Please.", "quieter"),      # Whisper's "quieter, please" (tuning half, spoken)
    ("Quick up, please.", "faster"),    # Whisper's "quicker, please"
    ("Quiet, please.", "quieter"),
    ("slow, please", "slower"),
])
def test_a_voice_control_whose_ending_whisper_lost(text: str, intent: str) -> None:
    assert _read("urge", text) == intent


@pytest.mark.parametrize(("question", "text", "value"), [
    ("snoring", "Quiet.", "no"),        # the stem alone answers "Do you snore loudly?"
    ("snoring", "very quiet", "no"),
    ("urge", "Can you give me a nampo?", "unknown"),   # a mishearing, not a request
    ("urge", "quick", "unknown"),
])
def test_a_stem_alone_is_no_request(question: str, text: str, value: str) -> None:
    assert _read(question, text) == value


@pytest.mark.parametrize(("question", "text"), [
    ("stress", "I'm not sure what you're asking."),
    ("urge", "Shut up."), ("urge", "Stop it."), ("urge", "That's all for now."),
    ("urge", "Let's call it a night."), ("urge", "Lower the volume, please."),
    ("worse_evening", "Could you say the question again?"), ("urge", "What are my options?"),
    ("cramps", "I need some help here."), ("urge", "Go to the previous one."),
    ("urge", "Hang on, that was the wrong answer."), ("urge", "Go a bit quicker."),
    ("urge", "Increase the volume."), ("urge", "Turn yourself down."),
    ("urge", "Decrease the volume."),
])
def test_controls_of_the_development_list(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


# ---- yes, no and not sure --------------------------------------------------------------------

@pytest.mark.parametrize(("question", "text"), [
    ("urge", "On occasion."), ("urge", "More often than I'd like."),
    ("urge", "Most evenings, to be fair."), ("urge", "I can't really say."),
    ("stress", "It's hard to know."), ("snoring", "Like a freight train, apparently."),
    ("stress", "Some days yes, some days no."),
])
def test_yes_no_of_the_development_list(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


@pytest.mark.parametrize(("text", "value"), [
    ("sometimes yes, sometimes no", "unsure"),
    ("I do some days, I don't other days", "unsure"),   # "other days" is no verb of its own
    ("no, no, wait, yes", "yes"),                       # a correction still counts
    ("yes, no, no", "no"),
])
def test_two_answers_after_the_same_words_are_a_contrast(text: str, value: str) -> None:
    assert _read("urge", text) == value


def test_an_intensifier_after_a_negated_verb_changes_nothing() -> None:
    assert _read("urge", "I can't really remember") == "unsure"
    assert _read("urge", "it doesn't really") == "no"


# ---- Whisper's punctuation and capitals -----------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("Uh-huh.", "yes"), ("UH-HUH.", "yes"), ("Mm-hmm.", "yes"), ("Mmm-hmm.", "yes"),
    ("Mm-hm.", "yes"), ("Mhm.", "yes"), ("Yes. Yes.", "yes"), ("Yeah. Yeah, I do.", "yes"),
    ("Nope.", "no"), ("No. No.", "no"), ("Uh-uh.", "no"), ("Naw.", "no"), ("Hmmm, yes.", "yes"),
    # A closed-mouth hum is not told apart from a yes once its hyphen is gone: asked again.
    ("Mm-mm.", "unknown"), ("Mm.", "unknown"),
])
def test_answers_as_whisper_writes_them(text: str, value: str) -> None:
    assert _read("urge", text) == value


def test_a_single_m_is_no_hum() -> None:
    from voiceskill.understanding.words import normalise
    assert normalise("Tylenol P.M.") == ["tylenol", "p", "m"]
    assert normalise("Mmm-hmm") == ["mm", "hmm"]


# ---- medicines said without a name, and a stop after turning the question away -------------

def test_medicines_said_without_a_name_are_a_yes_and_names_are_still_read() -> None:
    assert _listed("takes_medicines", "he takes quite a lot of pills") == "yes"
    assert _read("takes_medicines", "he takes quite a lot of pills") == "yes"
    named = _read("takes_medicines", "I take a few tablets, Zoloft and Lipitor")
    assert isinstance(named, list)
    assert sorted(m.name for m in named) == ["atorvastatin", "sertraline"]


@pytest.mark.parametrize(("question", "text", "value"), [
    ("takes_medicines", "no tablets", "no"),       # "no" as a determiner denies the word
    ("takes_medicines", "No pills at all.", "no"),
    ("cramps", "no cramps", "no"),
    ("caffeine_alcohol", "No, coffee.", "unknown"),  # written apart: a no, then a yes
    ("snoring", "no, he snores", "unknown"),
])
def test_no_just_before_the_questions_own_word(question: str, text: str, value: str) -> None:
    assert _read(question, text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("not now, stop", "stop"), ("No, stop.", "stop"),
    ("don't stop", "unknown"), ("not stop", "no"),
])
def test_a_stop_said_last_after_turning_the_question_away(text: str, value: str) -> None:
    if text == "not now, stop":
        assert _listed("urge", text) == "stop"
    assert _read("urge", text) == value
    assert _read("position_once", "it does stop") == "yes"


# ---- the development list's second batch ----------------------------------------------------

@pytest.mark.parametrize(("question", "text"), [
    ("position_once", "No, I have to get up in the end."),   # "have to" is no "I have": a flip
    ("diabetes", "Borderline, they said."),
    ("kidney_disease", "My kidneys are fine, as far as I know."),
    ("urge", "Nothing of the sort."),
    ("urge", "He can't keep his legs still of an evening."),
    ("worse_at_rest", "Only when I've been sitting a while."),
    ("worse_at_rest", "Long car journeys are the worst."),
    ("relief_moving", "Getting up sorts it out for a bit."),
    ("worse_evening", "It's fine in the mornings."),
    ("caffeine_alcohol", "I'm teetotal."), ("caffeine_alcohol", "Hot chocolate, that's all."),
    ("caffeine_alcohol", "A glass of red most nights."),
    ("stress", "It's been a tough few months."),
    ("urge", "Eh? What?"), ("urge", "I'm lost."), ("urge", "Give me some examples."),
    ("urge", "Leave it for tonight."), ("urge", "Stop the check-in."), ("urge", "Cancel that."),
    ("urge", "Let's leave it there."), ("urge", "Pass on this one."),
])
def test_the_second_batch(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


def test_have_to_is_no_echo_but_i_have_still_is() -> None:
    assert _read("urge", "I have, yes") == "yes"
    assert _read("stress", "I have") == "yes"
    assert _read("urge", "she has to get up") == "unknown"


def test_one_control_in_two_words_of_its_own() -> None:
    assert _read("urge", "stop, stop") == "stop"
    assert _read("urge", "what, help") == "unknown"   # two controls that disagree


# ---- the development list's third batch -----------------------------------------------------

@pytest.mark.parametrize(("question", "text"), [
    ("urge", "He doesn't, not that I've seen."),   # a second no after the negation is no verb
    ("urge", "They've not mentioned it."), ("urge", "She's never complained of it."),
    ("urge", "Once in a long while."), ("urge", "It comes and goes."),
    ("urge", "Sorry, I missed the question."), ("urge", "Read that again."),
    ("urge", "What do you want me to say?"), ("urge", "How should I answer that?"),
    ("urge", "What kind of thing do you mean?"), ("urge", "That'll do for tonight."),
    ("urge", "We'll finish there."), ("urge", "I'd prefer not to answer."),
    ("urge", "Ask me something else."), ("urge", "Not so quick."),
])
def test_the_third_batch(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


def test_ve_not_is_havent() -> None:
    from voiceskill.understanding.words import normalise
    assert normalise("They've not") == ["they", "haven't"]
    assert normalise("I'll not") == ["i", "won't"]


def test_asked_to_say_it_again() -> None:
    assert _read("urge", "tell me that again") == "repeat"
    assert _read("position_once", "it comes back again") == "no"


def test_a_read_back_is_no_question_of_its_own_so_a_denial_stays_a_no() -> None:
    from voiceskill.messages import Expectation
    confirm = Expectation("yes_no", "age:confirm")
    said = U.understand("I didn't say that", confirm)
    assert (said.intent, said.value) == ("answer", "no")


@pytest.mark.parametrize(("question", "text", "value"), [
    ("caffeine_alcohol", "What can I say, I love my coffee", "yes"),   # no request for help
    ("urge", "Do you mean at night? Yes.", "yes"),
])
def test_help_wordings_said_inside_an_answer_are_no_request(question: str, text: str,
                                                            value: str) -> None:
    assert _read(question, text) == value


# ---- the development list's fourth batch ----------------------------------------------------

@pytest.mark.parametrize(("question", "text"), [
    ("takes_medicines", "Nothing, not even paracetamol."),   # the name denied: a flip before
    ("caffeine_alcohol", "He only drinks water after six."),
    ("urge", "Could well be."),
])
def test_the_fourth_batch(question: str, text: str) -> None:
    assert _read(question, text) == _listed(question, text)


def test_a_denied_medicine_name_is_not_taken() -> None:
    assert _read("medications", "Nothing, not even paracetamol.") == []
    assert _listed("medications", "Nothing at the moment.") == "none"
    assert _read("medications", "Nothing at the moment.") == []
    kept = _read("medications", "I don't take sertraline any more, just Lipitor")
    assert isinstance(kept, list) and [m.name for m in kept] == ["atorvastatin"]
    # A plain no denies nothing: "no, just sertraline" names it.
    said = _read("medications", "No, just sertraline")
    assert isinstance(said, list) and [m.name for m in said] == ["sertraline"]
