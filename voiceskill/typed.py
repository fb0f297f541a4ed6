"""Reading one typed or piped answer: bounded, and never fatal for the bytes it is given.

An answer pasted from a file in another encoding ("Zoloft®" from a Windows-1252 file) must
not end the check-in and lose the answers before it: bytes that are not UTF-8 are replaced
and the person is told. A line is at most ``MAX_LINE`` characters; a stream that never ends
its line (standard input from ``/dev/zero``) is read in bounded pieces and, past
``MAX_DISCARD``, taken as the end of input, so memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TextIO

MAX_LINE = 1000
"""Characters in one answer; the longest real answer, a list of medicines, is under 200."""
MAX_DISCARD = 1 << 20
"""Bytes skipped looking for the end of an overlong line before giving up on the input."""

UNREADABLE = "(Some characters in that answer could not be read and were left out.)"
TOO_LONG = f"(That answer was too long, over {MAX_LINE} characters; only the start was kept.)"
NOT_TEXT = "(The input does not look like typed answers, so the check-in ends here.)"


@dataclass(frozen=True)
class Line:
    text: str | None
    """The answer without its line ending; None at the end of input."""
    note: str = ""
    """What the person should know about how it was read, or empty."""


def read_line(stream: TextIO | None) -> Line:
    """The next answer from ``stream``, read as bytes when it has them."""
    if stream is None:
        return Line(None)  # started with standard input closed: nothing will be typed
    raw: IO[bytes] | None = getattr(stream, "buffer", None)
    if raw is None:
        # A text stream without bytes underneath (a test's StringIO): already decoded.
        return _from_text(stream)
    data = raw.readline(MAX_LINE * 4 + 1)  # a UTF-8 character is at most four bytes
    if not data:
        return Line(None)
    notes = []
    if not data.endswith(b"\n") and len(data) > MAX_LINE * 4:
        if not _skip_to_newline(raw):
            return Line(None, NOT_TEXT)
        notes.append(TOO_LONG)
    text = data.decode("utf-8", errors="replace")
    if "\ufffd" in text and "\ufffd".encode() not in data:
        notes.insert(0, UNREADABLE)
        text = text.replace("\ufffd", " ")
    if len(text.rstrip("\r\n")) > MAX_LINE and TOO_LONG not in notes:
        notes.append(TOO_LONG)
    return Line(text.rstrip("\r\n")[:MAX_LINE], " ".join(notes))


def _from_text(stream: TextIO) -> Line:
    text = stream.readline(MAX_LINE + 1)
    if not text:
        return Line(None)
    if len(text) > MAX_LINE and not text.endswith("\n"):
        while True:
            rest = stream.readline(MAX_LINE)
            if not rest or rest.endswith("\n"):
                break
        return Line(text[:MAX_LINE], TOO_LONG)
    return Line(text.rstrip("\r\n"))


def _skip_to_newline(raw: IO[bytes]) -> bool:
    """Skip the rest of an overlong line; False when no line end came within MAX_DISCARD."""
    skipped = 0
    while skipped < MAX_DISCARD:
        piece = raw.readline(1 << 16)
        if not piece or piece.endswith(b"\n"):
            return True
        skipped += len(piece)
    return False
