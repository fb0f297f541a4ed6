"""Voice changes asked for by voice are kept in a real SQLite file and used the next night."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.config import load_settings
from voiceskill.dialog import Dialog
from voiceskill.messages import Person, Understood
from voiceskill.preferences import (
    ENV_STATE_DIR,
    SELF,
    Preferences,
    PreferencesError,
    default_path,
    listener_for,
)
from voiceskill.remembered import voice_user
from voiceskill.speech import Voice
from voiceskill.testing.speech import need_espeak
from voiceskill.voice import _rememberer, remembered_voice

ROOT = Path(__file__).resolve().parents[1]
CONTENT = content_mod.load()


def _adjuster(
    speaker: FakeSpeaker, remember: Callable[[Voice], None] | None
) -> Callable[[str], bool]:
    """A voice control said at the first question, as the check-in handles it: the dialog
    changes its voice and the session hands the new one to the speaker and the store."""
    dialog = Dialog(CONTENT, Person(), voice=speaker.voice)
    dialog.start()
    use = voice_user(speaker, remember)
    assert use is not None

    def adjust(control: str) -> bool:
        reply = dialog.hear(Understood(control))  # type: ignore[arg-type]
        if reply.voice is not None:
            use(reply.voice)
        return reply.voice is not None

    return adjust


class FakeSpeaker:
    def __init__(self, voice: Voice) -> None:
        self.voice = voice

    def say(self, text: str, then_listen: bool = False) -> None:
        pass


def test_a_change_survives_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "prefs.db"
    Preferences(path).remember(SELF, 125, 0.8)
    stored = Preferences(path).voice_for(SELF)
    assert stored is not None
    assert (stored.rate, stored.volume) == (125, 0.8)
    # Written again: one row, the latest values.
    Preferences(path).remember(SELF, 105, 0.6)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT rate, volume FROM voice").fetchall() == [(105, 0.6)]


def test_each_person_cared_for_has_their_own_voice(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "p.db")
    prefs.remember("Rose", 165, 1.0)
    prefs.remember(SELF, 125, 0.4)
    rose = prefs.voice_for("rose")  # names match whatever the capitals
    assert rose is not None and rose.rate == 165 and rose.listener == "Rose"
    me = prefs.voice_for(SELF)
    assert me is not None and me.volume == 0.4
    assert prefs.voice_for("Arthur") is None
    assert [v.listener for v in prefs.all()] == ["", "Rose"]
    assert prefs.forget("ROSE") == 1
    assert prefs.voice_for("Rose") is None
    assert prefs.forget() == 1
    assert prefs.all() == []


def test_listener_is_the_person_cared_for_or_oneself() -> None:
    assert listener_for(Person()) == SELF
    assert listener_for(Person(caregiver=True, name=" Rose ", pronoun="she")) == "Rose"


def test_nothing_is_created_until_something_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    prefs = Preferences(path)
    assert prefs.voice_for(SELF) is None
    assert prefs.all() == []
    assert prefs.forget() == 0
    assert not path.exists()


def test_state_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_STATE_DIR)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "voiceskill" / "voiceskill.db"
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "mine"))
    assert default_path() == tmp_path / "mine" / "voiceskill.db"


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"this is not sqlite, it is a shopping list\n" * 40)
    with pytest.raises(PreferencesError) as err:
        Preferences(path).voice_for(SELF)
    assert str(path) in str(err.value)
    assert "delete it" in str(err.value)


def test_a_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 7")
    with pytest.raises(PreferencesError, match="newer voiceskill") as err:
        Preferences(path).remember(SELF, 125, 1.0)
    assert "update voiceskill" in str(err.value) and "delete" not in str(err.value)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 7


def test_remembered_voice_sits_between_config_and_flags(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("rate: 130\nvolume: 0.9\n")
    remembered = {"rate": 110, "volume": 0.6}
    settings = load_settings(str(config), remembered)
    assert (settings.rate, settings.volume) == (110, 0.6)
    settings = load_settings(str(config), remembered, rate=150)
    assert (settings.rate, settings.volume) == (150, 0.6)


USUAL = {"rate": 145, "volume": 1.0}


def test_only_what_was_changed_is_kept_and_at_once(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "p.db")
    speaker = FakeSpeaker(Voice(rate=145, volume=0.4))
    adjust = _adjuster(speaker, _rememberer(prefs, "Rose", io.StringIO(), USUAL))
    assert adjust is not None
    assert adjust("quieter")
    stored = prefs.voice_for("Rose")
    assert stored is not None and (stored.rate, stored.volume) == (None, 0.2)
    os.remove(prefs.path)
    assert not adjust("quieter")  # already at its quietest: nothing to keep
    assert not prefs.path.exists()
    assert adjust("slower")
    stored = prefs.voice_for("Rose")
    assert stored is not None and (stored.rate, stored.volume) == (125, 0.2)


def test_a_voice_changed_back_is_forgotten_so_the_config_decides_again(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "p.db")
    speaker = FakeSpeaker(Voice(rate=145))
    adjust = _adjuster(speaker, _rememberer(prefs, SELF, io.StringIO(), USUAL))
    assert adjust is not None
    assert adjust("slower")
    assert prefs.voice_for(SELF) is not None
    assert adjust("faster")
    assert prefs.voice_for(SELF) is None and prefs.all() == []


def test_a_setting_given_as_a_flag_is_for_tonight_only(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "p.db")
    prefs.remember(SELF, 125, 0.8)
    # Tonight: --rate 165 given, the remembered volume in use.
    speaker = FakeSpeaker(Voice(rate=165, volume=0.8))
    remember = _rememberer(
        prefs, SELF, io.StringIO(), USUAL, pinned={"rate"}, kept={"rate": 125, "volume": 0.8}
    )
    adjust = _adjuster(speaker, remember)
    assert adjust is not None
    assert adjust("slower") and adjust("quieter")
    assert speaker.voice.rate == 145
    stored = prefs.voice_for(SELF)
    assert stored is not None and (stored.rate, stored.volume) == (125, 0.6)


def test_a_broken_file_costs_no_check_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path))
    default_path().write_bytes(b"\x00garbage" * 100)
    out = io.StringIO()
    prefs, remembered = remembered_voice(SELF, out)
    assert prefs is None and remembered is None
    assert "will not be remembered" in out.getvalue()
    assert str(default_path()) in out.getvalue()
    # Reading only (voiceskill say), the report does not speak of remembering.
    out = io.StringIO()
    assert remembered_voice(SELF, out, saving=False) == (None, None)
    said = out.getvalue()
    assert said.startswith("(Using the usual voice: ") and "remembered" not in said
    # Saving fails the same way: said once, and the voice still changes tonight.
    speaker = FakeSpeaker(Voice())
    out = io.StringIO()
    adjust = _adjuster(speaker, _rememberer(Preferences(), SELF, out, USUAL))
    assert adjust is not None
    assert adjust("slower") and adjust("slower")
    assert speaker.voice.rate == 105
    assert out.getvalue().count("will not be remembered") == 1


def test_a_stored_setting_out_of_range_is_ignored_and_said(tmp_path: Path) -> None:
    Preferences().remember(SELF, 500, 0.5)
    out = io.StringIO()
    assert remembered_voice(SELF, out)[1] == {"volume": 0.5}
    assert "500 words a minute, is out of range" in out.getvalue()
    # A volume of 0 would make every later night silent.
    Preferences().remember(SELF, 105, 0.0)
    out = io.StringIO()
    assert remembered_voice(SELF, out)[1] == {"rate": 105}
    assert "volume, 0, is out of range" in out.getvalue()


def _voiceskill(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voiceskill", *args], input=stdin, capture_output=True,
        text=True, timeout=120, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


@pytest.mark.audio
def test_said_slower_one_night_speaks_slower_the_next(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3")
    need_espeak()
    # Real speech output, played to ALSA's null device; no such microphone, so the check-in
    # says so and takes typed answers.
    config = tmp_path / "config.yaml"
    config.write_text("output_device: 'null'\n")
    night = ("checkin", "--config", str(config), "--engine", "pocketsphinx",
             "--input-device", "no-such-microphone")
    rose = ("--caregiver", "--name", "Rose")
    first = _voiceskill(*night, *rose, stdin="slower\nquieter\nstop\nyes\n")
    assert first.returncode == 0, first.stderr
    assert "speak more slowly" in first.stdout
    assert "Speech output stopped working" not in first.stdout, first.stdout
    shown = _voiceskill("voice")
    assert "with Rose: 125 words a minute, volume 0.8" in shown.stdout, shown.stdout
    second = _voiceskill(*night, "--caregiver", "--name", "rose", stdin="stop\nyes\n")
    assert "Voice: 125 words a minute, volume 0.8, as asked for" in second.stderr
    # Someone else's check-in keeps the usual voice.
    own = _voiceskill(*night, stdin="stop\nyes\n")
    assert "as asked for" not in own.stderr
    # A flag wins for one night, and a change to it that night is not kept.
    flagged = _voiceskill(*night, *rose, "--rate", "165", stdin="slower\nstop\n")
    assert "Voice: volume 0.8, as asked for" in flagged.stderr
    assert "with Rose: 125 words a minute, volume 0.8" in _voiceskill("voice").stdout
    typo = _voiceskill("voice", "--reset", "--name", "Rosie")
    assert "No voice was remembered with Rosie; remembered: with Rose." in typo.stdout
    reset = _voiceskill("voice", "--reset", "--name", "Rose")
    assert "Forgot 1 remembered voice with Rose" in reset.stdout
    assert "No voice changes remembered" in _voiceskill("voice").stdout


@pytest.mark.audio
def test_say_speaks_with_the_remembered_voice(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3")
    need_espeak()
    from voiceskill.audio import read_wav

    text = ("say", "Do your legs feel restless when you lie down?")

    def seconds(*extra: str) -> float:
        wav = tmp_path / "said.wav"
        done = _voiceskill(*text, "--to-wav", str(wav), *extra)
        assert done.returncode == 0, done.stderr
        return len(read_wav(wav)) / 32000

    usual = seconds()
    Preferences().remember(SELF, 105, None)
    Preferences().remember("Rose", 185, None)
    slower = seconds()
    assert slower > 1.2 * usual, (usual, slower)
    # The voice remembered for the person cared for, by name; a flag still wins.
    assert seconds("--name", "rose") < 0.9 * usual
    assert abs(seconds("--rate", "145") - usual) < 0.05 * usual
    shown = _voiceskill(*text, "--to-wav", str(tmp_path / "x.wav"))
    assert "Voice: 105 words a minute, as asked for on an earlier night" in shown.stderr


@pytest.mark.audio
def test_the_ends_of_the_rate_setting_are_spoken_at_those_rates(tmp_path: Path) -> None:
    """Every rate the settings accept is spoken at that rate by the real speech engine: the
    slowest takes longer than the usual, the fastest less, none turns speech off."""
    pytest.importorskip("pyttsx3")
    need_espeak()
    from voiceskill.audio import read_wav
    from voiceskill.config import bounds

    low, high = bounds("rate")

    def seconds(rate: int) -> float:
        wav = tmp_path / f"said-{rate}.wav"
        done = _voiceskill("say", "Do your legs feel restless when you lie down?",
                           "--to-wav", str(wav), "--rate", str(rate))
        assert done.returncode == 0, done.stderr
        assert "not available" not in done.stdout + done.stderr
        return len(read_wav(wav)) / 32000

    slowest, usual, fastest = seconds(low), seconds(145), seconds(high)
    assert slowest > 1.3 * usual > 1.3 * 1.2 * fastest, (slowest, usual, fastest)
