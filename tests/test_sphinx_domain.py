"""The open pass's language model of the check-in's own words, and the rule that its hearing
must not contradict the grammar's answer (docs/decisions/030).

The model's arithmetic and the comparison are pure; the last tests hear speech made at test
time (espeak-ng) through the real engine, on wordings of the corpus's tuning half.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from voiceskill import content as content_mod
from voiceskill.dialog import expectation
from voiceskill.engines import sphinx_agree, sphinx_domain
from voiceskill.messages import Expectation, Person, Transcript, Word
from voiceskill.understanding import Understander

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus"


def _read_arpa(path: Path) -> tuple[dict[tuple[str, ...], float], dict[tuple[str, ...], float]]:
    probs: dict[tuple[str, ...], float] = {}
    backoffs: dict[tuple[str, ...], float] = {}
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or line.startswith("ngram"):
            continue
        gram = tuple(parts[1].split())
        probs[gram] = 10 ** float(parts[0])
        if len(parts) == 3:
            backoffs[gram] = 10 ** float(parts[2])
    return probs, backoffs


def _p(gram: tuple[str, ...], probs: dict[tuple[str, ...], float],
       backoffs: dict[tuple[str, ...], float]) -> float:
    if gram in probs:
        return probs[gram]
    return backoffs.get(gram[:-1], 1.0) * _p(gram[1:], probs, backoffs)


def test_every_history_of_the_model_is_a_distribution(tmp_path: Path) -> None:
    """After every one- and two-word history the model's probabilities, backed off where a
    trigram is not listed, add up to one over the vocabulary and the sentence end."""
    path = tmp_path / "lm.arpa"
    words = sphinx_domain.write_arpa(
        ["yes i do", "no i don't", "not really", "yes every night", "i don't think so"],
        ["do your legs feel jumpy at night", "say that again"], path, lambda w: True)
    probs, backoffs = _read_arpa(path)
    outcomes = (words - {"<s>"}) | {"</s>"}
    histories: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for gram in probs:
        if len(gram) > 1:
            histories[len(gram)].add(gram[:-1])
    assert histories[2] and histories[3]
    for history in histories[2] | histories[3]:
        total = sum(_p((*history, w), probs, backoffs) for w in outcomes)
        assert math.isclose(total, 1.0, abs_tol=1e-3), (history, total)


def test_words_without_a_pronunciation_are_left_out(tmp_path: Path) -> None:
    words = sphinx_domain.write_arpa(["yes zzyzx", "no"], [], tmp_path / "lm.arpa",
                                     lambda w: w != "zzyzx")
    assert words == {"yes", "no"}
    assert "zzyzx" not in (tmp_path / "lm.arpa").read_text()


def test_the_extra_answers_come_from_the_tuning_half_only() -> None:
    """The model may learn the tuning half's wordings; the held-out half measures it."""
    def texts(half: str) -> set[str]:
        with open(CORPUS / f"{half}.tsv", encoding="utf-8") as f:
            rows = csv.DictReader(f, delimiter="\t")
            return {" ".join(sphinx_domain.words_of(r["text"])) for r in rows}

    lines = [s for s in sphinx_domain.EXTRA.read_text(encoding="utf-8").splitlines()
             if s and not s.startswith("#")]
    assert lines and set(lines) <= texts("tuning")
    # A wording in both halves (said at two questions) is not a held-out one; none is here.
    assert not set(lines) & (texts("held_out") - texts("tuning"))


@pytest.fixture(scope="module")
def understand() -> sphinx_agree.Understand:
    return Understander(content_mod.load()).understand


def _expect(question: str) -> Expectation:
    return expectation(content_mod.load().question(question), Person())


@pytest.mark.parametrize(
    ("said", "heard", "question", "contradicts"),
    [("that's enough for tonight", "that's not right", "urge", True),
     ("i think so", "i think not", "urge", True),
     ("go back", "go faster", "urge", True),
     ("seventy two", "he is seventy seven", "age", True),
     ("yes", "yes it's awful", "urge", False),
     ("no", "no ma'am", "urge", False),
     ("yes", "gold body", "urge", False)],
)
def test_an_open_hearing_that_means_something_else_contradicts(
    understand: sphinx_agree.Understand, said: str, heard: str, question: str,
    contradicts: bool
) -> None:
    verdict = sphinx_agree.compare(said, heard, _expect(question), understand)
    assert verdict.contradicts is contradicts, verdict


