"""The doctor's report, without a browser: its figures against the journal (counted again
here in SQL, not through the report's own code), the chart, the page and the spoken version.
tests/test_report_browser.py opens the page in Chromium."""

from __future__ import annotations

import base64
import io
import re
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import main
from voiceskill.content import Content
from voiceskill.journal import Journal, night_of
from voiceskill.journal.sample import sample_nights
from voiceskill.messages import Person
from voiceskill.report import ReportData, build, render, spoken_report
from voiceskill.report.chart import BOTHERED, render_png

ROOT = Path(__file__).resolve().parent.parent
LAST = date(2026, 3, 14)


@pytest.fixture(scope="module")
def content() -> Content:
    return content_mod.load(ROOT / "prompts")


def _journal(state: Path, content: Content, nights: int, who: Person | None = None,
             last: date = LAST, seed: int = 5) -> None:
    with Journal.open(state) as journal:
        for c in sample_nights(content, last, nights, seed=seed, person=who):
            journal.keep(c)


def _report(state: Path, content: Content, days: int, who: str = "") -> ReportData:
    first = LAST - timedelta(days=days - 1)
    with Journal.open(state) as journal:
        kept = journal.checkins(who, since=first, until=LAST)
        reliefs = journal.reliefs(who, since=first, until=LAST)
    return build(content, kept, who=who or "yourself", caregiver=bool(who), last=LAST,
                 days=days, reliefs=len(reliefs))


def counted_in_sql(state: Path, who: str, first: date, last: date) -> dict[str, object]:
    """The report's figures, counted straight from the tables."""
    journal = Journal.open(state)
    try:
        q = journal._query
        window = " WHERE listener = ? AND night BETWEEN ? AND ?"
        args = [who.casefold(), first.isoformat(), last.isoformat()]
        triggers = q("SELECT f.cause, count(DISTINCT c.night) FROM finding f JOIN checkin c"
                     f" ON f.checkin = c.id{window.replace('listener', 'c.listener')}"
                     " GROUP BY f.cause", args)
        return {
            "nights-checked": q(f"SELECT count(DISTINCT night) FROM checkin{window}", args)[0][0],
            "nights-bothered": q(f"SELECT count(DISTINCT night) FROM checkin{window}"
                                 " AND bothered = 1", args)[0][0],
            "red-flag-nights": q(f"SELECT count(DISTINCT night) FROM checkin{window}"
                                 " AND urgent = 1", args)[0][0],
            "reliefs": q(f"SELECT count(*) FROM relief{window}", args)[0][0],
            "cut-short": q(f"SELECT count(*) FROM checkin{window} AND finished = 0", args)[0][0],
            "triggers": {str(c): int(str(n)) for c, n in triggers},
        }
    finally:
        journal.close()


