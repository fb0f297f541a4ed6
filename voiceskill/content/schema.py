"""The declared shape of every file in prompts/: which keys each mapping may have, which are
required, the type of each value, and (in each key's docstring) what it means.

This is the one place the shape is written. The YAML headers point here, the loader checks
each file against its model before reading it (``Reader.validate``), and
docs/content-schema.json is generated from these models (``python -m
voiceskill.content.jsonschema``). What cannot be said as a shape (a name in one file that
must exist in another, the placeholders a text may use, ranges in order) is checked after,
in ``checks`` and the module of each file. The building blocks are in ``schema_base``; the
files of words (medications, understanding, dialog) in ``schema_words``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, StrictBool, StrictInt, StrictStr

from .schema_base import (
    Conditions,
    ConditionSpec,
    Id,
    Kind,
    Phrases,
    Said,
    Shape,
    as_text,
)
from .schema_words import DialogFile, MedicationsFile, UnderstandingFile

# ---- questions.yaml ---------------------------------------------------------------------


class SaysSpec(Shape):
    """Answers in words of the question's own, by meaning: {"yes": ["a man"], "no":
    ["a woman"]} to "Are you a man?". A phrase may be a template, "(snore|snores) [loudly]":
    one of the words in brackets, the words in square brackets or not. A negation up to three
    words before a yes makes it a no; the recognisers listen only for plain phrases."""

    yes: Phrases | None = None
    no: Phrases | None = None
    unsure: Phrases | None = None


class QuestionSpec(Shape):
    """One question of the check-in, in the order asked."""

    id: Id
    """Stable name; rules and answer files refer to it."""
    expect: Kind
    """The kind of answer."""
    text: StrictStr
    """Asked of the person themself."""
    caregiver: StrictStr
    """Asked of a caregiver; {name}, {they}, {them}, {their}, {They}, {Their} are filled in
    from --name and --pronoun."""
    help: StrictStr
    """The question explained in other words."""
    help_caregiver: StrictStr | None = None
    """The help for a caregiver."""
    range: list[StrictInt] | None = None
    """Number questions: [lowest, highest]."""
    ask_if: Conditions = None
    """Conditions that must all hold for the question to be asked (on questions before it)."""
    names_answer: StrictStr | None = None
    """Yes/no questions: a later medications question that medicine names said in reply
    answer too ("I take Zoloft" is a yes here and the list there)."""
    short_answer: StrictStr | None = None
    """Yes/no: the short reply that echoes the question ("i do", "it is"); recognisers also
    listen for "yes i do" and "no i don't". Number: what is said before the number ("i am":
    "i'm seventy")."""
    short_answer_caregiver: StrictStr | None = None
    """The same with {they}: "{they} does" gives "she does", "they do"."""
    units: list[StrictStr] | None = None
    """Number questions: words a number may be said with, singular ([night, time]: "five
    nights", "one time")."""
    per: StrictStr | None = None
    """With units: "a week" adds "three nights a week"."""
    says: SaysSpec | None = None
    """Yes/no questions: answers in words of the question's own."""


class QuestionsFile(Shape):
    questions: list[QuestionSpec]


# ---- rules.yaml ---------------------------------------------------------------------------


class LevelsSpec(Shape):
    """The lowest total of points for each likelihood (high >= medium >= low >= 1)."""

    high: StrictInt
    medium: StrictInt
    low: StrictInt


class SignalSpec(Shape):
    when: ConditionSpec
    """What the person said that counts."""
    points: StrictInt
    """Added to the cause's total when it fires."""
    because: StrictStr
    """The reason, in the person's own terms, short enough for a sentence of 20 words;
    {value} is the number said, {medicine} the name as said, {plain} the kind of medicine."""
    because_caregiver: StrictStr | None = None
    """The reason for a caregiver."""
    requires_fired: StrictBool = False
    """Counts only when a signal of the cause's own fired."""
    cap: Literal["medium", "low", "unlikely"] | None = None
    """A look-alike: when it fires the cause is at most this likely."""


class CriterionSpec(Shape):
    """An essential feature: a no makes the cause "not likely" for the reason unmet; an
    unsure or missing answer keeps it at most possible."""

    when: ConditionSpec
    """A test of a yes/no answer (with is)."""
    unmet: StrictStr
    unmet_caregiver: StrictStr | None = None


class CauseSpec(Shape):
    """The rule of one cause: the points of the signals that fire add up to a likelihood; a
    cause is reported only when a positive signal of its own fired."""

    title: StrictStr
    """How the cause is named."""
    levels: LevelsSpec
    signals: list[SignalSpec]
    requires: Conditions = None
    """Conditions that must all hold, or the rule is not considered."""
    tonight: Phrases | None = None
    """Calming steps for tonight (ids under tonight in advice.yaml)."""
    ask_doctor: Phrases | None = None
    """What to raise with a doctor (ids under doctor in advice.yaml)."""
    kind: Literal["condition", "trigger"] = "condition"
    """condition: what the symptoms may be ("Leg cramps are quite likely"); trigger: what
    brings restless legs on or makes them worse ("..., which can worsen restless legs")."""
    plural: StrictBool = False
    """The title takes "are"."""
    criteria: list[CriterionSpec] | None = None
    """Essential features, all needed."""
    symptoms: Conditions = None
    """Triggers: leg symptoms that support it; when none holds it rests on a background fact
    alone, is at most a small possibility and ranks below causes the symptoms support."""


class RulesFile(Shape):
    cause_ids: list[Id]
    """The causes, by the stable ids reports and other tools use; each has one rule under
    causes. Between causes equally likely, the one listed first is reported first."""
    causes: dict[StrictStr, CauseSpec]


# ---- red_flags.yaml -----------------------------------------------------------------------


class RedFlagSpec(Shape):
    id: Id
    question: StrictStr
    """The yes/no question that detects it (in questions.yaml)."""
    level: Literal["emergency", "urgent"]
    """Emergency is said before urgent (same-day)."""
    end_checkin: StrictBool
    """Stop after the advice, unless the person asks to go on (the answers so far are
    kept)."""
    reason: StrictStr
    """What was reported, for the JSON and the journal."""
    advice: Said
    """What to do, in sentences of 20 words or fewer."""
    signs: Phrases | None = None
    """How people describe it in their own words: each entry's words must all begin words of
    one clause, not negated ("calf swoll": "my calf is swollen")."""
    unanswered: Said | None = None
    """Said when the question is left with no answer (skipped, silence, not understood, a
    stop there), before the check-in moves on or ends."""


class UnresolvedSpec(Shape):
    """The advice when the safety question was answered yes or not sure and the signs were
    not all gone through (stop, skip, silence, end of input): it covers them all."""

    question: StrictStr
    reason: StrictStr
    advice: Said


class RedFlagsFile(Shape):
    red_flags: list[RedFlagSpec]
    unresolved: UnresolvedSpec | None = None


# ---- advice.yaml --------------------------------------------------------------------------


class TipSpec(Shape):
    """A step for tonight or an item for the doctor: one or two sentences of 20 words or
    fewer each."""

    text: StrictStr
    caregiver: StrictStr | None = None
    not_if: Conditions = None
    """When any holds the tip is never given."""
    only_if_any: Conditions = None
    """When given, at least one must hold."""


Tip = Annotated[TipSpec, BeforeValidator(as_text, json_schema_input_type=str | TipSpec)]
"""A plain text, or {text, caregiver, not_if, only_if_any}."""


class CautionSpec(Shape):
    """Said just before any step listed in before when any of when_any holds."""

    text: StrictStr
    caregiver: StrictStr | None = None
    when_any: list[ConditionSpec]
    before: Phrases
    """Ids under tonight."""


class AdviceFile(Shape):
    tonight: dict[StrictStr, Tip]
    doctor: dict[StrictStr, Tip]
    default_tonight: Phrases
    """Added to the causes' steps for tonight until there are two."""
    default_doctor: Phrases
    """Given when no cause's item for the doctor applies."""
    cautions: dict[StrictStr, CautionSpec] | None = None


FILES: dict[str, type[Shape]] = {
    "questions.yaml": QuestionsFile,
    "rules.yaml": RulesFile,
    "red_flags.yaml": RedFlagsFile,
    "advice.yaml": AdviceFile,
    "medications.yaml": MedicationsFile,
    "understanding.yaml": UnderstandingFile,
    "dialog.yaml": DialogFile,
}
"""Each content file and the model of its top level."""

__all__ = [
    "FILES", "AdviceFile", "CauseSpec", "ConditionSpec", "CriterionSpec", "DialogFile",
    "MedicationsFile", "QuestionSpec", "QuestionsFile", "RedFlagsFile", "RulesFile",
    "TipSpec", "UnderstandingFile",
]