def test_a_contradicted_answer_is_asked_again_and_a_turned_away_one_read_back(
    understand: sphinx_agree.Understand
) -> None:
    expect = _expect("urge")
    forced = Transcript("that's enough for tonight", 0.9, heard="that's not right")
    checked, why = sphinx_agree.checked(forced, expect, understand, from_open=True)
    assert checked.rejected and not checked.text and why == "contradicted"
    away = Transcript("", 0.2, rejected=True, heard="absolutely")
    checked, why = sphinx_agree.checked(away, expect, understand, from_open=True)
    assert checked.text == "absolutely" and not checked.rejected and why == "open answer"
    assert checked.confidence < 0.7  # read back before it is taken
    assert sphinx_agree.checked(away, expect, understand, from_open=False)[0] == away
    # A control heard only by the open pass is never carried out.
    control = Transcript("", 0.2, rejected=True, heard="go back")
    assert sphinx_agree.checked(control, expect, understand, from_open=True)[0] == control


# ---- on speech, through the real engine ------------------------------------------------------
@pytest.fixture(scope="module")
def recognizer() -> Any:
    pytest.importorskip("pocketsphinx")
    from voiceskill.testing.speech import need_espeak

    need_espeak()
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    return SphinxRecognizer()


def _hear(rec: Any, text: str, question: str, voice: str = "en-us") -> tuple[Transcript, Any]:
    from voiceskill.audio import chunks
    from voiceskill.testing.speech import pcm

    content = content_mod.load()
    understander = Understander(content)
    expect = expectation(content.question(question), Person())
    rec.reset()
    got = rec.recognize(chunks(pcm(text, voice, 140)), expect, understander.phrases(expect),
                        understander.second_try(expect))
    return got, understander.understand(got.text, expect) if got.text else None


@pytest.mark.voice
@pytest.mark.parametrize(("text", "voice"), [("that's not right", "en-us"),
                                             ("go faster", "en-us+f3")])
def test_wordings_outside_the_grammar_are_not_forced_into_a_control(
    recognizer: Any, text: str, voice: str
) -> None:
    """Without the check "that's not right" was taken as "that's enough for tonight" (the
    check-in ended) and "go faster" as "go back"."""
    got, meant = _hear(recognizer, text, "urge", voice)
    assert meant is None or meant.intent == "answer", (got, meant)


@pytest.mark.voice
@pytest.mark.parametrize(("text", "value"), [("absolutely", "yes"), ("honestly no", "no")])
def test_answers_the_grammar_lacks_are_heard_and_read_back(
    recognizer: Any, text: str, value: str
) -> None:
    got, meant = _hear(recognizer, text, "urge")
    assert meant is not None and (meant.intent, meant.value) == ("answer", value), got
    assert got.confidence < 0.7, got


@pytest.mark.voice
def test_the_open_pass_loads_a_small_model() -> None:
    """The open pass's model and dictionary are the check-in's own: a few hundred words, so
    the engine no longer holds the general model's 90 MB (docs/decisions/030)."""
    pytest.importorskip("pocketsphinx")
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    rec = SphinxRecognizer()
    words = rec._words
    assert 300 < len(words) < 5000
    assert {"yes", "absolutely", "seventy", "ropinirole", "again"} <= words
    assert rec._open is not None and rec._open.lookup_word("aardvark") is None


@pytest.mark.voice
def test_the_open_pass_hears_the_content_folder_the_check_in_uses(tmp_path: Path) -> None:
    """A wording added in another content folder (``--prompts``) is in the open pass's model
    and is read by the agreement check as the check-in reads it."""
    pytest.importorskip("pocketsphinx")
    import shutil

    from voiceskill.content import loader
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer

    folder = tmp_path / "prompts"
    shutil.copytree(loader.default_prompts_dir(), folder)
    words = folder / "understanding.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace(
        '  repeat:\n    - "say that again"\n',
        '  repeat:\n    - "say that again"\n    - "pardon my ears"\n', 1), encoding="utf-8")
    rec = SphinxRecognizer(prompts=str(folder))
    assert "ears" in rec._words and "ears" not in SphinxRecognizer()._words
    read = sphinx_agree.understander(str(folder))
    assert read("pardon my ears", Expectation("yes_no", "urge")).intent == "repeat"


def test_an_answer_sharing_no_word_with_the_open_hearing_is_asked_again(
    understand: sphinx_agree.Understand
) -> None:
    """ "faster please" forced into "yes please" was heard "this degrees": nothing understood,
    nothing shared. A hesitation sound shared is no agreement."""
    expect = _expect("urge")
    for said, heard in (("yes please", "this degrees"), ("oh i don't know", "pill doesn't oh")):
        checked, why = sphinx_agree.checked(Transcript(said, 0.9, heard=heard), expect,
                                            understand, from_open=True)
        assert checked.rejected and why == "disagreed", (said, heard)
    kept = Transcript("what", 0.8, heard="what do")
    assert sphinx_agree.checked(kept, expect, understand, from_open=True) == (kept, "")
    silent = Transcript("yes", 0.8, heard="")
    assert sphinx_agree.checked(silent, expect, understand, from_open=True) == (silent, "")


