"""A private PulseAudio server with a virtual microphone and speaker, for live audio tests.

Two null sinks, ``bedside_speaker`` (what the skill says)
and ``mic_feed`` (whatever plays there is what the microphone hears, through the remapped
source ``virtual_mic``). The server runs in its own XDG_RUNTIME_DIR, so it cannot disturb or be
disturbed by any other PulseAudio on the machine, and it is a child of the test run, stopped by
its process id.

PortAudio reads the audio configuration once, when ``sounddevice`` is imported, so code that
records through the stack runs in a subprocess started with the stack's environment:
``stack.run("tests.test_live_audio:scenario_x", arg=...)`` calls that function there and returns
what it returned (JSON). The subprocess runs in the stack's ``root`` (the project folder, where
pytest runs) so that it can import the test modules.

The fixtures ``audiostack`` (one server for each test process: with ``pytest -n 3`` each
xdist worker has its own, so live tests run in all of them at once) and ``own_audiostack``
(one per test) are made available to the tests by importing them in ``conftest.py``.
``SpeakerWatch`` listens to the virtual speaker, so a scripted person answers only once the
skill has spoken.
"""

from __future__ import annotations

import array
import contextlib
import importlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

RESULT_MARK = "@@audiostack-result@@ "
EVENT_MARK = "@@audiostack-event@@ "
MODULES = (
    "module-native-protocol-unix",
    "module-null-sink sink_name=bedside_speaker",
    "module-null-sink sink_name=mic_feed",
    "module-remap-source master=mic_feed.monitor source_name=virtual_mic",
)


class StackUnavailable(Exception):
    """PulseAudio (or a tool the tests need) is missing or would not start; says why."""


@dataclass
class AudioStack:
    runtime_dir: Path
    server: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)
    """Where subprocesses run, and what they import from first (the project folder)."""

    def pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def play_into_mic(self, wav: str | Path) -> subprocess.Popen[bytes]:
        """Start playing ``wav`` into the virtual microphone (the caller waits or not)."""
        return subprocess.Popen(["paplay", "--device=mic_feed", str(wav)], env=self.env)

    def run(self, target: str, timeout: float = 40.0, **kwargs: Any) -> dict[str, Any]:
        """Run ``module:function(**kwargs)`` in a subprocess that sees only this stack."""
        done = subprocess.run(
            [sys.executable, "-m", __name__, target, json.dumps(kwargs)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
        )
        return _result(target, done.returncode, done.stdout, done.stderr)

    def start(self, target: str, **kwargs: Any) -> subprocess.Popen[str]:
        """Like ``run`` but returns at once; read events with ``wait_event``."""
        return subprocess.Popen(
            [sys.executable, "-m", __name__, target, json.dumps(kwargs)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.root,
        )

    @property
    def alive(self) -> bool:
        return self.server.poll() is None

    def stop(self) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=5)
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


def start_stack(root: Path | None = None, timeout: float = 10.0) -> AudioStack:
    """Start a private PulseAudio with the virtual devices, or raise StackUnavailable.

    ``root`` (by default the current folder) is where subprocesses run and import from."""
    root = (root or Path.cwd()).resolve()
    for tool in ("pulseaudio", "pactl", "paplay", "parec"):
        if shutil.which(tool) is None:
            raise StackUnavailable(
                f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
            )
    # Named after the xdist worker ("gw0") too, so a leftover folder says which process made it.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    runtime = Path(tempfile.mkdtemp(prefix=f"voiceskill-pulse-{worker}-"))
    env = dict(os.environ)
    env.update(
        XDG_RUNTIME_DIR=str(runtime),
        PULSE_RUNTIME_PATH=str(runtime / "pulse"),
        PULSE_SERVER=f"unix:{runtime / 'pulse' / 'native'}",
        PYTHONPATH=os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p),
        # Check-ins started here must neither read nor change the voice remembered in the home.
        VOICESKILL_STATE_DIR=str(runtime / "state"),
    )
    log = (runtime / "server.log").open("wb")
    command = ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--log-target=stderr"]
    command += [f"--load={m}" for m in MODULES]
    server_env = {k: v for k, v in env.items() if k != "PULSE_SERVER"}
    try:
        server = subprocess.Popen(command, env=server_env, stdout=log, stderr=log)
    finally:
        log.close()
    stack = AudioStack(runtime, server, env, root)
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            text = (runtime / "server.log").read_text(errors="replace").strip().splitlines()
            shutil.rmtree(runtime, ignore_errors=True)
            raise StackUnavailable(
                f"PulseAudio exited at start (status {server.returncode}): "
                + (text[-1] if text else "no output")
            )
        try:
            stack.pactl("info")
            break
        except (RuntimeError, subprocess.TimeoutExpired) as err:
            if time.monotonic() > deadline:
                stack.stop()
                raise StackUnavailable(f"PulseAudio did not answer within {timeout:.0f} s") from err
            time.sleep(0.1)
    stack.pactl("set-default-source", "virtual_mic")
    stack.pactl("set-default-sink", "bedside_speaker")
    return stack


