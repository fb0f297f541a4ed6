"""The check-in as a pure state machine: the text and voice front ends drive the same one.

Feed it what was understood (or ``None`` for silence); it answers with what to say next and
what to listen for. It never touches audio, files or the terminal.
"""

from __future__ import annotations

from ..content import Question
from ..expectations import expectation
from ..messages import NOISY_ROOM, Understood
from .answering import QuestionFlow
from .closing import Closing
from .controls import VoiceControls
from .red_flags import RedFlagFlow
from .state import _GO_ON, DETAILS, Reply

__all__ = ["DETAILS", "NOISY_ROOM", "Dialog", "Reply", "expectation"]


class Dialog(QuestionFlow, RedFlagFlow, VoiceControls, Closing):
    """One check-in. The question flow, taking answers and warning signs, voice controls and
    the closing each live in a module of their own; they share ``DialogState``."""

    def start(self) -> Reply:
        welcome = self._w.say("welcome")
        return self._ask(self._next_question(after=None), lead=(welcome,))

    def hear(self, understood: Understood | None, confident: bool = True) -> Reply:
        """Advance on one utterance; ``None`` means the person said nothing in time."""
        if self.done:
            return Reply((), None, done=True)
        if self._offering:
            return self._details(understood)
        if understood is None:
            return self._silence()
        self._said = understood.text
        self._silences = 0
        self._silent_questions = 0
        if self._pending is not None:
            return self._confirming(understood, confident)
        return self._handle(understood, confident)

    def end_of_input(self) -> Reply:
        """Input ended (the person went quiet for good, or a file ran out): finish gracefully."""
        if self.done:
            return Reply((), None, done=True)
        if self._offering:
            return self._details(None)
        return self._finish(stopped=True, lead=())

    @property
    def current_question(self) -> Question | None:
        return self._current

    @property
    def closing(self) -> bool:
        """The summary has been read (details offered), or an emergency was reported and
        the check-in ends unless the person asks to go on."""
        return self._offering or (self._pending is not None and self._pending.value is _GO_ON)
