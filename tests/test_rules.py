"""rules.assess on its own: edge cases of the cause rules, and the safety wording.

Expected likelihoods follow prompts/rules.yaml's points and levels, checked against the
clinical reference: a cause is never named without something said for it, look-alikes lower
restless legs, follow-up answers (daytime sleepiness, diabetes, dialysis, age) only add to a
cause that something else supports, and medicines are never to be stopped on one's own.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from voiceskill import content as content_mod
from voiceskill.content import CAUSE_IDS
from voiceskill.dialog import Dialog
from voiceskill.messages import Medication, Person
from voiceskill.rules import assess, render

ROOT = Path(__file__).resolve().parent.parent
C = content_mod.load(ROOT / "prompts")
SELF = Person()
ROSE = Person(caregiver=True, name="Rose", pronoun="she")
DONT_STOP = "don't stop any prescribed medicine"


def med(name: str) -> Medication:
    entry = next(m for m in C.medications if m.name == name)
    said = entry.said[0] if entry.said else entry.name
    return Medication(entry.name, said.title(), entry.drug_class)


def found(answers: dict[str, object], person: Person = SELF) -> dict[str, str]:
    return {f.cause: f.likelihood for f in assess(C, answers, person).likely_triggers}


# The urge question asks about settling down in the evening or at night, so these three
# answers cover all four IRLSSG essential features.
RLS3: dict[str, object] = {"urge": "yes", "worse_at_rest": "yes", "relief_moving": "yes"}

CASES: list[tuple[str, dict[str, object], dict[str, str]]] = [
    ("nothing answered", {}, {}),
    ("every answer no", {q.id: "no" for q in C.questions if q.expect == "yes_no"}, {}),
    ("all unsure", {q.id: "unsure" for q in C.questions}, {}),
    ("all unknown", {q.id: "unknown" for q in C.questions}, {}),
    ("all skipped", {q.id: "skipped" for q in C.questions}, {}),
    # restless legs: levels high 4, medium 3, low 2
    ("urge alone", {"urge": "yes"}, {"restless_legs_syndrome": "low"}),
    ("urge not sure", {"urge": "unsure", "worse_at_rest": "yes", "relief_moving": "yes"}, {}),
    ("features without the urge", {"urge": "no", "worse_at_rest": "yes",
                                   "relief_moving": "yes"}, {}),
    ("urge, worse at rest", {"urge": "yes", "worse_at_rest": "yes"},
     {"restless_legs_syndrome": "medium"}),
    ("urge, eased by moving", {"urge": "yes", "relief_moving": "yes"},
     {"restless_legs_syndrome": "medium"}),
    ("urge, twice a week", {"urge": "yes", "nights_per_week": 2},
     {"restless_legs_syndrome": "medium"}),
    ("three features", RLS3, {"restless_legs_syndrome": "high"}),
    ("three features, twice a week", {**RLS3, "nights_per_week": 2},
     {"restless_legs_syndrome": "high"}),
    ("three features, once a week", {**RLS3, "nights_per_week": 1},
     {"restless_legs_syndrome": "high"}),
    ("three features, nights not sure", {**RLS3, "nights_per_week": "unsure"},
     {"restless_legs_syndrome": "high"}),
    ("three features with a look-alike", {**RLS3, "mimic": "yes"},
     {"restless_legs_syndrome": "low"}),
    ("all four with a look-alike", {**RLS3, "nights_per_week": 7, "mimic": "yes"},
     {"restless_legs_syndrome": "medium"}),
    ("three features with numb feet", {**RLS3, "numb_burning": "yes"},
     {"restless_legs_syndrome": "medium", "neuropathy": "medium"}),
    ("all four with numb feet", {**RLS3, "nights_per_week": 7, "numb_burning": "yes"},
     {"restless_legs_syndrome": "high", "neuropathy": "medium"}),
    ("urge with a look-alike", {"urge": "yes", "mimic": "yes"}, {}),
    ("urge, look-alike, every night", {"urge": "yes", "mimic": "yes", "nights_per_week": 7},
     {}),
    # low iron: high 4, medium 2
    ("low iron alone", {"low_iron": "yes"}, {"iron_deficiency": "medium"}),
    ("low iron with an urge", {"low_iron": "yes", "urge": "yes"},
     {"iron_deficiency": "medium", "restless_legs_syndrome": "low"}),
    ("low iron, urge, pregnant", {"low_iron": "yes", "urge": "yes", "pregnant": "yes"},
     {"iron_deficiency": "high", "restless_legs_syndrome": "low", "pregnancy": "medium"}),
    ("pregnant alone does not name low iron", {"pregnant": "yes", "trimester": 2},
     {"pregnancy": "medium"}),
    # medicines
    ("no medicines", {"medications": []}, {}),
    ("medicines not sure", {"medications": "unsure"}, {}),
    ("non-triggers only", {"medications": [med("metformin"), med("bupropion"),
                                           med("lisinopril"), med("trazodone")]}, {}),
    ("one trigger among others", {"medications": [med("metformin"), med("quetiapine")]},
     {"medication": "high"}),
    # strong signals (mirtazapine 28%, dopamine blockers, sedating antihistamines): high;
    # SSRIs, SNRIs (5-10%, uncommon overall), tricyclics and lithium: possible
    ("mirtazapine", {"medications": [med("mirtazapine")]}, {"medication": "high"}),
    ("an antipsychotic", {"medications": [med("olanzapine")]}, {"medication": "high"}),
    ("an anti-sickness medicine", {"medications": [med("metoclopramide")]},
     {"medication": "high"}),
    ("a sedating antihistamine", {"medications": [med("doxylamine")]}, {"medication": "high"}),
    ("an SSRI", {"medications": [med("sertraline")]}, {"medication": "medium"}),
    ("two SSRIs", {"medications": [med("sertraline"), med("fluoxetine")]},
     {"medication": "medium"}),
    ("an SNRI", {"medications": [med("venlafaxine")]}, {"medication": "medium"}),
    ("a tricyclic", {"medications": [med("amitriptyline")]}, {"medication": "medium"}),
    ("lithium, by a brand name", {"medications": [med("lithium")]}, {"medication": "medium"}),
    ("an SSRI and a sleep aid", {"medications": [med("sertraline"), med("diphenhydramine")]},
     {"medication": "high"}),
    # stress, caffeine and alcohol: one signal each, so never more than possible
    ("stress", {"stress": "yes"}, {"stress": "medium"}),
    ("caffeine or alcohol", {"caffeine_alcohol": "yes"}, {"caffeine_alcohol": "medium"}),
    # pregnancy: requires pregnant yes
    ("pregnant, third trimester", {"pregnant": "yes", "trimester": 3}, {"pregnancy": "medium"}),
    ("pregnant, third trimester, urge", {"pregnant": "yes", "trimester": 3, "urge": "yes"},
     {"pregnancy": "high", "restless_legs_syndrome": "low"}),
    ("trimester without pregnant yes", {"pregnant": "unsure", "trimester": 3}, {}),
    # kidney disease: requires kidney_disease yes
    ("kidney disease", {"kidney_disease": "yes"}, {"kidney_disease": "medium"}),
    ("kidney disease on dialysis", {"kidney_disease": "yes", "dialysis": "yes"},
     {"kidney_disease": "high"}),
    ("dialysis alone", {"dialysis": "yes"}, {}),
    # periodic limb movements and sleep apnea share daytime sleepiness
    ("kicking", {"kicking": "yes"}, {"periodic_limb_movements": "medium"}),
    ("kicking and sleepy", {"kicking": "yes", "daytime_sleepy": "yes"},
     {"periodic_limb_movements": "medium"}),
    ("sleepy alone", {"daytime_sleepy": "yes"}, {}),
    ("age alone", {"age": 80}, {}),
    ("snoring", {"snoring": "yes"}, {"sleep_apnea": "medium"}),
    # sleep apnea: three of the eight STOP-Bang items at most, so never above possible
    ("snoring, sleepy, 50", {"snoring": "yes", "daytime_sleepy": "yes", "age": 50},
     {"sleep_apnea": "medium"}),
    ("snoring, sleepy, 80", {"snoring": "yes", "daytime_sleepy": "yes", "age": 80},
     {"sleep_apnea": "medium"}),
    ("snoring, sleepy, 49", {"snoring": "yes", "daytime_sleepy": "yes", "age": 49},
     {"sleep_apnea": "medium"}),
    ("snoring, age not known", {"snoring": "yes", "daytime_sleepy": "yes", "age": "unknown"},
     {"sleep_apnea": "medium"}),
    # neuropathy
    ("numb feet", {"numb_burning": "yes"}, {"neuropathy": "medium"}),
    ("numb feet and diabetes", {"numb_burning": "yes", "diabetes": "yes"},
     {"neuropathy": "high"}),
    ("diabetes alone", {"diabetes": "yes"}, {}),
    ("numb feet not sure, diabetes", {"numb_burning": "unsure", "diabetes": "yes"}, {}),
]


@pytest.mark.parametrize(("answers", "want"), [(a, w) for _, a, w in CASES],
                         ids=[n for n, _, _ in CASES])
def test_each_cause_only_when_supported(answers: dict[str, object], want: dict[str, str]
                                        ) -> None:
    assert found(answers) == want


@pytest.mark.parametrize("cls", sorted(c for c, mc in C.med_classes.items() if mc.trigger))
def test_every_trigger_class_is_reported_with_its_plain_words(cls: str) -> None:
    entry = next(m for m in C.medications if m.drug_class == cls)
    result = assess(C, {"medications": [med(entry.name)]}, SELF)
    (finding,) = result.likely_triggers
    assert finding.cause == "medication"
    assert C.med_classes[cls].plain in finding.because[0]
    assert med(entry.name).said in finding.because[0]


def test_each_trigger_medicine_gives_its_own_reason() -> None:
    """The stronger triggers are named first, then the SSRI-type ones, each in the order
    said."""
    answers = {"medications": [med("sertraline"), med("diphenhydramine"), med("metformin"),
                               med("venlafaxine"), med("quetiapine")]}
    (finding,) = assess(C, answers, SELF).likely_triggers
    assert finding.likelihood == "high"
    assert len(finding.because) == 4
    assert ["Benadryl" in finding.because[0], "Seroquel" in finding.because[1],
            "Zoloft" in finding.because[2], "Effexor" in finding.because[3]] == [True] * 4
    assert not any("metformin" in b.lower() for b in finding.because)


@pytest.mark.parametrize(("classes", "points"), [
    ({"tetracyclic", "antipsychotic", "antiemetic", "sedating_antihistamine"}, 3),
    ({"ssri", "snri", "tricyclic", "lithium"}, 2),
])
def test_medicine_classes_score_by_the_evidence(classes: set[str], points: int) -> None:
    rule = next(c for c in C.causes if c.id == "medication")
    (signal,) = [s for s in rule.signals if set(s.when.class_in) & classes]
    assert set(signal.when.class_in) == classes
    assert signal.points == points
    level = "high" if points >= rule.high else "medium" if points >= rule.medium else "low"
    assert level == ("high" if points == 3 else "medium")


@pytest.mark.parametrize("person", [SELF, ROSE, Person(True, "Walter", "he"),
                                    Person(True, "", "they")],
                         ids=["self", "she", "he", "they-no-name"])
@pytest.mark.parametrize("name", ["diphenhydramine", "quetiapine", "sertraline", "mirtazapine",
                                  "metoclopramide"])
def test_medicine_advice_says_not_to_stop(person: Person, name: str) -> None:
    result = assess(C, {"medications": [med(name)]}, person)
    review = [d for d in result.ask_doctor if "medicines" in d]
    assert len(review) == 1
    assert DONT_STOP in review[0]


def test_no_advice_ever_says_to_stop_a_medicine() -> None:
    texts = [t.text for t in (*C.doctor.values(), *C.tonight.values())]
    texts += [t.caregiver for t in (*C.doctor.values(), *C.tonight.values()) if t.caregiver]
    for t in texts:
        low = t.lower()
        assert "stop taking" not in low and "stop your" not in low, t


def test_emergency_next_steps_are_only_the_emergency_advice() -> None:
    answers = {**RLS3, "nights_per_week": 7, "red_flag_any": "yes",
               "red_flag_emergency": "yes", "medications": [med("quetiapine")],
               "stress": "yes"}
    result = assess(C, answers, SELF)
    emergency = next(f for f in C.red_flags if f.level == "emergency")
    assert result.urgent is True
    assert result.urgent_reasons == (emergency.reason,)
    assert result.next_steps == (emergency.advice.text,)
    assert result.ask_doctor == ()


def test_emergency_and_calf_together_give_both_and_nothing_else() -> None:
    answers = {"red_flag_any": "yes", "red_flag_emergency": "yes", "red_flag_calf": "yes",
               "stress": "yes"}
    result = assess(C, answers, ROSE)
    assert len(result.next_steps) == 2
    assert all("911" in s for s in result.next_steps)
    assert all("Rose" in s for s in result.next_steps)
    assert result.ask_doctor == ()


def test_calf_advice_comes_first_then_tonight_steps() -> None:
    result = assess(C, {"red_flag_calf": "yes", "stress": "yes"}, SELF)
    calf = next(f for f in C.red_flags if f.question == "red_flag_calf")
    assert result.urgent is True
    assert result.next_steps[0] == calf.advice.text
    assert len(result.next_steps) > 1
    assert result.ask_doctor, "an urgent (not emergency) flag keeps the doctor advice"


@pytest.mark.parametrize("value", ["no", "unknown", "skipped", None])
def test_red_flags_only_on_yes_or_not_sure(value: object) -> None:
    answers = {"red_flag_any": "yes", "red_flag_emergency": value, "red_flag_calf": value}
    result = assess(C, answers, SELF)
    assert result.urgent is False and result.urgent_reasons == ()


@pytest.mark.parametrize("question", ["red_flag_emergency", "red_flag_calf"])
def test_not_sure_to_a_red_flag_gives_its_advice_first(question: str) -> None:
    """Safety first: "not sure" is urgent with the flag's reason and its advice first, but
    it is no emergency stop: the tonight steps and doctor advice follow."""
    flag = next(f for f in C.red_flags if f.question == question)
    answers = {"red_flag_any": "yes", question: "unsure", **RLS3, "stress": "yes"}
    for person in (SELF, ROSE):
        result = assess(C, answers, person)
        assert result.urgent is True
        assert result.urgent_reasons == (f"not sure whether {flag.reason}",)
        assert result.next_steps[0] == render(flag.advice, person)
        assert len(result.next_steps) > 1
        assert result.ask_doctor
        assert {f.cause for f in result.likely_triggers} == {"restless_legs_syndrome", "stress"}


def test_not_sure_about_emergency_signs_in_the_dialog_carries_on() -> None:
    d = Dialog(C, SELF)
    d.answers.update({"red_flag_any": "yes", "red_flag_emergency": "unsure", **RLS3})
    lines = d.summary_lines()
    emergency = next(f for f in C.red_flags if f.level == "emergency")
    assert lines[0] == "Most important: " + emergency.advice.text
    assert "Thank you. Here is what I found." in lines
    assert d.assessment().urgent is True


MANY: dict[str, object] = {**RLS3, "nights_per_week": 7, "medications": [med("diphenhydramine")],
        "caffeine_alcohol": "yes", "stress": "yes", "low_iron": "yes",
        "kidney_disease": "yes", "dialysis": "yes", "kicking": "yes", "snoring": "yes",
        "daytime_sleepy": "yes", "age": 70, "pregnant": "no"}


def test_triggers_are_ordered_most_likely_first() -> None:
    result = assess(C, MANY, SELF)
    rank = {"high": 0, "medium": 1, "low": 2}
    levels = [rank[f.likelihood] for f in result.likely_triggers]
    assert levels == sorted(levels)
    assert len(result.likely_triggers) > 3


def test_at_most_three_triggers_in_the_spoken_summary() -> None:
    d = Dialog(C, SELF)
    d.answers.update(MANY)
    result = d.assessment()
    lines = d.summary_lines()
    titles = {c.id: c.title.lower() for c in C.causes}
    text = " ".join(lines).lower()
    spoken = [f.cause for f in result.likely_triggers if f"{titles[f.cause]} is " in text]
    assert spoken == [f.cause for f in result.likely_triggers[:3]]
    trigger_lines = [line for line in lines if line.startswith("The likely triggers: ")]
    assert len(trigger_lines) == 1


def test_next_steps_come_from_the_top_three() -> None:
    result = assess(C, MANY, SELF)
    top = {f.cause for f in result.likely_triggers[:3]}
    rest = {f.cause for f in result.likely_triggers[3:]}
    by_id = {c.id: c for c in C.causes}
    allowed = {C.tonight[t].text for c in top for t in by_id[c].tonight}
    only_rest = {C.tonight[t].text for c in rest for t in by_id[c].tonight} - allowed
    assert only_rest, "the test needs a tonight step that only a lower cause gives"
    assert set(result.next_steps) <= allowed
    assert len(result.next_steps) <= 3


def _interleaved_doctor(result_causes: list[str]) -> list[str]:
    by_id = {c.id: c for c in C.causes}
    out: list[str] = []
    lists = [by_id[c].ask_doctor for c in result_causes]
    for i in range(max(len(x) for x in lists)):
        for items in lists:
            if i < len(items) and items[i] not in out:
                out.append(items[i])
    return out


def test_doctor_advice_comes_from_every_cause_most_likely_first() -> None:
    result = assess(C, MANY, SELF)
    causes = [f.cause for f in result.likely_triggers]
    want = _interleaved_doctor(causes)[:4]
    assert result.ask_doctor == tuple(C.doctor[d].text for d in want)


def test_medicine_ranked_fourth_still_gets_the_review_advice() -> None:
    answers = {**RLS3, "nights_per_week": 7, "medications": [med("sertraline")],
               "kidney_disease": "yes", "dialysis": "yes", "numb_burning": "yes",
               "diabetes": "yes"}
    result = assess(C, answers, SELF)
    causes = [f.cause for f in result.likely_triggers]
    assert causes.index("medication") == 3
    assert len(result.ask_doctor) == 4
    assert any(DONT_STOP in d for d in result.ask_doctor)
    assert len(result.next_steps) <= 3


def test_medicine_ranked_fifth_still_gets_the_review_advice() -> None:
    """Four causes ahead with four different doctor items: the medicine review takes the
    last place rather than be cut."""
    answers = {**RLS3, "nights_per_week": 7, "medications": [med("sertraline")],
               "kidney_disease": "yes", "dialysis": "yes", "numb_burning": "yes",
               "diabetes": "yes", "pregnant": "yes", "trimester": 3}
    result = assess(C, answers, SELF)
    causes = [f.cause for f in result.likely_triggers]
    assert causes.index("medication") >= 4
    assert len(result.ask_doctor) == 4
    assert result.ask_doctor[-1] == C.doctor["review_medicines"].text
    assert DONT_STOP in result.ask_doctor[-1]


def test_sleep_apnea_can_never_be_quite_likely() -> None:
    """Our few items are not STOP-Bang: every signal together stays below high."""
    rule = next(c for c in C.causes if c.id == "sleep_apnea")
    assert sum(s.points for s in rule.signals if s.points > 0) < rule.high
    everything = {"snoring": "yes", "daytime_sleepy": "yes", "age": 110}
    assert found(everything) == {"sleep_apnea": "medium"}


def test_nothing_found_gives_the_default_steps() -> None:
    result = assess(C, {"urge": "no", "stress": "no"}, SELF)
    assert result.likely_triggers == ()
    assert result.next_steps == tuple(C.tonight[t].text for t in C.default_tonight)
    assert result.ask_doctor == tuple(C.doctor[d].text for d in C.default_doctor)


def test_reasons_use_the_persons_words_and_numbers() -> None:
    result = assess(C, {**RLS3, "nights_per_week": 5}, SELF)
    (rls,) = result.likely_triggers
    assert "it happens on 5 nights a week" in rls.because
    assert rls.because[0] == (
        "you get a strong urge to move your legs when you settle down in the evening or at night"
    )
    assert not any("worse in the evening" in b for b in rls.because)


def test_caregiver_reasons_and_advice_name_the_person() -> None:
    answers = {**RLS3, "stress": "yes", "numb_burning": "yes", "diabetes": "yes"}
    result = assess(C, answers, ROSE)
    text = " ".join(b for f in result.likely_triggers for b in f.because)
    assert "Rose gets a strong urge to move her legs when settling down in the evening or at " \
        "night" in text
    assert "Rose has been feeling stressed" in text
    assert "Rose feels mostly numbness" in text
    assert " you " not in f" {text} ".replace("you said", "")
    assert any("Rose's doctor" in d for d in result.ask_doctor)


def test_answers_are_returned_unchanged() -> None:
    answers: dict[str, object] = {"urge": "yes", "age": 70, "medications": [med("metformin")]}
    assert assess(C, answers, SELF).answers == answers


# ---- invariants over many answer sets -----------------------------------------------------


def _random_answers(rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    meds = [m.name for m in C.medications]
    for q in C.questions:
        if rng.random() < 0.25:
            continue
        if q.expect == "yes_no":
            answers[q.id] = rng.choice(["yes", "yes", "no", "unsure", "unknown", "skipped"])
        elif q.expect == "number":
            assert q.low is not None and q.high is not None
            answers[q.id] = rng.choice([rng.randint(q.low, q.high), "unsure", "unknown"])
        else:
            answers[q.id] = [med(n) for n in rng.sample(meds, rng.randint(0, 3))]
    return answers


def test_invariants_over_random_answers() -> None:
    rng = random.Random(20240601)
    flags = {f.question: f for f in C.red_flags}
    for _ in range(400):
        answers = _random_answers(rng)
        for person in (SELF, ROSE):
            result = assess(C, answers, person)
            causes = [f.cause for f in result.likely_triggers]
            assert len(causes) == len(set(causes))
            assert set(causes) <= set(CAUSE_IDS)
            for f in result.likely_triggers:
                assert f.because, f
            urgent = [q for q in flags if answers.get(q) in ("yes", "unsure")]
            sure = [q for q in urgent if answers.get(q) == "yes"]
            assert result.urgent == bool(urgent)
            assert len(result.urgent_reasons) == len(urgent)
            if any(flags[q].level == "emergency" for q in sure):
                assert result.ask_doctor == ()
                assert len(result.next_steps) == len(urgent)
            else:
                assert 1 <= len(result.ask_doctor) <= 4
                if "medication" in causes:
                    assert any(DONT_STOP in d for d in result.ask_doctor), answers
            assert all(f.likelihood != "high" for f in result.likely_triggers
                       if f.cause == "sleep_apnea")
            meds = answers.get("medications")
            if not (isinstance(meds, list) and any(
                    C.med_classes[m.drug_class].trigger for m in meds)):
                assert "medication" not in causes
            for text in (*result.next_steps, *result.ask_doctor):
                assert "{" not in text and "}" not in text, text
