"""The parser: learners' notation read as documented, ambiguities flagged, the reading
echoed, and the list/point/matrix/name/equation helpers. Expected values are built with
SymPy directly, never through the parser."""

import pytest
import sympy as sp

from calctutor.errors import ParseError
from calctutor.parsing import (
    parse_equation,
    parse_expression,
    parse_expressions,
    parse_matrix,
    parse_names,
    parse_point,
)
from calctutor.symbols import make_symbol

x, y, z = (make_symbol(n) for n in "xyz")
alpha, beta, theta = (make_symbol(n) for n in ("alpha", "beta", "theta"))

NOTATION = [
    ("x^2", x**2),
    ("x**2", x**2),
    ("2^3^2", sp.Integer(512)),            # right-associative
    ("-x^2", -(x**2)),
    ("2x", 2 * x),
    ("3x y", 3 * x * y),
    ("x(x+1)", x * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("sin x", sp.sin(x)),
    ("sin 2x", sp.sin(2 * x)),
    ("sin x^2", sp.sin(x**2)),
    ("sin^2(x)", sp.sin(x) ** 2),
    ("sin^2 x", sp.sin(x) ** 2),
    ("e^x", sp.exp(x)),
    ("e^(2x)", sp.exp(2 * x)),
    ("ln(x)", sp.log(x)),
    ("ln x", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)),
    ("sqrt(x)", sp.sqrt(x)),
    ("√x", sp.sqrt(x)),
    ("pi x", sp.pi * x),
    ("π/2", sp.pi / 2),
    ("x²", x**2),
    ("x³ + x²", x**3 + x**2),
    ("x − 1", x - 1),
    ("2×x", 2 * x),
    ("6÷2", sp.Integer(3)),
    ("alpha + β", alpha + beta),
    ("θ^2", theta**2),
    ("|x|", sp.Abs(x)),
    ("|x - 1| + |y|", sp.Abs(x - 1) + sp.Abs(y)),
    ("arcsin(x)", sp.asin(x)),
    ("arctan x", sp.atan(x)),
    ("cosec(x)", sp.csc(x)),
    ("[x + 1]^2", (x + 1) ** 2),
    ("0.5x", sp.Float(0.5) * x),
    ("1e-3", sp.Float(1e-3)),
    ("x!", sp.factorial(x)),
]


@pytest.mark.parametrize("text, expected", NOTATION, ids=[t for t, _ in NOTATION])
def test_notation_is_read_as_documented(text, expected):
    got = parse_expression(text).expr
    assert got == expected, (text, got)


def test_variables_are_real_symbols():
    expr = parse_expression("x + y").expr
    assert all(s.is_real for s in expr.free_symbols)
    assert parse_expression("x", positive=True).expr.is_positive


def test_integers_stay_exact():
    assert parse_expression("1/3").expr == sp.Rational(1, 3)


@pytest.mark.parametrize("text, suggestion", [
    ("sinx", "sin(x)"),
    ("In(x)", "ln"),
    ("cosx", "cos(x)"),
    ("xsinx", "x*sin(x)"),
])
def test_did_you_mean(text, suggestion):
    with pytest.raises(ParseError, match="did you mean") as info:
        parse_expression(text)
    assert suggestion in str(info.value)
    assert "column" in str(info.value)


