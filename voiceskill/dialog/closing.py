"""The end of the check-in: the spoken summary, the offer of details, and good night."""

from __future__ import annotations

from .. import summary
from ..messages import Expectation, Understood
from .state import DETAILS, DialogState, Reply


class Closing(DialogState):
    def _finish(self, stopped: bool, lead: tuple[str, ...], offer: bool = True) -> Reply:
        self.stopped_early = stopped
        self._current = None
        self._pending = None
        result = self.assessment()
        if not offer or result.emergency:
            # Asleep, or an emergency where getting help is all that matters: the summary
            # (the advice, once more) and goodbye, with no offer to wait on.
            self.done = True
            lines = [x for x in self.summary_lines() if x != self._w.say("details_offer")]
            reply = Reply((*lead, *lines, self._w.say("goodbye")), None, done=True, summary=True)
        else:
            self._offering = True
            expect = Expectation("yes_no", DETAILS, short_answers=("tell me more",))
            reply = Reply((*lead, *self.summary_lines()), expect, summary=True)
        self._last = reply
        return reply

    def _details(self, u: Understood | None) -> Reply:
        """After the summary: "tell me more" (or help, or yes) reads the details; anything
        else, silence or the end of input says good night."""
        self._offering = False
        self.done = True
        wants = u is not None and (u.intent == "help" or (u.intent == "answer"
                                                           and u.value == "yes"))
        if u is not None and u.intent == "repeat" and self._last is not None:
            self._offering, self.done = True, False
            return self._last
        if wants:
            lines = summary.details(self.content, self.assessment(), self.answers, self.person)
        else:
            lines = [self._w.say("goodbye")]
        reply = Reply(tuple(lines), None, done=True)
        self._last = reply
        return reply
