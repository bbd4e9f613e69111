"""``calctutor chain`` and ``calctutor backprop`` end to end, against docs/interface.md."""

from __future__ import annotations

import math

import pytest
import sympy

from calctutor.symbols import make_symbol

s, t = make_symbol("s"), make_symbol("t")
x, y = make_symbol("x"), make_symbol("y")


def S(text):
    expr = sympy.sympify(text)
    return expr.subs({v: make_symbol(v.name) for v in expr.free_symbols})


def same(text, expr) -> bool:
    return sympy.simplify(S(text) - expr) == 0


# -- chain --------------------------------------------------------------------------------------
def test_chain_json_scalar(cli):
    r = cli("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t", "--at", "t=1",
            "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) >= {"result", "value", "jacobians"}
    composed = sympy.cos(t) ** 2 * t**2 + t**2
    assert same(data["result"], sympy.diff(composed, t))
    assert isinstance(data["value"], str)
    assert abs(float(sympy.N(S(data["value"]) - sympy.diff(composed, t).subs(t, 1), 30))) < 1e-20
    assert [[S(v) for v in row] for row in data["jacobians"][0]] == [[2 * x * y, x**2 + 1]]
    assert [[S(v) for v in row] for row in data["jacobians"][1]] == [[-sympy.sin(t)], [2 * t]]


def test_chain_json_several_wrt_is_a_list_and_vector_f_a_matrix(cli):
    r = cli("chain", "x y", "--layer", "x=s t, y=s+t", "--wrt", "s,t", "-f", "json")
    assert r.code == 0, r.err
    res = r.json()["result"]
    composed = s * t * (s + t)
    assert isinstance(res, list) and len(res) == 2
    assert same(res[0], sympy.diff(composed, s)) and same(res[1], sympy.diff(composed, t))

    r = cli("chain", "x y, x + y", "--layer", "x=s t, y=s+t", "--wrt", "s,t", "-f", "json")
    res = r.json()["result"]
    fs = [s * t * (s + t), s * t + s + t]
    assert [len(row) for row in res] == [2, 2]
    for i in range(2):
        for j, v in enumerate((s, t)):
            assert same(res[i][j], sympy.diff(fs[i], v))


def test_chain_two_layers(cli):
    r = cli("chain", "x1 x2", "--layer", "x1=u1+u2, x2=u1-u2", "--layer", "u1=t, u2=t^2",
            "--wrt", "t", "-f", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert same(data["result"], sympy.diff((t + t**2) * (t - t**2), t))
    assert len(data["jacobians"]) == 3


def test_chain_plain_output_is_a_worked_solution(cli):
    r = cli("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t")
    assert r.code == 0
    assert "\x1b[" not in r.out
    assert "df/dt = del f/del x * dx/dt + del f/del y * dy/dt" in r.out  # plain is ASCII
    assert "Substitute back" in r.out


@pytest.mark.parametrize("fmt", ["rich", "plain", "latex", "markdown"])
def test_chain_every_format(cli, fmt):
    r = cli("chain", "x1 x2", "--layer", "x1=u1+u2, x2=u1-u2", "--layer", "u1=t, u2=t^2",
            "--wrt", "t", "--at", "t=2", "-f", fmt)
    assert r.code == 0, r.err
    assert "-28" in r.out


def test_chain_answer_right_and_wrong(cli):
    base = ("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t")
    r = cli(*base, "--answer", "2t(cos(t)^2 + 1) - 2t^2 sin(t) cos(t)", "-f", "json")
    assert r.code == 0 and r.json()["correct"] is True
    r = cli(*base, "--answer", "-2t^2 sin(t) cos(t)", "-f", "json")
    assert r.code == 1
    data = r.json()
    assert set(data) >= {"correct", "expected", "answer", "feedback", "diagnosis"}
    assert data["diagnosis"] == "missing_chain_term"


@pytest.mark.parametrize("args, message", [
    (("x + z", "--layer", "x=t", "--wrt", "t"), "F mentions z"),
    (("x", "--layer", "x=t+s", "--wrt", "t"), "layer 1 mentions s"),
    (("x", "--layer", "x=t"), "--wrt is missing"),
    (("x y", "--layer", "x=s t, y=s+t", "--wrt", "s,t", "--at", "t=1"), "no value for s"),
    (("x", "--layer", "x=", "--wrt", "t"), "needs a name and an expression"),
    (("x", "--layer", "x=t^", "--wrt", "t"), "Error:"),
])
def test_chain_bad_input(cli, args, message):
    r = cli("chain", *args)
    assert r.code == 2
    assert r.err.startswith("Error:") and message in r.err
    assert "Traceback" not in r.err


# -- backprop --------------------------------------------------------------------------------------
def sig(v):
    return 1 / (1 + math.exp(-v))


def test_backprop_json_contract(cli):
    r = cli("backprop", "--layer", "W=[[1,-1],[2,0]]; b=[0,-1]", "--input", "1,1",
            "--target", "0,1", "-f", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) >= {"cost", "activations", "gradients"}
    assert isinstance(data["cost"], str)
    a = [sig(0), sig(1)]
    assert abs(float(S(data["cost"])) - ((a[0] - 0) ** 2 + (a[1] - 1) ** 2)) < 1e-12
    assert [float(S(v)) for v in data["activations"][0]] == pytest.approx(a)
    (g,) = data["gradients"]
    assert set(g) == {"W", "b"}
    delta = [2 * (a[0] - 0) * a[0] * (1 - a[0]), 2 * (a[1] - 1) * a[1] * (1 - a[1])]
    assert [float(S(v)) for v in g["b"]] == pytest.approx(delta)
    flat = [float(S(v)) for row in g["W"] for v in row]
    assert [len(row) for row in g["W"]] == [2, 2]
    assert flat == pytest.approx([delta[0], delta[0], delta[1], delta[1]])


def test_backprop_floats_are_json_numbers(cli):
    r = cli("backprop", "--layer", "W=[[0.5,-1]]; b=[0.1]", "--input", "1,2", "--target", "0",
            "--activation", "tanh", "-f", "json")
    assert r.code == 0, r.err
    data = r.json()
    z = 0.5 - 2 + 0.1
    assert data["cost"] == pytest.approx(math.tanh(z) ** 2)
    dz = 2 * math.tanh(z) * (1 - math.tanh(z) ** 2)
    assert data["gradients"][0]["W"] == [pytest.approx([dz * 1, dz * 2])]


@pytest.mark.parametrize("fmt", ["rich", "plain", "latex", "markdown"])
def test_backprop_every_format(cli, fmt):
    r = cli("backprop", "--layer", "W=[[1,-1],[-1,1]]; b=[0,0]", "--layer", "W=[[1,2],[3,1]]; b=[0,1]",
            "--input", "2,1", "--target", "1,0", "--activation", "relu", "-f", fmt)
    assert r.code == 0, r.err
    assert "48" in r.out  # dC/dW(1) = [[48, 24], [0, 0]]


def test_backprop_answer_with_check(cli):
    base = ("backprop", "--layer", "W=[[1]]; b=[1]", "--input", "0", "--target", "1",
            "--activation", "tanh")
    r = cli(*base, "--check", "b1", "--answer", "2(tanh(1) - 1)(1 - tanh(1)^2)")
    assert r.code == 0, r.out
    r = cli(*base, "--check", "b1", "--answer", "2(tanh(1) - 1)", "-f", "json")
    assert r.code == 1 and r.json()["diagnosis"] == "missing_activation_derivative"
    r = cli(*base, "--check", "cost", "--answer", "(1 - tanh 1)^2")
    assert r.code == 0


@pytest.mark.parametrize("args, message", [
    (("--layer", "W=[[1,-1],[2,0]]; b=[0,-1]", "--input", "1,1,1", "--target", "0,1"),
     "W of layer 1 is 2×2, but the input has 3 entries"),
    (("--layer", "W=[[1,-1],[2,0]]; b=[0,-1]", "--layer", "W=[[1,1,1]]; b=[0]", "--input", "1,1",
      "--target", "0"), "W of layer 2 is 1×3, but layer 1 has 2 neurons"),
    (("--layer", "W=[[1,-1],[2,0]]; b=[0,-1]", "--input", "1,1", "--target", "0"),
     "the target has 1 entry, but the last layer has 2 neurons"),
    (("--layer", "W=[[1]]; b=[0]", "--target", "0"), "--input) is missing"),
    (("--layer", "W=[[1]]; b=[0]", "--input", "1", "--target", "0", "--activation", "softmax"),
     "unknown activation"),
    (("--layer", "W=[[1]]; b=[0]", "--input", "1", "--target", "0", "--check", "W3",
      "--answer", "1"), "the network has 1 layer"),
])
def test_backprop_bad_input(cli, args, message):
    r = cli("backprop", *args)
    assert r.code == 2
    assert r.err.startswith("Error:") and message in r.err


def test_help_has_examples(cli):
    for command in ("chain", "backprop"):
        r = cli(command, "--help")
        assert r.code == 0 and "Examples" in r.out and f"calctutor {command} " in r.out


# -- consistent counterexamples ------------------------------------------------------------------
def _named_values(text: str) -> dict[str, float]:
    import re

    return {n: float(v) for n, v in re.findall(r"\b([a-z]\w*) = (-?[0-9.]+(?:e[-+]?\d+)?)\b",
                                                text)}


def test_chain_answer_evidence_uses_the_layer_values(cli):
    r = cli("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t",
            "--answer", "2x y + x^2 + 1", "--format", "json")
    assert r.code == 1, r.err
    evidence = r.json()["evidence"]
    vals = _named_values(evidence)
    assert math.isclose(vals["x"], math.cos(vals["t"]), rel_tol=1e-5)
    assert math.isclose(vals["y"], vals["t"] ** 2, rel_tol=1e-5)


def test_chain_at_point_answer_in_layer_names(cli):
    base = ("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t", "--at", "t=1")
    # right there, but still in the layer names: not finished (exit 1, the steps named)
    r = cli(*base, "--answer", "2 x y (-sin t) + (x^2 + 1)(2t)", "--format", "json")
    assert r.code == 1 and r.json()["verdict"] == "unfinished", r.out
    assert "x = cos(t)" in r.json()["feedback"] and "t = 1" in r.json()["feedback"]
    r = cli(*base, "--answer", "2x y + x^2 + 1", "--format", "json")
    assert r.code == 1
    vals = _named_values(r.json()["evidence"])
    assert vals["t"] == 1 and math.isclose(vals["x"], math.cos(1), rel_tol=1e-5)
