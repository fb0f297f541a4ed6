"""Typed natural answers: how often the text understanding takes them the way they were meant.

Reads the corpus in ``benchmarks/corpus/`` (see its README) and understands every answer as
the check-in would at its question, for oneself. Each answer is one of:

- right: the meaning it was labelled with (talk that is not an answer: ``unknown``);
- asked again: ``unknown``, so the check-in asks again with examples;
- wrong: anything else, which the check-in acts on.

A polarity flip is a yes taken as a no or a no as a yes. Two lists, each split once into a
tuning half and a held-out half, are reported half by half: the first list (``tuning``,
``held_out``) and a second, independent one drawn from published answer forms
(``research_tuning``, ``research_held_out``; docs/decisions/032). Only tuning halves may be
looked at answer by answer.

A third list, ``dev_answers``, is a development list (docs/decisions/035): wordings from
published sources in none of the other lists, written to find what the reading misses and
tuned on openly. It is not split and is no measure of how the reading generalises; it is
reported on its own line. A second development list, ``dev_answers_2`` (docs/decisions/037),
was written the same way, measured once before any reading was changed for it.

    python -m benchmarks.typed [--half NAME|dev|both|tuned|all] [--misses]   (from the project root)

``all`` (the default) is all four halves and the development lists, with a last table of one
line each; ``both`` the first list's two halves; ``dev`` the two development lists; ``tuned``
the lists that may be looked at answer by answer (the two tuning halves and the development
lists).
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from voiceskill import content as content_mod
from voiceskill.content import Content
from voiceskill.dialog import expectation
from voiceskill.messages import Medication, Person, Understood
from voiceskill.understanding import Understander

CORPUS = Path(__file__).resolve().parent / "corpus"
HALVES = ("tuning", "held_out")
RESEARCH = ("research_tuning", "research_held_out")
DEV = "dev_answers"
DEV2 = "dev_answers_2"
DEVS = (DEV, DEV2)
TUNING_HALVES = ("tuning", "research_tuning", *DEVS)
SEED = 20261206
KINDS = ("yes_no", "control", "number", "medicine", "not_answer")


@dataclass(frozen=True)
class Item:
    kind: str
    question: str
    text: str
    expect: str
    source: str


@dataclass
class Tally:
    n: int = 0
    right: int = 0
    asked: int = 0
    wrong: int = 0
    flips: int = 0
    misses: list[tuple[Item, str]] = field(default_factory=list)


def load(half: str, corpus: Path = CORPUS) -> list[Item]:
    """The answers of one half (a name in ``HALVES``, ``RESEARCH`` or ``DEVS``), in file
    order."""
    with (corpus / f"{half}.tsv").open(newline="", encoding="utf-8") as f:
        return [Item(**row) for row in csv.DictReader(f, delimiter="\t")]


def split(items: Iterable[Item], seed: int = SEED) -> tuple[list[Item], list[Item]]:
    """A list split once into a tuning and a held-out half, the way both lists were split:
    by phrase (the same words said at two questions, or as two kinds, stay in one half),
    stratified by kind and meaning (a phrase's stratum is that of its first saying), the
    phrases of each stratum shuffled with ``seed`` and dealt alternately, tuning first, the
    dealing running on from one stratum to the next.
    Each half keeps the list's order."""
    items = list(items)
    phrases: dict[str, list[Item]] = {}
    for item in items:
        phrases.setdefault(" ".join(item.text.lower().split()), []).append(item)
    strata: dict[tuple[str, str], list[str]] = {}
    for phrase, said in phrases.items():
        strata.setdefault((said[0].kind, said[0].expect), []).append(phrase)
    rng = random.Random(seed)
    tuning: set[str] = set()
    dealt = 0  # dealing runs on across strata, so strata of one phrase do not all go first
    for stratum in sorted(strata):
        keys = sorted(strata[stratum])
        rng.shuffle(keys)
        for key in keys:
            if dealt % 2 == 0:
                tuning.add(key)
            dealt += 1
    first = [i for i in items if " ".join(i.text.lower().split()) in tuning]
    second = [i for i in items if " ".join(i.text.lower().split()) not in tuning]
    return first, second


def _said(u: Understood) -> str:
    """What the understanding made of an answer, in the corpus's own terms."""
    if u.intent != "answer":
        return u.intent
    if isinstance(u.value, list):
        names = [m.name for m in u.value if isinstance(m, Medication)]
        return ",".join(sorted(names)) if names else "none"
    return str(u.value)


def judge(item: Item, u: Understood) -> tuple[str, bool]:
    """("right" | "asked" | "wrong", whether a yes became a no or a no a yes)."""
    said = _said(u)
    if item.kind == "yes_no" and item.question == "takes_medicines" and u.intent == "answer":
        # Medicine names said at "Do you take any medicines?" are a yes; "none" is a no.
        said = {"none": "no"}.get(said, said if said in ("yes", "no", "unsure") else "yes")
    if item.kind == "medicine" and u.intent == "answer" and isinstance(u.value, list):
        expected = ",".join(sorted(item.expect.split(","))) if "," in item.expect else item.expect
    else:
        expected = item.expect
    accepted = set(expected.split("|")) if item.kind == "number" else {expected}
    if said in accepted:
        return "right", False
    if u.intent == "unknown":
        return "asked", False
    flip = item.kind == "yes_no" and {said, item.expect} == {"yes", "no"}
    return "wrong", flip


def measure(items: Iterable[Item], content: Content | None = None) -> dict[str, Tally]:
    """Tallies by kind, and ``all``."""
    content = content or content_mod.load()
    understander = Understander(content)
    tallies = {k: Tally() for k in (*KINDS, "all")}
    for item in items:
        expect = expectation(content.question(item.question), Person())
        u = understander.understand(item.text, expect)
        outcome, flip = judge(item, u)
        for t in (tallies[item.kind], tallies["all"]):
            t.n += 1
            t.right += outcome == "right"
            t.asked += outcome == "asked"
            t.wrong += outcome == "wrong"
            t.flips += flip
        if outcome != "right":
            why = f" ({u.reason})" if u.reason else ""
            tallies[item.kind].misses.append((item, _said(u) + why))
    return tallies


def table(title: str, tallies: dict[str, Tally], first: str = "kind") -> str:
    w = max(12, *(len(k) + 2 for k in tallies))
    lines = [title, f"{first:<{w}}{'n':>5}{'right':>16}{'asked again':>14}{'wrong':>8}{'flips':>7}"]
    for kind, t in tallies.items():
        if not t.n:
            continue
        share = f"{t.right} ({100 * t.right / t.n:.1f}%)"
        lines.append(f"{kind:<{w}}{t.n:>5}{share:>16}{t.asked:>14}{t.wrong:>8}{t.flips:>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=(*HALVES, *RESEARCH, *DEVS, "dev", "both", "tuned",
                                           "all"), default="all")
    parser.add_argument("--misses", action="store_true",
                        help="list every answer not taken right (tuning halves and the "
                             "development lists only)")
    args = parser.parse_args(argv)
    content = content_mod.load()
    chosen = {"both": HALVES, "tuned": TUNING_HALVES, "dev": DEVS,
              "all": (*HALVES, *RESEARCH, *DEVS)}.get(args.half, (args.half,))
    totals: dict[str, Tally] = {}
    for half in chosen:
        tallies = measure(load(half), content)
        totals[half.replace("_", "-")] = tallies["all"]
        title = (f"development list {half.replace('_', '-')} (not split)" if half in DEVS
                 else f"{half.replace('_', '-')} half")
        print(table(title, tallies))
        if args.misses and half in TUNING_HALVES:
            for kind in KINDS:
                for item, said in tallies[kind].misses:
                    print(f"  {kind:<11} {item.question:<16} {item.text!r}: "
                          f"expected {item.expect}, got {said}")
        print()
    if len(totals) > 1:
        print(table("every half, all kinds", totals, "half"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
