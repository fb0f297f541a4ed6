"""The content validator: each deliberate break in a copy of prompts/ is caught, and the
message names the file and the key path, so whoever edits the YAML can go straight to it.

The broken copies are made at test time: prompts/ is copied into tmp_path and one file is
edited. Each edit checks that the text it replaces is there exactly once, so a change to
prompts/ makes the test fail loudly instead of silently breaking nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from voiceskill import content as content_mod
from voiceskill.errors import ContentError
from voiceskill.messages import Expectation
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"


def _questions() -> list[dict[str, object]]:
    data = yaml.safe_load((PROMPTS / "questions.yaml").read_text(encoding="utf-8"))
    return list(data["questions"])


def _q_index(qid: str) -> int:
    return [q["id"] for q in _questions()].index(qid)


def _q_path(qid: str) -> str:
    return f"questions[{_q_index(qid)}] ({qid})"


def _med_index(name: str) -> int:
    data = yaml.safe_load((PROMPTS / "medications.yaml").read_text(encoding="utf-8"))
    return [m["name"] for m in data["medications"]].index(name)


_CALF_SHORT = 'short_answer: "it is"\n    help: >-\n      I\'m checking for signs of a blood clot'
_PREGNANT_SHORT = (
    'pregnant at the moment?"\n    short_answer: "i am"\n    short_answer_caregiver: "{they} is"\n'
)
_NIGHTS_UNITS = "    units: [night, time]\n"
_AGE_SHORT = 'the numbers.\n    short_answer: "i am"\n'


def _replace(folder: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` (present exactly once) in a copied file; return its 1-based line."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file}: expected {old!r} exactly once; prompts/ changed?"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


@dataclass(frozen=True)
class Break:
    """One deliberate break: which file to edit, how, and what the message must name."""

    name: str
    file: str
    edit: Callable[[Path], object]
    key: Callable[[], str]
    problem: str


def _yaml_syntax(folder: Path) -> object:
    # "expect: yes_no: oops" is a mapping inside a plain value: a YAML error on that line.
    return _replace(folder, "questions.yaml", "  - id: urge\n    expect: yes_no\n",
                    "  - id: urge\n    expect: yes_no: oops\n") + 1


def _cut_to_end(folder: Path, file: str, start: str) -> None:
    """Remove everything from ``start`` to the end of the file (the last block)."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(start) == 1, f"{file}: {start!r} not found once"
    path.write_text(text[: text.index(start)], encoding="utf-8")


def _append(folder: Path, file: str, extra: str) -> None:
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra,
                    encoding="utf-8")


def _missing_help(folder: Path) -> None:
    path = folder / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: kidney_disease\n")
    a = text.index("    help: >-\n", start)
    b = text.index("\n\n", a)
    path.write_text(text[:a] + text[b + 1:], encoding="utf-8")


def _duplicate_id(folder: Path) -> None:
    _replace(folder, "questions.yaml", "  - id: position_once\n", "  - id: urge\n")


def _flag_index(rid: str) -> int:
    data = yaml.safe_load((PROMPTS / "red_flags.yaml").read_text(encoding="utf-8"))
    return [f["id"] for f in data["red_flags"]].index(rid)


