"""The ``bedside:`` section of the settings file, as one frozen object.

Written down once (every key optional)::

    bedside:
      wake_word: okay nabu        # okay nabu, hey jarvis, hey mycroft or alexa
      reminder: "21:30"           # the bedtime reminder; off for none
      quiet_hours: "22:30-07:00"  # softer voice, nothing said unprompted; off for none
      quiet_volume: 0.4           # the voice's volume (0.2 to 1) during quiet hours
      name: Rose                  # the person's name
      caregiver: true             # a caregiver answers for the person named
      pronoun: she                # she, he or they

A mistake names the file and the key, in one line, like the rest of the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any, Literal, cast

from ..errors import ContentError
from ..messages import Person

WAKE_WORDS = {
    "okay nabu": "okay_nabu",
    "hey jarvis": "hey_jarvis",
    "hey mycroft": "hey_mycroft",
    "alexa": "alexa",
}
"""The wake words whose models ship inside pymicro-wakeword, by the words a person says."""

KEYS = ("wake_word", "reminder", "quiet_hours", "quiet_volume", "name", "caregiver", "pronoun")


@dataclass(frozen=True)
class BedsideSettings:
    wake_word: str = "okay nabu"
    """Chosen because generated voices trigger its model most reliably (docs/decisions/023)."""
    reminder: time | None = time(21, 30)
    quiet_from: time | None = time(22, 30)
    quiet_until: time | None = time(7, 0)
    quiet_volume: float = 0.4
    name: str = ""
    caregiver: bool = False
    pronoun: Literal["she", "he", "they"] = "they"

    @property
    def model(self) -> str:
        """The pymicro-wakeword model id of the wake word."""
        return WAKE_WORDS[self.wake_word]

    @property
    def person(self) -> Person:
        if self.caregiver:
            return Person(caregiver=True, name=self.name, pronoun=self.pronoun)
        return Person(pronoun="" if self.pronoun == "they" else self.pronoun)

    @property
    def listener(self) -> str | None:
        """Whose journal entries these are: the person cared for, or None for oneself."""
        return self.name if self.caregiver else None

    def quiet_at(self, now: time) -> bool:
        """Whether ``now`` falls inside quiet hours (which may run over midnight)."""
        start, end = self.quiet_from, self.quiet_until
        if start is None or end is None:
            return False
        if start <= end:
            return start <= now < end
        return now >= start or now < end


def parse(section: Any, where: str) -> BedsideSettings:
    """The section as read from the YAML file ``where`` (None when the file has none)."""
    if section is None:
        return BedsideSettings()
    if not isinstance(section, Mapping):
        raise ContentError(where, "bedside", "must be a mapping of settings such as wake_word")
    values: dict[str, Any] = {}
    for key, value in section.items():
        name = str(key).replace("-", "_")
        at = f"bedside.{key}"
        if name not in KEYS:
            raise ContentError(where, at, f"unknown setting; known: {', '.join(KEYS)}")
        if name == "wake_word":
            values[name] = _wake_word(value, where, at)
        elif name == "reminder":
            values[name] = _clock_time(value, where, at, allow_off=True)
        elif name == "quiet_hours":
            values["quiet_from"], values["quiet_until"] = _hours(value, where, at)
        elif name == "quiet_volume":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ContentError(where, at, "must be a number from 0.2 to 1")
            if not 0.2 <= value <= 1.0:
                raise ContentError(where, at, "must be from 0.2 to 1 (quieter is not heard)")
            values[name] = float(value)
        elif name == "caregiver":
            if not isinstance(value, bool):
                raise ContentError(where, at, "must be true or false")
            values[name] = value
        elif name == "pronoun":
            if value not in ("she", "he", "they"):
                raise ContentError(where, at, "must be she, he or they")
            values[name] = cast(Literal["she", "he", "they"], value)
        else:
            if not isinstance(value, str):
                raise ContentError(where, at, "must be text (the person's name)")
            values[name] = value.strip()
    settings = BedsideSettings(**values)
    _check_together(settings, where)
    return settings


def _check_together(s: BedsideSettings, where: str) -> None:
    if s.caregiver and not s.name:
        raise ContentError(where, "bedside.caregiver", "needs the person's name in bedside.name")
    if s.reminder is not None and s.quiet_at(s.reminder):
        raise ContentError(
            where, "bedside.reminder",
            f"{s.reminder:%H:%M} is inside quiet_hours, where nothing is said unprompted; "
            "choose an earlier time",
        )


def _wake_word(value: Any, where: str, at: str) -> str:
    said = " ".join(str(value).lower().replace("_", " ").replace(",", " ").split())
    said = said.replace("ok ", "okay ")
    if said not in WAKE_WORDS:
        raise ContentError(where, at, f"{value!r} has no model; choose {', '.join(WAKE_WORDS)}")
    return said


def _clock_time(value: Any, where: str, at: str, allow_off: bool = False) -> time | None:
    if allow_off and (value is None or value is False or value == "off"):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 21:30 as the base-60 number 1290: minutes since midnight.
        return time(value // 60, value % 60)
    if isinstance(value, str):
        hours, _, minutes = value.strip().partition(":")
        if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
            return time(int(hours), int(minutes))
    raise ContentError(where, at, f"{value!r} is not a time of day such as \"21:30\"")


def _hours(value: Any, where: str, at: str) -> tuple[time | None, time | None]:
    if value is None or value is False or value == "off":
        return None, None
    if isinstance(value, str) and "-" in value:
        start, _, end = value.partition("-")
        first = _clock_time(start, where, at)
        last = _clock_time(end, where, at)
        if first == last:
            raise ContentError(where, at, "must start and end at different times")
        return first, last
    raise ContentError(where, at, f"{value!r} is not a span such as \"22:30-07:00\" (or off)")
