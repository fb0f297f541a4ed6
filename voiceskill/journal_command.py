"""`voiceskill journal list | show ID | export | forget` and `voiceskill report`: the night
journal on the command line (docs/journal.md)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .journal import Checkin, Journal, Relief

MAX_DAYS = 3660


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("journal", help="list, show, export or forget the kept check-ins")
    jsub = p.add_subparsers(dest="journal_command", required=True)
    j = jsub.add_parser("list", help="one line per check-in, oldest first")
    _add_filters(j)
    j = jsub.add_parser("show", help="everything kept of one check-in")
    j.add_argument("id", type=int)
    j = jsub.add_parser("export", help="the journal as CSV or JSON on standard output")
    kind = j.add_mutually_exclusive_group(required=True)
    kind.add_argument("--csv", action="store_true")
    kind.add_argument("--json", action="store_true")
    _add_filters(j)
    j = jsub.add_parser("forget", help="delete check-ins for good (everyone's, or --name's)")
    j.add_argument("--name", help='only this person cared for (--name "" for your own)')
    j.add_argument("--yes", action="store_true", help="really delete; without it, only say what")
    p.set_defaults(func=cmd_journal)

    p = sub.add_parser("report", help="a one-page report for the doctor (HTML), or spoken")
    p.add_argument("--days", type=int, default=30, help="nights to cover, up to today (30)")
    p.add_argument("--name", help="the person cared for (default: your own check-ins)")
    p.add_argument("--out", help="the HTML file to write (default: voiceskill-report-DATE.html)")
    p.add_argument("--say", action="store_true", help="speak a short version instead")
    p.add_argument("--text", action="store_true", help="print the short version instead")
    p.add_argument("--to-wav", help="with --say: speak it into this WAV file instead")
    p.set_defaults(func=cmd_report)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="from this night on (YYYY-MM-DD)")
    p.add_argument("--name", help='only this person cared for (--name "" for your own)')


def cmd_journal(args: argparse.Namespace) -> int:
    from .journal import Journal

    since = _date(args.since, "--since") if getattr(args, "since", None) else None
    if not _journal_path().exists():
        # Looking must not create the state folder and an empty journal.
        return _no_journal(args)
    with Journal.open() as journal:
        if args.journal_command == "show":
            return _show(journal, args.id)
        if args.journal_command == "forget":
            return _forget(journal, args.name, args.yes)
        checkins = journal.checkins(args.name, since=since)
        if args.journal_command == "export":
            from .journal.export import to_csv, to_json

            if args.csv:
                sys.stdout.write(to_csv(checkins))
            else:
                sys.stdout.write(to_json(checkins, journal.reliefs(args.name, since=since)) + "\n")
            return 0
        if not checkins:
            print(f"No check-ins kept{_whose(args.name)} ({journal.path}).")
            return 0
        for c in checkins:
            print(_line(c))
        return 0


def _journal_path() -> Path:
    from .journal.store import DB_NAME
    from .preferences import state_dir

    return state_dir() / DB_NAME


def _no_journal(args: argparse.Namespace) -> int:
    if args.journal_command == "export":
        from .journal.export import to_csv, to_json

        sys.stdout.write(to_csv([]) if args.csv else to_json([]) + "\n")
        return 0
    if args.journal_command == "show":
        return _show(None, args.id)
    print(f"Nothing is kept yet: there is no journal at {_journal_path()}.")
    return 0


def _whose(name: str | None) -> str:
    if name is None:
        return ""
    return " for yourself" if not name.strip() else f" for {name.strip()}"


def _line(c: Checkin) -> str:
    local = c.started.astimezone()
    who = f"{c.name} (caregiver)" if c.caregiver else "yourself"
    how = "finished" if c.finished else "cut short"
    legs = "legs bothered" if c.bothered else "legs calm"
    likely = ", ".join(f"{f.cause} ({f.likelihood})" for f in c.findings[:2]) or "no likely cause"
    flag = "  WARNING SIGN" if c.urgent else ""
    return f"{c.id:5}  {local:%a %d %b %Y %H:%M}  {who}  {how}  {legs}  {likely}{flag}"


def _show(journal: Journal | None, ident: int) -> int:
    c = None if journal is None else journal.get(ident)
    if c is None:
        raise UsageError(f"journal show: there is no check-in {ident}; `voiceskill journal list` "
                         "shows the kept ones")
    print(_line(c))
    print("Answers:")
    for q, v in c.answers.items():
        value = ", ".join(m["name"] if isinstance(m, dict) else str(m) for m in v) \
            if isinstance(v, list) else v
        print(f"  {q}: {value}")
    for title, items in (("Likely causes", [f"{f.cause} ({f.likelihood}): {'; '.join(f.reasons)}"
                                           for f in c.findings]),
                         ("Medicines", [f"{m['name']} ({m['class']})" for m in c.medicines]),
                         ("Warning signs", list(c.red_flags)),
                         ("Advised at once", list(c.urgent_advice)),
                         ("For tonight", list(c.tonight)),
                         ("To raise with the doctor", list(c.doctor))):
        if items:
            print(f"{title}:")
            for item in items:
                print(f"  {item}")
    print(f"Summary: {c.summary}")
    return 0


def _forget(journal: Journal, name: str | None, yes: bool) -> int:
    from .journal import forget, would_forget

    if not yes:
        found = would_forget(journal, name)
        again = "voiceskill journal forget" + (f" --name {_quoted(name)}" if name is not None
                                               else "")
        print(f"{found.describe(done=False)} Nothing was deleted; to delete it for good, run: "
              f"{again} --yes")
        return 0
    print(forget(journal, name).describe(done=True))
    return 0


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{flag} {text!r} is not a date; write it as YYYY-MM-DD, for example "
                         f"{date.today().isoformat()}") from None


def cmd_report(args: argparse.Namespace) -> int:
    from . import content as content_mod
    from .journal import Journal, night_of
    from .report import build, render, spoken_report

    if not 1 <= args.days <= MAX_DAYS:
        raise UsageError(f"report: --days {args.days} is outside 1 to {MAX_DAYS}")
    name = (args.name or "").strip()
    last = night_of(datetime.now().astimezone())
    first = last - timedelta(days=args.days - 1)
    checkins: list[Checkin] = []
    reliefs: list[Relief] = []
    others: list[str] = []
    if _journal_path().exists():
        with Journal.open() as journal:
            checkins = journal.checkins(name, since=first, until=last)
            reliefs = journal.reliefs(name, since=first, until=last)
            others = journal.names() if not checkins and not name else []
    if others:
        print(f"voiceskill: no check-ins of your own in the last {args.days} nights; kept for: "
              f"{', '.join(others)} (use --name)", file=sys.stderr)
    content = content_mod.load(getattr(args, "prompts", None))
    data = build(content, checkins, who=name or "yourself", caregiver=bool(name), last=last,
                 days=args.days, reliefs=len(reliefs))
    if args.say or args.text:
        _speak(spoken_report(data, content), name, speak=args.say and not args.text,
               to_wav=args.to_wav)
        if not args.out:
            return 0
    from .report.chart import render_png

    out = Path(args.out or f"voiceskill-report-{last.isoformat()}.html")
    _write_private(out, render(data, render_png(data.nights)))
    print(f"Wrote {out}: {data.nights_checked} nights checked of {args.days}, legs bothered on "
          f"{data.nights_bothered}. Open it in a browser to read or print it.")
    return 0


def _speak(lines: list[str], name: str, speak: bool, to_wav: str | None = None) -> None:
    """Printed always (the person may not hear it); spoken with the voice the listener asked
    for, as `voiceskill say` speaks."""
    for line in lines:
        print(line)
    sys.stdout.flush()
    if not speak:
        return
    from .config import load_settings
    from .errors import AudioError, EngineError
    from .remembered import announce_remembered, remembered_voice
    from .voice import build_speaker

    _, remembered = remembered_voice(name, sys.stderr, saving=False)
    settings = load_settings(remembered=remembered)
    announce_remembered(settings, remembered)
    try:
        with build_speaker(settings) as speaker:
            if to_wav:
                seconds = speaker.save_wav(" ".join(lines), to_wav)
                print(f"Wrote {to_wav} ({seconds:.1f} s)")
            else:
                speaker.say(" ".join(lines))
    except (AudioError, EngineError) as err:
        print(f"voiceskill: the report could not be spoken ({err}); it is printed above",
              file=sys.stderr)


def _write_private(path: Path, text: str) -> None:
    """The report holds health details: readable by its owner only, like the journal."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
