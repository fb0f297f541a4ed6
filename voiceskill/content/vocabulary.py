"""understanding.yaml: the words answers and controls are said in, and what a speech
recogniser listens for (shape: ``schema.UnderstandingFile``)."""

from __future__ import annotations

from typing import Any

from .checks import in_yes_no, listen_for_known
from .model import CONTROL_INTENTS, READING_LISTS, YES_NO_VALUES, Vocabulary
from .reader import Reader
from .schema_words import ControlsSpec, UnderstandingFile

_LISTEN_KINDS = ("yes_no", "controls", "numbers", "no_medications", "lead_ins",
                 "lead_in_answers")


def _lower(phrases: list[str] | None) -> tuple[str, ...]:
    return tuple(p.lower() for p in phrases or ())


def vocabulary(r: Reader, data: dict[str, Any]) -> Vocabulary:
    spec = r.validate(data, UnderstandingFile)
    yes_no = {value: _lower(getattr(spec.yes_no, value)) for value in YES_NO_VALUES}
    controls = _controls(r, spec.controls)
    fillers = _lower(spec.fillers)
    numbers = {phrase.lower(): value for phrase, value in spec.numbers.items()}
    nomeds = _lower(spec.no_medications)
    listen_for = {kind: _lower(getattr(spec.listen_for, kind)) for kind in _LISTEN_KINDS}
    known_yes_no = {p for phrases in yes_no.values() for p in phrases}
    known_controls = {p for phrases in controls.values() for p in phrases}
    listen_for_known(r, listen_for, (
        ("yes_no", known_yes_no),
        ("controls", known_controls),
        ("numbers", set(numbers)),
        ("no_medications", set(nomeds)),
    ), fillers)
    reading = {key: _lower(phrases) for key in READING_LISTS
               if (phrases := getattr(spec.reading, key)) is not None}
    in_yes_no(r, reading, known_yes_no)
    return Vocabulary(yes_no, controls, fillers, _lower(spec.modifiers), numbers, nomeds,
                      listen_for, reading)


def _controls(r: Reader, spec: ControlsSpec) -> dict[str, tuple[str, ...]]:
    controls = {intent: _lower(phrases) for intent in CONTROL_INTENTS
                if (phrases := getattr(spec, intent)) is not None}
    seen: dict[str, str] = {}
    for intent, phrases in controls.items():
        for p in phrases:
            if p in seen and seen[p] != intent:
                raise r.fail(f"controls.{intent}", f'"{p}" is also under {seen[p]}')
            seen[p] = intent
    return controls
