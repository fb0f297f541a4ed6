"""Answers in the question's own words ("he snores like a train", "no, I'm a woman"): the
templates under ``says`` in prompts/questions.yaml, read with the reach of a negation
(docs/decisions/032 and 035). Split from ``yes_no``, whose reader reads the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..messages import Expectation
from .templates import expand
from .words import PhraseTable

_ASKING = frozenset(
    ["do", "does", "did", "am", "is", "are", "was", "have", "has", "can", "will", "would",
     "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "haven't", "hasn't", "can't",
     "won't", "wouldn't", "could", "were", "should", "shall", "want", "fancy"]
)
# How far a negation reaches before the question's own words: "he doesn't really snore".
_SCOPE = 3

# Said before the question's own words, these put them in the past ("I gave up coffee", "it
# used to be worse at night"): the answer is about then, not now, and is left unread.
_CEASED = (("gave", "up"), ("given", "up"), ("used", "to"), ("no", "longer"), ("stopped",),
           ("quit",), ("cut", "out"), ("anymore",), ("any", "more"))


@lru_cache(maxsize=256)
def _own_table(own: tuple[tuple[str, str], ...]) -> PhraseTable:
    """The question's own answer words as a phrase table, each template expanded ("(snore|
    snores)": both)."""
    return PhraseTable((p, value) for phrase, value in own for p in expand(phrase))



def _asks_someone(words: Sequence[str]) -> bool:
    """A question put to someone ("do you want a cup of tea?", "are you tired, love?"): talk
    in the room, not an answer, whatever words of the question's own it holds."""
    return len(words) > 2 and words[1] in ("you", "ya") and words[0] in _ASKING


def _negating(word: str) -> bool:
    """A word that negates what follows it. A plain "no" does not: "no, he snores" is a no
    and a yes, not "he doesn't snore"."""
    return word in ("not", "never", "nothing", "nobody", "hardly") or word.endswith("n't")


# A negation does not reach across these: "not really, but I'm tired of it all".
_TURNS = frozenset(["but", "though", "although", "except", "just", "only"])


def affirmed(words: Sequence[str], expect: Expectation, no_apart: bool = False) -> bool:
    """Whether a yes of the question's own is said with no negation reaching it, whatever
    else the answer holds ("not really, but I'm tired of it all" holds "tired of it all";
    "no, I'd never hurt myself" does not). A negation stops at a turn ("but", "just"); an
    answer about the past or put to someone else affirms nothing."""
    if not expect.own_answers:
        return False
    found = _own_table(expect.own_answers).find(words)
    inside = {k for s, e, _ in found for k in range(s, e)}
    ceased = [range(i, i + len(c)) for c in _CEASED for i in range(len(words))
              if tuple(words[i : i + len(c)]) == c]
    if any(not inside.issuperset(span) for span in ceased) or _asks_someone(words):
        return False
    for s, _, value in found:
        if value != "yes":
            continue
        before = list(range(max(0, s - _SCOPE), s))
        turn = max((i for i in before if words[i] in _TURNS), default=-1)
        reach = [i for i in before if i > turn]
        if any(_negating(words[i]) for i in reach):
            continue
        if reach and reach[-1] == s - 1 and words[s - 1] == "no" and not no_apart:
            continue  # "no swelling": a determiner that denies it
        return True
    return False


_HOW_OFTEN = frozenset(["always", "usually", "often", "sometimes", "still", "mostly",
                       "normally", "generally", "soon"])

UNTOLD = "untold"
"""``own_words``' meaning for own words whose yes or no cannot be told."""


def own_answer(words: Sequence[str], expect: Expectation) -> str | None:
    """The meaning of the question's own words in ``words``, or ``None`` (see ``own_words``)."""
    return own_words(words, expect)[0]


def own_words(words: Sequence[str], expect: Expectation,
              no_apart: bool = False) -> tuple[str | None, list[str]]:
    """The question's own answer words ("no, I'm a woman" to "Are you a man?"; "he snores
    like a train" to "Do you snore loudly?"), longest first (docs/decisions/032).

    A negation up to three words before a yes of the question's own makes it a no ("he
    doesn't snore", "it never goes away for good"), a plain no before a no of its own goes
    with it ("no, it's the same all day"); a negated no ("I'm not a woman") is ``UNTOLD``
    (docs/decisions/035). An answer whose own words disagree, that holds a negation
    reaching nothing of them ("I don't know if he snores"), or that speaks of the past ("I
    gave up coffee") is left to the yes/no reader. ``None``: nothing of the question's own
    was said, or it cannot be told.
    With it, the words left for the yes/no reader: those the own words and a negation of
    them do not cover ("it's the same all day" leaves "it's", not the yes of "all day").
    ``no_apart``: a "no" was written apart from what follows it ("No, coffee."), so it is no
    determiner ("no coffee").
    """
    if not expect.own_answers:
        return None, list(words)
    found = _own_table(expect.own_answers).find(words)
    if not found:
        return None, list(words)
    inside = {k for s, e, _ in found for k in range(s, e)}
    ceased = [range(i, i + len(c)) for c in _CEASED for i in range(len(words))
              if tuple(words[i : i + len(c)]) == c]
    # "He stopped breathing" is the question's own words, not a stop.
    if any(not inside.issuperset(span) for span in ceased) or _asks_someone(words):
        return None, list(words)
    values: set[str] = set()
    reached: set[int] = set()
    for s, _, value in found:
        before = range(max(0, s - _SCOPE), s)
        negation = [i for i in before if _negating(words[i])]
        # "No tablets", "no coffee": a "no" just before the question's own yes word is a
        # determiner that denies it, where "no, he snores" says a no and then a yes.
        if value == "yes" and s and words[s - 1] == "no" and not no_apart:
            negation.append(s - 1)
        if negation:
            if value != "yes":
                # "I'm not a woman", "he's not quiet", "it doesn't come back": a denied no
                # of the question's own, which the reader took for a no. Whether it is a
                # yes cannot be told ("it's not the same all day"): asked again.
                return UNTOLD, list(words)
            reached.update(negation)
            values.add("no")
        else:
            # "No, it's the same all day": a plain no before the question's own no is the
            # same answer; the own words stand, and the no goes with them.
            plain = [i for i in before if words[i] == "no"]
            if value != "yes" and plain:
                reached.update(plain)
            values.add(str(value))
    inside |= reached
    # "No, it always comes back": a word of how often before the own words is theirs, not
    # a weak yes of its own.
    for s, _, _ in found:
        k = s - 1
        while k >= 0 and words[k] in _HOW_OFTEN:
            inside.add(k)
            k -= 1
    if len(values) != 1 or any(_negating(w) for i, w in enumerate(words) if i not in inside):
        return None, list(words)
    return values.pop(), [w for i, w in enumerate(words) if i not in inside]
