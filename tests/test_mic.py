"""End-of-answer detection on generated speech, through the fake microphone."""

from __future__ import annotations

import array
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from voiceskill.audio import CHUNK_BYTES, rms, seconds
from voiceskill.engines import sounddevice_input as sdi
from voiceskill.errors import AudioError
from voiceskill.mic import Listener
from voiceskill.testing import speech as speechgen
from voiceskill.testing.microphone import FakeInputStream

pytestmark = pytest.mark.audio

RATE = 16_000


def silence(secs: float) -> bytes:
    return bytes(2 * int(secs * RATE))


def burst(secs: float, level: int = 12_000) -> bytes:
    """A broadband burst (alternating full swings): a click, a knock, or a cough."""
    n = int(secs * RATE)
    return array.array("h", (level if i % 2 else -level for i in range(n))).tobytes()


def trimmed(pcm: bytes, threshold: int = 200) -> bytes:
    """The word itself: from its first to its last sample above ``threshold``."""
    samples = array.array("h")
    samples.frombytes(pcm)
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    return samples[loud[0] : loud[-1] + 1].tobytes()


def heard(listener: Listener, timeout: float = 8.0) -> bytes:
    return b"".join(listener.listen(no_input_timeout=timeout))


@pytest.fixture(scope="module")
def no_pcm() -> bytes:
    speechgen.need_espeak()
    return speechgen.pcm("no")


def test_a_short_no_is_heard_whole_with_its_onset(no_pcm: bytes) -> None:
    word = trimmed(no_pcm)
    listener = Listener(FakeInputStream(silence(1.0) + no_pcm + silence(2.0)))

    chunks = list(listener.listen(no_input_timeout=5.0))
    audio = b"".join(chunks)

    assert listener.last_outcome == "speech"
    assert all(len(c) == CHUNK_BYTES for c in chunks)
    at = audio.find(word)
    assert at >= 0, "the whole word, from its first sample to its last, was yielded"
    assert seconds(audio[:at]) >= 0.25, "pre-roll before the onset the detector needed"
    stats = listener.last
    assert stats is not None and stats.speech_onset is not None and stats.speech_end is not None
    assert 0.8 <= stats.ended - stats.speech_end <= 0.9 + 1e-6, "ends ~0.8 s after speech"
    assert seconds(audio[at + len(word) :]) == pytest.approx(0.8, abs=0.12)
    assert stats.speech_onset == pytest.approx(1.3, abs=0.06)  # 1 s lead-in + 0.3 s padding


def test_a_clipped_no_of_a_quarter_second_still_counts() -> None:
    speechgen.need_espeak()
    quick = speechgen.pcm("no", rate=260)
    word = trimmed(quick)
    assert seconds(word) <= 0.26
    listener = Listener(FakeInputStream(silence(0.5) + quick))

    audio = heard(listener, timeout=3.0)

    assert listener.last_outcome == "speech"
    assert word in audio


def test_nothing_is_yielded_when_nobody_answers() -> None:
    mic = FakeInputStream(noise_level=40.0)
    listener = Listener(mic)

    assert heard(listener, timeout=2.0) == b""
    assert listener.last_outcome == "no_input"
    assert listener.last is not None and listener.last.ended == pytest.approx(2.0, abs=0.11)
    assert listener.speech_end_time is None


@pytest.mark.parametrize("length", [0.005, 0.02, 0.06])
def test_a_click_or_knock_does_not_start_an_answer(length: float) -> None:
    knocks = silence(1.0) + burst(length) + silence(0.6) + burst(length)
    listener = Listener(FakeInputStream(knocks))

    assert heard(listener, timeout=3.0) == b""
    assert listener.last_outcome == "no_input"


def test_a_knock_just_before_the_answer_does_not_confuse_it(no_pcm: bytes) -> None:
    listener = Listener(FakeInputStream(silence(1.0) + burst(0.03) + silence(0.5) + no_pcm))

    audio = heard(listener)

    assert listener.last_outcome == "speech"
    assert trimmed(no_pcm) in audio