AMBIGUOUS = [
    ("1/2x", x / 2, "1/(2x)"),
    ("x^1/2", x / 2, "x^(1/2)"),
    ("e^2x", sp.exp(2) * x, "e^(2x)"),
    ("sin^-1 x", sp.asin(x), "inverse"),
    ("xy", x * y, "x*y"),
    # a name with glued square brackets is indexed: a[1] is the variable a_1
    ("a[1]", make_symbol("a_1"), "a_1"),
    ("x[1]", make_symbol("x_1"), "index"),
    ("w[2] x", make_symbol("w_2") * x, "w*(2)"),
    ("x[i]^2", make_symbol("x_i") ** 2, "x_i"),
    ("theta[0]", make_symbol("θ_0"), "θ_0"),
    ("f[x]", make_symbol("f_x"), "f(x)"),
    ("λ[2] x", make_symbol("lam_2") * x, "λ_2"),
    ("lambda[1]", make_symbol("λ_1"), "λ_1"),
    # other glued brackets group, flagged since an index may have been meant
    ("x[x+1]", x * (x + 1), "index is written"),
    ("e[1]", sp.E, "e times the bracket"),
    ("pi[2]", 2 * sp.pi, "pi times the bracket"),
    # powers stack from the right
    ("x^(1/2)^2", x ** sp.Rational(1, 4), "(x^(1/2))^2"),
    ("x^2^3", x**8, "(x^2)^3"),
    ("2^3^2", sp.Integer(512), "(2^3)^2"),
    ("cbrt(x)", x ** sp.Rational(1, 3), "real cube root"),
    ("1e", sp.E, "scientific notation needs an exponent"),
]


@pytest.mark.parametrize("text, expected, hint", AMBIGUOUS, ids=[a[0] for a in AMBIGUOUS])
def test_ambiguous_forms_are_read_one_way_and_flagged(text, expected, hint):
    parsed = parse_expression(text)
    assert parsed.expr == expected
    assert parsed.reading.notes and any(hint in n for n in parsed.reading.notes)
    assert parsed.reading.differs


def test_the_same_name_indexed_twice_is_noted_once():
    parsed = parse_expression("w[1]x[1] + w[2]x[2]")
    w1, w2, x1, x2 = (make_symbol(n) for n in ("w_1", "w_2", "x_1", "x_2"))
    assert parsed.expr == w1 * x1 + w2 * x2
    assert len(parsed.reading.notes) == 2 and parsed.reading.reading == "w_1*x_1 + w_2*x_2"


@pytest.mark.parametrize("text, expected", [
    ("2[x+1]", 2 * x + 2), ("x [x+1]", x * (x + 1)), ("sin[x]", sp.sin(x)), ("(n!)!", None),
    ("e^x^2", sp.exp(x**2)), ("(x^2)^3", x**6), ("y/d", None), ("3e^x", 3 * sp.exp(x)),
    ("1e3", sp.Float(1000)),
])
def test_brackets_with_a_space_and_plain_forms_are_not_flagged(text, expected):
    parsed = parse_expression(text)
    if expected is not None:
        assert parsed.expr == expected
    assert not parsed.reading.notes


@pytest.mark.parametrize("text, message", [
    ("n!!", "double factorial is not supported; for the factorial of n! write (n!)!"),
    ("x!!!", "double factorial"),
    ("3!!", "double factorial"),
    ("n! !", "double factorial"),
    ("a_1[2]", "only one index"),
    ("W[1][2]", "only one index"),
    ("W[1,2]", "only one index"),
    ("f'(x)", "a prime marks a derivative"),
    ("x'", "a prime marks a derivative"),
    ("y''", "a prime marks a derivative"),
    ("∂f/∂x", "a derivative cannot be part of an expression"),
    ("dy/dx", "d/dx is notation for a derivative"),
    ("d/dx x^2", "calctutor diff --var x"),
    ("df/dt", "calctutor diff --var t"),
    ("2.5.3", "'2.5.3' at column 1 is not a number: it has two decimal points"),
    ("x^2^", "missing after '^'"),
])
def test_notation_corners_are_refused_with_a_hint(text, message):
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text, base, p, q", [
    ("(-8)^(1/3)", -8, 1, 3),                # odd roots of negative numbers are real
    ("cbrt(-8)", -8, 1, 3),
    ("(-8)^(2/3)", -8, 2, 3),
    ("(-27)^(-1/3)", -27, -1, 3),
    ("(-8)^(-2/3)", -8, -2, 3),
    ("(-32)^(3/5)", -32, 3, 5),
    ("(-2)^(1/3)", -2, 1, 3),
])
def test_odd_roots_of_negative_numbers_are_real(text, base, p, q):
    value = parse_expression(text).expr
    # the real root r of b^(p/q) is the real number with r^q = b^p and the sign of b^p
    assert value.is_real
    assert sp.expand(value**q) == sp.Integer(base) ** p
    assert sp.sign(value) == sp.sign(sp.Integer(base) ** p)


