"""The neural voice family the wake word is measured on (voiceskill/testing/neural_voice.py):
the Kokoro model is joined from its parts only when they match model.sha256, and what the
voices say is heard by Whisper as the words given."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from benchmarks.wake_voices import errors, words
from voiceskill.errors import ModelError
from voiceskill.testing import neural_voice
from voiceskill.testing.speech import need_espeak, pcm, synth


def need_neural() -> None:
    if not neural_voice.available():
        pytest.skip("pip install 'voiceskill[neural-voices]'")


def test_damaged_parts_are_refused_and_nothing_is_left(tmp_path: Path) -> None:
    parts = [b"first part", b"second part"]
    expected = hashlib.sha256(b"".join(parts)).hexdigest()
    out = tmp_path / "model.onnx"
    with pytest.raises(neural_voice.NeuralVoiceError, match=r"do not match model\.sha256"):
        neural_voice.assemble([b"first part", b"second pars"], expected, out)
    assert list(tmp_path.iterdir()) == []
    assert neural_voice.assemble(parts, expected, out).read_bytes() == b"".join(parts)


@pytest.mark.voice
def test_installed_parts_join_into_the_published_model(tmp_path: Path) -> None:
    need_neural()
    model = neural_voice.kokoro_model(tmp_path)
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    assert model.name == f"kokoro-{digest[:16]}.int8.onnx"


@pytest.mark.voice
def test_kokoro_phonemes_are_in_its_vocabulary() -> None:
    need_espeak()
    need_neural()
    ps = neural_voice.kokoro_phonemes("okay nabu, my legs are jumping tonight")
    vocab, _ = neural_voice._kokoro_data()
    assert ps and all(c in vocab for c in ps), [c for c in ps if c not in vocab]
    # Diphthongs and affricates written as Kokoro's English voices learnt them.
    assert "O" in ps and "A" in ps and "ʤ" in ps and "^" not in ps


@pytest.fixture(scope="module")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> Any:
    pytest.importorskip("faster_whisper")
    from benchmarks.wake_voices import whisper_model

    try:
        return whisper_model(tmp_path_factory.mktemp("models"))
    except ModelError as err:
        pytest.skip(str(err))


@pytest.mark.voice
@pytest.mark.parametrize("voice", ["kokoro:jf_tebukuro", "piper:joe"])
def test_whisper_hears_what_the_voice_says(voice: str, whisper: Any) -> None:
    need_espeak()
    need_neural()
    from benchmarks.wake_voices import transcribe

    sentence = "my legs feel restless when I lie down in the evening"
    wav = synth(sentence, voice, 160)
    assert len(pcm(sentence, voice, 160)) > 32000  # more than a second of speech
    heard = transcribe(whisper, wav)
    assert errors(words(sentence), words(heard)) <= 1, heard
