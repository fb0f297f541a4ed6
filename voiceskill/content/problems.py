"""A schema violation as one line for whoever edits the YAML: the key path and the problem.

pydantic reports where a value failed as a location in the model (``('questions', 3, 'help')``,
with the names of union members mixed in); this turns the first failure into the key path
the rest of the content checks use, ``questions[3] (kidney_disease).help``, found by walking
the file's own data, and its error type into plain words.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

Loc = tuple[int | str, ...]

_PLAIN = {
    "string_type": "a text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def first_problem(err: ValidationError, data: Any, model: type[BaseModel]) -> tuple[str, str]:
    """The key path and the problem of the first failure in ``err`` (raised validating
    ``data`` against ``model``)."""
    errors = err.errors(include_url=False)
    first = errors[0]
    path, where = key_path(first["loc"], data, missing=first["type"] == "missing")
    if first["type"] == "extra_forbidden":
        allowed = _keys(model, first["loc"][:-1])
        return path, "unknown key" + (f"; use {', '.join(allowed)}" if allowed else "")
    if first["type"] == "missing":
        return path, "is missing"
    if first["type"] == "literal_error":
        expected = str(first.get("ctx", {}).get("expected", ""))
        return path, "must be one of " + expected.replace("'", "").replace(" or ", ", ")
    # One value may fail each member of a union ("a text or a mapping"): say them all.
    kinds = [_PLAIN[e["type"]] for e in errors
             if e["type"] in _PLAIN and key_path(e["loc"], data)[1] == where]
    if kinds:
        if "a number" in kinds and "a whole number" in kinds:
            kinds.remove("a whole number")
        return path, "must be " + " or ".join(dict.fromkeys(kinds))
    message = str(first["msg"])
    return path, message[:1].lower() + message[1:]


def key_path(loc: Sequence[int | str], data: Any, *, missing: bool = False) -> tuple[str, Loc]:
    """``loc`` as a key path through ``data``: list items named by their id or name, the
    names of union members left out. Also the locations kept, to compare two failures."""
    out = ""
    kept: list[int | str] = []
    node = data
    for i, seg in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(seg, int) and isinstance(node, list) and 0 <= seg < len(node):
            node = node[seg]
            nxt = loc[i + 1] if not last else None
            out += f"[{seg}]" + _label(node, nxt)
        elif isinstance(node, dict) and (_has(node, seg) or (last and missing)):
            node = _get(node, seg)
            out += f".{seg}" if out else str(seg)
        else:
            continue  # a union member's name: not a key of the file
        kept.append(seg)
    return out, tuple(kept)


def _label(item: Any, next_key: int | str | None) -> str:
    # "questions[3] (kidney_disease)": the id says which item without counting, except when
    # the id itself is what failed.
    if not isinstance(item, dict) or next_key in ("id", "name"):
        return ""
    for key in ("id", "name"):
        if isinstance(item.get(key), str):
            return f" ({item[key].lower() if key == 'name' else item[key]})"
    return ""


def _yaml_key(key: Any) -> Any:
    return "yes" if key is True else "no" if key is False else key


def _has(node: dict[Any, Any], key: int | str) -> bool:
    return any(_yaml_key(k) == key for k in node)


def _get(node: dict[Any, Any], key: int | str) -> Any:
    return next((v for k, v in node.items() if _yaml_key(k) == key), None)


def _keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys the mapping at ``loc`` may have, by following the model's types."""
    tp: Any = model
    for seg in loc:
        tp = _step(tp, seg)
        if tp is None:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return sorted(f.alias or name for name, f in tp.model_fields.items())
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _step(tp: Any, seg: int | str) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, field in tp.model_fields.items():
            if seg in (name, field.alias):
                return field.annotation
        return None
    args = typing.get_args(tp)
    if typing.get_origin(tp) is list and isinstance(seg, int):
        return args[0]
    if typing.get_origin(tp) is dict:
        return args[1]
    return None
