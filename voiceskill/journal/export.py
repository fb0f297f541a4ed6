"""The journal as JSON (everything, one object per check-in) or CSV (one row per check-in,
for a spreadsheet). Pure: records in, text out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from .record import Checkin
from .store import Relief

CSV_COLUMNS = (
    "id", "started", "night", "who", "name", "finished", "bothered", "nights_per_week",
    "severity", "likely_triggers", "medicines", "red_flags", "urgent", "emergency",
    "ask_doctor", "summary", "answers",
)
"""Lists are joined with " | "; likely triggers as cause:likelihood; answers as JSON."""
JOIN = " | "


def to_json(checkins: Sequence[Checkin], reliefs: Sequence[Relief] = ()) -> str:
    return json.dumps(
        {
            "checkins": [c.to_json() for c in checkins],
            "relief": [
                {"id": r.id, "started": r.started.isoformat(timespec="seconds"),
                 "night": r.night.isoformat(), "name": r.name, "steps_heard": r.steps_heard,
                 "finished": r.finished}
                for r in reliefs
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def csv_row(c: Checkin) -> dict[str, str]:
    data = c.to_json()
    return {
        "id": str(c.id),
        "started": str(data["started"]),
        "night": str(data["night"]),
        "who": str(data["who"]),
        "name": c.name,
        "finished": _flag(c.finished),
        "bothered": _flag(c.bothered),
        "nights_per_week": "" if c.nights_per_week is None else str(c.nights_per_week),
        "severity": "" if c.severity is None else str(c.severity),
        "likely_triggers": JOIN.join(f"{f.cause}:{f.likelihood}" for f in c.findings),
        "medicines": JOIN.join(f"{m['name']} ({m['class']})" for m in c.medicines),
        "red_flags": JOIN.join(c.red_flags),
        "urgent": _flag(c.urgent),
        "emergency": _flag(c.emergency),
        "ask_doctor": JOIN.join(c.doctor),
        "summary": c.summary,
        "answers": json.dumps(dict(c.answers), ensure_ascii=False, sort_keys=True),
    }


def to_csv(checkins: Sequence[Checkin]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in checkins:
        writer.writerow(csv_row(c))
    return out.getvalue()


def _flag(value: bool) -> str:
    return "yes" if value else "no"