def test_the_threshold_follows_a_noisy_room() -> None:
    speechgen.need_espeak()
    answer = speechgen.pcm("yes, most nights")
    lead = 2.0
    # Room noise well above the fixed minimum level: a fixed threshold would "hear" it at once.
    noisy = speechgen.with_noise(silence(lead) + answer + silence(2.0), snr_db=6.0, seed=3)
    noise_only = rms(noisy[: int(lead * RATE) * 2])
    assert noise_only > 3 * Listener(FakeInputStream()).min_level
    word = trimmed(answer)
    true_onset = lead + seconds(answer[: answer.find(word)])
    true_end = true_onset + seconds(word)
    listener = Listener(FakeInputStream(noisy))

    audio = heard(listener)
    stats = listener.last

    assert stats is not None and stats.outcome == "speech"
    assert stats.noise_floor == pytest.approx(noise_only, rel=0.5)
    assert stats.speech_onset == pytest.approx(true_onset, abs=0.15)
    start = seconds(noisy[: noisy.find(audio[:CHUNK_BYTES])])
    assert start <= true_onset - 0.2, "pre-roll covers the onset"
    assert start + seconds(audio) >= true_end, "the soft end of the answer is included"
    assert stats.ended - true_end < 1.0, "but listening stops soon after it"


def test_a_long_answer_is_cut_at_the_maximum() -> None:
    speechgen.need_espeak()
    speech = speechgen.pcm("about thirty minutes, most nights, and sometimes in the afternoon")
    listener = Listener(FakeInputStream(silence(0.5) + speech), max_answer=1.5)

    audio = heard(listener)

    assert listener.last_outcome == "max_length"
    assert seconds(audio) <= 1.5 + listener.preroll + 0.2


def test_one_answer_can_have_a_shorter_cap_than_the_listener() -> None:
    speechgen.need_espeak()
    speech = speechgen.pcm("about thirty minutes, most nights, and sometimes in the afternoon")
    listener = Listener(FakeInputStream(silence(0.5) + speech + speech), max_answer=15.0)

    audio = b"".join(listener.listen(no_input_timeout=8.0, max_answer=1.5))

    assert listener.last_outcome == "max_length"
    assert seconds(audio) <= 1.5 + listener.preroll + 0.2
    # The next answer has the listener's own cap again.
    rest = b"".join(listener.listen(no_input_timeout=8.0))
    assert listener.last_outcome == "speech" and seconds(rest) > 1.5


def test_a_microphone_that_disappears_mid_answer_raises_naming_it() -> None:
    speechgen.need_espeak()
    speech = speechgen.pcm("yes, most nights")
    mic = FakeInputStream(silence(1.0) + speech, fail_at=2.0, name="USB PnP Sound Device")
    listener = Listener(mic)
    got: list[bytes] = []

    with pytest.raises(AudioError, match="USB PnP Sound Device"):
        for chunk in listener.listen():
            got.append(chunk)

    assert got, "the start of the answer was delivered before the device vanished"


def test_what_is_heard_while_muted_is_thrown_away(no_pcm: bytes) -> None:
    speechgen.need_espeak()
    prompt = speechgen.pcm("do your legs twitch at night")
    mic = FakeInputStream()
    listener = Listener(mic)

    with listener.muted():
        mic.feed(prompt)  # the skill's own voice, picked up by the microphone
    mic.feed(silence(0.6) + no_pcm)
    audio = heard(listener)

    assert listener.last_outcome == "speech"
    assert trimmed(no_pcm) in audio
    assert seconds(audio) < seconds(no_pcm) + 1.3
    assert trimmed(prompt)[:3200] not in audio


def test_the_tail_of_the_prompt_right_after_unmuting_is_ignored() -> None:
    speechgen.need_espeak()
    prompt = speechgen.pcm("please say yes or no")
    tail = trimmed(prompt)[-int(0.15 * RATE) * 2 :]  # still in flight when say() returned
    mic = FakeInputStream()
    listener = Listener(mic, unmute_guard=0.2)

    listener.mute()
    mic.feed(prompt)
    listener.unmute()
    mic.feed(tail + silence(2.0))

    assert heard(listener, timeout=2.0) == b""
    assert listener.last_outcome == "no_input"


def test_listening_while_muted_hears_nothing(no_pcm: bytes) -> None:
    listener = Listener(FakeInputStream(silence(0.3) + no_pcm))
    listener.mute()

    assert heard(listener, timeout=1.5) == b""
    assert listener.last_outcome == "no_input"
    assert listener.is_muted


def test_muting_mid_answer_ends_it_without_the_skills_voice() -> None:
    speechgen.need_espeak()
    speech = speechgen.pcm("about thirty minutes, most nights, and sometimes in the afternoon")
    listener = Listener(FakeInputStream(silence(0.5) + speech))
    got = []
    for chunk in listener.listen():
        got.append(chunk)
        if len(got) == 8:
            listener.mute()

    assert len(got) == 8
    assert listener.last_outcome == "speech"


