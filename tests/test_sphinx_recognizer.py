"""The pocketsphinx adapter on speech made at test time (espeak-ng), through the real engine.

Each behaviour is checked on a few fixed recordings (a text, a voice, a rate), each of which
must come out right; synthetic voices are not people, so how often a behaviour holds over many
voices and rates is measured by the benchmark (``python -m benchmarks.sweeps``), not here.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Iterator
from typing import Any, Literal

import pytest

from voiceskill.audio import chunks
from voiceskill.errors import EngineError
from voiceskill.messages import Expectation, Person, Transcript
from voiceskill.testing.phrases import UNRELATED, same
from voiceskill.testing.speech import need_espeak, pcm, with_noise

pytestmark = pytest.mark.voice

Pronoun = Literal["she", "he", "they"]

YES_NO = Expectation("yes_no", question_id="urge")
PEOPLE = [Person(), *(Person(True, "Rose", p) for p in ("she", "he", "they"))]
NUMBER = Expectation("number", question_id="age", low=0, high=100)

CONTROLS = [
    "say that again", "say it again", "repeat that", "repeat", "what", "pardon", "sorry",
    "help", "help me", "what do you mean", "i don't understand", "explain",
    "stop", "goodbye", "good night", "i'm done", "cancel",
    "skip", "skip it", "next question", "pass",
    "go back", "back", "previous question", "undo",
    "slower", "slow down", "louder", "speak up",
]
YES_NO_PHRASES = [
    "yes", "yeah", "yep", "yes please", "sure", "of course", "definitely", "right", "i do",
    "i think so", "a little", "a lot", "sometimes", "often", "always", "most nights",
    "every night", "usually", "kind of",
    "no", "nope", "nah", "no thanks", "not really", "not at all", "never", "none", "i don't",
    "i'm not", "i don't think so", "hardly ever", "rarely", "not often", "not much",
    "not sure", "i'm not sure", "i don't know", "don't know", "maybe", "perhaps",
    "can't remember", "hard to say",
    *CONTROLS,
]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = [
    *_ONES,
    *(t if u == 0 else f"{t} {_ONES[u]}" for t in _TENS for u in range(10)),
    "one hundred",
]
NUMBER_PHRASES = [
    *NUMBER_WORDS,
    *(f"about {w}" for w in NUMBER_WORDS),
    "once", "twice", "never", "none", "a few", "a couple", "every night", "most nights",
    "not sure", "i don't know", "maybe",
    *CONTROLS,
]

VOICES = ["en-us", "en-us+f3", "en-us+m3"]
RATES = [120, 160]



def warmed_up(rec: Any, snr: float | None = None) -> Any:
    """``rec`` after the first two answers of a check-in (in noise at ``snr`` dB, if given), as
    every later answer finds it.

    A recogniser carries what it heard into the next answer (its noise estimate and cepstral
    mean), so each test starts from this same state, whatever ran before it: a recording is
    heard the same on every run, alone or among the others, in one process or two.
    """
    for said in ("no", "seventy"):
        audio = pcm(said)
        if snr is not None:
            audio = with_noise(audio, snr, seed=len(said))
        rec.recognize(chunks(audio), YES_NO, YES_NO_PHRASES)
    return rec


@pytest.fixture
def recognizer() -> Any:
    pytest.importorskip("pocketsphinx")
    need_espeak()
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    # The open pass only fills ``heard``; accuracy does not depend on it, and without it the
    # module runs in a third of the time. One test below covers the open pass.
    return warmed_up(SphinxRecognizer(open_pass=False))


@pytest.fixture
def open_recognizer() -> Any:
    pytest.importorskip("pocketsphinx")
    need_espeak()
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    return SphinxRecognizer()


def _hear(rec: Any, text: str, phrases: list[str], expect: Expectation = YES_NO,
          voice: str = "en-us", rate: int = 140, snr: float | None = None) -> Transcript:
    audio = pcm(text, voice, rate)
    if snr is not None:
        audio = with_noise(audio, snr, seed=len(text) + rate)
    result: Transcript = rec.recognize(chunks(audio), expect, phrases)
    return result


def _meaning(understander: Any, text: str, expect: Expectation) -> tuple[str, object]:
    meant = understander.understand(text, expect)
    return meant.intent, meant.value


# ---- answers -------------------------------------------------------------------------------
# A few fixed recordings per behaviour, each of which must come out right. How often each
# behaviour holds over many voices and rates, against its target, is measured by
# ``python -m benchmarks.sweeps``.
@pytest.mark.parametrize(
    ("text", "voice", "rate"),
    [("yes", "en-us", 120), ("not really", "en-us+f3", 160), ("i think so", "en-us+m3", 120),
     ("not sure", "en-us", 160), ("sometimes", "en-us+f3", 120)],
)
def test_yes_no_and_unsure_answers(recognizer: Any, text: str, voice: str, rate: int) -> None:
    got = _hear(recognizer, text, YES_NO_PHRASES, YES_NO, voice, rate)
    assert same(got.text, text), got


@pytest.mark.parametrize(
    ("text", "person", "voice"),
    [("yes i do", Person(), "en-us+m3"), ("no she doesn't", Person(True, "Rose", "she"), "en-us"),
     ("she does", Person(True, "Rose", "she"), "en-us+f3")],
)
def test_short_replies_that_echo_the_question(
    recognizer: Any, text: str, person: Person, voice: str
) -> None:
    """ "yes I do", "no she doesn't": as common as a bare yes or no, and heard as reliably."""
    from voiceskill import content as content_mod
    from voiceskill.dialog import expectation
    from voiceskill.understanding import Understander

    content = content_mod.load()
    understander = Understander(content)
    expect = expectation(content.question("urge"), person)
    assert text in expect.short_answers
    got = _hear(recognizer, text, understander.phrases(expect), expect, voice)
    assert same(got.text, text), got


def _urge_grammar() -> tuple[Any, Expectation, list[str]]:
    """The urge question's grammar as the check-in builds it, lead-ins included."""
    from voiceskill import content as content_mod
    from voiceskill.dialog import expectation
    from voiceskill.understanding import Understander

    content = content_mod.load()
    understander = Understander(content)
    expect = expectation(content.question("urge"), Person())
    return understander, expect, understander.phrases(expect)


