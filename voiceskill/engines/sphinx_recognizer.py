"""The embedded default engine: pocketsphinx 5 with the en-us model bundled in its PyPI wheel.

Every chunk first passes a gentle steady-noise filter (``denoise``), then three or four
decoders share it as it arrives, so only finalising is left when the person stops talking:

* a *constrained* decoder whose finite-state grammar is the expected phrases (for the
  medicine question, a list of one to three names, with pronunciations the bundled
  dictionary lacks added from ``medicine_words.dict``; see ``sphinx_medicines``);
* a *background* decoder, a free phone loop, which says how well the best sequence of any
  English sounds fits the same audio;
* an *open* decoder with a language model of the check-in's own words (``sphinx_domain``),
  which gives what was "heard" and recognises freely when no phrases are given; its sure
  words, understood, must not contradict the grammar's answer and may answer, read back
  first, what the grammar turned away (``sphinx_agree``); the grammar's answer is taken
  without a read-back only when the open hearing of its span means the same (``sphinx_sure``);
* at number questions, a *second-try* decoder whose grammar adds the second-try phrases
  ("um, seventy"; ``Recognizer``); its answer is judged only when the first is rejected.

A closed grammar always finds *some* phrase, even for "turn on the lights" or a cough;
``sphinx_checks`` decides whether it is an answer (the fit against the phone loop, voicing,
stretched words, and in a noisy room the open pass), on what ``sphinx_signal`` measures on
the audio. ``sphinx_grammar`` compiles the grammars. What is turned away comes back as
``Transcript(text="", rejected=True)``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..messages import SAMPLE_RATE, Expectation, Transcript
from . import sphinx_agree, sphinx_domain, sphinx_sure
from . import sphinx_medicines as medicines
from .denoise import NoiseFilter
from .sphinx_checks import (
    _YES_NO_CUT_OFFSET,
    DEFAULT_MIN_MARGIN,
    Cut,
    clean_text,
    free_result,
    judge,
)
from .sphinx_grammar import (
    PAUSE_PROB,
    SEARCH_CACHE,
    YES_NO_PAUSE_PROB,
    Searches,
    normalise_phrase,
    usable,
)
from .sphinx_signal import FLOOR_STD, Level, Voicing

log = logging.getLogger(__name__)

_TOPN = 8
"""Gaussians scored per senone in the two decoders whose scores are compared (pocketsphinx's
default is 4). The closer acoustic scores let the grammar tell apart short look-alike answers
("help" and "nope", "never" and "a lot") more often; the cost is about a quarter more CPU."""

ANSWER_WORDS = Path(__file__).with_name("answer_words.dict")
"""Other pronunciations of answer and control words, added to the grammar decoder only."""

class SphinxRecognizer:
    """pocketsphinx behind the :class:`voiceskill.recognizer.Recognizer` protocol.

    Not thread-safe: one recogniser serves one conversation at a time. Within it, three
    things learned from one answer carry over to the next, because the room and the voice
    stay the same: the noise filter's estimate of the room's steady noise, each decoder's
    running cepstral mean (the voice and microphone's average colour), and the place in the
    comfort noise. So the same audio may be heard differently after other answers;
    :meth:`reset` forgets all three, and the same audio after a reset is always heard the
    same way. Recordings that are not one conversation (files) are each heard after one.
    """

    name = "pocketsphinx (built-in English model)"

    def __init__(
        self,
        *,
        model_dir: str | None = None,
        min_margin: float = DEFAULT_MIN_MARGIN,
        open_pass: bool = True,
        noise_filter: bool = True,
        templates: Sequence[str] | None = None,
        domain_lm: bool = True,
        agreement: bool = True,
        open_answers: bool = True,
        prompts: str | None = None,
        sure: sphinx_sure.Sureness | None = sphinx_sure.SHIPPED,
    ) -> None:
        """Load the acoustic model, dictionary and language model once.

        ``model_dir`` defaults to the model inside the pocketsphinx wheel. ``open_pass=False``
        skips the open decoder when grammars are used (then ``heard`` stays empty), which
        saves about two thirds of the CPU time. ``noise_filter=False`` feeds the decoders the
        audio as it is, without the steady-noise reduction of ``denoise``. ``templates``: more
        wordings for yes/no questions, such as
        ``sphinx_grammar.default_templates()``; off by default (docs/decisions/024).
        ``domain_lm=False``: the open pass uses the general English model, not the
        check-in's own (``sphinx_domain``, docs/decisions/030). ``agreement``: the grammar's
        answer is asked again when the open hearing, in the answer's span and sure of every
        word, means something else; ``open_answers`` (with ``agreement``): a sure open
        hearing answers, read back, what the grammar turned away (``sphinx_agree``). Both on
        by default since the open pass's unsure words no longer count (docs/decisions/030).
        ``prompts``: the check-in's content folder, for the open pass's model and reading.
        ``sure`` (with ``agreement``): an answer the open pass does not support is read back,
        a control asked again (``sphinx_sure``, docs/decisions/034); None keeps them as heard.
        """
        try:
            import numpy
            import pocketsphinx
        except ImportError as err:
            raise EngineError(
                f"pocketsphinx speech recognition needs {err.name}: "
                "pip install pocketsphinx numpy (or pip install 'voiceskill[voice]')"
            ) from err
        self._np: Any = numpy
        base = model_dir or pocketsphinx.get_model_path()
        hmm = f"{base}/en-us/en-us"
        dictionary = f"{base}/en-us/cmudict-en-us.dict"
        common: dict[str, Any] = {"hmm": hmm, "dict": dictionary, "loglevel": "FATAL"}
        try:
            # bestpath off: the lattice rescoring picked worse answers in noise (measured),
            # and the Viterbi path score is what the background test compares.
            # compallsen: both score-compared decoders must normalise each frame by the
            # same best senone, or their path scores are not comparable.
            self._grammar_config: dict[str, Any] = {
                "lm": None, "bestpath": False, "compallsen": True, "fsgusefiller": False,
                "topn": _TOPN, **common,
            }
            self._grammar: Any = pocketsphinx.Decoder(**self._grammar_config)
            # A light phone language model (lw 2) lets the loop follow the sounds rather
            # than English phonotactics; it separated answers from other talk best.
            # It needs no words: a one-word dictionary saves the bundled one's 30 MB.
            self._phones: Any = sphinx_domain.small_decoder(
                pocketsphinx, (), self._grammar.lookup_word, lm=None,
                allphone=f"{base}/en-us/en-us-phone.lm.bin", allphone_ci=True,
                compallsen=True, lw=2.0, topn=_TOPN, **common)
        except (RuntimeError, ValueError, OSError) as err:
            raise EngineError(
                f"pocketsphinx could not load its English model from {base} ({err}); "
                "reinstall it: pip install --force-reinstall pocketsphinx"
            ) from err
        self._logmath = self._grammar.get_logmath()
        # The bundled dictionary lacks almost every medicine name (see sphinx_medicines)
        # and some everyday ways of saying an answer word.
        medicines.add_words(self._grammar, medicines.DICT_PATH, ANSWER_WORDS)
        self._base, self._domain_lm = base, domain_lm
        self._words: set[str] = set()
        self._templates = tuple(templates or ())
        self._agreement, self._open_answers, self._prompts = agreement, open_answers, prompts
        self._sure = sure
        self._open: Any | None = self._make_open() if open_pass else None
        self._understand: sphinx_agree.Understand | None = None
        self._min_margin = min_margin
        self._searches = Searches(self._grammar)
        # A second grammar decoder for second-try phrases, made at the first that needs it.
        self._retry: Any | None = None
        self._retry_failed = False
        self._retry_searches: Searches | None = None
        self._kept: OrderedDict[tuple[str, ...], list[str]] = OrderedDict()
        rng = numpy.random.default_rng(20240611)
        self._floor = rng.normal(0.0, FLOOR_STD, SAMPLE_RATE).astype(numpy.int32)
        self._floor_pos = 0
        self._denoise = NoiseFilter(numpy) if noise_filter else None
        self._cmn_start = str(self._grammar.get_cmn(False))

    def reset(self) -> None:
        """Forget what earlier audio taught: as if freshly made, without reloading models."""
        if self._denoise is not None:
            self._denoise = NoiseFilter(self._np)
        self._floor_pos = 0
        for decoder in (self._grammar, self._phones, self._open, self._retry):
            if decoder is not None:
                # The front end's own noise tracking (remove_noise) learns across answers too.
                decoder.reinit_feat()
                decoder.set_cmn(self._cmn_start)

    # ---- vocabulary ---------------------------------------------------------------------
    def unknown_words(self, phrases: Iterable[str]) -> list[str]:
        """Words of ``phrases`` the pronunciation dictionary lacks, each once, in order."""
        seen: dict[str, None] = {}
        for phrase in phrases:
            for word in normalise_phrase(phrase).split():
                if word not in seen and self._grammar.lookup_word(word) is None:
                    seen[word] = None
        return list(seen)

    def usable_phrases(self, phrases: Iterable[str]) -> list[str]:
        """The normalised ``phrases`` whose every word has a pronunciation, without repeats."""
        return usable(phrases, self._grammar.lookup_word)

    # ---- recognition --------------------------------------------------------------------
    def recognize(
        self,
        audio: Iterable[bytes],
        expect: Expectation,
        phrases: Sequence[str],
        second_try: Sequence[str] = (),
    ) -> Transcript:
        self.last_margin: float | None = None
        if expect.kind == "yes_no" and phrases:
            phrases = [*phrases, *self._templates]
        kept = self._usable_cached(tuple(phrases))
        if phrases and not kept:
            log.warning("pocketsphinx: no usable phrase for %r; recognising freely",
                        expect.question_id)
        listing = expect.kind == "medications"
        pause = YES_NO_PAUSE_PROB if expect.kind == "yes_no" else PAUSE_PROB
        search = self._searches.for_phrases(kept, listing, pause=pause) if kept else None
        retry = (
            [p for p in self._usable_cached(tuple(second_try)) if p not in kept]
            if search is not None and not listing and second_try
            else []
        )
        decoders = [self._phones]
        if search is not None:
            self._grammar.activate_search(search)
            decoders.append(self._grammar)
        retry_decoder = self._require_retry() if retry else None
        if retry_decoder is not None:
            # Decoded alongside the first try, so a second try adds no wait at the end.
            assert self._retry_searches is not None
            sphinx_domain.add_missing(retry_decoder, kept + retry, self._grammar.lookup_word)
            retry_decoder.activate_search(self._retry_searches.for_phrases(kept + retry))
            decoders.append(retry_decoder)
        else:
            retry = []
        if self._open is not None or search is None:
            decoders.append(self._require_open())
        voicing = Voicing(self._np)
        level = Level(self._np)
        n_bytes = 0
        started: list[Any] = []
        try:
            carry = b""
            try:
                for d in decoders:
                    d.start_utt()
                    started.append(d)
                for chunk in audio:
                    data = carry + bytes(chunk)
                    usable = len(data) - len(data) % 2
                    carry = data[usable:]
                    if not usable:
                        continue
                    n_bytes += usable
                    level.feed(data[:usable])
                    self._feed(data[:usable], voicing, decoders)
                self._feed(b"", voicing, decoders, last=True)
            finally:
                # A microphone lost mid-answer skips the last feed: the filter must still
                # start the next answer afresh (its flush is a no-op after a normal end).
                if self._denoise is not None:
                    self._denoise.flush()
                for d in started:
                    d.end_utt()
        except RuntimeError as err:
            raise EngineError(f"pocketsphinx failed while decoding ({err})") from err
        seconds = n_bytes / (2 * SAMPLE_RATE)
        if search is None:
            return free_result(self._require_open(), seconds)
        yes_no = expect.kind == "yes_no"
        result = self._grammar_result(
            kept, voicing.voiced_frames, level, seconds, listing,
            offset=_YES_NO_CUT_OFFSET if yes_no else 0.0, quiet_lead_in=yes_no,
        )
        if retry and result.rejected:
            first = (self.last_margin, getattr(self, "last_grammar_text", ""))
            second = self._grammar_result(
                kept + retry, voicing.voiced_frames, level, seconds, grammar=retry_decoder
            )
            # Only a second-try phrase is taken from it: a plain number or a control the
            # first try turned away stays turned away.
            if second.text in retry:
                result = second
            else:
                self.last_margin, self.last_grammar_text = first
        return self._agreed(result, expect)

    def _agreed(self, result: Transcript, expect: Expectation) -> Transcript:
        """The grammar's answer checked against the open hearing (``sphinx_agree``), then
        read back or asked again unless the open hearing supports it (``sphinx_sure``)."""
        self.last_reason = ""
        if self._open is None or not self._agreement:
            return result
        if self._understand is None:
            self._understand = sphinx_agree.understander(self._prompts)
        words = sphinx_agree.open_words(self._open)
        self.last_hearing = (result, words)  # kept for benchmarks that re-score the rules
        result, self.last_reason = sphinx_agree.checked(
            result, expect, self._understand, self._open_answers, words)
        if self._sure is not None and not self.last_reason:
            result, self.last_reason = sphinx_sure.settled(
                result, expect, self._understand, words, self._sure)
        return result

    # ---- internals ----------------------------------------------------------------------
    def _usable_cached(self, phrases: tuple[str, ...]) -> list[str]:
        # The dialog passes the same few phrase sets again and again; filter (and warn) once.
        kept = self._kept.get(phrases)
        if kept is None:
            kept = self.usable_phrases(phrases) if phrases else []
            self._kept[phrases] = kept
            if len(self._kept) > SEARCH_CACHE:
                self._kept.popitem(last=False)
        return kept

    def _require_open(self) -> Any:
        if self._open is None:
            self._open = self._make_open()
        return self._open

    def _make_open(self) -> Any:
        decoder, self._words = sphinx_domain.open_pass(
            self._base, self._grammar.lookup_word, self._templates, self._domain_lm, self._prompts)
        return decoder

    def _require_retry(self) -> Any | None:
        """The second-try decoder, or None when it cannot be made: the check-in then goes on
        with the first try alone rather than losing its microphone."""
        if self._retry is None and not self._retry_failed:
            import pocketsphinx

            try:
                # The domain model's words hold every number phrase; others are added. Their
                # pronunciations come from the grammar decoder, so the answer words' other
                # pronunciations ("help(2)") are in already.
                decoder = sphinx_domain.small_decoder(
                    pocketsphinx, self._words, self._grammar.lookup_word,
                    **self._grammar_config)
            except (RuntimeError, ValueError, OSError, EngineError) as err:
                log.warning("pocketsphinx: no second try at number questions (%s)", err)
                self._retry_failed = True
                return None
            self._retry = decoder
            self._retry_searches = Searches(decoder)
        return self._retry

    def _feed(
        self, pcm: bytes, voicing: Voicing, decoders: list[Any], last: bool = False
    ) -> None:
        if self._denoise is not None:
            pcm = self._denoise.flush() if last else self._denoise.process(pcm)
        if not pcm:
            return
        pcm = self._with_floor(pcm)
        voicing.feed(pcm)
        for d in decoders:
            d.process_raw(pcm)

    def _with_floor(self, pcm: bytes) -> bytes:
        np = self._np
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
        n = samples.shape[0]
        idx = (self._floor_pos + np.arange(n)) % self._floor.shape[0]
        self._floor_pos = (self._floor_pos + n) % self._floor.shape[0]
        return bytes(np.clip(samples + self._floor[idx], -32768, 32767).astype("<i2").tobytes())

    def _heard(self) -> str:
        if self._open is None:
            return ""
        hyp = self._open.hyp()
        return clean_text(hyp.hypstr) if hyp is not None else ""

    def _grammar_result(
        self,
        phrases: list[str],
        voiced_frames: int,
        level: Level,
        seconds: float,
        listing: bool = False,
        grammar: Any | None = None,
        offset: float = 0.0,
        quiet_lead_in: bool = False,
    ) -> Transcript:
        """Judge what ``grammar`` (the first-try decoder unless given) heard (``sphinx_checks``)."""
        decoder = grammar if grammar is not None else self._grammar
        judged = judge(
            decoder, self._phones, self._heard(), phrases, voiced_frames, level, seconds,
            Cut(self._min_margin, offset, listing, quiet_lead_in), self._logmath)
        if judged.margin is not None:
            # Kept for benchmarks and calibration: what the grammar chose and how well it fit.
            self.last_margin = judged.margin
            self.last_grammar_text = judged.said
        return judged.transcript
