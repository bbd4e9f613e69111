"""Diagnosis of derivative mistakes through the real --answer path, and right answers in
unusual forms that must be accepted.

Every case carries a SymPy twin of the problem and of the typed answer (trusted test
strings, read with ``sympify``), and the test first checks against ``sympy.diff`` that the
answer really is wrong (or right): the product's verdict is then tested, not assumed.
"""

import random

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.checking.malrules import MAL_RULES, MissingChainFactor, TrigSign, combine
from calctutor.topics.diff.mistakes import derivative_mistakes
from calctutor.topics.diff.run import run_diff

X, Y, A = sp.symbols("x y a", real=True)
NAMES = {"x": X, "y": Y, "a": A}


def twin(text: str) -> sp.Expr:
    return sp.sympify(text, locals=NAMES)


def values_agree(e1: sp.Expr, e2: sp.Expr, at: dict | None = None) -> bool:
    """Independent numeric comparison at a few points where both are real."""
    if at:
        return abs(complex(sp.N(e1.subs(at))) - complex(sp.N(e2.subs(at)))) < 1e-9
    rng = random.Random(7)
    symbols = sorted(e1.free_symbols | e2.free_symbols, key=lambda s: s.name)
    checked = 0
    for _ in range(40):
        point = {s: sp.Float(rng.uniform(0.2, 2.5)) for s in symbols}
        a, b = complex(sp.N(e1.subs(point))), complex(sp.N(e2.subs(point)))
        if abs(a.imag) > 1e-12 or abs(b.imag) > 1e-12:
            continue
        if abs(a - b) > 1e-8 * max(1, abs(a)):
            return False
        checked += 1
        if checked >= 5:
            return True
    return checked > 0


def run(problem: str, options: dict):
    return run_diff(problem, **options)


