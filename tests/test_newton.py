"""newton: iterates against hand-derived ones, outcomes, JSON shape and mal-rules."""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError, UsageError
from calctutor.topics.series.run import run_newton

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]


def hand_newton(f, df, x, n):
    out = [x]
    for _ in range(n):
        x = x - f(x) / df(x)
        out.append(x)
    return out


def test_exact_rational_iterates():
    r = run_newton("x^2 - 2", x0="1", steps=3, exact=True)
    expected = hand_newton(lambda v: v * v - 2, lambda v: 2 * v, Fraction(1), 3)
    assert [it.x[0] for it in r.iterations] == [sp.Rational(e.numerator, e.denominator) for e in expected]
    j = r.to_json()
    assert [it["x"] for it in j["iterations"]] == ["1", "3/2", "17/12", "577/408"]
    assert j["root"] == "577/408" and j["converged"] is False


def test_float_root_converges():
    r = run_newton("cos x - x", x0=1)
    j = r.to_json()
    assert j["converged"] is True
    assert j["root"] == pytest.approx(0.7390851332151607, abs=1e-12)
    hand = hand_newton(lambda v: math.cos(v) - v, lambda v: -math.sin(v) - 1, 1.0, 3)
    assert [it["x"] for it in j["iterations"][:4]] == pytest.approx(hand, rel=1e-14)
    assert j["iterations"][0] == {"n": 0, "x": 1.0, "f": pytest.approx(math.cos(1) - 1),
                                  "correction": pytest.approx(hand[1] - 1)}
    assert all(isinstance(it["f"], float) for it in j["iterations"])


def test_steps_are_exact_count():
    r = run_newton("x^2 - 2", x0=1, steps=7)
    assert len(r.iterations) == 8 and r.converged


def test_two_cycle_detected():
    r = run_newton("x^3 - 2x + 2", x0=0)
    assert r.status == "cycle" and not r.converged
    # x - (x^3 - 2x + 2)/(3x^2 - 2): 0 -> 1 -> 0 -> 1, the period confirmed once more
    assert [it.x[0] for it in r.iterations] == [0.0, 1.0, 0.0, 1.0] and r.period == 2
    r = run_newton("x^3 - 5x", x0=1, steps=2)
    assert [it.x[0] for it in r.iterations] == [1.0, -1.0, 1.0]
    assert any("cycle" in n for n, _ in r.notes)


def test_zero_derivative_and_divergence():
    r = run_newton("x^2 + 1", x0=0)
    # no real root outranks the flat tangent that stopped it, which is still named
    assert r.status == "no_real_root" and not r.converged
    assert "f'(x0) evaluates to 0" in r.explanation
    r = run_newton("x^2 - 1", x0=0)
    assert r.status == "zero_derivative" and not r.converged
    r = run_newton("atan(x)", x0=3)
    assert r.status == "diverged" and not r.converged
    r = run_newton("sqrt(x)", x0=1)
    assert r.status == "undefined"


def test_system_with_jacobian():
    r = run_newton("x^2 - y - 1, x - y", x0="2,0")
    golden = (1 + math.sqrt(5)) / 2
    j = r.to_json()
    assert j["converged"] and j["root"] == pytest.approx([golden, golden])
    # first step by hand: J = [[2x, -1], [1, -1]], F = (3, 2) at (2, 0)
    jac = sp.Matrix([[4, -1], [1, -1]])
    step = -jac.solve(sp.Matrix([3, 2]))
    assert j["iterations"][1]["x"] == pytest.approx([2 + float(step[0]), float(step[1])])
    assert isinstance(j["iterations"][0]["f"], list)


def test_optimise_hessian_step_and_kind():
    r = run_newton("x^2 + x y + 2y^2 - 3x", x0="0,0", optimise=True, steps=1, exact=True)
    assert r.root == (sp.Rational(12, 7), sp.Rational(-3, 7))
    assert r.kind == "minimum"
    r = run_newton("-x^2 + 2x", x0=0, optimise=True)
    assert r.root == (1.0,) and r.kind == "maximum"
    assert any("maximum" in n for n, warn in r.notes if warn)
    r = run_newton("x^3 - 3x", x0=2, optimise=True)
    assert r.root[0] == pytest.approx(1.0) and r.kind == "minimum"


def test_course_examples():
    for ex in EXAMPLES:
        if ex["kind"] != "newton":
            continue
        inp = ex["input"]
        r = run_newton(inp["expr"], x0=inp["x0"], steps=inp["steps"],
                       optimise=inp["mode"] == "optimise", vars=inp.get("vars"))
        verdict = check_answer(r, ", ".join(ex["answer"]))
        assert verdict.correct is True, (ex["id"], verdict.feedback)


@pytest.mark.parametrize("expr, x0, opt, answer, code", [
    ("x^2 - 2", "1", False, "0.5, -1.25", "newton_wrong_sign"),
    ("x^2 - 2", "1", False, "3, 2.142857143", "newton_inverted"),
    ("x^2 - 2", "1", False, "1.5, 1.375", "newton_wrong_point"),
    ("x^2 - x", "3", True, "1.8, 1.246153846", "newton_root_not_stationary"),
])
def test_newton_mistakes(expr, x0, opt, answer, code):
    # by hand: x + f/f': 1, 0.5, -1.25; x - f'/f: 1, 3, 3 - 6/7; f' kept at x0 = 1 (slope 2):
    # 1.5, 1.5 - 0.25/2; for x^2 - x from 3 the root step x - f/f': 1.8, 1.8 - 1.44/2.6
    r = run_newton(expr, x0=x0, steps=2, optimise=opt)
    v = check_answer(r, answer)
    assert v.correct is False and v.diagnosis == code, v.feedback


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(expr="x^2 - 2"), UsageError, "--x0 is required"),
    (dict(expr="x y", x0="1,1"), UsageError, "no isolated root"),
    (dict(expr="x + y, x - y, x", x0="1,1"), UsageError, "3 equations in 2 variables"),
    (dict(expr="x^2", x0="1", tol=-1), UsageError, "--tol must be positive"),
    (dict(expr="x^2", x0="1", steps=0), UsageError, "--steps must be at least 1"),
    (dict(expr="5", x0="1"), UsageError, "has no variable"),
    (dict(expr="x^2", x0="y=1"), ParseError, "not a variable of the expression"),
    (dict(expr="x + y, x - y", x0="1,1", optimise=True), UsageError, "takes one function"),
])
def test_bad_input(kwargs, error, message):
    # the exact class: a crash (InternalError) must not pass as bad input
    with pytest.raises(error, match=re.escape(message)) as caught:
        run_newton(**kwargs)
    assert type(caught.value) is error


def test_newton_feedback_is_ascii():
    from calctutor.topics.series.mistakes import NEWTON_RULES

    assert all(text.isascii() for text in NEWTON_RULES.values())


def test_exactly_n_steps_is_a_neutral_note_not_a_no():
    from calctutor.render.doc import Note, Verdict
    from calctutor.render.plain import render_plain
    from calctutor.render.views import view
    from calctutor.topics.series.run import run_newton

    blocks = view(run_newton("x^3 - 5x", x0="1", steps=4))
    assert not any(isinstance(b, Verdict) for b in blocks)
    out = render_plain(blocks)
    assert "Stopped after 4 iterations, as asked (--steps 4)" in out and "NO -" not in out
    assert any(isinstance(b, Note) for b in blocks)
