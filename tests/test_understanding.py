"""Table tests for the answer parser: what people say, and what it must be taken to mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.messages import Expectation, Medication, Person, Understood
from voiceskill.understanding import Understander, normalise, number_words

ROOT = Path(__file__).resolve().parent.parent
CONTENT = content_mod.load(ROOT / "prompts")
U = Understander(CONTENT)

YES_NO = Expectation("yes_no", "urge")
AGE = Expectation("number", "age", 12, 110)
NIGHTS = Expectation("number", "nights_per_week", 0, 7)
TRIMESTER = Expectation("number", "trimester", 1, 3)
SCORE = Expectation("number", "", 0, 10)
GATE = Expectation("yes_no", "takes_medicines", names_medicines=True)
MEDS = Expectation("medications", "medications")
KINDS = [YES_NO, AGE, MEDS]
CONTROLS = ("repeat", "help", "stop", "skip", "back", "slower", "faster", "louder", "quieter")


def _understood(text: str, expect: Expectation) -> object:
    """The answer value, or the control intent, or ("unknown", reason)."""
    u = U.understand(text, expect)
    if u.intent == "answer":
        return u.value
    if u.intent == "unknown":
        return ("unknown", u.reason)
    return u.intent


# ---- yes / no / not sure ------------------------------------------------------------------

YES = [
    "yes", "Yes.", "yeah", "yep", "yup", "uh huh", "uh-huh", "mm hmm", "mhm", "sure",
    "of course", "definitely", "absolutely", "I think so", "I believe so", "I do", "she does",
    "he does", "they do", "it does", "I am", "she is", "I have", "she has", "I did",
    "a little", "a bit", "a lot", "sometimes", "often", "always", "most nights",
    "every night", "usually", "kind of", "sort of", "now and then", "that's right",
    "yes please", "Yeah, it does", "yes, walking helps", "oh yes, every night",
    "um, yes", "no, wait, yes", "she does, yes", "I'm sorry, yes",
    "I can't stop moving my legs, yes", "yes, it is worse at the end of the day",
    "I have to walk back and forth, yes", "yes, again and again",
]
NO = [
    "no", "No.", "nope", "nah", "not really", "not at all", "never", "I don't", "I dont",
    "she doesn't", "he doesn't", "they don't", "it doesn't", "I'm not", "she isn't",
    "he's not", "I haven't", "I didn't", "she didn't", "I don't think so",
    "not that I know of", "not that I'm aware of", "not as far as I know", "hardly ever",
    "rarely", "uh uh", "no, it doesn't help", "no thanks", "yes, no, no",
    # "not" written out: "I do not" must never be heard as "I do".
    "I do not", "she does not", "he does not", "it does not", "they do not", "I did not",
    "she is not", "he is not", "it is not", "they are not", "I have not", "she has not",
    # a yes word with "not" beside it
    "definitely not", "absolutely not", "of course not", "certainly not", "not often",
    "not a lot", "not always", "not usually", "not very much", "not right now",
    "not that I can remember", "not that I've noticed",
    # "I don't think" before a yes phrase ("she does") is a no, not the yes inside it.
    "I don't think I do", "I don't think she does", "I don't think he does",
    "I don't think they do", "I don't think it does", "I do not think she does",
    "um, I don't think he does", "no, I don't think it does",
]
UNSURE = [
    "not sure", "I'm not sure", "unsure", "I don't know", "I do not know", "don't know",
    "dunno", "no idea", "I have no idea", "maybe", "perhaps", "possibly", "I can't remember",
    "I cannot remember", "I can not remember", "I don't remember", "hard to say",
    "it's hard to say", "not certain",
]


@pytest.mark.parametrize("text", YES)
def test_everyday_yes(text: str) -> None:
    assert _understood(text, YES_NO) == "yes"


@pytest.mark.parametrize("text", NO)
def test_everyday_no(text: str) -> None:
    assert _understood(text, YES_NO) == "no"


@pytest.mark.parametrize("text", UNSURE)
def test_everyday_unsure(text: str) -> None:
    assert _understood(text, YES_NO) == "unsure"


@pytest.mark.parametrize("text", [
    "the cat is on the mat", "I like turtles", "the dog barked at the postman", "purple",
    "the end",
])
def test_unrelated_sentences_are_unknown_for_every_kind(text: str) -> None:
    assert _understood(text, YES_NO) == ("unknown", "no yes or no was heard")
    assert _understood(text, AGE) == ("unknown", "no number was heard")
    assert _understood(text, MEDS) == ("unknown", "no medicine name I know was heard")


@pytest.mark.parametrize("text", ["", "   ", "?!", "..."])
def test_nothing_said_is_unknown(text: str) -> None:
    for expect in KINDS:
        assert _understood(text, expect) == ("unknown", "nothing was said")


# ---- numbers ----------------------------------------------------------------------------

NUMBERS = [
    # (text, expectation, value)
    ("82", AGE, 82),
    ("eighty two", AGE, 82),
    ("eighty-two", AGE, 82),
    ("I'm 45", AGE, 45),
    ("forty-five years old", AGE, 45),
    ("she's eighty", AGE, 80),
    ("about sixty", AGE, 60),
    ("seventy two", AGE, 72),
    ("a hundred and five", AGE, 105),
    ("one hundred", AGE, 100),
    ("ninety nine", AGE, 99),
    ("twelve", AGE, 12),
    ("a hundred and ten", AGE, 110),
    ("about a six", NIGHTS, 6),
    ("about 5/10", SCORE, 5),
    ("five out of ten", SCORE, 5),
    ("five out of ten", NIGHTS, 5),
    ("twice", NIGHTS, 2),
    ("twice a week", NIGHTS, 2),
    ("once", NIGHTS, 1),
    ("once a week", NIGHTS, 1),
    ("every night", NIGHTS, 7),
    ("every single night", NIGHTS, 7),
    ("nightly", NIGHTS, 7),
    ("all the time", NIGHTS, 7),
    ("most nights", NIGHTS, 5),
    ("every other night", NIGHTS, 4),
    ("about every other night", NIGHTS, 4),
    ("half the week", NIGHTS, 5),
    ("a couple of nights", NIGHTS, 2),
    ("a few", NIGHTS, 3),
    ("three times a week", NIGHTS, 3),
    ("three or four", NIGHTS, 3),
    ("seven nights", NIGHTS, 7),
    ("about five nights, I'd say", NIGHTS, 5),
    ("never", NIGHTS, 0),
    ("none", NIGHTS, 0),
    ("zero", NIGHTS, 0),
    ("0", NIGHTS, 0),
    ("7", NIGHTS, 7),
    ("the third", TRIMESTER, 3),
    ("third", TRIMESTER, 3),
    ("the first", TRIMESTER, 1),
    ("second", TRIMESTER, 2),
    ("3rd", TRIMESTER, 3),
    ("two", TRIMESTER, 2),
    ("ten", SCORE, 10),
]


@pytest.mark.parametrize(("text", "expect", "value"), NUMBERS,
                         ids=[f"{t}-{e.question_id or 'score'}" for t, e, _ in NUMBERS])
def test_numbers(text: str, expect: Expectation, value: int) -> None:
    assert _understood(text, expect) == value


OUT_OF_RANGE = [
    ("eight", NIGHTS, 8), ("nine", NIGHTS, 9), ("eleven", AGE, 11), ("120", AGE, 120),
    ("I was born in 1950", AGE, 1950), ("fourth", TRIMESTER, 4), ("zero", TRIMESTER, 0),
    ("a dozen", NIGHTS, 12), ("eleven out of ten", SCORE, 11),
]


@pytest.mark.parametrize(("text", "expect", "value"), OUT_OF_RANGE,
                         ids=[t for t, _, _ in OUT_OF_RANGE])
def test_numbers_out_of_range_are_unknown_with_the_value(text: str, expect: Expectation,
                                                         value: int) -> None:
    u = U.understand(text, expect)
    assert (u.intent, u.value, u.reason) == ("unknown", value, "out_of_range")


@pytest.mark.parametrize("text", ["I don't know", "I can't remember", "not sure", "no idea"])
def test_numbers_unsure(text: str) -> None:
    assert _understood(text, NIGHTS) == "unsure"


@pytest.mark.parametrize("n", [0, 1, 7, 12, 19, 20, 21, 45, 70, 82, 99, 100, 105, 110])
def test_number_words_round_trip(n: int) -> None:
    assert U.parse_number(normalise(number_words(n))) == n
    assert _understood(number_words(n), Expectation("number", "", 0, 110)) == n


# ---- medicines ------------------------------------------------------------------------------

MEDICINES = [
    # (text, [(generic, class), ...])
    ("sertraline", [("sertraline", "ssri")]),
    ("I take sertraline in the morning", [("sertraline", "ssri")]),
    ("Zoloft", [("sertraline", "ssri")]),
    ("Prozac", [("fluoxetine", "ssri")]),
    ("Lexapro", [("escitalopram", "ssri")]),
    ("escitalopram 10 mg", [("escitalopram", "ssri")]),
    ("citalopram", [("citalopram", "ssri")]),
    ("Effexor", [("venlafaxine", "snri")]),
    ("Cymbalta", [("duloxetine", "snri")]),
    ("amitriptyline", [("amitriptyline", "tricyclic")]),
    ("mirtazapine", [("mirtazapine", "tetracyclic")]),
    ("Seroquel", [("quetiapine", "antipsychotic")]),
    ("seroquel xr", [("quetiapine", "antipsychotic")]),
    ("quetiapine for sleep", [("quetiapine", "antipsychotic")]),
    ("haloperidol", [("haloperidol", "antipsychotic")]),
    ("Reglan", [("metoclopramide", "antiemetic")]),
    ("prochlorperazine", [("prochlorperazine", "antiemetic")]),
    ("Tylenol PM", [("diphenhydramine", "sedating_antihistamine")]),
    ("Tylenol P.M.", [("diphenhydramine", "sedating_antihistamine")]),
    ("I take Tylenol PM most nights", [("diphenhydramine", "sedating_antihistamine")]),
    ("Advil PM", [("diphenhydramine", "sedating_antihistamine")]),
    ("ZzzQuil", [("diphenhydramine", "sedating_antihistamine")]),
    ("zzz quil", [("diphenhydramine", "sedating_antihistamine")]),
    ("just some ZzzQuil to help me sleep", [("diphenhydramine", "sedating_antihistamine")]),
    ("Benadryl", [("diphenhydramine", "sedating_antihistamine")]),
    ("Nytol", [("diphenhydramine", "sedating_antihistamine")]),
    ("NyQuil", [("doxylamine", "sedating_antihistamine")]),
    ("Unisom", [("doxylamine", "sedating_antihistamine")]),
    ("Unisom SleepGels", [("diphenhydramine", "sedating_antihistamine")]),
    ("hydroxyzine", [("hydroxyzine", "sedating_antihistamine")]),
    ("Phenergan", [("promethazine", "sedating_antihistamine")]),
    # plain versions of "PM" products are not sedating
    ("Tylenol", [("paracetamol", "other")]),
    ("Advil", [("ibuprofen", "other")]),
    ("cetirizine", [("cetirizine", "other")]),
    ("Claritin", [("loratadine", "other")]),
    # known non-triggers
    ("metformin", [("metformin", "other")]),
    ("bupropion", [("bupropion", "other")]),
    ("Wellbutrin XL", [("bupropion", "other")]),
    ("lisinopril", [("lisinopril", "other")]),
    ("trazodone", [("trazodone", "other")]),
    ("melatonin to help me sleep", [("melatonin", "other")]),
    # several in one sentence, in the order said
    ("she takes Seroquel and metformin",
     [("quetiapine", "antipsychotic"), ("metformin", "other")]),
    ("Zoloft, Seroquel and Benadryl",
     [("sertraline", "ssri"), ("quetiapine", "antipsychotic"),
      ("diphenhydramine", "sedating_antihistamine")]),
    ("metformin, bupropion and lisinopril",
     [("metformin", "other"), ("bupropion", "other"), ("lisinopril", "other")]),
    ("Zoloft and Zoloft again", [("sertraline", "ssri")]),
    # misspellings a recogniser or a person might produce
    ("seroquil", [("quetiapine", "antipsychotic")]),
    ("seraquel", [("quetiapine", "antipsychotic")]),
    ("sertralin", [("sertraline", "ssri")]),
    ("zolof", [("sertraline", "ssri")]),
    ("amitriptylin", [("amitriptyline", "tricyclic")]),
    ("trazadone", [("trazodone", "other")]),
]


@pytest.mark.parametrize(("text", "meds"), MEDICINES, ids=[t for t, _ in MEDICINES])
def test_medicine_names(text: str, meds: list[tuple[str, str]]) -> None:
    value = _understood(text, MEDS)
    assert isinstance(value, list), value
    assert [(m.name, m.drug_class) for m in value] == meds


def test_medicine_said_form_is_the_name_used() -> None:
    value = U.understand("she takes Seroquel and metformin", MEDS).value
    assert isinstance(value, list)
    assert [m.said for m in value] == ["Seroquel", "metformin"]
    assert all(isinstance(m, Medication) for m in value)
    pm = U.understand("tylenol pm", MEDS).value
    assert isinstance(pm, list) and pm[0].said == "Tylenol PM"


@pytest.mark.parametrize("text", [
    "none", "no", "nothing", "nope", "None.", "no medicines", "no tablets",
    "not taking anything", "I don't take anything", "she doesn't take anything",
    "he doesn't take anything", "no, none", "nope, nothing", "I take nothing",
    "she doesn't take any", "no, I don't take any", "none at all", "um, none",
])
def test_no_medicines(text: str) -> None:
    assert _understood(text, MEDS) == []


@pytest.mark.parametrize("text", ["I don't know", "I can't remember", "not sure",
                                  "I take something for my blood pressure, I don't remember "
                                  "the name"])
def test_medicines_unsure(text: str) -> None:
    assert _understood(text, MEDS) == "unsure"


@pytest.mark.parametrize("text", [
    "some blue pill", "the little white one", "vitamin d", "fish oil", "a water pill",
    "spironolactone", "metoprolol", "warfarin", "I take my blood pressure tablet",
    "vitamin tablets",
])
def test_unknown_medicines_are_unknown(text: str) -> None:
    assert _understood(text, MEDS) == ("unknown", "no medicine name I know was heard")


# ---- controls at any question ------------------------------------------------------------

CONTROL_PHRASES = [
    ("say that again", "repeat"), ("what?", "repeat"), ("what", "repeat"),
    ("pardon", "repeat"), ("pardon me?", "repeat"), ("sorry?", "repeat"),
    ("come again?", "repeat"), ("um, say that again please", "repeat"),
    ("could you say that again", "repeat"), ("can you repeat that", "repeat"),
    ("I didn't hear you", "repeat"), ("I did not hear you", "repeat"),
    ("one more time", "repeat"),
    ("help", "help"), ("help me", "help"), ("what do you mean?", "help"),
    ("uh, what do you mean?", "help"), ("what does that mean", "help"),
    ("I don't understand", "help"), ("I do not understand", "help"),
    ("I don't understand the question", "help"), ("can you explain", "help"),
    ("stop", "stop"), ("stop please", "stop"), ("that's enough for tonight", "stop"),
    ("that's enough", "stop"), ("goodbye", "stop"), ("good night", "stop"),
    ("I'm done", "stop"), ("I'm done for tonight", "stop"), ("okay stop", "stop"),
    ("end", "stop"),
    ("skip", "skip"), ("skip it", "skip"), ("skip this one", "skip"),
    ("let's skip this one", "skip"), ("next question", "skip"), ("next", "skip"),
    ("pass", "skip"), ("I'd rather not say", "skip"),
    ("go back", "back"), ("back", "back"), ("go back please", "back"),
    ("I'd like to go back", "back"), ("previous question", "back"),
    ("I made a mistake", "back"), ("change my answer", "back"), ("undo", "back"),
    ("slower", "slower"), ("slow down please", "slower"), ("too fast", "slower"),
    ("louder", "louder"), ("speak up please", "louder"), ("I can't hear you", "louder"),
    ("I cannot hear you", "louder"), ("too quiet", "louder"),
    ("faster", "faster"), ("too slow", "faster"), ("speed up please", "faster"),
    ("quieter", "quieter"), ("too loud", "quieter"), ("not so loud please", "quieter"),
    # How much is dropped: "a little" on its own would be a yes.
    ("a bit louder", "louder"), ("speak a little slower please", "slower"),
    ("could you talk a bit more quietly", "quieter"), ("a little bit faster", "faster"),
]


@pytest.mark.parametrize("expect", [*KINDS, NIGHTS], ids=lambda e: e.question_id)
@pytest.mark.parametrize(("text", "intent"), CONTROL_PHRASES, ids=[t for t, _ in CONTROL_PHRASES])
def test_controls_work_at_any_question(text: str, intent: str, expect: Expectation) -> None:
    assert _understood(text, expect) == intent


@pytest.mark.parametrize(("text", "expect", "value"), [
    ("I don't know", YES_NO, "unsure"),          # not "I don't understand" (help)
    ("I didn't", YES_NO, "no"),                  # not "I didn't hear" (repeat)
    ("I don't", YES_NO, "no"),
    ("no, it doesn't help", YES_NO, "no"),       # "help" inside an answer
    ("yes, walking helps", YES_NO, "yes"),
    ("yes, it is worse at the end of the day", YES_NO, "yes"),  # "end" inside an answer
    ("I have to walk back and forth, yes", YES_NO, "yes"),      # "back" inside an answer
    ("yes, again and again", YES_NO, "yes"),     # "again" inside an answer
    ("sorry, yes", YES_NO, "yes"),               # "sorry" is repeat only on its own
    ("I can't stop moving my legs, yes", YES_NO, "yes"),
    ("I don't know", MEDS, "unsure"),
    ("I don't know", NIGHTS, "unsure"),
    ("ZzzQuil to help me sleep", MEDS, None),    # a medicine, not a request for help
])
def test_not_controls(text: str, expect: Expectation, value: object) -> None:
    u = U.understand(text, expect)
    assert u.intent == "answer", u
    if value is not None:
        assert u.value == value


# ---- the vocabulary and the recogniser grammar agree ------------------------------------


def _norm_phrase(p: str) -> str:
    return " ".join(normalise(p))


@pytest.mark.parametrize("expect", [YES_NO, GATE, AGE, NIGHTS, TRIMESTER, SCORE],
                         ids=lambda e: e.question_id or "score")
def test_every_grammar_phrase_is_understood(expect: Expectation) -> None:
    """A recogniser limited to phrases(expect) can only hear things the parser accepts."""
    phrases = U.phrases(expect)
    assert phrases, "no phrases"
    failures: list[tuple[str, object]] = []
    for p in phrases:
        u = U.understand(p, expect)
        if u.intent == "unknown":
            failures.append((p, u.reason))
        elif u.intent == "answer" and expect.kind == "number" and u.value != "unsure":
            assert isinstance(u.value, int)
            assert expect.low is not None and expect.high is not None
            if not expect.low <= u.value <= expect.high:
                failures.append((p, u.value))
    assert not failures, failures


def test_yes_no_grammar_is_the_listen_for_list_with_every_meaning_represented() -> None:
    phrases = U.phrases(YES_NO)
    listen = CONTENT.vocabulary.listen_for
    led = {f"{s} {a}" for s in listen["lead_ins"] for a in listen["lead_in_answers"]}
    plain = [p for p in phrases if p not in led]
    assert set(plain) == {_norm_phrase(p) for p in (*listen["yes_no"], *listen["controls"])}
    assert led <= set(phrases)
    meanings = {U.understand(p, YES_NO).value for p in listen["yes_no"]}
    assert meanings == {"yes", "no", "unsure"}
    intents = {U.understand(p, YES_NO).intent for p in listen["controls"]}
    assert set(CONTROLS) <= intents
    # Short enough that short words are not lost among look-alikes ("no" and "dunno").
    assert len(plain) <= 50


def _yes_no_expectations() -> list[Expectation]:
    """Every yes/no question as asked of oneself and by a caregiver, and every read-back of a
    number (where "oh" is also the number 0)."""
    from voiceskill.dialog import expectation
    from voiceskill.messages import Person

    people = [Person(), *(Person(True, "Rose", p) for p in ("she", "he", "they"))]
    out = [expectation(q, p) for q in CONTENT.questions if q.expect == "yes_no" for p in people]
    for q in CONTENT.questions:
        if q.expect == "number" and q.low is not None and q.high is not None:
            low, high = q.low, q.high
            for said in (low, high, (low + high) // 2):
                out.append(Expectation("yes_no", f"{q.id}:confirm", low, high,
                                       corrected_by_number=True, read_back=said))
    return out


def test_an_answer_with_a_lead_in_means_the_answer_itself() -> None:
    listen = CONTENT.vocabulary.listen_for
    assert listen["lead_ins"] and listen["lead_in_answers"]
    expectations = _yes_no_expectations()
    assert any(e.corrected_by_number for e in expectations)
    wrong = []
    for expect in expectations:
        for phrase in U.phrases(expect):
            first, _, answer = phrase.partition(" ")
            if first not in listen["lead_ins"]:
                continue
            plain = U.understand(answer, expect)
            led = U.understand(phrase, expect)
            if (led.intent, led.value) != (plain.intent, plain.value):
                wrong.append((expect.question_id, phrase, led.value, plain.value))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("said, expect, value", [
    ("oh seventy", AGE, 70),
    ("oh five", NIGHTS, 5),
    ("um, about four", NIGHTS, 4),
    ("well, sixty eight", AGE, 68),
])
def test_a_number_after_a_lead_in_sound_is_the_number(said: str, expect: Expectation,
                                                       value: int) -> None:
    got = U.understand(said, expect)
    assert (got.intent, got.value) == ("answer", value)


def test_lead_ins_come_before_numbers_on_the_second_try_only() -> None:
    assert "oh yes" in U.phrases(YES_NO) and "well no" in U.phrases(YES_NO)
    # "Um, a lot" is left out: a drawn-out "no" was heard as it.
    assert "um a lot" not in U.phrases(YES_NO)
    assert U.second_try(YES_NO) == []
    # Not among the plain numbers: through the audio stack a plain "seventy" was heard as
    # "well, eighty" when they were.
    lead_ins = tuple(f"{s} " for s in CONTENT.vocabulary.listen_for["lead_ins"])
    for expect in (AGE, NIGHTS):
        assert not [p for p in U.phrases(expect) if p.startswith(lead_ins)]
    assert {"um seventy", "oh eighty two", "well one hundred and ten"} <= set(U.second_try(AGE))
    assert {"um five", "uh twice", "well most nights", "oh zero"} <= set(U.second_try(NIGHTS))
    assert "um eight" not in U.second_try(NIGHTS) and "um eleven" not in U.second_try(AGE)
    for expect in (AGE, NIGHTS):
        second = U.second_try(expect)
        assert second and all(p.startswith(lead_ins) for p in second)
        # Each lead-in multiplies what it goes before: only numbers said plainly take one.
        assert not [p for p in second if p.split()[1] in ("about", "not", "i")]
        assert not [p for p in second if p.endswith("a week")]


@pytest.mark.parametrize("expect", [AGE, NIGHTS, TRIMESTER], ids=lambda e: e.question_id)
def test_a_number_tried_second_means_the_number_itself(expect: Expectation) -> None:
    wrong = []
    for phrase in U.second_try(expect):
        plain = U.understand(phrase.partition(" ")[2], expect)
        got = U.understand(phrase, expect)
        if (got.intent, got.value) != (plain.intent, plain.value) or got.intent != "answer":
            wrong.append((phrase, got.intent, got.value, plain.value))
    assert not wrong, wrong[:10]


def test_number_grammar_covers_every_number_in_range_and_the_common_phrases() -> None:
    phrases = set(U.phrases(Expectation("number", "nights_per_week", 0, 7)))
    for word in ("zero", "one", "five", "seven", "every night", "twice", "once"):
        assert word in phrases
    assert "eight" not in phrases and "a dozen" not in phrases
    ages = set(U.phrases(Expectation("number", "age", 12, 110)))
    assert {"twelve", "eighty two", "one hundred and ten"} <= ages


@pytest.mark.parametrize("expect", [AGE, NIGHTS, TRIMESTER], ids=lambda e: e.question_id)
def test_number_grammar_has_every_number_in_range_in_words(expect: Expectation) -> None:
    phrases = set(U.phrases(expect))
    assert expect.low is not None and expect.high is not None
    for n in range(expect.low, expect.high + 1):
        assert number_words(n) in phrases, n
    for p in ("not sure", "i don't know", "say that again", "help", "stop", "go back"):
        assert _norm_phrase(p) in phrases, p


def test_number_grammar_leaves_out_phrases_out_of_range() -> None:
    phrases = set(U.phrases(TRIMESTER))
    assert "every night" not in phrases          # 7 is outside 1..3
    assert "four" not in phrases
    assert "third" in phrases and "first" in phrases


def test_nights_grammar_has_everyday_phrases() -> None:
    nights = expectation(CONTENT.question("nights_per_week"), Person())
    phrases = set(U.phrases(nights))
    for p in ("twice", "every night", "every other night", "most nights", "once",
              "seven nights a week", "five nights", "one night", "one time", "three times",
              "four times a week", "zero nights"):
        assert p in phrases, p
        if p not in ("once", "twice"):
            assert U.understand(p, nights).intent == "answer", p
    assert "one nights" not in phrases and "eight nights" not in phrases
    # The counted forms come from the question's units, not from the range.
    assert "five nights" not in U.phrases(NIGHTS)


def test_a_question_without_units_does_not_listen_for_counted_answers() -> None:
    trimester = expectation(CONTENT.question("trimester"), Person())
    counted = {"night", "nights", "time", "times"}
    assert not [p for p in U.phrases(trimester) if counted & set(p.split())]


def test_controls_are_distinct_from_answers() -> None:
    """No control phrase is also a yes/no answer phrase: each means one thing."""
    vocab = CONTENT.vocabulary
    answers = {_norm_phrase(p) for group in vocab.yes_no.values() for p in group}
    for intent, phrases in vocab.controls.items():
        for p in phrases:
            assert _norm_phrase(p) not in answers, f"{p!r} is both {intent} and an answer"


def test_do_you_take_any_medicines_also_listens_for_the_ways_of_saying_none() -> None:
    gate = U.phrases(GATE)
    assert {"none", "nothing", "i don't take anything"} <= set(gate)
    assert "none" not in U.phrases(YES_NO)
    for p in ("none", "nothing", "i don't take anything"):
        assert U.understand(p, GATE).value == "no", p


PEOPLE = [Person(), *(Person(True, "Rose", p) for p in ("she", "he", "they"))]


@pytest.mark.parametrize("person", PEOPLE, ids=["self", "she", "he", "they"])
def test_every_question_hears_its_short_replies_with_the_right_meaning(person: Person) -> None:
    for q in CONTENT.questions:
        expect = expectation(q, person)
        if q.expect == "number":
            continue  # what comes before a number: see the age test below
        phrases = U.phrases(expect)
        for reply in expect.short_answers:
            assert reply in phrases, (q.id, reply)
            meaning = "no" if reply.startswith("no ") or "n't" in reply or "not" in reply else "yes"
            assert U.understand(reply, expect).value == meaning, (q.id, reply)
    urge = expectation(CONTENT.question("urge"), person)
    assert ("yes i do" in urge.short_answers) == (not person.caregiver)
    assert ("no she doesn't" in urge.short_answers) == (person.pronoun == "she")
    assert ("yes they do" in urge.short_answers) == (person.pronoun == "they")
    assert "i do" not in urge.short_answers and "they do" not in urge.short_answers


@pytest.mark.parametrize("person", PEOPLE, ids=["self", "she", "he", "they"])
def test_an_age_begun_with_who_is_heard(person: Person) -> None:
    """A caregiver's "she's eighty" is listened for with the numbers; the speaker's own "I'm
    seventy" on the second try only."""
    expect = expectation(CONTENT.question("age"), person)
    opener = {"": "i'm", "she": "she's", "he": "he's", "they": "they're"}[
        person.pronoun if person.caregiver else ""
    ]
    assert opener in expect.short_answers
    first, second = U.phrases(expect), U.second_try(expect)
    assert not set(first) & set(second)
    heard_in, not_in = (first, second) if person.caregiver else (second, first)
    assert f"{opener} seventy" in heard_in and f"{opener} eighty two" in heard_in
    assert not [p for p in not_in if p.startswith(opener)]
    others = {"i'm", "she's", "he's", "they're"} - {opener}
    assert not [p for p in first + second if p.split()[0] in others]
    for said, value in ((f"{opener} seventy", 70), (f"{opener} one hundred and two", 102)):
        got = U.understand(said, expect)
        assert (got.intent, got.value) == ("answer", value)
    # Only the age takes them: "I'm five" is no answer to how many nights.
    nights = expectation(CONTENT.question("nights_per_week"), person)
    assert not [p for p in U.second_try(nights) if p.split()[0] in {opener, *others}]


