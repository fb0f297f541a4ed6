"""Voice settings, the printing fallback, and the real pyttsx3 speaker with its hang guard."""

from __future__ import annotations

import io
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from voiceskill.audio import read_wav, rms, seconds
from voiceskill.engines.pyttsx3_speaker import Pyttsx3Speaker
from voiceskill.errors import AudioError
from voiceskill.speech import MAX_VOLUME, MIN_RATE, PrintingSpeaker, Speaker, Voice

pytestmark = pytest.mark.audio

QUESTION = "Do your legs twitch or feel jumpy at night? You can say yes, no, or not sure."


# -- voice settings -------------------------------------------------------------------------


def test_the_default_voice_is_slower_than_pyttsx3s_200_words_a_minute() -> None:
    voice = Voice()
    assert voice.rate == 145
    assert voice.volume == 1.0
    assert voice.voice is None


def test_slower_steps_down_and_stops_at_the_floor() -> None:
    voice = Voice(rate=130)
    steps = []
    for _ in range(4):
        adjusted = voice.slower()
        steps.append((adjusted.voice.rate, adjusted.changed, adjusted.at_limit))
        voice = adjusted.voice

    assert steps == [(110, True, False), (90, True, True), (90, False, True), (90, False, True)]
    assert voice.rate == MIN_RATE


def test_louder_at_full_volume_says_it_cannot_go_further() -> None:
    adjusted = Voice().louder()

    assert not adjusted.changed
    assert adjusted.at_limit
    assert adjusted.voice.volume == MAX_VOLUME


def test_quieter_then_louder_lands_back_on_full_volume() -> None:
    quieter = Voice().quieter().voice.quieter().voice
    assert quieter.volume == pytest.approx(0.6)
    louder = quieter.louder().voice.louder()
    assert louder.changed and louder.at_limit
    assert louder.voice.volume == 1.0


def test_voice_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="rate"):
        Voice(rate=40)
    with pytest.raises(ValueError, match="volume"):
        Voice(volume=1.5)


def test_printing_speaker_prints_the_text() -> None:
    out = io.StringIO()
    speaker: Speaker = PrintingSpeaker(out)

    speaker.say("Do your legs twitch at night?")

    assert out.getvalue() == "Do your legs twitch at night?\n"


def test_printing_speaker_defaults_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    PrintingSpeaker(prefix="> ").say("Hello")
    assert capsys.readouterr().out == "> Hello\n"


# -- the real engine ------------------------------------------------------------------------


def need_pyttsx3() -> None:
    pytest.importorskip("pyttsx3", reason="pip install pyttsx3")
    if shutil.which("espeak-ng") is None and shutil.which("espeak") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")


@pytest.fixture(scope="module")
def speaker() -> Iterator[Pyttsx3Speaker]:
    need_pyttsx3()
    with Pyttsx3Speaker(Voice()) as s:
        yield s


def test_save_wav_speaks_at_the_chosen_rate(speaker: Pyttsx3Speaker, tmp_path: Path) -> None:
    lengths = {}
    for rate in (145, 200, 145):
        speaker.voice = Voice(rate=rate)
        lengths[rate] = speaker.save_wav(QUESTION, tmp_path / f"q{rate}.wav")
        audio = read_wav(tmp_path / f"q{rate}.wav")
        assert seconds(audio) == pytest.approx(lengths[rate], abs=0.01)
        assert rms(audio) > 500

    words = len(QUESTION.split())
    assert lengths[145] == pytest.approx(words * 60 / 145, rel=0.4)
    assert lengths[200] == pytest.approx(words * 60 / 200, rel=0.4)
    assert lengths[145] > 1.25 * lengths[200], "145 words a minute is clearly slower"


def test_volume_reaches_the_audio(speaker: Pyttsx3Speaker, tmp_path: Path) -> None:
    speaker.voice = Voice(volume=1.0)
    speaker.save_wav("Say yes or no.", tmp_path / "full.wav")
    speaker.voice = Voice(volume=0.4)
    speaker.save_wav("Say yes or no.", tmp_path / "quiet.wav")

    ratio = rms(read_wav(tmp_path / "quiet.wav")) / rms(read_wav(tmp_path / "full.wav"))
    assert ratio == pytest.approx(0.4, abs=0.1)


