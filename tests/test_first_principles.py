"""diff --first-principles: every derivative checked against sympy.diff, every limit step
against sympy.limit, and the algebra each kind of function needs present in the working."""

from __future__ import annotations

import pytest
import sympy as sp

from calctutor.errors import ParseError, UsageError
from calctutor.topics.diff.run import run_diff

x = sp.Symbol("x", real=True)


def as_x(result, expr):
    return expr.subs(result.var, x)


X0 = sp.Rational(7, 10)


def limit_at(expr, result, x0=X0):
    """lim h→0 of a stage at x = x0, by evaluation at h = 10^-25 with 60 digits (sympy.limit
    returns oo·sign(…) for (2^(x+h) - 2^x)/h, the very defect this guards against)."""
    return sp.N(expr.subs({result.var: x0, result.h: sp.Rational(1, 10 ** 25)}), 60)


def close(a, b):
    return abs(sp.N(a - b, 60)) < 1e-20


SHOWN = [
    ("2x^3", 2 * x ** 3, "expand the numerator"),
    ("1/x", 1 / x, "common denominator"),
    ("sqrt x", sp.sqrt(x), "multiply by the conjugate"),
    ("1/sqrt(x)", 1 / sp.sqrt(x), "multiply by the conjugate"),
    ("e^x", sp.exp(x), "factor out e^x"),
    ("2^x", 2 ** x, "factor out 2^x"),
    ("3 e^(2x)", 3 * sp.exp(2 * x), "factor out e^(2x)"),
    ("5^(3x + 1)", 5 ** (3 * x + 1), "factor out"),
    ("sin x", sp.sin(x), "addition formula"),
    ("cos x", sp.cos(x), "addition formula"),
    ("cos(2x + 1)", sp.cos(2 * x + 1), "addition formula"),
    ("4 sin(3x)", 4 * sp.sin(3 * x), "addition formula"),
    ("ln x", sp.log(x), "combine the logarithms"),
    ("ln(2x + 3)", sp.log(2 * x + 3), "combine the logarithms"),
    ("x^2 + sin x", x ** 2 + sp.sin(x), "split the sum"),
    ("sqrt(x) + ln(3x) - e^x", sp.sqrt(x) + sp.log(3 * x) - sp.exp(x), "split the sum"),
]


@pytest.mark.parametrize("text, f, step", SHOWN)
def test_derivative_equals_sympy_diff_with_the_algebra_shown(text, f, step):
    r = run_diff(text, first_principles=True)
    assert sp.simplify(as_x(r, r.result) - sp.diff(f, x)) == 0
    labels = [s.label for s in r.stages]
    assert any(step in label for label in labels), labels
    for s in r.stages:
        assert not s.expr.has(sp.nan, sp.zoo, sp.oo, sp.Limit)
    # the first stage is the difference quotient, and its limit is the derivative
    assert close(limit_at(r.stages[0].expr, r), sp.diff(f, x).subs(x, X0))


@pytest.mark.parametrize("text, f, standard", [
    ("e^x", sp.exp(x), "(e^h - 1)/h → 1"),
    ("2^x", 2 ** x, "(e^t - 1)/t → 1"),
    ("sin x", sp.sin(x), "sin t/t → 1 and (cos t - 1)/t → 0"),
    ("ln x", sp.log(x), "ln(1 + t)/t → 1"),
])
def test_the_standard_limit_is_named(text, f, standard):
    r = run_diff(text, first_principles=True)
    assert any(standard in s.why for s in r.stages)


def test_each_limit_stage_is_the_limit_of_the_working_before_it():
    # a "limit as h → 0" stage is the limit of the last stage that still has h in it
    for text in ("e^x", "2^x", "sin x", "cos(2x + 1)", "ln(2x + 3)", "sqrt x", "1/x",
                 "x^2 + sin x"):
        r = run_diff(text, first_principles=True)
        seen = 0
        for i, stage in enumerate(r.stages):
            if "limit as" in stage.label:
                before = next(s for s in reversed(r.stages[:i]) if s.expr.has(r.h))
                assert close(limit_at(before.expr, r), limit_at(stage.expr, r)), (text, stage)
                seen += 1
        assert seen


@pytest.mark.parametrize("text, words", [
    ("|x|", "sign(x) only where x ≠ 0"),
    ("x^2 |x|", "corner"),
    ("x^x", "logarithmic differentiation"),
    ("x^(sin x)", "logarithmic differentiation"),
    ("tan x", "not a polynomial"),
    ("sin(x^2)", "not a polynomial"),
    ("x + |x - 1|", "corner"),
])
def test_outside_first_principles_is_refused_clearly(text, words):
    with pytest.raises(UsageError) as info:
        run_diff(text, first_principles=True)
    message = str(info.value)
    assert words in message and "without --first-principles" in message
    assert "\n" not in message


def test_value_at_a_point_is_finite_and_right():
    r = run_diff("2^x", first_principles=True, at="1")
    assert r.value == sp.diff(2 ** x, x).subs(x, 1)
    assert "nan" not in str(r.to_json())


def test_constant_has_derivative_zero():
    r = run_diff("7", first_principles=True)
    assert r.result == 0


def test_bad_input_is_a_calctutor_error():
    with pytest.raises(ParseError, match=r"ends too early: something is missing after '\(' at column 4") as err:
        run_diff("sin(", first_principles=True)
    assert type(err.value) is ParseError
