"""The running service: waits for the wake word (or the bedtime reminder), then hands the
request to the assistant, and waits again. The microphone may vanish (a USB microphone
unplugged): the loop says so in one log line and tries again with a growing wait, never a
crash loop. Pure over its ports: tests run it on a fake stream and a fake clock."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..dialog import Dialog
from ..ears import MutedSpeaker, TunableSpeaker, VoiceEars
from ..errors import AudioError
from ..messages import SAMPLE_RATE, Expectation
from ..mic import InputStream, Listener
from ..recognizer import Recognizer
from ..remembered import voice_user
from ..session import Session
from ..understanding import Understander
from .assistant import Assistant
from .schedule import Clock
from .vad import BLOCK_FRAMES, Vad, utterance
from .wake import WakeDetector

log = logging.getLogger(__name__)

REQUEST_WAIT = 6.0
"""Seconds after the earcon for a request to start; silence means back to waiting."""
FIRST_RETRY, LONGEST_RETRY = 1.0, 60.0
"""The wait before opening a lost microphone again doubles from the first to the longest."""
STEADY = 60.0
"""Seconds a reopened microphone must work before a new loss waits only the first wait."""
REQUEST = Expectation("yes_no", "bedside_request")
"""Requests are short commands, listened for as a closed grammar like a yes or no."""


class StreamEars:
    """Hears one utterance from the running microphone: the VAD finds it, then the
    recogniser hears only that speech, constrained to the phrases expected."""

    def __init__(self, stream: InputStream, vad: Vad, recognizer: Recognizer) -> None:
        self.stream = stream
        self.vad = vad
        self.recognizer = recognizer

    def hear(self, phrases: Sequence[str], timeout: float) -> str | None:
        self.stream.flush()  # what was captured while the skill spoke is not an answer
        blocks = utterance(self.stream.read, self.vad, timeout=timeout)
        first = next(blocks, None)
        if first is None:
            return None
        transcript = self.recognizer.recognize(
            itertools.chain([first], blocks), REQUEST, list(phrases))
        log.info("heard %r%s", transcript.text,
                 f" (rejected: {transcript.heard!r})" if transcript.rejected else "")
        return "" if transcript.rejected else transcript.text


class KeptOpen:
    """The service's microphone lent to one check-in: closing the check-in's listener must not
    close the stream the wake word is listened for on."""

    def __init__(self, stream: InputStream) -> None:
        self.stream = stream

    def read(self, frames: int) -> bytes:
        return self.stream.read(frames)

    def flush(self) -> int:
        return self.stream.flush()

    def close(self) -> None:
        pass


def spoken_checkin(stream: InputStream, recognizer: Recognizer, understander: Understander,
                   speaker: TunableSpeaker | None, no_input_timeout: float,
                   end_silence: float = 0.8) -> Callable[[Dialog], None]:
    """Runs the check-in as `voiceskill checkin` does, on the service's microphone."""

    def run(dialog: Dialog) -> None:
        listener = Listener(KeptOpen(stream), end_silence=end_silence)
        ears = VoiceEars(listener, recognizer, understander, no_input_timeout)
        mouth = MutedSpeaker(speaker, listener) if speaker is not None else None
        # "slower", "louder" ... change the voice at once; the service's speaker
        # (``NightVoice``) keeps it for later nights, as `voiceskill checkin` does.
        if speaker is not None:
            dialog.voice = speaker.voice
        Session(dialog, understander, ears, speaker=mouth, use_voice=voice_user(speaker)).run()

    return run


@dataclass
class Service:
    open_stream: Callable[[], InputStream]
    wake: WakeDetector
    assistant_for: Callable[[InputStream], Assistant]
    """The assistant speaking and listening on this stream (made anew when it is reopened)."""
    earcon: Callable[[], None]
    clock: Clock
    sleep: Callable[[float], None] = time.sleep
    should_stop: Callable[[], bool] = lambda: False
    wakes: int = 0
    losses: int = 0
    """How often the microphone was lost or could not be opened (a count: it may be days)."""
    served: float = 0.0
    """Seconds of audio read from the current stream."""

    def run(self) -> None:
        """Until ``should_stop`` (or a signal: KeyboardInterrupt passes through)."""
        wait = FIRST_RETRY
        while not self.should_stop():
            try:
                stream = self.open_stream()
            except AudioError as err:
                self._lost(str(err), wait)
                wait = min(LONGEST_RETRY, wait * 2)
                continue
            if self.losses:
                log.warning("the microphone is back; listening for %r again", self.wake.name)
            self.served = 0.0
            try:
                self._serve(stream)
            except AudioError as err:
                # A microphone that fails again at once must not make a busy loop: the wait
                # starts afresh only after it has worked for a while.
                if self.served >= STEADY:
                    wait = FIRST_RETRY
                self._lost(str(err), wait)
                wait = min(LONGEST_RETRY, wait * 2)
            finally:
                stream.close()

    def _lost(self, why: str, wait: float) -> None:
        self.losses += 1
        log.warning("the microphone is not available (%s); trying again in %.0f s", why, wait)
        self.sleep(wait)

    def _serve(self, stream: InputStream) -> None:
        assistant = self.assistant_for(stream)
        self.wake.reset()
        while not self.should_stop():
            reminder = assistant.reminder
            if reminder is not None and reminder.due(self.clock.now()):
                log.info("bedtime reminder")
                assistant.remind()
                self._waiting_again(stream)
                continue
            block = stream.read(BLOCK_FRAMES)
            self.served += len(block) / (2 * SAMPLE_RATE)
            if not self.wake.process(block):
                continue
            self.wakes += 1
            log.info("wake word %r heard", self.wake.name)
            try:
                self.earcon()
            except AudioError as err:
                log.warning("%s", err)
            assistant.handle(assistant.content.request(
                assistant.ears.hear(assistant.content.requests.phrases, REQUEST_WAIT)))
            self._waiting_again(stream)

    def _waiting_again(self, stream: InputStream) -> None:
        # What the skill said, and the person's words, must not wake it again.
        stream.flush()
        self.wake.reset()
        log.info("waiting for %r", self.wake.name)
