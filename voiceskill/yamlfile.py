"""Reading a YAML file that must hold a mapping, with errors that name the file and the line.

Every file voiceskill reads is small and written by a person, so the reader is bounded: a
file over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH`` or more than ``MAX_ALIASES``
aliases (``*name``) is refused before it is built. A few hundred bytes of aliases can
otherwise expand into gigabytes (an "alias bomb"), and deep nesting exhausts the stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError

MAX_BYTES = 1_000_000
"""The largest content file is about 60 KB; a megabyte leaves room and stays instant."""
MAX_DEPTH = 50
"""Levels of nested lists and mappings; the content files use six at most."""
MAX_ALIASES = 100
"""Aliases per file; the content files use none."""
MAX_VALUES = 200_000
"""Values once every alias is expanded: nine aliases of nine aliases of nine stay under the
alias count yet stand for hundreds of millions of values when printed or walked."""


class _TooBig(Exception):
    pass


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses deep nesting and many aliases while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _TooBig(f"more than {MAX_ALIASES} aliases (*name); write the values out")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str) -> Any:
    """``yaml.safe_load`` within the bounds above; raises ``ValueError`` naming the bound."""
    loader = BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except _TooBig as err:
        raise ValueError(str(err)) from None
    finally:
        loader.dispose()
    if _expanded_size(data, {}) > MAX_VALUES:
        raise ValueError(f"its aliases expand to more than {MAX_VALUES} values")
    return data


def _expanded_size(value: Any, seen: dict[int, int]) -> int:
    """How many values ``value`` stands for with shared parts counted each time they are
    used; each shared part is measured once (``seen``), so this is quick."""
    if not isinstance(value, (list, dict)):
        return 1
    known = seen.get(id(value))
    if known is not None:
        return known
    children = list(value.keys()) + list(value.values()) if isinstance(value, dict) else value
    total = 1 + sum(_expanded_size(c, seen) for c in children)
    seen[id(value)] = total
    return total


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
    raw = _read_text(path, where, missing)
    try:
        data = load(raw)
    except ValueError as err:
        raise ContentError(where, "", f"too large to read safely: {err}") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ContentError(where, line, f"not valid {syntax}: {_short(problem)}") from err
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise ContentError(where, "", not_mapping)
    return data


def _read_text(path: Path, where: str, missing: str) -> str:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError as err:
        raise ContentError(where, "", missing) from err
    except IsADirectoryError as err:
        raise ContentError(where, "", "is a folder, not a file") from err
    except PermissionError as err:
        raise ContentError(
            where, "", "cannot be read (permission denied); check who owns it and its permissions"
        ) from err
    except OSError as err:
        raise ContentError(where, "", f"cannot be read ({err.strerror or err})") from err
    if len(raw) > MAX_BYTES:
        size = f"over {MAX_BYTES // 1000} KB"
        raise ContentError(where, "", f"too large to read safely: {size}; is it the right file?")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ContentError(where, "", f"not UTF-8 text ({err.reason})") from err


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
