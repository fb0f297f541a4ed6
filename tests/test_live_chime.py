"""The listening chime through the real speech output: pyttsx3 speaks a question into the
virtual speaker and the chime follows the last word; a closing line has no chime."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.test_chime import power_at
from voiceskill.speech import CHIME_NOTES
from voiceskill.testing import speech as speechgen
from voiceskill.testing.audiostack import AudioStack

pytestmark = pytest.mark.audiostack

HERE = "tests.test_live_chime"
RATE = 16_000


def scenario_say(text: str, then_listen: bool, out: str, chime: bool = True) -> dict[str, Any]:
    """Speak into the virtual speaker while ``parec`` records its monitor."""
    from voiceskill.engines.pyttsx3_speaker import Pyttsx3Speaker

    speaker = Pyttsx3Speaker(chime=chime)
    with open(out, "wb") as raw:
        recorder = subprocess.Popen(
            ["parec", "--device=bedside_speaker.monitor", f"--rate={RATE}", "--channels=1",
             "--format=s16le", "--latency-msec=20"],
            stdout=raw,
        )
        deadline = time.monotonic() + 6.0
        while Path(out).stat().st_size < 6400 and time.monotonic() < deadline:
            time.sleep(0.05)
        speaker.say(text, then_listen=then_listen)
        time.sleep(0.4)
        recorder.terminate()
        recorder.wait()
    speaker.close()
    return {"seconds": speaker.last_duration}


def tail_share(path: Path) -> tuple[float, float]:
    """How much of the last sound recorded (its final 60 ms) is each chime note: 1.0 for a
    pure tone at that pitch, a few hundredths for speech."""
    import array

    samples = array.array("h")
    data = path.read_bytes()
    samples.frombytes(data[: len(data) - len(data) % 2])
    end = len(samples)
    while end > 0 and abs(samples[end - 1]) < 300:
        end -= 1
    tail = [float(x) for x in samples[max(0, end - int(0.06 * RATE)) : end]]
    energy = sum(x * x for x in tail) * len(tail) / 2 or 1.0
    (low, _), (high, _) = CHIME_NOTES
    return power_at(tail, low, RATE) / energy, power_at(tail, high, RATE) / energy


@pytest.mark.parametrize("then_listen", [True, False])
def test_the_chime_ends_a_question_on_the_speaker(
    audiostack: AudioStack, tmp_path: Path, then_listen: bool
) -> None:
    speechgen.need_espeak()
    raw = tmp_path / "said.raw"
    audiostack.run(
        f"{HERE}:scenario_say", text="Do your legs twitch at night?", then_listen=then_listen,
        out=str(raw),
    )
    low, high = tail_share(raw)
    if then_listen:
        assert high > 0.6 and low < 0.1, (low, high)  # the last thing heard is the high note
    else:
        assert high < 0.2, (low, high)


def test_no_chime_when_it_is_turned_off(audiostack: AudioStack, tmp_path: Path) -> None:
    speechgen.need_espeak()
    raw = tmp_path / "said.raw"
    audiostack.run(
        f"{HERE}:scenario_say", text="Do your legs twitch at night?", then_listen=True,
        out=str(raw), chime=False,
    )
    low, high = tail_share(raw)
    assert high < 0.2, (low, high)
