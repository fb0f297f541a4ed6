"""Keep the audio libraries' own chatter out of what a person reads.

When a microphone is gone, every attempt to open it makes ALSA and PortAudio's ALSA layer
print several lines straight to the process's standard error ("ALSA lib pcm_pulse.c:758...",
"Expression 'ret' failed in 'src/hostapi/alsa/pa_linux_alsa.c'..."), below the reach of
Python's logging. The program already says what happened in one line of its own, so these
lines only bury it, five at a time, on every retry.

``captured()`` points file descriptor 2 at a temporary file for the length of an open, then
puts it back: the libraries' lines go to the debug log, and anything else written meanwhile
(another thread's log line) is written to standard error as it was, so nothing is lost.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

log = logging.getLogger(__name__)

NATIVE = re.compile(r"^(ALSA lib |Expression '.*' failed in '|PaAlsa|\s*$)")
"""Lines the C libraries print themselves: ALSA's error handler and PortAudio's checks."""


def split(text: str) -> tuple[list[str], list[str]]:
    """The libraries' lines and everyone else's lines in ``text``, each in order."""
    native: list[str] = []
    other: list[str] = []
    for line in text.splitlines():
        (native if NATIVE.match(line) else other).append(line)
    return [line for line in native if line.strip()], other


@contextmanager
def captured() -> Iterator[None]:
    """Run the body with standard error's descriptor going to a temporary file (see above)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        # No usable descriptor 2 (a closed or replaced stderr): nothing to keep apart.
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            with suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            native, other = split(sink.read().decode("utf-8", "replace"))
            for line in native:
                log.debug("audio library: %s", line)
            if other:
                os.write(2, ("\n".join(other) + "\n").encode("utf-8", "replace"))
