"""The second list of typed answers (benchmarks/corpus/research_*.tsv), and the readings
made on its tuning half and the first list's (docs/decisions/032).

Examples are quoted from tuning halves only; each test checks that what it quotes is there.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from benchmarks import typed
from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.messages import Person
from voiceskill.understanding import Understander
from voiceskill.understanding.templates import expand

from .typed_lists import CONTENT, U
from .typed_lists import listed as _tuning
from .typed_lists import read as _read

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "corpus"


# ---- the list and its split --------------------------------------------------------------

# Split once, before any reading was changed; a changed file must be a deliberate change.
RESEARCH = {
    "research_tuning": ("58a158b47d3c34968e39eb97bc40c62458ef5f06f9db4ab99f61125554b040a5", 182),
    "research_held_out": ("022e186ff951683ed18df67cefd9922f54067a7a5934a9964498632e5f9d3ddf", 179),
}


@pytest.mark.parametrize("half", sorted(RESEARCH))
def test_the_research_split_is_stable(half: str) -> None:
    digest, count = RESEARCH[half]
    assert hashlib.sha256((CORPUS / f"{half}.tsv").read_bytes()).hexdigest() == digest
    assert len(typed.load(half)) == count


def test_the_halves_are_the_documented_split_of_their_union() -> None:
    tuning, held = (typed.load(h) for h in typed.RESEARCH)
    again = typed.split([*tuning, *held])
    assert {i.text for i in again[0]} == {i.text for i in tuning}
    assert {i.text for i in again[1]} == {i.text for i in held}


def test_the_split_keeps_a_phrase_in_one_half_and_deals_strata_alternately() -> None:
    items = [typed.Item("yes_no", q, "I don't know", "unsure", "swbd") for q in ("urge", "stress")]
    items += [typed.Item("number", "age", str(n), str(n), "clinical") for n in range(40, 50)]
    first, second = typed.split(items, seed=1)
    assert {i.question for i in first + second if i.text == "I don't know"} == {"urge", "stress"}
    assert len({i.text for i in first} & {i.text for i in second}) == 0
    # Ten strata of one phrase each: dealt on alternately, not all to the first half.
    assert abs(len(first) - len(second)) <= 2


def test_every_research_item_is_well_formed_and_every_kind_in_each_half() -> None:
    meanings = {"yes_no": {"yes", "no", "unsure"}, "not_answer": {"unknown"}}
    sources = {"circa", "swbd", "ca", "ovos", "ha", "lex", "rasa", "paradox", "clinical"}
    for half in typed.RESEARCH:
        with (CORPUS / f"{half}.tsv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        assert {r["kind"] for r in rows} == set(typed.KINDS)
        for row in rows:
            CONTENT.question(row["question"])  # raises for an unknown id
            assert row["source"] in sources, row
            if row["kind"] in meanings:
                assert row["expect"] in meanings[row["kind"]], row
    assert sum(len(typed.load(h)) for h in typed.RESEARCH) >= 300


# ---- answers in the question's own words (says: in questions.yaml) -------------------------

OWN_WORDS = [
    ("snoring", "he snores like a chainsaw"),
    ("kicking", "my wife says I kick"),
    ("kicking", "he kicks me all night"),
    ("worse_evening", "it's worse at night"),
    ("worse_evening", "it's worse in the mornings"),
    ("worse_evening", "it's the same all day"),
    ("worse_at_rest", "it's worst when I lie still in bed"),
    ("worse_at_rest", "sitting still makes it worse"),
    ("worse_at_rest", "mostly when I'm sitting watching telly"),
    ("relief_moving", "walking eases it"),
    ("relief_moving", "walking helps a lot"),
    ("position_once", "it goes away for good"),
    ("daytime_sleepy", "I feel sleepy most afternoons"),
    ("stress", "I've been feeling low"),
    ("caffeine_alcohol", "I drink tea at night"),
    ("caffeine_alcohol", "just water"),
    ("cramps", "I get awful cramps in my calf"),
    ("low_iron", "I'm vegetarian"),
]


@pytest.mark.parametrize(("question", "text"), OWN_WORDS)
def test_an_answer_in_the_questions_own_words(question: str, text: str) -> None:
    assert _read(question, text) == _tuning(question, text)


@pytest.mark.parametrize(
    ("question", "text", "meaning"),
    [
        # A negation up to three words before a yes of the question's own makes it a no...
        ("snoring", "he doesn't snore", "no"),
        ("snoring", "I don't think he snores", "no"),
        ("position_once", "it never goes away for good", "no"),
        ("daytime_sleepy", "I'm not tired", "no"),
        # ...one further away leaves it to the reader: "I don't know" is not sure.
        ("snoring", "I don't know if he snores", "unsure"),
        # The past is not now: asked again, never a yes.
        ("caffeine_alcohol", "I gave up coffee", "unknown"),
        ("caffeine_alcohol", "I used to drink wine at night", "unknown"),
        # Own words that disagree, or a yes/no against them: which is meant cannot be told.
        ("worse_evening", "worse at night and worse in the morning", "unknown"),
        ("snoring", "no, he snores", "unknown"),
        # A yes/no that agrees stands, and "no, I'm a woman" is still a no.
        ("snoring", "yes, he snores", "yes"),
        ("male", "no, I'm a woman", "no"),
        ("male", "I'm not a man", "no"),
    ],
)
def test_how_far_the_questions_own_words_reach(question: str, text: str, meaning: str) -> None:
    assert _read(question, text) == meaning


def test_own_word_templates_are_read_but_not_listened_for() -> None:
    """Grammars keep the plain own answers ("a woman"); the templates are for free speech."""
    snoring = expectation(CONTENT.question("snoring"), Person())
    assert not any("snore" in p for p in U.phrases(snoring))
    male = expectation(CONTENT.question("male"), Person())
    assert "a woman" in U.phrases(male)
    for q in CONTENT.questions:
        templated = {w for p, _ in q.says if set(p) & set("()[]|") for w in expand(p)}
        if templated:
            listened = set(U.phrases(expectation(q, Person())))
            assert not listened & (templated - {p for p, _ in q.says}), q.id


def test_a_broken_own_word_template_is_refused_when_content_loads(tmp_path: Path) -> None:
    import shutil

    from voiceskill.errors import ContentError

    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    questions = prompts / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace('"(snore|snores|snoring|snored)"', '"(snore|snores"'),
                         encoding="utf-8")
    with pytest.raises(ContentError, match=r"questions.yaml: questions \(snoring\)\.says\.yes"):
        Understander(content_mod.load(prompts))


# ---- the yes/no reader: repetitional answers, trying, hedges ------------------------------


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("kicking", "nobody has"),  # a repetitional no with nobody as its subject
        ("kicking", "no one would know, I sleep alone"),  # nobody could tell: not sure
        ("position_once", "I haven't tried"),  # not having tried: not sure, not a no
        ("augmentation", "I can't tell"),
        ("worse_evening", "most of the time"),
    ],
)
def test_the_reader_on_tuning_answers(question: str, text: str) -> None:
    assert _read(question, text) == _tuning(question, text)


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("no one ever does", "no"),
        ("they've never checked", "unsure"),
        ("I haven't noticed", "no"),  # noticing is no trying: still a no
        ("nobody has told me he kicks at night", "unknown"),  # longer: not read as an echo
    ],
)
def test_nobody_and_trying_stay_narrow(text: str, meaning: str) -> None:
    assert _read("urge", text) == meaning


# ---- controls ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("urge", "could you ask me that again"),
        ("nights_per_week", "what should I answer"),
        ("urge", "I got the last one wrong"),
        ("urge", "I want to quit"),
    ],
)
def test_control_wordings(question: str, text: str) -> None:
    assert _read(question, text) == _tuning(question, text)


def test_the_own_words_conversations_quote_tuning_answers_only() -> None:
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "conversations" / "own_words.yaml").read_text())
    quoted = 0
    for conv in data["conversations"]:
        for question, text in conv["replies"].items():
            if text not in ("yes", "no"):
                _tuning(question, text)
                quoted += 1
    assert quoted >= 15


@pytest.mark.parametrize(
    ("question", "text", "meaning"),
    [
        ("breathing_pauses", "he stopped breathing for a bit", "yes"),  # own words, no stop
        ("caffeine_alcohol", "do you want a cup of tea, love", "unknown"),  # said to someone
        ("daytime_sleepy", "are you tired, love", "unknown"),
    ],
)
def test_own_words_in_talk_that_is_no_answer(question: str, text: str, meaning: str) -> None:
    assert _read(question, text) == meaning