# ---- a number read back ("I heard 70. Is that right?") --------------------------------------
AGE_READ_BACK = Expectation("yes_no", "age:confirm", 12, 110, corrected_by_number=True,
                            read_back=70)
NIGHTS_READ_BACK = Expectation("yes_no", "nights_per_week:confirm", 0, 7,
                               corrected_by_number=True, read_back=3)
UNSURE_READ_BACK = Expectation("yes_no", "age:confirm", 12, 110, corrected_by_number=True)


@pytest.mark.parametrize(
    ("text", "expect", "value"),
    [
        ("no, seventy five", AGE_READ_BACK, 75),
        ("no it's 75", AGE_READ_BACK, 75),
        ("seventy five", AGE_READ_BACK, 75),
        ("no", AGE_READ_BACK, "no"),
        ("yes it is", AGE_READ_BACK, "yes"),
        ("not sure", AGE_READ_BACK, "unsure"),
        # The number read back, said again: a yes, or with a no a no, never the number.
        ("yes, seventy", AGE_READ_BACK, "yes"),
        ("seventy", AGE_READ_BACK, "yes"),
        ("no, seventy", AGE_READ_BACK, "no"),
        ("no, not seventy", AGE_READ_BACK, "no"),
        ("no, it's not seventy, it's seventy five", AGE_READ_BACK, 75),
        # "Not sure" read back on a number question is corrected the same way.
        ("no, seventy five", UNSURE_READ_BACK, 75),
        ("no, two hundred", AGE_READ_BACK, ("unknown", "out_of_range")),
        ("no, five", AGE_READ_BACK, ("unknown", "out_of_range")),
        ("no, four", NIGHTS_READ_BACK, 4),
        ("not three, four", NIGHTS_READ_BACK, 4),
        ("no, twice", NIGHTS_READ_BACK, 2),
        # A yes elsewhere, a number here.
        ("no, every night", NIGHTS_READ_BACK, 7),
        ("no, most nights", NIGHTS_READ_BACK, 5),
        # Words that are a no as well as a number answer the read-back, not the question.
        ("never", NIGHTS_READ_BACK, "no"),
        ("not at all", NIGHTS_READ_BACK, "no"),
        ("no, none", NIGHTS_READ_BACK, "no"),
        ("go back", NIGHTS_READ_BACK, "back"),
    ],
)
def test_a_read_back_is_answered_or_corrected(text: str, expect: Expectation,
                                             value: object) -> None:
    assert _understood(text, expect) == value


