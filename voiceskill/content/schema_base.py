"""What every content file's shape is built from: the base model, strict scalars, texts with
a caregiver wording, and conditions (used by questions.yaml, rules.yaml and advice.yaml).

Every model forbids unknown keys (a misspelt key is an error, not silently ignored) and is
frozen; scalars are strict (``"3"`` is not a number, ``1`` is not true), while lists accept
any YAML sequence. A key's docstring is its meaning: it is what the YAML headers point to and
what docs/content-schema.json carries as its description.
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
Pronoun = Literal["he", "she", "they"]


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


def as_text(value: Any) -> Any:
    """A plain string stands for ``{text: value}``."""
    return {"text": value} if isinstance(value, str) else value


Phrase = Annotated[StrictStr, AfterValidator(_non_blank)]
"""A non-empty text: a phrase, an id in a list, a name said."""
Phrases = list[Phrase]
Id = Annotated[StrictStr, AfterValidator(_an_id)]
Number = StrictInt | StrictFloat


class Shape(BaseModel):
    """Every mapping in prompts/: unknown keys refused, frozen once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    @model_validator(mode="before")
    @classmethod
    def _bool_keys(cls, data: Any) -> Any:
        # A bare yes or no as a mapping key is read by YAML 1.1 as true or false.
        if isinstance(data, dict):
            return {_yaml_bool(k): v for k, v in data.items()}
        return data


class TextSpec(Shape):
    text: StrictStr
    """Said to the person themself."""
    caregiver: StrictStr | None = None
    """Said to a caregiver; {name}, {they}, {them}, {their}, {They}, {Their} are filled in
    from --name and --pronoun."""


Said = Annotated[TextSpec, BeforeValidator(as_text, json_schema_input_type=str | TextSpec)]
"""A plain text, or {text, caregiver}."""


class ConditionSpec(Shape):
    """A test on the answers or on who is answering. On a question not answered it holds only
    with or_unknown: true. Forms: {question: ID, is: [yes, no, unsure]};
    {question: ID, below: N} or {question: ID, at_least: N} for numbers;
    {question: medications, class_in: [..], tier_in: [..]} for medicines;
    {mode: caregiver}, {pronoun_not: he}, {pronoun: he} for who is answering, and for whom."""

    question: StrictStr | None = None
    """The id of the question whose answer is tested (one asked before, in ask_if)."""
    is_: list[Annotated[Answer, BeforeValidator(_yaml_bool)]] | None = Field(None, alias="is")
    """A yes/no answer: holds when it is one of these (quote "yes" and "no")."""
    below: Number | None = None
    """A number answer: holds when it is below this."""
    at_least: Number | None = None
    """A number answer: holds when it is at least this."""
    class_in: Phrases | None = None
    """Medicines named: holds when one is of these classes (ids in medications.yaml)."""
    tier_in: list[Tier] | None = None
    """With class_in: only medicines whose evidence tier is one of these."""
    or_unknown: StrictBool = False
    """Holds also when the question was not answered."""
    mode: Literal["caregiver", "self"] | None = None
    """Who is answering."""
    pronoun_not: Pronoun | None = None
    """Holds unless the person is called this."""
    pronoun: Pronoun | None = None
    """Holds when the person is called this."""


Conditions = list[ConditionSpec] | None