@pytest.mark.parametrize(
    ("text", "voice", "rate"),
    [("oh yes", "en-us", 120), ("um no", "en-us+f3", 160), ("well i think so", "en-us+m3", 120),
     ("oh never", "en-us", 160)],
)
def test_answers_begun_with_a_sound_are_understood(
    recognizer: Any, text: str, voice: str, rate: int
) -> None:
    """ "Oh, yes", "well, no": without lead-ins in the grammar most were not heard, and "oh no"
    was taken as "I don't know", "um no" as "a little" (a yes)."""
    understander, expect, phrases = _urge_grammar()
    got = _hear(recognizer, text, phrases, expect, voice, rate)
    assert _meaning(understander, got.text, expect) == _meaning(understander, text, expect), got


def _number_grammars() -> tuple[Any, dict[str, Expectation]]:
    from voiceskill import content as content_mod
    from voiceskill.dialog import expectation
    from voiceskill.understanding import Understander

    content = content_mod.load()
    # As the check-in asks them: the age question listens for "I'm" before the number too,
    # and in caregiver mode for "she's" with the numbers.
    questions = {q: expectation(content.question(q), Person()) for q in ("age", "nights_per_week")}
    questions["age, caregiver"] = expectation(content.question("age"), Person(True, "Rose", "she"))
    return Understander(content), questions


@pytest.mark.parametrize(
    ("text", "question", "voice", "rate"),
    [("um seventy", "age", "en-us", 160), ("well sixty eight", "age", "en-us+f3", 160),
     ("oh ninety", "age", "en-us", 120), ("well most nights", "nights_per_week", "en-us+m3", 120)],
)
def test_numbers_begun_with_a_sound_are_heard_on_the_second_try(
    recognizer: Any, text: str, question: str, voice: str, rate: int
) -> None:
    """ "Um, seventy": the lead-in phrases are listened for only when the plain numbers
    reject the answer; without that second try the answer is not heard right."""
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    understander, questions = _number_grammars()
    expect = questions[question]
    phrases, second = understander.phrases(expect), understander.second_try(expect)
    assert not set(second) & set(phrases)
    truth = _meaning(understander, text, expect)
    audio = pcm(text, voice, rate)
    # Each way of listening hears the answer as the same point of a check-in.
    first = recognizer.recognize(chunks(audio), expect, phrases, [])
    again = warmed_up(SphinxRecognizer(open_pass=False)).recognize(
        chunks(audio), expect, phrases, second)
    assert _meaning(understander, again.text, expect) == truth, again
    assert _meaning(understander, first.text, expect) != truth, first


@pytest.mark.parametrize(
    ("text", "question", "voice", "rate"),
    [("seventy", "age", "en-us", 120), ("eighty two", "age", "en-us+f3", 160),
     ("twice", "nights_per_week", "en-us+m3", 120)],
)
def test_a_plain_number_is_heard_the_same_with_a_second_try(
    recognizer: Any, text: str, question: str, voice: str, rate: int
) -> None:
    understander, questions = _number_grammars()
    expect = questions[question]
    truth = _meaning(understander, text, expect)
    audio = pcm(text, voice, rate)
    extras: tuple[list[str], ...] = ([], understander.second_try(expect))
    for extra in extras:
        got = recognizer.recognize(chunks(audio), expect, understander.phrases(expect), extra)
        assert _meaning(understander, got.text, expect) == truth, (extra, got)


