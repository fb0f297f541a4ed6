"""Understanding answers: what was said, plus what the question expects, gives a meaning.

Pure Python over the vocabulary in prompts/understanding.yaml and prompts/medications.yaml.
"Didn't understand" is a value (intent ``unknown`` with a reason), never an exception.

``Understander`` is the one entry point; the readers it asks, one module each:

- ``words``: text made into words ("do not" is "don't"), phrase tables, numbers in words;
- ``controls``: "say that again", "slower", "stop", said at any moment;
- ``yes_no``: yes, no or not sure, with the reach of a negation;
- ``own``: answers in the question's own words ("he snores like a train");
- ``talk``: a negation of a verb not the question's ("I never said that"), talk and no no;
- ``numbers``: a number in range, or "no, seventy five" to a number read back;
- ``medicines``: medicine names, or a way of saying none;
- ``phrases``: what grammar-based recognisers listen for at each question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import symptoms
from ..content import Content
from ..errors import ContentError
from ..messages import Expectation, Understood
from .controls import ControlReader
from .medicines import MedicineReader
from .numbers import NumberReader
from .own import UNTOLD, affirmed, own_words
from .phrases import Listening
from .talk import topic_words
from .templates import expand
from .words import PhraseTable, normalise, number_words, without_vocative
from .yes_no import YesNoReader

__all__ = ["Understander", "normalise", "number_words"]

# A "no" with a mark after it ("No, coffee."): said apart from the word after it.
_NO_APART = re.compile(r"\bno\s*[,.;:!?\u2014-]", re.IGNORECASE)
# Reasons an answer was asked again after it was read as a yes/no answer.
_READ_NOTHING = frozenset(["no yes or no was heard", "the answer says both yes and no",
                           "the question's own no, denied"])


def _check_own_words(content: Content) -> None:
    """Every template among the questions' own words expands, or loading says where not: a
    template first met while someone answers would fail in the middle of a check-in."""
    for q in content.questions:
        for phrase, value in q.says:
            try:
                expand(phrase)
            except ValueError as err:
                where = str(content.source / "questions.yaml")
                raise ContentError(where, f"questions ({q.id}).says.{value}",
                                   f"{phrase!r}: {err}") from err


class Understander:
    """Turns a transcript into an answer or a control intent for the current question."""

    def __init__(self, content: Content) -> None:
        vocab = content.vocabulary
        self._content = content
        self._yes_no = PhraseTable(
            (p, value) for value, phrases in vocab.yes_no.items() for p in phrases
        )
        self._unsure = PhraseTable((p, "unsure") for p in vocab.yes_no["unsure"])
        self._fillers = PhraseTable((p, True) for p in vocab.fillers)
        self._numbers = NumberReader(vocab, self._yes_no, self._unsure)
        self._meds = MedicineReader(content, self._fillers, self._unsure)
        self._controls = ControlReader(vocab, self._yes_no, self._fillers, self._meds.none)
        self._listening = Listening(vocab, self._meds.names, self._meds.none)
        self._reader = YesNoReader(vocab)
        _check_own_words(content)
        reading = vocab.reading
        self._elsewhere = PhraseTable((p, True) for p in reading.get("other_assistants", ()))
        # The warning-sign questions, the self-harm question and the safety question.
        self._safety = frozenset(
            [f.question for f in content.red_flags]
            + ([content.unresolved.question] if content.unresolved else []))
        # Each question's words: a negation of any other verb is talk (docs/decisions/035).
        self._topics = {q.id: topic_words([q.text.text, q.text.caregiver or "",
                                           *(p for p, _ in q.says)])
                        for q in content.questions}

    # ---- the one entry point ---------------------------------------------------------
    def understand(self, text: str, expect: Expectation) -> Understood:
        """What ``text`` means said to ``expect``: an answer, a control intent, or
        ``unknown`` with the reason."""
        said = self._read(text, expect)
        if expect.kind != "yes_no" or expect.question_id not in self._safety:
            return said
        if said.intent == "answer" and said.value == "yes":
            return said
        reading = said.intent == "answer" or said.reason in _READ_NOTHING
        if reading and affirmed(normalise(text), expect, _NO_APART.search(text) is not None):
            # A warning sign or hopelessness in the question's own words, with a no beside
            # it ("not really, but I'm tired of it all"): never a plain no. Both were said,
            # so not sure: the advice or crisis line at once, and the check-in goes on.
            return Understood("answer", "unsure", text)
        if said.reason == "no yes or no was heard":
            generic = self._content.unresolved
            whose = None if generic and expect.question_id == generic.question else (
                expect.question_id)
            if symptoms.fine(text, self._content.red_flags, whose):
                # "I'm breathing okay", "she's alright": a denial, said without a no.
                return Understood("answer", "no", text)
        return said

    def _read(self, text: str, expect: Expectation) -> Understood:
        """The answer as read, before the safety questions' last look (``understand``)."""
        sign = self._warning_sign(text, expect)
        if sign is not None:
            return sign
        words = without_vocative(self._after_lead_in(normalise(text)))
        if not words:
            return Understood("unknown", None, text, "nothing was said")
        if any(s == 0 for s, _, _ in self._elsewhere.find(words)):
            return Understood("unknown", None, text, "said to another assistant")
        control = self._controls.read(words)
        if control is not None:
            # "ZzzQuil to help me sleep" names a medicine; "help me" inside it is no request.
            names = expect.kind == "medications" or expect.names_medicines
            if names and self._controls.table.exact(words) is None:
                meds = self._meds.answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
            return Understood(control, None, text)  # type: ignore[arg-type]
        if expect.kind == "yes_no":
            # Read from all that was said: "just water" is no filler and "water".
            own = self._own(normalise(text), text, expect)
            if own is not None and own.value == "yes" and expect.names_medicines:
                # "He takes sertraline tablets": the names, not only the yes.
                meds = self._meds.answer(words, text)
                if isinstance(meds.value, list) and meds.value:
                    return meds
            if own is not None:
                return own
            if expect.corrected_by_number:
                corrected = self._numbers.correction(words, text, expect)
                if corrected is not None:
                    return corrected
            closing = self._meds.list_closer(words) if expect.names_medicines else 0
            if closing:
                # "Yes, sertraline, no others": the words that close the list deny any more
                # medicines, not the yes, so the answer is read without them.
                words = words[:-closing]
            answer = self._reader.answer(words, text, self._topics.get(expect.question_id))
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

    def _own(self, words: list[str], text: str, expect: Expectation) -> Understood | None:
        """The question's own words ("he snores like a train"), unless the rest of the answer
        says otherwise: a not sure stands, a yes or no against them is asked again, since
        which is meant cannot be told (docs/decisions/032)."""
        own, rest = own_words(words, expect, no_apart=_NO_APART.search(text) is not None)
        if own is None:
            return None
        if own == UNTOLD:
            return Understood("unknown", None, text, "the question's own no, denied")
        heard = self._reader.read(rest) if rest else None
        if heard in (None, own):
            return Understood("answer", own, text)
        if heard == "unsure":
            return Understood("answer", "unsure", text)
        return Understood("unknown", None, text, "the answer says both yes and no")

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
        if symptoms.unwell(text):
            # "I don't feel well" is no "no": at the safety question each sign is then asked
            # about in turn; at a sign's own question it is asked again.
            if expect.question_id == generic:
                return Understood("answer", "unsure", text)
            return Understood("unknown", None, text, "not well, but not this sign")
        return None

    def _after_lead_in(self, words: list[str]) -> list[str]:
        """``words`` without the fillers an answer begins with ("oh, seventy", "well, no"),
        so that a leading "oh" is not read as the number 0. A filler said alone is kept."""
        while len(words) > 1:
            end = next((e for s, e, _ in self._fillers.find(words) if s == 0), None)
            if end is None or end >= len(words) or self._phrase_from_start(words) > end:
                break
            words = words[end:]
        return words

    def _phrase_from_start(self, words: list[str]) -> int:
        """How many words the longest phrase starting the answer covers ("uh huh" is a yes,
        not a filler and "huh")."""
        tables = (self._yes_no, self._controls.table, self._numbers.phrases, self._meds.none)
        return max((e for t in tables for s, e, _ in t.find(words) if s == 0), default=0)

    def parse_number(self, words: Sequence[str], last: bool = False) -> int | None:
        """The first number said (``last``: the last), from digits, words ("eighty two"), or
        phrases ("twice")."""
        return self._numbers.parse(words, last)

    # ---- what recognisers may listen for ----------------------------------------------
    def phrases(self, expect: Expectation) -> list[str]:
        """Every phrase that answers ``expect``, plus the control phrases, for a grammar."""
        return self._listening.phrases(expect)

    def second_try(self, expect: Expectation) -> list[str]:
        """Phrases a recogniser listens for only when an answer is none of ``phrases``."""
        return self._listening.second_try(expect)
