"""Which of the grammar's answers the built-in engine is sure of.

A closed grammar always finds a phrase it lists, and the fit tests of ``sphinx_checks`` let
through many a wrong one whose sounds are close ("that's not right" as "that's enough for
tonight", "I'll pass" as "er yes", a "skip" for "it's hit or miss"). The open pass's sure
words (``sphinx_agree``) ask it again only when they mean something else; when they say
nothing, as they mostly do in noise, the forced answer was kept as confidently as a right
one, and on the natural answers 7% (quiet) to 11% (pink noise) were wrong and acted on.

So the grammar's answer is taken without a read-back only when it is *supported*: the open
pass, in the answer's span, heard words that mean the same (two decoders agreeing is the
evidence, so here every word counts, sure or not). Otherwise

* when the open pass heard, in the span, words that mean something else (another answer, a
  control; however unsure of them), the question is asked again;
* an answer is read back first (its confidence lowered under the read-back line), and a
  stop asked about ("Do you want to stop for tonight?");
* a skip, go back or repeat is carried out: the open pass hears short commands badly
  ("skip" as "a few", a clear "say that again" as "do you get a few"), and asking for
  support lost listed controls; the contradiction test above still catches controls forced
  out of other talk ("it depends" as "repeat that", heard "it depends");
* a help or voice control (``NEEDS_SUPPORT``) is asked again unless the open pass supports
  it or keeps a word of it: on new voices much of what was still acted on was talk forced
  into "what do you mean", "i don't understand" or "too slow" that the open pass heard as
  nothing it understood (docs/decisions/039). Asking again says the question once more,
  with examples, which is much what help does.

Numbers and medicine lists are read back whatever the confidence and are left as they are.
Every constant was chosen on the natural answers' tuning half, spoken by the tuning voices,
and checked on development voices (docs/decisions/034, 039).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..messages import Expectation, Transcript, Understood, Word
from .sphinx_checks import _HESITATIONS

Understand = Callable[[str, Expectation], Understood]

UNSURE_CONFIDENCE = 0.6
"""The confidence an unsupported answer or stop is given: under the check-in's read-back
line (0.7, ``Settings.confirm_below``), so it is read back, like an open-pass answer."""

SUPPORT_PROB = 0.0
"""The least lattice posterior every open word inside the answer's span must have for the
open hearing to support it: none. At the agreement check's 0.4 (``sphinx_agree``) the open
pass's short-word hearings ("i'm not sure" with "i'm" at 0.21) supported too little: on the
tuning half 10 (quiet) and 20 (pink noise) more right answers were read back, and on the
listed phrases 12 and 16 more of 88 (docs/decisions/034)."""


DOUBT_PROB = 0.0
"""How sure the open words in an unsupported answer's span must be to ask it again when they
mean something else: any at all. On the tuning half in pink noise this turned 15 wrong
read-backs into questions asked again, 6 of them flips, for 2 right answers (quiet: 3 and 0;
docs/decisions/034)."""


CONTROL_DOUBT_PROB = 0.0
"""The same for a control: any at all. From 0.05 up, 3 to 9 more answers misheard as a control
(in pink noise, tuning half) were carried out; the price is a "skip" the open pass hears as
"you bet" (a yes), asked again (docs/decisions/034)."""


NEEDS_SUPPORT = frozenset({"help", "slower", "faster", "louder", "quieter"})
"""The controls carried out only when the open pass supports them (or shares a word with them,
``Sureness.word_support``), else asked again: on the tuning half, spoken by the tuning voices
and by development voices no rule was set on, talk and answers forced into "what do you mean",
"pardon", "repeat that" or "too slow" were most of what was still acted on (8 of 10 in quiet,
12 of 15 in pink noise, tuning voices). Asking again says the question once more, with examples,
which is what help does. Skip and go back are left out: none was acted on wrongly there, and
the open pass hears "skip" as "a few" or "tuesday"; so is repeat: the open pass heard a clear
"say that again" as "do you get a few", and a wrong repeat only says the question again
(docs/decisions/039)."""

COMMON_WORDS = frozenset({"i", "you", "me", "it", "a", "the", "that", "this", "to", "do",
                          "and", "of", "on", "in", "is", "are", "what", "don't", "not", "no"})
"""Words too common to count as a shared word between the two hearings: the open pass puts
"i", "do you", "the" into much talk it does not know, and a "don't" or "not" is in as many
answers as commands ("I don't have it" forced into "i don't understand")."""


@dataclass(frozen=True)
class Sureness:
    """The rule's settings, kept together so a benchmark can try others on stored hearings."""

    least: float = SUPPORT_PROB
    slack: float = 0.1
    controls: frozenset[str] = frozenset(
        {"skip", "back", "repeat", "help", "slower", "faster", "louder", "quieter"})
    """Controls asked again when unsupported, if ``control_support``."""
    control_support: bool = False
    """Whether a control needs support (tried; it cost listed controls); when not, it is
    asked again only when the open pass's words in its span mean something else."""
    control_doubt: float | None = CONTROL_DOUBT_PROB
    """How sure the open words must be to ask a control again when they mean something else
    (None: never)."""
    answers: bool = True
    """Whether an unsupported answer is read back."""
    stop: bool = True
    """Whether an unsupported stop is asked about."""
    keep_above: float | None = None
    """When set, an answer or control the grammar fits at least this well (its confidence)
    is kept without support (tried; not shipped)."""
    needs_support: frozenset[str] = NEEDS_SUPPORT
    """Controls asked again whenever the open pass does not support them, whatever
    ``control_support`` says."""
    word_support: bool = True
    """A control of ``needs_support`` is supported too when the open words in its span share
    a word with it that is not one of ``COMMON_WORDS`` ("say that again" heard "do you that
    again", "next question" heard "the question"): the open pass keeps a word of a command
    more often than the whole command."""
    agree_least: float = 0.0
    """Support counts only when the surest of the agreeing open words has at least this
    posterior."""
    agree_sure: float = 0.0
    """Support counts only when the agreeing open words still mean the same with every word
    under this posterior left out."""
    agree_cover: float = 0.0
    """Support counts only when the agreeing open words cover at least this share of the
    answer's span."""
    doubt: float | None = DOUBT_PROB
    """An unsupported answer or control is asked again, not read back, when the open words in
    its span, each at least this sure, mean something else (None: never): a wrong read-back
    costs a "no, that's wrong" and the question again, and a flipped yes or no read back to
    a tired person may be confirmed by mistake."""


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
    if rule.keep_above is not None and result.confidence >= rule.keep_above:
        return result, ""
    if _supported(mine, words, result.words, rule, expect, understand):
        return result, ""
    least = rule.doubt if mine.intent in ("answer", "stop") else rule.control_doubt
    if least is not None and _contradicted(mine, words, result.words, least, rule, expect,
                                           understand):
        return replace(result, text="", words=(), rejected=True,
                       confidence=min(result.confidence, 0.49)), "unsure, contradicted"
    if (mine.intent in rule.controls and not rule.control_support
            and (mine.intent not in rule.needs_support or result.text in expect.short_answers)):
        # A question's own short answer ("tell me more" at the details offer, a help) is
        # what it listens for: carried out as before unless contradicted.
        return result, ""
    if (mine.intent == "answer" and rule.answers) or (mine.intent == "stop" and rule.stop):
        return replace(result, confidence=min(result.confidence, UNSURE_CONFIDENCE)), "unsure"
    if mine.intent in rule.controls or mine.intent in rule.needs_support:
        return replace(result, text="", words=(), rejected=True,
                       confidence=min(result.confidence, 0.49)), "unsure control"
    return result, ""


