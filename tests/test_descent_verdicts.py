"""Descent at its edges: the step-size limit, oscillation, divergence, the kind of point
reached, and exact arithmetic that outgrows a table cell.

Each verdict is checked against an independent computation: the Hessian's eigenvalues by
SymPy + NumPy, the iterates by a plain-Python loop (floats or fractions.Fraction).
"""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from calctutor.topics.optimise.run import run_descent


def _hessian_eigs(expr: str, names: str, point) -> np.ndarray:
    """Eigenvalues of the Hessian by SymPy's own parser and NumPy (independent of the product)."""
    syms = sp.symbols(names)
    syms = syms if isinstance(syms, tuple) else (syms,)
    f = sp.sympify(expr.replace("^", "**"))
    H = sp.hessian(f, syms).subs(dict(zip(syms, point, strict=True)))
    return np.linalg.eigvalsh(np.array(H.tolist(), dtype=float))


def _loop(grad, x, rate, n):
    """n plain gradient-descent steps."""
    for _ in range(n):
        g = grad(*x)
        x = [xi - rate * gi for xi, gi in zip(x, g, strict=True)]
    return x


def _advice(r) -> str:
    return " ".join((*r.notes, *r.warnings))


# -- the step-size limit ----------------------------------------------------------------
def test_rate_exactly_two_over_L_is_an_oscillation_not_a_call_for_a_larger_rate():
    r = run_descent("x^2", "1", rate="1")
    L = _hessian_eigs("x^2", "x", [1])[-1]
    assert L == 2
    assert r.stop == "oscillating" and r.status == "oscillating" and not r.converged
    assert r.stability.side == "at" and float(r.stability.limit) == 2 / L
    # the iterates really do swing between 1 and -1 (independent loop)
    assert _loop(lambda x: [2 * x], [1.0], 1.0, 1) == [-1.0]
    assert [float(it.point[0]) for it in r.iterations] == [1, -1, 1]
    text = _advice(r)
    assert "larger" not in text and "smaller --rate below 1" in text and "e.g. 1/2" in text


def test_two_over_L_in_two_variables_swings_in_the_steep_direction_only():
    r = run_descent("x^2 + 4y^2", "1,1", rate="0.25")
    L = _hessian_eigs("x^2 + 4*y^2", "x y", [0, 0])[-1]
    assert L == pytest.approx(8)
    assert r.stop == "oscillating" and r.stability.side == "at"
    assert sp.sympify(r.stability.to_json()["limit"]) == sp.Rational(1, 4)
    x, y = (float(p) for p in r.final.point)
    assert abs(x) < 1e-12 and abs(y) == 1.0     # x settled, y swings between ±1
    assert "larger" not in _advice(r)


def test_just_below_the_limit_converges_and_matches_a_plain_loop():
    r = run_descent("x^2", "1", rate="0.99")
    assert r.converged and r.status == "minimum" and r.stability.side == "below"
    x = _loop(lambda x: [2 * x], [1.0], 0.99, r.final.n)
    assert float(r.final.point[0]) == pytest.approx(x[0], rel=1e-9, abs=1e-15)
    assert not r.warnings


def test_close_to_the_limit_and_out_of_steps_says_keep_going_with_a_true_estimate():
    r = run_descent("x^2", "1", rate="0.999", max_iter=1000)
    assert r.stop == "max_iter" and r.status == "not_stationary"
    text = _advice(r)
    assert "still falling steadily" in text and "larger" not in text
    more = int(re.search(r"about (\d+) more steps", text).group(1))
    # |x_n| = 0.998^n exactly for this f: steps until |f'| = 2|x| < 1e-8
    need = math.ceil(math.log(0.5e-8) / math.log(0.998)) - 1000
    assert abs(more - need) <= 0.02 * need


