"""Gradient descent against hand-derived iterates and an independent float loop."""

import json
import math
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError, UsageError
from calctutor.topics.optimise.run import run_descent

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["kind"] == "graddesc"], ids=lambda e: e["id"])
def test_course_examples(ex):
    inp = ex["input"]
    r = run_descent(inp["expr"], dict(zip(inp["vars"], inp["x0"], strict=True)), rate=inp["step_size"],
                    steps=inp["steps"], vars=inp["vars"])
    assert r.exact
    assert [sp.sstr(p) for p in r.final.point] == ex["answer"]
    assert r.to_json()["point"] == dict(zip(inp["vars"], ex["answer"], strict=True))


def test_decimal_rate_is_exact_and_two_steps_by_hand():
    # f = x^2 + 4y^2: x -> (1 - 2g) x, y -> (1 - 8g) y
    r = run_descent("x^2 + 4y^2", "x=2,y=1", rate="0.1", steps=2)
    assert r.final.point == (sp.Rational(2) * sp.Rational(4, 5) ** 2, sp.Rational(1, 5) ** 2)
    assert r.final.value == r.final.point[0] ** 2 + 4 * r.final.point[1] ** 2
    assert [it.n for it in r.iterations] == [0, 1, 2]


def _float_loop(grad, f, x, rate, tol, max_iter=1000):
    """An independent plain-Python gradient descent with the same stopping rule."""
    for n in range(max_iter + 1):
        g = grad(*x)
        norm = math.hypot(*g)
        if norm < tol or rate * norm < tol or n == max_iter:
            return x, n
        x = [xi - rate * gi for xi, gi in zip(x, g, strict=True)]


def test_float_run_matches_independent_loop():
    f = lambda x, y: (x - 1) ** 2 + 2 * (y + 2) ** 2 + x * y / 2  # noqa: E731
    grad = lambda x, y: (2 * (x - 1) + y / 2, 4 * (y + 2) + x / 2)  # noqa: E731
    r = run_descent("(x-1)^2 + 2(y+2)^2 + x y/2", "x=0.3,y=0.7", rate="0.05", tol=1e-10)
    x, n = _float_loop(grad, f, [0.3, 0.7], 0.05, 1e-10)
    assert r.converged and r.stop in ("gradient", "step")
    assert r.final.n == n
    assert [float(p) for p in r.final.point] == pytest.approx(x, rel=1e-9, abs=1e-12)
    # and the minimum is the stationary point solved exactly
    X, Y = sp.symbols("X Y")
    F = (X - 1) ** 2 + 2 * (Y + 2) ** 2 + X * Y / 2
    sol = sp.solve([sp.diff(F, X), sp.diff(F, Y)], [X, Y])
    assert [float(p) for p in r.final.point] == pytest.approx([float(sol[X]), float(sol[Y])], abs=1e-8)


def test_ascent_climbs_to_maximum():
    r = run_descent("-(x-3)^2 + 5", "x=0", rate="0.25", ascent=True)
    assert r.converged and float(r.final.point[0]) == pytest.approx(3, abs=1e-7)
    assert r.to_json()["method"] == "gradient ascent"


def test_divergence_is_detected_and_explained():
    r = run_descent("x^2 + 4y^2", "x=2,y=1", rate="0.3")
    assert r.stop == "diverged" and not r.converged and r.diverged
    # L = 8 (Hessian diag(2, 8)), so the advice names the limit 2/L = 1/4
    assert any("smaller --rate below 1/4" in n for n in r.notes)


def test_overflow_is_divergence_not_a_crash():
    r = run_descent("exp(x^2)", "x=1", rate="1")
    assert r.stop == "diverged"


def test_overshoot_of_one_step_is_noted():
    r = run_descent("x^2 + 4y^2", "x=2,y=1", rate="3/10", steps=1)
    assert any("overshoot" in n for n in r.notes)


def test_non_rational_iterates_fall_back_to_decimals():
    r = run_descent("sin(x) + cos(y)", "x=1,y=1", steps=8)
    x, y = 1.0, 1.0
    for _ in range(8):
        x, y = x - 0.1 * math.cos(x), y + 0.1 * math.sin(y)
    assert [float(p) for p in r.final.point] == pytest.approx([x, y], rel=1e-12)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(expr="x^2", start="y=1"), ParseError, "'y' at column 1 is not a variable"),
    (dict(expr="x^2", start="x=1", rate="-1"), UsageError, r"rate \(--rate\) must be positive"),
    (dict(expr="x^2", start=None), UsageError, "give a start point with --start"),
    (dict(expr="x^2 + y", start="x=1"), ParseError, "gives no value for y"),
    (dict(expr="3", start="x=1"), UsageError, "has no variables"),
    (dict(expr="ln(x)", start="x=-1"), UsageError, "undefined .* at x = -1"),
    (dict(expr="x^2", start="x=1", tol=0), UsageError, "--tol must be positive"),
])
def test_bad_input_is_a_usage_error(kwargs, error, message):
    # the exact class: an InternalError (a crash) is a CalcTutorError too and must not pass
    with pytest.raises(error, match=message) as err:
        run_descent(**kwargs)
    assert type(err.value) is error


def test_answers_and_mistakes():
    r = run_descent("x^2 + 4y^2", "x=2,y=1", rate="1/10", steps=1)
    assert check_answer(r, "8/5, 1/5").correct is True
    assert check_answer(r, "1.6, 0.2").correct is True
    v = check_answer(r, "12/5, 9/5")
    assert (v.correct, v.diagnosis) == (False, "gradient_step_uphill")
    v = check_answer(r, "-2, -7")
    assert (v.correct, v.diagnosis) == (False, "rate_missing")
    r3 = run_descent("x^2 + 4y^2", "x=2,y=1", rate="1/10", steps=3)
    assert check_answer(r3, "8/5, 1/5").diagnosis == "wrong_step_count"


def test_every_format_renders_the_optimise_results(tmp_path):
    from calctutor.render import render
    from calctutor.topics.optimise.run import run_fit, run_lagrange

    data = tmp_path / "d.csv"
    data.write_text("x,y,sigma\n0,1,1\n1,3,2\n2,4,1\n3,8,2\n")
    results = [
        run_descent("x^2 + 4y^2", "x=2,y=1", rate="1/10", steps=2),
        run_descent("x^2 + y^2 + z^2", "1,1,1", rate="0.3", plot=True),
        run_lagrange("x^2 y", ["x^2 + y^2 = 3"]),
        run_fit(str(data), "m*x + c", plot=True),
        run_fit(str(data), "m*x + c", at="m=1,c=-1", rate="1/8", steps=2),
        run_fit(str(data), "a*exp(k*x)", start="a=1,k=0.5"),
    ]
    for r in results:
        for fmt in ("plain", "rich", "latex", "markdown"):
            text = render(r, fmt, width=90, color=False)
            assert len(text) > 200 and "Traceback" not in text
    assert "f at each step" in render(results[1], "plain", width=90)


def test_answer_as_named_point():
    # x -> (1 - 2g) x = 8/5, y -> (1 - 8g) y = 1/5 with g = 0.1
    r = run_descent("x^2 + 4y^2", "x=2,y=1", rate="0.1", steps=1)
    assert check_answer(r, "x=8/5, y=1/5").correct is True
    assert check_answer(r, "y=1/5, x=8/5").correct is True
    assert check_answer(r, "8/5, 1/5").correct is True
    with pytest.raises(UsageError, match="unknown name 'z' in your answer: expected x, y") as err:
        check_answer(r, "x=8/5, z=1/5")
    assert type(err.value) is UsageError
