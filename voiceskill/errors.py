"""One small hierarchy for real faults. "Did not understand" is a value, never an exception."""

from __future__ import annotations


class VoiceskillError(Exception):
    """Base for every fault voiceskill reports to a person."""


class UsageError(VoiceskillError):
    """A command-line flag has a value that cannot be used. The message names the flag."""


class Interrupted(KeyboardInterrupt):
    """Ended by a signal (SIGTERM when a service stops, SIGHUP when the terminal closes),
    handled as Ctrl-C is: what was answered is kept."""


class ContentError(VoiceskillError):
    """A prompts/ file is missing, malformed or inconsistent.

    The message always names the file and the key path, e.g.
    ``prompts/questions.yaml: questions[3].expect: must be one of yes_no, number, medications``.
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


class AudioError(VoiceskillError):
    """The microphone or speaker could not be used. The message names the device."""


class AudioFileError(AudioError):
    """A WAV file given to a command cannot be used: bad input, not a missing device."""


class EngineError(VoiceskillError):
    """A speech engine is missing or failed. The message says what to install or run."""


class ModelError(VoiceskillError):
    """A speech model is missing, damaged, or could not be downloaded or installed."""


def sentence(err: BaseException) -> str:
    """An error's message ready to go inside a sentence (no doubled full stop)."""
    return str(err).rstrip(". ")
