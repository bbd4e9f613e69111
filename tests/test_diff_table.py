"""A table of textbook derivatives: the rules used at the top levels, and every node true."""

import pytest
import sympy as sp

from calctutor.parsing import parse_expression
from calctutor.steps.differentiate import diff_steps
from calctutor.symbols import make_symbol
from tests.mathcheck import equal, node_is_true

x, y = make_symbol("x"), make_symbol("y")

# (input, variable, root rule, rules of the root's direct substeps or None to skip)
TABLE = [
    ("7", "x", "constant", []),
    ("x", "x", "identity", []),
    ("x^5", "x", "power", []),
    ("x^-3", "x", "power", ["rewrite"]),
    ("1/x", "x", "power", ["rewrite"]),
    ("sqrt(x)", "x", "power", ["rewrite"]),
    ("x^(2/3)", "x", "power", ["rewrite"]),
    ("5x^-3", "x", "constant_multiple", ["power"]),
    ("6 x^(2/3)", "x", "constant_multiple", ["power"]),
    ("x^2/3", "x", "constant_multiple", ["rewrite", "power"]),
    ("3x^2 + 2x - 7", "x", "sum", ["constant_multiple", "constant_multiple", "constant"]),
    ("4x^2 - 3x + 7 + 1/x^2", "x", "sum", None),
    ("x^2 sin(x)", "x", "product", ["power", "trig"]),
    ("x^2 ln(x)", "x", "product", ["power", "log"]),
    ("e^x cos(x)", "x", "product", ["exp", "trig"]),
    ("x sin(x) cos(x)", "x", "product", ["identity", "trig", "trig"]),
    ("x^2 e^x sin(x)", "x", "product", ["power", "exp", "trig"]),
    ("x^3 cos(x) e^x", "x", "product", ["power", "exp", "trig"]),
    ("sec(x) tan(x)", "x", "product", ["trig", "trig"]),
    ("(x+1)(x-1)", "x", "product", ["sum", "sum"]),
    ("log(x)/x", "x", "quotient", ["log", "identity"]),
    ("exp(x)/(1+exp(x))", "x", "quotient", ["exp", "sum"]),
    ("cos(x)/x^2", "x", "quotient", ["trig", "power"]),
    ("(x^2+1)/(x-1)", "x", "quotient", ["sum", "sum"]),
    ("sin(x)/(x^2+1)", "x", "quotient", ["trig", "sum"]),
    ("1/(1+x^2)", "x", "chain", ["power", "sum"]),
    ("(3x+1)^5", "x", "chain", ["power", "sum"]),
    ("(x^2+1)^10", "x", "chain", ["power", "sum"]),
    ("sqrt(1 - x^2)", "x", "chain", ["power", "sum"]),
    ("e^(x^2+1)", "x", "chain", ["exp", "sum"]),
    ("e^(-x^2)", "x", "chain", ["exp", "constant_multiple"]),
    ("sin(3x)", "x", "chain", ["trig", "constant_multiple"]),
    ("ln(cos(2x))", "x", "chain", ["log", "chain"]),
    ("sin(e^(x^2))", "x", "chain", ["trig", "chain"]),
    ("sin(cos(exp(x^2)))", "x", "chain", ["trig", "chain"]),
    ("e^(sin(x^2))", "x", "chain", ["exp", "chain"]),
    ("atan(sqrt(1+x^2))", "x", "chain", ["inverse_trig", "chain"]),
    ("sin(x)^3", "x", "chain", ["power", "trig"]),
    ("tanh(2z)", "z", "chain", ["hyperbolic", "constant_multiple"]),
    ("sin(x)", "x", "trig", []),
    ("cos(x)", "x", "trig", []),
    ("tan(x)", "x", "trig", []),
    ("sec(x)", "x", "trig", []),
    ("csc(x)", "x", "trig", []),
    ("cot(x)", "x", "trig", []),
    ("asin(x)", "x", "inverse_trig", []),
    ("acos(x)", "x", "inverse_trig", []),
    ("atan(x)", "x", "inverse_trig", []),
    ("asec(x)", "x", "inverse_trig", []),
    ("acsc(x)", "x", "inverse_trig", []),
    ("acot(x)", "x", "inverse_trig", []),
    ("sinh(x)", "x", "hyperbolic", []),
    ("cosh(x)", "x", "hyperbolic", []),
    ("tanh(x)", "x", "hyperbolic", []),
    ("sech(x)", "x", "hyperbolic", []),
    ("asinh(x)", "x", "inverse_hyperbolic", []),
    ("acosh(x)", "x", "inverse_hyperbolic", []),
    ("atanh(x)", "x", "inverse_hyperbolic", []),
    ("e^x", "x", "exp", []),
    ("ln(x)", "x", "log", []),
    ("log(x, 2)", "x", "constant_multiple", ["rewrite", "log"]),
    ("log10(x^2)", "x", "constant_multiple", ["rewrite", "chain"]),
    ("2^x", "x", "exponential", []),
    ("10^(x^2)", "x", "chain", ["exponential", "power"]),
    ("|x|", "x", "abs", []),
    ("|x^2 - 1|", "x", "chain", ["abs", "sum"]),
    ("x^x", "x", "general_power", ["rewrite", "product"]),
    ("x^sin(x)", "x", "general_power", ["rewrite", "product"]),
    ("sin(x)^x", "x", "general_power", ["rewrite", "product"]),
    ("f(x)", "x", "unknown_function", []),
    ("f(x^2)", "x", "chain", ["unknown_function", "power"]),
    ("x y^2", "y", "constant_multiple", ["power"]),
    ("x^2 y + sin(x y)", "y", "sum", None),
    ("a x^2 y + b y^3", "x", "sum", None),
    ("sigmoid(x)", "x", "chain", ["power", "sum"]),
    ("x e^(-x^2)", "x", "product", ["identity", "chain"]),
]


@pytest.mark.parametrize("text, var, root, children", TABLE, ids=[t[0] for t in TABLE])
def test_rules_and_truth(text, var, root, children):
    expr = parse_expression(text).expr
    v = make_symbol(var)
    tree = diff_steps(expr, v)
    assert tree.rule == root
    if children is not None:
        assert [s.rule for s in tree.substeps] == children
    assert equal(tree.result.doit(), sp.diff(expr, v).doit(), domain=expr)
    for node in tree.walk():
        assert node.text, node
        assert node_is_true(node), (node.rule, node.expr, node.result)


def test_table_is_large_enough():
    assert len(TABLE) >= 70


def test_nested_chains_use_a_new_name_at_each_level():
    tree = diff_steps(parse_expression("sin(cos(exp(x^2)))").expr, x)
    names = [str(s.let[0][0]) for s in tree.walk() if s.rule == "chain"]
    assert len(names) == 3 and len(set(names)) == 3


def test_partial_derivative_says_what_is_held_constant():
    tree = diff_steps(parse_expression("x^2 y + y").expr, x)
    texts = " ".join(s.text for s in tree.walk())
    assert "y is held constant" in texts


def test_general_power_is_right_where_other_engines_are_wrong():
    for text in ("x^x", "x^sin(x)", "sin(x)^x"):
        expr = parse_expression(text).expr
        assert equal(diff_steps(expr, x).result, sp.diff(expr, x))
