"""Speech made on demand with espeak-ng (or flite) and sox, so no audio files are committed.

Every file is 16 kHz mono 16-bit PCM. Files are kept in a cache folder between runs, named by
a hash of everything that decides their content: the text, the voice, the rate, the padding
and the versions of the synthesiser and of sox (a new espeak-ng speaks differently, so its
files are made afresh). The folder is ``$VOICESKILL_TEST_CACHE``, else
``$XDG_CACHE_HOME/voiceskill-tests`` (``~/.cache/voiceskill-tests``). A file is written under a
temporary name and renamed into place, so runs in parallel never read half a file.

Noise is mixed in memory (``with_noise``): it is quick, and seeded, so the same call always
gives the same samples.
"""

from __future__ import annotations

import array
import functools
import hashlib
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from voiceskill.audio import read_wav, write_wav
from voiceskill.testing import neural_voice

ENV_CACHE = "VOICESKILL_TEST_CACHE"

FLITE = "flite:"
"""Voice names with this prefix are spoken by flite (``flite:slt``), the rest by espeak-ng."""

_FLITE_WPM = 175
"""flite's own pace in words a minute, roughly; ``rate`` stretches durations against it."""


def cache_dir() -> Path:
    """Where generated speech is kept between runs."""
    own = os.environ.get(ENV_CACHE)
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voiceskill-tests"


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def have_flite() -> bool:
    return shutil.which("flite") is not None and shutil.which("sox") is not None


def need_espeak() -> None:
    """Skip the calling test when speech cannot be made on this machine."""
    if not have_espeak():
        import pytest

        pytest.skip(
            "espeak-ng and sox are needed to make test speech (apt-get install espeak-ng sox)"
        )


@functools.cache
def tool_version(tool: str) -> str:
    """The first line a tool prints about its version ("" when it cannot say)."""
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    # flite prints a copyright line first and its version after.
    found = [line for line in lines if "version" in line.lower()] or lines
    return found[0] if found else ""


def _synth_command(text: str, voice: str, rate: int, out: Path) -> list[str]:
    if voice.startswith(FLITE):
        stretch = f"{_FLITE_WPM / rate:.2f}"
        return ["flite", "-voice", voice[len(FLITE):], "--setf", f"duration_stretch={stretch}",
                "-t", text, "-o", str(out)]
    return ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text]


def cache_key(text: str, voice: str, rate: int, pad: float) -> str:
    """A name for the file that changes whenever its content would."""
    synthesiser = "flite" if voice.startswith(FLITE) else "espeak-ng"
    # The neural voices take their phonemes from espeak-ng, so its version counts for them too.
    model = neural_voice.identity(voice) if neural_voice.is_neural(voice) else ""
    parts = (text, voice, str(rate), str(pad), tool_version(synthesiser), tool_version("sox"),
             *([model] if model else []))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def synth(text: str, voice: str = "en-us", rate: int = 140, pad: float = 0.3) -> Path:
    """Speak ``text`` into a cached 16 kHz mono WAV, with ``pad`` seconds of silence each side.

    ``voice`` is an espeak-ng voice, a flite one written ``flite:NAME``, or a neural one
    (``kokoro:NAME``, ``piper:joe``: ``neural_voice.py``).
    """
    folder = cache_dir()
    out = folder / f"{cache_key(text, voice, rate, pad)}.wav"
    if out.exists():
        return out
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".making-") as work:
        raw, tmp = Path(work) / "raw.wav", Path(work) / "out.wav"
        if neural_voice.is_neural(voice):
            neural_voice.speak_to(text, voice, rate, raw, folder)
        else:
            subprocess.run(_synth_command(text, voice, rate, raw), check=True,
                           capture_output=True)
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
             str(tmp), "pad", str(pad), str(pad)],
            check=True, capture_output=True,
        )
        tmp.replace(out)
    return out


def pcm(text: str, voice: str = "en-us", rate: int = 140) -> bytes:
    """The samples of ``synth(text, voice, rate)``."""
    return read_wav(synth(text, voice, rate))


def with_noise(clean: bytes, snr_db: float, seed: int = 0) -> bytes:
    """Mix white noise into int16 PCM at ``snr_db`` (signal power over the whole file)."""
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
