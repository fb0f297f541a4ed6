"""Forgetting for real: the rows, the free pages they leave, the WAL file that saw them.

SQLite leaves deleted rows readable in free pages and in the write-ahead log until they are
overwritten. ``secure_delete`` (set on every journal connection) zeroes the pages a delete
frees, VACUUM rebuilds the file without them, and a TRUNCATE checkpoint empties the WAL
file; tests/test_journal_forget.py searches the files on disk for the name afterwards.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .schema import failure
from .store import Journal, key


@dataclass(frozen=True)
class Forgotten:
    """What was (or would be) deleted."""

    who: str | None
    """None for everyone, '' for oneself, else the name cared for."""
    checkins: int
    reliefs: int
    voices: int
    wal_emptied: bool = True
    """False when another voiceskill had the file open, so its WAL could not be emptied."""

    def describe(self, done: bool) -> str:
        whose = ("the whole journal" if self.who is None
                 else "your own check-ins" if self.who == ""
                 else f"everything kept about {self.who}")
        parts = [_count(self.checkins, "check-in"), _count(self.reliefs, "relief routine use")]
        if self.voices:
            parts.append(_count(self.voices, "remembered voice"))
        what = ", ".join(parts)
        if not done:
            return f"This would delete {whose}: {what}."
        line = f"Deleted {whose}: {what}."
        if not self.wal_emptied:
            line += (" Another voiceskill has the journal open: run this again once it has "
                     "finished, to clear what it still holds.")
        return line


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _where(who: str | None) -> tuple[str, tuple[object, ...]]:
    return ("", ()) if who is None else (" WHERE listener = ?", (key(who),))


def would_forget(journal: Journal, who: str | None) -> Forgotten:
    where, params = _where(who)
    counts = [int(str(journal._query(f"SELECT count(*) FROM {table}{where}", params)[0][0]))
              for table in ("checkin", "relief")]
    voices = 0
    if who is not None:
        # The name is in the remembered voice too: forgetting a person leaves no trace.
        voices = int(str(journal._query(f"SELECT count(*) FROM voice{where}", params)[0][0]))
    return Forgotten(who, counts[0], counts[1], voices)


def forget(journal: Journal, who: str | None) -> Forgotten:
    """Delete ``who``'s check-ins and relief uses (everyone's when None), then make sure no
    copy of them is left in the file or beside it."""
    found = would_forget(journal, who)
    where, params = _where(who)
    with journal._transaction() as db:
        # The answers, causes, medicines and advice go with their check-in (ON DELETE
        # CASCADE).
        db.execute(f"DELETE FROM checkin{where}", params)
        db.execute(f"DELETE FROM relief{where}", params)
        if who is not None:
            db.execute(f"DELETE FROM voice{where}", params)
    try:
        journal._db.execute("VACUUM")
        busy = journal._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error as err:
        raise failure(journal.path, err) from err
    return Forgotten(who, found.checkins, found.reliefs, found.voices, wal_emptied=not busy)
