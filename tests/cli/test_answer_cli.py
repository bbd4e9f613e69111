"""``--answer`` end to end on ``diff``: verdicts, exit codes, feedback, --show, JSON."""

import sympy as sp

X = sp.Symbol("x", real=True)


def test_right_answer_exit_0_correct(cli):
    r = cli("diff", "x^2 sin x", "--answer", "2x sin x + x^2 cos x", "--format", "plain")
    assert r.code == 0, r.err
    assert "Correct" in r.out and "Not correct" not in r.out


def test_wrong_answer_exit_1_feedback_no_solution(cli):
    r = cli("diff", "x^2 sin x", "--answer", "2x cos x", "--format", "plain")
    assert r.code == 1, r.err
    assert "Not correct" in r.out
    assert "product rule" in r.out and "--show" in r.out
    # the worked solution (its steps and the right derivative) is not printed
    assert "Worked solution" not in r.out
    assert "x^2*cos(x) + 2*x*sin(x)" not in r.out and "Product rule" not in r.out


def test_show_reveals_the_solution(cli):
    r = cli("diff", "x^2 sin x", "--answer", "2x cos x", "--show", "--format", "plain")
    assert r.code == 1
    assert "Worked solution" in r.out and "Product rule" in r.out


def test_json_contract_for_a_wrong_answer(cli):
    r = cli("diff", "sin(x^2)", "--answer", "cos(x^2)", "--format", "json")
    assert r.code == 1, r.err
    d = r.json()
    assert {"correct", "expected", "answer", "feedback", "diagnosis"} <= set(d)
    assert d["correct"] is False and d["diagnosis"] == "missing_chain_factor"
    assert sp.simplify(sp.sympify(d["expected"], locals={"x": X}) - sp.diff(sp.sin(X**2), X)) == 0
    assert sp.sympify(d["answer"]) == sp.cos(sp.Symbol("x") ** 2)
    assert "chain rule" in d["feedback"] and "solution" not in d


def test_json_contract_for_a_right_answer_and_show(cli):
    r = cli("diff", "x^3", "--answer", "3x^2", "--format", "json")
    d = r.json()
    assert r.code == 0 and d["correct"] is True and d["diagnosis"] is None
    assert isinstance(d["feedback"], str) and d["feedback"]
    shown = cli("diff", "x^3", "--answer", "x^3", "--show", "--format", "json").json()
    assert shown["correct"] is False and shown["solution"]["result"] == "3*x**2"


def test_value_at_a_point(cli):
    d = cli("diff", "sin(x^2)", "--at", "x=1", "--answer", "cos(1)", "--format", "json").json()
    assert d["correct"] is False and d["diagnosis"] == "missing_chain_factor"
    assert sp.sympify(d["expected"]) == 2 * sp.cos(1)
    ok = cli("diff", "sin(x^2)", "--at", "x=1", "--answer", "1.0806046", "--format", "json")
    assert ok.code == 0 and ok.json()["correct"] is True


def test_partial_derivative_wrong_variable(cli):
    r = cli("diff", "x^2 y^3", "--var", "x", "--answer", "3x^2 y^2", "--format", "json")
    assert r.code == 1 and r.json()["diagnosis"] == "wrong_variable"


def test_unparsable_answer_exit_2(cli):
    r = cli("diff", "x^2", "--answer", "2x +", "--format", "plain")
    assert r.code == 2
    assert r.err.startswith("Error: ") and "answer" in r.err
    assert "Traceback" not in r.err + r.out


def test_unbalanced_answer_exit_2(cli):
    r = cli("diff", "x^2", "--answer", "sin(2x", "--format", "json")
    assert r.code == 2 and r.err.startswith("Error: ") and r.out == ""


def test_answer_in_other_letters_says_so(cli):
    r = cli("diff", "x^2", "--answer", "2t", "--format", "plain")
    assert r.code == 1 and "contains t, which is not in the problem" in r.out


def test_every_format_renders_the_verdict(cli):
    for fmt in ("plain", "markdown", "latex", "rich"):
        r = cli("diff", "cos x", "--answer", "sin x", "--format", fmt)
        assert r.code == 1, (fmt, r.err)
        assert "sign" in r.out and "trig sign" in r.out.replace("\\_", "_").replace("_", " ")
