"""What ``Listener.listen`` does, pinned down exactly on deterministic streams.

Each case feeds a fake microphone a fixed signal (silence, tones, bursts, seeded noise,
syllable-like tone pulses, endless speech) under given listener settings and actions (mute,
unmute guard, a consumer that stops early, a microphone that disappears), and records what came
out: the outcome, how much audio was yielded and its digest, how many frames were read from the
stream, and every call to ``ended``. The expected values were recorded from the listener as it
was before its listening loop was split into named steps, so any change in behaviour, however
small (a frame more read, a float summed in another order), fails here.

``python tests/test_mic_characterisation.py`` prints the observed table in the form of
``EXPECTED``; re-record only for a deliberate change of behaviour.
"""

from __future__ import annotations

import array
import hashlib
import math
import pprint
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from voiceskill.errors import AudioError
from voiceskill.mic import Listener, ListenStats
from voiceskill.testing.microphone import FakeInputStream

RATE = 16_000


def silence(secs: float) -> bytes:
    return bytes(2 * round(secs * RATE))


def tone(secs: float, level: float = 6_000, freq: float = 220.0) -> bytes:
    n = round(secs * RATE)
    return array.array(
        "h", (round(level * math.sin(2 * math.pi * freq * i / RATE)) for i in range(n))
    ).tobytes()


def burst(secs: float, level: int = 12_000) -> bytes:
    """Alternating full swings: a click or a knock when short."""
    n = round(secs * RATE)
    return array.array("h", (level if i % 2 else -level for i in range(n))).tobytes()


def syllables(count: int, on: float = 0.18, gap: float = 0.12, level: float = 5_000) -> bytes:
    """Speech-like: tone pulses with a rising and falling envelope, quiet gaps between them."""
    out = bytearray()
    for k in range(count):
        n = round(on * RATE)
        peak = level * (0.6 + 0.4 * ((k * 7) % 5) / 4)
        freq = 180.0 + 40 * (k % 3)
        pulse = array.array(
            "h",
            (
                round(peak * math.sin(math.pi * i / n) * math.sin(2 * math.pi * freq * i / RATE))
                for i in range(n)
            ),
        )
        out += pulse.tobytes() + silence(gap)
    return bytes(out)


@dataclass(frozen=True)
class Case:
    pcm: bytes
    listener: dict[str, Any] = field(default_factory=dict)
    listens: tuple[dict[str, Any], ...] = ({},)
    """One ``listen()`` per entry, on the same listener (the noise floor carries over)."""
    noise_level: float = 0.0
    fail_at: float | None = None
    before: str = ""
    """"mute", "mute+unmute" or "": done to the listener before the first listen."""
    mute_after: int | None = None
    """Mute once this many chunks of the first listen have been taken."""
    stop_after: int | None = None
    """Close the first listen's generator once this many chunks have been taken."""
    schedule: dict[int, tuple[str | bytes, ...]] = field(default_factory=dict)
    """Done just before that read of the stream, as from another thread: "mute", "unmute", or
    audio fed to the microphone (muting drops all audio fed so far, as a real flush would)."""


