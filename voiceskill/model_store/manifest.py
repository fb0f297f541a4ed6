"""Where the models live, and the manifest of models voiceskill knows how to fetch.

The manifest ``models/manifest.yaml`` describes releases: name, language, size, address and
the zip's checksum. Listing and finding installed models work without it (an installed wheel
does not carry one); only a download insists on it.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, ModelError
from ..yamlfile import read_mapping

ENV_MODELS_DIR = "VOICESKILL_MODELS_DIR"
ENV_MODEL = "VOICESKILL_MODEL"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")

# The source tree: this module is in voiceskill/model_store/.
_REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ModelEntry:
    """One model the manifest knows how to fetch."""

    name: str
    language: str
    size_bytes: int
    url: str
    sha256: str | None
    """SHA-256 of the zip, lower-case hex; None when nobody has verified it yet."""
    description: str = ""


# ---------------------------------------------------------------------------- locations


def models_dir(explicit: str | Path | None = None) -> Path:
    """The models folder: ``explicit``, else ``$VOICESKILL_MODELS_DIR``, else the user's data
    folder (``$XDG_DATA_HOME/voiceskill/models``, by default ``~/.local/share/voiceskill/models``
    on Linux).

    A source checkout whose ``models/`` already holds an installed model keeps using it, so
    models installed there before stay found. The folder is not created here; :func:`download`
    and :func:`install` create it.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_MODELS_DIR, "")
    if env:
        return Path(env).expanduser()
    if holds_models(_REPO / "models"):
        return _REPO / "models"
    import platformdirs

    return Path(platformdirs.user_data_dir("voiceskill", appauthor=False)) / "models"


def holds_models(folder: Path) -> bool:
    """Whether ``folder`` has a model folder in it (anything but the manifest, the README and
    hidden leftovers of an interrupted install)."""
    try:
        return any(p.is_dir() and not p.name.startswith(".") for p in folder.iterdir())
    except OSError:
        return False


def default_manifest_path() -> Path:
    """The manifest shipped with the source tree (it does not move with ``$VOICESKILL_MODELS_DIR``,
    because it describes releases, not what is on this device)."""
    return _REPO / "models" / "manifest.yaml"


# ---------------------------------------------------------------------------- manifest


def load_manifest(path: str | Path | None = None) -> list[ModelEntry]:
    """Read the manifest; a malformed one raises ContentError naming the file and the key."""
    p = Path(path) if path is not None else default_manifest_path()
    shown = str(p)
    raw = read_mapping(p, not_mapping="must be a mapping with a `models:` list")
    if "models" not in raw:
        raise ContentError(shown, "models", "missing: the file must hold a `models:` list")
    items = raw["models"]
    if not isinstance(items, list):
        raise ContentError(shown, "models", "must be a list of models")
    entries: list[ModelEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        entry = _parse_entry(shown, f"models[{i}]", item)
        if entry.name in seen:
            raise ContentError(shown, f"models[{i}].name", f"{entry.name!r} is listed twice")
        seen.add(entry.name)
        entries.append(entry)
    return entries


def _parse_entry(file: str, key: str, item: object) -> ModelEntry:
    if not isinstance(item, dict):
        raise ContentError(file, key, "must be a mapping with name, language, size_bytes, url")

    def text(field: str, required: bool = True) -> str:
        value = item.get(field)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise ContentError(file, f"{key}.{field}", "missing or not text")
        return value.strip()

    name = text("name")
    if not _NAME_RE.match(name):
        raise ContentError(file, f"{key}.name", f"{name!r} is not a usable folder name")
    url = text("url")
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ContentError(file, f"{key}.url", f"{url!r} is not an http(s) address")
    size = item.get("size_bytes")
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ContentError(file, f"{key}.size_bytes", "must be a positive whole number of bytes")
    if "sha256" not in item:
        raise ContentError(file, f"{key}.sha256", "missing: give the hex digest, or null")
    sha = item["sha256"]
    if sha is not None:
        if not isinstance(sha, str) or not HEX64_RE.match(sha.strip().lower()):
            raise ContentError(file, f"{key}.sha256", "must be 64 hex digits or null")
        sha = sha.strip().lower()
    return ModelEntry(
        name=name,
        language=text("language"),
        size_bytes=size,
        url=url,
        sha256=sha,
        description=text("description", required=False),
    )


def manifest_entry(name: str, manifest: list[ModelEntry] | None) -> ModelEntry | None:
    entries = manifest if manifest is not None else manifest_or_empty()
    return next((e for e in entries if e.name == name), None)


def manifest_or_empty() -> list[ModelEntry]:
    # Listing and finding installed models must keep working without a manifest (an installed
    # wheel does not carry one); only download() insists on it.
    try:
        return load_manifest()
    except ContentError:
        return []


def check_name(name: str) -> None:
    if not _NAME_RE.match(name):
        raise ModelError(f"{name!r} is not a usable model name (letters, digits, . _ + -)")
