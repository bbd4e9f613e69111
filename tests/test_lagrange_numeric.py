"""Lagrange problems solved numerically (--numeric and the fall-back): the candidates against
an independent dense sampling of f on the constraint (NumPy, its own parametrisation), the
completeness evidence, the residuals, the tolerance of the verdict at its edges, the 5.8
templates and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from typer.testing import CliRunner

from calctutor.checking.answer import check_answer
from calctutor.cli import app
from calctutor.topics import run_kind
from calctutor.topics.optimise.lagrange_numeric import star_curve

X, Y = sp.symbols("x y", real=True)

# (f as typed, f for NumPy, constraint as typed, the constraint curve's own parametrisation)
PROBLEMS = [
    ("x^2 y + e^x", lambda x, y: x**2 * y + np.exp(x), "x^2 + y^2 = 4",
     lambda t: (2 * np.cos(t), 2 * np.sin(t))),
    ("x + 2sin(x y)", lambda x, y: x + 2 * np.sin(x * y), "x^2 + 3y^2 = 5",
     lambda t: (math.sqrt(5) * np.cos(t), math.sqrt(5 / 3) * np.sin(t))),
    ("e^x + e^y + x y", lambda x, y: np.exp(x) + np.exp(y) + x * y, "x^4 + y^4 = 2",
     lambda t: (np.cos(t), np.sin(t)) / (np.cos(t) ** 4 + np.sin(t) ** 4) ** 0.25 * 2 ** 0.25),
]


def solve(expr, constraint, goal="max", numeric=True):
    return run_kind("lagrange", {"expr": expr, "constraint": [constraint], "goal": goal,
                                 "numeric": numeric})


@pytest.fixture(scope="module")
def solved():
    return [solve(e, c) for e, _, c, _ in PROBLEMS]


def dense(fn, curve, n=400_000):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = curve(t)
    return fn(x, y)


def independent_turns(values) -> int:
    """Local maxima and minima of cyclic samples (no flat runs in these problems)."""
    before, after = np.roll(values, 1), np.roll(values, -1)
    return int(np.sum((values > before) & (values > after))
               + np.sum((values < before) & (values < after)))


@pytest.mark.parametrize("k", range(len(PROBLEMS)))
def test_max_and_min_match_an_independent_dense_sampling(solved, k):
    _, fn, _, curve = PROBLEMS[k]
    result = solved[k]
    values = dense(fn, curve)
    assert result.complete and result.sampling.certain
    assert result.maximum and result.minimum
    assert result.maximum[0].numeric_value == pytest.approx(values.max(), abs=1e-6)
    assert result.minimum[0].numeric_value == pytest.approx(values.min(), abs=1e-6)
    # every turn of f along the curve is a candidate, and nothing else is a max or min
    kinds = [c.kind for c in result.candidates if c.kind in ("local maximum", "local minimum")]
    assert len(kinds) == independent_turns(values) == result.sampling.turns


@pytest.mark.parametrize("k", range(len(PROBLEMS)))
def test_every_candidate_solves_the_lagrange_conditions(solved, k):
    expr, _, constraint, _ = PROBLEMS[k]
    result = solved[k]
    f = result.expr
    g = result.constraints[0]
    for c in result.candidates:
        at = dict(zip(result.variables, c.point, strict=True))
        (lam,) = c.multipliers
        assert abs(float(g.subs(at))) < 1e-9
        for v in result.variables:
            assert abs(float((sp.diff(f, v) - lam * sp.diff(g, v)).subs(at))) < 1e-8
        assert c.numerical and c.residual is not None and c.residual < 1e-9
    out = result.to_json()
    assert out["sampling"]["certain"] is True and out["starts"] == 60
    assert all("residual" in c for c in out["candidates"])


def test_numeric_agrees_with_the_exact_solution_where_there_is_one():
    exact, numeric = solve("x + y", "x^2 + y^2 = 2", numeric=False), solve("x + y", "x^2 + y^2 = 2")
    assert exact.method == "exact" and numeric.method == "numeric"
    assert numeric.maximum[0].numeric_value == pytest.approx(2, abs=1e-12)
    assert numeric.minimum[0].numeric_value == pytest.approx(-2, abs=1e-12)
    assert any("as asked (--numeric)" in n for n in numeric.notes)


def test_the_exact_solve_failing_falls_back_and_says_so():
    result = solve("x^2 y + e^x", "x^2 + y^2 = 4", numeric=False)
    assert result.method == "numeric" and result.complete
    assert any("could not be solved exactly" in n and "starting points found" in n
               for n in result.notes)


def test_without_a_closed_curve_missed_points_are_not_excluded():
    # a hyperbola is no star-shaped curve: Newton's starts only, and the result says so
    result = solve("x + e^y", "x^2 - y^2 = 1", goal="min")
    assert result.sampling is None and not result.complete
    assert any("cannot be excluded" in n for n in result.notes)
    three = run_kind("lagrange", {"expr": "x + y + e^z", "constraint": ["x^2 + y^2 + z^2 = 1"],
                                  "numeric": True})
    assert three.sampling is None and not three.complete


@pytest.mark.parametrize("g, star, centre", [
    (X**2 + Y**2 - 4, True, (0, 0)),
    (X**4 + Y**4 - 1, True, (0, 0)),
    (X**2 + X * Y + Y**2 - 3, True, (0, 0)),
    (X**2 + Y**4 - 1, True, (0, 0)),
    (sp.expand((X - 1) ** 2 + 2 * (Y + 3) ** 2 - 4), True, (1, -3)),
    (X**2 - Y**2 - 1, False, None),        # a hyperbola: unbounded
    (X**2 + 3 * X * Y + Y**2 - 1, False, None),   # indefinite: a hyperbola too
    (X**3 + Y**2 - 1, False, None),        # an odd part: rays may miss or meet it twice
    (X**2 + Y**2 + 1, False, None),        # empty
])
def test_star_shaped_curves_are_recognised_exactly(g, star, centre):
    found = star_curve(g, X, Y)
    assert (found is not None) == star
    if star:
        assert tuple(found.centre) == centre


def test_the_verdict_states_its_tolerance_and_holds_at_its_edges(solved):
    result = solved[0]
    v = result.maximum[0].numeric_value

    def verdict(text):
        return check_answer(result, text)

    right = verdict(f"{v:.3f}")
    assert right.correct is True and "to 3 decimal places (within 0.0005)" in right.feedback
    assert verdict(f"{v + 0.001:.3f}").correct is False
    assert verdict(f"{v - 0.001:.3f}").correct is False
    # five places: within half a unit of the fifth place (5e-06) is right, beyond it wrong
    five = round(v, 5)
    assert abs(five - v) <= 5e-6
    assert "(within 5e-06)" in verdict(f"{five:.5f}").feedback
    assert verdict(f"{five:.5f}").correct is True
    assert verdict(f"{five + 1e-5:.5f}").correct is False
    assert verdict(f"{five - 1e-5:.5f}").correct is False
    # too few places for about 3 significant digits: not called right
    assert verdict(f"{v:.1f}").correct is not True


def test_another_local_maximum_is_named_as_stopping_at_one_start(solved):
    result = solved[0]
    best = result.maximum[0].numeric_value
    other = next(c for c in result.candidates
                 if c.kind == "local maximum" and abs(c.numeric_value - best) > 1e-3)
    wrong = check_answer(result, f"{other.numeric_value:.4f}")
    assert wrong.correct is False and wrong.diagnosis == "one_start_only"
    from calctutor.topics.optimise.mistakes import REVEALS

    assert REVEALS["lagrange"]["one_start_only"](result) is True
    # an uncertain numerical solution cannot reveal it
    hyperbola = solve("x + e^y", "x^2 - y^2 = 1", goal="min")
    assert REVEALS["lagrange"]["one_start_only"](hyperbola) is False


def indep_lagrange_numeric(ex) -> float:
    """A numerical Lagrange exercise's answer checked by a dense sampling of f along the
    constraint (NumPy; the templates' curves are P(x, y) = c with P a positive form of
    degree k, so in polar coordinates r^k P(cos t, sin t) = c); returns the sampled value.
    Usable by the bank's own suite for every variant."""
    inp = ex.input
    f = sp.lambdify((X, Y), read(inp["expr"]), "numpy")
    lhs, rhs = inp["constraint"][0].split("=")
    g = read(lhs) - read(rhs)
    P, c = g - g.subs({X: 0, Y: 0}), -g.subs({X: 0, Y: 0})
    k = sp.Poly(P, X, Y).total_degree()
    t = np.linspace(0, 2 * np.pi, 200_000, endpoint=False)
    h = sp.lambdify((X, Y), P, "numpy")(np.cos(t), np.sin(t))
    rr = (float(c) / h) ** (1 / k)
    values = f(rr * np.cos(t), rr * np.sin(t))
    want = float(values.max() if inp["goal"] == "max" else values.min())
    assert abs(ex.answer - want) <= 0.5 * 10.0 ** -ex.decimals + 1e-6, (inp, ex.answer, want)
    return want


