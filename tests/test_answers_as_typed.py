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


# -- Greek letters ---------------------------------------------------------------------------
TH, SG, LAM, MU = (sp.Symbol(n, real=True) for n in ("theta", "sigma", "lam", "mu"))


def _formats(result):
    from calctutor.render import render

    return {f: render(result, f, color=False) for f in ("rich", "markdown", "latex", "plain")}


def test_diff_with_a_greek_variable_typed_as_a_letter_or_a_name():
    from calctutor.topics.diff.run import run_diff

    want = sp.diff(TH**2 * sp.sin(TH), TH)
    for var in ("θ", "theta"):
        r = run_diff("θ^2 sin θ", var=var)
        assert sp.simplify(r.result - want) == 0
    shown = _formats(r)
    assert "θ" in shown["rich"] and "theta" not in shown["rich"]
    assert "θ" in shown["markdown"] and r"\theta" in shown["latex"]
    # plain is ASCII: Greek letters spelt out, except in the input shown as typed
    ours = [line for line in shown["plain"].splitlines() if not line.startswith("Input:")]
    assert "Read as: theta^2 sin(theta)" in ours and not any("θ" in line for line in ours)
    assert r.to_json()["variables"] == ["theta"]  # SymPy syntax reads it back
    assert check_answer(r, "2θ sin θ + θ^2 cos θ").correct is True
    assert check_answer(r, "2theta sin(theta) + theta^2 cos(theta)").correct is True


def test_greek_names_with_an_index_stay_one_name():
    from calctutor.parsing import parse_expression

    assert parse_expression("θ_0 + θ1").expr == sp.Symbol("theta_0", real=True) + sp.Symbol(
        "theta1", real=True)
    assert parse_expression("θ₀").expr == sp.Symbol("theta0", real=True)  # never θ*0
    assert parse_expression("θx").expr == TH * X
    assert parse_expression("θ^2").reading.differs is False


def test_gradient_with_greek_variables_names_its_entries_in_greek():
    f = TH**2 + SG * TH
    r = run_gradient("θ^2 + σ θ", vars="θ,σ", at="θ=1, σ=2")
    want = [sp.diff(f, v).subs({TH: 1, SG: 2}) for v in (TH, SG)]
    assert check_answer(r, ", ".join(str(w) for w in want)).correct is True
    wrong = check_answer(r, f"{want[0]}, {want[1] + 1}")
    assert wrong.correct is False and "df/dσ" in wrong.feedback
    assert check_answer(r, f"df/dσ={want[1]}, df/dtheta={want[0]}").correct is True


def test_lagrange_multiplier_is_mu_when_the_function_has_its_own_lambda():
    from calctutor.render import render
    from calctutor.topics.optimise.run import run_lagrange

    r = run_lagrange("x λ", "x + λ - 2")
    assert [m.name for m in r.multipliers] == ["mu"]
    L = X * LAM - MU * (X + LAM - 2)
    sols = sp.solve([sp.diff(L, v) for v in (X, LAM, MU)], (X, LAM, MU), dict=True)
    assert [tuple(c.point) for c in r.candidates] == [(sols[0][LAM], sols[0][X])]
    text = render(r, "rich", color=False)
    assert "L = f − μ g" in text and "∂L/∂λ" in text and "∂L/∂μ" in text
    # without a λ of its own, the multiplier is λ
    plain = run_lagrange("θ σ", "θ + σ - 2")
    assert [m.name for m in plain.multipliers] == ["lam"]
    assert "∂L/∂θ" in render(plain, "rich", color=False)


