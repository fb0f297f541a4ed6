"""The yes/no reader: yes, no or not sure from an answer in a person's own words.

Negation has a scope ("I don't believe I do" is a no, "no, but sometimes in the day" a no,
"not that I know of" a no, "not at all sure" not sure); the lists it works with are under
``reading`` in prompts/understanding.yaml, the reasoning in docs/decisions/001.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..content import Vocabulary
from ..messages import Understood
from . import forms
from .talk import negated_elsewhere
from .words import PhraseTable, normalise

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
# Comparing, not content beside a weak answer: "some nights more than others". (Beside a
# hedge they count: "I more than to say so" is Whisper's "I wouldn't say so", 027.)
_COMPARING = frozenset(["more", "less", "than", "others", "other"])
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
# Not having tried or checked leaves the answer unknown to the person: "I haven't tried",
# "they've never checked" are not sure, where "I haven't noticed" is a no.
_TRYING = frozenset(["tried", "checked", "tested", "measured"])
# What may follow "nobody" or "no one" in a repetitional answer: "nobody has", "no one does".
_ECHOED = frozenset(["has", "have", "does", "do", "did", "is", "was", "ever"])
_COULD = frozenset(["would", "could", "can", "will"])
# Said of someone who would have told of it: "he's never mentioned it", "she's never
# complained of it" (a no, where "I never said that" is talk).
_REPORTED = frozenset(["mentioned", "complained", "noticed", "seen"])
# How far a negation reaches: "not even a little", "I don't believe I do".
_SCOPE = 3
# How many words of content a weak answer may come with.
_WEAK_SLACK = 1


class YesNoReader:
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
        self._hedged = frozenset(" ".join(normalise(f"{h} {w}"))
                                 for h in r.get("hedges", ()) for w in ("so", "not"))
        entries += [(p, "neutral") for p in r.get("neutral", ())]
        self._table = PhraseTable(entries)
        self._negations = PhraseTable((p, p) for p in r.get("negations", ()))
        self._fillers = PhraseTable((p, True) for p in vocab.fillers)

    def read(self, words: Sequence[str], topic: frozenset[str] | None = None) -> str | None:
        """Yes, no or unsure, or ``None``. ``topic``: the question's words, when known; a
        negation followed by a verb of its own is then talk, not a no (``talk``)."""
        words = forms.plain(self._not_sure(self._without_intensifiers(words)))
        matches: list[list[Any]] = [list(m) for m in self._table.find(words)]
        self._negate(words, matches)
        forms.reverse(words, matches)
        forms.drop_reported(words, matches,
                            self._r.get("hearsay", frozenset()) | _REPORTED | {"heard"})
        # "I have to get up", "she has to walk": "have to" says what must be done, it does
        # not echo "have you?" (a "no, I have to get up in the end" was read as a yes).
        matches[:] = [m for m in matches if not (
            m[2] == "yes" and words[m[1] - 1] in ("have", "has", "had")
            and words[m[1] : m[1] + 1] == ["to"])]
        if topic is not None:
            self._talk(words, matches, topic)
        # The reason given with an answer is no more content: "a bit, since my husband died".
        told = words[: forms.reason_at(words, matches[0][1] - 1)] if matches else words
        extra = self._content_words(told, matches, _COMPARING)
        beside_hedge = self._content_words(told, matches, _AUXILIARIES)
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
            # A hedge is as weak ("my wife would say so" is a yes), "I more than to say so"
            # (Whisper's "I wouldn't say so", its "n't" lost in the words before) is not (027).
            if phrase in self._hedged and beside_hedge > _WEAK_SLACK:
                continue
            said.append((s, str(value)))
        if not said:
            return self._without_phrases(words, matches)
        return self._last_word(words, said)

    def answer(self, words: Sequence[str], text: str,
               topic: frozenset[str] | None = None) -> Understood:
        """The answer as understood: yes, no or not sure, or ``unknown`` with a reason."""
        value = self.read(words, topic)
        if value is None:
            return Understood("unknown", None, text, "no yes or no was heard")
        return Understood("answer", value, text)

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
        # "Some days yes, some days no", "at night no, at night yes": each answer after the
        # same words is one side of a contrast, not a correction.
        for n in (2, 1):
            frame = tuple(words[b_at - n : b_at]) if b_at >= n else ()
            if frame and not set(frame) & _PARTICLES and any(
                    tuple(words[i : i + n]) == frame for i in range(b_at - n)):
                return "unsure"
        if "but" in between:
            # "Not every night, but often enough": the no says how often, the yes whether.
            if last == "yes" and forms.partial_no(words, a_at):
                return last
            # "Sort of, but not every night": the same, the other way round.
            if a == "yes" and forms.partial_no(words, b_at):
                return a
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
        if forms.conditional(core):
            return "yes"
        nobody = _nobody(core)
        if nobody is not None:
            return nobody
        # "(So) I'm told", "so my wife tells me": said to be so by someone else.
        hearsay = self._r.get("hearsay", frozenset())
        content = [w for w in core if w not in _FUNCTION_WORDS and w not in ("me", "been")]
        if not hearsay & set(content) or len(content) > 3:
            return None
        # Nobody having said so is a no ("no one said so", as Whisper writes "no one's said
        # so"); any other negation leaves it unread ("I can't tell you" is no hearsay).
        if core[0] in ("nobody", "no") and (core[0] == "nobody" or core[1:2] == ["one"]):
            return "no"
        if any(w.endswith("n't") or w in ("no", "never", "nobody") for w in core):
            return None
        return "yes" if len(content) <= 2 else None

    def _without_intensifiers(self, words: Sequence[str]) -> list[str]:
        """"She certainly does" as "she does", "I really don't" as "I don't", "I can't really
        say" as "I can't say"."""
        drop = self._r.get("intensifiers", frozenset())
        out: list[str] = []
        for i, w in enumerate(words):
            after = words[i + 1] if i + 1 < len(words) else ""
            if w in drop and out and out[-1] in _SUBJECTS and after in _AUXILIARIES:
                continue
            # "I can't really say", "she doesn't truly know": as "I can't say".
            if w in drop and out and out[-1].endswith("n't") and after not in ("", "so"):
                continue
            out.append(w)
        return out

    @staticmethod
    def _not_sure(words: list[str]) -> list[str]:
        """"Not at all sure", "I'm not positive", "she doesn't really know", "I haven't tried":
        not sure, not a no. ("Not that I know of" is a no: "not" reaches only sure, certain,
        positive.)"""
        for i, w in enumerate(words):
            if w in ("not", "never") or w.endswith("n't"):
                heads = {"not": _CERTAINTY, "never": _KNOWING | _TRYING}.get(
                    w, _CERTAINTY | _KNOWING | _TRYING)
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
            if target[2] == "yes" and (
                    neg == "not" and forms.partial_no(words, target[0]) if ne == target[0]
                    else neg != "never" and words[target[0]] in forms.PARTIAL):
                # "Not every night", "I don't get it every night": how often, not whether;
                # which is meant cannot be told.
                target[2] = "unsure"
            elif target[2] == "yes":
                target[2] = "no"
            elif target[2] == "no" and (neg in claims or phrase in negative):
                target[2] = "yes"
            else:
                continue
            if holder is not None:
                matches.remove(holder)

    def _talk(self, words: Sequence[str], matches: list[list[Any]],
              topic: frozenset[str]) -> None:
        """Drops each no that is a negation of a verb not the question's ("I never said
        that", "it's not over yet"): talk, not an answer (docs/decisions/035)."""
        covered = {k for s, e, _ in self._fillers.find(words) for k in range(s, e)}
        covered |= {k for s, e, _ in matches for k in range(s, e)}
        hedges, hearsay = self._r.get("hedges", frozenset()), self._r.get("hearsay", frozenset())
        for m in [m for m in matches if m[2] == "no"]:
            if negated_elsewhere(words, m, covered, topic, hedges, hearsay | _REPORTED):
                matches.remove(m)

    def _content_words(self, words: Sequence[str], matches: list[list[Any]],
                       ignore: frozenset[str] = frozenset()) -> int:
        """How many words of content no phrase, filler or negation covers (not counting
        those in ``ignore``)."""
        covered = {k for s, e, _ in matches for k in range(s, e)}
        covered |= {k for s, e, _ in self._fillers.find(words) for k in range(s, e)}
        covered |= {k for s, e, _ in self._negations.find(words) for k in range(s, e)}
        return sum(
            1 for i, w in enumerate(words)
            if i not in covered and w not in _FUNCTION_WORDS and w not in ignore
        )


def _nobody(core: Sequence[str]) -> str | None:
    """A repetitional answer with nobody as its subject: "nobody has", "no one ever does" is
    a no; "no one would know" (nobody could tell) not sure. Anything longer is left unread."""
    rest = list(core[1:] if core[0] == "nobody" else core[2:] if core[:2] == ["no", "one"] else [])
    if not rest:
        return None
    if rest[0] in _COULD and _KNOWING & set(rest[1:3]):
        return "unsure"
    echo = [w for w in rest if w != "ever"]
    if rest[0] in _ECHOED and len(echo) <= 1:
        return "no"
    return None
