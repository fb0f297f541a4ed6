"""Where a check-in meets the journal: the week read when it starts, the check-in written
when it ends. A journal that cannot be used never costs the person their check-in: it is
said in one line, and the check-in goes on without it."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import TextIO

from ..content import Content
from ..dialog import Dialog
from ..errors import VoiceskillError
from ..messages import Person
from ..preferences import listener_for
from .history import WEEK, DialogWithHistory, EarlierNights
from .record import night_of
from .store import Journal


def checkin_dialog(content: Content, person: Person, started: datetime,
                   err: TextIO | None = None) -> Dialog:
    """The dialog for tonight, knowing this week's earlier nights when the journal has any."""
    try:
        with Journal.open() as journal:
            return dialog_with_history(journal, content, person, started)
    except VoiceskillError as problem:
        _tell(err, f"voiceskill: {problem}; tonight's check-in goes on without the week's "
                   "history")
        return Dialog(content, person)


def dialog_with_history(journal: Journal, content: Content, person: Person,
                        started: datetime) -> Dialog:
    """The dialog for tonight, with the week's earlier nights from an open journal."""
    tonight = night_of(started)
    earlier = journal.checkins(listener_for(person),
                               since=tonight - timedelta(days=WEEK - 1), until=tonight)
    return DialogWithHistory(content, person,
                             earlier=EarlierNights.from_checkins(earlier, tonight))


def keep_in_journal(dialog: Dialog, started: datetime, finished: bool,
                    err: TextIO | None = None) -> int | None:
    """Write the check-in; None (and one line on standard error) when it cannot be kept."""
    import signal

    # Ctrl-C or SIGTERM during the write is held until it is done: the check-in is kept
    # whole rather than rolled back. (SIGKILL cannot be held; the transaction keeps the
    # file consistent then.)
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        with Journal.open() as journal:
            return journal.keep_checkin(dialog, started=started, finished=finished)
    except VoiceskillError as problem:
        _tell(err, f"voiceskill: tonight's check-in could not be kept in the journal: {problem}")
        return None
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _tell(err: TextIO | None, line: str) -> None:
    import contextlib

    with contextlib.suppress(OSError, ValueError):
        print(line, file=err or sys.stderr)
