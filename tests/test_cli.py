"""The command line as other tools use it: `understand`, `assess FILE`, `checkin --text`.

Output formats here are a contract (one JSON line per text; the last line of a check-in is
one JSON object), so they are checked through a real subprocess.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"likely_triggers", "not_likely", "urgent", "emergency", "urgent_reasons",
               "next_steps", "ask_doctor", "answers"}


def voiceskill(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voiceskill", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=30)


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def fails(proc: subprocess.CompletedProcess[str]) -> str:
    """A clean failure: exit 1, one "voiceskill: ..." message on stderr, no traceback."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("voiceskill: "), proc.stderr
    return proc.stderr


def triggers(result: dict[str, Any]) -> dict[str, str]:
    return {f["cause"]: f["likelihood"] for f in result["likely_triggers"]}


# ---- understand ------------------------------------------------------------------------------


def test_understand_prints_one_json_line_per_text() -> None:
    texts = ["yep", "not really", "I can't remember", "what do you mean?", "purple"]
    out = ok(voiceskill("understand", "--expect", "yes_no", *texts))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == texts
    assert [(r["intent"], r["value"]) for r in rows] == [
        ("answer", "yes"), ("answer", "no"), ("answer", "unsure"), ("help", None),
        ("unknown", None),
    ]
    assert rows[4]["reason"] == "no yes or no was heard"
    assert all(set(r) >= {"text", "intent", "value"} for r in rows)
    assert "reason" not in rows[0]


