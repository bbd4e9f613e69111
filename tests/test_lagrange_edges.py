"""Lagrange at its edges: singular constraints, empty systems, unbounded f, transcendental
systems and the kind of every candidate, each checked against an independent computation
(a parametrisation of the constraint optimised in one variable with SymPy, SciPy's
constrained minimiser, or a numerical grid along the constraint)."""

import math

import numpy as np
import pytest
import sympy as sp

from calctutor.topics.optimise.run import run_lagrange

X, Y, Z, S = sp.symbols("x y z s", real=True)


def _floats(c):
    return [float(sp.N(p)) for p in c.point]


def _kind_by_parametrisation(h, s0):
    """local max/min of h(s) at s0 from the first nonzero derivative (exact, SymPy)."""
    d = sp.diff(h, S)
    assert abs(complex(sp.N(d.subs(S, s0)))) < 1e-9
    for order in range(2, 7):
        d = sp.diff(d, S)
        v = sp.N(d.subs(S, s0), 30)
        if abs(v) > 1e-12:
            if order % 2:
                return "neither"
            return "local minimum" if v > 0 else "local maximum"
    return "flat"


def _grid_extremes(f, curve, lo, hi, n=200001):
    """max and min of f along a parametrised curve, on a fine grid (NumPy)."""
    s = np.linspace(lo, hi, n)
    pts = [np.asarray(c(s), dtype=float) * np.ones_like(s) for c in curve]
    v = f(*pts)
    return float(v.max()), float(v.min())


# -- the four defects of the brief -------------------------------------------------------
def test_transcendental_system_is_solved_numerically_without_crashing():
    r = run_lagrange("sin(x) + cos(y)", ["x + y = 1"])
    assert r.method == "numeric" and r.candidates
    assert all(c.numerical for c in r.candidates)
    assert all(c["numerical"] for c in r.to_json()["candidates"])
    # independent: on the line, f = sin(s) + cos(1 - s) = R sin(s + phi), R = sqrt(2 + 2 sin 1)
    amplitude = math.sqrt(2 + 2 * math.sin(1))
    h = sp.sin(S) + sp.cos(1 - S)
    for c in r.candidates:
        x, y = _floats(c)
        assert abs(x + y - 1) < 1e-9
        assert abs(abs(c.numeric_value) - amplitude) < 1e-9
        want = "local maximum" if sp.N(sp.diff(h, S, 2).subs(S, x)) < 0 else "local minimum"
        assert c.kind == want
    assert abs(max(c.numeric_value for c in r.candidates) - amplitude) < 1e-9


def test_cusp_y3_eq_x2_finds_the_singular_minimum():
    r = run_lagrange("y", ["y^3 = x^2"])
    assert r.system_status == "no_solution" and "Groebner" in r.system_proof
    (c,) = r.candidates
    assert c.singular and c.point == (0, 0) and c.value == 0 and c.multipliers == ()
    assert c.kind == "undecided" and "gradient vanishes" in c.reason
    # independent: (x, y) = (s^3, s^2) covers the curve; f = s^2 has its minimum 0 at s = 0
    h = S**2
    assert sp.minimum(h, S) == 0 and sp.solve(sp.diff(h, S), S) == [0]
    assert r.smallest == (c,)
    # f = s^2 is unbounded above: no maximum, with a point of the curve as evidence
    assert r.max_status == "none" and r.maximum == ()
    (wx, wy), value = r.max_witness
    assert abs(wy**3 - wx**2) < 1e-9 * (1 + wx**2) and value == pytest.approx(wy)
    assert "→ ∞" in r.max_evidence


def test_inconsistent_linear_system_is_reported_not_timed_out():
    r = run_lagrange("x + y", ["x - y = 1"])
    assert r.method == "exact" and r.system_status == "no_solution"
    assert not any("time limit" in n for n in r.notes)
    # independent: along x = 1 + s, y = s, f = 1 + 2s is unbounded both ways
    assert sp.limit(1 + 2 * S, S, sp.oo) == sp.oo and sp.limit(1 + 2 * S, S, -sp.oo) == -sp.oo
    assert (r.max_status, r.min_status) == ("none", "none")
    for (px, py), value in (r.max_witness, r.min_witness):
        assert abs(px - py - 1) < 1e-12 and value == pytest.approx(px + py)


