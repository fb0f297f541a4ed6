"""The listed-phrase benchmark's printed report: accuracy by engine, mode and noise, by voice
and synthesiser, and what the check-in would do with each recognition."""

from __future__ import annotations

import statistics
from collections import defaultdict

from benchmarks.listed_items import YES_NO
from benchmarks.noise_beds import level_order
from benchmarks.trials import OUTCOMES, Trial
from voiceskill import content as content_mod
from voiceskill.testing.speech import FLITE
from voiceskill.understanding import Understander


def pct(rows: list[Trial]) -> str:
    if not rows:
        return "-"
    return (
        f"{100 * sum(r.ok for r in rows) / len(rows):.1f}% ({sum(r.ok for r in rows)}/{len(rows)})"
    )


def synth(voice: str) -> str:
    return "flite" if voice.startswith(FLITE) else "espeak-ng"


def report(trials: list[Trial]) -> dict[str, object]:
    summary: dict[str, object] = {}
    by = defaultdict(list)
    for t in trials:
        by[(t.engine, t.mode, t.snr)].append(t)
    print("\nAccuracy, all voices (yes/no+control is answers and controls together):")
    print(
        f"{'engine':13} {'mode':12} {'noise':10} {'yes/no+control':19} {'answers':19} "
        f"{'controls':19} {'numbers':19} {'unrelated rejected':19} {'with a lead-in':19} "
        f"{'number, lead-in':19} {'unrelated, number q':19} {'age as a sentence':19}"
    )
    for (engine, mode, snr), rows in sorted(
        by.items(), key=lambda kv: (kv[0][0], kv[0][1], level_order(kv[0][2]))
    ):
        parts = {
            "yes_no_control": [r for r in rows if r.group in ("answers", "controls")],
            "answers": [r for r in rows if r.group == "answers"],
            "controls": [r for r in rows if r.group == "controls"],
            "numbers": [r for r in rows if r.group == "numbers"],
            "unrelated_rejected": [r for r in rows if r.group == "unrelated"],
            "lead_in": [r for r in rows if r.group == "lead_in"],
            "number_lead_in": [r for r in rows if r.group == "number_lead_in"],
            "unrelated_number": [r for r in rows if r.group == "unrelated_number"],
            "age_opener": [r for r in rows if r.group == "age_opener"],
        }
        print(f"{engine:13} {mode:12} {snr:10} " + " ".join(f"{pct(v):19}" for v in parts.values()))
        summary[f"{engine}/{mode}/{snr}"] = {k: pct(v) for k, v in parts.items()}
    for engine in sorted({t.engine for t in trials}):
        for mode in ("constrained", "free"):
            rows = [t for t in trials if t.engine == engine and t.mode == mode]
            if not rows:
                continue
            rtf = sum(r.cpu_s for r in rows) / sum(r.audio_s for r in rows)
            lat = sorted(r.latency_ms for r in rows)
            p50 = statistics.median(lat)
            p95 = lat[int(0.95 * (len(lat) - 1))]
            print(
                f"{engine} {mode}: real-time factor {rtf:.3f}; end of audio to transcript "
                f"median {p50:.0f} ms, 95th percentile {p95:.0f} ms"
            )
            summary[f"{engine}/{mode}/rtf"] = round(rtf, 4)
            summary[f"{engine}/{mode}/finalise_ms_p50"] = round(p50, 1)
            summary[f"{engine}/{mode}/finalise_ms_p95"] = round(p95, 1)
        rows = [t for t in trials if t.engine == engine and t.mode == "constrained"]
        voices = sorted({t.voice for t in rows})
        if len(voices) > 1:
            print(f"\n{engine} constrained by voice (answers+controls / unrelated rejected):")
            for voice in voices:
                line = []
                for snr in sorted({t.snr for t in rows}, key=lambda s: level_order(s)):
                    vs = [t for t in rows if t.voice == voice and t.snr == snr]
                    yn = [t for t in vs if t.group in ("answers", "controls")]
                    un = [t for t in vs if t.group == "unrelated"]
                    line.append(f"{snr} {pct(yn)} / {pct(un)}")
                print(f"  {voice:11} " + "; ".join(line))
    for engine in sorted({t.engine for t in trials}):
        rows = [t for t in trials if t.engine == engine and t.mode == "constrained"]
        if len({synth(t.voice) for t in rows}) > 1:
            print(f"\n{engine} constrained by synthesiser (answers+controls / unrelated rejected):")
            for name in sorted({synth(t.voice) for t in rows}):
                line = []
                for snr in sorted({t.snr for t in rows}, key=lambda s: level_order(s)):
                    vs = [t for t in rows if synth(t.voice) == name and t.snr == snr]
                    yn = [t for t in vs if t.group in ("answers", "controls")]
                    un = [t for t in vs if t.group == "unrelated"]
                    summary[f"{engine}/constrained/{snr}/{name}"] = {
                        "yes_no_control": pct(yn), "unrelated_rejected": pct(un)
                    }
                    line.append(f"{snr} {pct(yn)} / {pct(un)}")
                print(f"  {name:11} " + "; ".join(line))
    report_outcomes(trials, summary)
    for snr in sorted({t.snr for t in trials if t.snr == "clean" or t.snr.startswith("10 dB")}):
        misses = [t for t in trials if not t.ok and t.mode == "constrained" and t.snr == snr]
        if misses:
            print(f"\nConstrained misses, {snr}:")
            for t in misses[:60]:
                print(
                    f"  {t.engine} {t.voice:10} {t.group:9} said {t.text!r:40} "
                    f"heard {t.heard!r}"
                )
            if len(misses) > 60:
                print(f"  ... and {len(misses) - 60} more")
    return summary


