"""What is in the models folder: which folders are Vosk models, what is missing from the
ones that are not, and which model to use.

Only the structure is checked here (nothing is loaded); the files' checksums are
:mod:`voiceskill.model_store.verify`'s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ..errors import ModelError
from .manifest import ENV_MODEL, manifest_or_empty, models_dir
from .records import read_record, record_sha


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
    raise_not_a_model(p, problems)


def raise_not_a_model(p: Path, problems: list[str]) -> NoReturn:
    if not p.is_dir():
        raise ModelError(problems[0])
    hint = ""
    nested = single_subfolder(p)
    if nested is not None and is_vosk_model(nested):
        hint = f"; the model seems to be one level down, in {nested}"
    raise ModelError(f"{p} is not a Vosk model: missing {', '.join(problems)}{hint}")


def single_subfolder(p: Path) -> Path | None:
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
    manifest = manifest_or_empty()
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
        record = read_record(folder)
        out.append(
            InstalledModel(
                name=folder.name,
                path=folder,
                ok=not problems,
                problem=f"missing {', '.join(problems)}" if problems else "",
                language=entry.language if entry else None,
                zip_sha256=record_sha(record),
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