def test_every_candidate_of_x2y_on_the_circle_has_a_kind():
    r = run_lagrange("x^2 y", ["x^2 + y^2 = 3"])
    # independent: x = sqrt(3) cos s, y = sqrt(3) sin s
    h = 3 * sp.cos(S) ** 2 * sp.sqrt(3) * sp.sin(S)
    for c in r.candidates:
        x, y = _floats(c)
        s0 = sp.atan2(sp.nsimplify(c.point[1]), sp.nsimplify(c.point[0]))
        assert c.kind == _kind_by_parametrisation(h, s0), (c.point, c.kind)
        assert c.kind in ("local maximum", "local minimum")
    top = {c.point for c in r.candidates if "global maximum" in c.best}
    bottom = {c.point for c in r.candidates if "global minimum" in c.best}
    hi, lo = _grid_extremes(lambda a, b: a**2 * b,
                            (lambda s: math.sqrt(3) * np.cos(s), lambda s: math.sqrt(3) * np.sin(s)),
                            0, 2 * math.pi)
    assert all(abs(float(sp.N(c.value)) - hi) < 1e-6 for c in r.candidates if c.point in top)
    assert all(abs(float(sp.N(c.value)) - lo) < 1e-6 for c in r.candidates if c.point in bottom)
    assert len(top) == 2 and len(bottom) == 2
    labels = [c.label for c in r.candidates]
    assert labels.count("local max") == 1 and labels.count("local min") == 1


# -- more edges ------------------------------------------------------------------------------
def test_cusp_y2_eq_x3_keeps_the_maximum_sympy_solve_hides():
    r = run_lagrange("x^2 - y^2", ["y^2 = x^3"])
    assert r.method == "exact"
    # independent: (x, y) = (s^2, s^3) covers the curve; f = s^4 - s^6
    h = S**4 - S**6
    crit = sp.solve(sp.diff(h, S), S)
    values = {h.subs(S, s0) for s0 in crit}
    assert values == {0, sp.Rational(4, 27)}
    got = {c.value for c in r.candidates}
    assert got == values
    singular = [c for c in r.candidates if c.singular]
    assert [c.point for c in singular] == [(0, 0)]
    for c in r.candidates:
        if not c.singular:
            s0 = sp.sqrt(c.point[0]) * sp.sign(c.point[1])
            assert c.kind == _kind_by_parametrisation(h, s0) == "local maximum"
    assert r.min_status == "none" and sp.limit(h, S, sp.oo) == -sp.oo


def test_repeated_factor_constraint_is_solved_on_its_square_free_form():
    r = run_lagrange("x^2 + y^2", ["(x + y - 1)^2 = 0"])
    assert r.system_status == "no_solution"
    assert "repeated factor" in r.singular_note and "x + y - 1 = 0" in r.singular_note
    (c,) = r.candidates
    assert c.singular and c.point == (sp.Rational(1, 2), sp.Rational(1, 2))
    # independent: SciPy on the line x + y = 1
    opt = pytest.importorskip("scipy.optimize")
    res = opt.minimize(lambda v: v[0] ** 2 + v[1] ** 2, [3.0, -1.0],
                       constraints=[{"type": "eq", "fun": lambda v: v[0] + v[1] - 1}])
    assert res.success and abs(res.fun - float(c.value)) < 1e-7
    assert r.min_status == "attained" and r.minimum == (c,) and "global minimum" in c.best
    assert r.max_status == "none"


def test_hyperbola_has_local_extremes_only():
    r = run_lagrange("x + y", ["x y = 1"])
    kinds = {c.point: c.kind for c in r.candidates}
    # independent: y = 1/s, f = s + 1/s: s = 1 local min (2), s = -1 local max (-2)
    h = S + 1 / S
    assert kinds == {(1, 1): _kind_by_parametrisation(h, 1), (-1, -1): _kind_by_parametrisation(h, -1)}
    assert kinds[(1, 1)] == "local minimum"
    assert (r.max_status, r.min_status) == ("none", "none")
    assert sp.limit(h, S, sp.oo) == sp.oo and sp.limit(h, S, -sp.oo) == -sp.oo
    assert not any(c.best for c in r.candidates)


