"""Content start-up: what reading and validating prompts/ costs at every start.

Each run is a fresh Python process, as at a real start: it times importing the content
package (pydantic and the schema models included) and loading prompts/, and reports its peak
resident memory. Medians and minimums over the runs are printed; the machine is shared, so
the minimum is the cost of the work itself and the median what a start usually sees.

    python -m benchmarks.content_load [--runs 15] [--against PATH]   (from the project root)

``--against`` also times another source tree (an older commit unpacked with ``git archive``)
with this interpreter, its runs taking turns with these so that both see the same load on a
shared machine: a before/after comparison.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 500.0
"""Median import plus load, well under the engines' own start (about 0.8 s to the first
spoken word): the check-in should not wait on its own text."""

_CHILD = """
import resource, time
t0 = time.perf_counter()
import voiceskill.content as c
t1 = time.perf_counter()
c.load()
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


Row = tuple[float, float, float]


def once(root: Path) -> Row:
    """(import ms, load ms, peak KB) of one fresh process in ``root``."""
    proc = subprocess.run([sys.executable, "-c", _CHILD], cwd=root, capture_output=True,
                          text=True, check=True, timeout=60)
    imp, load, rss = proc.stdout.split()
    return float(imp), float(load), float(rss)


def report(title: str, rows: list[Row]) -> float:
    """Print the figures of ``rows``; return the median of import plus load."""
    print(title)
    total = [i + ld for i, ld, _ in rows]
    for name, values in (("import", [r[0] for r in rows]), ("load", [r[1] for r in rows]),
                         ("import + load", total)):
        print(f"  {name:14} median {statistics.median(values):6.0f} ms   "
              f"min {min(values):6.0f} ms")
    print(f"  {'peak memory':14} median {statistics.median(r[2] for r in rows) / 1024:6.1f} MB")
    return statistics.median(total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--against", type=Path, default=None)
    args = parser.parse_args()
    here: list[Row] = []
    there: list[Row] = []
    for _ in range(args.runs):
        here.append(once(ROOT))
        if args.against is not None:
            there.append(once(args.against.resolve()))
    if there:
        report(f"{args.against}:", there)
    median = report(f"{ROOT}:", here)
    verdict = "meets" if median < TARGET_MS else "misses"
    print(f"{verdict} the target: median import + load under {TARGET_MS:.0f} ms "
          f"({args.runs} runs)")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