def test_newton_and_taylor_with_theta():
    from calctutor.topics.series.run import run_newton, run_taylor

    root = sp.nsolve(sp.cos(TH) - TH, TH, 1)
    n = run_newton("cos θ - θ", x0="θ=1")
    assert abs(float(n.root[0] if isinstance(n.root, (list, tuple)) else n.root) - float(root)) < 1e-9
    assert check_answer(n, f"{float(root):.8f}").correct is True
    t = run_taylor("cos θ", var="θ", order=4)
    want = sp.series(sp.cos(TH), TH, 0, 5).removeO()
    assert sp.expand(t.polynomial - want) == 0
    assert check_answer(t, "1 - θ^2/2 + θ^4/24").correct is True
    assert "θ^4/24" in _formats(t)["rich"]


# -- right, but not finished -------------------------------------------------------------------
def test_a_formula_where_the_value_at_a_point_is_asked_is_unfinished():
    from calctutor.topics.diff.run import run_diff

    r = run_diff("x^3 sin x", at="x=2")
    formula = sp.diff(X**3 * sp.sin(X), X)
    v = check_answer(r, str(formula).replace("**", "^"))
    assert v.correct is None and v.verdict == "unfinished" and v.diagnosis == "not_evaluated"
    assert "evaluate it at x = 2" in v.feedback.lower()
    assert v.to_json()["verdict"] == "unfinished" and v.to_json()["correct"] is None
    # the value is right however it is written; a wrong formula is wrong, not unfinished
    value = formula.subs(X, 2)
    assert check_answer(r, str(value).replace("**", "^")).correct is True
    assert check_answer(r, "3x^2 cos x").verdict == "wrong"


def test_an_exact_number_unsimplified_is_finished():
    from calctutor.topics.diff.run import run_diff

    r = run_diff("x^2", at="x=sqrt(2)")
    assert sp.diff(X**2, X).subs(X, sp.sqrt(2)) == sp.sqrt(8)
    assert check_answer(r, "sqrt(8)").correct is True
    assert check_answer(r, "2 sqrt(8)/2").correct is True


def test_gradient_and_hessian_left_as_formulas_at_a_point_are_unfinished():
    v = check_answer(run_gradient("x^2 y", at="x=1,y=2"), "2xy, x^2")
    assert v.verdict == "unfinished" and "x = 1, y = 2" in v.feedback
    h = sp.hessian(X**3 * Y, (X, Y))
    text = "; ".join(", ".join(str(e).replace("**", "^") for e in row) for row in h.tolist())
    assert check_answer(run_hessian("x^3 y", at="x=1,y=1"), text).verdict == "unfinished"
    # partly evaluated: still a formula, still unfinished
    assert check_answer(run_gradient("x^2 y", at="x=1,y=2"), "4, x^2").verdict == "unfinished"


def test_chain_rule_answer_in_the_layer_variables_names_the_substitution():
    from calctutor.topics.chain.run import run_chain

    r = run_chain("x1^2 + x2", layer=["x1=cos(t), x2=t^3"], wrt="t")
    x1, x2, t = sp.symbols("x1 x2 t", real=True)
    inner = 2 * x1 * sp.diff(sp.cos(t), t) + sp.diff(t**3, t)
    v = check_answer(r, str(inner).replace("**", "^"))
    assert v.verdict == "unfinished" and "Substitute x1 = cos(t)" in v.feedback
    assert "in t" in v.feedback
    final = inner.subs(x1, sp.cos(t))
    assert check_answer(r, str(final).replace("**", "^")).correct is True


def test_unevaluated_derivative_notation_is_bad_input_not_a_verdict():
    from calctutor.topics.diff.run import run_diff

    with pytest.raises(ParseError, match="d/dx"):
        check_answer(run_diff("x^3", at="x=2"), "d/dx(x^3)")


def test_unfinished_in_the_cli_exits_1_and_says_the_step(cli_run):
    code, out = cli_run("diff", "x^3", "--at", "x=2", "--answer", "3x^2", "-f", "plain")
    assert code == 1 and "NOT YET - Right, but not finished" in out
    assert "evaluate it at x = 2" in out


