"""Views of the series results (registered with ``calctutor.render.views.register``)."""

from __future__ import annotations

import sympy as sp

from calctutor.notation import segments_of, to_text
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
    Verdict,
    derivative,
    equation,
)
from calctutor.render.plot import span
from calctutor.render.views import input_fields, point_segments, register
from calctutor.topics.series.convergence import ConvergenceResult
from calctutor.topics.series.newton import NewtonResult
from calctutor.topics.series.taylor import TaylorResult, shifted


def num(value: float) -> str:
    """A float for a table: 10 significant digits, no noise."""
    if value != value:  # nan
        return "undefined"
    return format(value, ".10g")


def _poly_segments(result: TaylorResult) -> tuple:
    """The polynomial term by term in ascending degree (signs between the terms)."""
    segs: list = []
    for _, t in result.monomials():
        negative = t.could_extract_minus_sign()
        body = -t if negative else t
        if segs:
            segs.append(" − " if negative else " + ")
        elif negative:
            segs.append("−")
        segs += ["(", body, ")"] if body.is_Add else [body]
    return tuple(segs) or (sp.Integer(0),)


def _degree_segments(result: TaylorResult, degree: int) -> tuple:
    segs: list = []
    for _, t in result.monomials(degree):
        negative = t.could_extract_minus_sign()
        if segs or negative:
            segs.append(" − " if negative else " + " if segs else "")
        body = -t if negative else t
        segs += ["(", body, ")"] if body.is_Add else [body]
    return tuple(segs) or (sp.Integer(0),)


def _t_name(result: TaylorResult) -> str:
    args = ", ".join(to_text(v) for v in result.variables)
    return f"T{result.order}({args})"


@register(TaylorResult)
def taylor_view(result: TaylorResult) -> Document:
    """The derivatives, the coefficients, the polynomial, and how good it is."""
    one = len(result.variables) == 1
    about = point_segments(result.at)
    kind = "Linearisation" if result.order == 1 else f"Taylor polynomial of order {result.order}"
    if one and result.at[0][1] == 0:
        kind = "Maclaurin polynomial" + ("" if result.order == 1 else f" of order {result.order}")
        if result.order == 1:
            kind = "Linearisation about 0"
    doc: Document = [Heading(kind if not one or result.at[0][1] == 0 else f"{kind} about "
                             f"{result.variables[0]} = {sp.sstr(result.at[0][1])}")]
    doc += input_fields(result.input, result.expr)
    doc.append(Fields((("About", about),)))
    if result.nonzero is not None:
        doc.append(Paragraph((f"The first {result.nonzero} non-zero terms: the derivatives are "
                              f"taken until {result.nonzero} non-zero coefficients appear "
                              f"(order {result.order}).",)))
    if one:
        doc += _one_variable(result)
    else:
        doc += _several_variables(result)
    name = sp.Function(_t_name(result).split("(")[0])(*result.variables)
    centred = all(a == 0 for _, a in result.at)
    doc.append(Paragraph(("Result: ", name, " = ", *_poly_segments(result))))
    if not centred:
        doc.append(Math(("Multiplied out",), equation(name, sp.expand(result.polynomial)),
                        emphasis=True))
    doc += [Note((n,)) for n in result.notes]
    if result.general_asked:
        doc += _general(result)
    if result.eval_at is not None:
        doc += _evaluations(result)
    if one:
        doc += _quality(result)
    return doc


def _evaluations(result: TaylorResult) -> Document:
    x, at = result.variables[0], result.eval_at
    rows, previous = [], None
    for k, v in result.evaluations:
        change = "" if previous is None else v - previous
        rows.append((str(k), v, num(float(v)), change))
        previous = v
    doc: Document = [Table(("k", f"T_k({sp.sstr(at)})", "decimal", "change from T_(k−1)"), tuple(rows),
                           title=f"Each order's value at {x} = {sp.sstr(at)}")]
    if result.eval_f is not None:
        err = float(result.eval_f) - float(result.evaluations[-1][1])
        doc.append(Paragraph((f"f({sp.sstr(at)}) = ", result.eval_f, f" ≈ {num(float(result.eval_f))}: "
                              f"the error of T{result.order} there is {num(err)}.",)))
    return doc