BREAKS = [
    Break("yaml_syntax_error", "questions.yaml", _yaml_syntax,
          lambda: "line {line}", "not valid YAML"),
    Break("missing_key_question_help", "questions.yaml", _missing_help,
          lambda: f"{_q_path('kidney_disease')}.help", "is missing"),
    Break("missing_key_cause_title", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", '    title: "stress and worry"\n', ""),
          lambda: "causes.stress.title", "is missing"),
    Break("missing_key_red_flag_level", "red_flags.yaml",
          lambda f: _replace(f, "red_flags.yaml",
                             "    question: red_flag_calf\n    level: urgent\n",
                             "    question: red_flag_calf\n"),
          lambda: f"red_flags[{_flag_index('blood_clot')}] (blood_clot).level", "is missing"),
    Break("unknown_question_in_rule", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", '{question: stress, is: ["yes"]}',
                             '{question: stres, is: ["yes"]}'),
          lambda: "causes.stress.signals[0].when.question", '"stres" is not a question'),
    Break("unknown_question_in_ask_if", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", '{question: kidney_disease, is: ["yes"]}',
                             '{question: kidneys, is: ["yes"]}'),
          lambda: f"{_q_path('dialysis')}.ask_if[0].question", '"kidneys" is not a question'),
    Break("ask_if_on_a_later_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", '{question: kidney_disease, is: ["yes"]}',
                             '{question: diabetes, is: ["yes"]}'),
          lambda: f"{_q_path('dialysis')}.ask_if[0].question", '"diabetes" is not a question'),
    Break("unknown_question_in_red_flag", "red_flags.yaml",
          lambda f: _replace(f, "red_flags.yaml", "question: red_flag_calf",
                             "question: red_flag_leg"),
          lambda: f"red_flags[{_flag_index('blood_clot')}] (blood_clot).question",
          '"red_flag_leg" is not a question'),
    Break("unknown_advice_tonight", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "tonight: [calm_breathing]\n    ask_doctor: [talk",
                             "tonight: [calm_breath]\n    ask_doctor: [talk"),
          lambda: "causes.stress.tonight[0]", '"calm_breath" is not under tonight'),
    Break("unknown_advice_doctor", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "ask_doctor: [sleep_study]",
                             "ask_doctor: [sleep_lab]"),
          lambda: "causes.periodic_limb_movements.ask_doctor[0]",
          '"sleep_lab" is not under doctor'),
    Break("unknown_default_advice", "advice.yaml",
          lambda f: _replace(f, "advice.yaml", "default_doctor: [see_doctor_rls]",
                             "default_doctor: [see_gp]"),
          lambda: "default_doctor[0]", '"see_gp" is not under doctor'),
    Break("wrong_expect_kind", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "  - id: urge\n    expect: yes_no\n",
                             "  - id: urge\n    expect: yesno\n"),
          lambda: f"{_q_path('urge')}.expect", "must be one of yes_no, number, medications"),
    Break("yes_no_condition_on_a_number_question", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "{question: age, at_least: 50}",
                             '{question: age, is: ["yes"]}'),
          lambda: "causes.sleep_apnea.signals[3].when.is", "age expects number, not yes/no"),
    Break("red_flag_on_a_number_question", "red_flags.yaml",
          lambda f: _replace(f, "red_flags.yaml", "question: red_flag_breathing",
                             "question: age"),
          lambda: "red_flags[0] (chest_or_breathing).question", "must be a yes/no question"),
    Break("bad_placeholder_in_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", 'caregiver: "Does {name} have diabetes?"',
                             'caregiver: "Does {nmae} have diabetes?"'),
          lambda: f"{_q_path('diabetes')}.caregiver", "unknown placeholder {nmae}"),
    Break("broken_placeholder_brace", "dialog.yaml",
          lambda f: _replace(f, "dialog.yaml", 'confirm: "I heard {heard}. Is that right?"',
                             'confirm: "I heard {heard. Is that right?"'),
          lambda: "confirm", "broken {placeholder}"),
    Break("person_placeholder_in_self_text", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", 'text: "Do you have diabetes?"',
                             'text: "Does {name} have diabetes?"'),
          lambda: f"{_q_path('diabetes')}.text", "unknown placeholder {name}"),
    Break("bad_placeholder_in_advice", "advice.yaml",
          lambda f: _replace(f, "advice.yaml", "Help {name} get up", "Help {person} get up"),
          lambda: "tonight.walk_stretch.caregiver", "unknown placeholder {person}"),
    Break("bad_placeholder_in_reason", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "it happens on {value} nights a week",
                             "it happens on {nights} nights a week"),
          lambda: "causes.restless_legs_syndrome.signals[4].because",
          "unknown placeholder {nights}"),
    Break("duplicate_question_id", "questions.yaml", _duplicate_id,
          lambda: f"questions[{_q_index('position_once')}].id", '"urge" is used twice'),
    Break("unknown_medicine_class", "medications.yaml",
          lambda f: _replace(f, "medications.yaml", "{name: sertraline, class: ssri,",
                             "{name: sertraline, class: ssris,"),
          lambda: f"medications[{_med_index('sertraline')}] (sertraline).class",
          '"ssris" is not a class'),
    Break("unknown_medicine_class_in_rule", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "class_in: [ssri, snri, tricyclic, lithium,",
                             "class_in: [ssri, snris, tricyclic, lithium,"),
          lambda: "causes.medication.signals[1].when.class_in", '"snris" is not a medicine class'),
    Break("medicine_name_listed_twice", "medications.yaml",
          lambda f: _replace(f, "medications.yaml", "said: [remeron, zispin, avanza]",
                             "said: [remeron, zispin, avanza, zoloft]"),
          lambda: f"medications[{_med_index('mirtazapine')}] (mirtazapine).said",
          '"zoloft" is already listed for sertraline'),
    Break("missing_cause_rule", "rules.yaml",
          lambda f: _cut_to_end(f, "rules.yaml", "  neuropathy:\n"),
          lambda: "causes.neuropathy", "is missing (every cause needs a rule)"),
    Break("cause_id_misspelt", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "  stress:\n    title:", "  stres:\n    title:"),
          lambda: "causes.stress", "is missing (every cause needs a rule)"),
    Break("unknown_cause_id", "rules.yaml",
          lambda f: _append(f, "rules.yaml", '  worry:\n    title: "worry"\n'),
          lambda: "causes.worry", "unknown cause id"),
    Break("names_answer_names_a_yes_no_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "names_answer: medications",
                             "names_answer: caffeine_alcohol"),
          lambda: f"{_q_path('takes_medicines')}.names_answer",
          '"caffeine_alcohol" is not a later medications question'),
    Break("names_answer_on_a_number_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "range: [12, 110]",
                             "range: [12, 110]\n    names_answer: medications"),
          lambda: f"{_q_path('age')}.names_answer", "only yes_no questions take it"),
    Break("short_answer_on_a_medicines_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "expect: medications\n",
                             'expect: medications\n    short_answer: "i take"\n'),
          lambda: f"{_q_path('medications')}.short_answer",
          "only yes_no and number questions take it"),
    Break("number_short_answer_with_a_verb_no_number_follows", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", _AGE_SHORT,
                             'the numbers.\n    short_answer: "i do"\n'),
          lambda: f"{_q_path('age')}.short_answer",
          '"i do" must be who and one of am, is, are, like "i am"'),
    Break("short_answer_with_an_unknown_verb", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", _CALF_SHORT, _CALF_SHORT.replace("is", "was")),
          lambda: f"{_q_path('red_flag_calf')}.short_answer",
          '"it was" must be who and one of do, does, is, are, am, have, has'),
    Break("short_answer_for_oneself_without_the_caregiver_form", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", _PREGNANT_SHORT,
                             'pregnant at the moment?"\n    short_answer: "i am"\n'),
          lambda: f"{_q_path('pregnant')}.short_answer_caregiver", 'is missing (for "i am")'),
    Break("number_range_inverted", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "range: [12, 110]", "range: [110, 12]"),
          lambda: f"{_q_path('age')}.range", "lowest is above highest"),
    Break("number_range_on_a_yes_no_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "  - id: urge\n    expect: yes_no\n",
                             "  - id: urge\n    expect: yes_no\n    range: [0, 7]\n"),
          lambda: f"{_q_path('urge')}.range", "only number questions take a range"),
    Break("units_said_in_the_plural", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", _NIGHTS_UNITS, "    units: [nights, time]\n"),
          lambda: f"{_q_path('nights_per_week')}.units[0]",
          '"nights" must be singular (an s is added after two or more)'),
    Break("units_on_a_yes_no_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "  - id: urge\n    expect: yes_no\n",
                             "  - id: urge\n    expect: yes_no\n    units: [night]\n"),
          lambda: f"{_q_path('urge')}.units", "only number questions take it"),
    Break("per_without_units", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", _NIGHTS_UNITS, ""),
          lambda: f"{_q_path('nights_per_week')}.per", "needs units (what is counted per it)"),
    Break("likelihood_levels_out_of_order", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "levels: {high: 5, medium: 3, low: 2}",
                             "levels: {high: 2, medium: 3, low: 4}"),
          lambda: "causes.restless_legs_syndrome.levels", "high >= medium >= low"),
    Break("control_phrase_under_two_intents", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", '    - "slow down"\n',
                             '    - "slow down"\n    - "stop"\n'),
          lambda: "controls.slower", '"stop" is also under stop'),
    Break("missing_dialog_text", "dialog.yaml",
          lambda f: _replace(f, "dialog.yaml",
                             'disclaimer: "This is general information, not a diagnosis."\n', ""),
          lambda: "disclaimer", "is missing"),
    Break("missing_line_for_a_voice_control_at_its_limit", "dialog.yaml",
          lambda f: _replace(f, "dialog.yaml", 'quietest: "', 'quietest_: "'),
          lambda: "quietest", "is missing"),
    Break("modifiers_not_a_list", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", 'modifiers:\n  - "a bit"\n',
                             'modifiers: "a bit"\nunused:\n'),
          lambda: "modifiers", "must be a list"),
    Break("lead_in_the_understanding_would_not_drop", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", '  lead_ins:\n    - "oh"\n',
                             '  lead_ins:\n    - "so what"\n'),
          lambda: "listen_for.lead_ins[0]", '"so what" is not one of the fillers'),
    Break("lead_in_before_an_answer_not_listened_for", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", '  lead_in_answers:\n    - "yes"\n',
                             '  lead_in_answers:\n    - "definitely"\n'),
          lambda: "listen_for.lead_in_answers[0]", '"definitely" is not in listen_for.yes_no'),
    Break("lead_ins_without_the_answers_they_go_before", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", "  lead_in_answers:\n",
                             "  lead_in_answers_:\n"),
          lambda: "listen_for.lead_in_answers_", "unknown key"),
    Break("misspelt_key_in_a_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml",
                             '    ask_if:\n      - {question: pregnant, is: ["yes"]}\n',
                             '    ask_iff:\n      - {question: pregnant, is: ["yes"]}\n'),
          lambda: f"{_q_path('trimester')}.ask_iff", "unknown key"),
    Break("misspelt_key_in_a_rule", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "    tonight: [cramp_stretch]\n",
                             "    tonite: [cramp_stretch]\n"),
          lambda: "causes.leg_cramps.tonite", "unknown key"),
    Break("exclusion_on_an_unknown_question", "advice.yaml",
          lambda f: _replace(f, "advice.yaml", "- {question: numb_burning, is: [\"yes\", unsure]}",
                             "- {question: numb_feet, is: [\"yes\", unsure]}"),
          lambda: "tonight.warm_bath.not_if[3].question", '"numb_feet" is not a question'),
    Break("caution_before_an_unknown_step", "advice.yaml",
          lambda f: _replace(f, "advice.yaml", "before: [walk_stretch]", "before: [walk]"),
          lambda: "cautions.falls.before[0]", '"walk" is not under tonight'),
    Break("look_alike_cap_not_a_level", "rules.yaml",
          lambda f: _replace(f, "rules.yaml", "        cap: medium\n        because: \"though one",
                             "        cap: possible\n        because: \"though one"),
          lambda: "causes.restless_legs_syndrome.signals[5].cap", "must be one of"),
    Break("unknown_evidence_tier", "medications.yaml",
          lambda f: _replace(f, "medications.yaml", "{name: sertraline, class: ssri, tier: A,",
                             "{name: sertraline, class: ssri, tier: D,"),
          lambda: f"medications[{_med_index('sertraline')}] (sertraline).tier", "must be one of"),
    Break("unresolved_on_an_unknown_question", "red_flags.yaml",
          lambda f: _replace(f, "red_flags.yaml", "  question: red_flag_any\n",
                             "  question: red_flag_all\n"),
          lambda: "unresolved.question", '"red_flag_all" is not a question'),
    Break("unknown_reading_list", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", "  negations:", "  negatoins:"),
          lambda: "reading.negatoins", "unknown key"),
    Break("weak_phrase_that_is_no_answer", "understanding.yaml",
          lambda f: _replace(f, "understanding.yaml", '  weak: ["a little",',
                             '  weak: ["a littel",'),
          lambda: "reading.weak[0]", '"a littel" is not one of yes_no'),
    Break("own_answer_words_on_a_number_question", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", "range: [12, 110]",
                             'range: [12, 110]\n    says: {"yes": [old]}'),
          lambda: f"{_q_path('age')}.says", "only yes_no questions take it"),
    Break("own_answer_words_under_an_unknown_meaning", "questions.yaml",
          lambda f: _replace(f, "questions.yaml", '      "yes": ["a man", "man", "male"]\n',
                             '      "maybe": ["a man"]\n'),
          lambda: f"{_q_path('male')}.says.maybe", "unknown key"),
    Break("counted_text_without_its_other_form", "dialog.yaml",
          lambda f: _replace(f, "dialog.yaml",
                             '  other: "The relief routine was used {count} times."\n', ""),
          lambda: "week_reliefs.other", "is missing"),
    Break("counted_caregiver_text_not_a_mapping", "dialog.yaml",
          lambda f: _replace(f, "dialog.yaml", "week_checked_caregiver:\n",
                             'week_checked_caregiver: "This week."\nunused_forms:\n'),
          lambda: "week_checked_caregiver", "must be a mapping of one, other"),
    Break("missing_file", "advice.yaml",
          lambda f: (f / "advice.yaml").unlink(),
          lambda: "", "file is missing"),
]


