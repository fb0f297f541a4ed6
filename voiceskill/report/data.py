"""What the doctor's report shows, counted from the journal. Pure: check-ins in, figures out.

A night is counted once however many check-ins it had: a person who checked in twice on a
bad night had one bad night. Every count on the page comes from here, so the tests compare
these figures with the journal and the page with these figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..content import Content
from ..journal.record import Checkin

TOP_TRIGGERS = 6
TOP_DOCTOR = 5
TOP_MEDICINES = 6
RED_FLAG_KINDS = 3
"""The page holds this many kinds of warning sign, most recent first; the rest are counted
in one line."""


@dataclass(frozen=True)
class Night:
    day: date
    checked: bool
    bothered: bool
    nights_per_week: int | None
    """The last number said that night for "how many nights a week"."""
    severity: int | None
    urgent: bool


@dataclass(frozen=True)
class Medicine:
    name: str
    said: str
    kind: str
    """The class in plain words ("an antidepressant of the SSRI kind")."""
    since: date
    """The first night it was mentioned in the journal."""
    bothered_before: tuple[int, int]
    """Nights the legs bothered, of the nights checked, before it was first mentioned."""
    bothered_since: tuple[int, int]


@dataclass(frozen=True)
class RedFlag:
    """One kind of warning sign, with every night it was reported."""

    reason: str
    advice: str
    days: tuple[date, ...]


@dataclass(frozen=True)
class ReportData:
    who: str
    """"yourself" or the name of the person cared for."""
    caregiver: bool
    first: date
    last: date
    generated: datetime
    checkins: int
    nights: tuple[Night, ...]
    triggers: tuple[tuple[str, int], ...]
    """Likely causes (title, nights it was likely), most frequent first."""
    medicines: tuple[Medicine, ...]
    red_flags: tuple[RedFlag, ...]
    """Every kind reported, the most recently reported first."""
    doctor: tuple[tuple[str, int], ...]
    """What to raise with the doctor, with how many nights it came up."""
    reliefs: int
    cut_short: int

    @property
    def nights_checked(self) -> int:
        return sum(1 for n in self.nights if n.checked)

    @property
    def nights_bothered(self) -> int:
        return sum(1 for n in self.nights if n.bothered)

    @property
    def red_flag_nights(self) -> int:
        return sum(1 for n in self.nights if n.urgent)


def build(content: Content, checkins: Sequence[Checkin], *, who: str, caregiver: bool,
          last: date, days: int, reliefs: int = 0, generated: datetime | None = None
          ) -> ReportData:
    first = last - timedelta(days=days - 1)
    kept = [c for c in checkins if first <= c.night <= last]
    by_night: dict[date, list[Checkin]] = {}
    for c in kept:
        by_night.setdefault(c.night, []).append(c)
    nights = tuple(_night(first + timedelta(days=i), by_night.get(first + timedelta(days=i), []))
                   for i in range(days))
    titles = {c.id: c.title for c in content.causes}
    trigger_nights: Counter[str] = Counter()
    doctor: Counter[str] = Counter()
    for group in by_night.values():
        trigger_nights.update({f.cause for c in group for f in c.findings})
        doctor.update({d for c in group for d in c.doctor})
    return ReportData(
        who=who,
        caregiver=caregiver,
        first=first,
        last=last,
        generated=generated or datetime.now().astimezone(),
        checkins=len(kept),
        nights=nights,
        triggers=tuple((titles.get(cause, cause.replace("_", " ")), n)
                       for cause, n in _ranked(trigger_nights)[:TOP_TRIGGERS]),
        medicines=_medicines(content, kept, nights),
        red_flags=_red_flags(kept),
        doctor=tuple(_ranked(doctor)[:TOP_DOCTOR]),
        reliefs=reliefs,
        cut_short=sum(1 for c in kept if not c.finished),
    )


def _red_flags(kept: Sequence[Checkin]) -> tuple[RedFlag, ...]:
    days: dict[str, list[date]] = {}
    advice: dict[str, str] = {}
    for c in kept:
        if not c.urgent:
            continue
        # rules.assess lists the reasons and the advice in the same order, sign by sign.
        for i, reason in enumerate(c.red_flags):
            if c.night not in days.setdefault(reason, []):
                days[reason].append(c.night)
            if i < len(c.urgent_advice):
                advice.setdefault(reason, c.urgent_advice[i])
    flags = [RedFlag(reason, advice.get(reason, ""), tuple(sorted(d)))
             for reason, d in days.items()]
    return tuple(sorted(flags, key=lambda f: (f.days[-1], f.reason), reverse=True))


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    # Most frequent first; ties in a fixed order so the page is the same on every run.
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _night(day: date, group: list[Checkin]) -> Night:
    numbers = [c.nights_per_week for c in group if c.nights_per_week is not None]
    severities = [c.severity for c in group if c.severity is not None]
    return Night(day, bool(group), any(c.bothered for c in group),
                 numbers[-1] if numbers else None, max(severities) if severities else None,
                 any(c.urgent for c in group))


def _medicines(content: Content, kept: Sequence[Checkin], nights: Sequence[Night]
               ) -> tuple[Medicine, ...]:
    first_seen: dict[str, tuple[date, dict[str, str]]] = {}
    for c in kept:
        for m in c.medicines:
            if m["name"] not in first_seen:
                first_seen[m["name"]] = (c.night, dict(m))
    out = []
    for name, (since, m) in sorted(first_seen.items(), key=lambda item: (item[1][0], item[0])):
        kind = content.med_classes[m["class"]].plain if m["class"] in content.med_classes \
            else m["class"].replace("_", " ")
        before = [n for n in nights if n.checked and n.day < since]
        after = [n for n in nights if n.checked and n.day >= since]
        out.append(Medicine(name, m["said"], kind, since,
                            (sum(n.bothered for n in before), len(before)),
                            (sum(n.bothered for n in after), len(after))))
    return tuple(out)
