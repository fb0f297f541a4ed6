"""Cause rules: answers in, likely triggers with reasons out. Pure; driven by prompts/rules.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from .content import Cause, Condition, Content, RedFlag, Text
from .messages import Assessment, Finding, Medication, Person

MISSING = ("unknown", "skipped", None)
"""Answers that say nothing: a question missed twice, skipped, or never asked."""

RED_FLAG_ANSWERS = ("yes", "unsure")
"""Safety first: "not sure" to a red-flag question gives its advice as a "yes" does."""

ALWAYS_ASK_DOCTOR = ("review_medicines",)
"""Doctor advice kept within the cap whenever a finding gives it: the medicine review is
where "don't stop any prescribed medicine" is said."""


def raised(flag: RedFlag, answers: Mapping[str, object]) -> bool:
    """Whether a red flag's advice is due: its question was answered yes or not sure."""
    return answers.get(flag.question) in RED_FLAG_ANSWERS


def ends_checkin(flag: RedFlag, answers: Mapping[str, object]) -> bool:
    """Only a plain yes to an end_checkin flag ends the check-in; "not sure" carries on."""
    return flag.end_checkin and answers.get(flag.question) == "yes"


def render(text: Text, person: Person, **slots: object) -> str:
    """Fill a content text for this person: the caregiver wording when there is one."""
    template = text.caregiver if person.caregiver and text.caregiver else text.text
    return template.format(**person.slots(), **{k: str(v) for k, v in slots.items()})


def holds(cond: Condition, answers: Mapping[str, object], person: Person) -> bool:
    """Whether a condition from questions.yaml or rules.yaml holds for these answers."""
    if cond.mode is not None:
        return person.caregiver == (cond.mode == "caregiver")
    if cond.pronoun_not is not None:
        return person.pronoun != cond.pronoun_not
    value = answers.get(cond.question or "")
    if value in MISSING or (value == "unsure" and not cond.is_):
        return cond.or_unknown
    if cond.is_:
        return value in cond.is_
    if cond.class_in:
        return bool(_meds_in(value, cond.class_in))
    if not isinstance(value, int) or isinstance(value, bool):
        return cond.or_unknown
    if cond.below is not None and not value < cond.below:
        return False
    return not (cond.at_least is not None and not value >= cond.at_least)


def _meds_in(value: object, classes: tuple[str, ...]) -> list[Medication]:
    if not isinstance(value, list):
        return []
    return [m for m in value if isinstance(m, Medication) and m.drug_class in classes]


def evaluate(
    cause: Cause, content: Content, answers: Mapping[str, object], person: Person
) -> Finding | None:
    """The finding for one cause, or None when the answers don't support it."""
    if not all(holds(c, answers, person) for c in cause.requires):
        return None
    score = 0
    own_positive = False
    reasons: list[str] = []
    followers = []
    for signal in cause.signals:
        if not holds(signal.when, answers, person):
            continue
        if signal.requires_fired:
            followers.append(signal)
            continue
        if signal.when.class_in:
            for med in _meds_in(answers.get(signal.when.question or ""), signal.when.class_in):
                plain = content.med_classes[med.drug_class].plain
                reasons.append(render(signal.because, person, medicine=med.said, plain=plain))
        else:
            reasons.append(
                render(signal.because, person, value=answers.get(signal.when.question or ""))
            )
        score += signal.points
        own_positive = own_positive or signal.points > 0
    if not own_positive:
        return None
    for signal in followers:
        score += signal.points
        reasons.append(
            render(signal.because, person, value=answers.get(signal.when.question or ""))
        )
    if score >= cause.high:
        level = "high"
    elif score >= cause.medium:
        level = "medium"
    elif score >= cause.low:
        level = "low"
    else:
        return None
    return Finding(cause.id, level, tuple(reasons), score)  # type: ignore[arg-type]


_RANK = {"high": 0, "medium": 1, "low": 2}


def assess(
    content: Content,
    answers: Mapping[str, object],
    person: Person,
    max_steps: int = 3,
    max_doctor: int = 4,
) -> Assessment:
    """Red flags first, then every supported cause, most likely first, with next steps.

    Next steps come from the three most likely causes; doctor advice from every cause found,
    each one's first item before anyone's second. The medicine review (with "don't stop any
    prescribed medicine") is kept whenever a medicine trigger is found, even when four other
    items would fill the list: it takes the last place.
    """
    urgent_reasons: list[str] = []
    urgent_advice: list[str] = []
    emergency = False
    for flag in content.red_flags:
        if not raised(flag, answers):
            continue
        sure = answers.get(flag.question) == "yes"
        urgent_reasons.append(flag.reason if sure else f"not sure whether {flag.reason}")
        urgent_advice.append(render(flag.advice, person))
        # "Not sure" gives the advice first, but the check-in and the rest of the advice go on.
        emergency = emergency or (sure and flag.level == "emergency")
    order = {c.id: i for i, c in enumerate(content.causes)}
    findings = [f for c in content.causes if (f := evaluate(c, content, answers, person))]
    findings.sort(key=lambda f: (_RANK[f.likelihood], -f.score, order[f.cause]))
    by_id = {c.id: c for c in content.causes}
    top = findings[:3]

    # Take each cause's first step before anyone's second, so the causes all get a say.
    tonight_ids = _interleave([by_id[f.cause].tonight for f in top])
    doctor_ids = _interleave([by_id[f.cause].ask_doctor for f in findings])
    for t in content.default_tonight:
        if len(tonight_ids) >= 2:
            break
        if t not in tonight_ids:
            tonight_ids.append(t)
    if not doctor_ids:
        doctor_ids = list(content.default_doctor)
    steps = urgent_advice + [render(content.tonight[t], person) for t in tonight_ids[:max_steps]]
    kept = doctor_ids[:max_doctor]
    for must in ALWAYS_ASK_DOCTOR:
        if kept and must in doctor_ids and must not in kept:
            kept[-1] = must
    doctor = [render(content.doctor[d], person) for d in kept]
    if emergency:
        # In an emergency the only next step is getting help; calming tips would distract.
        steps, doctor = urgent_advice, []
    return Assessment(
        likely_triggers=tuple(findings),
        urgent=bool(urgent_reasons),
        urgent_reasons=tuple(urgent_reasons),
        next_steps=tuple(steps),
        ask_doctor=tuple(doctor),
        answers=dict(answers),
    )


def _interleave(lists: list[tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for items in lists:
            if i < len(items) and items[i] not in out:
                out.append(items[i])
    return out
