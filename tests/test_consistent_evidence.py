"""Counterexamples that are consistent: the values shown for intermediate variables are the
values the layers give at the point shown, and an answer to an --at question is compared at
that point. Every printed number is recomputed here independently (math / SymPy)."""

import math
import re

import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.topics.chain.chain import chain
from calctutor.topics.matrices.run import run_gradient, run_hessian, run_jacobian

NUMBER = r"(-?[0-9.]+(?:e[-+]?\d+)?)"


def _values(text: str) -> dict[str, float]:
    """name = value pairs in a piece of evidence (only plain decimal values)."""
    return {n: float(v) for n, v in re.findall(r"\b([a-z]\w*) = " + NUMBER + r"\b", text)}


def _yours_correct(text: str) -> tuple[float, float]:
    m = re.search(r"yours is (?:[^,]*? = )?" + NUMBER + r", but the correct value is "
                  r"(?:[^,]*? = )?" + NUMBER, text)
    assert m, text
    return float(m.group(1)), float(m.group(2))


def _close(a: float, b: float, digits: int = 5) -> bool:
    return abs(a - b) <= 10 ** -digits * max(1.0, abs(b))


def test_chain_counterexample_shows_layer_values_at_the_t_shown():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t")
    v = check_answer(r, "2x y + x^2 + 1")
    assert v.correct is False
    vals = _values(v.evidence)
    t = vals["t"]
    assert _close(vals["x"], math.cos(t)) and _close(vals["y"], t ** 2)
    yours, correct = _yours_correct(v.evidence)
    x, y = math.cos(t), t ** 2
    assert _close(yours, 2 * x * y + x ** 2 + 1)
    ts = sp.Symbol("t")
    d = sp.diff(sp.cos(ts) ** 2 * ts ** 2 + ts ** 2, ts)
    assert _close(correct, float(d.subs(ts, sp.Rational(str(t)))))


def test_chain_two_layers_values_are_the_composition():
    r = chain("x y + x", ["x=u+v, y=u v", "u=t^2, v=3t"], "t")
    v = check_answer(r, "y + 1 + x")   # wrong: the layers' derivatives are missing
    assert v.correct is False
    vals = _values(v.evidence)
    t = vals["t"]
    u, w = t ** 2, 3 * t
    assert _close(vals["x"], u + w) and _close(vals["y"], u * w)
    assert "u" in vals and _close(vals["u"], u) and _close(vals["v"], w)


def test_chain_answer_right_only_after_substitution_is_not_accepted():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t")
    v = check_answer(r, "2 x y (-sin t) + (x^2 + 1)(2t)")
    assert v.verdict == "unfinished" and v.correct is None and v.diagnosis == "not_substituted"
    assert "x = cos(t)" in v.feedback and "in t" in v.feedback
    # a partly substituted answer is the same case
    v = check_answer(r, "2 cos(t) y (-sin t) + (cos(t)^2 + 1)(2t)")
    assert v.verdict == "unfinished" and v.diagnosis == "not_substituted"
    assert "y = t^2" in v.feedback and "x = cos(t)" not in v.feedback


def test_chain_at_a_point_compares_there_with_the_layer_values():
    r = chain("x^2 y + y", ["x=cos(t), y=t^2"], "t", at="t=1")
    # its value at t = 1 is the value asked for, but it is not that value yet
    right = check_answer(r, "2 x y (-sin t) + (x^2 + 1)(2t)")
    assert right.verdict == "unfinished" and "evaluate it at t = 1" in right.feedback.lower()
    v = check_answer(r, "2x y + x^2 + 1")
    assert v.correct is False
    assert v.evidence.startswith("at t = 1 ")
    vals = _values(v.evidence)
    assert _close(vals["x"], math.cos(1)) and _close(vals["y"], 1.0)
    yours, correct = _yours_correct(v.evidence)
    assert _close(yours, math.cos(1) ** 2 + 2 * math.cos(1) + 1)
    assert _close(correct, -2 * math.cos(1) * math.sin(1) + 2 * (math.cos(1) ** 2 + 1))


