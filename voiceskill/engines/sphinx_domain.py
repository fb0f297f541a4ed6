"""A small language model of the check-in's own words, for pocketsphinx's open pass.

The open decoder used pocketsphinx's general English trigram model (``en-us.lm.bin``), which
knows 130 000 words and how newspapers string them together, but not how a tired person
answers "Do your legs feel jumpy at night?". This module writes, at start-up and in a few
tenths of a second, an ARPA trigram model of what is said at a check-in:

* every phrase the grammars listen for, at every question, for oneself and for a caregiver
  (answers, controls, numbers with their units, medicine names, the ways of saying none);
* the yes/no wordings of ``prompts/grammar.yaml``, expanded;
* the vocabulary of the text understanding (yes, no and not-sure phrases, controls, fillers);
* the answers of the natural-answer corpus's *tuning* half (``sphinx_domain.txt``; the
  held-out half never feeds it);
* and, as an everyday-English backbone so that other talk is heard as other talk rather
  than forced into an answer, everything the check-in itself says (questions, help,
  advice, dialog lines) and the corpus's talk that is not an answer.

Smoothing is interpolated absolute discounting written out in ARPA's back-off form. Words
without a pronunciation are dropped from a sentence. A dictionary of only the model's words
goes with it, so the open decoder no longer loads the 130 000-word one (docs/decisions/030).
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

EXTRA = Path(__file__).with_name("sphinx_domain.txt")
"""Answers said at the bedside (the corpus's tuning half), one a line."""

DISCOUNT = 0.7
"""Absolute discount per seen n-gram: most phrases are seen once or twice, and the mass
freed goes to the shorter history (how a wording the model has not seen is still heard)."""

BACKBONE_WEIGHT = 0.25
"""Share of the unigram distribution given to the backbone words (what the check-in says,
talk that is not an answer), the rest to the answers' words."""

_WORD = re.compile(r"[a-z][a-z']*")


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text``, typographic apostrophes folded, other marks dropped."""
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    return [w.strip("'") for w in _WORD.findall(text) if w.strip("'")]


def _walk(value: Any) -> Iterator[str]:
    """Every string inside nested dicts, lists and dataclass-like texts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)


def answer_sentences(content: Any, templates: Iterable[str] = ()) -> list[str]:
    """What is said in answer at a check-in: phrases, vocabulary, templates, the extra list."""
    from ..content import Question
    from ..expectations import expectation
    from ..messages import Person
    from ..understanding import Understander

    understander = Understander(content)
    out: list[str] = []
    people = (Person(), Person(True, "Rose", "she"), Person(True, "Tom", "he"))
    q: Question
    for q in content.questions:
        for person in people:
            expect = expectation(q, person)
            out += understander.phrases(expect)
            out += understander.second_try(expect)
    vocab = content.vocabulary
    for table in (vocab.yes_no, vocab.controls, vocab.listen_for):
        for phrases in table.values():
            out += phrases
    out += vocab.fillers
    out += vocab.no_medications
    out += list(vocab.numbers)
    for med in content.medications:
        out += [med.name, *med.said]
    out += list(templates)
    if EXTRA.exists():
        out += [s for s in EXTRA.read_text(encoding="utf-8").splitlines()
                if s and not s.startswith("#")]
    return out


def backbone_sentences(content: Any) -> list[str]:
    """Everyday English the check-in itself speaks: questions, help, dialog, advice."""
    out: list[str] = []
    for q in content.questions:
        for text in (q.text, q.help):
            out += [text.text, text.caregiver or ""]
    out += list(_walk(content.dialog))
    for tip in (*content.tonight.values(), *content.doctor.values()):
        out += list(_walk(getattr(tip, "__dict__", {})))
    return [s for part in out for s in re.split(r"[.!?;:]", part) if s.strip()]


