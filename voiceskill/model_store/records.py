"""What an install leaves in each model folder: a record of where the model came from, the
zip's checksum and every file's SHA-256, so that damage can be found later."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import IO

RECORD_FILE = ".voiceskill-install.json"
"""Written into each model folder at install time: source, zip checksum and per-file hashes."""

BLOCK = 1 << 16


def copy_hashing(src: IO[bytes], dst: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while True:
        block = src.read(BLOCK * 16)
        if not block:
            return digest.hexdigest()
        digest.update(block)
        dst.write(block)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while True:
            block = f.read(BLOCK * 16)
            if not block:
                return digest.hexdigest()
            digest.update(block)


def write_record(
    folder: Path, name: str, source: str, zip_sha256: str | None, files: dict[str, str]
) -> None:
    record = {
        "name": name,
        "source": source,
        "zip_sha256": zip_sha256,
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": files,
    }
    (folder / RECORD_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def read_record(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / RECORD_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def record_sha(record: dict[str, object] | None) -> str | None:
    value = record.get("zip_sha256") if record else None
    return value if isinstance(value, str) else None
