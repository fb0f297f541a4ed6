"""Cause rules: answers in, likely triggers with reasons out. Pure; driven by prompts/rules.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from .content import LEVELS, Cause, Condition, Content, RedFlag, Text
from .messages import Assessment, Finding, Medication, Person

MISSING = ("unknown", "skipped", None)
"""Answers that say nothing: a question missed twice, skipped, or never asked."""

RED_FLAG_ANSWERS = ("yes", "unsure")
"""Safety first: "not sure" to a red-flag question gives its advice as a "yes" does."""

ALWAYS_ASK_DOCTOR = ("review_medicines",)
"""Doctor advice kept within the cap whenever a finding gives it: the medicine review is
where "don't stop any prescribed medicine" is said."""

_RANK = {level: i for i, level in enumerate(LEVELS)}
_SEVERITY = {"emergency": 0, "urgent": 1}


def raised(flag: RedFlag, answers: Mapping[str, object]) -> bool:
    """Whether a red flag's advice is due: its question was answered yes or not sure."""
    return answers.get(flag.question) in RED_FLAG_ANSWERS


def ends_checkin(flag: RedFlag, answers: Mapping[str, object]) -> bool:
    """Only a plain yes to an end_checkin flag ends the check-in; "not sure" carries on."""
    return flag.end_checkin and answers.get(flag.question) == "yes"


def red_flag_questions(content: Content) -> set[str]:
    """Every question that asks about a warning sign, the safety question among them."""
    ids = {f.question for f in content.red_flags}
    if content.unresolved is not None:
        ids.add(content.unresolved.question)
    return ids


def unresolved(content: Content, answers: Mapping[str, object]) -> bool:
    """A warning sign was reported but not gone through: the person stopped, skipped, fell
    silent or the input ended before every emergency sign was asked, or before any sign was
    found. Its advice covers every sign."""
    u = content.unresolved
    if u is None or answers.get(u.question) not in RED_FLAG_ANSWERS:
        return False
    signs = [f for f in content.red_flags if f.question != u.question
             and _asked_with(f.question, u.question, content)]
    if any(answers.get(f.question) == "yes" and f.level == "emergency" for f in signs):
        return False
    missing = [f for f in signs if answers.get(f.question) in MISSING]
    found = any(raised(f, answers) for f in signs)
    return any(f.level == "emergency" for f in missing) or (bool(missing) and not found)


def signs_unknown(content: Content, answers: Mapping[str, object]) -> bool:
    """Whether the warning signs are not known to be absent: one was reported and not gone
    through (``unresolved``), or the safety question itself was never answered (a stop or
    silence at the first question). Either way no tip may assume there is no clot."""
    u = content.unresolved
    if u is None:
        return False
    return unresolved(content, answers) or answers.get(u.question) in MISSING


def _asked_with(qid: str, safety: str, content: Content) -> bool:
    """Whether a sign's question is one the safety question leads to (not the self-harm
    question, which low mood leads to)."""
    return any(c.question == safety for c in content.question(qid).ask_if)


def urgent_flags(content: Content, answers: Mapping[str, object]) -> list[RedFlag]:
    """The red flags raised, the most serious first (emergency before same-day)."""
    flags = [f for f in content.red_flags if raised(f, answers)]
    return sorted(flags, key=lambda f: _SEVERITY[f.level])


def urgent_advice(content: Content, answers: Mapping[str, object], person: Person) -> list[str]:
    """What to do now, most serious first: the red flags raised, and for a warning sign not
    gone through, the advice that covers every sign."""
    texts = [render(f.advice, person) for f in urgent_flags(content, answers)]
    if unresolved(content, answers):
        assert content.unresolved is not None
        texts.insert(0, render(content.unresolved.advice, person))
    return texts


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
    if cond.pronoun is not None:
        return person.pronoun == cond.pronoun
    value = answers.get(cond.question or "")
    if value in MISSING or (value == "unsure" and not cond.is_):
        return cond.or_unknown
    if cond.is_:
        return value in cond.is_
    if cond.class_in:
        return bool(_meds_in(value, cond.class_in, cond.tier_in))
    if not isinstance(value, int) or isinstance(value, bool):
        return cond.or_unknown
    if cond.below is not None and not value < cond.below:
        return False
    return not (cond.at_least is not None and not value >= cond.at_least)


