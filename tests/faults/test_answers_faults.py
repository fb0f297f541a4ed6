"""Answers are never lost: bytes that are not UTF-8, SIGTERM and SIGHUP end a check-in with
what was answered, and the speech worker's temporary files go with it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .probe import ROOT, run

FIRST_ANSWERS = {"red_flag_any": "no", "age": 70, "male": "no", "urge": "yes"}


def test_a_byte_that_is_not_utf8_is_replaced_and_reported() -> None:
    # "yes ®" typed from a Windows-1252 file: the ® is byte 0xAE.
    proc = run("checkin", "--text", "--json", stdin=b"no\nseventy\nno\nyes \xae\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "could not be read and were left out" in proc.stdout
    assert json.loads(proc.stdout.splitlines()[-1])["answers"] == FIRST_ANSWERS


def _signalled(answers: str, sig: signal.Signals) -> tuple[int, str, str]:
    """A text check-in given ``answers``, sent ``sig`` while it waits for the next one;
    returns its exit code, output and errors."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "voiceskill", "checkin", "--text", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(answers)
    proc.stdin.flush()
    seen = ""
    while seen.count("> ") <= answers.count("\n"):  # the last "> " waits for what is next
        ch = proc.stdout.read(1)
        assert ch, seen
        seen += ch
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_ends_the_checkin_with_what_was_answered(sig: signal.Signals) -> None:
    code, out, err = _signalled("no\nseventy\nno\nyes\n", sig)
    assert code == 130, (out, err)
    assert "Traceback" not in err
    assert f"stopped ({sig.name})" in err
    assert json.loads(out.rstrip("\n").split("\n")[-1])["answers"] == FIRST_ANSWERS
    assert "not a diagnosis" in out


def test_a_signal_after_a_warning_sign_still_gives_the_urgent_advice_first() -> None:
    """Yes to the safety question, then the check-in is stopped by a signal before the signs
    were gone through: the urgent advice still comes first, in the summary and the JSON."""
    code, out, err = _signalled("yes\n", signal.SIGTERM)
    assert code == 130, (out, err)
    result = json.loads(out.rstrip("\n").split("\n")[-1])
    assert result["urgent"] is True
    assert "warning sign" in result["urgent_reasons"][0]
    assert "Most important: We didn't go through the warning sign" in out
    assert "call 911 or 999" in result["next_steps"][0]


def test_sigterm_while_speaking_removes_the_temporary_folder(tmp_path: Path) -> None:
    text = "This sentence is long and takes the speech engine a while to say. " * 200
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "voiceskill", "say", text, "--to-wav", str(tmp_path / "o.wav")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("voiceskill-tts-*")):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(1.0)  # the worker is saying the long text now
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    time.sleep(0.5)
    assert not list(tmp_path.glob("voiceskill-tts-*"))


def test_closed_input_ends_the_checkin_with_a_summary() -> None:
    proc = subprocess.run(
        ["sh", "-c", f"exec '{sys.executable}' -m voiceskill checkin --text --json <&-"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["answers"] == {}
