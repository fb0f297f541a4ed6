"""The journal through the real command line: check-ins kept across runs, the week's sentence,
interruptions (SIGTERM, end of input, SIGKILL), two processes at once, the journal commands."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from voiceskill import content as content_mod
from voiceskill.cli import main
from voiceskill.dialog import Dialog
from voiceskill.journal import Journal, night_of
from voiceskill.journal.sample import PERSONAS, answer
from voiceskill.messages import Person
from voiceskill.understanding import Understander

ROOT = Path(__file__).resolve().parent.parent
CHECKIN = [sys.executable, "-m", "voiceskill", "checkin", "--text"]


def _said(persona: str) -> list[str]:
    """What the persona types, question by question, to the end of the check-in."""
    content = content_mod.load(ROOT / "prompts")
    u = Understander(content)
    replies = PERSONAS[persona]
    d = Dialog(content, Person())
    reply = d.start()
    lines: list[str] = []
    while not reply.done and not d.closing:
        q = d.current_question
        assert q is not None and reply.expect is not None
        lines.append(replies.get(q.id, "no"))
        reply = d.hear(u.understand(lines[-1], reply.expect))
    return lines


def _checkin(lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CHECKIN, input="".join(x + "\n" for x in lines), capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


def _kept(state: Path) -> list[int]:
    with Journal.open(state) as journal:
        return [len(c.answers) for c in journal.checkins()]


def test_check_ins_are_kept_across_runs(_private_state_dir: Path) -> None:
    lines = _said("restless_coffee")
    for _ in range(2):
        proc = _checkin(lines)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
    with Journal.open(_private_state_dir) as journal:
        kept = journal.checkins("")
    assert [c.finished for c in kept] == [True, True]
    assert kept[0].answers["caffeine_alcohol"] == "yes"
    assert kept[1].summary in " ".join(proc.stdout.split())


def test_the_summary_says_the_week_from_the_journal(_private_state_dir: Path) -> None:
    content = content_mod.load(ROOT / "prompts")
    u = Understander(content)
    tonight = night_of(datetime.now().astimezone())
    with Journal.open(_private_state_dir) as journal:
        for ago, persona in ((1, "cramps"), (2, "calm"), (3, "cramps")):
            d = answer(content, u, Person(), PERSONAS[persona])
            started = datetime.combine(tonight - timedelta(days=ago),
                                       datetime.min.time()).astimezone() + timedelta(hours=22)
            journal.keep_checkin(d, started=started, finished=True)
    proc = _checkin(_said("cramps"))
    assert proc.returncode == 0, proc.stderr
    assert "Your legs bothered you on 3 of the 4 nights checked this week." in proc.stdout


def test_no_journal_keeps_nothing_and_says_no_week(_private_state_dir: Path) -> None:
    content = content_mod.load(ROOT / "prompts")
    u = Understander(content)
    tonight = night_of(datetime.now().astimezone())
    with Journal.open(_private_state_dir) as journal:
        for ago in (1, 2, 3):
            d = answer(content, u, Person(), PERSONAS["cramps"])
            started = datetime.combine(tonight - timedelta(days=ago),
                                       datetime.min.time()).astimezone() + timedelta(hours=22)
            journal.keep_checkin(d, started=started, finished=True)
    lines = _said("cramps")
    finished = subprocess.run([*CHECKIN, "--no-journal"], input="".join(x + "\n" for x in lines),
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
    # Cut short by the end of input: kept as unfinished without the flag, not kept with it.
    cut_short = subprocess.run([*CHECKIN, "--no-journal"], input="no\nsixty\n",
                               capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert finished.returncode == 0 and cut_short.returncode == 0, finished.stderr
    assert "Your legs bothered you" not in finished.stdout
    assert finished.stderr == ""
    with_journal = _checkin(lines)
    # The same answers with the journal: the week is said, so its absence above is the flag's.
    assert "Your legs bothered you on" in with_journal.stdout
    assert len(_kept(_private_state_dir)) == 4


def _read_into(stream: object, buffer: list[str]) -> None:
    assert hasattr(stream, "read")
    while chunk := stream.read(1):
        buffer.append(chunk)


def test_sigterm_mid_check_in_keeps_what_was_answered(_private_state_dir: Path) -> None:
    proc = subprocess.Popen(CHECKIN, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    out: list[str] = []
    reader = threading.Thread(target=_read_into, args=(proc.stdout, out), daemon=True)
    reader.start()
    assert proc.stdin is not None
    proc.stdin.write("no\nsixty\nyes\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while "".join(out).count("> ") < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 130
    reader.join(timeout=5)
    with Journal.open(_private_state_dir) as journal:
        kept = journal.checkins()
    assert len(kept) == 1 and not kept[0].finished
    assert kept[0].answers == {"red_flag_any": "no", "age": 60, "male": "yes"}


def test_end_of_input_keeps_a_check_in_cut_short(_private_state_dir: Path) -> None:
    proc = _checkin(["no", "sixty"])
    assert proc.returncode == 0, proc.stderr
    with Journal.open(_private_state_dir) as journal:
        (kept,) = journal.checkins()
    assert not kept.finished and kept.stopped_early and kept.answers["age"] == 60


def test_sigkill_at_any_moment_leaves_the_journal_consistent(_private_state_dir: Path) -> None:
    """Killed outright (no handler runs) at random moments up to past the end of the
    check-in: the file passes SQLite's integrity check, earlier check-ins are intact, and a
    check-in is either kept whole or not at all."""
    lines = _said("restless_sertraline")
    assert _checkin(lines).returncode == 0
    assert _checkin(lines).returncode == 0
    before = _kept(_private_state_dir)
    full = before[0]
    # Mid-way, for certain: waiting at the fifth question.
    proc = subprocess.Popen(CHECKIN, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    out: list[str] = []
    threading.Thread(target=_read_into, args=(proc.stdout, out), daemon=True).start()
    assert proc.stdin is not None
    proc.stdin.write("".join(x + "\n" for x in lines[:4]))
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while "".join(out).count("> ") < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert _kept(_private_state_dir) == before
    # Then at random moments, up to past the end, where the kill may land in the write.
    rng = random.Random(11)
    for _ in range(6):
        proc = subprocess.Popen(CHECKIN, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        assert proc.stdin is not None
        proc.stdin.write("".join(x + "\n" for x in lines))
        proc.stdin.flush()
        time.sleep(rng.uniform(0.1, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdin.close()
    with sqlite3.connect(_private_state_dir / "voiceskill.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    after = _kept(_private_state_dir)
    assert after[:2] == before
    assert all(n == full for n in after)  # each kept check-in has every answer


WRITER = """
import sys
from datetime import date
from pathlib import Path
from voiceskill import content as content_mod
from voiceskill.journal import Journal
from voiceskill.journal.sample import sample_nights
from voiceskill.messages import Person