def _broken(tmp_path: Path, b: Break) -> tuple[Path, str]:
    """A copy of prompts/ with the break; returns the folder and the expected key path."""
    folder = tmp_path / "broken" / b.name
    shutil.copytree(PROMPTS, folder)
    line = b.edit(folder)
    key = b.key().format(line=line)
    return folder, key


@pytest.mark.parametrize("b", BREAKS, ids=[b.name for b in BREAKS])
def test_validator_names_file_and_key(tmp_path: Path, b: Break) -> None:
    folder, key = _broken(tmp_path, b)
    with pytest.raises(ContentError) as info:
        content_mod.load(folder)
    err = info.value
    assert Path(err.file).name == b.file, str(err)
    assert Path(err.file).parent.resolve() == folder.resolve(), str(err)
    assert err.key == key, str(err)
    assert b.problem in err.problem, str(err)
    message = str(err)
    assert b.file in message and key in message and b.problem in message


def _validate(folder: Path | None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "voiceskill", "validate"]
    if folder is not None:
        args.append(str(folder))
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=30)


CLI_BREAKS = [b for b in BREAKS if b.name in {
    "yaml_syntax_error", "missing_key_question_help", "unknown_question_in_rule",
    "unknown_advice_tonight", "wrong_expect_kind", "bad_placeholder_in_question",
    "duplicate_question_id", "unknown_medicine_class", "missing_cause_rule",
    "number_range_inverted", "missing_file",
}]


