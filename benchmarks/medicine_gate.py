"""Saying "no medicines" by voice: at "Do you take any medicines?" and at the names question.

The check-in asks the yes/no first and the names only after a yes. This measures why: the same
ways of saying there are none, spoken by every benchmark voice, clean and at 10 dB SNR,
recognised with each question's real grammar (as the check-in builds it) and understood.
The yes and "yes I do" replies to the yes/no are measured too, since a yes must not become a no.

    python -m benchmarks.medicine_gate [--no-flite]     (from the project root)
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict

from benchmarks.listed_items import FLITE_VOICES, RATES, VOICES, Case
from benchmarks.noise_beds import audio_for, snr_name
from voiceskill import content as content_mod
from voiceskill.audio import CHUNK_BYTES, chunks
from voiceskill.dialog import expectation
from voiceskill.messages import Person, Understood
from voiceskill.testing.speech import have_flite
from voiceskill.understanding import Understander

AT_YES_NO = ["no", "nope", "none", "nothing", "i don't take anything", "no i don't"]
YES = ["yes", "yes i do"]
AT_NAMES = ["none", "nothing", "no", "i don't take anything"]
TAKES = 2  # each item twice per voice, at its own rate and pauses


def measure(voices: list[str]) -> dict[tuple[str, str, str, str], list[int]]:
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    content = content_mod.load()
    understander = Understander(content)
    recognizer = SphinxRecognizer(open_pass=False)
    gate = expectation(content.question("takes_medicines"), Person())
    names = expectation(content.question("medications"), Person())
    items = [("yes/no", t, gate) for t in AT_YES_NO + YES] + [("names", t, names) for t in AT_NAMES]
    tally: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for snr in (None, 10.0):
        for v, voice in enumerate(voices):
            for take in range(TAKES):
                order = list(range(len(items)))
                random.Random(f"{voice}|{take}").shuffle(order)
                for i in order:
                    where, text, expect = items[i]
                    r = random.Random(f"{voice}|{text}|{where}|{take}")
                    case = Case(
                        "answers", text, expect, voice, r.choice(RATES),
                        round(r.uniform(0.0, 0.4), 2), round(r.uniform(0.0, 0.5), 2),
                        5000 + 37 * i + take + 1000 * v,
                    )
                    heard = recognizer.recognize(
                        chunks(audio_for(case, snr), CHUNK_BYTES), expect,
                        understander.phrases(expect),
                    )
                    got = (
                        understander.understand(heard.text, expect)
                        if heard.text
                        else Understood("unknown")
                    )
                    truth = understander.understand(text, expect)
                    ok = got.intent == truth.intent and got.value == truth.value
                    synth = "flite" if voice in FLITE_VOICES else "espeak-ng"
                    for key in ((where, text, synth, snr_name(snr)),
                                (where, "(all yes)" if text in YES else "(all ways of none)",
                                 synth, snr_name(snr))):
                        tally[key][0] += ok
                        tally[key][1] += 1
    return tally


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-flite", action="store_true", help="leave out the flite voices")
    args = ap.parse_args()
    voices = VOICES + ([] if args.no_flite or not have_flite() else FLITE_VOICES)
    tally = measure(voices)
    print(f"{'question':8} {'said':24} {'voices':10} {'noise':6} understood")
    for key in sorted(tally):
        right, n = tally[key]
        print(f"{key[0]:8} {key[1]:24} {key[2]:10} {key[3]:6} {right}/{n} ({100 * right / n:.0f}%)")


if __name__ == "__main__":
    main()