def _general(result: TaylorResult) -> Document:
    if result.general is None:
        return [Note(("No general term in closed form was found (in time): read the pattern "
                      "off the coefficients in the table.",))]
    n, term, start = result.general
    doc: Document = [Heading("General term", 2)]
    doc.append(Math((f"The term of degree {n.name} (for {n.name} ≥ {start})",), term, emphasis=True))
    x = result.variables[0]
    series = sp.Sum(term, (n, start, sp.oo))
    if start <= result.order + 1:
        lead = sp.Add(*(t for d, t in result.terms if d < start))
        doc.append(Math(("So the series is",), equation(sp.Function("f")(x), lead + series)))
    else:  # the terms of degree order+1 … start−1 are not in the table
        doc.append(Paragraph((f"The terms below degree {start} are not all in the table above: "
                              f"use --order {start - 1} to see every one of them.",)))
    doc.append(Paragraph(("It agrees with every coefficient computed above (and those up to "
                          "degree 11 where they could be computed).",)))
    if result.series is not None and result.series.step > 1:
        from calctutor.topics.series.terms import series_text

        s = result.series
        doc.append(Paragraph((f"With only its non-zero terms: f({x}) = Σ_({s.index.name} = "
                              f"{s.start}..∞) {series_text(s.term())}",)))
    if result.converges:
        doc.append(Paragraph((f"The series {result.converges}.",)))
    return doc


def _one_variable(result: TaylorResult) -> Document:
    x, a = result.variables[0], result.at[0][1]
    base = shifted(x, a)
    doc: Document = [Formula(
        "Taylor's formula",
        "T_n(x) = Σ_{k=0..n} f^(k)(a)/k! · (x − a)^k",
        r"T_n(x) = \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!}\,(x - a)^k")]
    power = (base,) if base.is_Symbol else ("(", base, ")")
    if result.by_limits:
        doc.append(Paragraph(("Differentiate repeatedly, take the limit of each derivative as ", x,
                              " → ", a, " (the formulas are undefined there), divide by k! and "
                              "multiply by ", *power, "^k:")))
    else:
        doc.append(Paragraph(("Differentiate repeatedly, evaluate each derivative at ", x, " = ", a,
                              ", divide by k! and multiply by ", *power, "^k:")))
    rows = []
    for r in result.rows:
        shown = r.derivative if r.derivative is not None else "(not written out)"
        rows.append((str(r.k), shown, r.value, r.coefficient, r.term))
    doc.append(Table(("k", "f^(k)(x)", f"f^(k)({sp.sstr(a)})", "f^(k)(a)/k!", "term"), tuple(rows)))
    return doc


def _several_variables(result: TaylorResult) -> Document:
    xs = result.variables
    doc: Document = []
    delta = sp.Matrix([shifted(v, a) for v, a in result.at])
    if result.order <= 2:
        doc.append(Formula(
            "Taylor's formula", "f(a + h) ≈ f(a) + ∇f(a)·h + (1/2) hᵀ H(a) h",
            r"f(\mathbf{a} + \mathbf{h}) \approx f(\mathbf{a}) + \nabla f(\mathbf{a})\cdot\mathbf{h}"
            r" + \tfrac12\,\mathbf{h}^{\mathsf T} H(\mathbf{a})\,\mathbf{h}"))
    else:
        doc.append(Formula(
            "Taylor's formula", "f(a + h) ≈ Σ_{|α| ≤ n} ∂^α f(a)/α! · h^α",
            r"f(\mathbf{a} + \mathbf{h}) \approx \sum_{|\alpha| \le n}"
            r" \frac{\partial^\alpha f(\mathbf{a})}{\alpha!}\,\mathbf{h}^\alpha"))
    doc.append(Math(("h = x − a",), delta))
    f0 = result.partials[0].value
    doc.append(Math(("f(a)",), f0))
    if result.gradient:
        doc.append(Math(("∇f(a)",), sp.Matrix([list(result.gradient)])))
    if result.hessian:
        doc.append(Math(("H(a)",), sp.Matrix([list(r) for r in result.hessian])))
    if result.order >= 1:
        doc.append(Paragraph(("First-order terms ∇f(a)·h = ", *_degree_segments(result, 1))))
    if result.order >= 2:
        doc.append(Paragraph(("Second-order terms (1/2) hᵀ H(a) h = ",
                              *_degree_segments(result, 2))))
    if result.order >= 3:
        rows = []
        for p in result.partials:
            if sum(p.alpha) < 3:
                continue
            d = derivative(result.expr, *[v for v, k in zip(xs, p.alpha, strict=True)
                                          for _ in range(k)])
            alpha_fact = "·".join(f"{k}!" for k in p.alpha)
            rows.append((d, p.value, alpha_fact, p.term))
        doc.append(Table(("partial derivative", "value at a", "α!", "term"), tuple(rows),
                         title="Higher-order terms, one partial derivative at a time"))
    return doc


