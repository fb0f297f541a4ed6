"""Conversation tests: YAML data in tests/conversations/, run through the real dialog.

Each file holds ``conversations:``, a list of mappings:

    name:        unique; the pytest id, so a failure names the conversation
    about:       why the conversation matters (free text, not checked)
    person:      {caregiver: true, name: Rose, pronoun: she}      (optional)
    replies:     instead of turns, a persona: what the person replies to each question, by
                 question id ({urge: "yes", age: "seventy"}); every other question is
                 answered with ``otherwise`` (default "no"), and the check-in runs to its end;
                 after the summary the persona says ``after_summary`` ("tell me more" for
                 the details), or nothing
    turns:       what the person says, in order. Each turn is
                   a text                      said aloud ("yep", "eighty two")
                   ~ or ""                     silence: nothing heard in time
                   {end: true}                 end of input (the person went quiet for good)
                   {say: TEXT, ...checks}      said, with checks on what came back
                   {silence: true, ...checks}  silence, with checks
                 turn checks: heard (the value understood, or the control intent such as
                 repeat), reply_has / reply_lacks (texts in the reply to this turn),
                 reply_is_previous (the reply repeats the one before), then_asks (question
                 id asked next; ``null`` when the check-in ended), confident: false (the
                 recogniser was unsure, so the answer is read back for confirmation)
    asks:        the question ids asked, exactly and in order
    asks_include / never_asks: ids that must / must not be asked
    max_questions: the most questions the check-in may ask
    expect:      the result
                   done (default true), triggers ({cause: likelihood}: exactly these),
                   triggers_include, triggers_exclude ([cause]), urgent (true/false),
                   urgent_reasons_include, answers ({id: value}; medicines as generic
                   names), not_answered ([id]), says / never_says (anywhere in what was
                   spoken), says_in_order, summary_says / summary_lacks (the final
                   summary), summary_starts_with, next_steps (exact count),
                   ask_doctor (exact count), spoken_triggers ([cause]: exactly the causes
                   the spoken summary names), not_likely ([cause]: exactly the causes whose
                   essential features were not met), tonight_lacks (texts no step for
                   tonight may hold, in the JSON as well as the summary)
    earlier_nights: what the night journal holds of this week before tonight, a list of
                 {ago: nights before tonight (1 to 6), bothered: yes/no, causes: [cause ids
                 likely that night]}; the summary may then say one sentence of the week
    cli:         true to run it once more through `voiceskill checkin --text --json`
    known_too_long: a reason; the conversation is expected to ask more than max_questions
                 (strict: fixing the content makes the suite say so; any other failure
                 still fails)

Texts are compared case-insensitively, with typographic apostrophes made plain. A bare
yes/no in YAML is read as true/false; it is turned back into "yes"/"no" here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from voiceskill import content as content_mod
from voiceskill.dialog import Dialog, Reply
from voiceskill.journal import DialogWithHistory, EarlierNights
from voiceskill.messages import Medication, Person, Understood
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = Path(__file__).resolve().parent / "conversations"

CONVERSATION_KEYS = {
    "name", "about", "person", "turns", "replies", "otherwise", "after_summary", "asks",
    "asks_include",
    "never_asks", "max_questions", "expect", "cli", "known_too_long", "earlier_nights",
}
EXPECT_KEYS = {
    "done", "triggers", "triggers_include", "triggers_exclude", "urgent",
    "urgent_reasons_include", "answers", "not_answered", "says", "never_says",
    "says_in_order", "summary_says", "summary_lacks", "summary_starts_with", "next_steps",
    "ask_doctor", "spoken_triggers", "not_likely", "tonight_lacks",
}
TURN_KEYS = {
    "say", "silence", "end", "heard", "reply_has", "reply_lacks", "reply_is_previous",
    "then_asks", "confident",
}
LIKELIHOODS = {"high", "medium", "low"}


# ---- loading ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """YAML 1.1 reads yes/no as booleans; the check-in speaks of "yes" and "no"."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(text.split())


@dataclass
class Turn:
    kind: str  # "say" | "silence" | "end"
    text: str = ""
    checks: dict[str, Any] = field(default_factory=dict)
    confident: bool = True


