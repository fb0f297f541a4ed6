"""Atomic installs: a model is unpacked or copied into a hidden scratch folder inside the
models folder, checked, and only then renamed into place, so a failure never leaves a
half-installed model where :func:`~voiceskill.model_store.installed.find_vosk_model` would pick
it up. Scratch folders left by a process that was killed are swept away.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .manifest import models_dir

_TMP_PREFIX = ".tmp-"


def private_folder(root: Path) -> None:
    """Create the models folder for its owner only, as the state folder is."""
    root.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)
    try:
        root.mkdir(mode=0o700, exist_ok=True)
    finally:
        os.umask(old_umask)


@contextlib.contextmanager
def staging(root: Path) -> Iterator[Path]:
    """A hidden scratch folder on the same file system as the models, so the final step
    is a rename, removed whatever happens. Its name carries this process's id, so one left by
    a process that was killed can be told from one in use (:func:`sweep_interrupted`)."""
    stage = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", dir=root))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


_STALE_AFTER = 24 * 3600.0
"""A scratch folder without a process id (made by an older voiceskill) is taken as left over
once it is a day old: no install takes that long."""


def sweep_interrupted(dir: str | Path | None = None) -> list[str]:
    """Remove scratch folders left by installs that were killed (SIGKILL, power cut).

    They are hidden, so nothing else would ever remove them, and a model's can take hundreds
    of megabytes. Returns one line per folder removed, for the person to be told.
    """
    root = models_dir(dir)
    try:
        leftovers = [c for c in root.iterdir() if c.name.startswith(_TMP_PREFIX) and c.is_dir()]
    except OSError:
        return []
    notes = []
    for folder in leftovers:
        if not _abandoned(folder):
            continue
        size = _size(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            notes.append(
                f"Removed {folder} ({size / 1e6:.0f} MB), left by a model install that was "
                "cut short."
            )
    return notes


def _size(folder: Path) -> int:
    total = 0
    for base, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(base, name)).st_size
    return total


def _abandoned(folder: Path) -> bool:
    match = re.match(re.escape(_TMP_PREFIX) + r"(\d+)-", folder.name)
    if match is None:
        try:
            return time.time() - folder.stat().st_mtime > _STALE_AFTER
        except OSError:
            return False
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # a process of another user has that id: it may be installing
    return False


def move_into_place(ready: Path, target: Path) -> Path:
    if not target.exists():
        os.replace(ready, target)
        return target
    # os.replace cannot swap onto a non-empty folder: park the old one under a hidden name
    # first, then drop it once the new one is in place.
    stamp = int(time.time() * 1000)
    parked = target.parent / f"{_TMP_PREFIX}{os.getpid()}-old-{target.name}-{stamp}"
    os.replace(target, parked)
    try:
        os.replace(ready, target)
    except OSError:
        os.replace(parked, target)
        raise
    shutil.rmtree(parked, ignore_errors=True)
    return target
