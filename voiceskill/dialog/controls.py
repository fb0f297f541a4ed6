"""Voice controls ("slower", "louder"): the dialog changes its own voice and says so, or
says it is already at that end; asked again and again where nothing changes, it is taken as
not understood."""

from __future__ import annotations

from ..content import VOICE_CONTROLS, Question
from ..messages import Expectation, Understood
from ..speech import Adjusted
from .state import _LIMITS, CONTROL_REPEATS_ALLOWED, DialogState, Reply


class VoiceControls(DialogState):
    def _looping(self, q: Question, u: Understood) -> bool:
        if u.intent not in (*VOICE_CONTROLS, "back"):
            return False
        return self._no_change == (q.id, CONTROL_REPEATS_ALLOWED)

    def _change_voice(self, control: str, then: str, expect: Expectation) -> Reply:
        """A voice control: the voice changed and said so, or, at its limit, said that
        instead ("All right, I'll speak louder" would be untrue)."""
        if self.voice is None:
            return Reply((self._w.say(control), then), expect, control=control)
        adjusted: Adjusted = getattr(self.voice, control)()
        if not adjusted.changed:
            self.control_changed_nothing()
            return Reply((self._w.say(_LIMITS[control]), then), expect, control=control)
        self.voice = adjusted.voice
        return Reply((self._w.say(control), then), expect, control=control, voice=self.voice)

    def control_changed_nothing(self) -> None:
        """The last voice control was at its limit (already as quiet as it goes): counted,
        so that asking the same again and again is taken as not understood."""
        q = self._current
        if q is not None:
            at, times = self._no_change
            self._no_change = (q.id, min(times + 1 if at == q.id else 1,
                                         CONTROL_REPEATS_ALLOWED))
