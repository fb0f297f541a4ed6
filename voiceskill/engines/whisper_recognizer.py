"""faster-whisper (CTranslate2 Whisper) behind the :class:`~voiceskill.recognizer.Recognizer`
interface: open vocabulary, so people can answer in their own words.

Whisper writes free text; the text understanding decides what it means. The question steers
the decoding through an initial prompt made of the answers it expects (the phrases the other
engines use as a grammar, and medicine names at the medicine questions), so that "sertraline"
is spelled as the medicine list spells it rather than heard as "certain lines".

Whisper also writes text where nobody spoke ("Thank you.", "you" in silence or a fan's hiss).
An utterance is only transcribed when there is speech in it, and a transcript is only kept
when Whisper's own signals support it (see :class:`Guard` and :func:`judge`).

Offline: the model is loaded only from a local folder holding its tokenizer, with the Hugging
Face hub switched off first, so neither faster-whisper nor huggingface_hub can reach the
network. Nothing here downloads; ``voiceskill model`` installs models.
"""

from __future__ import annotations

import array
import difflib
import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError, ModelError
from ..messages import SAMPLE_RATE, Expectation, Transcript
from ..whisper_models import install_hint, whisper_model_problems

log = logging.getLogger(__name__)

_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}
"""Set before faster-whisper (and so huggingface_hub, which reads them at import) is imported."""

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()

HALLUCINATIONS = frozenset({
    "you", "thank you", "thank you very much", "thanks for watching",
    "thank you for watching", "bye", "bye bye", "so", "the end", "uh", "um", "hmm",
    "subtitles by the amara org community", "please subscribe",
})
"""Whole transcripts Whisper is known to write for silence or noise (it learnt them from
subtitles). None of them answers a check-in question, so they are never passed on. "I'm
sorry", which it also writes for noise, is not here: "sorry?" asks for the question again."""

MAX_TOKENS = 48
"""Tokens written for one answer at most (a list of three medicines with "and" is about 20)."""

PROMPT_TOKENS = 120
"""Token budget for the initial prompt. Whisper takes at most 223; a shorter prompt is
cheaper to decode and less likely to be repeated back in noise."""


@dataclass(frozen=True)
class Guard:
    """Cut-offs that decide whether there is speech, and whether Whisper's words are real.

    On generated speech (benchmarks/whisper_guard.py, the tests) answers heard right had
    average log-probabilities above -0.6 and no-speech probabilities under 0.15; steady white
    and pink noise decoded with a yes/no prompt came out as "No." with no-speech
    probabilities of 0.86 and 0.76."""

    min_level: float = 120.0
    """RMS (int16) below which a 30 ms frame is quiet whatever the room: digital silence and
    a quiet bedroom are far below it, a word spoken near the microphone far above."""
    onset_ratio: float = 2.5
    """A frame counts as loud when it is this many times the utterance's noise floor (its
    10th-percentile frame): speech rises and falls; steady hiss does not."""
    min_loud_seconds: float = 0.12
    """Less loud sound than this is a click or a breath, not an answer."""
    min_vad_seconds: float = 0.15
    """Speech the voice-activity detector (Silero, shipped with faster-whisper) must find."""
    max_no_speech: float = 0.6
    """Whisper's own probability that the window held no speech."""
    min_avg_logprob: float = -1.0
    """Mean token log-probability of the transcript (about 37% per token)."""
    max_compression: float = 2.4
    """gzip compression ratio of the text; repeated phrases (a looping decoder) compress well."""


@dataclass(frozen=True)
class Heard:
    """One decoded utterance, engine details removed: what :func:`judge` looks at."""

    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


def normalise(text: str) -> str:
    """Lower case, punctuation gone but apostrophes kept, single spaces."""
    cleaned = re.sub(r"[^\w\s']", " ", text.lower()).replace("_", " ")
    return " ".join(cleaned.split())


def judge(heard: Heard, guard: Guard) -> str:
    """Why ``heard`` is not to be trusted, or "" when it is."""
    said = normalise(heard.text)
    if not said:
        return "no words"
    if said in HALLUCINATIONS:
        return f"{said!r} is what Whisper writes for silence or noise"
    if heard.no_speech_prob > guard.max_no_speech:
        return f"no-speech probability {heard.no_speech_prob:.2f} > {guard.max_no_speech}"
    if heard.avg_logprob < guard.min_avg_logprob:
        return f"average log-probability {heard.avg_logprob:.2f} < {guard.min_avg_logprob}"
    if heard.compression_ratio > guard.max_compression:
        return f"compression ratio {heard.compression_ratio:.2f} > {guard.max_compression}"
    return ""


