"""Installing a model from a zip or a folder on this device, with the checks that keep a
hostile or damaged archive out: entries outside the model folder, links, a zip that does not
match the manifest's checksum, too little disk space."""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import ModelError
from .installed import is_vosk_model, raise_not_a_model, single_subfolder, vosk_model_problems
from .manifest import ModelEntry, check_name, manifest_entry, models_dir
from .records import RECORD_FILE, copy_hashing, sha256_file, write_record
from .staging import move_into_place, private_folder, staging


def install(
    zip_or_dir: str | Path,
    dir: str | Path | None = None,
    name: str | None = None,
    *,
    manifest: list[ModelEntry] | None = None,
) -> Path:
    """Install a model from a local zip or folder (copied, never moved) into ``dir/<name>``.

    ``name`` defaults to the zip's file name without ``.zip``, or the folder's name. A zip may
    hold the model at its root or inside one top folder. When the manifest knows a checksum
    for ``name``, the zip must match it. An existing ``dir/<name>`` is replaced, but only
    after the new copy has been checked. Returns the model folder.
    """
    src = Path(zip_or_dir).expanduser()
    root = models_dir(dir)
    if not src.exists():
        raise ModelError(f"{src}: no such file or folder")
    if src.is_file():
        if not zipfile.is_zipfile(src):
            raise ModelError(f"{src} is not a zip file (or it is damaged)")
        chosen = name or (src.name[:-4] if src.name.lower().endswith(".zip") else src.stem)
        check_name(chosen)
        private_folder(root)
        digest = sha256_file(src)
        entry = manifest_entry(chosen, manifest)
        if entry is not None and entry.sha256 is not None and entry.sha256 != digest:
            raise ModelError(
                f"{src} does not match the manifest's checksum for {chosen} (damaged, or a "
                f"different release): expected {entry.sha256}, got {digest}"
            )
        return install_zip(src, root, chosen, zip_sha256=digest, source=str(src))
    source_root = src if is_vosk_model(src) else single_subfolder(src)
    if source_root is None or not is_vosk_model(source_root):
        raise_not_a_model(src, vosk_model_problems(src))
    chosen = name or source_root.name
    check_name(chosen)
    if source_root.resolve() == (root / chosen).resolve():
        raise ModelError(f"{source_root} is already installed")
    private_folder(root)
    with staging(root) as stage:
        copy = stage / "model"
        hashes = copy_tree(source_root, copy)
        write_record(copy, chosen, str(src), None, hashes)
        return move_into_place(copy, root / chosen)


def install_zip(zip_path: Path, root: Path, name: str, zip_sha256: str, source: str) -> Path:
    with staging(root) as stage:
        unpacked = stage / "unpacked"
        hashes = safe_extract(zip_path, unpacked)
        model_root = unpacked if is_vosk_model(unpacked) else single_subfolder(unpacked)
        if model_root is None or not is_vosk_model(model_root):
            candidate = model_root or unpacked
            problems = vosk_model_problems(candidate)
            raise ModelError(
                f"{zip_path.name} does not hold a Vosk model: missing {', '.join(problems)}"
            )
        prefix = model_root.relative_to(unpacked).as_posix()
        if prefix != ".":
            hashes = {
                k[len(prefix) + 1 :]: v for k, v in hashes.items() if k.startswith(prefix + "/")
            }
        write_record(model_root, name, source, zip_sha256, hashes)
        return move_into_place(model_root, root / name)


def safe_extract(zip_path: Path, dest: Path) -> dict[str, str]:
    """Unpack ``zip_path`` into ``dest``, refusing entries that would land outside it.

    Returns the SHA-256 of every file, keyed by its path relative to ``dest``.
    """
    dest.mkdir(parents=True)
    hashes: dict[str, str] = {}
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as err:
        raise ModelError(f"{zip_path.name} is not a readable zip ({err})") from err
    with archive:
        infos = archive.infolist()
        for info in infos:
            _check_member(zip_path, info)
        needed = sum(i.file_size for i in infos)
        free = shutil.disk_usage(dest).free
        if needed > free:
            raise ModelError(
                f"not enough disk space in {dest.parent.parent} to unpack {zip_path.name}: "
                f"{needed // 2**20} MB needed, {free // 2**20} MB free"
            )
        for info in infos:
            rel = PurePosixPath(info.filename)
            if rel.parts and rel.parts[0] == "__MACOSX":
                continue
            out = dest.joinpath(*rel.parts)
            if info.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as src, out.open("wb") as dst:
                    hashes[rel.as_posix()] = copy_hashing(src, dst)
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                raise ModelError(f"{zip_path.name} is damaged at {info.filename} ({err})") from err
    return hashes


def _check_member(zip_path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    unsafe = (
        name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or "\x00" in name
    )
    mode = info.external_attr >> 16
    if unsafe or stat.S_ISLNK(mode):
        raise ModelError(
            f"{zip_path.name} contains an unsafe entry {info.filename!r} (outside the model "
            f"folder, or a link); refusing to install it"
        )


def copy_tree(src: Path, dst: Path) -> dict[str, str]:
    """Copy a model folder, following no link that leads out of it: a link to /etc/passwd
    inside a downloaded folder must not put that file into the model."""
    hashes: dict[str, str] = {}
    inside = src.resolve()
    dst.mkdir(parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(src, followlinks=False):
        dirs.sort()
        base = Path(folder)
        for name in [*dirs, *sorted(files)]:
            path = base / name
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                raise ModelError(
                    f"{path} is a link to {os.readlink(path)}, outside the model folder; "
                    "refusing to install it (copy the model without links)"
                )
        for name in sorted(files):
            path = base / name
            rel = path.relative_to(src)
            if rel.name == RECORD_FILE or not path.is_file():
                continue
            target = dst / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as s, target.open("wb") as d:
                hashes[rel.as_posix()] = copy_hashing(s, d)
        for name in dirs:
            (dst / (base / name).relative_to(src)).mkdir(parents=True, exist_ok=True)
    return hashes
