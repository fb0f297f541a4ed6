"""Speech recognition behind one small interface, so the dialog never knows which engine runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from .messages import Expectation, Transcript


class Recognizer(Protocol):
    """Turns one utterance into words.

    ``audio`` yields 16 kHz mono int16 PCM chunks as they arrive from the microphone (or a
    file); the engine decodes while they arrive, so only finalising is left once the
    iterable ends. ``phrases`` are the answers the question expects plus the control
    phrases, lower case; the engine uses them to constrain recognition and must reject
    speech that is not one of them (``Transcript(text="", rejected=True)``). An empty
    ``phrases`` means free recognition. For ``expect.kind == "medications"`` the phrases are
    medicine names and ways of saying "none"; a person may name several in one answer, so an
    engine listens for a list of them, or recognises freely when its vocabulary lacks the
    names.

    ``second_try`` are phrases taken only when the answer is none of ``phrases``: at number
    questions, a number begun with a hesitation sound ("um, seventy"). Listened for together
    with the plain numbers they took some of them ("seventy" heard as "well, eighty"); judged
    only once the plain numbers have rejected the answer, they cannot. An engine may leave
    them out; both engines here decode them alongside the first try, so they add no wait.
    """

    name: str
    """Engine and model, as told to the person at start-up."""

    def recognize(
        self,
        audio: Iterable[bytes],
        expect: Expectation,
        phrases: Sequence[str],
        second_try: Sequence[str] = (),
    ) -> Transcript: ...

    def reset(self) -> None:
        """Forget what earlier audio taught the engine (the room's noise, the voice's
        average), so the next audio is heard as by a new recogniser. Between the answers of
        one check-in that learning helps; each file of a batch is its own recording."""
