"""The shared --answer mechanism: shapes, numbers, verdicts, JSON (mal-rules are tested apart)."""

import sympy as sp

from calctutor.checking.answer import AnswerSpec, check_answer
from calctutor.symbols import make_symbol
from calctutor.topics.diff.run import run_diff

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


def test_shape_mistake_from_the_spec_is_named():
    # a command's own mal-rule may change the shape (a transposed Jacobian)
    from calctutor.checking.answer import Mistake

    jac = [[2 * x, sp.Integer(1), y], [y, x, sp.Integer(0)]]
    transposed = [list(r) for r in zip(*jac, strict=True)]
    spec = AnswerSpec("matrix", jac, "the Jacobian", (x, y), mistakes=lambda: [
        Mistake("transposed_jacobian", transposed, "You wrote the Jacobian transposed.")])
    v = check_answer(Fixed(spec), "[[2x, y], [1, x], [y, 0]]")
    assert v.correct is False and v.diagnosis == "transposed_jacobian"
    assert "2×3" in v.feedback and "3×2" in v.feedback
    other = check_answer(Fixed(spec), "[[2x, 1], [y, x]]")
    assert other.diagnosis == "wrong_shape" and "2×3" in other.feedback


def test_matrix_feedback_names_the_wrong_entries_and_gives_evidence():
    spec = AnswerSpec("matrix", [[2 * x, sp.Integer(1), y], [y, x, sp.Integer(0)]],
                      "the Jacobian", (x, y))
    v = check_answer(Fixed(spec), "[[2x, 1, y], [y, 2x, 1]]")
    assert v.wrong_entries == ((2, 2), (2, 3))
    assert v.feedback.startswith("Entries (2, 2) and (2, 3) of your Jacobian are wrong")
    # the evidence is about entry (2, 2): yours 2x, correct x at the point shown
    px, py = (float(part.split(" = ")[1]) for part in v.evidence.split(", yours")[0][3:].split(", "))
    assert f"yours is {format(2 * px, '.6g')}" in v.evidence
    assert v.to_json()["wrong_entries"] == [[2, 2], [2, 3]]


def test_number_lists_and_plural_verdicts():
    spec = AnswerSpec("numbers", [sp.Integer(1), sp.sqrt(2)], "the critical points", ())
    right = check_answer(Fixed(spec), "1, 1.41421356")
    assert right.correct is True and right.feedback == "Those are the critical points."
    wrong = check_answer(Fixed(spec), "1, 2")
    assert wrong.correct is False and wrong.feedback.startswith("Entry 2 of your critical points is wrong")


def test_exact_decimals_are_right_however_few_places():
    spec = AnswerSpec("number", sp.Rational(1, 2), "the value", ())
    assert check_answer(Fixed(spec), "0.5").correct is True
    assert check_answer(Fixed(AnswerSpec("number", sp.Integer(2), "the value", ())), "2.0").correct


def test_removable_singularity_note_reaches_the_verdict():
    spec = AnswerSpec("expr", x + 1, "the simplified form", (x,))
    v = check_answer(Fixed(spec), "(x^2-1)/(x-1)")
    assert v.correct is True
    assert any("x = 1" in n for n in v.notes) and v.to_json()["notes"]


def test_a_timeout_is_never_a_wrong_answer(monkeypatch):
    import calctutor.checking.equivalence as eq

    # no sample points, and the symbolic proof has no time: "could not check"
    monkeypatch.setattr(eq, "_points", lambda *a: [])
    monkeypatch.setattr(eq, "SYMBOLIC_SECONDS", 1e-4)
    monkeypatch.setattr(eq, "_simplifies_to_zero", lambda d: __import__("time").sleep(0.2))
    spec = AnswerSpec("expr", sp.sin(x) ** 2, "the derivative", (x,))
    v = check_answer(Fixed(spec), "1 - cos(x)^2")
    assert v.correct is None and v.diagnosis is None
    assert "could not be checked" in v.feedback
    assert v.to_json()["correct"] is None


def test_json_has_the_contract_keys():
    d = check_answer(run_diff("sin(x^2)"), "cos(x^2)").to_json()
    assert {"correct", "expected", "answer", "feedback", "diagnosis"} <= set(d)
    assert d["correct"] is False and d["diagnosis"] == "missing_chain_factor"
    assert sp.sympify(d["expected"]) - sp.sympify("2*x*cos(x**2)") == 0
    assert d["answer"] == "cos(x**2)"


# --- one domain policy for --answer: the answer must be defined wherever the expected is ----