def _turn(raw: Any, where: str) -> Turn:
    if raw is None or raw == "":
        return Turn("silence")
    if isinstance(raw, (str, bool, int)):
        return Turn("say", str(_plain(raw)))
    if not isinstance(raw, dict):
        raise AssertionError(f"{where}: a turn is a text, ~, or a mapping")
    unknown = set(raw) - TURN_KEYS
    assert not unknown, f"{where}: unknown turn keys {sorted(unknown)}"
    kinds = [k for k in ("say", "silence", "end") if k in raw]
    assert len(kinds) == 1, f"{where}: a turn needs exactly one of say, silence, end"
    checks = {k: v for k, v in raw.items() if k not in ("say", "silence", "end", "confident")}
    if "end" in raw:
        assert not checks, f"{where}: the end of input takes no checks (the summary follows)"
        return Turn("end")
    if "silence" in raw:
        return Turn("silence", checks=checks)
    text = raw["say"]
    assert text not in (None, ""), f"{where}: say needs a text (use silence: true for silence)"
    return Turn("say", str(_plain(text)), checks, bool(raw.get("confident", True)))


@dataclass
class Conversation:
    name: str
    file: str
    raw: dict[str, Any]
    person: Person
    turns: list[Turn]

    @property
    def expect(self) -> dict[str, Any]:
        return self.raw.get("expect") or {}


def _person(raw: Any, where: str) -> Person:
    if raw is None:
        return Person()
    assert isinstance(raw, dict), f"{where}: person must be a mapping"
    unknown = set(raw) - {"caregiver", "name", "pronoun"}
    assert not unknown, f"{where}: unknown person keys {sorted(unknown)}"
    pronoun = raw.get("pronoun", "they" if raw.get("caregiver") else "")
    assert pronoun in ("she", "he", "they", ""), f"{where}: pronoun must be she, he or they"
    return Person(bool(raw.get("caregiver", False)), str(raw.get("name", "")), pronoun)


