"""newton at its edges: every status family, each checked against an independent computation.

The references here never call the product's iteration: Newton's step is re-run in mpmath
(or plain floats) from functions written out by hand, roots come from SymPy's solvers, and
"no real root" is cross-checked with SymPy's solveset and a sign scan on a grid.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calctutor.checking.answer import check_answer
from calctutor.cli import app
from calctutor.topics.series.run import run_newton

X = sp.Symbol("x")
mp = mpmath


def cbrt(v):
    """The real cube root (the project's convention for odd roots)."""
    return mp.sign(v) * abs(v) ** (mp.mpf(1) / 3)


def ref(f, df, x0, n, dps=50):
    """Newton's iterates x0 .. xn in mpmath, straight from the formula (stops at f' = 0
    or far out)."""
    with mp.workdps(dps):
        x = mp.mpf(x0)
        out = [x]
        for _ in range(n):
            if abs(x) > 1e15:  # beyond that, mpmath's cosh(cosh(...)) takes ages
                break
            d = df(x)
            if d == 0:
                break
            x = x - f(x) / d
            out.append(x)
        return out


def same_start(r, iterates, k=5, rel=1e-12):
    """The product's first k iterates agree with the reference ones."""
    mine = [it.x[0] for it in r.iterations[:k]]
    theirs = [float(v) for v in iterates[:len(mine)]]
    assert mine == pytest.approx(theirs, rel=rel, abs=1e-300), (mine, theirs)


class _Out:
    def __init__(self, res):
        self.code, self.out, self.err = res.exit_code, res.stdout, res.stderr

    def json(self):
        import json

        return json.loads(self.out)


def cli(*args):
    """The CLI in-process (Typer's runner)."""
    return _Out(CliRunner().invoke(app, list(args)))


# -- converged quadratically ----------------------------------------------------------------
QUADRATIC = [
    ("x^2 - 2", 1, lambda x: x**2 - 2, lambda x: 2 * x, sp.sqrt(2)),
    ("cos x - x", 1, lambda x: mp.cos(x) - x, lambda x: -mp.sin(x) - 1, None),
    ("x^3 - 2x - 5", 2, lambda x: x**3 - 2 * x - 5, lambda x: 3 * x**2 - 2, None),
    ("e^x - 3", 0, lambda x: mp.exp(x) - 3, lambda x: mp.exp(x), sp.log(3)),
    ("x^2 - 10^6", 1, lambda x: x**2 - 10**6, lambda x: 2 * x, sp.Integer(1000)),
    ("(x-1000)(x-1001)", 0, lambda x: (x - 1000) * (x - 1001), lambda x: 2 * x - 2001,
     sp.Integer(1000)),
    ("ln(x) - 1", 2, lambda x: mp.log(x) - 1, lambda x: 1 / x, sp.E),
    ("tan x", 2, lambda x: mp.tan(x), lambda x: 1 / mp.cos(x) ** 2, sp.pi),
    ("x^3 - 2", 1000, lambda x: x**3 - 2, lambda x: 3 * x**2, sp.cbrt(2)),
    ("sin x", 3, lambda x: mp.sin(x), lambda x: mp.cos(x), sp.pi),
    ("3x^3 - 2x^2 + 5x - 1", -5, lambda x: 3 * x**3 - 2 * x**2 + 5 * x - 1,
     lambda x: 9 * x**2 - 4 * x + 5, None),
    ("x^(1/3) - 10", 1, lambda x: cbrt(x) - 10, lambda x: 1 / (3 * cbrt(x) ** 2), sp.Integer(1000)),
]


@pytest.mark.parametrize("expr, x0, f, df, root", QUADRATIC, ids=[c[0] for c in QUADRATIC])
def test_converged_quadratically(expr, x0, f, df, root):
    r = run_newton(expr, x0=x0)
    assert r.status == "converged" and r.converged and r.rate in ("quadratic", "exact")
    iterates = ref(f, df, x0, len(r.iterations) + 3)
    same_start(r, iterates)
    # independent root: the exact one, or SymPy's nsolve from the reference's limit
    if root is None:
        root = sp.nsolve(_sympy(expr), X, float(iterates[-1]))
    assert r.root[0] == pytest.approx(float(root), rel=1e-10, abs=1e-12)
    # quadratic: the reference's corrections shrink faster and faster
    steps = [abs(float(b - a)) for a, b in zip(iterates, iterates[1:], strict=False)]
    tail = [s for s in steps if s > 1e-40][-3:]
    assert len(tail) < 2 or tail[-1] / tail[-2] < 0.1


def _sympy(expr: str) -> sp.Expr:
    """A test expression in SymPy (its own parser, not the product's)."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    tr = standard_transformations + (implicit_multiplication_application, convert_xor)
    return parse_expr(expr.replace("e^", "E^").replace("ln", "log"), transformations=tr,
                      local_dict={"x": X, "E": sp.E})


# -- converged linearly: a multiple root ----------------------------------------------------
LINEAR = [
    ("x^2", 1, {}, 0, 2),
    ("(x-1)^3", 2, {"max_iter": 100}, 1, 3),
    ("(x-1000)^2", 0, {}, 1000, 2),
    ("x^2 - 2x + 1", 3, {}, 1, 2),
    ("(x-2)^2 (x+1)", 3, {}, 2, 2),
    ("sin(x)^2", 0.5, {}, 0, 2),
    ("(e^x - 1)^2", 1, {}, 0, 2),
    ("(x^2 - 2)^2", 1, {}, sp.sqrt(2), 2),
    ("(x+3)^4", 0, {"max_iter": 200}, -3, 4),
    ("1 - cos x", 1, {}, 0, 2),
    ("x^3", 1, {"optimise": True}, 0, 2),
    ("x^4", -2, {"optimise": True, "max_iter": 100}, 0, 3),
]


@pytest.mark.parametrize("expr, x0, kw, root, m", LINEAR, ids=[c[0] for c in LINEAR])
def test_converged_linearly_at_a_multiple_root(expr, x0, kw, root, m):
    r = run_newton(expr, x0=x0, **kw)
    assert r.status == "converged_linear" and r.converged and r.rate == "linear"
    assert r.multiplicity == pytest.approx(m, abs=0.05)
    assert r.root[0] == pytest.approx(float(root), abs=1e-7 * max(1, abs(float(root))))
    # independently: the multiplicity is the order of the first nonzero derivative at the root
    g = _sympy(expr)
    if kw.get("optimise"):
        g = sp.diff(g, X)
    derivs = [sp.simplify(sp.diff(g, X, k).subs(X, root)) for k in range(m + 1)]
    assert all(d == 0 for d in derivs[:m]) and derivs[m] != 0
    # and plain Newton (SymPy's lambdify, at 50 digits) has corrections in the ratio (m-1)/m
    gf = sp.lambdify(X, g, "mpmath")
    dgf = sp.lambdify(X, sp.diff(g, X), "mpmath")
    it = ref(gf, dgf, x0, 25)
    steps = [abs(b - a) for a, b in zip(it, it[1:], strict=False)]
    assert float(steps[-1] / steps[-2]) == pytest.approx((m - 1) / m, rel=0.02)
    assert "modified step" in r.explanation and f"m = {m}" in r.explanation


def test_exact_multiplicity_is_proven_and_json_has_the_fields():
    j = cli("newton", "(x-1)^3", "--x0", "2", "--max-iter", "100", "--format", "json").json()
    assert j["status"] == "converged_linear" and j["rate"] == "linear" and j["multiplicity"] == 3
    assert "f(1) = f'(1) = f''(1) = 0" in j["evidence"]
    # the old false verdicts are gone
    out = cli("newton", "x^2", "--x0", "1").out
    assert "Cycling" not in out and "linear" in out
    out = cli("newton", "(x-1)^3", "--x0", "2").out
    assert "derivative vanishes" not in out and "flat" not in out


# -- diverged -------------------------------------------------------------------------------
DIVERGED = [
    ("x^(1/3)", 1, lambda x: cbrt(x), lambda x: 1 / (3 * cbrt(x) ** 2)),
    ("x^(1/3)", -5, lambda x: cbrt(x), lambda x: 1 / (3 * cbrt(x) ** 2)),
    ("cbrt(x)", 0.5, lambda x: cbrt(x), lambda x: 1 / (3 * cbrt(x) ** 2)),
    ("x^(1/5)", 2, lambda x: mp.sign(x) * abs(x) ** 0.2, lambda x: abs(x) ** -0.8 / 5),
    ("atan x", 3, lambda x: mp.atan(x), lambda x: 1 / (1 + x**2)),
    ("atan x", -2, lambda x: mp.atan(x), lambda x: 1 / (1 + x**2)),
    ("atan(x - 100)", 103, lambda x: mp.atan(x - 100), lambda x: 1 / (1 + (x - 100) ** 2)),
    ("tanh x", 2, lambda x: mp.tanh(x), lambda x: 1 / mp.cosh(x) ** 2),
    ("x/(x^2+1)", 2, lambda x: x / (x**2 + 1), lambda x: (1 - x**2) / (x**2 + 1) ** 2),
    ("2x/(x^2+4)", 5, lambda x: 2 * x / (x**2 + 4), lambda x: (8 - 2 * x**2) / (x**2 + 4) ** 2),
]


@pytest.mark.parametrize("expr, x0, f, df", DIVERGED, ids=[f"{c[0]} from {c[1]}" for c in DIVERGED])
def test_diverged_with_the_trend(expr, x0, f, df):
    r = run_newton(expr, x0=x0)
    assert r.status == "diverged" and not r.converged
    n = len(r.iterations) - 1
    iterates = ref(f, df, x0, n + 5, dps=60)
    same_start(r, iterates, k=3, rel=1e-9)
    # the reference keeps running off too: |x| at the end far beyond the start, and growing
    norms = [abs(float(v)) for v in iterates]
    assert norms[-1] > 1e3 * max(1, abs(x0)) and norms[-1] > norms[-3]
    assert "|x| =" in r.explanation


def test_cube_root_textbook_divergence():
    # the real cube root: x - x^(1/3) / (x^(-2/3)/3) = -2x, so 1, -2, 4, -8, ...
    r = run_newton("x^(1/3)", x0=1)
    xs = [it.x[0] for it in r.iterations]
    assert xs == [(-2.0) ** k for k in range(len(xs))] and len(xs) > 8
    assert "2 times the last" in r.explanation


# -- cycles ---------------------------------------------------------------------------------
def _cubic(a, b, c, shift=0, scale=1):
    def f(x):
        t = (x - shift) / scale
        return t**3 + a * t**2 + b * t + c

    def df(x):
        t = (x - shift) / scale
        return (3 * t**2 + 2 * a * t + b) / scale
    return f, df


CYCLES = [
    ("x^3 - 2x + 2", 0, 2, _cubic(0, -2, 2)),
    ("x^3 - 5x", 1, 2, _cubic(0, -5, 0)),
    ("x^3 - 5x", -1, 2, _cubic(0, -5, 0)),
    ("x^3 - 20x", 2, 2, _cubic(0, -20, 0)),
    ("x^3 - 45x", 3, 2, _cubic(0, -45, 0)),
    ("x^3 - 80x", -4, 2, _cubic(0, -80, 0)),
    ("(x-1000)^3 - 2(x-1000) + 2", 1000, 2, _cubic(0, -2, 2, shift=1000)),
    ("(x/10)^3 - 2(x/10) + 2", 0, 2, _cubic(0, -2, 2, scale=10)),
    ("x^3 - 2x + 2", 0.01, 2, _cubic(0, -2, 2)),
    ("x^5 - x + 1", 0, 3, (lambda x: x**5 - x + 1, lambda x: 5 * x**4 - 1)),
]


@pytest.mark.parametrize("expr, x0, p, fns", CYCLES, ids=[f"{c[0]} from {c[1]}" for c in CYCLES])
def test_true_cycles(expr, x0, p, fns):
    r = run_newton(expr, x0=x0)
    assert r.status == "cycle" and r.period == p and not r.converged
    f, df = fns
    # plain floats, 300 steps: the orbit settles on a p-cycle whose points are not roots
    x, orbit = float(x0), []
    for _ in range(300):
        x = x - f(x) / df(x)
        orbit.append(x)
    last = orbit[-2 * p:]
    assert all(abs(last[i] - last[i + p]) <= 1e-6 * max(1, abs(last[i])) for i in range(p))
    assert min(abs(f(v)) for v in last) > 0.1
    assert len(set(round(v, 6) for v in last)) == p
    # the product's cycle points are the reference's
    mine = sorted(round(it.x[0], 6) + 0.0 for it in r.iterations[-p:])
    assert mine == pytest.approx(sorted(set(round(v, 6) + 0.0 for v in last)), abs=1e-5)


def test_two_cycle_shown_as_zero_one_zero_one():
    j = cli("newton", "x^3 - 2x + 2", "--x0", "0", "--format", "json").json()
    assert [it["x"] for it in j["iterations"]] == [0, 1, 0, 1] and j["period"] == 2
    assert j["status"] == "cycle"


# -- flat tangents --------------------------------------------------------------------------
FLAT = [
    ("x^2 - 1", 0, {}), ("x^2 - 4", 0, {}), ("x^4 - 1", 0, {}), ("cos x", 0, {}),
    ("cos(x) - 0.5", "pi", {}), ("x^3 - 3x", 1, {}), ("x^3 - 3x + 1", -1, {}),
    ("e^(-x^2) - 0.5", 0, {}), ("(x-1)^2 - 1", 1, {}), ("x^4 - 4x", 0, {"optimise": True}),
]


@pytest.mark.parametrize("expr, x0, kw", FLAT, ids=[c[0] for c in FLAT])
def test_flat_tangent(expr, x0, kw):
    r = run_newton(expr, x0=x0, **kw)
    assert r.status == "zero_derivative" and not r.converged
    g = _sympy(expr)
    if kw.get("optimise"):
        g = sp.diff(g, X)
    start = sp.pi if x0 == "pi" else sp.nsimplify(x0)
    fx = g.subs(X, start)
    if x0 == "pi":  # the start is the float nearest pi: f' is tiny there, not 0
        xf = sp.Float(math.pi, 50)
        fx, dfx = g.subs(X, xf).evalf(50), sp.diff(g, X).subs(X, xf).evalf(50)
        assert dfx != 0 and abs(fx / dfx) > 1e10
        assert "tiny" in r.explanation
    else:
        assert sp.diff(g, X).subs(X, start) == 0 and fx != 0
        assert "evaluates to 0" in r.explanation


def test_flat_tangent_of_a_system_and_a_long_step_that_is_fine():
    r = run_newton("x^2 + y^2 - 4, x y - 1", x0="0,0")
    assert r.status == "zero_derivative"
    assert sp.Matrix([[2 * X, 2 * X], [0, 0]]).subs(X, 0).det() == 0
    # a linear f: the step to its root 10^13 is huge, but the slope never changes along it
    r = run_newton("x - 10^13", x0=0)
    assert r.status == "converged" and r.root[0] == 1e13


# -- no real root ---------------------------------------------------------------------------
NO_ROOT = [
    ("x^2 + 1", 2, {}), ("x^2 + 1", 0, {}), ("e^x", 0, {}), ("1/x", 1, {}),
    ("sin(x) + 2", 1, {}), ("x^4 + x^2 + 1", 1, {}), ("e^x + x^2", 0, {}),
    ("cos(x)^2 + 1", 0.3, {}), ("x^2 - 2x + 3", 0, {}), ("1/(x^2+1)", 1, {}),
    ("e^(-x^2)", 1, {}), ("e^x", 0, {"optimise": True}), ("x^3 + x", 1, {"optimise": True}),
]


@pytest.mark.parametrize("expr, x0, kw", NO_ROOT, ids=[f"{c[0]} {c[2]}" for c in NO_ROOT])
def test_no_real_root(expr, x0, kw):
    r = run_newton(expr, x0=x0, **kw)
    assert r.status == "no_real_root" and not r.converged and r.evidence
    g = _sympy(expr)
    if kw.get("optimise"):
        g = sp.diff(g, X)
    xr = sp.Symbol("x", real=True)
    assert sp.solveset(g.subs(X, xr), xr, sp.S.Reals) == sp.S.EmptySet
    # a sign scan: never 0 on a fine grid, and a sign change only across a pole (1/x)
    grid = np.linspace(-10, 10, 20001)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = sp.lambdify(X, g, "numpy")(grid) * np.ones_like(grid)
    values = values[np.isfinite(values)]
    assert (values != 0).all()
    flips = np.nonzero(np.sign(values[:-1]) != np.sign(values[1:]))[0]
    assert all(max(abs(values[i]), abs(values[i + 1])) > 1e3 for i in flips)
    # with no root to find, advice to look further (more iterations, a closer start, a
    # root "further on", "far from a root") would be false
    lowered = r.explanation.lower()
    for false_hope in ("raise --max-iter", "start closer", "further on", "far from a root",
                       "converging"):
        assert false_hope not in lowered, (false_hope, r.explanation)


def test_no_real_root_still_says_what_stopped_the_run():
    r = run_newton("x^2 + 1", x0=0)
    assert "f'(x0) evaluates to 0" in r.explanation and "Sturm" in r.explanation
    r = run_newton("e^x", x0=0)
    assert "e^x > 0" in r.explanation and "Start" not in r.explanation


# -- stopped at --max-iter ------------------------------------------------------------------
MAX_ITER = [
    ("(x-1)^3", 2, {}, 3), ("(x-1)^5", 2, {}, 5), ("(x-1)^5", 2, {"max_iter": 30}, 5),
    ("x^2 - 2x + 1", 3, {"max_iter": 10}, 2), ("(x+7)^4", 0, {"max_iter": 60}, 4),
    ("x^2 - 2", 1, {"max_iter": 3}, None), ("cos x - x", 1, {"max_iter": 2}, None),
    ("e^x - 1", 1000, {}, None), ("x e^(-x)", 2, {}, None), ("e^x - 10^(-40)", 0, {}, None),
    ("x^2 - 10^6", 1, {"max_iter": 5}, None),
]


@pytest.mark.parametrize("expr, x0, kw, m", MAX_ITER, ids=[f"{c[0]} {c[2]}" for c in MAX_ITER])
def test_stopped_at_max_iter_with_the_trend(expr, x0, kw, m):
    r = run_newton(expr, x0=x0, **kw)
    limit = kw.get("max_iter", 50)
    assert r.status == "max_iter" and not r.converged and len(r.iterations) == limit + 1
    g = _sympy(expr)
    gf, dgf = sp.lambdify(X, g, "mpmath"), sp.lambdify(X, sp.diff(g, X), "mpmath")
    iterates = ref(gf, dgf, x0, limit)
    assert r.root[0] == pytest.approx(float(iterates[-1]), rel=1e-9)
    step = abs(float(iterates[-1] - iterates[-2]))
    assert step > 1e-10 * max(1, abs(float(iterates[-1])))  # truly not converged yet
    if m is not None:
        ratio = float(abs(iterates[-1] - iterates[-2]) / abs(iterates[-2] - iterates[-3]))
        assert 1 / (1 - ratio) == pytest.approx(m, rel=0.02)
        assert r.multiplicity == pytest.approx(m, rel=0.02) and "modified step" in r.explanation
    else:
        assert r.multiplicity is None


def test_max_iter_is_neutral_in_the_view():
    from calctutor.render.doc import Note, Verdict
    from calctutor.render.plain import render_plain
    from calctutor.render.views import view

    blocks = view(run_newton("(x-1)^3", x0=2))
    assert not any(isinstance(b, Verdict) for b in blocks)
    assert "--max-iter 50" in render_plain(blocks) and any(isinstance(b, Note) for b in blocks)


# -- exactly N steps ------------------------------------------------------------------------
STEPS = [
    ("x^2 - 2", 1, 3), ("x^2", 1, 5), ("x^3 - 2x + 2", 0, 4), ("x^(1/3)", 1, 4),
    ("e^x", 0, 3), ("x^2 + 1", 2, 6), ("(x-1)^3", 2, 5), ("atan x", 3, 3),
    ("cos x - x", 1, 2), ("x^3 - 5x", 1, 4),
]


@pytest.mark.parametrize("expr, x0, n", STEPS, ids=[f"{c[0]} x{c[2]}" for c in STEPS])
def test_steps_stay_neutral(expr, x0, n):
    r = run_newton(expr, x0=x0, steps=n)
    assert r.status == "steps" and len(r.iterations) == n + 1
    assert r.headline == f"Stopped after {n} iterations, as asked (--steps {n})"
    g = _sympy(expr)
    dg = sp.diff(g, X)
    if expr == "x^(1/3)":  # the real cube root, by hand
        it = ref(cbrt, lambda x: 1 / (3 * cbrt(x) ** 2), x0, n)
    else:
        it = ref(sp.lambdify(X, g, "mpmath"), sp.lambdify(X, dg, "mpmath"), x0, n)
    same_start(r, it, k=n + 1, rel=1e-9)


# -- --answer: a root, but not the one asked for --------------------------------------------
@pytest.mark.parametrize("expr, x0, kw, answer, code", [
    ("x^2 - 2", "1", {}, "-sqrt(2)", "other_root"),
    ("x^2 - 2", "1", {}, "-1.41421", "other_root"),
    ("cos x", "1", {}, "3pi/2", "other_root"),
    ("x^3 - 3x", "2", {"optimise": True}, "-1", "other_root"),
    ("x^3 - 2x + 2", "0", {}, "-1.769292354", "other_root"),
    ("x^2 - 2", "1", {"steps": 3}, "sqrt(2)", "root_not_iterate"),
    ("(x-1)(x-2)(x-3)", "0", {}, "3", "other_root"),
])
def test_other_root(expr, x0, kw, answer, code):
    r = run_newton(expr, x0=x0, **kw)
    v = check_answer(r, answer)
    assert v.correct is False and v.diagnosis == code, v.feedback
    # independently: the learner's value is (within its decimals) a root of f (f' optimising)
    g = _sympy(expr)
    if kw.get("optimise"):
        g = sp.diff(g, X)
    value = _sympy(answer)
    if value.atoms(sp.Float):
        assert abs(float(g.subs(X, value))) < 1e-4
    else:
        assert sp.simplify(g.subs(X, value)) == 0
    assert "root" in v.feedback or "stationary point" in v.feedback


@pytest.mark.parametrize("answer, correct", [("sqrt(2)", True), ("1.41421356", True),
                                             ("2", False), ("-1.4", False)])
def test_other_root_does_not_fire_for_non_roots_or_right_answers(answer, correct):
    v = check_answer(run_newton("x^2 - 2", x0=1), answer)
    assert v.correct is correct and v.diagnosis not in ("other_root", "root_not_iterate", "sign_error")


def test_other_root_cli_exit_1():
    r = cli("newton", "x^2 - 2", "--x0", "1", "--answer", "-sqrt(2)")
    assert r.code == 1 and "-sqrt(2) is a root of f" in r.out and "converges to 1.414213562" in r.out
    assert "wrong sign" not in r.out


# -- no crash anywhere: random polynomial and trigonometric problems ------------------------
_RUNNER = CliRunner()


@st.composite
def problems(draw):
    c = st.integers(-4, 4)
    kind = draw(st.sampled_from(["poly", "trig", "mixed"]))
    if kind == "poly":
        coeffs = [draw(c) for _ in range(draw(st.integers(2, 5)))]
        expr = " + ".join(f"({a})*x^{k}" for k, a in enumerate(coeffs))
    elif kind == "trig":
        fn = draw(st.sampled_from(["sin", "cos", "tan"]))
        expr = f"({draw(c)})*{fn}(({draw(c)})*x) + ({draw(c)})*cos(x) + ({draw(c)})"
    else:
        expr = f"({draw(c)})*x^{draw(st.integers(1, 3))} + ({draw(c)})*sin(x) + ({draw(c)})"
    x0 = draw(st.integers(-500, 500)) / 100
    args = ["newton", expr, "--x0", str(x0), "--format", draw(st.sampled_from(["plain", "json"]))]
    if draw(st.booleans()):
        args.append("--optimise")
    extra = draw(st.sampled_from([[], ["--steps", "3"], ["--max-iter", "20"],
                                  ["--answer", str(draw(st.integers(-3, 3)))]]))
    return args + extra


@settings(max_examples=40, deadline=None)
@given(problems())
def test_random_problems_never_crash(args):
    # in-process (no forked worker per example) keeps this a few seconds; the CLI path,
    # its error handling and exit codes are the same
    res = _RUNNER.invoke(app, args, env={"CALCTUTOR_NO_SANDBOX": "1"})
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, res.exception)
    assert res.exit_code in (0, 1, 2), (args, res.exit_code, res.stderr)
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr + res.stdout


def test_exact_steps_answer_checks():
    # x^2 - 10 from 2: by hand with fractions, x - (x^2 - 10)/(2x)
    from fractions import Fraction

    x = Fraction(2)
    for _ in range(2):
        x = x - (x * x - 10) / (2 * x)
    r = run_newton("x^2 - 10", x0="2", steps=2, exact=True)
    text = f"{x.numerator}/{x.denominator}"
    assert check_answer(r, text).correct is True


def test_steps_answer_is_the_list_or_the_last_iterate_on_every_path():
    # the library's check_answer and the quiz (an exercise's check) adapt as --answer does:
    # x^2 - 2 from 1, by hand with fractions: x1 = 3/2, x2 = 17/12; the wrong sign (x + f/f')
    # gives 1/2, then 1/2 + (1/4 - 2)/1 = -5/4
    from calctutor.drills import instantiate, load_bank
    from calctutor.drills.validate import solved_and_valid
    from calctutor.topics import run_kind

    xs = [Fraction(1)]
    for _ in range(2):
        xs.append(xs[-1] - (xs[-1] ** 2 - 2) / (2 * xs[-1]))
    x1, x2 = (f"{v.numerator}/{v.denominator}" for v in xs[1:])
    r = run_kind("newton", {"expr": "x^2 - 2", "x0": "1", "steps": 2, "exact": True})
    assert check_answer(r, x2).correct is True
    assert check_answer(r, f"{x1}, {x2}").correct is True
    assert check_answer(r, x1).correct is False  # x1 is not x2
    wrong = check_answer(r, "-5/4")
    assert wrong.correct is False and wrong.diagnosis == "newton_wrong_sign"
    assert check_answer(r, f"{x1}, {x2}, 1").correct is False  # three entries: the list's shape

    template = next(t for t in load_bank().templates if t.key == "module5/newton-square-root")
    ex = next(e for e in (solved_and_valid(instantiate(template, s), template) for s in range(9))
              if e is not None)
    a, p = int(ex.input["expr"].split("-")[1]), Fraction(int(ex.input["x0"]))
    its = [p]
    for _ in range(2):
        its.append(its[-1] - (its[-1] ** 2 - a) / (2 * its[-1]))
    last = f"{its[-1].numerator}/{its[-1].denominator}"
    assert ex.check(last).correct is True
    assert ex.check(", ".join(f"{v.numerator}/{v.denominator}" for v in its[1:])).correct is True
    assert ex.check(f"{its[1].numerator}/{its[1].denominator}").correct is False
