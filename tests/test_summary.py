"""The summary a tired person can follow: at most 110 words (45 seconds at 145 words a
minute), sentences of 20 words or fewer, the grammar right for every cause name; the
details behind it in sentences just as short."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from voiceskill import content as content_mod
from voiceskill import summary
from voiceskill.dialog import Dialog
from voiceskill.messages import Medication, Person
from voiceskill.rules import assess

ROOT = Path(__file__).resolve().parent.parent
C = content_mod.load(ROOT / "prompts")
PEOPLE = [Person(), Person(pronoun="he"), Person(True, "Rose", "she"),
          Person(True, "Walter", "he"), Person(True, "Sam", "they"), Person(True, "", "she")]


def _sentences(text: str) -> list[str]:
    # Numbers such as "116 123" and "B12." stay inside their sentence.
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip()) if s]


def _random_answers(rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in C.questions:
        if rng.random() < 0.3:
            continue
        if q.expect == "yes_no":
            answers[q.id] = rng.choice(["yes", "yes", "no", "no", "unsure", "unknown"])
        elif q.expect == "number":
            assert q.low is not None and q.high is not None
            answers[q.id] = rng.randint(q.low, q.high)
        else:
            picks = rng.sample(list(C.medications), rng.randint(0, 3))
            answers[q.id] = [Medication(m.name, (m.said or (m.name,))[0], m.drug_class, m.tier)
                             for m in picks]
    return answers


def _spoken(answers: dict[str, Any], person: Person) -> tuple[list[str], list[str]]:
    result = assess(C, answers, person)
    return (summary.spoken_summary(C, result, answers, person),
            summary.details(C, result, answers, person))


def test_every_summary_fits_45_seconds_in_short_sentences() -> None:
    rng = random.Random(20261206)
    longest = 0
    for i in range(600):
        answers = _random_answers(rng)
        person = PEOPLE[i % len(PEOPLE)]
        spoken, details = _spoken(answers, person)
        words = sum(len(line.split()) for line in spoken)
        longest = max(longest, words)
        assert words <= summary.MAX_SUMMARY_WORDS, (words, spoken)
        for line in (*spoken, *details):
            for sentence in _sentences(line):
                assert len(sentence.split()) <= summary.MAX_SENTENCE_WORDS, sentence
    assert longest > 60, "the random answers should reach long summaries"


def test_every_content_text_is_in_short_sentences() -> None:
    """Advice, red flags and reasons are written in sentences of 20 words or fewer."""
    texts = [t.text for t in (*C.tonight.values(), *C.doctor.values())]
    texts += [c.text for c in C.cautions] + [f.advice for f in C.red_flags]
    if C.unresolved is not None:
        texts.append(C.unresolved.advice)
    for t in texts:
        for variant in (t.text, t.caregiver):
            for sentence in _sentences(variant or ""):
                assert len(sentence.split()) <= summary.MAX_SENTENCE_WORDS, sentence


def test_plural_cause_names_are_marked() -> None:
    """The names that take "are" are exactly the plural ones."""
    plural = {c.id for c in C.causes if c.plural}
    assert plural == {"leg_cramps", "sleep_starts", "periodic_limb_movements", "neuropathy"}


@pytest.mark.parametrize("cause", list(C.causes), ids=[c.id for c in C.causes])
def test_each_cause_name_agrees_with_its_verb(cause: content_mod.Cause) -> None:
    (finding,) = _findings_for(cause.id)
    line = summary.Wording(C, Person()).finding_line(finding, finding.because[0])
    if cause.kind == "condition":
        verb = "are" if cause.plural else "is"
        assert line.lower().startswith(f"{cause.title} {verb} ".lower()), line
        other = "is" if cause.plural else "are"
        assert f"{cause.title} {other} ".lower() not in line.lower(), line
    else:
        assert line.endswith(("worsen restless legs.", "on restless legs.")), line


def _findings_for(cause_id: str) -> list[Any]:
    support: dict[str, dict[str, object]] = {
        "restless_legs_syndrome": {"urge": "yes", "worse_at_rest": "yes", "relief_moving": "yes",
                                   "worse_evening": "yes"},
        "leg_cramps": {"cramps": "yes"}, "positional_discomfort": {"position_once": "yes"},
        "sleep_starts": {"sleep_starts": "yes"},
        "akathisia": {"akathisia": "yes", "medications": [
            Medication("quetiapine", "Seroquel", "antipsychotic", "B")]},
        "other_leg_problem": {"swelling_joints": "yes"}, "iron_deficiency": {"low_iron": "yes"},
        "medication": {"medications": [Medication("sertraline", "Zoloft", "ssri", "A")]},
        "stress": {"stress": "yes"}, "caffeine_alcohol": {"caffeine_alcohol": "yes"},
        "pregnancy": {"pregnant": "yes"}, "kidney_disease": {"kidney_disease": "yes"},
        "periodic_limb_movements": {"kicking": "yes"}, "sleep_apnea": {"snoring": "yes"},
        "neuropathy": {"numb_burning": "yes"},
    }
    result = assess(C, support[cause_id], Person())
    return [f for f in result.likely_triggers if f.cause == cause_id]


def test_the_summary_keeps_the_order_a_clinician_would() -> None:
    answers: dict[str, object] = {
        "red_flag_calf": "yes", "urge": "yes", "worse_at_rest": "yes", "relief_moving": "yes",
        "worse_evening": "yes", "medications": [Medication("sertraline", "Zoloft", "ssri", "A")],
    }
    spoken, _ = _spoken(answers, Person())
    text = " ".join(spoken)
    order = ["Most important:", "Here is what I found.", "Restless legs syndrome is",
             "To raise with your doctor:", "not a diagnosis", "tell me more"]
    at = [text.index(x) for x in order]
    assert at == sorted(at), text
    assert "don't stop a prescribed medicine" in text


def test_tell_me_more_reads_the_details_and_anything_else_says_good_night() -> None:
    from voiceskill.understanding import Understander

    u = Understander(C)
    for said, details in (("tell me more", True), ("yes please", True), ("no thanks", False),
                          ("goodnight", False), (None, False)):
        d = Dialog(C, Person())
        reply = d.start()
        for answer in ("no", "sixty", "no", "yes", "yes", "yes", "yes"):
            assert reply.expect is not None
            reply = d.hear(u.understand(answer, reply.expect))
        assert reply.expect is not None
        reply = d.end_of_input() if said is None else d.hear(u.understand("stop", reply.expect))
        assert reply.summary and not reply.done and "tell me more" in reply.text
        assert reply.expect is not None
        last = d.end_of_input() if said is None else d.hear(u.understand(said, reply.expect))
        assert last.done and d.done
        assert ("Here are the details." in last.text) is details, (said, last.text)
        assert last.text.endswith("Good night.")
