"""Stand-ins at the edges of the bedside mode, shared by its tests: a clock set to one moment
(the reminder and quiet hours read the time from it) and a mouth that writes down what it
would have said."""

from __future__ import annotations

from datetime import datetime


class FixedClock:
    """``now()`` is ``at``; a test moves the night on by setting ``at``."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class RecordingMouth:
    """Keeps every sentence it is given, in order, in ``said``."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, then_listen: bool = False) -> None:
        self.said.append(text)
