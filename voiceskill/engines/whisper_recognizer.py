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
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import EngineError, ModelError
from ..messages import SAMPLE_RATE, Expectation, Transcript
from ..whisper_models import install_hint, whisper_model_problems
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
    loud_seconds,
    polarity_differs,
)
from .whisper_loading import import_faster_whisper, load_model
from .whisper_prompt import build_prompt, likely_medicines, spell_medicines

log = logging.getLogger(__name__)

MAX_TOKENS = 48
"""Tokens written for one answer at most (a list of three medicines with "and" is about 20)."""


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
        beam_size: int = 5,
        hypotheses: int = 5,
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
        self.beam_size = beam_size
        """Hypotheses kept while decoding. 5 (faster-whisper's own default) against greedy
        decoding: on the tuning half 13 answers more right in quiet and 10 in pink noise,
        the same number wrong and acted on, for 30 to 90 ms more a reply (medians on the
        shared machine; docs/decisions/027)."""
        self.nbest = True
        """Whether the beam's other hypotheses are looked at when the best means nothing, and
        taken when they agree (``whisper_nbest``, docs/decisions/033)."""
        self.hypotheses = hypotheses
        """Finished hypotheses the beam returns (the best first)."""
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
        self.last_prompt = build_prompt(expect, phrases, self.medicines(), self._count_tokens)
        heard = self._generate(encoded, self.last_prompt)
        if expect.kind == "yes_no" and heard.text:
            # Heard again without the prompt, to check that it did not add or drop a "not"
            # (``polarity_differs``); the encoder's work is reused.
            self._open = self._generate(encoded, "")
            self.last_open = self._open.text
        if self._names(expect) and heard.text:
            names = likely_medicines(heard.text, self.medicines())
            self.last_prompt = build_prompt(expect, phrases, names, self._count_tokens)
            heard = self._generate(encoded, self.last_prompt)
        return heard

    @staticmethod
    def _names(expect: Expectation) -> bool:
        return expect.kind == "medications" or expect.names_medicines

    def _samples(self, pcm: bytes) -> Any:
        import numpy as np

        return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0

    def _no_speech(self, pcm: bytes, samples: Any) -> str:
        """Why the utterance holds no speech, or "" when it does: loud enough, then the VAD."""
        loud = loud_seconds(pcm, self.guard)
        if loud < self.guard.min_loud_seconds:
            return f"{loud:.2f} s above the noise floor"
        spans = self._fw.vad.get_speech_timestamps(samples, self._fw.vad.VadOptions())
        found = sum(s["end"] - s["start"] for s in spans) / SAMPLE_RATE
        if found < self.guard.min_vad_seconds:
            return f"the voice-activity detector found {found:.2f} s of speech"
        return ""

    def _decode(self, samples: Any, prompt: str) -> Heard:
        return self._generate(self._encode(samples), prompt)

    def _encode(self, samples: Any) -> Any:
        """The encoder's output for one utterance in a window fitted to it
        (:meth:`window_frames`); decoding it again with another prompt costs only the decoder."""
        import numpy as np

        features = self._model.feature_extractor(samples)
        frames = self.window_frames(features.shape[-1])
        self._encoded_frames = frames // 2
        window = np.zeros((features.shape[0], frames), dtype=np.float32)
        used = min(frames, features.shape[-1])
        window[:, :used] = features[:, :used]
        try:
            storage = self._fw.transcribe.get_ctranslate2_storage(window[None])
            return self._model.model.encode(storage, to_cpu=False)
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while encoding ({err})") from err

    def _generate(self, encoded: Any, prompt: str) -> Heard:
        """Beam-search decoding after ``prompt``, as faster-whisper does it without
        timestamps (and without its temperature fallback: a hearing the guard turns away is
        asked again, not guessed at hotter)."""
        model, tok = self._model, self._tokenizer
        prompt_ids = tok.encode(" " + prompt)[-(model.max_length // 2 - 1):] if prompt else []
        start = [tok.sot_prev, *prompt_ids] if prompt_ids else []
        start += [*tok.sot_sequence, tok.no_timestamps]
        try:
            result = model.model.generate(
                encoded,
                [start],
                beam_size=self.beam_size,
                max_length=len(start) + MAX_TOKENS,
                return_scores=True,
                return_no_speech_prob=True,
                num_hypotheses=min(self.hypotheses, self.beam_size),
                suppress_blank=True,
                suppress_tokens=self._suppressed,
            )[0]
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while decoding ({err})") from err
        found = [self._heard(ids, score, result.no_speech_prob)
                 for ids, score in zip(result.sequences_ids, result.scores, strict=True)]
        return replace(found[0], others=tuple(found[1:]))

    def _heard(self, sequence: Sequence[int], score: float, no_speech: float) -> Heard:
        ids = [t for t in sequence if t < self._tokenizer.eot]
        text = self._tokenizer.decode(ids).strip()
        return Heard(
            text=text,
            # As faster-whisper computes it: the sum of token log-probabilities over length + 1.
            avg_logprob=score * len(ids) / (len(ids) + 1) if ids else -10.0,
            no_speech_prob=no_speech,
            compression_ratio=self._fw.transcribe.get_compression_ratio(text) if text else 0.0,
            tokens=tuple(ids),
        )

    def window_frames(self, content: int) -> int:
        """Encoder frames (100 a second) for an utterance of ``content`` frames.

        Whisper was trained on 30 s windows, padded with silence after the speech, and its
        encoder's cost grows faster than the window: on two shared cores a whole answer took
        1.16 s (median) with 30 s, 0.36 s with 15 s. With too little silence after the speech
        the decoder repeats the answer over and over ("Say that again. Say that again...":
        1 answer in 24 with a 10 s window and 5 s of silence, none with 15 s and 8 s).
        """
        wanted = content + int(self.pad_seconds * 100)
        return min(3000, max(int(self.window * 100), wanted))

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text))
