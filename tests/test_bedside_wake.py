"""The wake word on generated speech, placed inside minutes of other speech, noise and
silence: found where it was said, and nowhere else. The voices are ones the models find
(every second one with noise 10 dB down); how many voices they miss is measured by
``benchmarks/wake.py`` (docs/decisions/023), not here."""

from __future__ import annotations

import pytest

from voiceskill.bedside.wake import MicroWake
from voiceskill.testing.speech import need_espeak, pcm, with_noise

pytestmark = pytest.mark.voice

SECOND = 32000
TALK = [
    ("and now back to the studio for the latest news", "en-us+m3"),
    ("the president announced new tariffs today", "flite:slt"),
    ("can you pass me the remote", "en"),
    ("this program is brought to you by our sponsors", "flite:awb"),
    ("honey did you lock the door", "en-us+f3"),
    ("okay now turn it up a bit", "en-us"),
]


def found_at(wake: MicroWake, audio: bytes) -> list[float]:
    """Seconds into ``audio`` at which the wake word was found (reset after each)."""
    hits = []
    for i in range(0, len(audio), 3200):
        if wake.process(audio[i:i + 3200]):
            hits.append((i + 3200) / SECOND)
            wake.reset()
    return hits


@pytest.mark.parametrize(("model", "words", "voices"), [
    ("okay_nabu", "okay nabu", ["en-us", "en-us+m3", "flite:rms", "en"]),
    ("alexa", "alexa", ["flite:slt", "en-us+m3", "flite:rms", "en-us"]),
])
def test_found_where_it_was_said_among_minutes_of_other_sound(
        model: str, words: str, voices: list[str]) -> None:
    pytest.importorskip("pymicro_wakeword")
    need_espeak()
    talk = b"".join(pcm(t, v) + bytes(SECOND // 2) for t, v in TALK)
    audio, said_at = bytearray(), []
    for n, voice in enumerate(voices):
        audio += bytes(20 * SECOND)                       # a quiet room
        audio += talk                                     # someone else talking
        audio += with_noise(bytes(15 * SECOND) + talk, 0, seed=n)[:15 * SECOND]  # noise
        # The wake word, after the pause a person makes before speaking to a device.
        word = bytes(SECOND) + pcm(words, voice, 150)
        audio += word if n % 2 == 0 else with_noise(word, 10, seed=n)
        said_at.append(len(audio) / SECOND)
        audio += talk
    assert len(audio) / SECOND > 180  # more than three minutes
    hits = found_at(MicroWake(model, words), bytes(audio))
    assert len(hits) == len(said_at), (hits, said_at)
    for hit, end in zip(hits, said_at, strict=True):
        assert end - 0.6 <= hit <= end + 1.0, (hit, end)


def test_nothing_found_in_talk_alone() -> None:
    pytest.importorskip("pymicro_wakeword")
    need_espeak()
    talk = b"".join(pcm(t, v) + bytes(SECOND // 2) for t, v in TALK)
    for model, words in [("okay_nabu", "okay nabu"), ("alexa", "alexa")]:
        assert found_at(MicroWake(model, words), talk * 3) == []


def test_a_missing_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from voiceskill.errors import EngineError

    monkeypatch.setitem(sys.modules, "pymicro_wakeword", None)
    with pytest.raises(EngineError, match="pip install pymicro-wakeword"):
        MicroWake("okay_nabu", "okay nabu")


def test_the_study_scores_windows_as_the_model_does() -> None:
    """``benchmarks.wake --study`` runs the model once without its window and averages the
    steps afterwards: over its own window of 5 that must give what the model gives."""
    pytest.importorskip("pymicro_wakeword")
    need_espeak()
    from benchmarks.wake_study import raw_steps, smoothed

    audio = bytes(SECOND) + pcm("okay nabu", "en-us", 160) + bytes(SECOND)
    wake = MicroWake("okay_nabu", "okay nabu")
    for i in range(0, len(audio), 3200):
        wake.process(audio[i:i + 3200])
    best = max(p for _, p in smoothed(raw_steps("okay_nabu", audio), 5))
    assert wake.best > 0.5
    assert best == pytest.approx(wake.best, abs=1e-6)


def test_the_study_counts_a_wake_once_and_only_inside_its_second() -> None:
    from benchmarks.wake import SECOND as BYTES_A_SECOND
    from benchmarks.wake_study import study_found, study_hits

    # Steps every 30 ms; one burst of 10 high steps, and another 3 s later.
    steps = [(960 * k, 0.99 if k in range(50, 60) or k in range(150, 160) else 0.1)
             for k in range(300)]
    assert study_hits(steps, 5, 0.9) == 2
    assert study_hits(steps, 5, 0.995) == 0
    assert study_hits(steps, 12, 0.9) == 0  # a window longer than the burst averages it down
    # The first burst passes the cut-off at 1.6 s: found for a word said from 1 s to 1.2 s.
    # With only the second burst (4.6 s), it is more than a second late: not found.
    assert study_found([("quiet", BYTES_A_SECOND + 6400, steps)], 5, 0.9)["quiet"] == 1
    early = [(at, p if at >= BYTES_A_SECOND * 3 else 0.1) for at, p in steps]
    assert study_found([("pink10", BYTES_A_SECOND + 6400, early)], 5, 0.9)["pink10"] == 0
