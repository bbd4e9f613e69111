"""The backprop command's library: gradients against differentiating the composed cost with
SymPy (symbolic W and b, then substituted) and against finite differences; the course's
neuron examples; shapes, errors and mal-rules."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import UsageError
from calctutor.render import render
from calctutor.topics import run_kind
from calctutor.topics.chain.backprop import backprop
from calctutor.topics.chain.run import run_backprop

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
NEURONS = [e for e in EXAMPLES if e["input"].get("task") == "backprop"]

# a 2 -> 2 -> 1 network with z entries nonzero (relu is differentiable there)
W1 = [[1, -1], [2, 1]]
B1 = [0, -1]
W2 = [[1, 2]]
B2 = [sp.Rational(1, 2)]
A0 = [2, 1]
Y = [1]
SPECS = ["W=[[1,-1],[2,1]]; b=[0,-1]", "W=[[1,2]]; b=[1/2]"]

SIGMA = {
    "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
    "tanh": sp.tanh,
    "relu": lambda z: sp.Max(0, z),
    "linear": lambda z: z,
}
FLOAT_SIGMA = {
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(0.0, z),
    "linear": lambda z: z,
}


def symbolic_cost(act: str):
    """C as a SymPy expression of symbolic weights and biases (independent of calctutor)."""
    w1 = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"w1_{i}{j}"))
    b1 = sp.Matrix(2, 1, lambda i, _: sp.Symbol(f"b1_{i}"))
    w2 = sp.Matrix(1, 2, lambda i, j: sp.Symbol(f"w2_{i}{j}"))
    b2 = sp.Matrix(1, 1, lambda i, _: sp.Symbol(f"b2_{i}"))
    a1 = (w1 * sp.Matrix(A0) + b1).applyfunc(SIGMA[act])
    a2 = (w2 * a1 + b2).applyfunc(SIGMA[act])
    cost = sum((a2[i] - Y[i]) ** 2 for i in range(1))
    values = {}
    for m, v in ((w1, W1), (w2, W2)):
        for i in range(m.rows):
            for j in range(m.cols):
                values[m[i, j]] = v[i][j]
    for m, v in ((b1, B1), (b2, B2)):
        for i in range(m.rows):
            values[m[i]] = v[i]
    return cost, (w1, b1, w2, b2), values


def close(a, b, tol=1e-25) -> bool:
    return abs(sp.N(sp.sympify(a) - sp.sympify(b), 40)) < tol


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu", "linear"])
def test_gradients_match_differentiating_the_composed_cost(act):
    r = backprop(SPECS, "2,1", "1", act)
    cost, (w1, b1, w2, b2), values = symbolic_cost(act)
    assert close(r.forward.cost, cost.xreplace(values))
    for k, (w, b) in enumerate(((w1, b1), (w2, b2))):
        g = r.gradients[k]
        for i in range(w.rows):
            for j in range(w.cols):
                want = sp.diff(cost, w[i, j]).xreplace(values).doit()
                assert close(g.dW[i, j], want), (act, k, i, j)
            assert close(g.db[i], sp.diff(cost, b[i]).xreplace(values).doit())
    # exact inputs give exact values
    for g in r.gradients:
        assert not any(v.atoms(sp.Float) for v in list(g.dW) + list(g.db))


def _float_cost(w1, b1, w2, b2, act):
    f = FLOAT_SIGMA[act]
    a1 = [f(sum(w1[i][j] * A0[j] for j in range(2)) + b1[i]) for i in range(2)]
    a2 = [f(sum(w2[0][j] * a1[j] for j in range(2)) + b2[0])]
    return (a2[0] - Y[0]) ** 2


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu", "linear"])
def test_gradients_match_finite_differences(act):
    specs = ["W=[[1.0,-1],[2,1]]; b=[0,-1]", "W=[[1,2]]; b=[0.5]"]
    r = backprop(specs, "2,1", "1", act)
    assert r.network.numeric
    params = [[[1.0, -1.0], [2.0, 1.0]], [0.0, -1.0], [[1.0, 2.0]], [0.5]]
    h = 1e-6

    def bumped(path, delta):
        p = json.loads(json.dumps(params))
        target = p[path[0]]
        for idx in path[1:-1]:
            target = target[idx]
        target[path[-1]] += delta
        return _float_cost(*p, act)

    checks = [((0, i, j), r.gradients[0].dW[i, j]) for i in range(2) for j in range(2)]
    checks += [((1, i), r.gradients[0].db[i]) for i in range(2)]
    checks += [((2, 0, j), r.gradients[1].dW[0, j]) for j in range(2)]
    checks += [((3, 0), r.gradients[1].db[0])]
    for path, grad in checks:
        numeric = (bumped(path, h) - bumped(path, -h)) / (2 * h)
        assert abs(float(grad) - numeric) < 1e-6, (act, path)
    js = r.to_json()
    assert isinstance(js["cost"], float) and isinstance(js["gradients"][0]["W"][0][0], float)


@pytest.mark.parametrize("example", NEURONS, ids=[e["id"] for e in NEURONS])
def test_course_neuron_examples(example):
    r = run_kind("chain", example["input"])
    outputs = example["input"]["outputs"]
    for name, answer in zip(outputs, example["answer"], strict=True):
        if name == "C":
            got = r.forward.cost
        else:
            what = name.split("/d")[1]
            got = r.quantity(what)
        assert close(got, sp.sympify(answer)), (name, got, answer)


def test_json_shapes_follow_the_contract():
    js = run_backprop(["W=[[1,-1],[2,0]]; b=[0,-1]"], "1,1", "0,1").to_json()
    assert isinstance(js["cost"], str)
    assert js["activations"] == [["1/2", "1/(exp(-1) + 1)"]] or len(js["activations"][0]) == 2
    assert len(js["gradients"]) == 1
    g = js["gradients"][0]
    assert [len(row) for row in g["W"]] == [2, 2] and len(g["b"]) == 2
    assert all(isinstance(v, str) for row in g["W"] for v in row)


def test_a_layer_of_its_own_activation():
    r = run_backprop(["W=[[1]]; b=[0]; act=tanh", "W=[[2]]; b=[0]"], "1", "0", "linear")
    assert [lay.activation for lay in r.network.layers] == ["tanh", "linear"]
    a1 = sp.tanh(1)
    assert close(r.forward.cost, (2 * a1) ** 2)
    # dC/dW1 = 2(2 tanh 1)(2)(1 - tanh^2 1)(1)
    assert close(r.gradients[0].dW[0, 0], 8 * a1 * (1 - a1**2))


def test_relu_at_zero_is_noted():
    r = run_backprop(["W=[[1,-1]]; b=[0]"], "1,1", "1", "relu")
    assert r.forward.z[0][0] == 0
    assert r.gradients[0].dW == sp.ImmutableMatrix([[0, 0]])
    assert any("relu" in n for n in r.forward.notes)


# -- --answer and the mal-rules --------------------------------------------------------------
def square_net(check, activation="relu"):
    """2 -> 2 -> 2 with square weights (so every mal-rule fits the shapes); relu keeps the
    numbers rational, and z(1) has a negative entry (so a missing σ' shows)."""
    return backprop(["W=[[1,-1],[-1,1]]; b=[0,0]", "W=[[1,2],[3,1]]; b=[0,1]"], "2,1", "1,0",
                    activation, check)


def _text(value):
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return sp.sstr(value)


def test_answer_checks_the_named_quantity():
    r = square_net("W1")
    assert r.quantity("W1") == [[48, 24], [0, 0]]  # worked by hand: δ(1) = [24, 0], a(0) = [2, 1]
    assert check_answer(r, _text(r.quantity("W1"))).correct is True
    r = square_net("cost")
    assert check_answer(r, sp.sstr(r.forward.cost)).correct is True
    r = square_net("b2")
    assert check_answer(r, _text(r.quantity("b2"))).correct is True


@pytest.mark.parametrize("code, flags", [
    ("missing_activation_derivative", {"activation_derivative": False}),
    ("missing_factor_two", {"factor": 1}),
    ("untransposed_weights", {"transpose": False}),
    ("wrong_activation_layer", {"previous": False}),
])
def test_mal_rules_are_diagnosed(code, flags):
    from calctutor.topics.chain.backprop import backward

    r = square_net("W1")
    wrong = backward(r.network, r.forward, **flags)
    verdict = check_answer(r, _text(r.quantity("W1", wrong)))
    assert verdict.correct is False and verdict.diagnosis == code


def test_missing_factor_two_by_hand_on_a_neuron():
    r = backprop(["W=[[1]]; b=[1]"], "0", "1", "tanh", "b1")
    verdict = check_answer(r, "(tanh(1) - 1)(1 - tanh(1)^2)")
    assert verdict.diagnosis == "missing_factor_two"


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    ((["W=[[1,-1],[2,0]]; b=[0,-1]"], "1,1,1", "0,1"), "W of layer 1 is 2×2, but the input has 3"),
    ((["W=[[1,-1],[2,0]]; b=[0]"], "1,1", "0,1"), "b of layer 1 has 1 entry, but W of layer 1 has 2 rows"),
    ((["W=[[1,-1],[2,0]]; b=[0,1]"], "1,1", "0"), "the target has 1 entry, but the last layer has 2"),
    ((["W=[[1,-1],[2,0]]; b=[0,1]", "W=[[1,2,3]]; b=[0]"], "1,1", "0"), "W of layer 2 is 1×3, but layer 1 has 2"),
    ((["W=[[1,-1],[2,0]]"], "1,1", "0,1"), "layer 1 has no b"),
    ((["W=[[w,1]]; b=[0]"], "1,1", "0"), "W of layer 1 must be numbers, but it mentions w"),
    ((["W=[[1,1]]; b=[0]; c=1"], "1,1", "0"), "unknown key 'c'"),
    ((["W=[[1,1]]; b=[0]"], None, "0"), "the input (--input) is missing"),
    ((["W=[[1,1]], [2]]; b=[0]"], "1,1", "0"), "W of layer 1"),
    (([], "1", "0"), "at least one --layer"),
])
def test_bad_input_is_a_precise_error(args, message):
    with pytest.raises(UsageError) as err:
        backprop(*args)
    assert message in str(err.value)


def test_bad_activation_and_check():
    with pytest.raises(UsageError, match="unknown activation 'softmax'"):
        backprop(["W=[[1]]; b=[0]"], "1", "0", "softmax")
    with pytest.raises(UsageError, match="the network has 1 layer"):
        backprop(["W=[[1]]; b=[0]"], "1", "0", "tanh", "W2")


@pytest.mark.parametrize("fmt", ["plain", "latex", "markdown", "rich"])
def test_every_format_shows_both_passes(fmt):
    for r in (square_net("W1"), backprop(["W=[[1]]; b=[1]"], "0", "1", "tanh")):
        text = render(r, fmt, color=False)
        assert "Forward pass" in text and "Backward pass" in text
