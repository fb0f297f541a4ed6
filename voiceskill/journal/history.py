"""The week as the journal remembers it: the history sentence in tonight's summary, and the
short spoken answer to "how was this week?". Pure: the journal is only read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, cast

from .. import summary
from ..content import Content
from ..dialog import Dialog
from ..messages import Assessment, Person
from ..wording import Wording, capital
from .record import Checkin, legs_bothered
from .store import Journal

WEEK = 7


@dataclass(frozen=True)
class EarlierNights:
    """The nights of this week before tonight, read from the journal when a check-in starts."""

    tonight: date
    bothered: Mapping[date, bool] = field(default_factory=dict)
    """Each night with a check-in: whether the legs bothered the person (any check-in)."""
    triggers: Mapping[date, frozenset[str]] = field(default_factory=dict)
    """Each night's likely causes."""

    @classmethod
    def from_checkins(cls, checkins: Sequence[Checkin], tonight: date) -> EarlierNights:
        first = tonight - timedelta(days=WEEK - 1)
        bothered: dict[date, bool] = {}
        triggers: dict[date, set[str]] = {}
        for c in checkins:
            if not first <= c.night <= tonight:
                continue
            bothered[c.night] = bothered.get(c.night, False) or c.bothered
            triggers.setdefault(c.night, set()).update(f.cause for f in c.findings)
        return cls(tonight, bothered, {n: frozenset(t) for n, t in triggers.items()})

    def with_tonight(self, content: Content, answers: Mapping[str, object],
                     result: Assessment) -> summary.History:
        """This week including tonight's answers, as the summary's history sentence needs."""
        earlier = [n for n in self.bothered if n < self.tonight]
        nights = {*earlier, self.tonight}
        bothered = sum(1 for n in earlier if self.bothered[n])
        bothered += legs_bothered(answers) or self.bothered.get(self.tonight, False)
        kinds = {c.id: c for c in content.causes}
        top = next((f.cause for f in result.likely_triggers
                    if f.cause in kinds and kinds[f.cause].kind == "trigger"), "")
        if not top:
            return summary.History(len(earlier), bothered, len(nights))
        times = 1 + sum(1 for n in nights - {self.tonight} if top in self.triggers.get(n, ()))
        return summary.History(len(earlier), bothered, len(nights), kinds[top].title, times)


@dataclass
class DialogWithHistory(Dialog):
    """The check-in, whose summary may say one sentence about the week."""

    earlier: EarlierNights | None = None

    def summary_lines(self) -> list[str]:
        result = self.assessment()
        history = (None if self.earlier is None
                   else self.earlier.with_tonight(self.content, self.answers, result))
        return summary.spoken_summary(self.content, result, self.answers, self.person,
                                      history=history)


def week_in_words(journal: Journal, name: str | None, today: date,
                  content: Content | None = None) -> str:
    """The short spoken answer to "how was this week?" for the person answering for
    themself (``name`` None) or the person cared for."""
    if content is None:
        from .. import content as content_mod

        content = content_mod.load(None)
    first = today - timedelta(days=WEEK - 1)
    checkins = journal.checkins("" if name is None else name, since=first, until=today)
    reliefs = journal.reliefs("" if name is None else name, since=first, until=today)
    person = Person(caregiver=name is not None, name=(name or "").strip(),
                    pronoun=_pronoun(checkins))
    return " ".join(week_lines(content, checkins, len(reliefs), person))


def week_lines(content: Content, checkins: Sequence[Checkin], reliefs: int,
               person: Person) -> list[str]:
    w = Wording(content, person)
    nights = {c.night for c in checkins}
    if not nights:
        return [w.say("week_none")]
    bothered = len({c.night for c in checkins if c.bothered})
    lines = [capital(w.say("week_all_nights", count=bothered)) if len(nights) >= WEEK
             else capital(w.counted("week_checked", len(nights), count=bothered,
                                    checked=len(nights)))]
    titles = {c.id: c.title for c in content.causes if c.kind == "trigger"}
    counts = Counter(cause for n in nights for cause in
                     {f.cause for c in checkins if c.night == n for f in c.findings}
                     if cause in titles)
    if counts:
        cause, times = counts.most_common(1)[0]
        if times >= 2:
            lines.append(w.say("week_trigger", title=capital(titles[cause]), count=times))
    flagged = sorted({c.night for c in checkins if c.urgent})
    if flagged:
        days = " and ".join(n.strftime("%A") for n in flagged[:2])
        lines.append(w.say("week_warning", when=days))
    if reliefs:
        lines.append(w.counted("week_reliefs", reliefs, count=reliefs))
    return lines


def _pronoun(checkins: Sequence[Checkin]) -> Literal["she", "he", "they"]:
    for c in reversed(checkins):
        if c.pronoun in ("she", "he", "they"):
            return cast(Literal["she", "he", "they"], c.pronoun)
    return "they"