def test_understand_medicines_as_objects() -> None:
    out = ok(voiceskill("understand", "--expect", "medications",
                        "she takes Seroquel and metformin", "Tylenol PM", "none", "blue pill"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["intent"] == "answer"
    assert rows[0]["value"] == [
        {"name": "quetiapine", "said": "Seroquel", "class": "antipsychotic"},
        {"name": "metformin", "said": "metformin", "class": "other"},
    ]
    assert rows[1]["value"] == [
        {"name": "diphenhydramine", "said": "Tylenol PM", "class": "sedating_antihistamine"}
    ]
    assert rows[2] == {"text": "none", "intent": "answer", "value": []}
    assert rows[3]["intent"] == "unknown" and rows[3]["value"] is None


def test_understand_numbers_with_a_range() -> None:
    out = ok(voiceskill("understand", "--expect", "number", "--low", "0", "--high", "7",
                        "twice", "every night", "about a six", "nine", "say that again"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["value"] for r in rows[:3]] == [2, 7, 6]
    assert rows[3]["intent"] == "unknown" and rows[3]["reason"] == "out_of_range"
    assert rows[3]["value"] is None
    assert (rows[4]["intent"], rows[4]["value"]) == ("repeat", None)


def test_understand_as_a_question_of_the_check_in_asks_it() -> None:
    out = ok(voiceskill("understand", "--question", "nights_per_week",
                        "five nights", "three times a week", "nine"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["value"] for r in rows[:2]] == [5, 3]
    assert rows[2]["reason"] == "out_of_range"
    err = fails(voiceskill("understand", "--question", "bedtime", "yes"))
    assert "no question 'bedtime' in" in err and "nights_per_week" in err
    assert f"{Path('prompts') / 'questions.yaml'}" in err
    assert "give --expect KIND or --question ID" in fails(voiceskill("understand", "yes"))


def test_understand_unknown_question_names_the_content_folder_in_use(tmp_path: Path) -> None:
    folder = tmp_path / "my-prompts"
    shutil.copytree(Path(__file__).resolve().parent.parent / "prompts", folder)
    err = fails(voiceskill("--prompts", str(folder), "understand", "--question", "bedtime", "yes"))
    assert f"no question 'bedtime' in {folder / 'questions.yaml'}" in err


@pytest.mark.voice
def test_understand_audio_as_a_question_listens_for_its_ways_of_answering() -> None:
    """A spoken "five nights" is in the nights question's grammar (its units), not in that of
    a bare number from 0 to 7."""
    pytest.importorskip("pocketsphinx")
    from voiceskill.testing.speech import need_espeak, synth

    need_espeak()
    wav = str(synth("five nights", "en-us", 140))
    out = ok(voiceskill("understand", "--audio", "--engine", "pocketsphinx",
                        "--question", "nights_per_week", wav))
    row = json.loads(out.splitlines()[-1])
    assert (row["intent"], row["value"], row["file"]) == ("answer", 5, wav), row
    assert 0.0 < row["confidence"] <= 1.0


@pytest.mark.voice
def test_understand_audio_as_a_caregiver_is_asked_hears_she_is() -> None:
    """With --caregiver the age question listens for "she's eighty" as the check-in does when
    a caregiver answers; asked of the person themself it does not listen for "she's"."""
    pytest.importorskip("pocketsphinx")
    from voiceskill.testing.speech import need_espeak, synth

    need_espeak()
    wav = str(synth("she's eighty", "en-us", 140))
    ask = ("understand", "--audio", "--engine", "pocketsphinx", "--question", "age")
    row = json.loads(ok(voiceskill(*ask, "--caregiver", "--pronoun", "she", wav)).splitlines()[-1])
    assert (row["text"], row["value"]) == ("she's eighty", 80), row
    row = json.loads(ok(voiceskill(*ask, wav)).splitlines()[-1])
    assert not row["text"].startswith("she"), row


def test_understand_caregiver_needs_a_question() -> None:
    err = fails(voiceskill("understand", "--expect", "yes_no", "--caregiver", "yes"))
    assert "give them with --question ID" in err


def test_understand_without_texts_is_a_clean_error() -> None:
    assert "give one or more texts" in fails(voiceskill("understand", "--expect", "yes_no"))


# ---- assess ----------------------------------------------------------------------------------


def test_assess_yaml_with_values_and_everyday_words(tmp_path: Path) -> None:
    f = tmp_path / "answers.yaml"
    f.write_text(
        "red_flag_any: no\n"
        "age: seventy two\n"
        "urge: yep\n"
        "worse_at_rest: yes\n"
        "relief_moving: true\n"
        "worse_evening: sure\n"
        "position_once: not really\n"
        "nights_per_week: every night\n"
        "medications: [Tylenol PM, metformin]\n"
        "stress: 'no'\n",
        encoding="utf-8",
    )
    result = json.loads(ok(voiceskill("assess", str(f))))
    assert set(result) == RESULT_KEYS
    assert triggers(result) == {"restless_legs_syndrome": "high", "medication": "high"}
    assert result["urgent"] is False and result["urgent_reasons"] == []
    assert result["answers"]["age"] == 72
    assert result["answers"]["urge"] == "yes"
    assert result["answers"]["relief_moving"] == "yes"
    assert result["answers"]["position_once"] == "no"
    assert result["answers"]["nights_per_week"] == 7
    assert [m["name"] for m in result["answers"]["medications"]] == ["diphenhydramine",
                                                                      "metformin"]
    assert any("don't stop a prescribed medicine on your own" in d for d in result["ask_doctor"])


def test_assess_json_with_person_in_caregiver_mode(tmp_path: Path) -> None:
    f = tmp_path / "answers.json"
    f.write_text(json.dumps({
        "person": {"caregiver": True, "name": "Rose", "pronoun": "she"},
        "answers": {"urge": "she does", "medications": "she takes Seroquel",
                    "kidney_disease": True, "dialysis": "yes"},
    }), encoding="utf-8")
    out = ok(voiceskill("assess", str(f), "--compact"))
    assert len(out.strip().splitlines()) == 1
    result = json.loads(out)
    assert triggers(result) == {"medication": "high", "kidney_disease": "high",
                                "restless_legs_syndrome": "low"}
    med = next(f for f in result["likely_triggers"] if f["cause"] == "medication")
    assert med["because"] == ["Rose takes Seroquel, a medicine that blocks dopamine"]
    assert any("Rose's kidney team" in d for d in result["ask_doctor"])
    assert any("her medicines" in d for d in result["ask_doctor"])


def test_assess_caregiver_flags_override_the_file(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("stress: yes\n", encoding="utf-8")
    result = json.loads(ok(voiceskill("assess", str(f), "--caregiver", "--name", "Walter",
                                      "--pronoun", "he")))
    assert result["likely_triggers"][0]["because"] == [
        "Walter has been feeling stressed, worried or low"
    ]


def test_assess_emergency_gives_only_the_emergency_step(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("red_flag_any: yes\nred_flag_breathing: yes\nurge: yes\nstress: yes\n",
                 encoding="utf-8")
    result = json.loads(ok(voiceskill("assess", str(f))))
    assert result["urgent"] is True and result["emergency"] is True
    assert len(result["next_steps"]) == 1 and "911" in result["next_steps"][0]
    assert result["ask_doctor"] == []


def test_assess_unknown_question_id_names_file_and_key(tmp_path: Path) -> None:
    f = tmp_path / "answers.yaml"
    f.write_text("urge: yes\nbogus_question: yes\n", encoding="utf-8")
    err = fails(voiceskill("assess", str(f)))
    assert f"{f}: bogus_question: unknown question id" in err
    assert "urge" in err  # the known ids are listed


def test_assess_unknown_question_id_under_answers_names_the_full_key(tmp_path: Path) -> None:
    f = tmp_path / "answers.yaml"
    f.write_text("answers:\n  urge: yes\n  bogus_question: yes\n", encoding="utf-8")
    err = fails(voiceskill("assess", str(f)))
    assert f"{f}: answers.bogus_question: unknown question id" in err


def test_assess_bad_answer_under_answers_names_the_full_key(tmp_path: Path) -> None:
    f = tmp_path / "answers.yaml"
    f.write_text("answers:\n  nights_per_week: 9\n", encoding="utf-8")
    err = fails(voiceskill("assess", str(f)))
    assert f"{f}: answers.nights_per_week: 9 is outside 0 to 7" in err


def test_assess_id_containing_answers_at_the_top_level_is_not_prefixed(tmp_path: Path) -> None:
    """The old prefix test looked for "answers" inside the id itself."""
    f = tmp_path / "answers.yaml"
    f.write_text("urge: yes\nmy_answers: yes\n", encoding="utf-8")
    err = fails(voiceskill("assess", str(f)))
    assert f"{f}: my_answers: unknown question id" in err


def test_assess_not_sure_to_a_red_flag_is_urgent_but_not_an_emergency(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    signs = "".join(f"{q}: no\n" for q in ("red_flag_stroke", "red_flag_cold_leg",
                                            "red_flag_saddle", "red_flag_calf", "red_flag_fever"))
    f.write_text("red_flag_any: yes\nred_flag_breathing: not sure\nstress: yes\n" + signs,
                 encoding="utf-8")
    result = json.loads(ok(voiceskill("assess", str(f))))
    assert result["urgent"] is True and result["emergency"] is False
    assert result["urgent_reasons"] == ["not sure whether chest pain or trouble breathing"]
    assert "911" in result["next_steps"][0] and len(result["next_steps"]) > 1
    assert result["ask_doctor"]


@pytest.mark.parametrize(("text", "message"), [
    ("nights_per_week: 9\n", "nights_per_week: 9 is outside 0 to 7"),
    ("urge: purple\n", 'urge: "purple" is not understood as yes, no or unsure'),
    ("age: banana\n", 'age: "banana" is not understood as a number from 12 to 110'),
    ("medications: [blue pill]\n", "medications: "),
    ("urge: [yes\n", "not valid YAML or JSON"),
    ("- urge\n", "must be a mapping of question id to answer"),
    ("answers:\n  urge: yes\nperson: {caregiver: true, name: Rose, pronoun: it}\n",
     "person.pronoun: must be she, he or they"),
])
def test_assess_bad_files_are_clean_errors(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "answers.yaml"
    f.write_text(text, encoding="utf-8")
    err = fails(voiceskill("assess", str(f)))
    assert str(f) in err and message in err


def test_assess_missing_file(tmp_path: Path) -> None:
    err = fails(voiceskill("assess", str(tmp_path / "nope.yaml")))
    assert "nope.yaml" in err and "not found" in err


# ---- checkin --text --json ---------------------------------------------------------------

FULL_RLS = ["no", "sixty eight", "no", "yes", "yes", "yes", "yes", "no", "every night", "no", "no",
            "none", "no", "no", "no", "no", "no", "no", "no"]


def checkin(lines: list[str], *extra: str) -> tuple[list[str], dict[str, Any]]:
    """Run a text check-in with these lines as input (then end of input)."""
    stdin = "".join(line + "\n" for line in lines)
    out = ok(voiceskill("checkin", "--text", "--json", *extra, stdin=stdin))
    rows = out.rstrip("\n").split("\n")
    result = json.loads(rows[-1])
    return rows[:-1], result


def test_checkin_json_is_the_last_line_with_every_key() -> None:
    spoken, result = checkin(FULL_RLS)
    assert set(result) == RESULT_KEYS
    assert triggers(result) == {"restless_legs_syndrome": "high"}
    assert result["answers"]["nights_per_week"] == 7
    assert result["answers"]["medications"] == []
    assert isinstance(result["next_steps"], list) and result["next_steps"]
    assert isinstance(result["ask_doctor"], list) and result["ask_doctor"]
    assert all(not line.startswith("{") for line in spoken)


def test_checkin_prompts_once_per_answer() -> None:
    spoken, _ = checkin(FULL_RLS)
    text = "\n".join(spoken)
    # One more prompt after the summary, for "tell me more"; the end of input says good night.
    assert text.count("> ") == len(FULL_RLS) + 1
    assert spoken[0].startswith("Hello.")
    # Each question is printed after the prompt for the previous answer.
    assert "> How old are you?" in text
    assert spoken[-1] == "Good night."
    assert "This is general information, not a diagnosis." in spoken


def test_checkin_end_of_input_finishes_with_what_it_has() -> None:
    spoken, result = checkin(["no", "sixty", "no", "yes", "yes"])
    assert result["answers"] == {"red_flag_any": "no", "age": 60, "male": "no", "urge": "yes",
                                 "worse_at_rest": "yes"}
    assert triggers(result) == {"restless_legs_syndrome": "medium"}
    assert spoken[-1] == "Good night."


def test_checkin_empty_input() -> None:
    spoken, result = checkin([])
    assert result["answers"] == {}
    assert result["likely_triggers"] == []
    assert "We didn't get far enough for me to say what might be behind it." in spoken


def test_checkin_blank_lines_are_silence() -> None:
    spoken, result = checkin(["no", "", "", "", "", "", ""])
    text = "\n".join(spoken)
    assert "I didn't hear anything. Take your time." in text
    assert "I'm still listening." in text
    assert "All right, we'll stop here." in text
    assert result["answers"] == {"red_flag_any": "no", "age": "unknown"}


def test_checkin_caregiver_mode() -> None:
    spoken, result = checkin(["she doesn't", "eighty two", "she does", "stop"],
                             "--caregiver", "--name", "Rose", "--pronoun", "she")
    text = "\n".join(spoken)
    assert "about Rose's legs at night. Please answer for her." in text
    assert "How old is Rose?" in text
    assert "move her legs" in text
    assert "Is Rose pregnant" not in text
    assert result["answers"] == {"red_flag_any": "no", "age": 82, "urge": "yes"}
    assert triggers(result) == {"restless_legs_syndrome": "low"}
    assert any("Rose" in s for s in result["next_steps"])


@pytest.mark.parametrize("name", [None, "", "   "])
def test_checkin_caregiver_without_a_name_is_a_usage_error(name: str | None) -> None:
    args = ["checkin", "--text", "--json", "--caregiver", "--pronoun", "she"]
    if name is not None:
        args += ["--name", name]
    proc = voiceskill(*args, stdin="no\n")
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert "usage: voiceskill checkin" in proc.stderr
    assert "--caregiver needs the person's name, for example --name Rose" in proc.stderr


def test_checkin_for_oneself_with_a_pronoun() -> None:
    # A man answering for himself is not asked whether he is pregnant.
    spoken, result = checkin(["no", "forty", "yes", "stop"], "--pronoun", "he")
    text = "\n".join(spoken)
    assert "pregnant" not in text
    assert result["answers"] == {"red_flag_any": "no", "age": 40, "urge": "yes"}
    spoken, _ = checkin(["no", "forty", "no", "stop"])
    assert any("pregnant" in s for s in spoken)


def test_checkin_name_without_caregiver_is_fine() -> None:
    _, result = checkin([], "--name", "Rose")
    assert result["answers"] == {}


def test_checkin_not_sure_about_emergency_signs_carries_on() -> None:
    spoken, result = checkin(["yes", "not sure", "no", "no", "no", "no", "no", "seventy"])
    text = "\n".join(spoken)
    assert "Before anything else: Chest pain" in text
    assert "Is one calf or leg swollen" in text
    assert result["urgent"] is True and result["emergency"] is False
    assert result["answers"]["red_flag_calf"] == "no"
    assert result["answers"]["age"] == 70
    assert result["ask_doctor"]


def test_checkin_emergency_json() -> None:
    spoken, result = checkin(["yes", "yes"])
    assert result["urgent"] is True
    assert result["urgent_reasons"] == ["chest pain or trouble breathing"]
    assert result["ask_doctor"] == []
    assert len(result["next_steps"]) == 1
    assert any(line.startswith("> Most important: Chest pain") for line in spoken)
    assert any("I'll stop here so you can get help" in line for line in spoken)


def test_checkin_interrupted_keeps_what_was_answered() -> None:
    # Ctrl-C part-way: the answers given so far are summarised and, with --json, returned.
    proc = subprocess.Popen(
        [sys.executable, "-m", "voiceskill", "checkin", "--text", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT,
        # A runner started in the background inherits Ctrl-C as ignored, and Python then
        # leaves it ignored; a person at a terminal has it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("no\nseventy\nno\nyes\n")
    proc.stdin.flush()
    prompts = 0
    seen: list[str] = []
    while prompts < 5:  # the fifth "> " waits for the answer to the fifth question
        ch = proc.stdout.read(1)
        assert ch, seen
        seen.append(ch)
        prompts += "".join(seen[-2:]) == "> "
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert "stopped" in err
    rows = out.rstrip("\n").split("\n")
    result = json.loads(rows[-1])
    assert result["answers"] == {"red_flag_any": "no", "age": 70, "male": "no", "urge": "yes"}
    assert "not a diagnosis" in out
