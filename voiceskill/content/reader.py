"""Reading one content file: the checks every file shares.

Every problem is reported as a ContentError naming the file and the key path, so whoever
edits the YAML can go straight to the line. The shape of each file is declared in ``schema``
and checked by ``validate``; what is left here is reading and placeholders.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ContentError
from ..yamlfile import read_mapping
from .model import PERSON_SLOTS, Text
from .problems import first_problem
from .schema_base import TextSpec

M = TypeVar("M", bound=BaseModel)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Reader:
    """The content folder and the file being read, which every problem names."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = ""
        self.med_classes: set[str] = set()
        """The medicine classes, once medications.yaml is read: conditions name them."""

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
        # Keys and values come from the file: a newline or a control character in one would
        # break the one line a problem is reported in.
        return ContentError(self.file, _printable(key), _printable(problem))

    def validate(self, data: dict[str, Any], model: type[M]) -> M:
        """``data`` (the file just read) against its declared shape (``schema``); the first
        thing wrong is raised with its key path."""
        try:
            return model.model_validate(data)
        except ValidationError as err:
            raise self.fail(*first_problem(err, data, model)) from None

    def text(self, value: TextSpec, path: str, slots: tuple[str, ...]) -> Text:
        """A text and its caregiver wording, each using only the placeholders allowed (the
        caregiver one also those naming the person)."""
        self.check_slots(value.text, f"{path}.text" if value.caregiver else path, slots)
        if value.caregiver is not None:
            self.check_slots(value.caregiver, f"{path}.caregiver", slots + PERSON_SLOTS)
        return Text(value.text, value.caregiver)

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


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
