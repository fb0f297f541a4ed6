"""How intelligible each generated voice family is: Whisper base's word error rate on ordinary
sentences, so that the wake-word figures on one family can be weighed against another's.

    python -m benchmarks.wake_voices            # every voice of every family
    python -m benchmarks.wake_voices --voices kokoro:jf_alpha,piper:joe

Whisper hears each sentence with no prompt (the model of the test extra, assembled from its
PyPI packages). Words are compared lower-case, without punctuation; numbers are written as
words in the sentences so that "7" against "seven" never counts.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.wake import ESPEAK, FLITE
from voiceskill.testing.neural_voice import VOICES as NEURAL
from voiceskill.testing.speech import synth

SENTENCES = [
    "the weather will be cold tonight so keep a blanket close by",
    "my legs feel restless when I lie down in the evening",
    "can you pass me the remote please",
    "she walked to the shop and bought some bread and milk",
    "turn off the light in the hall before you go to bed",
    "the doctor said to come back in two weeks",
    "honey did you lock the back door",
    "there is a good film on the television after the news",
]


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]+", " ", text.lower().replace("-", " ")).split()


def errors(said: list[str], heard: list[str]) -> int:
    """Word edits (substitutions, deletions, insertions) from ``said`` to ``heard``."""
    row = list(range(len(heard) + 1))
    for i, a in enumerate(said, 1):
        prev, row[0] = row[0], i
        for j, b in enumerate(heard, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a != b))
    return row[-1]


def whisper_model(root: Path) -> Any:
    """Whisper base from the test extra's packages, assembled in the models folder ``root``."""
    from faster_whisper import WhisperModel

    from voiceskill import whisper_models

    if not (root / whisper_models.DEFAULT_MODEL).is_dir():
        whisper_models.assemble_from_packages(whisper_models.DEFAULT_MODEL, root)
    return WhisperModel(str(root / whisper_models.DEFAULT_MODEL), device="cpu",
                        compute_type="int8", cpu_threads=1)


def transcribe(model: Any, wav: Path) -> str:
    segments, _ = model.transcribe(str(wav), language="en", beam_size=5,
                                   condition_on_previous_text=False)
    return " ".join(s.text for s in segments)


def family(voice: str) -> str:
    return voice.split(":")[0] if ":" in voice else "espeak-ng"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--voices", default="all", help="comma separated, or all")
    args = ap.parse_args()
    voices = [*ESPEAK, *FLITE, *NEURAL] if args.voices == "all" else args.voices.split(",")
    with tempfile.TemporaryDirectory(prefix="wake-voices-") as root:
        run(whisper_model(Path(root)), voices)


def run(model: Any, voices: list[str]) -> None:
    totals: dict[str, list[int]] = {}
    for voice in voices:
        wrong = said = 0
        began = time.monotonic()
        for sentence in SENTENCES:
            heard = transcribe(model, synth(sentence, voice, 160))
            wrong += errors(words(sentence), words(heard))
            said += len(words(sentence))
        totals.setdefault(family(voice), [0, 0])
        totals[family(voice)][0] += wrong
        totals[family(voice)][1] += said
        print(f"{voice:20s} WER {wrong / said:6.1%} ({wrong}/{said} words)"
              f"  {time.monotonic() - began:.0f} s", flush=True)
    for name, (wrong, said) in totals.items():
        print(f"{name:20s} WER {wrong / said:6.1%} ({wrong}/{said} words), family")


if __name__ == "__main__":
    main()
