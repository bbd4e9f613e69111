"""taylor and newton end to end: JSON per contract, plots, answers, bad input."""

from __future__ import annotations

import pytest
import sympy as sp

x = sp.Symbol("x")


def test_taylor_json_contract(cli):
    r = cli("taylor", "ln(x)", "--at", "1", "--order", "3", "--format", "json")
    assert r.code == 0, r.err
    j = r.json()
    assert {"input", "variables", "at", "order", "result", "terms"} <= set(j)
    assert j["input"] == "ln(x)" and j["variables"] == ["x"] and j["at"] == {"x": "1"}
    assert j["order"] == 3
    expected = sp.series(sp.log(x), x, 1, 4).removeO()
    assert sp.expand(sp.sympify(j["result"]) - expected) == 0
    assert all(set(t) == {"degree", "term"} and t["degree"] <= 3 for t in j["terms"])


def test_taylor_defaults_and_two_variables(cli):
    j = cli("taylor", "e^x", "--format", "json").json()
    assert j["order"] == 4 and j["at"] == {"x": "0"}
    j = cli("taylor", "x^2 y", "--at", "x=1,y=3", "--order", "1", "--format", "json").json()
    assert j["variables"] == ["x", "y"] and j["at"] == {"x": "1", "y": "3"}
    assert sp.expand(sp.sympify(j["result"]) - sp.sympify("6*x + y - 6")) == 0


def test_taylor_plot_present_and_plain_when_piped(cli):
    r = cli("taylor", "sin x", "--order", "5", "--plot")  # the runner is not a terminal: plain
    assert r.code == 0, r.err
    assert "\x1b" not in r.out
    assert "T5" in r.out and "f = sin(x)" in r.out
    assert "+----" in r.out  # the frame, in ASCII
    md = cli("taylor", "sin x", "--order", "3", "--plot", "--format", "markdown")
    assert "```text" in md.out
    rich = cli("taylor", "sin x", "--order", "3", "--plot", "--format", "rich")
    assert rich.code == 0 and "T3" in rich.out


@pytest.mark.parametrize("fmt", ["plain", "rich", "latex", "markdown"])
def test_every_format(cli, fmt):
    for args in (("taylor", "e^(x y)", "--order", "3"), ("newton", "x^3 - 2x + 2", "--x0", "0")):
        r = cli(*args, "--format", fmt)
        assert r.code == 0 and r.out.strip(), (args, r.err)


def test_taylor_answer(cli):
    ok = cli("taylor", "sqrt x", "--at", "9", "--order", "1", "--answer", "3 + (x-9)/6")
    assert ok.code == 0
    bad = cli("taylor", "cos x", "--order", "4", "--answer", "1 - x^2 + x^4", "--format", "json")
    assert bad.code == 1 and bad.json()["diagnosis"] == "missing_factorial"


def test_newton_json_contract(cli):
    r = cli("newton", "x^2 - 2", "--x0", "1", "--format", "json")
    assert r.code == 0, r.err
    j = r.json()
    assert j["converged"] is True and j["root"] == pytest.approx(2 ** 0.5)
    assert j["iterations"][0]["n"] == 0 and j["iterations"][0]["x"] == 1.0
    assert j["iterations"][1]["x"] == 1.5 and j["iterations"][0]["f"] == -1.0
    j = cli("newton", "x^2 - 2", "--x0", "1", "--steps", "2", "--exact", "--format", "json").json()
    assert [it["x"] for it in j["iterations"]] == ["1", "3/2", "17/12"]
    j = cli("newton", "x^2 + x y + 2y^2 - 3x", "--x0", "0,0", "--optimise", "--format", "json").json()
    assert j["root"] == pytest.approx([12 / 7, -3 / 7]) and j["converged"]
    assert isinstance(j["iterations"][0]["x"], list)


def test_newton_outcomes_are_results_not_errors(cli):
    r = cli("newton", "x^2 - 1", "--x0", "0", "--format", "json")
    assert r.code == 0 and r.json()["converged"] is False and r.json()["status"] == "zero_derivative"
    r = cli("newton", "x^3 - 2x + 2", "--x0", "0")
    assert r.code == 0 and "cycl" in r.out.lower()


def test_newton_answer(cli):
    assert cli("newton", "cos x - x", "--x0", "1", "--steps", "1", "--answer", "0.750364").code == 0
    bad = cli("newton", "x^2 - 2", "--x0", "1", "--steps", "1", "--answer", "0.5", "--format", "json")
    assert bad.code == 1 and bad.json()["diagnosis"] == "newton_wrong_sign"


@pytest.mark.parametrize("args", [
    ("taylor", "ln x"), ("taylor", "x", "--order", "-2"), ("taylor", "sin(", "--order", "2"),
    ("taylor", "x y", "--nonzero", "2"), ("newton", "x^2 - 2"), ("newton", "x y", "--x0", "1,1"),
    ("newton", "x^2", "--x0", "abc"), ("newton", "x^2", "--x0", "1", "--steps", "0"),
])
def test_bad_input_exit_2(cli, args):
    r = cli(*args)
    assert r.code == 2 and r.err.startswith("Error:"), (r.code, r.err)
    assert "Traceback" not in r.err