@pytest.mark.parametrize(
    ("text", "pronoun", "voice", "rate"),
    [("i'm seventy", None, "en-us", 120), ("i am sixty eight", None, "en-us+m3", 160),
     ("she's eighty", "she", "en-us+f3", 120), ("he's seventy five", "he", "en-us", 160)],
)
def test_an_age_said_as_a_sentence_is_heard(
    recognizer: Any, text: str, pronoun: Pronoun | None, voice: str, rate: int
) -> None:
    """ "I'm seventy", "she's eighty": without the words before the number (on the second try
    for "I'm", with the numbers for a caregiver's "she's") most were asked again."""
    from dataclasses import replace

    from voiceskill import content as content_mod
    from voiceskill.dialog import expectation
    from voiceskill.understanding import Understander

    content = content_mod.load()
    understander = Understander(content)
    person = Person(True, "Rose", pronoun) if pronoun else Person()
    expect = expectation(content.question("age"), person)
    assert expect.short_answers
    truth = _meaning(understander, text, expect)
    assert truth[0] == "answer" and isinstance(truth[1], int)
    plain = replace(expect, short_answers=())
    opener = expect.short_answers[0]
    without = understander.phrases(plain) + understander.second_try(plain)
    assert not [p for p in without if p.startswith(opener)]
    got = recognizer.recognize(chunks(pcm(text, voice, rate)), expect,
                               understander.phrases(expect), understander.second_try(expect))
    assert _meaning(understander, got.text, expect) == truth, got


CORRECTIONS_SAID = {
    "she is": ("no she's seventy five", "en-us", True),
    "i am": ("no i am sixty", "en-us+f3", True),
}
"""The correction said, by whom, and whether it is turned away without the openers."""


@pytest.mark.parametrize("opener", sorted(CORRECTIONS_SAID))
def test_a_correction_of_a_read_back_age_is_heard(recognizer: Any, opener: str) -> None:
    """"I heard 86. Is that right?" "No, she's seventy five" from a caregiver, "no, I'm
    seventy five" from the person. With the openers the read-back takes the correction in one
    go; without them it is turned away. Yes and no stay yes and no."""
    from dataclasses import replace

    from voiceskill import content as content_mod
    from voiceskill.content import number_openers, short_forms
    from voiceskill.understanding import Understander

    understander = Understander(content_mod.load())
    read_back = Expectation("yes_no", "age:confirm", 12, 110, short_answers=short_forms("it is"),
                            corrected_by_number=True, read_back=86,
                            correction_openers=number_openers(opener))
    plain = replace(read_back, correction_openers=())
    correction, voice, turned_away = CORRECTIONS_SAID[opener]
    for text, expect, understood in [
        (correction, read_back, True), (correction, plain, not turned_away),
        ("yes", read_back, True), ("no it isn't", read_back, True),
    ]:
        got = recognizer.recognize(chunks(pcm(text, voice)), expect, understander.phrases(expect))
        right = _meaning(understander, got.text, read_back) == _meaning(
            understander, text, read_back)
        assert right is understood, (text, expect.correction_openers, got)


@pytest.mark.parametrize(("text", "voice"), [("five nights", "en-us"), ("four times", "en-us+f3")])
def test_nights_said_with_the_word_nights_are_heard(recognizer: Any, text: str, voice: str) -> None:
    """"Five nights" answers "On how many nights a week...?" as often as "five" does; the
    question's units put it in the grammar. Without them it is turned away."""
    from dataclasses import replace

    understander, questions = _number_grammars()
    expect = questions["nights_per_week"]
    assert expect.units == ("night", "time")
    truth = _meaning(understander, text, expect)
    assert truth[0] == "answer" and isinstance(truth[1], int), text
    audio = pcm(text, voice)
    for heard_as, understood in ((expect, True), (replace(expect, units=(), per=""), False)):
        got = recognizer.recognize(
            chunks(audio), heard_as, understander.phrases(heard_as),
            understander.second_try(heard_as),
        )
        assert (_meaning(understander, got.text, expect) == truth) is understood, got


