"""faster-whisper (CTranslate2 Whisper) behind the :class:`~voiceskill.recognizer.Recognizer`
interface: open vocabulary, so people can answer in their own words.

Whisper writes free text; the text understanding decides what it means. The question steers
the decoding through an initial prompt made of the answers it expects (the phrases the other
engines use as a grammar, and medicine names at the medicine questions), so that "sertraline"
is spelled as the medicine list spells it rather than heard as "certain lines".

Whisper also writes text where nobody spoke ("Thank you.", "you" in silence or a fan's hiss).
An utterance is only transcribed when there is speech in it, and a transcript is only kept
when Whisper's own signals support it (``whisper_checks``); the prompt and the spelling of
medicine names are made in ``whisper_prompt``. Words that mean nothing may give way to
expected answers scored against the audio (``whisper_rescue``) or to what the beam's other
hypotheses agree on (``whisper_nbest``).

Offline: the model is loaded only from a local folder holding its tokenizer, with the Hugging
Face hub switched off first (``whisper_loading``), so neither faster-whisper nor
huggingface_hub can reach the network. Nothing here downloads; ``voiceskill model`` installs
models.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import EngineError, ModelError
from ..messages import SAMPLE_RATE, Expectation, Transcript
from ..whisper_models import install_hint, whisper_model_problems
from . import whisper_decoding as decoding
from . import whisper_nbest as nbest
from . import whisper_rescue as scoring
from .polarity import mixed
from .whisper_checks import (
    Guard,
    Heard,
    agreement,
    confidence,
    judge,
    loop_confirmed,
    no_speech,
    polarity_differs,
    polarity_in_doubt,
    runner_up_contradicts,
)
from .whisper_loading import import_faster_whisper, load_model
from .whisper_prompt import build_prompt, likely_medicines, spell_medicines

log = logging.getLogger(__name__)


def _collect(audio: Iterable[bytes]) -> bytes:
    data = b"".join(audio)
    return data[: len(data) - len(data) % 2]


class WhisperRecognizer:
    """Whisper with a per-question prompt, a speech check before and a guard after decoding.

    Not safe to call ``recognize`` from two threads at once.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        guard: Guard | None = None,
        rescue: scoring.Rescue | None = None,
        medicines: Sequence[str] | None = None,
        compute_type: str = "int8",
        threads: int | None = None,
        options: decoding.Decoding | None = None,
        window: float = 15.0,
        pad_seconds: float = 8.0,
    ) -> None:
        folder = Path(model_dir).expanduser()
        problems = whisper_model_problems(folder)
        if problems:
            raise ModelError(
                f"{folder} is not a Whisper model (missing {', '.join(problems)}); "
                + install_hint(folder.parent)
            )
        self._fw = import_faster_whisper()
        # int8 is CTranslate2's quickest type on a CPU (the float16 weights are converted as
        # they load); more threads than cores only makes them wait for each other.
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._model, self.model_load_seconds = load_model(
            self._fw, folder, compute_type, self.threads)
        self.model_dir = folder
        self.guard = guard or Guard()
        self.decoding = options or decoding.Decoding()
        """The decoder's options (``whisper_decoding.Decoding``)."""
        self.prompt = "answers"
        """What the prompt holds: the expected "answers"; or "question", "question+answers",
        "none", measured against it (docs/decisions/038)."""
        self.weigh = True
        """Whether a yes or no in doubt is read back (``polarity_in_doubt``, 038)."""
        self.last_probabilities: tuple[tuple[str, float], ...] = ()
        """The last hearing weighed so, each token with its probability ((piece, p) pairs)."""
        self.nbest = True
        """Whether the beam's other hypotheses are looked at when the best means nothing, and
        taken when they agree (``whisper_nbest``, docs/decisions/033)."""
        self.window = window
        """Shortest encoder window in seconds; 30 is what faster-whisper always uses."""
        self.pad_seconds = pad_seconds
        """Silence after the speech, at least, in the window."""
        self._tokenizer = self._fw.tokenizer.Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual,
            task="transcribe", language="en")
        self._suppressed = self._fw.transcribe.get_suppressed_tokens(self._tokenizer, [-1])
        self.name = f"whisper (model {folder.name})"
        self._medicines = list(medicines) if medicines is not None else None
        self.last_reason = ""
        """Why the last utterance was turned away ("" when it was not), for logs and tests."""
        self.last_prompt = ""
        self.last_open = ""
        """What the last yes/no answer was heard as without the prompt ("" when not decoded)."""
        self.last_hypotheses: tuple[Heard, ...] = ()
        """The beam's other hypotheses for the last answer, with the prompt (best first)."""
        self.last_open_hypotheses: tuple[Heard, ...] = ()
        """The same without the prompt (yes/no questions only)."""
        self._open: Heard | None = None
        self.rescue: scoring.Rescue | None = rescue or scoring.Rescue()
        """When expected answers scored against the audio stand in for words that mean
        nothing (``whisper_rescue``); None: never."""
        self.last_rescue: scoring.Choice | None = None
        """What scoring the expected answers found for the last utterance (None: not done)."""
        self._phrase_book: scoring.Phrases | None = None
        self._encoded: Any = None
        self._encoded_frames = self._content_frames = 0

    def medicines(self) -> list[str]:
        if self._medicines is None:
            from ..content import load

            self._medicines = list(dict.fromkeys(
                alias for med in load().medications for alias in (med.name, *med.said)))
        return self._medicines

    def reset(self) -> None:
        """Nothing to forget: each answer is decoded on its own, with no state carried over."""

    def recognize(
        self,
        audio: Iterable[bytes],
        expect: Expectation,
        phrases: Sequence[str],
        second_try: Sequence[str] = (),
    ) -> Transcript:
        """Transcribe one utterance once it has ended; ``second_try`` is not needed here (the
        vocabulary is open, so "um, seventy" is heard as it is)."""
        pcm = _collect(audio)
        seconds = len(pcm) / 2 / SAMPLE_RATE
        samples = self._samples(pcm)
        no_speech = self._no_speech(pcm, samples)
        if no_speech:
            self.last_reason = no_speech
            return Transcript(text="", confidence=0.0, engine=self.name, audio_seconds=seconds)
        self.last_probabilities = ()
        first = self._listen(samples, expect, phrases)
        self.last_hypotheses = first.others
        self.last_open_hypotheses = self._open.others if self._open is not None else ()
        heard, other_hearing = self._second_look(first, expect)
        text = heard.text.strip()
        if self._names(expect) and phrases:
            text = spell_medicines(text, self.medicines())
        other = self._alternative() if heard is not self._open else ""
        if other and self._names(expect):
            other = spell_medicines(other, self.medicines())
        rescued = self._rescued(heard, expect, text, other)
        if rescued:
            # Read back whatever the settings: the words are the check-in's, not Whisper's.
            return Transcript(text=rescued, confidence=0.0, engine=self.name,
                              heard=heard.text.strip(), audio_seconds=seconds)
        agreed = "" if self.last_reason else self._agreed(heard, expect, text, other)
        if agreed:
            # Read back, like a scored phrase: the beam's best guess was not these words.
            return Transcript(text=agreed, confidence=0.0, engine=self.name,
                              heard=heard.text.strip(), audio_seconds=seconds)
        if self.last_reason:
            log.debug("%s rejected %r: %s", self.name, text, self.last_reason)
            return Transcript(text="", confidence=0.0, engine=self.name, rejected=True,
                              heard=heard.text.strip(), audio_seconds=seconds)
        sure = confidence(heard) * agreement(heard.text, other_hearing)
        if self._in_doubt(heard, expect, text):
            sure = 0.0  # read back first: a yes kept as a no can hide a warning sign
        return Transcript(text=text, confidence=sure, engine=self.name,
                          heard=heard.text.strip(), audio_seconds=seconds, alternative=other)

    def _second_look(self, heard: Heard, expect: Expectation) -> tuple[Heard, str]:
        """The hearing to go on, with the other one its confidence is compared with; sets
        ``last_reason``. A prompted hearing turned away is looked at again with the hearing
        without the prompt (yes/no questions only): a loop that one confirms is kept as one
        copy; one that Whisper's own signals turned away (``judge``) gives way to it when it
        passes them ("Yes 育尾." and "Yes, I am."). Turned away because the two disagree on a
        negation or one holds a yes and a no, it stays turned away (docs/decisions/027)."""
        self.last_reason = self._doubt(heard, expect)
        if not self.last_reason or self._open is None:
            return heard, self.last_open
        looped = loop_confirmed(heard, self.last_open)
        if looped is not None:
            self.last_reason = self._doubt(looped, expect)
            return looped, self.last_open
        if judge(heard, self.guard) and self._alternative():
            self.last_reason = ""
            return self._open, heard.text
        return heard, self.last_open

    def _rescued(self, heard: Heard, expect: Expectation, text: str, other: str) -> str:
        """An expected answer scored against the audio (``whisper_rescue``), or "": at a
        yes/no question, when the hearings mean nothing, or the prompted one was turned away
        by its log-probability or as a loop (``may_score``)."""
        self.last_rescue = None
        if self.rescue is None or expect.kind != "yes_no" or self._encoded is None:
            return ""
        phrases = self._phrases()
        if self.last_reason:
            if not scoring.may_score(heard, self.last_open, self.guard):
                return ""
        elif any(phrases.meaning(t, expect) for t in (text, other) if t):
            return ""
        hearings = [h for h in (heard, self._open) if h is not None and h.tokens]
        frames = min(self._encoded_frames, self._content_frames + self.rescue.pad_frames)
        try:
            self.last_rescue = scoring.rescue_answer(
                lambda tokens: scoring.log_probabilities(self._model.model, self._tokenizer,
                                                 self._encoded, frames, tokens),
                lambda p: phrases.meaning(p, expect), self._tokenizer.encode,
                phrases.pool, hearings, self.rescue)
        except (RuntimeError, ValueError) as err:  # the hearing stands as it was
            log.warning("%s: scoring the expected answers failed (%s)", self.name, err)
            return ""
        return scoring.written(self.last_rescue.phrase) if self.last_rescue.phrase else ""

    def _agreed(self, heard: Heard, expect: Expectation, text: str, other: str) -> str:
        """What the beam's other hypotheses that pass the checks agree on, when the hearings
        mean nothing (``whisper_nbest``), or "" (always "" when ``nbest`` is off)."""
        if not self.nbest or not heard.others:
            return ""
        phrases = self._phrases()
        if any(phrases.meaning(t, expect) for t in (text, other) if t):
            return ""

        def spell(said: str) -> str:
            return spell_medicines(said, self.medicines()) if self._names(expect) else said

        texts = nbest.usable(heard.others, expect, self.last_open, self.guard, spell)
        return nbest.agreed(texts, expect, lambda t: phrases.meaning(t, expect))

    def _in_doubt(self, heard: Heard, expect: Expectation, text: str) -> bool:
        """Whether the yes or no ``text`` means is in doubt (``polarity_in_doubt``): weighed
        only when the runner-up says the other polarity (about 1 yes or no in 16)."""
        if expect.kind != "yes_no" or not self.weigh or not runner_up_contradicts(heard):
            return False
        if self._phrases().meaning(text, expect) not in (("answer", "yes"), ("answer", "no")):
            return False
        self.last_probabilities = self._probabilities(heard)
        doubt = polarity_in_doubt(heard, [p for _, p in self.last_probabilities], self.guard)
        if doubt:
            log.debug("%s reads back %r: %s", self.name, text, doubt)
        return bool(doubt)

    def _probabilities(self, heard: Heard) -> tuple[tuple[str, float], ...]:
        """Each token of ``heard`` with its probability, after the prompt it was decoded
        with (``whisper_decoding.token_probabilities``); () when that fails."""
        start = self._start("" if heard is self._open else self.last_prompt)
        try:
            return decoding.weighed(self._model.model, self._tokenizer, self._encoded,
                                    self._encoded_frames, start, heard.tokens)
        except (RuntimeError, ValueError) as err:  # the hearing stands, unweighed
            log.warning("%s: weighing the words failed (%s)", self.name, err)
            return ()

    def _phrases(self) -> scoring.Phrases:
        if self._phrase_book is None:
            from ..content import load

            self._phrase_book = scoring.Phrases(load())
        return self._phrase_book

    def _alternative(self) -> str:
        """The hearing without the prompt, offered to the understanding in case the prompted
        one means nothing, when it passes the same checks ("" otherwise)."""
        open_ = self._open
        if open_ is None or judge(open_, self.guard) or mixed(open_.text):
            return ""
        return open_.text.strip()

    def _doubt(self, heard: Heard, expect: Expectation) -> str:
        """Why ``heard`` is not taken, or "": the guard's signals, then at a yes/no question
        the two hearings disagreeing on a negation (024), or either of them holding a yes
        and a negation with nothing saying which stands (``polarity.mixed``, 027)."""
        why = judge(heard, self.guard) or polarity_differs(heard.text, self.last_open)
        if why or expect.kind != "yes_no":
            return why
        for text in (heard.text, self.last_open):
            if mixed(text):
                return f"{text!r} holds a yes and a no"
        return ""

    def _listen(self, samples: Any, expect: Expectation, phrases: Sequence[str]) -> Heard:
        """Decode with the question's prompt. Where medicines may be named, decode again
        with the names that sound most like what was heard first: the prompt holds a tenth
        of the names at most, and Whisper spells a name right only when it is in the prompt
        ("seroquel", first heard as "a rockwheel"). The second pass reuses the encoder's
        work, so it costs about 0.1 s."""
        encoded = self._encoded = self._encode(samples)
        self._content_frames = (len(samples) + 319) // 320
        self.last_open = ""
        self._open = None
        if not phrases:  # free recognition: nothing to steer towards
            self.last_prompt = ""
            return self._generate(encoded, "")
        self.last_prompt = self._prompt(expect, phrases, self.medicines())
        heard = self._generate(encoded, self.last_prompt)
        if expect.kind == "yes_no" and heard.text:
            # Heard again without the prompt, to check that it did not add or drop a "not"
            # (``polarity_differs``); the encoder's work is reused.
            self._open = self._generate(encoded, "")
            self.last_open = self._open.text
        if self._names(expect) and heard.text:
            names = likely_medicines(heard.text, self.medicines())
            self.last_prompt = self._prompt(expect, phrases, names)
            heard = self._generate(encoded, self.last_prompt)
        return heard

    def _prompt(self, expect: Expectation, phrases: Sequence[str],
                medicines: Sequence[str]) -> str:
        """The question's prompt: its expected answers (``build_prompt``), or as ``prompt``
        says (the question's words before them or instead of them, or nothing; 038)."""
        answers = build_prompt(expect, phrases, medicines, self._count_tokens)
        if self.prompt in ("none", "answers") or not expect.question_id:
            return answers if self.prompt == "answers" else ""
        from ..content import load

        asked = load().question(expect.question_id).text.text
        return asked if self.prompt == "question" else f"{asked} {answers}"

    @staticmethod
    def _names(expect: Expectation) -> bool:
        return expect.kind == "medications" or expect.names_medicines

    def _samples(self, pcm: bytes) -> Any:
        import numpy as np

        return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0

    def _no_speech(self, pcm: bytes, samples: Any) -> str:
        """Why the utterance holds no speech, or "" when it does: loud enough, then the VAD."""
        return no_speech(pcm, self.guard, lambda: sum(
            s["end"] - s["start"] for s in self._fw.vad.get_speech_timestamps(
                samples, self._fw.vad.VadOptions())) / SAMPLE_RATE)

    def _decode(self, samples: Any, prompt: str) -> Heard:  # benchmarks.whisper_guard
        return self._generate(self._encode(samples), prompt)

    def _encode(self, samples: Any) -> Any:
        """The encoder's output for one utterance in a window fitted to it
        (``whisper_decoding.window_frames``); decoding it again with another prompt costs
        only the decoder."""
        features = self._model.feature_extractor(samples)
        frames = decoding.window_frames(features.shape[-1], self.window, self.pad_seconds)
        self._encoded_frames = frames // 2
        try:
            return decoding.encode(self._model.model, self._fw.transcribe, features, frames)
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while encoding ({err})") from err

    def _generate(self, encoded: Any, prompt: str) -> Heard:
        """Beam-search decoding after ``prompt`` (``whisper_decoding``). With ``fallback`` set,
        a hearing turned away for its log-probability or as a loop is decoded once more,
        sampled, and the sample kept when it passes."""
        start = self._start(prompt)
        found = self._run(encoded, start, 0.0)
        why = judge(found[0], self.guard)
        if self.decoding.fallback > 0 and why and "no-speech" not in why:
            hotter = self._run(encoded, start, self.decoding.fallback)
            if not judge(hotter[0], self.guard):
                return hotter[0]
        return decoding.best_with_others(found)

    def _start(self, prompt: str) -> list[int]:
        tok = self._tokenizer
        ids = tok.encode(" " + prompt)[-(self._model.max_length // 2 - 1):] if prompt else []
        return decoding.start_tokens(tok, ids, self.decoding.timestamps)

    def _run(self, encoded: Any, start: list[int], temperature: float) -> list[Heard]:
        try:
            found = decoding.generate(self._model.model, self._tokenizer, encoded, start,
                                      self.decoding, self._suppressed, temperature)
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while decoding ({err})") from err
        ratio = self._fw.transcribe.get_compression_ratio
        return [decoding.heard(self._tokenizer, ratio, *f) for f in found]

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text))
