"""The knowledge base in prompts/: parsed once at start-up into frozen objects, validated.

Every problem is reported as a ContentError naming the file and the key path, so whoever
edits the YAML can go straight to the line.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError
from .yamlfile import read_mapping

CAUSE_IDS = (
    "restless_legs_syndrome",
    "leg_cramps",
    "positional_discomfort",
    "sleep_starts",
    "akathisia",
    "other_leg_problem",
    "iron_deficiency",
    "medication",
    "stress",
    "caffeine_alcohol",
    "pregnancy",
    "kidney_disease",
    "periodic_limb_movements",
    "sleep_apnea",
    "neuropathy",
)
MED_CLASSES = (
    "ssri",
    "snri",
    "tricyclic",
    "tetracyclic",
    "antipsychotic",
    "antiemetic",
    "sedating_antihistamine",
    "lithium",
    "serotonergic_painkiller",
    "dopamine_agonist",
    "opioid",
    "benzodiazepine",
    "z_drug",
    "diuretic",
    "unspecified",
    "other",
)
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
FILES = (
    "questions.yaml",
    "rules.yaml",
    "red_flags.yaml",
    "advice.yaml",
    "medications.yaml",
    "understanding.yaml",
    "dialog.yaml",
)
REQUIRED_DIALOG_KEYS = (
    "welcome",
    "welcome_caregiver",
    "examples",
    "not_understood",
    "noisy_room",
    "no_input",
    "no_input_again",
    "out_of_range",
    "no_medicine_recognised",
    "moving_on",
    "skipped",
    "back_at_start",
    "going_back",
    "confirm",
    "confirm_help",
    "confirm_stop",
    "confirm_stop_help",
    "carrying_on",
    "medicines_heard",
    "which_medicine",
    "slower",
    "slowest",
    "faster",
    "fastest",
    "louder",
    "loudest",
    "quieter",
    "quietest",
    "stopping",
    "red_flag_intro",
    "red_flag_continue",
    "summary_intro",
    "summary_nothing",
    "summary_not_enough",
    "condition_line",
    "condition_alone",
    "unlikely_line",
    "trigger_line",
    "background_line",
    "likelihood",
    "details_offer",
    "details_intro",
    "go_on_offer",
    "tonight_intro",
    "doctor_intro",
    "urgent_summary_intro",
    "disclaimer",
    "goodbye",
)


def default_prompts_dir() -> Path:
    """prompts/ beside the package (a source checkout or an editable install)."""
    return Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Condition:
    """One test on the answers or on who is answering; see questions.yaml for the forms."""

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


_NEGATIVE = {
    "do": "don't", "does": "doesn't", "is": "isn't", "are": "aren't", "am": "not",
    "have": "haven't", "has": "hasn't",
}
_PLURAL = {"does": "do", "is": "are", "has": "have"}


def short_forms(short: str) -> tuple[str, ...]:
    """The short replies a recogniser listens for: "i do" -> yes i do, no i don't.

    People answer "Do you...?" with "yes I do" or "no I don't" as often as with a bare yes
    or no; a recogniser listening only for "yes" and "no" rejects those or mistakes them.
    The bare form is added only after "she" ("she does", "she doesn't"): a bare "i do" in
    the grammar was heard for "no", "never", "help" and "skip" in tests with generated
    speech, while "she does", which starts with a sound no other answer has, was not (other
    bare forms were not measured). "they does" becomes "they do", since "they" stands for
    any person.
    """
    subject, verb = short.lower().split()
    if subject == "they":
        verb = _PLURAL.get(verb, verb)
    yes = f"{subject} {verb}"
    no = "i'm not" if verb == "am" else f"{subject} {_NEGATIVE[verb]}"
    bare = (yes, no) if subject == "she" else ()
    return (f"yes {yes}", f"no {no}", *bare)


_CONTRACTED = {"am": "'m", "is": "'s", "are": "'re"}


def number_openers(short: str) -> tuple[str, ...]:
    """What a person may say before a number: "i am" -> i'm, i am; "she is" -> she's, she
    is; "they is" -> they're, they are ("they" stands for any person)."""
    subject, verb = short.lower().split()
    if subject == "they":
        verb = _PLURAL.get(verb, verb)
    return (f"{subject}{_CONTRACTED[verb]}", f"{subject} {verb}")


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


_LEAD_IN_KINDS = ("lead_ins", "lead_in_answers")


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

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


_CACHE: dict[Path, Content] = {}


