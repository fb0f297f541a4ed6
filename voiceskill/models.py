"""Speech models on disk: which ones are known, which are installed, and getting new ones.

Only :func:`download` touches the network, and only when asked to. Everything else reads the
models folder (one sub-folder per model, ``models/<name>/am``, ``conf``, ``graph``...) and the
manifest ``models/manifest.yaml``.

Installs are atomic: a model is unpacked or copied into a hidden temporary folder inside the
models folder, checked, and only then renamed into place, so a failure never leaves a
half-installed model where :func:`find_vosk_model` would pick it up.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, NoReturn

from . import __version__
from .errors import ContentError, ModelError
from .yamlfile import read_mapping

ENV_MODELS_DIR = "VOICESKILL_MODELS_DIR"
ENV_MODEL = "VOICESKILL_MODEL"
PARTIAL_DIR = ".partial"
"""Where interrupted downloads wait, as ``<name>.zip.part``, to be resumed."""
RECORD_FILE = ".voiceskill-install.json"
"""Written into each model folder at install time: source, zip checksum and per-file hashes."""

ProgressFn = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total)``; ``bytes_total`` is None when the server does not say."""

_BLOCK = 1 << 16
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
_TMP_PREFIX = ".tmp-"


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


@dataclass(frozen=True)
class InstalledModel:
    """A folder in the models folder, whether or not it is a usable model."""

    name: str
    path: Path
    ok: bool
    problem: str
    """Empty when ``ok``; otherwise what is missing, in words a person can act on."""
    language: str | None = None
    """From the manifest, when the folder name is a known model."""
    zip_sha256: str | None = None
    """Checksum of the zip it was installed from, as recorded at install time."""


# ---------------------------------------------------------------------------- locations


