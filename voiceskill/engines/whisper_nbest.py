"""The beam's other hypotheses: what Whisper nearly wrote, used when what it wrote means
nothing ("He is seven to seven." with "He is seventy seven." next in the beam).

Beam search keeps several hypotheses and CTranslate2 returns them all, best first, at no
extra cost (``generate(..., num_hypotheses=N)``). They are not independent hearings: they
share the prompt, and at a yes/no question the prompt's answers make a "Yes." or "No." cheap
for the decoder to add ("No. The dog needs to go out.", "Yeah." for "huh?"), so a yes or a no
found only in a lower hypothesis is weak evidence and never taken. What is taken is a
meaning every hypothesis that means anything agrees on, and only one that is asked about or
harmless when wrong: a number or medicine (read back), a stop (asked about), "repeat" or
"help" (docs/decisions/033).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..messages import Expectation
from .polarity import mixed
from .whisper_checks import Guard, Heard, judge, polarity_differs

Meaning = tuple[str, str]
"""(intent, value as text) of a text said to one question, as ``whisper_rescue`` has it."""

TAKEN = frozenset({"stop", "repeat", "help"})
"""Meanings a lower hypothesis may give at any question; answers too, except a yes or a no.
Skip, go back and the voice controls are carried out without asking, so they are not."""


def usable(others: Iterable[Heard], expect: Expectation, open_text: str, guard: Guard,
           spell: Callable[[str], str] = str) -> list[str]:
    """The texts of the hypotheses that pass Whisper's signals (``judge``), hold no yes beside
    a negation, and at a yes/no question agree on a negation with the hearing without the
    prompt; ``spell`` writes medicine names as the list spells them."""
    texts = []
    for heard in others:
        text = spell(heard.text.strip())
        if judge(heard, guard) or mixed(text):
            continue
        if expect.kind == "yes_no" and polarity_differs(text, open_text):
            continue
        texts.append(text)
    return list(dict.fromkeys(texts))


def agreed(texts: Sequence[str], expect: Expectation,
           meaning: Callable[[str], Meaning | None]) -> str:
    """The first of ``texts`` that means something, when every one that means something
    means the same and that meaning may be taken (``TAKEN``, or an answer at a number or
    medicine question); "" otherwise. A yes in one hypothesis and a "repeat" in another
    leave it unknown: hypotheses that disagree are never guessed between."""
    meant = [(t, m) for t in texts if (m := meaning(t)) is not None]
    if not meant or len({m for _, m in meant}) > 1:
        return ""
    intent = meant[0][1][0]
    if intent in TAKEN or (intent == "answer" and expect.kind != "yes_no"):
        return meant[0][0]
    return ""
