"""The spoken check-in end to end through a real audio stack: `voiceskill checkin` speaks into
a virtual speaker and listens on a virtual microphone; a scripted person waits for each question
to be spoken, then answers into the microphone.

The skill speaks at the fastest rate the settings allow (``FAST``): what these tests prove is
the loop through real audio, not the pace, and at the default 145 words a minute the safety
question and the summary alone take a minute. The default pace reaching the speaker, and a
change of it, are proven by tests/test_live_voice_memory.py."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from voiceskill.config import bounds
from voiceskill.testing.audiostack import AudioStack, SpeakerWatch
from voiceskill.testing.speech import need_espeak, synth

pytestmark = [pytest.mark.audiostack, pytest.mark.voice]

FAST = ["--rate", str(bounds("rate")[1])]


# What a person says each time a line containing the key is spoken: asked again (not caught),
# they say it again. "Is that right?" is the read-back of an answer heard with low confidence,
# "Do you want to stop" of a stop: a person confirms it.
ANSWERS = {
    "First, a safety check": "no",
    "How old are you?": "seventy",
    "Are you a man?": "no",
    "Are you pregnant": "no",
    "Is that right?": "yes",
    "Do you want to stop": "yes",
    "strong urge to move your legs": "stop",
    "Say tell me more for the details": "good night",
}
# A caregiver answering for Rose, with the age said as a sentence.
CAREGIVER = ["--caregiver", "--name", "Rose", "--pronoun", "she"]
CAREGIVER_ANSWERS = {
    "First, a safety check": "no",
    "How old is Rose?": "she's seventy",
    "Is Rose pregnant": "no",
    "Is that right?": "yes",
    "Do you want to stop": "yes",
    "strong urge to move her legs": "stop",
    "Say tell me more for the details": "good night",
}


@pytest.mark.parametrize(
    ("answers", "options"), [(ANSWERS, []), (CAREGIVER_ANSWERS, CAREGIVER)],
    ids=["for oneself", "caregiver"],
)
def test_spoken_checkin_through_the_audio_stack(
    audiostack: AudioStack, answers: dict[str, str], options: list[str]
) -> None:
    pytest.importorskip("pocketsphinx")
    need_espeak()
    # Recognition is not certain: an answer can be missed more than twice in one run (then the
    # age is "unknown"). A second whole check-in must then succeed, with every assertion.
    try:
        _spoken_checkin(audiostack, answers, options)
    except AssertionError:
        _spoken_checkin(audiostack, answers, options)


def _spoken_checkin(
    audiostack: AudioStack, answers: dict[str, str], options: list[str],
    engine: str = "pocketsphinx",
) -> dict[str, Any]:
    wavs = {key: synth(text, rate=140) for key, text in answers.items()}
    watch = SpeakerWatch(audiostack)
    env = dict(audiostack.env, PYTHONPATH=str(audiostack.root))
    proc = subprocess.Popen(
        [sys.executable, "-m", "voiceskill", "checkin", "--json", "--engine", engine,
         "--input-device", "pulse", "--no-input-timeout", "10", "--verbose", *FAST, *options],
        env=env, cwd=audiostack.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 300
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            printed = time.monotonic()
            for key, wav in wavs.items():
                if key in line:
                    watch.wait_quiet(since=printed)
                    subprocess.run(["paplay", "--device=mic_feed", str(wav)], env=audiostack.env,
                                   check=True, timeout=20)
            if time.monotonic() > deadline:
                break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        watch.stop()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 0, stderr
    assert engine in stderr  # says which engine it uses
    result: dict[str, Any] = json.loads(lines[-1])
    assert result["answers"].get("red_flag_any") == "no", lines
    assert result["answers"].get("age") == 70, (lines, stderr)
    assert "not a diagnosis" in "\n".join(lines)
    # The questions were really spoken: seconds of speech reached the virtual speaker.
    assert watch.sound_seconds > 10, watch.sound_seconds
    return result


# Answers as people say them, none of them a listed phrase: heard freely by Whisper, then
# understood.
NATURAL = {
    "First, a safety check": "no, nothing like that",
    "How old are you?": "I am seventy years old",
    "Are you a man?": "no, I'm a woman",
    "Is that right?": "yes, that's right",
    "Do you want to stop": "yes",
    "strong urge to move your legs": "I guess so",
    "start or get worse when you sit": "only when I sit for a long time, yes",
    "walking or stretching ease it": "that's enough for tonight",
    "Say tell me more for the details": "good night",
}


def test_spoken_checkin_in_natural_words_with_whisper(
    audiostack: AudioStack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    need_espeak()
    from voiceskill.testing import whisper_base

    models = whisper_base.assemble(tmp_path_factory.mktemp("models"))
    options = ["--models-dir", str(models)]
    try:
        result = _spoken_checkin(audiostack, NATURAL, options, engine="whisper")
    except AssertionError:
        result = _spoken_checkin(audiostack, NATURAL, options, engine="whisper")
    answers = result["answers"]
    assert isinstance(answers, dict)
    assert answers.get("male") == "no" and answers.get("urge") == "yes", answers
    assert answers.get("worse_at_rest") == "yes", answers
