"""The report's chart: each night bothered or not, how many nights a week were said, and the
nights a warning sign was reported. matplotlib, imported here only, on the Agg backend (no
display, no network), drawn to PNG bytes for embedding in the page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from .data import Night

WIDTH_IN, HEIGHT_IN, DPI = 7.0, 2.0, 120
"""Fits the A4 and Letter text width at full size; 120 dpi stays sharp on paper."""
BOTHERED, CALM, WEEKLY, FLAG = "#c2562b", "#9fb7c9", "#24466b", "#b3001b"


def render_png(nights: Sequence[Night]) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    def x(days: Sequence[date]) -> list[float]:
        return [float(date2num(d)) for d in days]

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax = fig.add_subplot()
    width = 0.8 if len(nights) <= 60 else 1.0
    bothered = x([n.day for n in nights if n.bothered])
    ax.bar(bothered, [1.0] * len(bothered), width=width, color=BOTHERED, label="legs bothered",
           zorder=2)
    calm = x([n.day for n in nights if n.checked and not n.bothered])
    ax.bar(calm, [0.35] * len(calm), width=width, color=CALM, label="checked, calm", zorder=2)
    ax.set_ylim(0, 1.15)
    ax.set_yticks([])
    ends = x([nights[0].day, nights[-1].day])
    ax.set_xlim(ends[0] - 1, ends[1] + 1)
    flagged = x([n.day for n in nights if n.urgent])
    if flagged:
        ax.scatter(flagged, [1.08] * len(flagged), marker="v", color=FLAG, s=28, zorder=3,
                   label="warning sign")
    weekly = [(n.day, n.nights_per_week) for n in nights if n.nights_per_week is not None]
    severity = [(n.day, n.severity) for n in nights if n.severity is not None]
    twin = ax.twinx()
    for axes in (ax, twin):
        for spine in ("top", "left"):
            axes.spines[spine].set_visible(False)
    twin.set_ylim(0, 7.9)
    twin.set_ylabel("nights a week said", fontsize=8)
    twin.tick_params(labelsize=8)
    if weekly:
        twin.plot(x([d for d, _ in weekly]), [v for _, v in weekly], color=WEEKLY, marker=".",
                  linewidth=1.2, markersize=4, label="nights a week said")
    if severity:
        twin.plot(x([d for d, _ in severity]), [v for _, v in severity], color="#6b4aa0",
                  linestyle="--", linewidth=1, label="how bad (0-7)")
    _dates_axis(ax, len(nights))
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = twin.get_legend_handles_labels()
    ax.legend(handles + more_handles, labels + more_labels, fontsize=7, loc="upper left",
              bbox_to_anchor=(0, -0.14), ncol=4, frameon=False)
    fig.subplots_adjust(left=0.02, right=0.92, top=0.95, bottom=0.3)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _dates_axis(ax: object, days: int) -> None:
    from matplotlib.axes import Axes
    from matplotlib.dates import AutoDateLocator, DateFormatter

    assert isinstance(ax, Axes)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b" if days <= 120 else "%b %Y"))
    ax.tick_params(axis="x", labelsize=8)
