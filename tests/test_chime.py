"""The listening chime: two soft rising notes after a gap, no click, quieter with the voice."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from voiceskill.config import load_settings
from voiceskill.errors import ContentError
from voiceskill.speech import CHIME_GAP, CHIME_NOTES, CHIME_PEAK, listening_chime

pytestmark = pytest.mark.audio


def power_at(samples: Sequence[float], freq: float, rate: int) -> float:
    """Goertzel: the power of one frequency in a block."""
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


@pytest.mark.parametrize("rate", [16_000, 22_050])
def test_the_chime_is_a_gap_then_two_rising_notes(rate: int) -> None:
    chime = list(listening_chime(rate))
    gap = int(CHIME_GAP * rate)
    (low, low_s), (high, high_s) = CHIME_NOTES
    assert len(chime) == gap + int(low_s * rate) + int(high_s * rate)
    assert not any(chime[:gap])
    first = chime[gap : gap + int(low_s * rate)]
    second = chime[gap + int(low_s * rate) :]
    assert power_at(first, low, rate) > 20 * power_at(first, high, rate)
    assert power_at(second, high, rate) > 20 * power_at(second, low, rate)
    assert max(abs(x) for x in chime) <= 32767 * CHIME_PEAK
    assert max(abs(x) for x in chime) > 0.9 * 32767 * CHIME_PEAK
    # Faded in and out: no click at either end of a note.
    edge = int(0.004 * rate)
    for note in (first, second):
        assert max(abs(x) for x in note[:edge]) < 0.3 * 32767 * CHIME_PEAK
        assert max(abs(x) for x in note[-edge:]) < 0.3 * 32767 * CHIME_PEAK


def test_the_chime_is_as_quiet_as_the_voice() -> None:
    loud = max(abs(x) for x in listening_chime(16_000, 1.0))
    quiet = max(abs(x) for x in listening_chime(16_000, 0.4))
    assert quiet == pytest.approx(0.4 * loud, rel=0.01)


def test_the_chime_can_be_turned_off(tmp_path: Path) -> None:
    assert load_settings().chime
    config = tmp_path / "config.yaml"
    config.write_text("chime: false\n")
    assert not load_settings(str(config)).chime
    assert not load_settings(chime=False).chime
    config.write_text("chime: sometimes\n")
    with pytest.raises(ContentError) as err:
        load_settings(str(config))
    assert "chime" in str(err.value) and "true or false" in str(err.value)