def test_taylor_value_answered_with_the_polynomial_is_unfinished():
    from calctutor.drills import instantiate, templates

    t = next(t for t in templates() if t.answer_key == "evaluations")
    ex = instantiate(t, 3)
    r = ex.solve()
    x = r.variables[0]
    poly = sp.series(r.expr, x, 0, r.order + 1).removeO()
    assert sp.expand(poly - r.polynomial) == 0
    v = ex.check(str(poly).replace("**", "^"))
    assert v.verdict == "unfinished" and f"evaluate it at {x} = " in v.feedback.lower()


@pytest.fixture
def cli_run(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from calctutor.cli import app

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))

    def run(*args):
        res = CliRunner().invoke(app, list(args))
        return res.exit_code, res.stdout

    return run


# -- labels as words ---------------------------------------------------------------------------
def _stationary(f, variables):
    """The stationary points of f and their kinds, by SymPy alone (2-variable test)."""
    pts = sp.solve([sp.diff(f, v) for v in variables], variables, dict=True)
    h = sp.hessian(f, variables)
    out = []
    for p in pts:
        hp = h.subs(p)
        det, fxx = hp.det(), hp[0, 0]
        kind = "saddle" if det < 0 else ("minimum" if fxx > 0 else "maximum") if det > 0 \
            else "degenerate"
        out.append((tuple(p[v] for v in variables), kind))
    return out


