"""Audio plumbing shared by every stage: WAV files in and out, chunking, levels."""

from __future__ import annotations

import array
import math
import wave
from collections.abc import Iterator
from pathlib import Path

from .errors import AudioError
from .messages import SAMPLE_RATE

CHUNK_BYTES = 3200
"""100 ms of 16 kHz int16 mono: the block size used between the microphone and recognisers."""


def read_wav(path: str | Path) -> bytes:
    """Return the PCM of a 16 kHz mono 16-bit WAV file, or raise AudioError naming the file."""
    p = Path(path)
    try:
        with wave.open(str(p), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except FileNotFoundError as err:
        raise AudioError(f"{p}: no such audio file") from err
    except (wave.Error, EOFError) as err:
        raise AudioError(f"{p}: not a readable WAV file ({err})") from err
    if width != 2:
        raise AudioError(f"{p}: samples are {8 * width}-bit; 16-bit PCM is needed")
    if channels != 1:
        frames = _first_channel(frames, channels)
    if rate != SAMPLE_RATE:
        frames = resample(frames, rate, SAMPLE_RATE)
    return frames


def write_wav(path: str | Path, pcm: bytes, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def chunks(pcm: bytes, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Split PCM into microphone-sized blocks."""
    for i in range(0, len(pcm), size):
        yield pcm[i : i + size]


def rms(pcm: bytes) -> float:
    """Root-mean-square level of int16 PCM (0 for empty input)."""
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def seconds(pcm: bytes, rate: int = SAMPLE_RATE) -> float:
    return len(pcm) / (2 * rate)


def _first_channel(frames: bytes, channels: int) -> bytes:
    samples = array.array("h")
    samples.frombytes(frames)
    return samples[::channels].tobytes()


def resample(pcm: bytes, src_rate: int, dst_rate: int) -> bytes:
    """Linear-interpolation resampling; adequate for speech going into a recogniser."""
    src = array.array("h")
    src.frombytes(pcm)
    if not src or src_rate == dst_rate:
        return pcm
    n_out = int(len(src) * dst_rate / src_rate)
    out = array.array("h", bytes(2 * n_out))
    step = src_rate / dst_rate
    last = len(src) - 1
    for i in range(n_out):
        pos = i * step
        j = int(pos)
        frac = pos - j
        a = src[min(j, last)]
        b = src[min(j + 1, last)]
        out[i] = int(a + (b - a) * frac)
    return out.tobytes()