@pytest.mark.parametrize(
    ("text", "question", "voice"),
    [("can you pass me the remote", "age", "en-us"),
     ("honey did you lock the door", "age, caregiver", "en-us+f3"),
     ("the kettle has boiled", "nights_per_week", "en-us+m3"),
     ("what's the weather like tomorrow", "nights_per_week", "en-us")],
)
def test_unrelated_talk_is_rejected_at_number_questions_on_both_tries(
    recognizer: Any, text: str, question: str, voice: str
) -> None:
    """Unrelated sentences of the benchmark that name no number (a number is an answer there)
    at the nights, age and caregiver-mode age questions, with the second try. A number heard
    would be read back ("I heard 2. Is that right?"), never acted on; over every sentence and
    voice the benchmark holds it under 10% ("turn on the lights" is heard as "two nights")."""
    from benchmarks.run import NAMES_A_NUMBER
    from benchmarks.run import UNRELATED as SENTENCES

    assert text in SENTENCES and text not in NAMES_A_NUMBER
    understander, questions = _number_grammars()
    expect = questions[question]
    got = recognizer.recognize(
        chunks(pcm(text, voice)), expect, understander.phrases(expect),
        understander.second_try(expect),
    )
    assert not got.text or understander.understand(got.text, expect).intent == "unknown", got


@pytest.mark.parametrize(
    ("text", "voice"),
    [("turn on the lights", "en-us"), ("can you pass me the remote", "en-us+f3"),
     ("honey did you lock the door", "en-us+m3")],
)
def test_unrelated_talk_is_rejected_by_the_grammar_with_lead_ins(
    recognizer: Any, text: str, voice: str
) -> None:
    understander, expect, phrases = _urge_grammar()
    assert "oh yes" in phrases
    got = _hear(recognizer, text, phrases, expect, voice=voice)
    assert not got.text or understander.understand(got.text, expect).intent == "unknown", got


def test_in_noise_a_lead_in_does_not_soak_up_unrelated_talk() -> None:
    """At 10 dB a lead-in took the start of "turn on the lights" ("uh, most nights") until
    answers begun with one had to clear a higher bar in a noisy room (``_LEAD_IN_OFFSET``).
    A recogniser of its own: what it heard before changes how it hears (its noise filter and
    cepstral mean), and the check-in order, answers first, is the one measured."""
    pytest.importorskip("pocketsphinx")
    need_espeak()
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    # With the open pass, as the check-in runs: the bar adds to the one for disagreeing.
    rec = SphinxRecognizer()
    understander, expect, phrases = _urge_grammar()
    for text, voice in (("oh yes", "en-us"), ("hmm yes", "en-us+m3")):
        got = _hear(rec, text, phrases, expect, voice=voice, snr=10)
        assert _meaning(understander, got.text, expect) == _meaning(
            understander, text, expect), got
    for voice in VOICES:
        got = _hear(rec, "turn on the lights", phrases, expect, voice=voice, snr=10)
        assert not got.text or understander.understand(got.text, expect).intent == "unknown", (
            voice, got)


def test_in_quiet_a_lead_in_the_open_pass_did_not_hear_needs_a_better_fit() -> None:
    """In quiet, a fresh recogniser with its open pass, the benchmark's items as one voice
    says them. A lead-in took the start of "what time is it" ("well, every night") and "turn
    on the lights" ("uh, not really") while the open pass heard the sentence, until such an
    answer had to clear a higher bar when the open pass heard none of its words
    (``_QUIET_LEAD_IN_OFFSET``); answers begun with a sound are still heard, or at worst
    asked again: "um i don't know" is, since its grammar answer must share a word with the
    open hearing, which here is "oh lying only the oh" (docs/decisions/030)."""
    pytest.importorskip("pocketsphinx")
    need_espeak()
    from benchmarks.run import TimedAudio, audio_for, cases
    from voiceskill import content
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer
    from voiceskill.understanding import Understander

    understander = Understander(content.load())
    rec = SphinxRecognizer()
    said = {"what time is it", "turn on the lights", "oh yes", "um i don't know", "well no"}
    items = [c for c in cases(["en-us+f3"]) if c.text in said and c.group != "unrelated_number"]
    assert {c.text for c in items} == said
    for case in items:
        got = rec.recognize(TimedAudio(audio_for(case, None)), case.expect,
                            understander.phrases(case.expect))
        meant = _meaning(understander, got.text, case.expect) if got.text else None
        if case.group == "unrelated":
            assert meant is None or meant[0] == "unknown", (case.text, got)
        elif case.text == "um i don't know":
            assert meant is None or meant == _meaning(understander, case.text, case.expect)
        else:
            assert meant == _meaning(understander, case.text, case.expect), (case.text, got)


def test_a_yes_is_never_heard_as_a_no_or_the_reverse(recognizer: Any) -> None:
    yes_like = {"yes", "yeah", "yep", "yes please", "sure", "i think so"}
    no_like = {"no", "nope", "nah", "no thanks", "not really", "never", "not at all"}
    for text, forbidden in (("yes", no_like), ("no", yes_like), ("not really", yes_like)):
        for voice in VOICES:
            got = _hear(recognizer, text, YES_NO_PHRASES, voice=voice)
            assert got.text not in forbidden, (text, voice, got)


