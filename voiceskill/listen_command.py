"""`voiceskill listen`: bedside mode, running until stopped (docs/bedside.md).

Exit codes: 0 when stopped (Ctrl-C, or SIGTERM from the service manager: a check-in in
progress ends as if the person said stop, and is kept), 3 when there is no microphone (or
no wake word engine) and ``--wait-for-microphone`` was not given, 1 for a mistake in the
settings file (one line naming the file and the key).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from .errors import AudioError, EngineError, sentence

EXIT_NO_MICROPHONE = 3
UNIT = Path(__file__).resolve().parents[1] / "contrib" / "systemd" / "voiceskill.service"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("listen", help="bedside mode: wait for the wake word, then listen")
    p.add_argument("--engine", choices=["auto", "vosk", "whisper", "pocketsphinx"],
                   help="speech recogniser for requests and the check-in (as for checkin)")
    p.add_argument("--model", help="Vosk or Whisper model folder, or the name of one in models/")
    p.add_argument("--models-dir", help="where models are installed (default: models/)")
    p.add_argument("--config", help="settings file (YAML), with a bedside: section")
    p.add_argument("--input-device", help="microphone name or number (see `voiceskill devices`)")
    p.add_argument("--wake-word", help="okay nabu, hey jarvis, hey mycroft or alexa "
                   "(default: bedside.wake_word in the settings, else okay nabu)")
    p.add_argument("--wait-for-microphone", action="store_true",
                   help="with no microphone, wait for one instead of exiting with code 3 "
                   "(the service does this)")
    p.add_argument("--print-service", action="store_true",
                   help="print a systemd user unit that runs listen, and exit")
    p.add_argument("--verbose", "-v", action="store_true", help="log each wake and request")
    p.set_defaults(func=cmd_listen)


def service_unit() -> str:
    """The unit in contrib/systemd, pointed at this installation's Python."""
    if not UNIT.is_file():
        from .errors import VoiceskillError

        raise VoiceskillError(f"the unit file {UNIT} is missing; it comes with the source "
                              "checkout (contrib/systemd/voiceskill.service)")
    text = UNIT.read_text(encoding="utf-8")
    return text.replace("%h/voiceskill/.venv/bin/python", sys.executable)


def cmd_listen(args: argparse.Namespace) -> int:
    if args.print_service:
        print(service_unit(), end="")
        return 0
    from .bedside import settings as bedside_settings
    from .bedside.wake import MicroWake
    from .cli.options import content_for, settings_from_args
    from .preferences import listener_for
    from .remembered import announce_remembered, remembered_voice, rememberer

    settings = settings_from_args(args)
    bedside = settings.bedside
    if args.wake_word:
        chosen = bedside_settings.parse({"wake_word": args.wake_word}, "--wake-word")
        bedside = replace(bedside, wake_word=chosen.wake_word)
    # The speed and volume this listener asked for on an earlier night, as checkin uses
    # them; a change asked for tonight is kept the same way.
    listener = listener_for(bedside.person)
    prefs, remembered = remembered_voice(listener, sys.stderr)
    usual, settings = settings, settings.with_remembered(remembered)
    announce_remembered(settings, remembered)
    remember = rememberer(prefs, listener, sys.stderr,
                          usual={"rate": usual.rate, "volume": usual.volume},
                          pinned=set(usual.flags) & {"rate", "volume"}, kept=remembered or {})
    content = content_for(settings)
    _logging(args.verbose)
    try:
        wake = MicroWake(bedside.model, bedside.wake_word)
        first = _first_stream(settings.input_device, args.wait_for_microphone)
    except (AudioError, EngineError) as err:
        print(f"voiceskill listen: cannot listen: {sentence(err)}.", file=sys.stderr)
        return EXIT_NO_MICROPHONE
    from .bedside.service import run_service

    return run_service(settings, bedside, content, wake, first, remember)


def _first_stream(device: str | None, wait: bool) -> object | None:
    from .engines.sounddevice_input import open_microphone

    try:
        return open_microphone(_device(device))
    except AudioError:
        if wait:
            return None
        raise


def _device(value: str | None) -> str | int | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value


def _logging(verbose: bool) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="voiceskill listen: %(message)s")
    logging.getLogger("voiceskill").setLevel(logging.INFO if verbose else logging.WARNING)
