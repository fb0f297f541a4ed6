"""What bedside mode needs from the night journal, as a protocol, and a journal kept in
memory for tests and for a machine whose journal cannot be opened.

The real journal (``voiceskill.journal.Journal``) has these same methods and is used when it
is installed; bedside mode never depends on how it stores anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from ..dialog import Dialog


class NightJournal(Protocol):
    def keep_checkin(self, dialog: Dialog, *, started: datetime, finished: bool) -> int: ...

    def last_summary(self, name: str | None) -> str | None: ...

    def last_answers(self, name: str | None) -> dict[str, object] | None: ...

    def add_relief(
        self, name: str | None, started: datetime, steps_heard: int, finished: bool
    ) -> int: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Relief:
    name: str | None
    started: datetime
    steps_heard: int
    finished: bool


@dataclass
class MemoryJournal:
    """The journal's methods over lists in memory: nothing outlives the process."""

    summaries: dict[str | None, str] = field(default_factory=dict)
    answers: dict[str | None, dict[str, object]] = field(default_factory=dict)
    checkins: list[tuple[str | None, datetime, bool]] = field(default_factory=list)
    reliefs: list[Relief] = field(default_factory=list)

    def keep_checkin(self, dialog: Dialog, *, started: datetime, finished: bool) -> int:
        name = dialog.person.name if dialog.person.caregiver else None
        self.checkins.append((name, started, finished))
        if finished:
            self.answers[name] = dict(dialog.answers)
            self.summaries[name] = " ".join(dialog.summary_lines())
        return len(self.checkins)

    def last_summary(self, name: str | None) -> str | None:
        return self.summaries.get(name)

    def last_answers(self, name: str | None) -> dict[str, object] | None:
        return self.answers.get(name)

    def add_relief(
        self, name: str | None, started: datetime, steps_heard: int, finished: bool
    ) -> int:
        self.reliefs.append(Relief(name, started, steps_heard, finished))
        return len(self.reliefs)

    def close(self) -> None:
        pass


def week_in_words(journal: NightJournal, name: str | None, today: date) -> str:
    """The journal's spoken week; for a journal kept in memory, what memory holds."""
    from ..journal import Journal
    from ..journal import week_in_words as journal_week

    if isinstance(journal, Journal):
        return journal_week(journal, name, today)
    if not isinstance(journal, MemoryJournal):
        return "I have no journal of this week yet."
    nights = {s.date() for n, s, _ in journal.checkins if n == name and (today - s.date()).days < 7}
    nights |= {r.started.date() for r in journal.reliefs
               if r.name == name and (today - r.started.date()).days < 7}
    if not nights:
        return "I have nothing noted this week."
    reliefs = sum(1 for r in journal.reliefs if r.name == name)
    return (f"This week I noted {len(nights)} night{'s' if len(nights) != 1 else ''}, "
            f"with {reliefs} time{'s' if reliefs != 1 else ''} your legs needed settling.")


def open_journal() -> NightJournal:
    """The night journal in the state database; when it cannot be opened, one kept in memory
    (said in the log), so the bedside mode still answers tonight."""
    import logging

    from ..errors import VoiceskillError
    from ..journal import Journal

    try:
        return Journal.open()
    except VoiceskillError as problem:
        logging.getLogger(__name__).warning(
            "the night journal cannot be opened (%s): check-ins are kept only until listen "
            "stops", problem)
        return MemoryJournal()
