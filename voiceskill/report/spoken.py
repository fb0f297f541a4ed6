"""The report in a few spoken sentences (``voiceskill report --say``), in the words of
``prompts/dialog.yaml`` (``report_*``). Pure."""

from __future__ import annotations

from ..content import Content
from ..messages import Person
from ..wording import Wording, join
from .data import ReportData


def spoken_report(data: ReportData, content: Content | None = None) -> list[str]:
    if content is None:
        from .. import content as content_mod

        content = content_mod.load(None)
    w = Wording(content, Person(caregiver=data.caregiver, name=data.who if data.caregiver
                                else ""))
    days = len(data.nights)
    disclaimer = w.say("disclaimer")
    if not data.nights_checked:
        return [w.say("report_none", days=days), disclaimer]
    lines = [w.say("report_nights", days=days, checked=data.nights_checked,
                   count=data.nights_bothered)]
    if data.triggers:
        title, n = data.triggers[0]
        lines.append(w.counted("report_trigger", n, title=title.rstrip(","), count=n))
    if data.red_flag_nights:
        n = data.red_flag_nights
        lines.append(w.counted("report_warning", n, count=n))
    if data.medicines:
        lines.append(w.say("report_medicines",
                           items=join([m.name for m in data.medicines[:3]])))
    lines.append(disclaimer)
    return lines
