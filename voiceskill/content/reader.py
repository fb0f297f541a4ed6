"""Reading one content file: the checks every file shares.

Every problem is reported as a ContentError naming the file and the key path, so whoever
edits the YAML can go straight to the line.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from ..errors import ContentError
from ..yamlfile import read_mapping
from .model import PERSON_SLOTS, Text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Reader:
    """The content folder and the file being read, which every problem names."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = ""

    def read(self, name: str) -> dict[str, Any]:
        self.file = self._display(name)
        path = self.root / name
        if not self.root.is_dir():
            raise ContentError(str(self.root), "", "the content folder does not exist")
        return read_mapping(path, shown=self.file, missing="file is missing")

    def _display(self, name: str) -> str:
        try:
            return str((self.root / name).relative_to(Path.cwd()))
        except ValueError:
            return str(self.root / name)

    def fail(self, key: str, problem: str) -> ContentError:
        return ContentError(self.file, key, problem)

    def need(self, data: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(data, dict):
            raise self.fail(path, "must be a mapping")
        if key not in data or data[key] is None:
            raise self.fail(f"{path}.{key}" if path else key, "is missing")
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(f"{path}.{key}" if path else key, f"must be a {_plain(names)}")
        return value

    def text_list(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{path}[{i}]", "must be a non-empty text")
            out.append(item)
        return tuple(out)

    def text(self, value: Any, path: str, slots: tuple[str, ...]) -> Text:
        if isinstance(value, str):
            self.check_slots(value, path, slots)
            return Text(value)
        if isinstance(value, dict):
            main = self.need(value, "text", path, str)
            self.check_slots(main, f"{path}.text", slots)
            care = value.get("caregiver")
            if care is not None:
                if not isinstance(care, str):
                    raise self.fail(f"{path}.caregiver", "must be a text")
                self.check_slots(care, f"{path}.caregiver", slots + PERSON_SLOTS)
            return Text(main, care)
        raise self.fail(path, "must be a text, or a mapping with text and caregiver")

    def check_slots(self, text: str, path: str, allowed: tuple[str, ...]) -> None:
        try:
            names = placeholders(text)
        except ValueError as err:
            raise self.fail(path, f"has a broken {{placeholder}}: {err}") from err
        unknown = sorted(names - set(allowed))
        if unknown:
            raise self.fail(
                path,
                f"uses unknown placeholder {{{unknown[0]}}}; allowed here: "
                + (", ".join("{" + a + "}" for a in allowed) or "none"),
            )

    def known_keys(self, data: Any, path: str, known: set[str]) -> None:
        """A misspelt key is an error, not silently ignored."""
        if not isinstance(data, dict):
            raise self.fail(path, "must be a mapping")
        for key in data:
            if key not in known:
                where = f"{path}.{key}" if path else str(key)
                raise self.fail(where, f"unknown key; use {', '.join(sorted(known))}")


def _plain(type_names: str) -> str:
    return (
        type_names.replace("str", "text")
        .replace("dict", "mapping")
        .replace("int", "whole number")
        .replace("bool", "true or false")
    )


def _yaml_bools(value: Any) -> Any:
    # YAML 1.1 reads a bare yes/no as true/false; accept it rather than fail the editor.
    if isinstance(value, list):
        return [("yes" if v is True else "no" if v is False else v) for v in value]
    return value


def _yaml_bool_keys(value: dict[Any, Any]) -> dict[str, Any]:
    # A bare yes or no as a mapping key is read by YAML 1.1 as true or false.
    return {("yes" if k is True else "no" if k is False else str(k)): v for k, v in value.items()}
