"""Fitting at its edges: parameters the data cannot separate, and gradient descent on chi^2
that diverges or oscillates. Checked against NumPy's lstsq/polyfit and SciPy's curve_fit."""

import re

import numpy as np
import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import UsageError
from calctutor.topics.optimise.run import run_fit

try:  # only the comparison with curve_fit needs scipy (an optional test dependency)
    from scipy import optimize
except ImportError:
    optimize = None

X = [0, 1, 2, 3, 4]
Y = [1, 3, 5, 7.1, 8.9]


def _data(x=X, y=Y):
    return {"x": list(x), "y": list(y)}


def _combo(r):
    ident = r.identifiability
    assert ident is not None and len(ident.determined) == 1
    combo, value = ident.determined[0]
    return sp.sstr(combo), float(value)


# -- redundant parameters -------------------------------------------------------------
def test_product_of_parameters_only_the_product_is_determined():
    r = run_fit(_data(), "a*b*x + c")
    slope, intercept = np.polyfit(X, Y, 1)
    combo, value = _combo(r)
    assert combo == "a*b" and value == pytest.approx(slope, rel=1e-6)
    assert [p.name for p in r.identifiability.undetermined] == ["a", "b"]
    assert r.determined == (False, False, True)
    assert float(r.values[2]) == pytest.approx(intercept, rel=1e-6)
    assert r.status == "undetermined" and r.identifiability.symbolic
    j = r.to_json()
    assert j["identifiable"] is False and j["identifiability"]["undetermined"] == ["a", "b"]
    assert j["identifiability"]["determined"][0]["combination"] == "a*b"


def test_product_never_shown_as_a_best_fit_value():
    from calctutor.render import render

    text = render(run_fit(_data(), "a*b*x + c"), "plain", width=100, color=False)
    assert "Best fit a:" not in text and "Best fit b:" not in text
    assert "Best fit c:" in text and "not determined by the data" in text
    assert re.search(r"only a.b = 1\.99", " ".join(text.split()))


def test_answer_for_undetermined_parameters_is_refused_with_the_reason():
    r = run_fit(_data(), "a*b*x + c")
    with pytest.raises(UsageError, match="only a·b"):
        check_answer(r, "1, 2, 1")
    chi = run_fit(_data(), "a*b*x + c", goal="chi2")
    slope, intercept = np.polyfit(X, Y, 1)
    want = sum((y - slope * x - intercept) ** 2 for x, y in zip(X, Y, strict=True))
    assert check_answer(chi, repr(float(want))).correct is True


def test_exponential_shift_only_a_times_e_to_the_b_is_determined():
    xs, ys = [0, 0.5, 1, 1.5, 2], [2.1, 3.2, 5.5, 9.0, 14.6]
    r = run_fit(_data(xs, ys), "a*exp(b + x)", start="a=1,b=0")
    # y = A e^x is linear in A: least squares A = sum(y e^x) / sum(e^2x)
    e = np.exp(xs)
    A = float(np.dot(ys, e) / np.dot(e, e))
    combo, value = _combo(r)
    assert combo == "a*exp(b)" and value == pytest.approx(A, rel=1e-6)


def test_two_constants_only_their_sum_is_determined():
    r = run_fit(_data(), "c1 + c2 + m*x")
    slope, intercept = np.polyfit(X, Y, 1)
    combo, value = _combo(r)
    assert combo == "c1 + c2" and value == pytest.approx(intercept, rel=1e-9)
    names = [p.name for p in r.params]
    assert float(r.values[names.index("m")]) == pytest.approx(slope, rel=1e-9)
    assert r.identifiability.rank == 2


def test_exact_data_that_cannot_separate_slope_and_intercept():
    # every x is 1: only m + c (the model's value there) is determined, = mean(y), exactly
    r = run_fit({"x": [1, 1, 1], "y": [2, 3, 7]}, "m*x + c")
    combo, value = _combo(r)
    assert combo in ("c + m", "m + c")
    assert r.identifiability.determined[0][1] == sp.Rational(4)
    assert not r.identifiability.symbolic and r.status == "undetermined"


def test_data_that_fix_a_weighted_combination():
    # every x is 2: 2m + c is the model's value there, = mean(y)
    r = run_fit({"x": [2, 2, 2], "y": [1.0, 2.0, 4.5]}, "m*x + c")
    combo, value = _combo(r)
    assert combo.replace(" ", "") in ("2*m+c", "c+2*m") and value == pytest.approx(2.5)


def test_parameter_the_model_ignores():
    r = run_fit(_data(), "a*x", params="a,b")
    ident = r.identifiability
    assert [p.name for p in ident.undetermined] == ["b"] and "does not depend on b" in ident.reason
    want = np.dot(X, Y) / np.dot(X, X)
    assert float(r.values[0]) == pytest.approx(want, rel=1e-9)


# -- well-posed fits stay as they were ------------------------------------------------
def test_well_posed_line_matches_lstsq_and_is_identifiable():
    r = run_fit(_data(), "m*x + c")
    A = np.c_[X, np.ones(len(X))]
    want = np.linalg.lstsq(A, np.array(Y), rcond=None)[0]
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-9)
    assert r.identifiability is None and r.status == "best fit"
    assert r.to_json()["identifiable"] is True


