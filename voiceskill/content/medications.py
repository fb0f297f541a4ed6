"""medications.yaml: the medicine classes and the medicines, with the names people say."""

from __future__ import annotations

from typing import Any

from .model import MED_CLASSES, TIERS, MedClass, MedEntry
from .reader import Reader


def medications(r: Reader, data: dict[str, Any]
                ) -> tuple[dict[str, MedClass], tuple[MedEntry, ...]]:
    cls = r.need(data, "classes", "", dict)
    classes = {}
    for cid in MED_CLASSES:
        if cid not in cls:
            raise r.fail(f"classes.{cid}", "is missing")
    for cid, body in cls.items():
        if cid not in MED_CLASSES:
            raise r.fail(
                f"classes.{cid}", f"unknown class; use one of {', '.join(MED_CLASSES)}"
            )
        trigger = r.need(body, "trigger", f"classes.{cid}", bool)
        plain = r.need(body, "plain", f"classes.{cid}", str)
        classes[cid] = MedClass(cid, trigger, plain)
    items = r.need(data, "medications", "", list)
    meds = []
    names: dict[str, str] = {}
    for i, item in enumerate(items):
        path = f"medications[{i}]"
        name = r.need(item, "name", path, str).lower()
        path = f"medications[{i}] ({name})"
        dclass = r.need(item, "class", path, str)
        if dclass not in classes:
            raise r.fail(f"{path}.class", f'"{dclass}" is not a class listed under classes')
        said = r.text_list(item.get("said", []) or [], f"{path}.said")
        tier = str(item.get("tier", "L"))
        if tier not in TIERS:
            raise r.fail(f"{path}.tier", f"must be one of {', '.join(TIERS)}")
        for word in (name, *said):
            key = word.lower()
            if key in names and names[key] != name:
                raise r.fail(f"{path}.said", f'"{word}" is already listed for {names[key]}')
            names[key] = name
        meds.append(MedEntry(name, dclass, tuple(s.lower() for s in said), tier))
    return classes, tuple(meds)