def test_newton_steps_answer_final_iterate_or_list(cli):
    # x^2 - 2 from 1: x1 = 3/2, x2 = 17/12 (x - (x^2 - 2)/(2x) by hand)
    x1 = 1 - sp.Rational(-1, 2)
    x2 = x1 - (x1**2 - 2) / (2 * x1)
    assert cli("newton", "x^2-2", "--x0", "1", "--steps", "2", "--answer", str(x2)).code == 0
    assert cli("newton", "x^2-2", "--x0", "1", "--steps", "2", "--answer", f"{x1}, {x2}").code == 0
    # the wrong sign gives x1 = 1/2, x2 = 1/2 + (1/4 - 2)/1 = -5/4
    bad = cli("newton", "x^2-2", "--x0", "1", "--steps", "2", "--answer", "-5/4", "--format", "json")
    assert bad.code == 1 and bad.json()["diagnosis"] == "newton_wrong_sign"
    assert "xN alone" in cli("newton", "--help").out


def test_help_summaries_are_one_line_and_usage_names_expr(cli):
    out = cli("--help").out
    for name in ("taylor", "newton"):
        line = next(ln for ln in out.splitlines() if f" {name} " in ln)
        assert line.rstrip(" │").endswith("."), line  # the whole summary on its own line
        usage = cli(name, "--help").out
        assert "EXPR" in usage and "{expr}" not in usage


@pytest.mark.parametrize("expr, f", [
    ("sin(x)/x", sp.sin(x) / x), ("(e^x-1)/x", (sp.exp(x) - 1) / x),
    ("x/(e^x-1)", x / (sp.exp(x) - 1)), ("sinh(x)/x", sp.sinh(x) / x),
    ("cos(sqrt(x))", sp.cos(sp.sqrt(x))),
])
def test_taylor_through_removable_and_one_sided_centres(cli, expr, f):
    r = cli("taylor", expr, "--order", "3", "--format", "json")
    assert r.code == 0, r.err
    expected = sp.series(f, x, 0, 4).removeO()
    assert sp.expand(sp.sympify(r.json()["result"]) - expected) == 0
    assert r.json()["values_are_limits"] is True
    assert "values_are_limits" not in cli("taylor", "sin(x)", "--format", "json").json()
    plain = cli("taylor", expr, "--order", "3", "--format", "plain")
    assert "limit" in plain.out and "nan" not in plain.out


@pytest.mark.parametrize("expr", ["abs(x)", "sqrt(x)", "1/x", "x^(1/3)", "e^(-1/x^2)", "sin(1/x)"])
def test_taylor_non_analytic_point_is_one_line_exit_2(cli, expr):
    r = cli("taylor", expr, "--order", "3")
    assert r.code == 2, (r.code, r.err)
    assert r.err.startswith("Error: ") and "no Taylor expansion" in r.err and "x = 0" in r.err
    assert r.err.strip().count("\n") == 0 and "Traceback" not in r.err


def test_taylor_general_term_states_where_it_converges(cli):
    j = cli("taylor", "1/(1-2x)", "--general-term", "--format", "json").json()
    n = sp.Symbol("n", integer=True, nonnegative=True)
    term = sp.sympify(j["general_term"], locals={"n": n})
    assert all(term.subs(n, k).subs(x, 1) == sp.series(1 / (1 - 2 * x), x, 0, 8).removeO()
               .coeff(x, k) for k in range(8))
    assert "|x| < 1/2" in j["converges"]
    out = cli("taylor", "ln(1+x)", "--general-term", "--format", "plain").out
    assert "-1 < x <= 1" in out
    r = cli("taylor", "atan x", "--general-term", "--answer", "sin(n pi/2)/n x^n")
    assert r.code == 0, r.out


def _diff_fp(cli, *args):
    return cli("diff", *args, "--first-principles")


@pytest.mark.parametrize("expr, f", [
    ("2^x", 2 ** x), ("e^x", sp.exp(x)), ("sin x", sp.sin(x)), ("ln x", sp.log(x)),
])
def test_first_principles_cli_prints_the_derivative_not_nan(cli, expr, f):
    r = _diff_fp(cli, expr, "--format", "json")
    assert r.code == 0, r.err
    j = r.json()
    assert sp.simplify(sp.sympify(j["result"]) - sp.diff(f, x)) == 0
    assert "nan" not in r.out and "oo" not in r.out


@pytest.mark.parametrize("expr", ["|x|", "x^x", "tan(x^2)"])
def test_first_principles_cli_refuses_in_one_line(cli, expr):
    r = _diff_fp(cli, expr)
    assert r.code == 2 and r.err.startswith("Error: first principles cannot show")
    assert "without --first-principles" in r.err and r.err.strip().count("\n") == 0