def write_arpa(answers: Iterable[str], backbone: Iterable[str], path: Path,
               known: Callable[[str], bool]) -> set[str]:
    """Write a trigram ARPA model of ``answers`` (and ``backbone``, at its lower weight) to
    ``path``; words ``known`` says lack a pronunciation are dropped. Returns the words."""
    main = _sentences(answers, known)
    extra = _sentences(backbone, known)
    counts: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for sentence in (*main, *extra):
        padded = ("<s>", *sentence, "</s>")
        for n in (2, 3):
            for i in range(len(padded) - n + 1):
                counts[n - 1][padded[i:i + n]] += 1
    unigram = _unigrams(main, extra)
    vocab = set(unigram) - {"</s>"}
    probs, backoffs = _interpolate(counts, unigram)
    _write(path, unigram, probs, backoffs)
    return vocab


def _sentences(texts: Iterable[str], known: Callable[[str], bool]) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], None] = {}
    for text in texts:
        words = tuple(w for w in words_of(text) if known(w))
        if words:
            seen[words] = None
    return list(seen)


def _unigrams(main: list[tuple[str, ...]], extra: list[tuple[str, ...]]) -> dict[str, float]:
    """Unigram probabilities: answers' words and backbone words mixed, plus a floor so every
    word stays reachable."""
    def share(sentences: list[tuple[str, ...]]) -> dict[str, float]:
        c: Counter[str] = Counter()
        for s in sentences:
            c.update(s)
            c["</s>"] += 1
        total = sum(c.values()) or 1
        return {w: n / total for w, n in c.items()}

    a, b = share(main), share(extra)
    words = set(a) | set(b)
    floor = 1.0 / (len(words) + 1)
    mixed = {w: 0.9 * ((1 - BACKBONE_WEIGHT) * a.get(w, 0.0) + BACKBONE_WEIGHT * b.get(w, 0.0))
             + 0.1 * floor for w in words}
    total = sum(mixed.values())
    return {w: p / total for w, p in mixed.items()}


def _interpolate(counts: list[Counter[tuple[str, ...]]], unigram: dict[str, float]
                 ) -> tuple[dict[tuple[str, ...], float], dict[tuple[str, ...], float]]:
    """Interpolated absolute discounting, as ARPA probabilities and back-off weights."""
    probs: dict[tuple[str, ...], float] = {(w,): p for w, p in unigram.items()}
    backoffs: dict[tuple[str, ...], float] = {}

    def lower(gram: tuple[str, ...]) -> float:
        # The model's probability of the last word after the shorter history.
        if gram in probs:
            return probs[gram]
        if len(gram) == 1:
            return unigram.get(gram[0], 0.0)
        return backoffs.get(gram[:-1], 1.0) * lower(gram[1:])

    for n in (2, 3):
        by_history: dict[tuple[str, ...], dict[str, int]] = defaultdict(dict)
        for gram, c in counts[n - 1].items():
            by_history[gram[:-1]][gram[-1]] = c
        for history, following in by_history.items():
            total = sum(following.values())
            freed = DISCOUNT * len(following) / total
            seen_p = seen_lower = 0.0
            for word, c in following.items():
                low = lower((*history[1:], word))
                p = (c - DISCOUNT) / total + freed * low
                probs[(*history, word)] = p
                seen_p += p
                seen_lower += low
            backoffs[history] = max(1.0 - seen_p, 1e-9) / max(1.0 - seen_lower, 1e-9)
    return probs, backoffs


