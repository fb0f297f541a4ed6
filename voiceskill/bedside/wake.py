"""The wake word, found by microWakeWord (``pymicro-wakeword``, the engine of Home
Assistant's voice hardware) with the models its wheel ships. Imported lazily: the rest of
voiceskill runs without it. Each model keeps the probability cut-off shipped with it, except
where ``CUTOFFS`` says otherwise (docs/decisions/023 gives the figures)."""

from __future__ import annotations

from typing import Any, Protocol

from ..errors import EngineError

CUTOFFS = {"okay_nabu": 0.93}
"""At its shipped 0.85, "okay nabu" woke 3 times in an hour of television-like talk ("okay
now", "okay nurse"): each a chime in a quiet bedroom. At 0.93, none; on the tuning voices it
found 11 of 30 wake words instead of 15, on the held-out voices 21 instead of 23."""


class WakeDetector(Protocol):
    name: str

    def process(self, pcm: bytes) -> bool:
        """Feed 16 kHz mono int16 audio; true when the wake word ended within it."""
        ...

    def reset(self) -> None:
        """Forget what was heard (after the wake word, and after the skill has spoken)."""
        ...


class MicroWake:
    """One microWakeWord model, fed any length of audio (it works in 10 ms steps)."""

    def __init__(self, model_id: str, wake_word: str, cutoff: float | None = None) -> None:
        try:
            from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model
        except ImportError as err:
            raise EngineError(
                "the wake word needs the Python package pymicro-wakeword: "
                "pip install pymicro-wakeword"
            ) from err
        try:
            self._model: Any = MicroWakeWord.from_builtin(Model(model_id))
        except (ValueError, OSError) as err:
            raise EngineError(f"the wake word model {model_id!r} could not be loaded ({err})"
                              ) from err
        self._features_cls = MicroWakeWordFeatures
        self._features: Any = MicroWakeWordFeatures()
        if cutoff is None:
            cutoff = CUTOFFS.get(model_id, self._model.probability_cutoff)
        self.cutoff = float(cutoff)
        self.name = wake_word
        self.best = 0.0
        """The highest probability seen since the last reset (for logs and benchmarks)."""

    def process(self, pcm: bytes) -> bool:
        hit = False
        for features in self._features.process_streaming(pcm):
            p = self._model.process_streaming_prob(features)
            if p is None:
                continue
            self.best = max(self.best, p)
            if p > self.cutoff:
                hit = True
        return hit

    def reset(self) -> None:
        # The model keeps its sliding window (and its streaming state) across calls: after a
        # detection it would fire again on the same words.
        self._model.reset()
        self._features = self._features_cls()
        self.best = 0.0

    def close(self) -> None:
        self._model.close()
