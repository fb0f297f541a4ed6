"""The check-in as a pure state machine: the text and voice front ends drive the same one.

Feed it what was understood (or ``None`` for silence); it answers with what to say next and
what to listen for. It never touches audio, files or the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeGuard

from . import rules, summary, symptoms
from .content import VOICE_CONTROLS, Content, Question, Text, number_openers, short_forms
from .messages import Assessment, Expectation, Medication, Person, Understood

MISSES_BEFORE_MOVING_ON = 2
NOISY_ROOM = "noisy_room"
"""The reason given for an answer lost in the sound of the room (a television, a radio): the
person is asked to turn it down rather than told only that they were not understood."""
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

    def __post_init__(self) -> None:
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
        self._kept_medicines: list[Medication] | None = None
        """While asking which product a kind of medicine is ("sleeping pills"): the names
        already given, kept beside the answer to come."""
        self._asked_which = False
        self._no_change: tuple[str, int] = ("", 0)
        """How often a control has changed nothing in a row, and at which question."""
        self.done = False
        self.stopped_early = False

    # ---- driving ---------------------------------------------------------------------
    def start(self) -> Reply:
        welcome = self._say("welcome")
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
            return self._remember(Reply((self._help(q), self._examples(q)), self._expect(q)))
        if u.intent == "stop":
            if not confident:
                # A stop heard faintly may be the television: asking first costs one turn,
                # ending by mistake costs the rest of the check-in.
                self._pending = _Pending(q, _STOP, "stop")
                return self._remember(
                    Reply((self._confirm_text(self._pending),), self._confirm_expect(self._pending))
                )
            return self._finish(stopped=True, lead=(self._say("stopping"),))
        if u.intent == "skip":
            self.answers[q.id] = "skipped"
            return self._ask(self._next_question(after=q), lead=(self._say("skipped"),))
        if u.intent == "back":
            return self._back()
        if u.intent in VOICE_CONTROLS:
            line = self._say(str(u.intent))
            return self._remember(
                Reply((line, self._question_text(q)), self._expect(q), control=str(u.intent))
            )
        if u.intent == "unknown":
            return self._miss(q, u)
        if not confident:
            self._pending = _Pending(q, u.value, _heard(u.value))
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
        if u.intent == "answer" and _is_number(u.value) and pending.question.expect == "number":
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
                return self._finish(stopped=True, lead=(self._say("stopping"),))
            return self._accept(pending.question, pending.value)
        if u.intent == "answer" and u.value == "no":
            self._pending = None
            if not stopping:
                # A rejected read-back counts as a miss, so an answer misheard the same way
                # twice ("seventy" as "seventeen") does not keep the person at one question.
                self._misses += 1
                if self._misses >= MISSES_BEFORE_MOVING_ON:
                    return self._move_on(pending.question)
            lead = (self._say("carrying_on"),) if stopping else ()
            return self._remember(
                Reply((*lead, self._question_text(pending.question)),
                      self._expect(pending.question))
            )
        if u.intent in ("repeat",):
            return self._again()
        if u.intent in VOICE_CONTROLS:
            # "Louder" is about the voice, not the answer: the read-back is said again.
            line = self._say(str(u.intent))
            return self._remember(
                Reply((line, self._confirm_text(pending)), self._confirm_expect(pending),
                      control=str(u.intent))
            )
        if u.intent in ("stop", "back", "skip"):
            self._pending = None
            return self._handle(u, confident=True)
        if u.reason == NOISY_ROOM:
            return self._remember(
                Reply((self._say("noisy_room"), self._confirm_text(pending)),
                      self._confirm_expect(pending))
            )
        key = "confirm_stop_help" if stopping else "confirm_help"
        if key == "confirm_help" and pending.question.expect == "number":
            # Content folders written before this line existed keep the general one.
            key = "confirm_number_help" if "confirm_number_help" in self.content.dialog else key
        return self._remember(Reply((self._say(key),), self._confirm_expect(pending)))

    def _accept(self, q: Question, value: object) -> Reply:
        value = self._with_kept_medicines(q, value)
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
            lead.append(self._say("medicines_heard", items=_heard(value)))
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
            reply = Reply((*lead, self._say("urgent_summary_intro")
                           + rules.render(emergency.advice, self.person),
                           self._say("go_on_offer")), Expectation("yes_no", f"{q.id}:go_on"))
            return self._remember(reply)
        for flag in flags:
            # "Not sure" is treated as a possible yes: the advice now, then carry on.
            lead.append(self._say("red_flag_intro") + rules.render(flag.advice, self.person))
        if flags:
            lead.append(self._say("red_flag_continue"))
        return self._ask(self._next_question(after=q), lead=tuple(lead))

    def _which_one(self, q: Question, value: list[object], lead: list[str]) -> Reply | None:
        """A kind of medicine named without the product ("sleeping pills"): asked once which
        one it is, since the same words cover products with and without the ingredient
        that worsens restless legs."""
        kinds = [m for m in value if isinstance(m, Medication) and m.drug_class == "unspecified"]
        if not kinds or self._asked_which:
            return None
        self._asked_which = True
        target = q if q.expect == "medications" else self.content.question(str(q.names_answer))
        self._kept_medicines = [m for m in value
                                if isinstance(m, Medication) and m.drug_class != "unspecified"]
        self._current = target
        self._misses = 0
        line = self._say("which_medicine", items=_heard(kinds))
        return self._remember(Reply((*lead, line), self._expect(target)))

    def _with_kept_medicines(self, q: Question, value: object) -> object:
        """The answer to "which one?": the names given before, with the product named now;
        no name now keeps the first answer."""
        kept, self._kept_medicines = self._kept_medicines, None
        if kept is None or q.expect != "medications":
            return value
        if isinstance(value, list) and value:
            return kept + [m for m in value if m not in kept]
        return self.answers.get(q.id, value)

    def _looping(self, q: Question, u: Understood) -> bool:
        if u.intent not in (*VOICE_CONTROLS, "back"):
            return False
        return self._no_change == (q.id, CONTROL_REPEATS_ALLOWED)

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
        if q.id not in self._red_flag_questions():
            return []
        affirmed, _ = symptoms.mentioned(self._said, self.content.red_flags)
        found = [qid for qid in affirmed if qid != q.id and self.answers.get(qid) != "yes"]
        for qid in found:
            self.answers[qid] = "yes"
        return found

    def _red_flag_questions(self) -> set[str]:
        ids = {f.question for f in self.content.red_flags}
        if self.content.unresolved is not None:
            ids.add(self.content.unresolved.question)
        return ids

    def _miss(self, q: Question, u: Understood) -> Reply:
        self._misses += 1
        if q.id in self._red_flag_questions():
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
            lines.append(self._say("noisy_room"))
            lines.append(self._question_text(q))
        elif u.reason == "out_of_range" and q.expect == "number":
            lines.append(self._say("out_of_range", value=u.value, low=q.low, high=q.high))
            lines.append(self._question_text(q))
        elif q.expect == "medications":
            lines.append(self._say("no_medicine_recognised"))
            lines.append(self._examples(q))
        else:
            lines.append(self._say("not_understood", examples=self._examples(q)))
        return self._remember(Reply(tuple(lines), self._expect(q)))

    def _move_on(self, q: Question) -> Reply:
        if self._kept_medicines is not None:
            # "Which one?" not answered: the kind said first stands.
            self._kept_medicines = None
        else:
            self.answers[q.id] = "unknown"
        return self._ask(self._next_question(after=q), lead=(self._say("moving_on"),))

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
                return self._finish(stopped=True, lead=(self._say("stopping"),), offer=False)
            if self._pending is not None:
                self._pending = None
            self.answers.setdefault(q.id, "unknown")
            return self._ask(self._next_question(after=q), lead=(self._say("moving_on"),))
        key = "no_input" if self._silences == 1 else "no_input_again"
        if self._pending is not None:
            # Still waiting for a yes or no to the read-back, so that is what is asked again.
            text = self._confirm_text(self._pending)
            expect = self._confirm_expect(self._pending)
            reply = Reply((self._say("no_input", question=text),), expect)
            return self._remember(reply)
        text = self._question_text(q)
        reply = Reply((self._say(key, question=text, examples=self._examples(q)),), self._expect(q))
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
                Reply((self._say("back_at_start"), self._question_text(q)), self._expect(q))
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
        return self._ask(previous, lead=(self._say("going_back"),))

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
        return self._remember(Reply((*lead, self._question_text(q)), self._expect(q)))

    def _finish(self, stopped: bool, lead: tuple[str, ...], offer: bool = True) -> Reply:
        self.stopped_early = stopped
        self._current = None
        self._pending = None
        result = self.assessment()
        if not offer or result.emergency:
            # Asleep, or an emergency where getting help is all that matters: the summary
            # (the advice, once more) and goodbye, with no offer to wait on.
            self.done = True
            lines = [x for x in self.summary_lines() if x != self._say("details_offer")]
            reply = Reply((*lead, *lines, self._say("goodbye")), None, done=True, summary=True)
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
            lines = [self._say("goodbye")]
        reply = Reply(tuple(lines), None, done=True)
        self._last = reply
        return reply

    def summary_lines(self) -> list[str]:
        """The one spoken summary: red flags first, then the likely causes, one step for
        tonight, one thing for the doctor, the disclaimer and the offer of details."""
        return summary.spoken_summary(self.content, self.assessment(), self.answers,
                                      self.person)

    # ---- wording ----------------------------------------------------------------------
    def _say(self, key: str, **slots: object) -> str:
        dialog = self.content.dialog
        template = dialog.get(f"{key}_caregiver") if self.person.caregiver else None
        if not isinstance(template, str):
            template = dialog[key]
        return rules.render(Text(template), self.person, **slots)

    def _question_text(self, q: Question) -> str:
        return rules.render(q.text, self.person)

    def _help(self, q: Question) -> str:
        return rules.render(q.help, self.person)

    def _examples(self, q: Question) -> str:
        template = self.content.dialog["examples"][q.expect]
        return rules.render(Text(template), self.person, low=q.low, high=q.high)

    def _expect(self, q: Question) -> Expectation:
        return expectation(q, self.person)

    def _confirm_text(self, pending: _Pending) -> str:
        if pending.value is _STOP:
            return self._say("confirm_stop")
        return self._say("confirm", heard=pending.heard)

    def _confirm_expect(self, pending: _Pending) -> Expectation:
        # "Is that right?" is answered "yes it is"; "Do you want to stop?" "no I don't".
        short = short_forms("i do" if pending.value is _STOP else "it is")
        q = pending.question
        if q.expect == "number" and pending.value is not _STOP:
            number = pending.value if _is_number(pending.value) else None
            # "No, I'm seventy five", "no, she's seventy five": the question's own openers,
            # which a read-back takes with the numbers even where the question itself waits
            # for a second try (docs/decisions/013).
            openers = self._expect(q).short_answers
            return Expectation("yes_no", f"{q.id}:confirm", q.low, q.high, short_answers=short,
                               corrected_by_number=True, read_back=number,
                               correction_openers=openers)
        return Expectation("yes_no", f"{q.id}:confirm", short_answers=short)

    def _remember(self, reply: Reply) -> Reply:
        self._last = reply
        return reply


def expectation(q: Question, person: Person) -> Expectation:
    """What a question listens for: its kind and range, whether medicine names answer it,
    and the short replies that echo it for this person ("yes I do", "no she doesn't"; at a
    number question "I'm", "she's")."""
    names = q.names_answer is not None
    short: tuple[str, ...] = ()
    if q.short_answer:
        said = rules.render(q.short_answer, person)
        short = number_openers(said) if q.expect == "number" else short_forms(said)
    # A caregiver's "she's eighty" is heard best with the numbers themselves; the speaker's
    # own "I'm" waits for the second try, because with the numbers a plain "ninety" was
    # heard as "I'm eighty" (docs/decisions/016 and 017).
    first = q.expect == "number" and person.caregiver
    return Expectation(q.expect, q.id, q.low, q.high, names, short,  # type: ignore[arg-type]
                       openers_with_numbers=first, units=q.units, per=q.per,
                       own_answers=q.says)


def _heard(value: object) -> str:
    if value == "unsure":
        return "not sure"
    if isinstance(value, list):
        if not value:
            return "none"
        return _join([m.said if isinstance(m, Medication) else str(m) for m in value])
    return str(value)


def _is_number(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
