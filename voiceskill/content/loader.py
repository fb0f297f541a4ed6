"""Reading prompts/: each file by its own module, in an order where every name a file
refers to is already known; the result kept, since the content never changes while running."""

from __future__ import annotations

from pathlib import Path

from .advice import advice
from .dialog_texts import dialog
from .medications import medications
from .model import Content
from .questions import questions
from .reader import Reader
from .rules import causes, red_flags
from .vocabulary import vocabulary


def default_prompts_dir() -> Path:
    """prompts/ beside the package (a source checkout or an editable install)."""
    return Path(__file__).resolve().parents[2] / "prompts"


_CACHE: dict[Path, Content] = {}


def load(directory: str | Path | None = None) -> Content:
    """Parse and validate prompts/ once; later calls for the same folder reuse the result."""
    root = Path(directory) if directory else default_prompts_dir()
    root = root.resolve()
    if root not in _CACHE:
        _CACHE[root] = _load(root)
    return _CACHE[root]


def _load(root: Path) -> Content:
    r = Reader(root)
    vocab = vocabulary(r, r.read("understanding.yaml"))
    med_classes, meds = medications(r, r.read("medications.yaml"))
    questions_ = questions(r, r.read("questions.yaml"))
    qids = {q.id: q for q in questions_}
    tonight, doctor, d_tonight, d_doctor, cautions = advice(r, r.read("advice.yaml"), qids)
    causes_ = causes(r, r.read("rules.yaml"), qids, tonight, doctor)
    red_flags_, unresolved = red_flags(r, r.read("red_flags.yaml"), qids)
    dialog_ = dialog(r, r.read("dialog.yaml"))
    return Content(
        questions=questions_,
        causes=causes_,
        red_flags=red_flags_,
        tonight=tonight,
        doctor=doctor,
        default_tonight=d_tonight,
        default_doctor=d_doctor,
        med_classes=med_classes,
        medications=meds,
        vocabulary=vocab,
        dialog=dialog_,
        source=root,
        cautions=cautions,
        unresolved=unresolved,
    )
