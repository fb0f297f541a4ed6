"""Tables of the spoken natural-answer benchmark (``benchmarks.natural_spoken``): one result
per answer spoken, tallied by kind, its misses split by cause, and a summary row per run."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from benchmarks.typed import KINDS

CONDITIONS = {"quiet": None, "pink10": 10.0}
"""Condition name to signal-to-noise ratio in dB (None: no noise)."""
OUTCOMES = ("right", "asked", "read_back", "acted_on")


@dataclass
class Result:
    """One spoken answer and what became of it."""

    kind: str
    question: str
    text: str
    expect: str
    voice: str
    condition: str
    heard: str
    said: str
    """What the check-in made of it: an intent, or an answer's value."""
    outcome: str
    """One of ``OUTCOMES``."""
    flip: bool
    latency_ms: float
    open_heard: str = ""
    """What the engine's open pass heard (pocketsphinx's language model; Whisper: the text)."""
    confidence: float = 1.0
    """The recogniser's confidence, so the understanding can be re-scored without a re-run."""
    second: str = ""
    """Whisper: the yes/no answer heard again without the prompt ("" when not decoded)."""
    reason: str = ""
    """Why the engine turned the answer away ("" when it did not)."""
    alternative: str = ""
    """The other hearing offered to the understanding (``Transcript.alternative``)."""
    hypotheses: list[list[Any]] = field(default_factory=list)
    """Whisper: the beam's other hypotheses with the prompt, [text, mean log-probability]."""
    open_hypotheses: list[list[Any]] = field(default_factory=list)
    """Whisper: the same without the prompt (yes/no questions)."""
    probabilities: list[list[Any]] = field(default_factory=list)
    """Whisper: each token of a yes/no hearing kept, [piece, probability]."""


@dataclass
class Tally:
    n: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    flips: int = 0

    def add(self, result: Result) -> None:
        self.n += 1
        self.counts[result.outcome] += 1
        self.flips += result.flip


def tallies(results: Iterable[Result]) -> dict[str, Tally]:
    out = {k: Tally() for k in (*KINDS, "all")}
    for r in results:
        out[r.kind].add(r)
        out["all"].add(r)
    return out


def share(k: int, n: int) -> str:
    return f"{k} ({100 * k / n:.1f}%)" if n else "-"


def kind_table(results: list[Result]) -> str:
    lines = [f"{'kind':<12}{'n':>5}{'right':>15}{'asked again':>15}{'read back':>12}"
             f"{'acted on':>13}{'flips':>7}"]
    for kind, t in tallies(results).items():
        if t.n:
            c = t.counts
            lines.append(f"{kind:<12}{t.n:>5}{share(c['right'], t.n):>15}"
                         f"{share(c['asked'], t.n):>15}{c['read_back']:>12}"
                         f"{share(c['acted_on'], t.n):>13}{t.flips:>7}")
    return "\n".join(lines)


ERRORS = ("rejected", "not understood", "read back", "acted on", "...harmless", "flips")
HARMLESS = frozenset({"help", "repeat", "slower", "faster", "louder", "quieter"})
"""Controls that only say the question again or change the voice: "acted on" here counts
them, the listed-phrase benchmark calls them a harmless control (``benchmarks/trials.py``);
the breakdown gives both."""


def breakdown(results: list[Result]) -> str:
    """Every kind's misses by cause: turned away by the engine (rejected, or nothing heard),
    heard but not understood, wrong and read back, wrong and acted on (and how many of those
    were a harmless control); and the flips."""
    lines = [f"{'kind':<12}{'n':>5}{'right':>7}" + "".join(f"{e:>16}" for e in ERRORS)]
    for kind in (*KINDS, "all"):
        mine = [r for r in results if kind in (r.kind, "all")]
        if not mine:
            continue
        asked = [r for r in mine if r.outcome == "asked"]
        turned = sum(r.heard.startswith("(rejected") or not r.heard for r in asked)
        counts = (turned, len(asked) - turned,
                  sum(r.outcome == "read_back" for r in mine),
                  sum(r.outcome == "acted_on" for r in mine),
                  sum(r.outcome == "acted_on" and r.said in HARMLESS for r in mine),
                  sum(r.flip for r in mine))
        right = sum(r.outcome == "right" for r in mine)
        lines.append(f"{kind:<12}{len(mine):>5}{right:>7}" + "".join(f"{c:>16}" for c in counts))
    return "\n".join(lines)


def summary_table(runs: list[dict[str, Any]]) -> str:
    """One markdown row per engine, half, voice set and condition."""
    head = ("| engine | half (voices) | condition | right | asked again | wrong, read back | "
            "wrong and acted on | flips | latency median | peak memory | n |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [head]
    for run_ in runs:
        results = [Result(**r) for r in cast(list[dict[str, Any]], run_["results"])]
        for condition in CONDITIONS:
            mine = [r for r in results if r.condition == condition]
            if not mine:
                continue
            t = tallies(mine)["all"]
            c = t.counts
            lat = statistics.median(r.latency_ms for r in mine)
            rows.append(
                f"| {run_['engine']} | {run_['half']} ({run_['voices']}) | {condition} | "
                f"{share(c['right'], t.n)} | {share(c['asked'], t.n)} | "
                f"{share(c['read_back'], t.n)} | {share(c['acted_on'], t.n)} | {t.flips} | "
                f"{lat:.0f} ms | {run_['peak_mb']:.0f} MB | {t.n} |")
    return "\n".join(rows)