def test_far_above_the_limit_diverges_shows_the_trend_and_the_advised_rate_works():
    r = run_descent("x^2 + 4y^2", "2,1", rate="3")
    assert r.stop == "diverged" and r.status == "diverged"
    norms = [float(it.norm) for it in r.iterations]
    assert all(b > a for a, b in zip(norms, norms[1:], strict=False))
    text = _advice(r)
    assert "smaller --rate below 1/4" in text and "larger" not in text
    trend = re.search(r"\|∇f\| grows \(([^)]*)\)", text).group(1)
    assert trend.startswith(format(norms[0], ".3g"))
    suggested = re.search(r"e\.g\. ([0-9/.]+)\.", text).group(1)
    ok = run_descent("x^2 + 4y^2", "2,1", rate=suggested)
    assert ok.converged and ok.status == "minimum"


def test_non_quadratic_divergence_names_the_curvature_at_the_start():
    r = run_descent("x^4", "1", rate="1")
    assert r.stop == "diverged"
    L = _hessian_eigs("x^4", "x", [1])[-1]       # 12
    assert float(r.stability.L) == pytest.approx(L)
    assert float(r.stability.limit) == pytest.approx(2 / L)
    assert "e.g. 0.08" in _advice(r)
    # below the limit at the start, x^4 (whose curvature only falls on the way in) goes
    # downhill at every step
    ok = run_descent("x^4", "1", rate="0.08", max_iter=300)
    values = [float(it.value) for it in ok.iterations]
    assert ok.stop == "max_iter" and all(b < a for a, b in zip(values, values[1:], strict=False))


def test_rosenbrock_divergence_limit_is_the_hessian_at_the_start():
    expr = "(1-x)^2 + 100(y-x^2)^2"
    r = run_descent(expr, "-1.2,1", rate="0.01")
    L = _hessian_eigs("(1-x)**2 + 100*(y-x**2)**2", "x y", [-1.2, 1])[-1]
    assert r.stop == "diverged" and float(r.stability.L) == pytest.approx(L, rel=1e-9)
    assert r.stability.side == "above"


def test_rosenbrock_slow_progress_advice_is_true():
    r = run_descent("(1-x)^2 + 100(y-x^2)^2", "-1.2,1", rate="0.001", max_iter=1500)
    assert r.stop == "max_iter" and r.status == "not_stationary"
    text = _advice(r)
    assert "still falling" in text
    # any larger rate it names must be below 2/L at every iterate
    m = re.search(r"larger rate .*?--rate ([0-9.e-]+)", text)
    if m:
        worst = max(_hessian_eigs("(1-x)**2 + 100*(y-x**2)**2", "x y",
                                  [float(p) for p in it.point])[-1] for it in r.iterations[::10])
        assert float(m.group(1)) < 2 / worst


def test_tiny_rate_is_not_converged_and_a_faster_rate_is_advised_with_its_factor():
    r = run_descent("x^2", "1", rate="1e-7", max_iter=200)
    assert not r.converged and r.stop == "max_iter" and r.status == "not_stationary"
    text = _advice(r)
    m = re.search(r"with --rate ([0-9/.]+) by ×([0-9.]+)", text)
    assert m and float(sp.Rational(m.group(1))) < 1      # 2/L = 1 for x^2
    gamma = float(sp.Rational(m.group(1)))
    assert float(m.group(2)) == pytest.approx(abs(1 - 2 * gamma), abs=1e-4)


def test_slow_quadratic_advice_names_a_rate_with_a_smaller_factor():
    r = run_descent("x^2 + 10y^2", "1,1", rate="0.001")
    text = _advice(r)
    lams = _hessian_eigs("x**2 + 10*y**2", "x y", [0, 0])
    m = re.search(r"with --rate ([0-9/.]+) by", text)
    gamma = float(sp.Rational(m.group(1)))
    assert max(abs(1 - gamma * lam) for lam in lams) < max(abs(1 - 0.001 * lam) for lam in lams)
    # and that rate really does converge, in fewer steps (independent loop)
    x = _loop(lambda x, y: [2 * x, 20 * y], [1.0, 1.0], gamma, 200)
    assert math.hypot(2 * x[0], 20 * x[1]) < 1e-8


