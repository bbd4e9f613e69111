"""taylor at its edges: removable singularities, one-sided centres, non-analytic points, and
general terms with where they converge. Every series is compared with sympy.series (and,
for the continuous extensions, with sympy.limit), never with numbers written here."""

from __future__ import annotations

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import UsageError
from calctutor.topics.series.run import run_taylor

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, nonnegative=True)


def reference(f, a, order):
    """sympy.series of f about a through degree ``order``, as a polynomial in x."""
    return sp.expand(sp.series(f, x, a, order + 1).removeO())


def product(result):
    return sp.expand(result.polynomial.subs(result.variables[0], x))


REMOVABLE = [
    ("sin(x)/x", sp.sin(x) / x, 0),
    ("(e^x - 1)/x", (sp.exp(x) - 1) / x, 0),
    ("x/(e^x - 1)", x / (sp.exp(x) - 1), 0),
    ("sinh(x)/x", sp.sinh(x) / x, 0),
    ("(1 - cos x)/x^2", (1 - sp.cos(x)) / x ** 2, 0),
    ("tan(x)/x", sp.tan(x) / x, 0),
    ("ln(1 + x)/x", sp.log(1 + x) / x, 0),
    ("(1 - cos x)/x", (1 - sp.cos(x)) / x, 0),
    ("x/sin x", x / sp.sin(x), 0),
    ("sin(x - 1)/(x - 1)", sp.sin(x - 1) / (x - 1), 1),
    ("(x^2 - 4)/(x - 2)", (x ** 2 - 4) / (x - 2), 2),
    ("(e^(2x) - 1 - 2x)/x^2", (sp.exp(2 * x) - 1 - 2 * x) / x ** 2, 0),
]


@pytest.mark.parametrize("text, f, a", REMOVABLE)
def test_removable_singularity_expands_the_continuous_extension(text, f, a):
    r = run_taylor(text, at=str(a), order=5)
    assert sp.expand(product(r) - reference(f, a, 5)) == 0
    # f(a) in the table is the limit of f at a (computed independently by sympy.limit)
    assert r.rows[0].value == sp.limit(f, x, a)
    assert r.rows[1].value == sp.limit(sp.diff(f, x), x, a)
    assert any("undefined at" in note and "continuous extension" in note for note in r.notes)


def test_removable_answer_is_checked_against_the_extension():
    r = run_taylor("sin(x)/x", order=4)
    assert check_answer(r, "1 - x^2/6 + x^4/120").correct is True
    assert check_answer(r, "1 - x^2/6").correct is False
    assert r.next_term is not None and r.next_term[0] == 6


def test_removable_nonzero_terms():
    r = run_taylor("x/(e^x - 1)", nonzero=4)
    f = x / (sp.exp(x) - 1)
    expected = reference(f, 0, r.order)
    assert sp.expand(product(r) - expected) == 0
    assert sum(1 for t in sp.Add.make_args(expected) if t != 0) == 4


@pytest.mark.parametrize("text, f", [
    ("cos(sqrt(x))", sp.cos(sp.sqrt(x))),
    ("sin(sqrt x)/sqrt x", sp.sin(sp.sqrt(x)) / sp.sqrt(x)),
    ("cosh(sqrt x)", sp.cosh(sp.sqrt(x))),
    ("sqrt(x) sin(sqrt x)", sp.sqrt(x) * sp.sin(sp.sqrt(x))),
])
def test_one_sided_centre_with_whole_power_series(text, f):
    r = run_taylor(text, order=3)
    assert sp.expand(product(r) - reference(f, 0, 3)) == 0
    notes = " ".join(r.notes)
    assert "x ≥ 0" in notes or "x > 0" in notes
    assert "u = sqrt(x)" in notes  # how: the substitution into the even series in u
    # one-sided derivative limits: f'(0) is the limit of f' from the right
    assert r.rows[1].value == sp.limit(sp.diff(f, x), x, 0, "+")
    # every sample lies where f is defined
    assert all(s[0] > 0 for s in r.samples)


def test_cos_sqrt_x_order_three_is_the_course_series():
    r = run_taylor("cos(sqrt(x))", order=3)
    f = sp.cos(sp.sqrt(x))
    assert [row.coefficient for row in r.rows] == [
        sp.Poly(reference(f, 0, 3), x).coeff_monomial(x ** k) for k in range(4)]


