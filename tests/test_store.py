"""The progress store: schema and migrations, persistence across processes, a SIGKILL in the
middle of a quiz, two quizzes at once, a damaged database file, no connection in a fork."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sympy

from calctutor.coach.store import DB_NAME, MIGRATIONS, SCHEMA_VERSION, Attempt, Store, StoreError
from calctutor.errors import InternalError
from calctutor.parsing import parse_expression
from calctutor.sandbox import run_limited

ROOT = Path(__file__).resolve().parent.parent
SKILL = "1.3 power rule"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    return tmp_path


def attempt(session="s", item=1, outcome="correct", skill=SKILL, **kw):
    return Attempt(session, item, 1, skill, f"ex{item}", outcome, kw.pop("answer", "2*x"), **kw)


# -- schema -----------------------------------------------------------------------------------
def test_a_fresh_store_has_the_current_schema_in_wal_mode(home):
    store = Store.open()
    assert store.path == home / DB_NAME and store.notice is None
    assert store.version() == SCHEMA_VERSION
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"attempts", "sessions"} <= tables
    db.close()


def test_an_old_schema_is_migrated_keeping_its_answers(home):
    path = home / DB_NAME
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO attempts (session, item, at, module, skill, exercise, answer, "
               "outcome, correct) VALUES ('old', 1, '2026-01-05T10:00:00Z', 1, ?, 'e1', "
               "'3x^2', 'correct', 1)", (SKILL,))
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = Store.open()
    assert store.version() == SCHEMA_VERSION
    (old,) = store.attempts()
    assert (old.session, old.answer, old.correct) == ("old", "3x^2", True)
    session = store.start_session("module1", 3, 7)  # the new table is there and works
    assert len(session) == 32


def test_a_schema_2_store_gains_the_revealed_column_and_old_answers_read_as_not_revealed(home):
    path = home / DB_NAME
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("INSERT INTO attempts (session, item, at, module, skill, exercise, answer, "
               "outcome, correct, hints, try) VALUES ('old', 1, '2026-01-05T10:00:00Z', 1, ?, "
               "'e1', '3x^2', 'correct', 1, 2, 1)", (SKILL,))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    store = Store.open()
    assert store.version() == SCHEMA_VERSION >= 3
    store.record(attempt("new", 1, hints=3, try_=1, revealed=True))
    old, new = store.attempts()
    assert (old.session, old.hints, old.revealed) == ("old", 2, False)
    assert (new.session, new.hints, new.revealed) == ("new", 3, True)
    raw = sqlite3.connect(path).execute("SELECT revealed FROM attempts ORDER BY id").fetchall()
    assert raw == [(0,), (1,)]


def test_a_newer_schema_is_refused_not_damaged(home):
    db = sqlite3.connect(home / DB_NAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer calctutor"):
        Store.open()
    assert (home / DB_NAME).exists() and not list(home.glob("*.damaged-*"))


def test_a_write_that_fails_is_rolled_back(home):
    store = Store.open()
    store.record(attempt(item=1))
    with pytest.raises(sqlite3.IntegrityError):
        with store._write() as db:
            db.execute("INSERT INTO attempts (session, item, at, module, skill, exercise, "
                       "outcome, correct) VALUES ('s', 2, 'now', 1, 'k', 'e', 'correct', 1)")
            db.execute("INSERT INTO attempts (session) VALUES (NULL)")  # violates NOT NULL
    assert store.count() == 1


# -- persistence, damage, forks -------------------------------------------------------------------
def test_answers_persist_across_processes(home):
    code = ("from calctutor.coach.store import Store, Attempt\n"
            "s = Store.open()\n"
            "s.record(Attempt('p', 1, 1, '1.3 power rule', 'e1', 'wrong', 'x'))\n"
            "s.record(Attempt('p', 1, 1, '1.3 power rule', 'e1', 'correct', '2x', try_=2))\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "CALCTUTOR_HOME": str(home)})
    got = Store.open().attempts()
    assert [(a.outcome, a.answer, a.try_) for a in got] == [("wrong", "x", 1), ("correct", "2x", 2)]


@pytest.mark.parametrize("damage", ["garbage", "scrambled"])
def test_a_damaged_file_is_moved_aside_and_a_fresh_store_started(home, damage):
    store = Store.open()
    store.record(attempt())
    path = store.path
    with sqlite3.connect(path) as db:  # enough pages that damage can land inside the data
        db.executemany("INSERT INTO attempts (session, item, at, module, skill, exercise, "
                       "answer, outcome, correct) VALUES ('s', ?, 'now', 1, 'k', 'e', ?, "
                       "'wrong', 0)", [(k, "x" * 200) for k in range(300)])
    if damage == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    else:  # pages overwritten in the middle of a real database file
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(path.read_bytes())
        data[4096 * 3:4096 * 5] = os.urandom(8192)
        path.write_bytes(bytes(data))
    fresh = Store.open()
    assert fresh.notice and "damaged" in fresh.notice and "moved aside" in fresh.notice
    (aside,) = home.glob(f"{DB_NAME}.damaged-*[0-9]Z")
    assert aside.name in fresh.notice
    assert fresh.count() == 0
    fresh.record(attempt())
    assert Store.open().count() == 1 and Store.open().notice is None


def test_the_store_refuses_to_be_used_in_a_forked_worker(home):
    store = Store.open()
    store.record(attempt())
    with pytest.raises(InternalError, match="forked process"):
        run_limited(store.count, timeout=5)
    assert store.count() == 1  # and the parent's store is untouched


# -- real quizzes in subprocesses -----------------------------------------------------------------
def right_answers(count, seed):
    """The derivative of each exercise the quiz will ask, computed with SymPy here."""
    from calctutor.drills import generate

    out = []
    for ex in generate(1, count=count, seed=seed, skill=SKILL):
        assert ex.kind == "diff"
        expr = parse_expression(ex.input["expr"], positive=bool(ex.input.get("positive"))).expr
        (x,) = expr.free_symbols
        out.append(sympy.sstr(sympy.diff(expr, x)))
    return out


class Quiz:
    """``calctutor quiz`` in a subprocess, its output collected as it comes."""

    def __init__(self, home, *args):
        env = {**os.environ, "CALCTUTOR_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "calctutor", "quiz", "module1", "--skill", SKILL, *args],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1)
        self.out = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.out += line

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, text, times=1, timeout=60):
        deadline = time.monotonic() + timeout
        while self.out.count(text) < times:
            assert self.proc.poll() is None or self.out.count(text) >= times, self.out
            assert time.monotonic() < deadline, f"no {text!r} x{times} in:\n{self.out}"
            time.sleep(0.02)


def test_a_sigkill_in_the_middle_of_a_quiz_loses_nothing_already_judged(home):
    right = right_answers(4, seed=21)
    quiz = Quiz(home, "--count", "4", "--seed", "21")
    quiz.send(right[0])
    quiz.wait_for("YES - Correct")
    quiz.send("x + 12345")       # wrong: the first try at question 2
    quiz.wait_for("NO - Not correct")
    quiz.send(right[1])          # right at the second try
    quiz.wait_for("YES - Correct", 2)
    quiz.send("skip")
    quiz.wait_for("Skipped.")
    os.kill(quiz.proc.pid, signal.SIGKILL)  # no chance to clean up
    quiz.proc.wait(10)
    got = Store.open().attempts()
    assert [(a.item, a.outcome, a.try_) for a in got] == [
        (1, "correct", 1), (2, "wrong", 1), (2, "correct", 2), (3, "skip", 1)]
    assert got[0].answer == right[0]


def test_two_quizzes_at_once_both_record_everything(home):
    right = right_answers(4, seed=5)
    script = [right[0], "x^99", "solution", "skip", "hint", right[3]]
    quizzes = [Quiz(home, "--count", "4", "--seed", "5") for _ in range(2)]
    for q in quizzes:  # both get all their answers at once, so they write together
        q.proc.stdin.write("\n".join(script) + "\n")
        q.proc.stdin.close()
    for q in quizzes:
        assert q.proc.wait(60) == 0, q.proc.stderr.read()
        q._reader.join(5)
        assert "Summary: score 1.5/4" in q.out
    got = Store.open().attempts()
    assert len(got) == 2 * 5  # 5 judged answers, skips and revealed solutions each
    sessions = {a.session for a in got}
    assert len(sessions) == 2
    for s in sessions:
        mine = [(a.item, a.outcome, a.hints) for a in got if a.session == s]
        assert mine == [(1, "correct", 0), (2, "wrong", 0), (2, "solution", 0), (3, "skip", 0),
                        (4, "correct", 1)]
    from calctutor.coach.app import progress_report

    data = progress_report().to_json()
    assert data["total_attempts"] == 10
    (skill,) = data["skills"]
    assert (skill["skill"], skill["attempts"], skill["correct"]) == (SKILL, 10, 4)
