"""Words: text made into the words the readers look at, phrase tables, and numbers in words.

Recognisers and people write the same words in several ways ("dont", "don't", "do not");
``normalise`` makes them one, so every table and reader below sees a single spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
}
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"oh": 0, "nought": 0, "nil": 0, "fourty": 40})

# Spoken forms that recognisers and people write in several ways.
_SPELLINGS = {
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "arent": "aren't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "im": "i'm",
    "thats": "that's",
    "shes": "she's",
    "hes": "he's",
    "theyre": "they're",
    "whats": "what's",
    "mhm": "mm hmm",
    "mmhmm": "mm hmm",
    "mmhm": "mm hmm",
    "uhhuh": "uh huh",
    "uhuh": "uh uh",
    "okay": "okay",
    "ok": "okay",
    "id": "i'd",
    "ive": "i've",
    "couldnt": "couldn't",
    "wasnt": "wasn't",
    "yeh": "yeah",
    "naw": "nah",
    "ya": "yeah",
    "yah": "yeah",
    "cannot": "can't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "werent": "weren't",
    "youre": "you're",
    "lets": "let's",
    "nobodys": "nobody's",
    "noone": "no one",
    "nevermind": "never mind",
    "checkin": "check in",
}
# "I do not" is "I don't": without this "i do" matched and the "not" was lost, so "I do not"
# and "she is not" were heard as yes.
_NEGATED = {
    "do": "don't",
    "does": "doesn't",
    "did": "didn't",
    "is": "isn't",
    "are": "aren't",
    "was": "wasn't",
    "has": "hasn't",
    "have": "haven't",
    "can": "can't",
    "could": "couldn't",
    "would": "wouldn't",
    "should": "shouldn't",
    "will": "won't",
}


# Humming sounds as Whisper and people write them, however many letters: "Mmm-hmm.", "Mm-hm",
# "hmmm", "Mmm." (docs/decisions/035).
_HUMS = ((re.compile(r"m{2,}"), "mm"), (re.compile(r"h+m+"), "hmm"),
         (re.compile(r"m+h+m+"), "mm hmm"))


def _hum(word: str) -> str:
    for pattern, said in _HUMS:
        if pattern.fullmatch(word):
            return said
    return word


def normalise(text: str) -> list[str]:
    """Lower-case words with punctuation removed; apostrophes kept so "don't" stays one word."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(\d)\s*/\s*10\b", r"\1 out of ten", text)
    text = re.sub(r"[^a-z0-9' -]+", " ", text)
    text = text.replace("-", " ")
    words: list[str] = []
    for raw in text.split():
        w = raw.strip("'")
        if not w:
            continue
        if w == "not" and words and words[-1] in _NEGATED:
            words[-1] = _NEGATED[words[-1]]
            continue
        # "They've not mentioned it", "I'll not": as "they haven't", "I won't".
        if w == "not" and words and words[-1].endswith(("'ve", "'ll")) and len(words[-1]) > 3:
            said = words.pop()
            words += [said[:-3], "haven't" if said.endswith("'ve") else "won't"]
            continue
        words.extend(_SPELLINGS.get(w, _hum(w)).split())
    return words


# Said to the person asking, after an answer or a control: "nothing, love", "pardon, dear?".
VOCATIVES = frozenset(["love", "dear", "darling", "pet", "sweetheart", "duck", "hun"])


def without_vocative(words: Sequence[str]) -> list[str]:
    """``words`` without the words of address said last ("nothing, love" as "nothing")."""
    out = list(words)
    while len(out) > 1 and out[-1] in VOCATIVES:
        out.pop()
    return out


class PhraseTable:
    """Whole-word phrase matching, longest phrase first, without overlaps."""

    def __init__(self, entries: Iterable[tuple[str, object]]) -> None:
        self._by_len: dict[int, dict[tuple[str, ...], object]] = {}
        for phrase, value in entries:
            toks = tuple(normalise(phrase))
            if toks:
                self._by_len.setdefault(len(toks), {}).setdefault(toks, value)
        self._lengths = sorted(self._by_len, reverse=True)

    def find(self, words: Sequence[str]) -> list[tuple[int, int, object]]:
        """Non-overlapping matches as (start, end, value), in the order they were said."""
        taken = [False] * len(words)
        found: list[tuple[int, int, object]] = []
        for n in self._lengths:
            table = self._by_len[n]
            for i in range(len(words) - n + 1):
                if any(taken[i : i + n]):
                    continue
                value = table.get(tuple(words[i : i + n]))
                if value is not None:
                    found.append((i, i + n, value))
                    for k in range(i, i + n):
                        taken[k] = True
        return sorted(found, key=lambda m: m[0])

    def exact(self, words: Sequence[str]) -> object | None:
        return self._by_len.get(len(words), {}).get(tuple(words))

    def phrases(self) -> list[str]:
        return [" ".join(t) for n in self._lengths for t in self._by_len[n]]


def without(words: Sequence[str], table: PhraseTable) -> list[str]:
    """``words`` without those any phrase of ``table`` covers."""
    spans = table.find(words)
    drop = {k for s, e, _ in spans for k in range(s, e)}
    return [w for i, w in enumerate(words) if i not in drop]


def number_words(n: int) -> str:
    """0..999 in words, the way people say them: 82 -> "eighty two"."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens - 2] + (f" {_UNITS[unit]}" if unit else "")
    hundreds, rest = divmod(n, 100)
    head = f"{_UNITS[hundreds]} hundred"
    return head if rest == 0 else f"{head} and {number_words(rest)}"
