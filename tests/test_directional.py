"""The directional derivative (gradient --along) and the steepest ascent (--steepest).

Every value is checked against an independent computation: SymPy's own diff with the unit
vector built here, or NumPy's central difference of f along the unit vector (which never
looks at a gradient at all)."""

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calctutor.checking.answer import check_answer
from calctutor.cli import app
from calctutor.errors import CalcTutorError, UsageError
from calctutor.render import render
from calctutor.topics import run_kind

x, y, z = sp.symbols("x y z", real=True)


def directional(expr, along, at=None, **extra):
    options = {"expr": expr, "along": along, **extra}
    if at is not None:
        options["at"] = at
    return run_kind("gradient", options)


def sympy_rate(f, variables, v, point=None):
    """∇f · v/|v| by SymPy alone, at ``point`` (a dict) if given."""
    v = [sp.nsimplify(c) for c in v]
    length = sp.sqrt(sum(c ** 2 for c in v))
    rate = sum(sp.diff(f, s) * c for s, c in zip(variables, v, strict=True)) / length
    return rate.subs(point) if point else rate


def numpy_rate(fn, point, v, h=1e-5):
    """The slope of f along the unit vector of v, by a central difference."""
    p, u = np.array(point, float), np.array(v, float)
    u = u / np.linalg.norm(u)
    return (fn(*(p + h * u)) - fn(*(p - h * u))) / (2 * h)


def same(a, b):
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0


CASES = [
    # (function, SymPy function, variables, direction, point)
    ("x^2 + x y", x**2 + x * y, (x, y), (1, 2), {x: 1, y: 2}),
    ("x^2 + x y", x**2 + x * y, (x, y), (3, -4), {x: -1, y: 0}),
    ("e^(x y) + sin(y)", sp.exp(x * y) + sp.sin(y), (x, y), (-1, 1), {x: 0, y: 1}),
    ("x y z + z^2", x * y * z + z**2, (x, y, z), (2, -1, 2), {x: 1, y: 2, z: 3}),
    ("ln(x^2 + y^2)", sp.log(x**2 + y**2), (x, y), (1, 1), {x: 3, y: 4}),
    ("x^2 - y^2", x**2 - y**2, (x, y), (0, 5), {x: 2, y: -1}),
]


@pytest.mark.parametrize("text,f,variables,v,point", CASES)
def test_value_at_a_point_is_grad_f_dot_the_unit_vector(text, f, variables, v, point):
    at = ",".join(f"{s}={point[s]}" for s in variables)
    result = directional(text, ",".join(map(str, v)), at)
    assert same(result.value, sympy_rate(f, variables, v, point))
    fn = sp.lambdify(variables, f, "numpy")
    assert float(result.value) == pytest.approx(
        numpy_rate(fn, [point[s] for s in variables], v), rel=1e-6, abs=1e-8)
    # the unit vector has length 1 and points along v
    unit = np.array([float(c) for c in result.unit])
    assert np.linalg.norm(unit) == pytest.approx(1.0)
    assert np.allclose(unit * np.linalg.norm(np.array(v, float)), np.array(v, float))


@pytest.mark.parametrize("text,f,variables,v,point", CASES[:3])
def test_without_a_point_it_is_the_directional_derivative_as_a_function(text, f, variables, v,
                                                                        point):
    result = directional(text, ",".join(map(str, v)))
    assert result.value is None and result.steepest is None and result.max_rate is None
    assert same(result.derivative, sympy_rate(f, variables, v))
    data = result.to_json()
    assert same(sp.sympify(data["directional_derivative"], locals={"x": x, "y": y}),
                sympy_rate(f, variables, v))


@settings(max_examples=12, deadline=None)
@given(a=st.integers(-3, 3), b=st.integers(-3, 3), p=st.integers(-2, 2), q=st.integers(-2, 2),
       v1=st.integers(-4, 4), v2=st.integers(-4, 4))
def test_property_against_a_central_difference(a, b, p, q, v1, v2):
    if v1 == v2 == 0:
        return
    result = directional(f"{a} x^2 y + {b} x y^3 + x", f"{v1},{v2}", f"x={p},y={q}", vars="x,y")
    fn = lambda X, Y: a * X**2 * Y + b * X * Y**3 + X  # noqa: E731
    assert float(result.value) == pytest.approx(numpy_rate(fn, [p, q], [v1, v2]), abs=1e-6)


def test_the_view_says_the_direction_is_normalised_and_by_what():
    text = " ".join(render(directional("x^2 + x y", "1,2", "x=1,y=2"), "plain").split())
    assert "not a unit vector" in text and "|v| = sqrt(1^2 + 2^2) = sqrt(5)" in text
    assert "u = v/|v| = (1, 2)/sqrt(5)" in text
    unit = render(directional("x^2 + x y", "3/5, 4/5", "x=1,y=2"), "plain")
    assert "already a unit vector" in unit