def _meds_in(value: object, classes: tuple[str, ...], tiers: tuple[str, ...] = ()
             ) -> list[Medication]:
    if not isinstance(value, list):
        return []
    return [m for m in value if isinstance(m, Medication) and m.drug_class in classes
            and (not tiers or m.tier in tiers)]


def _reasons(signal_when: Condition, because: Text, content: Content,
             answers: Mapping[str, object], person: Person) -> list[str]:
    if signal_when.class_in:
        meds = _meds_in(answers.get(signal_when.question or ""), signal_when.class_in,
                        signal_when.tier_in)
        return [render(because, person, medicine=m.said,
                       plain=content.med_classes[m.drug_class].plain) for m in meds]
    return [render(because, person, value=answers.get(signal_when.question or ""))]


def _level(cause: Cause, score: int) -> str | None:
    if score >= cause.high:
        return "high"
    if score >= cause.medium:
        return "medium"
    if score >= cause.low:
        return "low"
    return None


def _capped(level: str, cap: str) -> str:
    return cap if _RANK[level] < _RANK[cap] else level


def evaluate(
    cause: Cause, content: Content, answers: Mapping[str, object], person: Person
) -> Finding | None:
    """The finding for one cause, or None when the answers don't support it.

    Points add up to a level. Then: an essential feature answered no makes the cause
    unlikely (with the reason); one unsure or unanswered keeps it at most possible; a
    look-alike caps it; support resting only on "not sure" answers keeps it at most
    possible; a trigger with no leg symptoms to support it is at most a small possibility.
    """
    if not all(holds(c, answers, person) for c in cause.requires):
        return None
    score, reasons, caps, sure = 0, [], [], False
    fired_own = [s for s in cause.signals
                 if not s.requires_fired and holds(s.when, answers, person)]
    if not any(s.points > 0 for s in fired_own):
        return None
    followers = [s for s in cause.signals if s.requires_fired and holds(s.when, answers, person)]
    for signal in (*fired_own, *followers):
        reasons += _reasons(signal.when, signal.because, content, answers, person)
        score += signal.points
        if signal.cap:
            caps.append(signal.cap)
        if signal.points > 0 and not signal.requires_fired:
            sure = sure or answers.get(signal.when.question or "") != "unsure"
    level = _level(cause, score)
    if level is None:
        return None
    if not sure:
        caps.append("medium")
    unmet = []
    for crit in cause.criteria:
        value = answers.get(crit.when.question or "")
        if value in MISSING or value == "unsure":
            caps.append("medium")
        elif not holds(crit.when, answers, person):
            unmet.append(render(crit.unmet, person))
    if unmet:
        return Finding(cause.id, "unlikely", tuple(unmet), score)
    background = bool(cause.symptoms) and not any(
        holds(c, answers, person) for c in cause.symptoms
    )
    if background:
        caps.append("low")
    for cap in caps:
        level = _capped(level, cap)
    return Finding(cause.id, level, tuple(reasons), score, background)  # type: ignore[arg-type]


def findings(content: Content, answers: Mapping[str, object], person: Person
             ) -> tuple[list[Finding], list[Finding]]:
    """The causes the answers support, most likely first (those resting on a background fact
    alone after the rest), and the causes whose essential features were not met."""
    order = {c.id: i for i, c in enumerate(content.causes)}
    found = [f for c in content.causes if (f := evaluate(c, content, answers, person))]
    likely = [f for f in found if f.likelihood != "unlikely"]
    likely.sort(key=lambda f: (f.background, _RANK[f.likelihood], -f.score, order[f.cause]))
    return likely, [f for f in found if f.likelihood == "unlikely"]


