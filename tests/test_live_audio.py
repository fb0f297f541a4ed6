"""The live loop through a real audio stack: PortAudio -> ALSA -> PulseAudio virtual devices.

Each test starts a scenario in a subprocess that sees only the private PulseAudio of
``voiceskill.testing.audiostack`` (PortAudio must find that server when it initialises). The
``scenario_*`` functions run there and return JSON; the tests judge the result here.
"""

from __future__ import annotations

import array
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from voiceskill.audio import read_wav, rms, seconds
from voiceskill.testing import speech as speechgen
from voiceskill.testing.audiostack import AudioStack, finish, wait_event

pytestmark = pytest.mark.audiostack

HERE = "tests.test_live_audio"
QUESTION = "Do your legs twitch at night?"


def speech_span(pcm: bytes, threshold: float = 300.0, frame: int = 320) -> tuple[float, float]:
    """Start and end (seconds) of the loud part of int16 16 kHz PCM."""
    samples = array.array("h")
    samples.frombytes(pcm)
    loud = []
    for i in range(0, len(samples) - frame + 1, frame):
        part = samples[i : i + frame]
        if (sum(s * s for s in part) / frame) ** 0.5 > threshold:
            loud.append(i)
    if not loud:
        return (0.0, 0.0)
    return (loud[0] / 16_000, (loud[-1] + frame) / 16_000)


# -- scenarios: these run inside the audio stack's subprocess -------------------------------


def scenario_answer(wav: str, timeout: float = 6.0) -> dict[str, Any]:
    """Play ``wav`` into the virtual microphone while listening for one answer."""
    from voiceskill.engines.sounddevice_input import list_devices, open_microphone
    from voiceskill.mic import Listener

    devices = [d.describe() for d in list_devices()]
    with open_microphone(None) as mic:
        live = mic.wait_until_live()
        listener = Listener(mic)
        started = time.monotonic()
        player = subprocess.Popen(["paplay", "--device=mic_feed", wav])
        chunks = []
        first = None
        for chunk in listener.listen(no_input_timeout=timeout):
            if first is None:
                first = time.monotonic()
            chunks.append(chunk)
        player.wait()
        stats = listener.last
        assert stats is not None
        audio = b"".join(chunks)
        return {
            "devices": devices,
            "device": mic.name,
            "rate": mic.native_rate,
            "live": live,
            "outcome": stats.outcome,
            "seconds": seconds(audio),
            "rms": rms(audio),
            "span": speech_span(audio),
            "onset": stats.speech_onset,
            "detected": stats.speech_detected,
            "speech_end": stats.speech_end,
            "ended": stats.ended,
            "first_chunk_after_play": None if first is None else first - started,
            "end_after_last_voice": None if stats.end_time is None or stats.speech_end is None
            else stats.ended - stats.speech_end,
            "overflows": mic.overflows,
        }


def scenario_speak(text: str, out: str) -> dict[str, Any]:
    """Speak ``text`` into the virtual speaker while ``parec`` records its monitor."""
    from voiceskill.engines.pyttsx3_speaker import Pyttsx3Speaker
    from voiceskill.speech import Voice

    created = time.monotonic()
    speaker = Pyttsx3Speaker(Voice())
    ready = time.monotonic() - created
    with open(out, "wb") as raw:
        recorder = subprocess.Popen(
            ["parec", "--device=bedside_speaker.monitor", "--rate=16000", "--channels=1",
             "--format=s16le", "--latency-msec=20"],
            stdout=raw,
        )
        # An idle null sink wakes slowly; wait until the recording is really running, so the
        # byte count at the call below marks the moment say() was called.
        deadline = time.monotonic() + 6.0
        while Path(out).stat().st_size < 6400 and time.monotonic() < deadline:
            time.sleep(0.05)
        called = time.monotonic()
        at_call = Path(out).stat().st_size
        speaker.say(text)
        said = time.monotonic() - called
        time.sleep(0.5)
        recorder.terminate()
        recorder.wait()
    reference = Path(out).with_suffix(".ref.wav")
    length = speaker.save_wav(text, reference)
    speaker.close()
    return {
        "startup": ready,
        "worker_startup": speaker.startup_seconds,
        "first_sound": speaker.last_first_sound,
        "say_seconds": said,
        "audio_seconds": speaker.last_duration,
        "reference_seconds": length,
        "reference": str(reference),
        "recorded_at_call": at_call / 32_000,
    }