def _running_stack(root: Path) -> Iterator[AudioStack]:
    try:
        stack = start_stack(root)
    except StackUnavailable as err:
        pytest.skip(f"no virtual audio stack: {err}")
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def audiostack(request: pytest.FixtureRequest) -> Iterator[AudioStack]:
    """One private PulseAudio for this test process (each xdist worker starts its own, in its
    own runtime folder and socket); the tests skip if it cannot start."""
    yield from _running_stack(request.config.rootpath)


@pytest.fixture
def own_audiostack(request: pytest.FixtureRequest) -> Iterator[AudioStack]:
    """A private PulseAudio for one test, which may stop it (a device going away)."""
    yield from _running_stack(request.config.rootpath)


def wait_event(proc: subprocess.Popen[str], name: str, timeout: float = 20.0) -> dict[str, Any]:
    """Wait for ``emit(name, ...)`` from a subprocess started with ``AudioStack.start``."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(EVENT_MARK):
            event: dict[str, Any] = json.loads(line[len(EVENT_MARK) :])
            if event.get("event") == name:
                return event
    raise AssertionError(f"subprocess never reported {name!r}")


def finish(proc: subprocess.Popen[str], target: str, timeout: float = 20.0) -> dict[str, Any]:
    """Collect the result of a subprocess started with ``AudioStack.start``."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return _result(target, proc.returncode, out, err)


def emit(event: str, **fields: Any) -> None:
    """Report progress from inside a scenario (read by ``wait_event``)."""
    print(EVENT_MARK + json.dumps({"event": event, **fields}), flush=True)


class SpeakerWatch:
    """Listens to the virtual speaker so the scripted person knows when the skill has spoken."""

    def __init__(self, stack: AudioStack) -> None:
        self.proc = subprocess.Popen(
            ["parec", "--device=bedside_speaker.monitor", "--rate=16000", "--channels=1",
             "--format=s16le", "--latency-msec=50"],
            env=stack.env, stdout=subprocess.PIPE,
        )
        self.last_sound = 0.0
        self.sound_seconds = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self.proc.stdout is not None
        while True:
            block = self.proc.stdout.read(1600)
            if not block:
                return
            samples = array.array("h")
            samples.frombytes(block[: len(block) - len(block) % 2])
            level = math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))
            if level > 300:
                self.last_sound = time.monotonic()
                self.sound_seconds += len(samples) / 16000

    def wait_quiet(self, since: float, quiet: float = 0.7, timeout: float = 90.0) -> None:
        """Wait until the skill has spoken after ``since`` and then been quiet for ``quiet`` s."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.last_sound > since and time.monotonic() - self.last_sound > quiet:
                return
            time.sleep(0.05)
        raise AssertionError("the skill never finished speaking")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=5)


def interrupt(proc: subprocess.Popen[str]) -> str:
    """End a check-in as Ctrl-C would (what was answered is kept); returns what it logged."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    return proc.stderr.read() if proc.stderr else ""


def _result(target: str, code: int | None, stdout: str, stderr: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    raise AssertionError(f"{target} failed (status {code}):\n{stderr[-3000:]}")


def _main(argv: list[str]) -> int:
    target, raw = argv[0], argv[1] if len(argv) > 1 else "{}"
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(**json.loads(raw))
    with contextlib.suppress(BrokenPipeError):
        print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
