"""What the check-in listens for at a question or a read-back. Pure."""

from __future__ import annotations

from typing import TypeGuard

from . import rules
from .content import Question, number_openers, short_forms
from .messages import Expectation, Person


def expectation(q: Question, person: Person) -> Expectation:
    """What a question listens for: its kind and range, whether medicine names answer it,
    and the short replies that echo it for this person ("yes I do", "no she doesn't"; at a
    number question "I'm", "she's")."""
    names = q.names_answer is not None
    short: tuple[str, ...] = ()
    if q.short_answer:
        said = rules.render(q.short_answer, person)
        short = number_openers(said) if q.expect == "number" else short_forms(said)
    # A caregiver's "she's eighty" is heard best with the numbers themselves; the speaker's
    # own "I'm" waits for the second try, because with the numbers a plain "ninety" was
    # heard as "I'm eighty" (docs/decisions/016 and 017).
    first = q.expect == "number" and person.caregiver
    return Expectation(q.expect, q.id, q.low, q.high, names, short,  # type: ignore[arg-type]
                       openers_with_numbers=first, units=q.units, per=q.per,
                       own_answers=q.says)


def read_back_expectation(q: Question, person: Person, value: object,
                          stopping: bool) -> Expectation:
    """What a read-back listens for: "Is that right?" is answered "yes it is"; "Do you want
    to stop?" "no I don't"."""
    short = short_forms("i do" if stopping else "it is")
    if q.expect == "number" and not stopping:
        number = value if is_number(value) else None
        # "No, I'm seventy five", "no, she's seventy five": the question's own openers,
        # which a read-back takes with the numbers even where the question itself waits
        # for a second try (docs/decisions/013).
        openers = expectation(q, person).short_answers
        return Expectation("yes_no", f"{q.id}:confirm", q.low, q.high, short_answers=short,
                           corrected_by_number=True, read_back=number,
                           correction_openers=openers)
    return Expectation("yes_no", f"{q.id}:confirm", short_answers=short)


def is_number(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