def test_save_wav_into_a_missing_folder_says_so(speaker: Pyttsx3Speaker, tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        speaker.save_wav("Hello.", tmp_path / "nowhere" / "hello.wav")


def test_the_worker_starts_quickly(speaker: Pyttsx3Speaker) -> None:
    assert speaker.startup_seconds is not None and speaker.startup_seconds < 5.0


def test_speaking_without_a_sound_device_raises_naming_it() -> None:
    need_pyttsx3()
    with (
        Pyttsx3Speaker(Voice(), device="voiceskill_no_such_device") as speaker,
        pytest.raises(AudioError, match="voiceskill_no_such_device") as raised,
    ):
        speaker.say("Hello.")
    message = str(raised.value)
    assert "could not be opened" in message and "Connect a speaker" in message, message
    assert "main:" not in message, message


def test_a_playback_problem_names_the_output_and_what_to_do() -> None:
    from voiceskill.engines.pyttsx3_speaker import playback_problem

    missing = playback_problem(
        None, b"aplay: main:831: audio open error: No such file or directory\n", 1
    )
    assert missing.startswith("the default sound output could not be opened "), missing
    assert "(audio open error: No such file or directory)" in missing
    assert "output_device" in missing and "voiceskill devices" in missing
    other = playback_problem("hw:1", b"aplay: pcm_write:2178: write error: Input/output error", 1)
    assert other == "could not play on the sound output 'hw:1' (write error: Input/output error)"
    assert playback_problem(None, b"", 3) == (
        "could not play on the default sound output (aplay exited with status 3)"
    )


def test_a_worker_that_died_between_prompts_is_replaced(tmp_path: Path) -> None:
    need_pyttsx3()
    with Pyttsx3Speaker(Voice()) as speaker:
        first = speaker.worker_pid
        assert first is not None
        os.kill(first, 9)
        time.sleep(0.1)

        assert speaker.save_wav("Two.", tmp_path / "two.wav") > 0.2
        assert speaker.worker_pid not in (None, first)


# -- the hang guard, with stand-ins for a stuck engine --------------------------------------

HANGS_ON_REQUEST = textwrap.dedent(
    """
    import json, subprocess, sys, time
    player = subprocess.Popen(["sleep", "60"])  # as aplay would be, in the worker's group
    print(json.dumps({"event": "ready", "player_pid": player.pid}), flush=True)
    for line in sys.stdin:
        if "{stage}" == "playing":
            print(json.dumps({"event": "playing", "seconds": 0.3}), flush=True)
        time.sleep(3600)
    """
)


def stand_in(stage: str) -> list[str]:
    return [sys.executable, "-c", HANGS_ON_REQUEST.replace("{stage}", stage)]


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"  # a zombie is dead, only not yet reaped
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("stage", ["synthesis", "playing"])
def test_a_stuck_engine_times_out_and_is_killed_with_its_player(stage: str) -> None:
    speaker = Pyttsx3Speaker(Voice(), timeout=0.5, worker_command=stand_in(stage))
    worker = speaker.worker_pid
    assert worker is not None

    started = time.monotonic()
    with pytest.raises(AudioError, match="stuck"):
        speaker.say("Hello there.")
    took = time.monotonic() - started

    # 0.5 s allowance plus two words at 145 a minute (synthesis) or 0.3 s of audio (playing).
    assert 0.7 < took < 2.5
    assert gone(worker)
    speaker.close()


def test_after_a_timeout_the_next_prompt_gets_a_fresh_worker() -> None:
    speaker = Pyttsx3Speaker(Voice(), timeout=0.3, worker_command=stand_in("synthesis"))
    first = speaker.worker_pid
    with pytest.raises(AudioError):
        speaker.say("One.")
    with pytest.raises(AudioError):
        speaker.say("Two.")
    assert speaker.startup_seconds is not None
    assert first is not None and gone(first)
    speaker.close()


def test_a_worker_that_never_starts_is_reported() -> None:
    with pytest.raises(AudioError, match="starting pyttsx3"):
        Pyttsx3Speaker(
            Voice(), worker_command=[sys.executable, "-c", "import time; time.sleep(60)"],
            start_timeout=0.5,
        )


def test_a_worker_that_dies_is_reported() -> None:
    with pytest.raises(AudioError, match="exited"):
        Pyttsx3Speaker(Voice(), worker_command=[sys.executable, "-c", "raise SystemExit(3)"])


def test_longer_text_gets_a_longer_allowance() -> None:
    speaker = Pyttsx3Speaker(Voice(rate=100), timeout=2.0, start=False,
                             worker_command=stand_in("synthesis"))
    short = speaker._synth_limit("Yes.")
    long = speaker._synth_limit(" ".join(["word"] * 50))
    assert short == pytest.approx(2.0 + 0.6)
    assert long == pytest.approx(2.0 + 30.0)