@pytest.mark.parametrize("b", CLI_BREAKS, ids=[b.name for b in CLI_BREAKS])
def test_validate_command_fails_with_the_message(tmp_path: Path, b: Break) -> None:
    folder, key = _broken(tmp_path, b)
    proc = _validate(folder)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    err = proc.stderr.strip()
    assert err.startswith("voiceskill: "), err
    assert len(err.splitlines()) == 1, err
    assert b.file in err and key in err and b.problem in err, err


def _declared_causes() -> list[str]:
    data = yaml.safe_load((PROMPTS / "rules.yaml").read_text(encoding="utf-8"))
    return list(data["cause_ids"])


def test_validate_command_passes_on_the_real_prompts() -> None:
    for folder in (None, PROMPTS):
        proc = _validate(folder)
        assert proc.returncode == 0, proc.stderr
        assert "content is valid" in proc.stdout
        assert f"{len(_declared_causes())} cause rules" in proc.stdout
        assert proc.stderr == ""


def test_validate_command_on_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    proc = _validate(tmp_path / "nowhere")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "nowhere" in proc.stderr and "does not exist" in proc.stderr


# ---- the real content: cross-checks the validator does not make ------------------------


@pytest.fixture(scope="module")
def real() -> content_mod.Content:
    return content_mod.load(PROMPTS)


