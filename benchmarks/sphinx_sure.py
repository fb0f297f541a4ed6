"""The built-in engine's read-back rule (``voiceskill.engines.sphinx_sure``) tried on stored
hearings: the natural answers of one half recorded once through pocketsphinx (the grammar's
answer before the open-pass checks, and the open pass's timed words with their posteriors),
then every rule applied offline. The checks change no decoding, so this is exact for the
recordings. Tuning half only: the held-out half is measured once, by ``natural_spoken``.

    python -m benchmarks.sphinx_sure record --condition pink10 --out benchmarks/out/sure-pink.json
    python -m benchmarks.sphinx_sure score benchmarks/out/sure-*.json
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.listed_items import QUICK_SNRS, QUICK_VOICES, cases
from benchmarks.natural_spoken import (
    VOICE_SETS,
    _NoEars,
    audio_for,
    build,
    person_for,
    sample,
    score,
    speaking,
)
from benchmarks.natural_tables import CONDITIONS
from benchmarks.noise_beds import audio_for as listed_audio
from benchmarks.run import TimedAudio
from benchmarks.trials import outcome as listed_outcome
from benchmarks.typed import Item, load
from voiceskill import content as content_mod
from voiceskill.dialog import Dialog, expectation
from voiceskill.engines import sphinx_agree, sphinx_sure
from voiceskill.messages import Transcript, Word
from voiceskill.session import Session
from voiceskill.understanding import Understander

RULES: dict[str, sphinx_sure.Sureness | None] = {
    "as before (no support rule)": None,
    "as in 034 (controls carried out unless contradicted)": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset(), word_support=False),
    "shipped": sphinx_sure.SHIPPED,
    "answers not doubted": replace(sphinx_sure.SHIPPED, doubt=None),
    "nothing doubted": replace(sphinx_sure.SHIPPED, doubt=None, control_doubt=None),
    "controls need support": replace(sphinx_sure.SHIPPED, control_support=True),
    "support from sure words (0.4)": replace(sphinx_sure.SHIPPED, least=0.4),
    "sure words, controls need support": replace(sphinx_sure.SHIPPED, least=0.4,
                                                 control_support=True),
    **{f"answers doubted from words >= {p}": replace(sphinx_sure.SHIPPED, doubt=p)
       for p in (0.1, 0.4)},
    **{f"kept above confidence {c}": replace(sphinx_sure.SHIPPED, keep_above=c)
       for c in (0.9, 0.95)},
    "controls not doubted": replace(sphinx_sure.SHIPPED, control_doubt=None),
    **{f"controls doubted from words >= {p}": replace(sphinx_sure.SHIPPED, control_doubt=p)
       for p in (0.05, 0.1, 0.2)},
    "stop not asked about": replace(sphinx_sure.SHIPPED, stop=False),
    "skip and back need support": replace(sphinx_sure.SHIPPED,
                                          needs_support=frozenset({"skip", "back"})),
    "repeat and help need support": replace(sphinx_sure.SHIPPED,
                                            needs_support=frozenset({"repeat", "help"})),
    "skip, back, repeat, help need support": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset({"skip", "back", "repeat", "help"})),
    "repeat and help need support, a shared word enough": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset({"repeat", "help"}), word_support=True),
    "skip, back, repeat, help need support, a shared word enough": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset({"skip", "back", "repeat", "help"}),
        word_support=True),
    "every control needs support, a shared word enough": replace(
        sphinx_sure.SHIPPED, needs_support=sphinx_sure.SHIPPED.controls, word_support=True),
    "voice controls and help need support (not repeat), a shared word enough": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset({"help", "slower", "faster", "louder",
                                                      "quieter"}), word_support=True),
    "every control but skip and back needs support, a shared word enough": replace(
        sphinx_sure.SHIPPED, needs_support=sphinx_sure.SHIPPED.controls - {"skip", "back"},
        word_support=True),
    **{f"repeat, help need support (shared word), sure words agree >= {p}": replace(
        sphinx_sure.SHIPPED, needs_support=frozenset({"repeat", "help"}), word_support=True,
        agree_sure=p) for p in (0.2, 0.3, 0.4, 0.5)},
    **{f"support from a word >= {p}": replace(sphinx_sure.SHIPPED, agree_least=p)
       for p in (0.3, 0.5, 0.7)},
    **{f"support covering >= {c} of the span": replace(sphinx_sure.SHIPPED, agree_cover=c)
       for c in (0.3, 0.5)},
    "span slack 0.2 s": replace(sphinx_sure.SHIPPED, slack=0.2),
    "span slack 0": replace(sphinx_sure.SHIPPED, slack=0.0),
}


def _words(raw: list[list[Any]]) -> tuple[Word, ...]:
    return tuple(Word(str(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in raw)


LISTED_GROUPS = ("answers", "controls", "unrelated")


def record_listed(out: Path) -> None:
    """The listed-phrase items ``benchmarks/run.py --quick`` speaks (its two voices, clean and
    10 dB), answers, controls and unrelated talk only, heard in its order."""
    content = content_mod.load()
    understander = Understander(content)
    recognizer: Any = build("pocketsphinx")
    rows = []
    for snr in QUICK_SNRS:
        for i, case in enumerate(cases(QUICK_VOICES)):
            if case.group not in LISTED_GROUPS:
                continue
            recognizer.recognize(TimedAudio(listed_audio(case, snr)), case.expect,
                                 understander.phrases(case.expect),
                                 understander.second_try(case.expect))
            rows.append({"case": i, "snr": snr, **_stored(*recognizer.last_hearing)})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"condition": "listed", "rows": rows}))
    print(f"wrote {len(rows)} hearings to {out}")


def _stored(result: Transcript, words: Sequence[Word]) -> dict[str, Any]:
    stored: dict[str, Any] = asdict(result)
    stored["words"] = [[w.text, w.confidence, w.start, w.end] for w in result.words]
    return {"result": stored, "open": [[w.text, w.confidence, w.start, w.end] for w in words]}


def record(condition: str, out: Path, n: int | None = None, voices: str = "tuning") -> None:
    """The tuning half heard once in ``condition``, spoken by the tuning or development
    (``dev``) voices, as ``natural_spoken`` speaks it."""
    content = content_mod.load()
    understander = Understander(content)
    recognizer: Any = build("pocketsphinx")
    rows = []
    for item in sample(load("tuning"), n):
        spoken = speaking(item, VOICE_SETS[voices])
        audio = audio_for(item, spoken, CONDITIONS[condition])
        expect = expectation(content.question(item.question), person_for(item.text))
        recognizer.recognize(TimedAudio(audio), expect, understander.phrases(expect),
                             understander.second_try(expect))
        result, words = recognizer.last_hearing
        rows.append({"item": asdict(item), "voice": spoken.voice, **_stored(result, words)})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"condition": condition, "voices": voices, "rows": rows}))
    print(f"wrote {len(rows)} hearings to {out}")


@dataclass
class Count:
    right: int = 0
    asked: int = 0
    read_back: int = 0
    acted_on: int = 0
    flips: int = 0
    right_read_back: int = 0
    """Right answers read back first: the rule's cost, a turn for a tired person."""
    n: int = 0


