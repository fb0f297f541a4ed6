"""Which relief steps to read tonight, and in what words: the steps listed in
``prompts/bedside.yaml``, each an advice tip that keeps its own exclusions (``not_if``) and
the cautions said before it, exactly as the check-in's summary applies them.

The facts come from the listener's last finished check-in. With none, nothing is known of a
clot, numb feet, age or drowsy medicines, so only the steps that no rule could exclude are
read: asking a safety question at 3 a.m. would cost a tired person turns, and the gentle
steps are enough for one episode (docs/decisions/023). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import rules
from ..content import Content
from ..messages import Person


@dataclass(frozen=True)
class ReliefPlan:
    steps: tuple[str, ...]
    """What is said, one item per turn; a caution comes as its own turn before its step."""
    tips: tuple[str, ...]
    """The advice ids the steps came from, in order."""
    known: bool
    """Whether the facts of a last check-in were used."""


def unexcludable(content: Content, tip: str) -> bool:
    """A tip no answer could rule out and no caution is said before."""
    if getattr(content.tonight[tip], "not_if", ()) or getattr(
            content.tonight[tip], "only_if_any", ()):
        return False
    return not any(tip in c.before for c in content.cautions)


def plan(content: Content, tips: tuple[str, ...], answers: Mapping[str, object] | None,
         person: Person) -> ReliefPlan:
    if answers is None:
        kept = tuple(t for t in tips if unexcludable(content, t))
        steps = tuple(rules.render(content.tonight[t].text, person) for t in kept)
        return ReliefPlan(steps, kept, known=False)
    if rules.signs_unknown(content, answers):
        # Warning signs reported but not gone through, or never asked about, count as "not
        # sure" about each, as in the summary: no rubbing or walking on a leg that may hold a
        # clot.
        signs = {f.question: "unsure" for f in content.red_flags}
        answers = {**signs, **{k: v for k, v in answers.items() if v not in rules.MISSING}}
    kept = tuple(t for t in tips if rules.allowed(t, content.tonight, content, answers, person))
    out: list[str] = []
    for t in kept:
        for caution in content.cautions:
            if t in caution.before and any(
                    rules.holds(c, answers, person) for c in caution.when_any):
                out.append(rules.render(caution.text, person))
        out.append(rules.render(content.tonight[t].text, person))
    return ReliefPlan(tuple(out), kept, known=True)
