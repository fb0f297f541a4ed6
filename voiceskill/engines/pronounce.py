"""Draft pronunciations for medicine names that pocketsphinx's bundled dictionary lacks.

After adding a medicine to prompts/medications.yaml, run::

    python -m voiceskill.engines.pronounce

It prints a cmudict line for every alias word that neither the bundled dictionary nor
``medicine_words.dict`` knows, from espeak-ng's reading mapped onto the acoustic model's
phones. These are drafts: espeak reads a brand name from its spelling and often stresses the
wrong syllable or keeps a full vowel where people say a schwa, so check each one against how
the name is said (a pharmacist's pronunciation guide) before adding it to the dictionary file,
with ``word(2)`` lines for other common ways of saying it.

Only for maintenance: nothing here runs when the skill runs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .sphinx_medicines import DICT_PATH, read_dict
from .sphinx_recognizer import normalise_phrase

# espeak-ng's American English IPA onto the 39 phones of the pocketsphinx en-us model.
# Longest symbols first, so diphthongs and r-coloured vowels win over their parts.
_IPA = {
    "aɪə": ["AY", "AH"],
    "aʊə": ["AW", "AH"],
    "ɑːɹ": ["AA", "R"],
    "ɔːɹ": ["AO", "R"],
    "oːɹ": ["AO", "R"],
    "ɛɹ": ["EH", "R"],
    "ɪɹ": ["IH", "R"],
    "iə": ["IY", "AH"],
    "ʊɹ": ["UH", "R"],
    "aɪ": ["AY"],
    "aʊ": ["AW"],
    "ɔɪ": ["OY"],
    "eɪ": ["EY"],
    "oʊ": ["OW"],
    "əʊ": ["OW"],
    "tʃ": ["CH"],
    "dʒ": ["JH"],
    "ɜː": ["ER"],
    "ɝ": ["ER"],
    "ɚ": ["ER"],
    "iː": ["IY"],
    "uː": ["UW"],
    "ɑː": ["AA"],
    "ɔː": ["AO"],
    "oː": ["OW"],
    "i": ["IY"],
    "ɪ": ["IH"],
    "ᵻ": ["IH"],
    "e": ["EY"],
    "ɛ": ["EH"],
    "æ": ["AE"],
    "a": ["AE"],
    "ɑ": ["AA"],
    "ɒ": ["AA"],
    "ɔ": ["AO"],
    "o": ["OW"],
    "ʊ": ["UH"],
    "u": ["UW"],
    "ʌ": ["AH"],
    "ə": ["AH"],
    "ɐ": ["AH"],
    "p": ["P"],
    "b": ["B"],
    "t": ["T"],
    "d": ["D"],
    # A flap is a t or d between vowels; drug names are spelt with t far more often.
    "ɾ": ["T"],
    "ʔ": ["T"],
    "k": ["K"],
    "g": ["G"],
    "ɡ": ["G"],
    "x": ["K"],
    "f": ["F"],
    "v": ["V"],
    "θ": ["TH"],
    "ð": ["DH"],
    "s": ["S"],
    "z": ["Z"],
    "ʃ": ["SH"],
    "ʒ": ["ZH"],
    "h": ["HH"],
    "ç": ["HH"],
    "m": ["M"],
    "n": ["N"],
    "ŋ": ["NG"],
    "l": ["L"],
    "ɫ": ["L"],
    "ɬ": ["L"],
    "ɹ": ["R"],
    "r": ["R"],
    "w": ["W"],
    "j": ["Y"],
}
_IGNORED = frozenset("ˈˌː.‿_- \u0329")
_LONGEST = max(len(k) for k in _IPA)


def ipa_to_phones(ipa: str) -> list[str]:
    """ARPAbet phones for espeak-ng IPA; raises ValueError on a symbol it cannot place."""
    phones: list[str] = []
    i = 0
    while i < len(ipa):
        if ipa[i] in _IGNORED:
            i += 1
            continue
        for size in range(_LONGEST, 0, -1):
            piece = ipa[i : i + size]
            if piece in _IPA:
                phones += _IPA[piece]
                i += size
                break
        else:
            raise ValueError(f"no phone for {ipa[i]!r} in {ipa!r}")
    return phones


def tidy(phones: list[str]) -> list[str]:
    """Undo espeak habits cmudict does not share: a doubled r ("ɹɹ") and r after an r-coloured
    vowel ("ɚɹ"), both one R in cmudict ("mirror" M IH R ER, "hurry" HH ER IY)."""
    out: list[str] = []
    for phone in phones:
        if phone == "R" and out and out[-1] in ("R", "ER"):
            continue
        out.append(phone)
    return out


def espeak_ipa(word: str, voice: str = "en-us") -> str:
    """How espeak-ng would say ``word``, in IPA."""
    run = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", voice, word],
        check=True,
        capture_output=True,
        text=True,
    )
    return run.stdout.strip()


def bundled_words() -> set[str]:
    """Every word of the dictionary inside the pocketsphinx wheel."""
    import pocketsphinx

    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    with path.open(encoding="utf-8") as f:
        return {line.split(maxsplit=1)[0] for line in f if line.strip()}


def alias_words(prompts: str | None = None) -> list[str]:
    """Each word of every medicine name and alias, once, in the order of the YAML."""
    from ..content import load

    words: dict[str, None] = {}
    for med in load(prompts).medications:
        for alias in (med.name, *med.said):
            words.update(dict.fromkeys(normalise_phrase(alias).split()))
    return list(words)


def missing(words: Iterable[str], known: set[str]) -> list[str]:
    return [w for w in words if w not in known]


def draft_lines(words: Sequence[str]) -> list[str]:
    lines = []
    for word in words:
        ipa = espeak_ipa(word)
        try:
            lines.append(f"{word} {' '.join(tidy(ipa_to_phones(ipa)))}")
        except ValueError as err:
            lines.append(f"# {word}: {err}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m voiceskill.engines.pronounce",
        description="Print draft pronunciations for medicine words no dictionary has.",
    )
    parser.add_argument("--prompts", help="prompts folder (default: the packaged one)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="draft every word missing from the bundled dictionary, even those already in "
        f"{DICT_PATH.name} (to compare with the reviewed entries)",
    )
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is needed: apt-get install espeak-ng", file=sys.stderr)
        return 2
    known = bundled_words()
    if not args.all:
        known |= {word for word, _ in read_dict()}
    todo = missing(alias_words(args.prompts), known)
    for line in draft_lines(todo):
        print(line)
    if not todo:
        print(f"# every medicine word has a pronunciation ({DICT_PATH.name} and the bundled one)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
