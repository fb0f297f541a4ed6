"""What one utterance means for the dialog: pure functions, no audio, no terminal."""

from __future__ import annotations

import argparse

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import parser as cli_parser
from voiceskill.interpretation import (
    LONGEST_ANSWER,
    ReadBack,
    interpret,
    longest_answer,
    meaning,
)
from voiceskill.messages import NOISY_ROOM, Expectation, Transcript, Utterance
from voiceskill.understanding import Understander

CONTENT = content_mod.load()
UNDERSTAND = Understander(CONTENT).understand
POLICY = ReadBack.for_content(CONTENT)
YES_NO = Expectation("yes_no", "urge")
TV = Transcript(text="", confidence=0.0, engine="vosk", rejected=True, heard="and in football")


def spoken(text: str, confidence: float) -> Transcript:
    return Transcript(text=text, confidence=confidence, engine="vosk")


def test_nothing_said_in_time_is_no_answer_at_all() -> None:
    meant = interpret(Utterance("no_input"), YES_NO, UNDERSTAND, POLICY)
    assert meant.understood is None and meant.confident


def test_a_rejected_recognition_means_not_understood_and_keeps_what_it_sounded_like() -> None:
    u = meaning(TV, YES_NO, UNDERSTAND)
    assert (u.intent, u.reason, u.text) == ("unknown", "not an answer", "and in football")
    meant = interpret(Utterance("speech", TV), YES_NO, UNDERSTAND, POLICY)
    assert meant.understood == u and meant.confident


def test_sound_that_ran_too_long_and_was_not_understood_is_the_noisy_room() -> None:
    meant = interpret(Utterance("too_long", TV), YES_NO, UNDERSTAND, POLICY)
    assert meant.understood is not None and meant.understood.reason == NOISY_ROOM
    # Understood despite running long: the answer stands.
    meant = interpret(Utterance("too_long", spoken("yes", 0.99)), YES_NO, UNDERSTAND, POLICY)
    assert meant.understood is not None and meant.understood.value == "yes" and meant.confident


def test_the_confidence_cut_off_and_the_warning_signs_decide_a_read_back() -> None:
    assert interpret(Utterance("speech", spoken("yes", 0.9)), YES_NO, UNDERSTAND, POLICY).confident
    faint = interpret(Utterance("speech", spoken("yes", 0.5)), YES_NO, UNDERSTAND, POLICY)
    assert not faint.confident
    stricter = ReadBack(confirm_below=0.95, warning_signs=POLICY.warning_signs)
    assert not interpret(Utterance("speech", spoken("yes", 0.9)), YES_NO, UNDERSTAND,
                         stricter).confident
    sign = Expectation("yes_no", "red_flag_any")
    assert "red_flag_any" in POLICY.warning_signs
    no = interpret(Utterance("speech", spoken("no", 0.99)), sign, UNDERSTAND, POLICY)
    assert no.understood is not None and no.understood.value == "no" and not no.confident


@pytest.mark.parametrize(
    ("expect", "longest"),
    [
        (YES_NO, LONGEST_ANSWER["yes_no"]),
        (Expectation("number", "age", 18, 110), LONGEST_ANSWER["number"]),
        (Expectation("yes_no", "takes_medicines", names_medicines=True), None),
        (Expectation("medications", "medication_names"), None),
    ],
)
def test_the_longest_answer_depends_on_its_kind(expect: Expectation, longest: float | None) -> None:
    assert longest_answer(expect) == longest


def test_a_command_group_registers_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        p = sub.add_parser("diary", help="the nights so far")
        p.add_argument("--last", type=int)

    monkeypatch.setattr(cli_parser, "COMMAND_GROUPS", (*cli_parser.COMMAND_GROUPS, add_parsers))
    args = cli_parser.build_parser().parse_args(["diary", "--last", "3"])
    assert (args.command, args.last) == ("diary", 3)
    assert cli_parser.build_parser().parse_args(["checkin", "--text"]).text
