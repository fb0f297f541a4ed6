"""The small frozen messages that travel between pipeline stages.

mic -> recognizer -> understanding -> dialog -> speech. Engine formats (Vosk JSON, pocketsphinx
hypotheses) are converted at the edge and never travel further than their adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SAMPLE_RATE = 16_000
"""Every audio chunk between stages is 16 kHz, mono, signed 16-bit little-endian PCM."""

AnswerKind = Literal["yes_no", "number", "medications"]
Intent = Literal[
    "answer", "repeat", "help", "stop", "skip", "back", "slower", "faster", "louder", "quieter",
    "unknown",
]


@dataclass(frozen=True)
class Expectation:
    """What the current question expects to hear."""

    kind: AnswerKind
    question_id: str = ""
    low: int | None = None
    """Smallest number accepted (number questions only)."""
    high: int | None = None
    """Largest number accepted (number questions only)."""
    names_medicines: bool = False
    """A yes/no question that medicine names also answer ("I take Zoloft"): they are
    understood as the list of medicines."""
    short_answers: tuple[str, ...] = ()
    own_answers: tuple[tuple[str, str], ...] = ()
    """At a yes/no question whose answer is often a word of its own ("a woman" to "Are you a
    man?"): each phrase with the yes, no or unsure it means, listened for beside the rest."""
    """Replies that echo this question ("yes I do", "no she doesn't"), listened for beside
    the common answers; at a number question, the words said before the number ("i'm",
    "she's"), listened for on the second try unless ``openers_with_numbers``."""
    openers_with_numbers: bool = False
    """At a number question, the words said before the number are listened for with the
    numbers themselves, on the first try."""
    units: tuple[str, ...] = ()
    """At a number question, the words a number may be said with ("five nights"), singular;
    see ``Question.units``."""
    per: str = ""
    """Said after a number and unit ("three nights a week")."""
    corrected_by_number: bool = False
    """A read-back on a number question ("I heard 70. Is that right?") that a number between
    ``low`` and ``high`` answers as well as a yes or no: "no, seventy five" corrects it in one
    go."""
    correction_openers: tuple[str, ...] = ()
    """At such a read-back, the words said before the corrected number ("no, I'm seventy
    five", "no, she's seventy five"): the question's own."""
    read_back: int | None = None
    """The number being read back, if it is one: said again with a no ("no, seventy") it is
    a no; said alone ("yes, seventy") a yes."""


@dataclass(frozen=True)
class Word:
    """One recognised word with the engine's confidence (0..1) and timing in seconds."""

    text: str
    confidence: float
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class Transcript:
    """What a recogniser heard in one utterance.

    ``text`` is empty when nothing usable was heard: silence, or speech the engine rejected
    as not being an answer (then ``rejected`` is true and ``heard`` keeps what the open pass
    heard, for logs and benchmarks).
    """

    text: str
    confidence: float = 1.0
    words: tuple[Word, ...] = ()
    engine: str = ""
    rejected: bool = False
    heard: str = ""
    audio_seconds: float = 0.0
    alternative: str = ""
    """Another hearing of the same audio that passed the engine's checks (Whisper's, without
    the question's prompt), understood only when ``text`` is not ("" when there is none)."""


Ending = Literal["speech", "no_input", "too_long", "end"]


@dataclass(frozen=True)
class Utterance:
    """One turn of listening, and how it ended: words (``speech``), nothing within the time
    allowed (``no_input``), sound that went on past the longest answer expected
    (``too_long``: a television or radio, most likely, rather than a person answering), or
    the end of input (``end``: a file or standard input ran out)."""

    ended: Ending
    transcript: Transcript | None = None

    @property
    def noisy(self) -> bool:
        return self.ended == "too_long"

    @property
    def rejected(self) -> bool:
        """The recogniser heard sound it judged not to be an answer."""
        return self.transcript is not None and self.transcript.rejected

    @property
    def confidence(self) -> float:
        return self.transcript.confidence if self.transcript is not None else 0.0


NOISY_ROOM = "noisy_room"
"""The reason given for an answer lost in the sound of the room (a television, a radio): the
person is asked to turn it down rather than told only that they were not understood."""


@dataclass(frozen=True)
class Understood:
    """The meaning of one utterance: an answer, a control intent, or ``unknown``."""

    intent: Intent
    value: object = None
    text: str = ""
    reason: str = ""
    """Why nothing matched, in words a person can act on (``unknown`` only)."""


@dataclass(frozen=True)
class Medication:
    """A medicine recognised in what was said."""

    name: str
    """Generic name, e.g. ``quetiapine``."""
    said: str
    """The words the person used, e.g. ``Seroquel``."""
    drug_class: str
    """One of ssri, snri, tricyclic, tetracyclic, antipsychotic, antiemetic,
    sedating_antihistamine, lithium, dopamine_agonist, opioid, benzodiazepine, z_drug,
    diuretic, unspecified (a kind named without the product: "sleeping pills"), other."""
    tier: str = "L"
    """How strongly it is linked to restless legs (A, B, C or L; prompts/medications.yaml)."""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "said": self.said, "class": self.drug_class}


@dataclass(frozen=True)
class Finding:
    """One likely trigger with the reasons, in the person's own terms."""

    cause: str
    likelihood: Literal["high", "medium", "low", "unlikely"]
    because: tuple[str, ...]
    score: int = 0
    background: bool = False
    """Found from a background fact alone (pregnancy, dialysis, a medicine) with no leg
    symptoms that fit: said as "can bring on restless legs", ranked below the rest."""


@dataclass(frozen=True)
class Assessment:
    """The outcome of a check-in: what the summary is read from."""

    likely_triggers: tuple[Finding, ...]
    urgent: bool
    urgent_reasons: tuple[str, ...]
    next_steps: tuple[str, ...]
    ask_doctor: tuple[str, ...]
    answers: dict[str, object] = field(default_factory=dict)
    not_likely: tuple[Finding, ...] = ()
    """Causes asked about whose essential features were not met, with the reasons."""
    emergency: bool = False
    """An emergency sign was reported: getting help is the only next step."""

    def to_json(self) -> dict[str, object]:
        return {
            "likely_triggers": [_finding_json(f) for f in self.likely_triggers],
            "not_likely": [_finding_json(f) for f in self.not_likely],
            "urgent": self.urgent,
            "emergency": self.emergency,
            "urgent_reasons": list(self.urgent_reasons),
            "next_steps": list(self.next_steps),
            "ask_doctor": list(self.ask_doctor),
            "answers": {k: _jsonable(v) for k, v in self.answers.items()},
        }


def _finding_json(f: Finding) -> dict[str, object]:
    out: dict[str, object] = {"cause": f.cause, "likelihood": f.likelihood,
                              "because": list(f.because)}
    if f.background:
        out["background"] = True
    return out


def _jsonable(value: object) -> object:
    if isinstance(value, Medication):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Person:
    """Who the check-in is about, and whether a caregiver is answering for them."""

    caregiver: bool = False
    name: str = ""
    pronoun: Literal["she", "he", "they", ""] = ""

    def slots(self) -> dict[str, str]:
        forms = {
            "she": ("she", "her", "her"),
            "he": ("he", "him", "his"),
            "they": ("they", "them", "their"),
            "": ("they", "them", "their"),
        }[self.pronoun]
        # Short, since it is said inside other sentences ("the person's doctor").
        name = self.name or "the person"
        return {
            "name": name,
            "they": forms[0],
            "them": forms[1],
            "their": forms[2],
            "They": forms[0].capitalize(),
            "Their": forms[2].capitalize(),
        }
