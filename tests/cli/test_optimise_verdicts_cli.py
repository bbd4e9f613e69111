"""Descent and fit verdicts through the CLI: exit codes, one-line errors, JSON status, and a
property test that no random problem reaches an internal error."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

X = [0, 1, 2, 3, 4]
Y = [1, 3, 5, 7.1, 8.9]
BIG = {"x": [0, 10, 20, 30, 40], "y": [1, 21, 39, 61, 80]}


def test_descent_cli_statuses(cli):
    cases = [
        (("x^2", "--start", "1", "--rate", "1"), "oscillating"),
        (("x^2 - y^2", "--start", "1,0", "--rate", "0.1"), "saddle"),
        (("x^2 + 4y^2", "--start", "2,1", "--rate", "3"), "diverged"),
        (("x^2 + y^2", "--start", "1,2", "--rate", "0.1", "--steps", "2"), "not_stationary"),
        (("(x-1)^2 + (y+2)^2", "--start", "0,0", "--rate", "0.25"), "minimum"),
    ]
    for args, status in cases:
        r = cli("descent", *args, "-f", "json")
        assert r.code == 0, args
        assert r.json()["status"] == status, args


def test_descent_cli_x4_exact_steps_do_not_crash(cli):
    r = cli("descent", "x^4", "--start", "1", "--rate", "0.1", "--steps", "10", "-f", "plain")
    assert r.code == 0 and "From step 3 on the iterates are decimals" in " ".join(r.out.split())
    assert max(len(tok) for tok in r.out.split()) < 60
    r = cli("descent", "x^4", "--start", "1", "--rate", "0.1", "--steps", "10", "--answer", "0.3034")
    assert r.code in (0, 1) and "internal error" not in r.err


def test_descent_cli_saddle_warning_in_text(cli):
    r = cli("descent", "x^2 - y^2", "--start", "1,0", "--rate", "0.1", "-f", "plain")
    text = " ".join(r.out.split())
    assert "(0, 0) (the stationary point next to s_76) is a saddle point" in text
    assert "ridge y = 0" in text and "A tiny change in the start escapes" in text
    assert "Converged" not in text


def test_fit_cli_exit_codes(cli, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x,y\n" + "".join(f"{x},{y}\n" for x, y in zip(BIG["x"], BIG["y"], strict=True)))
    r = cli("fit", str(path), "--model", "m*x + c", "--rate", "0.1")
    assert r.code == 2 and r.err.startswith("Error: gradient descent on chi^2 diverges")
    assert len(r.err.strip().splitlines()) == 1 and "Best fit" not in r.out
    A = np.c_[BIG["x"], np.ones(5)]
    limit = 2 / np.linalg.eigvalsh(2 * A.T @ A)[-1]
    assert f"2/L = {limit:.4g}" in r.err
    ab = tmp_path / "ab.csv"
    ab.write_text("x,y\n" + "".join(f"{x},{y}\n" for x, y in zip(X, Y, strict=True)))
    r = cli("fit", str(ab), "--model", "a*b*x + c", "-f", "json")
    assert r.code == 0 and r.json()["identifiability"]["undetermined"] == ["a", "b"]
    assert r.json()["status"] == "undetermined"
    r = cli("fit", str(ab), "--model", "a*b*x + c", "--answer", "1, 2, 1")
    assert r.code == 2 and "only a·b" in r.err and len(r.err.strip().splitlines()) == 1


# -- random problems never reach an internal error ---------------------------------------
TERMS = ["x^2", "y^2", "x*y", "x^3", "x^4", "y^4", "sin(x)", "cos(y)", "sin(x*y)", "x", "y",
         "exp(-x^2)", "cos(x)*y", "x^2*y"]


@st.composite
def problems(draw):
    k = draw(st.integers(1, 4))
    coeffs = draw(st.lists(st.integers(-5, 5).filter(bool), min_size=k, max_size=k))
    terms = draw(st.lists(st.sampled_from(TERMS), min_size=k, max_size=k))
    expr = " + ".join(f"({c})*{t}" for c, t in zip(coeffs, terms, strict=True))
    start = draw(st.tuples(st.sampled_from(["0", "1", "-1", "0.5", "2", "-3", "1/3"]),
                           st.sampled_from(["0", "1", "-2", "0.25", "3"])))
    rate = draw(st.sampled_from(["0.01", "0.1", "0.5", "1", "2", "1/4", "1e-4"]))
    extra = draw(st.sampled_from([(), ("--steps", "3"), ("--steps", "10"), ("--ascent",),
                                  ("--max-iter", "300")]))
    return expr, start, rate, extra


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problems())
def test_descent_random_problems_never_internal_error(cli, problem):
    expr, (sx, sy), rate, extra = problem
    names = "x,y"
    r = cli("descent", expr, "--vars", names, "--start", f"{sx},{sy}", "--rate", rate, *extra,
            "-f", "json")
    assert r.code in (0, 1, 2), (problem, r.err)
    assert "internal error" not in r.err, (problem, r.err)
    if r.code == 0:
        d = r.json()
        assert d["status"] in ("minimum", "maximum", "saddle", "inconclusive", "not_stationary",
                               "oscillating", "diverged", "unbounded", "undefined")
        side = (d.get("stability") or {}).get("rate_vs_limit")
        if side in ("at", "above"):
            assert "larger" not in " ".join(d.get("notes", [])), problem
        if d["status"] in ("minimum", "maximum"):
            eigs = d["point_kind"]["hessian_eigenvalues"]
            assert all((e > 0) == (d["status"] == "minimum") for e in eigs), problem
