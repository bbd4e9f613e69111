"""The general term of a series (``taylor --general-term --answer``): any indexing of the
same terms is right, a wrong one is shown by its first differing term, and the named
mistakes are recognised. Every expected series is computed here independently with
``sympy.series``; the learner's terms are written by the test from textbook closed forms."""

from __future__ import annotations

import functools
import re

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError
from calctutor.parsing import parse_expression
from calctutor.topics import run_kind

x = sp.Symbol("x")
n = sp.Symbol("n", integer=True)

# (function typed, the same function for SymPy, a textbook general term, its first n)
FAMILIES = [
    ("e^(2x)", sp.exp(2 * x), 2 ** n * x ** n / sp.factorial(n), 0),
    ("sin(3x)", sp.sin(3 * x), (-1) ** n * 3 ** (2 * n + 1) * x ** (2 * n + 1)
     / sp.factorial(2 * n + 1), 0),
    ("cos x", sp.cos(x), (-1) ** n * x ** (2 * n) / sp.factorial(2 * n), 0),
    ("1/(1 - 2x)", 1 / (1 - 2 * x), 2 ** n * x ** n, 0),
    ("ln(1 + x)", sp.log(1 + x), (-1) ** (n + 1) * x ** n / n, 1),
    ("atan x", sp.atan(x), (-1) ** n * x ** (2 * n + 1) / (2 * n + 1), 0),
]


@functools.cache
def solved(text: str, at: str = "0"):
    """The command's result (cached: the general term takes a second to find and check)."""
    return run_kind("taylor", {"expr": text, "at": at, "general_term": True})


def typed(term) -> str:
    return sp.sstr(term)


def coefficients(f, upto):
    """The Maclaurin coefficients of f from sympy.series (independent of calctutor)."""
    poly = sp.series(f, x, 0, upto + 1).removeO()
    return [poly.coeff(x, k) for k in range(upto + 1)]


def powers_of(term, start, count=12):
    """{power: coefficient} of Σ_{n ≥ start} term, for the first ``count`` terms."""
    out = {}
    for k in range(start, start + count):
        t = sp.expand(term.subs(n, k))
        c, p = t.as_coeff_exponent(x)
        if c != 0:
            out[int(p)] = out.get(int(p), 0) + c
    return out


@pytest.mark.parametrize("text, f, term, start", FAMILIES)
def test_the_textbook_term_is_the_series_of_sympy(text, f, term, start):
    # the test's own forms are right (so that the checks below test calctutor, not them)
    want = coefficients(f, 9)
    got = powers_of(term, start, 10)
    assert all(got.get(k, 0) == want[k] for k in range(10))


@pytest.mark.parametrize("text, f, term, start", FAMILIES)
def test_the_textbook_term_is_accepted(text, f, term, start):
    result = solved(text)
    verdict = check_answer(result, typed(term) + (f" from n = {start}" if start else ""))
    assert verdict.correct is True, verdict.feedback


@settings(max_examples=12, deadline=None)
@given(family=st.sampled_from(FAMILIES), shift=st.integers(-2, 3))
def test_an_index_shift_gives_the_same_series(family, shift):
    text, f, term, start = family
    moved = term.subs(n, n - shift)  # Σ_{n ≥ s} T(n) = Σ_{n ≥ s + shift} T(n − shift)
    result = solved(text)
    verdict = check_answer(result, f"{typed(moved)} from n = {start + shift}")
    assert verdict.correct is True, (moved, verdict.feedback)
    # the same term from the wrong first index is another series (a term gained or lost)
    if shift != 0:
        wrong = check_answer(result, f"{typed(moved)} from n = {start + shift - 1}")
        assert wrong.correct is False


def read(text: str):
    """A term as printed, in this file's x."""
    e = parse_expression(text).expr
    return e.xreplace({s: x for s in e.free_symbols if s.name == "x"})


def _counterexample(evidence: str):
    m = re.search(r"your term for n = (-?\d+) is (.+), the series has (.+)$", evidence)
    return (int(m.group(1)), m.group(2), m.group(3)) if m else None


@pytest.mark.parametrize("text, f, wrong, start", [
    ("e^x", sp.exp(x), x ** n / (n + 1), 0),
    ("sin x", sp.sin(x), (-1) ** n * x ** (2 * n + 1) / sp.factorial(2 * n), 0),
    ("1/(1 - 2x)", 1 / (1 - 2 * x), (2 * n + 1) * x ** n, 0),
    ("ln(1 + x)", sp.log(1 + x), x ** n / n, 1),
])
def test_a_wrong_series_is_shown_by_its_first_differing_term(text, f, wrong, start):
    result = solved(text)
    verdict = check_answer(result, f"{typed(wrong)} from n = {start}")
    assert verdict.correct is False
    k, yours, theirs = _counterexample(verdict.evidence)
    # independently: the learner's k-th term and the series' term of the same power differ,
    # and every lower power agrees (it is the first difference)
    mine = sp.expand(wrong.subs(n, k))
    c, power = mine.as_coeff_exponent(x)
    want = coefficients(f, int(power) + 1)
    assert c != want[int(power)]
    assert read(yours) == mine
    assert read(theirs) == want[int(power)] * x ** int(power)
    lower = powers_of(wrong, start, k - start)
    assert all(lower.get(j, 0) == want[j] for j in range(int(power)))


