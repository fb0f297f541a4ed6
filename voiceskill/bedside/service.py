"""Puts the real parts together for `voiceskill listen`: the microphone, the wake word, the
VAD, the recogniser, the speech worker, the earcon and the journal. Everything here is an
edge: the loop, the assistant and the schedule are tested without it, and all of it runs
together in tests/test_live_listen.py on a virtual microphone and speaker."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..content import Content
from ..errors import AudioError, sentence
from ..mic import InputStream
from ..speech import PrintingSpeaker, Speaker, Voice
from ..understanding import Understander
from .assistant import Assistant
from .earcon import Earcon
from .loop import Service, StreamEars, spoken_checkin
from .memory import open_journal
from .requests import load
from .schedule import NightVoice, Reminder, SystemClock
from .settings import BedsideSettings
from .vad import SileroDetector
from .wake import WakeDetector

log = logging.getLogger("voiceskill.bedside")


def run_service(settings: Settings, bedside: BedsideSettings, content: Content,
                wake: WakeDetector, first: Any,
                remember: Callable[[Voice], None] | None = None) -> int:
    """``remember`` keeps a voice asked for by voice ("slower") for later nights."""
    from ..engines.sounddevice_input import open_microphone
    from ..voice import _device, build_recognizer, build_speaker

    words = load(content)
    recognizer = build_recognizer(settings)
    clock = SystemClock()
    night: NightVoice | None = None
    mouth: Speaker
    try:
        night = NightVoice(build_speaker(settings), bedside, clock, remember)
        mouth = night
    except AudioError as err:
        print(f"(Speech output is not available: {sentence(err)}; replies are printed.)",
              file=sys.stderr)
        mouth = PrintingSpeaker()
    earcon = Earcon(settings.output_device, night.volume_now if night else lambda: 1.0)
    journal = open_journal()
    reminder = Reminder(bedside)
    understander = Understander(content)
    vad = SileroDetector()
    pending = [first] if first is not None else []

    def open_stream() -> InputStream:
        if pending:
            stream: InputStream = pending.pop()
            return stream
        return open_microphone(_device(settings.input_device))

    def assistant_for(stream: InputStream) -> Assistant:
        checkin = spoken_checkin(stream, recognizer, understander, night,
                                 settings.no_input_timeout, settings.end_silence)
        return Assistant(words, bedside, mouth, StreamEars(stream, vad, recognizer), journal,
                         clock, checkin, reminder)

    service = Service(open_stream, wake, assistant_for, earcon.play, clock)
    print(f"Listening for {bedside.wake_word!r} (speech recognition: {recognizer.name}). "
          "Stop with Ctrl-C.", file=sys.stderr, flush=True)
    try:
        service.run()
    except KeyboardInterrupt as err:
        print(f"voiceskill listen: stopped{f' ({err})' if str(err) else ''}.", file=sys.stderr,
              flush=True)
    finally:
        for close in (getattr(night.speaker if night else None, "close", None), earcon.close,
                      journal.close):
            if close is not None:
                close()
    return 0
