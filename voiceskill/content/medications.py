"""medications.yaml: the medicine classes and the medicines, with the names people say
(shape: ``schema.MedicationsFile``). The classes declared here are the ones conditions may
name in class_in."""

from __future__ import annotations

from typing import Any

from .model import MedClass, MedEntry
from .reader import Reader
from .schema_words import MedicationsFile


def medications(r: Reader, data: dict[str, Any]
                ) -> tuple[dict[str, MedClass], tuple[MedEntry, ...]]:
    spec = r.validate(data, MedicationsFile)
    classes = {cid: MedClass(cid, body.trigger, body.plain) for cid, body in spec.classes.items()}
    if not classes:
        raise r.fail("classes", "must list at least one class")
    meds = []
    names: dict[str, str] = {}
    for i, item in enumerate(spec.medications):
        name = item.name.lower()
        path = f"medications[{i}] ({name})"
        if item.class_ not in classes:
            raise r.fail(f"{path}.class", f'"{item.class_}" is not a class listed under classes')
        said = tuple(item.said or ())
        for word in (name, *said):
            key = word.lower()
            if key in names and names[key] != name:
                raise r.fail(f"{path}.said", f'"{word}" is already listed for {names[key]}')
            names[key] = name
        meds.append(MedEntry(name, item.class_, tuple(s.lower() for s in said), item.tier))
    r.med_classes = set(classes)
    return classes, tuple(meds)
