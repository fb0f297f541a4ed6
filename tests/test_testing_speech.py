"""The speech the tests make is kept between runs, under a name that changes with its content."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from voiceskill.testing import speech


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(speech.ENV_CACHE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert speech.cache_dir() == tmp_path / "xdg" / "voiceskill-tests"
    monkeypatch.setenv(speech.ENV_CACHE, str(tmp_path / "own"))
    assert speech.cache_dir() == tmp_path / "own"


def test_the_name_changes_with_everything_that_decides_the_sound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    versions = {"espeak-ng": "eSpeak NG 1.51", "flite": "flite-2.2", "sox": "SoX v14.4.2"}
    monkeypatch.setattr(speech, "tool_version", lambda tool: versions[tool])
    base = speech.cache_key("yes", "en-us", 140, 0.3)
    assert base == speech.cache_key("yes", "en-us", 140, 0.3)
    others = [
        speech.cache_key("no", "en-us", 140, 0.3),
        speech.cache_key("yes", "en-us+f3", 140, 0.3),
        speech.cache_key("yes", "flite:slt", 140, 0.3),
        speech.cache_key("yes", "en-us", 120, 0.3),
        speech.cache_key("yes", "en-us", 140, 0.15),
    ]
    assert base not in others and len(set(others)) == len(others)
    # A new espeak-ng speaks differently: its files are made afresh.
    versions["espeak-ng"] = "eSpeak NG 1.52"
    assert speech.cache_key("yes", "en-us", 140, 0.3) != base
    versions["sox"] = "SoX v14.4.3"
    assert speech.cache_key("yes", "flite:slt", 140, 0.3) != others[2]


@pytest.mark.audio
def test_speech_is_made_once_and_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    speech.need_espeak()
    monkeypatch.setenv(speech.ENV_CACHE, str(tmp_path / "cache"))
    made: list[str] = []
    real_run = subprocess.run

    def counting_run(command: list[str], *args: Any, **kwargs: Any) -> Any:
        made.append(command[0])
        return real_run(command, *args, **kwargs)

    # The versions are asked once per process; ask now, so only the making is counted.
    speech.tool_version("espeak-ng")
    speech.tool_version("sox")
    monkeypatch.setattr(speech.subprocess, "run", counting_run)
    first = speech.synth("not really", rate=150)
    assert made == ["espeak-ng", "sox"]
    assert first.parent == tmp_path / "cache" and first.stat().st_size > 16000
    # Nothing half-made is left behind.
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]

    again = speech.synth("not really", rate=150)
    assert again == first and made == ["espeak-ng", "sox"]
    assert speech.pcm("not really", rate=150) == speech.pcm("not really", rate=150)
    assert made == ["espeak-ng", "sox"]
