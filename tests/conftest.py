"""Every test keeps remembered voice settings in its own folder, never in the user's home."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceskill.preferences import ENV_STATE_DIR


@pytest.fixture(autouse=True)
def _private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv(ENV_STATE_DIR, str(state))
    return state