def test_in_real_time_the_answer_starts_flowing_at_once_and_ends_promptly() -> None:
    speechgen.need_espeak()
    answer = speechgen.pcm("yes")
    lead = 0.5
    mic = FakeInputStream(silence(lead) + answer, realtime=True)
    listener = Listener(mic)
    first: float | None = None
    for _ in listener.listen(no_input_timeout=5.0):
        if first is None:
            first = time.monotonic()
    stats = listener.last
    assert stats is not None and first is not None and stats.speech_onset is not None
    assert stats.end_time is not None and stats.speech_end is not None

    onset_wall = mic._t0 + stats.speech_onset
    assert 0.0 < first - onset_wall < 0.35, "speech-start latency"
    end_wall = mic._t0 + stats.speech_end
    assert 0.8 <= stats.end_time - end_wall < 1.0, "end-of-answer latency"


def test_unmuting_from_another_thread_lets_a_waiting_listen_hear(no_pcm: bytes) -> None:
    mic = FakeInputStream(realtime=True)
    listener = Listener(mic)
    listener.mute()

    def speak_then_answer() -> None:
        mic.feed(burst(0.4))  # the prompt, captured while muted
        time.sleep(0.5)
        listener.unmute()
        time.sleep(0.3)
        mic.feed(no_pcm)

    helper = threading.Thread(target=speak_then_answer)
    helper.start()
    audio = heard(listener, timeout=4.0)
    helper.join()

    assert listener.last_outcome == "speech"
    assert trimmed(no_pcm) in audio
    assert burst(0.1) not in audio


def test_fake_flush_in_real_time_drops_only_what_was_captured() -> None:
    mic = FakeInputStream(realtime=True)
    mic.feed(bytes(2 * RATE))
    time.sleep(0.3)
    dropped = mic.flush()

    assert 0.25 * RATE <= dropped <= 0.4 * RATE
    assert mic.position == pytest.approx(dropped / RATE)


def test_a_consumer_that_stops_early_still_leaves_the_outcome(no_pcm: bytes) -> None:
    listener = Listener(FakeInputStream(silence(1.0) + no_pcm))
    answer = listener.listen()
    next(answer)
    answer.close()

    assert listener.last_outcome == "speech"
    assert listener.last is not None and listener.last.speech_onset == pytest.approx(1.3, abs=0.06)


def test_listener_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        Listener(FakeInputStream(), chunk_bytes=3)
    with pytest.raises(ValueError):
        Listener(FakeInputStream(), min_speech=0.5, start_window=0.3)


def test_a_noisy_room_from_the_first_block_is_not_taken_for_speech() -> None:
    mic = FakeInputStream(noise_level=700.0, seed=5)
    listener = Listener(mic)

    assert heard(listener, timeout=2.0) == b""
    assert listener.last_outcome == "no_input"
    assert listener.noise_floor == pytest.approx(700.0, rel=0.2)


# -- the sounddevice adapter, against a stand-in for the sounddevice module ------------------



class FakePortAudioError(Exception):
    pass


class FakeRawInputStream:
    """Calls back with blocks like PortAudio: from its own thread, at (fast) real time."""

    def __init__(self, samplerate: int, blocksize: int, callback: Any,
                 finished_callback: Any, **kwargs: Any) -> None:
        self.samplerate = samplerate
        self.blocksize = blocksize
        self.callback = callback
        self.finished_callback = finished_callback
        self.kwargs = kwargs
        self.blocks_to_deliver = 200
        self.stopped = threading.Event()
        self.closed = False

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        for n in range(self.blocks_to_deliver):
            if self.stopped.is_set():
                return
            level = 1000 + n  # a ramp, so resampled blocks can be told apart
            block = array.array("h", [level] * self.blocksize).tobytes()
            self.callback(block, self.blocksize, None, None)
            time.sleep(0.002)
        self.finished_callback()

    def stop(self) -> None:
        self.stopped.set()

    def close(self) -> None:
        self.closed = True