def scenario_echo(question: str, answer_wav: str) -> dict[str, Any]:
    """The skill hears its own voice through a loopback, speaks muted, then listens."""
    from voiceskill.engines.pyttsx3_speaker import Pyttsx3Speaker
    from voiceskill.engines.sounddevice_input import open_microphone
    from voiceskill.mic import Listener
    from voiceskill.speech import Voice

    result: dict[str, Any] = {}
    with open_microphone(None) as mic, Pyttsx3Speaker(Voice()) as speaker:
        mic.wait_until_live()
        listener = Listener(mic)

        # Control: not muted, the question comes back through the loopback and is "heard".
        heard: list[bytes] = []
        listening = threading.Thread(
            target=lambda: heard.extend(listener.listen(no_input_timeout=2.0))
        )
        listening.start()
        time.sleep(0.2)
        speaker.say(question)
        listening.join()
        result["unmuted_outcome"] = listener.last_outcome
        result["unmuted_seconds"] = seconds(b"".join(heard))

        # Muted while the skill speaks and, over it, the person talks into the microphone:
        # none of it is heard, and the silence afterwards is reported as no input.
        time.sleep(0.5)
        with listener.muted():
            talking = subprocess.Popen(["paplay", "--device=mic_feed", answer_wav])
            speaker.say(question)
            talking.wait()
        quiet = b"".join(listener.listen(no_input_timeout=1.5))
        result["muted_outcome"] = listener.last_outcome
        result["muted_seconds"] = seconds(quiet)

        # Then an answer is heard, and only the answer.
        player = subprocess.Popen(["paplay", "--device=mic_feed", answer_wav])
        answer = b"".join(listener.listen(no_input_timeout=5.0))
        player.wait()
        result["answer_outcome"] = listener.last_outcome
        result["answer_span"] = speech_span(answer)
        result["answer_seconds"] = seconds(answer)
    return result


def scenario_device_gone() -> dict[str, Any]:
    """Listen until the audio server goes away under us."""
    from voiceskill.engines.sounddevice_input import open_microphone
    from voiceskill.errors import AudioError
    from voiceskill.mic import Listener
    from voiceskill.testing.audiostack import emit

    mic = open_microphone(None)
    mic.wait_until_live()
    listener = Listener(mic)
    emit("listening")
    started = time.monotonic()
    try:
        list(listener.listen(no_input_timeout=30.0))
    except AudioError as err:
        return {"error": str(err), "after": time.monotonic() - started}
    finally:
        mic.close()
    return {"error": None, "outcome": listener.last_outcome}


# -- tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def answer_wav() -> Path:
    speechgen.need_espeak()
    return speechgen.synth("yes, most nights")


def test_an_answer_played_into_the_microphone_is_heard_whole(
    audiostack: AudioStack, answer_wav: Path
) -> None:
    source = read_wav(answer_wav)
    start, end = speech_span(source)

    got = audiostack.run(f"{HERE}:scenario_answer", wav=str(answer_wav))

    assert any("default input" in d for d in got["devices"]), got["devices"]
    assert got["live"], "the virtual microphone delivered audio"
    assert got["outcome"] == "speech"
    assert got["rate"] == 16_000, "PulseAudio records at 16 kHz itself"
    heard_start, heard_end = got["span"]
    assert heard_end - heard_start == pytest.approx(end - start, abs=0.2)
    assert heard_start >= 0.2, "pre-roll before the first word"
    assert got["seconds"] == pytest.approx(heard_end + 0.8, abs=0.25), "ends ~0.8 s after speech"
    assert 0.5 < got["rms"] / rms(source) < 2.0, "recorded at the level it was played"
    assert got["detected"] - got["onset"] <= 0.3, "speech-start latency (audio time)"
    # From the first word leaving paplay to the first chunk in hand, through PulseAudio.
    assert got["first_chunk_after_play"] - start < 0.6
    assert got["overflows"] == 0


def test_the_speaker_is_heard_on_the_virtual_speaker(
    audiostack: AudioStack, tmp_path: Path
) -> None:
    speechgen.need_espeak()
    raw = tmp_path / "said.raw"

    got = audiostack.run(f"{HERE}:scenario_speak", text=QUESTION, out=str(raw))

    said = raw.read_bytes()
    start, end = speech_span(said)
    ref_start, ref_end = speech_span(read_wav(got["reference"]))
    assert end > start, "something was said"
    assert end - start == pytest.approx(ref_end - ref_start, abs=0.3)
    assert rms(said[int(start * 16_000) * 2 : int(end * 16_000) * 2]) > 1000
    # say() returns once the prompt has been played, not before.
    assert got["say_seconds"] >= got["audio_seconds"] - 0.2
    assert got["first_sound"] < 1.0
    assert got["startup"] < 5.0


def test_the_skill_never_hears_itself(audiostack: AudioStack, answer_wav: Path) -> None:
    module = audiostack.pactl(
        "load-module", "module-loopback", "source=bedside_speaker.monitor", "sink=mic_feed",
        "latency_msec=60",
    )
    try:
        got = audiostack.run(
            f"{HERE}:scenario_echo", question=QUESTION, answer_wav=str(answer_wav), timeout=60
        )
    finally:
        audiostack.pactl("unload-module", module)

    assert got["unmuted_outcome"] == "speech", "control: the loopback really feeds the mic"
    assert got["muted_outcome"] == "no_input"
    assert got["muted_seconds"] == 0
    assert got["answer_outcome"] == "speech"
    source_start, source_end = speech_span(read_wav(answer_wav))
    start, end = got["answer_span"]
    assert end - start == pytest.approx(source_end - source_start, abs=0.25), (
        "only the answer, none of the question"
    )


def test_a_vanishing_audio_server_is_reported_naming_the_microphone(
    own_audiostack: AudioStack,
) -> None:
    target = f"{HERE}:scenario_device_gone"
    proc = own_audiostack.start(target)
    try:
        wait_event(proc, "listening")
        time.sleep(0.5)
        own_audiostack.stop()
        got = finish(proc, target)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert got["error"], f"listening ended without an error: {got}"
    assert "microphone" in got["error"] and "default" in got["error"]
    assert got["after"] < 0.5 + 8.0

