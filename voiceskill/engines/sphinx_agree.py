"""A second, independent hearing must not contradict the grammar's answer.

A closed grammar forces a wording it does not list into one it does: "that's not right" into
"that's enough for tonight", "no ma'am" into "a lot", "guess not" into "yes I do". The open
pass hears the same audio with a language model of the check-in's own words
(``sphinx_domain``) and keeps much of what was said. Both hearings go through the text
understanding, as the check-in would read them; the grammar's answer is taken only when the
open hearing does not mean something else (another polarity, another control, another
number), and, for an answer, when it means nothing and has two words or more, shares at
least one word with it (hesitation sounds aside): "faster please" forced into "yes please" was
heard "this degrees", "goodness no" forced into "oh I don't know" "pill doesn't oh". With
the general English model the open pass misheard too many short answers for that second
test in quiet (docs/decisions/012); the check-in's own model hears them (docs/decisions/030).

When the grammar turns an answer away, the open hearing may answer instead, but only as an
answer (never a control, which would be carried out at once) and with a confidence under the
read-back line, so that the check-in reads it back first.

Both were off by default at first: where silence follows an answer, as at a microphone, the
open pass heard words that were not there ("are you") and the checks turned right listed
answers away. They are on since only the open pass's sure words count, inside the grammar
answer's span (``MIN_PROB``, ``SPAN_SLACK``; docs/decisions/030).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..messages import Expectation, Transcript, Understood, Word
from .sphinx_checks import _ALT_PRON, _FILLERS, _HESITATIONS, _times, disagrees

Understand = Callable[[str, Expectation], Understood]

OPEN_ANSWER_CONFIDENCE = 0.6
"""The confidence an answer heard only by the open pass is given: under the check-in's
read-back line (0.7), so it is read back before it is taken."""

SPAN_SLACK = 0.1
"""Seconds either side of the grammar's answer within which an open-pass word still counts
against it (the two decoders place a word's edges a few frames apart)."""

MIN_PROB = 0.4
"""The least posterior probability (from the open decoder's lattice) every open-pass word
must have for its hearing to count: to ask a grammar answer again, the words inside the
answer's span; to answer what the grammar turned away, every word. The open pass invents
words in silence and noise ("are you", "you bet not" for "skip that"), and it is unsure of
them: on the listed-phrase recordings every right answer it would have turned away had a
word under 0.4 ("so i'm fine" for "sometimes", 0.01), and at 0.2 unrelated talk began to be
read back as an answer (docs/decisions/030, "Later the same day")."""

_CHECKED = frozenset({"yes_no", "number"})
"""A medicine list is not checked against the open hearing: its names are heard best by the
grammar, and a list is always read back."""


@dataclass(frozen=True)
class Verdict:
    """The two hearings compared: whether they contradict, and the open one's meaning."""

    contradicts: bool
    heard: Understood | None = None


def understander(prompts: str | None = None) -> Understand:
    """The check-in's own text understanding, over the content folder it uses (the default
    one when ``prompts`` is None), so both hearings are read as the check-in reads them."""
    from ..content import load
    from ..understanding import Understander

    return Understander(load(prompts)).understand


def compare(said: str, heard: str, expect: Expectation, understand: Understand) -> Verdict:
    """Whether what the open pass ``heard`` means something other than the grammar's ``said``."""
    if not heard.strip():
        return Verdict(False)
    other = understand(heard, expect)
    if expect.kind not in _CHECKED or other.intent == "unknown" or not said:
        return Verdict(False, other)
    mine = understand(said, expect)
    return Verdict(mine.intent != other.intent or mine.value != other.value, other)


def open_words(decoder: Any) -> tuple[Word, ...]:
    """The open ``decoder``'s words of the last utterance, timed, with their posterior."""
    if decoder.hyp() is None:
        return ()
    return tuple(Word(_ALT_PRON.sub("", s.word), float(s.prob), *_times(s))
                 for s in decoder.seg() if s.word not in _FILLERS)


def within(words: Sequence[Word], span: Sequence[Word], slack: float = SPAN_SLACK,
           least: float = MIN_PROB) -> str:
    """What the open pass heard while the grammar's answer was said: its ``words`` whose
    middle falls inside the time ``span`` of the grammar's words, give or take ``slack``
    seconds, or "" (no evidence) when one of them is not ``sure``. All ``words`` when there
    is no span (the grammar turned the answer away)."""
    if span:
        start, end = span[0].start - slack, span[-1].end + slack
        words = [w for w in words if start <= (w.start + w.end) / 2 <= end]
    return " ".join(w.text for w in words) if sure(words, least) else ""


def sure(words: Sequence[Word], least: float = MIN_PROB) -> bool:
    """Whether every one of the open pass's ``words`` has a posterior of at least ``least``."""
    return bool(words) and all(w.confidence >= least for w in words)


def checked(result: Transcript, expect: Expectation, understand: Understand,
            from_open: bool, words: Sequence[Word] | None = None) -> tuple[Transcript, str]:
    """The grammar's ``result`` after the open hearing is compared with it, and why it was
    changed ("" when not): rejected on a contradiction or when no word is shared; when the
    grammar rejected and ``from_open``, the open hearing's answer at
    ``OPEN_ANSWER_CONFIDENCE``. Given the open pass's timed ``words`` (as the recogniser
    does), only sure words inside the grammar answer's span count against it, and an open
    answer is taken only when all its words are sure (``within``)."""
    heard = (result.heard if words is None
             else within(words, result.words, SPAN_SLACK, MIN_PROB))
    verdict = compare(result.text, heard, expect, understand)
    mine = understand(result.text, expect) if result.text else None
    if not result.rejected and mine is not None and expect.kind in _CHECKED and not _number(mine):
        why = ("contradicted" if verdict.contradicts
               else "disagreed" if mine.intent == "answer"
               and _disagrees(result.text, heard) else "")
        if why:
            return replace(result, text="", words=(), rejected=True,
                           confidence=min(result.confidence, 0.49)), why
    if not (from_open and result.rejected and heard.strip()):
        return result, ""
    other = understand(heard, expect)
    if other.intent == "answer" and other.value is not None:
        return replace(result, text=heard, rejected=False, words=(),
                       confidence=OPEN_ANSWER_CONFIDENCE), "open answer"
    return result, ""


def _disagrees(said: str, heard: str) -> bool:
    """No word in common, when the open pass heard two words or more besides hesitation
    sounds: a single word is often the same answer spelled another way ("yep" heard "yup")."""
    return len(set(heard.split()) - _HESITATIONS) >= 2 and disagrees(said, heard)


def _number(meant: Understood) -> bool:
    """A number is always read back first (``interpretation.always_read_back``), so it is not
    doubted here: on the spoken check-in's recordings the open pass heard "seventy" as "do
    eighty" and "every night" as "barely are you", and the checks turned the right numbers
    away."""
    return isinstance(meant.value, int) and not isinstance(meant.value, bool)