class FakeSoundDevice:
    """Just enough of the sounddevice module: one 44.1 kHz microphone that cannot do 16 kHz."""

    PortAudioError = FakePortAudioError

    def __init__(self) -> None:
        self.streams: list[FakeRawInputStream] = []
        self.default = type("Default", (), {"device": [0, 1]})()

    def query_devices(self, device: Any = None, kind: str | None = None) -> Any:
        devices = [
            {"index": 0, "name": "USB PnP Sound Device", "hostapi": 0, "max_input_channels": 1,
             "max_output_channels": 0, "default_samplerate": 44100.0},
            {"index": 1, "name": "HDMI 0", "hostapi": 0, "max_input_channels": 0,
             "max_output_channels": 2, "default_samplerate": 48000.0},
        ]
        if device is None and kind is None:
            return devices
        if device is None:
            return devices[0] if kind == "input" else devices[1]
        for d in devices:
            if device == d["index"] or (isinstance(device, str) and device in str(d["name"])):
                if kind == "input" and not d["max_input_channels"]:
                    raise ValueError(f"Not an input device: {device!r}")
                return d
        raise ValueError(f"No input device matching {device!r}")

    def query_hostapis(self) -> list[dict[str, Any]]:
        return [{"name": "ALSA"}]

    def check_input_settings(self, device: Any = None, samplerate: float = 0, **kw: Any) -> None:
        if samplerate != 44100:
            raise FakePortAudioError("Invalid sample rate [PaErrorCode -9997]")

    def RawInputStream(self, **kwargs: Any) -> FakeRawInputStream:
        stream = FakeRawInputStream(**kwargs)
        self.streams.append(stream)
        return stream


@pytest.fixture
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> FakeSoundDevice:
    sd = FakeSoundDevice()
    monkeypatch.setattr(sdi, "_sounddevice", lambda: sd)
    return sd


def test_a_microphone_without_16k_is_opened_at_its_own_rate_and_resampled(
    fake_sd: FakeSoundDevice,
) -> None:
    with sdi.open_microphone("USB") as mic:
        assert mic.native_rate == 44100
        stream = fake_sd.streams[0]
        assert stream.samplerate == 44100 and stream.blocksize == 4410
        assert stream.kwargs["dtype"] == "int16" and stream.kwargs["channels"] == 1
        assert mic.wait_until_live(2.0)
        blocks = [mic.read(1600) for _ in range(5)]

    assert all(len(b) == 3200 for b in blocks)
    first = array.array("h")
    first.frombytes(blocks[0])
    assert set(first) == {1000}
    assert stream.closed


def test_flush_drops_what_was_captured(fake_sd: FakeSoundDevice) -> None:
    with sdi.open_microphone(0) as mic:
        time.sleep(0.1)
        assert mic.flush() > 0
        rest = mic.read(1600)
        samples = array.array("h")
        samples.frombytes(rest)
        assert samples[0] > 1000, "the oldest blocks were dropped"


def test_a_device_that_stops_raises_naming_it(fake_sd: FakeSoundDevice) -> None:
    with sdi.open_microphone(None) as mic, pytest.raises(AudioError, match="USB PnP Sound Device"):
        while True:
            mic.read(1600)


def test_a_device_that_goes_silent_times_out_naming_it(
    fake_sd: FakeSoundDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeRawInputStream, "start", lambda self: None)
    monkeypatch.setattr(sdi, "FIRST_BLOCK_TIMEOUT", 0.3)
    with sdi.open_microphone(None, read_timeout=0.2) as mic:
        started = time.monotonic()
        with pytest.raises(AudioError, match=r"USB PnP Sound Device.*no audio"):
            mic.read(1600)
        assert time.monotonic() - started < 1.0


def test_an_unknown_microphone_is_named_with_the_available_inputs(
    fake_sd: FakeSoundDevice,
) -> None:
    with pytest.raises(AudioError) as caught:
        sdi.open_microphone("Blue Yeti")
    message = str(caught.value)
    assert "'Blue Yeti'" in message
    assert "0: USB PnP Sound Device" in message
    assert "HDMI" not in message, "only inputs are offered"


def test_an_output_only_device_is_not_a_microphone(fake_sd: FakeSoundDevice) -> None:
    with pytest.raises(AudioError, match=r"microphone 1.*Available inputs: 0: USB"):
        sdi.open_microphone(1)


def test_devices_are_listed_with_their_defaults(fake_sd: FakeSoundDevice) -> None:
    devices = sdi.list_devices()

    assert [d.name for d in devices] == ["USB PnP Sound Device", "HDMI 0"]
    assert devices[0].is_default_input and not devices[0].is_default_output
    assert devices[1].is_default_output
    assert devices[0].describe() == (
        "0: USB PnP Sound Device (ALSA; 1 in, 0 out, 44100 Hz) [default input]"
    )


def test_missing_sounddevice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(AudioError, match="pip install sounddevice"):
        sdi.open_microphone(None)


def test_missing_portaudio_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # What sounddevice itself does when libportaudio2 is not installed.
    (tmp_path / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AudioError, match="apt-get install libportaudio2"):
        sdi.list_devices()
