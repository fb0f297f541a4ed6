"""The night journal: every check-in, finished or cut short, in the state database.

One transaction per check-in, written the moment it ends, so a check-in is either kept
whole or not at all, whatever stops the process. The file is the one preferences.py keeps
the remembered voices in, owner-only (0600, folder 0700), in WAL mode so a reader (the
report, the bedside mode) never waits for a writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType

from ..dialog import Dialog
from ..preferences import listener_for
from ..preferences import state_dir as default_state_dir
from .record import Checkin, Finding, from_dialog, night_of
from .schema import JournalError, connect, failure

DB_NAME = "voiceskill.db"
ADVICE_KINDS = ("red_flag", "urgent", "tonight", "doctor")


@dataclass(frozen=True)
class Relief:
    """One use of the relief routine (the bedside mode's calming steps)."""

    id: int
    started: datetime
    name: str
    steps_heard: int
    finished: bool

    @property
    def night(self) -> date:
        return night_of(self.started)


def key(name: str | None) -> str:
    """The listener key: '' for oneself, else the name cared for, casefolded."""
    return (name or "").strip().casefold()


class Journal:
    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    @classmethod
    def open(cls, state_dir: Path | None = None) -> Journal:
        path = (state_dir or default_state_dir()) / DB_NAME
        return cls(path, connect(path))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ---- writing ----------------------------------------------------------------------
    def keep_checkin(self, dialog: Dialog, *, started: datetime, finished: bool) -> int:
        record = from_dialog(dialog, started=started, ended=datetime.now(UTC),
                             finished=finished, listener=key(listener_for(dialog.person)))
        return self.keep(record)

    def keep(self, c: Checkin) -> int:
        """Write one check-in in one transaction; returns its id."""
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO checkin (started, ended, night, listener, name, caregiver, pronoun,"
                " finished, stopped_early, bothered, nights_per_week, severity, urgent,"
                " emergency, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(c.started), _iso(c.ended), c.night.isoformat(), c.listener, c.name,
                 c.caregiver, c.pronoun, c.finished, c.stopped_early, c.bothered,
                 c.nights_per_week, c.severity, c.urgent, c.emergency, c.summary),
            )
            ident = int(cur.lastrowid or 0)
            db.executemany("INSERT INTO answer VALUES (?, ?, ?)",
                           [(ident, q, json.dumps(v, ensure_ascii=False))
                            for q, v in c.answers.items()])
            db.executemany("INSERT INTO finding VALUES (?, ?, ?, ?, ?, ?)",
                           [(ident, i, f.cause, f.likelihood, json.dumps(list(f.reasons)),
                             f.background) for i, f in enumerate(c.findings)])
            db.executemany("INSERT INTO medicine VALUES (?, ?, ?, ?)",
                           [(ident, m["name"], m["said"], m["class"]) for m in c.medicines])
            rows = []
            for kind, texts in zip(ADVICE_KINDS, (c.red_flags, c.urgent_advice, c.tonight,
                                                  c.doctor), strict=True):
                rows += [(ident, kind, i, t) for i, t in enumerate(texts)]
            db.executemany("INSERT INTO advice VALUES (?, ?, ?, ?)", rows)
        return ident

    def add_relief(self, name: str | None, started: datetime, steps_heard: int,
                   finished: bool) -> int:
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO relief (started, night, listener, name, steps_heard, finished)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (_iso(started), night_of(started).isoformat(), key(name), (name or "").strip(),
                 steps_heard, finished),
            )
            return int(cur.lastrowid or 0)

    # ---- reading ----------------------------------------------------------------------
    def checkins(self, who: str | None = None, since: date | None = None,
                 until: date | None = None) -> list[Checkin]:
        """Check-ins, oldest first. ``who``: None for everyone, '' for oneself, or a name."""
        where, params = _filter(who, since, until)
        return self._load(f"SELECT * FROM checkin{where} ORDER BY started, id", params)

    def get(self, ident: int) -> Checkin | None:
        found = self._load("SELECT * FROM checkin WHERE id = ?", [ident])
        return found[0] if found else None

    def last_finished(self, name: str | None) -> Checkin | None:
        found = self._load("SELECT * FROM checkin WHERE listener = ? AND finished = 1"
                           " ORDER BY started DESC, id DESC LIMIT 1", [key(name)])
        return found[0] if found else None

    def last_summary(self, name: str | None) -> str | None:
        last = self.last_finished(name)
        return None if last is None else last.summary

    def last_answers(self, name: str | None) -> dict[str, object] | None:
        last = self.last_finished(name)
        return None if last is None else dict(last.answers)

    def reliefs(self, who: str | None = None, since: date | None = None,
                until: date | None = None) -> list[Relief]:
        where, params = _filter(who, since, until)
        rows = self._query(f"SELECT id, started, name, steps_heard, finished FROM relief{where}"
                           " ORDER BY started, id", params)
        return [Relief(int(str(r[0])), datetime.fromisoformat(str(r[1])), str(r[2]),
                       int(str(r[3])), bool(r[4])) for r in rows]

    def names(self) -> list[str]:
        """The people cared for who have check-ins, as first written."""
        rows = self._query("SELECT name FROM checkin WHERE listener != '' GROUP BY listener"
                           " ORDER BY listener", [])
        return [str(r[0]) for r in rows]

    # ---- plumbing ---------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def _query(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        try:
            return list(self._db.execute(sql, params).fetchall())
        except sqlite3.Error as err:
            raise failure(self.path, err) from err

    def _load(self, sql: str, params: Sequence[object]) -> list[Checkin]:
        try:
            # One read transaction: a check-in written meanwhile is seen whole or not at all.
            self._db.execute("BEGIN")
            try:
                cur = self._db.execute(sql, params)
                names = [d[0] for d in cur.description]
                heads = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
                parts = self._parts([int(h["id"]) for h in heads])
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as err:
            raise failure(self.path, err) from err
        return [_checkin(h, parts) for h in heads]

    def _parts(self, ids: list[int]) -> dict[str, dict[int, list[tuple[object, ...]]]]:
        parts: dict[str, dict[int, list[tuple[object, ...]]]] = {}
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id INTEGER PRIMARY KEY)")
        self._db.execute("DELETE FROM temp.wanted")
        self._db.executemany("INSERT INTO temp.wanted VALUES (?)", [(i,) for i in ids])
        for table, columns, order in (
            ("answer", "question, value", "rowid"),
            ("finding", "cause, likelihood, reasons, background", "rank"),
            ("medicine", "name, said, class", "rowid"),
            ("advice", "kind, text", "kind, position"),
        ):
            grouped: dict[int, list[tuple[object, ...]]] = defaultdict(list)
            for row in self._db.execute(
                f"SELECT checkin, {columns} FROM {table} WHERE checkin IN"
                f" (SELECT id FROM temp.wanted) ORDER BY checkin, {order}"
            ):
                grouped[int(row[0])].append(tuple(row[1:]))
            parts[table] = grouped
        return parts


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any failure, even KeyboardInterrupt."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.journal._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise failure(self.journal.path, err) from err
        return self.journal._db

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        db = self.journal._db
        if kind is None:
            try:
                db.execute("COMMIT")
                return
            except sqlite3.Error as err:
                db.execute("ROLLBACK")
                raise failure(self.journal.path, err) from err
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(value, sqlite3.Error):
            raise failure(self.journal.path, value) from value