def allowed(tip_id: str, table: Mapping[str, object], content: Content,
            answers: Mapping[str, object], person: Person) -> bool:
    """Whether a tip may be given to this person: none of its ``not_if`` holds (no walking
    on a leg that may hold a clot, no heat on feet that may not feel a burn)."""
    tip = table[tip_id]
    if any(holds(c, answers, person) for c in getattr(tip, "not_if", ())):
        return False
    only = getattr(tip, "only_if_any", ())
    return not only or any(holds(c, answers, person) for c in only)


def _tonight_ids(content: Content, top: list[Finding], answers: Mapping[str, object],
                 person: Person) -> list[str]:
    by_id = {c.id: c for c in content.causes}
    ids = _interleave([by_id[f.cause].tonight for f in top])
    for t in content.default_tonight:
        if len(ids) >= 2:
            break
        if t not in ids:
            ids.append(t)
    return [t for t in ids if allowed(t, content.tonight, content, answers, person)]


def tonight_steps(content: Content, top: list[Finding], answers: Mapping[str, object],
                  person: Person, limit: int) -> list[str]:
    """Calming steps for tonight that suit this person, each caution just before the step
    it is for (sit on the edge of the bed first, before getting up to walk). A warning sign
    reported but not gone through, or a safety question never answered, counts, for this, as
    "not sure" about every sign."""
    if signs_unknown(content, answers):
        assert content.unresolved is not None
        signs = [f.question for f in content.red_flags
                 if _asked_with(f.question, content.unresolved.question, content)]
        answers = {**{q: "unsure" for q in signs},
                   **{k: v for k, v in answers.items() if v not in MISSING}}
    ids = _tonight_ids(content, top, answers, person)
    if not ids:
        ids = [t for t in ("calm_breathing", "distraction") if t in content.tonight]
    steps: list[str] = []
    for t in ids[:limit]:
        for caution in content.cautions:
            if t in caution.before and any(holds(c, answers, person) for c in caution.when_any):
                text = render(caution.text, person)
                if text not in steps:
                    steps.append(text)
        steps.append(render(content.tonight[t].text, person))
    return steps


def doctor_items(content: Content, found: list[Finding], answers: Mapping[str, object],
                 person: Person, limit: int) -> list[str]:
    """What to raise with a doctor: each cause's first item before anyone's second; the
    medicine review (with "don't stop any prescribed medicine") kept whenever it is due."""
    by_id = {c.id: c for c in content.causes}
    ids = _interleave([by_id[f.cause].ask_doctor for f in found])
    ids = [d for d in ids if allowed(d, content.doctor, content, answers, person)]
    if not ids:
        ids = list(content.default_doctor)
    kept = ids[:limit]
    for must in ALWAYS_ASK_DOCTOR:
        if kept and must in ids and must not in kept:
            kept[-1] = must
    return [render(content.doctor[d].text, person) for d in kept]


def assess(
    content: Content,
    answers: Mapping[str, object],
    person: Person,
    max_steps: int = 3,
    max_doctor: int = 4,
) -> Assessment:
    """Red flags first (most serious first), then every supported cause, most likely first,
    with the next steps that suit this person."""
    flags = urgent_flags(content, answers)
    reasons = [f.reason if answers.get(f.question) == "yes" else f"not sure whether {f.reason}"
               for f in flags]
    if unresolved(content, answers):
        assert content.unresolved is not None
        reasons.insert(0, content.unresolved.reason)
    advice = urgent_advice(content, answers, person)
    emergency = any(f.level == "emergency" and answers.get(f.question) == "yes" for f in flags)
    likely, not_likely = findings(content, answers, person)
    steps = advice + tonight_steps(content, likely[:3], answers, person, max_steps)
    doctor = doctor_items(content, likely, answers, person, max_doctor)
    if emergency:
        # In an emergency the only next step is getting help; calming tips would distract.
        steps, doctor = advice, []
    return Assessment(
        likely_triggers=tuple(likely),
        urgent=bool(reasons),
        urgent_reasons=tuple(reasons),
        next_steps=tuple(steps),
        ask_doctor=tuple(doctor),
        answers=dict(answers),
        not_likely=tuple(not_likely),
        emergency=emergency,
    )


def _interleave(lists: list[tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for items in lists:
            if i < len(items) and items[i] not in out:
                out.append(items[i])
    return out