def models_dir(explicit: str | Path | None = None) -> Path:
    """The models folder: ``explicit``, else ``$VOICESKILL_MODELS_DIR``, else ``<repo>/models``.

    The folder is not created here; :func:`download` and :func:`install` create it.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_MODELS_DIR, "")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent.parent / "models"


def default_manifest_path() -> Path:
    """The manifest shipped with the source tree (it does not move with ``$VOICESKILL_MODELS_DIR``,
    because it describes releases, not what is on this device)."""
    return Path(__file__).resolve().parent.parent / "models" / "manifest.yaml"


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
        if not isinstance(sha, str) or not _HEX64_RE.match(sha.strip().lower()):
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


def _manifest_entry(name: str, manifest: list[ModelEntry] | None) -> ModelEntry | None:
    entries = manifest if manifest is not None else _manifest_or_empty()
    return next((e for e in entries if e.name == name), None)


def _manifest_or_empty() -> list[ModelEntry]:
    # Listing and finding installed models must keep working without a manifest (an installed
    # wheel does not carry one); only download() insists on it.
    try:
        return load_manifest()
    except ContentError:
        return []


# ---------------------------------------------------------------------------- structure


def vosk_model_problems(path: str | Path) -> list[str]:
    """What stops ``path`` being a Vosk model (empty when it looks like one).

    Only the modern layout (``am/final.mdl`` + ``conf/model.conf``) is accepted: every model
    on the Vosk site since 2020 uses it. The graph is either a full ``HCLG.fst`` (big models)
    or the ``HCLr.fst`` + ``Gr.fst`` pair of the small, grammar-capable models.
    """
    p = Path(path)
    if not p.is_dir():
        return [f"the folder {p} does not exist" if not p.exists() else f"{p} is not a folder"]
    missing: list[str] = []
    for rel in ("am/final.mdl", "conf/model.conf"):
        if not (p / rel).is_file():
            missing.append(rel)
    graph = p / "graph"
    if not (graph / "HCLG.fst").is_file() and not (
        (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    ):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst with graph/Gr.fst)")
    return missing


def is_vosk_model(path: str | Path) -> bool:
    """True when ``path`` has the files Vosk needs (structure only; nothing is loaded)."""
    return not vosk_model_problems(path)


def check_vosk_model(path: str | Path) -> Path:
    """Return ``path`` if it is a Vosk model, else raise ModelError naming what is missing."""
    p = Path(path)
    problems = vosk_model_problems(p)
    if not problems:
        return p
    _raise_not_a_model(p, problems)


def _raise_not_a_model(p: Path, problems: list[str]) -> NoReturn:
    if not p.is_dir():
        raise ModelError(problems[0])
    hint = ""
    nested = _single_subfolder(p)
    if nested is not None and is_vosk_model(nested):
        hint = f"; the model seems to be one level down, in {nested}"
    raise ModelError(f"{p} is not a Vosk model: missing {', '.join(problems)}{hint}")


def _single_subfolder(p: Path) -> Path | None:
    try:
        children = [c for c in p.iterdir() if not _ignored_name(c.name)]
    except OSError:
        return None
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return None


def _ignored_name(name: str) -> bool:
    # macOS zip tools add __MACOSX/ and .DS_Store; neither is part of a model.
    return name.startswith(".") or name == "__MACOSX"


# ---------------------------------------------------------------------------- listing


def installed_models(dir: str | Path | None = None) -> list[InstalledModel]:
    """Every model folder in the models folder, usable or not, in default-choice order.

    Order: folders the manifest knows, in manifest order, then the rest alphabetically.
    Hidden folders (temporary installs) and files (partial downloads) are not listed.
    """
    root = models_dir(dir)
    if not root.is_dir():
        return []
    manifest = _manifest_or_empty()
    rank = {e.name: i for i, e in enumerate(manifest)}
    folders = [
        c for c in root.iterdir()
        if c.is_dir() and not _ignored_name(c.name) and not _whisper_folder(c)
    ]
    folders.sort(key=lambda c: (rank.get(c.name, len(rank)), c.name))
    out: list[InstalledModel] = []
    for folder in folders:
        problems = vosk_model_problems(folder)
        entry = next((e for e in manifest if e.name == folder.name), None)
        record = _read_record(folder)
        out.append(
            InstalledModel(
                name=folder.name,
                path=folder,
                ok=not problems,
                problem=f"missing {', '.join(problems)}" if problems else "",
                language=entry.language if entry else None,
                zip_sha256=_record_sha(record),
            )
        )
    return out


def _whisper_folder(folder: Path) -> bool:
    # Whisper models share the models folder; voiceskill/whisper_models.py lists them.
    return (folder / "model.bin").is_file() and (folder / "tokenizer.json").is_file()


def find_vosk_model(
    explicit_model: str | Path | None = None, dir: str | Path | None = None
) -> Path | None:
    """The model folder to use, or None when none is installed.

    ``explicit_model`` (a path, or the name of a folder in the models folder) wins, then
    ``$VOICESKILL_MODEL``, then the first usable installed model in :func:`installed_models`
    order. A model that was asked for by path or name but is missing or broken raises
    ModelError rather than silently falling back to another one.
    """
    root = models_dir(dir)
    asked: str | Path | None = explicit_model
    if asked is None or str(asked) == "":
        asked = os.environ.get(ENV_MODEL) or None
    if asked is not None:
        return check_vosk_model(_resolve_asked(asked, root))
    for model in installed_models(root):
        if model.ok:
            return model.path
    return None


def _resolve_asked(asked: str | Path, root: Path) -> Path:
    as_path = Path(asked).expanduser()
    if as_path.is_dir():
        return as_path
    by_name = root / str(asked)
    if by_name.is_dir():
        return by_name
    names = [m.name for m in installed_models(root)]
    have = f"installed: {', '.join(names)}" if names else "no models are installed"
    raise ModelError(
        f"no model {str(asked)!r}: it is neither a folder nor installed in {root} ({have}); "
        f"run `voiceskill model download NAME` or `voiceskill model install FILE`"
    )


# ---------------------------------------------------------------------------- download


def download(
    name: str,
    dir: str | Path | None = None,
    url: str | None = None,
    sha256: str | None = None,
    progress: ProgressFn | None = None,
    *,
    manifest: list[ModelEntry] | None = None,
    timeout: float = 30.0,
    limits: DownloadLimits | None = None,
) -> Path:
    """Fetch model ``name`` as a zip, verify its SHA-256, unpack it into ``dir/<name>``.

    ``url`` and ``sha256`` default to the manifest's. A model without a known checksum is
    refused before anything is fetched: pass ``sha256`` (the CLI's ``--sha256 HEX``). The zip
    is written to ``dir/.partial/<name>.zip.part``; if that exists from an interrupted run,
    the rest is asked for with an HTTP Range request. Only a verified zip is unpacked, and the model
    appears in ``dir`` in one rename. An already installed, valid ``dir/<name>`` is returned
    as is, without touching the network. Returns the model folder.
    """
    root = models_dir(dir)
    _check_name(name)
    target = root / name
    if is_vosk_model(target):
        return target
    entry = _manifest_entry(name, manifest)
    src = url or (entry.url if entry else None)
    if src is None:
        known = ", ".join(e.name for e in (manifest or _manifest_or_empty())) or "none"
        raise ModelError(
            f"{name!r} is not in the model manifest (known: {known}); give its URL and SHA-256"
        )
    expected = _normalise_sha(sha256) if sha256 else (entry.sha256 if entry else None)
    if expected is None:
        raise ModelError(
            f"no SHA-256 is known for {name}, so the download could not be verified and is "
            f"refused; get the checksum from the publisher and run "
            f"`voiceskill model download {name} --sha256 HEX`, or install a zip you trust "
            f"with `voiceskill model install FILE`"
        )
    # Partial downloads live in a hidden folder: never listed as a model, and covered by the
    # repository's `models/*/` ignore rule so a half-fetched zip never shows up in git.
    part = root / PARTIAL_DIR / f"{name}.zip.part"
    _private_folder(root)
    part.parent.mkdir(exist_ok=True)
    try:
        _fetch(src, part, progress, timeout, name, limits or DownloadLimits())
    except ModelError:
        if not part.is_file() or part.stat().st_size == 0:
            _drop_part(part)  # nothing worth resuming
        raise
    actual = _sha256_file(part)
    if actual != expected:
        _drop_part(part)
        raise ModelError(
            f"the downloaded {name}.zip is damaged (SHA-256 mismatch) and was deleted: "
            f"expected {expected}, got {actual}; run the download again"
        )
    try:
        installed = _install_zip(part, root, name, zip_sha256=actual, source=src)
    finally:
        # The zip is only a means of transport; a failed unpack must not leave 40 MB behind.
        _drop_part(part)
    return installed


def _drop_part(part: Path) -> None:
    part.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        part.parent.rmdir()  # only succeeds when no other download is pending


def _normalise_sha(value: str) -> str:
    v = value.strip().lower()
    if not _HEX64_RE.match(v):
        raise ModelError(f"{value!r} is not a SHA-256 checksum (64 hex digits)")
    return v


@dataclass(frozen=True)
class DownloadLimits:
    """When a download that still trickles is given up (the part fetched is kept to resume).

    The connection's own timeout only catches a server that sends nothing at all; one byte
    every ten seconds would keep a download going for ever.
    """

    window: float = 60.0
    """Seconds over which progress is measured."""
    min_bytes: int = 64 * 1024
    """Bytes that must arrive in each window: 1 KB a second, far below any real connection."""
    total: float = 3 * 3600.0
    """Seconds for the whole download: a 2 GB model at 200 KB a second still fits."""


def _fetch(
    url: str,
    part: Path,
    progress: ProgressFn | None,
    timeout: float,
    name: str,
    limits: DownloadLimits,
) -> None:
    host = urllib.parse.urlsplit(url).netloc or url
    have = part.stat().st_size if part.is_file() else 0
    headers = {"User-Agent": f"voiceskill/{__version__}"}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:
            # Nothing left to send: the partial file is already whole (the checksum decides).
            err.close()
            if progress:
                progress(have, have)
            return
        err.close()
        raise ModelError(f"{url}: the server answered {err.code} {err.reason}") from err
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        reason = err.reason if isinstance(err, urllib.error.URLError) else err
        raise ModelError(
            f"could not reach {host}: {reason}. Check the connection, or copy {name}.zip to "
            f"this device and run `voiceskill model install FILE`"
        ) from err
    with response:
        start, total = _resume_point(response, have)
        mode = "ab" if start else "wb"
        done = start
        with part.open(mode) as out:
            if progress:
                progress(done, total)
            try:
                done = _copy_watched(response, out, done, total, progress, limits, name)
            except (OSError, http.client.HTTPException) as err:
                raise _interrupted(name, done, total, err) from err
    if total is not None and done < total:
        # http.client returns a short body without raising when the peer hangs up early.
        raise _interrupted(name, done, total, "the connection closed early")


def _copy_watched(
    response: http.client.HTTPResponse,
    out: IO[bytes],
    done: int,
    total: int | None,
    progress: ProgressFn | None,
    limits: DownloadLimits,
    name: str,
) -> int:
    """Copy the body to ``out``, giving up when it trickles or takes too long; returns the
    bytes now in the file."""
    started = window_start = time.monotonic()
    window_done = done
    while True:
        # read1 returns what has arrived, so a trickle is noticed between the pieces.
        block = response.read1(_BLOCK)
        if not block:
            return done
        out.write(block)
        done += len(block)
        if progress:
            progress(done, total)
        now = time.monotonic()
        if now - started > limits.total:
            took = (f"{limits.total:.0f} seconds" if limits.total < 120
                    else f"{limits.total / 60:.0f} minutes")
            raise _interrupted(name, done, total, f"it took over {took}")
        if now - window_start >= limits.window:
            if done - window_done < limits.min_bytes:
                raise _interrupted(
                    name, done, total,
                    f"under {limits.min_bytes // 1024} KB arrived in {limits.window:.0f} seconds",
                )
            window_start, window_done = now, done


def _resume_point(response: http.client.HTTPResponse, have: int) -> tuple[int, int | None]:
    """Where the body starts in the file and the whole file's size (None if unknown)."""
    length_header = response.headers.get("Content-Length")
    length = int(length_header) if length_header and length_header.isdigit() else None
    if have and response.status == 206:
        match = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == have:
            size = match.group(3)
            return have, int(size) if size != "*" else None
    # 200 (the server ignored Range) or a range we did not ask for: start over.
    return 0, length


def _interrupted(name: str, done: int, total: int | None, why: object) -> ModelError:
    of = f" of {total}" if total is not None else ""
    return ModelError(
        f"the download of {name} stopped after {done}{of} bytes ({why}); the part already "
        f"fetched is kept, so running the same download again continues from there"
    )


# ---------------------------------------------------------------------------- install


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
        _check_name(chosen)
        _private_folder(root)
        digest = _sha256_file(src)
        entry = _manifest_entry(chosen, manifest)
        if entry is not None and entry.sha256 is not None and entry.sha256 != digest:
            raise ModelError(
                f"{src} does not match the manifest's checksum for {chosen} (damaged, or a "
                f"different release): expected {entry.sha256}, got {digest}"
            )
        return _install_zip(src, root, chosen, zip_sha256=digest, source=str(src))
    source_root = src if is_vosk_model(src) else _single_subfolder(src)
    if source_root is None or not is_vosk_model(source_root):
        _raise_not_a_model(src, vosk_model_problems(src))
    chosen = name or source_root.name
    _check_name(chosen)
    if source_root.resolve() == (root / chosen).resolve():
        raise ModelError(f"{source_root} is already installed")
    _private_folder(root)
    with _staging(root) as stage:
        copy = stage / "model"
        hashes = _copy_tree(source_root, copy)
        _write_record(copy, chosen, str(src), None, hashes)
        return _move_into_place(copy, root / chosen)


def _private_folder(root: Path) -> None:
    """Create the models folder for its owner only, as the state folder is."""
    root.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)
    try:
        root.mkdir(mode=0o700, exist_ok=True)
    finally:
        os.umask(old_umask)


