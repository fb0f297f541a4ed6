"""Warning signs described in a person's own words, with the negation that goes with them.

"No pain, but my left calf is swollen" answers the safety question with a yes, whatever the
"no" at its start; "no chest pain" alone is a no. Each red flag in prompts/red_flags.yaml
lists ``signs``: groups of word beginnings that must all appear in one clause ("calf swoll"
matches "my calf is swollen"). A clause is negated when a negating word comes before the
last of the sign's words in it ("can't" is not one: "I can't breathe" affirms).

A clause that ends by saying how the sign is goes by that instead: "I'm breathing fine" and
"my breathing is normal" deny it, "I'm not breathing well" and "I can't breathe properly"
affirm it, whatever the negation before. Without a sign, a clause that ends by denying one
is well ("I don't feel well", "I'm not feeling right") is ``unwell``: never a no at a
safety question. Pure; no engine and no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .content import RedFlag

_CLAUSE_BREAKS = re.compile(r"[,.;:!?]|\b(?:but|though|although|except|however|and)\b")
_NEGATORS = frozenset(
    ["no", "not", "never", "without", "none", "nothing", "neither", "nor", "nope",
     "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "haven't", "hasn't",
     "nobody"]
)
# Words that end a clause saying a thing is as it should be ("breathing is fine"). Only a
# clause's last word counts: "my right leg is swollen" and "a good bit swollen" say
# nothing about being fine.
_FINE = frozenset(
    ["fine", "ok", "okay", "alright", "right", "good", "great", "well", "normal", "normally",
     "properly", "proper", "myself", "himself", "herself", "themselves"]
)
# "Myself" says how someone is only after a word of being ("not feeling myself"), not after
# a deed ("I wet myself").
_SELF = frozenset(["myself", "himself", "herself", "themselves"])
_SIDE = frozenset(["the", "my", "his", "her", "their", "your", "on", "to"])
_BEING = frozenset(["feel", "feels", "feeling", "felt", "seem", "seems", "seemed", "be",
                    "being", "been", "is", "was", "not", "quite"])
# Words that may follow it ("breathing fine, thanks").
_AFTER_FINE = frozenset(["really", "though", "thanks", "thank", "you", "either", "at", "all",
                         "too"])
# Words of time that may follow a denied "well" ("not himself tonight"), but not a "fine":
# "fine now" can mean it was not, earlier tonight.
_AFTER_UNWELL = frozenset(["tonight", "today", "now", "lately"])
# Negations of a verb, which turn "fine" into its opposite ("can't breathe properly"); a
# "no" said first answers the question and does not ("no, I feel well").
_NOT = frozenset(["not", "never", "cannot", "hardly", "barely"])


def _clauses(text: str) -> list[list[str]]:
    text = text.lower().replace("\u2019", "'")
    # One spelling of "can't", so that a sign is written once ("can't feel arm").
    text = re.sub(r"\b(?:cannot|can not|couldn't|could not|cant)\b", "can't", text)
    parts = _CLAUSE_BREAKS.split(text)
    return [re.findall(r"[a-z0-9']+", p) for p in parts if p and p.strip()]


def _position(words: list[str], sign: str) -> int | None:
    """Where the last of the sign's words is in the clause, or None when one is absent."""
    last = -1
    for stem in sign.split():
        hits = [i for i, w in enumerate(words) if w.startswith(stem)]
        if not hits:
            return None
        last = max(last, hits[0])
    return last


def _how(words: list[str]) -> str | None:
    """"fine" when the clause ends by saying all is well, "unwell" when it ends by denying
    it, else None."""
    end, timed = len(words), False
    while end > 1 and words[end - 1] in _AFTER_FINE | _AFTER_UNWELL:
        timed = timed or words[end - 1] in _AFTER_UNWELL
        end -= 1
    if not end or words[end - 1] not in _FINE or (end > 1 and words[end - 2] == "as"):
        return None
    if words[end - 1] == "right" and end > 1 and words[end - 2] in _SIDE:
        return None  # a side ("swollen on the right"), not a state
    if words[end - 1] in _SELF and (end < 2 or not (words[end - 2] in _BEING
                                                    or words[end - 2].endswith("n't"))):
        return None
    if any(w in _NOT or w.endswith("n't") for w in words[:end - 1]):
        return "unwell"
    return None if timed else "fine"


def mentioned(text: str, flags: Iterable[RedFlag]) -> tuple[set[str], set[str]]:
    """The questions of the flags whose signs the text affirms, and those it denies."""
    affirmed: set[str] = set()
    denied: set[str] = set()
    for words in _clauses(text):
        how = _how(words)
        for flag in flags:
            for sign in flag.signs:
                at = _position(words, sign)
                if at is None:
                    continue
                if how is None:
                    # A negation before any of the sign's words: "no pain in my chest",
                    # "my leg is not swollen".
                    negated = any(w in _NEGATORS for w in words[:at + 1])
                else:
                    negated = how == "fine"
                (denied if negated else affirmed).add(flag.question)
    return affirmed, denied - affirmed


# What a clause saying someone or something is fine holds before its last word: "she's
# alright", "his calf is okay", "everything's fine". Any other word ("the pain's okay", "it
# hurts but it's okay") says something besides.
_WELL_SAID = frozenset(
    ["i", "i'm", "im", "she", "she's", "he", "he's", "they", "they're", "it", "it's", "we",
     "we're", "am", "is", "are", "was", "all", "everything", "everything's", "things", "both",
     "my", "his", "her", "their", "the", "feel", "feels", "feeling", "seem", "seems", "looks",
     "look", "breathing", "breathing's", "calf", "calves", "leg", "legs", "arm", "arms",
     "face", "chest", "foot", "feet", "hand", "hands", "speech", "skin", "toes", "quite",
     "perfectly", "completely", "totally", "absolutely"])


def fine(text: str, flags: Iterable[RedFlag], question: str | None = None) -> bool:
    """Whether the text says all is well and nothing else: a clause denies a sign (of
    ``question``, or any when None: "I'm breathing okay") or says plainly that someone or
    something is fine ("she's alright"), and no clause affirms a sign or says someone is
    unwell."""
    flags = list(flags)
    affirmed, denied = mentioned(text, flags)
    if affirmed or unwell(text):
        return False
    if denied if question is None else question in denied:
        return True
    said_fine = False
    for words in _clauses(text):
        if mentioned(" ".join(words), flags)[1]:
            continue  # a denied sign of another question says nothing besides
        if _how(words) == "fine":
            end = max(i for i, w in enumerate(words) if w in _FINE)
            words = words[:end]
            said_fine = True
        if any(w not in _WELL_SAID | _AFTER_FINE and w not in ("no", "nope") for w in words):
            return False  # something besides: "it hurts, but it's okay"
    return said_fine


def unwell(text: str) -> bool:
    """Whether the text says, in any clause, that someone is not well or not right."""
    return any(_how(words) == "unwell" for words in _clauses(text))


def described(text: str, question: str, flags: Iterable[RedFlag],
              answers: Mapping[str, object]) -> list[str]:
    """The questions of other warning signs this answer describes, not yet answered yes."""
    affirmed, _ = mentioned(text, flags)
    return [q for q in sorted(affirmed) if q != question and answers.get(q) != "yes"]