def test_hessian_at_a_point_compares_a_symbolic_answer_there():
    x, y = sp.symbols("x y")
    h = sp.hessian(x ** 3 * y ** 2, (x, y)).subs({x: 1, y: 1})
    r = run_hessian("x^3 y^2", at="x=1,y=1")
    # right at the point, but still a formula: not finished (the try is not used up)
    done = check_answer(r, "[[6 x y^2, 6x^2 y],[6 x^2 y, 2 x^3]]")
    assert done.verdict == "unfinished" and "Evaluate it at x = 1, y = 1" in done.feedback
    v = check_answer(r, "[[6 x y^2, 6x^2 y],[6 x^2 y, 3 x^3]]")
    assert v.correct is False and v.wrong_entries == ((2, 2),)
    assert v.evidence.startswith("at x = 1, y = 1")
    yours, correct = _yours_correct(v.evidence)
    assert (yours, correct) == (3.0, float(h[1, 1]))


def test_hessian_at_a_point_symbolic_answer_true_elsewhere_only():
    # 6 x y^2 and 6 x^2 y agree at (1, 1) but not at (2, 1): the point decides
    r = run_hessian("x^3 y^2", at="x=2,y=1")
    v = check_answer(r, "[[6 x y^2, 6x^2 y],[6 x^2 y, 2 x^3]]")
    assert v.verdict == "unfinished"  # right there, not yet evaluated
    v = check_answer(r, "[[6 x^2 y, 6x^2 y],[6 x^2 y, 2 x^3]]")
    assert v.correct is False and v.wrong_entries == ((1, 1),)
    yours, correct = _yours_correct(v.evidence)
    assert (yours, correct) == (24.0, 12.0)


def test_gradient_at_a_point_compares_there():
    r = run_gradient("x^2 y", at="x=1,y=2")
    assert check_answer(r, "[2xy, x^2]").verdict == "unfinished"
    v = check_answer(r, "[2xy, x^2+1]")
    assert v.correct is False and v.wrong_entries == ((2,),)
    assert v.evidence.startswith("at x = 1, y = 2")
    assert _yours_correct(v.evidence) == (2.0, 1.0)


def test_jacobian_at_a_point_compares_there():
    r = run_jacobian("x y, x + y^2", at="x=2,y=3")
    assert check_answer(r, "[[y, x],[1, 2y]]").verdict == "unfinished"
    v = check_answer(r, "[[y, x],[1, y]]")
    assert v.correct is False and v.wrong_entries == ((2, 2),)
    assert "at x = 2, y = 3" in v.evidence
    assert _yours_correct(v.evidence) == (3.0, 6.0)


def test_at_point_with_a_symbolic_constant_keeps_the_constant():
    r = run_gradient("a x^2", vars="x", at="x=2")
    assert check_answer(r, "[4 a]").correct is True
    assert check_answer(r, "[2 a x]").verdict == "unfinished"
    assert check_answer(r, "[a x]").correct is False


def test_backprop_answer_with_a_name_is_not_sampled():
    from calctutor.topics.chain.backprop import backprop

    r = backprop(["W=[[1,-1],[2,0]]; b=[0,-1]", "W=[[1,1]]; b=[0]"], "1,1", "1", check="b2")
    v = check_answer(r, "x")
    assert v.correct is False
    assert "x = " not in (v.feedback + (v.evidence or ""))


def test_quiz_chain_item_evidence_is_consistent():
    from calctutor.coach.engine import check
    from calctutor.drills import generate

    exs = [e for e in generate("module3", count=12, seed=7, skill="3.1 multivariate chain rule")
           if e.kind == "chain" and "at" not in e.input]
    assert exs
    ex = exs[0]
    r = ex.solve()
    names = [n for level in r.composed for n, _ in level]
    wrong = " + ".join(n.name for n in names) + " + 1"
    v = check(ex, None, wrong)
    assert v.correct is False
    vals = _values(v.evidence)
    t = sp.Rational(str(vals["t"]))
    for n, e in (pair for level in r.composed for pair in level):
        want = float(e.subs(r.wrt[0], t))
        assert _close(vals[n.name], want), (n, vals, want)
