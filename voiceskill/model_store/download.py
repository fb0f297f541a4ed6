"""Fetching a model zip over HTTP: the only code in voiceskill that touches the network, and
only when asked to. An interrupted download is kept and resumed; one that trickles is given up.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .. import __version__
from ..errors import ModelError
from .install import install_zip
from .installed import is_vosk_model
from .manifest import (
    HEX64_RE,
    ModelEntry,
    check_name,
    manifest_entry,
    manifest_or_empty,
    models_dir,
)
from .records import BLOCK, sha256_file
from .staging import private_folder

PARTIAL_DIR = ".partial"
"""Where interrupted downloads wait, as ``<name>.zip.part``, to be resumed."""

ProgressFn = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total)``; ``bytes_total`` is None when the server does not say."""


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
    check_name(name)
    target = root / name
    if is_vosk_model(target):
        return target
    src, expected = _source(name, url, sha256, manifest)
    # Partial downloads live in a hidden folder: never listed as a model, and covered by the
    # repository's `models/*/` ignore rule so a half-fetched zip never shows up in git.
    part = root / PARTIAL_DIR / f"{name}.zip.part"
    private_folder(root)
    part.parent.mkdir(exist_ok=True)
    try:
        fetch(src, part, progress, timeout, name, limits or DownloadLimits())
    except ModelError:
        if not part.is_file() or part.stat().st_size == 0:
            _drop_part(part)  # nothing worth resuming
        raise
    actual = sha256_file(part)
    if actual != expected:
        _drop_part(part)
        raise ModelError(
            f"the downloaded {name}.zip is damaged (SHA-256 mismatch) and was deleted: "
            f"expected {expected}, got {actual}; run the download again"
        )
    try:
        installed = install_zip(part, root, name, zip_sha256=actual, source=src)
    finally:
        # The zip is only a means of transport; a failed unpack must not leave 40 MB behind.
        _drop_part(part)
    return installed


def _source(
    name: str, url: str | None, sha256: str | None, manifest: list[ModelEntry] | None
) -> tuple[str, str]:
    """Where to fetch ``name`` from and the SHA-256 it must have: given, or the manifest's."""
    entry = manifest_entry(name, manifest)
    src = url or (entry.url if entry else None)
    if src is None:
        known = ", ".join(e.name for e in (manifest or manifest_or_empty())) or "none"
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
    return src, expected


def _drop_part(part: Path) -> None:
    part.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        part.parent.rmdir()  # only succeeds when no other download is pending


def _normalise_sha(value: str) -> str:
    v = value.strip().lower()
    if not HEX64_RE.match(v):
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


def fetch(
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
        # A Whisper model's files are labelled "model/file": it is a folder, not a zip.
        copy = (f"the folder {name.split('/')[0]} to this device and run `voiceskill model "
                f"install FOLDER`") if "/" in name else (
                f"{name}.zip to this device and run `voiceskill model install FILE`")
        raise ModelError(
            f"could not reach {host}: {reason}. Check the connection, or copy {copy}"
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
        block = response.read1(BLOCK)
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
