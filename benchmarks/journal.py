"""The night journal's two speed targets, measured on a journal a year full.

- Writing a check-in when it ends: open the journal, write the check-in in its one
  transaction (with the file synced, SQLite's default), close, as `voiceskill checkin` does
  (after the summary has been said, so no one waits for it). Target: median under 20 ms;
  the transaction alone and the 95th percentile are printed too.
- The report for 365 nights: `voiceskill report --days 365` from a fresh process (Python,
  imports, matplotlib, the journal read, the chart drawn, the page written), and the same
  work again in a process already running. Target under 2 s.

The journal is made of real check-ins (voiceskill/journal/sample.py: real dialogs over the
real content), 85% of nights checked. Times compare only between runs on an otherwise idle
machine.

    python -m benchmarks.journal [--writes 60] [--runs 3]   (from the project root)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from voiceskill import content as content_mod
from voiceskill.journal import Journal, night_of
from voiceskill.journal.sample import PERSONAS, answer, sample_nights
from voiceskill.messages import Person
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
WRITE_TARGET_MS = 20.0
REPORT_TARGET_S = 2.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_writes(state: Path, writes: int) -> tuple[list[float], list[float]]:
    """Milliseconds for each write as `voiceskill checkin` does it (open, write, close), and
    for the transaction alone (what makes the check-in kept)."""
    content = content_mod.load(ROOT / "prompts")
    dialog = answer(content, Understander(content), Person(), PERSONAS["restless_sertraline"])
    started = datetime.now().astimezone()
    whole, transaction = [], []
    for _ in range(writes):
        t0 = time.perf_counter()
        with Journal.open(state) as journal:
            t1 = time.perf_counter()
            journal.keep_checkin(dialog, started=started, finished=True)
            transaction.append((time.perf_counter() - t1) * 1000)
        whole.append((time.perf_counter() - t0) * 1000)
    return whole, transaction


def measure_report_process(state: Path, out: Path, runs: int) -> list[float]:
    env = {**os.environ, "VOICESKILL_STATE_DIR": str(state)}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "voiceskill", "report", "--days", "365", "--out",
                        str(out)], env=env, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def measure_report_warm(state: Path, out: Path, runs: int) -> list[float]:
    import contextlib
    import io

    from voiceskill.cli import main

    os.environ["VOICESKILL_STATE_DIR"] = str(state)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["report", "--days", "365", "--out", str(out)]) == 0
        times.append(time.perf_counter() - t0)
    return times


def run(writes: int, runs: int) -> None:
    content = content_mod.load(ROOT / "prompts")
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "voiceskill"
        tonight = night_of(datetime.now().astimezone())
        nights = sample_nights(content, tonight - timedelta(days=1), 365, seed=1)
        with Journal.open(state) as journal:
            for c in nights:
                journal.keep(c)
        size = (state / "voiceskill.db").stat().st_size
        print(f"Journal: {len(nights)} check-ins over 365 nights, {size / 1024:.0f} KiB; load "
              f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        whole, transaction = measure_writes(state, writes)
        for what, ms in (("open, write, close", whole), ("the transaction alone", transaction)):
            med, p95 = statistics.median(ms), _percentile(ms, 0.95)
            print(f"Write at the end of a check-in, {what} ({writes} writes): median "
                  f"{med:.1f} ms, 95th percentile {p95:.1f} ms, worst {max(ms):.1f} ms")
        med = statistics.median(whole)
        print(f"  target: median under {WRITE_TARGET_MS:.0f} ms, open to close: "
              f"{'met' if med < WRITE_TARGET_MS else 'NOT met'}")
        out = Path(tmp) / "report.html"
        cold = measure_report_process(state, out, runs)
        print(f"Report for 365 nights, fresh process ({runs} runs): median "
              f"{statistics.median(cold):.2f} s, worst {max(cold):.2f} s (target < "
              f"{REPORT_TARGET_S:.0f} s): "
              f"{'met' if statistics.median(cold) < REPORT_TARGET_S else 'NOT met'}")
        warm = measure_report_warm(state, out, runs)
        print(f"Report for 365 nights, process already running: median "
              f"{statistics.median(warm):.2f} s, worst {max(warm):.2f} s")
        print(f"Page: {out.stat().st_size / 1024:.0f} KiB; load average now "
              f"{os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run(args.writes, args.runs)


if __name__ == "__main__":
    main()
