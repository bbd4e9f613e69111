"""End-to-end: descent, lagrange and fit through the CLI, JSON shapes per CONTRACT.md."""

import sympy as sp


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
    assert "The path" in text and "try a smaller --rate" in text
    for fmt in ("latex", "markdown", "rich"):
        assert cli("descent", "x^2", "--start", "x=1", "--steps", "2", "-f", fmt).code == 0


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
    assert set(c) == {"point", "multipliers", "value"}
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
    for fmt in ("latex", "markdown", "rich"):
        assert cli("lagrange", "x^2 y", "-c", "x^2 + y^2 = 3", "-f", fmt).code == 0
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
