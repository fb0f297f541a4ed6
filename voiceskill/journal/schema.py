"""The journal's tables in the state database, and the migrations that bring any earlier
database up to them.

The journal shares ``voiceskill.db`` with the remembered voices (voiceskill/preferences.py).
``PRAGMA user_version`` stays the voice table's version, which preferences.py checks and
an older voiceskill refuses when it is newer than it knows; the journal keeps its own
version in ``journal_version`` instead, so adding the journal never locks an older
voiceskill out of its voice settings (docs/decisions/022-night-journal.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import VoiceskillError
from ..preferences import ENV_STATE_DIR, Preferences, private_folder

JOURNAL_VERSION = 1
BUSY_WAIT = 5.0
"""Seconds to wait for another voiceskill writing the file: a check-in is written in a few
milliseconds, and the report reads in well under a second."""

# Each step takes the journal from the version before it to its own number; a database of
# today's voiceskill (voice settings only) starts at 0.
_STEPS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE checkin ("
        " id INTEGER PRIMARY KEY,"
        " started TEXT NOT NULL,"  # ISO 8601, UTC
        " ended TEXT NOT NULL,"
        " night TEXT NOT NULL,"  # the local date of the evening the night began
        " listener TEXT NOT NULL,"  # '' for oneself, else the casefolded name cared for
        " name TEXT NOT NULL,"
        " caregiver INTEGER NOT NULL,"
        " pronoun TEXT NOT NULL,"
        " finished INTEGER NOT NULL,"
        " stopped_early INTEGER NOT NULL,"
        " bothered INTEGER NOT NULL,"
        " nights_per_week INTEGER,"
        " severity INTEGER,"
        " urgent INTEGER NOT NULL,"
        " emergency INTEGER NOT NULL,"
        " summary TEXT NOT NULL)",
        "CREATE INDEX checkin_by_listener ON checkin (listener, night)",
        "CREATE TABLE answer ("
        " checkin INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,"
        " question TEXT NOT NULL,"
        " value TEXT NOT NULL,"  # JSON, as understood
        " PRIMARY KEY (checkin, question))",
        "CREATE TABLE finding ("
        " checkin INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,"
        " rank INTEGER NOT NULL,"
        " cause TEXT NOT NULL,"
        " likelihood TEXT NOT NULL,"
        " reasons TEXT NOT NULL,"  # JSON list
        " background INTEGER NOT NULL,"
        " PRIMARY KEY (checkin, rank))",
        "CREATE TABLE medicine ("
        " checkin INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL,"
        " said TEXT NOT NULL,"
        " class TEXT NOT NULL)",
        "CREATE INDEX medicine_by_checkin ON medicine (checkin)",
        # kind: red_flag (why it was urgent), urgent (what was advised at once), tonight,
        # doctor.
        "CREATE TABLE advice ("
        " checkin INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL,"
        " position INTEGER NOT NULL,"
        " text TEXT NOT NULL,"
        " PRIMARY KEY (checkin, kind, position))",
        "CREATE TABLE relief ("
        " id INTEGER PRIMARY KEY,"
        " started TEXT NOT NULL,"
        " night TEXT NOT NULL,"
        " listener TEXT NOT NULL,"
        " name TEXT NOT NULL,"
        " steps_heard INTEGER NOT NULL,"
        " finished INTEGER NOT NULL)",
        "CREATE INDEX relief_by_listener ON relief (listener, night)",
    ),
)


class JournalError(VoiceskillError):
    """The journal cannot be read or written."""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the state database, owner-only, in WAL mode, migrated."""
    try:
        private_folder(path.parent)
        old_umask = os.umask(0o077)
        try:
            db = sqlite3.connect(path, timeout=BUSY_WAIT, isolation_level=None)
        finally:
            os.umask(old_umask)
        os.chmod(path, 0o600)
        # WAL: the bedside mode reads the last summary while a check-in is being written.
        # The -wal and -shm files take the database file's permissions.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten, not left in free pages: `journal forget` means it.
        db.execute("PRAGMA secure_delete = ON")
        migrate(db)
    except sqlite3.Error as err:
        raise failure(path, err) from err
    except OSError as err:
        raise JournalError(
            f"the journal {path} cannot be opened ({err.strerror or err}); check its folder's "
            f"permissions, or set {ENV_STATE_DIR} to another folder"
        ) from err
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Bring the journal's tables (and the voice table) up to date in one transaction;
    returns the journal version found before."""
    if _version(db) == JOURNAL_VERSION and db.execute("PRAGMA user_version").fetchone()[0]:
        # Up to date: no write, so opening the journal costs no sync to disk.
        return JOURNAL_VERSION
    db.execute("BEGIN IMMEDIATE")
    try:
        # A fresh file gets the voice table too, exactly as preferences.py makes it.
        Preferences._migrate(db)
        db.execute("CREATE TABLE IF NOT EXISTS journal_version (version INTEGER NOT NULL)")
        found = _version(db)
        if found > JOURNAL_VERSION:
            raise JournalError(
                f"the journal was written by a newer voiceskill (journal version {found}; this "
                f"one reads {JOURNAL_VERSION}); update voiceskill to use it"
            )
        for statements in _STEPS[found:]:
            for statement in statements:
                db.execute(statement)
        db.execute("DELETE FROM journal_version")
        db.execute("INSERT INTO journal_version VALUES (?)", (JOURNAL_VERSION,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found


def _version(db: sqlite3.Connection) -> int:
    """The journal's version; 0 before the journal was ever opened."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'journal_version'").fetchone() is None:
        return 0
    row = db.execute("SELECT version FROM journal_version").fetchone()
    return 0 if row is None else int(row[0])


def failure(path: Path, err: sqlite3.Error) -> JournalError:
    """One line a person can act on, for any SQLite fault."""
    text = str(err)
    if "locked" in text or "busy" in text:
        return JournalError(f"the journal {path} is in use by another voiceskill just now; "
                            "try again in a moment")
    if "full" in text:
        return JournalError(f"the disk holding the journal {path} is full; free some space")
    if "readonly" in text or "unable to open" in text:
        return JournalError(f"the journal {path} cannot be written ({text}); check the "
                            f"permissions of its folder, or set {ENV_STATE_DIR} to another one")
    return JournalError(f"the journal {path} cannot be used ({text}); move it aside to start "
                        f"afresh, or set {ENV_STATE_DIR} to another folder")
