"""The real speech output: pyttsx3 (espeak-ng on Linux), guarded against its hangs.

pyttsx3 is known to hang in ``runAndWait`` (a second call, a stuck driver loop), and a hang in
the speaking call would freeze the whole check-in. So the engine runs in a worker process that
this module starts and talks to over a pipe; every utterance has a deadline that scales with the
text, and a worker that misses it is killed (with its player) and started afresh on the next
call. Failures become ``AudioError`` so the session can print the prompt and carry on.

The worker (``pyttsx3_worker``) synthesises each utterance to a WAV file with ``save_to_file``
and plays it with ``aplay`` itself, instead of calling pyttsx3's ``say``: the espeak driver of
pyttsx3 2.99 plays through ``os.system("aplay ...")`` and ignores its exit status (a missing
sound device would pass silently), prints to stdout, and after any ``save_to_file`` keeps
writing later ``say`` calls to that same file instead of speaking them. Two more things the
worker does around pyttsx3: it waits for espeak-ng's own command queue before each utterance
(otherwise a changed rate or volume was dropped on some utterances), and it cuts espeak-ng's
closing pause, since the microphone stays muted until playback ends.

Figures on a 2-core Xeon with the virtual PulseAudio stack: the worker is ready 0.08-0.17 s
after it is started (Python, pyttsx3, espeak-ng and one warm-up utterance); the first word is
heard 0.02-0.06 s after ``say()`` is called; ``say()`` returns about 0.2 s after the last word.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import AudioError
from ..speech import Voice
from .pyttsx3_worker import WORKDIR_ENV, playback_problem, short_text

__all__ = ["START_TIMEOUT", "WORKDIR_ENV", "Pyttsx3Speaker", "playback_problem"]

START_TIMEOUT = 15.0
"""Seconds for the worker to import pyttsx3 and initialise espeak-ng (normally well under 1)."""


class Pyttsx3Speaker:
    """Speaks with pyttsx3 in a guarded worker process.

    ``timeout`` is the fixed allowance in seconds on top of what the text needs: synthesis may
    take ``timeout`` plus the expected speaking time, playback ``timeout`` plus the length of
    the synthesised audio. ``device`` is an ALSA device for ``aplay -D`` (``None``: default).
    ``worker_command`` replaces the worker (tests use it to stand in a hanging engine).
    One prompt at a time: it is not meant to be shared between threads.
    """

    name = "pyttsx3 (espeak-ng)"

    def __init__(
        self,
        voice: Voice | None = None,
        timeout: float = 5.0,
        *,
        device: str | None = None,
        chime: bool = True,
        start_timeout: float = START_TIMEOUT,
        worker_command: Sequence[str] | None = None,
        start: bool = True,
    ) -> None:
        self.voice = voice or Voice()
        self.timeout = timeout
        self.device = device
        self.chime = chime
        self.start_timeout = start_timeout
        self._command = list(worker_command) if worker_command else _default_command()
        self._proc: subprocess.Popen[bytes] | None = None
        self._workdir: Path | None = None
        self._pending = b""
        self.startup_seconds: float | None = None
        """Seconds from starting the worker until pyttsx3 was ready (last start)."""
        self.last_first_sound: float | None = None
        """Seconds from the last ``say()`` call until its audio started playing."""
        self.last_duration: float | None = None
        """Length in seconds of the last utterance's audio."""
        if worker_command is None and not _have_pyttsx3():
            raise AudioError("speech output needs pyttsx3 and espeak-ng: "
                             "pip install pyttsx3; apt-get install espeak-ng")
        if start:
            self._ensure_worker()

    # -- Speaker --------------------------------------------------------------------------

    def say(self, text: str, then_listen: bool = False) -> None:
        """Speak ``text`` and return when it has been played, or raise AudioError; with
        ``then_listen`` (and the chime on) the listening chime follows the last word."""
        if not text.strip():
            return
        called = time.monotonic()
        self._request({
            "op": "say", "text": text, "device": self.device, **self._voice(),
            "chime": bool(then_listen and self.chime),
        })
        try:
            reply = self._wait(self._synth_limit(text), text, expect=("playing", "error"))
            self.last_duration = float(reply.get("seconds", 0.0))
            self.last_first_sound = time.monotonic() - called
            self._wait(self.timeout + self.last_duration, text, expect=("done", "error"))
        except KeyboardInterrupt:
            # The worker is in its own session and does not get the Ctrl-C; silence it too.
            self._abandon()
            raise

    def save_wav(self, text: str, path: str | Path) -> float:
        """Write ``text`` as speech to a WAV file (the engine's own rate); return its length."""
        target = Path(path).resolve()
        if not target.parent.is_dir():
            # pyttsx3 would fail inside espeak's callback thread, where the reason is lost.
            raise AudioError(f"{path}: the folder {target.parent} does not exist")
        self._request({"op": "save", "text": text, "path": str(target), **self._voice()})
        reply = self._wait(self._synth_limit(text), text, expect=("done", "error"))
        return float(reply.get("seconds", 0.0))

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                try:
                    assert proc.stdin is not None
                    proc.stdin.write(b'{"op": "quit"}\n')
                    proc.stdin.flush()
                    proc.wait(timeout=1.0)
                except (OSError, subprocess.TimeoutExpired):
                    _kill(proc)
            _close_pipes(proc)
        self._remove_workdir()

    def __enter__(self) -> Pyttsx3Speaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    # -- worker plumbing ------------------------------------------------------------------

    @property
    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def _voice(self) -> dict[str, Any]:
        return {"rate": self.voice.rate, "volume": self.voice.volume, "voice": self.voice.voice}

    def _synth_limit(self, text: str) -> float:
        words = max(1, len(text.split()))
        return self.timeout + words * 60.0 / self.voice.rate

    def _ensure_worker(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        if self._proc is not None:
            # It died between prompts: clear up what it left and start another.
            self._abandon()
        started = time.monotonic()
        # Made here, not in the worker: a worker that is killed cannot clean up after itself.
        self._workdir = Path(tempfile.mkdtemp(prefix="voiceskill-tts-"))
        env = _worker_env()
        env[WORKDIR_ENV] = str(self._workdir)
        try:
            # A session of its own, so a timed-out worker is killed together with its player.
            self._proc = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        except OSError as err:
            self._remove_workdir()
            raise AudioError(f"speech output: could not start the pyttsx3 worker: {err}") from err
        self._pending = b""
        try:
            self._wait(self.start_timeout, "", expect=("ready", "error"))
        except AudioError:
            self._abandon()
            raise
        self.startup_seconds = time.monotonic() - started

    def _request(self, message: dict[str, Any]) -> None:
        self._ensure_worker()
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            proc.stdin.write(json.dumps(message).encode() + b"\n")
            proc.stdin.flush()
        except OSError as err:
            self._abandon()
            raise AudioError(f"speech output: the pyttsx3 worker went away ({err})") from err

    def _wait(self, limit: float, text: str, expect: tuple[str, ...]) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + limit
        while True:
            if b"\n" in self._pending:
                line, _, self._pending = self._pending.partition(b"\n")
                try:
                    reply = json.loads(line)
                except ValueError:
                    continue  # not ours: stray output from the engine or a library
                if not isinstance(reply, dict) or reply.get("event") not in expect:
                    continue
                if reply["event"] == "error":
                    raise AudioError(f"speech output: {reply.get('message', 'failed')}")
                return reply
            left = deadline - time.monotonic()
            if left <= 0:
                self._abandon()
                what = f"saying {short_text(text)}" if text else "starting pyttsx3"
                raise AudioError(
                    f"speech output: pyttsx3 got stuck {what} (no answer in {limit:.1f} s); "
                    "it was stopped and will be restarted"
                )
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                code = proc.wait()
                self._abandon()
                raise AudioError(f"speech output: the pyttsx3 worker exited (status {code})")
            self._pending += data

    def _abandon(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill(proc)
            _close_pipes(proc)
        self._remove_workdir()

    def _remove_workdir(self) -> None:
        workdir, self._workdir = self._workdir, None
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        # The worker leads its own process group (start_new_session), so this reaches its
        # aplay too and nothing keeps talking after we gave up on it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=2.0)


def _close_pipes(proc: subprocess.Popen[bytes]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _have_pyttsx3() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyttsx3") is not None


def _default_command() -> list[str]:
    return [sys.executable, "-m", "voiceskill.engines.pyttsx3_worker", "--worker"]


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # The worker must import this very package even when it runs from a source checkout.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env
