"""The shared --answer mechanism: shapes, numbers, verdicts, JSON (mal-rules are tested apart)."""

import sympy as sp

from calctutor.checking.answer import AnswerSpec, check_answer
from calctutor.commands.diff import run_diff
from calctutor.symbols import make_symbol

x, y = make_symbol("x"), make_symbol("y")


class Fixed:
    """A stand-in result with a given answer spec."""

    def __init__(self, spec):
        self.spec = spec

    def answer_spec(self):
        return self.spec


def test_right_answer_in_another_form_is_correct():
    v = check_answer(run_diff("x^2 sin x"), "2x sin x + x^2 cos x")
    assert v.correct is True and v.diagnosis is None
    assert v.to_json()["correct"] is True


def test_wrong_answer_gives_evidence_and_no_solution():
    v = check_answer(run_diff("x^2 sin x"), "2x sin x")
    assert v.correct is False and v.diagnosis is None
    assert "yours is" in v.feedback and "the correct value is" in v.feedback
    assert "solution" not in v.to_json()
    assert "solution" in check_answer(run_diff("x^2 sin x"), "2x", show=True).to_json()


def test_sign_error_is_diagnosed():
    v = check_answer(run_diff("x^2 - x^3"), "3x^2 - 2x")
    assert v.correct is False and v.diagnosis == "sign_error"
    # a flipped trigonometric derivative is the more telling diagnosis
    assert check_answer(run_diff("cos(x^2)"), "2x sin(x^2)").diagnosis == "trig_sign"


def test_value_at_a_point_accepts_exact_and_enough_decimals():
    result = run_diff("sin x", at="x=pi/4")
    assert check_answer(result, "1/sqrt(2)").correct is True
    assert check_answer(result, "0.7071").correct is True
    assert check_answer(result, "0.71").correct is False  # too rough
    assert check_answer(result, "0.7072").correct is False


def test_matrix_shape_is_checked_first_and_rows_conform():
    spec = AnswerSpec("matrix", [[2 * x, sp.Integer(1)], [y, x]], "the Jacobian", (x, y))
    assert check_answer(Fixed(spec), "[[2x, 1], [y, x]]").correct is True
    wrong_shape = check_answer(Fixed(spec), "[[2x, 1, 0], [y, x, 0]]")
    assert wrong_shape.correct is False and "2×2" in wrong_shape.feedback
    one_wrong = check_answer(Fixed(spec), "[[2x, 1], [y, 2x]]")
    assert one_wrong.correct is False and one_wrong.wrong_entries == ((2, 2),)


def test_row_vector_typed_without_outer_brackets():
    spec = AnswerSpec("matrix", [[2 * x, 3 * y**2]], "the Jacobian", (x, y))
    assert check_answer(Fixed(spec), "2x, 3y^2").correct is True


def test_vector_entries_named_when_wrong():
    spec = AnswerSpec("vector", [2 * x, 2 * y], "the gradient", (x, y), entry_names=("df/dx", "df/dy"))
    v = check_answer(Fixed(spec), "2x, y")
    assert v.correct is False and "df/dy" in v.feedback