def load(directory: str | Path | None = None) -> Content:
    """Parse and validate prompts/ once; later calls for the same folder reuse the result."""
    root = Path(directory) if directory else default_prompts_dir()
    root = root.resolve()
    if root not in _CACHE:
        _CACHE[root] = _Loader(root).load()
    return _CACHE[root]


_FIELD = re.compile(r"\{([^{}]*)\}")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = ""

    # ---- reading -------------------------------------------------------------------
    def _read(self, name: str) -> dict[str, Any]:
        self.file = self._display(name)
        path = self.root / name
        if not self.root.is_dir():
            raise ContentError(str(self.root), "", "the content folder does not exist")
        return read_mapping(path, shown=self.file, missing="file is missing")

    def _display(self, name: str) -> str:
        try:
            return str((self.root / name).relative_to(Path.cwd()))
        except ValueError:
            return str(self.root / name)

    def fail(self, key: str, problem: str) -> ContentError:
        return ContentError(self.file, key, problem)

    def need(self, data: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(data, dict):
            raise self.fail(path, "must be a mapping")
        if key not in data or data[key] is None:
            raise self.fail(f"{path}.{key}" if path else key, "is missing")
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(f"{path}.{key}" if path else key, f"must be a {_plain(names)}")
        return value

    def text_list(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{path}[{i}]", "must be a non-empty text")
            out.append(item)
        return tuple(out)

    def text(self, value: Any, path: str, slots: tuple[str, ...]) -> Text:
        if isinstance(value, str):
            self.check_slots(value, path, slots)
            return Text(value)
        if isinstance(value, dict):
            main = self.need(value, "text", path, str)
            self.check_slots(main, f"{path}.text", slots)
            care = value.get("caregiver")
            if care is not None:
                if not isinstance(care, str):
                    raise self.fail(f"{path}.caregiver", "must be a text")
                self.check_slots(care, f"{path}.caregiver", slots + PERSON_SLOTS)
            return Text(main, care)
        raise self.fail(path, "must be a text, or a mapping with text and caregiver")

    def check_slots(self, text: str, path: str, allowed: tuple[str, ...]) -> None:
        try:
            names = placeholders(text)
        except ValueError as err:
            raise self.fail(path, f"has a broken {{placeholder}}: {err}") from err
        unknown = sorted(names - set(allowed))
        if unknown:
            raise self.fail(
                path,
                f"uses unknown placeholder {{{unknown[0]}}}; allowed here: "
                + (", ".join("{" + a + "}" for a in allowed) or "none"),
            )

    # ---- the files -----------------------------------------------------------------
    def load(self) -> Content:
        vocab = self.vocabulary(self._read("understanding.yaml"))
        med_classes, meds = self.medications(self._read("medications.yaml"))
        questions = self.questions(self._read("questions.yaml"))
        qids = {q.id: q for q in questions}
        tonight, doctor, d_tonight, d_doctor, cautions = self.advice(
            self._read("advice.yaml"), qids
        )
        causes = self.causes(self._read("rules.yaml"), qids, tonight, doctor)
        red_flags, unresolved = self.red_flags(self._read("red_flags.yaml"), qids)
        dialog = self.dialog(self._read("dialog.yaml"))
        return Content(
            questions=questions,
            causes=causes,
            red_flags=red_flags,
            tonight=tonight,
            doctor=doctor,
            default_tonight=d_tonight,
            default_doctor=d_doctor,
            med_classes=med_classes,
            medications=meds,
            vocabulary=vocab,
            dialog=dialog,
            source=self.root,
            cautions=cautions,
            unresolved=unresolved,
        )

    def reading(self, data: object, known_yes_no: set[str]) -> dict[str, tuple[str, ...]]:
        if not isinstance(data, dict):
            raise self.fail("reading", "must be a mapping of lists")
        out: dict[str, tuple[str, ...]] = {}
        for key, phrases in data.items():
            if key not in READING_LISTS:
                raise self.fail(f"reading.{key}", f"unknown list; use {', '.join(READING_LISTS)}")
            out[key] = tuple(p.lower() for p in self.text_list(phrases, f"reading.{key}"))
        # These only qualify phrases of yes_no; one missing there would silently do nothing.
        for key in ("alone", "weak", "negative_words"):
            for i, p in enumerate(out.get(key, ())):
                if p not in known_yes_no:
                    raise self.fail(f"reading.{key}[{i}]", f'"{p}" is not one of yes_no\'s phrases')
        return out

    def vocabulary(self, data: dict[str, Any]) -> Vocabulary:
        yn = self.need(data, "yes_no", "", dict)
        yes_no = {}
        for value in YES_NO_VALUES:
            if value not in yn:
                raise self.fail(f"yes_no.{value}", "is missing")
            yes_no[value] = tuple(p.lower() for p in self.text_list(yn[value], f"yes_no.{value}"))
        for extra in yn:
            if extra not in YES_NO_VALUES:
                raise self.fail(f"yes_no.{extra}", "must be one of yes, no, unsure")
        ctl = self.need(data, "controls", "", dict)
        controls = {}
        for intent, phrases in ctl.items():
            if intent not in CONTROL_INTENTS:
                raise self.fail(
                    f"controls.{intent}", f"unknown intent; use one of {', '.join(CONTROL_INTENTS)}"
                )
            controls[intent] = tuple(
                p.lower() for p in self.text_list(phrases, f"controls.{intent}")
            )
        for intent in ("repeat", "help", "stop", "skip", "back"):
            if intent not in controls:
                raise self.fail(f"controls.{intent}", "is missing")
        seen: dict[str, str] = {}
        for intent, phrases in controls.items():
            for p in phrases:
                if p in seen and seen[p] != intent:
                    raise self.fail(f"controls.{intent}", f'"{p}" is also under {seen[p]}')
                seen[p] = intent
        fillers = tuple(p.lower() for p in self.text_list(data.get("fillers", []), "fillers"))
        modifiers = tuple(
            p.lower() for p in self.text_list(data.get("modifiers", []), "modifiers")
        )
        nums = self.need(data, "numbers", "", dict)
        numbers: dict[str, int] = {}
        for phrase, value in nums.items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.fail(f"numbers.{phrase}", "must be a whole number")
            numbers[str(phrase).lower()] = value
        nomeds = self.text_list(self.need(data, "no_medications", "", list), "no_medications")
        listen = self.need(data, "listen_for", "", dict)
        listen_for: dict[str, tuple[str, ...]] = {}
        kinds = ("yes_no", "controls", "numbers", "no_medications")
        for kind in kinds:
            if kind not in listen:
                raise self.fail(f"listen_for.{kind}", "is missing")
            listen_for[kind] = tuple(
                p.lower() for p in self.text_list(listen[kind], f"listen_for.{kind}")
            )
        # Optional: a content folder without them listens for answers as they are.
        for kind in _LEAD_IN_KINDS:
            listen_for[kind] = tuple(
                p.lower() for p in self.text_list(listen.get(kind, []), f"listen_for.{kind}")
            )
        for kind in listen:
            if kind not in listen_for:
                raise self.fail(
                    f"listen_for.{kind}", f"must be one of {', '.join((*kinds, *_LEAD_IN_KINDS))}"
                )
        known_yes_no = {p for phrases in yes_no.values() for p in phrases}
        known_controls = {p for phrases in controls.values() for p in phrases}
        for kind, known in (
            ("yes_no", known_yes_no),
            ("controls", known_controls),
            ("numbers", set(numbers)),
            ("no_medications", {p.lower() for p in nomeds}),
        ):
            for i, p in enumerate(listen_for[kind]):
                if p not in known:
                    raise self.fail(
                        f"listen_for.{kind}[{i}]", f'"{p}" is not one of the phrasings above'
                    )
        # A lead-in the understanding did not drop would make "oh yes" no answer at all.
        for i, p in enumerate(listen_for["lead_ins"]):
            if p not in fillers:
                raise self.fail(f"listen_for.lead_ins[{i}]", f'"{p}" is not one of the fillers')
        for i, p in enumerate(listen_for["lead_in_answers"]):
            if p not in listen_for["yes_no"]:
                raise self.fail(
                    f"listen_for.lead_in_answers[{i}]", f'"{p}" is not in listen_for.yes_no'
                )
        if bool(listen_for["lead_ins"]) != bool(listen_for["lead_in_answers"]):
            missing = "lead_in_answers" if listen_for["lead_ins"] else "lead_ins"
            raise self.fail(f"listen_for.{missing}", "is missing: lead-ins need both lists")
        return Vocabulary(
            yes_no, controls, fillers, modifiers, numbers, tuple(p.lower() for p in nomeds),
            listen_for, self.reading(data.get("reading", {}), known_yes_no),
        )

    def medications(self, data: dict[str, Any]) -> tuple[dict[str, MedClass], tuple[MedEntry, ...]]:
        cls = self.need(data, "classes", "", dict)
        classes = {}
        for cid in MED_CLASSES:
            if cid not in cls:
                raise self.fail(f"classes.{cid}", "is missing")
        for cid, body in cls.items():
            if cid not in MED_CLASSES:
                raise self.fail(
                    f"classes.{cid}", f"unknown class; use one of {', '.join(MED_CLASSES)}"
                )
            trigger = self.need(body, "trigger", f"classes.{cid}", bool)
            plain = self.need(body, "plain", f"classes.{cid}", str)
            classes[cid] = MedClass(cid, trigger, plain)
        items = self.need(data, "medications", "", list)
        meds = []
        names: dict[str, str] = {}
        for i, item in enumerate(items):
            path = f"medications[{i}]"
            name = self.need(item, "name", path, str).lower()
            path = f"medications[{i}] ({name})"
            dclass = self.need(item, "class", path, str)
            if dclass not in classes:
                raise self.fail(f"{path}.class", f'"{dclass}" is not a class listed under classes')
            said = self.text_list(item.get("said", []) or [], f"{path}.said")
            tier = str(item.get("tier", "L"))
            if tier not in TIERS:
                raise self.fail(f"{path}.tier", f"must be one of {', '.join(TIERS)}")
            for word in (name, *said):
                key = word.lower()
                if key in names and names[key] != name:
                    raise self.fail(f"{path}.said", f'"{word}" is already listed for {names[key]}')
                names[key] = name
            meds.append(MedEntry(name, dclass, tuple(s.lower() for s in said), tier))
        return classes, tuple(meds)

    def condition(self, raw: Any, path: str, qids: dict[str, Question] | None) -> Condition:
        if not isinstance(raw, dict):
            raise self.fail(path, "must be a mapping such as {question: urge, is: [yes]}")
        known = {
            "question",
            "is",
            "below",
            "at_least",
            "class_in",
            "or_unknown",
            "mode",
            "pronoun_not",
            "pronoun",
            "tier_in",
        }
        for key in raw:
            if key not in known:
                raise self.fail(f"{path}.{key}", f"unknown key; use {', '.join(sorted(known))}")
        if "mode" in raw:
            if raw["mode"] not in ("caregiver", "self"):
                raise self.fail(f"{path}.mode", "must be caregiver or self")
            return Condition(mode=raw["mode"])
        for key in ("pronoun_not", "pronoun"):
            if key in raw:
                if raw[key] not in ("he", "she", "they"):
                    raise self.fail(f"{path}.{key}", "must be he, she or they")
                return Condition(**{key: raw[key]})
        qid = self.need(raw, "question", path, str)
        if qids is not None and qid not in qids:
            raise self.fail(f"{path}.question", f'"{qid}" is not a question in questions.yaml')
        q = qids.get(qid) if qids else None
        is_: tuple[str, ...] = ()
        if "is" in raw:
            is_ = tuple(
                str(v).lower() for v in self.text_list(_yaml_bools(raw["is"]), f"{path}.is")
            )
            for v in is_:
                if v not in YES_NO_VALUES:
                    raise self.fail(
                        f"{path}.is", f'"{v}" must be yes, no or unsure (quote "yes" and "no")'
                    )
            if q is not None and q.expect != "yes_no":
                raise self.fail(f"{path}.is", f"{qid} expects {q.expect}, not yes/no")
        below = raw.get("below")
        at_least = raw.get("at_least")
        for key, val in (("below", below), ("at_least", at_least)):
            if val is not None:
                if not isinstance(val, (int, float)) or isinstance(val, bool):
                    raise self.fail(f"{path}.{key}", "must be a number")
                if q is not None and q.expect != "number":
                    raise self.fail(f"{path}.{key}", f"{qid} expects {q.expect}, not a number")
        class_in: tuple[str, ...] = ()
        if "class_in" in raw:
            class_in = self.text_list(raw["class_in"], f"{path}.class_in")
            for c in class_in:
                if c not in MED_CLASSES:
                    raise self.fail(f"{path}.class_in", f'"{c}" is not a medicine class')
            if q is not None and q.expect != "medications":
                raise self.fail(f"{path}.class_in", f"{qid} does not ask for medicines")
        tier_in: tuple[str, ...] = ()
        if "tier_in" in raw:
            tier_in = self.text_list(raw["tier_in"], f"{path}.tier_in")
            if not class_in or any(t not in TIERS for t in tier_in):
                raise self.fail(f"{path}.tier_in", f"needs class_in, and tiers from {TIERS}")
        if not (is_ or below is not None or at_least is not None or class_in):
            raise self.fail(path, "needs one of is, below, at_least or class_in")
        or_unknown = raw.get("or_unknown", False)
        if not isinstance(or_unknown, bool):
            raise self.fail(f"{path}.or_unknown", "must be true or false")
        return Condition(qid, is_, below, at_least, class_in, tier_in, or_unknown)

    def questions(self, data: dict[str, Any]) -> tuple[Question, ...]:
        items = self.need(data, "questions", "", list)
        if not items:
            raise self.fail("questions", "must list at least one question")
        out: list[Question] = []
        seen: dict[str, Question] = {}
        for i, item in enumerate(items):
            path = f"questions[{i}]"
            qid = self.need(item, "id", path, str)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", qid):
                raise self.fail(f"{path}.id", "must be lower case letters, digits and _")
            if qid in seen:
                raise self.fail(f"{path}.id", f'"{qid}" is used twice')
            path = f"questions[{i}] ({qid})"
            self.known_keys(item, path, _QUESTION_KEYS)
            expect = self.need(item, "expect", path, str)
            if expect not in KINDS:
                raise self.fail(f"{path}.expect", f"must be one of {', '.join(KINDS)}")
            text = self.need(item, "text", path, str)
            self.check_slots(text, f"{path}.text", ())
            care = self.need(item, "caregiver", path, str)
            self.check_slots(care, f"{path}.caregiver", PERSON_SLOTS)
            help_text = self.need(item, "help", path, str)
            self.check_slots(help_text, f"{path}.help", ())
            help_care = item.get("help_caregiver")
            if help_care is not None:
                if not isinstance(help_care, str):
                    raise self.fail(f"{path}.help_caregiver", "must be a text")
                self.check_slots(help_care, f"{path}.help_caregiver", PERSON_SLOTS)
            low = high = None
            if expect == "number":
                rng = self.need(item, "range", path, list)
                if len(rng) != 2 or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in rng
                ):
                    raise self.fail(f"{path}.range", "must be [lowest, highest] whole numbers")
                low, high = rng
                if low > high:
                    raise self.fail(f"{path}.range", "lowest is above highest")
            elif "range" in item:
                raise self.fail(f"{path}.range", "only number questions take a range")
            conds = []
            for j, raw in enumerate(item.get("ask_if", []) or []):
                cond = self.condition(raw, f"{path}.ask_if[{j}]", seen)
                conds.append(cond)
            names_answer = item.get("names_answer")
            if names_answer is not None:
                if expect != "yes_no":
                    raise self.fail(f"{path}.names_answer", "only yes_no questions take it")
                if not isinstance(names_answer, str):
                    raise self.fail(f"{path}.names_answer", "must be a question id")
            short = self.short_answer(item, path, expect)
            units, per = self.units(item, path, expect)
            q = Question(
                qid, expect, Text(text, care), Text(help_text, help_care), low, high,
                tuple(conds), names_answer, short, self.says(item, path, expect), units, per,
            )
            seen[qid] = q
            out.append(q)
        for i, q in enumerate(out):
            if q.names_answer is None:
                continue
            later = {x.id: x for x in out[i + 1 :]}
            target = later.get(q.names_answer)
            if target is None or target.expect != "medications":
                raise self.fail(
                    f"questions[{i}] ({q.id}).names_answer",
                    f'"{q.names_answer}" is not a later medications question',
                )
        return tuple(out)

    def says(self, item: dict[str, Any], path: str, expect: str) -> tuple[tuple[str, str], ...]:
        raw = item.get("says")
        if raw is None:
            return ()
        if expect != "yes_no":
            raise self.fail(f"{path}.says", "only yes_no questions take it")
        if isinstance(raw, dict):
            raw = _yaml_bool_keys(raw)
        self.known_keys(raw, f"{path}.says", set(YES_NO_VALUES))
        return tuple((p.lower(), value) for value, phrases in raw.items()
                     for p in self.text_list(phrases, f"{path}.says.{value}"))

    def units(self, item: dict[str, Any], path: str, expect: str) -> tuple[tuple[str, ...], str]:
        units = item.get("units")
        per = item.get("per")
        for key, value in (("units", units), ("per", per)):
            if value is not None and expect != "number":
                raise self.fail(f"{path}.{key}", "only number questions take it")
        if units is None:
            if per is not None:
                raise self.fail(f"{path}.per", "needs units (what is counted per it)")
            return (), ""
        if not isinstance(units, list) or not units:
            raise self.fail(f"{path}.units", "must list words such as [night, time]")
        for j, unit in enumerate(units):
            if not isinstance(unit, str) or not re.fullmatch(r"[a-z]+", unit):
                raise self.fail(f"{path}.units[{j}]", "must be one word in lower case, like night")
            if unit.endswith("s"):
                raise self.fail(f"{path}.units[{j}]",
                                f'"{unit}" must be singular (an s is added after two or more)')
        if per is not None and (not isinstance(per, str) or not per.strip()):
            raise self.fail(f"{path}.per", 'must be a text, like "a week"')
        return tuple(units), (per or "").strip().lower()

    def short_answer(self, item: dict[str, Any], path: str, expect: str) -> Text | None:
        forms: list[str | None] = []
        for key, slots in (("short_answer", ()), ("short_answer_caregiver", ("they",))):
            value = item.get(key)
            forms.append(value)
            if value is None:
                continue
            if expect not in ("yes_no", "number"):
                raise self.fail(f"{path}.{key}", "only yes_no and number questions take it")
            if not isinstance(value, str):
                raise self.fail(f"{path}.{key}", "must be a text")
            self.check_slots(value, f"{path}.{key}", slots)
            words = value.lower().split()
            verbs = _NEGATIVE if expect == "yes_no" else _CONTRACTED
            example = "i do" if expect == "yes_no" else "i am"
            if len(words) != 2 or words[1] not in verbs:
                raise self.fail(
                    f"{path}.{key}",
                    f'"{value}" must be who and one of {", ".join(verbs)}, like "{example}"',
                )
        self_form, care_form = forms
        if self_form is None:
            if care_form is not None:
                raise self.fail(f"{path}.short_answer", "is missing (the caregiver one needs it)")
            return None
        if care_form is None and self_form.lower().split()[0] == "i":
            # A caregiver answers "she does", not "I do".
            raise self.fail(f"{path}.short_answer_caregiver", f'is missing (for "{self_form}")')
        return Text(self_form, care_form)

    def advice(
        self, data: dict[str, Any], qids: dict[str, Question]
    ) -> tuple[dict[str, Tip], dict[str, Tip], tuple[str, ...], tuple[str, ...],
               tuple[Caution, ...]]:
        self.known_keys(data, "", {"tonight", "doctor", "default_tonight", "default_doctor",
                                   "cautions"})
        tonight = {k: self.tip(v, f"tonight.{k}", qids)
                   for k, v in self.need(data, "tonight", "", dict).items()}
        doctor = {k: self.tip(v, f"doctor.{k}", qids)
                  for k, v in self.need(data, "doctor", "", dict).items()}
        d_tonight = self.text_list(self.need(data, "default_tonight", "", list), "default_tonight")
        d_doctor = self.text_list(self.need(data, "default_doctor", "", list), "default_doctor")
        for i, k in enumerate(d_tonight):
            if k not in tonight:
                raise self.fail(f"default_tonight[{i}]", f'"{k}" is not under tonight')
        for i, k in enumerate(d_doctor):
            if k not in doctor:
                raise self.fail(f"default_doctor[{i}]", f'"{k}" is not under doctor')
        cautions = []
        for cid, body in (data.get("cautions") or {}).items():
            path = f"cautions.{cid}"
            self.known_keys(body, path, {"text", "caregiver", "when_any", "before"})
            when = tuple(self.condition(c, f"{path}.when_any[{j}]", qids)
                         for j, c in enumerate(self.need(body, "when_any", path, list)))
            before = self.text_list(self.need(body, "before", path, list), f"{path}.before")
            for j, k in enumerate(before):
                if k not in tonight:
                    raise self.fail(f"{path}.before[{j}]", f'"{k}" is not under tonight')
            cautions.append(Caution(cid, self.text(body, path, ()), when, before))
        return tonight, doctor, d_tonight, d_doctor, tuple(cautions)

    def tip(self, value: Any, path: str, qids: dict[str, Question]) -> Tip:
        if isinstance(value, dict):
            self.known_keys(value, path, {"text", "caregiver", "not_if", "only_if_any"})
            return Tip(self.text(value, path, ()),
                       self.conditions(value.get("not_if"), f"{path}.not_if", qids),
                       self.conditions(value.get("only_if_any"), f"{path}.only_if_any", qids))
        return Tip(self.text(value, path, ()))

    def known_keys(self, data: Any, path: str, known: set[str]) -> None:
        """A misspelt key is an error, not silently ignored."""
        if not isinstance(data, dict):
            raise self.fail(path, "must be a mapping")
        for key in data:
            if key not in known:
                where = f"{path}.{key}" if path else str(key)
                raise self.fail(where, f"unknown key; use {', '.join(sorted(known))}")

    def causes(
        self,
        data: dict[str, Any],
        qids: dict[str, Question],
        tonight: dict[str, Tip],
        doctor: dict[str, Tip],
    ) -> tuple[Cause, ...]:
        raw = self.need(data, "causes", "", dict)
        for cid in CAUSE_IDS:
            if cid not in raw:
                raise self.fail(f"causes.{cid}", "is missing (every cause needs a rule)")
        out = []
        keys = {"title", "levels", "requires", "signals", "tonight", "ask_doctor", "kind",
                "plural", "criteria", "symptoms"}
        for cid, body in raw.items():
            path = f"causes.{cid}"
            if cid not in CAUSE_IDS:
                raise self.fail(path, f"unknown cause id; the ids are {', '.join(CAUSE_IDS)}")
            self.known_keys(body, path, keys)
            title = self.need(body, "title", path, str)
            levels = self.need(body, "levels", path, dict)
            self.known_keys(levels, f"{path}.levels", {"high", "medium", "low"})
            lv = [self.need(levels, name, f"{path}.levels", int) for name in LEVELS[:3]]
            if not lv[0] >= lv[1] >= lv[2] >= 1:
                raise self.fail(f"{path}.levels", "must satisfy high >= medium >= low >= 1")
            kind = body.get("kind", "condition")
            if kind not in ("condition", "trigger"):
                raise self.fail(f"{path}.kind", "must be condition or trigger")
            plural = body.get("plural", False)
            if not isinstance(plural, bool):
                raise self.fail(f"{path}.plural", "must be true or false")
            out.append(Cause(
                cid, title, lv[0], lv[1], lv[2],
                self.conditions(body.get("requires"), f"{path}.requires", qids),
                self.signals(body, path, qids),
                self.advice_ids(body, "tonight", path, tonight),
                self.advice_ids(body, "ask_doctor", path, doctor),
                kind, plural,
                self.criteria(body.get("criteria"), f"{path}.criteria", qids),
                self.conditions(body.get("symptoms"), f"{path}.symptoms", qids),
            ))
        return tuple(out)

    def conditions(self, raw: Any, path: str, qids: dict[str, Question]) -> tuple[Condition, ...]:
        if raw is not None and not isinstance(raw, list):
            raise self.fail(path, "must be a list")
        return tuple(self.condition(c, f"{path}[{j}]", qids) for j, c in enumerate(raw or []))

    def signals(self, body: dict[str, Any], path: str, qids: dict[str, Question]
                ) -> tuple[Signal, ...]:
        signals = []
        sig_list = self.need(body, "signals", path, list)
        if not sig_list:
            raise self.fail(f"{path}.signals", "must list at least one signal")
        for j, s in enumerate(sig_list):
            spath = f"{path}.signals[{j}]"
            self.known_keys(s, spath, {"when", "points", "because", "because_caregiver",
                                       "requires_fired", "cap"})
            when = self.condition(self.need(s, "when", spath, dict), f"{spath}.when", qids)
            points = self.need(s, "points", spath, int)
            slots: tuple[str, ...] = ("medicine", "plain") if when.class_in else ("value",)
            because = self.need(s, "because", spath, str)
            self.check_slots(because, f"{spath}.because", slots)
            care = s.get("because_caregiver")
            if care is not None:
                self.check_slots(care, f"{spath}.because_caregiver", slots + PERSON_SLOTS)
            fired = s.get("requires_fired", False)
            if not isinstance(fired, bool):
                raise self.fail(f"{spath}.requires_fired", "must be true or false")
            cap = s.get("cap")
            if cap is not None and cap not in LEVELS[1:]:
                raise self.fail(f"{spath}.cap", f"must be one of {', '.join(LEVELS[1:])}")
            signals.append(Signal(when, points, Text(because, care), fired, cap))
        if not any(s.points > 0 and not s.requires_fired for s in signals):
            raise self.fail(f"{path}.signals", "needs at least one positive signal of its own")
        return tuple(signals)

    def criteria(self, raw: Any, path: str, qids: dict[str, Question]) -> tuple[Criterion, ...]:
        if raw is not None and not isinstance(raw, list):
            raise self.fail(path, "must be a list")
        out = []
        for j, item in enumerate(raw or []):
            cpath = f"{path}[{j}]"
            self.known_keys(item, cpath, {"when", "unmet", "unmet_caregiver"})
            when = self.condition(self.need(item, "when", cpath, dict), f"{cpath}.when", qids)
            if not when.is_:
                raise self.fail(f"{cpath}.when", "must test a yes/no answer with is")
            unmet = self.need(item, "unmet", cpath, str)
            self.check_slots(unmet, f"{cpath}.unmet", ())
            care = item.get("unmet_caregiver")
            if care is not None:
                self.check_slots(care, f"{cpath}.unmet_caregiver", PERSON_SLOTS)
            out.append(Criterion(when, Text(unmet, care)))
        return tuple(out)

    def advice_ids(self, body: dict[str, Any], key: str, path: str, known: dict[str, Tip]
                   ) -> tuple[str, ...]:
        ids = self.text_list(body.get(key, []) or [], f"{path}.{key}")
        where = "tonight" if key == "tonight" else "doctor"
        for j, k in enumerate(ids):
            if k not in known:
                raise self.fail(f"{path}.{key}[{j}]", f'"{k}" is not under {where} in advice.yaml')
        return ids

    def red_flags(self, data: dict[str, Any], qids: dict[str, Question]
                  ) -> tuple[tuple[RedFlag, ...], Unresolved | None]:
        self.known_keys(data, "", {"red_flags", "unresolved"})
        items = self.need(data, "red_flags", "", list)
        if not items:
            raise self.fail("red_flags", "must list at least one red flag")
        out = []
        keys = {"id", "question", "level", "end_checkin", "reason", "advice", "signs"}
        for i, item in enumerate(items):
            path = f"red_flags[{i}]"
            rid = self.need(item, "id", path, str)
            path = f"red_flags[{i}] ({rid})"
            self.known_keys(item, path, keys)
            qid = self.yes_no_question(item, path, qids)
            level = self.need(item, "level", path, str)
            if level not in ("emergency", "urgent"):
                raise self.fail(f"{path}.level", "must be emergency or urgent")
            end = self.need(item, "end_checkin", path, bool)
            reason = self.need(item, "reason", path, str)
            advice = self.text(self.need(item, "advice", path, (str, dict)), f"{path}.advice", ())
            signs = self.text_list(item.get("signs") or [], f"{path}.signs")
            out.append(RedFlag(rid, qid, level, end, reason, advice,
                               tuple(s.lower() for s in signs)))
        unresolved = None
        if data.get("unresolved") is not None:
            body = data["unresolved"]
            self.known_keys(body, "unresolved", {"question", "reason", "advice"})
            qid = self.yes_no_question(body, "unresolved", qids)
            reason = self.need(body, "reason", "unresolved", str)
            advice = self.text(self.need(body, "advice", "unresolved", (str, dict)),
                               "unresolved.advice", ())
            unresolved = Unresolved(qid, reason, advice)
        return tuple(out), unresolved

    def yes_no_question(self, item: dict[str, Any], path: str, qids: dict[str, Question]) -> str:
        qid = self.need(item, "question", path, str)
        if qid not in qids:
            raise self.fail(f"{path}.question", f'"{qid}" is not a question in questions.yaml')
        if qids[qid].expect != "yes_no":
            raise self.fail(f"{path}.question", f"{qid} must be a yes/no question")
        return str(qid)

    def dialog(self, data: dict[str, Any]) -> dict[str, Any]:
        allowed = (
            *PERSON_SLOTS,
            "question",
            "examples",
            "heard",
            "low",
            "high",
            "value",
            "title",
            "likelihood",
            "reason",
            "verb",
            "items",
        )
        for key in REQUIRED_DIALOG_KEYS:
            if key not in data:
                raise self.fail(key, "is missing")
        for key, value in data.items():
            if isinstance(value, str):
                self.check_slots(value, key, allowed)
            elif isinstance(value, dict):
                for sub, text in value.items():
                    if not isinstance(text, str):
                        raise self.fail(f"{key}.{sub}", "must be a text")
                    self.check_slots(text, f"{key}.{sub}", allowed)
            else:
                raise self.fail(key, "must be a text or a mapping of texts")
        for kind in KINDS:
            if kind not in data["examples"]:
                raise self.fail(f"examples.{kind}", "is missing")
        for level in ("high", "medium", "low"):
            if level not in data["likelihood"]:
                raise self.fail(f"likelihood.{level}", "is missing")
        return dict(data)


_QUESTION_KEYS = {
    "id", "expect", "text", "caregiver", "help", "help_caregiver", "range", "ask_if",
    "names_answer", "short_answer", "short_answer_caregiver", "units", "per", "says",
}


def _plain(type_names: str) -> str:
    return (
        type_names.replace("str", "text")
        .replace("dict", "mapping")
        .replace("int", "whole number")
        .replace("bool", "true or false")
    )


def _yaml_bools(value: Any) -> Any:
    # YAML 1.1 reads a bare yes/no as true/false; accept it rather than fail the editor.
    if isinstance(value, list):
        return [("yes" if v is True else "no" if v is False else v) for v in value]
    return value


def _yaml_bool_keys(value: dict[Any, Any]) -> dict[str, Any]:
    # A bare yes or no as a mapping key is read by YAML 1.1 as true or false.
    return {("yes" if k is True else "no" if k is False else str(k)): v for k, v in value.items()}
