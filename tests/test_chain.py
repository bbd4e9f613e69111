"""The chain command's library: every result against substituting first and differentiating
directly with SymPy (an independent computation), the JSON shapes, the mal-rules and errors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError, UsageError
from calctutor.render import render
from calctutor.topics import run_kind
from calctutor.topics.chain.chain import chain
from calctutor.topics.chain.run import run_chain

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
CHAIN_EXAMPLES = [e for e in EXAMPLES if e["kind"] == "chain" and "task" not in e["input"]]


def R(name):
    return sp.Symbol(name, real=True)


t, s = R("t"), R("s")


def direct(f_text: str, layers: list[dict[str, str]], wrt: list[str]) -> sp.Matrix:
    """The Jacobian of the composition, by substituting every layer and differentiating."""
    def S(text):
        return sp.sympify(text.replace("^", "**"), locals={n: R(n) for n in _names(f_text, layers, wrt)})

    fs = [S(p) for p in f_text.split(";")]
    for layer in layers:
        subs = {R(n): S(e) for n, e in layer.items()}
        fs = [f.xreplace(subs) for f in fs]
    return sp.Matrix([[sp.diff(f, R(w)) for w in wrt] for f in fs])


def _names(f_text, layers, wrt):
    names = set(wrt)
    for layer in layers:
        names |= set(layer)
    names |= {"x", "y", "z", "u", "v", "x1", "x2", "u1", "u2"}
    return names


def same(a, b) -> bool:
    return sp.simplify(sp.expand(a - b)) == 0


@pytest.mark.parametrize("example", CHAIN_EXAMPLES, ids=[e["id"] for e in CHAIN_EXAMPLES])
def test_course_examples(example):
    inp = example["input"]
    result = run_kind("chain", inp)
    answer = sp.sympify(example["answer"], locals={"t": t})
    assert same(result.result[0, 0], answer)
    expected = direct(inp["f"], inp["layers"], [inp["wrt"]])
    assert same(result.result[0, 0], expected[0, 0])


def test_scalar_one_layer_sum_over_paths_and_value():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t", at="t=1")
    x, y = R("x"), R("y")
    f = x**2 * y + y
    # each factor is the partial derivative, independently
    assert r.stages[0].matrix == sp.ImmutableMatrix([[sp.diff(f, x), sp.diff(f, y)]])
    assert r.stages[1].matrix == sp.ImmutableMatrix([[-sp.sin(t)], [2 * t]])
    assert len(r.paths) == 2
    whole = sp.diff((sp.cos(t)**2 * t**2 + t**2), t)
    assert same(r.result[0, 0], whole)
    assert same(sum(p.value for p in r.paths), whole)
    assert not r.value[0, 0].atoms(sp.Float)
    assert sp.N(r.value[0, 0] - whole.subs(t, 1), 30) == 0
    js = r.to_json()
    assert isinstance(js["result"], str) and isinstance(js["value"], str)
    assert js["jacobians"] == [[["2*x*y", "x**2 + 1"]], [["-sin(t)"], ["2*t"]]]


def test_two_layers_is_the_product_of_three_jacobians():
    r = chain("x1 x2", ["x1=u1+u2, x2=u1-u2", "u1=t, u2=t^2"], "t")
    assert [s.shape for s in r.stages] == [(1, 2), (2, 2), (2, 1)]
    assert same(r.result[0, 0], 2 * t - 4 * t**3)
    assert len(r.to_json()["jacobians"]) == 3


def test_shapes_of_the_json_result():
    assert isinstance(chain("x y", ["x=t^2, y=sin t"], "t").to_json()["result"], str)
    several = chain("x y", ["x=s t, y=s+t"], "s,t").to_json()["result"]
    assert isinstance(several, list) and all(isinstance(v, str) for v in several)
    column = chain("x y, x + y", ["x=t^2, y=sin t"], "t").to_json()["result"]
    assert isinstance(column, list) and len(column) == 2 and all(isinstance(v, str) for v in column)
    matrix = chain("x y, x + y", ["x=s t, y=s+t"], "s,t")
    js = matrix.to_json()["result"]
    assert len(js) == 2 and all(isinstance(row, list) and len(row) == 2 for row in js)
    expected = direct("x*y;x+y", [{"x": "s*t", "y": "s+t"}], ["s", "t"])
    for i in range(2):
        for j in range(2):
            assert same(sp.sympify(js[i][j], locals={"s": s, "t": t}), expected[i, j])


def test_a_final_variable_used_directly_is_carried_through():
    r = chain("x t", ["x=t^2"], "t")
    assert same(r.result[0, 0], 3 * t**2)
    r = chain("x t^2", ["x=u^2", "u=sin t"], "t")  # t passes through layer 1 and layer 2
    assert same(r.result[0, 0], direct("x*t**2", [{"x": "u**2"}, {"u": "sin(t)"}], ["t"])[0, 0])


def test_each_entry_has_true_steps():
    r = chain("x^2 y + sin(x y)", ["x=cos(t), y=t^2"], "t")
    for stage in r.stages:
        for i, row in enumerate(stage.steps):
            for j, step in enumerate(row):
                assert same(step.result, sp.diff(stage.functions[i], stage.inputs[j]))


# -- many random compositions, against substituting first --------------------------------
ATOMS = ["{a}", "{a}*{b}", "{a}^2", "sin({a})", "cos({a})*{b}", "exp({a})", "{a}^3 - {b}",
         "{a}*sin({b})", "({a} + 1)^2", "exp({a} - {b})"]


def _random_expr(rng: random.Random, names: list[str]) -> str:
    terms = []
    for _ in range(rng.randint(1, 2)):
        atom = rng.choice(ATOMS)
        terms.append(atom.format(a=rng.choice(names), b=rng.choice(names)))
    return " + ".join(terms)


def test_random_compositions_against_direct_differentiation():
    rng = random.Random(20240601)
    pools = [["x", "y"], ["u", "v"], ["p", "q"]]
    for _ in range(12):
        depth = rng.randint(1, 2)
        wrt = rng.choice([["t"], ["s", "t"]])
        widths = [rng.randint(1, 2) for _ in range(depth)]
        levels = [pools[k][:widths[k]] for k in range(depth)] + [wrt]
        f_count = rng.randint(1, 2)
        fs = [_random_expr(rng, levels[0]) for _ in range(f_count)]
        layers = [{n: _random_expr(rng, levels[k + 1]) for n in levels[k]} for k in range(depth)]
        texts = [", ".join(f"{n}={e}" for n, e in layer.items()) for layer in layers]
        r = chain(", ".join(fs), texts, ",".join(wrt))
        expected = direct(";".join(fs), layers, wrt)
        got = r.result
        assert got.shape == expected.shape
        point = {t: sp.Rational(3, 7), s: sp.Rational(-5, 11)}
        for a, b in zip(got, expected, strict=True):
            assert abs(sp.N((a - b).xreplace(point), 30)) < 1e-20, (fs, layers, wrt)


# -- --answer -------------------------------------------------------------------------------
def test_answer_right_and_in_another_form():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t")
    assert check_answer(r, "2t(cos(t)^2 + 1) - 2t^2 sin(t) cos(t)").correct is True


def test_missing_chain_term_is_diagnosed():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t")
    v = check_answer(r, "-2t^2 sin(t) cos(t)")
    assert v.correct is False and v.diagnosis == "missing_chain_term"
    assert "path through y" in v.feedback


def test_forgotten_term_is_a_missing_chain_term():
    # F3: f = x1 x2 + x2^2, x1 = t^2, x2 = 3t; 18t differentiates only the x2^2 term
    r = chain("x1 x2 + x2^2", ["x1=t^2, x2=3t"], "t")
    t = sp.Symbol("t", real=True)
    assert sp.expand(r.result[0, 0] - sp.diff(t**2 * 3 * t + 9 * t**2, t)) == 0
    assert sp.expand(sp.diff(9 * t**2, t) - 18 * t) == 0     # what the learner differentiated
    v = check_answer(r, "18t")
    assert v.correct is False and v.diagnosis == "missing_chain_term"
    assert "x1 x2" in v.feedback
    # one path of the product term dropped: 6t^2 + 18t misses x1 * dx2/dt = 3t^2
    v = check_answer(r, "6t^2 + 18t")
    assert v.diagnosis == "missing_chain_term" and "through x2" in v.feedback


def test_not_substituted_is_diagnosed():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t")
    v = check_answer(r, "2 x y (-sin t) + (x^2 + 1)(2t)")
    assert v.correct is None and v.verdict == "unfinished" and v.diagnosis == "not_substituted"


def test_jacobian_order_is_diagnosed():
    r = chain("x y, x + y", ["x=s t, y=s+t"], "s,t")
    jx = sp.Matrix([[t, s], [1, 1]])
    jf = sp.Matrix([[R("y"), R("x")], [1, 1]]).xreplace({R("x"): s * t, R("y"): s + t})
    wrong = (jx * jf).applyfunc(sp.expand)
    assert wrong != (jf * jx).applyfunc(sp.expand)
    text = "[" + ", ".join("[" + ", ".join(str(v) for v in wrong.row(i)) + "]" for i in range(2)) + "]"
    v = check_answer(r, text)
    assert v.correct is False and v.diagnosis == "jacobian_order"


def test_answer_at_a_point():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t", at="t=0")
    assert check_answer(r, "0").correct is True
    assert check_answer(r, "1").correct is False


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (("x + z", ["x=t"], "t"), "F mentions z, which is not defined"),
    (("x + u", ["x=u", "u=t"], "t"), "F mentions u, a name of layer 2"),
    (("x", ["x=t+s"], "t"), "layer 1 mentions s"),
    (("x", ["x=t"], None), "--wrt is missing"),
    (("x", [], "t"), "at least one --layer"),
    (("x", ["x=t, x=t^2"], "t"), "x is defined twice"),
    (("x", ["x=t", "x=t"], "t"), "defined in layer 1 and in layer 2"),
    (("x", ["cos(t)"], "t"), "has no '='"),
    (("x", ["sin=t"], "t"), "not a variable name"),
    (("x", ["x=t"], "x"), "--wrt x: x is a name of layer 1"),
])
def test_bad_input_is_a_precise_error(args, message):
    with pytest.raises(UsageError) as err:
        chain(*args)
    assert message in str(err.value)


def test_point_missing_a_variable():
    with pytest.raises(ParseError) as err:
        chain("x y", ["x=s t, y=s+t"], "s,t", at="t=1")
    assert "no value for s" in str(err.value)


# -- rendering ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["plain", "latex", "markdown", "rich"])
def test_every_format_shows_the_working(fmt):
    for r in (run_chain("x^2 y + y", ["x=cos(t), y=t^2"], "t", at="t=1", steps=True),
              run_chain("x1 x2", ["x1=u1+u2, x2=u1-u2", "u1=t, u2=t^2"], "t"),
              run_chain("x y, x+y", ["x=s t, y=s+t"], "s,t")):
        text = render(r, fmt, color=False)
        assert "chain rule" in text.lower()
        assert "t" in text
