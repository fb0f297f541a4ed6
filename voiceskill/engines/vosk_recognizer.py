"""Vosk behind the :class:`~voiceskill.recognizer.Recognizer` interface.

Each utterance runs through Kaldi recognisers fed the same chunks in the same loop:

* a *constrained* pass whose grammar is the expected phrases (plus ``[unk]`` when the model
  has that word), which is what gets returned, and
* an *open* pass with the model's full language model, which is only a witness,

and, when the question has second-try phrases ("um, seventy" at a number question), a third
whose grammar adds them, judged only when the first is rejected.

A Vosk grammar forces a match, so a constrained result is judged against the open pass
before it is believed: the rules and their reasons are in ``vosk_judge`` (re-exported here,
where callers have always found them). Vosk JSON is turned into
:class:`~voiceskill.messages.Word` there and goes no further.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import EngineError
from ..messages import SAMPLE_RATE, Expectation, Transcript, Word
from ..models import check_vosk_model
from .vosk_judge import (
    UNK,
    RejectionPolicy,
    Verdict,
    agrees,
    judge,
    mean_confidence,
    normalise,
    parse_result,
)
from .vosk_passes import Pass, display_name, load_model

log = logging.getLogger(__name__)

_GRAMMAR_CACHE_SIZE = 32

__all__ = [
    "UNK", "RejectionPolicy", "Verdict", "VoskRecognizer", "agrees", "judge", "mean_confidence",
    "normalise", "parse_result",
]


class VoskRecognizer:
    """Vosk with per-question grammars, open-pass rejection and a second try.

    One instance per model; not safe to call ``recognize`` from two threads at once.
    """

    def __init__(self, model_dir: str | Path, *, policy: RejectionPolicy | None = None) -> None:
        try:
            import vosk
        except ImportError as err:
            raise EngineError(
                "the Vosk speech engine is not installed: pip install vosk "
                "(or pip install 'voiceskill[voice]')"
            ) from err
        folder = check_vosk_model(Path(model_dir).expanduser())
        # Level -1 keeps Kaldi's start-up chatter off the person's terminal; warnings about
        # dropped grammar words cannot occur because grammars are filtered first.
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        self.model_dir = folder
        self.policy = policy or RejectionPolicy()
        self._model, self.model_load_seconds = load_model(vosk, folder)
        self.name = f"vosk (model {display_name(folder)})"
        self._known: dict[str, bool] = {}
        self._warned: set[str] = set()
        self._has_unk = self.knows(UNK)
        self._open: Pass | None = None
        self._grammars: OrderedDict[tuple[str, ...], Pass] = OrderedDict()
        self.last_verdict: Verdict | None = None
        """The decision on the last constrained utterance, for logs and benchmarks."""

    # ------------------------------------------------------------------ vocabulary

    def knows(self, word: str) -> bool:
        """True when ``word`` is in the model's vocabulary (a grammar can use it)."""
        if word not in self._known:
            self._known[word] = bool(word) and self._model.vosk_model_find_word(word) >= 0
        return self._known[word]

    def vocabulary_gaps(self, phrases: Iterable[str]) -> list[str]:
        """Words of ``phrases`` the model does not know, each once, in first-seen order.

        Vosk silently drops such words from a grammar, which would quietly turn
        "restless legs" into "legs"; a build-time test should expect this list to be empty.
        """
        gaps: dict[str, None] = {}
        for phrase in phrases:
            for word in normalise(phrase).split():
                if not self.knows(word):
                    gaps[word] = None
        return list(gaps)

    def filter_phrases(self, phrases: Iterable[str]) -> list[str]:
        """The normalised ``phrases`` whose every word the model knows, duplicates removed."""
        kept: dict[str, None] = {}
        dropped: list[str] = []
        for phrase in phrases:
            norm = normalise(phrase)
            if not norm:
                continue
            if all(self.knows(w) for w in norm.split()):
                kept[norm] = None
            else:
                dropped.append(norm)
        fresh = [d for d in dropped if d not in self._warned]
        if fresh:
            # Once per phrase: the same question is asked every night.
            self._warned.update(fresh)
            log.warning("%s: phrases with words the model does not know were left out: %s",
                        self.name, ", ".join(fresh))
        return list(kept)

    def grammar_json(self, phrases: Iterable[str]) -> str | None:
        """The grammar given to Vosk for ``phrases``, or None when no phrase survives.

        UTF-8 as is (``ensure_ascii=False``): Vosk matches grammar words byte for byte
        against its vocabulary, so escaped Hangul would never match.
        """
        kept = self.filter_phrases(phrases)
        # An empty grammar crashes vosk 0.3.45 (segfault on "[]"), so there is none.
        return self._grammar_for(kept) if kept else None

    def _grammar_for(self, kept: list[str]) -> str:
        return json.dumps([*kept, UNK] if self._has_unk else kept, ensure_ascii=False)

    # ------------------------------------------------------------------ recognition

    def reset(self) -> None:
        """Nothing to forget: every answer gets a recogniser of its own."""

    def recognize(
        self,
        audio: Iterable[bytes],
        expect: Expectation,
        phrases: Sequence[str],
        second_try: Sequence[str] = (),
    ) -> Transcript:
        """Decode one utterance while it arrives; see the module docstring for rejection.

        ``second_try`` phrases ("um, seventy") are listened for by a third recogniser, fed
        alongside the others so that it adds no wait at the end, whose grammar is ``phrases``
        and them; its result counts only when the first is rejected and it is one of them."""
        wanted = [p for p in (normalise(p) for p in phrases) if p]
        # A Vosk model's vocabulary lacks most medicine brands, and its grammar would drop
        # them silently: medicine answers are recognised freely and left to understanding.
        constrained = bool(wanted) and expect.kind != "medications"
        kept = self.filter_phrases(wanted) if constrained else []
        retry = (
            [p for p in self.filter_phrases(normalise(p) for p in second_try) if p not in kept]
            if kept
            else []
        )
        open_pass = self._open_pass()
        grammar_pass = self._grammar_pass(kept) if kept else None
        retry_pass = self._grammar_pass(kept + retry) if retry else None
        results, seconds = self._decode(audio, open_pass, grammar_pass, retry_pass)
        heard = results[0]
        heard_text = " ".join(w.text for w in heard if w.text != UNK)
        if not constrained:
            self.last_verdict = None
            return Transcript(
                text=heard_text,
                confidence=mean_confidence(heard),
                words=tuple(heard),
                engine=self.name,
                heard=heard_text,
                audio_seconds=seconds,
            )
        said, verdict = self._judge(results, kept, retry)
        self.last_verdict = verdict
        if verdict.accepted:
            return Transcript(
                text=verdict.phrase,
                confidence=mean_confidence(said),
                words=tuple(said),
                engine=self.name,
                heard=heard_text,
                audio_seconds=seconds,
            )
        log.debug("%s rejected %r: %s", self.name, verdict.phrase, verdict.reason)
        # No words from the open pass means no speech: that is silence, not a wrong answer.
        return Transcript(
            text="",
            confidence=0.0,
            engine=self.name,
            rejected=bool(heard_text),
            heard=heard_text,
            audio_seconds=seconds,
        )

    def _decode(
        self, audio: Iterable[bytes], open_pass: Pass, grammar_pass: Pass | None,
        retry_pass: Pass | None,
    ) -> tuple[list[list[Word]], float]:
        """Feed every pass the same chunks; the words of each pass present (open pass
        first) and the seconds of audio."""
        passes = [p for p in (open_pass, grammar_pass, retry_pass) if p is not None]
        offsets = [p.start() for p in passes]
        samples = 0
        carry = b""
        try:
            for chunk in audio:
                data = carry + chunk
                # Vosk takes whole 16-bit samples; an odd byte would shift every later sample.
                carry = data[-1:] if len(data) % 2 else b""
                data = data[: len(data) - len(carry)]
                if not data:
                    continue
                samples += len(data) // 2
                for p in passes:
                    p.feed(data)
            results = [p.finish(off) for p, off in zip(passes, offsets, strict=True)]
        except BaseException as err:
            # A half-fed recogniser has an unknown time base; make fresh ones next time.
            self._forget(grammar_pass, retry_pass)
            if _is_vosk_failure(err):
                raise EngineError(f"{self.name}: the engine failed while decoding ({err})") from err
            raise
        return results, samples / SAMPLE_RATE

    def _judge(self, results: list[list[Word]], kept: list[str], retry: list[str]
               ) -> tuple[list[Word], Verdict]:
        """The constrained words and the verdict on them, the second try counted only when
        the first is rejected."""
        heard = results[0]
        if not kept:
            return [], Verdict(False, "", "no expected phrase is in the model's vocabulary")
        said = results[1]
        verdict = judge(said, heard, set(kept), self.policy)
        if retry and not verdict.accepted:
            again = results[2]
            second = judge(again, heard, set(kept + retry), self.policy)
            # Only a second-try phrase is taken from it: a plain answer or a control the
            # first grammar turned away stays turned away.
            if second.accepted and second.phrase in retry:
                return again, second
        return said, verdict

    def _open_pass(self) -> Pass:
        if self._open is None:
            rec = self._vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE))
            rec.SetWords(True)
            self._open = Pass(rec)
        return self._open

    def _grammar_pass(self, kept: list[str]) -> Pass:
        key = tuple(kept)
        cached = self._grammars.get(key)
        if cached is not None:
            self._grammars.move_to_end(key)
            return cached
        rec = self._vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE), self._grammar_for(kept))
        rec.SetWords(True)
        made = Pass(rec)
        self._grammars[key] = made
        if len(self._grammars) > _GRAMMAR_CACHE_SIZE:
            self._grammars.popitem(last=False)
        return made

    def _forget(self, *grammar_passes: Pass | None) -> None:
        self._open = None
        for key, value in list(self._grammars.items()):
            if any(value is p for p in grammar_passes if p is not None):
                del self._grammars[key]


def _is_vosk_failure(err: BaseException) -> bool:
    # vosk's Python wrapper raises bare Exception for C-side failures; everything else
    # (an AudioError from the microphone, a KeyboardInterrupt) belongs to the caller.
    return type(err) is Exception
