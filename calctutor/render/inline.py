"""Helpers shared by the formats: safe text, one-line maths, and how a step node reads.

``one_line`` only arranges the few structures a view builds itself (an equation, a
derivative operator, a limit) and leaves every actual expression to ``notation.to_text``,
so an expression reads the same in every format.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.printing.conventions import requires_partial

from calctutor.notation import to_latex, to_text
from calctutor.render.doc import Segments, derivative, equation
from calctutor.steps.model import RULE_TITLES, Step
from calctutor.steps.wording import sentence

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def clean(text: str) -> str:
    """``text`` with control characters made visible (``\\x1b``), so it cannot drive a terminal.

    Tabs and newlines become spaces: every segment is printed inside a line.
    """
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif ch.isprintable():
            out.append(ch)
        else:  # escape sequences, bidi overrides, NUL, DEL ...
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def _power(n: int, unicode: bool) -> str:
    if n == 1:
        return ""
    return str(n).translate(_SUPERSCRIPT) if unicode else f"^{n}"


def operator_text(d: sympy.Derivative, unicode: bool = True) -> str:
    """The operator of an unevaluated derivative: ``d/dx``, ``∂²/∂y∂x``, ``d^2/dx^2``."""
    partial = requires_partial(d)
    sym = "∂" if partial else "d"  # plain spells ∂ "del" (see ``plain.ascii_text``)
    counts = list(d.variable_count)
    total = sum(int(n) for _, n in counts)
    # Leibniz order: the last variable differentiated is written first
    den = ("" if unicode else " ").join(
        f"{sym}{to_text(v)}{_power(int(n), unicode)}" for v, n in reversed(counts))
    return f"{sym}{_power(total, unicode)}/{den}"


def one_line(expr, unicode: bool = True) -> str:
    """``expr`` on one line in learner notation (equations and d/dx [..] arranged here)."""
    if isinstance(expr, sympy.Equality):
        return f"{one_line(expr.lhs, unicode)} = {one_line(expr.rhs, unicode)}"
    if isinstance(expr, sympy.Derivative):
        return f"{operator_text(expr, unicode)} [{to_text(expr.expr)}]"
    if isinstance(expr, sympy.MatrixBase):
        # the way learners type vectors and matrices: [a, b] and [[a, b], [c, d]]
        rows = ["[" + ", ".join(one_line(e, unicode) for e in expr.row(i)) + "]"
                for i in range(expr.rows)]
        return rows[0] if expr.rows == 1 else "[" + ", ".join(rows) + "]"
    if isinstance(expr, sympy.Float):
        # a lone float prints all 15 digits ("3.00000000000000"); show it as LaTeX does, 3.0
        return sympy.sstr(expr, full_prec=False)
    if isinstance(expr, sympy.Limit):
        e, z, z0 = expr.args[:3]
        arrow = "→" if unicode else "->"
        return f"lim({to_text(z)} {arrow} {to_text(z0)}) [{to_text(e)}]"
    return to_text(expr)


def latex_operator(d: sympy.Derivative) -> str:
    """The operator of an unevaluated derivative in LaTeX (d/dx, d²/dx², ∂²/∂y∂x as fractions)."""
    sym = r"\partial" if requires_partial(d) else "d"
    counts = list(d.variable_count)
    total = sum(int(n) for _, n in counts)

    def power(n) -> str:
        return "" if int(n) == 1 else f"^{{{int(n)}}}"

    den = r"\,".join(f"{sym} {to_latex(v)}{power(n)}" for v, n in reversed(counts))
    return rf"\frac{{{sym}{power(total)}}}{{{den}}}"


def latex_math(expr, inline: bool = False) -> str:
    """LaTeX for ``expr``, a derivative written ``\\frac{d}{dx}\\left[ … \\right]``.

    ``inline``: brackets of a fixed size (``\\bigl[``), because a ``\\left…\\right`` pair
    is one unbreakable box and a long step would run off the page.
    """
    if isinstance(expr, sympy.Equality):
        return f"{latex_math(expr.lhs, inline)} = {latex_math(expr.rhs, inline)}"
    if isinstance(expr, sympy.Derivative):
        left, right = (r"\bigl[", r"\bigr]") if inline else (r"\left[", r"\right]")
        return rf"{latex_operator(expr)}{left} {to_latex(expr.expr)} {right}"
    return " ".join(to_latex(expr).split())


def colon(label: str) -> str:
    """The ":" between a label and what it labels, unless the label ends in one already."""
    return "" if not label.strip() or label.rstrip().endswith((":", "=", ",")) else ":"


# -- step nodes ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StepParts:
    """What one node of a step tree shows, in reading order, whatever the format.

    The header is ``title``: ``lhs = rhs``; then the ``lets`` the sentence does not already
    introduce, the sentence ``why`` (empty when it only restates the header) and the general
    ``formula``. A ``compact`` node (a leaf) may put its sentence on the header's line.
    """

    title: str
    lhs: sympy.Basic
    rhs: sympy.Basic | None  # None: a rewrite whose two sides print alike (x^(1/2) as sqrt(x))
    lets: tuple[tuple[sympy.Symbol, sympy.Basic], ...]
    why: Segments
    formula: str | None
    compact: bool


def _mentions(why: Segments, expr: sympy.Basic) -> bool:
    return any(isinstance(s, sympy.Basic) and s == expr for s in why)


def step_parts(step: Step) -> StepParts:
    """The format-neutral reading of one ``Step`` node (see ``StepParts``)."""
    title = RULE_TITLES[step.rule]
    lhs = step.expr if step.rule == "rewrite" else derivative(step.expr, step.var)
    leaf = not step.substeps
    why = sentence(step.reason, after_title=True)
    if leaf and step.reason is not None and step.reason.restates_header:
        why = ()  # "The derivative of sin(x) is cos(x)." says what the header line says
    lets = tuple((u, e) for u, e in step.let if not (_mentions(why, u) and _mentions(why, e)))
    formula = step.formula
    if leaf and why and formula:
        formula = None  # a leaf's sentence already spells its rule out; keep it to one line
    rhs = step.result
    if step.rule == "rewrite" and to_text(step.result) == to_text(step.expr):
        rhs = None  # "sqrt(x) = sqrt(x)" would confuse; the sentence says what changed
    elif rhs == lhs:
        rhs = None  # f(u) unknown: its derivative is just written d/du [f(u)]
    return StepParts(title, lhs, rhs, lets, why, formula, compact=leaf)


def header_math(parts: StepParts) -> sympy.Basic:
    """The maths of a node's header: ``lhs = rhs``, or ``lhs`` alone."""
    return parts.lhs if parts.rhs is None else equation(parts.lhs, parts.rhs)


def ordinal(n: int) -> str:
    """first, second, ... tenth, then 11th, 12th, ..."""
    words = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
