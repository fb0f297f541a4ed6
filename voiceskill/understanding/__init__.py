"""Understanding answers: what was said, plus what the question expects, gives a meaning.

Pure Python over the vocabulary in prompts/understanding.yaml and prompts/medications.yaml.
"Didn't understand" is a value (intent ``unknown`` with a reason), never an exception.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from .. import symptoms
from ..content import VOICE_CONTROLS, Content, MedEntry, Vocabulary
from ..messages import Expectation, Medication, Understood
from .words import NUMBER_WORDS, ORDINALS, PhraseTable, normalise, number_words, without

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


# Words that carry no content of their own when an answer is checked for how much else was
# said ("I'm always tired" is still an answer; "put the telly down a bit" is not).
_FUNCTION_WORDS = frozenset(
    [
        "i", "i'm", "i've", "i'd", "me", "my", "it", "it's", "that", "that's", "this", "a", "an",
        "the", "she", "he", "they", "she's", "he's", "they're", "her", "his", "their", "them", "we",
        "you", "is", "am", "are", "was", "were", "be", "been", "and", "but", "or", "so", "to", "of",
        "for", "in", "at",
    ]
)
_SUBJECTS = frozenset(["i", "she", "he", "they", "it", "we", "you"])
_AUXILIARIES = frozenset(
    [
        "do", "does", "did", "am", "is", "are", "was", "have", "has", "can", "will", "would",
        "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "haven't", "hasn't", "can't",
        "won't", "wouldn't",
    ]
)
# Answer words said on their own ("yes", "no", "uh huh"): never read as negated by a "not"
# before them, since "not" does not scope over an interjection.
_PARTICLES = frozenset(
    ["yes", "yeah", "yep", "yup", "yah", "aye", "uh", "mm", "no", "nope", "nah", "na", "nuh"]
)
# Words that mark the answer after them as a correction of the one before ("no, wait, yes").
_CORRECTIONS = frozenset(["wait", "mean", "actually", "sorry", "correction", "rather"])
# Said after a negation, these make an answer not sure rather than no.
_CERTAINTY = frozenset(["sure", "certain", "positive"])
_KNOWING = frozenset(["know", "remember", "recall"])
# How far a negation reaches: "not even a little", "I don't believe I do".
_SCOPE = 3
# How many words of content a weak answer may come with.
_WEAK_SLACK = 1


class _YesNoReader:
    """Reads yes, no or not sure from an answer, or nothing when it cannot be told.

    Phrases are matched longest first (prompts/understanding.yaml, ``yes_no``); then, with
    the lists under ``reading``: a negation reaching a yes after it makes it a no ("I don't
    believe I do"), a hedge with "so" or "not" is a yes or a no ("I'd say so", "I guess
    not"), "not ... sure" is not sure, a weak phrase counts only when little else is said,
    and a phrase that must be the whole answer ("right") only when it is. When several
    answers are said, the last counts if it corrects the one before ("no, wait, yes");
    answers that disagree otherwise are not sure, since which is meant cannot be told.
    """

    def __init__(self, vocab: Vocabulary) -> None:
        r = vocab.reading
        self._r = {k: frozenset(v) for k, v in r.items()}
        entries: list[tuple[str, object]] = [
            (p, value) for value, phrases in vocab.yes_no.items() for p in phrases
        ]
        for h in r.get("hedges", ()):
            entries += [(f"{h} so", "yes"), (f"{h} not", "no")]
        entries += [(p, "neutral") for p in r.get("neutral", ())]
        self._table = PhraseTable(entries)
        self._negations = PhraseTable((p, p) for p in r.get("negations", ()))
        self._fillers = PhraseTable((p, True) for p in vocab.fillers)

    def read(self, words: Sequence[str]) -> str | None:
        words = self._not_sure(self._without_intensifiers(words))
        matches: list[list[Any]] = [list(m) for m in self._table.find(words)]
        self._negate(words, matches)
        extra = self._content_words(words, matches)
        said: list[tuple[int, str]] = []
        for s, e, value in matches:
            phrase = " ".join(words[s:e])
            if value == "neutral":
                continue
            # A negated "right" is a no wherever it stands ("that's not right at all").
            if phrase in self._r.get("alone", ()) and value == "yes" and extra:
                continue
            if phrase in self._r.get("weak", ()) and extra > _WEAK_SLACK:
                continue
            said.append((s, str(value)))
        if not said:
            return self._without_phrases(words, matches)
        return self._last_word(words, said)

    @staticmethod
    def _last_word(words: Sequence[str], said: list[tuple[int, str]]) -> str:
        """The meaning when several answers are said: the last, when it corrects the one
        before it that disagrees ("yes, no, no"; after "wait", "I mean", "actually"; the
        words after a plain "yeah" in "yeah, I doubt it"). After "but" a plain "yes" or "no"
        stands ("no, but sometimes in the day"). Two answers that disagree otherwise
        ("sometimes it does, sometimes it doesn't") are not sure: which is meant cannot be
        told."""
        last = said[-1][1]
        turn = max((i for i, (_, v) in enumerate(said) if v != last), default=None)
        if turn is None:
            return last
        (a_at, a), (b_at, _) = said[turn], said[turn + 1]
        between = set(words[a_at:b_at])
        if _CORRECTIONS & between:
            return last
        if "but" in between:
            return a if words[a_at] in _PARTICLES else "unsure"
        if words[a_at] in _PARTICLES or words[b_at] in _PARTICLES:
            return last
        return "unsure"

    def _without_phrases(self, words: Sequence[str], matches: list[list[Any]]) -> str | None:
        """Answers no phrase covers: "not in the slightest" (begun with "not") is a no; "so
        I'm told" (hearsay) a yes."""
        filled = {k for s, e, _ in self._fillers.find(words) for k in range(s, e)}
        core = [w for i, w in enumerate(words) if i not in filled]
        if any(m[2] != "neutral" for m in matches) or not core:
            return None
        if core[0] == "not":
            return "no"
        # "(So) I'm told", "so my wife tells me": said to be so by someone else.
        hearsay = self._r.get("hearsay", frozenset())
        content = [w for w in core if w not in _FUNCTION_WORDS and w not in ("me", "been")]
        if hearsay & set(content) and len(content) <= 2:
            return "yes"
        return None

    def _without_intensifiers(self, words: Sequence[str]) -> list[str]:
        """"She certainly does" as "she does", "I really don't" as "I don't"."""
        drop = self._r.get("intensifiers", frozenset())
        out: list[str] = []
        for i, w in enumerate(words):
            after = words[i + 1] if i + 1 < len(words) else ""
            if w in drop and out and out[-1] in _SUBJECTS and after in _AUXILIARIES:
                continue
            out.append(w)
        return out

    @staticmethod
    def _not_sure(words: list[str]) -> list[str]:
        """"Not at all sure", "I'm not positive", "she doesn't really know": not sure, not a
        no. ("Not that I know of" is a no: "not" reaches only sure, certain, positive.)"""
        for i, w in enumerate(words):
            if w == "not" or w.endswith("n't"):
                heads = _CERTAINTY if w == "not" else _CERTAINTY | _KNOWING
                for j in range(i + 1, min(i + 2 + _SCOPE, len(words))):
                    if words[j] in heads:
                        return [*words[:i], "unsure", *words[j + 1 :]]
        return words

    def _negate(self, words: Sequence[str], matches: list[list[Any]]) -> None:
        """A yes that a negation reaches becomes a no; the phrase holding the negation is
        then part of that one answer. After a claim ("I can't say I haven't") or before a
        word that is a no in itself ("not unusual"), a no becomes a yes."""
        claims = self._r.get("claims", frozenset())
        negative = self._r.get("negative_words", frozenset())
        for ns, ne, neg in self._negations.find(words):
            holder = next((m for m in matches if m[0] <= ns and m[1] >= ne), None)
            # "I don't know", "no doubt": the negation belongs to a phrase of its own.
            if holder is not None and (holder[1] != ne or holder[2] == "yes"):
                continue
            # The yes may share a word with the negation: "wouldn't say" + "say so".
            target = next((m for m in matches if m[0] > ns and m is not holder), None)
            if target is None or target[0] - ne > _SCOPE or words[target[0]] in _PARTICLES:
                continue
            phrase = " ".join(words[target[0] : target[1]])
            if target[2] == "yes":
                target[2] = "no"
            elif target[2] == "no" and (neg in claims or phrase in negative):
                target[2] = "yes"
            else:
                continue
            if holder is not None:
                matches.remove(holder)

    def _content_words(self, words: Sequence[str], matches: list[list[Any]]) -> int:
        """How many words of content no phrase, filler or negation covers."""
        covered = {k for s, e, _ in matches for k in range(s, e)}
        covered |= {k for s, e, _ in self._fillers.find(words) for k in range(s, e)}
        covered |= {k for s, e, _ in self._negations.find(words) for k in range(s, e)}
        return sum(
            1 for i, w in enumerate(words) if i not in covered and w not in _FUNCTION_WORDS
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
        self._reader = _YesNoReader(vocab)
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
            own = _own_answer(words, expect)
            if own is not None:
                return Understood("answer", own, text)
            if expect.corrected_by_number:
                corrected = self._correction(words, text, expect)
                if corrected is not None:
                    return corrected
            answer = self._yes_no_answer(words, text)
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
    def _yes_no_answer(self, words: Sequence[str], text: str) -> Understood:
        value = self._reader.read(words)
        if value is None:
            return Understood("unknown", None, text, "no yes or no was heard")
        return Understood("answer", value, text)

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


def _own_answer(words: Sequence[str], expect: Expectation) -> str | None:
    """The question's own answer words ("no, I'm a woman" to "Are you a man?"), longest
    first; one with a negation just before it ("not a man") is left to the yes/no reader."""
    for phrase, value in sorted(expect.own_answers, key=lambda p: -len(p[0].split())):
        toks = normalise(phrase)
        for i in range(len(words) - len(toks) + 1):
            if list(words[i : i + len(toks)]) == toks:
                before = words[max(0, i - 2) : i]
                if any(w in ("not", "no", "never") or w.endswith("n't") for w in before):
                    return None
                return value
    return None
