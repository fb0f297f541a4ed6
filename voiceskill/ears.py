"""The adapters a spoken check-in runs on: ears that listen and recognise one answer, and a
mouth that speaks with the microphone muted. The session sees only their one-method
interfaces; which engines sit behind them is decided in :mod:`voiceskill.voice`."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from .messages import Expectation
from .mic import Listener
from .recognizer import Recognizer
from .session import Heard
from .speech import Voice
from .understanding import Understander

# Logged under the voice module's name, where these adapters used to live: `--verbose` and any
# log filter set on `voiceskill.voice` keep showing each answer and each spoken reply.
log = logging.getLogger("voiceskill.voice")

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
