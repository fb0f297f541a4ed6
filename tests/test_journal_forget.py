"""`voiceskill journal forget`: deleted for real, searched for on disk afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import main
from voiceskill.journal import Journal
from voiceskill.journal.sample import sample_nights
from voiceskill.messages import Person
from voiceskill.preferences import Preferences

ROOT = Path(__file__).resolve().parent.parent
LAST = date(2026, 3, 14)
NAME = "Rosalind"


def _fill(state: Path) -> tuple[int, int]:
    content = content_mod.load(ROOT / "prompts")
    person = Person(caregiver=True, name=NAME, pronoun="she")
    with Journal.open(state) as journal:
        hers = sample_nights(content, LAST, 30, seed=7, person=person)
        mine = sample_nights(content, LAST, 30, seed=8)
        for c in [*hers, *mine]:
            journal.keep(c)
        journal.add_relief(NAME, hers[-1].started, 4, True)
    Preferences(state / "voiceskill.db").remember(NAME, 110, None)
    return len(hers), len(mine)


def _traces(state: Path, text: str) -> list[str]:
    """Every file in the state folder (the database, -wal, -shm, -journal) holding ``text``
    in any case, as UTF-8 or UTF-16 (SQLite's text encodings)."""
    found = []
    for path in state.iterdir():
        data = path.read_bytes().lower()
        for needle in (text.lower().encode(), text.lower().encode("utf-16-le")):
            if needle in data:
                found.append(path.name)
    return found


def test_without_yes_nothing_is_deleted_and_it_says_how(
    _private_state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hers, _ = _fill(_private_state_dir)
    assert main(["journal", "forget", "--name", NAME]) == 0
    out = capsys.readouterr().out
    assert f"This would delete everything kept about {NAME}: {hers} check-ins" in out
    assert f"voiceskill journal forget --name {NAME} --yes" in out
    with Journal.open(_private_state_dir) as journal:
        assert len(journal.checkins(NAME)) == hers


def test_forgetting_a_person_leaves_no_trace_of_the_name(
    _private_state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hers, mine = _fill(_private_state_dir)
    assert _traces(_private_state_dir, NAME)  # the search finds the name while it is kept
    assert main(["journal", "forget", "--name", NAME, "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (f"Deleted everything kept about {NAME}: {hers} check-ins, "
                           "1 relief routine use, 1 remembered voice.")
    assert _traces(_private_state_dir, NAME) == []
    with Journal.open(_private_state_dir) as journal:
        assert len(journal.checkins("")) == mine  # the rest is untouched
        assert journal.checkins(NAME) == [] and journal.reliefs(NAME) == []
        assert journal._query("PRAGMA integrity_check", []) == [("ok",)]
    assert Preferences(_private_state_dir / "voiceskill.db").voice_for(NAME.casefold()) is None


def test_forgetting_everything(_private_state_dir: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    hers, mine = _fill(_private_state_dir)
    assert main(["journal", "forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"Deleted the whole journal: {hers + mine} check-ins, 1 relief routine use." in out
    with Journal.open(_private_state_dir) as journal:
        assert journal.checkins() == []
    # No answer of any check-in survives anywhere in the folder.
    assert _traces(_private_state_dir, "sertraline") == []
    assert main(["journal", "list"]) == 0
    assert "No check-ins kept" in capsys.readouterr().out