def test_every_cause_has_a_rule_in_the_stable_order(real: content_mod.Content) -> None:
    """The causes come in the order declared in rules.yaml, and are the ones the README's
    table tells users about, in the same order."""
    assert real.cause_ids == tuple(_declared_causes())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| Cause id |"):].split("\n\n")[0]
    documented = [i for row in table.splitlines()[2:]
                  for i in re.findall(r"`([a-z_]+)`", row.split("|")[1])]
    assert tuple(documented) == real.cause_ids


def test_trigger_classes_match_the_medication_rule(real: content_mod.Content) -> None:
    """The medicine rule fires for exactly the classes marked as triggers."""
    triggers = {c for c, mc in real.med_classes.items() if mc.trigger}
    assert set(real.med_classes) - triggers == {"other", "dopamine_agonist", "opioid",
                                           "benzodiazepine", "z_drug", "diuretic"}
    rule = next(c for c in real.causes if c.id == "medication")
    fired_by = {cls for s in rule.signals for cls in s.when.class_in}
    assert fired_by == triggers


@pytest.mark.parametrize(("name", "cls"), [
    # Not triggers (clinical reference §3.2-3.3, §3.7 tier L)
    ("bupropion", "other"), ("trazodone", "other"), ("metformin", "other"),
    ("lisinopril", "other"), ("loratadine", "other"), ("cetirizine", "other"),
    ("fexofenadine", "other"), ("paracetamol", "other"), ("ibuprofen", "other"),
    # Triggers
    ("mirtazapine", "tetracyclic"), ("quetiapine", "antipsychotic"),
    ("olanzapine", "antipsychotic"), ("haloperidol", "antipsychotic"),
    ("metoclopramide", "antiemetic"), ("prochlorperazine", "antiemetic"),
    ("diphenhydramine", "sedating_antihistamine"), ("doxylamine", "sedating_antihistamine"),
    ("promethazine", "sedating_antihistamine"), ("sertraline", "ssri"),
    ("venlafaxine", "snri"), ("amitriptyline", "tricyclic"), ("doxepin", "tricyclic"),
    ("lithium", "lithium"),
])
def test_medicine_classes_follow_the_clinical_reference(real: content_mod.Content, name: str,
                                                        cls: str) -> None:
    med = next(m for m in real.medications if m.name == name)
    assert med.drug_class == cls