CASES: dict[str, Callable[[], Case]] = {
    "silence_only": lambda: Case(silence(1.0), listens=({"no_input_timeout": 2.0},)),
    "timeout_shorter_than_a_chunk": lambda: Case(b"", listens=({"no_input_timeout": 0.05},)),
    "click_is_not_speech": lambda: Case(
        silence(0.6) + burst(0.04) + silence(0.6), listens=({"no_input_timeout": 2.0},)
    ),
    "tone_answer": lambda: Case(silence(1.0) + tone(0.6) + silence(2.0)),
    "tone_answer_no_preroll": lambda: Case(
        silence(1.0) + tone(0.6) + silence(2.0), listener={"preroll": 0.0}
    ),
    "tone_answer_long_preroll": lambda: Case(
        silence(1.5) + tone(0.6) + silence(2.0), listener={"preroll": 1.0}
    ),
    "syllables_short_end_silence": lambda: Case(
        silence(0.8) + syllables(6) + silence(1.5), listener={"end_silence": 0.3}
    ),
    "syllables_default": lambda: Case(silence(0.8) + syllables(6) + silence(1.5)),
    "syllables_long_end_silence": lambda: Case(
        silence(0.8) + syllables(5, gap=0.5) + silence(2.5), listener={"end_silence": 1.5}
    ),
    "endless_speech_hits_listener_cap": lambda: Case(
        silence(0.5) + tone(8.0), listener={"max_answer": 3.0}
    ),
    "endless_speech_hits_per_answer_cap": lambda: Case(
        silence(0.5) + syllables(30, gap=0.04), listens=({"max_answer": 1.5},)
    ),
    "answer_after_timeout_is_missed": lambda: Case(
        silence(1.2) + tone(0.5), listens=({"no_input_timeout": 1.0},)
    ),
    "noisy_room_then_answer": lambda: Case(
        silence(1.5) + tone(0.8, level=3_000) + silence(1.5), noise_level=300.0
    ),
    "noisy_room_only": lambda: Case(b"", noise_level=400.0, listens=({"no_input_timeout": 1.5},)),
    "noisy_room_heard_first_in_big_chunks": lambda: Case(
        silence(0.0) + tone(0.6, level=4_000) + silence(1.0),
        noise_level=400.0,
        listener={"chunk_bytes": 9600},
        listens=({"no_input_timeout": 1.5}, {"no_input_timeout": 1.5}),
    ),
    "noisy_room_quick_start_settings": lambda: Case(
        silence(0.5) + tone(0.3, level=4_000) + silence(1.0),
        noise_level=400.0,
        listener={"min_speech": 0.04, "start_window": 0.1, "end_silence": 0.4},
        listens=({"no_input_timeout": 1.5},),
    ),
    "two_answers_on_one_listener": lambda: Case(
        silence(0.7) + tone(0.4) + silence(1.2) + silence(0.3) + syllables(3) + silence(1.2),
        listens=({}, {"no_input_timeout": 3.0}),
    ),
    "knock_then_answer": lambda: Case(
        silence(0.8) + burst(0.05) + silence(0.1) + syllables(3) + silence(1.2)
    ),
    "odd_chunk_size": lambda: Case(
        silence(0.9) + syllables(4) + silence(1.2), listener={"chunk_bytes": 1000}
    ),
    "muted_before_listening": lambda: Case(
        tone(0.5) + silence(0.3) + tone(0.5) + silence(1.0),
        before="mute",
        listens=({"no_input_timeout": 1.0},),
    ),
    "unmute_guard_drops_prompt_tail": lambda: Case(
        burst(0.15) + silence(0.6) + tone(0.5) + silence(1.2),
        listener={"unmute_guard": 0.25},
        before="mute+unmute",
    ),
    "mute_mid_answer": lambda: Case(silence(0.6) + tone(3.0), mute_after=4),
    "muted_and_unmuted_while_waiting": lambda: Case(
        silence(0.3) + tone(0.25),
        listener={"unmute_guard": 0.15},
        schedule={
            4: ("mute", silence(0.1) + burst(0.2)),
            7: ("unmute", silence(0.1) + tone(1.0) + silence(1.0)),
        },
    ),
    "muted_while_waiting_until_timeout": lambda: Case(
        silence(0.3),
        schedule={2: ("mute", tone(1.0))},
        listens=({"no_input_timeout": 1.0},),
    ),
    "muted_by_another_thread_mid_answer": lambda: Case(
        silence(0.5) + tone(2.0), schedule={9: ("mute", burst(0.5))}
    ),
    "consumer_stops_mid_answer": lambda: Case(silence(0.6) + tone(2.0), stop_after=3),
    "consumer_stops_before_reading": lambda: Case(silence(0.6) + tone(2.0), stop_after=0),
    "microphone_disappears_mid_answer": lambda: Case(silence(0.6) + tone(3.0), fail_at=1.5),
    "microphone_disappears_while_waiting": lambda: Case(silence(2.0), fail_at=0.7),
}