def confidence(heard: Heard) -> float:
    """0..1 from the mean token probability, lowered by the chance that nobody spoke."""
    return max(0.0, min(1.0, math.exp(heard.avg_logprob) * (1.0 - heard.no_speech_prob)))


def loud_seconds(pcm: bytes, guard: Guard) -> float:
    """Seconds of 30 ms frames that stand out from the utterance's own noise floor."""
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    step = SAMPLE_RATE * 30 // 1000
    levels = []
    for i in range(0, len(samples) - step + 1, step):
        frame = samples[i : i + step]
        levels.append(math.sqrt(sum(s * s for s in frame) / step))
    if not levels:
        return 0.0
    floor = sorted(levels)[len(levels) // 10]
    cut = max(guard.min_level, floor * guard.onset_ratio)
    return sum(1 for v in levels if v >= cut) * 0.03


def build_prompt(
    expect: Expectation, phrases: Sequence[str], medicines: Sequence[str],
    count: Callable[[str], int], budget: int = PROMPT_TOKENS,
) -> str:
    """The initial prompt for a question: answers it expects, as short sentences.

    Whisper reads a prompt as the text said just before, so words in it are more likely to be
    written, and written the same way. Medicine names come first where they may be said (they
    are what Whisper cannot spell), up to half the budget when a yes or no is as likely. At a
    number question, the numbers of its range as words and two example answers (with them
    Whisper wrote "about seventy" where without it wrote "I'm out"). Then the other phrases,
    taken evenly from the whole list so that none of its parts crowds out the controls.
    ``count`` gives a text's length in tokens.
    """
    said = [p for p in dict.fromkeys(normalise(x) for x in phrases)
            if p and p.split()[0] not in _SOUNDS and len(p.split()) <= 5]
    plain = [p for p in said if not set(p.split()) & _NUMBER_WORDS]
    chosen: list[str] = []
    if expect.kind == "medications" or expect.names_medicines:
        share = budget if expect.kind == "medications" else budget // 2
        chosen += _fit(_spread(list(dict.fromkeys(medicines))), share, count)
    if expect.kind == "number":
        chosen.append("Numbers: " + ", ".join(_range_words(expect)))
        examples = [p for p in said if p not in plain and len(p.split()) >= 2]
        chosen += [_sentence(p) for p in _spread(examples)[1:3]]
    used = sum(count(f" {c}.") for c in chosen)
    chosen += _fit([_sentence(p) for p in _spread(plain)], budget - used, count)
    return " ".join(f"{p}." for p in dict.fromkeys(chosen))


def _fit(items: list[str], budget: int, count: Callable[[str], int]) -> list[str]:
    """The first of ``items`` that fit in ``budget`` tokens, each followed by a full stop."""
    out: list[str] = []
    for item in items:
        cost = count(f" {item}.")
        if cost > budget:
            break
        out.append(item)
        budget -= cost
    return out


def _range_words(expect: Expectation) -> list[str]:
    """Every number of a small range; the tens of a large one ("twenty, thirty...")."""
    from ..understanding import number_words

    low = expect.low if expect.low is not None else 0
    high = expect.high if expect.high is not None else 10
    if high - low <= 12:
        return [number_words(n) for n in range(low, high + 1)]
    return [number_words(n) for n in range(max(10, low - low % 10), high + 1, 10)]


_SOUNDS = frozenset({"oh", "well", "um", "uh", "er", "hmm", "erm"})
"""Hesitation sounds: listed before answers for the grammar engines, noise in a prompt."""

_NUMBER_WORDS = frozenset({
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "seventy", "eighty", "ninety", "hundred", "once", "twice", "first", "second",
        "third", "fourth", "fifth", "sixth", "seventh", "couple"
})
"""Phrases with numbers are not taken one by one: with every age from 18 to 110 in the list,
an unclear "about seventy" came back as "Eighty eight", one of the prompt's phrases. The
numbers go in as one even list instead, so none of them is favoured."""


def _spread(items: list[str]) -> list[str]:
    """``items`` reordered so that every prefix samples the whole list evenly: the first, then
    every half, quarter, eighth... of the way."""
    order: dict[int, None] = {}
    step = 1 << max(0, (len(items) - 1).bit_length())
    while step >= 1:
        order.update(dict.fromkeys(range(0, len(items), step)))
        step //= 2
    return [items[i] for i in order]


def likely_medicines(text: str, medicines: Sequence[str], n: int = 12) -> list[str]:
    """The ``n`` medicine names that sound most like some words of ``text`` (one to three in
    a row, not counting "and", "take", "she"...), best first."""
    words = [w for w in normalise(text).split() if w not in _JOINS]
    keys = [_sound_key(" ".join(words[i : i + k]))
            for k in (1, 2, 3) for i in range(len(words) - k + 1)]
    keys = [k for k in keys if len(k) >= 3]
    if not keys:
        return []
    score = {
        m: max(difflib.SequenceMatcher(None, k, _sound_key(m)).ratio() for k in keys)
        for m in dict.fromkeys(medicines)
    }
    return sorted(score, key=lambda m: -score[m])[:n]


def spell_medicines(text: str, medicines: Sequence[str], min_ratio: float = 0.8) -> str:
    """``text`` with words that sound like a medicine name written as that name.

    Whisper spells a name it does not know as ordinary words ("sertraline" as "certain
    lines"); the text understanding only finds names spelled nearly right. Compared on a rough
    sound key (soft c as s, hard c and q as k, ph as f, y as i, z as s, doubled letters
    single), one to three words in a row
    that come within ``min_ratio`` of a name, and are about as long, become the name. Used only
    where medicines may be named, and every medicine heard is read back before it counts.
    """
    names = {_sound_key(m): m for m in medicines if len(_sound_key(m)) >= 5}
    spelled = {normalise(m) for m in medicines}
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        best: tuple[float, int, str] | None = None
        for n in (3, 2, 1):
            span = words[i : i + n]
            key = _sound_key(" ".join(span))
            if len(span) < n or len(key) < 5 or key in _PLAIN_KEYS or _exact(span, spelled):
                continue
            for name_key, name in names.items():
                if min(len(key), len(name_key)) / max(len(key), len(name_key)) < 0.75:
                    continue
                ratio = difflib.SequenceMatcher(None, key, name_key).ratio()
                if ratio >= min_ratio and (best is None or ratio > best[0]):
                    best = (ratio, n, name)
        if best is None:
            out.append(words[i])
            i += 1
        else:
            out.append(best[2])
            i += best[1]
    return " ".join(out)


def _exact(span: list[str], spelled: set[str]) -> bool:
    """A span that holds a name already spelled right, or a word no name is made of ("yes",
    "take", "and"), is left as it is."""
    return any(normalise(w) in spelled or normalise(w) in _JOINS for w in span)


_JOINS = frozenset({
        "yes", "no", "i", "i'm", "take", "takes", "taking", "and", "a", "an", "the", "my",
        "her", "his", "their", "of", "at", "with", "some", "also", "too", "just", "for",
        "on", "but", "or", "she", "he", "they", "it", "them", "every", "each", "night",
        "day", "morning"
})


def _sound_key(text: str) -> str:
    key = re.sub(r"[^a-z]", "", text.lower())
    for pattern, sound in (("ph", "f"), ("c(?=[eiy])", "s"), ("ck|c|qu|q", "k"), ("x", "ks"),
                           ("z", "s"), ("y", "i")):
        key = re.sub(pattern, sound, key)
    return re.sub(r"(.)\1+", r"\1", key)


_PLAIN_KEYS = frozenset(_sound_key(w) for w in (
    "nothing", "sometimes", "maybe", "really", "don't know", "not sure", "every night",
    "i think so", "i don't", "thanks", "thank you", "please", "medicine", "medicines",
    "tablets", "vitamins", "yes i do", "no i don't", "i take", "none at all",
))
"""Everyday words a medicine name must never replace, whatever they sound like."""


def _sentence(phrase: str) -> str:
    fixed = re.sub(r"\bi\b", "I", phrase)
    return fixed[:1].upper() + fixed[1:]


def _collect(audio: Iterable[bytes]) -> bytes:
    data = b"".join(audio)
    return data[: len(data) - len(data) % 2]


def _import_faster_whisper() -> Any:
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value
    try:
        import faster_whisper
        import faster_whisper.tokenizer
        import faster_whisper.transcribe
        import faster_whisper.vad
    except ImportError as err:
        raise EngineError(
            "the Whisper speech engine is not installed: pip install faster-whisper "
            "(or pip install 'voiceskill[whisper]')"
        ) from err
    return faster_whisper


def _load_model(fw: Any, folder: Path, compute_type: str, threads: int) -> tuple[Any, float]:
    """Load once per process and settings; a second recogniser on the same folder shares it."""
    key = (str(folder.resolve()), compute_type, threads)
    with _models_lock:
        if key in _models:
            return _models[key], 0.0
        started = time.perf_counter()
        try:
            # A folder path, never a name: faster-whisper only looks up the hub for names.
            model = fw.WhisperModel(key[0], device="cpu", compute_type=compute_type,
                                    cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelError(f"{folder}: Whisper could not load this model ({err})") from err
        _models[key] = model
        return model, time.perf_counter() - started


class WhisperRecognizer:
    """Whisper with a per-question prompt, a speech check before and a guard after decoding.

    Not safe to call ``recognize`` from two threads at once.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        guard: Guard | None = None,
        medicines: Sequence[str] | None = None,
        compute_type: str = "int8",
        threads: int | None = None,
        beam_size: int = 1,
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
        self._fw = _import_faster_whisper()
        # int8 is CTranslate2's quickest type on a CPU (the float16 weights are converted as
        # they load); more threads than cores only makes them wait for each other.
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._model, self.model_load_seconds = _load_model(
            self._fw, folder, compute_type, self.threads)
        self.model_dir = folder
        self.guard = guard or Guard()
        self.beam_size = beam_size
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
        heard = self._listen(samples, expect, phrases)
        self.last_reason = judge(heard, self.guard)
        text = heard.text.strip()
        if self._names(expect) and phrases:
            text = spell_medicines(text, self.medicines())
        if self.last_reason:
            log.debug("%s rejected %r: %s", self.name, text, self.last_reason)
            return Transcript(text="", confidence=0.0, engine=self.name, rejected=True,
                              heard=heard.text.strip(), audio_seconds=seconds)
        return Transcript(text=text, confidence=confidence(heard), engine=self.name,
                          heard=heard.text.strip(), audio_seconds=seconds)

    def _listen(self, samples: Any, expect: Expectation, phrases: Sequence[str]) -> Heard:
        """Decode with the question's prompt. Where medicines may be named, decode again
        with the names that sound most like what was heard first: the prompt holds a tenth
        of the names at most, and Whisper spells a name right only when it is in the prompt
        ("seroquel", first heard as "a rockwheel"). The second pass reuses the encoder's
        work, so it costs about 0.1 s."""
        encoded = self._encode(samples)
        if not phrases:  # free recognition: nothing to steer towards
            self.last_prompt = ""
            return self._generate(encoded, "")
        self.last_prompt = build_prompt(expect, phrases, self.medicines(), self._count_tokens)
        heard = self._generate(encoded, self.last_prompt)
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
        window = np.zeros((features.shape[0], frames), dtype=np.float32)
        used = min(frames, features.shape[-1])
        window[:, :used] = features[:, :used]
        try:
            storage = self._fw.transcribe.get_ctranslate2_storage(window[None])
            return self._model.model.encode(storage, to_cpu=False)
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while encoding ({err})") from err

    def _generate(self, encoded: Any, prompt: str) -> Heard:
        """Greedy decoding after ``prompt``, as faster-whisper does it without timestamps."""
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
                suppress_blank=True,
                suppress_tokens=self._suppressed,
            )[0]
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name}: the engine failed while decoding ({err})") from err
        ids = [t for t in result.sequences_ids[0] if t < tok.eot]
        text = tok.decode(ids).strip()
        return Heard(
            text=text,
            # As faster-whisper computes it: the sum of token log-probabilities over length + 1.
            avg_logprob=result.scores[0] * len(ids) / (len(ids) + 1) if ids else -10.0,
            no_speech_prob=result.no_speech_prob,
            compression_ratio=self._fw.transcribe.get_compression_ratio(text) if text else 0.0,
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
