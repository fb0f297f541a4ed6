"""Which of the grammar's answers the built-in engine is sure of.

A closed grammar always finds a phrase it lists, and the fit tests of ``sphinx_checks`` let
through many a wrong one whose sounds are close ("that's not right" as "that's enough for
tonight", "I'll pass" as "er yes", a "skip" for "it's hit or miss"). The open pass's sure
words (``sphinx_agree``) ask it again only when they mean something else; when they say
nothing, as they mostly do in noise, the forced answer was kept as confidently as a right
one, and on the natural answers 7% (quiet) to 11% (pink noise) were wrong and acted on.

So an answer is taken without a read-back only when it is *supported*: the open pass, sure
of its words inside the answer's span, means the same. Otherwise

* an answer is read back first (its confidence lowered under the read-back line);
* a stop is asked about ("Do you want to stop for tonight?"), for the same reason;
* another control (skip, go back, say again, help, slower...) is asked again: the dialog
  carries a control out at once, and a misheard "skip" or "go back" moves the check-in.

Numbers and medicine lists are read back whatever the confidence and are left as they are.
Every constant was chosen on the natural answers' tuning half (docs/decisions/034).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..messages import Expectation, Transcript, Understood, Word

Understand = Callable[[str, Expectation], Understood]

UNSURE_CONFIDENCE = 0.6
"""The confidence an unsupported answer or stop is given: under the check-in's read-back
line (0.7, ``Settings.confirm_below``), so it is read back, like an open-pass answer."""

SUPPORT_PROB = 0.4
"""The least lattice posterior every open word inside the answer's span must have for the
open hearing to support it (the same line as the agreement check's, ``sphinx_agree``)."""


@dataclass(frozen=True)
class Sureness:
    """The rule's settings, kept together so a benchmark can try others on stored hearings."""

    least: float = SUPPORT_PROB
    slack: float = 0.1
    controls: frozenset[str] = frozenset(
        {"skip", "back", "repeat", "help", "slower", "faster", "louder", "quieter"})
    """Controls asked again when unsupported."""
    answers: bool = True
    """Whether an unsupported answer is read back."""
    stop: bool = True
    """Whether an unsupported stop is asked about."""


SHIPPED = Sureness()


def supporting(words: Sequence[Word], span: Sequence[Word], rule: Sureness = SHIPPED) -> str:
    """The open pass's words heard while the grammar's answer was said (middle inside its
    ``span``, give or take ``rule.slack`` seconds), or "" unless every one is sure."""
    if not span:
        return ""
    start, end = span[0].start - rule.slack, span[-1].end + rule.slack
    inside = [w for w in words if start <= (w.start + w.end) / 2 <= end]
    if not inside or any(w.confidence < rule.least for w in inside):
        return ""
    return " ".join(w.text for w in inside)


def settled(result: Transcript, expect: Expectation, understand: Understand,
            words: Sequence[Word], rule: Sureness = SHIPPED) -> tuple[Transcript, str]:
    """``result`` (after the agreement check) as the check-in should take it, and why it was
    changed ("" when not): an unsupported answer or stop is read back, another control is
    turned away."""
    if result.rejected or not result.text or not result.words:
        return result, ""  # turned away already, or an open-pass answer (read back anyway)
    if expect.kind not in ("yes_no", "number"):
        return result, ""
    mine = understand(result.text, expect)
    if mine.intent == "unknown" or _read_back_anyway(mine):
        return result, ""
    heard = supporting(words, result.words, rule)
    if heard:
        other = understand(heard, expect)
        if other.intent == mine.intent and other.value == mine.value:
            return result, ""
    if (mine.intent == "answer" and rule.answers) or (mine.intent == "stop" and rule.stop):
        return replace(result, confidence=min(result.confidence, UNSURE_CONFIDENCE)), "unsure"
    if mine.intent in rule.controls:
        return replace(result, text="", words=(), rejected=True,
                       confidence=min(result.confidence, 0.49)), "unsure control"
    return result, ""


def _read_back_anyway(meant: Understood) -> bool:
    """Numbers (and lists) are read back whatever the confidence
    (``interpretation.always_read_back``)."""
    value = meant.value
    return isinstance(value, list) or (isinstance(value, int) and not isinstance(value, bool))
