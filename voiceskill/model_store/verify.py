"""Checking the installed models again: structure, every file against the install record,
and the zip's checksum against the manifest's."""

from __future__ import annotations

from pathlib import Path

from .installed import installed_models
from .manifest import ModelEntry, manifest_or_empty
from .records import read_record, record_sha, sha256_file


def verify(
    dir: str | Path | None = None, *, manifest: list[ModelEntry] | None = None
) -> list[tuple[str, bool, str]]:
    """Check every installed model; one ``(name, ok, message)`` per folder.

    Checks the structure; when an install record exists, re-hashes every file against it
    (catches damage on the SD card); when the manifest knows the zip's checksum, compares it
    with the one recorded at install time. Reads every model file, so it takes a second or
    two per 100 MB.
    """
    entries = manifest if manifest is not None else manifest_or_empty()
    results: list[tuple[str, bool, str]] = []
    for model in installed_models(dir):
        if not model.ok:
            results.append((model.name, False, f"not a usable model: {model.problem}"))
            continue
        record = read_record(model.path)
        if record is None:
            results.append(
                (model.name, True, "structure ok; no install record (copied by hand), "
                 "so file checksums could not be checked")
            )
            continue
        ok, notes = True, ["structure ok"]
        files = record.get("files")
        if isinstance(files, dict):
            bad = [
                rel for rel, digest in sorted(files.items())
                if not (model.path / rel).is_file() or sha256_file(model.path / rel) != digest
            ]
            if bad:
                ok = False
                shown = ", ".join(bad[:5]) + (" ..." if len(bad) > 5 else "")
                notes.append(f"{len(bad)} file(s) changed or missing since install: {shown}")
            else:
                notes.append(f"all {len(files)} files match the install record")
        entry = next((e for e in entries if e.name == model.name), None)
        recorded = record_sha(record)
        if entry is not None and entry.sha256 and recorded:
            if recorded == entry.sha256:
                notes.append("installed from the zip the manifest names (SHA-256 matches)")
            else:
                ok = False
                notes.append(
                    f"installed from a zip whose SHA-256 {recorded} differs from the "
                    f"manifest's {entry.sha256}"
                )
        elif recorded:
            notes.append(f"zip SHA-256 {recorded} (the manifest has none to compare)")
        results.append((model.name, ok, "; ".join(notes)))
    return results