@pytest.mark.parametrize("text, words", [
    ("abs(x)", "not differentiable"),
    ("sqrt(x)", "not a whole power"),
    ("x^(1/3)", "not a whole power"),
    ("x^(3/2)", "not a whole power"),
    ("1/x", "no finite limit"),
    ("1/sin(x)", "no finite limit"),
    ("ln(x)", "logarithm"),
    ("x ln(x)", "logarithm"),
    ("e^(-1/x^2)", "not analytic"),
    ("e^(-1/x)", "not analytic"),
    ("sin(1/x)", "oscillates"),
    ("x sin(1/x)", "oscillates"),
])
def test_non_analytic_points_are_refused_with_the_reason(text, words):
    with pytest.raises(UsageError, match="no Taylor expansion") as info:
        run_taylor(text, order=3)
    assert words in str(info.value)
    # the refusal is true: sympy finds no series in whole powers either
    f = sp.sympify(text.replace("^", "**").replace("x ln", "x*ln").replace("x sin", "x*sin")
                   .replace("ln", "log").replace("abs", "Abs"), locals={"x": x})
    if f.has(sp.Abs):  # sympy.series assumes x > 0 here: compare the one-sided slopes
        assert sp.limit(f / x, x, 0, "+") != sp.limit(f / x, x, 0, "-")
        return
    try:
        s = sp.series(f, x, 0, 4).removeO()
        whole = s.is_polynomial(x) and not s.has(sp.log, sp.Abs)
        if whole:  # e^(-1/x^2) and e^(-1/x): a zero series, yet f is not 0 near 0
            assert s == 0 and f.subs(x, sp.Rational(1, 2)) != 0
    except (sp.PoleError, NotImplementedError, ValueError):
        pass


def test_multivariate_taylor_still_works():
    y = sp.Symbol("y", real=True)
    r = run_taylor("e^(x y) + sin(x)", vars="x,y", at="0,0", order=2)
    expected = sp.expand(sp.series(sp.series(sp.exp(x * y) + sp.sin(x), x, 0, 3).removeO(),
                                   y, 0, 3).removeO())
    got = sp.expand(r.polynomial.subs({r.variables[0]: x, r.variables[1]: y}))
    # keep total degree ≤ 2 of the reference
    expected = sum(t for t in sp.Add.make_args(expected) if sp.Poly(t, x, y).total_degree() <= 2)
    assert sp.expand(got - expected) == 0


# -- general terms ------------------------------------------------------------------------
GENERAL = [
    ("sin x", sp.sin(x), "0", "every real x"),
    ("cos x", sp.cos(x), "0", "every real x"),
    ("cos x", sp.cos(x), "pi/2", "every real x"),
    ("sin x", sp.sin(x), "pi/3", "every real x"),
    ("atan x", sp.atan(x), "0", "-1 ≤ x ≤ 1"),
    ("e^x sin x", sp.exp(x) * sp.sin(x), "0", "every real x"),
    ("e^x cos(2x)", sp.exp(x) * sp.cos(2 * x), "0", "every real x"),
    ("1/(1 - 2x)", 1 / (1 - 2 * x), "0", "|x| < 1/2"),
    ("1/(1 + x)^2", 1 / (1 + x) ** 2, "0", "|x| < 1"),
    ("1/x", 1 / x, "2", "|x - 2| < 2"),
    ("ln(1 + x)", sp.log(1 + x), "0", "-1 < x ≤ 1"),
    ("ln(1 - x)", sp.log(1 - x), "0", "-1 ≤ x < 1"),
    ("ln x", sp.log(x), "1", "0 < x ≤ 2"),
    ("e^(3x)", sp.exp(3 * x), "0", "every real x"),
    ("sqrt(1 + x)", sp.sqrt(1 + x), "0", "-1 ≤ x ≤ 1"),
    ("1/sqrt(1 - x)", 1 / sp.sqrt(1 - x), "0", "-1 ≤ x < 1"),
    ("(1 + x)^(-1/2)", (1 + x) ** sp.Rational(-1, 2), "0", "-1 < x ≤ 1"),
    ("3 cos(2x + 1)", 3 * sp.cos(2 * x + 1), "0", "every real x"),
    ("sinh x", sp.sinh(x), "0", "every real x"),
    ("cosh(2x)", sp.cosh(2 * x), "0", "every real x"),
    ("sin(x)/x", sp.sin(x) / x, "0", "every real x"),
    ("(e^x - 1)/x", (sp.exp(x) - 1) / x, "0", "every real x"),
    ("(1 - cos x)/x^2", (1 - sp.cos(x)) / x ** 2, "0", "every real x"),
    ("ln(1 + x)/x", sp.log(1 + x) / x, "0", "-1 < x ≤ 1"),
    ("sin x + x^2", sp.sin(x) + x ** 2, "0", "every real x"),
    ("cos(sqrt(x))", sp.cos(sp.sqrt(x)), "0", "every real x"),
]


@pytest.mark.parametrize("text, f, at, interval", GENERAL)
def test_general_term_matches_sympy_series_and_states_convergence(text, f, at, interval):
    r = run_taylor(text, at=at, general_term=True)
    assert r.general is not None, text
    index, term, start = r.general
    a = sp.sympify(at)
    ref = reference(f, a, 11)
    t = sp.Symbol("t")
    poly = sp.Poly(sp.expand(ref.subs(x, t + a)), t)
    xs = r.variables[0]
    for k in range(start, 12):
        value = term.subs(index, k).subs(xs, t + a)
        coefficient = sp.simplify(sp.expand(value) / t ** k) if value != 0 else 0
        gap = coefficient - poly.coeff_monomial(t ** k)
        assert sp.simplify(gap) == 0 or abs(sp.N(gap, 60)) < 1e-50, (text, k)
    assert interval in r.converges
    assert r.to_json()["converges"] == r.converges


