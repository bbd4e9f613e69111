"""Property: for random expressions of depth >= 4, every node of the step tree is true,
the root equals sympy.diff of the input, and the tidied result equals the raw one.

CI runs 1,000 examples (tests/conftest.py); each example checks all its nodes in one batch
of numeric comparisons (tests/mathcheck.py), so the whole test takes seconds, not minutes.
"""

import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy
from calctutor.symbols import make_symbol
from tests.mathcheck import compare, real_points

x, y = make_symbol("x"), make_symbol("y")

LEAVES = st.sampled_from([x, x, x, y, sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Integer(-1)])
FUNCTIONS = [sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.atan, sp.sqrt, sp.sinh, sp.tanh,
             sp.Abs, sp.cosh, lambda e: sp.exp(-e), lambda e: 1 / (1 + e**2)]


def _small(number) -> bool:
    """|number| <= 50, decided; False for nan or a complex number (they have no order)."""
    try:
        return bool(abs(number) <= 50)
    except TypeError:
        return False


@st.composite
def expressions(draw, depth):
    """An expression whose tree has at least ``depth`` levels along its first child."""
    if depth == 0:
        return draw(LEAVES)
    first = draw(expressions(depth - 1))
    kind = draw(st.sampled_from(["add", "sub", "mul", "div", "pow", "func", "func", "rpow", "gpow"]))
    if kind == "func":
        return draw(st.sampled_from(FUNCTIONS))(first)
    if kind == "pow":
        return first ** draw(st.sampled_from([2, 3, -1, -2, sp.Rational(1, 2), sp.Rational(-1, 3)]))
    if kind in ("rpow", "gpow") and first.is_number and not _small(first):
        # 10^(10^(10^3)) is a 10^1000-digit integer: SymPy would build it
        first = first + x
    if kind == "rpow":
        return draw(st.sampled_from([sp.Integer(2), sp.Integer(10)])) ** first
    if kind == "gpow":
        return (x**2 + 1) ** first
    other = draw(expressions(draw(st.integers(0, max(0, depth - 2)))))
    if kind == "add":
        return first + other
    if kind == "sub":
        return first - other
    if kind == "mul":
        return first * other
    return first / other if other != 0 else first


def _depth(e) -> int:
    return 1 + max((_depth(a) for a in e.args), default=0)


@given(expressions(4))
def test_every_node_is_true(expr):
    assume(expr.has(x) and not expr.has(sp.zoo, sp.nan, sp.oo))
    assume(sp.count_ops(expr) < 60)
    assume(real_points(expr))  # a real function somewhere: this is real calculus
    tree = diff_steps(expr, x)
    nodes = list({(n.rule, n.expr, n.var): n for n in tree.walk()}.values())
    # a node says d(expr)/d(var) = result (a rewrite: expr = result); compare each where
    # its own expression is real
    pairs = [(n.expr if n.rule == "rewrite" else sp.diff(n.expr, n.var), n.result, n.expr)
             for n in nodes]
    pairs.append((sp.diff(expr, x), tree.result, expr))
    pairs.append((tidy(tree.result), tree.result, expr))
    *checked, root, tidied = compare(pairs)
    for node, c in zip(nodes, checked, strict=True):
        assert c.counterexample is None, (node.rule, node.expr, node.var, node.result, c)
    assert root.counterexample is None, (expr, tree.result, root)
    assert tidied.counterexample is None, (expr, tidy(tree.result), tidied)
    # the two claims about the whole input were really tested, on its real domain
    assert root.real_domain and root.agreed >= 3, root
    assert tidied.real_domain and tidied.agreed >= 3, tidied


def test_the_strategy_really_builds_deep_expressions():
    from hypothesis import find, settings

    deep = find(expressions(4), lambda e: _depth(e) >= 5,
                settings=settings(database=None, max_examples=200))
    assert _depth(deep) >= 5
