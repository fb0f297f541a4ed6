"""The real microphone: sounddevice (PortAudio) delivering 16 kHz mono int16 blocks.

``sounddevice`` is imported inside the functions, so the rest of voiceskill (text mode, tests)
works on machines without PortAudio. PortAudio reads the audio configuration (ALSA devices,
the PulseAudio server) once, at import; environment changes made later are not seen.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..audio import resample
from ..errors import AudioError
from ..messages import SAMPLE_RATE
from . import native_stderr

BLOCK_SECONDS = 0.1
BUFFER_SECONDS = 10.0
"""Audio kept while nobody reads (the skill is speaking). The oldest is dropped beyond this, and
``flush`` drops all of it when listening resumes."""
READ_TIMEOUT = 2.0
"""A running device delivers a block every 0.1 s; this long without one means it is gone."""
FIRST_BLOCK_TIMEOUT = 6.0
"""The first block may take longer: PulseAudio wakes an idle source on the first recording
(about 2 s with the virtual null-sink microphone used in the tests)."""


@dataclass(frozen=True)
class DeviceInfo:
    """One audio device as PortAudio sees it (for ``voiceskill devices``)."""

    index: int
    name: str
    inputs: int
    outputs: int
    default_samplerate: float
    hostapi: str
    is_default_input: bool
    is_default_output: bool

    def describe(self) -> str:
        marks = [m for m, on in (("default input", self.is_default_input),
                                 ("default output", self.is_default_output)) if on]
        extra = f" [{', '.join(marks)}]" if marks else ""
        return (
            f"{self.index}: {self.name} ({self.hostapi}; {self.inputs} in, {self.outputs} out, "
            f"{self.default_samplerate:.0f} Hz){extra}"
        )


def _sounddevice() -> ModuleType:
    try:
        import sounddevice
    except ImportError as err:
        raise AudioError(
            "the microphone needs the Python package sounddevice: pip install sounddevice"
        ) from err
    except OSError as err:
        # sounddevice raises OSError at import when the PortAudio shared library is missing.
        raise AudioError(
            f"the microphone needs the PortAudio library ({err}): apt-get install libportaudio2"
        ) from err
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every audio device PortAudio can see, inputs and outputs."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = _defaults(sd)
        hostapis = [h["name"] for h in sd.query_hostapis()]
    except sd.PortAudioError as err:
        raise AudioError(f"could not list audio devices: {err}") from err
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            hostapi=hostapis[d["hostapi"]] if 0 <= d["hostapi"] < len(hostapis) else "?",
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in devices
    ]


def open_microphone(
    device: str | int | None = None,
    *,
    rate: int = SAMPLE_RATE,
    read_timeout: float = READ_TIMEOUT,
) -> SoundDeviceMicrophone:
    """Open and start a microphone delivering ``rate`` Hz mono int16.

    ``device`` is a PortAudio index, a (part of a) device name such as ``"pulse"``, or ``None``
    for the system default input. When the device cannot record at ``rate`` it is opened at its
    own default rate and resampled.
    """
    sd = _sounddevice()
    label = "the default microphone" if device is None else f"microphone {device!r}"
    try:
        info = sd.query_devices(device, "input")
    except (ValueError, sd.PortAudioError) as err:
        raise AudioError(f"{label}: not found ({err}). {_inputs_hint(sd)}") from err
    index = int(info["index"])
    name = f"{info['name']!r} (device {index})"
    if int(info["max_input_channels"]) < 1:
        raise AudioError(f"{name} has no input channels. {_inputs_hint(sd)}")

    native = rate
    # A device that is gone makes ALSA and PortAudio print lines of their own at every try.
    with native_stderr.captured():
        try:
            sd.check_input_settings(device=index, channels=1, dtype="int16", samplerate=rate)
        except (ValueError, sd.PortAudioError):
            native = int(info["default_samplerate"])
        try:
            return SoundDeviceMicrophone(sd, index, name, native, rate, read_timeout)
        except (ValueError, sd.PortAudioError) as err:
            failure = err
    hint = _inputs_hint(sd)
    raise AudioError(f"could not open {name} at {native} Hz: {failure}. {hint}") from failure


class SoundDeviceMicrophone:
    """A started PortAudio input stream behind the ``voiceskill.mic.InputStream`` protocol.

    The stream runs with a callback that queues blocks, so capture never stalls while nobody
    reads (the skill is speaking), ``flush`` can drop exactly what was captured, and a device
    that stops delivering is noticed by a read timeout rather than a read that blocks forever.
    """

    def __init__(
        self,
        sd: ModuleType,
        index: int,
        name: str,
        native_rate: int,
        rate: int,
        read_timeout: float,
    ) -> None:
        self.index = index
        self.name = name
        self.native_rate = native_rate
        self.rate = rate
        self.read_timeout = read_timeout
        self.overflows = 0
        self._sd = sd
        self._cond = threading.Condition()
        self._blocks: deque[bytes] = deque()
        self._buffered = 0
        self._max_bytes = int(BUFFER_SECONDS * native_rate) * 2
        self._out = bytearray()
        self._closed = False
        self._finished = False
        self._live = threading.Event()
        self._stream: Any = sd.RawInputStream(
            samplerate=native_rate,
            channels=1,
            dtype="int16",
            blocksize=int(native_rate * BLOCK_SECONDS),
            device=index,
            callback=self._callback,
            finished_callback=self._on_finished,
        )
        try:
            self._stream.start()
        except Exception:
            self._stream.close()
            raise

    def wait_until_live(self, timeout: float = FIRST_BLOCK_TIMEOUT) -> bool:
        """Wait until the device has delivered its first block; false if it did not in time."""
        return self._live.wait(timeout)

    def read(self, frames: int) -> bytes:
        want = 2 * frames
        limit = self.read_timeout
        if not self._live.is_set():
            limit = max(limit, FIRST_BLOCK_TIMEOUT)
        deadline = time.monotonic() + limit
        with self._cond:
            while len(self._out) < want:
                if self._blocks:
                    block = self._blocks.popleft()
                    self._buffered -= len(block)
                    if self.native_rate != self.rate:
                        block = resample(block, self.native_rate, self.rate)
                    self._out.extend(block)
                    continue
                if self._closed:
                    raise AudioError(f"microphone {self.name}: the stream is closed")
                if self._finished:
                    raise AudioError(
                        f"microphone {self.name} stopped delivering audio; was it unplugged?"
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AudioError(
                        f"microphone {self.name}: no audio for {limit:.0f} s; "
                        "was it unplugged or taken by another program?"
                    )
                self._cond.wait(min(left, 0.25))
            data = bytes(self._out[:want])
            del self._out[:want]
        return data

    def flush(self) -> int:
        with self._cond:
            dropped = self._buffered // 2 * self.rate // self.native_rate + len(self._out) // 2
            self._blocks.clear()
            self._buffered = 0
            self._out.clear()
        return dropped

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        try:
            self._stream.stop()
        except self._sd.PortAudioError:
            # The device may already be gone; closing is all that is left to do.
            pass
        finally:
            self._stream.close()

    def __enter__(self) -> SoundDeviceMicrophone:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        block = bytes(indata)
        with self._cond:
            if status and status.input_overflow:
                self.overflows += 1
            self._blocks.append(block)
            self._buffered += len(block)
            self._live.set()
            while self._buffered > self._max_bytes:
                self._buffered -= len(self._blocks.popleft())
            self._cond.notify_all()

    def _on_finished(self) -> None:
        with self._cond:
            self._finished = True
            self._cond.notify_all()


def _defaults(sd: ModuleType) -> tuple[int, int]:
    default_in, default_out = sd.default.device
    # sounddevice leaves these at -1 until asked; PortAudio knows the host defaults.
    if default_in is None or default_in < 0:
        default_in = _default_index(sd, "input")
    if default_out is None or default_out < 0:
        default_out = _default_index(sd, "output")
    return int(default_in), int(default_out)


def _default_index(sd: ModuleType, kind: str) -> int:
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except (ValueError, sd.PortAudioError):
        return -1


def _inputs_hint(sd: ModuleType) -> str:
    try:
        inputs = [d for d in sd.query_devices() if int(d["max_input_channels"]) > 0]
    except sd.PortAudioError:
        inputs = []
    if not inputs:
        return "No input devices are available; connect a microphone (or start PulseAudio)."
    names = ", ".join(f"{int(d['index'])}: {d['name']}" for d in inputs)
    return f"Available inputs: {names}."
