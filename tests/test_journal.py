"""The night journal on a real SQLite file: round trips, the migration from today's voice
settings database, permissions, the bedside contract, exports read back, the week."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.content import Content
from voiceskill.journal import (
    JOURNAL_VERSION,
    Checkin,
    Journal,
    JournalError,
    week_in_words,
)
from voiceskill.journal.export import CSV_COLUMNS, to_csv, to_json
from voiceskill.journal.sample import PERSONAS, answer, sample_nights
from voiceskill.messages import Person
from voiceskill.preferences import Preferences
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
LAST = date(2026, 3, 14)


@pytest.fixture(scope="module")
def content() -> Content:
    return content_mod.load(ROOT / "prompts")


@pytest.fixture(scope="module")
def understander(content: Content) -> Understander:
    return Understander(content)


def _bedtime(night: date) -> datetime:
    return datetime(night.year, night.month, night.day, 22, 30).astimezone()


def test_a_dialog_round_trips_through_the_journal(
    tmp_path: Path, content: Content, understander: Understander
) -> None:
    d = answer(content, understander, Person(), PERSONAS["restless_sertraline"])
    with Journal.open(tmp_path) as journal:
        ident = journal.keep_checkin(d, started=_bedtime(LAST), finished=True)
        back = journal.get(ident)
    assert back is not None
    result = d.assessment()
    assert back.night == LAST
    assert back.finished and not back.caregiver and back.listener == ""
    assert back.answers["urge"] == "yes" and back.answers["nights_per_week"] == 6
    assert [m["name"] for m in back.answers["medications"]] == ["sertraline"]  # type: ignore[attr-defined]
    assert back.medicines == ({"name": "sertraline", "said": "sertraline", "class": "ssri"},)
    assert [(f.cause, f.likelihood, f.reasons) for f in back.findings] == [
        (f.cause, f.likelihood, f.because) for f in result.likely_triggers]
    assert back.doctor == result.ask_doctor and back.tonight == result.next_steps
    assert back.summary == " ".join(d.summary_lines())
    assert back.bothered and back.nights_per_week == 6


def test_the_bedside_contract(tmp_path: Path, content: Content,
                              understander: Understander) -> None:
    rose = Person(caregiver=True, name="Rose", pronoun="she")
    with Journal.open(tmp_path) as journal:
        assert journal.last_summary(None) is None and journal.last_answers("Rose") is None
        mine = answer(content, understander, Person(), PERSONAS["cramps"])
        journal.keep_checkin(mine, started=_bedtime(LAST - timedelta(days=1)), finished=True)
        hers = answer(content, understander, rose, PERSONAS["restless_coffee"])
        journal.keep_checkin(hers, started=_bedtime(LAST), finished=True)
        cut = answer(content, understander, rose, PERSONAS["calm"], stop_after=2)
        journal.keep_checkin(cut, started=_bedtime(LAST) + timedelta(hours=1), finished=False)
        # The last *finished* check-in: the one cut short later is not it.
        assert journal.last_summary("rose") == " ".join(hers.summary_lines())
        assert journal.last_answers("Rose") == {k: v for k, v in hers.answers.items()}
        assert journal.last_answers(None) == mine.answers
        relief = journal.add_relief("Rose", _bedtime(LAST), steps_heard=4, finished=False)
        assert [(r.id, r.name, r.steps_heard, r.finished) for r in journal.reliefs("rose")] == [
            (relief, "Rose", 4, False)]
        assert journal.reliefs("") == []
        assert [c.finished for c in journal.checkins("Rose")] == [True, False]
        assert journal.names() == ["Rose"]


def test_todays_voice_database_is_migrated_and_keeps_its_voices(
    tmp_path: Path, content: Content, understander: Understander
) -> None:
    path = tmp_path / "voiceskill.db"
    prefs = Preferences(path)
    prefs.remember("Rose", 120, 0.8)  # today's code makes a version 1 database
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "checkin" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    with Journal.open(tmp_path) as journal:
        d = answer(content, understander, Person(), PERSONAS["calm"])
        journal.keep_checkin(d, started=_bedtime(LAST), finished=True)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("SELECT version FROM journal_version").fetchone()[0] == JOURNAL_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = prefs.voice_for("rose")  # today's code still reads the file
    assert stored is not None and (stored.rate, stored.volume) == (120, 0.8)
    with Journal.open(tmp_path) as journal:  # opening again migrates nothing twice
        assert len(journal.checkins()) == 1


def test_a_newer_journal_is_refused_in_one_line(tmp_path: Path) -> None:
    Journal.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "voiceskill.db") as db:
        db.execute("UPDATE journal_version SET version = ?", (JOURNAL_VERSION + 1,))
    with pytest.raises(JournalError, match="newer voiceskill"):
        Journal.open(tmp_path)


def test_a_damaged_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "voiceskill.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(JournalError, match="cannot be used") as err:
        Journal.open(tmp_path)
    assert "\n" not in str(err.value) and "voiceskill.db" in str(err.value)


def test_owner_only_permissions(tmp_path: Path, content: Content,
                                understander: Understander) -> None:
    folder = tmp_path / "voiceskill"
    with Journal.open(folder) as journal:
        d = answer(content, understander, Person(), PERSONAS["calm"])
        journal.keep_checkin(d, started=_bedtime(LAST), finished=True)
        files = [p for p in folder.iterdir()]
        assert {p.name for p in files} >= {"voiceskill.db", "voiceskill.db-wal"}
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_exports_parse_back_and_match_the_journal(tmp_path: Path, content: Content) -> None:
    rose = Person(caregiver=True, name="Rose", pronoun="she")
    with Journal.open(tmp_path) as journal:
        for c in sample_nights(content, LAST, 40, seed=3, person=rose):
            journal.keep(c)
        journal.add_relief("Rose", _bedtime(LAST), 5, True)
        kept = journal.checkins("Rose")
        data = json.loads(to_json(kept, journal.reliefs("Rose")))
        rows = list(csv.DictReader(io.StringIO(to_csv(kept))))
    assert len(kept) > 25
    assert data["checkins"] == [json.loads(json.dumps(c.to_json())) for c in kept]
    assert [r["steps_heard"] for r in data["relief"]] == [5]
    assert len(rows) == len(kept) and tuple(rows[0]) == CSV_COLUMNS
    for row, c in zip(rows, kept, strict=True):
        assert int(row["id"]) == c.id and row["night"] == c.night.isoformat()
        assert row["bothered"] == ("yes" if c.bothered else "no")
        assert json.loads(row["answers"]) == json.loads(json.dumps(dict(c.answers)))
        assert row["likely_triggers"].split(" | ") == (
            [f"{f.cause}:{f.likelihood}" for f in c.findings] or [""])
        assert row["summary"] == c.summary


def test_filters_by_name_and_night(tmp_path: Path, content: Content) -> None:
    with Journal.open(tmp_path) as journal:
        mine = sample_nights(content, LAST, 20, seed=4)
        hers = sample_nights(content, LAST, 20, seed=5,
                             person=Person(caregiver=True, name="Rose", pronoun="she"))
        for c in [*mine, *hers]:
            journal.keep(c)
        since = LAST - timedelta(days=9)
        assert [c.night for c in journal.checkins("", since=since)] == [
            c.night for c in mine if c.night >= since]
        assert len(journal.checkins("ROSE ")) == len(hers)
        assert len(journal.checkins()) == len(mine) + len(hers)


def test_a_check_in_after_midnight_belongs_to_the_night_before() -> None:
    from voiceskill.journal import night_of

    assert night_of(datetime(2026, 3, 15, 2, 10).astimezone()) == date(2026, 3, 14)
    assert night_of(datetime(2026, 3, 14, 21, 0).astimezone()) == date(2026, 3, 14)
    utc = datetime(2026, 3, 14, 22, 0, tzinfo=UTC)
    assert night_of(utc) == night_of(utc.astimezone())


def _night(content: Content, u: Understander, persona: str, night: date,
           person: Person) -> Checkin:
    from voiceskill.journal import from_dialog

    d = answer(content, u, person, PERSONAS[persona])
    return from_dialog(d, started=_bedtime(night), ended=_bedtime(night), finished=True,
                       listener=person.name.casefold())


def test_week_in_words(tmp_path: Path, content: Content, understander: Understander) -> None:
    rose = Person(caregiver=True, name="Rose", pronoun="she")
    with Journal.open(tmp_path) as journal:
        assert week_in_words(journal, "Rose", LAST, content) == (
            "There are no check-ins for Rose this week yet.")
        for ago, persona in ((0, "restless_coffee"), (1, "restless_coffee"), (2, "calm"),
                             (4, "restless_coffee"), (9, "calf_red_flag")):
            journal.keep(_night(content, understander, persona, LAST - timedelta(days=ago), rose))
        journal.add_relief("Rose", _bedtime(LAST), 3, True)
        said = week_in_words(journal, "Rose", LAST, content)
        assert said == ("This week, Rose's legs bothered her on 3 of the 4 nights checked. "
                        "Caffeine or alcohol in the evening came up on 3 nights. "
                        "The relief routine was used 1 time.")
        journal.keep(_night(content, understander, "calf_red_flag", LAST - timedelta(days=3),
                            rose))
        said = week_in_words(journal, "Rose", LAST, content)
        weekday = (LAST - timedelta(days=3)).strftime("%A")
        assert f"A warning sign was reported on {weekday}; make sure a doctor knows." in said
        assert week_in_words(journal, None, LAST, content) == (
            "There are no check-ins this week yet.")


def test_journal_writes_in_one_transaction(tmp_path: Path, content: Content,
                                           understander: Understander,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure part-way through writing a check-in leaves nothing of it behind."""
    from voiceskill.journal import store

    d = answer(content, understander, Person(), PERSONAS["restless_sertraline"])
    with Journal.open(tmp_path) as journal:
        monkeypatch.setattr(store, "ADVICE_KINDS", ("red_flag", "urgent", "tonight"))
        with pytest.raises(ValueError):  # zip(strict=True) fails after the answers are in
            journal.keep_checkin(d, started=_bedtime(LAST), finished=True)
        monkeypatch.undo()
        for table in ("checkin", "answer", "finding", "medicine", "advice"):
            assert journal._query(f"SELECT count(*) FROM {table}", []) == [(0,)], table
        assert journal.keep_checkin(d, started=_bedtime(LAST), finished=True) >= 1


def test_state_folder_from_the_environment(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICESKILL_STATE_DIR", str(tmp_path / "elsewhere"))
    with Journal.open() as journal:
        assert journal.path == tmp_path / "elsewhere" / "voiceskill.db"
    assert os.path.exists(tmp_path / "elsewhere" / "voiceskill.db")
