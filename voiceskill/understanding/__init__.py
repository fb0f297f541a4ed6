"""Understanding answers: what was said, plus what the question expects, gives a meaning.

Pure Python over the vocabulary in prompts/understanding.yaml and prompts/medications.yaml.
"Didn't understand" is a value (intent ``unknown`` with a reason), never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import symptoms
from ..content import VOICE_CONTROLS, Content
from ..messages import Expectation, Understood
from .medicines import MedicineReader
from .numbers import NumberReader, number_range
from .words import ORDINALS, PhraseTable, normalise, number_words, without
from .yes_no import YesNoReader, own_answer

__all__ = ["Understander", "normalise", "number_words"]

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
        self._numbers = NumberReader(vocab, self._yes_no, self._unsure)
        self._number_phrases = self._numbers.phrases
        self._meds = MedicineReader(content, self._filler_table, self._unsure)
        self._med_table = self._meds.names
        self._no_meds = self._meds.none
        self._answer_phrases = PhraseTable(
            [(p, "a") for p in self._yes_no.phrases()] + [(p, "a") for p in self._no_meds.phrases()]
        )
        self._reader = YesNoReader(vocab)
        reading = vocab.reading
        self._elsewhere = PhraseTable((p, True) for p in reading.get("other_assistants", ()))

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
                meds = self._meds.answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
            return Understood(control, None, text)  # type: ignore[arg-type]
        if expect.kind == "yes_no":
            own = own_answer(words, expect)
            if own is not None:
                return Understood("answer", own, text)
            if expect.corrected_by_number:
                corrected = self._numbers.correction(words, text, expect)
                if corrected is not None:
                    return corrected
            answer = self._reader.answer(words, text)
            if expect.names_medicines and answer.value != "no":
                meds = self._meds.answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
                if meds.value == [] and answer.intent == "unknown":
                    # "nothing", "I don't take anything": every way of saying none is a no.
                    return Understood("answer", "no", text)
            return answer
        if expect.kind == "number":
            return self._numbers.answer(words, text, expect)
        return self._meds.answer(words, text)

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

    def parse_number(self, words: Sequence[str], last: bool = False) -> int | None:
        """The first number said (``last``: the last), from digits, words ("eighty two"), or
        phrases ("twice")."""
        return self._numbers.parse(words, last)

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
                span = number_range(expect)
                numbers = self._content.vocabulary.numbers
                said = [number_words(n) for n in span]
                said += [p for p in listen["numbers"] if numbers[p] in span and numbers[p] > 0]
                out += [f"no {w}" for w in said]
                # "No, I'm seventy five", "no, she's seventy five" (docs/decisions/013).
                out += [f"no {o} {w}" for o in expect.correction_openers for w in said]
        else:
            span = number_range(expect)
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
        said = self._said(number_range(expect))
        return list(dict.fromkeys(f"{s} {w}" for s in before for w in said))

    def _said(self, span: range) -> list[str]:
        """Every way a number in ``span`` is said plainly: "seventy", "twice"."""
        numbers = self._content.vocabulary.numbers
        said = [number_words(n) for n in span]
        return said + [p for p in self._content.vocabulary.listen_for["numbers"]
                       if numbers[p] in span]
