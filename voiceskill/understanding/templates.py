"""Sentence templates for grammar recognisers: many wordings written once.

``prompts/grammar.yaml`` lists, by meaning, templates in the syntax of Home Assistant's
``hassil`` sentence templates: ``(a|b)`` is one of the alternatives, ``[a]`` an optional
part, and they nest ("(no|nope) [(thanks|i don't)]"). Each template expands into every
phrase it stands for; a grammar recogniser listens for them beside ``listen_for``. The
``hassil`` library itself is not used: it matches text against intents, while all that is
needed here is the expansion, some forty lines without a dependency.

Every expansion must be understood as the meaning it is listed under (the check-in would
otherwise hear a wording it then reads another way); ``tests/test_grammar_templates.py``
checks that, and :func:`load` checks the shape, naming the file and the key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from ..yamlfile import read_mapping

FILE = "grammar.yaml"
MEANINGS = ("yes", "no", "unsure")
MAX_EXPANSIONS = 400
"""Phrases one template may stand for at most: a grammar of thousands of phrases is slow to
compile and makes short answers easy to confuse."""


@dataclass(frozen=True)
class Templates:
    """Expanded phrases by meaning, for yes/no questions."""

    yes_no: dict[str, tuple[str, ...]]

    def phrases(self) -> list[str]:
        return [p for meaning in MEANINGS for p in self.yes_no.get(meaning, ())]


def expand(template: str) -> list[str]:
    """Every phrase ``template`` stands for, in order, words separated by single spaces.

    >>> expand("(no|nope) [thanks]")
    ['no', 'no thanks', 'nope', 'nope thanks']
    """
    parts, end = _sequence(template, 0)
    if end != len(template):
        raise ValueError(f"unmatched {template[end]!r} at {end}")
    return list(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


def _sequence(text: str, i: int) -> tuple[list[str], int]:
    """The phrases of a run of words and groups from ``i`` up to ``|``, ``)``, ``]`` or the
    end, and where it stopped."""
    out = [""]
    while i < len(text) and text[i] not in "|)]":
        if text[i] in "([":
            close = ")" if text[i] == "(" else "]"
            options, i = _alternatives(text, i + 1, close)
            if close == "]":
                options = ["", *options]
            out = [a + " " + b for a, b in itertools.product(out, options)]
        else:
            j = i
            while j < len(text) and text[j] not in "()[]|":
                j += 1
            out = [a + text[i:j] for a in out]
            i = j
    return out, i


def _alternatives(text: str, i: int, close: str) -> tuple[list[str], int]:
    options: list[str] = []
    while True:
        part, i = _sequence(text, i)
        options += [p + " " for p in part]
        if i >= len(text):
            raise ValueError(f"{close!r} missing")
        if text[i] == "|":
            i += 1
            continue
        if text[i] != close:
            raise ValueError(f"{text[i]!r} where {close!r} was expected at {i}")
        return options, i + 1


def load(folder: Path) -> Templates:
    """The templates of ``folder/grammar.yaml`` expanded; none when the file is absent (a
    prompts folder of one's own need not have one)."""
    path = folder / FILE
    if not path.is_file():
        return Templates({})
    raw = read_mapping(path)
    section = raw.get("yes_no", {})
    if not isinstance(section, dict):
        raise ContentError(str(path), "yes_no", "must be a mapping of yes, no, unsure to lists")
    out: dict[str, tuple[str, ...]] = {}
    for meaning, templates in section.items():
        key = f"yes_no.{meaning}"
        if meaning not in MEANINGS:
            raise ContentError(str(path), key, f"unknown meaning; use {', '.join(MEANINGS)}")
        if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
            raise ContentError(str(path), key, "must be a list of templates")
        phrases: list[str] = []
        for n, template in enumerate(templates):
            try:
                said = expand(template.lower())
            except ValueError as err:
                raise ContentError(str(path), f"{key}[{n}]", f"{template!r}: {err}") from err
            if len(said) > MAX_EXPANSIONS:
                raise ContentError(str(path), f"{key}[{n}]",
                                   f"stands for {len(said)} phrases, more than {MAX_EXPANSIONS}")
            phrases += said
        out[str(meaning)] = tuple(dict.fromkeys(phrases))
    return Templates(out)
