"""Numbers in an answer: "eighty two", "82", "twice", and "no, seventy five" to a read-back."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..content import Vocabulary
from ..messages import Expectation, Understood
from .words import NUMBER_WORDS, ORDINALS, PhraseTable


class NumberReader:
    """Reads the number an answer gives, checked against the question's range."""

    def __init__(self, vocab: Vocabulary, yes_no: PhraseTable, unsure: PhraseTable) -> None:
        self.phrases = PhraseTable(vocab.numbers.items())
        """Phrases that are a number ("twice", "most nights"), with the number."""
        self._yes_no = yes_no
        self._unsure = unsure
        self._other_units = frozenset(vocab.reading.get("other_units", ()))

    def answer(self, words: Sequence[str], text: str, expect: Expectation) -> Understood:
        """The number said, if within the question's range; else not sure or ``unknown``."""
        # "I've never counted" is not sure, not the "never" in it; "not sure, about sixty" is
        # sixty. "Twenty degrees" is no age.
        unsure = {k for s, e, _ in self._unsure.find(words) for k in range(s, e)}
        value = self.parse(self._without_other_units(
            [w for i, w in enumerate(words) if i not in unsure]
        ))
        if value is None:
            if unsure:
                return Understood("answer", "unsure", text)
            return Understood("unknown", None, text, "no number was heard")
        value = tens_and_units(value, expect)
        low, high = expect.low, expect.high
        if (low is not None and value < low) or (high is not None and value > high):
            return Understood("unknown", value, text, "out_of_range")
        return Understood("answer", value, text)

    def _without_other_units(self, words: list[str]) -> list[str]:
        """``words`` without numbers said with a unit that is not the question's."""
        out: list[str] = []
        for w in words:
            if w in self._other_units:
                while out and (out[-1].isdigit() or out[-1] in NUMBER_WORDS):
                    out.pop()
                continue
            out.append(w)
        return out

    def parse(self, words: Sequence[str], last: bool = False) -> int | None:
        """The first number said (``last``: the last), from digits, words ("eighty two"), or
        phrases ("twice")."""
        phrase_hits = self.phrases.find(words)
        taken = {k for s, e, _ in phrase_hits for k in range(s, e)}
        candidates: list[tuple[int, int]] = [(s, int(str(v))) for s, _, v in phrase_hits]
        # "Not every night, maybe four": a number phrase said with "not" is denied.
        denied = [c for c in candidates if c[0] and words[c[0] - 1] == "not"]
        i = 0
        while i < len(words):
            if i in taken:
                i += 1
                continue
            value, used = read_number(words, i)
            if used:
                candidates.append((i, value))
                i += used
            else:
                i += 1
        if len(candidates) > len(denied):
            candidates = [c for c in candidates if c not in denied]
        if not candidates:
            return None
        # "three times a week" beats the phrase inside it only when it comes first.
        if last:
            return max(candidates, key=lambda c: c[0])[1]
        return min(candidates, key=lambda c: c[0])[1]

    def correction(
        self, words: Sequence[str], text: str, expect: Expectation
    ) -> Understood | None:
        """The number in "no, seventy five" said to a read-back of a number.

        The last number said counts ("not three, four"). Phrases that are a no as well as
        the number 0 ("never", "none", "not at all") answer the read-back itself; "every
        night" and "most nights", a yes elsewhere, are numbers here. The number read back,
        said again, is a yes, or with a no a no. ``None`` when no number was said.
        """
        no_number = {
            k
            for s, e, _ in self._yes_no.find(words)
            if not self.phrases.exact(words[s:e])  # None, or the number 0
            for k in range(s, e)
        }
        rest = [w for i, w in enumerate(words) if i not in no_number]
        value = self.parse(rest, last=True) if rest else None
        if value is None:
            return None
        if value == expect.read_back:
            said_no = any(m == "no" for _, _, m in self._yes_no.find(words))
            return Understood("answer", "no" if said_no else "yes", text)
        low, high = expect.low, expect.high
        if (low is not None and value < low) or (high is not None and value > high):
            return Understood("unknown", value, text, "out_of_range")
        return Understood("answer", value, text)


def tens_and_units(value: int, expect: Expectation) -> int:
    """``value`` read as tens and units written side by side, when it is out of range only
    that way: a speech recogniser writes "seventy two" as "702" ("70" then "2"), so 702 at
    the age question is 72. Only three digits with a 0 in the middle ("804", never "800" or
    "750"), and only when the whole is out of range and the reading is in it; every number
    heard is read back before it counts (docs/decisions/031)."""
    digits = str(value)
    if len(digits) != 3 or digits[1] != "0" or digits[0] in "01" or digits[2] == "0":
        return value
    low = expect.low if expect.low is not None else 0
    high = expect.high if expect.high is not None else value
    read = int(digits[0]) * 10 + int(digits[2])
    return read if value > high and low <= read <= high else value


def number_range(expect: Expectation) -> range:
    low = expect.low if expect.low is not None else 0
    high = expect.high if expect.high is not None else 10
    return range(low, high + 1)


def read_number(words: Sequence[str], i: int) -> tuple[int, int]:
    """Read a number starting at words[i]; return (value, words used), used 0 if none."""
    w = words[i]
    if w.isdigit():
        return int(w), 1
    if re.fullmatch(r"\d+(st|nd|rd|th)", w):
        return int(re.sub(r"\D", "", w)), 1
    if w in ORDINALS:
        return ORDINALS[w], 1
    j = i
    total = 0
    current = 0
    used = False
    while j < len(words):
        t = words[j]
        if t in ("a", "an") and not used and j + 1 < len(words) and words[j + 1] == "hundred":
            current = 1
            used = True
            j += 1
            continue
        if t == "hundred" and used:
            current = max(current, 1) * 100
            j += 1
            continue
        if t == "and" and used and j + 1 < len(words) and words[j + 1] in NUMBER_WORDS:
            j += 1
            continue
        if t in NUMBER_WORDS:
            v = NUMBER_WORDS[t]
            if used and not (
                (v < 10 and current % 10 == 0 and current >= 20)
                or (current % 100 == 0 and current >= 100)
            ):
                break
            current += v
            used = True
            j += 1
            continue
        break
    if not used:
        return 0, 0
    total += current
    return total, j - i
