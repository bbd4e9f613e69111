"""Views of the optimise results: descent, lagrange and fit as worked solutions.

Registered with ``calctutor.render.views.register``; each returns a list of blocks.
"""

from __future__ import annotations

import sympy as sp

from calctutor.notation import keep_order, prose, segments_of, to_text
from calctutor.render.doc import (
    Document,
    Fields,
    Formula,
    Heading,
    Math,
    Note,
    Paragraph,
    Plot,
    Table,
    Verbatim,
)
from calctutor.render.plot import span
from calctutor.render.views import input_fields, register
from calctutor.topics.optimise.descent import DescentResult, Iterate
from calctutor.topics.optimise.fit import FitResult
from calctutor.topics.optimise.lagrange import LagrangeResult

# Long iteration tables show this many rows at the start and at the end.
HEAD_ROWS, TAIL_ROWS = 12, 6


NOISE = 1e-10  # a float this small relative to the largest number shown is round-off


def noise_floor(values) -> float:
    """Below this a float is shown as 0: ``NOISE`` times the largest finite magnitude among
    ``values`` (numbers or tuples of them). Human formats only; JSON keeps every digit."""
    biggest = 0.0
    for v in values:
        for x in (v if isinstance(v, (tuple, list)) else (v,)):
            try:
                f = abs(float(x))
            except (TypeError, ValueError):
                continue
            if f != float("inf"):
                biggest = max(biggest, f)
    return NOISE * biggest


def num(value, floor: float = 0.0):
    """A table cell for a number: exact values as they are, floats to 6 significant digits
    (a float below ``floor``, round-off such as -9.4e-17, as 0)."""
    value = sp.sympify(value)
    if value.atoms(sp.Float):
        try:
            if abs(float(value)) < floor:
                return "0"
            return format(float(value), ".6g")
        except TypeError:
            return value
    return value


def vector_cell(values, floor: float = 0.0):
    """``(8/5, 1/5)`` as one cell (decimals to 6 significant digits, see ``num``)."""
    values = [sp.sympify(v) for v in values]
    if any(v.atoms(sp.Float) for v in values):
        return "(" + ", ".join(str(num(v, floor)) for v in values) + ")" if len(values) > 1 \
            else str(num(values[0], floor))
    return values[0] if len(values) == 1 else sp.Tuple(*values)


def _rows(items, head=HEAD_ROWS, tail=TAIL_ROWS):
    """The rows to show of a long list, and how many were left out (placed after ``head``)."""
    items = list(items)
    if len(items) <= head + tail + 1:
        return items, 0
    return items[:head] + items[-tail:], len(items) - head - tail