@pytest.mark.parametrize(
    ("text", "voice", "rate"),
    [("six", "en-us+f3", 120), ("eighty two", "en-us+f3", 160), ("twice", "en-us+m3", 120)],
)
def test_numbers(recognizer: Any, text: str, voice: str, rate: int) -> None:
    # Eighty and ninety are the usual confusion; the share right is measured by the benchmark.
    got = _hear(recognizer, text, NUMBER_PHRASES, NUMBER, voice, rate)
    assert same(got.text, text), got


@pytest.mark.parametrize(
    ("text", "voice", "rate"),
    [("say that again", "en-us", 120), ("go back", "en-us+f3", 160),
     ("what do you mean", "en-us+m3", 120), ("stop", "en-us", 160)],
)
def test_control_phrases(recognizer: Any, text: str, voice: str, rate: int) -> None:
    # One-syllable "help" and "skip" are the weak spot of the embedded model (docs/decisions/008); a
    # missed command is asked again, never misread as yes.
    got = _hear(recognizer, text, YES_NO_PHRASES, YES_NO, voice, rate)
    assert same(got.text, text), got


@pytest.mark.parametrize(
    ("text", "voice", "rate"),
    [("yes", "en-us", 120), ("not really", "en-us+f3", 160), ("go back", "en-us+m3", 120)],
)
def test_answers_in_noise(recognizer: Any, text: str, voice: str, rate: int) -> None:
    got = _hear(recognizer, text, YES_NO_PHRASES, YES_NO, voice, rate, snr=10)
    assert same(got.text, text), got


def test_answers_and_controls_in_steady_noise_as_the_benchmark_says_them() -> None:
    """The benchmark's first thirty answers and controls for one voice, in its order, at 10 dB
    white noise with its rates and pauses, through one recogniser with its open pass (the
    noise filter learns the room from the answers before). Short phrases must be heard: when
    a yes/no grammar made silence as costly as a number grammar does, "what" and "help" plus
    silence lost to silence more often. The share right over every voice is the benchmark's
    (``python -m benchmarks.sweeps --only benchmark_noise``). The grammar's hearing is checked,
    and what the check-in gets must mean the same or be asked again: since a help or voice
    control needs the open pass's support (docs/decisions/039) one may be asked again."""
    pytest.importorskip("pocketsphinx")
    need_espeak()
    from benchmarks.run import TimedAudio, audio_for, cases
    from voiceskill import content
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer
    from voiceskill.understanding import Understander

    understander = Understander(content.load())
    rec = SphinxRecognizer()
    short = {"what", "pardon", "help me", "skip", "yep", "nope"}
    items = [c for c in cases(["en-gb-x-rp"]) if c.group in ("answers", "controls")][:30]
    assert short <= {c.text for c in items}
    for case in items:
        got = rec.recognize(TimedAudio(audio_for(case, 10.0)), case.expect,
                            understander.phrases(case.expect))
        if case.text in short:
            grammar = rec.last_hearing[0]
            meant = _meaning(understander, case.text, case.expect)
            assert grammar.text and _meaning(understander, grammar.text, case.expect) == meant, (
                case, grammar)
            assert got.rejected or _meaning(understander, got.text, case.expect) == meant, (
                case, got)


def test_help_in_steady_noise_is_help_not_an_answer(recognizer: Any) -> None:
    # Without the other ways of saying "help" (answer_words.dict) none of these was heard as
    # help: "rarely" and "i do", answers that would have been recorded.
    from voiceskill import content
    from voiceskill.understanding import Understander

    understander = Understander(content.load())
    heard = [_hear(recognizer, "help", YES_NO_PHRASES, voice=v, rate=r, snr=10).text
             for v in VOICES for r in RATES]
    meant = [understander.understand(h, YES_NO).intent if h else "unknown" for h in heard]
    assert meant.count("help") >= 4, heard
    assert "answer" not in meant, heard


def test_transcript_details(recognizer: Any) -> None:
    got = _hear(recognizer, "not really", YES_NO_PHRASES)
    assert got.text == "not really"
    assert got.engine == "pocketsphinx"
    assert not got.rejected
    assert 0.5 <= got.confidence <= 1.0
    assert [w.text for w in got.words] == ["not", "really"]
    assert all(0.0 <= w.start < w.end <= got.audio_seconds for w in got.words)
    assert got.words[0].end <= got.words[1].start + 1e-9
    assert got.audio_seconds == pytest.approx(len(pcm("not really")) / 32000)


# ---- rejection -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "voice"),
    [("turn on the lights", "en-us"), ("what's the weather like tomorrow", "en-us+f3"),
     ("this program is brought to you by our sponsors", "en-us+m3"),
     ("where did i put my glasses", "en-us")],
)
def test_unrelated_talk_is_rejected(recognizer: Any, text: str, voice: str) -> None:
    got = _hear(recognizer, text, YES_NO_PHRASES, voice=voice)
    assert got.text == "" and got.rejected, got
    assert got.confidence < 0.5


