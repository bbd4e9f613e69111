"""One notation in every human format: learner notation, never SymPy's syntax or class names.

Every command's result (real inputs, one or two per command, plus worksheets and progress)
is rendered in rich, plain, Markdown and LaTeX, and each output is searched for what only
SymPy writes. Learner notation must also be what the parser reads back: the text of an
expression, parsed again, is the same expression (checked by SymPy, not by the printer).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import sympy as sp
from markdown_it import MarkdownIt

from calctutor.notation import keep_order, to_latex, to_text
from calctutor.parsing import parse_expression
from calctutor.render import render
from calctutor.render.plain import ascii_text

DATA = Path(__file__).parent / "data"

# (kind, input) for run_kind: every command, on inputs that print sums, partials, Greek
# letters, unknown functions, matrices, multipliers and long iterations.
COMMANDS = {
    "diff": ("diff", {"expr": "x^2 sin(x)"}),
    "diff-order": ("diff", {"expr": "cos(x) - 2x", "at": "x=1"}),
    "diff-partial": ("diff", {"expr": "x y^2 + sin(x y)", "var": "y"}),
    "diff-mixed": ("diff", {"expr": "e^(x y)", "vars": "x,y"}),
    "diff-unknown": ("diff", {"expr": "f(x^2) + g(x)"}),
    "diff-fp": ("diff", {"expr": "1/x", "first_principles": True}),
    "equiv": ("equiv", {"a": "sin(x)^2 + cos(x)^2", "b": "1"}),
    "gradient": ("gradient", {"expr": "x^2 y + sin(y)", "at": "x=1,y=pi"}),
    "jacobian": ("jacobian", {"expr": "r cos(theta), r sin(theta)", "vars": "r,theta"}),
    "hessian": ("hessian", {"expr": "x^3 + y^3 - 6x y", "classify": True}),
    "chain": ("chain", {"expr": "x^2 y + y", "layer": ["x=cos(t), y=t^2"], "wrt": "t",
                        "at": "t=1"}),
    "backprop": ("backprop", {"layer": ["W=[[1,-1],[2,0]]; b=[0,-1]", "W=[[1,1]]; b=[0]"],
                              "input": "1,1", "target": "1"}),
    "taylor": ("taylor", {"expr": "ln x", "at": "1", "order": 3}),
    "taylor-general": ("taylor", {"expr": "e^x", "at": "0", "order": 3, "general_term": True}),
    "taylor-2d": ("taylor", {"expr": "e^(x y)", "at": "0,0", "order": 2}),
    "newton": ("newton", {"expr": "x^2 - 2", "x0": "1", "steps": 2, "exact": True}),
    "newton-system": ("newton", {"expr": "x^2 + y^2 - 5, x - y + 1", "vars": "x,y",
                                 "x0": "3,-1", "steps": 1, "exact": True}),
    "descent": ("descent", {"expr": "x^2 + 4y^2", "start": "x=2,y=1", "rate": "0.1",
                            "steps": 5}),
    "lagrange": ("lagrange", {"expr": "x^2 y", "constraint": ["x^2 + y^2 = 3"]}),
    "lagrange-theta": ("lagrange", {"expr": "theta + mu", "constraint": ["theta^2 + mu^2 = 2"]}),
    "fit": ("fit", {"data": str(DATA / "line4.csv"), "model": "m x + c"}),
}
WORKSHEETS = {f"worksheet-{m}": (m, seed) for m, seed in
              (("module1", 1), ("module2", 7), ("module3", 2), ("module4", 3), ("module5", 3),
               ("module6", 5))}
HUMAN = ("rich", "plain", "markdown", "latex")


@functools.cache
def result(name: str):
    """The result object of a named case (computed once for every format)."""
    if name in WORKSHEETS:
        from calctutor.drills.worksheet import make_worksheet

        module, seed = WORKSHEETS[name]
        return make_worksheet(module, 6, seed, None, True)
    if name == "answer":
        from calctutor.checking.answer import check_answer

        return check_answer(result("diff-chain"), "cos(x^2)")
    if name == "diff-chain":
        kind, inp = "diff", {"expr": "sin(x^2)"}
    elif name == "progress":
        from datetime import datetime, timezone

        from calctutor.coach.app import course_skills, module_titles
        from calctutor.coach.report import ProgressReport

        return ProgressReport((), datetime(2026, 1, 1, tzinfo=timezone.utc),
                              skills=tuple(course_skills()), module_titles=module_titles())
    else:
        kind, inp = COMMANDS[name]
    from calctutor.topics import run_kind

    return run_kind(kind, inp)


CASES = sorted(COMMANDS) + sorted(WORKSHEETS) + ["answer"]


@functools.cache
def output(name: str, fmt: str) -> str:
    return render(result(name), fmt, width=80, color=False)


# What only SymPy writes: class names, its keyword for λ, its power and product signs.
SYMPY_LEAKS = re.compile(r"\b(?:Sum|Subs|Derivative|Integral|Piecewise|Matrix|ImmutableMatrix|"
                         r"Function|Symbol|Rational|Float|Eq)\(|\blambda\b|\*\*|\blog\(|\bE\b")
# "x*y", "2*x", ")*(": a product sign between factors (plain writes 2x sin(x), but 2*3)
PRODUCT_SIGN = re.compile(r"[A-Za-z)]\*[A-Za-z(]|\d\*[A-Za-z(]")


@pytest.mark.parametrize("fmt", HUMAN)
@pytest.mark.parametrize("name", CASES)
def test_no_sympy_syntax_in_a_human_format(name, fmt):
    out = output(name, fmt)
    text = out
    if fmt == "latex":  # LaTeX's own \lambda, \log are its commands, not SymPy's words
        text = re.sub(r"\\[A-Za-z]+", " ", out)
    if fmt == "markdown":
        text = re.sub(r"\*\*", " ", re.sub(r"\\[A-Za-z]+", " ", out))
    leaks = SYMPY_LEAKS.findall(text)
    assert not leaks, (leaks, out)
    if fmt in ("rich", "plain"):
        assert not PRODUCT_SIGN.findall(out), out
        assert "lam " not in out.replace("lam g", "") or fmt == "plain", out


@pytest.mark.parametrize("name", ["lagrange", "lagrange-theta", "jacobian"])
def test_greek_names_are_letters_in_rich_and_spelt_out_in_plain(name):
    rich, plain = output(name, "rich"), output(name, "plain")
    shown = "\n".join(line for line in rich.splitlines()  # not the user's own text
                      if not line.startswith(("Input", "Constraint")))
    assert "lam" not in shown and "theta" not in shown
    assert plain.isascii()
    if name.startswith("lagrange"):
        assert "∂L/∂λ" in rich and "del L/del lam" in plain


def test_the_typed_order_of_terms_is_kept_in_every_format():
    # SymPy orders cos(x) - 2x as -2x + cos(x); the learner typed cos(x) first
    assert sp.sstr(sp.cos(sp.Symbol("x")) - 2 * sp.Symbol("x")).startswith("-2*x")
    name = "diff-order"
    assert "d/dx [cos(x) - 2x] = -sin(x) - 2" in output(name, "plain")
    assert "d/dx [cos(x) - 2x]" in output(name, "rich")
    assert r"\cos{\left(x \right)} - 2 x" in output(name, "latex")
    assert r"\cos{\left(x \right)} - 2 x" in output(name, "markdown")


def test_read_as_only_when_the_reading_says_something():
    # "2x sin(x)" read as 2*x*sin(x) is what was typed; "sin x^2" read as sin(x^2) is news
    from calctutor.topics import run_kind

    same = render(run_kind("diff", {"expr": "x^2 sin(x)"}), "plain")
    assert "Read as" not in same
    news = render(run_kind("diff", {"expr": "sin x^2"}), "plain")
    assert "Read as: sin(x^2)" in news
    glued = render(run_kind("diff", {"expr": "xy", "var": "x"}), "plain")
    assert "Read as: x y" in glued and "xy read as x*y" in glued


X, Y, Z = sp.symbols("x y z")
THETA = sp.Symbol("theta")
ROUND_TRIP = [
    X**2 * sp.sin(X), 2 * X * sp.sin(X) + X**2 * sp.cos(X), sp.cos(X) - 2 * X,
    X * Y**2 + sp.sin(X * Y), 2 * (X + 1)**2, sp.sqrt(2) * X, 2 * sp.sqrt(X),
    sp.exp(X) * sp.sin(X), -X / 2, X * Y / Z, 1 / (2 * X), THETA * Y, X**2 * Y,
    sp.Rational(1, 2) * X**2, 2 * sp.pi * X, 3 * sp.E * X, X * sp.exp(2 * X), X**(2 * Y),
    sp.sin(X)**2 * sp.cos(X), 3 * X**-2, -3 * X * Y**2 * sp.log(X), X / (Y * Z),
    sp.exp(-X**2 / 2) / sp.sqrt(2 * sp.pi), 2**X * X, X**Y * Y**X, sp.Abs(X - 1) * X,
    (X + 1) * (X - 1), -(X + Y) / (X - Y), sp.Float(0.5) * X, 10 * X**10 * Y,
    sp.Symbol("x1") * Y, 2 * sp.Symbol("x1"), sp.atan(X) * 4, sp.exp(X * Y) * X * Y,
]


@pytest.mark.parametrize("expr", ROUND_TRIP, ids=str)
def test_learner_notation_reads_back_as_the_same_expression(expr):
    text = ascii_text(to_text(expr))  # what plain prints, and what a learner would copy
    assert "*" not in text
    names = sorted(s.name for s in expr.free_symbols)
    back = parse_expression(text, variables=names).expr
    by_name = {s: sp.Symbol(s.name) for s in back.free_symbols}
    assert sp.simplify(back.xreplace(by_name) - expr) == 0, (text, back)


def test_unknown_functions_sums_and_conditions_in_words():
    f, g = sp.Function("f"), sp.Function("g")
    assert to_text(f(X**2).diff(X)) == "2x f'(x^2)"
    assert to_text(g(X, Y).diff(X)) == "∂/∂x [g(x, y)]"
    i, n = sp.symbols("i N")
    assert to_text(sp.Sum(i**2, (i, 1, n))) == "Σ_(i = 1..N) i^2"
    assert to_text(sp.Piecewise((X, X > 0), (0, True))) == "(x if x > 0; 0 otherwise)"
    assert to_text(sp.Symbol("lam") * X) == "λ x"
    assert ascii_text(to_text(2 * sp.Symbol("lam") * X)) == "2 lam x"
    assert to_latex(sp.Symbol("lam")) == r"\lambda" and to_latex(sp.Symbol("∇f")) == r"\nabla f"


def test_keep_order_touches_only_sums_found_in_the_typed_text():
    e = sp.sin(X) + X**3 - 1
    keep_order(e, "sin(x) + x^3 - 1")
    assert to_text(e) == "sin(x) + x^3 - 1"
    other = sp.exp(X) + X  # not typed anywhere: SymPy's order
    keep_order(other, "something else")
    assert to_text(other) == sp.sstr(other).replace("exp(x)", "e^x")


# -- Markdown that renders ----------------------------------------------------------------
_MD = MarkdownIt("commonmark").enable("table")


def _text_tokens(tokens):
    for tok in tokens:
        if tok.type == "text":
            yield tok.content
        yield from _text_tokens(tok.children or [])


_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@pytest.mark.parametrize("name", CASES + ["progress"])
def test_markdown_shows_no_stray_backslash_and_keeps_maths_in_dollars(name):
    md = output(name, "markdown")
    for tok in _MD.parse(md):
        if tok.type != "inline":
            continue
        # what a reader sees of the words, once the maths is taken out: no backslash
        # (a "\3.1" or "\textbackslash" would show), and in a worksheet no x^2 outside $…$
        words = _TAG.sub("", _MD.renderInline(_MATH.sub(" ", tok.content)))
        assert "\\" not in words, (words, md)
        if name.startswith("worksheet"):
            assert not re.search(r"\w\^\w", words), (words, md)


def test_progress_markdown_table_has_plain_skill_numbers():
    md = output("progress", "markdown")
    cells = [tok.content for tok in _MD.parse(md) if tok.type == "inline"]
    assert any(c.startswith("1.2 ") for c in cells), md
