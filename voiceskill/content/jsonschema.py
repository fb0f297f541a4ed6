"""Write docs/content-schema.json: the JSON Schema of every file in prompts/, generated from
the models in ``schema`` so that editors (and editor plug-ins that read JSON Schema) see the
same shape the loader enforces.

    python -m voiceskill.content.jsonschema          # rewrite docs/content-schema.json
    python -m voiceskill.content.jsonschema --check  # exit 1 when it is out of date

A test runs the check, so the file cannot drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .schema import FILES

TARGET = Path(__file__).resolve().parents[2] / "docs" / "content-schema.json"


def schemas() -> dict[str, Any]:
    """One JSON Schema per content file, by file name."""
    return {
        "title": "voiceskill content (prompts/)",
        "description": "Generated from voiceskill/content/schema.py; do not edit by hand.",
        "files": {name: model.model_json_schema(by_alias=True) for name, model in FILES.items()},
    }


def render() -> str:
    return json.dumps(schemas(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.name} is out of date: python -m voiceskill.content.jsonschema",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
