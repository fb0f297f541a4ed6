"""What recognisers listen for: the phrases that answer a question, and a second try."""

from __future__ import annotations

from ..content import Vocabulary
from ..messages import Expectation
from .numbers import number_range
from .words import ORDINALS, PhraseTable, number_words

_TEMPLATE = frozenset("()[]|")


class Listening:
    """The phrases a grammar-based recogniser is given for the question being asked."""

    def __init__(self, vocab: Vocabulary, medicines: PhraseTable, no_meds: PhraseTable) -> None:
        self._vocab = vocab
        self._medicines = medicines
        self._no_meds = no_meds

    def phrases(self, expect: Expectation) -> list[str]:
        """Every phrase that answers ``expect``, plus the control phrases, for a grammar.

        For medicines these are the names and aliases and the ways of saying "none"; an
        engine may listen for a list of several of them, or recognise freely when its
        vocabulary lacks the names.
        """
        listen = self._vocab.listen_for
        out: list[str] = []
        if expect.kind == "medications":
            out += self._medicines.phrases()
            out += self._no_meds.phrases()
        elif expect.kind == "yes_no":
            out += self._yes_no(expect)
        else:
            out += self._number(expect)
        out += listen["controls"]
        return list(dict.fromkeys(out))

    def _yes_no(self, expect: Expectation) -> list[str]:
        """What answers a yes/no question: the common answers, its own, and at a read-back
        a number said with a no."""
        listen = self._vocab.listen_for
        out: list[str] = []
        out += listen["yes_no"]
        out += expect.short_answers
        # A template among the question's own words ("(worse|worst) at night") stands for a
        # sentence said in free speech; listened for, its many wordings would crowd the short
        # answers, so grammars keep the plain ones ("a woman") only (docs/decisions/032).
        out += [phrase for phrase, _ in expect.own_answers if not _TEMPLATE & set(phrase)]
        # "Oh, yes", "well, no": one lead-in sound before the common answers.
        out += [f"{s} {a}" for s in listen["lead_ins"] for a in listen["lead_in_answers"]]
        if expect.names_medicines:
            out += listen["no_medications"]
        if expect.corrected_by_number:
            # "No, seventy five". A number said on its own is left out: with every number
            # in the grammar, a "yes" in noise was heard as "fifty" or "fifty five".
            span = number_range(expect)
            numbers = self._vocab.numbers
            said = [number_words(n) for n in span]
            said += [p for p in listen["numbers"] if numbers[p] in span and numbers[p] > 0]
            out += [f"no {w}" for w in said]
            # "No, I'm seventy five", "no, she's seventy five" (docs/decisions/013).
            out += [f"no {o} {w}" for o in expect.correction_openers for w in said]
        return out

    def _number(self, expect: Expectation) -> list[str]:
        """What answers a number question: the numbers in its range, alone, with "about" and
        with its unit, and ways of saying not sure."""
        listen = self._vocab.listen_for
        out: list[str] = []
        span = number_range(expect)
        low, high = span[0], span[-1]
        for n in range(low, high + 1):
            w = number_words(n)
            out += [w, f"about {w}"]
            for unit in expect.units:
                counted = f"{w} {unit}" if n == 1 else f"{w} {unit}s"
                out += [counted, f"{counted} {expect.per}"] if expect.per else [counted]
        out += [p for p, v in ORDINALS.items() if low <= v <= high and p.isalpha()]
        numbers = self._vocab.numbers
        out += [p for p in listen["numbers"] if low <= numbers[p] <= high]
        if expect.openers_with_numbers:
            out += [f"{s} {w}" for s in expect.short_answers for w in self._said(span)]
        out += ["not sure", "i don't know"]
        return out

    def second_try(self, expect: Expectation) -> list[str]:
        """Phrases a recogniser listens for only when an answer is none of ``phrases``.

        At number questions: one lead-in sound before a number said plainly ("um, seventy",
        "well, most nights"), and the question's own opening words ("I'm seventy") unless
        they go with the numbers (``openers_with_numbers``). In the same grammar as the plain
        numbers lead-ins took some of them ("seventy" heard as "well, eighty"), so they are a
        second try.
        """
        if expect.kind != "number":
            return []
        listen = self._vocab.listen_for
        before = list(listen["lead_ins"])
        if not expect.openers_with_numbers:
            before += expect.short_answers
        said = self._said(number_range(expect))
        return list(dict.fromkeys(f"{s} {w}" for s in before for w in said))

    def _said(self, span: range) -> list[str]:
        """Every way a number in ``span`` is said plainly: "seventy", "twice"."""
        numbers = self._vocab.numbers
        said = [number_words(n) for n in span]
        return said + [p for p in self._vocab.listen_for["numbers"]
                       if numbers[p] in span]