def tally(rows: list[dict[str, Any]], rule: sphinx_sure.Sureness | None,
          by_kind: dict[str, Count] | None = None) -> Count:
    content = content_mod.load()
    understander = Understander(content)
    session = Session(Dialog(content), understander, _NoEars(), out=io.StringIO())
    count = Count()
    for row in rows:
        item = Item(**row["item"])
        expect = expectation(content.question(item.question), person_for(item.text))
        stored = dict(row["result"])
        result = Transcript(**{**stored, "words": _words(stored["words"])})
        words = _words(row["open"])
        result, why = sphinx_agree.checked(result, expect, understander.understand, True, words)
        if rule is not None and not why:
            result, why = sphinx_sure.settled(result, expect, understander.understand, words,
                                              rule)
        understood, confident = session.interpret(result, expect)
        outcome, flip = score(item, understood, confident)
        for c in (count, *(() if by_kind is None else (by_kind.setdefault(item.kind, Count()),))):
            c.n += 1
            setattr(c, outcome, getattr(c, outcome) + 1)
            c.flips += flip
            c.right_read_back += outcome == "right" and not confident
    return count


def tally_listed(rows: list[dict[str, Any]], rule: sphinx_sure.Sureness | None
                 ) -> dict[str, Counter[str]]:
    """What the check-in does with each listed item (``benchmarks.trials.OUTCOMES``), by
    group and noise level."""
    content = content_mod.load()
    understander = Understander(content)
    session = Session(Dialog(content), understander, _NoEars(), out=io.StringIO())
    every = cases(QUICK_VOICES)
    out: dict[str, Counter[str]] = {}
    for row in rows:
        case = every[row["case"]]
        stored = dict(row["result"])
        result = Transcript(**{**stored, "words": _words(stored["words"])})
        words = _words(row["open"])
        understand = understander.understand
        result, why = sphinx_agree.checked(result, case.expect, understand, True, words)
        if rule is not None and not why:
            result, why = sphinx_sure.settled(result, case.expect, understand, words, rule)
        got, confident = session.interpret(result, case.expect)
        key = f"{case.group}, {'clean' if row['snr'] is None else '10 dB'}"
        truth = understand(case.text, case.expect)
        out.setdefault(key, Counter())[listed_outcome(case.group, truth, got, confident)] += 1
    return out


