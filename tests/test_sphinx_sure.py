"""The built-in engine keeps an answer unasked only when its open pass supports it
(``voiceskill.engines.sphinx_sure``, docs/decisions/034).

The rule is pure and tested on made-up hearings first; the last tests hear speech made at
test time (espeak-ng) through the real engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from voiceskill import content as content_mod
from voiceskill.config import Settings
from voiceskill.dialog import expectation
from voiceskill.engines import sphinx_agree, sphinx_sure
from voiceskill.messages import Expectation, Person, Transcript, Word
from voiceskill.understanding import Understander

READ_BACK = Settings().confirm_below


@pytest.fixture(scope="module")
def understand() -> sphinx_agree.Understand:
    return Understander(content_mod.load()).understand


def _expect(question: str) -> Expectation:
    return expectation(content_mod.load().question(question), Person())


def _grammar(text: str, start: float = 0.5, end: float = 1.0) -> Transcript:
    """A grammar answer heard with a confidence above the read-back line."""
    return Transcript(text, 0.95, (Word(text, 0.95, start, end),), engine="pocketsphinx")


def _open(*words: tuple[str, float, float, float]) -> Sequence[Word]:
    return tuple(Word(*w) for w in words)


def test_an_answer_the_open_pass_supports_is_kept(understand: sphinx_agree.Understand) -> None:
    got = _grammar("yes")
    words = _open(("yes", 0.9, 0.5, 1.0))
    assert sphinx_sure.settled(got, _expect("urge"), understand, words) == (got, "")


@pytest.mark.parametrize("words", [
    (),                                           # the open pass heard nothing
    (("yes", 0.3, 0.5, 1.0),),                    # the same answer, unsure
    (("yes", 0.9, 2.0, 2.4),),                    # sure, but after the answer's span
    (("gold", 0.9, 0.5, 0.7), ("body", 0.9, 0.7, 1.0)),  # sure, meaning nothing here
    (("maybe", 0.9, 0.5, 1.0),),                  # sure, another answer
])
def test_an_answer_without_support_is_read_back(
    understand: sphinx_agree.Understand, words: tuple[tuple[str, float, float, float], ...]
) -> None:
    taken, why = sphinx_sure.settled(_grammar("yes"), _expect("urge"), understand,
                                     _open(*words))
    assert taken.text == "yes" and not taken.rejected and why == "unsure"
    assert taken.confidence < READ_BACK


def test_a_control_without_support_is_asked_again_and_a_stop_asked_about(
    understand: sphinx_agree.Understand
) -> None:
    expect = _expect("urge")
    skip, why = sphinx_sure.settled(_grammar("skip"), expect, understand, ())
    assert skip.rejected and not skip.text and why == "unsure control"
    back = _grammar("go back")
    assert sphinx_sure.settled(back, expect, understand,
                               _open(("go", 0.8, 0.5, 0.7), ("back", 0.7, 0.7, 1.0))) == (back, "")
    stop, why = sphinx_sure.settled(_grammar("stop"), expect, understand, ())
    assert stop.text == "stop" and stop.confidence < READ_BACK and why == "unsure"


def test_numbers_lists_and_rejections_are_left_as_they_are(
    understand: sphinx_agree.Understand
) -> None:
    """A number and a medicine list are read back whatever the confidence; a rejection and an
    answer the open pass gave (no grammar words) have nothing to support."""
    seventy = _grammar("seventy")
    assert sphinx_sure.settled(seventy, _expect("age"), understand, ()) == (seventy, "")
    listed = _grammar("gabapentin")
    assert sphinx_sure.settled(listed, _expect("medications"), understand, ()) == (listed, "")
    away = Transcript("", 0.2, rejected=True, heard="absolutely")
    assert sphinx_sure.settled(away, _expect("urge"), understand, ()) == (away, "")
    opened = Transcript("absolutely", 0.6, engine="pocketsphinx")
    assert sphinx_sure.settled(opened, _expect("urge"), understand, ()) == (opened, "")


def test_the_rule_can_leave_controls_or_answers_alone(understand: sphinx_agree.Understand
                                                       ) -> None:
    expect = _expect("urge")
    answers_only = sphinx_sure.Sureness(controls=frozenset(), stop=False)
    skip = _grammar("skip")
    assert sphinx_sure.settled(skip, expect, understand, (), answers_only) == (skip, "")
    controls_only = sphinx_sure.Sureness(answers=False)
    yes = _grammar("yes")
    assert sphinx_sure.settled(yes, expect, understand, (), controls_only) == (yes, "")
