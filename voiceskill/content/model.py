"""What the content in prompts/ becomes: frozen objects, and the fixed lists the code relies on.

Parsed once at start-up (see ``loader``); nothing here reads a file. The ids of causes and of
medicine classes are not here: they are declared in the content (``cause_ids`` in rules.yaml,
``classes`` in medications.yaml), so adding one is a content change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("yes_no", "number", "medications")
YES_NO_VALUES = ("yes", "no", "unsure")
READING_LISTS = (
    "negations", "claims", "negative_words", "intensifiers", "hedges", "hearsay", "alone",
    "weak", "neutral", "other_assistants", "other_units",
)
"""The lists under ``reading:`` in understanding.yaml (described there)."""
VOICE_CONTROLS = ("slower", "faster", "louder", "quieter")
"""Controls that change the voice; each has a dialog line, and one for its limit."""
CONTROL_INTENTS = ("repeat", "help", "stop", "skip", "back", *VOICE_CONTROLS)
PERSON_SLOTS = ("name", "they", "them", "their", "They", "Their")


@dataclass(frozen=True)
class Condition:
    """One test on the answers or on who is answering (forms: ``schema_base.ConditionSpec``)."""

    question: str | None = None
    is_: tuple[str, ...] = ()
    below: float | None = None
    at_least: float | None = None
    class_in: tuple[str, ...] = ()
    tier_in: tuple[str, ...] = ()
    """With class_in: only medicines whose evidence tier is one of these (A, B, C, L)."""
    or_unknown: bool = False
    mode: str | None = None
    pronoun_not: str | None = None
    pronoun: str | None = None


@dataclass(frozen=True)
class Text:
    """Something said, with an optional caregiver wording."""

    text: str
    caregiver: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    expect: str
    text: Text
    help: Text
    low: int | None = None
    high: int | None = None
    ask_if: tuple[Condition, ...] = ()
    names_answer: str | None = None
    """For a yes/no question, the medications question that medicine names said in reply
    answer as well ("I take Zoloft" to "Do you take any medicines?")."""
    short_answer: Text | None = None
    """For a yes/no question, the short reply that echoes it ("i do", caregiver
    "{they} does"); see ``short_forms``. For a number question, the words said before the
    number ("i am", caregiver "{they} is": "I'm seventy", "she's eighty"); see
    ``number_openers``."""
    says: tuple[tuple[str, str], ...] = ()
    """For a yes/no question, answers in words of its own: ("a woman", "no")."""
    units: tuple[str, ...] = ()
    """For a number question, the words a number may be said with, in the singular ("night",
    "time": "five nights", "one time"), each also followed by ``per`` ("three nights a
    week")."""
    per: str = ""


LEVELS = ("high", "medium", "low", "unlikely")
"""Likelihoods, most likely first; ``unlikely`` is reported with the reason but never as a
trigger."""


@dataclass(frozen=True)
class Signal:
    when: Condition
    points: int
    because: Text
    requires_fired: bool = False
    cap: str | None = None
    """A look-alike: when it fires the cause is at most this likely (criterion 5 of the
    IRLSSG: not solely explained by another condition)."""


@dataclass(frozen=True)
class Criterion:
    """An essential feature: a no makes the cause unlikely, for the reason ``unmet``; an
    unsure or missing answer keeps it at most possible."""

    when: Condition
    unmet: Text


@dataclass(frozen=True)
class Cause:
    id: str
    title: str
    high: int
    medium: int
    low: int
    requires: tuple[Condition, ...]
    signals: tuple[Signal, ...]
    tonight: tuple[str, ...]
    ask_doctor: tuple[str, ...]
    kind: str = "condition"
    """``condition``: something the symptoms may be ("Restless legs syndrome is quite likely");
    ``trigger``: something that brings restless legs on or makes them worse ("You take
    Tylenol PM, which can bring on restless legs")."""
    plural: bool = False
    """The title takes "are" ("leg cramps are")."""
    criteria: tuple[Criterion, ...] = ()
    symptoms: tuple[Condition, ...] = ()
    """For a trigger: leg symptoms that support it; when none holds it rests on a background
    fact alone (pregnancy, dialysis, a medicine), is at most a small possibility and ranks
    below causes the symptoms support."""


@dataclass(frozen=True)
class RedFlag:
    id: str
    question: str
    level: str
    end_checkin: bool
    reason: str
    advice: Text
    signs: tuple[str, ...] = ()
    """How people describe the sign in their own words ("calf swollen", "face droop"): each
    entry's words must all appear in one clause, as the start of a word, and not negated."""
    unanswered: Text | None = None
    """Said when its question is left with no answer (skipped, silence, not understood, or a
    stop there): the support that should reach everyone the question was asked of."""


@dataclass(frozen=True)
class Unresolved:
    """A warning sign reported at ``question`` whose details were never all answered (the
    person stopped, skipped or fell silent): its advice is given, as the most serious."""

    question: str
    reason: str
    advice: Text


@dataclass(frozen=True)
class Tip:
    """A step for tonight or an item for the doctor, and when it must not be given."""

    text: Text
    not_if: tuple[Condition, ...] = ()
    only_if_any: tuple[Condition, ...] = ()
    """When given, at least one must hold (the cause of low iron is looked for in a man or
    after the menopause)."""


@dataclass(frozen=True)
class Caution:
    """Said just before any of ``before`` whenever one of ``when_any`` holds (a falls warning
    before getting up, for someone frail or on a sedating medicine)."""

    id: str
    text: Text
    when_any: tuple[Condition, ...]
    before: tuple[str, ...]


@dataclass(frozen=True)
class MedClass:
    id: str
    trigger: bool
    plain: str


TIERS = ("A", "B", "C", "L")
"""Evidence for a medicine worsening restless legs (clinical reference §3.7): A guideline
class or prospective data, B case reports or named by NINDS/NIH, C class only, L lower
risk."""


@dataclass(frozen=True)
class MedEntry:
    name: str
    drug_class: str
    said: tuple[str, ...]
    tier: str = "L"


@dataclass(frozen=True)
class Vocabulary:
    yes_no: dict[str, tuple[str, ...]]
    controls: dict[str, tuple[str, ...]]
    fillers: tuple[str, ...]
    modifiers: tuple[str, ...]
    """Dropped around a voice control ("a bit slower")."""
    numbers: dict[str, int]
    no_medications: tuple[str, ...]
    listen_for: dict[str, tuple[str, ...]]
    """The phrasings speech recognisers listen for, by kind: yes_no, controls, numbers,
    no_medications; and lead_ins, the sounds that may come before each of lead_in_answers
    ("oh, yes") and, on a second try, before a number said plainly ("um, seventy")."""
    reading: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """How a sentence is read beyond its phrases, by list (see ``READING_LISTS``): the words
    that negate what follows them, hedges, phrases that count only as the whole answer..."""


@dataclass(frozen=True)
class Content:
    questions: tuple[Question, ...]
    causes: tuple[Cause, ...]
    red_flags: tuple[RedFlag, ...]
    tonight: dict[str, Tip]
    doctor: dict[str, Tip]
    default_tonight: tuple[str, ...]
    default_doctor: tuple[str, ...]
    med_classes: dict[str, MedClass]
    medications: tuple[MedEntry, ...]
    vocabulary: Vocabulary
    dialog: dict[str, Any]
    source: Path
    cautions: tuple[Caution, ...] = ()
    unresolved: Unresolved | None = None

    @property
    def cause_ids(self) -> tuple[str, ...]:
        """The causes' stable ids, as declared in rules.yaml."""
        return tuple(c.id for c in self.causes)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

