"""Reading a YAML file that must hold a mapping, with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError


def read_mapping(
    path: Path,
    *,
    shown: str | None = None,
    missing: str = "file not found",
    not_mapping: str = "must be a mapping of keys at the top level",
    empty_ok: bool = False,
    syntax: str = "YAML",
) -> dict[str, Any]:
    """The mapping at the top of ``path``; any problem raises ``ContentError``.

    ``shown`` is how the file is named in messages (default: the path). An empty file is an
    empty mapping when ``empty_ok``. ``syntax`` names the format in messages ("YAML or JSON" for
    files that may be either, as JSON is YAML).
    """
    where = shown if shown is not None else str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ContentError(where, "", missing) from err
    except IsADirectoryError as err:
        raise ContentError(where, "", "is a folder, not a file") from err
    except UnicodeDecodeError as err:
        raise ContentError(where, "", f"not UTF-8 text ({err.reason})") from err
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ContentError(where, line, f"not valid {syntax}: {problem}") from err
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise ContentError(where, "", not_mapping)
    return data
