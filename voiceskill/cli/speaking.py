"""`voiceskill say | devices | voice`: the speech output, the audio devices, and the voice a
listener asked for by voice."""

from __future__ import annotations

import argparse
import sys

from .options import add_speech_options, settings_from_args

SubParsers = argparse._SubParsersAction


def add_parsers(sub: SubParsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("say", help="speak a text aloud, or into a WAV file")
    p.add_argument("text", nargs="+")
    p.add_argument("--to-wav", help="write the speech to this WAV file instead")
    add_speech_options(p)
    p.add_argument("--config", help="settings file (YAML)")
    p.add_argument("--name", help="speak with the voice remembered for this person cared for "
                   "(default: your own)")
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("devices", help="list microphones and speakers")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser(
        "voice", help='show or forget the voice asked for by voice ("slower", "quieter")'
    )
    p.add_argument("--reset", action="store_true", help="forget it: back to the usual voice")
    p.add_argument(
        "--name",
        help='only the voice for check-ins with this person (--name "" for your own)',
    )
    p.set_defaults(func=cmd_voice)


def cmd_say(args: argparse.Namespace) -> int:
    from ..preferences import SELF
    from ..remembered import announce_remembered, remembered_voice
    from ..voice import build_speaker

    text = " ".join(args.text)
    # The voice the check-in would use: a listener who asked for it slower hears it slower.
    usual = settings_from_args(args)
    listener = (args.name or "").strip() or SELF
    _, remembered = remembered_voice(listener, sys.stderr, saving=False)
    settings = usual.with_remembered(remembered)
    announce_remembered(settings, remembered)
    # Closed however it ends (SIGTERM included): the speech worker's temporary folder goes too.
    with build_speaker(settings) as speaker:
        if args.to_wav:
            speaker.save_wav(text, args.to_wav)
            print(f"Wrote {args.to_wav}")
        else:
            speaker.say(text)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from ..voice import describe_devices

    print(describe_devices())
    return 0


def cmd_voice(args: argparse.Namespace) -> int:
    from ..preferences import SELF, Preferences

    prefs = Preferences()
    listener = None if args.name is None else args.name.strip()
    if args.reset:
        n = prefs.forget(listener)
        who = ""
        if listener is not None:
            who = " for yourself" if listener == SELF else f" with {listener}"
        if n == 0:
            names = ", ".join(v.describe().split(":")[0] for v in prefs.all())
            print(f"No voice was remembered{who}" + (f"; remembered: {names}." if names else "."))
            return 0
        print(f"Forgot {n} remembered voice{'s' if n != 1 else ''}{who}; the usual voice is back.")
        return 0
    stored = [
        v for v in prefs.all() if listener is None or v.listener.casefold() == listener.casefold()
    ]
    if not stored:
        print("No voice changes remembered: the check-in speaks with the usual voice.")
        return 0
    print(f"Voice changes asked for by voice, used from the next check-in ({prefs.path}):")
    for v in stored:
        print(f"  {v.describe()}")
    return 0
