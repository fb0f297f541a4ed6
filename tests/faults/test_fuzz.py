"""Fuzzing the parsers a person's input reaches: the understanding of an answer, the YAML
loaders (answers, config) and the WAV reader. Whatever the input, the result is a value or
the one kind of error that becomes a clean message, never another exception.

``VOICESKILL_FUZZ_EXAMPLES`` sets the inputs per parser (default 300, so the whole suite
stays quick); a full run uses 10000:
``VOICESKILL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -m fuzz tests/faults``.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import tempfile
import wave
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceskill import content as content_mod
from voiceskill.audio import read_wav
from voiceskill.cli import read_answers
from voiceskill.config import _read_config
from voiceskill.dialog import expectation
from voiceskill.errors import AudioFileError, ContentError
from voiceskill.messages import Expectation, Intent, Person
from voiceskill.understanding import Understander
from voiceskill.yamlfile import load

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("VOICESKILL_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONTENT = content_mod.load(None)
UNDERSTANDER = Understander(CONTENT)
PEOPLE = [Person(), Person(pronoun="he"), Person(caregiver=True, name="Rose", pronoun="she")]
EXPECTATIONS = [expectation(q, p) for q in CONTENT.questions for p in PEOPLE] + [
    Expectation("yes_no"),
    Expectation("number", "", 0, 7),
    Expectation("number", "", -5, 500),
    Expectation("medications"),
]
_EVERYDAY = (
    "yes no yeah nope not sure maybe i don't know take takes she he they does doesn't "
    "about a an and or none nothing every night twice once three seventy eighty two "
    "five out of ten a week nights times say that again help go back skip stop slower "
    "faster louder quieter um oh well uh er hmm thank you please Tylenol PM Zoloft "
    "® é 0 1 12 -3 1e9 ½ \u200b \u0000"
)
# Words the understanding looks for, so inputs reach past the first "not understood".
WORDS = sorted(
    {w for m in CONTENT.medications for said in (m.name, *m.said) for w in said.split()}
    | set(_EVERYDAY.split())
)

answer_texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
)


@FUZZ
@given(text=answer_texts, expect=st.sampled_from(EXPECTATIONS))
def test_understanding_never_raises(text: str, expect: Expectation) -> None:
    understood = UNDERSTANDER.understand(text, expect)
    assert understood.intent in get_args(Intent)
    if understood.intent == "answer" and expect.kind == "number":
        value = understood.value
        # A number question also takes "not sure"; any number is within its range.
        assert value == "unsure" or isinstance(value, int), value
        if isinstance(value, int):
            assert expect.low is None or value >= expect.low
            assert expect.high is None or value <= expect.high


YAML_PIECES = st.sampled_from(
    ["[", "]", "{", "}", ":", ", ", "- ", "\n", "  ", "&a ", "*a", "&b ", "*b", "!!python/object ",
     "'", '"', "#", "|", ">", "? ", "urge", "rate", "answers", "person", "yes", "130", "null",
     "~", "%YAML 1.1\n", "---\n", "...\n", "\t", "\\", "\x00", "é"]
)
yaml_texts = st.one_of(
    st.text(max_size=400),
    st.lists(YAML_PIECES, max_size=80).map("".join),
)


@FUZZ
@given(text=yaml_texts)
def test_yaml_loader_gives_data_or_a_value_error(text: str) -> None:
    import yaml

    with contextlib.suppress(ValueError, yaml.YAMLError):
        load(text)


def _in_file(data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix="voiceskill-fuzz-")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    return Path(name)


@FUZZ
@given(text=yaml_texts)
def test_answers_and_config_loaders_give_a_result_or_a_content_error(text: str) -> None:
    path = _in_file(text.encode("utf-8", "surrogatepass"))
    try:
        for loader in (lambda: read_answers(path, CONTENT), lambda: _read_config(path)):
            try:
                loader()
            except ContentError as err:
                assert str(path) in str(err)
                assert len(str(err)) < 2000
    finally:
        path.unlink()


def _wav_bytes(rate: int, channels: int, width: int, frames: bytes) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


wav_files = st.one_of(
    st.binary(max_size=200),
    st.builds(
        _wav_bytes,
        rate=st.integers(1, 400_000),
        channels=st.integers(1, 4),
        width=st.integers(1, 4),
        frames=st.binary(max_size=400),
    ),
    # A valid header with a field overwritten: sizes, format, rate.
    st.builds(
        lambda good, at, value: good[:at] + struct.pack("<I", value) + good[at + 4 :],
        good=st.just(_wav_bytes(16000, 1, 2, bytes(64))),
        at=st.integers(0, 40),
        value=st.integers(0, 2**32 - 1),
    ),
)


@FUZZ
@given(data=wav_files)
def test_wav_reader_gives_audio_or_an_audio_file_error(data: bytes) -> None:
    path = _in_file(data)
    try:
        pcm = read_wav(path)
        assert len(pcm) % 2 == 0
    except AudioFileError as err:
        assert str(path) in str(err)
    finally:
        path.unlink()
