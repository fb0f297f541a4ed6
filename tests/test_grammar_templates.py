"""The grammar templates of prompts/grammar.yaml: their syntax, and that every wording they
stand for is understood as the meaning it is listed under (docs/decisions/024)."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.errors import ContentError
from voiceskill.messages import Person
from voiceskill.understanding import Understander
from voiceskill.understanding.templates import MEANINGS, expand, load

ROOT = Path(__file__).resolve().parent.parent
CONTENT = content_mod.load(ROOT / "prompts")
TEMPLATES = load(ROOT / "prompts")


def test_alternatives_and_optional_parts_expand_in_order() -> None:
    assert expand("(no|nope) [thanks]") == ["no", "no thanks", "nope", "nope thanks"]
    assert expand("i ((do|don't) think|reckon) so") == [
        "i do think so", "i don't think so", "i reckon so"]
    assert expand("[oh] yes") == ["yes", "oh yes"]


@pytest.mark.parametrize("bad", ["(yes|no", "yes]", "[(a|b]", "a)"])
def test_a_broken_template_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        expand(bad)


def test_a_bad_file_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "grammar.yaml").write_text('yes_no:\n  "yes":\n    - "(yes|yeah"\n')
    with pytest.raises(ContentError, match=r"grammar.yaml: yes_no.yes\[0\]: .*missing"):
        load(tmp_path)
    (tmp_path / "grammar.yaml").write_text('yes_no:\n  maybe: ["perhaps"]\n')
    with pytest.raises(ContentError, match=r"yes_no\.maybe: unknown meaning"):
        load(tmp_path)


def test_no_file_is_no_templates(tmp_path: Path) -> None:
    assert load(tmp_path).phrases() == []


def test_every_meaning_has_wordings() -> None:
    assert all(len(TEMPLATES.yes_no[m]) >= 20 for m in MEANINGS)


@pytest.mark.parametrize("person", [Person(), Person(True, "Rose", "she")])
def test_every_wording_is_understood_as_listed(person: Person) -> None:
    understander = Understander(CONTENT)
    wrong = []
    for question in ("urge", "snoring", "daytime_sleepy"):
        expect = expectation(CONTENT.question(question), person)
        for meaning in MEANINGS:
            for phrase in TEMPLATES.yes_no[meaning]:
                got = understander.understand(phrase, expect)
                if got.intent != "answer" or got.value != meaning:
                    wrong.append((question, phrase, meaning, got.intent, got.value))
    assert not wrong, wrong
