"""Speech made at test time with espeak-ng and sox, so no large audio files are committed.

Every file is 16 kHz mono 16-bit PCM, cached per session by text, voice and rate.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from voiceskill.audio import read_wav, write_wav

_CACHE = (
    Path(os.environ.get("VOICESKILL_SPEECH_CACHE", tempfile.gettempdir())) / "voiceskill-speech"
)


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def need_espeak() -> None:
    if not have_espeak():
        pytest.skip(
            "espeak-ng and sox are needed to make test speech (apt-get install espeak-ng sox)"
        )


FLITE = "flite:"
"""Voice names with this prefix are spoken by flite (``flite:slt``), the rest by espeak-ng."""

_FLITE_WPM = 175
"""flite's own pace in words a minute, roughly; ``rate`` stretches durations against it."""


def have_flite() -> bool:
    return shutil.which("flite") is not None and shutil.which("sox") is not None


def _synth_command(text: str, voice: str, rate: int, out: Path) -> list[str]:
    if voice.startswith(FLITE):
        stretch = f"{_FLITE_WPM / rate:.2f}"
        return ["flite", "-voice", voice[len(FLITE):], "--setf", f"duration_stretch={stretch}",
                "-t", text, "-o", str(out)]
    return ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text]


def synth(text: str, voice: str = "en-us", rate: int = 140, pad: float = 0.3) -> Path:
    """Speak ``text`` into a cached 16 kHz mono WAV, with ``pad`` seconds of silence each side.

    ``voice`` is an espeak-ng voice, or a flite one written ``flite:NAME``.
    """
    key = hashlib.sha1(f"{text}|{voice}|{rate}|{pad}".encode()).hexdigest()[:16]
    out = _CACHE / f"{key}.wav"
    if out.exists():
        return out
    _CACHE.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".raw.wav")
    subprocess.run(_synth_command(text, voice, rate, raw), check=True, capture_output=True)
    tmp = out.with_suffix(".tmp.wav")
    subprocess.run(
        [
            "sox",
            str(raw),
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed-integer",
            str(tmp),
            "pad",
            str(pad),
            str(pad),
        ],
        check=True,
        capture_output=True,
    )
    raw.unlink(missing_ok=True)
    tmp.replace(out)
    return out


def pcm(text: str, voice: str = "en-us", rate: int = 140) -> bytes:
    return read_wav(synth(text, voice, rate))


def with_noise(clean: bytes, snr_db: float, seed: int = 0) -> bytes:
    """Mix white noise into int16 PCM at ``snr_db`` (signal power over the whole file)."""
    import array

    samples = array.array("h")
    samples.frombytes(clean)
    power = sum(s * s for s in samples) / max(1, len(samples))
    noise_rms = (power / (10 ** (snr_db / 10))) ** 0.5
    rng = random.Random(seed)
    out = array.array(
        "h", (max(-32768, min(32767, int(s + rng.gauss(0, noise_rms)))) for s in samples)
    )
    return out.tobytes()


def save(pcm_bytes: bytes, path: Path) -> Path:
    write_wav(path, pcm_bytes)
    return path
