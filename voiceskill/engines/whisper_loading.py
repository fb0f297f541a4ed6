"""Loading faster-whisper and a Whisper model with the network shut off: the Hugging Face hub
is switched off before faster-whisper is imported, and a model is loaded only from a local
folder, once per process and settings."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import EngineError, ModelError

_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}
"""Set before faster-whisper (and so huggingface_hub, which reads them at import) is imported."""

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()


def import_faster_whisper() -> Any:
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value
    try:
        import faster_whisper
        import faster_whisper.tokenizer
        import faster_whisper.transcribe
        import faster_whisper.vad
    except ImportError as err:
        raise EngineError(
            "the Whisper speech engine is not installed: pip install faster-whisper "
            "(or pip install 'voiceskill[whisper]')"
        ) from err
    return faster_whisper


def load_model(fw: Any, folder: Path, compute_type: str, threads: int) -> tuple[Any, float]:
    """Load once per process and settings; a second recogniser on the same folder shares it."""
    key = (str(folder.resolve()), compute_type, threads)
    with _models_lock:
        if key in _models:
            return _models[key], 0.0
        started = time.perf_counter()
        try:
            # A folder path, never a name: faster-whisper only looks up the hub for names.
            model = fw.WhisperModel(key[0], device="cpu", compute_type=compute_type,
                                    cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelError(f"{folder}: Whisper could not load this model ({err})") from err
        _models[key] = model
        return model, time.perf_counter() - started
