"""Expressions that start with ``-`` as positional arguments, on every command, with options
before and after them; ``--``; and mistyped options that still get Click's error."""

import json
import re

import pytest
import sympy

from calctutor.cli import app
from calctutor.cli.argv import rewrite

# Every command: its words, with E where an expression starting with "-" goes (the words are
# also run with the expression written " -..." (a leading space, which Click never reads as an
# option), and the two results must be the same). Commands without an expression argument
# take option values that start with "-" instead, before and after their positional.
CASES = {
    "diff": (["E", "--at", "x=1"], "-x^2"),
    "equiv": (["E", "-(2)"], "-2"),
    "gradient": (["E", "--at", "x=1,y=-1"], "-x^2 y"),
    "jacobian": (["E", "--vars", "x,y"], "-x y, x"),
    "hessian": (["E"], "-x^2 y"),
    "chain": (["E", "--layer", "p=t^2", "--wrt", "t"], "-p^2/2 + 2p"),
    "taylor": (["E", "--order", "3"], "-sin(x)"),
    "newton": (["E", "--x0", "1", "--steps", "2"], "-x^2 + 2"),
    "descent": (["E", "--start", "1", "--steps", "1", "--rate", "1/4"], "-cos(x)"),
    "lagrange": (["E", "--constraint", "x + y = 2"], "-x y"),
    "backprop": (["--layer", "W=[[1]]; b=[-1]", "--input", "-1", "--target", "-1"], None),
    "network": (["3,4,2"], None),
    "fit": (["DATA", "--model", "-m*x + c"], None),
    "exercises": (["1", "-n", "2", "--seed", "3"], None),
    "quiz": (["1", "-n", "1", "--seed", "3"], None),
    "progress": (["1"], None),
}


def commands():
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_every_command_has_a_case():
    assert set(CASES) == set(commands())


def _words(name, expr, tmp_path):
    words, _ = CASES[name]
    data = tmp_path / "data.csv"
    data.write_text("x,y\n0,1\n1,-1\n2,-3\n")
    return [expr if w == "E" else str(data) if w == "DATA" else w for w in words]


def _result(r):
    """The JSON output without the echo of the input (which differs by the leading space)."""
    doc = json.loads(r.out) if r.out.strip().startswith(("{", "[")) else r.out

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("input", "a", "b")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        # a quiz's transcript ends with the time it took
        return re.sub(r"time \d+:\d\d", "time", node.strip()) if isinstance(node, str) else node

    return strip(doc)


@pytest.mark.parametrize("name", commands())
def test_dash_expression_with_options_before_and_after(name, cli, tmp_path):
    expr = CASES[name][1]
    fmt = ["--format", "json"] if name not in ("quiz", "progress", "exercises") else ["-f", "plain"]
    feed = "quit\n" if name == "quiz" else None
    words = _words(name, expr, tmp_path)
    before = cli(name, *fmt, *words, input=feed)
    after = cli(name, *words, *fmt, input=feed)
    for r in (before, after):
        assert r.code in (0, 1), (name, r.err)
        assert "No such option" not in r.err
    assert _result(before) == _result(after)
    if expr is not None:
        spaced = cli(name, *fmt, *_words(name, " " + expr, tmp_path), input=feed)
        assert before.code == spaced.code
        assert _result(before) == _result(spaced)


def test_diff_of_a_negative_square_is_checked_by_sympy(cli):
    x = sympy.Symbol("x")
    r = cli("diff", "-x^2", "--format", "json")
    assert r.code == 0, r.err
    assert sympy.simplify(sympy.sympify(r.json()["result"]) - sympy.diff(-x**2, x)) == 0


@pytest.mark.parametrize("a, b", [("-2", "-(2)"), ("sin(x)^2/2", "-cos(x)^2/2"),
                                  ("-x", "-(x)"), ("-1/x", "-(1/x)")])
def test_equiv_verdicts_agree_with_sympy(a, b, cli):
    x = sympy.Symbol("x")
    same = sympy.simplify(sympy.sympify(a.replace("^", "**"), locals={"x": x})
                          - sympy.sympify(b.replace("^", "**"), locals={"x": x})) == 0
    r = cli("equiv", a, b, "--format", "plain")
    assert r.code == (0 if same else 1), (a, b, r.out, r.err)


def test_double_dash_then_options(cli):
    r = cli("diff", "--", "-x^2", "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["result"] == "-2*x"
    r = cli("equiv", "--format", "plain", "--", "-x", "-(x)")
    assert r.code == 0, r.err


def test_an_answer_that_starts_with_a_dash_is_the_answer(cli):
    r = cli("diff", "-x^2", "--answer", "-2x", "--format", "plain")
    assert r.code == 0, (r.out, r.err)
    r = cli("diff", "-x^2", "-a", "2x", "--format", "plain")
    assert r.code == 1, (r.out, r.err)


def test_mistyped_options_still_fail_clearly(cli):
    r = cli("diff", "x^2", "--fromat", "plain")
    assert r.code == 2
    assert "No such option: --fromat" in r.err and "--format" in r.err
    assert len(r.err.strip().splitlines()) == 1
    r = cli("diff", "-x^2", "--fromat", "plain")
    assert r.code == 2 and "No such option: --fromat" in r.err, r.err
    # the expression is given, so -x can only be a (missing) option
    r = cli("diff", "x^2", "-x")
    assert r.code == 2 and "No such option: -x" in r.err


def _group():
    from typer.main import get_command

    return get_command(app)


@pytest.mark.parametrize("args, expected", [
    # short options glued to their value, the expression given elsewhere: options
    (["diff", "x y", "-vy"], ["diff", "x y", "-vy"]),
    (["diff", "-n3", "x^3"], ["diff", "-n3", "x^3"]),
    # no expression elsewhere: the word is the expression (-v y)
    (["diff", "-vy"], ["diff", "--", "-vy"]),
    # not an option of diff at all: an expression
    (["diff", "-x^2", "-n", "2"], ["diff", "-n", "2", "--", "-x^2"]),
    (["diff", "-f", "plain", "-sin(x)"], ["diff", "-f", "plain", "--", "-sin(x)"]),
    # an option's value is its value, whatever it looks like
    (["diff", "x", "--answer", "-1"], ["diff", "x", "--answer", "-1"]),
    (["diff", "--answer=-1", "-x"], ["diff", "--answer=-1", "--", "-x"]),
    # -- : the expressions, then options again
    (["diff", "--", "-x", "--at", "x=1"], ["diff", "--at", "x=1", "--", "-x"]),
    (["equiv", "--", "--x", "-x"], ["equiv", "--", "--x", "-x"]),
    # group options before the command, nothing to do
    (["--version"], ["--version"]),
    (["nosuch", "-x"], ["nosuch", "-x"]),
])
def test_the_sorting_rule(args, expected):
    assert rewrite(_group(), args) == expected


def test_calctutor_alone_prints_the_help_and_exits_0(cli):
    r = cli()
    assert r.code == 0, r.err
    assert "Usage" in r.out and "diff" in r.out and not r.err.strip()
