"""`voiceskill report --say`: the short version spoken by the real speech output."""

from __future__ import annotations

import wave
from datetime import datetime
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import main
from voiceskill.journal import Journal, night_of
from voiceskill.journal.sample import sample_nights
from voiceskill.speech import DEFAULT_RATE

pytestmark = pytest.mark.audio

ROOT = Path(__file__).resolve().parent.parent


def test_the_spoken_report_is_spoken(_private_state_dir: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    content = content_mod.load(ROOT / "prompts")
    with Journal.open(_private_state_dir) as journal:
        for c in sample_nights(content, night_of(datetime.now().astimezone()), 20, seed=3):
            journal.keep(c)
    out = tmp_path / "week.wav"
    assert main(["report", "--say", "--to-wav", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("In the last 30 nights, ")
    assert "not a diagnosis" in printed and f"Wrote {out}" in printed
    words = len(printed.split("Wrote")[0].split())
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
    # Spoken at the usual rate: about as long as the words take at 145 a minute.
    expected = words / DEFAULT_RATE * 60
    assert 0.6 * expected < seconds < 1.6 * expected, (seconds, expected)
