"""`voiceskill checkin`: the bedtime check-in, spoken or typed, and how it ends."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime

from ..config import Settings
from ..dialog import Dialog
from ..errors import VoiceskillError
from ..understanding import Understander
from .exits import quiet_stdout
from .options import (
    add_person_options,
    add_speech_options,
    add_voice_options,
    content_for,
    person_from_args,
    settings_from_args,
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = Settings()
    p = sub.add_parser("checkin", help="run the bedtime check-in (spoken, or --text)")
    p.add_argument("--text", action="store_true", help="type answers instead of speaking")
    p.add_argument("--json", action="store_true", help="end with one JSON line of the result")
    p.add_argument(
        "--no-journal", dest="journal", action="store_false",
        help="keep nothing of this check-in in the journal, and leave out the week's history "
        "(for someone visiting, or a trial run)",
    )
    add_person_options(p)
    add_voice_options(p)
    p.add_argument("--input-device", help="microphone name or number (see `voiceskill devices`)")
    add_speech_options(p)
    p.add_argument(
        "--no-chime", dest="chime", action="store_false", default=None,
        help="no chime after each question to say the microphone is listening",
    )
    p.add_argument("--end-silence", type=float, help="seconds of quiet that end an answer")
    p.add_argument(
        "--no-input-timeout",
        type=float,
        help=f"seconds to wait for an answer before asking again (default {d.no_input_timeout:g})",
    )
    p.set_defaults(func=cmd_checkin, check_args=_needs_a_name(p))


def _needs_a_name(p: argparse.ArgumentParser) -> Callable[[argparse.Namespace], None]:
    def check(args: argparse.Namespace) -> None:
        if args.caregiver and not (args.name or "").strip():
            # Every caregiver question names the person; without a name they would all say
            # "the person you care for".
            p.error("--caregiver needs the person's name, for example --name Rose")

    return check


def cmd_checkin(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from ..journal.checkin import checkin_dialog
    from ..session import ConsoleEars, Session
    from ..voice import voice_session

    # Typed answers use no voice settings, but a config file or flag that names a missing
    # file or an impossible value is still a mistake worth hearing about tonight.
    settings = settings_from_args(args)
    content = content_for(settings)
    started = datetime.now(UTC)
    person = person_from_args(args)
    # Without the journal, tonight's summary cannot speak of the week either: it would be
    # another person's week when a visitor answers on this device.
    dialog = (checkin_dialog(content, person, started) if args.journal
              else Dialog(content, person))
    understander = Understander(content)
    if args.text:
        session = Session(dialog, understander, ConsoleEars(),
                          confirm_below=settings.confirm_below)
    else:
        session = voice_session(dialog, understander, settings)
    try:
        session.run()
    except (KeyboardInterrupt, VoiceskillError):
        # Cut short (Ctrl-C, SIGTERM, SIGHUP, or a failure nothing could work around).
        checkin_ended(dialog, started, args.json, interrupted=True, keep=args.journal)
        raise
    finally:
        session.close()
    checkin_ended(dialog, started, args.json, interrupted=False, keep=args.journal)
    return 0


def checkin_ended(dialog: Dialog, started: datetime, as_json: bool, interrupted: bool,
                  keep: bool = True) -> None:
    """The one place every check-in ends: finished (the summary was said, or input ran out)
    or interrupted. What was answered is never lost: it is kept in the journal (unless
    ``keep`` is false: ``--no-journal``), and cut short, the summary is printed, not spoken
    (the person may already have gone)."""
    from ..journal.checkin import keep_in_journal

    if not interrupted:
        if keep:
            keep_in_journal(dialog, started, finished=not dialog.stopped_early)
        if as_json:
            print(json.dumps(dialog.assessment().to_json(), ensure_ascii=False))
        return
    import signal

    # A second signal while the summary is printed must not cut it short.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    try:
        if not dialog.done:
            for line in dialog.end_of_input().lines:
                if line:
                    print(line)
        if as_json:
            print(json.dumps(dialog.assessment().to_json(), ensure_ascii=False))
        sys.stdout.flush()
    except OSError:
        # The terminal is gone (SIGHUP) or the output is full: there is no one to tell.
        quiet_stdout()
    # Written with the signals still ignored, so a second Ctrl-C cannot cut it short.
    if keep:
        keep_in_journal(dialog, started, finished=False)
