"""``backprop --exact``: exact values with each sub-expression named once, checked against an
independent NumPy backpropagation; the JSON's ``named`` field read back with SymPy."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import sympy
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.notation import to_text
from calctutor.topics.chain.backprop import backprop
from calctutor.topics.chain.backprop_exact import Name, named_pass

README = ["W=[[1,-1],[2,0]]; b=[0,-1]", "W=[[1,1]]; b=[0]"]
NETWORKS = [
    (README, "1,1", "1", "sigmoid"),
    (README, "1,2", "1", "tanh"),  # z(2) = tanh(1) − tanh(1) = 0 exactly
    (["W=[[1,2],[-1,1],[0,3]]; b=[1,0,-2]", "W=[[1,-1,2],[2,1,0]]; b=[0,1]",
      "W=[[1,1]]; b=[-1]"], "1/2,-1", "0", "sigmoid"),
    (["W=[[2]]; b=[-1]", "W=[[1],[-3]]; b=[0,1]; act=relu", "W=[[1,1]]; b=[0]; act=tanh"],
     "1", "1/3", "sigmoid"),
    (README, "1,2", "1", "relu"),
]
ACT = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
       "relu": lambda z: np.maximum(z, 0), "linear": lambda z: z}
DACT = {"sigmoid": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
        "relu": lambda z: (z > 0).astype(float), "linear": lambda z: np.ones_like(z)}


def numpy_backprop(result):
    """The gradients (W, b per layer) by NumPy floats, from the network's numbers only."""
    net = result.network
    layers = [(np.array(lay.W.tolist(), dtype=float), np.array(list(lay.b), dtype=float),
               lay.activation) for lay in net.layers]
    a = [np.array(list(net.input), dtype=float)]
    zs = []
    for W, b, act in layers:
        zs.append(W @ a[-1] + b)
        a.append(ACT[act](zs[-1]))
    grad = 2 * (a[-1] - np.array(list(net.target), dtype=float))
    out = []
    for k in range(len(layers) - 1, -1, -1):
        W, _, act = layers[k]
        delta = grad * DACT[act](zs[k])
        out.append((np.outer(delta, a[k]), delta))
        grad = W.T @ delta
    return list(reversed(out))


@pytest.mark.parametrize("layers,x,y,act", NETWORKS)
def test_named_values_expand_to_the_gradients_numpy_computes(layers, x, y, act):
    r = backprop(layers, x, y, act)
    named = named_pass(r.network, r.forward, r.gradients)
    for (W, b), g, h in zip(numpy_backprop(r), named.gradients, r.gradients, strict=True):
        full_W = named.expand(g.dW)
        assert np.allclose(np.array(sympy.N(full_W, 20).tolist(), dtype=float), W, atol=1e-12)
        assert np.allclose(np.array([float(sympy.N(v, 20)) for v in named.expand(g.db)]), b,
                           atol=1e-12)
        assert sympy.N((full_W - h.dW).norm(), 30) < 1e-25
    # each definition uses only the names defined before it, and is short
    seen: set = set()
    for d in named.definitions:
        assert d.expression.atoms(Name) <= seen, to_text(d.name)
        assert not d.value.is_Rational and len(to_text(d.expression)) <= 60
        seen.add(d.name)


def test_a_one_neuron_chain_is_named_by_layer():
    r = backprop(["W=[[1]]; b=[0]", "W=[[2]]; b=[0]"], "1", "0", "sigmoid")
    named = named_pass(r.network, r.forward, r.gradients)
    assert [to_text(d.name) for d in named.definitions] == ["a1", "z2", "a2", "δ2", "δ1"]
    assert named.a[2][0] == Name("a", 2) and to_text(named.cost) == "a2^2"


def _cli(*args):
    res = CliRunner().invoke(app, ["backprop", *args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


README_ARGS = ["--layer", README[0], "--layer", README[1], "--input", "1,1", "--target", "1"]


def test_exact_output_is_short_and_names_its_values():
    plain = _cli(*README_ARGS, "--exact", "--format", "plain")
    assert plain.exit_code == 0
    text = plain.stdout
    assert "a2 = sigma(z2) = 1/(1 + e^(-z2)) ~ 0.774004" in text
    assert "delta2 = 2(a2 - 1) * a2 (1 - a2) ~ -0.0790634" in text
    # no nested sigmoid anywhere: e^( appears only in the definition of each a
    assert all(line.count("e^(") <= 1 for line in text.splitlines())
    assert len(text.splitlines()) < 100
    default = _cli(*README_ARGS, "--format", "plain").stdout
    assert "a2 = sigma(z2)" not in default and "--exact" in default


def test_json_keeps_its_fields_and_adds_the_named_form():
    data = json.loads(_cli(*README_ARGS, "--format", "json").stdout)
    assert {"cost", "activations", "gradients", "z", "deltas"} <= set(data)
    named = data["named"]
    values = {}
    for d in named["definitions"]:  # each expression, with earlier names put in, is its value
        expr = sympy.sympify(d["expression"]).subs(values)
        assert sympy.N(expr - sympy.sympify(d["value"]), 30) == 0 or \
            abs(sympy.N(expr - sympy.sympify(d["value"]), 30)) < 1e-25
        values[sympy.Symbol(d["name"])] = sympy.sympify(d["value"])
    for full, short in zip(data["gradients"], named["gradients"], strict=True):
        for fr, sr in zip(full["W"], short["W"], strict=True):
            for f, s in zip(fr, sr, strict=True):
                assert abs(sympy.N(sympy.sympify(f) - sympy.sympify(s).subs(values), 30)) < 1e-25
    decimals = json.loads(_cli("--layer", "W=[[0.5]]; b=[0]", "--input", "1", "--target", "0",
                               "--format", "json").stdout)
    assert "named" not in decimals


def test_exact_with_decimal_input_says_there_is_nothing_more_to_show():
    text = _cli("--layer", "W=[[0.5]]; b=[0]", "--input", "1", "--target", "0", "--exact",
                "--format", "plain").stdout
    assert "--exact has nothing more exact to show" in " ".join(text.split())


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_exact_latex_compiles(tmp_path):
    from tests.test_latex_compile import _compile

    text = _cli(*README_ARGS, "--exact", "--format", "latex").stdout
    assert r"a^{(1)}_{2}" in text and r"\delta^{(2)}" in text
    assert _compile(tmp_path, ["exact"], latex=lambda name: text) is None
