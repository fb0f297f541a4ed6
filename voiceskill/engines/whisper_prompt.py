"""What steers Whisper at each question: an initial prompt made of the answers it expects
(:func:`build_prompt`), and medicine names spelled as the medicine list spells them
(:func:`spell_medicines`), so that "sertraline" is not left as "certain lines".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from ..messages import Expectation
from .whisper_checks import normalise

PROMPT_TOKENS = 120
"""Token budget for the initial prompt. Whisper takes at most 223; a shorter prompt is
cheaper to decode and less likely to be repeated back in noise."""



def build_prompt(
    expect: Expectation, phrases: Sequence[str], medicines: Sequence[str],
    count: Callable[[str], int], budget: int = PROMPT_TOKENS,
) -> str:
    """The initial prompt for a question: answers it expects, as short sentences.

    Whisper reads a prompt as the text said just before, so words in it are more likely to be
    written, and written the same way. Medicine names come first where they may be said (they
    are what Whisper cannot spell), up to half the budget when a yes or no is as likely. At a
    number question, the numbers of its range as words and two example answers (with them
    Whisper wrote "about seventy" where without it wrote "I'm out"). Then the other phrases,
    taken evenly from the whole list so that none of its parts crowds out the controls.
    ``count`` gives a text's length in tokens.
    """
    said = [p for p in dict.fromkeys(normalise(x) for x in phrases)
            if p and p.split()[0] not in _SOUNDS and len(p.split()) <= 5]
    plain = [p for p in said if not set(p.split()) & _NUMBER_WORDS]
    chosen: list[str] = []
    if expect.kind == "medications" or expect.names_medicines:
        share = budget if expect.kind == "medications" else budget // 2
        chosen += _fit(_spread(list(dict.fromkeys(medicines))), share, count)
    if expect.kind == "number":
        chosen.append("Numbers: " + ", ".join(_range_words(expect)))
        examples = [p for p in said if p not in plain and len(p.split()) >= 2]
        chosen += [_sentence(p) for p in _spread(examples)[1:3]]
    used = sum(count(f" {c}.") for c in chosen)
    chosen += _fit([_sentence(p) for p in _spread(plain)], budget - used, count)
    return " ".join(f"{p}." for p in dict.fromkeys(chosen))


def _fit(items: list[str], budget: int, count: Callable[[str], int]) -> list[str]:
    """The first of ``items`` that fit in ``budget`` tokens, each followed by a full stop."""
    out: list[str] = []
    for item in items:
        cost = count(f" {item}.")
        if cost > budget:
            break
        out.append(item)
        budget -= cost
    return out


def _range_words(expect: Expectation) -> list[str]:
    """Every number of a small range; the tens of a large one ("twenty, thirty...")."""
    from ..understanding import number_words

    low = expect.low if expect.low is not None else 0
    high = expect.high if expect.high is not None else 10
    if high - low <= 12:
        return [number_words(n) for n in range(low, high + 1)]
    return [number_words(n) for n in range(max(10, low - low % 10), high + 1, 10)]


_SOUNDS = frozenset({"oh", "well", "um", "uh", "er", "hmm", "erm"})
"""Hesitation sounds: listed before answers for the grammar engines, noise in a prompt."""

_NUMBER_WORDS = frozenset({
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "seventy", "eighty", "ninety", "hundred", "once", "twice", "first", "second",
        "third", "fourth", "fifth", "sixth", "seventh", "couple"
})
"""Phrases with numbers are not taken one by one: with every age from 18 to 110 in the list,
an unclear "about seventy" came back as "Eighty eight", one of the prompt's phrases. The
numbers go in as one even list instead, so none of them is favoured."""


def _spread(items: list[str]) -> list[str]:
    """``items`` reordered so that every prefix samples the whole list evenly: the first, then
    every half, quarter, eighth... of the way."""
    order: dict[int, None] = {}
    step = 1 << max(0, (len(items) - 1).bit_length())
    while step >= 1:
        order.update(dict.fromkeys(range(0, len(items), step)))
        step //= 2
    return [items[i] for i in order]


def likely_medicines(text: str, medicines: Sequence[str], n: int = 12) -> list[str]:
    """The ``n`` medicine names that sound most like some words of ``text`` (one to three in
    a row, not counting "and", "take", "she"...), best first."""
    words = [w for w in normalise(text).split() if w not in _JOINS]
    keys = [_sound_key(" ".join(words[i : i + k]))
            for k in (1, 2, 3) for i in range(len(words) - k + 1)]
    keys = [k for k in keys if len(k) >= 3]
    if not keys:
        return []
    score = {
        m: max(difflib.SequenceMatcher(None, k, _sound_key(m)).ratio() for k in keys)
        for m in dict.fromkeys(medicines)
    }
    return sorted(score, key=lambda m: -score[m])[:n]


def spell_medicines(text: str, medicines: Sequence[str], min_ratio: float = 0.8) -> str:
    """``text`` with words that sound like a medicine name written as that name.

    Whisper spells a name it does not know as ordinary words ("sertraline" as "certain
    lines"); the text understanding only finds names spelled nearly right. Compared on a rough
    sound key (soft c as s, hard c and q as k, ph as f, y as i, z as s, doubled letters
    single), one to three words in a row
    that come within ``min_ratio`` of a name, and are about as long, become the name. Used only
    where medicines may be named, and every medicine heard is read back before it counts.
    """
    names = {_sound_key(m): m for m in medicines if len(_sound_key(m)) >= 5}
    spelled = {normalise(m) for m in medicines}
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        best: tuple[float, int, str] | None = None
        for n in (3, 2, 1):
            span = words[i : i + n]
            key = _sound_key(" ".join(span))
            if len(span) < n or len(key) < 5 or key in _PLAIN_KEYS or _exact(span, spelled):
                continue
            for name_key, name in names.items():
                if min(len(key), len(name_key)) / max(len(key), len(name_key)) < 0.75:
                    continue
                ratio = difflib.SequenceMatcher(None, key, name_key).ratio()
                if ratio >= min_ratio and (best is None or ratio > best[0]):
                    best = (ratio, n, name)
        if best is None:
            out.append(words[i])
            i += 1
        else:
            out.append(best[2])
            i += best[1]
    return " ".join(out)


def _exact(span: list[str], spelled: set[str]) -> bool:
    """A span that holds a name already spelled right, or a word no name is made of ("yes",
    "take", "and"), is left as it is."""
    return any(normalise(w) in spelled or normalise(w) in _JOINS for w in span)


_JOINS = frozenset({
        "yes", "no", "i", "i'm", "take", "takes", "taking", "and", "a", "an", "the", "my",
        "her", "his", "their", "of", "at", "with", "some", "also", "too", "just", "for",
        "on", "but", "or", "she", "he", "they", "it", "them", "every", "each", "night",
        "day", "morning"
})


def _sound_key(text: str) -> str:
    key = re.sub(r"[^a-z]", "", text.lower())
    for pattern, sound in (("ph", "f"), ("c(?=[eiy])", "s"), ("ck|c|qu|q", "k"), ("x", "ks"),
                           ("z", "s"), ("y", "i")):
        key = re.sub(pattern, sound, key)
    return re.sub(r"(.)\1+", r"\1", key)


_PLAIN_KEYS = frozenset(_sound_key(w) for w in (
    "nothing", "sometimes", "maybe", "really", "don't know", "not sure", "every night",
    "i think so", "i don't", "thanks", "thank you", "please", "medicine", "medicines",
    "tablets", "vitamins", "yes i do", "no i don't", "i take", "none at all",
))
"""Everyday words a medicine name must never replace, whatever they sound like."""


def _sentence(phrase: str) -> str:
    fixed = re.sub(r"\bi\b", "I", phrase)
    return fixed[:1].upper() + fixed[1:]