def _quality(result: TaylorResult) -> Document:
    doc: Document = [Heading("How good is the approximation?", 2)]
    if result.next_term is not None:
        doc.append(Paragraph(("The next non-zero term is ", result.next_term[1],
                              f" (degree {result.next_term[0]}): near a the error behaves like it.")))
    elif result.next_searched > result.order and not result.notes:
        doc.append(Paragraph((f"No non-zero term found up to degree {result.next_searched}.",)))
    if result.remainder is not None:
        h, m, bound = result.remainder
        n = result.order
        doc.append(Formula(
            "Lagrange remainder",
            f"R_{n}(x) = f^({n + 1})(ξ)/{n + 1}! · (x − a)^{n + 1} for some ξ between a and x",
            rf"R_{{{n}}}(x) = \frac{{f^{{({n + 1})}}(\xi)}}{{{n + 1}!}}\,(x - a)^{{{n + 1}}}"))
        doc.append(Paragraph((f"For |x − a| ≤ {h}: |f^({n + 1})| ≤ {num(m)} there (the largest of "
                              f"201 sampled values), so |R_{n}(x)| <= {num(m)} · {h}^{n + 1}/"
                              f"{n + 1}! ≈ {num(bound)}.",)))
    if result.samples:
        rows = tuple((num(x), num(fx), num(px), num(err)) for x, fx, px, err in result.samples)
        doc.append(Table(("x", "f(x)", "T(x)", "error f − T"), rows,
                         title="The approximation near a"))
    if result.plot:
        if result.curves:
            ylim = span(result.curves[-1][2])  # the range of f itself
            centre = (("f(a)", (float(result.at[0][1]),), (float(result.rows[0].value),)),)
            doc.append(Plot(result.curves, points=centre,
                            title="f and its Taylor polynomials", height=20, ylim=ylim))
    return doc


# -- newton ----------------------------------------------------------------------------------
def _value(v) -> str:
    """A number or a point for the table (a 1-entry point as the bare number)."""
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return _value(v[0])
        return "(" + ", ".join(_value(x) for x in v) + ")"
    if isinstance(v, float):
        return num(v)
    if v is None:
        return "—"
    return to_text(v)


@register(NewtonResult)
def newton_view(result: NewtonResult) -> Document:
    """The update rule, the iteration table, the outcome and what it means."""
    many = len(result.variables) > 1
    goal = "a stationary point" if result.optimise else (
        "a root of the system" if result.system else "a root")
    doc: Document = [Heading(f"Newton's method: {goal}")]
    doc += input_fields(result.input, None)
    start = ", ".join(f"{to_text(v)} = {_value(x)}" for v, x in zip(result.variables, result.start, strict=True))
    rows: list = [("Start", (start,))]
    if result.steps is not None:
        rows.append(("Iterations", (f"exactly {result.steps}",)))
    else:
        rows.append(("Stop when", (f"the correction is below {result.tol:g} (at most "
                                   f"{result.max_iter} iterations)",)))
    doc.append(Fields(tuple(rows)))
    doc += _newton_formula(result, many)
    point = "x" if not many else "(" + ", ".join(to_text(v) for v in result.variables) + ")"
    table = []
    if many and result.optimise:
        header = ("n", point, "f", "∇f", "correction  −H⁻¹∇f")
        for it in result.iterations:
            table.append((str(it.n), _value(it.x), _value(it.value), _value(it.f), _value(it.dx)))
    elif many:
        header = ("n", point, "F(x)", "correction  −J⁻¹F")
        for it in result.iterations:
            table.append((str(it.n), _value(it.x), _value(it.f), _value(it.dx)))
    else:
        step = "−f'/f''" if result.optimise else "−f/f'"
        header = ("n", "x", result.f_label, result.df_label, f"correction  {step}")
        for it in result.iterations:
            table.append((str(it.n), _value(it.x), _value(it.f), _value(it.df), _value(it.dx)))
    doc.append(Table(header, tuple(table), title="Iterations"))
    if result.status in ("steps", "max_iter"):
        # the N steps asked for, or the limit reached: an outcome to report (with the trend
        # the iterates show), not a yes/no verdict
        doc.append(Note((f"{result.headline}: ", *segments_of(result.explanation))))
    else:
        doc.append(Verdict(result.converged, result.headline, segments_of(result.explanation)))
    last = result.root
    label = "Root" if not result.optimise else "Stationary point"
    if not result.converged:
        label = "Last iterate"
    if result.steps is not None:
        label = f"After {len(result.iterations) - 1} iteration" + (
            "s" if len(result.iterations) != 2 else "")
    approx = ""
    if any(isinstance(v, sp.Rational) and not v.is_Integer for v in last):
        approx = " ≈ " + _value(tuple(float(v) for v in last))
    doc.append(Paragraph((f"{label}: {_value(last)}{approx}",)))
    if result.kind:
        doc.append(Paragraph((result.kind_text,)))
    doc += [Note((n,), warning=w) for n, w in result.notes]
    return doc