@pytest.mark.parametrize(
    ("text", "voice"),
    [("can you pass me the remote", "en-us"), ("honey did you lock the door", "en-us+f3"),
     ("the president announced new tariffs today", "en-us+m3")],
)
def test_unrelated_talk_in_noise_is_rejected(recognizer: Any, text: str, voice: str) -> None:
    got = _hear(recognizer, text, YES_NO_PHRASES, voice=voice, snr=10)
    assert got.text == "", got


def test_the_margin_is_scaled_by_the_square_root_of_the_duration() -> None:
    from voiceskill.engines.sphinx_checks import duration_margin

    # One second of speech keeps its per-frame ratio ...
    assert duration_margin(-30.0 * 100, 100) == pytest.approx(-30.0)
    # ... a short answer with the same per-frame fit scores higher, and long talk lower.
    assert duration_margin(-30.0 * 25, 25) == pytest.approx(-15.0)
    assert duration_margin(-30.0 * 400, 400) == pytest.approx(-60.0)
    assert duration_margin(0.0, 0) == 0.0


def test_unrelated_talk_is_rejected_by_a_number_grammar(recognizer: Any) -> None:
    accepted = [
        (text, got.text)
        for text in UNRELATED[:4]
        for voice in VOICES[:2]
        if (got := _hear(recognizer, text, NUMBER_PHRASES, NUMBER, voice=voice)).text
    ]
    assert len(accepted) <= 1, accepted


def _noise_burst(seconds: float, level: float, seed: int) -> bytes:
    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(seconds * 16000)
    burst = rng.normal(0.0, level, n) * np.exp(-np.arange(n) / (0.08 * 16000))
    pad = np.zeros(int(0.3 * 16000))
    samples = np.concatenate([pad, burst, pad])
    return bytes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_cough_or_noise_burst_is_not_an_answer(recognizer: Any, seed: int) -> None:
    pytest.importorskip("numpy")
    got = recognizer.recognize(chunks(_noise_burst(0.3 + 0.1 * seed, 9000, seed)), YES_NO,
                               YES_NO_PHRASES)
    assert got.text == "", got


def test_silence_is_empty(recognizer: Any) -> None:
    got = recognizer.recognize(chunks(bytes(2 * 16000 * 2)), YES_NO, YES_NO_PHRASES)
    assert got.text == ""
    assert got.audio_seconds == pytest.approx(2.0)


def test_rejection_keeps_what_the_open_pass_heard(open_recognizer: Any) -> None:
    got = _hear(open_recognizer, "what's the weather like tomorrow", YES_NO_PHRASES)
    assert got.text == "" and got.rejected
    # The open pass knows the check-in's words only: "weather" is not among them.
    assert {"like", "tomorrow"} <= set(got.heard.split()), got


# ---- free recognition and vocabulary -------------------------------------------------------
def test_free_recognition_of_a_sentence(open_recognizer: Any) -> None:
    expect = Expectation("medications", question_id="medications")
    sentence = "the cat is sleeping on the sofa"
    hits = 0
    for voice in VOICES[:2]:
        got = _hear(open_recognizer, sentence, [], expect, voice=voice)
        assert not got.rejected
        assert 0.0 <= got.confidence <= 1.0
        hits += len(set(got.text.split()) & set(sentence.split()))
    assert hits >= 0.6 * 2 * len(set(sentence.split())), hits


def test_free_recognition_of_silence_is_empty(open_recognizer: Any) -> None:
    expect = Expectation("medications")
    got = open_recognizer.recognize(chunks(bytes(32000)), expect, [])
    assert got.text == ""


def test_every_question_grammar_is_in_the_dictionary(recognizer: Any) -> None:
    """Every word any question listens for has a pronunciation, so no phrase is dropped."""
    from voiceskill import content as content_mod
    from voiceskill.dialog import expectation
    from voiceskill.understanding import Understander

    content = content_mod.load()
    understander = Understander(content)
    for person in PEOPLE:
        for q in content.questions:
            phrases = understander.phrases(expectation(q, person))
            assert phrases, q.id
            assert recognizer.unknown_words(phrases) == [], (q.id, person)
    # The read-backs: "I heard yes. Is that right?" and "Do you want to stop for tonight?"
    for short in (("yes it is", "no it isn't"), ("yes i do", "no i don't")):
        confirm = understander.phrases(Expectation("yes_no", "urge:confirm", short_answers=short))
        assert recognizer.unknown_words(confirm) == [], short


