"""Settings: defaults, then the config file, then the environment, then command-line flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceskill.config import Settings, load_settings
from voiceskill.errors import ContentError, VoiceskillError


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VOICESKILL_CONFIG", raising=False)
    monkeypatch.delenv("VOICESKILL_MODEL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_slow_and_patient() -> None:
    s = load_settings()
    assert s == Settings()
    assert 140 <= s.rate <= 150
    assert s.no_input_timeout >= 8


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "rate: 130\nmodel: from-file\nno-input-timeout: 12\n")
    s = load_settings(str(path))
    assert (s.rate, s.model, s.no_input_timeout) == (130, "from-file", 12.0)
    monkeypatch.setenv("VOICESKILL_MODEL", "from-env")
    assert load_settings(str(path)).model == "from-env"
    s = load_settings(str(path), model="from-flag", rate=None)
    assert (s.model, s.rate) == ("from-flag", 130)


def test_config_found_in_the_users_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "xdg" / "voiceskill"
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text("volume: 0.5\n", encoding="utf-8")
    assert load_settings().volume == 0.5


def test_an_empty_config_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_settings(str(write(tmp_path, ""))) == Settings()


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("rate: fast\n", "rate", "must be a number"),
        ("rate: 1450\n", "rate", "between 60 and 300"),
        ("volume: 2\n", "volume", "between 0 and 1"),
        ("engine: kaldi\n", "engine", "auto, vosk, whisper, pocketsphinx"),
        ("speed: 100\n", "speed", "unknown setting"),
        ("end_silence: 0\n", "end_silence", "between 0.2 and 5"),
        ("rate: [130\n", "line 2", "not valid YAML"),
        ("- rate\n", "", "must be a mapping of settings"),
    ],
)
def test_bad_settings_name_the_file_and_key(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as err:
        load_settings(str(path))
    assert err.value.file == str(path)
    assert err.value.key == key
    assert problem in str(err.value)


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ContentError) as err:
        load_settings(str(missing))
    assert err.value.file == str(missing)
    assert "config file not found" in str(err.value)


def test_bad_flags_name_the_flag() -> None:
    with pytest.raises(VoiceskillError, match=r"--no-input-timeout 0.5: must be between 2 and 120"):
        load_settings(no_input_timeout=0.5)
