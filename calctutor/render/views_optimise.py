"""Views of the optimise results: descent, lagrange and fit as worked solutions.

Registered with ``calctutor.render.views.register``; each returns a list of blocks.
"""

from __future__ import annotations

import sympy as sp

from calctutor.calculus.descent import DescentResult, Iterate
from calctutor.calculus.lagrange import LagrangeResult
from calctutor.render.doc import (
    Document,
    Fields,
    Formula,
    Heading,
    Math,
    Note,
    Paragraph,
    Table,
    Verbatim,
)
from calctutor.render.views import input_fields, register

# Long iteration tables show this many rows at the start and at the end.
HEAD_ROWS, TAIL_ROWS = 12, 6


def num(value):
    """A table cell for a number: exact values as they are, floats to 6 significant digits."""
    value = sp.sympify(value)
    if value.atoms(sp.Float):
        try:
            return format(float(value), ".6g")
        except TypeError:
            return value
    return value


def vector_cell(values):
    """``(8/5, 1/5)`` as one cell (decimals to 6 significant digits)."""
    values = [sp.sympify(v) for v in values]
    if any(v.atoms(sp.Float) for v in values):
        return "(" + ", ".join(str(num(v)) for v in values) + ")" if len(values) > 1 \
            else str(num(values[0]))
    return values[0] if len(values) == 1 else sp.Tuple(*values)


def _column(values) -> sp.Matrix:
    return sp.Matrix(list(values))


def _rows(items, head=HEAD_ROWS, tail=TAIL_ROWS):
    """The rows to show of a long list, and how many were left out (placed after ``head``)."""
    items = list(items)
    if len(items) <= head + tail + 1:
        return items, 0
    return items[:head] + items[-tail:], len(items) - head - tail


def plot_block(text: str | None) -> list:
    """A plot (text from calctutor.render.plot) as a block."""
    if not text:
        return []
    from calctutor.render import doc

    pre = getattr(doc, "Preformatted", None)
    if pre is not None:
        return [pre(text)]
    return [Paragraph((text,))]


# -- descent -----------------------------------------------------------------------------
@register(DescentResult)
def descent_view(result: DescentResult) -> Document:
    """The rule, the gradient, the path as a table, why it stopped, where it ended."""
    up = result.ascent
    name = "ascent" if up else "descent"
    doc: Document = [Heading(f"Gradient {name}")]
    doc += input_fields(result.input, result.expr)
    sign, sign_tex = ("+", "+") if up else ("−", "-")
    doc.append(Formula(
        "Update rule",
        f"s_(n+1) = s_n {sign} γ ∇f(s_n)",
        rf"\mathbf{{s}}_{{n+1}} = \mathbf{{s}}_n {sign_tex} \gamma \nabla f(\mathbf{{s}}_n)",
    ))
    direction = "uphill, along" if up else "downhill, against"
    doc.append(Paragraph((f"Each step moves {direction} the gradient, by the step size "
                          "(rate) γ times the gradient.",)))
    v = result.variables
    if len(v) == 1:
        doc.append(Math(("The derivative",), sp.Eq(sp.Derivative(result.expr, v[0]),
                                                   result.gradient[0], evaluate=False)))
    else:
        grad_lhs = sp.Symbol("∇f")
        doc.append(Math(("The gradient",), sp.Eq(grad_lhs, _column(result.gradient),
                                                 evaluate=False)))
    start = result.iterations[0]
    rule = (f"exactly {result.steps} step{'s' if result.steps != 1 else ''}"
            if result.steps is not None
            else f"until |∇f| < {result.tol:g} or a step is shorter than {result.tol:g} "
                 f"(at most {result.max_iter} steps)")
    doc.append(Fields((
        ("Start", (vector_cell(start.point),)),
        ("Rate", (num(result.rate),) if result.rate.is_Rational else (result.rate,)),
        ("Stopping rule", (rule,)),
        ("Arithmetic", ("exact" if result.exact else "decimals (6 significant digits shown)",)),
    )))
    if result.iterations[1:]:
        first = result.iterations[0]
        g = [result.rate * gi for gi in first.gradient]
        new = [p + (1 if up else -1) * d for p, d in zip(first.point, g, strict=True)]
        doc.append(Paragraph((
            "First step: ∇f", vector_cell(first.point), " = ", vector_cell(first.gradient),
            ", so s_1 = ", vector_cell(first.point), f" {sign} ", num(result.rate), " · ",
            vector_cell(first.gradient), " = ", vector_cell(new), ".")))
    rows, skipped = _rows(result.iterations)
    table_rows = []
    for k, it in enumerate(rows):
        if skipped and k == HEAD_ROWS:
            table_rows.append(("…", f"({skipped} more steps)", "", "", ""))
        table_rows.append(_descent_row(it))
    doc.append(Table(("n", "point s_n", "f(s_n)", "∇f(s_n)", "|∇f|"), tuple(table_rows),
                     title="The path"))
    for n in result.notes:
        doc.append(Note((n,), warning=result.diverged or "overshoot" in n or "unbounded" in n))
    final = result.final
    doc += plot_block(result.plot)
    stop = {
        "gradient": f"Converged after {final.n} steps: |∇f| < {result.tol:g}.",
        "step": f"Converged after {final.n} steps: the step became shorter than {result.tol:g}.",
        "steps": f"After the {final.n} step{'s' if final.n != 1 else ''} asked for.",
        "max_iter": f"Not converged after {final.n} steps.",
        "diverged": f"Stopped at step {final.n}: the {name} diverges.",
        "unbounded": f"Stopped at step {final.n}: f is unbounded along the path.",
        "undefined": f"Stopped at step {final.n}: f is undefined at the next point.",
    }[result.stop]
    doc.append(Paragraph((stop,)))
    label = f"s_{final.n}"
    doc.append(Math(("Final point",), sp.Eq(sp.Symbol(label), _exact_or_rounded(final.point),
                                            evaluate=False), emphasis=True))
    doc.append(Math((f"f there (f(s_{final.n}))",), _round(final.value)))
    return doc