def test_unknown_words_and_odd_characters_are_filtered(recognizer: Any) -> None:
    phrases = ["Yes!", "no", "don\u2019t know", "xyzzy please", "zzyzx", "", "###",
               "i'm not sure", "  NOT   really "]
    assert recognizer.unknown_words(phrases) == ["xyzzy", "zzyzx"]
    assert recognizer.usable_phrases(phrases) == [
        "yes", "no", "don't know", "i'm not sure", "not really",
    ]
    got = _hear(recognizer, "not really", phrases)
    assert got.text == "not really"


def test_only_unknown_phrases_fall_back_to_free_recognition(recognizer: Any) -> None:
    got = _hear(recognizer, "yes", ["xyzzy", "zzyzx"])
    assert not got.rejected
    assert got.text in {"yes", "yeah", "yes yes"} or "yes" in got.text.split(), got


def test_grammars_are_reused_and_switched(recognizer: Any) -> None:
    first = _hear(recognizer, "six", NUMBER_PHRASES, NUMBER)
    other = _hear(recognizer, "no", YES_NO_PHRASES)
    again = _hear(recognizer, "six", NUMBER_PHRASES, NUMBER)
    assert (first.text, other.text, again.text) == ("six", "no", "six")


# ---- speed and failure ---------------------------------------------------------------------
def test_only_finalising_is_left_when_the_audio_ends(recognizer: Any) -> None:
    audio = pcm("i think so, yes, most nights, every night", "en-us", 120)
    audio = (audio * 2)[: 3 * 32000]
    ended: list[float] = []

    def stream() -> Iterator[bytes]:
        yield from chunks(audio)
        ended.append(time.perf_counter())

    lags = []
    for _ in range(3):
        recognizer.recognize(stream(), YES_NO, YES_NO_PHRASES)
        lags.append(time.perf_counter() - ended[-1])
    assert sorted(lags)[1] < 0.15, lags


def test_missing_pocketsphinx_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pocketsphinx(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pocketsphinx" or name.startswith("pocketsphinx."):
            raise ImportError("No module named 'pocketsphinx'", name="pocketsphinx")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pocketsphinx)
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    with pytest.raises(EngineError, match="pip install pocketsphinx"):
        SphinxRecognizer()


def test_a_word_stretched_over_a_sentence_is_not_an_answer() -> None:
    from voiceskill.engines.sphinx_checks import stretched_word

    class Seg:
        def __init__(self, word: str, start: int, end: int) -> None:
            self.word, self.start_frame, self.end_frame = word, start, end

    phones = {"what": "W AH T", "say": "S EY", "that": "DH AE T", "again": "AH G EH N"}
    # "what" pulled over two seconds of "the heating is making that noise again" ...
    assert stretched_word([Seg("what", 10, 210)], phones.get)
    # ... but a slow "what" of 1.2 s, or a slow "say that again", is speech.
    assert not stretched_word([Seg("what", 10, 130)], phones.get)
    slow = [Seg("say", 5, 60), Seg("that", 61, 130), Seg("again", 131, 300)]
    assert not stretched_word(slow, phones.get)
    # Alternate pronunciations are looked up under their base word.
    assert stretched_word([Seg("what(2)", 0, 400)], phones.get)


def test_a_short_phrase_among_many_sounds_is_not_an_answer() -> None:
    from voiceskill.engines.sphinx_checks import crowded_answer

    class Seg:
        def __init__(self, word: str, start: int, end: int) -> None:
            self.word, self.start_frame, self.end_frame = word, start, end

    phones = {"a": "AH", "lot": "L AA T", "yes": "Y EH S"}
    answer = [Seg("<sil>", 0, 20), Seg("a", 21, 40), Seg("lot", 41, 90), Seg("</s>", 91, 99)]
    # "turn on the lights" in noise: the loop hears nine sounds where "a lot" has four ...
    sentence = ["T", "ER", "N", "AA", "N", "DH", "AH", "L", "AY"]
    loop = [Seg("SIL", 0, 20)] + [Seg(p, 21 + 8 * i, 28 + 8 * i) for i, p in enumerate(sentence)]
    assert crowded_answer(answer[1:3], loop, phones.get)
    # ... while "a lot" itself, with a sound split in two and a touch of noise at each end,
    # is an answer.
    own = [Seg("+NSN+", 15, 22), Seg("AH", 23, 40), Seg("L", 41, 50), Seg("AA", 51, 70),
           Seg("AA", 71, 80), Seg("T", 81, 90), Seg("SIL", 91, 99)]
    assert not crowded_answer(answer[1:3], own, phones.get)
    # The count covers only the answer's frames: talk before a "yes" does not count.
    before = [Seg(p, 8 * i, 8 * i + 7) for i, p in enumerate(sentence)]
    yes = [Seg("Y", 100, 110), Seg("EH", 111, 130), Seg("S", 131, 150)]
    assert not crowded_answer([Seg("yes", 100, 150)], before + yes, phones.get)
    assert not crowded_answer([], loop, phones.get)
    # A slow "no" whose drawn-out vowel the loop hears as four vowels is still an answer.
    slow_no = [Seg("SIL", 0, 24), Seg("DH", 25, 30), Seg("UW", 31, 45), Seg("UH", 46, 54),
               Seg("AA", 55, 87), Seg("OW", 88, 118), Seg("SIL", 119, 233)]
    assert not crowded_answer([Seg("no", 27, 118)], slow_no, phones.get)


