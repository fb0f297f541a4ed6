"""The dialog's state, what a reply is, and the steps every part of the check-in shares:
asking a question, the wording of a read-back, remembering the last reply."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field

from .. import rules, summary
from ..content import Content, Question
from ..expectations import expectation, read_back_expectation
from ..medicine_followup import WhichOne
from ..messages import Assessment, Expectation, Person, Understood
from ..speech import Voice
from ..wording import Wording

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
class DialogState:
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

    def assessment(self) -> Assessment:
        return rules.assess(self.content, self.answers, self.person)

    # ---- asking ----------------------------------------------------------------------
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

    # ---- steps each part of the dialog provides (see Dialog) ---------------------------
    @abstractmethod
    def _finish(self, stopped: bool, lead: tuple[str, ...], offer: bool = True) -> Reply:
        ...

    @abstractmethod
    def _accept(self, q: Question, value: object) -> Reply:
        ...

    @abstractmethod
    def _looping(self, q: Question, u: Understood) -> bool:
        ...

    @abstractmethod
    def _change_voice(self, control: str, then: str, expect: Expectation) -> Reply:
        ...

    @abstractmethod
    def control_changed_nothing(self) -> None:
        ...
