"""Medicine names for pocketsphinx: their pronunciations and the grammar of a list of them.

Almost no medicine name is in the dictionary bundled with pocketsphinx, so a spoken
"sertraline" could never be recognised. ``medicine_words.dict`` holds reviewed pronunciations
(regenerate drafts with ``python -m voiceskill.engines.pronounce``); they are added to the
grammar decoder at start-up.

The medicine question is answered with a short list ("sertraline and some benadryl", "I take
zoloft", "none"), so its grammar is one to :data:`MAX_ITEMS` of the expected phrases with the
small words people put around them. Each extra item costs a phrase prior, which keeps the
grammar from explaining unrelated talk as a string of short brand names, and every word of
the answer must fit its own stretch of audio nearly as well as the phone loop does
(:func:`worst_fit`), not just the answer as a whole.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DICT_PATH = Path(__file__).with_name("medicine_words.dict")
"""Reviewed pronunciations of medicine words the bundled dictionary lacks (cmudict format)."""

MAX_ITEMS = 3
"""Longest list the grammar accepts; people name more over several answers, not in one."""

LIST_MARGIN_OFFSET = 3.0
"""Added to the recogniser's per-frame rejection cut-off for list answers. With
:func:`worst_fit` the plain cut-off already turns away unrelated talk; three points stricter
holds unrelated talk and unlisted medicines where they were before the recogniser scored
more Gaussians per senone (``sphinx_recognizer._TOPN``), which raised list margins."""

CONFIDENT_ABOVE = 6.0
"""How far above the rejection cut-off a list answer's margin must be for confidence 0.5.
Unlisted medicines that sound like listed ones ("naproxen", "eltroxin") pass the cut-off
now and then but rarely by much, so the dialog reads such guesses back instead of taking
them (measured with espeak-ng and flite voices)."""

# Words said around the names; every word must be in the bundled dictionary. Each filler is
# also a cheap way for the grammar to explain unrelated talk, so the list is short.
_LEAD_IN = ("i take", "i'm taking", "i'm on")
_BEFORE = ("some",)
_AFTER = ("tablets", "pills")
_BETWEEN = ("and", "also")
_TRAILING = ("that's all",)

_SKIP_LEAD_IN = 0.9
_SKIP_BEFORE = 0.9
_SKIP_AFTER = 0.9
_ANOTHER = 0.05
"""Chance that another name follows one; each extra name also pays its phrase prior."""
_SKIP_BETWEEN = 0.0
"""Names in a row without "and" between them; none, as strings of short names ("iron",
"nope", "what") fit almost any sentence."""
_SKIP_TRAILING = 0.95


def worst_fit(margin: float, words: Sequence[Any], loop: Sequence[Any], logmath: Any) -> float:
    """The answer's margin, or its worst-fitting word's margin if that is lower.

    ``words`` are the grammar path's word segments and ``loop`` the phone loop's segments;
    each word is compared with the loop over the same frames. Forced onto a sentence, a list
    of names fits on average but not at its joints: an "and" stretched over "the weather"
    scores far below the loop there, while every word of a real answer fits its own frames.
    """
    spans = [(s.start_frame, s.end_frame, logmath.log(s.ascore)) for s in loop]
    worst = margin
    for w in words:
        frames = w.end_frame - w.start_frame + 1
        # The loop's score over the word's frames, sharing a phone cut by a boundary.
        fit = 0.0
        for start, end, score in spans:
            overlap = min(end, w.end_frame) - max(start, w.start_frame) + 1
            if overlap > 0:
                fit += score * overlap / (end - start + 1)
        worst = min(worst, (logmath.log(w.ascore) - fit) / frames)
    return worst


@functools.cache
def read_dict(path: Path = DICT_PATH) -> tuple[tuple[str, str], ...]:
    """(word, phones) in file order; alternates keep their ``(2)`` so they follow their base."""
    entries = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                word, phones = line.split(maxsplit=1)
                entries.append((word, " ".join(phones.split())))
    return tuple(entries)


def add_words(decoder: Any, *paths: Path) -> int:
    """Add the pronunciations of ``paths`` (by default ``DICT_PATH``) that ``decoder``'s
    dictionary lacks; returns how many were added.

    Only the last word updates the search: rebuilding it per word would cost seconds.
    """
    entries = [entry for path in paths or (DICT_PATH,) for entry in read_dict(path)]
    todo = [(w, p) for w, p in entries if decoder.lookup_word(w) is None]
    for i, (word, phones) in enumerate(todo):
        decoder.add_word(word, phones, i == len(todo) - 1)
    return len(todo)


def filler_words() -> set[str]:
    """Every word the list grammar may add around the phrases."""
    phrases = (*_LEAD_IN, *_BEFORE, *_AFTER, *_BETWEEN, *_TRAILING)
    return {w for p in phrases for w in p.split()}


def list_transitions(phrases: Sequence[str]) -> list[tuple[int, int, float, str]]:
    """Arcs (from, to, probability, word) of the list grammar, start state 0, final state 1."""
    return _list_graph(tuple(phrases)).arcs


def accepts(words: str, phrases: Sequence[str]) -> bool:
    """Whether the list grammar of ``phrases`` reaches its final state on ``words``."""
    return _list_graph(tuple(phrases)).accepts(words.split())


@functools.lru_cache(maxsize=4)
def _list_graph(phrases: tuple[str, ...]) -> _Graph:
    g = _Graph()
    prior = 1.0 / max(len(phrases), 1)
    after_lead_in = g.state()
    g.optional(0, after_lead_in, _LEAD_IN, _SKIP_LEAD_IN)
    end = g.state()
    g.optional(end, 1, _TRAILING, _SKIP_TRAILING)
    slot = after_lead_in
    for k in range(MAX_ITEMS):
        named, done = g.state(), g.state()
        before = g.state()
        g.optional(slot, before, _BEFORE, _SKIP_BEFORE)
        for phrase in phrases:
            g.words(before, named, phrase.split(), prior)
        g.optional(named, done, _AFTER, _SKIP_AFTER)
        if k == MAX_ITEMS - 1:
            g.skip(done, end, 1.0)
            break
        joined, slot = g.state(), g.state()
        g.skip(done, end, 1.0 - _ANOTHER)
        g.skip(done, joined, _ANOTHER)
        g.optional(joined, slot, _BETWEEN, _SKIP_BETWEEN)
    g.close()
    return g


class _Graph:
    """A word graph with skip (empty) arcs, turned into pocketsphinx's word-only arcs.

    The FSG search follows one empty arc per step at most, so :meth:`close` removes them:
    every word arc is copied to each state that reaches its source through empty arcs.
    """

    def __init__(self) -> None:
        self._states = 2
        self._word_arcs: list[tuple[int, int, float, str]] = []
        self._skips: dict[int, list[tuple[int, float]]] = {}
        self.arcs: list[tuple[int, int, float, str]] = []

    def state(self) -> int:
        self._states += 1
        return self._states - 1

    def words(self, src: int, dst: int, words: list[str], prob: float) -> None:
        state = src
        for i, word in enumerate(words):
            target = dst if i == len(words) - 1 else self.state()
            self._word_arcs.append((state, target, prob if i == 0 else 1.0, word))
            state = target

    def skip(self, src: int, dst: int, prob: float) -> None:
        self._skips.setdefault(src, []).append((dst, prob))

    def optional(self, src: int, dst: int, phrases: Iterable[str], skip: float) -> None:
        choices = list(phrases)
        if skip > 0.0:
            self.skip(src, dst, skip)
        for phrase in choices:
            self.words(src, dst, phrase.split(), (1.0 - skip) / len(choices))

    def close(self) -> None:
        by_source: dict[int, list[tuple[int, float, str]]] = {}
        for src, dst, prob, word in self._word_arcs:
            by_source.setdefault(src, []).append((dst, prob, word))
        closures = [self._closure(s) for s in range(self._states)]
        best: dict[tuple[int, int, str], float] = {}
        for src in range(self._states):
            for via, p_via in closures[src].items():
                for dst, prob, word in by_source.get(via, ()):
                    targets = [(dst, 1.0)]
                    # A word that can end the answer also goes straight to the final state.
                    if dst != 1 and 1 in closures[dst]:
                        targets.append((1, closures[dst][1]))
                    for target, p_end in targets:
                        key = (src, target, word)
                        best[key] = max(best.get(key, 0.0), p_via * prob * p_end)
        self.arcs = [(s, d, p, w) for (s, d, w), p in best.items()]
        self._next: dict[int, list[tuple[int, str]]] = {}
        for s, d, _, w in self.arcs:
            self._next.setdefault(s, []).append((d, w))

    def _closure(self, state: int) -> dict[int, float]:
        """States reachable from ``state`` through empty arcs, with the best probability."""
        reach = {state: 1.0}
        todo = [state]
        while todo:
            s = todo.pop()
            for t, p in self._skips.get(s, ()):
                q = reach[s] * p
                if q > reach.get(t, 0.0):
                    reach[t] = q
                    todo.append(t)
        return reach

    def accepts(self, words: list[str]) -> bool:
        current = {0}
        for word in words:
            current = {d for s in current for d, w in self._next.get(s, ()) if w == word}
            if not current:
                return False
        return 1 in current
