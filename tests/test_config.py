"""Settings: defaults, then the config file, then the environment, then command-line flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from voiceskill.config import Settings, _read_fields, bounds, check, load_settings, setting
from voiceskill.errors import ContentError, UsageError, VoiceskillError
from voiceskill.speech import MAX_RATE, MIN_RATE, Voice


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
        ("rate: 1450\n", "rate", "between 90 and 220"),
        ("rate: 70\n", "rate", "between 90 and 220"),
        ("prompts: [a]\n", "prompts", "must be text (a name or a folder), not a list"),
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


def test_the_rate_the_settings_accept_is_the_rate_the_voice_speaks_at() -> None:
    # `--rate 70` once passed the settings (60 to 300) and then turned speech off; the one
    # bound now decides both, and a rate refused names the flag.
    low, high = bounds("rate")
    assert (low, high) == (MIN_RATE, MAX_RATE)
    for rate in (low, 145, high):
        assert Voice(rate=load_settings(rate=rate).rate).rate == rate
    for rate in (low - 1, 70, high + 1):
        with pytest.raises(UsageError, match=rf"^--rate {rate}: must be between 90 and 220$"):
            load_settings(rate=rate)
        with pytest.raises(ValueError):
            Voice(rate=rate)


def test_a_remembered_voice_is_under_the_flags_and_within_the_bound() -> None:
    s = load_settings(remembered={"rate": 110, "volume": 0.6}, volume=0.9)
    assert (s.rate, s.volume) == (110, 0.9)
    assert s.flags == {"volume"}
    # A stored rate the voice cannot speak at is not used.
    assert load_settings(remembered={"rate": 500}).rate == Settings().rate
    assert check("rate", 500) == "must be between 90 and 220"


def test_prompts_in_the_config_file_names_the_content_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "prompts: my-prompts\n")
    assert load_settings(str(path)).prompts == str(tmp_path / "my-prompts")
    path = write(tmp_path, f"prompts: {tmp_path / 'elsewhere'}\n")
    assert load_settings(str(path)).prompts == str(tmp_path / "elsewhere")
    # The flag wins over the file.
    assert load_settings(str(path), prompts="flag").prompts == "flag"


def test_the_config_folder_follows_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "other"))
    folder = tmp_path / "other" / "voiceskill"
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text("rate: 120\n", encoding="utf-8")
    assert load_settings().rate == 120
    # VOICESKILL_CONFIG names the file itself, over the folder.
    monkeypatch.setenv("VOICESKILL_CONFIG", str(write(tmp_path, "rate: 130\n")))
    assert load_settings().rate == 130


@dataclass(frozen=True)
class _Section:
    minutes: float = setting(5.0, low=1.0, high=60.0)
    words: bool = setting(True)


@dataclass(frozen=True)
class _WithSection:
    name: str | None = setting(None)
    section: _Section = setting(_Section, section=True)  # noqa: RUF009 (a field specifier)


def test_a_nested_section_is_read_and_checked_with_its_own_bounds(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    values = _read_fields(path, _WithSection, {"section": {"minutes": 10}}, prefix="")
    assert values["section"] == _Section(minutes=10.0)
    with pytest.raises(ContentError) as err:
        _read_fields(path, _WithSection, {"section": {"minutes": 0}}, prefix="")
    assert err.value.key == "section.minutes" and "between 1 and 60" in str(err.value)
    with pytest.raises(ContentError) as err:
        _read_fields(path, _WithSection, {"section": {"hours": 1}}, prefix="")
    assert err.value.key == "section.hours" and "unknown setting; known: minutes, words" in str(
        err.value)
    with pytest.raises(ContentError, match="must be a mapping of settings"):
        _read_fields(path, _WithSection, {"section": [1]}, prefix="")
