"""Puts a voice on the check-in: picks the recogniser, opens the microphone and the speaker,
and hands them to the same session that text mode uses.

Every engine is imported lazily in its adapter; this module only decides which to build. The
adapters are in :mod:`voiceskill.ears`, the remembered voice in :mod:`voiceskill.remembered`,
and `voiceskill model` in :mod:`voiceskill.model_command`; their names are importable from
here too, where they used to live.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import models, whisper_models
from .config import ENGINES, Settings
from .dialog import Dialog
from .ears import LONGEST_ANSWER, MutedSpeaker, TunableSpeaker, VoiceEars
from .errors import AudioError, EngineError, ModelError, sentence
from .mic import Listener
from .model_command import model_command
from .preferences import listener_for
from .recognizer import Recognizer
from .remembered import announce_remembered, remembered_voice, voice_user
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
    "voice_session",
]

BETTER_MODEL = "vosk-model-small-en-us-0.15"


def build_recognizer(
    settings: Settings, announce: bool = True, out: TextIO | None = None
) -> Recognizer:
    """The engine the settings ask for. ``auto`` prefers an installed English Vosk model, then
    an installed Whisper model (with faster-whisper present), then the built-in pocketsphinx."""
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

        recognizer = SphinxRecognizer(prompts=settings.prompts)
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
        have = [p.name for p in whisper_models.installed(settings.models_dir)]
        if settings.model and have:
            raise ModelError(f"{settings.model!r} is not a Whisper model; installed: "
                             f"{', '.join(have)} (give one of those with --model)")
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


def build_speaker(settings: Settings) -> Pyttsx3Speaker:
    """pyttsx3 in its guarded worker, at the configured rate, volume and voice."""
    from .engines.pyttsx3_speaker import Pyttsx3Speaker

    try:
        voice = Voice(rate=settings.rate, volume=settings.volume, voice=settings.voice)
    except ValueError as err:
        raise AudioError(f"speech settings: {err}") from err
    return Pyttsx3Speaker(voice, device=settings.output_device, chime=settings.chime)


def voice_session(
    dialog: Dialog, understander: Understander, settings: Settings, out: TextIO | None = None
) -> Session:
    """A spoken session; without a microphone it says why and continues in text.

    ``settings`` come from the defaults, the file and tonight's flags; the voice this
    listener asked for on an earlier night goes over them here, under the flags."""
    out = out or sys.stdout
    usual = settings
    listener_name = listener_for(dialog.person)
    prefs, remembered = remembered_voice(listener_name, out)
    settings = usual.with_remembered(remembered)
    announce_remembered(settings, remembered)
    remember = _rememberer(
        prefs,
        listener_name,
        out,
        usual={"rate": usual.rate, "volume": usual.volume},
        pinned=set(usual.flags) & {"rate", "volume"},
        kept=remembered or {},
    )
    speaker: TunableSpeaker | None = None
    try:
        speaker = build_speaker(settings)
        dialog.voice = speaker.voice
    except AudioError as err:
        out.write(
            f"(Speech output is not available: {sentence(err)}. I'll show the questions as text.)\n"
        )
    ears, mouth = _open_microphone(settings, understander, speaker, out)
    return Session(
        dialog,
        understander,
        ears or ConsoleEars(),
        speaker=mouth,
        out=out,
        confirm_below=settings.confirm_below,
        fallback_ears=ConsoleEars if ears is not None else None,
        use_voice=voice_user(speaker, remember),
    )


def _open_microphone(
    settings: Settings, understander: Understander, speaker: TunableSpeaker | None, out: TextIO
) -> tuple[VoiceEars | None, TunableSpeaker | None]:
    """The ears, and the mouth muting them while it speaks; no ears when nothing can listen
    (the person is told, and types)."""
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
        return None, speaker
    listener = Listener(stream, end_silence=settings.end_silence, preroll=settings.preroll)
    ears = VoiceEars(listener, recognizer, understander, settings.no_input_timeout)
    return ears, (MutedSpeaker(speaker, listener) if speaker is not None else None)


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