def test_line_through_whole_set_proves_the_maximum():
    r = run_lagrange("x y", ["x + y = 2"])
    # independent: f = s (2 - s) on x = s, y = 2 - s has maximum 1 at s = 1, no minimum
    h = S * (2 - S)
    assert sp.maximum(h, S) == 1 and sp.minimum(h, S) == -sp.oo
    assert r.max_status == "attained" and [c.value for c in r.maximum] == [1]
    assert r.min_status == "none"


def test_two_constraints_global_extremes_match_scipy():
    opt = pytest.importorskip("scipy.optimize")
    r = run_lagrange("x + y + z", ["x^2 + y^2 = 1", "z = x"])
    assert (r.max_status, r.min_status) == ("attained", "attained")
    cons = [{"type": "eq", "fun": lambda v: v[0] ** 2 + v[1] ** 2 - 1},
            {"type": "eq", "fun": lambda v: v[2] - v[0]}]
    lo = opt.minimize(lambda v: v.sum(), [0.5, 0.5, 0.5], constraints=cons)
    hi = opt.minimize(lambda v: -v.sum(), [0.5, 0.5, 0.5], constraints=cons)
    assert abs(float(sp.N(r.minimum[0].value)) - lo.fun) < 1e-6
    assert abs(float(sp.N(r.maximum[0].value)) + hi.fun) < 1e-6
    assert {c.kind for c in r.candidates} == {"local maximum", "local minimum"}
    assert all(c.best for c in r.candidates)


def test_transcendental_on_a_circle_agrees_with_a_grid():
    r = run_lagrange("exp(x) + y", ["x^2 + y^2 = 1"])
    hi, lo = _grid_extremes(lambda a, b: np.exp(a) + b, (np.cos, np.sin), 0, 2 * math.pi)
    assert abs(max(c.numeric_value for c in r.candidates) - hi) < 1e-6
    assert abs(min(c.numeric_value for c in r.candidates) - lo) < 1e-6
    # numerical candidates are called global only with the evidence that none was missed:
    # f followed along the whole (closed) circle, every turn of it refined to a candidate
    assert r.method == "numeric" and r.sampling.certain and r.complete
    assert [c.best for c in r.candidates if c.best] == [("global minimum",),
                                                        ("global maximum",)]


def test_degenerate_second_order_test_goes_to_higher_order_along_the_line():
    r = run_lagrange("x^3", ["x - y = 0"])
    (c,) = r.candidates
    # independent: f = s^3 along x = y = s: the second derivative vanishes at 0 and the
    # first nonzero one is the third (an inflection: neither max nor min)
    assert sp.diff(S**3, S, 2).subs(S, 0) == 0
    assert _kind_by_parametrisation(S**3, 0) == "neither"
    assert c.kind == "neither" and "degenerate" in c.reason and "3rd" in c.reason
    q = run_lagrange("x^4 + y", ["y = 0"])
    (c,) = q.candidates
    assert _kind_by_parametrisation(S**4, 0) == "local minimum" == c.kind


def test_degenerate_test_on_a_plane_stays_undecided():
    r = run_lagrange("x^3 + y^2 + z", ["z = 0"])
    (c,) = r.candidates
    # independent: on z = 0 the Hessian of x^3 + y^2 at 0 has eigenvalues 0 and 2
    eig = np.linalg.eigvalsh(np.array([[0.0, 0.0], [0.0, 2.0]]))
    assert abs(eig[0]) < 1e-12 and eig[1] > 0
    assert c.kind == "undecided" and "degenerate" in c.reason


def test_saddle_on_the_constraint():
    r = run_lagrange("x^2 - y^2 + z", ["z = 0"])
    (c,) = r.candidates
    # independent: on z = 0, f = x^2 - y^2 whose Hessian has eigenvalues of both signs
    eig = np.linalg.eigvalsh(np.array([[2.0, 0.0], [0.0, -2.0]]))
    assert eig.min() < 0 < eig.max()
    assert c.kind == "saddle"


