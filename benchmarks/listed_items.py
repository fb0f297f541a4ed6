"""The listed-phrase benchmark's items: every answer, control and number the recognisers
listen for at a question, answers begun with a sound, ages said as a sentence, and talk that is
not an answer; the voices that say them, and the order and pace each voice says them in."""

from __future__ import annotations

import random
from dataclasses import dataclass

from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.messages import Expectation, Person
from voiceskill.testing.speech import FLITE

# The urge question as the check-in asks it of someone answering for themself: its grammar
# holds the common answers, the controls and its short replies ("yes i do").
_CONTENT = content_mod.load()
YES_NO = expectation(_CONTENT.question("urge"), Person())
NIGHTS = expectation(_CONTENT.question("nights_per_week"), Person())
AGE = expectation(_CONTENT.question("age"), Person())
"""As the check-in asks them of someone answering for themself: the age question also
listens, on the second try, for "I'm" or "I am" before the number."""
AGE_FOR = {p: expectation(_CONTENT.question("age"), Person(True, "Rose", p))
           for p in ("she", "he", "they")}

# (text, expectation): the right meaning is what the parser makes of the text itself.
# Every answer and control phrase the recognisers listen for at the urge question
# (prompts/understanding.yaml listen_for, and the question's short replies), so each phrase
# of the grammar is also tested as a spoken answer.
ANSWERS: list[tuple[str, Expectation]] = [
    (t, YES_NO)
    for t in (
        "yes", "no", "yeah", "yep", "nope", "yes please", "not really", "not at all",
        "i think so", "i don't think so", "sometimes", "a little", "a lot", "every night",
        "most nights", "never", "not sure", "i'm not sure", "i don't know",
        "i can't remember", "maybe", *YES_NO.short_answers,
    )
]
# Every control phrase the recognisers listen for, so a phrase added there is measured too.
CONTROLS: list[tuple[str, Expectation]] = [
    (t, YES_NO) for t in _CONTENT.vocabulary.listen_for["controls"]
]
NUMBERS: list[tuple[str, Expectation]] = [
    ("five", NIGHTS),
    ("twice", NIGHTS),
    ("every night", NIGHTS),
    ("three nights a week", NIGHTS),
    ("once", NIGHTS),
    ("two", NIGHTS),
    ("seven", NIGHTS),
    ("most nights", NIGHTS),
    ("about four", NIGHTS),
    ("seventy", AGE),
    ("eighty two", AGE),
    ("sixty eight", AGE),
    ("ninety", AGE),
    ("eighty", AGE),
    ("forty five", AGE),
    ("seventy three", AGE),
    ("fifty nine", AGE),
    ("one hundred", AGE),
]
# Answers as people often begin them, with a sound first (prompts/understanding.yaml
# listen_for.lead_ins), or a "thanks" after; the right meaning is the answer's.
LEAD_INS: list[tuple[str, Expectation]] = [
    (t, YES_NO)
    for t in (
        "oh yes", "oh no", "well yes", "well no", "um yes", "um no", "hmm no", "hmm yes",
        "uh no", "er no", "no thanks", "yes thanks", "no thank you", "yes thank you",
        "well sometimes", "oh never", "um i don't know", "well not really", "hmm maybe",
        "well i think so", "oh every night",
    )
]
# Numbers begun with a sound, said after the answers with a lead-in, in their own order.
NUMBER_LEAD_INS: list[tuple[str, Expectation]] = [
    ("um seventy", AGE), ("uh eighty two", AGE), ("well sixty eight", AGE), ("oh ninety", AGE),
    ("er seventy three", AGE), ("hmm fifty nine", AGE), ("um five", NIGHTS),
    ("uh twice", NIGHTS), ("well most nights", NIGHTS), ("oh every night", NIGHTS),
    ("er three", NIGHTS), ("uh never", NIGHTS),
]
# Ages said as a sentence ("I'm seventy", "she's eighty two"), by the person and by a
# caregiver, said after the rest, in their own order.
AGE_OPENERS: list[tuple[str, Expectation]] = [
    ("i'm seventy", AGE), ("i'm sixty eight", AGE), ("i am seventy five", AGE),
    ("i'm eighty one", AGE), ("she's eighty two", AGE_FOR["she"]),
    ("she is ninety", AGE_FOR["she"]), ("he's seventy four", AGE_FOR["he"]),
    ("he's sixty", AGE_FOR["he"]), ("they're eighty five", AGE_FOR["they"]),
]
# Talk a bedside device overhears: the television or radio, people in the room, the person
# talking to someone else or to another device.
UNRELATED = [
    "turn on the lights",
    "what's the weather like tomorrow",
    "i need to buy some milk",
    "call my daughter please",
    "the news is on at ten o'clock",
    "where did i put my glasses",
    "the dog wants to go out",
    "play some music",
    "it was a lovely day at the beach",
    "and now over to the sports desk",
    "set an alarm for seven",
    "the kettle has boiled",
    "what time is it",
    "can you pass me the remote",
    "honey did you lock the door",
    "turn the television down a bit",
    "could you open the window",
    "i'm going to get a glass of water",
    "the president announced new tariffs today",
    "this program is brought to you by our sponsors",
    "and now back to the studio for the latest news",
    "heavy rain is expected in the north overnight",
    "the match ended two all after extra time",
    "stay tuned for more after the break",
    "did you feed the cat",
    "the heating is making that noise again",
    "have you seen my phone charger",
    "let's watch the film tomorrow",
    "my back has been aching all day",
    "the doctor's appointment is on thursday",
    "shall we have fish for dinner",
    "i'll put the kettle on",
    "can you turn the fan off",
    "your mother called this afternoon",
    "the car needs new tyres",
    "good evening and welcome to the program",
]
NAMES_A_NUMBER = {"the news is on at ten o'clock", "set an alarm for seven",
                   "the match ended two all after extra time"}
