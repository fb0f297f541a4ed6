"""Warning signs described in a person's own words, with the negation that goes with them.

"No pain, but my left calf is swollen" answers the safety question with a yes, whatever the
"no" at its start; "no chest pain" alone is a no. Each red flag in prompts/red_flags.yaml
lists ``signs``: groups of word beginnings that must all appear in one clause ("calf swoll"
matches "my calf is swollen"). A clause is negated when a negating word comes before the
sign's words in it ("can't" is not one: "I can't breathe" affirms). Pure; no engine and no
I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .content import RedFlag

_CLAUSE_BREAKS = re.compile(r"[,.;:!?]|\b(?:but|though|although|except|however|and)\b")
_NEGATORS = frozenset(
    ["no", "not", "never", "without", "none", "nothing", "neither", "nor", "nope",
     "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "haven't", "hasn't",
     "nobody"]
)


def _clauses(text: str) -> list[list[str]]:
    text = text.lower().replace("\u2019", "'")
    parts = _CLAUSE_BREAKS.split(text)
    return [re.findall(r"[a-z0-9']+", p) for p in parts if p and p.strip()]


def _position(words: list[str], sign: str) -> int | None:
    """Where the sign's words begin in the clause, or None when one of them is absent."""
    first: int | None = None
    for stem in sign.split():
        hits = [i for i, w in enumerate(words) if w.startswith(stem)]
        if not hits:
            return None
        first = hits[0] if first is None else min(first, hits[0])
    return first


def mentioned(text: str, flags: Iterable[RedFlag]) -> tuple[set[str], set[str]]:
    """The questions of the flags whose signs the text affirms, and those it denies."""
    affirmed: set[str] = set()
    denied: set[str] = set()
    for words in _clauses(text):
        for flag in flags:
            for sign in flag.signs:
                at = _position(words, sign)
                if at is None:
                    continue
                negated = any(w in _NEGATORS for w in words[:at + 1])
                (denied if negated else affirmed).add(flag.question)
    return affirmed, denied - affirmed


def described(text: str, question: str, flags: Iterable[RedFlag],
              answers: Mapping[str, object]) -> list[str]:
    """The questions of other warning signs this answer describes, not yet answered yes."""
    affirmed, _ = mentioned(text, flags)
    return [q for q in sorted(affirmed) if q != question and answers.get(q) != "yes"]