def test_the_5_8_templates_give_the_dense_sampling_answer():
    from calctutor.drills import generate

    exs = generate(5, count=4, seed=3, skill="5.8")
    assert {e.skill for e in exs} == {"5.8 Lagrange multipliers solved numerically"}
    for ex in exs:
        assert ex.input["numeric"] is True and "to 3 decimal places" in ex.prompt
        want = indep_lagrange_numeric(ex)
        assert ex.check(f"{want:.3f}").correct is True
        assert ex.check(f"{want:.2f}").correct is False   # the question asks for 3 places


def read(text):
    """The test's own reading of a template's text (SymPy's parser, implicit products)."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    return parse_expr(text, local_dict={"x": X, "y": Y, "e": sp.E},
                      transformations=(*standard_transformations, convert_xor,
                                       implicit_multiplication_application))


def cli(*args):
    res = CliRunner().invoke(app, list(args))
    return res.exit_code, res.stdout


def test_cli_numeric_answer_and_json():
    code, out = cli("lagrange", "x^2 y + e^x", "-c", "x^2 + y^2 = 4", "--numeric",
                    "--answer", "8.969", "-f", "plain")
    assert code == 0 and "to 3 decimal places (within 0.0005)" in " ".join(out.split())
    code, out = cli("lagrange", "x^2 y + e^x", "-c", "x^2 + y^2 = 4", "--numeric",
                    "--answer", "8.968", "-f", "plain")
    assert code == 1
    code, out = cli("lagrange", "x^2 y + e^x", "-c", "x^2 + y^2 = 4", "--numeric", "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["method"] == "numeric" and data["sampling"]["turns"] == 6
    assert all(c["residual"] < 1e-9 for c in data["candidates"])
    code, out = cli("lagrange", "x^2 y + e^x", "-c", "x^2 + y^2 = 4", "--numeric", "-f", "plain")
    flat = " ".join(out.split())
    assert "|grad L|" in out and "3600 points" in flat and "6 turns" in flat


def test_the_python_library_solves_numerically_too():
    import calctutor as ct

    solution = ct.lagrange("x^2 y + e^x", constraint="x^2 + y^2 = 4", numeric=True)
    assert solution.check("8.969").correct is True
    assert solution.check("8.968").correct is False


def test_f_constant_along_the_curve_is_said_so_not_called_an_empty_constraint():
    result = solve("x^2 + y^2", "x^2 + y^2 = 4")
    assert result.sampling is not None and result.sampling.turns == 0
    assert not result.complete and not result.candidates
    values = [c.numeric_value for c in result.candidates]
    text = result.sampling.sentence(max(values, default=None), min(values, default=None))
    assert "f is constant along it" in text
    assert not any("may be empty" in n for n in result.notes)


def test_a_whole_number_for_a_numerical_optimum_is_too_rough_not_wrong():
    # 9 is 8.9687 rounded to 0 places: said so, without counting it right or showing the value
    from calctutor.checking.answer import check_answer
    from calctutor.topics import run_kind

    result = run_kind("lagrange", {"expr": "x^2 y + e^x", "constraint": ["x^2 + y^2 = 4"],
                                   "numeric": True})
    verdict = check_answer(result, "9")
    assert verdict.correct is False and "too rough" in verdict.feedback
    assert "8.96" not in (verdict.guarded_feedback or verdict.feedback)
    far = check_answer(result, "10")
    assert far.correct is False and "too rough" not in far.feedback
