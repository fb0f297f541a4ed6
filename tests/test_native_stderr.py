"""The audio libraries' own lines kept out of standard error, through a real descriptor swap."""

from __future__ import annotations

import logging
import os

import pytest

from voiceskill.engines import native_stderr

ALSA = ("ALSA lib pcm_pulse.c:758:(pulse_prepare) PulseAudio: Unable to create stream: "
        "No such entity")
PORTAUDIO = "Expression 'ret' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: 1812"


def test_library_lines_go_to_the_debug_log_and_others_stay(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=native_stderr.__name__), native_stderr.captured():
        # Written the way the C libraries write: straight to descriptor 2.
        os.write(2, f"{ALSA}\n\n{PORTAUDIO}\nthe microphone is not available\n".encode())
    err = capfd.readouterr().err
    assert "the microphone is not available" in err
    assert "ALSA lib" not in err and "Expression" not in err
    logged = [r.getMessage() for r in caplog.records]
    assert logged == [f"audio library: {ALSA}", f"audio library: {PORTAUDIO}"]


def test_descriptor_two_is_put_back_after_an_error(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), native_stderr.captured():
        raise RuntimeError("open failed")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_split_keeps_order_and_drops_blank_lines() -> None:
    native, other = native_stderr.split(f"one\n{ALSA}\n\n  \ntwo\n{PORTAUDIO}\n")
    assert native == [ALSA, PORTAUDIO]
    assert other == ["one", "two"]