def load_conversations() -> list[Conversation]:
    out: list[Conversation] = []
    for path in sorted(CONVERSATIONS.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise AssertionError(f"{path.name}: not valid YAML: {err}") from err
        assert isinstance(data, dict) and isinstance(data.get("conversations"), list), (
            f"{path.name}: needs a top-level conversations: list"
        )
        for i, raw in enumerate(data["conversations"]):
            where = f"{path.name}: conversations[{i}]"
            assert isinstance(raw, dict) and raw.get("name"), f"{where}: needs a name"
            where = f"{path.name}: {raw['name']}"
            unknown = set(raw) - CONVERSATION_KEYS
            assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
            unknown = set(raw.get("expect") or {}) - EXPECT_KEYS
            assert not unknown, f"{where}: unknown expect keys {sorted(unknown)}"
            turns = [_turn(t, f"{where}: turns[{j}]") for j, t in enumerate(raw.get("turns") or [])]
            out.append(Conversation(raw["name"], path.name, raw, _person(raw.get("person"), where),
                                    turns))
    return out


ALL = load_conversations()


class TooManyQuestions(AssertionError):
    """The check-in asked more than max_questions."""


def _params(convs: list[Conversation], lengths: bool = True) -> list[Any]:
    params = []
    for c in convs:
        marks = []
        if lengths and c.raw.get("known_too_long"):
            marks.append(pytest.mark.xfail(strict=True, raises=TooManyQuestions,
                                           reason=str(c.raw["known_too_long"])))
        params.append(pytest.param(c, id=c.name, marks=marks))
    return params


# ---- running --------------------------------------------------------------------------------

TONIGHT = date(2026, 3, 14)
"""The night the conversations happen on, when they declare earlier nights."""


def _dialog(conv: Conversation, content: content_mod.Content) -> Dialog:
    """The dialog, knowing the week's earlier nights when the conversation declares them."""
    raw = conv.raw.get("earlier_nights")
    if raw is None:
        return Dialog(content, conv.person)
    assert isinstance(raw, list), f"{conv.name}: earlier_nights must be a list"
    bothered: dict[date, bool] = {}
    causes: dict[date, frozenset[str]] = {}
    for i, night in enumerate(raw):
        where = f"{conv.name}: earlier_nights[{i}]"
        assert isinstance(night, dict) and set(night) <= {"ago", "bothered", "causes"}, (
            f"{where}: a mapping of ago, bothered, causes"
        )
        ago = night.get("ago")
        assert isinstance(ago, int) and 1 <= ago <= 6, f"{where}: ago must be 1 to 6"
        unknown = set(night.get("causes") or []) - set(content.cause_ids)
        assert not unknown, f"{where}: not cause ids: {sorted(unknown)}"
        day = TONIGHT - timedelta(days=ago)
        bothered[day] = _plain(night.get("bothered", False)) == "yes"
        causes[day] = frozenset(night.get("causes") or [])
    return DialogWithHistory(content, conv.person,
                             earlier=EarlierNights(TONIGHT, bothered, causes))



@dataclass
class Run:
    dialog: Dialog
    replies: list[Reply]
    heard: list[Understood | None]

    @property
    def spoken(self) -> str:
        return _norm("\n".join(r.text for r in self.replies))

    @property
    def final(self) -> Reply:
        return self.replies[-1]

    @property
    def summary(self) -> Reply:
        """The reply that read the summary (the last one, if none did)."""
        return next((r for r in reversed(self.replies) if r.summary), self.replies[-1])


@pytest.fixture(scope="module")
def content() -> content_mod.Content:
    return content_mod.load(ROOT / "prompts")


@pytest.fixture(scope="module")
def understander(content: content_mod.Content) -> Understander:
    return Understander(content)


def _persona_turns(conv: Conversation, content: content_mod.Content, u: Understander
                   ) -> list[Turn]:
    """The turns a persona says: its reply to each question the check-in asks, in order."""
    by_id = {k: str(_plain(v)) for k, v in (conv.raw.get("replies") or {}).items()}
    otherwise = str(_plain(conv.raw.get("otherwise", "no")))
    unknown = set(by_id) - {q.id for q in content.questions}
    assert not unknown, f"replies to questions that do not exist: {sorted(unknown)}"
    d = _dialog(conv, content)
    reply = d.start()
    turns: list[Turn] = []
    while not reply.done and not d.closing and len(turns) < 80:
        q = d.current_question
        assert q is not None and reply.expect is not None
        text = by_id.get(q.id, otherwise)
        turns.append(Turn("say", text))
        reply = d.hear(u.understand(text, reply.expect))
    return turns


def run_dialog(conv: Conversation, content: content_mod.Content, u: Understander) -> Run:
    if "replies" in conv.raw:
        assert not conv.turns, f"{conv.name}: a persona has replies or turns, not both"
        conv.turns = _persona_turns(conv, content, u)
    d = _dialog(conv, content)
    replies = [d.start()]
    heard: list[Understood | None] = []
    for i, turn in enumerate(conv.turns):
        where = f"turn {i + 1} ({turn.kind} {turn.text!r})"
        previous = replies[-1]
        assert not previous.done, (
            f"{where}: the check-in had already ended; {len(conv.turns) - i} turn(s) unused. "
            f"Last reply: {previous.text!r}"
        )
        understood: Understood | None = None
        if turn.kind == "end":
            reply = d.end_of_input()
        elif turn.kind == "silence":
            reply = d.hear(None)
        else:
            assert previous.expect is not None
            understood = u.understand(turn.text, previous.expect)
            reply = d.hear(understood, confident=turn.confident)
        heard.append(understood)
        replies.append(reply)
        _check_turn(turn, where, understood, previous, reply, d)
    if "after_summary" in conv.raw and not d.done and d.closing:
        previous = replies[-1]
        assert previous.expect is not None
        understood = u.understand(str(conv.raw["after_summary"]), previous.expect)
        replies.append(d.hear(understood))
    if not d.done and d.closing and conv.expect.get("done", True):
        # The turns end at the offer of details (or of going on after an emergency): the
        # person says nothing more, as at the end of input.
        replies.append(d.end_of_input())
    return Run(d, replies, heard)


def _check_turn(turn: Turn, where: str, understood: Understood | None, previous: Reply,
                reply: Reply, d: Dialog) -> None:
    checks = turn.checks
    if "heard" in checks:
        assert understood is not None, f"{where}: heard needs a say turn"
        want = _plain(checks["heard"])
        got = understood.value if understood.intent == "answer" else understood.intent
        if isinstance(got, list):
            got = [m.name if isinstance(m, Medication) else m for m in got]
        assert got == want, f"{where}: understood {understood!r}, wanted {want!r}"
    text = _norm(reply.text)
    for s in checks.get("reply_has", []):
        assert _norm(s) in text, f"{where}: reply lacks {s!r}: {reply.text!r}"
    for s in checks.get("reply_lacks", []):
        assert _norm(s) not in text, f"{where}: reply has {s!r}: {reply.text!r}"
    if checks.get("reply_is_previous"):
        assert reply.lines == previous.lines, (
            f"{where}: wanted the last reply again, {previous.text!r}; got {reply.text!r}"
        )
    if "then_asks" in checks:
        q = d.current_question
        got_id = q.id if q is not None and not reply.done else None
        assert got_id == checks["then_asks"], (
            f"{where}: next question is {got_id!r}, wanted {checks['then_asks']!r}; "
            f"reply {reply.text!r}"
        )


# ---- checking the outcome ----------------------------------------------------------------


def _answer_value(value: object) -> object:
    if isinstance(value, list):
        return [m.name if isinstance(m, Medication) else m.get("name") if isinstance(m, dict)
                else m for m in value]
    return value


def check_result(conv: Conversation, result: dict[str, Any], spoken: str, summary: str | None
                 ) -> None:
    """Checks shared by the in-process and the CLI runs; ``result`` is Assessment.to_json()."""
    exp = conv.expect
    found = {f["cause"]: f["likelihood"] for f in result["likely_triggers"]}
    if "triggers" in exp:
        want = dict(exp["triggers"] or {})
        assert found == want, f"triggers {found}, wanted exactly {want}"
    for cause, level in (exp.get("triggers_include") or {}).items():
        assert found.get(cause) == level, f"{cause}: {found.get(cause)!r}, wanted {level!r}"
    for cause in exp.get("triggers_exclude") or []:
        assert cause not in found, f"{cause} should not be a trigger: {found}"
    if "urgent" in exp:
        assert result["urgent"] is exp["urgent"], f"urgent is {result['urgent']}"
    for reason in exp.get("urgent_reasons_include") or []:
        assert any(_norm(reason) in _norm(r) for r in result["urgent_reasons"]), (
            f"no urgent reason like {reason!r}: {result['urgent_reasons']}"
        )
    answers = {k: _answer_value(v) for k, v in result["answers"].items()}
    for qid, want in (exp.get("answers") or {}).items():
        want = _plain(want)
        assert qid in answers, f"{qid} was not answered; answers: {answers}"
        assert answers[qid] == want, f"{qid} is {answers[qid]!r}, wanted {want!r}"
    for qid in exp.get("not_answered") or []:
        assert qid not in answers, f"{qid} should not be answered: {answers[qid]!r}"
    for s in exp.get("says") or []:
        assert _norm(s) in spoken, f"never said {s!r}"
    for s in exp.get("never_says") or []:
        assert _norm(s) not in spoken, f"should not say {s!r}"
    position = 0
    for s in exp.get("says_in_order") or []:
        at = spoken.find(_norm(s), position)
        assert at >= 0, f"{s!r} not said after position {position} (says_in_order)"
        position = at + len(s)
    if "not_likely" in exp:
        got = sorted(f["cause"] for f in result.get("not_likely", []))
        assert got == sorted(exp["not_likely"] or []), f"not likely: {got}"
    for s in exp.get("tonight_lacks") or []:
        for step in result["next_steps"]:
            assert _norm(s) not in _norm(step), f"a step for tonight says {s!r}: {step!r}"
    if "next_steps" in exp:
        assert len(result["next_steps"]) == exp["next_steps"], result["next_steps"]
    if "ask_doctor" in exp:
        assert len(result["ask_doctor"]) == exp["ask_doctor"], result["ask_doctor"]
    if summary is not None:
        for s in exp.get("summary_says") or []:
            assert _norm(s) in summary, f"summary lacks {s!r}: {summary!r}"
        for s in exp.get("summary_lacks") or []:
            assert _norm(s) not in summary, f"summary has {s!r}: {summary!r}"
        if "spoken_triggers" in exp:
            titles = {c.id: _norm(c.title) for c in content_mod.load(ROOT / "prompts").causes}
            spoken_causes = {cid for cid, t in titles.items()
                             if f"{t} is " in summary or f"{t} are " in summary}
            assert spoken_causes == set(exp["spoken_triggers"]), (
                f"summary names {sorted(spoken_causes)}: {summary!r}"
            )
        if "summary_starts_with" in exp:
            assert summary.startswith(_norm(exp["summary_starts_with"])), (
                f"summary starts {summary[:80]!r}"
            )


@pytest.mark.parametrize("conv", _params(ALL))
def test_conversation(conv: Conversation, content: content_mod.Content,
                      understander: Understander) -> None:
    run = run_dialog(conv, content, understander)
    d = run.dialog
    done = conv.expect.get("done", True)
    if done:
        assert d.done, (
            f"not finished after all {len(conv.turns)} turns; still asking "
            f"{d.current_question.id if d.current_question else None}: {run.final.text!r}"
        )
    else:
        assert not d.done, f"finished, but should still be going: {run.final.text!r}"
    if "asks" in conv.raw:
        assert d.asked == list(conv.raw["asks"]), f"asked {d.asked}"
    for qid in conv.raw.get("asks_include") or []:
        assert qid in d.asked, f"{qid} not asked; asked {d.asked}"
    for qid in conv.raw.get("never_asks") or []:
        assert qid not in d.asked, f"{qid} asked; asked {d.asked}"
    summary = _norm(run.summary.text) if d.done else None
    check_result(conv, d.assessment().to_json(), run.spoken, summary)
    if "max_questions" in conv.raw and len(d.asked) > conv.raw["max_questions"]:
        raise TooManyQuestions(
            f"{len(d.asked)} questions asked, at most {conv.raw['max_questions']} wanted: "
            f"{d.asked}"
        )


# ---- the same conversations through the command line ------------------------------------


CLI = [c for c in ALL if c.raw.get("cli")]


def _stdin(conv: Conversation) -> str:
    lines = []
    for turn in conv.turns:
        # Turn checks (heard, reply_has...) are checked in the in-process run only.
        assert turn.confident, "the CLI reads typed text, which is never unsure"
        if turn.kind == "end":
            break
        lines.append(turn.text if turn.kind == "say" else "")
    else:
        if "after_summary" in conv.raw:
            lines.append(str(conv.raw["after_summary"]))
    return "".join(line + "\n" for line in lines)


def _cli_args(person: Person) -> list[str]:
    args = [sys.executable, "-m", "voiceskill", "checkin", "--text", "--json"]
    if person.caregiver:
        args += ["--caregiver", "--pronoun", person.pronoun or "they"]
        if person.name:
            args += ["--name", person.name]
    return args


@pytest.mark.parametrize("conv", _params(CLI, lengths=False))
def test_conversation_through_cli(conv: Conversation, content: content_mod.Content,
                                  understander: Understander) -> None:
    if "replies" in conv.raw and not conv.turns:
        conv.turns = _persona_turns(conv, content, understander)
    proc = subprocess.run(_cli_args(conv.person), input=_stdin(conv), capture_output=True,
                          text=True, cwd=ROOT, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.rstrip("\n").split("\n")
    result = json.loads(lines[-1])
    spoken = _norm("\n".join(lines[:-1]))
    # Every answer is read after a "> " prompt; the summary is what follows the last one
    # that the disclaimer follows (then come the details or the goodbye).
    parts = [p for p in spoken.split("> ") if "not a diagnosis" in p]
    summary = _norm(parts[-1] if parts else spoken.rsplit("> ", 1)[-1])
    check_result(conv, result, spoken, summary)


# ---- the suite itself ----------------------------------------------------------------------


def test_conversation_names_are_unique() -> None:
    names = [c.name for c in ALL]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_conversation_checks_something() -> None:
    for c in ALL:
        checks = set(c.expect) | {k for k in c.raw if k in ("asks", "asks_include", "never_asks",
                                                            "max_questions")}
        checks |= {k for t in c.turns for k in t.checks}
        assert checks, f"{c.name}: checks nothing"
        assert c.turns or "asks" in c.raw or "replies" in c.raw, f"{c.name}: has no turns"


def test_conversations_cover_every_cause_and_likelihood_levels() -> None:
    cause_ids = content_mod.load(ROOT / "prompts").cause_ids
    named: set[str] = set()
    levels: set[str] = set()
    for c in ALL:
        for key in ("triggers", "triggers_include"):
            for cause, level in (c.expect.get(key) or {}).items():
                assert cause in cause_ids, f"{c.name}: {cause} is not a cause id"
                assert level in LIKELIHOODS, f"{c.name}: {level} is not a likelihood"
                named.add(cause)
                levels.add(level)
    assert named == set(cause_ids), f"causes never expected: {set(cause_ids) - named}"
    assert {"high", "medium"} <= levels


def test_conversations_use_every_control() -> None:
    """Each control intent is heard in at least one conversation (checked with heard:)."""
    used = {
        str(_plain(t.checks["heard"])) for c in ALL for t in c.turns if "heard" in t.checks
    }
    for intent in ("repeat", "help", "stop", "skip", "back", "slower", "louder"):
        assert intent in used, f"no conversation checks the {intent} control"


def test_earlier_nights_are_run_through_the_dialog_only() -> None:
    """The command line reads earlier nights from the real journal (tests/test_journal_cli.py)."""
    for c in ALL:
        assert not (c.raw.get("cli") and "earlier_nights" in c.raw), (
            f"{c.name}: earlier_nights cannot be given to the command line"
        )


def test_cli_conversations_exist() -> None:
    assert len(CLI) >= 3
    assert any(c.person.caregiver for c in CLI)
    assert any(t.kind == "end" for c in CLI for t in c.turns)