def test_slow_answers_are_still_heard(recognizer: Any) -> None:
    # Older listeners answer slowly; 80 words a minute is espeak-ng's slowest.
    said = [(text, voice) for text in ("yes", "no", "not really") for voice in VOICES[:2]]
    heard = [
        (text, _hear(recognizer, text, YES_NO_PHRASES, voice=voice, rate=80).text)
        for text, voice in said
    ]
    assert all(text == got for text, got in heard), heard


def test_the_open_pass_disagrees_only_when_it_heard_other_words() -> None:
    from voiceskill.engines.sphinx_checks import disagrees

    # "what time is it" squeezed into "what do you mean": the open pass heard other words.
    assert disagrees("what do you mean", "while find relief")
    # One word in common is agreement; the open pass mishears short answers too often to ask
    # for more.
    assert not disagrees("what do you mean", "what i'd do the")
    assert not disagrees("yes", "yes do you prefer")
    # Nothing heard (no open pass, or it heard nothing) is no disagreement.
    assert not disagrees("yes", "")
    # A hesitation sound heard by both is no agreement on the answer.
    assert disagrees("well i don't know", "well so i'll tell you")
    assert not disagrees("well no", "well no")
    assert not disagrees("oh yes", "oh")


def test_an_answer_begun_with_a_hesitation_is_told_apart() -> None:
    from voiceskill.engines.sphinx_checks import begins_with_hesitation

    assert begins_with_hesitation("um i don't know") and begins_with_hesitation("well no")
    assert not begins_with_hesitation("well") and not begins_with_hesitation("no thanks")
    assert not begins_with_hesitation("what do you mean")


def test_every_lead_in_the_content_listens_for_is_a_hesitation_to_the_engine() -> None:
    """A lead-in the engine did not know as one would escape the higher bar in a noisy room
    and count as the open pass agreeing ("well ..."), so it would take unrelated talk."""
    from voiceskill import content as content_mod
    from voiceskill.engines.sphinx_checks import begins_with_hesitation

    lead_ins = content_mod.load().vocabulary.listen_for["lead_ins"]
    assert lead_ins
    unknown = [w for w in lead_ins if not begins_with_hesitation(f"{w} no")]
    assert not unknown, f"add {unknown} to _HESITATIONS in sphinx_checks.py"


@pytest.mark.parametrize(
    ("snr", "noisy"), [(None, False), (30, False), (10, True), (5, True)]
)
def test_a_noisy_room_is_told_from_the_answer_itself(snr: float | None, noisy: bool) -> None:
    need_espeak()
    import numpy

    from voiceskill.engines.sphinx_signal import Level as _Level

    # A pause before and after, as the microphone's pre-roll and end-of-answer silence give.
    audio = bytes(6400) + pcm("i think so") + bytes(16000)
    if snr is not None:
        audio = with_noise(audio, snr, seed=7)
    level = _Level(numpy)
    for piece in chunks(audio):
        level.feed(piece)
    assert level.noisy() is noisy, level.above_quiet_db()


def test_too_little_audio_is_taken_for_a_quiet_room() -> None:
    import numpy

    from voiceskill.engines.sphinx_signal import Level as _Level

    level = _Level(numpy)
    level.feed(bytes(640 * 3))
    assert not level.noisy()


def test_without_a_second_try_decoder_numbers_are_still_heard(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The second try is an extra: a decoder that cannot be made costs it, not the microphone."""
    pytest.importorskip("pocketsphinx")
    need_espeak()
    import pocketsphinx

    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    rec = SphinxRecognizer(open_pass=False)
    understander, questions = _number_grammars()
    age = questions["age"]

    def no_memory(**_: Any) -> Any:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pocketsphinx, "Decoder", no_memory)
    with caplog.at_level("WARNING"):
        for _ in range(2):
            got = rec.recognize(chunks(pcm("seventy")), age, understander.phrases(age),
                                understander.second_try(age))
            assert understander.understand(got.text, age).value == 70, got
    assert [r.message for r in caplog.records].count(
        "pocketsphinx: no second try at number questions (out of memory)"
    ) == 1
