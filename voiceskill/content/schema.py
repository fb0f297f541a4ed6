"""The declared shape of every file in prompts/: which keys each mapping may have, which are
required, and the type of each value.

This is the one place the shape is written. The YAML header comments point here, the loader
validates each file against its model before reading it (``Reader.validate``), and
``docs/content-schema.json`` is generated from these models
(``python -m voiceskill.content.jsonschema``). What cannot be said as a shape (a name in one
file that must exist in another, a placeholder a text may use, ranges in order) is checked
after, in ``checks`` and the module of each file.

Every model forbids unknown keys (a misspelt key is an error, not silently ignored) and is
frozen; scalars are strict (``"3"`` is not a number, ``1`` is not true), while lists accept
any YAML sequence. A text that may have a caregiver wording is written either as a plain
string or as ``{text: ..., caregiver: ...}``; both become ``TextSpec``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

Kind = Literal["yes_no", "number", "medications"]
Answer = Literal["yes", "no", "unsure"]
Tier = Literal["A", "B", "C", "L"]


def _yaml_bool(value: Any) -> Any:
    # YAML 1.1 reads a bare yes/no as true/false; accept it rather than fail the editor.
    return "yes" if value is True else "no" if value is False else value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("content", "must be a non-empty text")
    return value


def _an_id(value: str) -> str:
    if not value or not (value[0].isascii() and value[0].islower()) or not all(
        c == "_" or (c.isascii() and (c.islower() or c.isdigit())) for c in value
    ):
        raise PydanticCustomError("content", "must be lower case letters, digits and _")
    return value


def _as_text(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


Phrase = Annotated[StrictStr, AfterValidator(_non_blank)]
"""A non-empty text: a phrase, an id in a list, a name said."""
Phrases = list[Phrase]
Id = Annotated[StrictStr, AfterValidator(_an_id)]
Number = StrictInt | StrictFloat


class Shape(BaseModel):
    """Every mapping in prompts/: unknown keys refused, frozen once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    @model_validator(mode="before")
    @classmethod
    def _bool_keys(cls, data: Any) -> Any:
        # A bare yes or no as a mapping key is read by YAML 1.1 as true or false.
        if isinstance(data, dict):
            return {_yaml_bool(k): v for k, v in data.items()}
        return data


class TextSpec(Shape):
    text: StrictStr
    caregiver: StrictStr | None = None


Said = Annotated[TextSpec, BeforeValidator(_as_text, json_schema_input_type=str | TextSpec)]
"""A plain text, or {text, caregiver}."""


class ConditionSpec(Shape):
    """A test on the answers or on who is answering (forms in questions.yaml's header)."""

    question: StrictStr | None = None
    is_: list[Annotated[Answer, BeforeValidator(_yaml_bool)]] | None = Field(None, alias="is")
    below: Number | None = None
    at_least: Number | None = None
    class_in: Phrases | None = None
    tier_in: list[Tier] | None = None
    or_unknown: StrictBool = False
    mode: Literal["caregiver", "self"] | None = None
    pronoun_not: Literal["he", "she", "they"] | None = None
    pronoun: Literal["he", "she", "they"] | None = None


Conditions = list[ConditionSpec] | None


# ---- questions.yaml ---------------------------------------------------------------------


class SaysSpec(Shape):
    yes: Phrases | None = None
    no: Phrases | None = None
    unsure: Phrases | None = None


class QuestionSpec(Shape):
    id: Id
    expect: Kind
    text: StrictStr
    caregiver: StrictStr
    help: StrictStr
    help_caregiver: StrictStr | None = None
    range: list[StrictInt] | None = None
    ask_if: Conditions = None
    names_answer: StrictStr | None = None
    short_answer: StrictStr | None = None
    short_answer_caregiver: StrictStr | None = None
    units: list[StrictStr] | None = None
    per: StrictStr | None = None
    says: SaysSpec | None = None


class QuestionsFile(Shape):
    questions: list[QuestionSpec]


# ---- rules.yaml ---------------------------------------------------------------------------


class LevelsSpec(Shape):
    high: StrictInt
    medium: StrictInt
    low: StrictInt


class SignalSpec(Shape):
    when: ConditionSpec
    points: StrictInt
    because: StrictStr
    because_caregiver: StrictStr | None = None
    requires_fired: StrictBool = False
    cap: Literal["medium", "low", "unlikely"] | None = None


