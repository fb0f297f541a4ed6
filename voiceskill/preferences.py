"""Remembers the voice a listener asked for ("slower", "quieter"), so the next night starts there.

A small SQLite database in the user's state folder (``$XDG_STATE_HOME/voiceskill``, or
``VOICESKILL_STATE_DIR``), one row per listener: the person answering for themself, or the
person a caregiver checks in with, by name. A change is written the moment it is asked for,
so a check-in cut short still keeps it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import VoiceskillError
from .messages import Person

ENV_STATE_DIR = "VOICESKILL_STATE_DIR"
SCHEMA_VERSION = 1
SELF = ""
"""The listener key for someone checking in for themself."""


class PreferencesError(VoiceskillError):
    """The preferences database cannot be read or written."""


class PreferencesBusy(PreferencesError):
    """Another voiceskill holds the database for longer than ``BUSY_WAIT``: nothing is wrong
    with the file, and the next write will likely succeed."""


class _NewerSchema(Exception):
    pass


BUSY_WAIT = 0.5
"""Seconds to wait for another voiceskill to finish with the file: its writes take
milliseconds, and a person waiting mid-dialog should not notice."""


@dataclass(frozen=True)
class StoredVoice:
    """What was asked for by voice. A setting that is None was not changed (or was changed
    back), so the config file or the default still decides it."""

    listener: str
    rate: int | None
    """Words per minute."""
    volume: float | None
    updated: str
    """When it was last changed, ISO 8601 in UTC."""
    unreadable: tuple[str, ...] = ()
    """Settings stored with a value that cannot be read ("rate='abc'"): taken as not
    changed, so the usual voice is used, and reported."""

    def describe(self) -> str:
        who = "for yourself" if self.listener == SELF else f"with {self.listener}"
        parts = []
        if self.rate is not None:
            parts.append(f"{self.rate} words a minute")
        if self.volume is not None:
            parts.append(f"volume {self.volume:g}")
        parts.extend(f"{what} unreadable (the usual {what} is used)" for what in self.unreadable)
        return f"{who}: {', '.join(parts)} (changed {self.updated[:16].replace('T', ' ')} UTC)"


def listener_for(person: Person) -> str:
    """Caregiver check-ins are kept per person cared for: a hard-of-hearing Rose wants the
    voice louder than someone else the same caregiver checks in with."""
    if person.caregiver and person.name.strip():
        return person.name.strip()
    return SELF


def state_dir() -> Path:
    """``$VOICESKILL_STATE_DIR``, else the user's state folder (``$XDG_STATE_HOME/voiceskill``,
    by default ``~/.local/state/voiceskill`` on Linux)."""
    explicit = os.environ.get(ENV_STATE_DIR)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_state_dir("voiceskill", appauthor=False))


def default_path() -> Path:
    return state_dir() / "voiceskill.db"


class Preferences:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def voice_for(self, listener: str) -> StoredVoice | None:
        """The stored voice, or None when nothing was asked for (or no database exists yet)."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT name, rate, volume, updated FROM voice WHERE listener = ?",
                (listener.casefold(),),
            ).fetchone()
        return None if row is None else _stored(row)

    def remember(self, listener: str, rate: int | None, volume: float | None) -> None:
        """Keep ``rate`` and ``volume`` for ``listener``; None for both forgets them."""
        if rate is None and volume is None:
            self.forget(listener)
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db(create=True) as db:
            db.execute(
                "INSERT INTO voice (listener, name, rate, volume, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(listener) DO UPDATE SET name = excluded.name, rate = excluded.rate, "
                "volume = excluded.volume, updated = excluded.updated",
                (listener.casefold(), listener, rate, volume, now),
            )

    def forget(self, listener: str | None = None) -> int:
        """Forget one listener's voice, or everyone's; returns how many were forgotten."""
        if not self.path.exists():
            return 0
        with self._db() as db:
            if listener is None:
                cur = db.execute("DELETE FROM voice")
            else:
                cur = db.execute("DELETE FROM voice WHERE listener = ?", (listener.casefold(),))
            return int(cur.rowcount)

    def all(self) -> list[StoredVoice]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute(
                "SELECT name, rate, volume, updated FROM voice ORDER BY listener"
            ).fetchall()
        return [_stored(r) for r in rows]

    @contextmanager
    def _db(self, create: bool = False) -> Iterator[sqlite3.Connection]:
        try:
            if create:
                private_folder(self.path.parent)
            # The names of the people cared for are kept here: only the owner may read it,
            # from the moment the file exists (the umask), and after an older version too.
            old_umask = os.umask(0o077)
            try:
                connection = sqlite3.connect(self.path, timeout=BUSY_WAIT)
            finally:
                os.umask(old_umask)
            with closing(connection) as db, db:
                if create:
                    os.chmod(self.path, 0o600)
                self._migrate(db)
                yield db
        except _NewerSchema as err:
            raise PreferencesError(
                f"the voice settings file {self.path} was written by a newer voiceskill "
                f"({err}); update voiceskill to use it"
            ) from err
        except sqlite3.OperationalError as err:
            raise _operational(self.path, err) from err
        except (sqlite3.Error, OSError) as err:
            raise PreferencesError(
                f"the voice settings file {self.path} cannot be used ({err}); delete it to start "
                f"afresh, or set {ENV_STATE_DIR} to another folder"
            ) from err

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise _NewerSchema(f"schema {version}; this one reads {SCHEMA_VERSION}")
        db.execute(
            "CREATE TABLE IF NOT EXISTS voice ("
            " listener TEXT PRIMARY KEY,"
            " name TEXT NOT NULL,"
            " rate INTEGER,"
            " volume REAL,"
            " updated TEXT NOT NULL)"
        )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def private_folder(folder: Path) -> None:
    """Create the state folder readable by its owner only; tighten one made before."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    finally:
        os.umask(old_umask)
    if folder.stat().st_mode & 0o077 and folder.name == "voiceskill":
        folder.chmod(0o700)


def _operational(path: Path, err: sqlite3.OperationalError) -> PreferencesError:
    text = str(err)
    if "locked" in text or "busy" in text:
        return PreferencesBusy(
            f"the voice settings file {path} is in use by another voiceskill just now"
        )
    if "full" in text:
        return PreferencesError(f"the disk holding {path} is full; free some space")
    if "readonly" in text or "unable to open" in text:
        return PreferencesError(
            f"the voice settings file {path} cannot be written ({text}); check the permissions "
            f"of its folder, or set {ENV_STATE_DIR} to another folder"
        )
    return PreferencesError(
        f"the voice settings file {path} cannot be used ({text}); delete it to start "
        f"afresh, or set {ENV_STATE_DIR} to another folder"
    )


def _stored(row: tuple[object, ...]) -> StoredVoice:
    name, rate, volume, updated = row
    rate_value = _number(rate)
    volume_value = _number(volume)
    unreadable = tuple(
        what
        for what, raw, value in (("speed", rate, rate_value), ("volume", volume, volume_value))
        if raw is not None and value is None
    )
    return StoredVoice(
        str(name),
        None if rate_value is None else round(rate_value),
        volume_value,
        str(updated),
        unreadable,
    )


def _number(raw: object) -> float | None:
    """A stored number, or None when there is none or it cannot be read as one."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = float(str(raw))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
