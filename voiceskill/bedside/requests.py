"""Bedside content: the spoken requests (hassil templates), the replies inside a conversation,
the words said, and the relief steps, read from ``prompts/bedside.yaml`` once and checked
against the advice they name. The schema is written at the top of that file.

``hassil`` (Home Assistant's template matcher) is imported here only: the rest of bedside
mode sees frozen ``Request`` values, and "not understood" is the intent ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import Content, Text
from ..errors import ContentError
from ..messages import Person
from ..yamlfile import read_mapping

INTENTS = ("checkin", "relief", "last_summary", "week", "stop")
REPLIES = ("next", "again", "yes", "no", "slower", "faster", "louder", "quieter")
SAYINGS = ("other", "reminder", "reminder_declined", "no_summary", "last_summary_lead",
           "stopped", "relief_intro", "relief_unknown", "relief_end", "offer_note", "noted",
           "not_noted", "checkin_stopped")


@dataclass(frozen=True)
class Request:
    """What a person asked for: one of ``INTENTS``, or ``other``; ``none`` for silence."""

    intent: str
    text: str = ""


class Templates:
    """One set of hassil templates: ``match`` a text to an intent, ``phrases`` for a grammar."""

    def __init__(self, table: Mapping[str, Sequence[str]], where: str, key: str) -> None:
        from hassil import Intents

        try:
            self._intents = Intents.from_dict({"language": "en", "intents": {
                name: {"data": [{"sentences": list(sentences)}]}
                for name, sentences in table.items()}})
            self._phrases = self._sample()
        except Exception as err:  # hassil reports a bad template with its own exceptions
            raise ContentError(where, key, f"a template cannot be read ({err})") from err

    def _sample(self) -> tuple[str, ...]:
        from hassil.sample import sample_intents

        out = {normalise(text) for _, text in sample_intents(self._intents)}
        return tuple(sorted(p for p in out if p))

    @property
    def phrases(self) -> tuple[str, ...]:
        return self._phrases

    def match(self, text: str) -> str | None:
        from hassil import recognize

        said = normalise(text)
        if not said:
            return None
        result = recognize(said, self._intents)
        return None if result is None else str(result.intent.name)


def normalise(text: str) -> str:
    """Lower case words: "Start my check-in!" and "start my check in" are the same request."""
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower().replace("-", " ")).split())


@dataclass(frozen=True)
class BedsideContent:
    requests: Templates
    replies: Templates
    say: Mapping[str, Text]
    relief_steps: tuple[str, ...]
    content: Content

    def request(self, text: str | None) -> Request:
        if text is None:
            return Request("none")
        return Request(self.requests.match(text) or "other", text)

    def reply(self, text: str | None) -> str:
        """One of ``REPLIES`` (a voice control among them), ``stop`` (any stop request),
        ``none`` for silence, ``other`` for the rest."""
        if text is None:
            return "none"
        if self.requests.match(text) == "stop":
            return "stop"
        return self.replies.match(text) or "other"

    def line(self, key: str, person: Person) -> str:
        from ..rules import render

        return render(self.say[key], person)


def load(content: Content, folder: Path | None = None) -> BedsideContent:
    where_dir = folder if folder is not None else content.source
    path = Path(where_dir) / "bedside.yaml"
    where = str(path)
    data = read_mapping(path, missing="bedside content not found", not_mapping="must be a mapping")
    requests = _table(data, "requests", INTENTS, where)
    replies = _table(data, "replies", REPLIES, where)
    say = _sayings(data.get("say"), where)
    steps = _steps(data.get("relief"), content, where)
    return BedsideContent(Templates(requests, where, "requests"),
                          Templates(replies, where, "replies"), say, steps, content)


def _table(data: Mapping[str, Any], key: str, names: Sequence[str],
           where: str) -> dict[str, list[str]]:
    table = data.get(key)
    if not isinstance(table, Mapping):
        raise ContentError(where, key, f"must be a mapping of {', '.join(names)} to templates")
    out: dict[str, list[str]] = {}
    for name in names:
        sentences = table.get(name)
        if not isinstance(sentences, list) or not sentences or not all(
                isinstance(s, str) and s.strip() for s in sentences):
            raise ContentError(where, f"{key}.{name}", "must be a list of templates (text)")
        out[name] = sentences
    extra = set(table) - set(names)
    if extra:
        raise ContentError(where, f"{key}.{sorted(extra)[0]}",
                           f"unknown; known: {', '.join(names)}")
    return out


def _sayings(table: Any, where: str) -> dict[str, Text]:
    if not isinstance(table, Mapping):
        raise ContentError(where, "say", "must be a mapping of key to text")
    out: dict[str, Text] = {}
    for key in SAYINGS:
        value = table.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = Text(value)
        elif isinstance(value, Mapping) and isinstance(value.get("text"), str):
            out[key] = Text(str(value["text"]), str(value.get("caregiver") or "") or None)
        else:
            raise ContentError(where, f"say.{key}", "must be text, or {text, caregiver}")
    return out


def _steps(section: Any, content: Content, where: str) -> tuple[str, ...]:
    steps = section.get("steps") if isinstance(section, Mapping) else None
    if not isinstance(steps, list) or not steps:
        raise ContentError(where, "relief.steps", "must be a list of tip ids from advice.yaml")
    for i, tip in enumerate(steps):
        if tip not in content.tonight:
            raise ContentError(where, f"relief.steps[{i}]",
                               f"{tip!r} is not a tip in advice.yaml tonight")
    return tuple(str(t) for t in steps)