# (problem, its SymPy twin, diff options, wrong answer, its twin, expected code)
WRONG = [
    ("sin(x^2)", "sin(x**2)", {}, "cos(x^2)", "cos(x**2)", "missing_chain_factor"),
    ("ln(x^2+1)", "log(x**2+1)", {}, "1/(x^2+1)", "1/(x**2+1)", "missing_chain_factor"),
    ("(x^2+1)^3", "(x**2+1)**3", {}, "3(x^2+1)^2", "3*(x**2+1)**2", "missing_chain_factor"),
    ("e^(3x)", "exp(3*x)", {}, "e^(3x)", "exp(3*x)", "missing_chain_factor"),
    ("sqrt(1-x^2)", "sqrt(1-x**2)", {}, "1/(2 sqrt(1-x^2))", "1/(2*sqrt(1-x**2))",
     "missing_chain_factor"),
    ("tan(2x)", "tan(2*x)", {}, "sec^2(2x)", "sec(2*x)**2", "missing_chain_factor"),
    ("ln(sin x)", "log(sin(x))", {}, "1/sin x", "1/sin(x)", "missing_chain_factor"),
    ("x e^(3x)", "x*exp(3*x)", {}, "e^(3x) + x e^(3x)", "exp(3*x) + x*exp(3*x)",
     "missing_chain_factor"),
    ("x^2 sin x", "x**2*sin(x)", {}, "2x cos x", "2*x*cos(x)", "product_rule_as_product"),
    ("x e^x", "x*exp(x)", {}, "e^x", "exp(x)", "product_rule_as_product"),
    ("x ln x", "x*log(x)", {}, "1/x", "1/x", "product_rule_as_product"),
    ("x^2 e^x", "x**2*exp(x)", {}, "2x e^x - x^2 e^x", "2*x*exp(x) - x**2*exp(x)",
     "product_rule_sign"),
    ("x/(x+1)", "x/(x+1)", {}, "-1/(x+1)^2", "-1/(x+1)**2", "quotient_sign"),
    ("sin(x)/x", "sin(x)/x", {}, "(sin x - x cos x)/x^2", "(sin(x) - x*cos(x))/x**2",
     "quotient_sign"),
    ("x/(x+1)", "x/(x+1)", {}, "1/(x+1)", "1/(x+1)", "quotient_denominator"),
    ("x^2/(x-3)", "x**2/(x-3)", {}, "(2x(x-3) - x^2)/(x-3)", "(2*x*(x-3) - x**2)/(x-3)",
     "quotient_denominator"),
    ("(x^2+1)/(x^3-2)", "(x**2+1)/(x**3-2)", {}, "2x/(3x^2)", "2*x/(3*x**2)",
     "quotient_as_quotient"),
    ("x^3", "x**3", {}, "3x^3", "3*x**3", "power_not_lowered"),
    ("x^5 + x^2", "x**5 + x**2", {}, "5x^5 + 2x^2", "5*x**5 + 2*x**2", "power_not_lowered"),
    ("sqrt(x)", "sqrt(x)", {}, "sqrt(x)/2", "sqrt(x)/2", "power_not_lowered"),
    ("e^x", "exp(x)", {}, "x e^(x-1)", "x*exp(x-1)", "power_rule_on_exponential"),
    ("2^x", "2**x", {}, "x 2^(x-1)", "x*2**(x-1)", "power_rule_on_exponential"),
    ("x^x", "x**x", {}, "x x^(x-1)", "x*x**(x-1)", "power_rule_on_exponential"),
    ("x^x", "x**x", {}, "x^x ln x", "x**x*log(x)", "general_power_as_exponential"),
    ("2^x", "2**x", {}, "2^x", "2**x", "missing_log_factor"),
    ("3^(2x)", "3**(2*x)", {}, "2*3^(2x)", "2*3**(2*x)", "missing_log_factor"),
    ("cos x", "cos(x)", {}, "sin x", "sin(x)", "trig_sign"),
    ("cos(x^2)", "cos(x**2)", {}, "2x sin(x^2)", "2*x*sin(x**2)", "trig_sign"),
    ("sin x cos x", "sin(x)*cos(x)", {}, "1", "1", "trig_sign"),
    ("x^2 + 5", "x**2 + 5", {}, "2x + 5", "2*x + 5", "constant_not_zero"),
    ("x^2 + y^2", "x**2 + y**2", {"var": ["x"]}, "2x + 2y", "2*x + 2*y",
     "constant_not_zero"),
    ("a x^2", "a*x**2", {"var": ["x"]}, "x^2 + 2a x", "x**2 + 2*a*x", "constant_not_zero"),
    ("x^2 y^3", "x**2*y**3", {"var": ["x"]}, "3x^2 y^2", "3*x**2*y**2", "wrong_variable"),
    ("x y^2", "x*y**2", {"var": ["x"]}, "2x y", "2*x*y", "wrong_variable"),
    ("x^2 y^3", "x**2*y**3", {"var": ["x", "y"]}, "6x^2 y", "6*x**2*y", "wrong_variable"),
    ("x^2 - x^3", "x**2 - x**3", {}, "3x^2 - 2x", "3*x**2 - 2*x", "sign_error"),
    ("5x^3", "5*x**3", {}, "5x^2", "5*x**2", "off_by_constant_factor"),
    ("4 sin x", "4*sin(x)", {}, "2 cos x", "2*cos(x)", "off_by_constant_factor"),
    ("x^2 y", "x**2*y", {"var": ["x"]}, "2x", "2*x", "off_by_constant_factor"),
    ("sin(3x) cos x", "sin(3*x)*cos(x)", {}, "cos(3x) cos x + sin(3x) sin x",
     "cos(3*x)*cos(x) + sin(3*x)*sin(x)", "missing_chain_factor+trig_sign"),
    ("1/(1+e^(-x))", "1/(1+exp(-x))", {}, "1/(1+e^(-x))^2", "1/(1+exp(-x))**2",
     "missing_chain_factor+sign_error"),
    ("sin(x^2)", "sin(x**2)", {"order": 2}, "-sin(x^2)", "-sin(x**2)", "missing_chain_factor"),
    ("sin(x^2)", "sin(x**2)", {"at": "x=1"}, "cos(1)", "cos(1)", "missing_chain_factor"),
    ("x^3", "x**3", {"at": "x=2"}, "24", "24", "power_not_lowered"),
    ("x^2 sin x", "x**2*sin(x)", {"at": "x=pi"}, "-2pi", "-2*pi", "product_rule_as_product"),
]