# -- the point reached ------------------------------------------------------------------
def test_saddle_on_the_ridge_is_named_and_escaped():
    r = run_descent("x^2 - y^2", "1,0", rate="0.1")
    eig = _hessian_eigs("x**2 - y**2", "x y", [0, 0])
    assert eig[0] < 0 < eig[1]
    assert r.status == "saddle" and r.to_json()["status"] == "saddle"
    w = " ".join(r.warnings)
    assert "(0, 0)" in w and "saddle point" in w and "ridge y = 0" in w
    # the escape it reports: the same steps from (1, 0.001), independently
    m = re.search(r"reaches f = (\S+) after (\d+) steps", w)
    x = _loop(lambda x, y: [2 * x, -2 * y], [1.0, 0.001], 0.1, int(m.group(2)))
    assert x[0] ** 2 - x[1] ** 2 == pytest.approx(float(m.group(1)), rel=1e-5)
    assert x[0] ** 2 - x[1] ** 2 < 0


def test_saddle_of_a_quartic_double_well():
    r = run_descent("(x^2-1)^2 + y^2", "0,1", rate="0.1")
    eig = _hessian_eigs("(x**2-1)**2 + y**2", "x y", [0, 0])
    assert r.status == "saddle"
    assert [float(e) for e in r.point_kind.eigenvalues] == pytest.approx(list(eig), abs=1e-6)
    assert "ridge x = 0" in " ".join(r.warnings)
    # nudged, the same descent finds a true minimum at x = ±1
    r2 = run_descent("(x^2-1)^2 + y^2", "0.001,1", rate="0.1")
    assert r2.status == "minimum" and abs(float(r2.final.point[0])) == pytest.approx(1, abs=1e-6)


def test_start_at_a_maximum_cannot_move_and_is_warned():
    r = run_descent("1 - x^2 - y^2", "0,0", rate="0.1")
    assert r.final.n == 0 and r.status == "maximum"
    assert all(e < 0 for e in _hessian_eigs("1 - x**2 - y**2", "x y", [0, 0]))
    assert "cannot move" in " ".join(r.warnings)


def test_ascent_from_a_minimum_is_warned_and_a_maximum_is_its_goal():
    r = run_descent("x^2 + y^2", "0,0", ascent=True)
    assert r.status == "minimum" and r.warnings
    ok = run_descent("-(x-3)^2 + 5", "0", rate="0.25", ascent=True)
    assert ok.status == "maximum" and not ok.warnings


def test_singular_hessian_at_the_minimum_is_inconclusive():
    for expr, start in (("x^4", "1"), ("x^2 + y^4", "1,1")):
        r = run_descent(expr, start, max_iter=100000, tol=1e-6)
        assert r.converged and r.status == "inconclusive", expr
        # the true minimum is at 0, where the Hessian has a zero eigenvalue
        zero = [0] * len(r.variables)
        names = " ".join(v.name for v in r.variables)
        assert min(abs(_hessian_eigs(expr.replace("^", "**"), names, zero))) == 0
        assert "inconclusive" in " ".join(r.warnings)


def test_steps_that_stop_before_the_gradient_vanishes_are_not_stationary():
    r = run_descent("x^2 + y^2", "1,2", rate="1/10", steps=2)
    assert r.status == "not_stationary" and r.point_kind.kind == "not stationary"
    g = [2 * p for p in r.final.point]
    assert r.point_kind.explanation.find(format(float(sp.sqrt(g[0] ** 2 + g[1] ** 2)), ".3g")) > 0


# -- exact arithmetic -------------------------------------------------------------------
def test_x4_exact_steps_switch_to_decimals_with_a_note_and_match_fractions():
    r = run_descent("x^4", "1", rate="0.1", steps=10)
    x = Fraction(1)
    exact = [x]
    for _ in range(10):
        x = x - Fraction(1, 10) * 4 * x ** 3
        exact.append(x)
    note = " ".join(r.notes)
    switch = int(re.search(r"From step (\d+) on the iterates are decimals", note).group(1))
    for it, want in zip(r.iterations, exact, strict=True):
        if it.n < switch:
            assert it.point[0] == sp.Rational(want.numerator, want.denominator)
        else:
            assert float(it.point[0]) == pytest.approx(float(want), rel=1e-12)
    # every exact cell stays readable
    for it in r.iterations[:switch]:
        assert len(sp.sstr(it.value)) <= 41


