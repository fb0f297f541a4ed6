"""The knowledge base in prompts/: parsed once at start-up into frozen objects, validated.

Every problem is reported as a ContentError naming the file and the key path, so whoever
edits the YAML can go straight to the line.

``schema`` declares the shape of every file (pydantic models: unknown keys and wrong types
are refused, ``problems`` words the first failure); ``model`` holds what the content becomes;
``loader`` reads the folder, one module per file
(``questions``, ``rules`` with the red flags, ``advice``, ``medications``, ``vocabulary``
for understanding.yaml, ``dialog_texts``); ``conditions`` and ``reader`` are what they
share, ``checks`` the references from one place to another.
"""

from .dialog_texts import REQUIRED_DIALOG_KEYS
from .loader import default_prompts_dir, load
from .model import (
    LEVELS,
    VOICE_CONTROLS,
    Cause,
    Condition,
    Content,
    MedEntry,
    Question,
    RedFlag,
    Text,
    Vocabulary,
)
from .questions import number_openers, short_forms
from .reader import placeholders

__all__ = [
    "LEVELS",
    "REQUIRED_DIALOG_KEYS",
    "VOICE_CONTROLS",
    "Cause",
    "Condition",
    "Content",
    "MedEntry",
    "Question",
    "RedFlag",
    "Text",
    "Vocabulary",
    "default_prompts_dir",
    "load",
    "number_openers",
    "placeholders",
    "short_forms",
]
