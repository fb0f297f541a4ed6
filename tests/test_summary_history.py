"""The summary's one sentence of the week (summary.history_sentence): when it is said, its
words for oneself and for a caregiver, and the summary's budget with it."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill import rules, summary
from voiceskill.messages import Person
from voiceskill.rules import assess
from voiceskill.summary import History, history_sentence

from .test_summary import PEOPLE, C, _random_answers, _sentences

ME = Person()
ROSE = Person(True, "Rose", "she")


@pytest.mark.parametrize(("history", "person", "said"), [
    (None, ME, None),
    (History(2, 3, 3), ME, None),  # two earlier nights are not a pattern
    (History(3, 4, 4), ME, "Your legs bothered you on 4 of the 4 nights checked this week."),
    (History(6, 5, 7), ME, "Your legs bothered you on 5 of the last 7 nights."),
    (History(6, 5, 7), ROSE, "Rose's legs bothered her on 5 of the last 7 nights."),
    (History(3, 2, 4), Person(True, "Sam", "they"),
     "Sam's legs bothered them on 2 of the 4 nights checked this week."),
    (History(3, 2, 4), Person(True, "", "he"),
     "The person's legs bothered him on 2 of the 4 nights checked this week."),
    (History(4, 0, 5), ME, None),  # nothing to tell of calm nights
    (History(4, 3, 5, "caffeine or alcohol in the evening", 3), ROSE,
     "Caffeine or alcohol in the evening came up 3 times this week."),
    (History(4, 3, 5, "stress and worry", 2), ME,  # twice is not "keeps coming up"
     "Your legs bothered you on 3 of the 5 nights checked this week."),
])
def test_the_sentence(history: History | None, person: Person, said: str | None) -> None:
    assert history_sentence(C, history, person) == said


def test_the_words_are_the_content_folders(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(content_mod.loader.default_prompts_dir(), folder)
    dialog = folder / "dialog.yaml"
    dialog.write_text(dialog.read_text(encoding="utf-8").replace(
        "Your legs bothered you on {count} of the last 7 nights.",
        "{count} of your last 7 nights were restless."), encoding="utf-8")
    edited = content_mod.load(folder)
    said = history_sentence(edited, History(6, 5, 7), ME)
    assert said == "5 of your last 7 nights were restless."


@pytest.mark.parametrize("warning_signs", [True, False])
def test_every_summary_with_a_week_fits_45_seconds_in_short_sentences(
    warning_signs: bool,
) -> None:
    """Random answers (with warning signs, mostly urgent; or without) and a random week: the
    budget holds, the week is never told in an emergency, and always told otherwise when
    nothing is urgent (2026-12-06: 351 of 351 without warning signs)."""
    rng = random.Random(20261207)
    titles = [c.title for c in C.causes if c.kind == "trigger"]
    flags = rules.red_flag_questions(C)
    told = calm = 0
    for i in range(400):
        answers = _random_answers(rng)
        if not warning_signs:
            answers.update(dict.fromkeys(flags, "no"))
        person = PEOPLE[i % len(PEOPLE)]
        known = rng.randint(4, 7)
        history = History(known - 1, rng.randint(0, known), known, rng.choice(titles),
                          rng.randint(0, known))
        result = assess(C, answers, person)
        spoken = summary.spoken_summary(C, result, answers, person, history=history)
        words = sum(len(line.split()) for line in spoken)
        assert words <= summary.MAX_SUMMARY_WORDS, (words, spoken)
        for line in spoken:
            for sentence in _sentences(line):
                assert len(sentence.split()) <= summary.MAX_SENTENCE_WORDS, sentence
        week = history_sentence(C, history, person)
        if result.emergency:
            assert week not in spoken
        elif week and not result.urgent:
            calm += 1
            told += week in spoken
    assert told == calm
    if not warning_signs:
        assert calm > 300
