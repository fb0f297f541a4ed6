"""The one-page report as a self-contained HTML file: inline style, the chart embedded as a
base64 PNG, no script, no font or image from anywhere else, so it opens offline in any
browser and prints on one A4 or Letter page. Pure: figures and chart bytes in, text out.

Every list is capped (data.py) so the page never runs over; every count carries a
``data-count`` attribute the browser tests read back.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from .data import ReportData

NOT_A_DIAGNOSIS = (
    "Made from answers given at bedtime check-ins with voiceskill, kept only on this device. "
    "This is not a diagnosis: it shows a doctor the pattern. Never stop a prescribed medicine "
    "without asking the doctor who prescribed it."
)

STYLE = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
html { font: 10.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d1d1d; }
body { margin: 0 auto; max-width: 186mm; overflow-wrap: anywhere; }
h1 { font-size: 15pt; margin: 0 0 1mm; }
h2 { font-size: 10.5pt; margin: 3mm 0 1mm; color: #24466b; text-transform: uppercase;
     letter-spacing: 0.04em; }
p { margin: 0 0 1mm; }
.sub { color: #555; font-size: 9pt; }
.figures { display: flex; gap: 2mm; margin: 2mm 0; }
.figure { flex: 1; border: 1px solid #d8dde3; border-radius: 2mm; padding: 1.5mm 2mm; }
.figure b { display: block; font-size: 15pt; }
.figure span { font-size: 8.5pt; color: #444; }
.figure.flag b { color: #b3001b; }
img.chart { display: block; width: 100%; height: auto; }
.cols { display: flex; gap: 5mm; }
.cols > section { flex: 1; min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
td, th { text-align: left; padding: 0.6mm 1mm; border-bottom: 1px solid #e5e8ec;
         vertical-align: top; }
th { font-weight: 600; color: #444; }
td.n { text-align: right; white-space: nowrap; }
ul { margin: 0; padding-left: 5mm; font-size: 9.5pt; }
.none { color: #666; font-style: italic; font-size: 9pt; }
footer { margin-top: 3mm; padding-top: 1.5mm; border-top: 1px solid #ccc; font-size: 8.5pt;
         color: #333; }
"""


def render(data: ReportData, chart_png: bytes) -> str:
    who = "you" if not data.caregiver else escape(data.who)
    title = ("Legs at night: your journal" if not data.caregiver
             else f"Legs at night: {escape(data.who)}'s journal")
    span = f"{_day(data.first)} to {_day(data.last)} ({len(data.nights)} nights)"
    chart = base64.b64encode(chart_png).decode("ascii")
    alt = (f"Chart of {len(data.nights)} nights: legs bothered on {data.nights_bothered} of "
           f"{data.nights_checked} nights checked")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{title}</h1>",
        f'<p class="sub">For {who} · {span} · made {data.generated:%d %b %Y %H:%M}</p>'
        "</header>",
        '<div class="figures">',
        _figure("nights-checked", data.nights_checked, f"nights checked of {len(data.nights)}"),
        _figure("nights-bothered", data.nights_bothered, "nights the legs bothered"),
        _figure("red-flag-nights", data.red_flag_nights, "nights with a warning sign",
                flag=data.red_flag_nights > 0),
        _figure("reliefs", data.reliefs, "uses of the relief routine"),
        "</div>",
        f'<img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{chart}">',
        '<div class="cols"><section><h2>Likely causes, most frequent</h2>',
        _table(("Cause", "Nights"), [(escape(t), _count("trigger", n)) for t, n in data.triggers],
               "No likely cause was found on these nights."),
        "</section><section><h2>Medicines mentioned</h2>",
        _medicines(data),
        "</section></div>",
        "<section><h2>Warning signs</h2>",
        _red_flags(data),
        "</section><section><h2>To raise with the doctor</h2>",
        _doctor(data),
        "</section>",
        f"<footer><p>{escape(NOT_A_DIAGNOSIS)}</p>",
        f'<p class="sub">{data.checkins} check-ins, <span data-count="cut-short">'
        f"{data.cut_short}</span> of them cut short.</p></footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _figure(name: str, value: int, label: str, flag: bool = False) -> str:
    cls = "figure flag" if flag else "figure"
    return (f'<div class="{cls}"><b data-count="{name}">{value}</b>'
            f"<span>{escape(label)}</span></div>")


def _count(name: str, n: int) -> str:
    return f'<span data-count="{name}">{n}</span>'


def _table(head: tuple[str, ...], rows: Sequence[Sequence[str]], empty: str,
           figure_last: bool = True) -> str:
    """Cells are HTML already escaped; the last column is a short figure unless told."""
    if not rows:
        return f'<p class="none">{escape(empty)}</p>'
    th = "".join(f"<th>{h}</th>" for h in head)
    last = len(head) - 1 if figure_last else -1
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{c}</td>' if i == last else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


def _medicines(data: ReportData) -> str:
    rows = []
    for m in data.medicines[:8]:
        before, since = m.bothered_before, m.bothered_since
        change = f"since: {since[0]} of {since[1]} nights"
        if before[1]:
            change = f"before: {before[0]} of {before[1]}; " + change
        name = escape(m.name) + (f" ({escape(m.said)})" if m.said.casefold() != m.name else "")
        rows.append((f'<span data-medicine="{escape(m.name)}">{name}</span><br>'
                     f'<span class="sub">{escape(m.kind)}; legs bothered {change}</span>',
                     _day(m.since)))
    return _table(("Medicine", "First said"), rows, "No medicine was mentioned.")


def _red_flags(data: ReportData) -> str:
    if not data.red_flags:
        return '<p class="none">No warning sign was reported on these nights.</p>'
    rows = [(_day(r.day), escape(r.reason), escape(_first_sentence(r.advice)))
            for r in data.red_flags[-8:]]
    more = len(data.red_flags) - len(rows)
    table = _table(("Night", "Reported", "Advised at the time"), rows, "", figure_last=False)
    return table + (f'<p class="sub">and {more} earlier, in the journal export.</p>'
                    if more > 0 else "")


def _doctor(data: ReportData) -> str:
    if not data.doctor:
        return '<p class="none">Nothing in particular came up.</p>'
    items = "".join(f"<li>{escape(text)} <span class=\"sub\">({_count('doctor', n)} "
                    f"night{'s' if n != 1 else ''})</span></li>" for text, n in data.doctor)
    return f"<ul>{items}</ul>"


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _day(d: object) -> str:
    from datetime import date

    assert isinstance(d, date)
    return f"{d.day} {d:%b %Y}"
