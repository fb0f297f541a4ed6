"""Deterministic recognition: the same recording is heard the same way every time.

Within a check-in the built-in engine keeps learning the room (its noise filter, its
decoders' running cepstral mean): see ``SphinxRecognizer``. Files are recordings of their
own, so ``transcribe`` and ``understand --audio`` hear each after a reset.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voiceskill.audio import read_wav
from voiceskill.testing.speech import need_espeak, save, synth, with_noise

from .probe import run

pytestmark = pytest.mark.voice


@pytest.fixture(scope="module")
def noisy_answer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_espeak()
    # Noise gives the filter something to learn, so what carries over would show.
    clean = read_wav(synth("I take Zoloft", rate=160))
    return save(with_noise(clean, 10), tmp_path_factory.mktemp("det") / "answer.wav")


def test_the_same_wav_transcribed_60_times_gives_one_transcript(noisy_answer: Path) -> None:
    proc = run("transcribe", "--engine", "pocketsphinx", *[str(noisy_answer)] * 60, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    texts = {json.loads(line)["text"] for line in proc.stdout.splitlines()}
    assert len(texts) == 1, texts


def test_understand_audio_hears_a_file_the_same_after_others(noisy_answer: Path) -> None:
    other = save(read_wav(synth("no, not really", rate=150)), noisy_answer.parent / "other.wav")
    args = ["understand", "--audio", "--engine", "pocketsphinx", "--expect", "medications"]
    alone = run(*args, str(noisy_answer))
    after = run(*args, str(other), str(other), str(other), str(noisy_answer))
    assert alone.returncode == after.returncode == 0, after.stderr[-2000:]
    first = json.loads(alone.stdout.splitlines()[-1])
    last = json.loads(after.stdout.splitlines()[-1])
    assert (first["text"], first["confidence"]) == (last["text"], last["confidence"])