def test_the_brackets_and_a_list_are_the_same_direction():
    a = directional("x^2 + x y", "(1, 2)", "x=1,y=2")
    b = directional("x^2 + x y", [1, 2], "x=1,y=2")
    c = directional("x^2 + x y", "1,2", "x=1,y=2")
    d = directional("x^2 + x y", "y=2, x=1", "x=1,y=2")
    assert a.value == b.value == c.value == d.value


def test_steepest_ascent_is_the_normalised_gradient_and_its_length():
    result = run_kind("gradient", {"expr": "x^2 y", "at": "x=1,y=2", "steepest": True})
    grad = np.array([4.0, 1.0])  # (2xy, x^2) at (1, 2), by hand
    assert np.allclose([float(c) for c in result.steepest], grad / np.linalg.norm(grad))
    assert float(result.max_rate) == pytest.approx(np.linalg.norm(grad))
    # no other unit direction climbs faster (sampled around the circle)
    fn = lambda X, Y: X**2 * Y  # noqa: E731
    best = max(numpy_rate(fn, [1, 2], [np.cos(t), np.sin(t)]) for t in np.linspace(0, 6.28, 73))
    assert best <= float(result.max_rate) + 1e-6


def test_a_stationary_point_has_no_steepest_direction():
    result = directional("x^2 + y^2", "3,4", "x=0,y=0")
    assert result.value == 0 and result.stationary
    assert result.steepest is None and result.max_rate == 0
    text = render(result, "plain")
    assert "NO direction of steepest ascent" in text
    data = json.loads(render(result, "json"))
    assert data["steepest_direction"] is None and data["max_rate"] == "0"
    steep = run_kind("gradient", {"expr": "x^2 + y^2", "at": "x=0,y=0", "steepest": True})
    with pytest.raises(UsageError, match="no direction of steepest ascent"):
        check_answer(steep, "0, 0, 0")


@pytest.mark.parametrize("along,message", [
    ("0,0", "is the zero vector"),
    ("0, 0.0", "is the zero vector"),
    ("1,2,3", "--along has 3 components, but f has 2 variables (x, y)"),
    ("1", "--along has 1 component, but f has 2 variables (x, y)"),
    ("a,1", "component 1 is a, which contains a"),
    ("sqrt(-1),1", "not a real number"),
    ("1,,2", "--along: entry 2 of the list is empty"),
])
def test_bad_directions_are_one_line_errors(along, message):
    with pytest.raises(CalcTutorError) as err:
        directional("x^2 + x y", along, "x=1,y=2")
    assert message in err.value.one_line()
    assert "\n" not in err.value.one_line()


def test_steepest_needs_a_point():
    with pytest.raises(UsageError, match="--steepest needs a point"):
        run_kind("gradient", {"expr": "x^2 y", "steepest": True})


# -- --answer and the named mistakes -----------------------------------------------------
AT = ("x^2 + x y", "1,2", "x=1,y=2")  # ∇f = (4, 1), |v| = sqrt(5): the rate is 6/sqrt(5)


@pytest.mark.parametrize("answer,correct,diagnosis", [
    ("6/sqrt(5)", True, None),
    ("6 sqrt(5)/5", True, None),
    ("2.6833", True, None),
    ("6", False, "direction_not_normalised"),  # ∇f · v
    ("6/5", False, "direction_norm_squared"),  # ∇f · v/|v|²
    ("-6/sqrt(5)", False, "sign_slip"),
    ("4, 1", False, "gradient_given"),
    ("sqrt(17)", False, "max_rate_given"),
    ("7", False, None),
])
def test_answers_at_a_point(answer, correct, diagnosis):
    verdict = check_answer(directional(*AT), answer)
    assert verdict.correct is correct
    assert verdict.diagnosis == diagnosis


def test_the_value_asked_is_independent_of_the_product():
    # the mistakes are derived from this problem: ∇f · v is exactly 6 here (4·1 + 1·2)
    verdict = check_answer(directional(*AT), str(4 * 1 + 1 * 2))
    assert verdict.diagnosis == "direction_not_normalised"


def test_a_symbolic_answer_at_a_point_is_right_but_not_finished():
    verdict = check_answer(directional(*AT), "(4x + y)/sqrt(5)")
    assert verdict.unfinished and verdict.correct is None


@pytest.mark.parametrize("answer,correct,diagnosis", [
    ("(4x + y)/sqrt(5)", True, None),
    ("sqrt(5)(4x + y)/5", True, None),
    ("4x + y", False, "direction_not_normalised"),
    ("-(4x + y)/sqrt(5)", False, "sign_slip"),
    ("2x + y, x", False, "gradient_given"),
])
def test_answers_as_a_function(answer, correct, diagnosis):
    verdict = check_answer(directional("x^2 + x y", "1,2"), answer)
    assert verdict.correct is correct and verdict.diagnosis == diagnosis


