"""The rendering layer: every result in every format, built by hand (no differentiator)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, replace

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calctutor.checking.equivalence import EquivResult
from calctutor.render import FORMATS, latex_document, render, render_blocks
from calctutor.render.doc import (
    Fields,
    Formula,
    Heading,
    Item,
    Math,
    Note,
    Numbered,
    Paragraph,
    StepTree,
    Table,
    Verbatim,
    Verdict,
    derivative,
    equation,
)
from calctutor.render.inline import clean, latex_math, one_line, operator_text, step_parts
from calctutor.render.views import VIEWS, register
from calctutor.results import Reading
from calctutor.steps.first_principles import Stage
from calctutor.steps.model import Reason, Step
from calctutor.symbols import make_symbol
from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult
from tests.test_diff_property import expressions

x, y, h = make_symbol("x"), make_symbol("y"), make_symbol("h")
u, v = sp.Symbol("u", real=True), sp.Symbol("v", real=True)

ANSI = re.compile(r"\x1b\[")
BOX = re.compile(r"[\u2500-\u259f]")
HOSTILE = "[/]\x1b[31mred[bold] $\\_{}%#&~^ `tick` *star* <b> | \u202e\x07 1. # x"


# -- hand-built results ---------------------------------------------------------------------
def power_leaf(expr=x**2, var=x):
    n = expr.exp
    return Step("power", expr, var, n * var ** (n - 1), Reason.of("power", n=n),
                formula="d/dx xⁿ = n·x^(n-1)")


def sin_leaf(var=x):
    return Step("trig", sp.sin(var), var, sp.cos(var),
                Reason.of("elementary", expr=sp.sin(var), result=sp.cos(var), name=""))


def product_tree():
    """d/dx [x^2 sin(x)] by the product rule."""
    f = x**2 * sp.sin(x)
    return Step("product", f, x, 2 * x * sp.sin(x) + x**2 * sp.cos(x),
                Reason.of("product", u=x**2, v=sp.sin(x)),
                (power_leaf(), sin_leaf()), "(u·v)' = u'·v + u·v'")


def chain_tree(mention_let=True):
    """d/dx [sin(x^2)] by the chain rule, with u = x^2 (said by its reason, or not at all)."""
    why = (Reason.of("chain", u=u, inner=x**2, expr=sp.sin(x**2), outer=sp.sin(u), var=x)
           if mention_let else None)
    return Step("chain", sp.sin(x**2), x, 2 * x * sp.cos(x**2), why,
                (sin_leaf(u), power_leaf()), "d/dx f(g(x)) = f'(g(x))·g'(x)", let=((u, x**2),))


def reading(text, read, differs=True, notes=()):
    return Reading(text, read, tuple(notes), differs)


def diff_result(**changes):
    f = x**2 * sp.sin(x)
    tree = product_tree()
    base = DiffResult(reading("x^2 sin(x)", "x^2*sin(x)"), f, (x,), (tree,),
                      tree.result, tree.result)
    return replace(base, **changes)


def partial_result():
    f = x * y**2
    inner = power_leaf(y**2, y)
    tree = Step("constant_multiple", f, y, 2 * x * y,
                Reason.of("constant_multiple", coeff=x, log_base=None),
                (inner,), "(c·u)' = c·u'")
    return DiffResult(reading("x y^2", "x*y^2"), f, (y,), (tree,), tree.result, tree.result,
                      constants=(x,), at=((x, sp.Integer(3)), (y, sp.Integer(2))),
                      value=sp.Integer(12))


def mixed_result():
    f = x**2 * y**3
    t1 = Step("constant_multiple", f, x, 2 * x * y**3,
              Reason.of("constant_multiple", coeff=y**3, log_base=None),
              (power_leaf(x**2, x),), "(c·u)' = c·u'")
    t2 = Step("constant_multiple", 2 * x * y**3, y, 6 * x * y**2,
              Reason.of("constant_multiple", coeff=2 * x, log_base=None), (power_leaf(y**3, y),),
              "(c·u)' = c·u'")
    return DiffResult(reading("x^2*y^3", "x^2*y^3", differs=False), f, (x, y), (t1, t2),
                      t2.result, t2.result)


def deep_tree(depth=7):
    """sin(sin(...sin(x))): a chain inside a chain, ``depth`` levels of nodes."""
    expr, node = x, Step("identity", x, x, sp.Integer(1), Reason.of("identity", var=x))
    for level in range(depth - 1):
        expr = sp.sin(expr)
        w = sp.Symbol(f"w{level}", real=True)
        node = Step("chain", expr, x, sp.diff(expr, x),
                    Reason.of("chain", u=w, inner=expr.args[0], expr=expr, outer=sp.sin(w), var=x),
                    (sin_leaf(w), node), let=((w, expr.args[0]),))
    return node


def first_principles_result():
    f = x**2
    q = sp.Mul(sp.Add((x + h) ** 2, -(x**2), evaluate=False), sp.Pow(h, -1), evaluate=False)
    stages = (
        Stage("difference quotient", q, "Rise over run between x and x + h."),
        Stage("expand the numerator", sp.Mul(2 * x * h + h**2, sp.Pow(h, -1), evaluate=False),
              "The terms without h cancel."),
        Stage("divide by h", 2 * x + h, "Every remaining term has a factor h."),
        Stage("limit as h → 0", 2 * x, "Let h → 0."),
    )
    return FirstPrinciplesResult(reading("x^2", "x^2", differs=False), f, x, h, stages, 2 * x,
                                 at=((x, sp.Integer(5)),), value=sp.Integer(10))


def equiv_result(verdict=True):
    a, b = sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)
    if verdict is True:
        return EquivResult(reading("sin x^2 + cos(x)^2", "sin(x)^2 + cos(x)^2",
                                   notes=("sin x^2 read as sin(x)^2",)),
                           reading("1", "1", differs=False), a, b, True, "numeric",
                           notes=("equal except at x = 1, where A is undefined",))
    if verdict is False:
        return EquivResult(reading("sqrt(x^2)", "|x|"), reading("x", "x", differs=False),
                           sp.Abs(x), x, False, "numeric",
                           "at x = -2 the expected value is 2 but the answer gives -2")
    return EquivResult(reading("a", "a", differs=False), reading("b", "b", differs=False),
                       a, b, None, "undecided", verdict="undecided",
                       detail="no symbolic proof within 2 s")


ALL_RESULTS = {
    "diff": diff_result,
    "diff-tidied": lambda: diff_result(result=x * (2 * sp.sin(x) + x * sp.cos(x))),
    "partial": partial_result,
    "mixed": mixed_result,
    "chain": lambda: diff_result(steps=(chain_tree(),), expr=sp.sin(x**2),
                                 raw=2 * x * sp.cos(x**2), result=2 * x * sp.cos(x**2)),
    "deep": lambda: diff_result(steps=(deep_tree(),)),
    "no-steps": lambda: diff_result(steps=()),
    "first-principles": first_principles_result,
    "equiv-yes": lambda: equiv_result(True),
    "equiv-no": lambda: equiv_result(False),
    "equiv-undecided": lambda: equiv_result(None),
}


def lines(text):
    return text.rstrip("\n").split("\n")


# -- the API -------------------------------------------------------------------------------
def test_formats_are_the_contract_ones():
    assert FORMATS == ("rich", "plain", "latex", "markdown", "json")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_every_format_renders_every_result(name, fmt):
    out = render(ALL_RESULTS[name](), fmt, width=80, color=False)
    assert isinstance(out, str) and out.strip()


def test_unknown_result_type_is_a_type_error():
    for fmt in FORMATS:
        with pytest.raises(TypeError):
            render(object(), fmt)


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError):
        render(diff_result(), "html")
    with pytest.raises(ValueError):
        render_blocks([Heading("x")], "json")


def test_a_new_result_type_needs_only_a_view():
    @dataclass(frozen=True)
    class GradientResult:
        expr: sp.Expr

        def to_json(self):
            return {"result": [str(sp.diff(self.expr, x)), str(sp.diff(self.expr, y))]}

    @register(GradientResult)
    def gradient_view(result):
        grad = sp.Matrix([[sp.diff(result.expr, x), sp.diff(result.expr, y)]])
        return [Heading("Gradient"), Math(("∇f =",), grad, emphasis=True),
                Table(("variable", "∂f/∂·"), ((x, grad[0]), (y, grad[1])))]

    try:
        g = GradientResult(x**2 * y)
        for fmt in FORMATS:
            assert render(g, fmt, color=False).strip()
        assert json.loads(render(g, "json"))["result"] == ["2*x*y", "x**2"]
        assert "grad f = [2x y, x^2]" in render(g, "plain")
    finally:
        VIEWS.pop(GradientResult)


# -- json --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_json_is_the_result_own_contract_shape(name):
    result = ALL_RESULTS[name]()
    data = json.loads(render(result, "json"))
    assert data == json.loads(json.dumps(result.to_json()))
    assert render(result, "json") == json.dumps(result.to_json(), indent=2, ensure_ascii=False)


def test_json_diff_keys_and_expressions_read_back():
    data = json.loads(render(partial_result(), "json"))
    assert set(data) >= {"input", "variables", "result", "steps", "value"}
    assert data["input"] == "x y^2" and data["variables"] == ["y"]
    assert sp.sympify(data["result"]) == sp.sympify("2*x*y")
    assert data["value"] == "12"
    node = data["steps"]
    assert set(node) >= {"rule", "expr", "var", "result", "text", "substeps"}
    assert sp.sympify(node["substeps"][0]["expr"]) == sp.sympify("y**2")


def test_json_mixed_has_a_list_of_trees_and_equiv_its_keys():
    assert len(json.loads(render(mixed_result(), "json"))["steps"]) == 2
    data = json.loads(render(equiv_result(False), "json"))
    assert data["equivalent"] is False and data["method"] and data["evidence"]


# -- what the diff view shows ------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "latex"])
def test_read_as_only_when_the_reading_differs(fmt):
    differs = render(diff_result(input=reading("x^2 sin x", "x^2*sin(x)")), fmt, color=False)
    same = render(diff_result(input=reading("x^2*sin(x)", "x^2*sin(x)", differs=False)), fmt,
                  color=False)
    assert "Read as" in differs and "Read as" not in same
    # only product signs added: "x^2 sin(x)" is read as typed, and says so by silence
    assert "Read as" not in render(diff_result(), fmt, color=False)
    assert "Input" in same  # the input as typed is always there


def test_reading_notes_are_shown():
    r = diff_result(input=reading("1/2x", "x/2", notes=("1/2x read as (1/2)*x",)))
    for fmt in ("plain", "rich"):
        assert "1/2x read as (1/2)*x" in render(r, fmt, color=False)


@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "latex"])
def test_raw_and_tidied_only_when_they_differ(fmt):
    assert "simplifies" not in render(diff_result(), fmt, color=False)
    tidied = diff_result(result=x * (2 * sp.sin(x) + x * sp.cos(x)))
    out = render(tidied, fmt, color=False)
    assert "The rules give" in out and "simplifies to" in out


def test_plain_result_line_and_tidied_form():
    out = render(diff_result(), "plain")
    assert "Result: d/dx [x^2 sin(x)] = x^2 cos(x) + 2x sin(x)" in out
    tidied = render(diff_result(result=x * (2 * sp.sin(x) + x * sp.cos(x))), "plain")
    assert "which simplifies to: x (x cos(x) + 2 sin(x))" in tidied


@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "latex"])
def test_value_shown_only_when_at_is_set(fmt):
    out = render(partial_result(), fmt, color=False)
    assert "At" in out and "12" in out
    assert "At " not in render(diff_result(), fmt, color=False)


def test_plain_value_line():
    assert "At x = 3, y = 2: 12" in render(partial_result(), "plain")


def test_partial_derivative_names_what_is_held_constant():
    plain = render(partial_result(), "plain")
    assert plain.startswith("Partial derivative with respect to y")
    assert "x is held constant" in plain
    assert "del/del y [x y^2] = 2x y" in plain  # ASCII: AsciiMath's del for the partial sign
    rich = render(partial_result(), "rich", color=False)
    assert "∂/∂y [x y^2] = 2x y" in rich
    assert "d/dy [y^2] = 2y" in rich  # y^2 alone depends on y only
    assert "held constant" not in render(diff_result(), "plain")


def test_mixed_partials_one_tree_per_differentiation():
    plain = render(mixed_result(), "plain")
    assert plain.startswith("Mixed partial derivative with respect to x, then y")
    assert "Step 1 of 2: differentiate with respect to x" in plain
    assert "Step 2 of 2: differentiate the result with respect to y" in plain
    assert "del^2/del y del x [x^2 y^3] = 6x y^2" in plain
    md = render(mixed_result(), "markdown")
    assert r"\frac{\partial^{2}}{\partial y\,\partial x}" in md


def test_second_derivative_heading():
    r = replace(mixed_result(), variables=(x, x))
    assert render(r, "plain").startswith("Second derivative with respect to x")


def test_tidied_intermediate_result_is_shown_between_trees():
    t1 = Step("identity", x, x, sp.Integer(1), Reason.of("identity", var=x))
    t2 = Step("constant", sp.Integer(1), x, sp.Integer(0),
              Reason.of("constant", expr=sp.Integer(1), var=x, held=()))
    # the first tree's result is 0 + 1: the second starts from its tidied form, 1
    t1 = replace(t1, result=sp.Add(sp.Integer(0), sp.Integer(1), evaluate=False))
    r = DiffResult(reading("x", "x", False), x, (x, x), (t1, t2), sp.Integer(0), sp.Integer(0))
    assert "Simplified, this is: 1" in render(r, "plain")


def test_step_nodes_show_rule_equation_sentence_and_formula():
    out = render(diff_result(), "plain", width=100)
    assert "1. Product rule: d/dx [x^2 sin(x)] = x^2 cos(x) + 2x sin(x)" in out
    assert "A product of u = x^2 and v = sin(x)" in out
    assert "Rule: (u v)' = u' v + u v'" in out
    # a compact leaf: one line, rule title not repeated in the sentence
    assert "1.1. Power rule: d/dx [x^2] = 2x -- Bring the exponent 2 down and lower it by one." in out
    # a leaf whose sentence only restates its header shows just the header
    assert "1.2. Trigonometric function: d/dx [sin(x)] = cos(x)\n" in out
    assert "The derivative of sin(x) is cos(x)" not in out


def test_let_is_shown_unless_the_sentence_introduces_it():
    told = render(diff_result(steps=(chain_tree(mention_let=True),)), "plain")
    assert told.count("u = x^2") == 1
    untold = render(diff_result(steps=(chain_tree(mention_let=False),)), "plain")
    assert "Let u = x^2." in untold
    rich = render(diff_result(steps=(chain_tree(mention_let=False),)), "rich", color=False)
    assert "let u = x^2" in rich
    md = render(diff_result(steps=(chain_tree(mention_let=False),)), "markdown")
    assert "Let $u = x^{2}$." in md


def test_step_parts_reading_rules():
    p = step_parts(power_leaf())
    assert p.title == "Power rule" and p.compact and p.formula is None
    assert p.why[0] == "Bring the exponent "
    assert step_parts(sin_leaf()).why == ()
    root = step_parts(product_tree())
    assert not root.compact and root.formula == "(u·v)' = u'·v + u·v'"
    assert root.lhs == derivative(x**2 * sp.sin(x), x)
    rewrite = Step("rewrite", sp.sqrt(x), x, sp.Pow(x, sp.Rational(1, 2), evaluate=False),
                   Reason.of("root_as_power", expr=sp.sqrt(x), var=x, n=sp.Rational(1, 2)))
    assert step_parts(rewrite).lhs == sp.sqrt(x)  # a rewrite is expr = result, no d/dx
    assert ("1. Rewrite: sqrt(x) -- Write the square root as a power: sqrt(x) = x^(1/2)."
            in render(diff_result(steps=(rewrite,)), "plain"))


def test_no_steps_still_shows_the_result():
    out = render(diff_result(steps=()), "plain")
    assert "Steps" not in out and "Result: d/dx [x^2 sin(x)]" in out


def test_first_principles_view():
    out = render(first_principles_result(), "plain")
    assert "from first principles" in out
    assert "Definition: f'(x) = lim(h -> 0) (f(x + h) - f(x))/h" in out
    for label in ("1. Difference quotient", "2. Expand the numerator", "3. Divide by h",
                  "4. Limit as h -> 0"):
        assert label in out
    assert "Every remaining term has a factor h." in out
    assert "Result: d/dx [x^2] = 2x" in out and "At x = 5: 10" in out
    latex = render(first_principles_result(), "latex")
    assert r"\lim_{h \to 0} \frac{f(x + h) - f(x)}{h}" in latex


def test_equiv_views():
    yes = render(equiv_result(True), "plain")
    assert "YES - Equivalent." in yes and "read as sin(x)^2 + cos(x)^2" in yes
    assert "Method: evaluation at points across scales" in yes
    assert "A: sin x^2 read as sin(x)^2" in yes  # the parser's note, for input A
    assert "Note: equal except at x = 1, where A is undefined" in yes
    no = render(equiv_result(False), "plain")
    assert "NO - Not equivalent. At x = -2 the expected value is 2 but the answer gives -2." in no
    und = render(equiv_result(None), "plain")
    assert "UNDECIDED - Could not decide. No symbolic proof within 2 s." in und
    assert "Method" not in und
    rich = render(equiv_result(False), "rich", color=False)
    assert "✘ Not equivalent" in rich


# -- plain and rich: safe, sized, coloured only when asked -----------------------------------
@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_plain_is_ascii_without_colour_or_boxes(name):
    out = render(ALL_RESULTS[name](), "plain", width=80)
    assert not ANSI.search(out) and not BOX.search(out)
    assert out.isascii()


@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_rich_without_colour_has_no_escapes(name):
    out = render(ALL_RESULTS[name](), "rich", width=80, color=False)
    assert "\x1b" not in out


def test_rich_with_colour_has_ansi_styles():
    out = render(diff_result(), "rich", width=80, color=True)
    assert ANSI.search(out)
    plain_again = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert plain_again == render(diff_result(), "rich", width=80, color=False)


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("fmt", ["plain", "rich"])
@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_lines_fit_the_width(name, fmt, width):
    out = render(ALL_RESULTS[name](), fmt, width=width, color=False)
    too_long = [line for line in lines(out) if len(line) > width]
    assert not too_long, too_long
    assert not [line for line in lines(out) if line != line.rstrip()]  # no trailing blanks


def test_rich_shows_maths_in_learner_notation_and_matrices_as_grids():
    out = render(diff_result(), "rich", width=80, color=False)
    assert "Result: d/dx [x^2 sin(x)] = x^2 cos(x) + 2x sin(x)" in out  # as plain writes it
    assert "⋅" not in out
    grid = render_blocks([Math(("J",), sp.Matrix([[1, x], [x**2, 0]]))], "rich", color=False)
    assert grid.splitlines()[1:] == ["  ⎡  1  x⎤", "  ⎣x^2  0⎦"]


def test_rich_wraps_a_wide_equation_without_cutting_it():
    f = sum(sp.sin(k * x) * x**k for k in range(1, 6))
    r = diff_result(expr=f, steps=(), raw=sp.diff(f, x), result=sp.diff(f, x))
    out = render(r, "rich", width=60, color=False)
    assert all(len(line) <= 60 for line in lines(out))
    assert "…" not in out and "= 5x^5 cos(5x) + 5x^4 sin(5x)" in out


def test_rich_step_tree_uses_guides_and_rule_titles():
    out = render(diff_result(), "rich", width=80, color=False)
    assert "Product rule  d/dx [x^2 sin(x)] = x^2 cos(x) + 2x sin(x)" in out
    assert "├── Power rule  d/dx [x^2] = 2x" in out
    assert "└── Trigonometric function  d/dx [sin(x)] = cos(x)" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_user_text_never_crashes_or_escapes(fmt):
    r = diff_result(input=reading(HOSTILE, "x^2*sin(x)", notes=(HOSTILE,)))
    out = render(r, fmt, width=80, color=True)
    assert "\x1b[31m" not in out and "\u202e" not in out and "\x07" not in out or fmt == "json"


def test_hostile_text_is_shown_literally_in_rich_and_plain():
    r = diff_result(input=reading(HOSTILE, "x^2*sin(x)"))
    for fmt, color in (("rich", False), ("rich", True), ("plain", False)):
        out = render(r, fmt, width=200, color=color)
        visible = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert "[/]\\x1b[31mred[bold]" in visible  # markup-like text kept, ESC made visible
        assert "\\u202e\\x07" in visible


def test_clean_makes_control_characters_visible():
    assert clean("a\x1b[0mb\tc\nd\u202e") == "a\\x1b[0mb c d\\u202e"
    assert clean("θ [x, 1]") == "θ [x, 1]"


def test_markup_like_reading_and_notes_in_equiv():
    r = EquivResult(reading("[red]x[/red]", "x"), reading("[/]", "x"), x, x, True, "structural",
                    notes=("[bold]not markup[/bold]",))
    out = render(r, "rich", color=True)
    assert "[red]x[/red]" in out and "[/]" in out and "[bold]not markup[/bold]" in out


# -- LaTeX ---------------------------------------------------------------------------------------
def _unescaped(text, ch):
    return len(re.findall(r"(?<!\\)" + re.escape(ch), text.replace("\\\\", "")))


def check_latex(text):
    """Balanced braces, $ pairs and environments properly nested, enumerate at most 4 deep."""
    body = text.replace("\\\\", "")  # line breaks
    body = re.sub(r"\\[{}$%&#_]", "", body)  # escaped specials
    assert body.count("{") == body.count("}"), "unbalanced braces"
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert body.count("$") % 2 == 0, "unpaired $"
    stack, deepest = [], 0
    for kind, env in re.findall(r"\\(begin|end)\{(\w+\*?)\}", body):
        if kind == "begin":
            stack.append(env)
            deepest = max(deepest, stack.count("enumerate"))
        else:
            assert stack and stack.pop() == env, f"\\end{{{env}}} closes the wrong environment"
    assert not stack
    assert deepest <= 4
    assert body.count(r"\[") == body.count(r"\]")


@pytest.mark.parametrize("name", sorted(ALL_RESULTS))
def test_latex_is_well_formed(name):
    out = render(ALL_RESULTS[name](), "latex")
    check_latex(out)
    doc = latex_document(out)
    assert doc.startswith("\\documentclass{article}")
    assert "\\usepackage{amsmath}" in doc
    assert doc.rstrip().endswith("\\end{document}")
    assert doc.index("\\begin{document}") < doc.index(out.strip()[:30])
    check_latex(doc)


def test_latex_deep_tree_keeps_every_step_within_four_levels():
    tree = deep_tree(7)
    out = render(diff_result(steps=(tree,)), "latex")
    check_latex(out)
    assert out.count(r"\item") == len(list(tree.walk()))
    assert r"\item[1.2.2.2.1.]" in out or r"\item[1.2.2.2.2.]" in out


def test_latex_steps_and_escaping():
    out = render(diff_result(input=reading(HOSTILE, "x^2*sin(x)")), "latex")
    check_latex(out)
    assert r"\item \textbf{Product rule}: $\frac{d}{d x}\bigl[ x^{2} \sin{\left(x \right)} \bigr]" in out
    assert r"\$\textbackslash{}\_\{\}\%\#\&\textasciitilde{}\textasciicircum{}" in out
    assert "\x1b" not in out and "\\x1b" in out.replace(r"\textbackslash{}", "\\")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_latex_document_compiles_with_pdflatex(tmp_path):
    hostile = diff_result(input=reading(HOSTILE + " θ é 中", "x^2*sin(x)", notes=(HOSTILE,)))
    body = "".join(render(ALL_RESULTS[n](), "latex") for n in sorted(ALL_RESULTS))
    body += render(hostile, "latex") + render_blocks(all_blocks(), "latex")
    (tmp_path / "doc.tex").write_text(latex_document(body), encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "doc.pdf").exists()


def test_latex_math_helpers():
    assert latex_math(derivative(x**2, x)) == r"\frac{d}{d x}\left[ x^{2} \right]"
    assert latex_math(derivative(x**2, x), inline=True) == r"\frac{d}{d x}\bigl[ x^{2} \bigr]"
    assert latex_math(derivative(x * y, x, x)).startswith(r"\frac{\partial^{2}}{\partial x^{2}}")
    assert latex_math(equation(x, y)) == "x = y"


# -- Markdown -----------------------------------------------------------------------------------
def test_markdown_steps_are_nested_numbered_lists_with_math():
    out = render(diff_result(), "markdown")
    assert "1. **Product rule:** $\\frac{d}{d x}\\bigl[ x^{2} \\sin{\\left(x \\right)} \\bigr]" in out
    assert "\n   1. **Power rule:** $\\frac{d}{d x}\\bigl[ x^{2} \\bigr] = 2 x$" in out
    assert "\n   2. **Trigonometric function:**" in out
    assert "\n$$\n" in out  # displayed result
    assert "**Input:** `x^2 sin(x)`" in out
    for line in lines(out):  # inline maths is paired on every line
        assert line.replace("\\$", "").count("$") % 2 == 0, line


def test_markdown_escapes_user_and_generated_text():
    r = diff_result(input=reading("a`b*c", "x^2*sin(x)", notes=("*not* [a](b) _x_ | $y$ &amp;",)))
    out = render(r, "markdown")
    assert "``a`b*c``" in out  # the typed text as a code span
    # brackets as entities: "\[" would open display maths for MathJax
    assert r"\*not\* &#91;a&#93;(b) \_x\_ \| \$y\$ \&amp;" in out
    first = render(diff_result(input=reading("x", "x", notes=("1. # not a list",))), "markdown")
    assert r"> **Note:** 1\. # not a list" in first  # could start a list: escaped
    note = EquivResult(reading("x", "x", False), reading("x", "x", False), x, x, True, "structural",
                       notes=("# heading?",))
    assert "> **Note:** \\# heading?" in render(note, "markdown")


# -- the blocks themselves (what later commands will use) --------------------------------------
def all_blocks():
    return [
        Heading("Gradient descent"),
        Heading("Iterations", level=2),
        Paragraph(("Start at ", x, " = ", sp.Integer(1), " with rate ", sp.Rational(1, 10), ".")),
        Fields((("Function", (Verbatim("x^2 | [y]"),)), ("Rate", (sp.Float(0.1),)))),
        Math(("Gradient",), sp.Matrix([[2 * x, 2 * y]])),
        Formula("Update", "x ← x − η·∇f(x)", r"x \leftarrow x - \eta \nabla f(x)"),
        StepTree(product_tree(), ("Why ", derivative(x**2 * sp.sin(x), x))),
        Numbered((Item("Start", x), Item("Step", None, ("no expression",)))),
        Table(("n", "x", "f(x)"), ((sp.Integer(0), sp.Integer(1), sp.Integer(1)),
                                   ("1", sp.Rational(4, 5), (sp.Rational(16, 25),)),
                                   (("a|b",), x**2, "[/]"))),
        Note(("Converged after ", sp.Integer(2), " steps.",)),
        Note(("Diverging!",), warning=True),
        Verdict(True, "Converged"),
        Verdict(None, "Undecided", ("maybe",)),
    ]


@pytest.mark.parametrize("fmt", ["plain", "rich", "latex", "markdown"])
def test_every_block_renders_in_every_format(fmt):
    out = render_blocks(all_blocks(), fmt, width=60, color=False)
    assert "Gradient descent" in out and "Converged" in out
    if fmt == "latex":
        check_latex(out)
        assert r"\begin{tabular}{lll}" in out
    if fmt == "markdown":
        assert "| n | x | f\\(x\\) |" in out or "| n | x | f(x) |" in out
        assert "a\\|b" in out and "&#91;/&#93;" in out
    if fmt in ("plain", "rich"):
        assert all(len(line) <= 60 for line in lines(out))


def test_plain_table_is_aligned():
    out = render_blocks([Table(("n", "value"), ((sp.Integer(1), x**2), (sp.Integer(10), "abc")))],
                        "plain")
    assert lines(out) == ["n   value", "--  -----", "1   x^2", "10  abc"]


def test_warning_note_and_verdicts_in_plain():
    out = render_blocks(all_blocks(), "plain", width=80)
    assert "Warning: Diverging!" in out
    assert "YES - Converged." in out and "UNDECIDED - Undecided. maybe" in out


def test_one_line_notation():
    assert one_line(equation(derivative(x**2, x), 2 * x)) == "d/dx [x^2] = 2x"
    assert operator_text(derivative(sp.exp(x * y), x, y)) == "∂²/∂y∂x"
    assert operator_text(derivative(sp.exp(x * y), x, y), unicode=False) == "∂^2/∂y ∂x"
    assert operator_text(derivative(x**3, x, x, x)) == "d³/dx³"
    assert one_line(sp.Limit(x / h, h, 0), unicode=False) == "lim(h -> 0) [x/h]"
    assert one_line(sp.Matrix([[2 * x, y]])) == "[2x, y]"
    assert one_line(sp.Matrix([[1, x], [x**2, 0]])) == "[[1, x], [x^2, 0]]"
    assert one_line(sp.Float(3.0)) == "3.0"  # not 3.00000000000000


# -- the 2-D pretty print ---------------------------------------------------------------------
# calctutor lays out products itself (SymPy's _print_Mul imports sympy.physics.units, 0.23 s);
# the picture must be SymPy's exactly.
@settings(max_examples=150, deadline=None)
@given(expressions(3), st.sampled_from([24, 60, 100]), st.booleans())
def test_pretty_print_is_sympys(expr, width, unicode):
    from calctutor.notation import to_pretty

    for e in (expr, sp.Derivative(expr, x), sp.Eq(expr, -expr / 3)):
        assert to_pretty(e, width, unicode) == sp.pretty(e, use_unicode=unicode,
                                                        num_columns=width), e


def test_pretty_print_of_unevaluated_products_is_sympys():
    from calctutor.notation import to_pretty

    for e in (sp.Mul(2, x, evaluate=False), sp.Mul(-1, x, y, evaluate=False),
              sp.Mul(sp.S.One, x, evaluate=False), sp.Mul(x, 3, sp.Rational(1, 2), evaluate=False),
              sp.Matrix([[x * y, 2 / x], [x / 3, -y * x**-2]])):
        assert to_pretty(e, 80) == sp.pretty(e, num_columns=80), e


def test_rich_output_does_not_load_physics():
    # the point of the printer above, checked in a fresh process
    import sys

    code = ("from calctutor.topics.diff.run import run_diff\nfrom calctutor.render import render\n"
            "r = run_diff('x^2 sin(x)/(3x)')\n"
            "assert render(r, 'rich', width=80, color=True)\n"
            "import sys; print('sympy.physics' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
