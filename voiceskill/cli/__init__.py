"""The command line: `voiceskill checkin | understand | assess | validate | say | transcribe |
devices | voice | model`. Output formats here are a contract other tools rely on.

The parser and its command groups are in :mod:`voiceskill.cli.parser`; each group lives in a
module of its own. This module runs one command and turns any failure into one line and an
exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import Interrupted
from .answers_file import read_answers
from .exits import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_USAGE, report, tell
from .parser import build_parser

__all__ = ["main", "read_answers"]


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:
        # Started with standard output closed (`>&-`): nothing could ever be shown.
        print("voiceskill: standard output is closed; run it again with output to a terminal "
              "or a file", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    check = getattr(args, "check_args", None)
    if check is not None:
        check(args)  # a usage error: argparse prints usage and exits 2
    if getattr(args, "verbose", False):
        import logging

        logging.basicConfig(
            level=logging.INFO, format="voiceskill %(relativeCreated)8.0f ms %(name)s: %(message)s"
        )
    _stop_on_signals()
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a full disk is reported here, not after the exit code is chosen
        return code
    except Exception as err:
        return report(err, verbose=getattr(args, "verbose", False))
    except KeyboardInterrupt as err:
        why = f" ({err})" if isinstance(err, Interrupted) else ""
        tell(f"\nvoiceskill: stopped{why}.")
        return EXIT_INTERRUPTED


def _stop_on_signals() -> None:
    """SIGTERM (a service stopping, `timeout`) and SIGHUP (the terminal closed) end a command
    as Ctrl-C does: a check-in prints what was answered, temporary files are removed."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


if __name__ == "__main__":
    sys.exit(main())
