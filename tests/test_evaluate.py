"""The one evaluate-at-a-point: diff, gradient/Jacobian/Hessian and taylor all evaluate through
``steps.evaluate.evaluate_at``, so they agree on values, real roots, removable gaps and
refusals; each value is checked against an independent SymPy/mpmath computation."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from calctutor.errors import UsageError
from calctutor.steps.evaluate import evaluate_at
from calctutor.topics import run_kind
from calctutor.topics.matrices.compute import value_at as matrix_value
from calctutor.topics.series.taylor import UndefinedThere
from calctutor.topics.series.taylor import value_at as taylor_value

X, Y = sp.symbols("x y", real=True)


def _real_cbrt_derivative(a):
    """d/dx of the real cube root at a, by a numerical difference quotient (mpmath)."""
    return mpmath.diff(lambda t: mpmath.sign(t) * abs(t) ** (mpmath.mpf(1) / 3), a)


def test_an_odd_root_at_a_negative_point_is_real_in_every_command():
    point = {"x": "-8"}
    want = _real_cbrt_derivative(-8)
    diff = run_kind("diff", {"expr": "x^(1/3)", "at": point}).value
    grad = run_kind("gradient", {"expr": "x^(1/3) y", "vars": "x,y",
                                 "at": {"x": "-8", "y": "1"}}).value[0]
    rows = run_kind("taylor", {"expr": "x^(1/3)", "at": point, "order": 1}).rows
    assert rows[0].value == -2  # the real cube root of -8
    for value in (diff, grad, rows[1].value):
        assert abs(float(value) - float(want)) < 1e-9, value


def test_a_removable_gap_of_the_formula_has_the_same_value_in_diff_and_gradient():
    # (x^3)^(1/3) is x: its derivative is 1 at 0, though the formula x^2/(x^3)^(2/3) is 0/0
    expr = (X**3) ** sp.Rational(1, 3)
    formula = sp.diff(expr, X)
    assert formula.subs(X, 0) is sp.nan
    want = sp.limit(sp.diff(sp.real_root(X**3, 3), X), X, 0)
    diff = run_kind("diff", {"expr": "(x^3)^(1/3)", "at": {"x": "0"}}).value
    grad = run_kind("gradient", {"expr": "(x^3)^(1/3)", "at": {"x": "0"}}).value
    assert diff == grad[0] == want == 1


@pytest.mark.parametrize("expr, point, what", [
    ("ln(x) + y", {"x": "-1", "y": "1"}, "df/dx"),
    ("x^2/x + y", {"x": "0", "y": "1"}, "df/dx"),
])
def test_gradient_refuses_where_the_function_is_undefined(expr, point, what):
    from calctutor.domain import conditions_of, violated

    typed = sp.sympify(expr.replace("^", "**").replace("ln", "log"),
                       locals={"x": X, "y": Y}, evaluate=False)
    at = {X: sp.Rational(point["x"]), Y: sp.Rational(point["y"])}
    assert violated(conditions_of(typed), at) is not None  # independently: undefined there
    with pytest.raises(UsageError, match=f"the function is undefined at x = .*, so {what} is too"):
        run_kind("gradient", {"expr": expr, "vars": "x,y", "at": point})


def test_decimals_are_chosen_by_the_caller():
    f = sp.Float("0.5") * X**2
    exact = evaluate_at(f, {X: sp.Integer(1)})
    assert exact == sp.Rational(1, 2) and not exact.atoms(sp.Float)  # the reference: exact
    for decimals in ("always", "value"):
        v = evaluate_at(f, {X: sp.Integer(1)}, decimals=decimals)
        assert isinstance(v, sp.Float) and v == sp.Float("0.5")
    assert evaluate_at(X**2 / 3, {X: sp.Integer(1)}, decimals="value") == sp.Rational(1, 3)
    third = evaluate_at(X**2 / 3, {X: sp.Integer(1)}, decimals="always")
    assert isinstance(third, sp.Float) and abs(third - sp.Rational(1, 3)) < 1e-14
    assert isinstance(evaluate_at(X**2, {X: sp.Float("0.5")}), sp.Float)  # a decimal point
    # the Hessian's --numeric and the Taylor table follow these
    assert matrix_value(X**2 / 3, {X: sp.Integer(1)}, numeric=True) == third
    assert taylor_value(sp.exp(X / 2), {X: sp.Integer(0)}, "f(x)") == 1
    with pytest.raises(ValueError):
        evaluate_at(X, {X: sp.Integer(1)}, decimals="sometimes")


def test_messages_name_what_is_evaluated():
    with pytest.raises(UsageError, match=r"^the entry \(1, 2\) is undefined at x = 0: .*x"):
        matrix_value(1 / X, {X: sp.Integer(0)}, what="the entry (1, 2)")
    # taylor keeps its own words, and its error type tells it to try limits instead
    with pytest.raises(UndefinedThere, match=r"^there is no Taylor expansion about x = 0: "
                                             r"f\(x\) is undefined there$"):
        taylor_value(sp.sin(X) / X, {X: sp.Integer(0)}, "f(x)")
    assert sp.limit(sp.sin(X) / X, X, 0) == 1  # which limits then find
