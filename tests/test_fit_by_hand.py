"""Fitting as the labs do it (6.7): the normal equations against SymPy's exact least squares
and NumPy's polyfit, the Python text (valid: compiled), the named mistakes (x and y
swapped, the intercept forgotten), the decimals of the verdict, the 6.7 templates, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from typer.testing import CliRunner

from calctutor.checking.answer import check_answer
from calctutor.cli import app
from calctutor.topics import run_kind

DATA = [
    ([0, 1, 2, 3], [1, 3, 4, 8], "m x + c", ["m", "c"]),
    ([-2, -1, 0, 1, 2], [5, 1, -1, 2, 7], "a x^2 + b x + c", ["a", "b", "c"]),
    ([1, 2, 4, 5, 7], [2, 0, 3, 9, 4], "m x + c", ["m", "c"]),
    ([0, 1, 2, 3, 4, 5], [1, -2, 0, 4, 3, 8], "a x^2 + b x + c", ["a", "b", "c"]),
]


def fit(xs, ys, model, params, **more):
    data = {"x": [str(v) for v in xs], "y": [str(v) for v in ys], **more.pop("data", {})}
    return run_kind("fit", {"data": data, "model": model, "params": params, **more})


def least_squares(xs, ys, degree, weights=None):
    """SymPy's exact least squares: the columns x^degree ... x^0."""
    A = sp.Matrix([[sp.Integer(x) ** k for k in range(degree, -1, -1)] for x in xs])
    W = sp.diag(*(weights or [1] * len(xs)))
    return list((A.T * W * A).LUsolve(A.T * W * sp.Matrix(ys)))


@pytest.mark.parametrize("xs, ys, model, params", DATA)
def test_normal_equations_match_exact_least_squares_and_polyfit(xs, ys, model, params):
    result = fit(xs, ys, model, params)
    assert result.method == "normal equations"
    want = least_squares(xs, ys, len(params) - 1)
    assert list(result.values) == want
    assert np.allclose(np.polyfit(xs, ys, len(params) - 1), [float(v) for v in want])
    # A^T A p = A^T y is the system shown
    N, r = result.normal_matrix, result.normal_rhs
    assert N * sp.Matrix(result.values) == r


def test_weighted_fit_matches_weighted_least_squares():
    xs, ys, sig = [0, 1, 2, 3], [1, 2, 2, 5], [1, 2, 1, 2]
    result = fit(xs, ys, "m x + c", ["m", "c"], data={"sigma": [str(s) for s in sig]},
                 sigma="sigma")
    want = least_squares(xs, ys, 1, [sp.Rational(1, s**2) for s in sig])
    assert list(result.values) == want
    lines = result.to_json()["python"]
    compile("\n".join(lines), "<fit>", "exec")
    assert any("sigma=sigma, absolute_sigma=True" in line for line in lines)
    assert any("numpy.polyfit(x, y, 1, w=1/sigma)" in line for line in lines)
    assert np.allclose(np.polyfit(xs, ys, 1, w=1 / np.array(sig)), [float(v) for v in want])


@pytest.mark.parametrize("xs, ys, model, params", DATA)
def test_the_python_lines_are_valid_and_name_the_parameters(xs, ys, model, params):
    lines = fit(xs, ys, model, params).to_json()["python"]
    compile("\n".join(lines), "<fit>", "exec")
    text = "\n".join(lines)
    assert f"curve_fit(lambda x, {', '.join(params)}:" in text
    assert f"numpy.polyfit(x, y, {len(params) - 1})" in text
    assert ("linregress(x, y)" in text) == (len(params) == 2)
    # the data lines give the data: run them with NumPy alone
    scope: dict = {}
    exec("\n".join(line for line in lines if line.startswith(("import numpy", "x =", "y ="))),
         scope)
    assert list(scope["x"]) == xs and list(scope["y"]) == ys


def test_python_for_a_non_linear_model_from_a_file_uses_its_start(tmp_path):
    path = tmp_path / "decay.csv"
    path.write_text("t,n\n0,10\n1,6\n2,3.9\n3,2.4\n4,1.6\n5,1.1\n6,0.8\n7,0.6\n8,0.5\n"
                    "9,0.45\n10,0.4\n11,0.38\n12,0.37\n13,0.36\n")
    result = run_kind("fit", {"data": str(path), "model": "a exp(-k t) + b", "x": "t", "y": "n",
                              "params": "a,k,b", "start": "a=10,k=0.5,b=0"})
    lines = result.to_json()["python"]
    compile("\n".join(lines), "<fit>", "exec")
    text = "\n".join(lines)
    assert "numpy.genfromtxt(" in text and "d['t'], d['n']" in text
    assert "numpy.exp(" in text and "p0=[10, 1/2, 0]" in text and "polyfit" not in text


def test_x_and_y_swapped_and_the_intercept_forgotten_are_named():
    xs, ys = [0, 1, 2, 3], [1, 3, 4, 8]
    result = fit(xs, ys, "m x + c", ["m", "c"])
    swapped = least_squares(ys, xs, 1)          # x fitted against y
    through = sp.Rational(sum(x * y for x, y in zip(xs, ys, strict=True)),
                          sum(x * x for x in xs))   # the line through the origin
    verdict = check_answer(result, f"{sp.sstr(swapped[0])}, {sp.sstr(swapped[1])}")
    assert verdict.correct is False and verdict.diagnosis == "x_y_swapped"
    verdict = check_answer(result, f"{float(through):.4f}, 0")
    assert verdict.correct is False and verdict.diagnosis == "intercept_forgotten"
    quad = fit([-2, -1, 0, 1, 2], [5, 1, -1, 2, 7], "a x^2 + b x + c", ["a", "b", "c"])
    A = sp.Matrix([[x**2, x] for x in [-2, -1, 0, 1, 2]])
    a, b = (A.T * A).LUsolve(A.T * sp.Matrix([5, 1, -1, 2, 7]))
    verdict = check_answer(quad, f"{sp.sstr(a)}, {sp.sstr(b)}, 0")
    assert verdict.diagnosis == "intercept_forgotten"


