"""The `voiceskill` argument parser. Each command group lives in a module of its own that
exposes ``add_parsers(sub)``; a new group is registered with one line in ``COMMAND_GROUPS``.
A command sets ``func`` (run with the parsed arguments) and may set ``check_args`` (a usage
check that calls ``parser.error``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .. import journal_command, listen_command
from . import answers, checkin, models, speaking

AddParsers = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

COMMAND_GROUPS: tuple[AddParsers, ...] = (
    checkin.add_parsers,  # checkin
    answers.add_parsers,  # understand, assess, validate, transcribe
    speaking.add_parsers,  # say, devices, voice
    models.add_parsers,  # model list | download | install | verify
    journal_command.add_parsers,  # journal list | show | export | forget, report
    listen_command.add_parser,  # listen
)
"""The command groups, in the order `voiceskill --help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voiceskill",
        description="Offline bedside check-in for legs that twitch, tingle or feel jumpy at night.",
    )
    parser.add_argument("--prompts", help="content folder (default: prompts/, or `prompts:` in "
                        "the config file)")
    sub = parser.add_subparsers(dest="command")
    for add_parsers in COMMAND_GROUPS:
        add_parsers(sub)
    return parser