@pytest.mark.parametrize("problem, problem_twin, options, wrong, wrong_twin, code", WRONG,
                         ids=[f"{c[0]}|{c[3]}|{c[5]}" for c in WRONG])
def test_mistake_is_diagnosed(problem, problem_twin, options, wrong, wrong_twin, code):
    f = twin(problem_twin)
    variables = [NAMES[v] for v in options.get("var", [])] or [X]
    right = sp.diff(f, *variables * options.get("order", 1))
    at = {X: sp.sympify(options["at"].split("=")[1])} if "at" in options else None
    assert not values_agree(right, twin(wrong_twin), at), "the case's answer is not wrong"
    verdict = check_answer(run(problem, options), wrong)
    assert verdict.correct is False
    assert verdict.diagnosis == code, verdict.feedback
    assert verdict.feedback.endswith(".") and len(verdict.feedback) < 400
    assert verdict.to_json()["diagnosis"] == code


def test_there_are_at_least_thirty_wrong_cases_covering_every_code():
    assert len(WRONG) >= 30
    codes = {c for case in WRONG for c in case[5].split("+")}
    assert {"missing_chain_factor", "product_rule_as_product", "quotient_sign",
            "quotient_denominator", "power_not_lowered", "power_rule_on_exponential",
            "missing_log_factor", "trig_sign", "wrong_variable", "off_by_constant_factor",
            "sign_error", "constant_not_zero"} <= codes


# -- the feedback names the rule and the part it applies to ---------------------------------


@pytest.mark.parametrize("problem, options, wrong, words", [
    ("sin(x^2)", {}, "cos(x^2)", ["You differentiated sin(x^2) as cos(x^2): the chain rule also "
                                  "needs the derivative of the inner function x^2, which is 2x."]),
    ("ln(x^2+1)", {}, "1/(x^2+1)", ["ln(x^2 + 1)", "g'/g", "x^2 + 1", "2x"]),
    ("x^2 sin x", {}, "2x cos x", ["product rule", "u = x^2", "v = sin(x)"]),
    ("x/(x+1)", {}, "1/(x+1)", ["quotient rule", "squared", "(x + 1)^2"]),
    ("x^3", {}, "3x^3", ["power rule", "exponent 3", "lowers it by one"]),
    ("2^x", {}, "2^x", ["ln(2)"]),
    ("cos(x^2)", {}, "2x sin(x^2)", ["cos(x^2)", "sign", "-sin(u)"]),
    ("x^2 + y^2", {"var": ["x"]}, "2x + 2y", ["y^2", "does not depend on x"]),
    ("x^2 y^3", {"var": ["x"]}, "3x^2 y^2", ["with respect to y instead of x"]),
    ("sin(3x) cos x", {}, "cos(3x) cos x + sin(3x) sin x", ["Two slips", "sin(3x)", "cos(x)"]),
])
def test_feedback_names_rule_and_subexpression(problem, options, wrong, words):
    feedback = check_answer(run(problem, options), wrong).feedback
    for word in words:
        assert word in feedback, feedback


def test_one_dropped_chain_factor_of_two_is_found():
    # sin(cos(x^2)): the learner drops only the innermost factor 2x
    verdict = check_answer(run_diff("sin(cos(x^2))"), "-cos(cos(x^2)) sin(x^2)")
    assert verdict.diagnosis == "missing_chain_factor"
    assert "x^2" in verdict.feedback and "2x" in verdict.feedback


