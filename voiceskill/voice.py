"""Puts a voice on the check-in: picks the recogniser, opens the microphone and the speaker,
and hands them to the same session that text mode uses.

Every engine is imported lazily in its adapter; this module only decides which to build. The
adapters are in :mod:`voiceskill.ears`, the remembered voice in :mod:`voiceskill.remembered`,
and `voiceskill model` in :mod:`voiceskill.model_command`; their names are importable from
here too, where they used to live.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import models, whisper_models
from .config import ENGINES, Settings, load_settings
from .dialog import Dialog
from .ears import LONGEST_ANSWER, MutedSpeaker, TunableSpeaker, VoiceEars
from .errors import AudioError, EngineError, ModelError, sentence
from .mic import Listener
from .model_command import model_command
from .preferences import listener_for
from .recognizer import Recognizer
from .remembered import adjuster as _adjuster
from .remembered import announce_remembered, remembered_voice
from .remembered import rememberer as _rememberer
from .session import ConsoleEars, Session
from .speech import Voice
from .understanding import Understander

if TYPE_CHECKING:
    from .engines.pyttsx3_speaker import Pyttsx3Speaker

__all__ = [
    "BETTER_MODEL",
    "LONGEST_ANSWER",
    "MutedSpeaker",
    "TunableSpeaker",
    "VoiceEars",
    "announce_remembered",
    "build_recognizer",
    "build_speaker",
    "describe_devices",
    "model_command",
    "remembered_voice",
    "settings_from",
    "voice_session",
]

BETTER_MODEL = "vosk-model-small-en-us-0.15"


def settings_from(
    args: argparse.Namespace, remembered: dict[str, Any] | None = None
) -> Settings:
    flags = {
        name: getattr(args, name, None)
        for name in (
            "engine",
            "model",
            "models_dir",
            "input_device",
            "rate",
            "volume",
            "voice",
            "end_silence",
            "no_input_timeout",
            "chime",
        )
    }
    return load_settings(getattr(args, "config", None), remembered, **flags)


def build_recognizer(
    args: argparse.Namespace | Settings, announce: bool = True, out: TextIO | None = None
) -> Recognizer:
    """The engine the settings ask for. ``auto`` prefers an installed English Vosk model, then
    an installed Whisper model (with faster-whisper present), then the built-in pocketsphinx."""
    settings = args if isinstance(args, Settings) else settings_from(args)
    out = out or sys.stderr
    engine = settings.engine
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; use {', '.join(ENGINES)}")
    if engine == "whisper" or (engine == "auto" and _whisper_asked(settings)):
        return _announce(_whisper(settings), announce, out)
    model_path = None
    if engine in ("auto", "vosk"):
        for note in models.sweep_interrupted(settings.models_dir):
            out.write(f"({note})\n")
        model_path = models.find_vosk_model(settings.model, settings.models_dir)
        if model_path is not None and engine == "auto" and not settings.model:
            model_path = _english(model_path, settings)
        if engine == "vosk" and model_path is None:
            raise ModelError(
                f"no Vosk model is installed in {models.models_dir(settings.models_dir)}; run "
                f"`voiceskill model download {BETTER_MODEL}`, or `voiceskill model install "
                f"FILE` with a model zip, or use --engine pocketsphinx"
            )
    recognizer: Recognizer
    if model_path is not None:
        from .engines.vosk_recognizer import VoskRecognizer

        recognizer = VoskRecognizer(model_path)
        if announce:
            out.write(f"Speech recognition: {recognizer.name}.\n")
    elif engine == "auto" and _whisper_ready(settings):
        return _announce(_whisper(settings), announce, out)
    else:
        from .engines.sphinx_recognizer import SphinxRecognizer

        recognizer = SphinxRecognizer()
        if announce:
            out.write(
                f"Speech recognition: {recognizer.name}. For better recognition, install a "
                f"Vosk model once with: voiceskill model download {BETTER_MODEL}\n"
            )
    out.flush()
    return recognizer


def _whisper_asked(settings: Settings) -> bool:
    # `--model faster-whisper-base` names a Whisper model: auto takes the engine it needs.
    return bool(settings.model) and whisper_models.find_model(
        settings.model, settings.models_dir) is not None


def _whisper_ready(settings: Settings) -> bool:
    """A Whisper model is installed and faster-whisper can be imported (checked without
    importing it: that costs a second at start-up)."""
    import importlib.util

    return (
        whisper_models.find_model(None, settings.models_dir) is not None
        and importlib.util.find_spec("faster_whisper") is not None
    )


def _whisper(settings: Settings) -> Recognizer:
    folder = whisper_models.find_model(settings.model, settings.models_dir)
    if folder is None:
        asked = f"{settings.model!r} is not a Whisper model: " if settings.model else ""
        raise ModelError(asked + whisper_models.install_hint(settings.models_dir))
    from .engines.whisper_recognizer import WhisperRecognizer

    return WhisperRecognizer(folder)


def _announce(recognizer: Recognizer, announce: bool, out: TextIO) -> Recognizer:
    if announce:
        out.write(f"Speech recognition: {recognizer.name}.\n")
        out.flush()
    return recognizer


def _english(path: Path, settings: Settings) -> Path | None:
    # A Korean model in models/ must not be picked for an English check-in just because it is
    # the only one installed.
    for m in models.installed_models(settings.models_dir):
        if m.path == path:
            lang = (m.language or "").lower()
            if lang.startswith("en") or (not lang and "-en" in m.name):
                return path
    for m in models.installed_models(settings.models_dir):
        lang = (m.language or "").lower()
        if m.ok and (lang.startswith("en") or (not lang and "-en" in m.name)):
            return m.path
    return None


def build_speaker(args: argparse.Namespace | Settings) -> Pyttsx3Speaker:
    """pyttsx3 in its guarded worker, at the configured rate, volume and voice."""
    settings = args if isinstance(args, Settings) else settings_from(args)
    from .engines.pyttsx3_speaker import Pyttsx3Speaker

    try:
        voice = Voice(rate=settings.rate, volume=settings.volume, voice=settings.voice)
    except ValueError as err:
        raise AudioError(f"speech settings: {err}") from err
    return Pyttsx3Speaker(voice, device=settings.output_device, chime=settings.chime)


def voice_session(
    dialog: Dialog, understander: Understander, args: argparse.Namespace, out: TextIO | None = None
) -> Session:
    """A spoken session; without a microphone it says why and continues in text."""
    out = out or sys.stdout
    listener_name = listener_for(dialog.person)
    prefs, remembered = remembered_voice(listener_name, out)
    settings = settings_from(args, remembered)
    usual = load_settings(getattr(args, "config", None))
    announce_remembered(settings, remembered)
    remember = _rememberer(
        prefs,
        listener_name,
        out,
        usual={"rate": usual.rate, "volume": usual.volume},
        pinned={k for k in ("rate", "volume") if getattr(args, k, None) is not None},
        kept=remembered or {},
    )
    speaker: TunableSpeaker | None = None
    try:
        speaker = build_speaker(settings)
    except AudioError as err:
        out.write(
            f"(Speech output is not available: {sentence(err)}. I'll show the questions as text.)\n"
        )
    try:
        recognizer = build_recognizer(settings)
        from .engines.sounddevice_input import open_microphone

        stream = open_microphone(_device(settings.input_device))
    except (AudioError, EngineError) as err:
        out.write(
            f"(I can't listen: {sentence(err)}. Let's carry on by typing: "
            "type each answer and press Enter.)\n"
        )
        out.flush()
        return Session(
            dialog,
            understander,
            ConsoleEars(),
            speaker=speaker,
            out=out,
            adjust_voice=_adjuster(speaker, remember),
        )
    listener = Listener(stream, end_silence=settings.end_silence, preroll=settings.preroll)
    ears = VoiceEars(listener, recognizer, understander, settings.no_input_timeout)
    mouth = MutedSpeaker(speaker, listener) if speaker is not None else None
    return Session(
        dialog,
        understander,
        ears,
        speaker=mouth,
        out=out,
        confirm_below=settings.confirm_below,
        fallback_ears=ConsoleEars,
        adjust_voice=_adjuster(speaker, remember),
    )


def _device(value: str | None) -> str | int | None:
    if value is None or value == "":
        return None
    return int(value) if value.isdigit() else value


def describe_devices() -> str:
    from .engines.sounddevice_input import list_devices

    devices = list_devices()
    if not devices:
        return "No audio devices found. Is a microphone plugged in?"
    return "\n".join(d.describe() for d in devices)
