"""The one-page report as a self-contained HTML file: inline style, the chart embedded as a
base64 PNG, no script, no font or image from anywhere else, so it opens offline in any
browser and prints on one A4 or Letter page. Pure: figures and chart bytes in, text out.

Every list is capped (data.py) so the page never runs over; every count carries a
``data-count`` attribute the browser tests read back.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import date
from html import escape

from ..wording import capital
from .data import RED_FLAG_KINDS, TOP_MEDICINES, ReportData

DATES_SHOWN = 4

NOT_A_DIAGNOSIS = (
    "Made from answers given at bedtime check-ins with voiceskill, kept only on this device. "
    "This is not a diagnosis: it shows a doctor the pattern. Never stop a prescribed medicine "
    "without asking the doctor who prescribed it."
)

STYLE = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
html { font: 10pt/1.25 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d1d1d; }
body { margin: 0 auto; max-width: 186mm; overflow-wrap: break-word; }
h1 { font-size: 14pt; margin: 0 0 0.5mm; }
h2 { font-size: 9.5pt; margin: 2.5mm 0 0.8mm; color: #24466b; text-transform: uppercase;
     letter-spacing: 0.04em; }
p { margin: 0 0 0.8mm; }
.sub { color: #555; font-size: 8.5pt; }
.figures { display: flex; gap: 2mm; margin: 1.5mm 0; }
.figure { flex: 1; border: 1px solid #d8dde3; border-radius: 2mm; padding: 1mm 2mm; }
.figure b { font-size: 14pt; margin-right: 1.5mm; }
.figure span { font-size: 8.5pt; color: #444; }
.figure.flag b { color: #b3001b; }
img.chart { display: block; width: 100%; height: auto; }
.cols { display: flex; gap: 5mm; }
.cols > section { flex: 1; min-width: 0; }
.cols > section.wide { flex: 1.5; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
td, th { text-align: left; padding: 0.4mm 1mm; border-bottom: 1px solid #e5e8ec;
         vertical-align: top; }
th { font-weight: 600; color: #444; }
td.n, .name { text-align: right; white-space: nowrap; }
.name { text-align: left; }
ul { margin: 0; padding-left: 4mm; font-size: 8.5pt; }
li { margin-bottom: 0.6mm; }
.none { color: #666; font-style: italic; font-size: 8.5pt; }
table.flags td:first-child { width: 42%; }
/* Printed, the page must fit one sheet of A4 or Letter (Letter is the shorter) with the
   longest content the caps allow: a little smaller on paper than on screen. */
@media print { body { zoom: 0.9; } }
footer { margin-top: 2mm; padding-top: 1mm; border-top: 1px solid #ccc; font-size: 8pt;
         color: #333; }
"""


def render(data: ReportData, chart_png: bytes) -> str:
    who = "a caregiver" if data.caregiver else "you"
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
        f'<p class="sub">Answered by {who} · {span} · made {data.generated:%d %b %Y %H:%M}</p>'
        "</header>",
        '<div class="figures">',
        _figure("nights-checked", data.nights_checked, f"nights checked of {len(data.nights)}"),
        _figure("nights-bothered", data.nights_bothered, "legs bothered"),
        _figure("red-flag-nights", data.red_flag_nights, "warning signs",
                flag=data.red_flag_nights > 0),
        _figure("reliefs", data.reliefs, "relief routine uses"),
        "</div>",
        f'<img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{chart}">',
        '<div class="cols"><section><h2>Likely causes, most frequent</h2>',
        _table(("Cause", "Nights"), [(escape(t), _count("trigger", n)) for t, n in data.triggers],
               "No likely cause was found on these nights."),
        '</section><section class="wide"><h2>To raise with the doctor</h2>',
        _doctor(data),
        "</section></div>",
        "<section><h2>Medicines mentioned</h2>",
        _medicines(data),
        "</section><section><h2>Warning signs</h2>",
        _red_flags(data),
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
           figures: tuple[int, ...] | None = None) -> str:
    """Cells are HTML already escaped. ``figures``: the columns of short figures, kept on
    one line (the last column unless told)."""
    if not rows:
        return f'<p class="none">{escape(empty)}</p>'
    th = "".join(f"<th>{h}</th>" for h in head)
    short = (len(head) - 1,) if figures is None else figures
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{c}</td>' if i in short else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


def _medicines(data: ReportData) -> str:
    rows = []
    for m in data.medicines[:TOP_MEDICINES]:
        (b, of_b), (a, of_a) = m.bothered_before, m.bothered_since
        name = escape(m.name) + (f" ({escape(m.said)})" if m.said.casefold() != m.name else "")
        rows.append((f'<span class="name" data-medicine="{escape(m.name)}">{name}</span>',
                     escape(m.kind), _day(m.since, data), f"{b} of {of_b}" if of_b else "-",
                     f"{a} of {of_a}"))
    more = len(data.medicines) - len(rows)
    head = ("Medicine", "Kind", "First said", "Bothered before", "since")
    return _table(head, rows, "No medicine was mentioned.", figures=(2, 3, 4)) + (
        f'<p class="sub">and {more} more, in the journal export.</p>' if more > 0 else "")


def _red_flags(data: ReportData) -> str:
    if not data.red_flags:
        return '<p class="none">No warning sign was reported on these nights.</p>'
    rows = []
    for flag in data.red_flags[:RED_FLAG_KINDS]:
        shown = flag.days[-DATES_SHOWN:]
        dates = ", ".join(_day(d, data) for d in shown)
        if len(flag.days) > len(shown):
            dates += f" and {len(flag.days) - len(shown)} earlier"
        rows.append((f"{escape(capital(flag.reason))}<br><span class=\"sub\">"
                     f"{_count('red-flag', len(flag.days))} "
                     f"night{'s' if len(flag.days) != 1 else ''}: {dates}</span>",
                     escape(_two_sentences(flag.advice))))
    more = len(data.red_flags) - len(rows)
    table = _table(("Reported", "Advised at the time"), rows, "", figures=()).replace(
        "<table>", '<table class="flags">', 1)
    return table + (f'<p class="sub">and {more} other kind{"s" if more != 1 else ""} of '
                    "warning sign, in the journal export.</p>" if more > 0 else "")


def _doctor(data: ReportData) -> str:
    if not data.doctor:
        return '<p class="none">Nothing in particular came up.</p>'
    items = "".join(f"<li>{escape(text)} <span class=\"sub\">({_count('doctor', n)} "
                    f"night{'s' if n != 1 else ''})</span></li>" for text, n in data.doctor)
    return f"<ul>{items}</ul>"


def _two_sentences(text: str) -> str:
    """What it may be and what to do: the rest of the advice is in the journal."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return " ".join(parts[:2])


def _day(d: date, data: ReportData | None = None) -> str:
    """"4 Oct 2026"; in a table, "4 Oct" when the report's nights are all in one year."""
    if data is not None and data.first.year == data.last.year:
        return f"{d.day} {d:%b}"
    return f"{d.day} {d:%b %Y}"
