"""Running the command line as a person would, with whatever went wrong around it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 2 << 30
"""Address space a probe may use: bounds the damage of a probe that would otherwise take
gigabytes (and makes it fail fast), while leaving room for the speech engines."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(
    *args: str,
    stdin: bytes | str | None = None,
    env: dict[str, str] | None = None,
    unprivileged: bool = False,
    timeout: float = 60,
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """``python -m voiceskill ARGS``; ``unprivileged`` runs it without root's power to read
    any file (CAP_DAC_OVERRIDE), so a file made unreadable stays unreadable when the tests
    run as root."""
    cmd = [sys.executable, "-m", "voiceskill", *args]
    if unprivileged and os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    data = stdin.encode() if isinstance(stdin, str) else stdin
    if "stdin_file" in kwargs:
        kwargs["stdin"] = kwargs.pop("stdin_file")
    full_env = {**os.environ, **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("preexec_fn", _limit_memory)
    done = subprocess.run(
        cmd, input=data, stderr=subprocess.PIPE, cwd=ROOT, timeout=timeout, env=full_env,
        **kwargs,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        (done.stdout or b"").decode("utf-8", "replace"),
        (done.stderr or b"").decode("utf-8", "replace"),
    )


def clean_failure(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """Exit ``code``, no traceback, one ``voiceskill: ...`` line naming each of ``words``."""
    err = proc.stderr
    assert proc.returncode == code, (proc.returncode, proc.stdout[-500:], err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith("voiceskill: ")]
    assert len(lines) == 1, err[-2000:]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert len(lines[0]) < 400, lines[0]
    return lines[0]


def unreadable(path: Path) -> Path:
    """Make ``path`` unreadable (for root too, when run ``unprivileged``)."""
    path.chmod(0)
    return path
