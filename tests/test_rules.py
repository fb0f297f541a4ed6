"""rules.assess on its own: edge cases of the cause rules, and the safety wording.

Expected likelihoods follow prompts/rules.yaml, checked against the clinical reference: a
cause is never named without something said for it; restless legs needs all four essential
features, and look-alikes lower it; follow-up answers only add to a cause that something
else supports; a background fact alone is a small possibility; red flags come first, most
serious first, and no step works a leg that may hold a clot or warms numb feet; medicines
are never to be stopped on one's own.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import Dialog
from voiceskill.messages import Medication, Person
from voiceskill.rules import assess, render

ROOT = Path(__file__).resolve().parent.parent
C = content_mod.load(ROOT / "prompts")
SELF = Person()
ROSE = Person(caregiver=True, name="Rose", pronoun="she")
DONT_STOP = "don't stop a prescribed medicine on your own"


def med(name: str) -> Medication:
    entry = next(m for m in C.medications if m.name == name)
    said = entry.said[0] if entry.said else entry.name
    return Medication(entry.name, said.title(), entry.drug_class, entry.tier)


def found(answers: dict[str, object], person: Person = SELF) -> dict[str, str]:
    return {f.cause: f.likelihood for f in assess(C, answers, person).likely_triggers}


def not_likely(answers: dict[str, object]) -> set[str]:
    return {f.cause for f in assess(C, answers, SELF).not_likely}


# The four IRLSSG essential features (§1.1): urge, worse at rest, eased by moving, worse in
# the evening.
RLS4: dict[str, object] = {"urge": "yes", "worse_at_rest": "yes", "relief_moving": "yes",
                           "worse_evening": "yes"}
URGE = {"urge": "yes"}
"""Leg symptoms that fit: a trigger found with them is more than a background fact."""

CASES: list[tuple[str, dict[str, object], dict[str, str]]] = [
    ("nothing answered", {}, {}),
    ("every answer no", {q.id: "no" for q in C.questions if q.expect == "yes_no"}, {}),
    ("all unsure", {q.id: "unsure" for q in C.questions}, {}),
    ("all unknown", {q.id: "unknown" for q in C.questions}, {}),
    ("all skipped", {q.id: "skipped" for q in C.questions}, {}),
    # restless legs: all four features reach high; a feature not answered keeps it at most
    # possible; one answered no makes it not likely (below)
    ("urge alone", {"urge": "yes"}, {"restless_legs_syndrome": "low"}),
    ("urge not sure", {"urge": "unsure", "worse_at_rest": "yes", "relief_moving": "yes"}, {}),
    ("features without the urge", {"urge": "no", "worse_at_rest": "yes",
                                   "relief_moving": "yes"}, {}),
    ("urge, worse at rest", {"urge": "yes", "worse_at_rest": "yes"},
     {"restless_legs_syndrome": "medium"}),
    ("urge, twice a week", {"urge": "yes", "nights_per_week": 2},
     {"restless_legs_syndrome": "low"}),
    ("all four", RLS4, {"restless_legs_syndrome": "high"}),
    ("all four, twice a week", {**RLS4, "nights_per_week": 2},
     {"restless_legs_syndrome": "high"}),
    ("all four, nights not sure", {**RLS4, "nights_per_week": "unsure"},
     {"restless_legs_syndrome": "high"}),
    ("three features, evening not asked", {**RLS4, "worse_evening": "skipped"},
     {"restless_legs_syndrome": "medium"}),
    ("three features, relief not sure", {**RLS4, "relief_moving": "unsure"},
     {"restless_legs_syndrome": "medium"}),
    ("all four, one change of position ends it", {**RLS4, "position_once": "yes"},
     {"restless_legs_syndrome": "medium", "positional_discomfort": "high"}),
    ("all four with numb feet", {**RLS4, "nights_per_week": 7, "numb_burning": "yes"},
     {"restless_legs_syndrome": "medium", "neuropathy": "medium"}),
    ("all four with swelling or joint pain", {**RLS4, "swelling_joints": "yes"},
     {"restless_legs_syndrome": "medium", "other_leg_problem": "medium"}),
    # look-alikes with outcomes of their own
    ("cramps", {"cramps": "yes"}, {"leg_cramps": "high"}),
    ("sleep starts", {"sleep_starts": "yes"}, {"sleep_starts": "high"}),
    ("akathisia needs a dopamine blocker", {"akathisia": "yes"}, {}),
    # low iron: high 4, medium 2; with no leg symptoms, a background fact
    ("low iron alone", {"low_iron": "yes"}, {"iron_deficiency": "low"}),
    ("low iron with an urge", {"low_iron": "yes", "urge": "yes"},
     {"iron_deficiency": "medium", "restless_legs_syndrome": "low"}),
    ("low iron, heavy periods, urge", {"low_iron": "yes", "heavy_periods": "yes", **URGE},
     {"iron_deficiency": "high", "restless_legs_syndrome": "low"}),
    ("pregnant alone does not name low iron", {"pregnant": "yes", "trimester": 2},
     {"pregnancy": "low"}),
    # medicines, with leg symptoms (the urge) so that the evidence grade shows
    ("no medicines", {"medications": []}, {}),
    ("medicines not sure", {"medications": "unsure"}, {}),
    ("non-triggers only", {"medications": [med("metformin"), med("bupropion"),
                                           med("lisinopril"), med("trazodone")]}, {}),
    ("a medicine alone is a background fact", {"medications": [med("mirtazapine")]},
     {"medication": "low"}),
    ("one trigger among others", {**URGE, "medications": [med("metformin"), med("quetiapine")]},
     {"medication": "high", "restless_legs_syndrome": "low"}),
]


MEDICINES: list[tuple[str, str]] = [
    # tier A and B, strong signals (mirtazapine 28%, dopamine blockers with case series,
    # sedating antihistamines): quite likely; SSRIs, SNRIs (5-10%), tricyclics, lithium,
    # tramadol: possible; class only (tier C): a small possibility
    ("mirtazapine", "high"), ("olanzapine", "high"), ("metoclopramide", "high"),
    ("doxylamine", "high"), ("diphenhydramine", "high"),
    ("sertraline", "medium"), ("venlafaxine", "medium"), ("amitriptyline", "medium"),
    ("lithium", "medium"), ("tramadol", "medium"),
    ("aripiprazole", "low"), ("meclizine", "low"), ("sleep aid", "low"),
    ("diazepam", ""), ("zolpidem", ""), ("furosemide", ""), ("domperidone", ""),
    ("ropinirole", ""),
]


@pytest.mark.parametrize(("name", "level"), MEDICINES, ids=[n for n, _ in MEDICINES])
def test_medicines_weigh_by_their_evidence(name: str, level: str) -> None:
    got = found({**URGE, "medications": [med(name)]}).get("medication", "")
    assert got == level


@pytest.mark.parametrize(("answers", "want"), [(a, w) for _, a, w in CASES],
                         ids=[n for n, _, _ in CASES])
def test_each_cause_only_when_supported(answers: dict[str, object], want: dict[str, str]
                                        ) -> None:
    assert found(answers) == want


@pytest.mark.parametrize("cls", sorted(c for c, mc in C.med_classes.items() if mc.trigger))
def test_every_trigger_class_is_reported_with_its_plain_words(cls: str) -> None:
    entry = next(m for m in C.medications if m.drug_class == cls)
    result = assess(C, {**URGE, "medications": [med(entry.name)]}, SELF)
    (finding,) = [f for f in result.likely_triggers if f.cause == "medication"]
    assert C.med_classes[cls].plain in finding.because[0]
    assert med(entry.name).said in finding.because[0]


def test_each_trigger_medicine_gives_its_own_reason() -> None:
    """The stronger triggers are named first, then the SSRI-type ones, each in the order
    said; a medicine that is no trigger is not named."""
    answers = {**URGE, "medications": [med("sertraline"), med("diphenhydramine"),
                                       med("metformin"), med("venlafaxine"), med("quetiapine")]}
    (finding,) = [f for f in assess(C, answers, SELF).likely_triggers if f.cause == "medication"]
    assert finding.likelihood == "high"
    assert len(finding.because) == 4
    assert ["Benadryl" in finding.because[0], "Seroquel" in finding.because[1],
            "Zoloft" in finding.because[2], "Effexor" in finding.because[3]] == [True] * 4
    assert not any("metformin" in b.lower() for b in finding.because)


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
    tips = (*C.doctor.values(), *C.tonight.values())
    texts = [t.text.text for t in tips] + [t.text.caregiver for t in tips if t.text.caregiver]
    for t in texts:
        low = t.lower()
        assert "stop taking" not in low and "stop your" not in low, t


SIGNS = [f.question for f in C.red_flags if f.question != "self_harm"]
NO_SIGNS = {q: "no" for q in SIGNS}


def test_emergency_next_steps_are_only_the_emergency_advice() -> None:
    answers = {**RLS4, "nights_per_week": 7, "red_flag_any": "yes", **NO_SIGNS,
               "red_flag_breathing": "yes", "medications": [med("quetiapine")],
               "stress": "yes"}
    result = assess(C, answers, SELF)
    flag = next(f for f in C.red_flags if f.question == "red_flag_breathing")
    assert result.urgent is True and result.emergency is True
    assert result.urgent_reasons == (flag.reason,)
    assert result.next_steps == (flag.advice.text,)
    assert result.ask_doctor == ()


def test_emergency_and_calf_together_give_both_emergency_first_and_nothing_else() -> None:
    answers = {"red_flag_any": "yes", **NO_SIGNS, "red_flag_calf": "yes",
               "red_flag_stroke": "yes", "stress": "yes"}
    result = assess(C, answers, ROSE)
    assert len(result.next_steps) == 2
    assert "stroke" in result.next_steps[0] and "blood clot" in result.next_steps[1]
    assert all("Rose" in s for s in result.next_steps)
    assert result.ask_doctor == ()


def test_urgent_advice_is_ordered_by_severity_not_by_file_order() -> None:
    answers = {"red_flag_any": "yes", **NO_SIGNS, "red_flag_calf": "yes",
               "red_flag_breathing": "unsure"}
    result = assess(C, answers, SELF)
    assert result.emergency is False
    assert "Chest pain" in result.next_steps[0] and "blood clot" in result.next_steps[1]


def test_calf_advice_comes_first_and_no_step_works_that_leg() -> None:
    result = assess(C, {"red_flag_calf": "yes", **RLS4, "stress": "yes"}, SELF)
    calf = next(f for f in C.red_flags if f.question == "red_flag_calf")
    assert result.urgent is True
    assert result.next_steps[0] == calf.advice.text
    assert len(result.next_steps) > 1
    steps = " ".join(result.next_steps[1:]).lower()
    for word in ("walk", "massage", "warm bath", "stretch your calves"):
        assert word not in steps
    assert result.ask_doctor, "an urgent (not emergency) flag keeps the doctor advice"


@pytest.mark.parametrize("tip", sorted(t for t, tip in C.tonight.items() if tip.not_if))
def test_every_exclusion_keeps_its_tip_out(tip: str) -> None:
    """Each tip with not_if is given when nothing excludes it, and never when one holds."""
    cause = next(c for c in C.causes if tip in c.tonight)
    base = {**_supporting(cause.id), **SAFE}
    steps = assess(C, base, SELF, max_steps=9).next_steps
    assert render(C.tonight[tip].text, SELF) in steps, (tip, steps)
    for cond in C.tonight[tip].not_if:
        value: object = cond.is_[0] if cond.is_ else 0
        steps = assess(C, {**base, str(cond.question): value}, SELF, max_steps=9).next_steps
        assert render(C.tonight[tip].text, SELF) not in steps, (tip, cond)


SAFE: dict[str, object] = {"red_flag_any": "no"}
"""The safety question answered no: without it nothing is known about a clot, and no tip
that moves or warms a leg is given (test_no_safety_answer_moves_no_leg)."""


def test_no_safety_answer_moves_no_leg() -> None:
    for answers in ({**RLS4}, {**RLS4, "red_flag_any": "skipped"}):
        steps = assess(C, answers, SELF, max_steps=9).next_steps
        for tip in ("walk_stretch", "massage", "warm_bath"):
            assert render(C.tonight[tip].text, SELF) not in steps, (answers, tip)
    steps = assess(C, {**RLS4, **SAFE}, SELF, max_steps=9).next_steps
    assert render(C.tonight["walk_stretch"].text, SELF) in steps


def _supporting(cause: str) -> dict[str, object]:
    support: dict[str, dict[str, object]] = {
        "restless_legs_syndrome": RLS4, "leg_cramps": {"cramps": "yes"},
        "other_leg_problem": {"swelling_joints": "yes"},
        "pregnancy": {"pregnant": "yes", **URGE},
    }
    return support[cause]


@pytest.mark.parametrize(("extra", "warned"), [
    ({"age": 80}, True), ({"age": 74}, False),
    ({"age": 60, "medications": [med("zolpidem")]}, True),
    ({"age": 60, "medications": [med("diphenhydramine")]}, True),
    ({"age": 60, "medications": [med("metformin")]}, False),
])
def test_falls_warning_before_getting_up(extra: dict[str, object], warned: bool) -> None:
    steps = assess(C, {**RLS4, **SAFE, **extra}, SELF).next_steps
    caution = render(C.cautions[0].text, SELF)
    walk = render(C.tonight["walk_stretch"].text, SELF)
    assert walk in steps
    assert (caution in steps) is warned
    if warned:
        assert steps.index(caution) == steps.index(walk) - 1


def test_iron_cause_search_only_for_men_and_after_the_menopause() -> None:
    text = render(C.doctor["find_iron_cause"].text, SELF)
    answers = {"low_iron": "yes", **RLS4}
    assert text in assess(C, {**answers, "age": 40}, Person(pronoun="he")).ask_doctor
    assert text in assess(C, {**answers, "age": 60}, SELF).ask_doctor
    assert text not in assess(C, {**answers, "age": 40}, SELF).ask_doctor


@pytest.mark.parametrize("value", ["unknown", "skipped", None])
def test_a_warning_sign_not_gone_through_is_urgent(value: object) -> None:
    """Yes to the safety question, then the signs left unanswered (stop, skip, silence, end
    of input): the advice that covers every sign comes first."""
    answers = {"red_flag_any": "yes", **{q: value for q in SIGNS}, **RLS4}
    result = assess(C, answers, SELF)
    assert C.unresolved is not None
    assert result.urgent is True
    assert result.urgent_reasons[0] == C.unresolved.reason
    assert result.next_steps[0] == C.unresolved.advice.text
    assert not any("walk" in s.lower() for s in result.next_steps)


def test_every_sign_answered_no_is_not_urgent() -> None:
    result = assess(C, {"red_flag_any": "yes", **NO_SIGNS}, SELF)
    assert result.urgent is False and result.urgent_reasons == ()


@pytest.mark.parametrize("question", ["red_flag_breathing", "red_flag_calf"])
def test_not_sure_to_a_red_flag_gives_its_advice_first(question: str) -> None:
    """Safety first: "not sure" is urgent with the flag's reason and its advice first, but
    it is no emergency stop: the tonight steps and doctor advice follow."""
    flag = next(f for f in C.red_flags if f.question == question)
    answers = {"red_flag_any": "yes", **NO_SIGNS, question: "unsure", **RLS4, "stress": "yes"}
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
    d.answers.update({"red_flag_any": "yes", **NO_SIGNS, "red_flag_breathing": "unsure",
                      **RLS4})
    lines = d.summary_lines()
    flag = next(f for f in C.red_flags if f.question == "red_flag_breathing")
    assert lines[0] == "Most important: " + flag.advice.text
    assert "Here is what I found." in lines
    assert d.assessment().urgent is True


def test_an_essential_feature_answered_no_makes_restless_legs_not_likely() -> None:
    for feature in ("worse_at_rest", "relief_moving", "worse_evening"):
        answers = {**RLS4, feature: "no", "nights_per_week": 7}
        assert "restless_legs_syndrome" not in found(answers)
        assert not_likely(answers) == {"restless_legs_syndrome"}
    result = assess(C, {**RLS4, "relief_moving": "no"}, SELF)
    assert result.not_likely[0].because == ("moving doesn't ease it",)


def test_not_sure_alone_never_makes_a_cause_more_than_possible() -> None:
    """A cause whose every own signal fired on "not sure" is at most possible."""
    for cause in C.causes:
        for signal in cause.signals:
            if "unsure" in signal.when.is_ and not signal.requires_fired:
                answers: dict[str, object] = {str(signal.when.question): "unsure"}
                assert found(answers).get(cause.id) in (None, "medium", "low")


def test_a_background_fact_alone_ranks_below_symptoms() -> None:
    answers = {"cramps": "yes", "pregnant": "yes", "trimester": 3, "kidney_disease": "yes",
               "dialysis": "yes"}
    result = assess(C, answers, SELF)
    assert result.likely_triggers[0].cause == "leg_cramps"
    background = [f for f in result.likely_triggers if f.background]
    assert {f.cause for f in background} == {"pregnancy", "kidney_disease"}
    assert all(f.likelihood == "low" for f in background)


MANY: dict[str, object] = {**RLS4, "nights_per_week": 7, "medications": [med("diphenhydramine")],
        "caffeine_alcohol": "yes", "stress": "yes", "low_iron": "yes",
        "kidney_disease": "yes", "dialysis": "yes", "kicking": "yes", "snoring": "yes",
        "daytime_sleepy": "yes", "age": 70, "pregnant": "no"}


def test_triggers_are_ordered_most_likely_first() -> None:
    result = assess(C, MANY, SELF)
    rank = {"high": 0, "medium": 1, "low": 2}
    levels = [rank[f.likelihood] for f in result.likely_triggers]
    assert levels == sorted(levels)
    assert len(result.likely_triggers) > 3


def test_at_most_two_causes_in_the_spoken_summary() -> None:
    d = Dialog(C, SELF)
    d.answers.update(MANY)
    result = d.assessment()
    text = " ".join(d.summary_lines()).lower()
    named = [f.cause for f in result.likely_triggers
             if f.because[0].lower() in text]
    assert named == [f.cause for f in result.likely_triggers[:len(named)]]
    assert 1 <= len(named) <= 2


def test_next_steps_come_from_the_top_three() -> None:
    result = assess(C, MANY, SELF)
    top = {f.cause for f in result.likely_triggers[:3]}
    rest = {f.cause for f in result.likely_triggers[3:]}
    by_id = {c.id: c for c in C.causes}
    allowed = {C.tonight[t].text.text for c in top for t in by_id[c].tonight}
    allowed |= {c.text.text for c in C.cautions}
    only_rest = {C.tonight[t].text.text for c in rest for t in by_id[c].tonight} - allowed
    assert only_rest, "the test needs a tonight step that only a lower cause gives"
    assert set(result.next_steps) <= allowed
    cautions = {c.text.text for c in C.cautions}
    assert len([s for s in result.next_steps if s not in cautions]) <= 3


def test_medicine_ranked_low_still_gets_the_review_advice() -> None:
    """Causes ahead with their own doctor items: the medicine review takes the last place
    rather than be cut."""
    answers = {**RLS4, "nights_per_week": 7, "medications": [med("sertraline")],
               "kidney_disease": "yes", "dialysis": "yes", "numb_burning": "yes",
               "diabetes": "yes", "kicking": "yes", "cramps": "yes"}
    result = assess(C, answers, SELF)
    causes = [f.cause for f in result.likely_triggers]
    assert causes.index("medication") >= 4
    assert len(result.ask_doctor) == 4
    assert result.ask_doctor[-1] == C.doctor["review_medicines"].text.text
    assert DONT_STOP in result.ask_doctor[-1]


@pytest.mark.parametrize(("answers", "person", "level"), [
    ({"snoring": "yes"}, SELF, "low"),
    ({"snoring": "yes", "breathing_pauses": "yes"}, SELF, "medium"),
    ({"snoring": "yes", "daytime_sleepy": "yes", "age": 60}, SELF, "medium"),
    ({"snoring": "yes", "breathing_pauses": "yes", "age": 60}, Person(pronoun="he"), "high"),
    ({"snoring": "yes", "daytime_sleepy": "yes", "age": 60}, Person(pronoun="he"), "high"),
    ({"snoring": "yes", "age": 60}, Person(pronoun="he"), "medium"),
    ({"daytime_sleepy": "yes", "age": 60}, Person(pronoun="he"), ""),
])
def test_sleep_apnea_counts_its_items(answers: dict[str, object], person: Person,
                                      level: str) -> None:
    """Snoring, observed pauses, daytime tiredness, age over fifty and male sex, one each
    (in the spirit of STOP-Bang, §8): four reach high; it needs snoring or pauses."""
    assert found(answers, person).get("sleep_apnea", "") == level


def test_nothing_found_gives_the_default_steps() -> None:
    result = assess(C, {"urge": "no", "stress": "no", **SAFE}, SELF)
    assert result.likely_triggers == ()
    assert result.next_steps == tuple(C.tonight[t].text.text for t in C.default_tonight)
    assert result.ask_doctor == tuple(C.doctor[d].text.text for d in C.default_doctor)


def test_reasons_use_the_persons_words_and_numbers() -> None:
    result = assess(C, {**RLS4, "nights_per_week": 5}, SELF)
    (rls,) = result.likely_triggers
    assert "it happens on 5 nights a week" in rls.because
    assert rls.because[0] == "you feel an urge to move your legs at night"


def test_caregiver_reasons_and_advice_name_the_person() -> None:
    answers = {**RLS4, "stress": "yes", "numb_burning": "yes", "diabetes": "yes"}
    result = assess(C, answers, ROSE)
    text = " ".join(b for f in result.likely_triggers for b in f.because)
    assert "Rose feels an urge to move her legs at night" in text
    assert "Rose has been feeling stressed" in text
    assert "Rose's feet feel numb or burning" in text
    assert " you " not in f" {text} ".replace("you said", "")
    assert any("Rose's" in d for d in result.ask_doctor)


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
            assert set(causes) <= set(C.cause_ids)
            for f in (*result.likely_triggers, *result.not_likely):
                assert f.because, f
            raised = [q for q in flags if answers.get(q) in ("yes", "unsure")]
            emergency = any(flags[q].level == "emergency" and answers.get(q) == "yes"
                            for q in raised)
            assert result.emergency == emergency
            if raised:
                assert result.urgent
            if emergency:
                assert result.ask_doctor == ()
            elif not result.urgent:
                assert 1 <= len(result.ask_doctor) <= 4
                if "medication" in causes:
                    assert any(DONT_STOP in d for d in result.ask_doctor), answers
            steps = " ".join(result.next_steps).lower()
            if answers.get("red_flag_calf") in ("yes", "unsure"):
                assert "walk slowly" not in steps and "massage" not in steps
            if answers.get("numb_burning") in ("yes", "unsure"):
                assert "warm bath" not in steps
            meds = answers.get("medications")
            if not (isinstance(meds, list) and any(
                    C.med_classes[m.drug_class].trigger for m in meds)) and (
                    answers.get("augmentation") != "yes"):
                assert "medication" not in causes
            for text in (*result.next_steps, *result.ask_doctor):
                assert "{" not in text and "}" not in text, text


def test_the_dopamine_medicine_review_is_only_for_dopamine_medicines() -> None:
    text = render(C.doctor["review_dopamine_medicine"].text, SELF)
    on_ssri = assess(C, {**URGE, "medications": [med("sertraline")]}, SELF)
    assert text not in on_ssri.ask_doctor
    on_ropinirole = assess(C, {**URGE, "medications": [med("ropinirole")],
                               "augmentation": "yes"}, SELF)
    assert text in on_ropinirole.ask_doctor
    assert "stop" not in text.lower().replace("don't stop", "")
