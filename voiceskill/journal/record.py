"""One check-in as the journal keeps it: a frozen record made from the dialog. Pure.

Everything a doctor's report needs is taken from the dialog at the moment it ends: the
answers as understood, the likely causes with their reasons, the warning signs and what was
advised, and the summary that was spoken. No audio, ever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import rules
from ..dialog import Dialog
from ..messages import Medication

NIGHT_STARTS_AT_NOON = timedelta(hours=12)
"""A check-in at two in the morning belongs to the night that began the evening before."""
SYMPTOM_QUESTIONS = ("urge", "cramps", "sleep_starts", "numb_burning", "kicking",
                     "swelling_joints")
"""A yes (or not sure) to any of these means the legs bothered the person that night."""


@dataclass(frozen=True)
class Finding:
    cause: str
    likelihood: str
    reasons: tuple[str, ...]
    background: bool = False


@dataclass(frozen=True)
class Checkin:
    """One check-in, finished or cut short."""

    started: datetime
    ended: datetime
    listener: str
    """'' for the person answering for themself, else the name cared for, casefolded."""
    name: str
    caregiver: bool
    pronoun: str
    finished: bool
    stopped_early: bool
    answers: Mapping[str, object]
    """Question id to the value as understood; medicines as {name, said, class}."""
    findings: tuple[Finding, ...] = ()
    medicines: tuple[Mapping[str, str], ...] = ()
    red_flags: tuple[str, ...] = ()
    urgent_advice: tuple[str, ...] = ()
    tonight: tuple[str, ...] = ()
    doctor: tuple[str, ...] = ()
    urgent: bool = False
    emergency: bool = False
    summary: str = ""
    id: int | None = None

    @property
    def night(self) -> date:
        return night_of(self.started)

    @property
    def bothered(self) -> bool:
        return legs_bothered(self.answers)

    @property
    def nights_per_week(self) -> int | None:
        return _int(self.answers.get("nights_per_week"))

    @property
    def severity(self) -> int | None:
        """How bad, when the content asks it (a ``severity`` question); None otherwise."""
        return _int(self.answers.get("severity"))

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "started": self.started.isoformat(timespec="seconds"),
            "ended": self.ended.isoformat(timespec="seconds"),
            "night": self.night.isoformat(),
            "who": "self" if not self.caregiver else "caregiver",
            "name": self.name,
            "pronoun": self.pronoun,
            "finished": self.finished,
            "stopped_early": self.stopped_early,
            "bothered": self.bothered,
            "nights_per_week": self.nights_per_week,
            "severity": self.severity,
            "answers": dict(self.answers),
            "likely_triggers": [
                {"cause": f.cause, "likelihood": f.likelihood, "because": list(f.reasons),
                 **({"background": True} if f.background else {})}
                for f in self.findings
            ],
            "medicines": [dict(m) for m in self.medicines],
            "red_flags": list(self.red_flags),
            "urgent_advice": list(self.urgent_advice),
            "tonight": list(self.tonight),
            "ask_doctor": list(self.doctor),
            "urgent": self.urgent,
            "emergency": self.emergency,
            "summary": self.summary,
        }


def night_of(moment: datetime) -> date:
    """The local date of the evening the night began."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return (local - NIGHT_STARTS_AT_NOON).date()


def legs_bothered(answers: Mapping[str, object]) -> bool:
    return any(answers.get(q) in ("yes", "unsure") for q in SYMPTOM_QUESTIONS)


def from_dialog(dialog: Dialog, *, started: datetime, ended: datetime, finished: bool,
                listener: str, summary_text: str | None = None) -> Checkin:
    """The record of a dialog as it stands: finished, or cut short part-way."""
    result = dialog.assessment()
    answers = {q: jsonable(v) for q, v in dialog.answers.items()}
    person = dialog.person
    if summary_text is None:
        summary_text = " ".join(line for line in dialog.summary_lines() if line)
    medicines: list[Mapping[str, str]] = []
    for value in dialog.answers.values():
        if isinstance(value, list):
            medicines += [m.to_json() for m in value if isinstance(m, Medication)]
    return Checkin(
        started=started,
        ended=ended,
        listener=listener,
        name=person.name.strip() if person.caregiver else "",
        caregiver=person.caregiver,
        pronoun=person.pronoun,
        finished=finished,
        stopped_early=dialog.stopped_early,
        answers=answers,
        findings=tuple(Finding(f.cause, f.likelihood, f.because, f.background)
                       for f in result.likely_triggers),
        medicines=tuple(medicines),
        red_flags=result.urgent_reasons,
        urgent_advice=tuple(rules.urgent_advice(dialog.content, dialog.answers, person)),
        tonight=result.next_steps,
        doctor=result.ask_doctor,
        urgent=result.urgent,
        emergency=result.emergency,
        summary=summary_text,
    )


def jsonable(value: object) -> object:
    if isinstance(value, Medication):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = ["SYMPTOM_QUESTIONS", "Checkin", "Finding", "from_dialog", "legs_bothered",
           "night_of"]
