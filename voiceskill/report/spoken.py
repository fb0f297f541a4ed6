"""The report in a few spoken sentences (``voiceskill report --say``). Pure."""

from __future__ import annotations

from .data import ReportData

DISCLAIMER = "This is general information, not a diagnosis."


def spoken_report(data: ReportData) -> list[str]:
    days = len(data.nights)
    legs = (f"{data.who}'s legs" if data.caregiver else "your legs")
    if not data.nights_checked:
        whom = f" for {data.who}" if data.caregiver else ""
        return [f"There are no check-ins{whom} in the last {days} nights.", DISCLAIMER]
    lines = [f"In the last {days} nights, {data.nights_checked} were checked, and "
             f"{legs} were a bother on {data.nights_bothered} of them."]
    if data.triggers:
        title, n = data.triggers[0]
        lines.append(f"The most frequent likely cause was {title.rstrip(',')}, "
                     f"on {n} night{'s' if n != 1 else ''}.")
    if data.red_flag_nights:
        n = data.red_flag_nights
        lines.append(f"A warning sign was reported on {n} night{'s' if n != 1 else ''}; "
                     "make sure a doctor knows.")
    if data.medicines:
        names = [m.name for m in data.medicines[:3]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines.append(f"Medicines mentioned: {listed}.")
    lines.append(DISCLAIMER)
    return lines
