"""The ``whisper_models:`` list of ``models/manifest.yaml``: each known Whisper model with its
files, their SHA-256 and where they come from (a download address, or parts in PyPI
packages). Each entry is checked as it is read; errors name the file and the key.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from . import models
from .errors import ContentError
from .yamlfile import read_mapping

REQUIRED_FILES = ("config.json", "model.bin", "tokenizer.json")
"""What faster-whisper reads from a model folder. Without ``tokenizer.json`` it would fetch a
tokenizer from the internet, so a folder lacking it is not a usable model here."""


@dataclass(frozen=True)
class WhisperFile:
    name: str
    sha256: str | None
    """Lower-case hex; None when nobody has verified it yet (a download is then refused)."""
    size_bytes: int | None = None
    url: str = ""
    parts: tuple[tuple[str, str], ...] = ()
    """For a file assembled from packages: (package module, path inside it) for each part,
    joined in this order."""


@dataclass(frozen=True)
class WhisperEntry:
    name: str
    language: str
    files: tuple[WhisperFile, ...]
    description: str = ""
    packages: tuple[str, ...] = ()
    """PyPI packages that hold the files, for an install with no network."""

    @property
    def size_bytes(self) -> int | None:
        sizes = [f.size_bytes for f in self.files]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s)


# ---------------------------------------------------------------------------- manifest


def load_manifest(path: str | Path | None = None) -> list[WhisperEntry]:
    """The ``whisper_models:`` list of the manifest (empty when the key is absent)."""
    p = Path(path) if path is not None else models.default_manifest_path()
    raw = read_mapping(p, not_mapping="must be a mapping with a `models:` list")
    items = raw.get("whisper_models", [])
    if not isinstance(items, list):
        raise ContentError(str(p), "whisper_models", "must be a list of models")
    entries = [_parse_entry(str(p), f"whisper_models[{i}]", item) for i, item in enumerate(items)]
    names = [e.name for e in entries]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ContentError(str(p), f"whisper_models[{i}].name", f"{name!r} is listed twice")
    return entries


def _parse_entry(file: str, key: str, item: object) -> WhisperEntry:
    if not isinstance(item, dict):
        raise ContentError(file, key, "must be a mapping with name, language and files")
    name, language = item.get("name"), item.get("language")
    for field, value in (("name", name), ("language", language)):
        if not isinstance(value, str) or not value.strip():
            raise ContentError(file, f"{key}.{field}", "missing or not text")
    assert isinstance(name, str) and isinstance(language, str)
    models._check_name(name)
    raw_files = item.get("files")
    if not isinstance(raw_files, list) or not raw_files:
        raise ContentError(file, f"{key}.files", "must be a list of files")
    files = tuple(_parse_file(file, f"{key}.files[{i}]", f) for i, f in enumerate(raw_files))
    missing = [r for r in REQUIRED_FILES if r not in {f.name for f in files}]
    if missing:
        raise ContentError(file, f"{key}.files", f"must include {', '.join(missing)}")
    packages = item.get("packages", [])
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ContentError(file, f"{key}.packages", "must be a list of package names")
    return WhisperEntry(
        name=name.strip(),
        language=language.strip(),
        files=files,
        description=str(item.get("description") or "").strip(),
        packages=tuple(packages),
    )


def _parse_file(file: str, key: str, item: object) -> WhisperFile:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ContentError(file, key, "must be a mapping with a name")
    if "sha256" not in item:
        raise ContentError(file, f"{key}.sha256", "missing: give the hex digest, or null")
    sha = item["sha256"]
    if sha is not None and (not isinstance(sha, str) or len(sha) != 64 or not _is_hex(sha)):
        raise ContentError(file, f"{key}.sha256", "must be 64 hex digits or null")
    url = str(item.get("url") or "")
    if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ContentError(file, f"{key}.url", f"{url!r} is not an http(s) address")
    size = item.get("size_bytes")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
        raise ContentError(file, f"{key}.size_bytes", "must be a positive whole number or null")
    parts = item.get("parts", [])
    if not isinstance(parts, list) or not all(
        isinstance(p, dict) and isinstance(p.get("package"), str) and isinstance(p.get("path"), str)
        for p in parts
    ):
        raise ContentError(file, f"{key}.parts", "must be a list of {package, path}")
    return WhisperFile(
        name=item["name"],
        sha256=sha.lower() if sha else None,
        size_bytes=size,
        url=url,
        parts=tuple((p["package"], p["path"]) for p in parts),
    )


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


def entry(name: str, manifest: list[WhisperEntry] | None = None) -> WhisperEntry | None:
    entries = manifest if manifest is not None else _manifest_or_empty()
    return next((e for e in entries if e.name == name), None)


def _manifest_or_empty() -> list[WhisperEntry]:
    # Finding an installed model must work without a manifest (an installed wheel has none).
    try:
        return load_manifest()
    except (ContentError, OSError):
        return []
