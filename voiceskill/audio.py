"""Audio plumbing shared by every stage: WAV files in and out, chunking, levels."""

from __future__ import annotations

import array
import math
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

from .errors import AudioFileError
from .messages import SAMPLE_RATE

CHUNK_BYTES = 3200
"""100 ms of 16 kHz int16 mono: the block size used between the microphone and recognisers."""


MIN_RATE = 8_000
"""Telephone quality: below it speech cannot be recognised, and a header that says 1 Hz would
ask for thousands of output samples per input sample."""
MAX_RATE = 192_000
MAX_SECONDS = 600.0
"""Ten minutes: far longer than any answer, short enough to read and resample in moments."""


def read_wav(path: str | Path, max_seconds: float = MAX_SECONDS) -> bytes:
    """Return the PCM of a WAV file as 16 kHz mono 16-bit, or raise AudioError naming the file.

    Refused before the samples are read: a sample rate outside ``MIN_RATE`` to ``MAX_RATE``
    and audio longer than ``max_seconds``.
    """
    p = Path(path)
    try:
        with wave.open(str(p), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            _check_size(p, rate, w.getnframes(), max_seconds)
            frames = w.readframes(w.getnframes())
    except FileNotFoundError as err:
        raise AudioFileError(f"{p}: no such audio file") from err
    except IsADirectoryError as err:
        raise AudioFileError(f"{p}: is a folder, not an audio file; give a .wav file") from err
    except PermissionError as err:
        raise AudioFileError(
            f"{p}: cannot be read (permission denied); check who owns it and its permissions"
        ) from err
    except (wave.Error, EOFError, RuntimeError, ValueError, OverflowError, struct.error) as err:
        # The wave module reports some damaged headers with these (a chunk that claims to be
        # longer than the file raises a bare RuntimeError).
        why = str(err) or "damaged header"
        raise AudioFileError(f"{p}: not a readable WAV file ({why})") from err
    except OSError as err:
        raise AudioFileError(f"{p}: cannot be read ({err.strerror or err})") from err
    if width != 2:
        raise AudioFileError(f"{p}: samples are {8 * width}-bit; 16-bit PCM is needed")
    # A file cut short mid-frame: the whole frames are the recording.
    frames = frames[: len(frames) - len(frames) % (width * channels)]
    if channels != 1:
        frames = _first_channel(frames, channels)
    if rate != SAMPLE_RATE:
        frames = resample(frames, rate, SAMPLE_RATE)
    return frames


def _check_size(p: Path, rate: int, frames: int, max_seconds: float) -> None:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioFileError(
            f"{p}: its header says {rate} Hz, which no real recording has "
            f"(expected {MIN_RATE} to {MAX_RATE}); record it again or convert it to 16 kHz"
        )
    if frames / rate > max_seconds:
        raise AudioFileError(
            f"{p}: {frames / rate:.0f} seconds long; at most {max_seconds:.0f} are read, "
            "so cut it into answers"
        )


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
