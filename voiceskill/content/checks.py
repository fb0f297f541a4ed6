"""Cross-references: a name in one place of the content that must be found in another.

Each check is called by the loader of the file that holds the reference, at the point where
it is read, so the first problem in a file is still the first reported.
"""

from __future__ import annotations

from .model import Question, Tip
from .reader import Reader


def known_question(r: Reader, qid: str, path: str, qids: dict[str, Question]) -> None:
    if qid not in qids:
        raise r.fail(f"{path}.question", f'"{qid}" is not a question in questions.yaml')


def yes_no_question(r: Reader, qid: str, path: str, qids: dict[str, Question]) -> str:
    known_question(r, qid, path, qids)
    if qids[qid].expect != "yes_no":
        raise r.fail(f"{path}.question", f"{qid} must be a yes/no question")
    return qid


def declared_once(r: Reader, ids: list[str], path: str) -> None:
    """A list of ids (cause_ids) names each once."""
    seen: set[str] = set()
    for i, k in enumerate(ids):
        if k in seen:
            raise r.fail(f"{path}[{i}]", f'"{k}" is listed twice')
        seen.add(k)


def names_answers(r: Reader, questions: list[Question]) -> None:
    """A yes/no question's ``names_answer`` is a medications question asked after it."""
    for i, q in enumerate(questions):
        if q.names_answer is None:
            continue
        later = {x.id: x for x in questions[i + 1 :]}
        target = later.get(q.names_answer)
        if target is None or target.expect != "medications":
            raise r.fail(
                f"questions[{i}] ({q.id}).names_answer",
                f'"{q.names_answer}" is not a later medications question',
            )


def listed(r: Reader, ids: tuple[str, ...], path: str, known: dict[str, Tip], where: str
           ) -> None:
    """Each of ``ids`` (at ``path``) is a key of ``known``, the advice under ``where``."""
    for i, k in enumerate(ids):
        if k not in known:
            raise r.fail(f"{path}[{i}]", f'"{k}" is not under {where}')


def advice_ids(r: Reader, listed_ids: list[str] | None, key: str, path: str,
               known: dict[str, Tip]) -> tuple[str, ...]:
    """The advice a rule names under ``key`` (tonight or ask_doctor), each found in
    advice.yaml."""
    ids = tuple(listed_ids or ())
    where = "tonight" if key == "tonight" else "doctor"
    listed(r, ids, f"{path}.{key}", known, f"{where} in advice.yaml")
    return ids


def in_yes_no(r: Reader, reading: dict[str, tuple[str, ...]], known_yes_no: set[str]) -> None:
    # These only qualify phrases of yes_no; one missing there would silently do nothing.
    for key in ("alone", "weak", "negative_words"):
        for i, p in enumerate(reading.get(key, ())):
            if p not in known_yes_no:
                raise r.fail(f"reading.{key}[{i}]", f'"{p}" is not one of yes_no\'s phrases')


def listen_for_known(r: Reader, listen_for: dict[str, tuple[str, ...]],
                     known: tuple[tuple[str, set[str]], ...], fillers: tuple[str, ...]) -> None:
    """What a recogniser listens for is something the understanding knows: each list in
    ``known`` (its kind and the phrasings of that kind), and the lead-ins."""
    for kind, phrasings in known:
        for i, p in enumerate(listen_for[kind]):
            if p not in phrasings:
                raise r.fail(
                    f"listen_for.{kind}[{i}]", f'"{p}" is not one of the phrasings above'
                )
    # A lead-in the understanding did not drop would make "oh yes" no answer at all.
    for i, p in enumerate(listen_for["lead_ins"]):
        if p not in fillers:
            raise r.fail(f"listen_for.lead_ins[{i}]", f'"{p}" is not one of the fillers')
    for i, p in enumerate(listen_for["lead_in_answers"]):
        if p not in listen_for["yes_no"]:
            raise r.fail(
                f"listen_for.lead_in_answers[{i}]", f'"{p}" is not in listen_for.yes_no'
            )
    if bool(listen_for["lead_ins"]) != bool(listen_for["lead_in_answers"]):
        missing = "lead_in_answers" if listen_for["lead_ins"] else "lead_ins"
        raise r.fail(f"listen_for.{missing}", "is missing: lead-ins need both lists")