def test_mal_rule_differentiators_break_only_their_rule():
    # on a problem without the rule, a mal-rule changes nothing and records no slip
    for rule in MAL_RULES:
        d = rule()
        assert d.diff(X**0 + 7 * X, X).result == 7 or d.slips
    chain = MissingChainFactor()
    assert chain.diff(sp.sin(X**2), X).result == sp.cos(X**2)
    (slip,) = chain.slips
    assert slip.expr == sp.sin(X**2) and slip.parts["inner_d"] == 2 * X
    both = combine(MissingChainFactor, TrigSign)()
    assert both.diff(sp.cos(3 * X), X).result == sp.sin(3 * X)
    assert {s.code for s in both.slips} == {"missing_chain_factor", "trig_sign"}


def test_slips_inside_a_chain_name_the_real_subexpression():
    from calctutor.checking.malrules import PowerNotLowered

    d = PowerNotLowered()
    d.diff((X**2 + 1) ** 3, X)
    assert any(s.expr == (X**2 + 1) ** 3 for s in d.slips)  # not u^3


def test_candidates_never_include_the_right_answer():
    for f in (sp.sin(X**2), X**2 * sp.sin(X), X / (X + 1), 2**X, sp.exp(X) * sp.cos(X), X + 1):
        right = sp.diff(f, X)
        for mistake in derivative_mistakes(f, [X]):
            assert not values_agree(right, mistake.value), (f, mistake)


def test_candidates_at_a_point_are_numbers():
    mistakes = derivative_mistakes(sp.sin(X**2), [X], {X: sp.Integer(1)})
    assert mistakes and all(m.value.is_number for m in mistakes)
    assert any(m.code == "missing_chain_factor" and m.value == sp.cos(1) for m in mistakes)


def test_an_unrelated_wrong_answer_gets_evidence_and_no_diagnosis():
    verdict = check_answer(run_diff("x^2 sin x"), "17 x^4")
    assert verdict.correct is False and verdict.diagnosis is None
    assert "yours is" in verdict.feedback and verdict.evidence


# -- right answers in unusual forms ----------------------------------------------------------

# (problem, its twin, options, right answer as typed, its twin)
RIGHT = [
    ("x^2 sin x", "x**2*sin(x)", {}, "x(2 sin x + x cos x)", "x*(2*sin(x) + x*cos(x))"),
    ("(x+1)^3", "(x+1)**3", {}, "3x^2 + 6x + 3", "3*x**2 + 6*x + 3"),
    ("x^2 (x+1)^2", "x**2*(x+1)**2", {}, "4x^3 + 6x^2 + 2x", "4*x**3 + 6*x**2 + 2*x"),
    ("sin(x)^2", "sin(x)**2", {}, "sin(2x)", "sin(2*x)"),
    ("cos(x)^2", "cos(x)**2", {}, "-2 sin x cos x", "-2*sin(x)*cos(x)"),
    ("tan x", "tan(x)", {}, "sec^2 x", "sec(x)**2"),
    ("tan x", "tan(x)", {}, "1 + tan(x)^2", "1 + tan(x)**2"),
    ("|x|", "Abs(x)", {}, "|x|/x", "Abs(x)/x"),
    ("2^x", "2**x", {}, "e^(x ln 2) ln 2", "exp(x*log(2))*log(2)"),
    ("x^x", "x**x", {}, "e^(x ln x)(ln x + 1)", "exp(x*log(x))*(log(x) + 1)"),
    ("1/x", "1/x", {}, "-x^(-2)", "-x**(-2)"),
    ("sqrt x", "sqrt(x)", {}, "0.5 x^(-0.5)", "0.5*x**(-0.5)"),
    ("ln(x^2)", "log(x**2)", {}, "2 x^-1", "2/x"),
    ("e^x sin x", "exp(x)*sin(x)", {}, "sqrt(2) e^x sin(x + pi/4)", "sqrt(2)*exp(x)*sin(x + pi/4)"),
    ("1/(1+e^(-x))", "1/(1+exp(-x))", {}, "1/(1+e^(-x)) (1 - 1/(1+e^(-x)))",
     "1/(1+exp(-x))*(1 - 1/(1+exp(-x)))"),
    ("tanh x", "tanh(x)", {}, "1/cosh(x)^2", "1/cosh(x)**2"),
    ("asin x", "asin(x)", {}, "(1 - x^2)^(-1/2)", "(1 - x**2)**(-1/2)"),
    ("x/(x+1)", "x/(x+1)", {}, "(x+1)^-2", "(x+1)**(-2)"),
    ("atan(x) + atan(1/x)", "atan(x) + atan(1/x)", {}, "0", "0"),
    ("x^2 y", "x**2*y", {"var": ["x"]}, "2yx", "2*y*x"),
    ("sin x", "sin(x)", {"at": "x=pi/4"}, "0.70710678", "0.70710678"),
    ("sin x", "sin(x)", {"at": "x=pi/4"}, "sqrt(2)/2", "sqrt(2)/2"),
    ("e^(2x)", "exp(2*x)", {"at": "x=0"}, "2.0", "2.0"),
]


