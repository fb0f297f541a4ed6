"""Whether Whisper heard an answer: a speech check before decoding (:func:`loud_seconds`) and
a guard after it (:class:`Guard`, :func:`judge`), since Whisper also writes text where nobody
spoke ("Thank you.", "you" in silence or a fan's hiss).
"""

from __future__ import annotations

import array
import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..messages import SAMPLE_RATE
from .polarity import negated

HALLUCINATIONS = frozenset({
    "you", "thank you", "thank you very much", "thanks for watching",
    "thank you for watching", "bye", "bye bye", "so", "the end", "uh", "um", "hmm",
    "subtitles by the amara org community", "please subscribe",
})
"""Whole transcripts Whisper is known to write for silence or noise (it learnt them from
subtitles). None of them answers a check-in question, so they are never passed on. "I'm
sorry", which it also writes for noise, is not here: "sorry?" asks for the question again."""


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
    polarity_floor: float = 0.5
    """A yes or no whose runner-up in the beam says the other polarity ("Can say I've
    noticed." with "Can't say I've noticed." next) is read back when one of its tokens had
    less than this probability. On the tuning half that runner-up came with 11 and 10 yes or
    no answers (quiet, pink noise): the one flip kept unasked had a weakest token of 0.37,
    the right answers kept unasked 0.61 to 0.98; any floor between the two reads back the
    same answers (docs/decisions/038)."""


@dataclass(frozen=True)
class Heard:
    """One decoded utterance, engine details removed: what :func:`judge` looks at."""

    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    tokens: tuple[int, ...] = ()
    """The token ids Whisper wrote, so the text can be scored as it was written (re-encoded,
    "He snores terribly." comes out in other pieces, one of them thought unlikely)."""
    others: tuple[Heard, ...] = ()
    """The beam's other finished hypotheses, best first (``WhisperRecognizer.hypotheses``)."""


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



def no_speech(pcm: bytes, guard: Guard, vad_seconds: Callable[[], float]) -> str:
    """Why an utterance holds no speech, or "" when it does: loud enough (``loud_seconds``),
    then enough speech found by the voice-activity detector (``vad_seconds``, run only
    when the first test passes)."""
    loud = loud_seconds(pcm, guard)
    if loud < guard.min_loud_seconds:
        return f"{loud:.2f} s above the noise floor"
    found = vad_seconds()
    if found < guard.min_vad_seconds:
        return f"the voice-activity detector found {found:.2f} s of speech"
    return ""


def polarity_differs(prompted: str, open_text: str) -> str:
    """Why a yes/no answer is not to be trusted, or "" when it is: the decode without the
    question's prompt heard a negation the prompted one lacks, or lacks one the prompted
    one has after its first word.

    The prompt holds both answers ("yes she does", "no she doesn't"), and Whisper sometimes
    writes the one it was not told: "oh yes she does" as "Oh yes she doesn't", "can't say I've
    noticed" as "Can say I've noticed", "yes and no" as "Yes nd know". Heard without the
    prompt, the same audio kept its "not" as said in those; asking again costs a turn, taking
    the wrong one turns a yes into a no. Without the prompt Whisper often garbles an answer's
    first short word ("not really sure" as "Ha, really sure", "no, thank goodness" as "Oh,
    thank goodness"), so a negation that opens the prompted hearing is not doubted for that;
    nor is anything when the open hearing is under two words (docs/decisions/024)."""
    heard = _apostrophes(normalise(open_text)).split()
    if len(heard) < 2:
        return ""
    said = _apostrophes(normalise(prompted)).split()
    if negated(" ".join(heard)) and not negated(" ".join(said)):
        return f"heard {open_text!r} without the prompt, {prompted!r} with it: a negation lost"
    if negated(" ".join(said[1:])) and not negated(" ".join(heard)):
        return f"heard {prompted!r} with the prompt, {open_text!r} without it: a negation added"
    return ""


_UNMARKED = re.compile(r"\b(do|does|did|ca|wo|is|are|was|were|have|has|had|would|could|"
                       r"should|ai)nt\b")
"""A negation written without its apostrophe ("I dont take any."): Whisper writes it so now
and then without the prompt, whose phrases teach it the apostrophe."""


def _apostrophes(text: str) -> str:
    """``text`` with "dont", "cant", "wouldnt"... written "don't", "can't", "wouldn't"."""
    return _UNMARKED.sub(lambda m: m.group(1) + "n't", text)


def agreement(prompted: str, open_text: str) -> float:
    """How alike the hearings with and without the prompt are, 0..1 (1 when there is no
    second hearing). The confidence of a yes/no answer is scaled by it, so an answer whose
    two hearings differ ("I wouldn't say so" as "I more than to say so." and "I'm more than
    to say so.") is read back rather than kept: on the tuning half in quiet that read back 5
    right answers more and kept 1 flip fewer (docs/decisions/024)."""
    if not normalise(open_text):
        return 1.0
    return difflib.SequenceMatcher(None, normalise(prompted), normalise(open_text)).ratio()


def loop_phrase(text: str, copies: int = 3) -> str:
    """The phrase a looping decoder wrote over and over ("Skip. This question. Skip. This
    question. ..."), or "" when ``text`` is not one phrase said ``copies`` times or more (the
    last copy may be cut short)."""
    words = normalise(text).split()
    for size in range(1, len(words) // copies + 1):
        head = words[:size]
        if all(w == head[i % size] for i, w in enumerate(words)):
            return " ".join(head)
    return ""


def loop_confirmed(heard: Heard, open_text: str) -> Heard | None:
    """A looping hearing cut down to one copy of its phrase, when the hearing without the
    prompt said that phrase (once, or looping too); None otherwise.

    The compression guard turns loops away, and rightly when the loop is the prompt said back
    ("A little. A little. ..." for "of course I do"). On the tuning half the hearing without
    the prompt gave the looped phrase once in four of five loops at yes/no questions ("Nope.
    Never.", "Skip this question.", "Explain please"): two hearings that agree are kept, at
    the confidence of the prompted one (docs/decisions/027)."""
    phrase = loop_phrase(heard.text)
    if not phrase or phrase != (loop_phrase(open_text) or normalise(open_text)):
        return None
    return Heard(phrase, heard.avg_logprob, heard.no_speech_prob, 1.0)


def polarity_in_doubt(heard: Heard, probabilities: Sequence[float], guard: Guard) -> str:
    """Why the yes or no of ``heard`` is to be read back, or "": the beam's runner-up says the
    other polarity and a token of ``heard`` had less than ``Guard.polarity_floor``
    probability (``probabilities``: each token's, after the prompt it was decoded with).

    The prompt holds both answers, so the decoder drops or adds a "n't" cheaply ("can't say
    I've noticed" written "Can say I've noticed.", the runner-up "Can't say I've noticed.").
    A runner-up of the other polarity alone is common where the hearing is right ("He does."
    / "He doesn't."); a weak token besides is what the flips showed (docs/decisions/038)."""
    if not runner_up_contradicts(heard) or not probabilities:
        return ""
    weakest = min(probabilities)
    if weakest >= guard.polarity_floor:
        return ""
    return (f"the runner-up {heard.others[0].text!r} says the other polarity and a token had "
            f"probability {weakest:.2f} < {guard.polarity_floor}")


def runner_up_contradicts(heard: Heard) -> bool:
    """Whether the beam's second hypothesis holds a negation where ``heard`` has none, or
    the other way round ("dont" counts as "don't")."""
    if not heard.others:
        return False
    said, second = (_apostrophes(normalise(h.text)) for h in (heard, heard.others[0]))
    return bool(second) and negated(said) != negated(second)
