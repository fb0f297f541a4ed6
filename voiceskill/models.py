"""Speech models on disk: which ones are known, which are installed, and getting new ones.

Only :func:`download` touches the network, and only when asked to. Everything else reads the
models folder (one sub-folder per model, ``models/<name>/am``, ``conf``, ``graph``...) and the
manifest ``models/manifest.yaml``.

Installs are atomic: a model is unpacked or copied into a hidden temporary folder inside the
models folder, checked, and only then renamed into place, so a failure never leaves a
half-installed model where :func:`find_vosk_model` would pick it up.

The code is in :mod:`voiceskill.model_store`, one module per step; this module is the one the
rest of voiceskill imports.
"""

from __future__ import annotations

from .model_store.download import PARTIAL_DIR, DownloadLimits, ProgressFn, download
from .model_store.download import fetch as _fetch
from .model_store.install import install
from .model_store.installed import (
    InstalledModel,
    check_vosk_model,
    find_vosk_model,
    installed_models,
    is_vosk_model,
    vosk_model_problems,
)
from .model_store.manifest import (
    ENV_MODEL,
    ENV_MODELS_DIR,
    ModelEntry,
    default_manifest_path,
    load_manifest,
    models_dir,
)
from .model_store.manifest import check_name as _check_name
from .model_store.records import RECORD_FILE
from .model_store.staging import sweep_interrupted
from .model_store.verify import verify

__all__ = [
    "ENV_MODEL",
    "ENV_MODELS_DIR",
    "PARTIAL_DIR",
    "RECORD_FILE",
    "DownloadLimits",
    "InstalledModel",
    "ModelEntry",
    "ProgressFn",
    "check_vosk_model",
    "default_manifest_path",
    "download",
    "find_vosk_model",
    "install",
    "installed_models",
    "is_vosk_model",
    "load_manifest",
    "models_dir",
    "sweep_interrupted",
    "verify",
    "vosk_model_problems",
]

# The Whisper model store (whisper_models.py) fetches its files and checks its folder names
# with the same code.
__all__ += ["_check_name", "_fetch"]
