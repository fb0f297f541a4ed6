"""Made-up weeks of real check-ins, for the tests, the benchmark and trying the report.

Each night is a real dialog over the real content, answered by one of a few personas
(question id to what is said), so the records carry what the check-in really concludes:
the causes, the advice, the warning signs, the summary.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from ..content import Content
from ..dialog import Dialog
from ..messages import Person
from ..understanding import Understander
from .record import Checkin, from_dialog

RLS = {"urge": "yes", "worse_at_rest": "yes", "relief_moving": "yes", "worse_evening": "yes",
       "position_once": "no", "age": "sixty eight"}
PERSONAS: Mapping[str, Mapping[str, str]] = {
    "restless_coffee": {**RLS, "nights_per_week": "five", "caffeine_alcohol": "yes"},
    "restless_sertraline": {**RLS, "nights_per_week": "six", "takes_medicines": "yes",
                            "medications": "sertraline", "stress": "yes"},
    "cramps": {"age": "sixty eight", "cramps": "yes"},
    "calm": {"age": "sixty eight"},
    "calf_red_flag": {"red_flag_any": "yes", "red_flag_calf": "yes", "age": "sixty eight"},
    "fever_red_flag": {**RLS, "red_flag_any": "yes", "red_flag_fever": "yes"},
    "saddle_red_flag": {**RLS, "red_flag_any": "yes", "red_flag_saddle": "yes"},
    "many_medicines": {**RLS, "takes_medicines": "yes", "nights_per_week": "seven",
                       "medications": "sertraline, quetiapine, metoclopramide, diphenhydramine,"
                                      " lithium, tramadol, ropinirole and furosemide"},
}
WEIGHTS = {"restless_coffee": 4, "restless_sertraline": 3, "cramps": 2, "calm": 3,
           "calf_red_flag": 0.15}


def answer(content: Content, understander: Understander, person: Person,
           replies: Mapping[str, str], stop_after: int | None = None) -> Dialog:
    """A dialog answered from ``replies`` ("no" to the rest) to its end, or cut short after
    ``stop_after`` answers."""
    d = Dialog(content, person)
    reply = d.start()
    turns = 0
    while not reply.done and not d.closing and turns < 80:
        if stop_after is not None and turns >= stop_after:
            break
        q = d.current_question
        assert q is not None and reply.expect is not None
        reply = d.hear(understander.understand(replies.get(q.id, "no"), reply.expect))
        turns += 1
    if not d.done:
        d.end_of_input()
    return d


def sample_nights(content: Content, last: date, nights: int, *, seed: int = 0,
                  person: Person | None = None, checked: float = 0.85,
                  weights: Mapping[str, float] = WEIGHTS) -> list[Checkin]:
    """About ``checked`` of the ``nights`` up to ``last`` with a check-in at bedtime, each
    answered by a persona drawn with ``weights``."""
    rng = random.Random(seed)
    person = person or Person()
    understander = Understander(content)
    made: dict[str, Dialog] = {}
    listener = person.name.strip().casefold() if person.caregiver else ""
    out = []
    for i in range(nights):
        night = last - timedelta(days=nights - 1 - i)
        if rng.random() > checked:
            continue
        persona = rng.choices(list(weights), weights=list(weights.values()))[0]
        # The same answers make the same dialog: each persona is run once and reused.
        if persona not in made:
            made[persona] = answer(content, understander, person, PERSONAS[persona])
        d = made[persona]
        started = datetime.combine(night, time(22, rng.randrange(60))).astimezone()
        out.append(from_dialog(d, started=started.astimezone(UTC),
                               ended=(started + timedelta(minutes=3)).astimezone(UTC),
                               finished=not d.stopped_early, listener=listener))
    return out
