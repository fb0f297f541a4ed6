"""Every test keeps remembered voice settings in its own folder, never in the user's home; the
audio-stack fixtures come from the shared testing helper."""

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

