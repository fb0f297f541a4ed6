"""Whether a Vosk grammar result is an answer: the judgement on the constrained pass.

A Vosk grammar forces a match: unrelated talk comes back as the nearest listed phrase, often
with confidence 1.0 (vosk-api #1339), and some models have no ``[unk]`` to absorb it at all
(the small Korean model: vosk-api #2041). So a constrained result is accepted only when it is
exactly one listed phrase and either the open pass heard the same words, or the phrase is
confident *and* accounts for most of the speech the open pass heard. See :func:`judge`.

Pure: Vosk JSON text in, :class:`~voiceskill.messages.Word` and verdicts out; no engine is
imported here, so the rules are tested without a model.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..messages import Word

UNK = "[unk]"


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