def test_the_brief_example_x_cubed_over_3():
    verdict = check_answer(solved("e^x - 1"), "x^n/n from n = 1")
    assert "your term for n = 3 is x^3/3, the series has x^3/6" in verdict.feedback
    # without the constant term: the first difference is the power 0
    verdict = check_answer(solved("e^x"), "x^n/n! from n = 1")
    assert "your series has no constant term, but the series has 1" in verdict.feedback


@pytest.mark.parametrize("text, answer, code", [
    ("sin x", "(-1)^n x^(2n+1)", "missing_factorial"),
    ("e^(3x)", "x^n/n!", "missing_inner_power"),
    ("ln(1 + x)", "(-1)^n x^n/n", "sign_pattern_off_by_one"),
    ("sin x", "(-1)^(n+1) x^(2n+1)/(2n+1)!", "sign_pattern_off_by_one"),
    ("cos x", "x^(2n)/(2n)!", "signs_not_alternating"),
    ("sin x", "(-1)^n x^(2n)/(2n+1)!", "wrong_power"),
])
def test_named_mistakes(text, answer, code):
    verdict = check_answer(solved(text), answer)
    assert verdict.correct is False and verdict.diagnosis == code, verdict.feedback
    # the quiz's feedback before the last try names the rule without the series' term
    kept = verdict.guarded_feedback or verdict.feedback
    key = solved(text).to_json()["series_term"]
    assert key not in kept and key.replace("**", "^") not in kept
    assert not re.search(r"the series has -?\(?\d*x", kept)


def test_a_term_undefined_at_the_start_reads_from_where_it_is_defined_with_a_note():
    result = solved("e^x")
    verdict = check_answer(result, "x^(n-1)/(n-1)!")
    assert verdict.correct is True
    assert any("read from n = 1" in note for note in verdict.reading.notes)
    # typed from n = 0 on purpose: undefined there, so wrong, and it says why
    wrong = check_answer(result, "x^(n-1)/(n-1)! from n = 0")
    assert wrong.correct is False and "undefined for n = 0" in wrong.feedback


@pytest.mark.parametrize("answer, words", [
    ("x + x^2/2", "not a general term"),
    ("x^(-n)", "does not grow with n"),
    ("(1 + x)^n", "not one power"),
])
def test_what_is_not_a_general_term_is_wrong_with_the_reason(answer, words):
    verdict = check_answer(solved("e^x"), answer)
    assert verdict.correct is False and words in verdict.feedback


def test_a_negative_power_is_no_term_of_a_taylor_series():
    verdict = check_answer(solved("1/(1 - x)"),
                           "x^(n-1) from n = 0")
    assert verdict.correct is False and "negative power" in verdict.feedback


def test_about_a_point():
    result = solved("ln x", "1")
    assert check_answer(result, "(-1)^(n+1) (x-1)^n/n").correct is True
    assert check_answer(result, "(-1)^n (x-1)^(n+1)/(n+1) from n = 0").correct is True
    assert check_answer(result, "(-1)^(n+1) x^n/n").correct is False


def test_factorials_and_alternating_signs_are_read():
    assert parse_expression("n!").expr == sp.factorial(sp.Symbol("n", real=True))
    assert parse_expression("(2n+1)!").expr.func is sp.factorial
    assert parse_expression("factorial(n)").expr.func is sp.factorial
    term = parse_expression("(-1)^n x^n/n!", integers=["n"]).expr
    k = [s for s in term.free_symbols if s.name == "n"][0]
    assert k.is_integer and read(sp.sstr(term.subs(k, 3))) == -x ** 3 / 6
    with pytest.raises(ParseError):
        parse_expression("(-1)^x")  # not real for most x: still refused
    with pytest.raises(ParseError):
        parse_expression("(-1)^(n/2)", integers=["n"])  # not real for odd n


def test_json_and_cli_exit_codes():
    from typer.testing import CliRunner

    from calctutor.cli.app import app

    runner = CliRunner()
    ok = runner.invoke(app, ["taylor", "sin x", "--general-term", "--answer",
                             "(-1)^(n-1) x^(2n-1)/(2n-1)! from n = 1"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["taylor", "sin x", "--general-term", "--answer", "x^n/n!"])
    assert bad.exit_code == 1
    j = solved("sin x").to_json()
    assert j["series_start"] == 0
    series = sp.sympify(j["series_term"], locals={"n": n, "x": x})
    assert powers_of(series, 0, 6) == {k: c for k, c in enumerate(coefficients(sp.sin(x), 11))
                                       if c != 0}


def _bank(prefix: str):
    from calctutor.drills import instantiate, templates
    from calctutor.drills.validate import solved_and_valid

    out = []
    for t in templates(4):
        if t.id.startswith(prefix):
            out += [ok for ok in (solved_and_valid(instantiate(t, s), t) for s in (1, 2, 3))
                    if ok is not None][:2]
    return out


def test_bank_general_term_keys_are_the_series_of_sympy_from_the_stated_first_n():
    exercises = _bank("general-term")
    assert len(exercises) >= 3
    for ex in exercises:
        f = read(ex.input["expr"])
        stated = re.search(r"n = (\d+)", ex.prompt)
        start = int(stated.group(1))
        term = sp.sympify(ex.answer, locals={"n": n, "x": x})
        want = coefficients(f, 9)
        got = powers_of(term, start, 10)
        assert all(got.get(k, 0) == want[k] for k in range(10)), (ex.prompt, ex.answer)
