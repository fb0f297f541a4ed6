"""Runs one check-in: the dialog driven through ears (text or voice) and a mouth.

The same loop serves the text mode and the spoken mode; only the ports differ. A fault in a
port (a microphone unplugged, speech output failing) never loses the answers: the session
says what went wrong and carries on in text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol, TextIO

from . import rules
from .dialog import NOISY_ROOM, Dialog, Reply
from .errors import AudioError, EngineError, sentence
from .messages import Assessment, Expectation, Transcript, Understood
from .speech import Speaker
from .typed import read_line
from .understanding import Understander


@dataclass(frozen=True)
class Heard:
    """One turn of listening: words, nothing within the time allowed, or the end of input."""

    kind: Literal["speech", "silence", "end"]
    transcript: Transcript | None = None
    noisy: bool = False
    """The sound went on past the longest answer expected: a television or radio, most likely,
    rather than a person answering."""


class Ears(Protocol):
    def listen(self, expect: Expectation) -> Heard: ...


class ConsoleEars:
    """Text mode: prints ``> `` and reads one line; an empty line counts as silence."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout

    def listen(self, expect: Expectation) -> Heard:
        self.stdout.write("> ")
        self.stdout.flush()
        line = read_line(self.stdin)
        if line.text is None:
            self.stdout.write("\n")
        if line.note:
            self.stdout.write(line.note + "\n")
        if line.text is None:
            return Heard("end")
        text = line.text.strip()
        if not text:
            return Heard("silence")
        return Heard("speech", Transcript(text=text, confidence=1.0, engine="text"))


_LIMITS = {"slower": "slowest", "faster": "fastest", "louder": "loudest", "quieter": "quietest"}


@dataclass
class Session:
    dialog: Dialog
    understander: Understander
    ears: Ears
    speaker: Speaker | None = None
    out: TextIO = sys.stdout
    confirm_below: float = 0.7
    """Answers heard with less confidence than this are read back for confirmation, and a stop
    is asked about ("Do you want to stop for tonight?"). On two draws of ten voices, answers
    scored 0.6 to 0.7 were right 4 times and wrong 5 (unrelated talk at 10 dB taken as "no i
    don't" or "i'm not sure"); 0.7 to 0.8, 9 and 9 (docs/decisions/009)."""
    fallback_ears: Callable[[], Ears] | None = None
    adjust_voice: Callable[[str], bool] | None = None
    """Changes the voice for a control (``slower``, ``faster``, ``louder``, ``quieter``);
    false when it was already at its limit."""

    def close(self) -> None:
        """Stops the speech worker and the microphone, and removes their temporary files."""
        for port in (self.speaker, self.ears):
            close = getattr(port, "close", None)
            if close is not None:
                close()

    def run(self) -> Assessment:
        reply = self.dialog.start()
        while True:
            reply = self._apply_control(reply)
            self._say(reply)
            if reply.done:
                return self.dialog.assessment()
            heard = self._listen(reply.expect)
            if heard.kind == "end":
                reply = self.dialog.end_of_input()
            elif heard.kind == "silence" or heard.transcript is None:
                reply = self.dialog.hear(None)
            else:
                understood, confident = self.interpret(heard.transcript, reply.expect)
                if heard.noisy and understood.intent == "unknown":
                    understood = replace(understood, reason=NOISY_ROOM)
                reply = self.dialog.hear(understood, confident)

    def interpret(
        self, transcript: Transcript, expect: Expectation | None
    ) -> tuple[Understood, bool]:
        assert expect is not None
        if transcript.rejected or not transcript.text:
            return Understood("unknown", None, transcript.heard, "not an answer"), True
        understood = self.understander.understand(transcript.text, expect)
        if understood.intent == "stop":
            # A stop heard faintly may be the television: asking first costs one turn,
            # ending by mistake the rest of the check-in. In steady noise, talk heard as
            # "goodbye" or "that's enough for tonight" scored 0.51 to 0.68 and spoken stops
            # 0.76 and above; in quiet 2 of 30 spoken stops scored below 0.7.
            return understood, transcript.confidence >= self.confirm_below
        if understood.intent != "answer":
            return understood, True
        spoken = transcript.engine != "text"
        return understood, transcript.confidence >= self.confirm_below and not (
            spoken and (always_read_back(understood.value)
                        or self._closes_a_warning_sign(expect, understood.value))
        )

    def _closes_a_warning_sign(self, expect: Expectation, value: object) -> bool:
        """A spoken no to a warning sign is read back whatever the confidence: misheard, it
        would close the way to the urgent advice; a yes or not sure only asks more."""
        questions = rules.red_flag_questions(self.dialog.content)
        return value == "no" and expect.question_id in questions

    def _apply_control(self, reply: Reply) -> Reply:
        if reply.control is None or self.adjust_voice is None:
            return reply
        if not self.adjust_voice(reply.control):
            # "All right, I'll speak louder" would be untrue: say it is at its limit instead.
            self.dialog.control_changed_nothing()
            limit = self.dialog.content.dialog[_LIMITS[reply.control]]
            return Reply((limit, *reply.lines[1:]), reply.expect, reply.done)
        return reply

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

    def _listen(self, expect: Expectation | None) -> Heard:
        assert expect is not None
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


def always_read_back(value: object) -> bool:
    """Answers a recogniser gives that are read back whatever its confidence.

    Medicine names: a name that sounds like another is easily mistaken, and the advice
    depends on which medicine it is. Numbers: "seventy" heard as "seventeen", "eighty two"
    as "ninety two", with confidence 0.94 and above, so no cut-off catches them (5 of 180
    spoken numbers in quiet, 30 of 180 at 10 dB; docs/decisions/009). Age and nights a
    week decide which questions and which advice follow.
    """
    if isinstance(value, list):
        return bool(value)
    return isinstance(value, int) and not isinstance(value, bool)
