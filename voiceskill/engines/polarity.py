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


_YES_WORDS = frozenset({"yes", "yeah", "yep", "yup", "aye", "mhm", "uh huh", "mm hmm"})
"""Words that are a yes on their own, as Whisper writes them ("Uh-huh" as two words)."""
_TURNS = frozenset({"but", "wait", "actually", "mean", "sorry", "rather", "though"})
"""Words that say which of two answers stands: a contrast ("no, but ...") or a correction
("no, wait, yes", "I mean")."""
_IDIOMS = ("yes and no", "no doubt", "no question", "no problem", "nothing else",
           "not anything else", "nothing more", "no others", "no other", "none other",
           "none others")
"""Phrases that hold a yes word or a "no" without being a yes and a no. "Nothing else" and
"no others" close a list ("yes, sertraline, nothing else"): their negation is of anything
more, not of the yes, and the text understanding reads the answer without them at the
medicines question. Whisper base wrote such answers there as said, and all were asked again
before (docs/decisions/031). "No more" is not here: after a name it can mean the medicine was
stopped ("sertraline, no more")."""


def mixed(text: str) -> bool:
    """Whether ``text`` holds a yes word and a negation with nothing saying which stands:
    "Yes. I am not.", "Yep, not me." ("no, but actually, yes" says it; "yes and no" is one
    answer, not sure).

    Typed, such an answer is read the way it is written (the last word stands, as in "yeah,
    no", Burridge and Florey 2002); heard, it is the shape Whisper gives when it adds or drops
    a "not" ("yep, that's me" written "Yep. Not me.", "I nod off" written "I'm not off"), so
    which one was said cannot be told from the words (docs/decisions/027)."""
    plain = " ".join(re.sub(r"[^a-z' ]+", " ", text.lower().replace("\u2019", "'")
                            .replace("-", " ")).split())
    for idiom in _IDIOMS:
        plain = re.sub(rf"\b{idiom}\b", " ", plain)
    words = plain.split()
    pairs = {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
    said_yes = bool((set(words) | pairs) & _YES_WORDS)
    return said_yes and negated(plain) and not set(words) & _TURNS
