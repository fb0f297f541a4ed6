"""Medicine names in an answer: names, brands and near-misspellings, or a way of saying none."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..content import Content, MedEntry
from ..messages import Medication, Understood
from .words import PhraseTable, normalise, without

# Words of five letters or more that come with medicine answers; never taken as a medicine
# name spelled nearly right.
_FUZZY_STOP = frozenset(
    [
        "yes",
        "no",
        "none",
        "nothing",
        "takes",
        "take",
        "taking",
        "she",
        "he",
        "they",
        "i",
        "and",
        "the",
        "a",
        "an",
        "for",
        "my",
        "her",
        "his",
        "their",
        "pills",
        "tablets",
        "tablet",
        "medicine",
        "medicines",
        "every",
        "night",
        "morning",
        "day",
        "sometimes",
        "also",
        "just",
        "something",
        "thing",
        "think",
        "pressure",
        "blood",
        "sugar",
        "water",
        "vitamin",
        "vitamins",
    ]
)


# Said after the names, these close the list ("yes, sertraline, no others"): their "no" is of
# any more medicines, not of taking these (engines/polarity.py has the same list). "No more"
# and "not any more" are not here: after a name they can mean it was stopped ("sertraline, no
# more").
_CLOSERS = (("no", "others"), ("no", "other"), ("none", "other"), ("none", "others"),
            ("no", "other", "ones"), ("no", "other", "medicines"), ("no", "other", "pills"),
            ("nothing", "else"), ("not", "anything", "else"), ("nothing", "more"),
            ("that's", "all"), ("that's", "it"))


class MedicineReader:
    """Reads the medicines an answer names, from prompts/medications.yaml."""

    def __init__(self, content: Content, fillers: PhraseTable, unsure: PhraseTable) -> None:
        self._by_alias: dict[str, MedEntry] = {}
        for med in content.medications:
            for alias in (med.name, *med.said):
                self._by_alias[" ".join(normalise(alias))] = med
        self.names = PhraseTable(self._by_alias.items())
        """Every medicine's name and the names it is said by."""
        self.none = PhraseTable((p, True) for p in content.vocabulary.no_medications)
        """The ways of saying no medicines are taken ("none", "nothing at all")."""
        self._fuzzy = [a for a in self._by_alias if " " not in a and len(a) >= 5]
        self._fillers = fillers
        self._unsure = unsure

    @staticmethod
    def list_closer(words: Sequence[str]) -> int:
        """How many words at the end of ``words`` close a list of medicines ("no others",
        "nothing else"); 0 when it does not end so."""
        for closer in sorted(_CLOSERS, key=len, reverse=True):
            if len(words) > len(closer) and tuple(words[-len(closer):]) == closer:
                return len(closer)
        return 0

    def answer(self, words: Sequence[str], text: str) -> Understood:
        """The medicines named, in the order said; ``[]`` for none; not sure; or ``unknown``."""
        found: list[Medication] = []
        seen: set[str] = set()
        hits = self.names.find(words)
        taken = {k for s, e, _ in hits for k in range(s, e)}
        spans: list[tuple[int, MedEntry, str]] = [
            (s, m, " ".join(words[s:e])) for s, e, m in hits if isinstance(m, MedEntry)
        ]
        for i, w in enumerate(words):
            if i in taken or len(w) < 5 or w in _FUZZY_STOP:
                continue
            close = difflib.get_close_matches(w, self._fuzzy, n=1, cutoff=0.82)
            if close:
                spans.append((i, self._by_alias[close[0]], w))
        denied = {k for at, _, said in spans for k in _denial(words, at, len(said.split()))}
        for at, med, said in sorted(spans, key=lambda s: s[0]):
            if med.name in seen or at in denied:
                continue
            seen.add(med.name)
            found.append(Medication(med.name, _said_form(said, med), med.drug_class, med.tier))
        if found:
            return Understood("answer", found, text)
        # "Nothing, not even paracetamol": the name denied, what is left says none.
        core = without([w for i, w in enumerate(words) if i not in denied], self._fillers)
        covered = sum(e - s for s, e, _ in self.none.find(core))
        # "none", and also "no, none" or "nope, nothing": every word says there are none.
        if self.none.exact(words) or (core and covered == len(core)):
            return Understood("answer", [], text)
        if any(e - s >= 2 for s, e, _ in self.none.find(words)):
            return Understood("answer", [], text)
        if self._unsure.find(words):
            return Understood("answer", "unsure", text)
        return Understood("unknown", None, text, "no medicine name I know was heard")


# Between a negation and the name it denies: "don't take sertraline", "not on lithium".
_DENIED_VIA = frozenset(["take", "takes", "taking", "use", "uses", "on", "even", "have", "any"])


def _denial(words: Sequence[str], at: int, length: int) -> range:
    """The words of a denied name with its negation ("not even paracetamol", "she doesn't
    take Prozac", "never on sertraline"), or nothing. A plain "no" denies nothing here: "no,
    just sertraline" names it."""
    j = at - 1
    while j >= 0 and at - j <= 3 and words[j] in _DENIED_VIA:
        j -= 1
    if j >= 0 and (words[j] in ("not", "never", "without") or words[j].endswith("n't")):
        return range(j, at + length)
    return range(0)


def _said_form(said: str, med: MedEntry) -> str:
    # People say brand names in many cases; give them back as they appear on the box.
    for alias in (med.name, *med.said):
        if " ".join(normalise(alias)) == said:
            return (
                " ".join(
                    part.capitalize() if part not in ("pm",) else "PM" for part in alias.split()
                )
                if alias != med.name
                else alias
            )
    return said