def _supported(mine: Understood, words: Sequence[Word], span: Sequence[Word], rule: Sureness,
               expect: Expectation, understand: Understand) -> bool:
    """Whether the open words in the answer's span mean what the grammar heard, and (with
    ``rule.agree_least`` or ``rule.agree_cover``) are sure enough and fill enough of it."""
    heard = supporting(words, span, rule)
    if not heard:
        return False
    other = understand(heard, expect)
    if other.intent != mine.intent or other.value != mine.value:
        return (rule.word_support and mine.intent in rule.needs_support
                and other.intent == "unknown" and _shares_a_word(heard, span))
    start, end = span[0].start - rule.slack, span[-1].end + rule.slack
    inside = [w for w in words if start <= (w.start + w.end) / 2 <= end]
    if max(w.confidence for w in inside) < rule.agree_least:
        return False
    if rule.agree_sure > 0.0:
        kept = " ".join(w.text for w in inside if w.confidence >= rule.agree_sure)
        again = understand(kept, expect) if kept else None
        if again is None or again.intent != mine.intent or again.value != mine.value:
            return False
    length = max(span[-1].end - span[0].start, 1e-3)
    return sum(w.end - w.start for w in inside) / length >= rule.agree_cover


def _shares_a_word(heard: str, span: Sequence[Word]) -> bool:
    """A word in both hearings, or two that begin alike ("slow" heard for "slower"), that is
    not a common word."""
    said = {w.text for w in span} - COMMON_WORDS - _HESITATIONS
    return any(a == b or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])
               for a in set(heard.split()) - COMMON_WORDS - _HESITATIONS for b in said)


def _contradicted(mine: Understood, words: Sequence[Word], span: Sequence[Word], least: float,
                  rule: Sureness, expect: Expectation, understand: Understand) -> bool:
    heard = supporting(words, span, replace(rule, least=least))
    other = understand(heard, expect) if heard else None
    return other is not None and other.intent != "unknown" and (
        other.intent != mine.intent or other.value != mine.value)


def _read_back_anyway(meant: Understood) -> bool:
    """Numbers (and lists) are read back whatever the confidence
    (``interpretation.always_read_back``)."""
    value = meant.value
    return isinstance(value, list) or (isinstance(value, int) and not isinstance(value, bool))