@pytest.mark.parametrize("problem, problem_twin, options, answer, answer_twin", RIGHT,
                         ids=[f"{c[0]}|{c[3]}" for c in RIGHT])
def test_right_answer_in_unusual_form_is_accepted(problem, problem_twin, options, answer,
                                                  answer_twin):
    f = twin(problem_twin)
    variables = [NAMES[v] for v in options.get("var", [])] or [X]
    right = sp.diff(f, *variables)
    at = {X: sp.sympify(options["at"].split("=")[1])} if "at" in options else None
    if at:
        assert abs(complex(sp.N(right.subs(at))) - complex(sp.N(twin(answer_twin)))) < 1e-7
    else:
        assert values_agree(right, twin(answer_twin))
    verdict = check_answer(run(problem, options), answer)
    assert verdict.correct is True, verdict.feedback
    assert verdict.diagnosis is None


def test_there_are_at_least_fifteen_right_forms():
    assert len(RIGHT) >= 15


def test_too_few_decimals_is_not_accepted_and_says_so():
    verdict = check_answer(run_diff("sin x", at="x=pi/4"), "0.7")
    assert verdict.correct is False
    assert verdict.feedback.startswith("Nearly: 0.7 is right to 1 decimal place")
    assert "at least 3 decimal places" in verdict.feedback
    assert check_answer(run_diff("sin x", at="x=pi/4"), "0.8").feedback.startswith("That is not")


# -- the course's own examples ---------------------------------------------------------------


def course_diff_examples():
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
    out = []
    for row in rows:
        inp = row["input"]
        if row["kind"] == "diff" or (row["kind"] == "partial" and isinstance(inp.get("wrt"), str)):
            out.append((row["id"], inp, row["answer"]))
    return out


COURSE = course_diff_examples()


def course_result(inp):
    from calctutor.topics import run_kind

    inp = dict(inp)
    if "wrt" in inp:  # a partial derivative: diff with respect to that variable
        inp = {"expr": inp["expr"], "var": inp["wrt"]}
    if "point" in inp:
        inp["at"] = inp.pop("point")
    return run_kind("diff", inp)


def test_course_examples_answers_are_accepted_and_mal_answers_diagnosed():
    from calctutor.notation import to_sympy

    assert len(COURSE) >= 15
    diagnosed = 0
    for ident, inp, answer in COURSE:
        result = course_result(inp)
        answer_text = answer if isinstance(answer, str) else str(answer)
        assert check_answer(result, answer_text).correct is True, ident
        # the first mal-rule answer, typed back, is recognised as a mistake
        for mistake in list(result.answer_spec().mistakes())[:1]:
            verdict = check_answer(result, to_sympy(mistake.value))
            assert verdict.correct is False, (ident, mistake.code)
            assert verdict.diagnosis is not None, (ident, mistake.code)
            diagnosed += 1
    assert diagnosed >= 15
