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

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "corpus"
CONTENT = content_mod.load(ROOT / "prompts")
U = Understander(CONTENT)
TUNING = {(i.question, i.text): i for half in typed.TUNING_HALVES for i in typed.load(half)}


def _read(question: str, text: str) -> object:
    """The answer value, the control intent, or "unknown", for oneself."""
    u = U.understand(text, expectation(CONTENT.question(question), Person()))
    return u.value if u.intent == "answer" else u.intent


def _tuning(question: str, text: str) -> str:
    """The label of a tuning item: a test quoting anything else fails."""
    item = TUNING.get((question, text))
    assert item is not None, f"{text!r} at {question} is in no tuning half"
    return item.expect


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
