"""The real interactive quiz, driven in a pseudo-terminal: what a learner sees and types."""

import os
import sys
from pathlib import Path

import pexpect
import pytest
import sympy

from calctutor.coach.store import Store
from calctutor.parsing import parse_expression

ROOT = Path(__file__).resolve().parent.parent
SKILL = "1.3 power rule"


@pytest.mark.parametrize("stop", ["quit", "ctrl-c"])
def test_the_interactive_quiz_in_a_terminal(tmp_path, monkeypatch, stop):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    from calctutor.drills import generate

    first = generate(1, count=2, seed=3, skill=SKILL)[0]
    expr = parse_expression(first.input["expr"]).expr
    (x,) = expr.free_symbols
    # computed here, typed loosely (read as typed: only product signs are added)
    right = sympy.sstr(sympy.diff(expr, x)).replace("**", "^").replace("*", " ")

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "COLUMNS")}
    env.update(CALCTUTOR_HOME=str(tmp_path), TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "calctutor", "quiz", "module1", "--skill", SKILL,
                                           "--count", "2", "--seed", "3"],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30,
                          dimensions=(40, 100))
    try:
        child.expect("Question 1 of 2")
        child.expect("Type the derivative")        # the problem, pretty-printed above it
        child.expect("Your answer: ")
        child.sendline(right)
        child.expect("Correct")
        child.expect("Question 2 of 2")
        child.expect("Your answer: ")
        child.sendline("hint")
        child.expect("Hint 1 of")
        child.expect("Your answer: ")
        if stop == "quit":
            child.sendline("quit")
        else:  # Ctrl-C ends the quiz cleanly too, keeping every answer given
            child.sendintr()
        child.expect("Summary")
        child.expect("Score")
        child.expect("1 / 1")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    # quit is a normal end; Ctrl-C shows the summary, then exits 130 like any interrupted command
    assert child.exitstatus == (0 if stop == "quit" else 130) and child.signalstatus is None
    assert [(a.item, a.outcome) for a in Store.open().attempts()] == [(1, "correct")]
