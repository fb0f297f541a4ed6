"""The declared content schema: every kind of shape problem is refused, at every level, with
the file and the key path; ids of causes and medicine classes come from the content.

Each case edits the parsed data of one file in a copy of prompts/ and writes it back, so a
case names the one thing it breaks (the YAML's comments are lost in the copy, which is fine).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceskill import content as content_mod
from voiceskill.content import jsonschema, loader
from voiceskill.errors import ContentError
from voiceskill.messages import Person
from voiceskill.rules import assess

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"
# A whole content folder is read per example (about 0.1 s), so a fifth of the fuzz budget.
FUZZ = settings(
    max_examples=max(20, int(os.environ.get("VOICESKILL_FUZZ_EXAMPLES", "300")) // 5),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

Data = dict[str, Any]


def _data(file: str) -> Data:
    return dict(yaml.safe_load((PROMPTS / file).read_text(encoding="utf-8")))


def _index(file: str, list_key: str, field: str, value: str) -> int:
    return [item[field] for item in _data(file)[list_key]].index(value)


def _q(qid: str) -> str:
    return f"questions[{_index('questions.yaml', 'questions', 'id', qid)}] ({qid})"


def _question(d: Data, qid: str) -> Data:
    return next(q for q in d["questions"] if q["id"] == qid)


def _med(d: Data, name: str) -> Data:
    return next(m for m in d["medications"] if m["name"] == name)


def _m(name: str) -> str:
    return f"medications[{_index('medications.yaml', 'medications', 'name', name)}] ({name})"


def _flag(rid: str) -> str:
    return f"red_flags[{_index('red_flags.yaml', 'red_flags', 'id', rid)}] ({rid})"


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    edit: Callable[[Data], object]
    key: Callable[[], str]
    problem: str


def _set(path: list[Any], value: Any) -> Callable[[Data], None]:
    """An edit that sets ``value`` at ``path`` (keys and list indexes)."""
    def edit(d: Data) -> None:
        node: Any = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    return edit


def _drop(path: list[Any]) -> Callable[[Data], None]:
    def edit(d: Data) -> None:
        node: Any = d
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
    return edit


def _on_question(qid: str, key: str, value: Any) -> Callable[[Data], None]:
    return lambda d: _question(d, qid).__setitem__(key, value)


def _without_in_question(qid: str, key: str) -> Callable[[Data], None]:
    return lambda d: _question(d, qid).pop(key)


UNKNOWN = [
    Case("top_of_questions", "questions.yaml", _set(["questionz"], []),
         lambda: "questionz", "unknown key; use questions"),
    Case("in_a_question", "questions.yaml", _on_question("urge", "helpp", "x"),
         lambda: f"{_q('urge')}.helpp", "unknown key"),
    Case("in_an_ask_if_condition", "questions.yaml",
         lambda d: _question(d, "dialysis")["ask_if"][0].__setitem__("iss", ["yes"]),
         lambda: f"{_q('dialysis')}.ask_if[0].iss", "unknown key; use at_least, below"),
    Case("top_of_rules", "rules.yaml", _set(["rule_ids"], []), lambda: "rule_ids",
         "unknown key; use cause_ids, causes"),
    Case("in_levels", "rules.yaml", _set(["causes", "stress", "levels", "highest"], 9),
         lambda: "causes.stress.levels.highest", "unknown key; use high, low, medium"),
    Case("in_a_signal", "rules.yaml", _set(["causes", "stress", "signals", 0, "pointz"], 1),
         lambda: "causes.stress.signals[0].pointz", "unknown key"),
    Case("in_a_signal_condition", "rules.yaml",
         _set(["causes", "stress", "signals", 0, "when", "questions"], "stress"),
         lambda: "causes.stress.signals[0].when.questions", "unknown key"),
    Case("in_a_criterion", "rules.yaml",
         _set(["causes", "restless_legs_syndrome", "criteria", 0, "unmett"], "x"),
         lambda: "causes.restless_legs_syndrome.criteria[0].unmett", "unknown key"),
    Case("in_a_red_flag", "red_flags.yaml", _set(["red_flags", 0, "levell"], "urgent"),
         lambda: f"{_flag('chest_or_breathing')}.levell", "unknown key"),
    Case("in_a_red_flag_advice", "red_flags.yaml",
         _set(["red_flags", 0, "advice"], {"text": "Call 911 or 999.", "carer": "x"}),
         lambda: f"{_flag('chest_or_breathing')}.advice.carer", "unknown key; use caregiver"),
    Case("in_unresolved", "red_flags.yaml", _set(["unresolved", "reasonn"], "x"),
         lambda: "unresolved.reasonn", "unknown key"),
    Case("in_a_tip", "advice.yaml", _set(["tonight", "foot_care", "caregivr"], "x"),
         lambda: "tonight.foot_care.caregivr", "unknown key"),
    Case("in_a_caution", "advice.yaml", _set(["cautions", "falls", "when_all"], []),
         lambda: "cautions.falls.when_all", "unknown key"),
    Case("in_a_medicine_class", "medications.yaml", _set(["classes", "ssri", "plainn"], "x"),
         lambda: "classes.ssri.plainn", "unknown key; use plain, trigger"),
    Case("in_a_medicine", "medications.yaml",
         lambda d: _med(d, "sertraline").__setitem__("tierr", "A"),
         lambda: f"{_m('sertraline')}.tierr", "unknown key; use class, name, said, tier"),
    Case("in_yes_no", "understanding.yaml", _set(["yes_no", "maybe"], ["perhaps"]),
         lambda: "yes_no.maybe", "unknown key; use no, unsure, yes"),
    Case("in_controls", "understanding.yaml", _set(["controls", "louderr"], ["up"]),
         lambda: "controls.louderr", "unknown key"),
    Case("top_of_understanding", "understanding.yaml", _set(["fillerz"], []),
         lambda: "fillerz", "unknown key"),
]

WRONG_TYPE = [
    Case("question_text_a_number", "questions.yaml", _on_question("urge", "text", 5),
         lambda: f"{_q('urge')}.text", "must be a text"),
    Case("range_bound_quoted", "questions.yaml", _on_question("age", "range", ["12", 110]),
         lambda: f"{_q('age')}.range[0]", "must be a whole number"),
    Case("points_quoted", "rules.yaml", _set(["causes", "stress", "signals", 0, "points"], "2"),
         lambda: "causes.stress.signals[0].points", "must be a whole number"),
    Case("plural_a_number", "rules.yaml", _set(["causes", "stress", "plural"], 1),
         lambda: "causes.stress.plural", "must be true or false"),
    Case("kind_not_a_kind", "rules.yaml", _set(["causes", "stress", "kind"], "cause"),
         lambda: "causes.stress.kind", "must be one of condition, trigger"),
    Case("signals_a_mapping", "rules.yaml", _set(["causes", "stress", "signals"], {"a": 1}),
         lambda: "causes.stress.signals", "must be a list"),
    Case("levels_a_list", "rules.yaml", _set(["causes", "stress", "levels"], [4, 2, 1]),
         lambda: "causes.stress.levels", "must be a mapping"),
    Case("bound_quoted", "rules.yaml",
         _set(["causes", "sleep_apnea", "signals", 3, "when", "at_least"], "50"),
         lambda: "causes.sleep_apnea.signals[3].when.at_least", "must be a number"),
    Case("end_checkin_quoted", "red_flags.yaml", _set(["red_flags", 0, "end_checkin"], "true"),
         lambda: f"{_flag('chest_or_breathing')}.end_checkin", "must be true or false"),
    Case("trigger_quoted", "medications.yaml", _set(["classes", "ssri", "trigger"], "yes"),
         lambda: "classes.ssri.trigger", "must be true or false"),
    Case("number_value_in_words", "understanding.yaml", _set(["numbers", "most nights"], "five"),
         lambda: "numbers.most nights", "must be a whole number"),
    Case("blank_phrase", "understanding.yaml", _set(["yes_no", "yes", 0], " "),
         lambda: "yes_no.yes[0]", "must be a non-empty text"),
    Case("question_id_in_capitals", "questions.yaml", _on_question("urge", "id", "Urge"),
         lambda: f"questions[{_index('questions.yaml', 'questions', 'id', 'urge')}].id",
         "must be lower case letters, digits and _"),
    Case("dialog_text_a_number", "dialog.yaml", _set(["goodbye"], 5),
         lambda: "goodbye", "must be a text or a mapping"),
]

MISSING = [
    Case("question_expect", "questions.yaml", _without_in_question("urge", "expect"),
         lambda: f"{_q('urge')}.expect", "is missing"),
    Case("question_caregiver", "questions.yaml", _without_in_question("urge", "caregiver"),
         lambda: f"{_q('urge')}.caregiver", "is missing"),
    Case("number_range", "questions.yaml", _without_in_question("age", "range"),
         lambda: f"{_q('age')}.range", "is missing"),
    Case("cause_ids", "rules.yaml", _drop(["cause_ids"]), lambda: "cause_ids", "is missing"),
    Case("cause_levels", "rules.yaml", _drop(["causes", "stress", "levels"]),
         lambda: "causes.stress.levels", "is missing"),
    Case("level_low", "rules.yaml", _drop(["causes", "stress", "levels", "low"]),
         lambda: "causes.stress.levels.low", "is missing"),
    Case("signal_points", "rules.yaml", _drop(["causes", "stress", "signals", 0, "points"]),
         lambda: "causes.stress.signals[0].points", "is missing"),
    Case("red_flag_advice", "red_flags.yaml", _drop(["red_flags", 0, "advice"]),
         lambda: f"{_flag('chest_or_breathing')}.advice", "is missing"),
    Case("caution_before", "advice.yaml", _drop(["cautions", "falls", "before"]),
         lambda: "cautions.falls.before", "is missing"),
    Case("medicine_class", "medications.yaml", lambda d: _med(d, "sertraline").pop("class"),
         lambda: f"{_m('sertraline')}.class", "is missing"),
    Case("class_plain", "medications.yaml", _drop(["classes", "ssri", "plain"]),
         lambda: "classes.ssri.plain", "is missing"),
    Case("yes_no_unsure", "understanding.yaml", _drop(["yes_no", "unsure"]),
         lambda: "yes_no.unsure", "is missing"),
    Case("control_stop", "understanding.yaml", _drop(["controls", "stop"]),
         lambda: "controls.stop", "is missing"),
    Case("listen_for_numbers", "understanding.yaml", _drop(["listen_for", "numbers"]),
         lambda: "listen_for.numbers", "is missing"),
]


def _drop_class(d: Data, cls: str) -> None:
    del d["classes"][cls]
    d["medications"] = [m for m in d["medications"] if m["class"] != cls]


CROSS = [
    Case("cause_declared_twice", "rules.yaml", lambda d: d["cause_ids"].append("stress"),
         lambda: f"cause_ids[{len(_data('rules.yaml')['cause_ids'])}]",
         '"stress" is listed twice'),
    Case("declared_cause_without_a_rule", "rules.yaml",
         lambda d: d["cause_ids"].append("night_sweats"),
         lambda: "causes.night_sweats", "is missing (every cause needs a rule)"),
    Case("rule_for_an_undeclared_cause", "rules.yaml",
         lambda d: d["causes"].__setitem__("worry", copy.deepcopy(d["causes"]["stress"])),
         lambda: "causes.worry", "unknown cause id; declare it under cause_ids"),
    Case("medicine_of_an_undeclared_class", "medications.yaml",
         lambda d: _med(d, "sertraline").__setitem__("class", "gabapentinoid"),
         lambda: f"{_m('sertraline')}.class", '"gabapentinoid" is not a class'),
    Case("rule_naming_a_class_no_longer_declared", "medications.yaml",
         lambda d: _drop_class(d, "lithium"),
         lambda: "causes.medication.signals[1].when.class_in",
         '"lithium" is not a medicine class'),
    Case("condition_testing_nothing", "questions.yaml",
         lambda d: _question(d, "dialysis").__setitem__("ask_if", [{"question": "urge"}]),
         lambda: f"{_q('dialysis')}.ask_if[0]", "needs one of is, below, at_least or class_in"),
]

CASES = UNKNOWN + WRONG_TYPE + MISSING + CROSS


def _copy(tmp_path: Path, name: str, file: str, edit: Callable[[Data], object]) -> Path:
    folder = tmp_path / name
    shutil.copytree(PROMPTS, folder)
    data = _data(file)
    edit(data)
    (folder / file).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                               encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_schema_refuses_with_file_and_key_path(tmp_path: Path, case: Case) -> None:
    folder = _copy(tmp_path, case.name, case.file, case.edit)
    with pytest.raises(ContentError) as info:
        content_mod.load(folder)
    err = info.value
    # The rule that fails may be in another file than the one edited (a class removed).
    assert err.key == case.key(), str(err)
    assert case.problem in err.problem, str(err)
    assert Path(err.file).parent.resolve() == folder.resolve(), str(err)


def test_an_unedited_round_trip_loads(tmp_path: Path) -> None:
    """The copies are written back through yaml.safe_dump: that alone breaks nothing, so each
    case above fails for its edit."""
    folder = tmp_path / "same"
    shutil.copytree(PROMPTS, folder)
    for file in ("questions.yaml", "rules.yaml", "red_flags.yaml", "advice.yaml",
                 "medications.yaml", "understanding.yaml", "dialog.yaml"):
        (folder / file).write_text(yaml.safe_dump(_data(file), sort_keys=False,
                                                  allow_unicode=True), encoding="utf-8")
    assert content_mod.load(folder).cause_ids == content_mod.load(PROMPTS).cause_ids


# ---- adding a cause or a medicine class is a content change ---------------------------------


def _new_cause(d: Data) -> None:
    d["cause_ids"].append("restless_arms")
    rule = copy.deepcopy(d["causes"]["stress"])
    rule["title"] = "restless arms"
    rule["signals"][0]["because"] = "your arms are restless too"
    rule["signals"][0].pop("because_caregiver")
    d["causes"]["restless_arms"] = rule


def test_a_new_cause_needs_only_content(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "new_cause", "rules.yaml", _new_cause)
    loaded = content_mod.load(folder)
    assert loaded.cause_ids[-1] == "restless_arms"
    result = assess(loaded, {"stress": "yes"}, Person())
    assert "restless_arms" in {f.cause for f in result.likely_triggers}


def test_a_new_medicine_class_needs_only_content(tmp_path: Path) -> None:
    def new_class(d: Data) -> None:
        d["classes"]["gabapentinoid"] = {"trigger": False, "plain": "a nerve pain medicine"}
        _med(d, "sertraline")["class"] = "gabapentinoid"

    folder = _copy(tmp_path, "new_class", "medications.yaml", new_class)
    loaded = content_mod.load(folder)
    assert "gabapentinoid" in loaded.med_classes
    assert next(m for m in loaded.medications if m.name == "sertraline").drug_class == (
        "gabapentinoid")


# ---- the command line, and the generated JSON Schema ----------------------------------------


@pytest.mark.parametrize("case", [UNKNOWN[2], WRONG_TYPE[1], MISSING[9]],
                         ids=lambda c: c.name)
def test_validate_command_gives_one_line(tmp_path: Path, case: Case) -> None:
    folder = _copy(tmp_path, case.name, case.file, case.edit)
    proc = subprocess.run([sys.executable, "-m", "voiceskill", "validate", str(folder)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert case.file in lines[0] and case.key() in lines[0] and case.problem in lines[0]


def test_json_schema_in_docs_is_current() -> None:
    on_disk = json.loads(jsonschema.TARGET.read_text(encoding="utf-8"))
    assert on_disk == json.loads(jsonschema.render()), (
        "docs/content-schema.json is out of date: python -m voiceskill.content.jsonschema")
    question = on_disk["files"]["questions.yaml"]["$defs"]["QuestionSpec"]
    assert question["additionalProperties"] is False
    assert {"id", "expect", "text", "caregiver", "help"} <= set(question["required"])
    assert jsonschema.main(["--check"]) == 0


# ---- any edit: a result or one clean line ----------------------------------------------------

_FILES = ("questions.yaml", "rules.yaml", "red_flags.yaml", "advice.yaml", "medications.yaml",
          "understanding.yaml", "dialog.yaml")
_ORIGINAL = {f: _data(f) for f in _FILES}
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False, width=32),
    st.text(max_size=12), st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
)


def _mutate(data: st.DataObject, d: Data) -> str:
    """One random edit somewhere in ``d``: a value replaced, a key dropped or one added."""
    node: Any = d
    where = ""
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, (dict, list)) or data.draw(st.booleans()):
            action = data.draw(st.sampled_from(("replace", "drop", "add")))
            if action == "replace":
                node[key] = data.draw(_VALUES)
            elif action == "drop":
                del node[key]
            elif isinstance(node, dict):
                node[data.draw(st.text(min_size=1, max_size=10))] = data.draw(_VALUES)
            else:
                node.append(data.draw(_VALUES))
            return f"{where}/{key} {action}"
        node, where = child, f"{where}/{key}"
    return where


@pytest.mark.fuzz
@FUZZ
@given(data=st.data())
def test_any_edit_loads_or_gives_one_line_naming_the_file(tmp_path_factory: pytest.TempPathFactory,
                                                          data: st.DataObject) -> None:
    file = data.draw(st.sampled_from(_FILES))
    edited = copy.deepcopy(_ORIGINAL[file])
    what = _mutate(data, edited)
    folder = tmp_path_factory.mktemp("fuzz")
    for f in _FILES:
        (folder / f).symlink_to(PROMPTS / f)
    (folder / file).unlink()
    (folder / file).write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")
    try:
        loader._load(folder.resolve())  # not load(): its cache would answer for the folder
    except ContentError as err:
        message = str(err)
        assert "\n" not in message and len(message) < 2000, (what, message)
        assert Path(err.file).parent.resolve() == folder.resolve(), (what, message)
