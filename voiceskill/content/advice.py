"""advice.yaml: steps for tonight and items for the doctor, when each must not be given, and
the cautions said before some of them."""

from __future__ import annotations

from typing import Any

from .checks import listed
from .conditions import condition, conditions
from .model import Caution, Question, Tip
from .reader import Reader


def advice(
    r: Reader, data: dict[str, Any], qids: dict[str, Question]
) -> tuple[dict[str, Tip], dict[str, Tip], tuple[str, ...], tuple[str, ...],
           tuple[Caution, ...]]:
    r.known_keys(data, "", {"tonight", "doctor", "default_tonight", "default_doctor",
                            "cautions"})
    tonight = {k: _tip(r, v, f"tonight.{k}", qids)
               for k, v in r.need(data, "tonight", "", dict).items()}
    doctor = {k: _tip(r, v, f"doctor.{k}", qids)
              for k, v in r.need(data, "doctor", "", dict).items()}
    d_tonight = r.text_list(r.need(data, "default_tonight", "", list), "default_tonight")
    d_doctor = r.text_list(r.need(data, "default_doctor", "", list), "default_doctor")
    listed(r, d_tonight, "default_tonight", tonight, "tonight")
    listed(r, d_doctor, "default_doctor", doctor, "doctor")
    cautions = []
    for cid, body in (data.get("cautions") or {}).items():
        path = f"cautions.{cid}"
        r.known_keys(body, path, {"text", "caregiver", "when_any", "before"})
        when = tuple(condition(r, c, f"{path}.when_any[{j}]", qids)
                     for j, c in enumerate(r.need(body, "when_any", path, list)))
        before = r.text_list(r.need(body, "before", path, list), f"{path}.before")
        listed(r, before, f"{path}.before", tonight, "tonight")
        cautions.append(Caution(cid, r.text(body, path, ()), when, before))
    return tonight, doctor, d_tonight, d_doctor, tuple(cautions)


def _tip(r: Reader, value: Any, path: str, qids: dict[str, Question]) -> Tip:
    if isinstance(value, dict):
        r.known_keys(value, path, {"text", "caregiver", "not_if", "only_if_any"})
        return Tip(r.text(value, path, ()),
                   conditions(r, value.get("not_if"), f"{path}.not_if", qids),
                   conditions(r, value.get("only_if_any"), f"{path}.only_if_any", qids))
    return Tip(r.text(value, path, ()))
