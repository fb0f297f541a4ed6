"""`voiceskill listen` at the command line: no microphone, a settings mistake, the unit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from voiceskill.cli import main
from voiceskill.listen_command import EXIT_NO_MICROPHONE


@pytest.mark.audio
def test_no_microphone_is_one_line_and_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pymicro_wakeword")
    pytest.importorskip("sounddevice")
    code = main(["listen", "--input-device", "no such microphone"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_NO_MICROPHONE == 3
    assert len(err) == 1 and err[0].startswith("voiceskill listen: cannot listen: ")
    assert "no such microphone" in err[0]


def test_a_settings_mistake_names_file_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("bedside:\n  quiet_hours: '22:00-22:00'\n")
    code = main(["listen", "--config", str(config)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == [f"voiceskill: {config}: bedside.quiet_hours: must start and end at "
                   "different times"]


def test_an_unknown_wake_word_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("rate: 140\n")
    code = main(["listen", "--config", str(config), "--wake-word", "hey siri"])
    assert code == 1
    assert "--wake-word: bedside.wake_word: 'hey siri' has no model" in capsys.readouterr().err


def test_print_service_is_the_unit_for_this_installation(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["listen", "--print-service"]) == 0
    unit = capsys.readouterr().out
    assert f"ExecStart={sys.executable} -m voiceskill listen --wait-for-microphone" in unit
    assert "KillSignal=SIGTERM" in unit and "WantedBy=default.target" in unit
    assert "%h/voiceskill" not in unit


def test_the_printed_unit_is_one_systemd_accepts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil
    import subprocess

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    assert main(["listen", "--print-service"]) == 0
    unit = tmp_path / "voiceskill.service"
    unit.write_text(capsys.readouterr().out)
    done = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "voiceskill.service" not in done.stderr, done.stderr