def test_a_read_back_listens_for_no_and_each_number_in_range() -> None:
    phrases = U.phrases(NIGHTS_READ_BACK)
    assert {"yes", "no", "no seven", "no zero", "no three", "no every night"} <= set(phrases)
    assert "no never" not in phrases
    assert "no eight" not in phrases
    # A number on its own is left to typing: in noise the grammar heard "yes" as "fifty".
    assert "seven" not in phrases
    plain = U.phrases(Expectation("yes_no", "urge:confirm"))
    assert not any(p.startswith("no ") and p.split()[1] in ("seven", "three") for p in plain)
    for p in phrases:
        assert U.understand(p, NIGHTS_READ_BACK).intent != "unknown", p


def _age_read_back(person: Person) -> Expectation:
    """The read-back of an age as the check-in makes it, for ``person``."""
    from voiceskill.dialog import Dialog

    dialog = Dialog(CONTENT, person)
    reply = dialog.start()
    for _ in range(40):  # "no" to the safety questions, "yes" to the rest, up to the age
        assert reply.expect is not None, reply
        if reply.expect.question_id == "age":
            break
        said = "no" if reply.expect.question_id.startswith("red_flag") else "yes"
        reply = dialog.hear(Understood("answer", said, said))
    assert reply.expect is not None and reply.expect.question_id == "age", reply
    reply = dialog.hear(Understood("answer", 86, "eighty six"), confident=False)
    assert reply.expect is not None and reply.expect.question_id == "age:confirm", reply
    return reply.expect


