"""Shared by every test: remembered voice settings kept in a folder of the test's own, the
audio-stack fixtures from the shared testing helper, and how the tests are shared out between
processes (``pytest -n 2 --dist loadgroup``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceskill.preferences import ENV_STATE_DIR
from voiceskill.testing.audiostack import audiostack, own_audiostack

__all__ = ["audiostack", "own_audiostack"]  # fixtures, found by name


@pytest.fixture(autouse=True)
def _private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv(ENV_STATE_DIR, str(state))
    return state


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep together what must not be split between processes.

    The tests on the audio stack share one PulseAudio server. A recogniser carries what it
    heard into the next answer (its noise estimate, its cepstral mean), so the tests of one
    module that share a recogniser run in one process, in their written order, and hear the
    same answers on every run. Must run before xdist reads the groups.
    """
    for item in items:
        if item.get_closest_marker("audiostack"):
            item.add_marker(pytest.mark.xdist_group("audiostack"))
        elif item.get_closest_marker("voice"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
