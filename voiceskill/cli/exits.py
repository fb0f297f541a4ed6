"""Exit codes and the one line on standard error that any failure becomes."""

from __future__ import annotations

import contextlib
import sys

from ..errors import (
    AudioError,
    AudioFileError,
    EngineError,
    ModelError,
    UsageError,
    VoiceskillError,
)

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_MISSING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
"""Exit codes, documented in the README: scripts and services tell the cases apart."""


def tell(line: str) -> None:
    """A line on standard error, which may itself be gone (the terminal closed: SIGHUP)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr)
        sys.stderr.flush()


def report(err: Exception, verbose: bool = False) -> int:
    """One line on standard error for any failure, and the exit code for its kind."""
    import errno

    if isinstance(err, OSError) and err.errno == errno.EPIPE:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        quiet_stdout()
        return EXIT_OK
    if isinstance(err, VoiceskillError):
        message = str(err)
        code = EXIT_USAGE if isinstance(err, UsageError) else EXIT_BAD_INPUT
        if isinstance(err, (AudioError, EngineError, ModelError)):
            code = EXIT_MISSING
        if isinstance(err, AudioFileError):
            code = EXIT_BAD_INPUT
    elif isinstance(err, OSError) and err.filename is not None:
        message = (
            f"{err.filename}: cannot be used ({err.strerror}); check the path and its permissions"
        )
        code = EXIT_BAD_INPUT
    elif isinstance(err, OSError):
        # Standard output on a full disk, /dev/full or a closed terminal.
        quiet_stdout()
        message = f"could not write the output ({err.strerror or err}); check where it goes"
        code = EXIT_BAD_INPUT
    else:
        if verbose:
            import traceback

            traceback.print_exc()
        message = (f"something unexpected went wrong ({type(err).__name__}: {_short(str(err))}); "
                   "please report it with the command that was run")
        code = EXIT_BAD_INPUT
    tell(f"voiceskill: {message}")
    return code


def quiet_stdout() -> None:
    # Output that cannot be written must not fail again, with a traceback, at exit.
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