def page_counts(page: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for name, value in re.findall(r'data-count="([a-z-]+)">(\d+)<', page):
        found.setdefault(name, []).append(int(value))
    return found


@pytest.mark.parametrize("nights", [0, 1, 90])
def test_figures_and_page_match_the_journal(tmp_path: Path, content: Content,
                                            nights: int) -> None:
    _journal(tmp_path, content, nights)
    with Journal.open(tmp_path) as journal:
        if nights:
            journal.add_relief(None, datetime.combine(LAST, datetime.min.time()).astimezone()
                               + timedelta(hours=23), 3, True)
    days = max(nights, 30)
    data = _report(tmp_path, content, days)
    want = counted_in_sql(tmp_path, "", LAST - timedelta(days=days - 1), LAST)
    assert data.nights_checked == want["nights-checked"]
    assert data.nights_bothered == want["nights-bothered"]
    assert data.red_flag_nights == want["red-flag-nights"]
    assert data.reliefs == want["reliefs"] and data.cut_short == want["cut-short"]
    titles = {c.id: c.title for c in content.causes}
    triggers = want["triggers"]
    assert isinstance(triggers, dict)
    assert dict(data.triggers) == {titles[c]: n for c, n in sorted(
        triggers.items(), key=lambda item: (-item[1], item[0]))[:6]}
    page = render(data, render_png(data.nights))
    counts = page_counts(page)
    for name in ("nights-checked", "nights-bothered", "red-flag-nights", "reliefs",
                 "cut-short"):
        assert counts[name] == [want[name]], name
    assert counts.get("trigger", []) == [n for _, n in data.triggers]
    assert "not a diagnosis" in page
    assert data.nights_checked == {0: 0, 1: 1}.get(nights, data.nights_checked)
    if nights == 90:
        assert data.nights_checked > 60 and data.triggers and data.medicines


def test_the_page_is_self_contained(tmp_path: Path, content: Content) -> None:
    _journal(tmp_path, content, 30)
    page = render(data := _report(tmp_path, content, 30), render_png(_report(
        tmp_path, content, 30).nights))
    assert data.nights_checked > 0
    # Nothing fetched from anywhere: no address, no script, one embedded image.
    assert not re.search(r"(src|href)=\"(?!data:)", page)
    assert "<script" not in page and "http" not in page
    assert page.count("<img") == 1


def test_the_chart_is_a_real_picture(tmp_path: Path, content: Content) -> None:
    from matplotlib.image import imread

    _journal(tmp_path, content, 60)
    data = _report(tmp_path, content, 60)
    page = render(data, render_png(data.nights))
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert encoded is not None
    pixels = imread(io.BytesIO(base64.b64decode(encoded.group(1))), format="png")
    assert pixels.shape[:2] == (240, 840)
    red, green, blue = (int(BOTHERED[i:i + 2], 16) / 255 for i in (1, 3, 5))
    bars = ((abs(pixels[:, :, 0] - red) < 0.02) & (abs(pixels[:, :, 1] - green) < 0.02)
            & (abs(pixels[:, :, 2] - blue) < 0.02))
    assert bars.sum() > 2000  # the nights the legs bothered are drawn


def test_the_caregiver_report_and_its_spoken_version(tmp_path: Path,
                                                     content: Content) -> None:
    rose = Person(caregiver=True, name="Rose", pronoun="she")
    _journal(tmp_path, content, 30, rose)
    data = _report(tmp_path, content, 30, "Rose")
    page = render(data, render_png(data.nights))
    assert "<h1>Legs at night: Rose's journal</h1>" in page
    odd = build(content, [], who='<i>Al & "Bo"</i>', caregiver=True, last=LAST, days=7)
    assert "Legs at night: &lt;i&gt;Al &amp; &quot;Bo&quot;&lt;/i&gt;'s journal" in render(
        odd, render_png(odd.nights))
    said = spoken_report(data)
    assert said[0] == (f"In the last 30 nights, {data.nights_checked} were checked, and "
                       f"Rose's legs were a bother on {data.nights_bothered} of them.")
    assert said[-1] == "This is general information, not a diagnosis."
    empty = spoken_report(_report(tmp_path, content, 30, "Walter"))
    assert empty[0] == "There are no check-ins for Walter in the last 30 nights."


def test_a_report_of_ones_own_says_whose_check_ins_there_are(
    _private_state_dir: Path, content: Content, capsys: pytest.CaptureFixture[str]
) -> None:
    tonight = night_of(datetime.now().astimezone())
    _journal(_private_state_dir, content, 5, Person(True, "Rose", "she"), last=tonight)
    assert main(["report", "--text"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("There are no check-ins in the last 30 nights.")
    assert captured.err == ("voiceskill: no check-ins of your own in the last 30 nights; "
                            "kept for: Rose (use --name)\n")


def test_report_command_writes_an_owner_only_page(
    _private_state_dir: Path, content: Content, tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    tonight = night_of(datetime.now().astimezone())
    _journal(_private_state_dir, content, 20, last=tonight)
    out = tmp_path / "report.html"
    assert main(["report", "--days", "14", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Wrote {out}: ")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    want = counted_in_sql(_private_state_dir, "", tonight - timedelta(days=13), tonight)
    assert page_counts(out.read_text())["nights-checked"] == [want["nights-checked"]]
    assert main(["report", "--text"]) == 0
    assert capsys.readouterr().out.startswith("In the last 30 nights, ")
    assert main(["report", "--name", "Nobody", "--text"]) == 0
    assert capsys.readouterr().out.startswith("There are no check-ins for Nobody in the last")
    assert main(["report", "--days", "0"]) == 2
    assert "--days 0 is outside 1 to" in capsys.readouterr().err