UNRELATED_AT_NUMBERS: list[tuple[str, Expectation]] = [
    (t, AGE if i % 2 == 0 else NIGHTS)
    for i, t in enumerate([t for t in UNRELATED if t not in NAMES_A_NUMBER][::2])
]
"""Half the unrelated sentences again (none that names a number, which is an answer there), at
the age and nights questions in turn: a number question listens for other phrases, and for
more of them on a second try ("um, seventy")."""
VOICES = ["en-us", "en-us+f3", "en-us+m3", "en-gb", "en-us+f2", "en-gb-x-rp"]
FLITE_VOICES = [f"{FLITE}slt", f"{FLITE}rms", f"{FLITE}awb", f"{FLITE}kal16"]
"""A second synthesiser, so the figures do not rest on one engine's quirks: three statistical
voices (US female, US male, Scottish male) and a diphone voice made from recordings."""
RATES = [120, 140, 160]
SNRS: list[float | None] = [None, 20.0, 10.0, 5.0]
QUICK_VOICES = ["en-us", "en-gb"]
QUICK_SNRS: list[float | None] = [None, 10.0]
FREE_SNRS = {"clean", "10 dB"}
"""Open recognition is measured at these levels only; it is slow and not what the check-in uses."""


@dataclass(frozen=True)
class Case:
    group: str
    text: str
    expect: Expectation
    voice: str
    rate: int
    lead: float  # seconds of extra silence before the speech (on top of espeak's 0.3 s pad)
    trail: float
    seed: int


def cases(voices: list[str]) -> list[Case]:
    """Every item once per voice, at a rate and onset that vary from item to item.

    People do not answer at an exact offset or pace, and the recogniser carries state from one
    answer to the next, so each voice gets the items in its own shuffled order, a speaking
    rate from RATES, and 0-0.4 s more silence before the answer than espeak's 0.3 s pad.
    """
    groups = {"answers": ANSWERS, "controls": CONTROLS, "numbers": NUMBERS}
    items: list[tuple[str, str, Expectation]] = [
        (g, t, e) for g, rows in groups.items() for t, e in rows
    ] + [("unrelated", t, YES_NO) for t in UNRELATED]
    # The groups added later come after the rest, each in their own order, so the items
    # above are heard in the same order (and recogniser state) as in runs made before they
    # existed.
    led: list[tuple[str, str, Expectation]] = [("lead_in", t, e) for t, e in LEAD_INS]
    led += [("number_lead_in", t, e) for t, e in NUMBER_LEAD_INS]
    led += [("unrelated_number", t, e) for t, e in UNRELATED_AT_NUMBERS]
    led += [("age_opener", t, e) for t, e in AGE_OPENERS]
    items_all = items + led
    out: list[Case] = []
    for v, voice in enumerate(voices):
        rng = random.Random(f"{voice}|order")
        order = list(range(len(items)))
        rng.shuffle(order)
        led_order = list(range(len(items), len(items) + len(LEAD_INS)))
        random.Random(f"{voice}|lead-in order").shuffle(led_order)
        start = len(items) + len(LEAD_INS)
        numbers_order = list(range(start, start + len(NUMBER_LEAD_INS)))
        random.Random(f"{voice}|number lead-in order").shuffle(numbers_order)
        start += len(NUMBER_LEAD_INS)
        unrelated_order = list(range(start, start + len(UNRELATED_AT_NUMBERS)))
        random.Random(f"{voice}|unrelated at numbers order").shuffle(unrelated_order)
        openers_order = list(range(start + len(UNRELATED_AT_NUMBERS), len(items_all)))
        random.Random(f"{voice}|age openers order").shuffle(openers_order)
        for i in order + led_order + numbers_order + unrelated_order + openers_order:
            group, text, expect = items_all[i]
            r = random.Random(f"{voice}|{text}")
            out.append(
                Case(
                    group, text, expect, voice, r.choice(RATES), round(r.uniform(0.0, 0.4), 2),
                    round(r.uniform(0.0, 0.5), 2), 1000 * v + i,
                )
            )
    return out
