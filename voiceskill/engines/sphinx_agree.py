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

Both are off by default (``SphinxRecognizer(agreement=True, open_answers=True)``): on the
natural answers they cut acted-on errors to 2-3% and doubled right answers, but where silence
follows an answer, as at a microphone, the open pass hears words that are not there ("are
you") and the checks turned right listed answers away (docs/decisions/030).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..messages import Expectation, Transcript, Understood
from .sphinx_checks import _HESITATIONS, disagrees

Understand = Callable[[str, Expectation], Understood]

OPEN_ANSWER_CONFIDENCE = 0.6
"""The confidence an answer heard only by the open pass is given: under the check-in's
read-back line (0.7), so it is read back before it is taken."""

_CHECKED = frozenset({"yes_no", "number"})
"""A medicine list is not checked against the open hearing: its names are heard best by the
grammar, and a list is always read back."""


@dataclass(frozen=True)
class Verdict:
    """The two hearings compared: whether they contradict, and the open one's meaning."""

    contradicts: bool
    heard: Understood | None = None


def understander() -> Understand:
    """The check-in's own text understanding, over its default content."""
    from ..content import load
    from ..understanding import Understander

    return Understander(load()).understand


def compare(said: str, heard: str, expect: Expectation, understand: Understand) -> Verdict:
    """Whether what the open pass ``heard`` means something other than the grammar's ``said``."""
    if not heard.strip():
        return Verdict(False)
    other = understand(heard, expect)
    if expect.kind not in _CHECKED or other.intent == "unknown" or not said:
        return Verdict(False, other)
    mine = understand(said, expect)
    return Verdict(mine.intent != other.intent or mine.value != other.value, other)


def checked(result: Transcript, expect: Expectation, understand: Understand,
            from_open: bool) -> tuple[Transcript, str]:
    """The grammar's ``result`` after the open hearing is compared with it, and why it was
    changed ("" when not): rejected on a contradiction or when no word is shared; when the
    grammar rejected and ``from_open``, the open hearing's answer at
    ``OPEN_ANSWER_CONFIDENCE``."""
    verdict = compare(result.text, result.heard, expect, understand)
    mine = understand(result.text, expect) if result.text else None
    if not result.rejected and mine is not None and expect.kind in _CHECKED and not _number(mine):
        why = ("contradicted" if verdict.contradicts
               else "disagreed" if mine.intent == "answer"
               and _disagrees(result.text, result.heard) else "")
        if why:
            return replace(result, text="", words=(), rejected=True,
                           confidence=min(result.confidence, 0.49)), why
    heard = verdict.heard
    if (from_open and result.rejected and heard is not None and heard.intent == "answer"
            and heard.value is not None):
        return replace(result, text=result.heard, rejected=False, words=(),
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