@pytest.mark.parametrize("text", ["sqrt(-1)", "sqrt(-4) x", "ln(-1)", "asin(2)", "log(-2, 2)",
                                  "(-1)^(1/2)", "(-8)^(1/3.0)", "(-2)^x"])
def test_numbers_that_are_not_real_are_refused(text):
    with pytest.raises(ParseError, match="not (a )?real") as info:
        parse_expression(text)
    assert "column 1" in str(info.value)


def test_a_declared_dx_is_a_variable_not_leibniz():
    assert parse_expression("y/dx", variables=["dx"]).expr == y / make_symbol("dx")


def test_reading_is_echoed_only_when_it_differs():
    same = parse_expression("x^2 + 1").reading
    assert not same.differs and same.text == "x^2 + 1"
    other = parse_expression("2x sin x").reading
    assert other.differs and other.reading == "2*x*sin(x)"
    assert other.text == "2x sin x"


def test_declared_variable_wins_over_a_reading():
    assert parse_expression("rate x", variables=["rate"]).expr == make_symbol("rate") * x
    assert parse_expression("f(x)", variables=["f"]).expr == make_symbol("f") * x


def test_unknown_function_is_flagged():
    parsed = parse_expression("f(x)")
    assert parsed.expr == sp.Function("f")(x)
    assert parsed.reading.notes


# --- lists, points, matrices, names, equations -------------------------------------------


def test_parse_expressions_with_or_without_brackets():
    for text in ("x, y^2", "[x, y^2]", "(x, y^2)"):
        assert [p.expr for p in parse_expressions(text)] == [x, y**2], text


def test_points_by_name_or_position():
    assert parse_point("x=1,y=2", [x, y]) == {x: 1, y: 2}
    assert parse_point("y=2, x=1", [x, y]) == {x: 1, y: 2}
    assert parse_point("1,2", [x, y]) == {x: 1, y: 2}
    assert parse_point("x=1/2", [x]) == {x: sp.Rational(1, 2)}
    assert parse_point("x=pi", [x]) == {x: sp.pi}


@pytest.mark.parametrize("text, message", [
    ("x=1", "no value for y"),
    ("x=1,x=2", "twice"),
    ("z=1", "not a variable"),
    ("1,2,3", "3 values"),
    ("", "empty"),
    ("x=", "no value after"),
])
def test_point_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_point(text, [x, y])


def test_matrix():
    rows = parse_matrix("[[1, x], [y^2, 4]]")
    assert [[p.expr for p in row] for row in rows] == [[1, x], [y**2, 4]]
    assert [[p.expr for p in row] for row in parse_matrix("[1, 2]")] == [[1, 2]]


@pytest.mark.parametrize("text, message", [
    ("[[1,2],[3]]", "row 2"),
    ("[[]]", "empty"),
    ("[[1,2],[3,4]", "column"),
])
def test_matrix_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_matrix(text)


def test_names():
    assert parse_names("x,y") == ["x", "y"]
    assert parse_names(" x , y , z ") == ["x", "y", "z"]
    assert parse_names("alpha,b") == ["alpha", "b"]


@pytest.mark.parametrize("text, message", [
    ("x,x", "twice"),
    ("x,,y", "empty"),
    ("sin", "function name"),
    ("1x", "not a variable name"),
    ("", "no variable"),
])
def test_name_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_names(text)


def test_equation_is_lhs_minus_rhs():
    assert parse_equation("x^2 = 4").expr == x**2 - 4
    assert sp.expand(parse_equation("y = 2x+1").expr - (y - 2 * x - 1)) == 0


@pytest.mark.parametrize("text, message", [
    ("x = = 1", "one '='"),
    ("=1", "left side"),
    ("x=1=2", "one '='"),
])
def test_equation_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_equation(text)
