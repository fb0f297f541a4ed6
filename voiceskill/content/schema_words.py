"""The declared shape of the files of words: medications.yaml (the medicine classes and the
names people say), understanding.yaml (how answers and controls are said, and what the
recognisers listen for) and dialog.yaml (everything else the check-in says). See ``schema``.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr

from .schema_base import Id, Phrases, Shape, Tier

# ---- medications.yaml ---------------------------------------------------------------------


class MedClassSpec(Shape):
    trigger: StrictBool
    """The class can start or worsen restless legs (clinical reference §3)."""
    plain: StrictStr
    """What kind of medicine it is, in plain words ({plain} in a reason)."""


class MedicineSpec(Shape):
    name: StrictStr
    """The generic name."""
    class_: StrictStr = Field(alias="class")
    """Its class: an id under classes."""
    said: Phrases | None = None
    """Other names people say: brands, other spellings."""
    tier: Tier = "L"
    """The evidence for it worsening restless legs (§3.7): A a guideline-named class or
    prospective data, B case reports or named by NINDS/NIH, C class only, L lower risk or not
    a trigger."""


class MedicationsFile(Shape):
    classes: dict[Id, MedClassSpec]
    """The medicine classes, by id: medicines and conditions (class_in) name them."""
    medications: list[MedicineSpec]


# ---- understanding.yaml -------------------------------------------------------------------


class YesNoSpec(Shape):
    """The phrases of each answer."""

    yes: Phrases
    no: Phrases
    unsure: Phrases


class ControlsSpec(Shape):
    """The phrases of each control, said at any question."""

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
    """What the speech recognisers listen for: the common forms of the phrasings above (a
    grammar of every phrasing makes short words easy to confuse)."""

    yes_no: Phrases
    controls: Phrases
    numbers: Phrases
    no_medications: Phrases
    lead_ins: Phrases = Field(default_factory=list)
    """Sounds an answer often begins with ("oh", "um"); each also a filler. Optional: without
    them answers are listened for as they are."""
    lead_in_answers: Phrases = Field(default_factory=list)
    """The answers (from yes_no) a lead-in may come before."""


class ReadingSpec(Shape):
    """How a yes/no answer is read beyond its phrases (each list explained in
    understanding.yaml, beside it)."""

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
    """Number phrases that are not plain numbers ("every night": 7)."""
    no_medications: Phrases
    """Ways of saying "no medicines"."""
    listen_for: ListenForSpec
    fillers: Phrases = Field(default_factory=list)
    """Words people add that carry no meaning of their own."""
    modifiers: Phrases = Field(default_factory=list)
    """Said around a voice control and dropped before it is matched ("a bit slower")."""
    reading: ReadingSpec = Field(default_factory=ReadingSpec)


# ---- dialog.yaml --------------------------------------------------------------------------

DialogText = StrictStr | dict[StrictStr, StrictStr]


class DialogFile(Shape):
    """Dialog texts by key, each a text or a mapping of texts; a key ending in _caregiver is
    used in caregiver mode when present. Which keys must be there, and the placeholders
    they may use, are in ``dialog_texts``."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, DialogText] = Field(init=False)