@pytest.mark.parametrize("answer,verdict_,diagnosis", [
    ("4/sqrt(17), 1/sqrt(17), sqrt(17)", "correct", None),
    ("0.970, 0.243, 4.123", "correct", None),
    ("4, 1, sqrt(17)", "wrong", "direction_not_normalised"),
    ("4/sqrt(17), 1/sqrt(17), 17", "wrong", "rate_squared"),
    ("-4/sqrt(17), -1/sqrt(17), sqrt(17)", "wrong", "steepest_descent"),
    ("4/sqrt(17), 1/sqrt(17)", "unfinished", "unfinished"),
])
def test_steepest_answers(answer, verdict_, diagnosis):
    result = run_kind("gradient", {"expr": "x^2 y", "at": "x=1,y=2", "steepest": True})
    verdict = check_answer(result, answer)
    assert verdict.verdict == verdict_ and verdict.diagnosis == diagnosis


def test_json_keeps_the_gradient_fields_and_adds_the_direction():
    plain = json.loads(render(run_kind("gradient", {"expr": "x^2 + x y", "at": "x=1,y=2"}),
                              "json"))
    data = json.loads(render(directional(*AT), "json"))
    assert {k: data[k] for k in plain} == plain
    assert data["direction"] == ["1", "2"]
    assert same(data["unit_direction"][0], 1 / sp.sqrt(5))
    assert same(data["directional_derivative"], 6 / sp.sqrt(5))
    assert same(data["max_rate"], sp.sqrt(17))
    assert [sp.sympify(c) for c in data["steepest_direction"]] == [4 / sp.sqrt(17),
                                                                   1 / sp.sqrt(17)]


# -- the command line ----------------------------------------------------------------------
def cli(*args):
    return CliRunner().invoke(app, list(args))


def test_cli_right_wrong_and_bad_input():
    right = cli("gradient", "x^2 + x y", "--at", "x=1,y=2", "--along", "1,2", "--answer",
                "6/sqrt(5)", "-f", "plain")
    assert right.exit_code == 0 and "Correct" in right.stdout
    wrong = cli("gradient", "x^2 + x y", "--at", "x=1,y=2", "--along", "1,2", "--answer", "6",
                "-f", "plain")
    assert wrong.exit_code == 1 and "UNIT vector" in wrong.stdout
    for along, message in (("0,0", "Error: --along (0, 0) is the zero vector"),
                           ("1,2,3", "Error: --along has 3 components, but f has 2 variables")):
        bad = cli("gradient", "x^2 + x y", "--at", "x=1,y=2", "--along", along, "-f", "plain")
        assert bad.exit_code == 2
        lines = bad.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(message), bad.stderr
    stationary = cli("gradient", "x^2 + y^2", "--at", "0,0", "--steepest", "--answer", "0,0,0")
    assert stationary.exit_code == 2 and "no direction of steepest ascent" in stationary.stderr


def test_cli_json_of_along():
    out = cli("gradient", "x^2 + x y", "--at", "x=1,y=2", "--along", "(1, 2)", "-f", "json")
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["value"] == ["4", "1"] and same(data["directional_derivative"], 6 / sp.sqrt(5))


# -- the bank's 5.3 exercises --------------------------------------------------------------
def test_bank_exercises_are_valid_and_match_an_independent_computation():
    from calctutor.drills import generate, templates
    from calctutor.drills.validate import answer_of, problems
    from tests.bank_checks_along import independent_directional

    mine = {t.key: t for t in templates(5) if t.skill.startswith("5.3")}
    assert len(mine) >= 2
    seen = set()
    for ex in generate(5, count=9, seed=11, skill="5.3"):
        seen.add(ex.template)
        assert problems(ex, mine[ex.template]) == [], ex.input
        independent_directional(ex)
        assert ex.check(", ".join(ex.answer) if isinstance(ex.answer, list)
                        else ex.answer).correct
        assert answer_of(run_kind(ex.kind, ex.input), mine[ex.template], ex) == ex.answer
    assert seen == set(mine)


def test_a_stationary_point_in_decimals_is_still_stationary():
    # --numeric gives Float zeros, which SymPy does not count equal to the integer 0
    result = directional("x^2 + y^2", "1,2", "x=0,y=0", numeric=True)
    assert result.stationary and result.steepest is None and float(result.max_rate) == 0
    unit = directional("x^2 + y^2", "0.6, 0.8", "x=1,y=1", numeric=True)
    assert "already a unit vector" in render(unit, "plain")
    assert float(unit.value) == pytest.approx(2 * 0.6 + 2 * 0.8)