def report_outcomes(trials: list[Trial], summary: dict[str, object]) -> None:
    """What the check-in would do with each constrained recognition, by noise level."""
    understander = Understander(content_mod.load())
    for engine in sorted({t.engine for t in trials}):
        rows = [t for t in trials if t.engine == engine and t.outcome]
        if not rows:
            continue
        levels = sorted({t.snr for t in rows}, key=lambda s: level_order(s))
        print(f"\n{engine}: what the check-in does with it (constrained, all voices):")
        for label, group in (("said an answer or control", ("answers", "controls")),
                             ("said a number", ("numbers",)),
                             ("began an answer with a sound", ("lead_in",)),
                             ("began a number with a sound", ("number_lead_in",)),
                             ("unrelated talk", ("unrelated",)),
                             ("unrelated talk at a number question", ("unrelated_number",)),
                             ("said an age as a sentence", ("age_opener",))):
            print(f"  {label}:")
            for snr in levels:
                vs = [t for t in rows if t.snr == snr and t.group in group]
                counts = {k: sum(t.outcome == k for t in vs) for k in OUTCOMES}
                print(f"    {snr:10} " + "; ".join(
                    f"{OUTCOMES[k].split(' (')[0]} {n}" for k, n in counts.items()
                    if n or not k.startswith("right")
                ) + f" (of {len(vs)})")
                summary[f"{engine}/outcomes/{snr}/{group[0]}"] = counts
        print("  unrelated talk heard as stop (asked about first / ended the check-in):")
        for snr in levels:
            stops = [
                t for t in rows
                if t.snr == snr and t.group == "unrelated" and t.outcome != "asked_again"
                and understander.understand(t.heard, YES_NO).intent == "stop"
            ]
            ended = sum(t.outcome == "wrong_acted_on" for t in stops)
            print(f"    {snr:10} {len(stops) - ended} / {ended}")
            summary[f"{engine}/outcomes/{snr}/unrelated_heard_as_stop"] = {
                "asked_first": len(stops) - ended, "ended": ended
            }