def stats_row(stats: ListenStats) -> dict[str, Any]:
    row: dict[str, Any] = {
        name: getattr(stats, name)
        for name in (
            "outcome",
            "speech_onset",
            "speech_detected",
            "speech_end",
            "ended",
            "yielded_seconds",
            "noise_floor",
            "start_threshold",
        )
    }
    # Wall-clock times differ from run to run; only whether they were taken is fixed.
    row["detected_time"] = stats.detected_time is not None
    row["end_time"] = stats.end_time is not None
    return row


class ScheduledStream(FakeInputStream):
    """A fake microphone that mutes or unmutes its listener just before given reads."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.pcm, noise_level=case.noise_level, fail_at=case.fail_at)
        self.schedule = case.schedule
        self.listener: Listener | None = None
        self.reads = 0

    def read(self, frames: int) -> bytes:
        assert self.listener is not None
        for action in self.schedule.get(self.reads, ()):
            if action == "mute":
                self.listener.mute()
            elif action == "unmute":
                self.listener.unmute()
            else:
                assert isinstance(action, bytes)
                self.feed(action)
        self.reads += 1
        return super().read(frames)


def observe(case: Case) -> list[dict[str, Any]]:
    mic = ScheduledStream(case)
    listener = mic.listener = Listener(mic, **case.listener)
    if "mute" in case.before:
        listener.mute()
    if "unmute" in case.before:
        listener.unmute()
    observed = []
    for n, kwargs in enumerate(case.listens):
        calls: list[ListenStats] = []
        read_before = mic.frames_read
        answer = listener.listen(ended=calls.append, **kwargs)
        chunks: list[bytes] = []
        error = None
        try:
            if n == 0 and case.stop_after is not None:
                for _ in range(case.stop_after):
                    chunks.append(next(answer))
                answer.close()
            else:
                for chunk in answer:
                    chunks.append(chunk)
                    if n == 0 and case.mute_after is not None and len(chunks) == case.mute_after:
                        listener.mute()
        except AudioError as exc:
            error = str(exc)
        audio = b"".join(chunks)
        observed.append(
            {
                "error": error,
                "chunks": len(chunks),
                "chunk_sizes": sorted({len(c) for c in chunks}),
                "bytes": len(audio),
                "digest": hashlib.sha256(audio).hexdigest()[:16],
                "frames_read": mic.frames_read - read_before,
                "ended": [stats_row(s) for s in calls],
                # "ended" when ``last`` is the very stats last handed to ``ended``.
                "last": "ended"
                if calls and listener.last is calls[-1]
                else (None if listener.last is None else stats_row(listener.last)),
            }
        )
    return observed


# fmt: off
EXPECTED: dict[str, list[dict[str, Any]]] = {'answer_after_timeout_is_missed': [{'bytes': 0,
                                     'chunk_sizes': [],
                                     'chunks': 0,
                                     'digest': 'e3b0c44298fc1c14',
                                     'ended': [{'detected_time': False,
                                                'end_time': False,
                                                'ended': 1.0,
                                                'noise_floor': 0.0,
                                                'outcome': 'no_input',
                                                'speech_detected': None,
                                                'speech_end': None,
                                                'speech_onset': None,
                                                'start_threshold': 150.0,
                                                'yielded_seconds': 0.0}],
                                     'error': None,
                                     'frames_read': 16000,
                                     'last': 'ended'}],
 'click_is_not_speech': [{'bytes': 0,
                          'chunk_sizes': [],
                          'chunks': 0,
                          'digest': 'e3b0c44298fc1c14',
                          'ended': [{'detected_time': False,
                                     'end_time': False,
                                     'ended': 2.0,
                                     'noise_floor': 0.0,
                                     'outcome': 'no_input',
                                     'speech_detected': None,
                                     'speech_end': None,
                                     'speech_onset': None,
                                     'start_threshold': 150.0,
                                     'yielded_seconds': 0.0}],
                          'error': None,
                          'frames_read': 32000,
                          'last': 'ended'}],
 'consumer_stops_before_reading': [{'bytes': 0,
                                    'chunk_sizes': [],
                                    'chunks': 0,
                                    'digest': 'e3b0c44298fc1c14',
                                    'ended': [],
                                    'error': None,
                                    'frames_read': 0,
                                    'last': None}],
 'consumer_stops_mid_answer': [{'bytes': 9600,
                                'chunk_sizes': [3200],
                                'chunks': 3,
                                'digest': 'e9a15a094703faae',
                                'ended': [{'detected_time': True,
                                           'end_time': True,
                                           'ended': 0.8,
                                           'noise_floor': 0.0,
                                           'outcome': 'speech',
                                           'speech_detected': 0.8,
                                           'speech_end': 0.8,
                                           'speech_onset': 0.6,
                                           'start_threshold': 150.0,
                                           'yielded_seconds': 0.30000000000000004}],
                                'error': None,
                                'frames_read': 12800,
                                'last': 'ended'}],
 'endless_speech_hits_listener_cap': [{'bytes': 105600,
                                       'chunk_sizes': [3200],
                                       'chunks': 33,
                                       'digest': '8c074d2c1244378e',
                                       'ended': [{'detected_time': True,
                                                  'end_time': True,
                                                  'ended': 3.5,
                                                  'noise_floor': 0.0,
                                                  'outcome': 'max_length',
                                                  'speech_detected': 0.7,
                                                  'speech_end': 3.5,
                                                  'speech_onset': 0.5,
                                                  'start_threshold': 150.0,
                                                  'yielded_seconds': 3.3000000000000016}],
                                       'error': None,
                                       'frames_read': 56000,
                                       'last': 'ended'}],
 'endless_speech_hits_per_answer_cap': [{'bytes': 57600,
                                         'chunk_sizes': [3200],
                                         'chunks': 18,
                                         'digest': 'f21271fb778a1c5d',
                                         'ended': [{'detected_time': True,
                                                    'end_time': True,
                                                    'ended': 2.0,
                                                    'noise_floor': 0.0,
                                                    'outcome': 'max_length',
                                                    'speech_detected': 0.7,
                                                    'speech_end': 2.0,
                                                    'speech_onset': 0.5,
                                                    'start_threshold': 150.0,
                                                    'yielded_seconds': 1.8000000000000005}],
                                         'error': None,
                                         'frames_read': 32000,
                                         'last': 'ended'}],
 'knock_then_answer': [{'bytes': 67200,
                        'chunk_sizes': [3200],
                        'chunks': 21,
                        'digest': '93b8edfc767cea2a',
                        'ended': [{'detected_time': True,
                                   'end_time': True,
                                   'ended': 2.6,
                                   'noise_floor': 0.0,
                                   'outcome': 'speech',
                                   'speech_detected': 1.0,
                                   'speech_end': 1.74,
                                   'speech_onset': 0.8,
                                   'start_threshold': 150.0,
                                   'yielded_seconds': 2.1000000000000005}],
                        'error': None,
                        'frames_read': 41600,
                        'last': 'ended'}],
 'microphone_disappears_mid_answer': [{'bytes': 38400,
                                       'chunk_sizes': [3200],
                                       'chunks': 12,
                                       'digest': '20e81452c4c30688',
                                       'ended': [],
                                       'error': 'fake microphone: the microphone stopped '
                                                'delivering audio (disconnected)',
                                       'frames_read': 24000,
                                       'last': None}],
 'microphone_disappears_while_waiting': [{'bytes': 0,
                                          'chunk_sizes': [],
                                          'chunks': 0,
                                          'digest': 'e3b0c44298fc1c14',
                                          'ended': [],
                                          'error': 'fake microphone: the microphone '
                                                   'stopped delivering audio '
                                                   '(disconnected)',
                                          'frames_read': 11200,
                                          'last': None}],
 'mute_mid_answer': [{'bytes': 16000,
                      'chunk_sizes': [3200],
                      'chunks': 5,
                      'digest': '2e43069adcfb84bc',
                      'ended': [{'detected_time': True,
                                 'end_time': True,
                                 'ended': 0.9,
                                 'noise_floor': 0.0,
                                 'outcome': 'speech',
                                 'speech_detected': 0.8,
                                 'speech_end': 0.8,
                                 'speech_onset': 0.6,
                                 'start_threshold': 150.0,
                                 'yielded_seconds': 0.5}],
                      'error': None,
                      'frames_read': 14400,
                      'last': 'ended'}],
 'muted_and_unmuted_while_waiting': [{'bytes': 54400,
                                      'chunk_sizes': [3200],
                                      'chunks': 17,
                                      'digest': '7af5329f8d039862',
                                      'ended': [{'detected_time': True,
                                                 'end_time': True,
                                                 'ended': 2.6,
                                                 'noise_floor': 0.0,
                                                 'outcome': 'speech',
                                                 'speech_detected': 1.1,
                                                 'speech_end': 1.8,
                                                 'speech_onset': 0.9,
                                                 'start_threshold': 150.0,
                                                 'yielded_seconds': 1.7000000000000004}],
                                      'error': None,
                                      'frames_read': 41600,
                                      'last': 'ended'}],
 'muted_before_listening': [{'bytes': 0,
                             'chunk_sizes': [],
                             'chunks': 0,
                             'digest': 'e3b0c44298fc1c14',
                             'ended': [{'detected_time': False,
                                        'end_time': False,
                                        'ended': 1.0,
                                        'noise_floor': 0.0,
                                        'outcome': 'no_input',
                                        'speech_detected': None,
                                        'speech_end': None,
                                        'speech_onset': None,
                                        'start_threshold': 150.0,
                                        'yielded_seconds': 0.0}],
                             'error': None,
                             'frames_read': 16000,
                             'last': 'ended'}],
 'muted_by_another_thread_mid_answer': [{'bytes': 22400,
                                         'chunk_sizes': [3200],
                                         'chunks': 7,
                                         'digest': '50729441cb36a393',
                                         'ended': [{'detected_time': True,
                                                    'end_time': True,
                                                    'ended': 1.0,
                                                    'noise_floor': 0.0,
                                                    'outcome': 'speech',
                                                    'speech_detected': 0.7,
                                                    'speech_end': 0.9,
                                                    'speech_onset': 0.5,
                                                    'start_threshold': 150.0,
                                                    'yielded_seconds': 0.7}],
                                         'error': None,
                                         'frames_read': 16000,
                                         'last': 'ended'}],
 'muted_while_waiting_until_timeout': [{'bytes': 0,
                                        'chunk_sizes': [],
                                        'chunks': 0,
                                        'digest': 'e3b0c44298fc1c14',
                                        'ended': [{'detected_time': False,
                                                   'end_time': False,
                                                   'ended': 1.0,
                                                   'noise_floor': 0.0,
                                                   'outcome': 'no_input',
                                                   'speech_detected': None,
                                                   'speech_end': None,
                                                   'speech_onset': None,
                                                   'start_threshold': 150.0,
                                                   'yielded_seconds': 0.0}],
                                        'error': None,
                                        'frames_read': 16000,
                                        'last': 'ended'}],
 'noisy_room_heard_first_in_big_chunks': [{'bytes': 0,
                                           'chunk_sizes': [],
                                           'chunks': 0,
                                           'digest': 'e3b0c44298fc1c14',
                                           'ended': [{'detected_time': False,
                                                      'end_time': False,
                                                      'ended': 1.5,
                                                      'noise_floor': 0.0,
                                                      'outcome': 'no_input',
                                                      'speech_detected': None,
                                                      'speech_end': None,
                                                      'speech_onset': None,
                                                      'start_threshold': 150.0,
                                                      'yielded_seconds': 0.0}],
                                           'error': None,
                                           'frames_read': 24000,
                                           'last': 'ended'},
                                          {'bytes': 489600,
                                           'chunk_sizes': [9600],
                                           'chunks': 51,
                                           'digest': '9332823b6aa7318d',
                                           'ended': [{'detected_time': True,
                                                      'end_time': True,
                                                      'ended': 15.3,
                                                      'noise_floor': 0.0,
                                                      'outcome': 'max_length',
                                                      'speech_detected': 0.3,
                                                      'speech_end': 15.3,
                                                      'speech_onset': 0.1,
                                                      'start_threshold': 150.0,
                                                      'yielded_seconds': 15.300000000000015}],
                                           'error': None,
                                           'frames_read': 244800,
                                           'last': 'ended'}],
 'noisy_room_only': [{'bytes': 0,
                      'chunk_sizes': [],
                      'chunks': 0,
                      'digest': 'e3b0c44298fc1c14',
                      'ended': [{'detected_time': False,
                                 'end_time': False,
                                 'ended': 1.5,
                                 'noise_floor': 370.0416910633179,
                                 'outcome': 'no_input',
                                 'speech_detected': None,
                                 'speech_end': None,
                                 'speech_onset': None,
                                 'start_threshold': 1110.1250731899536,
                                 'yielded_seconds': 0.0}],
                      'error': None,
                      'frames_read': 24000,
                      'last': 'ended'}],
 'noisy_room_quick_start_settings': [{'bytes': 35200,
                                      'chunk_sizes': [3200],
                                      'chunks': 11,
                                      'digest': '683731b8bef136ad',
                                      'ended': [{'detected_time': True,
                                                 'end_time': True,
                                                 'ended': 1.2,
                                                 'noise_floor': 0.0,
                                                 'outcome': 'speech',
                                                 'speech_detected': 0.6,
                                                 'speech_end': 0.8,
                                                 'speech_onset': 0.5,
                                                 'start_threshold': 150.0,
                                                 'yielded_seconds': 1.0999999999999999}],
                                      'error': None,
                                      'frames_read': 19200,
                                      'last': 'ended'}],
 'noisy_room_then_answer': [{'bytes': 60800,
                             'chunk_sizes': [3200],
                             'chunks': 19,
                             'digest': '56d1f5bd625a9c44',
                             'ended': [{'detected_time': True,
                                        'end_time': True,
                                        'ended': 3.1,
                                        'noise_floor': 0.0,
                                        'outcome': 'speech',
                                        'speech_detected': 1.7,
                                        'speech_end': 2.3,
                                        'speech_onset': 1.5,
                                        'start_threshold': 150.0,
                                        'yielded_seconds': 1.9000000000000006}],
                             'error': None,
                             'frames_read': 49600,
                             'last': 'ended'}],
 'odd_chunk_size': [{'bytes': 66000,
                     'chunk_sizes': [1000],
                     'chunks': 66,
                     'digest': '7a93374f9068ba86',
                     'ended': [{'detected_time': True,
                                'end_time': True,
                                'ended': 2.625,
                                'noise_floor': 0.0,
                                'outcome': 'speech',
                                'speech_detected': 1.0,
                                'speech_end': 1.98875,
                                'speech_onset': 0.90625,
                                'start_threshold': 150.0,
                                'yielded_seconds': 2.0625}],
                     'error': None,
                     'frames_read': 42000,
                     'last': 'ended'}],
 'silence_only': [{'bytes': 0,
                   'chunk_sizes': [],
                   'chunks': 0,
                   'digest': 'e3b0c44298fc1c14',
                   'ended': [{'detected_time': False,
                              'end_time': False,
                              'ended': 2.0,
                              'noise_floor': 0.0,
                              'outcome': 'no_input',
                              'speech_detected': None,
                              'speech_end': None,
                              'speech_onset': None,
                              'start_threshold': 150.0,
                              'yielded_seconds': 0.0}],
                   'error': None,
                   'frames_read': 32000,
                   'last': 'ended'}],
 'syllables_default': [{'bytes': 89600,
                        'chunk_sizes': [3200],
                        'chunks': 28,
                        'digest': '61fad55a97c81351',
                        'ended': [{'detected_time': True,
                                   'end_time': True,
                                   'ended': 3.3,
                                   'noise_floor': 0.0,
                                   'outcome': 'speech',
                                   'speech_detected': 1.0,
                                   'speech_end': 2.48,
                                   'speech_onset': 0.8,
                                   'start_threshold': 150.0,
                                   'yielded_seconds': 2.800000000000001}],
                        'error': None,
                        'frames_read': 52800,
                        'last': 'ended'}],
 'syllables_long_end_silence': [{'bytes': 150400,
                                 'chunk_sizes': [3200],
                                 'chunks': 47,
                                 'digest': '292de41d382d0e2d',
                                 'ended': [{'detected_time': True,
                                            'end_time': True,
                                            'ended': 5.2,
                                            'noise_floor': 0.0,
                                            'outcome': 'speech',
                                            'speech_detected': 1.0,
                                            'speech_end': 3.7,
                                            'speech_onset': 0.8,
                                            'start_threshold': 150.0,
                                            'yielded_seconds': 4.699999999999999}],
                                 'error': None,
                                 'frames_read': 83200,
                                 'last': 'ended'}],
 'syllables_short_end_silence': [{'bytes': 73600,
                                  'chunk_sizes': [3200],
                                  'chunks': 23,
                                  'digest': '43f598032dca96d8',
                                  'ended': [{'detected_time': True,
                                             'end_time': True,
                                             'ended': 2.8,
                                             'noise_floor': 0.0,
                                             'outcome': 'speech',
                                             'speech_detected': 1.0,
                                             'speech_end': 2.48,
                                             'speech_onset': 0.8,
                                             'start_threshold': 150.0,
                                             'yielded_seconds': 2.3000000000000007}],
                                  'error': None,
                                  'frames_read': 44800,
                                  'last': 'ended'}],
 'timeout_shorter_than_a_chunk': [{'bytes': 0,
                                   'chunk_sizes': [],
                                   'chunks': 0,
                                   'digest': 'e3b0c44298fc1c14',
                                   'ended': [{'detected_time': False,
                                              'end_time': False,
                                              'ended': 0.1,
                                              'noise_floor': 0.0,
                                              'outcome': 'no_input',
                                              'speech_detected': None,
                                              'speech_end': None,
                                              'speech_onset': None,
                                              'start_threshold': 150.0,
                                              'yielded_seconds': 0.0}],
                                   'error': None,
                                   'frames_read': 1600,
                                   'last': 'ended'}],
 'tone_answer': [{'bytes': 54400,
                  'chunk_sizes': [3200],
                  'chunks': 17,
                  'digest': '757f2ca1c30adf82',
                  'ended': [{'detected_time': True,
                             'end_time': True,
                             'ended': 2.4,
                             'noise_floor': 0.0,
                             'outcome': 'speech',
                             'speech_detected': 1.2,
                             'speech_end': 1.6,
                             'speech_onset': 1.0,
                             'start_threshold': 150.0,
                             'yielded_seconds': 1.7000000000000004}],
                  'error': None,
                  'frames_read': 38400,
                  'last': 'ended'}],
 'tone_answer_long_preroll': [{'bytes': 73600,
                               'chunk_sizes': [3200],
                               'chunks': 23,
                               'digest': '6c8ec1278eeeff76',
                               'ended': [{'detected_time': True,
                                          'end_time': True,
                                          'ended': 2.9,
                                          'noise_floor': 0.0,
                                          'outcome': 'speech',
                                          'speech_detected': 1.7,
                                          'speech_end': 2.1,
                                          'speech_onset': 1.5,
                                          'start_threshold': 150.0,
                                          'yielded_seconds': 2.3000000000000007}],
                               'error': None,
                               'frames_read': 46400,
                               'last': 'ended'}],
 'tone_answer_no_preroll': [{'bytes': 41600,
                             'chunk_sizes': [3200],
                             'chunks': 13,
                             'digest': '3ce87b712ad91aa6',
                             'ended': [{'detected_time': True,
                                        'end_time': True,
                                        'ended': 2.4,
                                        'noise_floor': 0.0,
                                        'outcome': 'speech',
                                        'speech_detected': 1.2,
                                        'speech_end': 1.6,
                                        'speech_onset': 1.0,
                                        'start_threshold': 150.0,
                                        'yielded_seconds': 1.3}],
                             'error': None,
                             'frames_read': 38400,
                             'last': 'ended'}],
 'two_answers_on_one_listener': [{'bytes': 48000,
                                  'chunk_sizes': [3200],
                                  'chunks': 15,
                                  'digest': 'c73c5c0b65e7a2d9',
                                  'ended': [{'detected_time': True,
                                             'end_time': True,
                                             'ended': 1.9,
                                             'noise_floor': 0.0,
                                             'outcome': 'speech',
                                             'speech_detected': 0.9,
                                             'speech_end': 1.1,
                                             'speech_onset': 0.7,
                                             'start_threshold': 150.0,
                                             'yielded_seconds': 1.5000000000000002}],
                                  'error': None,
                                  'frames_read': 30400,
                                  'last': 'ended'},
                                 {'bytes': 60800,
                                  'chunk_sizes': [3200],
                                  'chunks': 19,
                                  'digest': '454e50f593bdc3e1',
                                  'ended': [{'detected_time': True,
                                             'end_time': True,
                                             'ended': 2.3,
                                             'noise_floor': 0.0,
                                             'outcome': 'speech',
                                             'speech_detected': 0.9,
                                             'speech_end': 1.48,
                                             'speech_onset': 0.7,
                                             'start_threshold': 150.0,
                                             'yielded_seconds': 1.9000000000000006}],
                                  'error': None,
                                  'frames_read': 36800,
                                  'last': 'ended'}],
 'unmute_guard_drops_prompt_tail': [{'bytes': 0,
                                     'chunk_sizes': [],
                                     'chunks': 0,
                                     'digest': 'e3b0c44298fc1c14',
                                     'ended': [{'detected_time': False,
                                                'end_time': False,
                                                'ended': 8.0,
                                                'noise_floor': 0.0,
                                                'outcome': 'no_input',
                                                'speech_detected': None,
                                                'speech_end': None,
                                                'speech_onset': None,
                                                'start_threshold': 150.0,
                                                'yielded_seconds': 0.0}],
                                     'error': None,
                                     'frames_read': 128000,
                                     'last': 'ended'}]}
# fmt: on


@pytest.mark.parametrize("name", sorted(CASES))
def test_listening_behaves_exactly_as_recorded(name: str) -> None:
    assert name in EXPECTED, f"no recorded expectation for {name}"
    assert observe(CASES[name]()) == EXPECTED[name]


def test_every_recorded_expectation_has_its_case() -> None:
    assert sorted(EXPECTED) == sorted(CASES)


if __name__ == "__main__":
    observed = {name: observe(make()) for name, make in sorted(CASES.items())}
    table = pprint.pformat(observed, width=92)
    print(f"EXPECTED: dict[str, list[dict[str, Any]]] = {table}")
