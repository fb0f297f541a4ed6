"""`voiceskill understand | transcribe | assess | validate`: how answers are understood and
what the result is, without running a check-in."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .. import content as content_mod
from ..content import Content
from ..dialog import expectation
from ..errors import VoiceskillError
from ..messages import Expectation, Medication, Understood
from ..rules import assess
from ..understanding import Understander
from .answers_file import read_answers
from .options import (
    add_person_options,
    add_voice_options,
    content_for,
    person_from_args,
    settings_from_args,
)

SubParsers = argparse._SubParsersAction


def add_parsers(sub: SubParsers[argparse.ArgumentParser]) -> None:
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
    add_voice_options(p)
    p.add_argument("items", nargs="*", help="texts (or WAV files with --audio)")
    p.set_defaults(func=cmd_understand)

    p = sub.add_parser("assess", help="the result for answers in a YAML or JSON file")
    p.add_argument("file")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    add_person_options(p)
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("validate", help="check the content in prompts/")
    p.add_argument("dir", nargs="?")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("transcribe", help="free recognition of WAV files")
    p.add_argument("wavs", nargs="+")
    add_voice_options(p)
    p.set_defaults(func=cmd_transcribe)


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
        return expectation(q, person_from_args(args))
    if not args.expect:
        raise VoiceskillError("understand: give --expect KIND or --question ID")
    return Expectation(args.expect, "", args.low, args.high)


def cmd_understand(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    content = content_for(settings)
    understander = Understander(content)
    expect = _understand_expectation(args, content)
    if args.audio:
        from ..audio import chunks, read_wav
        from ..interpretation import meaning
        from ..voice import build_recognizer

        recognizer = build_recognizer(settings, announce=False)
        for path in args.items:
            # Each file is its own recording: heard the same whatever came before it.
            recognizer.reset()
            transcript = recognizer.recognize(
                chunks(read_wav(path)),
                expect,
                understander.phrases(expect),
                understander.second_try(expect),
            )
            row = _understood_json(
                transcript.text, meaning(transcript, expect, understander.understand))
            row["file"] = str(path)
            row["confidence"] = round(transcript.confidence, 3)
            if transcript.rejected:
                row["heard"] = transcript.heard
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not args.items:
        raise VoiceskillError("understand: give one or more texts, or --audio with WAV files")
    for text in args.items:
        row = _understood_json(text, understander.understand(text, expect))
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    content = content_for(settings_from_args(args))
    answers, person = read_answers(Path(args.file), content)
    if args.caregiver or args.name or args.pronoun:
        person = person_from_args(args)
    result = assess(content, answers, person)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else None
    if folder is None:
        chosen = settings_from_args(args).prompts
        folder = Path(chosen) if chosen else content_mod.default_prompts_dir()
    content = content_mod.load(folder)
    print(
        f"{folder}: content is valid ({len(content.questions)} questions, "
        f"{len(content.causes)} cause rules, {len(content.red_flags)} red flags, "
        f"{len(content.medications)} medicines)."
    )
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    from ..audio import chunks, read_wav
    from ..voice import build_recognizer

    recognizer = build_recognizer(settings_from_args(args), announce=False)
    free = Expectation("medications")  # an open answer: no grammar
    for path in args.wavs:
        # Each file is its own recording: heard the same whatever came before it.
        recognizer.reset()
        transcript = recognizer.recognize(chunks(read_wav(path)), free, [])
        row = {
            "file": str(path),
            "text": transcript.text,
            "confidence": round(transcript.confidence, 3),
            "engine": transcript.engine,
        }
        print(json.dumps(row, ensure_ascii=False))
    return 0


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