def test_medicine_review_advice_never_says_to_stop(real: content_mod.Content) -> None:
    for tip in ("review_medicines", "review_dopamine_medicine", "tell_prescriber_restlessness"):
        review = real.doctor[tip].text
        for text in (review.text, review.caregiver):
            assert text is not None
            assert "don't stop" in text and "on your own" in text, tip
    everything = yaml.safe_dump(
        {f: yaml.safe_load((PROMPTS / f).read_text(encoding="utf-8"))
         for f in ("advice.yaml", "rules.yaml", "dialog.yaml", "red_flags.yaml")}
    ).lower()
    for bad in ("stop taking", "stop your", "stop the medicine", "come off"):
        assert bad not in everything, bad


def test_iron_advice_says_test_first(real: content_mod.Content) -> None:
    iron = real.doctor["check_iron"].text
    for text in (iron.text, iron.caregiver):
        assert text is not None
        assert "ferritin" in text and "don't start iron tablets without it" in text


def test_emergency_red_flags_end_the_checkin_and_same_day_ones_do_not(
        real: content_mod.Content) -> None:
    flags = {f.question: f for f in real.red_flags}
    for qid in ("red_flag_breathing", "red_flag_stroke", "red_flag_cold_leg", "red_flag_saddle"):
        assert flags[qid].level == "emergency" and flags[qid].end_checkin is True, qid
    for qid in ("red_flag_calf", "red_flag_fever", "self_harm"):
        assert flags[qid].level == "urgent" and flags[qid].end_checkin is False, qid
    assert real.questions[0].id == "red_flag_any", "the safety question comes first"
    for f in real.red_flags:
        assert "911" in f.advice.text and "999" in f.advice.text
    crisis = flags["self_harm"].advice.text
    assert "988" in crisis and "116 123" in crisis


def test_caregiver_texts_use_the_name(real: content_mod.Content) -> None:
    """A caregiver is asked about the person by name, except where the question is the
    same for anyone ("Right now, is there chest pain...?")."""
    same_for_anyone: set[str] = set()
    for q in real.questions:
        assert q.text.caregiver is not None
        if q.id in same_for_anyone:
            assert "you" not in q.text.caregiver.lower().split()
            continue
        assert "{name}" in q.text.caregiver, q.id


# ---- a shorter check-in, and no dead content -----------------------------------------------


def test_the_essential_features_are_asked_one_at_a_time(real: content_mod.Content) -> None:
    """IRLSSG: urge, worse at rest, eased by moving, worse in the evening, each its own
    question (separate questions beat bundled ones, RLS-EXP §12), and all four are needed:
    the three after the urge are criteria of the restless legs rule."""
    ids = [q.id for q in real.questions]
    features = ["urge", "worse_at_rest", "relief_moving", "worse_evening"]
    assert [i for i in ids if i in features] == features
    rls = next(c for c in real.causes if c.id == "restless_legs_syndrome")
    assert [c.when.question for c in rls.criteria] == features[1:]
    assert [c.question for c in rls.requires] == ["urge"]
    for q in ("position_once", "cramps", "sleep_starts", "swelling_joints", "akathisia"):
        assert q in ids, q
        assert " or " not in real.question(q).text.text.split("?")[0].replace(
            "or from", "").replace("or foot", "").replace("or jerk", "") or q in (
            "swelling_joints",), q