@pytest.mark.parametrize("steps", [20, 40])
def test_exact_mode_many_steps_never_crashes(steps):
    r = run_descent("x^4 + y^2", "1,1", rate="1/10", steps=steps, exact=True)
    assert len(r.iterations) == steps + 1
    assert any("decimals" in n for n in r.notes)


def test_huge_start_does_not_crash():
    from calctutor.errors import CalcTutorError

    try:
        r = run_descent("x^2", "10^50", rate="1/10", steps=3)
    except CalcTutorError:
        return
    assert float(r.final.point[0]) == pytest.approx(0.8 ** 3 * 1e50)


def test_json_carries_the_verdicts(cli_json=None):
    d = run_descent("x^2 - y^2", "1,0", rate="0.1").to_json()
    assert d["status"] == "saddle" and d["stability"]["rate_vs_limit"] == "below"
    assert d["point_kind"]["kind"] == "saddle" and d["warnings"]
    d = run_descent("x^2", "1", rate="1").to_json()
    assert d["stop"] == "oscillating" and d["stability"]["rate_vs_limit"] == "at"


# -- a property: the verdict on random quadratics agrees with their eigenvalues --------
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(a=st.integers(1, 5), b=st.integers(-3, 3), c=st.integers(1, 5),
       ratio=st.sampled_from([0.5, 0.9, 1, 1.2, 3]))
def test_quadratic_verdicts_match_the_eigenvalues(a, b, c, ratio):
    H = np.array([[2 * a, b], [b, 2 * c]], dtype=float)
    lams, vecs = np.linalg.eigh(H)
    assume(lams[0] > 0 and lams[-1] / lams[0] <= 20)
    start = np.array([1.0, 0.37])
    assume(abs(vecs[:, -1] @ start) > 0.1)
    L = lams[-1]
    if ratio == 1:   # exactly 2/L, written exactly (L may be irrational: 5 + sqrt(5))
        top = max(sp.Matrix([[2 * a, b], [b, 2 * c]]).eigenvals(), key=float)
        rate = sp.sstr(sp.radsimp(2 / top))
    else:
        rate = repr(float(ratio * 2 / L))
    r = run_descent(f"{a}x^2 + {b}*x*y + {c}y^2", "1,0.37", rate=rate, max_iter=3000)
    assert float(r.stability.L) == pytest.approx(L, rel=1e-9)
    text = _advice(r)
    if ratio < 1:
        assert r.stability.side == "below" and r.status == "minimum", text
        assert float(r.final.point[0]) == pytest.approx(0, abs=1e-6)
    elif ratio == 1:
        assert r.stability.side == "at" and r.status == "oscillating", text
    else:
        assert r.stability.side == "above" and r.status == "diverged", text
    if ratio >= 1:
        assert "larger" not in text and "smaller --rate below" in text


def test_an_iterate_holding_a_transcendental_value_goes_on_in_decimals():
    # x1 = -7473/2500 - 3e^(-9)/5000: simplifying f(x1) exactly took over 2 GB
    from calctutor.topics import run_kind

    r = run_kind("descent", {"expr": "-4x^3 + exp(-x^2) - 2y^2", "vars": ["x", "y"],
                             "start": "-3,1", "rate": "1e-4", "steps": 3})
    assert len(r.iterations) == 4
    assert any("decimals" in n for n in r.notes)
    # the decimals agree with the same three steps done here in floats
    import math
    x, y = -3.0, 1.0
    for _ in range(3):
        gx, gy = -12 * x * x - 2 * x * math.exp(-x * x), -4 * y
        x, y = x - 1e-4 * gx, y - 1e-4 * gy
    last = [float(v) for v in r.iterations[-1].point]
    assert last == [pytest.approx(x, rel=1e-9), pytest.approx(y, rel=1e-9)]
