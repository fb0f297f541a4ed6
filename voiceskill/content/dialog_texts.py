"""dialog.yaml: everything the check-in says that is not a question or advice, keyed (shape:
``schema.DialogFile``: each a text or a mapping of texts)."""

from __future__ import annotations

from typing import Any

from .model import KINDS, PERSON_SLOTS
from .reader import Reader
from .schema_words import DialogFile

REQUIRED_DIALOG_KEYS = (
    "welcome", "welcome_caregiver", "examples", "not_understood", "noisy_room", "no_input",
    "no_input_again", "out_of_range", "no_medicine_recognised", "moving_on", "skipped",
    "back_at_start", "going_back", "confirm", "confirm_help", "confirm_stop",
    "confirm_stop_help", "carrying_on", "medicines_heard", "which_medicine", "slower",
    "slowest", "faster", "fastest", "louder", "loudest", "quieter", "quietest", "stopping",
    "red_flag_intro", "red_flag_continue", "summary_intro", "summary_nothing",
    "summary_not_enough", "condition_line", "condition_alone", "unlikely_line", "trigger_line",
    "background_line", "likelihood", "details_offer", "details_intro", "go_on_offer",
    "tonight_intro", "doctor_intro", "urgent_summary_intro", "disclaimer", "goodbye",
    "history_trigger", "history_all_nights", "history_checked", "week_none", "week_all_nights",
    "week_checked", "week_trigger", "week_warning", "week_reliefs", "report_none",
    "report_nights", "report_trigger", "report_warning", "report_medicines",
)
_SLOTS = (
    *PERSON_SLOTS, "question", "examples", "heard", "low", "high", "value", "title",
    "likelihood", "reason", "verb", "items", "count", "checked", "days", "when",
)
"""The placeholders a dialog text may use."""
COUNTED = ("one", "other")
_PARTS = {
    "examples": KINDS, "likelihood": ("high", "medium", "low"),
    **{key: COUNTED for key in ("week_checked", "week_reliefs", "report_trigger",
                                "report_warning")},
}
"""The texts that are mappings, and the keys each must have (a caregiver form too)."""


def dialog(r: Reader, data: dict[str, Any]) -> dict[str, Any]:
    for key in REQUIRED_DIALOG_KEYS:
        if key not in data:
            raise r.fail(key, "is missing")
    r.validate(data, DialogFile)
    for key, value in data.items():
        if isinstance(value, str):
            r.check_slots(value, key, _SLOTS)
        else:
            for sub, text in value.items():
                r.check_slots(text, f"{key}.{sub}", _SLOTS)
    for key, parts in _PARTS.items():
        for form in (key, f"{key}_caregiver"):
            if form not in data:
                continue
            if isinstance(data[form], str):
                raise r.fail(form, f"must be a mapping of {', '.join(parts)}")
            for part in parts:
                if part not in data[form]:
                    raise r.fail(f"{form}.{part}", "is missing")
    return dict(data)
