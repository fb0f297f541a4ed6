"""The expected answers scored against the audio, for a yes/no answer Whisper wrote as words
that mean nothing ("Math innately." for "definitely", "I." for "aye", "Quiet. Please.").

Whisper's free hearing is its best guess at any English at all; the question expects far
fewer things. CTranslate2's ``Whisper.align`` gives, for a given text, the probability of
each of its tokens after the ones before it, for this audio: how likely the text is. The
phrases of the check-in's vocabulary that look most like what was heard (and a plain yes, no
and not sure) are scored so, and the best is offered only when it beats every phrase of
another meaning by ``Rescue.margin`` and trails the free hearing itself by no more than
``Rescue.slack`` (an answer outside the list, "he snores terribly", scores far better as
heard than as any listed phrase). What is offered is always read back (docs/decisions/031).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .polarity import mixed
from .whisper_checks import HALLUCINATIONS, Guard, Heard, judge, normalise, polarity_differs
from .whisper_prompt import _sentence, _sound_key


@dataclass(frozen=True)
class Rescue:
    """When an expected answer scored against the audio is offered instead of the hearing."""

    margin: float = 4.5
    """Nats (natural-log units of probability) by which the best phrase must beat the best
    phrase of any other meaning. On the tuning half a wrong phrase led by 4.2 at most ("The
    time needs to go out." as "no", in pink noise; "Get us out." for "guess not" as a yes by
    3.1); the phrase said, where it scored best, led by 0.3 to 7.7 (docs/decisions/031)."""
    slack: float = 4.5
    """Nats by which the best phrase may score below the free hearing: an answer outside
    the list ("Alexa, what time is it?", "he snores terribly") mostly scores 6 to 13 better
    as heard than as any phrase. On the tuning half it turned away nothing the margin let
    through; it is there for such answers whose words sound like a phrase."""
    shortlist: int = 12
    """Phrases scored, the ones most like what was heard (each costs a pass of the decoder).
    For 10 of the 14 misheard yes/no answers and controls of the tuning half in quiet whose
    words are listed, the phrase said is among the 12 that sound most like the hearing."""
    pad_frames: int = 50
    """Encoder frames (20 ms each) kept after the utterance: the decoder then attends to the
    speech and one second after it rather than the whole window, five to seven times less
    work a phrase."""


@dataclass(frozen=True)
class Choice:
    """What scoring the phrases found: the phrase offered ("" for none) and why."""

    phrase: str
    why: str
    best: float = -math.inf
    rival: float = -math.inf
    heard: float = -math.inf


Meaning = tuple[str, str]
"""A phrase's intent and value as text: phrases with the same one compete as one."""

PLAIN = ("yes", "no", "i'm not sure")
"""Always scored, so that every meaning a yes/no answer may have has a phrase in the race."""


def likeness(phrase: str, heard: Sequence[str]) -> float:
    """How much ``phrase`` sounds like any of the hearings, 0..1, on the rough sound key the
    medicine names are matched with (soft c as s, ph as f, doubled letters single). Against
    the letters or the consonants alone it ranked the phrase said higher for the misheard
    answers of the tuning half ("Math innately." for "definitely": first of 447)."""
    key = _sound_key(phrase)
    return max((difflib.SequenceMatcher(None, key, _sound_key(t)).ratio() for t in heard),
               default=0.0)


def shortlist(pool: Sequence[str], heard: Sequence[str], n: int) -> list[str]:
    """The ``n`` phrases of ``pool`` most like the hearings, and the plain answers."""
    ranked = sorted(dict.fromkeys(pool), key=lambda p: -likeness(p, heard))
    return list(dict.fromkeys([*ranked[:n], *PLAIN]))


def written(phrase: str) -> str:
    """A phrase as Whisper writes one: capital first letter, "I", a full stop."""
    return _sentence(normalise(phrase)) + "."


def choose(scored: Sequence[tuple[str, Meaning, float]], heard: float, rescue: Rescue) -> Choice:
    """The phrase to offer from (phrase, meaning, log-probability) triples, given the best
    log-probability of the free hearings."""
    if not scored:
        return Choice("", "no phrase to score")
    phrase, meaning, best = max(scored, key=lambda s: s[2])
    rival = max((s for p, m, s in scored if m != meaning), default=-math.inf)
    if best - rival < rescue.margin:
        return Choice("", f"{phrase!r} beats another meaning by {best - rival:.1f} only",
                      best, rival, heard)
    if heard - best > rescue.slack:
        return Choice("", f"{phrase!r} scores {heard - best:.1f} below what was heard",
                      best, rival, heard)
    return Choice(phrase, "", best, rival, heard)


