"""Forms of answer whose yes or no lies in how it is built, not in its phrases.

Read by ``yes_no`` beside the phrase tables (docs/decisions/037), each drawn from published
accounts of indirect answers: a wish contrary to fact ("I wish I didn't": a yes), an answer
said to be untrue ("I'd be lying if I said no": a yes), an echo reported by someone else
("I've never been told I do": a no), an answer on a condition ("only when I'm overtired":
Circa's "yes, subject to some conditions") and an answer with its reason ("a bit, since my
husband died": the reason is not more content). Pure functions over normalised words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Words that only add force, dropped wherever they stand: "every blessed night".
EMPHATIC = frozenset(["blessed", "bloody", "flipping", "flaming", "darn", "damn", "damned",
                      "ruddy", "sodding", "blooming", "blinking"])
_WISH = frozenset(["wish", "wishes", "wished"])
# Said before "if I said ...": what is said after is the opposite answer.
_UNTRUE = frozenset(["lying", "lie", "fibbing", "kidding", "wrong"])
_SAYING = frozenset(["said", "say", "told", "tell"])
_TOLD_TO = frozenset(["you", "them", "her", "him"])
_SUBJECTS = frozenset(["i", "she", "he", "they", "we"])
# An answer's reason begins with one of these ("a bit, since my husband died").
_REASONS = frozenset(["since", "because", "cos", "cause", "after", "with", "what", "when",
                      "while", "if", "for"])
# "Only when I'm overtired", "just if I've had coffee": a yes on a condition.
_LIMITERS = frozenset(["only", "just", "mostly", "mainly", "usually", "generally"])
_CONDITIONS = frozenset(["when", "if", "while", "whenever", "once", "after", "on", "at"])
# A no of how much or how often, not of whether: "not every night, but often enough".
PARTIAL = frozenset(["every", "all", "always", "each", "quite", "totally", "completely"])
_OPPOSITE = {"yes": "no", "no": "yes"}


def plain(words: Sequence[str]) -> list[str]:
    """``words`` without words of force ("every blessed night" as "every night")."""
    return [w for w in words if w not in EMPHATIC]


def _negated(words: Sequence[str]) -> bool:
    return any(w in ("not", "never", "no", "nobody", "nothing") or w.endswith("n't")
               for w in words)


def reverse(words: Sequence[str], matches: list[list[Any]]) -> None:
    """Turns round a yes or no said inside a wish ("I wish I didn't": a yes) or said to be
    untrue ("I'd be lying if I said no", "I'd be wrong to say I don't": a yes)."""
    for m in matches:
        s, value = m[0], m[2]
        if value not in _OPPOSITE:
            continue
        k = s - 1 if s and words[s - 1] != "that" else s - 2
        if k >= 0 and words[k] in _WISH and words[s] in _SUBJECTS:
            m[2] = _OPPOSITE[value]
            continue
        k = s - 1
        if k >= 1 and words[k] in _TOLD_TO and words[k - 1] == "told":
            k -= 1
        if k < 0 or words[k] not in _SAYING:
            continue
        lead = words[max(0, k - 6) : k]
        if "if" in lead or "to" in lead:
            at = max(i for i, w in enumerate(lead) if w in ("if", "to"))
            if _UNTRUE & set(lead[:at]):
                m[2] = _OPPOSITE[value]


def drop_reported(words: Sequence[str], matches: list[list[Any]],
                  reporting: frozenset[str]) -> None:
    """Drops a yes echoed as what nobody has said: "I've never been told I do", "nobody's
    said she does" are a no, the echo being what was not told."""
    for m in list(matches):
        if m[2] != "yes":
            continue
        k = m[0] - 1 if m[0] and words[m[0] - 1] != "that" else m[0] - 2
        before = next((b for b in matches if b[1] == k + 1 and b[2] == "no"), None)
        if before is not None and words[k] in reporting:
            matches.remove(m)


def reason_at(words: Sequence[str], after: int) -> int:
    """Where the reason given with an answer begins (after the word at ``after``), or the
    end of the answer."""
    for i in range(after + 1, len(words)):
        if words[i] in _REASONS:
            return i
    return len(words)


def conditional(core: Sequence[str]) -> bool:
    """An answer on a condition ("only when I'm overtired", "just while I keep going", "only
    on bad nights"): a yes. Never with a negation in it ("only when I don't sleep" is left
    unread), nor "only in ...", which at the timing questions names the other time ("only in
    the morning")."""
    return (len(core) > 2 and core[0] in _LIMITERS and core[1] in _CONDITIONS
            and not _negated(core))


def partial_no(words: Sequence[str], at: int) -> bool:
    """Whether the no said at ``at`` denies how much or how often ("not every night", "not
    all the time"), not whether: a yes after it with "but" stands."""
    if words[at] == "not":
        return at + 1 < len(words) and words[at + 1] in PARTIAL
    return at > 0 and words[at - 1] == "not" and words[at] in PARTIAL
