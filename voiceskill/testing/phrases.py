"""Phrases the recogniser tests and the benchmark sweeps hear, and how their meanings match."""

from __future__ import annotations

# Meanings, so that "yeah" heard for "yes" counts as right: the dialog treats them alike.
SAME_MEANING = [
    {"yes", "yeah", "yep", "yes please"},
    {"no", "nope", "nah", "no thanks"},
    {"not sure", "i'm not sure"},
    {"i don't know", "don't know"},
    {"say that again", "say it again", "repeat that", "repeat"},
    {"help", "help me"},
    {"skip", "skip it"},
]

UNRELATED = [
    "turn on the lights",
    "what's the weather like tomorrow",
    "and now back to the studio for the latest news",
    "the president announced new tariffs today",
    "can you pass me the remote",
    "honey did you lock the door",
    "this program is brought to you by our sponsors",
    "where did i put my glasses",
]
"""Talk a bedside device overhears that is no answer."""


def same(a: str, b: str) -> bool:
    """Whether two phrases mean the same to the check-in."""
    return a == b or any(a in group and b in group for group in SAME_MEANING)