@pytest.mark.parametrize("words", [
    "{p0} {k0}, {p1} {k1}", "{k0} at {p0}; {k1} at {p1}", "{p1} {k1} and {p0} local {k0}",
])
def test_hessian_classify_answer_in_words(words):
    import warnings

    f = X**3 - 3 * X + Y**2
    pts = _stationary(f, (X, Y))
    short = {"minimum": "min", "maximum": "max", "saddle": "saddle"}
    fill = {}
    for k, (p, kind) in enumerate(pts):
        fill[f"p{k}"] = "(" + ", ".join(str(c) for c in p) + ")"
        fill[f"k{k}"] = short[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # never SymPy's function min and its deprecation
        v = check_answer(run_hessian("x^3 - 3x + y^2", classify=True), words.format(**fill))
    assert v.correct is True, v.feedback
    assert "minimum" in v.reading.reading and "<function" not in v.reading.reading
    # the same points with the kinds swapped is wrong, and says which point
    swapped = {**fill, "k0": fill["k1"], "k1": fill["k0"]}
    bad = check_answer(run_hessian("x^3 - 3x + y^2", classify=True), words.format(**swapped))
    assert bad.correct is False and bad.diagnosis == "wrong_classification"


def test_hessian_classify_still_takes_the_matrix_and_none():
    h = sp.hessian(X**3 - 3 * X + Y**2, (X, Y))
    text = "; ".join(", ".join(str(e) for e in row) for row in h.tolist())
    assert check_answer(run_hessian("x^3 - 3x + y^2", classify=True), text).correct is True
    assert sp.solve([sp.diff(X + Y, v) for v in (X, Y)], (X, Y), dict=True) == []
    for text in ("none", "no stationary points", "None"):
        assert check_answer(run_hessian("x + y", classify=True), text).correct is True


def test_lagrange_value_with_its_kind_as_a_word():
    from calctutor.topics.optimise.run import run_lagrange

    lam = sp.Symbol("lam")
    f, g = X + Y, X**2 + Y**2 - 8
    sols = sp.solve([sp.diff(f - lam * g, v) for v in (X, Y, lam)], (X, Y, lam), dict=True)
    best = max(f.subs(s) for s in sols)
    r = run_lagrange("x + y", "x^2 + y^2 - 8", goal="max")
    for text in (f"{best}", f"{best} (max)", f"maximum: {best}", f"global max {best}"):
        assert check_answer(r, text).correct is True, text
    v = check_answer(r, f"min {best}")
    assert v.correct is False and "calls it a minimum" in v.feedback


def test_a_label_where_no_kind_is_asked_is_a_clear_error():
    from calctutor.topics.diff.run import run_diff

    for word in ("max", "minimum", "yes", "no", "saddle"):
        with pytest.raises(ParseError, match=f"'{word}' is a word"):
            check_answer(run_diff("x^2"), word)
    # a declared variable with such a name is still a variable
    assert check_answer(run_diff("no^2", var="no"), "2 no").correct is True
    # and letters that are the problem's variables multiply, as everywhere
    assert check_answer(run_diff("m i n^2 / 2", var="n"), "min").correct is True


def test_quiz_reads_a_matrix_typed_one_row_per_line(cli_run):
    from typer.testing import CliRunner

    from calctutor.cli import app
    from calctutor.coach.session import _goes_on

    assert _goes_on("1, 2;") and _goes_on("[[1, 2],") and _goes_on("1, 2,")
    assert not _goes_on("1, 2") and not _goes_on("[[1, 2], [3, 4]]") and not _goes_on("x^2")
    assert not _goes_on("nonsense(((") and _goes_on("[[1, 2]")
    res = CliRunner().invoke(app, ["quiz", "--skill", "2.8", "--count", "1", "--seed", "1",
                                   "--format", "plain"], input="6x, 0;\n0, 2\nquit\n")
    # the two lines were one answer: read as a 2×2 matrix (this question's Hessian is 3×3)
    assert "Read as: [[6x, 0], [0, 2]]" in res.stdout
    assert "3x3" in res.stdout and "yours is 2x2" in res.stdout


def test_quiz_does_not_count_an_unfinished_answer(tmp_path, monkeypatch):
    import re

    from typer.testing import CliRunner

    from calctutor.cli import app
    from calctutor.coach.store import Store

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    args = ["quiz", "--skill", "4.8", "--count", "1", "--seed", "3", "--format", "plain"]
    first = CliRunner().invoke(app, args, input="quit\n").stdout
    m = re.search(r"T(\d)\(x\) is the Maclaurin polynomial of order \d of f\(x\) = (.*?)\. "
                  r"Evaluate T\d\((.*?)\)", first.replace("\n", " "))
    n, f_text, p = int(m.group(1)), m.group(2), m.group(3)
    f = sp.sympify(f_text.replace("^", "**").replace("e**", "E**"), locals={"x": X})
    poly = sp.series(f, X, 0, n + 1).removeO()
    value = poly.subs(X, sp.Rational(p))
    script = f"{str(poly).replace('**', '^')}\n{value}\n"
    out = CliRunner().invoke(app, args, input=script).stdout
    assert "NOT YET - Right, but not finished" in out and "finish it and answer again" in out
    assert "score 1/1 (1 right first time)" in out
    assert [a.outcome for a in Store.open().attempts()] == ["correct"]


def test_quiz_rows_ending_in_a_comma_are_rows_where_a_matrix_is_asked(cli_run):
    from typer.testing import CliRunner

    from calctutor.cli import app

    # f = x^2 + y^2 z at (1, 2, 2): the learner types its 3x3 Hessian a row per line
    res = CliRunner().invoke(app, ["quiz", "--skill", "2.8", "--count", "1", "--seed", "4",
                                   "--format", "plain"],
                             input="2, 0, 0,\n0, 4, 4,\n0, 4, 0\n")
    assert "YES - Correct" in res.stdout, res.stdout


def test_the_shape_of_a_wrong_answer_is_said_before_the_last_try():
    from calctutor.checking.answer import check_answer
    from calctutor.topics import run_kind

    result = run_kind("hessian", {"expr": "x^2 + y^2 z", "at": {"x": 1, "y": 2, "z": 2}})
    verdict = check_answer(result, "1, 2, 3, 4")
    assert verdict.correct is False and verdict.diagnosis == "wrong_shape"
    # the sizes give nothing away, so the guarded feedback is the full message
    assert verdict.guarded_feedback is None and "3x3" in verdict.feedback.replace("×", "x")
