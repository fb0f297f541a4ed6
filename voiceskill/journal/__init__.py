"""The night journal: every check-in kept in the private state database, and what it says
about the weeks (docs/journal.md, docs/decisions/022-night-journal.md)."""

from __future__ import annotations

from .forget import Forgotten, forget, would_forget
from .history import DialogWithHistory, EarlierNights, week_in_words, week_lines
from .record import Checkin, Finding, from_dialog, legs_bothered, night_of
from .schema import JOURNAL_VERSION, JournalError
from .store import Journal, Relief

__all__ = [
    "JOURNAL_VERSION",
    "Checkin",
    "DialogWithHistory",
    "EarlierNights",
    "Finding",
    "Forgotten",
    "Journal",
    "JournalError",
    "Relief",
    "forget",
    "from_dialog",
    "legs_bothered",
    "night_of",
    "week_in_words",
    "week_lines",
    "would_forget",
]
