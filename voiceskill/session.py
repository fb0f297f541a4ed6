"""Runs one check-in: the dialog driven through ears (text or voice) and a mouth.

The same loop serves the text mode and the spoken mode; only the ports differ. A fault in a
port (a microphone unplugged, speech output failing) never loses the answers: the session
says what went wrong and carries on in text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from .config import Settings
from .dialog import Dialog, Reply
from .errors import AudioError, EngineError, sentence
from .interpretation import ReadBack, interpret, interpret_transcript
from .messages import Assessment, Expectation, Transcript, Understood, Utterance
from .speech import Speaker, Voice
from .typed import read_line
from .understanding import Understander

Heard = Utterance
"""The earlier name of :class:`voiceskill.messages.Utterance`, kept for scripts that use it."""


class Ears(Protocol):
    def listen(self, expect: Expectation) -> Utterance: ...


class ConsoleEars:
    """Text mode: prints ``> `` and reads one line; an empty line counts as no input."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout

    def listen(self, expect: Expectation) -> Utterance:
        self.stdout.write("> ")
        self.stdout.flush()
        line = read_line(self.stdin)
        if line.text is None:
            self.stdout.write("\n")
        if line.note:
            self.stdout.write(line.note + "\n")
        if line.text is None:
            return Utterance("end")
        text = line.text.strip()
        if not text:
            return Utterance("no_input")
        return Utterance("speech", Transcript(text=text, confidence=1.0, engine="text"))


@dataclass
class Session:
    dialog: Dialog
    understander: Understander
    ears: Ears
    speaker: Speaker | None = None
    out: TextIO = sys.stdout
    confirm_below: float = Settings().confirm_below
    """Answers heard with less confidence than this are read back first
    (:class:`voiceskill.interpretation.ReadBack`)."""
    fallback_ears: Callable[[], Ears] | None = None
    use_voice: Callable[[Voice], None] | None = None
    """Given the voice the dialog changed to ("slower", "louder"): the mouth speaks with it
    from the next line on, and it is kept for the next night."""
    policy: ReadBack = field(init=False)

    def __post_init__(self) -> None:
        self.policy = ReadBack.for_content(self.dialog.content, self.confirm_below)

    def close(self) -> None:
        """Stops the speech worker and the microphone, and removes their temporary files."""
        for port in (self.speaker, self.ears):
            close = getattr(port, "close", None)
            if close is not None:
                close()

    def run(self) -> Assessment:
        reply = self.dialog.start()
        while True:
            if reply.voice is not None and self.use_voice is not None:
                self.use_voice(reply.voice)
            self._say(reply)
            if reply.done or reply.expect is None:
                return self.dialog.assessment()
            expect = reply.expect
            utterance = self._listen(expect)
            if utterance.ended == "end":
                reply = self.dialog.end_of_input()
                continue
            meant = interpret(utterance, expect, self.understander.understand, self.policy)
            reply = self.dialog.hear(meant.understood, meant.confident)

    def interpret(
        self, transcript: Transcript, expect: Expectation | None
    ) -> tuple[Understood, bool]:
        """What the check-in makes of one recognition, and whether it is taken without a
        read-back (:func:`voiceskill.interpretation.interpret_transcript`)."""
        assert expect is not None
        return interpret_transcript(transcript, expect, self.understander.understand,
                                    self.policy)

    def _say(self, reply: Reply) -> None:
        for line in reply.lines:
            if line:
                self.out.write(line + "\n")
        self.out.flush()
        if self.speaker is None or not reply.text:
            return
        try:
            self.speaker.say(reply.text, then_listen=not reply.done)
        except AudioError as err:
            problem = sentence(err).removeprefix("speech output: ")
            self.out.write(f"(Speech output stopped working: {problem}. I'll carry on in text.)\n")
            self.speaker = None

    def _listen(self, expect: Expectation) -> Utterance:
        try:
            return self.ears.listen(expect)
        except (AudioError, EngineError) as err:
            if self.fallback_ears is None:
                raise
            self.out.write(
                f"(The microphone stopped working: {sentence(err)}. Your answers so far are kept; "
                "please type the rest.)\n"
            )
            self.out.flush()
            self.ears = self.fallback_ears()
            self.speaker = None
            # The question is said again so the person knows what to type.
            last = self.dialog.hear(Understood("repeat"))
            self._say(last)
            return self.ears.listen(expect)