def test_a_caregiver_corrects_a_read_back_age_with_she_is() -> None:
    read_back = _age_read_back(Person(True, "Rose", "she"))
    assert read_back.correction_openers == ("she's", "she is")
    phrases = U.phrases(read_back)
    assert {"no she's seventy five", "no she is sixty", "no seventy five"} <= set(phrases)
    for p, value in (("no she's seventy five", 75), ("no she is sixty", 60)):
        assert U.understand(p, read_back).value == value, p
    assert "no they're seventy five" not in phrases
    # (The age is not asked about "he": it matters for pregnancy.)
    theirs = U.phrases(_age_read_back(Person(True, "Sam", "they")))
    assert "no they're seventy five" in theirs and "no she's seventy five" not in theirs


def test_the_speaker_corrects_a_read_back_age_with_i_am() -> None:
    # The question itself waits for a second try to hear "I'm" (see ``second_try``); its
    # read-back takes it with the numbers.
    own = _age_read_back(Person())
    assert own.correction_openers == ("i'm", "i am")
    phrases = U.phrases(own)
    assert {"no i'm seventy five", "no i am sixty", "no seventy five"} <= set(phrases)
    for p, value in (("no i'm seventy five", 75), ("no i am sixty", 60)):
        assert U.understand(p, own).value == value, p
    assert not [p for p in phrases if p.startswith(("no she", "no they"))]


@pytest.mark.parametrize(("said", "meant"), [
    ("yes, sertraline, no others", ["sertraline"]),
    ("she takes sertraline, none other", ["sertraline"]),
    ("yes, zoloft and tylenol pm, no other pills", ["sertraline", "diphenhydramine"]),
    ("yes, sertraline, nothing else", ["sertraline"]),
    # A yes with a name not known: still a yes (the check-in then asks which), never a no.
    ("yes, serafuel, no others", "yes"),
    # Closing words are no answer by themselves, and do not undo a no said first.
    ("no others", "no"),
    ("no, not sertraline, nothing else", "no"),
    ("no, that's all", "no"),
])
def test_words_that_close_a_list_of_medicines_deny_no_more_than_more(
        said: str, meant: object) -> None:
    got = _understood(said, GATE)
    names = [m.name for m in got] if isinstance(got, list) else got
    assert names == meant
