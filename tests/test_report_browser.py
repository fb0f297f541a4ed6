"""The report opened as a reader opens it: in a real headless Chromium, offline.

For an empty journal, one night, ninety, and ninety crowded with everything the page caps
(a caregiver with a 70-character name, eight medicines, three kinds of warning sign, five
doctor items, many check-ins cut short): the page prints on one A4 page and on one Letter
page, the chart is drawn at a readable size, nothing runs wider than the page, the counts
shown are the journal's, and a screenshot shows a page that is not blank.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import main
from voiceskill.journal import Journal, night_of
from voiceskill.journal.sample import PERSONAS, WEIGHTS, sample_nights
from voiceskill.messages import Person

from .test_report import counted_in_sql, page_counts

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PRINT_WIDTH_PX = 703
"""186 mm, the width inside A4's 12 mm margins, at the browser's 96 pixels an inch."""
LONG_NAME = "Maximiliana Wilhelmina Augusta-Fitzgerald von Hohenzollern-Sigmaringen"

MEASURE = """<script>
addEventListener('load', () => {
  const img = document.querySelector('img.chart');
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName + '.' + e.className);
  const box = img.getBoundingClientRect();
  document.body.dataset.measured = JSON.stringify({
    page: document.documentElement.scrollWidth, window: innerWidth, wide: wide,
    natural: [img.naturalWidth, img.naturalHeight], shown: [box.width, box.height],
    complete: img.complete});
});
</script>"""


def chromium(page: Path, *args: str, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "the browser tests need Chromium: `make system` installs Debian's chromium"
    return subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", f"--user-data-dir={tmp / 'profile'}",
         # Offline means offline: no name resolves, so anything fetched would fail.
         "--host-resolver-rules=MAP * ~NOTFOUND",
         "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
         *args, page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def _variant(page: Path, name: str, extra: str) -> Path:
    out = page.with_name(name)
    out.write_text(page.read_text(encoding="utf-8").replace("</body>", extra + "</body>"),
                   encoding="utf-8")
    return out


def _fill(state: Path, nights: int, who: Person, crowded: bool) -> None:
    content = content_mod.load(ROOT / "prompts")
    tonight = night_of(datetime.now().astimezone())
    with Journal.open(state) as journal:
        if nights == 1:
            (night,) = sample_nights(content, tonight, 1, person=who, checked=1.0, seed=2)
            journal.keep(night)
        elif nights:
            weights = dict.fromkeys(PERSONAS, 1.0) if crowded else WEIGHTS
            for c in sample_nights(content, tonight, nights, person=who, seed=9,
                                   weights=weights):
                journal.keep(c)


@pytest.mark.parametrize(("nights", "crowded"), [(0, False), (1, False), (90, False),
                                                 (90, True)],
                         ids=["empty", "one", "ninety", "crowded"])
def test_report_in_chromium(nights: int, crowded: bool, _private_state_dir: Path,
                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    caregiver = nights == 1 or crowded
    who = Person(caregiver=True, name=LONG_NAME, pronoun="she") if caregiver else Person()
    _fill(_private_state_dir, nights, who, crowded)
    days = max(nights, 30)
    page = tmp_path / "report.html"
    name_args = ["--name", LONG_NAME] if who.caregiver else []
    assert main(["report", "--days", str(days), "--out", str(page), *name_args]) == 0
    capsys.readouterr()
    if crowded:  # everything the caps allow is on the page
        text = page.read_text(encoding="utf-8")
        assert "and 2 more, in the journal export." in text
        assert len(page_counts(text)["red-flag"]) == 3 and len(page_counts(text)["doctor"]) == 5

    # One printed page, on A4 and on Letter.
    for size, width_pt in (("A4", 595), ("letter", 612)):  # points, rounded
        sized = _variant(page, f"report-{size}.html", f"<style>@page {{ size: {size}; }}</style>")
        pdf = tmp_path / f"report-{size}.pdf"
        chromium(sized, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", tmp=tmp_path)
        data = pdf.read_bytes()
        assert pdf_pages(data) == 1, f"{size}: {pdf_pages(data)} pages"
        box = re.search(rb"/MediaBox\s*\[0 0 ([0-9.]+)", data)
        assert box and round(float(box.group(1))) == width_pt, size

    # The chart drawn at a readable size; nothing wider than the printed page.
    measured = _variant(page, "report-measured.html", MEASURE)
    dom = chromium(measured, "--dump-dom", f"--window-size={PRINT_WIDTH_PX},1000",
                   tmp=tmp_path).stdout.decode()
    found = re.search(r'data-measured="([^"]+)"', dom)
    assert found, "the measuring script did not run"
    m = json.loads(html.unescape(found.group(1)))
    assert m["complete"] and m["natural"] == [840, 240]
    assert m["shown"][0] >= 600 and m["shown"][1] >= 170, m["shown"]
    assert m["page"] <= m["window"] == PRINT_WIDTH_PX and m["wide"] == [], m

    # The counts the browser shows are the journal's.
    tonight = night_of(datetime.now().astimezone())
    want = counted_in_sql(_private_state_dir, who.name, tonight - timedelta(days=days - 1),
                          tonight)
    shown = page_counts(dom)
    for key in ("nights-checked", "nights-bothered", "red-flag-nights", "reliefs"):
        assert shown[key] == [want[key]], key
    assert shown["nights-checked"] == [{0: 0, 1: 1}.get(nights, shown["nights-checked"][0])]

    # A screenshot of the page as it opens: not blank, the size asked for.
    from matplotlib.image import imread

    shot = tmp_path / "report.png"
    chromium(page, f"--screenshot={shot}", "--window-size=794,1123", "--hide-scrollbars",
             tmp=tmp_path)
    pixels = imread(shot)
    assert pixels.shape[:2] == (1123, 794)
    ink = (pixels[:, :, :3].sum(axis=2) < 2.4).mean()
    assert ink > 0.02, f"only {ink:.1%} of the screenshot is drawn"
