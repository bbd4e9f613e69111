"""The quiz and ``--answer`` show a verdict in the same words and with the same mistake
names: both go through ``render.verdicts.verdict_blocks``."""

from __future__ import annotations

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.coach.views import verdict_doc
from calctutor.parsing import parse_expression
from calctutor.render import render, render_blocks
from calctutor.topics.diff.compute import differentiate

X = sp.Symbol("x", real=True)


def _verdict(expr: str, answer: str):
    if "y" in expr:  # a gradient: its answer is a vector
        from calctutor.topics.matrices.run import run_gradient

        return check_answer(run_gradient(expr), answer)
    parsed = parse_expression(expr)
    return check_answer(differentiate(parsed.expr, parsed.reading, [X]), answer)


def _from_verdict_on(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(("YES", "NO", "??", "UNDECIDED")))
    stop = next((i for i, ln in enumerate(lines) if ln.startswith("Try ")), len(lines))
    return lines[start:stop]


@pytest.mark.parametrize("expr, answer, code", [
    ("sin(x^2)", "cos(x^2)", "missing_chain_factor"),        # one named mistake
    ("x^2 sin(x)", "2x cos(x)", "product_rule_as_product"),
    ("x^2 y + y", "2x y", "wrong_shape"),                      # named in words only
    ("x^2", "2x^2/x", None),                                   # right, with a reading note
])
def test_quiz_and_answer_show_the_same_verdict(expr, answer, code):
    v = _verdict(expr, answer)
    assert v.diagnosis == code or (code is None and v.correct)
    for fmt in ("plain", "markdown"):
        quiz = render_blocks(verdict_doc(v), fmt, width=100, color=False)
        cli = render(v, fmt, width=100, color=False)
        if fmt == "plain":
            assert _from_verdict_on(quiz) == _from_verdict_on(cli)
        else:
            assert quiz.strip().splitlines()[-1] in cli
    shown = render_blocks(verdict_doc(v), "plain", width=100, color=False)
    assert "wrong shape" not in shown  # never a raw code the feedback already says in words
    if code and code != "wrong_shape":
        assert f"Likely mistake: {code.replace('_', ' ')}" in shown


def test_a_classification_is_read_back_in_words_without_warnings(tmp_path):
    """'(-1/2, 0) min' was shown as [[-1/2, 0], <function minimum ...>] with a SymPy
    deprecation warning: a Matrix read the word as SymPy's function minimum."""
    import os
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "calctutor", "quiz", "--skill", "2.9", "--count", "1",
         "--seed", "1"], input="(-1/2, 0) min\nskip\n", capture_output=True, text=True,
        env={**os.environ, "CALCTUTOR_HOME": str(tmp_path)},  # never the user's own progress
        timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Read as: (-1/2, 0) minimum" in r.stdout
    assert "<function" not in r.stdout and "Deprecat" not in r.stderr
