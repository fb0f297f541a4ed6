"""Whether words hold a negation: what the engines compare between two hearings of one answer
before they trust its yes or no (docs/decisions/024)."""

from __future__ import annotations

import re

NEGATIONS = frozenset({
    "no", "not", "nope", "nah", "never", "nobody", "none", "nothing", "neither", "nor",
    "negative", "cannot",
})
"""Words that turn an answer into a no, with every word ending in "n't"."""


def negated(text: str) -> bool:
    """Whether ``text`` holds a word of negation: "no", "not", "never", "doesn't"..."""
    words = re.sub(r"[^a-z' ]+", " ", text.lower().replace("\u2019", "'")).split()
    return any(w in NEGATIONS or w.endswith("n't") for w in words)


AFFIRMATIONS = frozenset({
    "yes", "yeah", "yep", "yup", "sure", "absolutely", "definitely", "certainly", "correct",
    "right", "true", "do", "does", "did", "am", "is", "are", "have", "has",
})
"""Words that make a grammar's phrase a yes: the only answers a lost negation turns round."""


def affirmed(text: str) -> bool:
    """Whether ``text`` holds a word of a yes ("yes", "sure", "she does"...) and no negation."""
    words = re.sub(r"[^a-z' ]+", " ", text.lower().replace("\u2019", "'")).split()
    return any(w in AFFIRMATIONS for w in words) and not negated(text)