def test_decimals_typed_are_checked_to_that_many_places():
    result = fit([0, 1, 2], [1, 1, 2], "m x + c", ["m", "c"])   # m = 1/2, c = 5/6
    right = check_answer(result, "0.500, 0.833")
    assert right.correct is True and "to 3 decimal places (within 0.0005)" in right.feedback
    assert check_answer(result, "0.500, 0.834").correct is False
    assert check_answer(result, "0.5, 0.8333").correct is True
    assert check_answer(result, "0.5, 0.8334").correct is False
    assert check_answer(result, "1/2, 5/6").correct is True


def indep_fit_linear_model(ex) -> list:
    """A best-fit exercise of any model linear in its parameters, checked by SymPy's exact
    least squares on the model's own columns (the answer to the exercise's decimals);
    returns the exact parameters. Usable by the bank's own suite for every variant."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    inp = ex.input
    x = sp.Symbol("x", real=True)
    ps = [sp.Symbol(n, real=True) for n in inp["params"]]
    model = parse_expr(inp["model"], local_dict={"x": x, **{p.name: p for p in ps}},
                       transformations=(*standard_transformations, convert_xor,
                                        implicit_multiplication_application))
    xs = [sp.Rational(v) for v in inp["data"]["x"]]
    ys = [sp.Rational(v) for v in inp["data"]["y"]]
    A = sp.Matrix([[sp.diff(model, p).subs(x, xi) for p in ps] for xi in xs])
    b = sp.Matrix([model.subs({p: 0 for p in ps}).subs(x, xi) for xi in xs])
    want = list((A.T * A).LUsolve(A.T * (sp.Matrix(ys) - b)))
    tol = 0.5 * 10.0 ** -ex.decimals + 1e-9 if ex.decimals is not None else 1e-9
    got = ex.answer if isinstance(ex.answer, list) else [ex.answer[p.name] for p in ps]
    assert len(got) == len(want)
    assert all(abs(float(g) - float(w)) <= tol for g, w in zip(got, want, strict=True))
    return want


def test_the_6_7_templates_give_exact_least_squares_to_3_places():
    from calctutor.drills import generate

    exs = generate(6, count=6, seed=4, skill="6.7")
    assert {e.template.split("/")[-1] for e in exs} == {"fit-line-like-scipy",
                                                         "fit-quadratic-like-numpy"}
    for ex in exs:
        xs = [int(v) for v in ex.input["data"]["x"]]
        ys = [int(v) for v in ex.input["data"]["y"]]
        want = least_squares(xs, ys, len(ex.input["params"]) - 1)
        assert indep_fit_linear_model(ex) == want
        assert ex.answer == [round(float(v), 3) for v in want]
        assert "to 3 decimal places" in ex.prompt
        typed = ", ".join(f"{float(v):.3f}" for v in want)
        assert ex.check(typed).correct is True
        assert "curve_fit(" in "\n".join(ex.solve().to_json()["python"])
        assert ex.solve().show_code   # the exercise's worked solution shows the code


def test_cli_fit_shows_the_normal_equations_and_the_code(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x,y\n0,1\n1,3\n2,4\n3,8\n")
    res = CliRunner().invoke(app, ["fit", str(path), "--model", "m x + c", "-f", "plain"])
    assert res.exit_code == 0
    assert "A^TWA" in res.stdout and "By hand" in res.stdout and "curve_fit" not in res.stdout
    res = CliRunner().invoke(app, ["fit", str(path), "--model", "m x + c", "--show-code",
                                   "-f", "plain"])
    assert res.exit_code == 0
    assert "A^TWA" in res.stdout and "curve_fit(lambda x, m, c:" in res.stdout
    assert "numpy.polyfit(x, y, 1)" in res.stdout
    res = CliRunner().invoke(app, ["fit", str(path), "--model", "m x + c", "-f", "json"])
    assert json.loads(res.stdout)["python"][0] == "import numpy"
    res = CliRunner().invoke(app, ["fit", str(path), "--model", "m x + c", "--answer", "5/2, 0"])
    assert res.exit_code == 1 and "intercept" in res.stdout


@pytest.mark.parametrize("xs, ys, params", [
    ([0, 1, 2, 3], [1, 3, 4, 8], ["m", "c"]),
    ([-3, -1, 2], [2, -1, -4], ["c", "m"]),     # the other order: AᵀA the other way round
])
def test_the_line_by_hand_gives_the_least_squares_line(xs, ys, params):
    from calctutor.render.plain import render_plain
    from calctutor.topics.optimise.views import fit_view

    result = fit(xs, ys, "m x + c", params)
    text = " ".join(render_plain(fit_view(result), width=200).split())
    m, c = least_squares(xs, ys, 1)
    assert "m = (N sum xy - sum x sum y)/(N sum x^2 - (sum x)^2) = " in text
    assert f" = {sp.sstr(m)}, then c = (sum y - m sum x)/N = {sp.sstr(c)}." in text
    first = "[[sum x^2, sum x], [sum x, N]]" if params == ["m", "c"] else "[[N, sum x], [sum x, sum x^2]]"
    assert first in text