def test_an_answer_undefined_on_a_region_is_wrong_and_the_region_is_named():
    # the parser keeps the condition x >= 0 that SymPy's sqrt(x)^2 -> x drops
    v = check_answer(Fixed(AnswerSpec("expr", x, "the simplified form", (x,))), "sqrt(x)^2")
    assert v.correct is False
    assert "your answer is not defined for x < 0, where the correct answer is" in v.feedback


def test_an_answer_undefined_at_one_point_is_right_with_a_note():
    v = check_answer(Fixed(AnswerSpec("expr", sp.Integer(1), "the simplified form", (x,))), "x/x")
    assert v.correct is True
    assert "equal except at x = 0, where your answer is undefined" in v.notes


def test_log_square_is_not_twice_log_but_the_converse_holds():
    spec = AnswerSpec("expr", sp.log(x**2), "the expression", (x,))
    v = check_answer(Fixed(spec), "2 ln(x)")
    assert v.correct is False and "not defined for x ≤ 0" in v.feedback
    assert check_answer(Fixed(AnswerSpec("expr", 2 * sp.log(x), "it", (x,))), "ln(x^2)").correct


def test_far_bumps_and_tiny_constants_are_wrong_answers():
    v = check_answer(run_diff("x^2"), "2x + e^(-(x-30)^2)")
    assert v.correct is False and "at x = 30, yours is 61, but the correct value is 60" in v.feedback
    w = check_answer(run_diff("sin(x)"), "cos(x) + 10^(-30)")
    assert w.correct is False
    assert "the correct value + 1.0e-30" in w.feedback and "constant -1.0e-30" in w.feedback


def test_a_right_answer_resting_on_a_search_says_so():
    v = check_answer(Fixed(AnswerSpec("expr", sp.asin(x) + sp.acos(x), "it", (x,))), "pi/2")
    assert v.correct is True
    assert any(n.startswith("checked by evaluation, equal at every point tested") for n in v.notes)


def test_each_entry_of_a_vector_answer_keeps_its_own_conditions():
    """x ≠ 0 of 2x^2/x is a line in the plane (accepted with a note); x ≥ 0 of sqrt(x)^2
    is a half-plane (wrong); neither entry's condition is applied to the other entry."""
    y = sp.Symbol("y", real=True)
    spec = AnswerSpec("vector", [2 * x, 2 * y], "the gradient", (x, y))
    line = check_answer(Fixed(spec), "2x^2/x, 2y")
    assert line.correct is True
    assert any("set with no area" in n and "x = 0" in n for n in line.notes)
    half = check_answer(Fixed(spec), "2 sqrt(x)^2, 2y")
    assert half.correct is False and "x >= 0 fails" in half.feedback.replace("≥", ">=")
    other = check_answer(Fixed(spec), "2x, 2 sqrt(x)^2 y/x")
    assert other.correct is False  # the second entry's own x >= 0, not the first's


def _cli_verdict(*args):
    """(exit code, output) of a command checking an answer, in this process."""
    from typer.testing import CliRunner

    from calctutor.cli import app

    r = CliRunner().invoke(app, [*args, "--format", "plain"])
    return r.exit_code, r.output


def test_an_answer_is_judged_only_where_the_function_is_defined():
    """d/dx ln(x) is 1/x where ln(x) is defined (x > 0): 1/|x| is right there, and is not
    refuted by a point x < 0 where the derivative does not exist."""
    assert sp.diff(sp.log(x), x).subs(x, 3) == 1 / sp.Abs(sp.Integer(3))  # the claim itself
    code, out = _cli_verdict("diff", "ln(x)", "--answer", "1/|x|")
    assert code == 0, out
    code, out = _cli_verdict("gradient", "ln(x) + y", "--answer", "1/|x|, 1")
    assert code == 0, out
    code, out = _cli_verdict("diff", "sqrt(x)", "--answer", "1/(2 sqrt(|x|))")
    assert code == 0, out
    # where the function is defined the answer must still agree: -1/x is wrong for x > 0
    code, out = _cli_verdict("diff", "ln(x)", "--answer", "-1/x")
    assert code == 1 and "sign" in out, out
    # the domain of the function, not of the derivative's formula, is what counts
    code, out = _cli_verdict("diff", "ln(x^2)", "--answer", "2/|x|")
    assert code == 1, out


def test_evidence_is_at_a_plain_point_when_one_refutes_the_answer():
    """A learner checks a counterexample by hand: x = 1.37, not a root of 2x^3 + 3 such as
    x = -1.14471424255, when the answer is wrong everywhere."""
    code, out = _cli_verdict("diff", "tan(2x^3 + 3)", "--answer", "cos(x^2)")
    assert code == 1 and "at x = 1.37," in out, out
    x0 = sp.Rational(137, 100)
    right = sp.diff(sp.tan(2 * x**3 + 3), x).subs(x, x0)
    assert f"{float(right):.6g}" in " ".join(out.split())
