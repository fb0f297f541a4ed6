"""The check-in as a pure state machine: the text and voice front ends drive the same one.

Feed it what was understood (or ``None`` for silence); it answers with what to say next and
what to listen for. It never touches audio, files or the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import rules, summary, symptoms
from .content import VOICE_CONTROLS, Content, Question
from .expectations import expectation, is_number, read_back_expectation
from .medicine_followup import WhichOne
from .messages import NOISY_ROOM, Assessment, Expectation, Person, Understood
from .speech import Adjusted, Voice
from .wording import Wording, heard

__all__ = ["DETAILS", "NOISY_ROOM", "Dialog", "Reply", "expectation"]

MISSES_BEFORE_MOVING_ON = 2
_LIMITS = {"slower": "slowest", "faster": "fastest", "louder": "loudest", "quieter": "quietest"}
"""What is said instead of a control when the voice is already at that end."""
SILENCES_BEFORE_MOVING_ON = 3
CONTROL_REPEATS_ALLOWED = 2
"""A voice control at its limit, or "go back" at the first question, said at one question
after changing nothing this often is taken as not understood."""
SILENT_QUESTIONS_BEFORE_STOPPING = 2
"""A person who has fallen asleep should not be asked questions all night."""


@dataclass(frozen=True)
class Reply:
    """What the skill says next, and what it then listens for (``None`` once finished)."""

    lines: tuple[str, ...]
    expect: Expectation | None
    done: bool = False
    control: str | None = None
    """``slower``, ``faster``, ``louder`` or ``quieter`` when the person asked the voice to
    change."""
    voice: Voice | None = None
    """The voice to speak with from this reply on, when a control changed it."""
    summary: bool = False
    """The reply reads the summary (and offers the details)."""

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line)


@dataclass
class _Pending:
    question: Question
    value: object
    heard: str


_STOP = object()
"""The pending value while asking whether a faintly heard "stop" was meant."""
_GO_ON = object()
"""The pending value after an emergency sign: the check-in ends unless the person asks to
go on."""
DETAILS = "details"
"""The id listened for after the summary: "tell me more" reads the details."""


@dataclass
class Dialog:
    content: Content
    person: Person = field(default_factory=Person)
    voice: Voice | None = None
    """The voice replies are spoken with; None when nothing is spoken (text mode), and then
    a voice control is only acknowledged."""

    def __post_init__(self) -> None:
        self._w = Wording(self.content, self.person)
        self.answers: dict[str, object] = {}
        self.asked: list[str] = []
        self._current: Question | None = None
        self._pending: _Pending | None = None
        self._misses = 0
        self._silences = 0
        self._silent_questions = 0
        self._last: Reply | None = None
        self._said = ""
        self._offering = False
        self._which = WhichOne()
        self._no_change: tuple[str, int] = ("", 0)
        """How often a control has changed nothing in a row, and at which question."""
        self.done = False
        self.stopped_early = False

    # ---- driving ---------------------------------------------------------------------
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

    def assessment(self) -> Assessment:
        return rules.assess(self.content, self.answers, self.person)

    @property
    def current_question(self) -> Question | None:
        return self._current

    @property
    def closing(self) -> bool:
        """The summary has been read (details offered), or an emergency was reported and
        the check-in ends unless the person asks to go on."""
        return self._offering or (self._pending is not None and self._pending.value is _GO_ON)

    # ---- one utterance ---------------------------------------------------------------
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
            return self._finish(stopped=True, lead=(self._w.say("stopping"),))
        if u.intent == "skip":
            self.answers[q.id] = "skipped"
            return self._ask(self._next_question(after=q), lead=(self._w.say("skipped"),))
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
                return self._finish(stopped=True, lead=(self._w.say("stopping"),))
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

    def _signs_described(self, q: Question) -> list[str]:
        """Warning signs the person described in words while answering a red-flag question
        ("no chest pain, but my arm went numb"): each answers its own question with a yes."""
        if q.id not in rules.red_flag_questions(self.content):
            return []
        found = symptoms.described(self._said, q.id, self.content.red_flags, self.answers)
        for qid in found:
            self.answers[qid] = "yes"
        return found

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
        return self._ask(self._next_question(after=q), lead=(self._w.say("moving_on"),))

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
            return self._ask(self._next_question(after=q), lead=(self._w.say("moving_on"),))
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

    # ---- asking and finishing -------------------------------------------------------
    def _next_question(self, after: Question | None) -> Question | None:
        questions = self.content.questions
        start = 0 if after is None else questions.index(after) + 1
        for q in questions[start:]:
            if q.id in self.answers:
                continue
            if all(rules.holds(c, self.answers, self.person) for c in q.ask_if):
                return q
        return None

    def _ask(self, q: Question | None, lead: tuple[str, ...]) -> Reply:
        if q is None:
            return self._finish(stopped=False, lead=lead)
        self._current = q
        self._misses = 0
        if q.id not in self.asked:
            self.asked.append(q.id)
        return self._remember(Reply((*lead, self._w.question(q)), self._expect(q)))

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

    def summary_lines(self) -> list[str]:
        """The one spoken summary: red flags first, then the likely causes, one step for
        tonight, one thing for the doctor, the disclaimer and the offer of details."""
        return summary.spoken_summary(self.content, self.assessment(), self.answers,
                                      self.person)

    # ---- wording ----------------------------------------------------------------------
    def _expect(self, q: Question) -> Expectation:
        return expectation(q, self.person)

    def _confirm_text(self, pending: _Pending) -> str:
        if pending.value is _STOP:
            return self._w.say("confirm_stop")
        return self._w.say("confirm", heard=pending.heard)

    def _confirm_expect(self, pending: _Pending) -> Expectation:
        stopping = pending.value is _STOP
        return read_back_expectation(pending.question, self.person, pending.value, stopping)

    def _remember(self, reply: Reply) -> Reply:
        self._last = reply
        return reply
