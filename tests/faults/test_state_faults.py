"""State you can trust and keep private: folders 0700, the database 0600, a bad stored value
or a busy database never costs a check-in, installs cut short are swept, and a model folder's
links never reach outside it."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from voiceskill import models
from voiceskill.errors import ModelError
from voiceskill.preferences import SELF, Preferences
from voiceskill.speech import Voice
from voiceskill.voice import _rememberer, remembered_voice

from .probe import run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual umask, which would make both world-readable
    yield
    os.umask(old)


def test_state_folder_and_database_are_private(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "state" / "voiceskill" / "voiceskill.db"
    Preferences(path).remember("Rose", 120, None)
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_a_state_folder_made_before_is_made_private(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "voiceskill"
    folder.mkdir(mode=0o755)
    (folder / "voiceskill.db").touch(mode=0o644)
    Preferences(folder / "voiceskill.db").remember("Rose", 120, None)
    assert mode(folder) == 0o700
    assert mode(folder / "voiceskill.db") == 0o600


def fake_model(folder: Path) -> Path:
    for rel in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(rel)
    return folder


def test_models_folder_is_private(tmp_path: Path, loose_umask: None) -> None:
    source = fake_model(tmp_path / "vosk-model-test")
    models.install(source, tmp_path / "models")
    assert mode(tmp_path / "models") == 0o700


def stored_rate(path: Path, value: object) -> None:
    Preferences(path).remember(SELF, 120, 0.8)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE voice SET rate = ?", (value,))


def test_a_bad_stored_value_is_ignored_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "voiceskill.db"
    stored_rate(path, "abc")
    monkeypatch.setenv("VOICESKILL_STATE_DIR", str(tmp_path))
    out = io.StringIO()
    prefs, remembered = remembered_voice(SELF, out)
    assert prefs is not None
    assert remembered == {"volume": 0.8}  # the readable setting is still used
    assert "The remembered speed could not be read; using the usual speed" in out.getvalue()


def test_a_bad_stored_value_does_not_stop_the_command(tmp_path: Path) -> None:
    stored_rate(tmp_path / "voiceskill.db", "abc")
    proc = run("voice", env={"VOICESKILL_STATE_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert "volume 0.8, speed unreadable" in proc.stdout


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "voiceskill.db"
    Preferences(path).remember(SELF, 120, None)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield path
    holder.rollback()
    holder.close()


def test_a_locked_database_is_reported_as_busy_quickly(locked: Path) -> None:
    from voiceskill.preferences import PreferencesBusy

    started = time.monotonic()
    with pytest.raises(PreferencesBusy) as err:
        Preferences(locked).remember(SELF, 110, None)
    assert time.monotonic() - started < 2
    assert "in use by another voiceskill" in str(err.value)
    assert "delete" not in str(err.value)


def test_a_locked_database_is_tried_again_at_the_next_change(locked: Path) -> None:
    out = io.StringIO()
    remember = _rememberer(Preferences(locked), SELF, out, usual={"rate": 145, "volume": 1.0})
    assert remember is not None
    remember(Voice(rate=125))
    said = out.getvalue()
    assert "Couldn't save this voice change" in said and "try again at the next change" in said
    assert "delete" not in said
    remember(Voice(rate=105))  # still locked: it tried again, and said so again
    assert out.getvalue().count("Couldn't save") == 2


def test_installs_cut_short_are_swept_at_the_next_start(tmp_path: Path) -> None:
    root = tmp_path / "models"
    killed = root / ".tmp-99999999-abc"  # no process has that id
    killed.mkdir(parents=True)
    (killed / "final.mdl").write_bytes(bytes(2_000_000))
    old_style = root / ".tmp-q1w2e3r4"
    old_style.mkdir()
    two_days_ago = time.time() - 2 * 86400
    os.utime(old_style, (two_days_ago, two_days_ago))
    running = root / f".tmp-{os.getpid()}-xyz"  # this process is alive: still installing
    running.mkdir()
    proc = run("model", "list", "--models-dir", str(root))
    assert proc.returncode == 0, proc.stderr
    assert f"Removed {killed} (2 MB), left by a model install that was cut short" in proc.stderr
    assert not killed.exists() and not old_style.exists()
    assert running.exists()


def test_a_folder_install_never_follows_a_link_outside(tmp_path: Path) -> None:
    source = fake_model(tmp_path / "vosk-model-test")
    (source / "conf" / "extra.conf").symlink_to("/etc/passwd")
    with pytest.raises(ModelError, match=r"extra.conf is a link to /etc/passwd, outside the"):
        models.install(source, tmp_path / "models")
    assert not (tmp_path / "models" / "vosk-model-test").exists()
    assert not list((tmp_path / "models").glob(".tmp-*"))


def test_links_inside_the_model_folder_are_copied(tmp_path: Path) -> None:
    source = fake_model(tmp_path / "vosk-model-test")
    (source / "conf" / "same.conf").symlink_to(source / "conf" / "model.conf")
    installed = models.install(source, tmp_path / "models")
    copied = installed / "conf" / "same.conf"
    assert not copied.is_symlink() and copied.read_text() == "conf/model.conf"


def test_a_full_disk_is_not_reported_as_a_damaged_file(tmp_path: Path) -> None:
    from voiceskill.preferences import PreferencesBusy, PreferencesError, _operational

    path = tmp_path / "voiceskill.db"
    full = _operational(path, sqlite3.OperationalError("database or disk is full"))
    assert isinstance(full, PreferencesError) and not isinstance(full, PreferencesBusy)
    assert "is full; free some space" in str(full) and "delete" not in str(full)


def test_a_locked_database_at_start_still_saves_later(
    locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICESKILL_STATE_DIR", str(locked.parent))
    out = io.StringIO()
    prefs, remembered = remembered_voice(SELF, out)
    assert prefs is not None and remembered is None
    assert "Using the usual voice: the voice settings file" in out.getvalue()
    assert "in use by another voiceskill" in out.getvalue()