def _newton_formula(result: NewtonResult, many: bool) -> Document:
    if result.optimise and not many:
        return [Formula("Newton's step for a stationary point", "x_{n+1} = x_n − f'(x_n)/f''(x_n)",
                        r"x_{n+1} = x_n - \frac{f'(x_n)}{f''(x_n)}"),
                Math(("f'(x)",), result.g[0]), Math(("f''(x)",), result.dg[0][0])]
    if result.optimise:
        return [Formula("Newton's step for a stationary point", "x_{n+1} = x_n − H(x_n)⁻¹ ∇f(x_n)",
                        r"\mathbf{x}_{n+1} = \mathbf{x}_n - H(\mathbf{x}_n)^{-1}\,\nabla f(\mathbf{x}_n)"),
                Math(("∇f",), sp.Matrix([list(result.g)])),
                Math(("H",), sp.Matrix([list(r) for r in result.dg]))]
    if many:
        return [Formula("Newton's step for a system", "x_{n+1} = x_n − J(x_n)⁻¹ F(x_n)",
                        r"\mathbf{x}_{n+1} = \mathbf{x}_n - J(\mathbf{x}_n)^{-1}\,F(\mathbf{x}_n)"),
                Math(("F",), sp.Matrix([list(result.g)])),
                Math(("J",), sp.Matrix([list(r) for r in result.dg]))]
    return [Formula("Newton's step", "x_{n+1} = x_n − f(x_n)/f'(x_n)",
                    r"x_{n+1} = x_n - \frac{f(x_n)}{f'(x_n)}"),
            Math(("f'(x)",), result.dg[0][0])]


@register(ConvergenceResult)
def convergence_view(result: ConvergenceResult) -> Document:
    """The series, the ratio test, the radius, each endpoint's series and its test."""
    from calctutor.topics.series.terms import series_text

    x, a = result.variable, result.centre
    u = shifted(x, a)
    s = result.series
    n = s.index.name
    title = "Radius of convergence" if result.asked == "radius" else "Interval of convergence"
    doc: Document = [Heading(f"{title} of the Taylor series" + ("" if a == 0 else
                                                                f" about {x} = {sp.sstr(a)}"))]
    doc += input_fields(result.input, result.expr)
    doc.append(Heading("The series", 2))
    doc.append(Paragraph((f"f({x}) = Σ_({n} = {s.start}..∞) a_{n}, with a_{n} = "
                          f"{series_text(s.term())}",)))
    doc.append(Heading("The ratio test", 2))
    doc.append(Paragraph(("The ratio of consecutive terms: |a_(n+1)/a_n| = ", result.ratio)))
    doc.append(Paragraph(("As n → ∞ it tends to ", result.limit, ".")))
    if result.radius == sp.oo:
        doc.append(Paragraph((f"That limit is 0 < 1 for every {x}: the series converges for "
                              f"every real {x}.",)))
    elif result.radius == 0:
        doc.append(Paragraph((f"That limit is infinite for every {x} ≠ {sp.sstr(a)}: the series "
                              f"converges only at {x} = {sp.sstr(a)}.",)))
    else:
        doc.append(Paragraph(("It is below 1 when |", u, "| < ", result.radius,
                              ": the series converges there and diverges beyond (where the "
                              "limit is above 1).")))
    doc.append(Math(("Radius of convergence",), sp.Eq(sp.Symbol("R"), result.radius),
                    emphasis=True))
    if result.endpoints:
        doc.append(Heading("The endpoints", 2))
        doc.append(Paragraph(("At |", u, "| = ", result.radius, " the limit is exactly 1 and "
                              "the ratio test decides nothing: each endpoint's series is tested "
                              "on its own.")))
        rows = []
        for e in result.endpoints:
            verdict = {True: "converges", False: "diverges", None: "not decided"}[e.converges]
            rows.append((f"{x} = {sp.sstr(e.at)}", series_text(e.term), e.test, verdict))
        doc.append(Table((f"{x}", f"a_{n} there (n ≥ 1)", "test", "verdict"), tuple(rows)))
        for e in result.endpoints:
            doc.append(Paragraph((f"At {x} = {sp.sstr(e.at)}: {e.reason}.",)))
    interval = result.interval_text()
    if interval is None:
        doc.append(Verdict(None, "Interval not decided", (
            "SymPy could not decide every endpoint (see above): only the open interval |",
            u, "| < ", result.radius, " is certain.")))
    else:
        inequality = result.inequality_text()
        text = interval if result.radius in (0, sp.oo) else f"{interval}, that is {inequality}"
        doc.append(Fields((("Interval of convergence", (text,)),)))
    doc += [Note((note,)) for note in result.notes]
    return doc
