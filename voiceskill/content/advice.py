"""advice.yaml: steps for tonight and items for the doctor, when each must not be given, and
the cautions said before some of them (shape: ``schema.AdviceFile``)."""

from __future__ import annotations

from typing import Any

from .checks import listed
from .conditions import condition, conditions
from .model import Caution, Question, Text, Tip
from .reader import Reader
from .schema import AdviceFile, TipSpec
from .schema_base import TextSpec


def advice(
    r: Reader, data: dict[str, Any], qids: dict[str, Question]
) -> tuple[dict[str, Tip], dict[str, Tip], tuple[str, ...], tuple[str, ...],
           tuple[Caution, ...]]:
    spec = r.validate(data, AdviceFile)
    tonight = {k: _tip(r, v, f"tonight.{k}", qids) for k, v in spec.tonight.items()}
    doctor = {k: _tip(r, v, f"doctor.{k}", qids) for k, v in spec.doctor.items()}
    d_tonight = tuple(spec.default_tonight)
    d_doctor = tuple(spec.default_doctor)
    listed(r, d_tonight, "default_tonight", tonight, "tonight")
    listed(r, d_doctor, "default_doctor", doctor, "doctor")
    cautions = []
    for cid, body in (spec.cautions or {}).items():
        path = f"cautions.{cid}"
        when = tuple(condition(r, c, f"{path}.when_any[{j}]", qids)
                     for j, c in enumerate(body.when_any))
        before = tuple(body.before)
        listed(r, before, f"{path}.before", tonight, "tonight")
        said = _said(r, TextSpec(text=body.text, caregiver=body.caregiver), path)
        cautions.append(Caution(cid, said, when, before))
    return tonight, doctor, d_tonight, d_doctor, tuple(cautions)


def _tip(r: Reader, spec: TipSpec, path: str, qids: dict[str, Question]) -> Tip:
    return Tip(_said(r, TextSpec(text=spec.text, caregiver=spec.caregiver), path),
               conditions(r, spec.not_if, f"{path}.not_if", qids),
               conditions(r, spec.only_if_any, f"{path}.only_if_any", qids))


def _said(r: Reader, spec: TextSpec, path: str) -> Text:
    return r.text(spec, path, ())