_SHORT = {"right": "right", "right_read_back": "right read back", "asked_again": "asked",
          "wrong_read_back": "wrong read back", "wrong_control": "harmless control",
          "wrong_acted_on": "wrong acted on"}


def _print_listed(rows: list[dict[str, Any]]) -> None:
    print("listed phrases (run.py --quick's items: answers and controls, 88; unrelated, 72), "
          "clean | 10 dB: " + " / ".join(_SHORT.values()))
    for name, rule in RULES.items():
        got = tally_listed(rows, rule)
        parts = []
        for groups in (("answers", "controls"), ("unrelated",)):
            for level in ("clean", "10 dB"):
                total: Counter[str] = Counter()
                for g in groups:
                    total.update(got.get(f"{g}, {level}", Counter()))
                parts.append(" / ".join(str(total[k]) for k in _SHORT))
        print(f"{name:<36} {parts[0]} | {parts[1]};  unrelated {parts[2]} | {parts[3]}")


def _line(name: str, c: Count) -> str:
    return (f"{name:<36} {c.right:>4} / {c.asked:>4} / {c.read_back:>3} / {c.acted_on:>3} "
            f"({100 * c.acted_on / max(c.n, 1):.1f}%) / {c.flips:>2}   {c.right_read_back:>4}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--condition", choices=tuple(CONDITIONS), default="quiet")
    rec.add_argument("--out", type=Path, required=True)
    rec.add_argument("--sample", type=int, default=None)
    rec.add_argument("--voices", choices=("tuning", "dev"), default="tuning",
                     help="tuning voices, or the development ones (new voices, tuning half)")
    sub.add_parser("record-listed").add_argument("--out", type=Path, required=True)
    sco = sub.add_parser("score")
    sco.add_argument("files", nargs="+", type=Path)
    sco.add_argument("--kinds", action="store_true", help="the shipped rule by kind too")
    args = parser.parse_args(argv)
    if args.command == "record-listed":
        record_listed(args.out)
        return 0
    if args.command == "record":
        record(args.condition, args.out, args.sample, args.voices)
        return 0
    for path in args.files:
        data = json.loads(path.read_text())
        if data["condition"] == "listed":
            _print_listed(data["rows"])
            continue
        print(f"{path.name} ({data['condition']}, tuning half, {len(data['rows'])} answers): "
              "right / asked / wrong read back / wrong acted on / flips   right read back")
        for name, rule in RULES.items():
            kinds: dict[str, Count] = {}
            print(_line(name, tally(data["rows"], rule, kinds)))
            if args.kinds and (name.startswith(("as before", "as in")) or name == "shipped"):
                for kind, c in sorted(kinds.items()):
                    print(_line(f"  {kind}", c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
