"""`voiceskill listen` end to end through the virtual audio stack: the wake word played into
the virtual microphone, the earcon and the check-in heard on the virtual speaker, back to
waiting; SIGTERM during a check-in; the audio server going away and coming back.

The skill speaks at the fastest rate the settings allow (``rate`` in ``CONFIG``): these tests
prove the wake word, the earcon and the loop back to waiting, not the pace; the default pace is
proven by tests/test_live_voice_memory.py."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from voiceskill.audio import read_wav, seconds
from voiceskill.config import bounds
from voiceskill.testing.audiostack import MODULES, AudioStack, SpeakerWatch
from voiceskill.testing.speech import need_espeak, synth

pytestmark = [pytest.mark.audiostack, pytest.mark.voice]

EARCON_SECONDS = 0.16
CONFIG = f"rate: {bounds('rate')[1]}\nbedside:\n  reminder: off\n  quiet_hours: off\n"


class Running:
    """`voiceskill listen` in a subprocess, its output lines collected as they come."""

    def __init__(self, stack: AudioStack, tmp_path: Path) -> None:
        pytest.importorskip("pymicro_wakeword")
        pytest.importorskip("pocketsphinx")
        need_espeak()
        config = tmp_path / "config.yaml"
        config.write_text(CONFIG)
        self.stack = stack
        self.out: list[str] = []
        self.err: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "voiceskill", "listen", "--engine", "pocketsphinx",
             "--input-device", "pulse", "--config", str(config), "--verbose"],
            env=dict(stack.env, PYTHONPATH=str(stack.root)), cwd=stack.root,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for pipe, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._collect, args=(pipe, lines), daemon=True).start()
        self.wait_for("Listening for", timeout=60)

    @staticmethod
    def _collect(pipe: object, lines: list[str]) -> None:
        for line in pipe:  # type: ignore[attr-defined]
            lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60, where: str = "err",
                 after: int = 0) -> int:
        """The index of the first line after ``after`` containing ``text``."""
        lines = self.err if where == "err" else self.out
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for i, line in enumerate(lines[after:], start=after):
                if text in line:
                    return i
            if self.proc.poll() is not None and not any(text in x for x in lines[after:]):
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never came; stderr:\n" + "\n".join(self.err[-40:])
                             + "\nstdout:\n" + "\n".join(self.out[-20:]))

    def say(self, text: str) -> float:
        """Play ``text`` into the microphone and wait until it has played; returns when its
        last word ended (its file ends with 0.3 s of silence)."""
        wav = synth(text, "en-us", 140)
        started = time.monotonic()
        self.stack.play_into_mic(wav).wait(timeout=30)
        return started + seconds(read_wav(wav)) - 0.3

    def stop(self) -> tuple[int, float]:
        sent = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        time.sleep(0.2)
        return code, time.monotonic() - sent


def wake_and_ask(run: Running, request: str, after: int = 0) -> int:
    """Say the wake word, wait for the earcon as a person would, then ask."""
    watch = SpeakerWatch(run.stack)
    try:
        said_at = run.say("okay nabu")
        at = run.wait_for("wake word 'okay nabu' heard", timeout=15, after=after)
        watch.wait_quiet(said_at - 1.0, quiet=0.3, timeout=10)
    finally:
        watch.stop()
    run.say(request)
    return at


def test_wake_word_checkin_and_back_to_waiting(audiostack: AudioStack, tmp_path: Path) -> None:
    watch = SpeakerWatch(audiostack)
    run = Running(audiostack, tmp_path)
    try:
        quiet_before = watch.sound_seconds
        time.sleep(3)
        assert watch.sound_seconds == quiet_before, "no sound at all unless spoken to"
        said_at = run.say("okay nabu")
        run.wait_for("wake word 'okay nabu' heard", timeout=15)
        watch.wait_quiet(said_at - 1.0, quiet=0.3, timeout=10)
        earcon_after = watch.last_sound - EARCON_SECONDS - said_at
        time.sleep(0.2)
        run.say("start my check in")
        run.wait_for("First, a safety check", where="out")
        watch.wait_quiet(time.monotonic() - 0.5)
        answers = {"Do you want to stop": "yes", "Is that right": "yes",
                   "Say tell me more": "good night"}
        run.say("stop")
        seen = 0
        end = time.monotonic() + 120
        while time.monotonic() < end and "waiting for 'okay nabu'" not in "\n".join(run.err):
            for i, line in enumerate(run.out[seen:], start=seen):
                seen = i + 1
                for key, reply in answers.items():
                    if key in line:
                        watch.wait_quiet(time.monotonic() - 0.5)
                        run.say(reply)
            time.sleep(0.1)
        back = run.wait_for("waiting for 'okay nabu'", timeout=5)
        wake_and_ask(run, "how was this week", after=back)
        run.wait_for("request week", after=back)
        code, took = run.stop()
    finally:
        watch.stop()
        if run.proc.poll() is None:
            run.proc.kill()
    assert code == 0 and took < 10
    assert any("stopped (SIGTERM)" in line for line in run.err)
    print(f"earcon heard {earcon_after:.2f} s after the wake word finished playing")
    assert earcon_after < 1.5


def test_sigterm_during_a_checkin_ends_it_as_a_stop(audiostack: AudioStack,
                                                     tmp_path: Path) -> None:
    run = Running(audiostack, tmp_path)
    try:
        wake_and_ask(run, "bedtime check in")
        run.wait_for("First, a safety check", where="out")
        code, took = run.stop()
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
    assert code == 0 and took < 15, run.err[-10:]
    assert any("check-in cut short" in line for line in run.err)
    assert any("stopped (SIGTERM)" in line for line in run.err)
    assert not any("Traceback" in line for line in run.err)


def restart_server(stack: AudioStack, down: float) -> None:
    """The audio server goes away for ``down`` seconds and comes back with the same devices:
    to the program, the microphone was unplugged and plugged in again."""
    stack.server.terminate()
    stack.server.wait(timeout=10)
    time.sleep(down)
    server_env = {k: v for k, v in stack.env.items() if k != "PULSE_SERVER"}
    log = (stack.runtime_dir / "server2.log").open("wb")
    stack.server = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--log-target=stderr",
         *[f"--load={m}" for m in MODULES]], env=server_env, stdout=log, stderr=log)
    log.close()
    end = time.monotonic() + 10
    while True:
        try:
            stack.pactl("info")
            break
        except (RuntimeError, subprocess.TimeoutExpired):
            if time.monotonic() > end:
                raise
            time.sleep(0.1)
    stack.pactl("set-default-source", "virtual_mic")
    stack.pactl("set-default-sink", "bedside_speaker")


def test_microphone_gone_and_back(own_audiostack: AudioStack, tmp_path: Path) -> None:
    run = Running(own_audiostack, tmp_path)
    try:
        time.sleep(1)
        restart_server(own_audiostack, down=4)
        lost = run.wait_for("the microphone is not available", timeout=20)
        back = run.wait_for("the microphone is back", timeout=60, after=lost)
        time.sleep(2)
        wake_and_ask(run, "how was this week", after=back)
        run.wait_for("request week", after=back)
        code, _ = run.stop()
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
    assert code == 0
    losses = [line for line in run.err if "not available" in line]
    assert 1 <= len(losses) <= 4, losses  # a few log lines with growing waits, no busy loop
