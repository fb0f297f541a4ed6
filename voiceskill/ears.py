"""The adapters a spoken check-in runs on: ears that listen and recognise one answer, and a
mouth that speaks with the microphone muted. The session sees only their one-method
interfaces; which engines sit behind them is decided in :mod:`voiceskill.voice`."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from .interpretation import LONGEST_ANSWER, longest_answer
from .messages import Expectation, Transcript, Utterance
from .mic import Listener, ListenStats
from .recognizer import Recognizer
from .speech import Voice
from .understanding import Understander

# Logged under the voice module's name, where these adapters used to live: `--verbose` and any
# log filter set on `voiceskill.voice` keep showing each answer and each spoken reply.
log = logging.getLogger("voiceskill.voice")

__all__ = ["LONGEST_ANSWER", "MutedSpeaker", "TunableSpeaker", "VoiceEars"]


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

    def listen(self, expect: Expectation) -> Utterance:
        ended: list[ListenStats] = []
        transcript = self.recognizer.recognize(
            self.listener.listen(self.no_input_timeout, longest_answer(expect), ended.append),
            expect,
            self.understander.phrases(expect),
            self.understander.second_try(expect),
        )
        stats = ended[-1] if ended else None
        if stats is not None:
            _log(expect, stats, transcript)
        outcome = stats.outcome if stats is not None else "speech"
        if outcome == "no_input":
            return Utterance("no_input")
        return Utterance("too_long" if outcome == "max_length" else "speech", transcript)

    def close(self) -> None:
        self.listener.close()


def _log(expect: Expectation, stats: ListenStats, transcript: Transcript) -> None:
    log.info(
        "%s: %s, onset %s s, end %s s, listened %.2f s, floor %.0f, threshold %.0f; heard %r%s",
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


class MutedSpeaker:
    """Speaks with the microphone muted, so the skill never hears its own voice."""

    def __init__(self, speaker: TunableSpeaker, listener: Listener) -> None:
        self.speaker = speaker
        self.listener = listener

    @property
    def voice(self) -> Voice:
        return self.speaker.voice

    @voice.setter
    def voice(self, voice: Voice) -> None:
        self.speaker.voice = voice

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