def _round(v):
    v = sp.sympify(v)
    return sp.Float(v, 10) if v.atoms(sp.Float) else v


def _exact_or_rounded(values):
    items = [_round(v) for v in values]
    return items[0] if len(items) == 1 else sp.Tuple(*items)


def _descent_row(it: Iterate):
    return (str(it.n), vector_cell(it.point), num(it.value), vector_cell(it.gradient),
            num(it.norm))


def descent_plot(result: DescentResult) -> str | None:
    """The path over the level sets (two variables) or f per iteration (see render.plot)."""
    return None


# -- lagrange ----------------------------------------------------------------------------
@register(LagrangeResult)
def lagrange_view(result: LagrangeResult) -> Document:
    """L, the system grad L = 0, how it was solved, the candidates, the max and min."""
    doc: Document = [Heading("Constrained optimisation with Lagrange multipliers")]
    doc += input_fields(result.input, result.expr)
    for k, (g, reading) in enumerate(zip(result.constraints, result.constraint_readings,
                                         strict=True), start=1):
        one_g = len(result.constraints) == 1
        label = "Constraint" if one_g else f"Constraint {k}"
        name = "g" if one_g else f"g{k}"
        doc.append(Fields(((label, (Verbatim(reading.text),)),)))
        doc.append(Math((f"that is {name} = 0 with",), sp.Eq(sp.Symbol(name), g, evaluate=False)))
    if result.positive:
        doc.append(Paragraph(("All variables are restricted to positive values.",)))
    lams = result.multipliers
    one = len(lams) == 1
    doc.append(Formula(
        "Lagrangian",
        "L = f − λ g" if one else "L = f − λ1 g1 − λ2 g2 − …",
        r"\mathcal{L} = f - \lambda g" if one else r"\mathcal{L} = f - \sum_k \lambda_k g_k",
    ))
    doc.append(Paragraph((
        "At a constrained optimum the contours of f and of the constraint touch, so ∇f = λ ∇g "
        "(the multiplier ", lams[0] if one else "λk", " measures how much), and the point "
        "lies on the constraint. Both conditions together are ∇L = 0, where the multiplier"
        f"{'' if one else 's'} {', '.join(m.name for m in lams)} "
        f"{'is one more unknown' if one else 'are more unknowns'}.",)))
    doc.append(Math(("The Lagrangian",), sp.Eq(sp.Symbol("L"), result.lagrangian,
                                                evaluate=False)))
    doc.append(Paragraph(("∇L = 0, one equation per unknown (the last "
                          f"{'one gives' if one else 'ones give'} the constraint back):",)))
    for u, e in zip((*result.variables, *lams), result.equations, strict=True):
        doc.append(Math((f"∂L/∂{u.name} = 0",), sp.Eq(e, 0, evaluate=False)))
    if result.method == "exact":
        doc.append(Paragraph(("Solving this system exactly gives "
                              f"{len(result.candidates)} candidate"
                              f"{'s' if len(result.candidates) != 1 else ''}:",)))
    for n in result.notes:
        if "numerically" in n or "No stationary" in n:
            doc.append(Note((n,), warning=True))
    maxima, minima = set(result.maximum), set(result.minimum)
    rows = []
    for k, c in enumerate(result.candidates, start=1):
        kind = ", ".join(w for w, s in (("maximum", maxima), ("minimum", minima)) if c in s)
        rows.append((str(k), vector_cell(c.point), vector_cell(c.multipliers), num(c.value),
                     kind))
    if rows:
        names = ", ".join(v.name for v in result.variables)
        doc.append(Table(("#", f"({names})", ", ".join(m.name for m in lams), "f", ""),
                         tuple(rows), title="Candidates"))
    for label, best in (("Maximum", result.maximum), ("Minimum", result.minimum)):
        if best:
            where = " and ".join(_point_text(result.variables, c.point) for c in best)
            doc.append(Math((f"{label} of f, at {where}",), _round(best[0].value),
                            emphasis=True))
    for n in result.notes:
        if not ("numerically" in n or "No stationary" in n):
            doc.append(Note((n,)))
    return doc


def _point_text(variables, point) -> str:
    cell = vector_cell(point)
    if isinstance(cell, str):
        return cell
    from calctutor.notation import to_text

    return to_text(cell)
