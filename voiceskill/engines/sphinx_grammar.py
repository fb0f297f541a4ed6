"""The finite-state grammars pocketsphinx listens with: one per set of phrases, compiled once
and kept (``Searches``), with silence allowed between the words (``PAUSE_PROB``).
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from . import sphinx_medicines as medicines

log = logging.getLogger(__name__)

PAUSE_PROB = 0.005
"""How freely a grammar lets silence sit between words, or before and after the answer."""

YES_NO_PAUSE_PROB = 0.05
"""The same for a yes/no question's grammar (its answers and the controls), with
``sphinx_checks._YES_NO_CUT_OFFSET``. In steady noise, with silence ten times as free, the
grammar more often fits the whole answer to its right phrase instead of a short one ("what",
"help") plus silence. Number grammars keep ``PAUSE_PROB``: there it cost numbers begun with a
sound ("um, seventy", on the second try) some of their right answers in quiet; medicine lists
keep it too, since their per-word fit test is set to it."""

SEARCH_CACHE = 16
"""Grammars kept compiled; a check-in uses only a handful of distinct phrase sets."""


class Searches:
    """The grammars compiled into one decoder, the most recently used kept."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self._names: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._serial = 0

    def for_phrases(self, phrases: list[str], listing: bool = False,
                    pause: float = PAUSE_PROB) -> str:
        """The name of the search listening for ``phrases`` (as a list of medicines when
        ``listing``), compiled at first use."""
        decoder, searches = self.decoder, self._names
        key = (f"[list {pause}]" if listing else f"[{pause}]", *phrases)
        name = searches.get(key)
        if name is not None:
            searches.move_to_end(key)
            return name
        self._serial += 1
        name = f"answers{self._serial}"
        arcs = medicines.list_transitions(phrases) if listing else transitions(phrases)
        fsg = decoder.create_fsg(name, 0, 1, arcs)
        # Silence may sit anywhere; a noise burst only before or after the answer.
        fsg.add_silence("<sil>", -1, pause)
        fsg.add_silence("[NOISE]", 0, 1e-4)
        fsg.add_silence("[NOISE]", 1, 1e-4)
        decoder.add_fsg(name, fsg)
        searches[key] = name
        if len(searches) > SEARCH_CACHE:
            _, old = searches.popitem(last=False)
            decoder.remove_search(old)
        return name



def transitions(phrases: list[str]) -> list[tuple[int, int, float, str]]:
    """Arcs of a grammar with one path per phrase, from state 0 to final state 1."""
    arcs: list[tuple[int, int, float, str]] = []
    next_state = 2
    prior = 1.0 / len(phrases)
    for phrase in phrases:
        words = phrase.split()
        state = 0
        for i, word in enumerate(words):
            last = i == len(words) - 1
            target = 1 if last else next_state
            if not last:
                next_state += 1
            arcs.append((state, target, prior if i == 0 else 1.0, word))
            state = target
    return arcs


def default_templates() -> tuple[str, ...]:
    """The yes/no wordings of ``prompts/grammar.yaml``, expanded (docs/decisions/024): the
    grammar hears them beside the question's own phrases, so that an answer such as "no
    ma'am" or "absolutely" is heard as itself instead of forced into a listed phrase."""
    from ..content.loader import default_prompts_dir
    from ..understanding.templates import load

    return tuple(load(default_prompts_dir()).phrases())


_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


def normalise_phrase(phrase: str) -> str:
    """Lower-case ``phrase``, fold typographic apostrophes and drop other punctuation."""
    text = phrase.lower().replace("\u2019", "'").replace("\u2018", "'").replace("-", " ")
    words = (w.strip("'") for w in _NOT_WORD.sub(" ", text).split())
    return " ".join(w for w in words if w)


def usable(phrases: Iterable[str], lookup: Callable[[str], Any]) -> list[str]:
    """The normalised ``phrases`` whose every word ``lookup`` finds, without repeats; the
    others are left out with a warning."""
    kept: dict[str, None] = {}
    dropped: list[str] = []
    for phrase in phrases:
        norm = normalise_phrase(phrase)
        if not norm:
            continue
        if all(lookup(w) is not None for w in norm.split()):
            kept[norm] = None
        else:
            dropped.append(phrase)
    if dropped:
        log.warning(
            "pocketsphinx: left out phrases with words its dictionary lacks: %s",
            ", ".join(repr(p) for p in dropped[:10]) + (" ..." if len(dropped) > 10 else ""),
        )
    return list(kept)