def plot_block(data) -> list:
    """A ``Plot`` block for PlotData (drawn by each format at its width), or nothing."""
    if data is None:
        return []
    ys = [y for _, _, series in (*data.curves, *data.points) for y in series]
    return [Plot(tuple(data.curves), points=tuple(data.points), title=data.title,
                 xlabel=data.xlabel, ylabel=data.ylabel, height=22, ylim=span(ys))]


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
        doc.append(Math(("The gradient",), sp.Eq(grad_lhs, sp.Tuple(*result.gradient),
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
        doc.append(Note((n,), warning=result.diverged or result.stop == "oscillating"
                        or "overshoot" in n or "unbounded" in n))
    final = result.final
    doc += plot_block(result.plot)
    good = "maximum" if up else "minimum"
    reached = ("Converged" if result.status == good
               else "Stopped at a point where the gradient vanishes")
    stop = {
        "gradient": f"{reached} after {final.n} steps: |∇f| < {result.tol:g}.",
        "step": f"{reached} after {final.n} steps: the step became shorter than "
                f"{result.tol:g}.",
        "steps": f"After the {final.n} step{'s' if final.n != 1 else ''} asked for.",
        "max_iter": f"Not converged after {final.n} steps.",
        "diverged": f"Stopped at step {final.n}: the {name} diverges.",
        "oscillating": f"Stopped at step {final.n}: the {name} oscillates without settling.",
        "unbounded": f"Stopped at step {final.n}: f is unbounded along the path.",
        "undefined": f"Stopped at step {final.n}: f is undefined at the next point.",
    }[result.stop]
    doc.append(Paragraph((stop,)))
    label = f"s_{final.n}"
    doc.append(Math(("Final point",), sp.Eq(sp.Symbol(label), _exact_or_rounded(final.point),
                                            evaluate=False), emphasis=True))
    doc.append(Math((f"f there (f(s_{final.n}))",), _round(final.value)))
    if result.stability is not None:
        doc.append(Paragraph(segments_of(prose(result.stability.sentence))))
    kind = result.point_kind
    if kind is not None and not result.warnings:
        doc.append(Paragraph(segments_of(kind.explanation)))
    for w in result.warnings:
        doc.append(Note((w,), warning=True))
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
    # the multiplier's letter: μ when the function has a variable λ of its own
    lam, tex = ("μ", r"\mu") if lams[0].name.startswith("mu") else ("λ", r"\lambda")
    doc.append(Formula(
        "Lagrangian",
        f"L = f − {lam} g" if one else f"L = f − {lam}1 g1 − {lam}2 g2 − …",
        rf"\mathcal{{L}} = f - {tex} g" if one else rf"\mathcal{{L}} = f - \sum_k {tex}_k g_k",
    ))
    doc.append(Paragraph((
        f"At a constrained optimum the contours of f and of the constraint touch, so ∇f = {lam} ∇g "
        "(the multiplier ", lams[0] if one else f"{lam}k", " measures how much), and the point "
        "lies on the constraint. Both conditions together are ∇L = 0, where the multiplier"
        f"{'' if one else 's'} {', '.join(to_text(m) for m in lams)} "
        f"{'is one more unknown' if one else 'are more unknowns'}.",)))
    # f first, then the multiplier terms, as the Lagrangian is defined
    keep_order(result.lagrangian, " - ".join(
        [to_text(result.expr)] + [f"{to_text(m)} ({to_text(g)})"
                                  for m, g in zip(lams, result.constraints, strict=False)]))
    doc.append(Math(("The Lagrangian",), sp.Eq(sp.Symbol("L"), result.lagrangian,
                                                evaluate=False)))
    doc.append(Paragraph(("∇L = 0, one equation per unknown (the last "
                          f"{'one gives' if one else 'ones give'} the constraint back):",)))
    for u, e in zip((*result.variables, *lams), result.equations, strict=True):
        doc.append(Math((f"∂L/∂{to_text(u)} = 0",), sp.Eq(e, 0, evaluate=False)))
    regular = [c for c in result.candidates if c.multipliers]
    if result.system_status == "solved":
        doc.append(Paragraph(("Solving this system exactly gives "
                              f"{len(regular)} candidate{'s' if len(regular) != 1 else ''}.",)))
    for n in result.notes:
        if "numerically" in n or "No stationary" in n or "has no solution" in n:
            doc.append(Note((n,), warning="has no solution" not in n))
    if result.sampling is not None:
        values = [c.numeric_value for c in result.candidates]
        doc.append(Paragraph(("Along the constraint: " + result.sampling.sentence(
            max(values, default=None), min(values, default=None)),)))
    if result.singular_note:
        doc.append(Paragraph(("Where the constraint's gradient vanishes Lagrange's condition "
                              "need not hold, so those points are examined too. ",
                              result.singular_note)))
    # "largest"/"smallest" where the candidates' extreme is not proved to be f's
    unknown = {"max": result.max_witness is None and (
                   result.max_status == "unknown" or not result.complete),
               "min": result.min_witness is None and (
                   result.min_status == "unknown" or not result.complete)}
    largest, smallest = set(result.largest), set(result.smallest)
    rows = []
    floor = noise_floor([n for c in result.candidates
                         for n in (*c.point, *(c.multipliers or ()), c.value)])
    residuals = any(c.residual is not None for c in result.candidates)
    for k, c in enumerate(result.candidates, start=1):
        words = [c.label]
        if unknown["max"] and c in largest:
            words.append("largest")
        if unknown["min"] and c in smallest:
            words.append("smallest")
        if c.numerical:
            words.append("numerical")
        row = (str(k), vector_cell(c.point, floor),
               vector_cell(c.multipliers, floor) if c.multipliers else "—",
               num(c.value, floor))
        if residuals:  # how well a numerical candidate solves ∇L = 0
            row += (format(c.residual, ".1e") if c.residual is not None else "—",)
        rows.append((*row, ", ".join(w for w in words if w)))
    if rows:
        names = ", ".join(to_text(v) for v in result.variables)
        head = ("#", f"({names})", ", ".join(to_text(m) for m in lams), "f")
        head += ("|∇L|",) if residuals else ()
        doc.append(Table((*head, "kind"), tuple(rows), title="Candidates"))
        groups: dict[tuple[str, str], list[str]] = {}
        for k, c in enumerate(result.candidates, start=1):
            if c.reason:
                groups.setdefault((c.kind, c.reason), []).append(f"#{k}")
        reasons = [f"{', '.join(ks)}: {kind}: {why}." for (kind, why), ks in groups.items()]
        if reasons:  # one line per group of candidates, so each verdict reads on its own
            doc.append(Paragraph(("Second-order test along the constraint (the Hessian of L "
                                  "on the tangent space):",)))
            doc += [Paragraph((r,)) for r in reasons]
    for word, status, best, witness, evidence, side in (
            ("maximum", result.max_status, result.largest, result.max_witness,
             result.max_evidence, "above"),
            ("minimum", result.min_status, result.smallest, result.min_witness,
             result.min_evidence, "below")):
        more = "more" if side == "above" else "less"
        if status == "none":
            point = ", ".join(f"{v:.4g}" for v in witness[0])
            example = f"for example ({point}) satisfies the constraint and f = {witness[1]:.4g} there"
            if evidence:
                why = f"{evidence} ({example})."
            elif best:
                why = f"{example}, {more} than at every candidate."
            else:
                why = (f"a {word} would be a candidate, and there is none ({example}).")
            other = "minimum" if word == "maximum" else "maximum"
            tail = (f" The candidate is the {other}." if len(result.candidates) == 1
                    and getattr(result, f"{other[:3]}_status") == "attained" else "")
            doc.append(Paragraph((f"f has no {word} on the constraint: {why}{tail}",)))
            continue
        if not best:
            continue
        if witness is not None:
            point = ", ".join(f"{v:.4g}" for v in witness[0])
            doc.append(Paragraph((
                f"The {'largest' if side == 'above' else 'smallest'} candidate found is not "
                f"the {word}: ({point}) satisfies the constraint and f = {witness[1]:.4g} "
                f"there, {more} than at every candidate. The search may have missed the "
                f"{word}, or f has none.",)))
            continue
        where = " and ".join(_point_text(result.variables, c.point, floor) for c in best)
        big = "Largest" if word == "maximum" else "Smallest"
        if status == "attained" and result.complete:
            label = f"{word.capitalize()} of f" + (" (numerical)" if best[0].numerical else "")
        elif status == "attained":
            label = (f"{big} candidate value of f (f has a {word} on the constraint: this is "
                     "it unless a candidate was missed: see the notes)")
        else:
            label = f"{big} candidate value of f"
        value = best[0].value
        if value.atoms(sp.Float) and abs(float(value)) < floor:
            value = sp.Integer(0)  # round-off (-9.4e-17) where the value is 0
        doc.append(Math((f"{label}, at {where}",), _round(value), emphasis=True))
    for n in result.notes:
        if not ("numerically" in n or "No stationary" in n or "has no solution" in n
                or n == result.singular_note):
            doc.append(Note((n,)))
    return doc


def _point_text(variables, point, floor: float = 0.0) -> str:
    cell = vector_cell(point, floor)
    if isinstance(cell, str):
        return cell
    from calctutor.notation import to_text

    return to_text(cell)


# -- fit ---------------------------------------------------------------------------------
CHI2 = sp.Symbol("χ²")


@register(FitResult)
def fit_view(result: FitResult) -> Document:
    """The data, chi^2, its gradient, the normal equations or the iterations, the fit."""
    d = result.data
    evaluating = result.at is not None
    doc: Document = [Heading("χ² at given parameters" if evaluating else "Least-squares fit")]
    doc += input_fields(result.input, result.model)
    names = ", ".join(p.name for p in result.params)
    cols = f"x = '{d.x_name}', y = '{d.y_name}'" + (f", σ = '{d.sigma_name}'" if d.sigma_name
                                                     else " (no σ column: σ_i = 1)")
    doc.append(Fields((("Data", (f"{d.path}: {d.n} points, columns {cols}",)),
                       ("Parameters", (names,)))))
    if d.sigma_name:
        doc.append(Formula("Chi-squared", "χ² = Σ_i ((y_i − y(x_i; a))/σ_i)²",
                           r"\chi^2 = \sum_i \left(\frac{y_i - y(x_i; a)}{\sigma_i}\right)^2"))
    else:
        doc.append(Formula("Chi-squared", "χ² = Σ_i (y_i − y(x_i; a))²",
                           r"\chi^2 = \sum_i \left(y_i - y(x_i; a)\right)^2"))
    from calctutor.topics.optimise.fit import chi2_gradient_terms

    doc.append(Paragraph(("Its gradient with respect to each parameter a_k is "
                          "∂χ²/∂a_k = −2 Σ_i (y_i − y(x_i; a)) (∂y/∂a_k)(x_i)/σ_i², with:",)))
    for p, dy, term in zip(result.params, result.derivatives, chi2_gradient_terms(result),
                           strict=True):
        doc.append(Math((f"∂y/∂{p.name}",), dy))
        doc.append(Math((f"∂χ²/∂{p.name}",), term))
    if evaluating:
        doc += _at_blocks(result)
    elif result.method == "normal equations":
        doc += _normal_blocks(result)
    elif result.method == "gradient descent":
        doc.append(Paragraph(("Gradient descent on χ²: a ← a − γ ∇χ², with γ = ",
                              num(result.rate), ", from ", vector_cell(result.start), ".")))
        doc += _steps_table(result)
    else:
        doc.append(Paragraph((
            "The model is not linear in its parameters, so χ² is minimised iteratively by "
            "Levenberg-Marquardt (Gauss-Newton steps from the linearised model, damped towards "
            "steepest descent when a step would raise χ²), from ", vector_cell(result.start),
            f": {result.iterations} iterations, "
            f"{'converged' if result.converged else 'not converged'}.")))
    for n in result.notes:
        doc.append(Note((n,), warning="too large" in n or "did not converge" in n
                        or "overshoot" in n or "not the best-fit" in n))
    if not evaluating:
        doc += _data_table(result)
        doc += plot_block(result.plot)
        doc += _fit_values(result)
        dof = d.n - (result.identifiability.rank if result.identifiability
                     else len(result.params))
        k = "r" if result.identifiability else "k"
        if dof > 0:
            doc.append(Paragraph((f"Degrees of freedom N − {k} = {dof}; χ²/(N − {k}) = ",
                                  num(sp.sympify(result.chi2) / dof), "." + (
                                      f" (r = {result.identifiability.rank}: the number of "
                                      "parameter combinations the data determine.)"
                                      if result.identifiability else ""))))
        doc += _python_blocks(result)
    else:
        doc += plot_block(result.plot)
    return doc


def _python_blocks(result: FitResult) -> list:
    """The same fit as the course's labs write it (SciPy / NumPy), as text to copy."""
    from calctutor.topics.optimise.fit_code import python_lines

    lines = python_lines(result)
    if not lines or result.status != "best fit" or not result.show_code:
        return []  # steps that stopped short of the best fit are not what curve_fit returns
    return [Paragraph(("The same fit in Python, as in the course's labs (SciPy's curve_fit "
                       "minimises the same χ²; not run here):",)),
            *(Paragraph((Verbatim(line),)) for line in lines)]


def _fit_values(result: FitResult) -> list:
    """The fitted values, labelled for what they are: best fit only when the run converged
    and the data determine the parameter."""
    out: list = []
    ident = result.identifiability
    if ident is not None:
        text = ident.sentence()
        out.append(Note((text[0].upper() + text[1:],), warning=True))
    if result.status in ("best fit", "undetermined"):
        label, chi_label = "Best fit", "χ² at the best fit"
    else:
        n = result.iterations
        label = f"After {n} step{'s' if n != 1 else ''}"
        if result.status == "not converged":
            label += " (not converged)"
        chi_label = "χ² there"
    for p, v, known in zip(result.params, result.values, result.determined, strict=True):
        if known:
            out.append(Math((f"{label} {p.name}",), _round(v), emphasis=True))
    if ident is not None:
        from calctutor.topics.optimise.fit import combo_text

        for combo, value in ident.determined:
            out.append(Math((f"Best fit {combo_text(combo)}",), _round(value), emphasis=True))
        ended = ", ".join(f"{p.name} = {num(v)}" for p, v, known in zip(
            result.params, result.values, result.determined, strict=True) if not known)
        names = ", ".join(p.name for p in ident.undetermined)
        out.append(Paragraph((f"{names}: not determined by the data (the run ended at {ended}, "
                              "one of many equally good choices).",)))
    out.append(Math((chi_label,), _round(result.chi2)))
    return out


def _at_blocks(result: FitResult) -> list:
    out: list = []
    at = ", ".join(f"{p.name} = {v}" for p, v in zip(result.params, (
        num(v) for v in result.at), strict=True))
    out.append(Paragraph((f"At {at}:",)))
    out += _data_table(result, result.at)
    out.append(Math(("χ²",), _round(result.chi2), emphasis=True))
    for p, g in zip(result.params, result.gradient, strict=True):
        out.append(Math((f"∂χ²/∂{p.name}",), _round(g), emphasis=True))
    if result.steps:
        out.append(Paragraph(("Steepest descent on χ²: a_next = a − γ ∇χ², with γ = ",
                              num(result.rate), ":")))
        out += _steps_table(result)
        last = result.steps[-1]
        out.append(Math((f"After {last.n} step{'s' if last.n != 1 else ''}",),
                        _exact_or_rounded(last.params), emphasis=True))
    return out


def _normal_blocks(result: FitResult) -> list:
    A, N, r = result.design, result.normal_matrix, result.normal_rhs
    p = sp.Matrix(result.params)
    out: list = [Paragraph((
        "The model is linear in its parameters, y = b(x) + Σ_k a_k φ_k(x), so ∇χ² = 0 is a "
        "linear system, the normal equations AᵀWA p = AᵀW(y − b), where row i of the design "
        "matrix A holds ∂y/∂a_k at x_i and W = diag(1/σ_i²).",))]
    if A is not None and A.rows <= 12:
        out.append(Math(("Design matrix A",), _round_matrix(A)))
    if result.offset is not None and result.offset != 0:
        out.append(Math(("b(x), the part without parameters",), result.offset))
    out.append(Math(("AᵀWA",), _round_matrix(N)))
    out.append(Math(("AᵀW(y − b)",), _round_matrix(r)))
    out.append(Math(("Solve AᵀWA p = AᵀW(y − b) for p",),
                    sp.Eq(p, _round_matrix(sp.Matrix(result.values)), evaluate=False)))
    out += _line_by_hand(result)
    return out


def _line_by_hand(result: FitResult) -> list:
    """For a straight line y = m x + c without σ: the sums and the solution by elimination,
    as a learner works it on paper."""
    from calctutor.topics.optimise.fit_code import _polynomial

    d = result.data
    order = _polynomial(result.model, result.x, result.params)
    if order is None or len(order) != 2 or d.sigma is not None or not d.exact:
        return []
    slope, intercept = order
    n = d.n
    sx, sy = sum(d.x), sum(d.y)
    sxx = sum(v * v for v in d.x)
    sxy = sum(u * v for u, v in zip(d.x, d.y, strict=True))
    if n * sxx - sx**2 == 0:
        return []
    m = sp.Rational(n * sxy - sx * sy, n * sxx - sx**2)
    c = (sy - m * sx) / n
    s, i = slope.name, intercept.name

    def v(e):  # a negative number in brackets inside a product
        return f"({sp.sstr(e)})" if e < 0 else sp.sstr(e)

    if list(result.params) == [slope, intercept]:
        shape = "AᵀA = [[Σx², Σx], [Σx, N]] and Aᵀy = [Σxy, Σy]"
    else:
        shape = "AᵀA = [[N, Σx], [Σx, Σx²]] and Aᵀy = [Σy, Σxy]"
    return [Paragraph((
        f"By hand: for a straight line, {shape}, here Σx = {sp.sstr(sx)}, Σx² = "
        f"{sp.sstr(sxx)}, Σy = {sp.sstr(sy)}, Σxy = {sp.sstr(sxy)}, N = {n}. Eliminating {i} "
        f"gives {s} = (N Σxy − Σx Σy)/(N Σx² − (Σx)²) = ({n}·{v(sxy)} − {v(sx)}·{v(sy)})/"
        f"({n}·{v(sxx)} − {v(sx)}²) = {sp.sstr(m)}, then {i} = (Σy − {s} Σx)/N = "
        f"{sp.sstr(c)}.",))]


def _round_matrix(M):
    return M.applyfunc(_round) if any(v.atoms(sp.Float) for v in M) else M


def _steps_table(result: FitResult) -> list:
    names = ", ".join(p.name for p in result.params)
    rows, skipped = _rows(result.steps)
    table = []
    for k, s in enumerate(rows):
        if skipped and k == HEAD_ROWS:
            table.append(("…", f"({skipped} more steps)", "", ""))
        table.append((str(s.n), vector_cell(s.params), num(s.chi2), vector_cell(s.gradient)))
    return [Table(("step", f"({names})", "χ²", "∇χ²"), tuple(table), title="The steps")]


def _data_table(result: FitResult, values=None, limit: int = 15) -> list:
    d = result.data
    if d.n > limit:
        return []
    values = values if values is not None else result.values
    model = result.model.xreplace(dict(zip(result.params, values, strict=True)))
    rows = []
    for k in range(d.n):
        fx = model.xreplace({result.x: d.x[k]})
        fx = sp.Float(sp.N(fx, 15)) if fx.atoms(sp.Float) or not fx.is_Rational else fx
        row = [str(k + 1), num(d.x[k]), num(d.y[k])]
        if d.sigma:
            row.append(num(d.sigma[k]))
        row += [num(fx), num(d.y[k] - fx)]
        rows.append(tuple(row))
    header = ("i", "x_i", "y_i") + (("σ_i",) if d.sigma else ()) + ("y(x_i)", "residual")
    return [Table(header, tuple(rows), title="Data and model")]
