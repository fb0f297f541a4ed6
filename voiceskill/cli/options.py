"""Options shared by several commands, and the one place a command's flags become
``Settings``: nothing below the command line sees argparse."""

from __future__ import annotations

import argparse

from .. import content as content_mod
from ..config import ENGINES, Settings, load_settings
from ..content import Content
from ..messages import Person

SETTING_FLAGS = (
    "engine", "model", "models_dir", "input_device", "rate", "volume", "voice", "end_silence",
    "no_input_timeout", "chime", "prompts",
)
"""Flags that set a field of ``Settings`` of the same name (None when not given)."""


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Defaults, the config file (read here, once), environment, then the flags given."""
    flags = {name: getattr(args, name, None) for name in SETTING_FLAGS}
    return load_settings(getattr(args, "config", None), **flags)


def content_for(settings: Settings) -> Content:
    """The content folder the settings name (``--prompts`` or ``prompts:``)."""
    return content_mod.load(settings.prompts)


def person_from_args(args: argparse.Namespace) -> Person:
    if not getattr(args, "caregiver", False):
        # Someone answering for themself may say how to refer to them: "he" skips the
        # pregnancy question and the age question asked only for it.
        return Person(pronoun=getattr(args, "pronoun", None) or "")
    name = (getattr(args, "name", None) or "").strip()
    return Person(caregiver=True, name=name, pronoun=args.pronoun or "they")


def add_voice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="speech recogniser (default: an English Vosk model if installed, else Whisper, "
        "else pocketsphinx)",
    )
    p.add_argument("--model", help="Vosk or Whisper model folder, or the name of one in models/")
    p.add_argument("--models-dir", help="where Vosk models are installed (default: models/)")
    p.add_argument("--config", help="settings file (YAML)")
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="log what the microphone and recogniser did for each answer (to stderr)",
    )


def add_speech_options(p: argparse.ArgumentParser) -> None:
    """How replies are spoken; the ranges are the settings' own (``voiceskill.config``)."""
    d = Settings()
    p.add_argument("--rate", type=int,
                   help=f"speaking rate in words a minute (default {d.rate}; {_range('rate')})")
    p.add_argument("--volume", type=float,
                   help=f"speaking volume (default {d.volume:g}; {_range('volume')})")
    p.add_argument("--voice", help="speech output voice id or name")


def _range(name: str) -> str:
    from ..config import bounds

    low, high = bounds(name)
    return f"{low:g} to {high:g}"


def add_person_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--caregiver", action="store_true", help="a caregiver answers for someone else")
    p.add_argument(
        "--name", help="the name of the person being cared for (checkin needs it with --caregiver)"
    )
    p.add_argument(
        "--pronoun",
        choices=["she", "he", "they"],
        help="the pronoun for the person the check-in is about (he: no pregnancy questions)",
    )
