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