def test_safety_questions_are_asked_when_the_first_is_missed(real: content_mod.Content) -> None:
    for flag in real.red_flags:
        if flag.question == "self_harm":
            continue
        conds = [c for c in real.question(flag.question).ask_if if c.question == "red_flag_any"]
        assert len(conds) == 1 and conds[0].or_unknown, flag.question


def _code(skip: str = "") -> str:
    """The code of the package, without the part named ``skip`` (a module or a package):
    the content loader names every dialog key, which is no use of it."""
    package = ROOT / "voiceskill"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py"))
                     if p.relative_to(package).parts[0].removesuffix(".py") != skip)


def test_every_dialog_text_is_used() -> None:
    """Each text in dialog.yaml is looked up somewhere in the code (caregiver variants
    through their base key), so no dead text is kept for editors to maintain."""
    data = yaml.safe_load((PROMPTS / "dialog.yaml").read_text(encoding="utf-8"))
    code = _code(skip="content")
    unused = [key for key in data if f'"{key.removesuffix("_caregiver")}"' not in code]
    assert not unused, unused


def test_required_dialog_texts_are_the_ones_used() -> None:
    code = _code(skip="content")
    unused = [key for key in content_mod.REQUIRED_DIALOG_KEYS
              if f'"{key.removesuffix("_caregiver")}"' not in code]
    assert not unused, unused
    assert "not_understood_again" not in content_mod.REQUIRED_DIALOG_KEYS
    assert "help_general" not in content_mod.REQUIRED_DIALOG_KEYS


def test_prompts_without_the_old_unused_dialog_texts_load(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS, folder)
    data = yaml.safe_load((folder / "dialog.yaml").read_text(encoding="utf-8"))
    assert "not_understood_again" not in data and "help_general" not in data
    content_mod.load(folder)


def test_a_content_folder_without_the_number_read_back_help_falls_back(tmp_path: Path) -> None:
    from voiceskill.dialog import Dialog
    from voiceskill.messages import Understood

    folder = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", folder)
    dialog_file = folder / "dialog.yaml"
    lines = dialog_file.read_text(encoding="utf-8").splitlines()
    dialog_file.write_text(
        "\n".join(line for line in lines if not line.startswith("confirm_number_help")) + "\n",
        encoding="utf-8",
    )
    for content in (content_mod.load(folder), content_mod.load(ROOT / "prompts")):
        d = Dialog(content)
        d.start()
        d.hear(Understood("answer", "no"))
        d.hear(Understood("answer", 70), confident=False)
        reply = d.hear(Understood("answer", "unsure"))
        want = content.dialog.get("confirm_number_help", content.dialog["confirm_help"])
        assert reply.text == want


def test_a_content_folder_without_lead_ins_listens_for_plain_answers(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS, folder)
    text = (folder / "understanding.yaml").read_text()
    start = text.index("  # Sounds an answer often begins with")
    end = text.index('    - "not at all"\n', text.index("  lead_in_answers:")) + len(
        '    - "not at all"\n'
    )
    (folder / "understanding.yaml").write_text(text[:start] + text[end:])
    loaded = content_mod.load(folder)
    assert loaded.vocabulary.listen_for["lead_ins"] == ()
    understander = Understander(loaded)
    phrases = understander.phrases(Expectation("yes_no", "urge"))
    assert "yes" in phrases and "oh yes" not in phrases
    assert understander.second_try(Expectation("yes_no", "urge")) == []
    assert understander.second_try(Expectation("number", "age", 12, 110)) == []


def test_lead_ins_alone_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS, folder)
    text = (folder / "understanding.yaml").read_text()
    start = text.index("  lead_in_answers:")
    end = text.index('    - "not at all"\n', start) + len('    - "not at all"\n')
    (folder / "understanding.yaml").write_text(text[:start] + text[end:])
    with pytest.raises(ContentError) as err:
        content_mod.load(folder)
    assert "understanding.yaml" in str(err.value)
    assert "listen_for.lead_in_answers" in str(err.value) and "is missing" in str(err.value)