def may_score(heard: Heard, open_text: str, guard: Guard) -> bool:
    """Whether a prompted hearing that was turned away may still have the expected answers
    scored: only when Whisper's log-probability or a loop turned it away. Not when Whisper
    thought nobody spoke or wrote what it writes for noise (the guard's clips,
    ``benchmarks/whisper_guard.py``), nor when the two hearings disagree on a negation or
    hold a yes and a no: there the audio is the flip's, and it is asked again (024, 027)."""
    return (bool(judge(heard, guard)) and heard.no_speech_prob <= guard.max_no_speech
            and normalise(heard.text) not in HALLUCINATIONS
            and not polarity_differs(heard.text, open_text)
            and not mixed(heard.text) and not mixed(open_text))


def log_probabilities(model: Any, tokenizer: Any, encoded: Any, frames: int,
                      tokens: Sequence[Sequence[int]]) -> list[float]:
    """The log-probability of each token sequence for the audio, after Whisper's start
    sequence, from ``Whisper.align`` on the first ``frames`` encoder frames."""
    import ctranslate2
    import numpy as np

    if not tokens:
        return []
    kept = np.ascontiguousarray(np.array(encoded)[:, :frames])
    start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    scores: list[float] = []
    for at in range(0, len(tokens), BATCH):
        part = [list(t) for t in tokens[at:at + BATCH]]
        batch = ctranslate2.StorageView.from_array(np.repeat(kept, len(part), axis=0))
        results = model.align(batch, start, part, [frames * 2] * len(part))
        scores += [float(np.sum(np.log(np.maximum(r.text_token_probs, 1e-12))))
                   for r in results]
    return scores


BATCH = 6
"""Texts scored in one call. All 17 at once raised the process's peak memory from 360 MB to
530 MB on the tuning half (CTranslate2 keeps buffers of the largest shape it has seen); six
at a time kept it at 341 MB on a mixed run of shapes, and took a fifth less time."""


def rescue_answer(
    score: Callable[[Sequence[Sequence[int]]], list[float]],
    meaning: Callable[[str], Meaning | None],
    encode: Callable[[str], list[int]],
    pool: Sequence[str],
    heard: Sequence[Heard],
    rescue: Rescue,
) -> Choice:
    """Score the phrases of ``pool`` most like the ``heard`` texts against the audio
    (``score``, on tokens from ``encode``; the hearings on the tokens Whisper wrote), with
    their meanings (``meaning``: None for a phrase that means nothing here), and choose."""
    heard = [h for h in heard if normalise(h.text) and h.tokens]
    if not heard:
        return Choice("", "nothing was heard")
    texts = [h.text for h in heard]
    phrases = [p for p in shortlist(pool, texts, rescue.shortlist) if meaning(p) is not None]
    scores = score([encode(" " + written(p)) for p in phrases] + [h.tokens for h in heard])
    scored = [(p, meaning(p) or ("", ""), s)
              for p, s in zip(phrases, scores[:len(phrases)], strict=True)]
    chosen = choose(scored, max(scores[len(phrases):]), rescue)
    if chosen.phrase and (meaning(chosen.phrase) or ("", ""))[0] not in OFFERED:
        return Choice("", f"{chosen.phrase!r} is carried out without asking, never offered",
                      chosen.best, chosen.rival, chosen.heard)
    if chosen.phrase and any(_within(chosen.phrase, t) for t in texts):
        return Choice("", f"{chosen.phrase!r} was heard, with words that change it",
                      chosen.best, chosen.rival, chosen.heard)
    return chosen


def _within(phrase: str, text: str) -> bool:
    """Whether the words of ``phrase`` are all in ``text``, in a row. Such a phrase was not
    misheard: the understanding read it with the words around it and found no answer ("No
    one would know. I sleep alone.", "Right now."). Scored without an end, a phrase the
    hearing begins with scores as well as the hearing, so it would win (docs/decisions/031)."""
    said, heard = normalise(phrase).split(), normalise(text).split()
    return any(heard[i:i + len(said)] == said for i in range(len(heard) - len(said) + 1))

OFFERED = frozenset({"answer", "stop", "repeat", "help"})
"""What a scored phrase may be offered as: answers and a stop are read back first, and
"repeat" and "help" only say the question again. Skip, go back and the voice controls are
carried out without asking, so they only compete, never win."""


class Phrases:
    """The vocabulary's yes/no and control phrases, with what each means at a question."""

    def __init__(self, content: Any) -> None:
        from ..understanding import Understander

        vocab = content.vocabulary
        self._understander = Understander(content)
        self.pool = list(dict.fromkeys(
            [p for phrases in vocab.yes_no.values() for p in phrases]
            + [p for phrases in vocab.controls.values() for p in phrases]))
        self._cache: dict[tuple[str, Any], Meaning | None] = {}

    def meaning(self, text: str, expect: Any) -> Meaning | None:
        """(intent, value) of ``text`` said to ``expect``; None when it means nothing."""
        key = (text, expect)
        if key not in self._cache:
            said = self._understander.understand(text, expect)
            self._cache[key] = (None if said.intent == "unknown"
                                else (said.intent, str(said.value)))
        return self._cache[key]
