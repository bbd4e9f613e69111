"""taylor: every polynomial against sympy.series (an independent computation)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import LimitError, ParseError, UsageError
from calctutor.topics.series.run import run_taylor

x, y = sp.symbols("x y", real=True)
EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]


def read(text):
    """A JSON expression read back as the contract says (sympify), with our real symbols."""
    return sp.sympify(text, locals={"x": x, "y": y})


def series_poly(f, a, n):
    """sympy.series about a up to and including degree n, without the O-term."""
    return sp.series(f, x, a, n + 1).removeO()


@pytest.mark.parametrize("text, f, a, n", [
    ("exp(2x)", sp.exp(2 * x), 0, 3),
    ("cos x", sp.cos(x), 0, 6),
    ("ln x", sp.log(x), 1, 3),
    ("sqrt x", sp.sqrt(x), 4, 2),
    ("1/(1+x^2)", 1 / (1 + x ** 2), 1, 5),
    ("exp(sin x)", sp.exp(sp.sin(x)), 0, 6),
    ("x^3 - 2x", x ** 3 - 2 * x, 2, 4),
])
def test_one_variable_matches_series(text, f, a, n):
    r = run_taylor(text, at=str(a), order=n)
    assert sp.expand(r.polynomial - series_poly(f, a, n)) == 0
    j = r.to_json()
    assert j["order"] == n and j["variables"] == ["x"] and j["at"] == {"x": str(a)}
    assert sp.expand(read(j["result"]) - series_poly(f, a, n)) == 0
    assert [t["degree"] for t in j["terms"]] == list(range(n + 1))
    total = sum((read(t["term"]) for t in j["terms"]), sp.Integer(0))
    assert sp.expand(total - read(j["result"])) == 0
    assert "O(" not in j["result"]
    # each term has exactly its degree in (x - a)
    t = sp.Symbol("t")
    for term in j["terms"]:
        e = sp.expand(read(term["term"]).subs(x, t + a))
        assert e == 0 or sp.Poly(e, t).monoms() == [(term["degree"],)]


def test_course_examples():
    for ex in EXAMPLES:
        inp = ex["input"]
        if ex["kind"] == "taylor" and "order" in inp:
            r = run_taylor(inp["expr"], var=inp["var"], at=inp["x0"], order=inp["order"])
        elif ex["kind"] == "taylor" and "nterms" in inp:
            r = run_taylor(inp["expr"], var=inp["var"], at=inp["x0"], nonzero=inp["nterms"])
        elif ex["kind"] == "taylor2d":
            r = run_taylor(inp["expr"], vars=inp["vars"], at=inp["point"], order=inp["order"])
        else:
            continue  # general term / difference tasks: not a polynomial answer (see report)
        assert sp.expand(r.polynomial - sp.sympify(ex["answer"], locals={"x": x, "y": y})) == 0, ex["id"]
        assert check_answer(r, ex["answer"]).correct is True


def test_two_variables_matches_direct_expansion():
    f = sp.exp(x) * sp.sin(y) + x ** 2 * y
    r = run_taylor("e^x sin(y) + x^2 y", at="x=1,y=0", order=3)
    t = sp.Symbol("t")
    # independent: expand f(a + t h) in t to order 3, then set t = 1
    g = f.subs({x: 1 + t * (x - 1), y: t * y}, simultaneous=True)
    expected = sp.series(g, t, 0, 4).removeO().subs(t, 1)
    assert sp.expand(r.polynomial - expected) == 0
    assert r.gradient == (sp.Integer(0), sp.E + 1)
    hess = sp.hessian(f, (x, y)).subs({x: 1, y: 0})
    assert sp.Matrix(r.hessian) == hess
    j = r.to_json()
    assert max(t["degree"] for t in j["terms"]) == 3


def test_nonzero_terms_and_next_term():
    r = run_taylor("sin(x^2)", nonzero=3)
    assert sp.expand(r.polynomial - (x ** 2 - x ** 6 / 6 + x ** 10 / 120)) == 0
    assert r.order == 10
    assert r.next_term[0] == 14
    r = run_taylor("cos x", order=2)
    assert r.next_term == (4, x ** 4 / 24)


def test_quality_table_is_true():
    r = run_taylor("exp(x)", order=2)
    for xv, fx, px, err in r.samples:
        assert fx == pytest.approx(float(sp.exp(xv)))
        assert px == pytest.approx(1 + xv + xv ** 2 / 2)
        assert err == pytest.approx(fx - px)
    h, m, bound = r.remainder
    assert m == pytest.approx(float(sp.exp(0.5)))  # max of e^x on [-0.5, 0.5]
    assert all(abs(err) <= bound for xv, _, _, err in r.samples)


def test_polynomial_is_exact_and_noted():
    r = run_taylor("x^2 + 1", order=5)
    assert r.polynomial == x ** 2 + 1
    assert r.notes


@pytest.mark.parametrize("answer, code", [
    ("(x-1) - (x-1)^2 + 2(x-1)^3", "missing_factorial"),
    ("x - x^2/2 + x^3/3", "powers_of_x_not_shifted"),
    ("(x-1) - (x-1)^2/2", "wrong_order"),
    ("(x-1) - (x-1)^2/2 + (x-1)^3/3 - (x-1)^4/4", "wrong_order"),
])
def test_taylor_mistakes(answer, code):
    r = run_taylor("ln x", at="1", order=3)
    v = check_answer(r, answer)
    assert v.correct is False and v.diagnosis == code


def test_wrong_centre_and_missing_half():
    r = run_taylor("e^x", at="1", order=2)
    assert check_answer(r, "1 + x + x^2/2").diagnosis == "wrong_centre"
    r = run_taylor("e^(x+y)", vars="x,y", order=2)
    v = check_answer(r, "1 + x + y + x^2 + 2 x y + y^2")
    assert v.diagnosis == "missing_half"
    assert check_answer(r, "1 + x + y + (x+y)^2/2").correct is True


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(expr="ln x"), UsageError, "no Taylor expansion about x = 0: .*ln"),
    (dict(expr="sqrt x"), UsageError, "no Taylor expansion about x = 0: .*sqrt"),
    (dict(expr="x", order=-1), UsageError, "--order must be a whole number 0 or more"),
    (dict(expr="x", order=99), LimitError, "--order 99 is too high"),
    (dict(expr="x y", var="x"), UsageError, "a variable not listed in --var/--vars: y"),
    (dict(expr="x", at="y=1"), ParseError, "'y' at column 1 is not a variable"),
    (dict(expr="sin(x^2)", nonzero=0), UsageError, "--nonzero must be between 1 and 10"),
    (dict(expr="1/x"), UsageError, "no finite limit there"),
])
def test_bad_input(kwargs, error, message):
    # the exact class: an InternalError (a crash) is a CalcTutorError too and must not pass
    with pytest.raises(error, match=message) as err:
        run_taylor(**kwargs)
    assert type(err.value) is error


def test_general_term():
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r = run_taylor("1/(1 - 2x)", general_term=True)
    index, term, start = r.general
    assert start == 0
    assert sp.simplify(term.subs(index, n) - 2 ** n * x ** n) == 0
    assert check_answer(r, "2^n x^n").correct is True
    assert check_answer(r, "2n x^n").correct is False
    r = run_taylor("ln x", at="1", general_term=True)
    index, term, start = r.general
    # independent: the coefficients of sympy.series match the formula for n = 1..7
    ref = sp.series(sp.log(x), x, 1, 8).removeO()
    t = sp.Symbol("t")
    poly = sp.Poly(sp.expand(ref.subs(x, t + 1)), t)
    for k in range(start, 8):
        assert sp.simplify(term.subs(index, k).subs(x, t + 1) / t ** k - poly.coeff_monomial(t ** k)) == 0
    assert run_taylor("exp(sin x)", general_term=True).to_json()["general_term"] is None


def test_nonzero_answers():
    r = run_taylor("sin(x^2)", nonzero=3)
    assert check_answer(r, "x^2 - x^6/6 + x^10/120").correct is True
    assert check_answer(r, "x^2 - x^6/6").diagnosis == "wrong_order"


def test_eval_orders():
    # course example S4.8-1: T3(1) - T2(1) for e^x about 0 is 1/6
    r = run_taylor("e^x", order=3, eval_at="1")
    values = dict(r.evaluations)
    assert values[3] - values[2] == sp.Rational(1, 6)
    assert values[3] == sum(sp.Rational(1, sp.factorial(k)) for k in range(4))
    # S4.7-1: the linearisation of sqrt at 9 estimates sqrt(9.3) as 3.05
    r = run_taylor("sqrt x", at="9", order=1, eval_at="9.3")
    assert dict(r.evaluations)[1] == sp.Rational(61, 20)
    assert r.to_json()["evaluations"][1] == {"order": 1, "value": "61/20"}


@pytest.mark.parametrize("text, at, words", [
    ("abs(x)", None, "|x| is not differentiable at x = 0"),
    ("sign(x)", None, "sign(x) is not continuous at x = 0"),
    ("abs(x) + y", "x=0,y=2", "|x| is not differentiable at x = 0, y = 2"),
    ("sqrt(x)", None, "no Taylor expansion"), ("1/x", None, "no Taylor expansion"),
    ("log(x)", None, "no Taylor expansion"),
])
def test_not_smooth_at_the_point_is_a_clear_error(text, at, words):
    with pytest.raises(UsageError, match="no Taylor expansion") as info:
        run_taylor(text, at=at, order=3)
    assert words in str(info.value)


@pytest.mark.parametrize("text, at, smooth", [
    ("abs(x)", "1", "x"), ("abs(x)", "-2", "-x"), ("abs(x - 1) * sin(x)", "0", "(1 - x) sin(x)"),
    ("sign(x) x^2 + abs(x)^3", "-1", "-x^2 - x^3"),
])
def test_abs_and_sign_away_from_their_kink(text, at, smooth):
    r = run_taylor(text, at=at, order=4)
    x = sp.Symbol("x", real=True)
    g = sp.sympify(smooth.replace(" sin", "*sin"), locals={"x": x})
    expected = sp.series(g, x, sp.Integer(at), 5).removeO()
    assert sp.expand(r.polynomial - expected) == 0
    assert r.expr.has(sp.Abs) and any("smooth there" in n for n in r.notes)
    assert all(math.isfinite(s[1]) for s in r.samples)


def test_abs_in_two_variables_away_from_the_kink():
    r = run_taylor("abs(x) + x y", vars="x,y", at="x=-1,y=0", order=2)
    x, y = sp.symbols("x y", real=True)
    assert sp.expand(r.polynomial - (-x + x * y)) == 0


@pytest.mark.parametrize("text, at, order", [("cos x", None, 6), ("sqrt x", "4", 2),
                                              ("exp(x + y)", "x=1,y=0", 2)])
def test_mistake_feedback_is_ascii(text, at, order):
    from calctutor.topics.series.mistakes import taylor_mistakes

    mistakes = taylor_mistakes(run_taylor(text, at=at, order=order))
    assert mistakes and all(m.feedback.isascii() for m in mistakes), \
        [m.feedback for m in mistakes if not m.feedback.isascii()]
    assert any("f^(k)(a)/k! * (x - a)^k" in m.feedback for m in mistakes)


def test_eval_prints_e_not_sympys_E():
    from calctutor.render.plain import render_plain
    from calctutor.render.views import view

    out = render_plain(view(run_taylor("exp x", eval_at="1", order=3)))
    assert "f(1) = e ~ 2.718" in out and " E " not in out and "E ~" not in out


def test_derivatives_taken_at_zero_instead_of_the_centre():
    # e^x about 1 with the Maclaurin coefficients 1, 1, 1/2 on the shifted powers
    r = check_answer(run_taylor("e^x", at="x=1", order=2), "1 + (x-1) + (x-1)^2/2")
    assert not r.correct and r.diagnosis == "derivatives_not_at_centre"
    assert r.feedback.isascii() and "x = 1" in r.feedback


def test_halved_mixed_term():
    # exp(x y) = 1 + x y + ...: the x y coefficient is f_xy(0)/(1!1!) = 1, not 1/2
    x, y = sp.symbols("x y", real=True)
    assert sp.series(sp.exp(x * y), x, 0, 2).removeO().coeff(x).subs(y, 1) == 1
    r = check_answer(run_taylor("exp(x y)", vars="x,y", order=2), "1 + x y/2")
    assert not r.correct and r.diagnosis == "mixed_term_factor"
    r = check_answer(run_taylor("exp(x y)", vars="x,y", order=2), "1 + x y")
    assert r.correct