def test_only_sure_open_words_inside_the_answer_count(understand: sphinx_agree.Understand
                                                      ) -> None:
    """The open pass invents words in the silence after an answer and words it is unsure of:
    those outside the grammar answer's span are left out, and one unsure word inside it
    leaves no evidence at all."""
    span = (Word("yes", 0.9, 0.30, 0.70),)
    after = (Word("yes", 0.95, 0.32, 0.70), Word("are", 0.9, 0.9, 1.1), Word("you", 0.9, 1.1, 1.3))
    assert sphinx_agree.within(after, span) == "yes"
    unsure = (Word("so", 0.48, 0.3, 0.47), Word("i'm", 0.0, 0.47, 0.64),
              Word("told", 0.01, 0.64, 0.9))
    assert sphinx_agree.within(unsure, (Word("sometimes", 0.9, 0.3, 0.92),)) == ""
    sure = (Word("i", 0.9, 0.3, 0.4), Word("think", 0.8, 0.4, 0.6), Word("not", 0.7, 0.6, 0.9))
    assert sphinx_agree.within(sure, (Word("i", 0.9, 0.3, 0.4), Word("think", 0.9, 0.4, 0.6),
                                      Word("so", 0.9, 0.6, 0.9))) == "i think not"
    expect = _expect("urge")
    forced = Transcript("i think so", 0.9, words=span, heard="i think not")
    assert sphinx_agree.checked(forced, expect, understand, True, sure)[1] == "contradicted"
    kept = Transcript("sometimes", 0.9, words=(Word("sometimes", 0.9, 0.3, 0.92),),
                      heard="so i'm told")
    assert sphinx_agree.checked(kept, expect, understand, True, unsure) == (kept, "")
    # Turned away by the grammar: an open answer only when every word is sure.
    away = Transcript("", 0.2, rejected=True, heard="can you pass really no if")
    vague = tuple(Word(w, p, i / 10, (i + 1) / 10) for i, (w, p) in enumerate(
        [("can", 0.39), ("you", 1.0), ("pass", 0.08), ("really", 1.0), ("no", 0.18),
         ("if", 0.81)]))
    assert sphinx_agree.checked(away, expect, understand, True, vague) == (away, "")
    clear = Transcript("", 0.2, rejected=True, heard="that's not right")
    words = (Word("that's", 0.78, 0.28, 0.65), Word("not", 0.76, 0.65, 0.94),
             Word("right", 1.0, 0.94, 1.39))
    taken, why = sphinx_agree.checked(clear, expect, understand, True, words)
    assert why == "open answer" and taken.text == "that's not right" and taken.confidence < 0.7


@pytest.mark.voice
@pytest.mark.parametrize(("text", "voice", "rate", "lead", "trail"),
                         [("sometimes", "en-us", 160, 0.02, 0.33),
                          ("skip that", "en-gb", 140, 0.31, 0.32)])
def test_a_listed_answer_followed_by_silence_is_kept(
    understand: sphinx_agree.Understand, text: str, voice: str, rate: int, lead: float,
    trail: float
) -> None:
    """Said as at a microphone, with silence after it, a listed answer was turned away when
    every open-pass word counted ("sometimes" heard "so i'm told", "skip that" "you bet
    lot", before the open pass learnt more of the check-in's words); counting only sure
    words, it is kept, by the default recogniser too."""
    pytest.importorskip("pocketsphinx")
    from voiceskill.audio import chunks
    from voiceskill.engines.sphinx_recognizer import SphinxRecognizer
    from voiceskill.testing.speech import need_espeak, pcm

    need_espeak()
    padded = (b"\0\0" * int(lead * 16000) + pcm(text, voice, rate)
              + b"\0\0" * int(trail * 16000))
    content = content_mod.load()
    understander = Understander(content)
    expect = expectation(content.question("urge"), Person())
    args = (understander.phrases(expect), understander.second_try(expect))
    plain = SphinxRecognizer(agreement=False)
    got = plain.recognize(chunks(padded), expect, *args)
    assert got.text == text, got
    words = sphinx_agree.open_words(plain._open)
    assert sphinx_agree.checked(got, expect, understand, True, words) == (got, "")
    # Without 034's read-back rule, which asks "skip that" again here: the open pass heard
    # "you bet not", and "you bet" is a yes (docs/decisions/034).
    assert SphinxRecognizer(sure=None).recognize(chunks(padded), expect, *args).text == text