def _write(path: Path, unigram: dict[str, float], probs: dict[tuple[str, ...], float],
           backoffs: dict[tuple[str, ...], float]) -> None:
    grams: list[list[tuple[str, ...]]] = [[], [], []]
    for gram in probs:
        grams[len(gram) - 1].append(gram)
    grams[0].append(("<s>",))
    lines = ["\\data\\", *(f"ngram {n + 1}={len(g)}" for n, g in enumerate(grams)), ""]
    for n, group in enumerate(grams):
        lines.append(f"\\{n + 1}-grams:")
        for gram in sorted(group):
            p = -99.0 if gram == ("<s>",) else math.log10(probs[gram])
            bo = backoffs.get(gram)
            tail = f"\t{math.log10(bo):.4f}" if bo is not None and n < 2 else ""
            lines.append(f"{p:.4f}\t{' '.join(gram)}{tail}")
        lines.append("")
    lines.append("\\end\\")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_dict(words: Iterable[str], lookup: Callable[[str], str | None], path: Path) -> None:
    """A pronunciation dictionary of ``words`` (with their alternates "word(2)"...) from
    ``lookup``, a decoder's, so the open pass loads a few hundred words, not 130 000."""
    lines = []
    for word in sorted(words):
        for variant in (word, *(f"{word}({i})" for i in range(2, 6))):
            phones = lookup(variant)
            if phones is None:
                break
            lines.append(f"{variant} {phones}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_decoder(pocketsphinx: Any, hmm: str, lookup: Callable[[str], str | None],
                 templates: Iterable[str] = (), prompts: str | None = None,
                 **config: Any) -> tuple[Any, set[str]]:
    """A pocketsphinx decoder for the open pass with the domain model and its dictionary,
    built in a temporary folder that is gone once they are loaded; and the model's words.
    ``prompts``: the content folder the check-in uses (the default one when None)."""
    from ..content import load

    content = load(prompts)
    with tempfile.TemporaryDirectory(prefix="voiceskill-lm-") as folder:
        lm, dictionary = Path(folder, "domain.arpa"), Path(folder, "domain.dict")
        words = write_arpa(answer_sentences(content, templates), backbone_sentences(content),
                           lm, lambda w: lookup(w) is not None)
        write_dict(words, lookup, dictionary)
        decoder = pocketsphinx.Decoder(hmm=hmm, dict=str(dictionary), lm=str(lm),
                                       loglevel="FATAL", **config)
    return decoder, words


def small_decoder(pocketsphinx: Any, words: Iterable[str], lookup: Callable[[str], str | None],
                  **config: Any) -> Any:
    """A decoder whose dictionary holds only ``words`` (at least one is needed), not the
    bundled 130 000: each such dictionary costs about 30 MB. Grammar phrases with other words
    get them through :func:`add_missing`."""
    with tempfile.TemporaryDirectory(prefix="voiceskill-dict-") as folder:
        dictionary = Path(folder, "words.dict")
        write_dict(set(words) or {"a"}, lookup, dictionary)
        return pocketsphinx.Decoder(**{**config, "dict": str(dictionary)})


def add_missing(decoder: Any, phrases: Iterable[str], lookup: Callable[[str], str | None]
                ) -> None:
    """Add to ``decoder`` the words of ``phrases`` it lacks, with ``lookup``'s pronunciation."""
    todo = {w for p in phrases for w in p.split() if decoder.lookup_word(w) is None}
    todo = {w for w in todo if lookup(w) is not None}
    for i, word in enumerate(sorted(todo)):
        decoder.add_word(word, lookup(word), i == len(todo) - 1)


def open_pass(base: str, lookup: Callable[[str], str | None], templates: Iterable[str],
              domain: bool, prompts: str | None = None) -> tuple[Any, set[str]]:
    """The open decoder: the check-in's own language model, or with ``domain=False``
    pocketsphinx's general English one (and no words). fwdflat is a second pass that runs
    when the utterance ends: it would cost about 70 ms per second of speech."""
    import pocketsphinx

    from ..errors import EngineError

    hmm = f"{base}/en-us/en-us"
    try:
        if domain:
            return open_decoder(pocketsphinx, hmm, lookup, templates, prompts, fwdflat=False)
        return pocketsphinx.Decoder(
            hmm=hmm, dict=f"{base}/en-us/cmudict-en-us.dict", lm=f"{base}/en-us/en-us.lm.bin",
            fwdflat=False, loglevel="FATAL"), set()
    except (RuntimeError, ValueError, OSError) as err:
        raise EngineError(f"pocketsphinx could not load its language model ({err})") from err
