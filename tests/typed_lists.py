"""What the typed-answer tests share: the content, one understander, and the labels of every
list that may be quoted (tuning halves and development lists; never a held-out half)."""

from __future__ import annotations

from benchmarks import typed
from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.messages import Person
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
U = Understander(CONTENT)
LISTED = {(i.question, i.text): i.expect for half in typed.TUNING_HALVES
          for i in typed.load(half)}


def read(question: str, text: str) -> object:
    """The answer value, the control intent, or "unknown", for oneself."""
    u = U.understand(text, expectation(CONTENT.question(question), Person()))
    return u.value if u.intent == "answer" else u.intent


def listed(question: str, text: str) -> str:
    """The label of a listed item: a test quoting anything else fails."""
    label = LISTED.get((question, text))
    assert label is not None, f"{text!r} at {question} is in no tuning half or development list"
    return label
