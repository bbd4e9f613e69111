"""Fitting against independent computations: hand-derived normal equations, scipy's curve_fit."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import UsageError
from calctutor.topics.optimise.run import run_fit

DATA = Path(__file__).parent / "data"
EXAMPLES = [json.loads(line) for line in (DATA / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
try:  # only the comparisons with curve_fit need scipy (an optional test dependency)
    from scipy import optimize
except ImportError:
    optimize = None
needs_scipy = pytest.mark.skipif(optimize is None, reason="compares with scipy.optimize.curve_fit")


def _csv(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def _course(ex):
    inp = ex["input"]
    return {"x": inp["x"], "y": inp["y"]}


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["kind"] in ("chisq", "linreg")],
                         ids=lambda e: e["id"])
def test_course_examples(ex):
    inp = ex["input"]
    if ex["kind"] == "linreg":
        r = run_fit(_course(ex), "m*x + c")
        assert [sp.sstr(v) for v in r.values] == ex["answer"]
        assert check_answer(r, ", ".join(ex["answer"])).correct is True
        return
    at = ",".join(f"{k}={v}" for k, v in inp["at"].items())
    if inp["task"] == "value":
        r = run_fit(_course(ex), inp["model"], params=inp["params"], at=at)
        assert sp.sstr(r.chi2) == ex["answer"]
    elif inp["task"] == "gradient":
        r = run_fit(_course(ex), inp["model"], params=inp["params"], at=at, goal="gradient")
        assert [sp.sstr(g) for g in r.gradient] == ex["answer"]
        assert check_answer(r, ", ".join(ex["answer"])).correct is True
    else:
        r = run_fit(_course(ex), inp["model"], params=inp["params"], at=at,
                    rate=inp["step_size"], steps=1, goal="steps")
        assert [sp.sstr(v) for v in r.steps[-1].params] == ex["answer"]
        assert check_answer(r, ", ".join(ex["answer"])).correct is True


def test_line_fit_matches_closed_form_and_is_exact():
    xs, ys = [0, 1, 2, 3], [1, 3, 4, 8]
    r = run_fit(str(DATA / "line4.csv"), "m*x + c")
    xbar, ybar = sp.Rational(sum(xs), 4), sp.Rational(sum(ys), 4)
    m = sum((x - xbar) * y for x, y in zip(xs, ys, strict=True)) / sum((x - xbar) ** 2 for x in xs)
    assert r.values == (m, ybar - m * xbar) == (sp.Rational(11, 5), sp.Rational(7, 10))
    assert r.method == "normal equations" and r.iterations == 0
    assert r.chi2 == sum((y - m * x - (ybar - m * xbar)) ** 2 for x, y in zip(xs, ys, strict=True))
    j = r.to_json()
    assert j["params"] == {"m": "11/5", "c": "7/10"} and j["chi2"] == "9/5"


def _curve_fit(f, x, y, sigma=None, p0=None):
    popt, _ = optimize.curve_fit(f, np.array(x), np.array(y), p0=p0, sigma=sigma,
                                 absolute_sigma=True, ftol=1e-15, xtol=1e-15, gtol=1e-15,
                                 maxfev=100000)
    return popt


def _columns(path, *names):
    import csv

    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    return [[float(r[n]) for r in rows] for n in names]


@needs_scipy
def test_weighted_line_matches_curve_fit():
    path = str(DATA / "sigma_line.csv")
    x, y, s = _columns(path, "x", "y", "sigma")
    r = run_fit(path, "a*x + b")
    want = _curve_fit(lambda x, a, b: a * x + b, x, y, s)
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-6)
    chi2 = sum(((yi - want[0] * xi - want[1]) / si) ** 2 for xi, yi, si in zip(x, y, s, strict=True))
    assert float(r.chi2) == pytest.approx(chi2, rel=1e-6)


@needs_scipy
def test_nonlinear_decay_matches_curve_fit():
    path = str(DATA / "decay.csv")
    x, y, s = _columns(path, "t", "counts", "err")
    r = run_fit(path, "a*exp(-k*t) + c", x="t", y="counts", sigma="err", start="a=4,k=1,c=0")
    assert r.method == "Levenberg-Marquardt" and r.converged and r.iterations > 0
    want = _curve_fit(lambda t, a, k, c: a * np.exp(-k * t) + c, x, y, s, p0=[4, 1, 0])
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-6)


@needs_scipy
def test_gaussian_heights_matches_curve_fit():
    path = str(DATA / "heights.csv")
    x, y = _columns(path, "height", "freq")
    model = "exp(-(height - mu)^2/(2 s^2))/(s sqrt(2 pi))"
    r = run_fit(path, model, x="height", y="freq", params="mu,s", start="mu=175,s=5")
    want = _curve_fit(lambda h, mu, s: np.exp(-(h - mu) ** 2 / (2 * s**2)) / (s * math.sqrt(2 * math.pi)),
                      x, y, p0=[175, 5])
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-6)


def test_gradient_descent_fit_converges_to_the_exact_fit():
    r = run_fit(str(DATA / "line4.csv"), "m*x + c", rate="0.05", start="m=0,c=0")
    assert r.method == "gradient descent" and r.converged
    assert [float(v) for v in r.values] == pytest.approx([2.2, 0.7], rel=1e-6)


def test_at_with_steps_by_hand():
    # chi^2 = sum (y - m x - c)^2 on (1,0),(2,2),(3,1); grad at (1,-1) = (2, 0)
    r = run_fit({"x": [1, 2, 3], "y": [0, 2, 1]}, "m*x + c", at="m=1,c=-1", rate="1/4", steps=2)
    m, c = sp.symbols("m c")
    chi = sum((yi - m * xi - c) ** 2 for xi, yi in ((1, 0), (2, 2), (3, 1)))
    point = {m: 1, c: -1}
    for _ in range(2):
        g = [sp.diff(chi, v).subs(point) for v in (m, c)]
        point = {m: point[m] - g[0] / 4, c: point[c] - g[1] / 4}
    assert r.steps[-1].params == (point[m], point[c])
    assert r.steps[-1].chi2 == chi.subs(point)
    j = r.to_json()
    assert set(j) >= {"chi2", "gradient", "steps"} and len(j["steps"]) == 2
    assert set(j["steps"][0]) >= {"params", "chi2"}


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("x,y\n", "no data rows"),
    ("x,z\n1,2\n2,3\n", "no column 'y'"),
    ("x,y\n1,2\n2,oops\n3,4\n", "line 3 (data row 2), column 'y'"),
    ("x,y\n1,2\n2\n", "line 3 (data row 2), column 'y' is missing"),
    ("x,y,sigma\n1,2,1\n2,3,0\n3,3,1\n", "line 3 (data row 2), column 'sigma'"),
    ("x,y,sigma\n1,2,-1\n2,3,1\n", "line 2 (data row 1), column 'sigma'"),
    ("x,y\n1,2\n", "fewer than the 2 parameters"),
])
def test_malformed_csv(tmp_path, text, message):
    with pytest.raises(UsageError) as err:
        run_fit(_csv(tmp_path, text), "m*x + c")
    assert message in str(err.value)


def test_missing_file():
    with pytest.raises(UsageError, match="no such file"):
        run_fit("/nonexistent/data.csv", "m*x + c")


def test_mistakes(tmp_path):
    path = _csv(tmp_path, "x,y,sigma\n0,1,1\n1,3,2\n2,4,1\n3,8,2\n")
    r = run_fit(path, "m*x + c", at="m=1,c=-1")
    # by hand: residuals y - (x - 1) = 2, 3, 3, 6; sigma 1, 2, 1, 2
    assert r.chi2 == sp.Rational(4) + sp.Rational(9, 4) + 9 + 9
    wrong = 4 + sp.Rational(9, 2) + 9 + 18
    v = check_answer(r, str(wrong))
    assert (v.correct, v.diagnosis) == (False, "sigma_not_squared")
    g = run_fit(path, "m*x + c", at="m=1,c=-1", goal="gradient")
    neg = ", ".join(sp.sstr(-x) for x in g.gradient)
    assert check_answer(g, neg).diagnosis == "residual_sign"
    fit = run_fit(path, "m*x + c")
    unsq = run_fit(_csv(tmp_path, "x,y,sigma\n0,1,1\n1,3,1.4142135623730951\n2,4,1\n"
                        "3,8,1.4142135623730951\n", "u.csv"), "m*x + c")
    v = check_answer(fit, ", ".join(repr(float(p)) for p in unsq.values))
    assert v.diagnosis == "sigma_not_squared"
    s = run_fit({"x": [1, 2, 3], "y": [0, 2, 1]}, "m*x + c", at="m=1,c=-1", rate="1/4", steps=1,
                goal="steps")
    assert check_answer(s, "3/2, -1").diagnosis == "residual_sign"
    assert check_answer(s, "-1, -1").diagnosis == "rate_missing"


def test_model_must_use_the_x_column(tmp_path):
    path = _csv(tmp_path, "time,value\n0,1\n1,2\n2,2.9\n")
    with pytest.raises(UsageError, match="x column is 'time'"):
        run_fit(path, "a*x", x="time", y="value")
    r = run_fit(path, "a", x="time", y="value")
    assert float(r.values[0]) == pytest.approx((1 + 2 + 2.9) / 3) and r.notes
    r = run_fit(path, "a*time + b", x="time", y="value")
    want = np.polyfit([0, 1, 2], [1, 2, 2.9], 1)
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-9)


def test_answer_as_named_parameters_in_any_order():
    # F9: the parameters are named, so "m=11/5, c=7/10" (as --at takes them) is accepted
    r = run_fit(str(DATA / "line4.csv"), "m*x + c")
    assert check_answer(r, "m=11/5, c=7/10").correct is True
    assert check_answer(r, "c = 7/10, m = 11/5").correct is True
    assert check_answer(r, "m=7/10, c=11/5").correct is False
    for bad, message in (("m=11/5, q=7/10", "unknown name 'q'"), ("m=11/5", "no value for c"),
                         ("m=11/5, 7/10", "name every entry"), ("m=1, m=2", "'m' is given twice")):
        with pytest.raises(UsageError, match=message) as err:
            check_answer(r, bad)
        assert type(err.value) is UsageError


def test_linear_solve_against_numpy():
    """The shared elimination (fit's normal equations, Lagrange's Newton steps)."""
    from calctutor.topics.optimise.linalg import linear_solve

    A, b = [[4.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 4.0]], [11.0, -16.0, 17.0]
    assert np.allclose(linear_solve(A, b), np.linalg.solve(np.array(A), np.array(b)))
    assert linear_solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]) is None  # singular
    assert linear_solve([[0.0, 0.0], [0.0, 0.0]], [0.0, 0.0]) is None
