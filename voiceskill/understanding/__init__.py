"""Understanding answers: what was said, plus what the question expects, gives a meaning.

Pure Python over the vocabulary in prompts/understanding.yaml and prompts/medications.yaml.
"Didn't understand" is a value (intent ``unknown`` with a reason), never an exception.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .. import symptoms
from ..content import VOICE_CONTROLS, Content, MedEntry
from ..messages import Expectation, Medication, Understood
from .words import NUMBER_WORDS, ORDINALS, PhraseTable, normalise, number_words, without
from .yes_no import YesNoReader, own_answer

__all__ = ["Understander", "normalise", "number_words"]

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


class Understander:
    """Turns a transcript into an answer or a control intent for the current question."""

    def __init__(self, content: Content) -> None:
        vocab = content.vocabulary
        self._content = content
        self._yes_no = PhraseTable(
            (p, value) for value, phrases in vocab.yes_no.items() for p in phrases
        )
        self._unsure = PhraseTable((p, "unsure") for p in vocab.yes_no["unsure"])
        self._controls = PhraseTable(
            (p, intent) for intent, phrases in vocab.controls.items() for p in phrases
        )
        self._filler_table = PhraseTable((p, True) for p in vocab.fillers)
        self._modifier_table = PhraseTable((p, True) for p in vocab.modifiers)
        self._number_phrases = PhraseTable(vocab.numbers.items())
        self._no_meds = PhraseTable((p, True) for p in vocab.no_medications)
        self._meds_by_alias: dict[str, MedEntry] = {}
        for med in content.medications:
            for alias in (med.name, *med.said):
                self._meds_by_alias[" ".join(normalise(alias))] = med
        self._med_table = PhraseTable(self._meds_by_alias.items())
        self._answer_phrases = PhraseTable(
            [(p, "a") for p in self._yes_no.phrases()] + [(p, "a") for p in self._no_meds.phrases()]
        )
        self._fuzzy_aliases = [a for a in self._meds_by_alias if " " not in a and len(a) >= 5]
        self._reader = YesNoReader(vocab)
        reading = vocab.reading
        self._elsewhere = PhraseTable((p, True) for p in reading.get("other_assistants", ()))
        self._other_units = frozenset(reading.get("other_units", ()))

    # ---- the one entry point ---------------------------------------------------------
    def understand(self, text: str, expect: Expectation) -> Understood:
        sign = self._warning_sign(text, expect)
        if sign is not None:
            return sign
        words = self._after_lead_in(normalise(text))
        if not words:
            return Understood("unknown", None, text, "nothing was said")
        if any(s == 0 for s, _, _ in self._elsewhere.find(words)):
            return Understood("unknown", None, text, "said to another assistant")
        control = self._control(words)
        if control is not None:
            # "ZzzQuil to help me sleep" names a medicine; "help me" inside it is no request.
            names = expect.kind == "medications" or expect.names_medicines
            if names and self._controls.exact(words) is None:
                meds = self._medication_answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
            return Understood(control, None, text)  # type: ignore[arg-type]
        if expect.kind == "yes_no":
            own = own_answer(words, expect)
            if own is not None:
                return Understood("answer", own, text)
            if expect.corrected_by_number:
                corrected = self._correction(words, text, expect)
                if corrected is not None:
                    return corrected
            answer = self._reader.answer(words, text)
            if expect.names_medicines and answer.value != "no":
                meds = self._medication_answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
                if meds.value == [] and answer.intent == "unknown":
                    # "nothing", "I don't take anything": every way of saying none is a no.
                    return Understood("answer", "no", text)
            return answer
        if expect.kind == "number":
            return self._number_answer(words, text, expect)
        return self._medication_answer(words, text)

    def _warning_sign(self, text: str, expect: Expectation) -> Understood | None:
        """At a red-flag question a warning sign described in words is a yes, whatever else
        the answer holds ("no pain, but my calf is swollen"); at the safety question any
        sign counts, at a sign's own question that sign."""
        content = self._content
        generic = content.unresolved.question if content.unresolved else None
        own = {f.question for f in content.red_flags}
        if expect.kind != "yes_no" or expect.question_id not in own | {generic}:
            return None
        affirmed, _ = symptoms.mentioned(text, content.red_flags)
        if expect.question_id in affirmed or (expect.question_id == generic and affirmed):
            return Understood("answer", "yes", text)
        return None

    def _after_lead_in(self, words: list[str]) -> list[str]:
        """``words`` without the fillers an answer begins with ("oh, seventy", "well, no"),
        so that a leading "oh" is not read as the number 0. A filler said alone is kept."""
        while len(words) > 1:
            end = next((e for s, e, _ in self._filler_table.find(words) if s == 0), None)
            if end is None or end >= len(words) or self._phrase_from_start(words) > end:
                break
            words = words[end:]
        return words

    def _phrase_from_start(self, words: list[str]) -> int:
        """How many words the longest phrase starting the answer covers ("uh huh" is a yes,
        not a filler and "huh")."""
        tables = (self._yes_no, self._controls, self._number_phrases, self._no_meds)
        return max((e for t in tables for s, e, _ in t.find(words) if s == 0), default=0)

    # ---- control phrases ---------------------------------------------------------------
    def _control(self, words: Sequence[str]) -> str | None:
        if self._yes_no.exact(words) is not None:
            return None  # "uh huh" is a yes, not a filler and "huh?"
        core = without(words, self._filler_table)
        for candidate in (list(words), core):
            hit = self._controls.exact(candidate)
            if hit is not None:
                return str(hit)
        # "Louder, I'm a bit deaf": a change of voice said first, with a reason after it.
        first = self._controls.exact(core[:1])
        if first in VOICE_CONTROLS:
            return str(first)
        # "Speak a bit slower": how much does not matter, and "a little" is no yes here.
        bare = without(core, self._modifier_table)
        if bare and bare != core:
            hit = self._controls.exact(bare)
            if hit in VOICE_CONTROLS:
                return str(hit)
        # Longer control phrases count anywhere ("could you say that again please"), but only
        # when no longer answer phrase covers the same words ("i didn't" is not "i didn't hear").
        answers = self._answer_phrases
        for start, end, intent in self._controls.find(words):
            if end - start < 2:
                continue
            covered = any(
                s <= start and e >= end and (e - s) > (end - start)
                for s, e, _ in answers.find(words)
            )
            if not covered:
                return str(intent)
        return None

    # ---- yes / no / unsure -----------------------------------------------------------
    def _correction(
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
            if not self._number_phrases.exact(words[s:e])  # None, or the number 0
            for k in range(s, e)
        }
        rest = [w for i, w in enumerate(words) if i not in no_number]
        value = self.parse_number(rest, last=True) if rest else None
        if value is None:
            return None
        if value == expect.read_back:
            said_no = any(m == "no" for _, _, m in self._yes_no.find(words))
            return Understood("answer", "no" if said_no else "yes", text)
        low, high = expect.low, expect.high
        if (low is not None and value < low) or (high is not None and value > high):
            return Understood("unknown", value, text, "out_of_range")
        return Understood("answer", value, text)

    # ---- numbers -----------------------------------------------------------------------
    def _number_answer(self, words: Sequence[str], text: str, expect: Expectation) -> Understood:
        # "I've never counted" is not sure, not the "never" in it; "not sure, about sixty" is
        # sixty. "Twenty degrees" is no age.
        unsure = {k for s, e, _ in self._unsure.find(words) for k in range(s, e)}
        value = self.parse_number(self._without_other_units(
            [w for i, w in enumerate(words) if i not in unsure]
        ))
        if value is None:
            if unsure:
                return Understood("answer", "unsure", text)
            return Understood("unknown", None, text, "no number was heard")
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

    def parse_number(self, words: Sequence[str], last: bool = False) -> int | None:
        """The first number said (``last``: the last), from digits, words ("eighty two"), or
        phrases ("twice")."""
        phrase_hits = self._number_phrases.find(words)
        taken = {k for s, e, _ in phrase_hits for k in range(s, e)}
        candidates: list[tuple[int, int]] = [(s, int(str(v))) for s, _, v in phrase_hits]
        i = 0
        while i < len(words):
            if i in taken:
                i += 1
                continue
            value, used = _read_number(words, i)
            if used:
                candidates.append((i, value))
                i += used
            else:
                i += 1
        if not candidates:
            return None
        # "three times a week" beats the phrase inside it only when it comes first.
        if last:
            return max(candidates, key=lambda c: c[0])[1]
        return min(candidates, key=lambda c: c[0])[1]

    # ---- medicines ----------------------------------------------------------------------
    def _medication_answer(self, words: Sequence[str], text: str) -> Understood:
        found: list[Medication] = []
        seen: set[str] = set()
        hits = self._med_table.find(words)
        taken = {k for s, e, _ in hits for k in range(s, e)}
        spans: list[tuple[int, MedEntry, str]] = [
            (s, m, " ".join(words[s:e])) for s, e, m in hits if isinstance(m, MedEntry)
        ]
        for i, w in enumerate(words):
            if i in taken or len(w) < 5 or w in _FUZZY_STOP:
                continue
            close = difflib.get_close_matches(w, self._fuzzy_aliases, n=1, cutoff=0.82)
            if close:
                spans.append((i, self._meds_by_alias[close[0]], w))
        for _, med, said in sorted(spans, key=lambda s: s[0]):
            if med.name in seen:
                continue
            seen.add(med.name)
            found.append(Medication(med.name, _said_form(said, med), med.drug_class, med.tier))
        if found:
            return Understood("answer", found, text)
        core = without(words, self._filler_table)
        covered = sum(e - s for s, e, _ in self._no_meds.find(core))
        # "none", and also "no, none" or "nope, nothing": every word says there are none.
        if self._no_meds.exact(words) or (core and covered == len(core)):
            return Understood("answer", [], text)
        if any(e - s >= 2 for s, e, _ in self._no_meds.find(words)):
            return Understood("answer", [], text)
        if self._unsure.find(words):
            return Understood("answer", "unsure", text)
        return Understood("unknown", None, text, "no medicine name I know was heard")

    # ---- what recognisers may listen for ----------------------------------------------
    def phrases(self, expect: Expectation) -> list[str]:
        """Every phrase that answers ``expect``, plus the control phrases, for a grammar.

        For medicines these are the names and aliases and the ways of saying "none"; an
        engine may listen for a list of several of them, or recognise freely when its
        vocabulary lacks the names.
        """
        listen = self._content.vocabulary.listen_for
        out: list[str] = []
        if expect.kind == "medications":
            out += self._med_table.phrases()
            out += self._no_meds.phrases()
        elif expect.kind == "yes_no":
            out += listen["yes_no"]
            out += expect.short_answers
            out += [phrase for phrase, _ in expect.own_answers]
            # "Oh, yes", "well, no": one lead-in sound before the common answers.
            out += [f"{s} {a}" for s in listen["lead_ins"] for a in listen["lead_in_answers"]]
            if expect.names_medicines:
                out += listen["no_medications"]
            if expect.corrected_by_number:
                # "No, seventy five". A number said on its own is left out: with every number
                # in the grammar, a "yes" in noise was heard as "fifty" or "fifty five".
                span = _number_range(expect)
                numbers = self._content.vocabulary.numbers
                said = [number_words(n) for n in span]
                said += [p for p in listen["numbers"] if numbers[p] in span and numbers[p] > 0]
                out += [f"no {w}" for w in said]
                # "No, I'm seventy five", "no, she's seventy five" (docs/decisions/013).
                out += [f"no {o} {w}" for o in expect.correction_openers for w in said]
        else:
            span = _number_range(expect)
            low, high = span[0], span[-1]
            for n in range(low, high + 1):
                w = number_words(n)
                out += [w, f"about {w}"]
                for unit in expect.units:
                    counted = f"{w} {unit}" if n == 1 else f"{w} {unit}s"
                    out += [counted, f"{counted} {expect.per}"] if expect.per else [counted]
            out += [p for p, v in ORDINALS.items() if low <= v <= high and p.isalpha()]
            numbers = self._content.vocabulary.numbers
            out += [p for p in listen["numbers"] if low <= numbers[p] <= high]
            if expect.openers_with_numbers:
                out += [f"{s} {w}" for s in expect.short_answers for w in self._said(span)]
            out += ["not sure", "i don't know"]
        out += listen["controls"]
        return list(dict.fromkeys(out))

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
        listen = self._content.vocabulary.listen_for
        before = list(listen["lead_ins"])
        if not expect.openers_with_numbers:
            before += expect.short_answers
        said = self._said(_number_range(expect))
        return list(dict.fromkeys(f"{s} {w}" for s in before for w in said))

    def _said(self, span: range) -> list[str]:
        """Every way a number in ``span`` is said plainly: "seventy", "twice"."""
        numbers = self._content.vocabulary.numbers
        said = [number_words(n) for n in span]
        return said + [p for p in self._content.vocabulary.listen_for["numbers"]
                       if numbers[p] in span]


def _number_range(expect: Expectation) -> range:
    low = expect.low if expect.low is not None else 0
    high = expect.high if expect.high is not None else 10
    return range(low, high + 1)


def _read_number(words: Sequence[str], i: int) -> tuple[int, int]:
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
