"""End-to-end: descent, lagrange and fit through the CLI, and the shapes of their JSON."""

import re

import pytest
import sympy as sp

from calctutor.parsing import parse_expression


def _is_num(v):
    return isinstance(v, (int, float)) or (isinstance(v, str) and sp.sympify(v).is_number)


# -- descent -------------------------------------------------------------------------------
def test_descent_json_shape(cli):
    r = cli("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.1", "--steps", "1",
            "-f", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert {"point", "value", "converged", "iterations"} <= set(d)
    assert d["point"] == {"x": "8/5", "y": "1/5"} and d["value"] == "68/25"
    assert isinstance(d["converged"], bool)
    assert [it["n"] for it in d["iterations"]] == [0, 1]
    for it in d["iterations"]:
        assert set(it) == {"n", "point", "value", "gradient"}
        assert set(it["point"]) == {"x", "y"} and all(_is_num(g) for g in it["gradient"])
    assert d["iterations"][0]["gradient"] == ["4", "8"]


def test_descent_float_run_converges(cli):
    r = cli("descent", "(x-1)^2 + (y+2)^2", "--start", "0,0", "--rate", "0.25", "-f", "json")
    d = r.json()
    assert r.code == 0 and d["converged"] is True
    assert abs(d["point"]["x"] - 1) < 1e-7 and abs(d["point"]["y"] + 2) < 1e-7
    assert isinstance(d["value"], float)


def test_descent_plain_output_explains(cli):
    r = cli("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.3", "-f", "plain")
    assert r.code == 0
    text = " ".join(r.out.split())
    assert "The path" in text and "Try a smaller --rate below 1/4" in text
    assert cli("descent", "x^2", "--start", "x=1", "--steps", "2", "-f", "rich").code == 0


def test_descent_answer(cli):
    args = ("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.1", "--steps", "1")
    assert cli(*args, "--answer", "8/5, 1/5").code == 0
    r = cli(*args, "--answer", "12/5, 9/5", "-f", "json")
    assert r.code == 1 and r.json()["diagnosis"] == "gradient_step_uphill"


def test_descent_bad_input(cli):
    for args in (("x^2",), ("x^2", "--start", "y=1"), ("x^2", "--start", "x=1", "--rate", "0"),
                 ("x^^2", "--start", "x=1")):
        r = cli("descent", *args)
        assert r.code == 2 and r.err.startswith("Error:"), args


# -- lagrange ------------------------------------------------------------------------------
def _candidate_shape(c, names):
    assert {"point", "multipliers", "value", "kind", "numerical"} <= set(c)
    assert set(c["point"]) == set(names)
    assert all(isinstance(v, str) for v in c["point"].values())
    assert all(isinstance(m, str) for m in c["multipliers"]) and isinstance(c["value"], str)


def test_lagrange_json_shape(cli):
    r = cli("lagrange", "x y", "--constraint", "x^2 + y^2 = 8", "-f", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert {"lagrangian", "equations", "candidates", "maximum", "minimum"} <= set(d)
    x, y, lam = sp.symbols("x y lam", real=True)
    loc = {"x": x, "y": y, "lam": lam}
    assert sp.expand(sp.sympify(d["lagrangian"], locals=loc) - (x * y - lam * (x**2 + y**2 - 8))) == 0
    assert [sp.expand(sp.sympify(e, locals=loc)) for e in d["equations"]] == \
        [y - 2 * lam * x, x - 2 * lam * y, 8 - x**2 - y**2]
    for c in d["candidates"] + d["maximum"] + d["minimum"]:
        _candidate_shape(c, ["x", "y"])
    assert sorted((c["point"]["x"], c["point"]["y"]) for c in d["maximum"]) == [("-2", "-2"), ("2", "2")]
    assert {c["value"] for c in d["maximum"]} == {"4"}
    assert {c["value"] for c in d["minimum"]} == {"-4"}


def test_lagrange_several_constraints_and_positive(cli):
    r = cli("lagrange", "x y z", "--constraint", "x + y + z = 3", "--positive", "-f", "json")
    d = r.json()
    assert [c["point"] for c in d["candidates"]] == [{"x": "1", "y": "1", "z": "1"}]
    r = cli("lagrange", "x + y + z", "-c", "x^2 + y^2 = 1", "-c", "z - x", "-f", "json")
    assert r.code == 0 and len(r.json()["candidates"][0]["multipliers"]) == 2
    assert "lam1" in r.json()["lagrangian"] and "lam2" in r.json()["lagrangian"]


def test_lagrange_text_and_answer(cli):
    r = cli("lagrange", "x^2 y", "-c", "x^2 + y^2 = 3", "-f", "plain")
    assert r.code == 0 and "Candidates" in r.out and "Maximum" in r.out
    assert cli("lagrange", "x^2 y", "-c", "x^2 + y^2 = 3", "--answer", "2").code == 0
    r = cli("lagrange", "x y", "-c", "x^2 + y^2 = 8", "--answer", "0", "-f", "json")
    assert r.code == 1 and r.json()["diagnosis"] == "constraint_forgotten"
    r = cli("lagrange", "x + y", "-c", "x^2+y^2-2", "--goal", "system",
            "--answer", "1 - 2 lam x, 1 - 2 lam y, 2 - x^2 - y^2")
    assert r.code == 0


def test_lagrange_bad_input(cli):
    for args in (("x y",), ("x y", "-c", "x^2 +"), ("x y", "-c", "x = 1", "-c", "y = 2"),
                 ("x y", "-c", "x+y=1", "--goal", "nope")):
        r = cli("lagrange", *args)
        assert r.code == 2 and r.err.startswith("Error:"), args


# -- fit -----------------------------------------------------------------------------------
def _data(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


LINE = "x,y\n0,1\n1,3\n2,4\n3,8\n"


def test_fit_json_shape(cli, tmp_path):
    r = cli("fit", _data(tmp_path, LINE), "--model", "m*x + c", "-f", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert {"params", "chi2", "method", "iterations"} <= set(d)
    assert d["params"] == {"m": "11/5", "c": "7/10"} and d["chi2"] == "9/5"
    assert isinstance(d["method"], str) and isinstance(d["iterations"], int)


def test_fit_nonlinear_json_numbers(cli, tmp_path):
    text = "x,y\n0,2.0\n1,1.2\n2,0.75\n3,0.44\n4,0.27\n"
    r = cli("fit", _data(tmp_path, text), "--model", "a*exp(-k*x)", "--start", "a=1,k=1",
            "-f", "json")
    d = r.json()
    assert r.code == 0 and set(d["params"]) == {"a", "k"}
    assert all(isinstance(v, float) for v in d["params"].values())
    assert isinstance(d["chi2"], float) and d["iterations"] > 0


def test_fit_at_and_steps(cli, tmp_path):
    path = _data(tmp_path, "x,y\n1,0\n2,2\n3,1\n")
    d = cli("fit", path, "--model", "m*x + c", "--at", "m=1,c=-1", "-f", "json").json()
    assert d["chi2"] == "2" and d["gradient"] == {"m": "2", "c": "0"}
    assert "steps" not in d
    d = cli("fit", path, "--model", "m*x + c", "--at", "m=1,c=-1", "--rate", "1/4",
            "--steps", "1", "-f", "json").json()
    assert d["steps"][0]["params"] == {"m": "1/2", "c": "-1"}
    assert set(d["steps"][0]) >= {"params", "chi2"}
    assert cli("fit", path, "--model", "m*x + c", "--at", "m=1,c=-1", "--answer", "2").code == 0
    r = cli("fit", path, "--model", "m*x + c", "--at", "m=1,c=-1", "--goal", "gradient",
            "--answer", "-2, 0", "-f", "json")
    assert r.code == 1 and r.json()["diagnosis"] == "residual_sign"


def test_fit_text_formats(cli, tmp_path):
    path = _data(tmp_path, LINE)
    r = cli("fit", path, "--model", "m*x + c", "-f", "plain")
    assert r.code == 0 and "11/5" in r.out
    assert "normal equations" in r.out and "Design matrix" in r.out


@pytest.mark.parametrize("text, where", [
    ("x,y\n1,2\n2,abc\n3,4\n", "line 3 (data row 2), column 'y'"),
    ("x,y,sigma\n1,2,1\n2,3,0\n3,4,1\n", "line 3 (data row 2), column 'sigma'"),
    ("x,w\n1,2\n2,3\n", "no column 'y'"),
    ("x,y\n1,2\n", "fewer than the 2 parameters"),
    ("", "is empty"),
])
def test_fit_malformed_csv(cli, tmp_path, text, where):
    r = cli("fit", _data(tmp_path, text), "--model", "m*x + c")
    assert r.code == 2 and r.err.startswith("Error:") and where in r.err
    assert "Traceback" not in r.err


def test_fit_bad_usage(cli, tmp_path):
    path = _data(tmp_path, LINE)
    for args in ((str(tmp_path / "missing.csv"), "--model", "m*x + c"), (path,),
                 (path, "--model", "m*x +"), (path, "--model", "m*x + c", "--at", "q=1"),
                 (path, "--model", "m*x + c", "--rate", "-1")):
        r = cli("fit", *args)
        assert r.code == 2 and r.err.startswith("Error:"), args


# -- plots ---------------------------------------------------------------------------------
def test_plots_in_plain_text(cli, tmp_path):
    r = cli("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.1", "--plot", "-f", "plain")
    assert r.code == 0 and "level sets" in r.out and "path" in r.out and "\x1b[" not in r.out
    r = cli("descent", "x^4 - 3x^2 + x", "--start", "x=2", "--rate", "0.05", "--plot", "-f", "plain")
    assert r.code == 0 and "iterates" in r.out
    r = cli("fit", _data(tmp_path, LINE), "--model", "m*x + c", "--plot", "-f", "plain")
    assert r.code == 0 and "Data and fitted curve" in r.out and "data" in r.out
    assert cli("fit", _data(tmp_path, LINE), "--model", "m*x + c", "--plot", "-f", "json").code == 0


def test_lagrange_unbounded_plane_says_no_maximum(cli):
    r = cli("lagrange", "x^2+y^2+z^2", "--constraint", "x+y+z-3", "--format", "plain")
    assert r.code == 0
    assert "no maximum" in r.out and "Maximum of f" not in r.out
    assert "Minimum of f, at (1, 1, 1): 3" in r.out
    assert "maximum, minimum" not in r.out
    d = cli("lagrange", "x^2+y^2+z^2", "--constraint", "x+y+z-3", "--format", "json").json()
    assert d["maximum"] == [] and [c["value"] for c in d["minimum"]] == ["3"]


def test_lagrange_candidates_table_every_column_has_a_header(cli):
    r = cli("lagrange", "x y", "--constraint", "x^2+y^2=8", "--format", "plain")
    lines = r.out.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("#  (x, y)"))
    header, rule = lines[k], lines[k + 1]
    assert len(header.split()) >= 5 and "kind" in header
    assert len(rule.split()) == 5


def test_descent_shows_the_gradient_as_a_vector(cli):
    r = cli("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.3", "--format", "plain")
    assert r.code == 0
    x, y = sp.symbols("x y")
    gx, gy = (sp.diff(x**2 + 4 * y**2, v) for v in (x, y))
    # in learner notation (2x, 8y), which the parser reads back as SymPy's derivatives
    shown = re.search(r"grad f = \((.*?), (.*?)\)", r.out)
    assert shown, r.out
    read = [sp.sstr(parse_expression(t).expr) for t in shown.groups()]
    assert read == [sp.sstr(gx), sp.sstr(gy)]
    assert "[[" not in r.out
