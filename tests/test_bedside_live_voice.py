"""`voiceskill listen` keeps a voice change for later nights, end to end on the virtual audio
stack: in the relief routine the person says "slower"; the program is stopped; the next
`voiceskill listen` starts with the slower voice, read from the same voice store
`voiceskill checkin` uses."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

import tests.test_live_listen as live
from tests.test_live_listen import Running, wake_and_ask
from voiceskill.preferences import ENV_STATE_DIR
from voiceskill.testing.audiostack import AudioStack, SpeakerWatch

pytestmark = [pytest.mark.audiostack, pytest.mark.voice]


def test_slower_said_in_the_relief_routine_starts_the_next_run(
        audiostack: AudioStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fastest voice, so the steps are read quickly; "slower" takes it to 200.
    monkeypatch.setattr(live, "CONFIG", live.CONFIG + "rate: 220\n")
    stack = dataclasses.replace(audiostack, env=dict(audiostack.env, **{
        ENV_STATE_DIR: str(tmp_path / "state")}))
    run = Running(stack, tmp_path)
    watch = SpeakerWatch(stack)
    try:
        assert not any("as asked for on an earlier night" in line for line in run.err)
        wake_and_ask(run, "my legs are twitching")
        step = run.wait_for("says: ", after=run.wait_for("request relief"), timeout=20)
        step = run.wait_for("says: ", after=step + 1, timeout=20)  # the first step
        watch.wait_quiet(time.monotonic() - 0.5, quiet=0.5, timeout=30)
        run.say("slower")
        run.wait_for("voice now 200 words a minute", after=step, timeout=20)
        code, _ = run.stop()
    finally:
        watch.stop()
        if run.proc.poll() is None:
            run.proc.kill()
    assert code == 0
    again = Running(stack, tmp_path)
    try:
        code, _ = again.stop()
    finally:
        if again.proc.poll() is None:
            again.proc.kill()
    assert any("Voice: 200 words a minute, as asked for on an earlier night" in line
               for line in again.err), again.err
