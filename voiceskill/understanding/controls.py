"""Controls said at any moment: "say that again", "help", "go back", "stop", "slower"."""

from __future__ import annotations

from collections.abc import Sequence

from ..content import VOICE_CONTROLS, Vocabulary
from .words import PhraseTable, without, without_vocative

# How Whisper writes the "-er" of a comparative it did not hear as part of the word.
_ENDINGS = frozenset(["up", "a", "uh", "er"])


# Verbs that ask for something to be said again, with "again" after them.
_ASKING_AGAIN = frozenset(["say", "read", "ask", "repeat", "tell", "run", "go"])
# A control said as a verb, first, with the check-in itself as its object: "repeat the last
# question", "explain the question", "cancel the check-in", "finish for tonight". Single
# words that begin other talk too ("what", "next", "pass", "back") are not among them.
_VERBS = frozenset(["repeat", "explain", "cancel", "skip", "undo", "quit", "exit", "stop",
                    "finish", "end"])
_OF_THE_CHECK_IN = frozenset(
    ["the", "this", "that", "it", "last", "one", "question", "questions", "check", "in",
     "now", "for", "tonight", "today", "again", "me", "all", "whole", "thing", "lot", "bit",
     "answer", "my", "a", "please", "then", "there", "here"])
# Words that turn a question away before a stop: "not now, stop", "no, stop".
_DISMISSING = frozenset(["no", "nope", "not", "now", "right", "alright", "enough", "oh"])


def _negated(words: Sequence[str]) -> bool:
    return any(w in ("no", "not", "never") or w.endswith("n't") for w in words)


class ControlReader:
    """Tells a request to the assistant from an answer that shares its words."""

    def __init__(
        self, vocab: Vocabulary, yes_no: PhraseTable, fillers: PhraseTable, no_meds: PhraseTable
    ) -> None:
        self.table = PhraseTable(
            (p, intent) for intent, phrases in vocab.controls.items() for p in phrases
        )
        """Every control phrase, with its intent."""
        self._yes_no = yes_no
        self._fillers = fillers
        self._modifiers = PhraseTable((p, True) for p in vocab.modifiers)
        self._answer_phrases = PhraseTable(
            [(p, "a") for p in yes_no.phrases()] + [(p, "a") for p in no_meds.phrases()]
        )
        # "quiet" for "quieter", "quick" for "quicker": each one-word voice control that
        # ends in "-er", by its stem (see ``_clipped``).
        self._stems = {p[:-2]: intent for intent, phrases in vocab.controls.items()
                       if intent in VOICE_CONTROLS for p in phrases
                       if " " not in p and p.endswith("er") and len(p) > 5}

    def read(self, words: Sequence[str]) -> str | None:
        """The control intent said ("repeat", "slower"), or ``None`` for an answer."""
        if self._yes_no.exact(words) is not None:
            return None  # "uh huh" is a yes, not a filler and "huh?"
        core = without_vocative(without(words, self._fillers))
        for candidate in (list(words), core):
            hit = self.table.exact(candidate)
            if hit is not None:
                return str(hit)
        # "Eh? What?", "stop, stop": one control said in two words of its own.
        singles = {self.table.exact([w]) for w in core}
        if len(core) > 1 and len(singles) == 1 and None not in singles:
            return str(singles.pop())
        # "Louder, I'm a bit deaf": a change of voice said first, with a reason after it.
        first = self.table.exact(core[:1])
        if first in VOICE_CONTROLS:
            return str(first)
        # "A bit louder" heard as "A big louder.", "a little slower" as "At little slower":
        # a change of voice said last, after two words at most of how much (027).
        last = self.table.exact(core[-1:])
        if (last in VOICE_CONTROLS and len(core) <= 3 and not _negated(core)
                and not self._answer_phrases.find(core[:-1])):
            return str(last)
        # "Not now, stop", "no, stop": a stop said last, after a word or two turning the
        # question away (never "don't stop", "it won't stop").
        if (len(core) > 1 and self.table.exact(core[-1:]) == "stop"
                and set(core[:-1]) <= _DISMISSING and core[-2] not in ("not", "never")):
            return "stop"
        clipped = self._clipped(words, core)
        if clipped is not None:
            return clipped
        # "Speak a bit slower": how much does not matter, and "a little" is no yes here.
        bare = without(core, self._modifiers)
        if bare and bare != core:
            hit = self.table.exact(bare)
            if hit in VOICE_CONTROLS:
                return str(hit)
        # "Read that again", "could you say the question again": asked to say it again.
        if "again" in words:
            at = list(words).index("again")
            if _ASKING_AGAIN & set(words[max(0, at - 4) : at]) and not _negated(words[:at]):
                return "repeat"
        verb = self.table.exact(core[:1])
        if (len(core) > 1 and core[0] in _VERBS and verb is not None
                and set(core[1:]) <= _OF_THE_CHECK_IN):
            return str(verb)
        # Longer control phrases count anywhere ("could you say that again please"), but only
        # when no longer answer phrase covers the same words ("i didn't" is not "i didn't hear").
        answers = self._answer_phrases
        for start, end, intent in self.table.find(words):
            if end - start < 2:
                continue
            covered = any(
                s <= start and e >= end and (e - s) > (end - start)
                for s, e, _ in answers.find(words)
            )
            if not covered:
                return str(intent)
        return None

    def _clipped(self, words: Sequence[str], core: Sequence[str]) -> str | None:
        """A voice control whose "-er" Whisper lost or heard as a word: "Quiet. Please." for
        "quieter, please", "Quick up, please." for "quicker, please". The stem alone is no
        request ("quiet" answers "Do you snore loudly?"): it counts with "please" after it,
        or with the lost ending written as "up", "a" or "uh"."""
        if not core or core[0] not in self._stems or len(core) > 2:
            return None
        tail = core[1:]
        if tail and tail[0] not in _ENDINGS:
            return None
        if not tail and "please" not in words[words.index(core[0]) + 1:]:
            return None
        return self._stems[core[0]]

