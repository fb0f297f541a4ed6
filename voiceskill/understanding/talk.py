"""Talk that only sounds like a no: a negation whose verb is not the question's.

"I don't", "never", "it's not" are a no when they echo the question ("I don't", "never
have", "I don't drink at all" to "do you have coffee in the evening?"); followed by a verb
or word of their own ("I never said that", "it's not over yet", "he never scores from
there") they deny something else, and the answer is not a no but talk (docs/decisions/035).
The question's words are those of its text, for oneself and for a caregiver, and of its own
answers (``says``); a word counts as the question's when one starts the other, so "drink"
is the question's at "energy drinks" and "snore" at "snoring".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any


def _listed(text: str) -> list[str]:
    return text.split()


# Words that carry no predicate of their own after a negation: "never had one", "I don't do
# that", "not even a little", "she hasn't got it", "not for years", "I don't other days".
_LIGHT = frozenset(_listed(
    """i i'm i've i'd me my it it's that that's this a an the she he they she's he's they're
    her his their them we you is am are was were be been being and but or so to of for in at
    do does did done have has had having get gets got getting go goes going feel feels felt
    one ones any anything anyone anybody anywhere some something much many ever even really
    yet still all like such those these there here now then again either too very that's
    thing things way lately recently years year ago since before far anymore more other
    day days night nights evening evenings morning mornings week weeks time times often
    usually always tonight today both either"""))
# Words of place that are never a question's own, though its own words hold them ("dead on
# my feet"): "he's never on time" is talk.
_NOT_TOPIC = frozenset(["on", "off", "up", "out", "by", "with", "from", "into"])
_FIRST = frozenset(["i", "i'm", "i've", "i'd", "i'll", "we", "we've", "you", "you've"])
# Another answer after the negation is no verb of its own: "he doesn't, not that I've seen".
_ANSWERING = frozenset(["not", "never", "no", "nope", "yes", "yeah"])
# How far after the negation its own verb may stand ("it's not really over").
_REACH = 2
_STEM = 4


def topic_words(texts: Iterable[str]) -> frozenset[str]:
    """The content words of a question's texts and own answers (templates' words included)."""
    out: set[str] = set()
    for text in texts:
        for w in re.findall(r"[a-z][a-z']*", text.lower()):
            w = w.strip("'")
            if w and w not in _LIGHT | _NOT_TOPIC and not w.startswith("{"):
                out.add(w)
    return frozenset(out)


def _the_questions(word: str, topic: frozenset[str]) -> bool:
    if word in topic:
        return True
    if len(word) < _STEM:
        return False
    return any(len(t) >= _STEM and (t.startswith(word) or word.startswith(t)) for t in topic)


def negated_elsewhere(words: Sequence[str], match: Sequence[Any], covered: set[int],
                      topic: frozenset[str], hedges: frozenset[str] = frozenset(),
                      hearsay: frozenset[str] = frozenset()) -> bool:
    """Whether the no of ``match`` (start, end, value) is a negation whose own verb follows
    it: the first word after it that is no light word, no filler and in no phrase, within
    ``_REACH`` words, and none of the question's. A hedge is no verb of its own ("I don't
    reckon"); nor is a word of hearsay with someone else as its subject ("she hasn't said
    so", "he's never mentioned it": nobody has told of it), where "I never said that" is."""
    start, end = match[0], match[1]
    if not _negates(words[start:end]):
        return False
    # The subject: the phrase's first word ("she hasn't"), or the word before "never".
    subject = words[start] if words[start] not in ("never", "not") else (
        words[start - 1] if start else "i")
    someone = subject not in _FIRST
    for i in range(end, min(len(words), end + _REACH + 1)):
        w = words[i]
        if (i in covered or w in _LIGHT or w in hedges or w in _ANSWERING
                or (someone and w in hearsay)):
            continue
        return not _the_questions(w, topic)
    return False


def _negates(phrase: Sequence[str]) -> bool:
    """A no made of a negation ("never", "I don't", "it's not"), not a no word ("no",
    "nope") or an idiom that is a whole answer ("not really", "not at all")."""
    last = phrase[-1]
    return last in ("not", "never") or last.endswith("n't")