class CriterionSpec(Shape):
    when: ConditionSpec
    unmet: StrictStr
    unmet_caregiver: StrictStr | None = None


class CauseSpec(Shape):
    title: StrictStr
    levels: LevelsSpec
    signals: list[SignalSpec]
    requires: Conditions = None
    tonight: Phrases | None = None
    ask_doctor: Phrases | None = None
    kind: Literal["condition", "trigger"] = "condition"
    plural: StrictBool = False
    criteria: list[CriterionSpec] | None = None
    symptoms: Conditions = None


class RulesFile(Shape):
    cause_ids: list[Id]
    """The causes, by the stable ids reports and other tools use, in the order reported."""
    causes: dict[StrictStr, CauseSpec]


# ---- red_flags.yaml -----------------------------------------------------------------------


class RedFlagSpec(Shape):
    id: Id
    question: StrictStr
    level: Literal["emergency", "urgent"]
    end_checkin: StrictBool
    reason: StrictStr
    advice: Said
    signs: Phrases | None = None


class UnresolvedSpec(Shape):
    question: StrictStr
    reason: StrictStr
    advice: Said


class RedFlagsFile(Shape):
    red_flags: list[RedFlagSpec]
    unresolved: UnresolvedSpec | None = None


# ---- advice.yaml --------------------------------------------------------------------------


class TipSpec(Shape):
    text: StrictStr
    caregiver: StrictStr | None = None
    not_if: Conditions = None
    only_if_any: Conditions = None


class CautionSpec(Shape):
    text: StrictStr
    caregiver: StrictStr | None = None
    when_any: list[ConditionSpec]
    before: Phrases


Tip = Annotated[TipSpec, BeforeValidator(_as_text, json_schema_input_type=str | TipSpec)]
"""A plain text, or {text, caregiver, not_if, only_if_any}."""


class AdviceFile(Shape):
    tonight: dict[StrictStr, Tip]
    doctor: dict[StrictStr, Tip]
    default_tonight: Phrases
    default_doctor: Phrases
    cautions: dict[StrictStr, CautionSpec] | None = None


# ---- medications.yaml ---------------------------------------------------------------------


class MedClassSpec(Shape):
    trigger: StrictBool
    plain: StrictStr


class MedicineSpec(Shape):
    name: StrictStr
    class_: StrictStr = Field(alias="class")
    said: Phrases | None = None
    tier: Tier = "L"


class MedicationsFile(Shape):
    classes: dict[Id, MedClassSpec]
    """The medicine classes, by id: conditions name them in class_in."""
    medications: list[MedicineSpec]


# ---- understanding.yaml -------------------------------------------------------------------


class YesNoSpec(Shape):
    yes: Phrases
    no: Phrases
    unsure: Phrases


class ControlsSpec(Shape):
    repeat: Phrases
    help: Phrases
    stop: Phrases
    skip: Phrases
    back: Phrases
    slower: Phrases | None = None
    faster: Phrases | None = None
    louder: Phrases | None = None
    quieter: Phrases | None = None


class ListenForSpec(Shape):
    yes_no: Phrases
    controls: Phrases
    numbers: Phrases
    no_medications: Phrases
    lead_ins: Phrases = []
    """Optional: a content folder without them listens for answers as they are."""
    lead_in_answers: Phrases = []


class ReadingSpec(Shape):
    """How a sentence is read beyond its phrases (described in understanding.yaml)."""

    negations: Phrases | None = None
    claims: Phrases | None = None
    negative_words: Phrases | None = None
    intensifiers: Phrases | None = None
    hedges: Phrases | None = None
    hearsay: Phrases | None = None
    alone: Phrases | None = None
    weak: Phrases | None = None
    neutral: Phrases | None = None
    other_assistants: Phrases | None = None
    other_units: Phrases | None = None


class UnderstandingFile(Shape):
    yes_no: YesNoSpec
    controls: ControlsSpec
    numbers: dict[StrictStr, StrictInt]
    no_medications: Phrases
    listen_for: ListenForSpec
    fillers: Phrases = []
    modifiers: Phrases = []
    reading: ReadingSpec = ReadingSpec()


# ---- dialog.yaml --------------------------------------------------------------------------


DialogText = StrictStr | dict[StrictStr, StrictStr]


class DialogFile(Shape):
    """Dialog texts by key: each a text or a mapping of texts. Which keys must be there, and
    the placeholders they may use, are in ``dialog_texts``."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, DialogText] = Field(init=False)


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