@pytest.mark.skipif(optimize is None, reason="compares with scipy.optimize.curve_fit")
def test_well_posed_nonlinear_matches_curve_fit_and_is_identifiable():
    xs = [0, 1, 2, 3, 4, 5]
    ys = [5.1, 3.0, 1.9, 1.1, 0.72, 0.4]
    r = run_fit(_data(xs, ys), "a*exp(-k*x)", start="a=5,k=0.5")
    want, _ = optimize.curve_fit(lambda x, a, k: a * np.exp(-k * x), xs, ys, p0=[5, 0.5],
                                 ftol=1e-15, xtol=1e-15, gtol=1e-15)
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-6)
    assert r.identifiability is None and r.status == "best fit"


# -- gradient descent on chi^2 --------------------------------------------------------
BIG = {"x": [0, 10, 20, 30, 40], "y": [1, 21, 39, 61, 80]}


def _limit(data):
    A = np.c_[data["x"], np.ones(len(data["x"]))]
    return 2 / np.linalg.eigvalsh(2 * A.T @ A)[-1]


def test_diverged_descent_is_an_error_with_a_rate_that_works():
    with pytest.raises(UsageError) as err:
        run_fit(BIG, "m*x + c", rate="0.1")
    msg = str(err.value)
    assert "diverges" in msg and "--rate 0.1" in msg and "\n" not in msg
    limit = float(re.search(r"2/L = ([0-9.e-]+)", msg).group(1))
    assert limit == pytest.approx(_limit(BIG), rel=1e-3)
    suggested = re.search(r"try --rate ([0-9.e-]+)", msg).group(1)
    assert float(suggested) < _limit(BIG)
    ok = run_fit(BIG, "m*x + c", rate=suggested, start="m=2,c=1")
    assert ok.status in ("best fit", "not converged")
    want = np.polyfit(BIG["x"], BIG["y"], 1)
    # every step went downhill towards the least-squares line
    chis = [float(s.chi2) for s in ok.steps]
    assert all(b <= a for a, b in zip(chis, chis[1:], strict=False))
    assert float(ok.chi2) >= sum((y - want[0] * x - want[1]) ** 2
                                 for x, y in zip(BIG["x"], BIG["y"], strict=True)) - 1e-9


def test_descent_at_exactly_the_limit_oscillates_and_is_an_error():
    # one parameter, y = a x: chi^2'' = 2 sum x^2 = 10, so 2/L = 1/5 and a -> 14/5 - a
    with pytest.raises(UsageError, match="oscillates") as err:
        run_fit({"x": [1, 2], "y": [1, 3]}, "a*x", rate="0.2")
    assert "at the step-size limit 2/L = 0.2" in str(err.value)


def test_descent_just_below_the_limit_is_a_best_fit():
    r = run_fit({"x": [1, 2], "y": [1, 3]}, "a*x", rate="0.19")
    assert r.status == "best fit" and float(r.values[0]) == pytest.approx(7 / 5, rel=1e-7)


def test_too_few_steps_are_not_called_a_best_fit():
    r = run_fit(BIG, "m*x + c", rate="0.0001", steps=3)
    assert r.status == "after steps"
    from calctutor.render import render

    text = render(r, "plain", width=100, color=False)
    assert "After 3 steps m" in text and "Best fit" not in text


def test_overshooting_steps_are_flagged_with_the_limit():
    r = run_fit(BIG, "m*x + c", rate="0.001", steps=2, start="m=2,c=1")
    assert r.status == "after steps"
    note = " ".join(r.notes)
    assert "rose" in note and "above the step-size limit" in note


def test_wide_x_range_cubic_is_not_mistaken_for_redundant_parameters():
    # columns from 1 to 1e9 in size: ill-scaled, but every parameter is determined
    x, y = [0, 200, 400, 600, 800, 1000], [1.0, 3.1, 2.2, 5.0, 4.1, 7.3]
    r = run_fit(_data(x, y), "c0 + c1*x + c2*x^2 + c3*x^3")
    assert r.identifiability is None and r.status == "best fit"
    want = np.polyfit(x, y, 3)[::-1]
    assert [float(v) for v in r.values] == pytest.approx(list(want), rel=1e-6)


def test_product_of_three_parameters():
    r = run_fit(_data(), "a*b*c*x")
    combo, value = _combo(r)
    assert combo == "a*b*c" and value == pytest.approx(np.dot(X, Y) / np.dot(X, X), rel=1e-6)


def test_slow_descent_is_not_a_best_fit_and_names_a_faster_rate():
    data = {"x": [0, 1, 2, 3], "y": [1, 3, 4, 8]}
    r = run_fit(data, "m*x + c", rate="1e-9")
    assert r.status == "not converged" and not r.converged
    note = r.notes[-1]
    m = re.search(r"with --rate ([0-9/.]+) it shrinks by ×([0-9]+\.[0-9]+)", note)
    A = np.c_[data["x"], np.ones(4)]
    lams = np.linalg.eigvalsh(2 * A.T @ A)
    gamma = float(sp.Rational(m.group(1)))
    assert float(m.group(2)) == pytest.approx(max(abs(1 - gamma * lams)), abs=1e-4)
    ok = run_fit(data, "m*x + c", rate=m.group(1))
    assert ok.status == "best fit"
    assert [float(v) for v in ok.values] == pytest.approx(list(np.polyfit(data["x"], data["y"], 1)),
                                                          rel=1e-6)
