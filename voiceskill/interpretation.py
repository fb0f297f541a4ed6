"""What one heard utterance means for the dialog, as pure functions: which answers are read
back first, how long a kind of answer may run, and that a rejected recognition is "not
understood". No audio, no terminal: the session hands an ``Utterance`` in and passes what
comes out to the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from . import rules
from .config import Settings
from .content import Content
from .messages import NOISY_ROOM, Expectation, Transcript, Understood, Utterance

Understand = Callable[[str, Expectation], Understood]
"""Text to meaning for one question (``Understander.understand``)."""

LONGEST_ANSWER = {"yes_no": 8.0, "number": 8.0}
"""Seconds of sound after which a yes/no or a number is cut off (a list of medicines, and the
"Do you take any medicines?" that may be answered with one, keep the listener's 15 s).
Unbroken sound that long is a television or radio, not someone answering: waiting the full
15 s before saying so would leave a tired person wondering if it had heard."""


def longest_answer(expect: Expectation) -> float | None:
    """How long this answer may run, or None for the listener's own cap."""
    # "Yes, sertraline, Seroquel and Tylenol PM" is a yes/no answer with a list in it.
    return None if expect.names_medicines else LONGEST_ANSWER.get(expect.kind)


@dataclass(frozen=True)
class ReadBack:
    """When an answer is read back before it is taken."""

    confirm_below: float = Settings().confirm_below
    """Answers heard with less confidence than this are read back, and a stop is asked
    about ("Do you want to stop for tonight?"). On two draws of ten voices, answers scored
    0.6 to 0.7 were right 4 times and wrong 5 (unrelated talk at 10 dB taken as "no i don't"
    or "i'm not sure"); 0.7 to 0.8, 9 and 9 (docs/decisions/009)."""
    warning_signs: frozenset[str] = frozenset()
    """The questions about a warning sign: a spoken no to one is always read back."""

    @classmethod
    def for_content(cls, content: Content, confirm_below: float | None = None) -> ReadBack:
        below = cls.confirm_below if confirm_below is None else confirm_below
        return cls(below, frozenset(rules.red_flag_questions(content)))


@dataclass(frozen=True)
class Interpretation:
    """What the dialog is told: what was understood (None: nothing was said in time), and
    whether it may be taken without a read-back."""

    understood: Understood | None
    confident: bool = True


def interpret(
    utterance: Utterance, expect: Expectation, understand: Understand, policy: ReadBack
) -> Interpretation:
    """The meaning of one utterance that did not end the input."""
    if utterance.transcript is None or utterance.ended == "no_input":
        return Interpretation(None)
    understood, confident = interpret_transcript(
        utterance.transcript, expect, understand, policy)
    if utterance.noisy and understood.intent == "unknown":
        understood = replace(understood, reason=NOISY_ROOM)
    return Interpretation(understood, confident)


def meaning(transcript: Transcript, expect: Expectation, understand: Understand) -> Understood:
    """What was said, understood; a recognition the engine rejected means "not an answer"."""
    if transcript.rejected or not transcript.text:
        return Understood("unknown", None, transcript.heard, "not an answer")
    understood = understand(transcript.text, expect)
    if understood.intent == "unknown" and transcript.alternative:
        # Whisper heard a yes/no answer again without the prompt; when the prompted words
        # mean nothing ("Try it up please."), the other hearing often holds them ("Quieter
        # please"): on the tuning half 3 answers more right in quiet, 6 in noise, none
        # wrong (docs/decisions/027).
        other = understand(transcript.alternative, expect)
        if other.intent != "unknown":
            return other
    return understood


def interpret_transcript(
    transcript: Transcript, expect: Expectation, understand: Understand, policy: ReadBack
) -> tuple[Understood, bool]:
    """What was understood, and whether it may be taken without reading it back."""
    understood = meaning(transcript, expect, understand)
    if transcript.rejected or not transcript.text:
        return understood, True
    if understood.intent == "stop":
        # A stop heard faintly may be the television: asking first costs one turn,
        # ending by mistake the rest of the check-in. In steady noise, talk heard as
        # "goodbye" or "that's enough for tonight" scored 0.51 to 0.68 and spoken stops
        # 0.76 and above; in quiet 2 of 30 spoken stops scored below 0.7.
        return understood, transcript.confidence >= policy.confirm_below
    if understood.intent != "answer":
        return understood, True
    spoken = transcript.engine != "text"
    return understood, transcript.confidence >= policy.confirm_below and not (
        spoken and (always_read_back(understood.value)
                    or closes_a_warning_sign(expect, understood.value, policy.warning_signs))
    )


def closes_a_warning_sign(expect: Expectation, value: object, signs: Collection[str]) -> bool:
    """A spoken no to a warning sign is read back whatever the confidence: misheard, it
    would close the way to the urgent advice; a yes or not sure only asks more."""
    return value == "no" and expect.question_id in signs


def always_read_back(value: object) -> bool:
    """Answers a recogniser gives that are read back whatever its confidence.

    Medicine names: a name that sounds like another is easily mistaken, and the advice
    depends on which medicine it is. Numbers: "seventy" heard as "seventeen", "eighty two"
    as "ninety two", with confidence 0.94 and above, so no cut-off catches them (5 of 180
    spoken numbers in quiet, 30 of 180 at 10 dB; docs/decisions/009). Age and nights a
    week decide which questions and which advice follow.
    """
    if isinstance(value, list):
        return bool(value)
    return isinstance(value, int) and not isinstance(value, bool)
