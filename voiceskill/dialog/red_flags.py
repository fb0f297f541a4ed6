"""Taking an answer: the warning signs it reports (urgent advice now, or the check-in ends
so the person can get help), and which medicine was meant."""

from __future__ import annotations

from .. import rules, symptoms
from ..content import Question
from ..messages import Expectation
from ..wording import heard
from .state import _GO_ON, DialogState, Reply, _Pending


class RedFlagFlow(DialogState):
    def _accept(self, q: Question, value: object) -> Reply:
        if q.expect == "medications":
            value = self._which.merged(value, self.answers.get(q.id, value))
        if q.names_answer is not None and isinstance(value, list):
            # "I take Zoloft" to "Do you take any medicines?": a yes, and the names.
            self.answers[q.names_answer] = value
            self.answers[q.id] = "yes"
        else:
            self.answers[q.id] = value
            if q.names_answer is not None and value == "no":
                self.answers[q.names_answer] = []
        self._misses = 0
        lead: list[str] = []
        if isinstance(value, list) and value:
            lead.append(self._w.say("medicines_heard", items=heard(value)))
            which = self._which_one(q, value, lead)
            if which is not None:
                return which
        reported = [q.id, *self._signs_described(q)]
        flags = [f for f in rules.urgent_flags(self.content, self.answers)
                 if f.question in reported]
        emergency = next((f for f in flags if rules.ends_checkin(f, self.answers)), None)
        if emergency is not None:
            # What to do now, then stop so the person can get help, unless they ask to go on.
            self._pending = _Pending(q, _GO_ON, "")
            reply = Reply((*lead, self._w.say("urgent_summary_intro")
                           + rules.render(emergency.advice, self.person),
                           self._w.say("go_on_offer")), Expectation("yes_no", f"{q.id}:go_on"))
            return self._remember(reply)
        for flag in flags:
            # "Not sure" is treated as a possible yes: the advice now, then carry on.
            lead.append(self._w.say("red_flag_intro") + rules.render(flag.advice, self.person))
        if flags:
            lead.append(self._w.say("red_flag_continue"))
        return self._ask(self._next_question(after=q), lead=tuple(lead))

    def _which_one(self, q: Question, value: list[object], lead: list[str]) -> Reply | None:
        kinds = self._which.kinds_to_ask(value)
        if not kinds:
            return None
        target = q if q.expect == "medications" else self.content.question(str(q.names_answer))
        self._current = target
        self._misses = 0
        line = self._w.say("which_medicine", items=heard(kinds))
        return self._remember(Reply((*lead, line), self._expect(target)))

    def _signs_described(self, q: Question) -> list[str]:
        """Warning signs the person described in words while answering a red-flag question
        ("no chest pain, but my arm went numb"): each answers its own question with a yes."""
        if q.id not in rules.red_flag_questions(self.content):
            return []
        found = symptoms.described(self._said, q.id, self.content.red_flags, self.answers)
        for qid in found:
            self.answers[qid] = "yes"
        return found
