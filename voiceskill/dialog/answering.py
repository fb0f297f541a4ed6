"""The question flow: one utterance at a question or a read-back, misses, silences,
"say that again" and "go back"."""

from __future__ import annotations

from .. import rules
from ..content import VOICE_CONTROLS, Question
from ..expectations import is_number
from ..messages import NOISY_ROOM, Understood
from ..wording import heard
from .state import (
    _GO_ON,
    _STOP,
    MISSES_BEFORE_MOVING_ON,
    SILENCES_BEFORE_MOVING_ON,
    SILENT_QUESTIONS_BEFORE_STOPPING,
    DialogState,
    Reply,
    _Pending,
)


class QuestionFlow(DialogState):
    def _handle(self, u: Understood, confident: bool) -> Reply:
        q = self._current
        assert q is not None  # only None once done
        if self._looping(q, u):
            # The same control again and again where it changes nothing (a "quieter" at the
            # quietest, an answer misheard as a control each time): not understood, so the
            # question is asked with examples, then left, instead of coming back for ever.
            return self._miss(q, Understood("unknown", None, u.text, "the same request again"))
        if u.intent == "repeat":
            return self._again()
        if u.intent == "help":
            return self._remember(Reply((self._w.help(q), self._w.examples(q)), self._expect(q)))
        if u.intent == "stop":
            if not confident:
                # A stop heard faintly may be the television: asking first costs one turn,
                # ending by mistake costs the rest of the check-in.
                self._pending = _Pending(q, _STOP, "stop")
                return self._remember(
                    Reply((self._confirm_text(self._pending),), self._confirm_expect(self._pending))
                )
            return self._finish(stopped=True, lead=(self._w.say("stopping"), *self._left(q)))
        if u.intent == "skip":
            self.answers[q.id] = "skipped"
            return self._ask(self._next_question(after=q),
                             lead=(self._w.say("skipped"), *self._left(q)))
        if u.intent == "back":
            return self._back()
        if u.intent in VOICE_CONTROLS:
            return self._remember(self._change_voice(str(u.intent), self._w.question(q),
                                                     self._expect(q)))
        if u.intent == "unknown":
            return self._miss(q, u)
        if not confident:
            self._pending = _Pending(q, u.value, heard(u.value))
            reply = Reply((self._confirm_text(self._pending),), self._confirm_expect(self._pending))
            return self._remember(reply)
        return self._accept(q, u.value)

    def _confirming(self, u: Understood, confident: bool = True) -> Reply:
        pending = self._pending
        assert pending is not None
        if pending.value is _GO_ON:
            self._pending = None
            if u.intent == "answer" and u.value == "yes":
                return self._ask(self._next_question(after=pending.question), lead=())
            return self._finish(stopped=True, lead=())
        stopping = pending.value is _STOP
        if u.intent == "answer" and is_number(u.value) and pending.question.expect == "number":
            # "No, seventy five": the number said instead, read back in turn when heard by
            # ear (a correction can be misheard as easily as the answer was).
            self._pending = None
            return self._handle(u, confident)
        if u.reason == "out_of_range" and pending.question.expect == "number":
            self._pending = None
            return self._miss(pending.question, u)
        if u.intent == "answer" and u.value == "yes":
            self._pending = None
            if stopping:
                return self._finish(stopped=True,
                                    lead=(self._w.say("stopping"), *self._left(pending.question)))
            return self._accept(pending.question, pending.value)
        if u.intent == "answer" and u.value == "no":
            self._pending = None
            if not stopping:
                # A rejected read-back counts as a miss, so an answer misheard the same way
                # twice ("seventy" as "seventeen") does not keep the person at one question.
                self._misses += 1
                if self._misses >= MISSES_BEFORE_MOVING_ON:
                    return self._move_on(pending.question)
            lead = (self._w.say("carrying_on"),) if stopping else ()
            return self._remember(
                Reply((*lead, self._w.question(pending.question)),
                      self._expect(pending.question))
            )
        if u.intent in ("repeat",):
            return self._again()
        if u.intent in VOICE_CONTROLS:
            # "Louder" is about the voice, not the answer: the read-back is said again.
            return self._remember(self._change_voice(str(u.intent), self._confirm_text(pending),
                                                     self._confirm_expect(pending)))
        if u.intent in ("stop", "back", "skip"):
            self._pending = None
            return self._handle(u, confident=True)
        if u.reason == NOISY_ROOM:
            return self._remember(
                Reply((self._w.say("noisy_room"), self._confirm_text(pending)),
                      self._confirm_expect(pending))
            )
        key = "confirm_stop_help" if stopping else "confirm_help"
        if key == "confirm_help" and pending.question.expect == "number":
            # Content folders written before this line existed keep the general one.
            key = "confirm_number_help" if "confirm_number_help" in self.content.dialog else key
        return self._remember(Reply((self._w.say(key),), self._confirm_expect(pending)))

    def _miss(self, q: Question, u: Understood) -> Reply:
        self._misses += 1
        if q.id in rules.red_flag_questions(self.content):
            # Fail safe: an answer about a warning sign that is not understood counts as
            # "not sure": at the safety question at once (each sign is then asked on its
            # own), at a sign's own question after asking once more. Sound drowning the
            # answer is said first, so the television can be turned down.
            unresolved = self.content.unresolved
            safety = unresolved is not None and q.id == unresolved.question
            if (safety and u.reason != NOISY_ROOM) or self._misses >= MISSES_BEFORE_MOVING_ON:
                return self._accept(q, "unsure")
        if self._misses >= MISSES_BEFORE_MOVING_ON:
            return self._move_on(q)
        lines: list[str] = []
        if u.reason == NOISY_ROOM:
            lines.append(self._w.say("noisy_room"))
            lines.append(self._w.question(q))
        elif u.reason == "out_of_range" and q.expect == "number":
            lines.append(self._w.say("out_of_range", value=u.value, low=q.low, high=q.high))
            lines.append(self._w.question(q))
        elif q.expect == "medications":
            lines.append(self._w.say("no_medicine_recognised"))
            lines.append(self._w.examples(q))
        else:
            lines.append(self._w.say("not_understood", examples=self._w.examples(q)))
        return self._remember(Reply(tuple(lines), self._expect(q)))

    def _move_on(self, q: Question) -> Reply:
        if not self._which.give_up():
            self.answers[q.id] = "unknown"
        return self._ask(self._next_question(after=q),
                         lead=(self._w.say("moving_on"), *self._left(q)))

    def _left(self, q: Question) -> tuple[str, ...]:
        """What must still be said when ``q`` is left with no answer: the crisis lines to
        anyone asked about self-harm, whether or not they answered."""
        return tuple(rules.render(f.unanswered, self.person) for f in self.content.red_flags
                     if f.question == q.id and f.unanswered is not None
                     and self.answers.get(q.id) not in ("yes", "no", "unsure"))

    def _silence(self) -> Reply:
        q = self._current
        assert q is not None
        if self._pending is not None and self._pending.value is _GO_ON:
            return self._finish(stopped=True, lead=())
        self._silences += 1
        if self._silences >= SILENCES_BEFORE_MOVING_ON:
            self._silences = 0
            self._silent_questions += 1
            if self._silent_questions >= SILENT_QUESTIONS_BEFORE_STOPPING:
                # Asleep, most likely: the summary and good night, with no offer to wait on.
                return self._finish(stopped=True, lead=(self._w.say("stopping"),), offer=False)
            if self._pending is not None:
                self._pending = None
            self.answers.setdefault(q.id, "unknown")
            return self._ask(self._next_question(after=q),
                             lead=(self._w.say("moving_on"), *self._left(q)))
        key = "no_input" if self._silences == 1 else "no_input_again"
        if self._pending is not None:
            # Still waiting for a yes or no to the read-back, so that is what is asked again.
            text = self._confirm_text(self._pending)
            expect = self._confirm_expect(self._pending)
            reply = Reply((self._w.say("no_input", question=text),), expect)
            return self._remember(reply)
        text = self._w.question(q)
        line = self._w.say(key, question=text, examples=self._w.examples(q))
        reply = Reply((line,), self._expect(q))
        return self._remember(reply)

    def _again(self) -> Reply:
        assert self._last is not None
        return self._last

    def _back(self) -> Reply:
        q = self._current
        assert q is not None
        index = self.asked.index(q.id) if q.id in self.asked else len(self.asked)
        if index == 0:
            self.control_changed_nothing()
            return self._remember(
                Reply((self._w.say("back_at_start"), self._w.question(q)), self._expect(q))
            )
        previous = self.content.question(self.asked[index - 1])
        # Later answers may depend on the one being changed; they are asked again.
        for qid in self.asked[index - 1 :]:
            self.answers.pop(qid, None)
            names_answer = self.content.question(qid).names_answer
            if names_answer is not None:
                self.answers.pop(names_answer, None)
        del self.asked[index - 1 :]
        self._misses = 0
        return self._ask(previous, lead=(self._w.say("going_back"),))