def _check_name(name: str) -> None:
    if not _NAME_RE.match(name):
        raise ModelError(f"{name!r} is not a usable model name (letters, digits, . _ + -)")


def _install_zip(zip_path: Path, root: Path, name: str, zip_sha256: str, source: str) -> Path:
    with _staging(root) as stage:
        unpacked = stage / "unpacked"
        hashes = _safe_extract(zip_path, unpacked)
        model_root = unpacked if is_vosk_model(unpacked) else _single_subfolder(unpacked)
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
        _write_record(model_root, name, source, zip_sha256, hashes)
        return _move_into_place(model_root, root / name)


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
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


def _move_into_place(ready: Path, target: Path) -> Path:
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


def _safe_extract(zip_path: Path, dest: Path) -> dict[str, str]:
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
                    hashes[rel.as_posix()] = _copy_hashing(src, dst)
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


def _copy_tree(src: Path, dst: Path) -> dict[str, str]:
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
                hashes[rel.as_posix()] = _copy_hashing(s, d)
        for name in dirs:
            (dst / (base / name).relative_to(src)).mkdir(parents=True, exist_ok=True)
    return hashes


def _copy_hashing(src: IO[bytes], dst: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while True:
        block = src.read(_BLOCK * 16)
        if not block:
            return digest.hexdigest()
        digest.update(block)
        dst.write(block)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while True:
            block = f.read(_BLOCK * 16)
            if not block:
                return digest.hexdigest()
            digest.update(block)


# ---------------------------------------------------------------------------- records


def _write_record(
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


def _read_record(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / RECORD_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _record_sha(record: dict[str, object] | None) -> str | None:
    value = record.get("zip_sha256") if record else None
    return value if isinstance(value, str) else None


def verify(
    dir: str | Path | None = None, *, manifest: list[ModelEntry] | None = None
) -> list[tuple[str, bool, str]]:
    """Check every installed model; one ``(name, ok, message)`` per folder.

    Checks the structure; when an install record exists, re-hashes every file against it
    (catches damage on the SD card); when the manifest knows the zip's checksum, compares it
    with the one recorded at install time. Reads every model file, so it takes a second or
    two per 100 MB.
    """
    entries = manifest if manifest is not None else _manifest_or_empty()
    results: list[tuple[str, bool, str]] = []
    for model in installed_models(dir):
        if not model.ok:
            results.append((model.name, False, f"not a usable model: {model.problem}"))
            continue
        record = _read_record(model.path)
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
                if not (model.path / rel).is_file() or _sha256_file(model.path / rel) != digest
            ]
            if bad:
                ok = False
                shown = ", ".join(bad[:5]) + (" ..." if len(bad) > 5 else "")
                notes.append(f"{len(bad)} file(s) changed or missing since install: {shown}")
            else:
                notes.append(f"all {len(files)} files match the install record")
        entry = next((e for e in entries if e.name == model.name), None)
        recorded = _record_sha(record)
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