def test_radius_is_true_at_the_endpoints():
    # the partial sums of ln(1+x) at x = 1 approach ln 2; those of 1/(1-2x) at x = 1/2 blow up
    r = run_taylor("ln(1 + x)", general_term=True)
    index, term, start = r.general
    xs = r.variables[0]
    partial = sum(term.subs({index: k, xs: 1}) for k in range(start, 2001))
    assert abs(float(partial) - float(sp.log(2))) < 1e-3
    r = run_taylor("1/(1 - 2x)", general_term=True)
    index, term, start = r.general
    assert term.subs({index: 50, r.variables[0]: sp.Rational(1, 2)}) == 1  # terms do not → 0


def test_general_term_answer_and_json():
    r = run_taylor("cos x", at="pi/2", general_term=True)
    j = r.to_json()
    assert "converges" in j and j["general_term"] is not None
    assert check_answer(r, "-sin(n pi/2)/n! (x - pi/2)^n").correct is True
    assert check_answer(r, "sin(n pi/2)/n! (x - pi/2)^n").correct is False


def test_general_term_not_found_says_so():
    r = run_taylor("exp(sin x)", general_term=True)
    assert r.general is None and r.to_json()["general_term"] is None


@pytest.mark.parametrize("text, numerator, m", [
    ("sin(x)/x", sp.sin(x), 1), ("(1 - cos x)/x^2", 1 - sp.cos(x), 2),
    ("(e^x - 1)/x", sp.exp(x) - 1, 1),
])
def test_series_of_the_numerator_alone_is_diagnosed(text, numerator, m):
    r = run_taylor(text, order=4)
    wrong = sp.expand(reference(numerator, 0, 4))  # the numerator's own series, not divided
    verdict = check_answer(r, str(wrong).replace("**", "^"))
    assert verdict.correct is False and verdict.diagnosis == "numerator_not_divided"
    right = reference(sp.sympify(text.replace("^", "**").replace("cos x", "cos(x)"),
                                 locals={"x": x}), 0, 4)
    assert check_answer(r, str(right).replace("**", "^")).correct is True


@pytest.mark.parametrize("text, a, p", [("cbrt(x)", -8, 1), ("x^(1/3)", -1, 1), ("x^(2/3)", -8, 2),
                                        ("x^(5/3)", -2, 5)])
def test_real_odd_root_at_a_negative_centre(text, a, p):
    import mpmath

    mpmath.mp.dps = 40
    r = run_taylor(text, at=str(a), order=3)

    def real_root(t):  # the real root, by mpmath, independently of the product
        return (mpmath.sign(t) * mpmath.cbrt(abs(t))) ** p

    for k, row in enumerate(r.rows):
        expected = mpmath.diff(real_root, a, k) / mpmath.factorial(k)
        assert abs(complex(sp.N(row.coefficient, 30)) - complex(expected)) < 1e-20
    assert any("real root" in note for note in r.notes)
    assert all(math_is_real(s[1]) for s in r.samples) and len(r.samples) == 4


def math_is_real(v):
    return isinstance(v, float) and v == v


def test_several_variables_undefined_at_the_centre_is_refused_honestly():
    with pytest.raises(UsageError) as info:
        run_taylor("sin(x y)/(x y)", vars="x,y", at="0,0", order=2)
    message = str(info.value)
    assert "undefined there" in message and "one variable only" in message
    assert "no Taylor expansion" not in message  # its continuous extension has one


def test_general_term_starting_late_is_checked_or_not_stated():
    from calctutor.render import render

    r = run_taylor("sin x + x^6", general_term=True)
    index, term, start = r.general
    assert start == 7  # below degree 7 the polynomial x^6 changes the coefficients
    ref = reference(sp.sin(x) + x ** 6, 0, 11)
    for k in range(start, 12):
        assert term.subs({index: k, r.variables[0]: 1}) == ref.coeff(x, k)
    assert "use --order 6" in render(r, "plain")
    # too late to be checked against enough coefficients: not stated at all
    assert run_taylor("sin x + x^13", general_term=True).general is None


@pytest.mark.parametrize("text, f", [
    ("sqrt(x^2 + x^4)", sp.sqrt(x ** 2 + x ** 4)),
    ("sqrt(1 - cos(x))", sp.sqrt(1 - sp.cos(x))),
])
def test_a_one_sided_sympy_series_is_not_passed_off_as_taylor(text, f):
    # sympy.series expands for x -> 0+ and gives an odd polynomial; f is even, so that
    # polynomial is wrong on the left: no Taylor expansion (f has a corner at 0)
    s = sp.series(f, x, 0, 5).removeO()
    assert s != 0 and sp.expand(s.subs(x, -x) + s) == 0
    assert sp.simplify(f.subs(x, -x) - f) == 0
    with pytest.raises(UsageError, match="not smooth at x = 0") as info:
        run_taylor(text, order=4)
    assert "left of 0" in str(info.value)