def test_a_missed_singular_point_is_diagnosed():
    from calctutor.checking.answer import check_answer

    r = run_lagrange("x^2 - 2y + 17/16 x", ["y^2 = x^3"], goal="min")
    # independent: (x, y) = (s^2, s^3) covers the cusp; h = s^2 ((s - 1)^2 + 1/16) >= 0
    # is 0 only at s = 0 (the cusp, where grad g = 0); its other critical points are regular
    h = S**4 - 2 * S**3 + sp.Rational(17, 16) * S**2
    assert sp.expand(h - S**2 * ((S - 1) ** 2 + sp.Rational(1, 16))) == 0
    assert {s0 for s0 in sp.solve(h, S) if s0.is_real} == {0}
    crit = [s0 for s0 in sp.solve(sp.diff(h, S), S) if s0 != 0]
    regular = [c for c in r.candidates if c.multipliers]
    assert sorted(float(sp.N(c.value)) for c in regular) == pytest.approx(
        sorted(float(sp.N(h.subs(S, s0))) for s0 in crit))
    assert [c.point for c in r.smallest] == [(0, 0)] and r.smallest[0].singular
    worst = min(regular, key=lambda c: c.numeric_value)
    v = check_answer(r, sp.sstr(worst.value))
    assert v.correct is False and v.diagnosis == "singular_point_missed"
    assert "(0, 0)" in v.feedback


def test_points_where_f_is_not_differentiable_are_candidates():
    # sqrt(x) + y on x + y^2 = 4: x = 4 - s^2, f = sqrt(4 - s^2) + s on [-2, 2]; the
    # minimum is at the domain's edge s = -2, where f has no derivative
    r = run_lagrange("sqrt(x) + y", ["x + y^2 = 4"])
    hi, lo = _grid_extremes(lambda a, b: np.sqrt(np.maximum(a, 0)) + b,
                            (lambda s: 4 - s**2, lambda s: s), -2, 2)
    assert [c.point for c in r.smallest] == [(0, -2)] and r.smallest[0].edge
    assert abs(r.smallest[0].numeric_value - lo) < 1e-9
    assert abs(r.largest[0].numeric_value - hi) < 1e-6
    assert not r.complete and any("not differentiable" in n for n in r.notes)


def test_real_cube_roots_give_the_negative_candidates_too():
    # cbrt(x) + y on x + y = 0: h(s) = cbrt(s) - s with the real cube root has critical
    # points s = ±sqrt(3)/9 (NumPy's cbrt is the real root)
    r = run_lagrange("cbrt(x) + y", ["x + y = 0"])
    s0 = math.sqrt(3) / 9
    want = sorted([float(np.cbrt(s0) - s0), float(np.cbrt(-s0) + s0)])
    regular = sorted(c.numeric_value for c in r.candidates if c.multipliers)
    assert regular == pytest.approx(want, abs=1e-9)
    kinds = {round(c.numeric_value, 6): c.kind for c in r.candidates if c.multipliers}
    assert kinds == {round(want[0], 6): "local minimum", round(want[1], 6): "local maximum"}
    assert any(c.edge and c.point == (0, 0) for c in r.candidates)


def test_abs_on_a_line_is_searched_numerically_without_crashing():
    opt = pytest.importorskip("scipy.optimize")
    r = run_lagrange("abs(x) + y^2", ["x + y = 1"])
    res = opt.minimize_scalar(lambda s: abs(1 - s) + s * s, bounds=(-5, 5), method="bounded",
                              options={"xatol": 1e-10})
    assert abs(min(c.numeric_value for c in r.candidates) - res.fun) < 1e-8
    assert r.max_status == "none"


def test_an_empty_constraint_set_ends_quickly_and_says_so():
    import time

    # sqrt(x) - x <= 1/4 for x >= 0 (SymPy), so 3 y^2 + x - sqrt(x) = -1 has no point; the
    # numerical searches once handed NaN to LAPACK here and never came back
    assert sp.maximum(sp.sqrt(S) - S, S, sp.Interval(0, sp.oo)) == sp.Rational(1, 4)
    start = time.monotonic()
    r = run_lagrange("-x z", ["3y^2 - sqrt(x) + x = -1"])
    assert time.monotonic() - start < 15
    assert r.candidates == () and any("may be empty" in n for n in r.notes)
    assert (r.max_status, r.min_status) == ("unknown", "unknown")
