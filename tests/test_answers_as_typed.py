"""Answers as learners type them (issue 14): matrices and vectors in the common forms, Greek
letters as variables, and "right, but not finished". Every expected value is computed here
with SymPy from the problem, never taken from calctutor."""

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError
from calctutor.parsing import parse_matrix
from calctutor.topics.matrices.run import run_gradient, run_hessian, run_jacobian

X, Y, Z = sp.symbols("x y z", real=True)


def _rows(text):
    return [[p.expr for p in row] for row in parse_matrix(text)]


def _as_text(m):
    return [[str(e).replace("**", "^") for e in row] for row in m.tolist()]


@pytest.mark.parametrize("form", [
    "[[{a}, {b}], [{c}, {d}]]", "[{a}, {b}], [{c}, {d}]", "({a}, {b}), ({c}, {d})",
    "(({a}, {b}), ({c}, {d}))", "{a}, {b}; {c}, {d}", "[{a}, {b}; {c}, {d}]",
    "{a}, {b}\n{c}, {d}", "{a}, {b};\n{c}, {d}\n", "[[{a}, {b}],\n [{c}, {d}]]",
])
def test_every_common_matrix_form_reads_the_same_matrix(form):
    f = X**3 * Y**3
    h = sp.hessian(f, (X, Y))
    (a, b), (c, d) = _as_text(h)
    text = form.format(a=a, b=b, c=c, d=d)
    assert sp.Matrix(_rows(text)) - h == sp.zeros(2, 2)
    assert check_answer(run_hessian("x^3 y^3"), text).correct is True


def test_the_issue_examples_are_checked():
    f = X**2 * Y + 2 * Y**2 + Z**2
    at = {X: 1, Y: 0, Z: 0}
    h = sp.hessian(f, (X, Y, Z)).subs(at)
    text = ",".join("(" + ",".join(str(v) for v in row) + ")" for row in h.tolist())
    assert check_answer(run_hessian("x^2 y + 2y^2 + z^2", at="x=1,y=0,z=0"), text).correct is True
    assert check_answer(run_hessian("x^3 y^3"), "6x, 9y^2; 9y^2, 18xy").correct is False
    right = sp.hessian(X**3 + 3 * X * Y**2, (X, Y))
    assert right == sp.Matrix([[6 * X, 6 * Y], [6 * Y, 6 * X]])
    assert check_answer(run_hessian("x^3 + 3x y^2"), "6x, 6y; 6y, 6x").correct is True


def test_round_brackets_group_rows_only_when_they_hold_a_comma():
    assert _rows("(x+1), (y)") == [[X + 1, Y]]
    assert _rows("(1, 2)") == [[1, 2]]
    assert _rows("[x+1], [y]") == [[X + 1], [Y]]


def test_rows_of_different_lengths_are_an_error_naming_the_row():
    with pytest.raises(ParseError, match="row 2 .* has 3 entries but row 1 has 2"):
        parse_matrix("1, 2; 3, 4, 5")


def test_semicolons_and_line_breaks_stay_errors_outside_a_matrix():
    from calctutor.parsing import parse_expression

    for text in ("x; y", "x\ny"):
        with pytest.raises(ParseError):
            parse_expression(text)


def test_wrong_shape_says_what_was_read_and_what_is_expected():
    v = check_answer(run_hessian("x^3 y^3"), "1, 2, 3; 4, 5, 6")
    assert v.correct is False and "2×2" in v.feedback and "2×3" in v.feedback
    # points typed where a gradient (a list) is expected: read as rows, never reinterpreted
    g = check_answer(run_gradient("x^2 y"), "(2x y, x^2), (1, 2)")
    assert g.correct is False and "list of 2 entries" in g.feedback and "2×2" in g.feedback


def test_a_list_as_a_column_or_with_semicolons_is_the_same_vector():
    expected = [sp.diff(X**2 * Y, v) for v in (X, Y)]
    assert expected == [2 * X * Y, X**2]
    for text in ("2x y; x^2", "[[2x y], [x^2]]", "2x y\nx^2", "(2x y, x^2)"):
        assert check_answer(run_gradient("x^2 y"), text).correct is True, text


def test_a_jacobian_one_row_per_line():
    j = sp.Matrix([X * Y, X + Y]).jacobian((X, Y))
    text = "\n".join(", ".join(row) for row in _as_text(j))
    assert check_answer(run_jacobian("x y, x+y"), text).correct is True
