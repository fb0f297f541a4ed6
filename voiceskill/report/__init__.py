"""The one-page report for the doctor, made from the night journal: figures (data), chart,
page (self-contained HTML) and a spoken short version (docs/journal.md)."""

from __future__ import annotations

from .data import Medicine, Night, RedFlag, ReportData, build
from .page import NOT_A_DIAGNOSIS, render
from .spoken import spoken_report

__all__ = ["NOT_A_DIAGNOSIS", "Medicine", "Night", "RedFlag", "ReportData", "build", "render",
           "spoken_report"]