def _filter(who: str | None, since: date | None, until: date | None
            ) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if who is not None:
        clauses.append("listener = ?")
        params.append(key(who))
    if since is not None:
        clauses.append("night >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("night <= ?")
        params.append(until.isoformat())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _checkin(h: dict[str, object], parts: dict[str, dict[int, list[tuple[object, ...]]]]
             ) -> Checkin:
    ident = int(str(h["id"]))
    advice: dict[str, list[str]] = defaultdict(list)
    for kind, text in parts["advice"].get(ident, []):
        advice[str(kind)].append(str(text))
    return Checkin(
        id=ident,
        started=datetime.fromisoformat(str(h["started"])),
        ended=datetime.fromisoformat(str(h["ended"])),
        listener=str(h["listener"]),
        name=str(h["name"]),
        caregiver=bool(h["caregiver"]),
        pronoun=str(h["pronoun"]),
        finished=bool(h["finished"]),
        stopped_early=bool(h["stopped_early"]),
        answers={str(q): json.loads(str(v)) for q, v in parts["answer"].get(ident, [])},
        findings=tuple(Finding(str(c), str(lk), tuple(json.loads(str(r))), bool(b))
                       for c, lk, r, b in parts["finding"].get(ident, [])),
        medicines=tuple({"name": str(n), "said": str(s), "class": str(k)}
                        for n, s, k in parts["medicine"].get(ident, [])),
        red_flags=tuple(advice["red_flag"]),
        urgent_advice=tuple(advice["urgent"]),
        tonight=tuple(advice["tonight"]),
        doctor=tuple(advice["doctor"]),
        urgent=bool(h["urgent"]),
        emergency=bool(h["emergency"]),
        summary=str(h["summary"]),
    )


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the local clock's
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


__all__ = ["Journal", "JournalError", "Relief", "key"]
