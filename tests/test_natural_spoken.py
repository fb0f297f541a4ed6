"""The spoken natural-answer benchmark: its scoring, its voices and noise, and a short real run.

Items quoted here come from the tuning half of the corpus and are spoken only with tuning
voices; the held-out half and the held-out voices are left to the benchmark itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest

from benchmarks import listed_items as run_bench
from benchmarks import natural_spoken as ns
from benchmarks import noise_beds, typed
from voiceskill.messages import Medication, Person, Understood
from voiceskill.testing import speech as speechgen

TUNING = {(i.question, i.text): i for i in typed.load("tuning")}


def _item(question: str, text: str) -> typed.Item:
    return TUNING[(question, text)]


def _result(item: typed.Item, outcome: str, flip: bool = False) -> ns.Result:
    return ns.Result(item.kind, item.question, item.text, item.expect, "en-us", "quiet", "",
                     "", outcome, flip, 10.0)


NO = _item("urge", "no, not really")
YES = _item("urge", "absolutely")
TV = next(i for i in TUNING.values() if i.kind == "not_answer")
AGAIN = _item("urge", "say again")


def test_a_yes_heard_as_no_and_kept_is_a_flip_acted_on() -> None:
    assert ns.score(YES, Understood("answer", "no"), True) == ("acted_on", True)
    assert ns.score(NO, Understood("answer", "yes"), True) == ("acted_on", True)


def test_a_flip_read_back_first_is_still_a_flip() -> None:
    assert ns.score(NO, Understood("answer", "yes"), False) == ("read_back", True)


def test_a_rejection_or_a_reply_not_understood_is_asked_again() -> None:
    rejected = Understood("unknown", None, "", "not an answer")
    assert ns.score(YES, rejected, True) == ("asked", False)
    assert ns.score(AGAIN, Understood("unknown"), True) == ("asked", False)


def test_right_answers_and_other_meanings_that_are_no_flip() -> None:
    assert ns.score(YES, Understood("answer", "yes"), False) == ("right", False)
    assert ns.score(AGAIN, Understood("repeat"), True) == ("right", False)
    # A control taken as an answer is wrong, but no polarity flip; "not sure" is no flip.
    assert ns.score(AGAIN, Understood("answer", "no"), True) == ("acted_on", False)
    assert ns.score(YES, Understood("answer", "unsure"), True) == ("acted_on", False)


def test_talk_that_is_not_an_answer_is_right_only_when_not_taken() -> None:
    assert ns.score(TV, Understood("unknown"), True) == ("right", False)
    assert ns.score(TV, Understood("answer", "no"), True) == ("acted_on", False)
    assert ns.score(TV, Understood("stop"), False) == ("read_back", False)


def test_medicine_names_are_scored_as_a_set() -> None:
    item = typed.Item("medicine", "medications", "she takes Zoloft and a water pill",
                      "sertraline", "bedside")
    said = [Medication("sertraline", "Zoloft", "ssri")]
    assert ns.score(item, Understood("answer", said), True) == ("right", False)
    other = [Medication("paroxetine", "Paxil", "ssri")]
    assert ns.score(item, Understood("answer", other), True) == ("acted_on", False)


def test_stored_hearings_are_understood_again_without_the_engine() -> None:
    from dataclasses import replace

    from voiceskill import content as content_mod

    quieter = _item("urge", "quieter please")
    # As Whisper base heard it in pink noise, with and without the prompt.
    garbled = replace(_result(quieter, "asked"), heard="Try it up please.", confidence=0.5,
                      alternative="Quieter please")
    turned = replace(_result(YES, "asked"), heard="(rejected: Fair finner T.)")
    kept = replace(_result(NO, "right"), heard="No, not really.", confidence=0.9)
    again = ns.rescore([garbled, turned, kept], content_mod.load())
    assert [(r.outcome, r.said) for r in again] == [
        ("right", "quieter"), ("asked", "unknown"), ("right", "no")]


def test_tallies_count_each_outcome_and_the_flips() -> None:
    results = [_result(YES, "right"), _result(NO, "acted_on", True), _result(NO, "asked"),
               _result(AGAIN, "read_back"), _result(TV, "right")]
    t = ns.tallies(results)
    assert t["all"].n == 5
    assert t["all"].counts == {"right": 2, "asked": 1, "read_back": 1, "acted_on": 1}
    assert t["all"].flips == 1
    assert (t["yes_no"].n, t["yes_no"].flips, t["control"].counts["read_back"]) == (3, 1, 1)


def test_the_breakdown_says_how_many_acted_on_were_a_harmless_control() -> None:
    from dataclasses import replace

    from benchmarks.natural_tables import ERRORS, breakdown

    results = [replace(_result(TV, "acted_on"), said="help"),
               replace(_result(TV, "acted_on"), said="skip"),
               replace(_result(NO, "acted_on", True), said="yes")]
    row = breakdown(results).splitlines()[-1].split()
    counts = dict(zip(ERRORS, map(int, row[3:]), strict=True))
    assert (row[0], row[1], row[2]) == ("all", "3", "0")
    assert (counts["acted on"], counts["...harmless"], counts["flips"]) == (3, 1, 1)


def test_a_caregiver_answer_is_heard_as_a_caregiver_would_be_asked() -> None:
    assert ns.person_for("she does, yes") == Person(True, "Rose", "she")
    assert ns.person_for("he's ninety one") == Person(True, "Tom", "he")
    assert ns.person_for("I think so") == Person()
    assert ns.person_for("the heating") == Person()


def test_voice_sets_are_apart_and_the_held_out_one_is_used_by_no_other_benchmark() -> None:
    assert not set(ns.TUNING_VOICES) & set(ns.HELD_OUT_VOICES)
    assert set(ns.TUNING_VOICES) <= set(run_bench.VOICES) | set(run_bench.FLITE_VOICES)
    used = {*run_bench.VOICES, *run_bench.FLITE_VOICES, *noise_beds.TV_VOICES}
    assert not set(ns.HELD_OUT_VOICES) & used
    tests = "".join(p.read_text() for p in Path(__file__).parent.glob("*.py")
                    if p.name != Path(__file__).name)
    assert not [v for v in ns.HELD_OUT_VOICES if f'"{v}"' in tests]


def test_each_half_is_spoken_only_with_its_own_voices() -> None:
    with pytest.raises(SystemExit):
        ns.main(["--half", "held_out", "--voices", "tuning", "--sample", "1"])
    with pytest.raises(SystemExit):
        ns.main(["--half", "tuning", "--voices", "held_out", "--sample", "1"])
    # The neural voices are a second held-out set: never for the tuning half.
    with pytest.raises(SystemExit):
        ns.main(["--half", "tuning", "--voices", "neural", "--sample", "1"])
    assert not set(ns.NEURAL_VOICES) & {*ns.TUNING_VOICES, *ns.HELD_OUT_VOICES}
    # The development voices speak the tuning half only.
    with pytest.raises(SystemExit):
        ns.main(["--half", "held_out", "--voices", "dev", "--sample", "1"])


def test_the_development_voices_are_new_and_each_speaks_differently() -> None:
    """No tuning, held-out or listed-phrase voice, none in a test; and each really is another
    voice (espeak-ng silently ignores a variant after "en-gb", for one)."""
    used = {*ns.TUNING_VOICES, *ns.HELD_OUT_VOICES, *run_bench.VOICES, *run_bench.FLITE_VOICES,
            *noise_beds.TV_VOICES}
    assert not set(ns.DEV_VOICES) & used
    tests = "".join(p.read_text() for p in Path(__file__).parent.glob("*.py")
                    if p.name != Path(__file__).name)
    assert not [v for v in ns.DEV_VOICES if f'"{v}"' in tests]
    speechgen.need_espeak()
    sounds = {speechgen.pcm("not really", v) for v in (*ns.DEV_VOICES, "en-gb", "en-us")}
    assert len(sounds) == len(ns.DEV_VOICES) + 2


def test_the_sample_and_the_voices_are_fixed() -> None:
    items = typed.load("tuning")
    a, b = ns.sample(items, 20), ns.sample(items, 20)
    assert a == b and len(a) == 20 and len(set(a)) == 20
    assert [ns.speaking(i, ns.TUNING_VOICES) for i in a] == [
        ns.speaking(i, ns.TUNING_VOICES) for i in b]
    assert {ns.speaking(i, ns.TUNING_VOICES).voice for i in items} == set(ns.TUNING_VOICES)


@pytest.mark.voice
def test_pink_noise_is_mixed_at_ten_decibels_below_the_speech() -> None:
    speechgen.need_espeak()
    spoken = ns.Spoken("en-us", 140, 0.0)
    # The level is set from the synthesised file; the quiet after it is measured apart.
    quiet = numpy.frombuffer(ns.audio_for(YES, spoken, None, trail=0.0), "<i2").astype(float)
    noisy = numpy.frombuffer(ns.audio_for(YES, spoken, 10.0, trail=0.0), "<i2").astype(float)
    noise = noisy - quiet
    snr = 10 * numpy.log10(numpy.mean(quiet**2) / numpy.mean(noise**2))
    assert 9.5 < snr < 10.5
    # The noise goes on over the quiet after the answer, as a room's does.
    ending = numpy.frombuffer(ns.audio_for(YES, spoken, 10.0), "<i2").astype(float)[-8000:]
    assert 0.5 < numpy.mean(ending**2) / numpy.mean(noise**2) < 2.0
    # Pink: most of the power below 1 kHz, unlike white noise.
    power = numpy.abs(numpy.fft.rfft(noise)) ** 2
    freqs = numpy.fft.rfftfreq(len(noise), 1 / 16000)
    assert power[freqs < 1000].sum() > power[freqs >= 1000].sum()


@pytest.mark.voice
def test_each_answer_ends_with_the_quiet_the_microphone_path_hands_on() -> None:
    speechgen.need_espeak()
    from voiceskill.config import Settings

    spoken = ns.Spoken("en-us", 140, 0.0)
    bare = numpy.frombuffer(ns.audio_for(YES, spoken, None, trail=0.0), "<i2")
    audio = numpy.frombuffer(ns.audio_for(YES, spoken, None), "<i2")
    assert len(audio) - len(bare) == round(0.5 * 16000)
    # The listener passes on end_silence of quiet after the last loud frame (0.8 s).
    loud = numpy.flatnonzero(numpy.abs(audio) > 300)
    assert (len(audio) - 1 - loud[-1]) / 16000 >= Settings().end_silence - 0.05


def test_an_engine_setting_is_given_as_a_number_true_or_false_or_a_word() -> None:
    assert ns._value("8") == 8 and isinstance(ns._value("8"), int)
    assert ns._value("0.5") == 0.5
    assert ns._value("False") is False and ns._value("true") is True
    assert ns._value("question+answers") == "question+answers"  # Whisper's prompt


@pytest.mark.voice
def test_three_answers_spoken_through_pocketsphinx(tmp_path: Path) -> None:
    speechgen.need_espeak()
    pytest.importorskip("pocketsphinx")
    items = [NO, _item("pregnant", "yes I am"), _item("stress", "no I haven't")]
    results = ns.run(items, ns.build("pocketsphinx"), ("en-us",), "quiet")
    assert [(r.text, r.outcome) for r in results] == [(i.text, "right") for i in items]
    assert all(0 < r.latency_ms < 5000 for r in results)
    out = tmp_path / "r.json"
    assert ns.main(["--half", "tuning", "--sample", "3", "--conditions", "quiet",
                    "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["items"] == 3 and len(record["results"]) == 3
    assert {r["outcome"] for r in record["results"]} <= set(ns.OUTCOMES)
    assert {r["voice"] for r in record["results"]} <= set(ns.TUNING_VOICES)
    assert record["peak_mb"] > 0
    assert "| pocketsphinx | tuning (tuning) | quiet |" in ns.summary_table([record])
