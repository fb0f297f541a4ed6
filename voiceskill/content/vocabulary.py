"""understanding.yaml: the words answers and controls are said in, and what a speech
recogniser listens for."""

from __future__ import annotations

from typing import Any

from .checks import in_yes_no, listen_for_known
from .model import CONTROL_INTENTS, READING_LISTS, YES_NO_VALUES, Vocabulary
from .reader import Reader

_LEAD_IN_KINDS = ("lead_ins", "lead_in_answers")
_LISTEN_KINDS = ("yes_no", "controls", "numbers", "no_medications")


def vocabulary(r: Reader, data: dict[str, Any]) -> Vocabulary:
    yes_no = _yes_no(r, data)
    controls = _controls(r, data)
    fillers = tuple(p.lower() for p in r.text_list(data.get("fillers", []), "fillers"))
    modifiers = tuple(
        p.lower() for p in r.text_list(data.get("modifiers", []), "modifiers")
    )
    numbers = _numbers(r, data)
    nomeds = r.text_list(r.need(data, "no_medications", "", list), "no_medications")
    listen_for = _listen_for(r, data)
    known_yes_no = {p for phrases in yes_no.values() for p in phrases}
    known_controls = {p for phrases in controls.values() for p in phrases}
    listen_for_known(r, listen_for, (
        ("yes_no", known_yes_no),
        ("controls", known_controls),
        ("numbers", set(numbers)),
        ("no_medications", {p.lower() for p in nomeds}),
    ), fillers)
    return Vocabulary(
        yes_no, controls, fillers, modifiers, numbers, tuple(p.lower() for p in nomeds),
        listen_for, _reading(r, data.get("reading", {}), known_yes_no),
    )


def _yes_no(r: Reader, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    yn = r.need(data, "yes_no", "", dict)
    yes_no = {}
    for value in YES_NO_VALUES:
        if value not in yn:
            raise r.fail(f"yes_no.{value}", "is missing")
        yes_no[value] = tuple(p.lower() for p in r.text_list(yn[value], f"yes_no.{value}"))
    for extra in yn:
        if extra not in YES_NO_VALUES:
            raise r.fail(f"yes_no.{extra}", "must be one of yes, no, unsure")
    return yes_no


def _controls(r: Reader, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    ctl = r.need(data, "controls", "", dict)
    controls = {}
    for intent, phrases in ctl.items():
        if intent not in CONTROL_INTENTS:
            raise r.fail(
                f"controls.{intent}", f"unknown intent; use one of {', '.join(CONTROL_INTENTS)}"
            )
        controls[intent] = tuple(
            p.lower() for p in r.text_list(phrases, f"controls.{intent}")
        )
    for intent in ("repeat", "help", "stop", "skip", "back"):
        if intent not in controls:
            raise r.fail(f"controls.{intent}", "is missing")
    seen: dict[str, str] = {}
    for intent, phrases in controls.items():
        for p in phrases:
            if p in seen and seen[p] != intent:
                raise r.fail(f"controls.{intent}", f'"{p}" is also under {seen[p]}')
            seen[p] = intent
    return controls


def _numbers(r: Reader, data: dict[str, Any]) -> dict[str, int]:
    nums = r.need(data, "numbers", "", dict)
    numbers: dict[str, int] = {}
    for phrase, value in nums.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise r.fail(f"numbers.{phrase}", "must be a whole number")
        numbers[str(phrase).lower()] = value
    return numbers


def _listen_for(r: Reader, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    listen = r.need(data, "listen_for", "", dict)
    listen_for: dict[str, tuple[str, ...]] = {}
    for kind in _LISTEN_KINDS:
        if kind not in listen:
            raise r.fail(f"listen_for.{kind}", "is missing")
        listen_for[kind] = tuple(
            p.lower() for p in r.text_list(listen[kind], f"listen_for.{kind}")
        )
    # Optional: a content folder without them listens for answers as they are.
    for kind in _LEAD_IN_KINDS:
        listen_for[kind] = tuple(
            p.lower() for p in r.text_list(listen.get(kind, []), f"listen_for.{kind}")
        )
    for kind in listen:
        if kind not in listen_for:
            raise r.fail(f"listen_for.{kind}",
                         f"must be one of {', '.join((*_LISTEN_KINDS, *_LEAD_IN_KINDS))}")
    return listen_for


def _reading(r: Reader, data: object, known_yes_no: set[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise r.fail("reading", "must be a mapping of lists")
    out: dict[str, tuple[str, ...]] = {}
    for key, phrases in data.items():
        if key not in READING_LISTS:
            raise r.fail(f"reading.{key}", f"unknown list; use {', '.join(READING_LISTS)}")
        out[key] = tuple(p.lower() for p in r.text_list(phrases, f"reading.{key}"))
    in_yes_no(r, out, known_yes_no)
    return out