state, name, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
person = Person(caregiver=True, name=name, pronoun="she")
nights = sample_nights(content_mod.load(None), date(2026, 3, 14), 60, seed=seed,
                       person=person, checked=1.0)
with Journal.open(state) as journal:
    for i, c in enumerate(nights):
        journal.keep(c)
        mine = journal.checkins(name)
        assert len(mine) == i + 1, (len(mine), i + 1)
        everyone = journal.checkins()
        assert all(len(c.answers) > 0 for c in everyone)
print(len(nights))
"""


def test_two_processes_write_and_read_at_once(_private_state_dir: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(_private_state_dir), name,
                               str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT)
             for name, seed in (("Rose", 1), ("Walter", 2))]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.strip() == "60"
    with Journal.open(_private_state_dir) as journal:
        assert len(journal.checkins("Rose")) == 60 and len(journal.checkins("Walter")) == 60


def test_journal_commands(_private_state_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _checkin(_said("restless_sertraline")).returncode == 0
    assert main(["journal", "list"]) == 0
    out = capsys.readouterr().out
    assert "yourself  finished  legs bothered  restless_legs_syndrome (high)" in out
    ident = out.split()[0]
    assert main(["journal", "show", ident]) == 0
    out = capsys.readouterr().out
    assert "  medications: sertraline" in out and "Summary: Here is what I found." in out
    assert main(["journal", "show", "999"]) == 2
    assert "there is no check-in 999" in capsys.readouterr().err
    assert main(["journal", "export", "--json", "--since", "2026-13-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--since '2026-13-01' is not a date" in err
    assert main(["journal", "list", "--name", "Nobody"]) == 0
    assert "No check-ins kept for Nobody" in capsys.readouterr().out
    with Journal.open(_private_state_dir) as journal:
        kept = journal.checkins()
    assert main(["journal", "export", "--json", "--name", ""]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["checkins"] == [json.loads(json.dumps(c.to_json())) for c in kept]
    assert main(["journal", "export", "--csv", "--since", kept[0].night.isoformat()]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["id"]) for r in rows] == [c.id for c in kept]
    assert main(["journal", "export", "--csv", "--since",
                 (kept[0].night + timedelta(days=1)).isoformat()]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # the header only


def test_a_damaged_journal_is_one_line(_private_state_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (_private_state_dir / "voiceskill.db").write_bytes(b"garbage" * 500)
    for command in (["journal", "list"], ["report"], ["journal", "forget", "--yes"]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("voiceskill: the journal "), err


def test_an_unusable_journal_never_costs_the_check_in(_private_state_dir: Path) -> None:
    (_private_state_dir / "voiceskill.db").write_bytes(b"garbage" * 500)
    proc = _checkin(_said("calm"))
    assert proc.returncode == 0
    assert "This is general information, not a diagnosis." in proc.stdout
    assert "Traceback" not in proc.stderr
    problems = [x for x in proc.stderr.splitlines() if x]
    assert len(problems) == 2 and all(x.startswith("voiceskill: ") for x in problems)
    assert "could not be kept in the journal" in problems[1]
    assert os.path.getsize(_private_state_dir / "voiceskill.db") == 3500  # left as it was


def test_looking_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "never" / "voiceskill"
    monkeypatch.setenv("VOICESKILL_STATE_DIR", str(state))
    assert main(["journal", "list"]) == 0
    assert capsys.readouterr().out == (
        f"Nothing is kept yet: there is no journal at {state / 'voiceskill.db'}.\n")
    assert main(["journal", "forget", "--yes"]) == 0
    assert main(["journal", "export", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1]) == {"checkins": [],
                                                                     "relief": []}
    assert main(["journal", "show", "1"]) == 2
    assert main(["report", "--text"]) == 0
    assert "There are no check-ins in the last 30 nights." in capsys.readouterr().out
    assert not (tmp_path / "never").exists()
