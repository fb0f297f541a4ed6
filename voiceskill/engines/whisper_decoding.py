"""How Whisper decodes one answer: CTranslate2's beam search after the question's prompt, as
faster-whisper does it, with the options that were measured on the tuning half kept in one
place (:class:`Decoding`, docs/decisions/038), and the probability of each token written
(:func:`token_probabilities`), which tells a firmly heard "no" from a guessed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .whisper_checks import Heard

MAX_TOKENS = 48
"""Tokens written for one answer at most (a list of three medicines with "and" is about 20)."""


@dataclass(frozen=True)
class Decoding:
    """The decoder's options. The defaults are what the tuning half kept; the others are
    there so that ``benchmarks.natural_spoken --set`` can measure them again."""

    beam_size: int = 5
    """Hypotheses kept while decoding. 5 (faster-whisper's own default) against greedy
    decoding: on the tuning half 13 answers more right in quiet and 10 in pink noise,
    the same number wrong and acted on, for 30 to 90 ms more a reply (docs/decisions/027);
    8 gained nothing (033)."""
    hypotheses: int = 5
    """Finished hypotheses the beam returns (the best first)."""
    patience: float = 1.0
    """Beam search goes on until ``patience * beam_size`` hypotheses have finished."""
    length_penalty: float = 1.0
    """Exponent of the length the hypotheses' scores are divided by when ranked."""
    suppress_blank: bool = True
    """Whether a blank or end of text may not be the first token written."""
    timestamps: bool = False
    """Whether Whisper writes its timestamp tokens (it was trained mostly with them)."""
    fallback: float = 0.0
    """Temperature of one sampled decoding tried when the beam's hearing is turned away for
    its log-probability or as a loop, as faster-whisper's temperature fallback does (0: not
    tried)."""


def start_tokens(tokenizer: Any, prompt_ids: Sequence[int], timestamps: bool) -> list[int]:
    """The decoder's start: the prompt (as the text said before), then Whisper's start of
    transcript for English, without timestamps unless asked for."""
    start = [tokenizer.sot_prev, *prompt_ids] if prompt_ids else []
    start += list(tokenizer.sot_sequence)
    return start if timestamps else [*start, tokenizer.no_timestamps]


def generate(model: Any, tokenizer: Any, encoded: Any, start: list[int], options: Decoding,
             suppressed: Sequence[int], temperature: float = 0.0) -> list[tuple[list[int], float,
                                                                               float]]:
    """(tokens written, sum of log-probabilities, no-speech probability) of each finished
    hypothesis, best first; sampled at ``temperature`` when it is above 0."""
    sampled = temperature > 0
    result = model.generate(
        encoded,
        [start],
        beam_size=1 if sampled else options.beam_size,
        patience=options.patience,
        length_penalty=options.length_penalty,
        max_length=len(start) + MAX_TOKENS,
        return_scores=True,
        return_no_speech_prob=True,
        num_hypotheses=1 if sampled else min(options.hypotheses, options.beam_size),
        suppress_blank=options.suppress_blank,
        suppress_tokens=list(suppressed),
        sampling_topk=0 if sampled else 1,
        sampling_temperature=temperature if sampled else 1.0,
    )[0]
    ids = [[t for t in seq if t < tokenizer.eot] for seq in result.sequences_ids]
    # The scores are normalised by length (``length_penalty``); back to a sum.
    sums = [score * max(1, len(seq)) ** options.length_penalty
            for seq, score in zip(ids, result.scores, strict=True)]
    return [(seq, total, result.no_speech_prob) for seq, total in zip(ids, sums, strict=True)]


def heard(tokenizer: Any, compression: Any, ids: Sequence[int], total: float,
          no_speech: float) -> Heard:
    """A hypothesis as the guard looks at it; ``compression`` is faster-whisper's
    ``get_compression_ratio``."""
    text = tokenizer.decode(list(ids)).strip()
    return Heard(
        text=text,
        # As faster-whisper computes it: the sum of token log-probabilities over length + 1.
        avg_logprob=total / (len(ids) + 1) if ids else -10.0,
        no_speech_prob=no_speech,
        compression_ratio=compression(text) if text else 0.0,
        tokens=tuple(ids),
    )


def best_with_others(found: Sequence[Heard]) -> Heard:
    return replace(found[0], others=tuple(found[1:]))


def token_probabilities(model: Any, encoded: Any, frames: int, start: list[int],
                        tokens: Sequence[int]) -> list[float]:
    """The probability of each of ``tokens`` after ``start`` and the ones before it, for
    this audio (CTranslate2's ``Whisper.align`` on the first ``frames`` encoder frames)."""
    import ctranslate2
    import numpy as np

    if not tokens:
        return []
    kept = np.ascontiguousarray(np.array(encoded)[:, :frames])
    result = model.align(ctranslate2.StorageView.from_array(kept), start, [list(tokens)],
                         [frames * 2])[0]
    return [float(p) for p in result.text_token_probs]


def weighed(model: Any, tokenizer: Any, encoded: Any, frames: int, start: list[int],
            tokens: Sequence[int]) -> tuple[tuple[str, float], ...]:
    """Each of ``tokens`` as text with its probability (:func:`token_probabilities`)."""
    found = token_probabilities(model, encoded, frames, start, tokens)
    return tuple((tokenizer.decode([t]), p) for t, p in zip(tokens, found, strict=True))


def window_frames(content: int, window: float, pad_seconds: float) -> int:
    """Encoder frames (100 a second) for an utterance of ``content`` frames: at least
    ``window`` seconds, and ``pad_seconds`` of silence after the speech.

    Whisper was trained on 30 s windows, padded with silence after the speech, and its
    encoder's cost grows faster than the window: on two shared cores a whole answer took
    1.16 s (median) with 30 s, 0.36 s with 15 s. With too little silence after the speech
    the decoder repeats the answer over and over ("Say that again. Say that again...":
    1 answer in 24 with a 10 s window and 5 s of silence, none with 15 s and 8 s).
    """
    wanted = content + int(pad_seconds * 100)
    return min(3000, max(int(window * 100), wanted))


def encode(model: Any, transcribe: Any, features: Any, frames: int) -> Any:
    """The encoder's output for log-mel ``features`` in a window of ``frames`` (zeros after
    them, as faster-whisper pads); ``transcribe`` is faster-whisper's module of that name."""
    import numpy as np

    window = np.zeros((features.shape[0], frames), dtype=np.float32)
    used = min(frames, features.shape[-1])
    window[:, :used] = features[:, :used]
    return model.encode(transcribe.get_ctranslate2_storage(window[None]), to_cpu=False)
