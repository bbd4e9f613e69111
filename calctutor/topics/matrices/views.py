"""Views of the matrices results (registered with ``calctutor.render.views.register``).

Each reads like a worked solution: the function, what the object is made of, every partial
derivative with the rule it starts with (``--steps``: every rule of every entry), the
assembled vector or matrix, and its value at the point.
"""

from __future__ import annotations

import sympy

from calctutor.render.doc import (
    Document,
    Formula,
    Heading,
    Item,
    Math,
    Note,
    Numbered,
    Paragraph,
    StepTree,
    Table,
)
from calctutor.render.views import input_fields, point_segments, register
from calctutor.steps.model import RULE_TITLES
from calctutor.topics.matrices.compute import (
    Classification,
    Entry,
    GradientResult,
    HessianResult,
    JacobianResult,
    StationaryPoint,
)


def _list(symbols) -> tuple:
    segs: list = []
    for k, s in enumerate(symbols):
        segs += ([", "] if k else []) + [s]
    return tuple(segs)


def _fname(f: str, variables) -> tuple:
    return (f"{f}(", *_list(variables), ")")


def _d1(f: str, var) -> tuple:
    return (f"∂{f}/∂", var)


def _d2(f: str, first, second) -> tuple:
    if first == second:
        return (f"∂²{f}/∂", first, "²")
    return (f"∂²{f}/∂", second, " ∂", first)


def _constants(doc: Document, result) -> None:
    if result.constants:
        verb = "is a constant" if len(result.constants) == 1 else "are constants"
        doc.append(Paragraph((*_list(result.constants), f" {verb}: held fixed like a number in "
                              "every partial derivative.",)))


def _rule_words(entry: Entry) -> tuple:
    """The rule the entry's derivative starts with: its name and general form (a leaf: its
    sentence, which spells the rule out for this very term)."""
    step = entry.step
    title = RULE_TITLES[step.rule]
    if step.substeps and step.formula:
        return (f"{title}, {step.formula}.",)
    if not step.substeps and step.why:
        return step.titled_why
    return (f"{title}.",)


def _entry_items(entries, labels, sources=None, title: str = "") -> Numbered:
    """Entry by entry: the partial derivative, its result, and the rule at the top
    (``sources``: what each entry differentiates, for second partials)."""
    items = []
    for k, (entry, label) in enumerate(zip(entries, labels, strict=True)):
        why: tuple = ()
        if sources is not None:
            what, expr = sources[k]
            why = ("Differentiate ", *what, " = ", expr, " with respect to ", entry.var, ". ")
        why += _rule_words(entry)
        if entry.raw != entry.result:
            why += (" The rules give ", entry.raw, ", which simplifies to this.")
        items.append(Item(_plain(label) + " =", entry.result, why))
    return Numbered(tuple(items), title)


def _plain(label: tuple) -> str:
    """A label of words and symbols as one string (an Item title is plain text)."""
    from calctutor.notation import to_text

    return "".join(s if isinstance(s, str) else to_text(s) for s in label)


def _entry_trees(doc: Document, entries, labels, of: str | None = None) -> None:
    """Every rule of every entry: one step tree each, then the tidied form."""
    for entry, label in zip(entries, labels, strict=True):
        title = (*label, f" (differentiating {of})" if of else "")
        doc.append(StepTree(entry.step, title))
        if entry.raw != entry.result:
            doc.append(Math(("Simplified, this is",), entry.result))


def _entries(doc: Document, result, entries, labels) -> None:
    if result.full_steps:
        _entry_trees(doc, entries, labels)
    else:
        doc.append(_entry_items(entries, labels))


def _value_at(doc: Document, result, label: tuple, value) -> None:
    if result.at:
        doc.append(Math((*label, " at ", *point_segments(result.at)), value, emphasis=True))


def _steps_hint(doc: Document, result) -> None:
    if not result.full_steps:
        doc.append(Note(("add --steps to expand every entry into all of its rules.",)))


# -- gradient ------------------------------------------------------------------------------
@register(GradientResult)
def gradient_view(result: GradientResult) -> Document:
    """f, the definition, each partial derivative, the gradient vector, its value."""
    doc = gradient_blocks(result)
    _steps_hint(doc, result)
    return doc


def gradient_blocks(result: GradientResult, slope: bool = True) -> Document:
    """The gradient worked (``slope``: with a sentence on the steepest slope at the point)."""
    vs = result.variables
    doc: Document = [Heading("Gradient of " + _plain(_fname("f", vs)))]
    doc += input_fields(result.input, result.expr)
    doc.append(Math(("f =",), result.expr))
    doc.append(Formula("Definition", "∇f = (" + ", ".join(f"∂f/∂{_plain((v,))}" for v in vs) + ")",
                       r"\nabla f = \left(" + ", ".join(
                           rf"\frac{{\partial f}}{{\partial {sympy.latex(v)}}}" for v in vs)
                       + r"\right)"))
    doc.append(Paragraph(("Differentiate with respect to each variable in turn, holding the "
                          "others constant.",)))
    _constants(doc, result)
    _entries(doc, result, result.entries, [_d1("f", v) for v in vs])
    doc.append(Math(("∇f =",), sympy.Matrix([list(result.result)]).T, emphasis=True))
    if result.value is not None:
        _value_at(doc, result, ("∇f",), sympy.Matrix([list(result.value)]).T)
        if not slope:
            pass
        elif result.norm is not None and result.norm != 0:
            doc.append(Paragraph(("The steepest slope there is |∇f| = ", result.norm,
                                  ": f increases fastest in the direction of ∇f and decreases "
                                  "fastest in the direction of −∇f.")))
        elif result.norm == 0:
            doc.append(Paragraph(("∇f = 0 there: a stationary point (see hessian --classify).",)))
    return doc


# -- jacobian ------------------------------------------------------------------------------
def _function_names(result: JacobianResult) -> list[str]:
    return ["f"] if len(result.exprs) == 1 else [f"f{i + 1}" for i in range(len(result.exprs))]


@register(JacobianResult)
def jacobian_view(result: JacobianResult) -> Document:
    """The functions, the layout (rows: functions, columns: variables), each entry, J, det J."""
    vs, fs = result.variables, _function_names(result)
    m, n = len(result.exprs), len(vs)
    doc: Document = [Heading(f"Jacobian ({m}×{n})")]
    doc += input_fields(result.input, None)
    for name, f in zip(fs, result.exprs, strict=True):
        doc.append(Math((f"{name} =",), f))
    if m == 1:
        doc.append(Paragraph(("One function: its Jacobian is a row vector, one entry per "
                              "variable (the gradient written as a row).",)))
    else:
        doc.append(Paragraph(("Row i holds the partial derivatives of function i; column j "
                              "those with respect to the j-th variable (", *_list(vs), ").")))
    _constants(doc, result)
    entries = [e for row in result.entries for e in row]
    labels = [_d1(fs[i], e.var) for i, row in enumerate(result.entries) for e in row]
    _entries(doc, result, entries, labels)
    doc.append(Math(("J =",), result.matrix, emphasis=True))
    if result.determinant is not None:
        doc.append(Math(("det J =",), result.determinant, emphasis=True))
        if m == 2 and n == 2:
            doc.append(Paragraph(("The determinant is the factor by which the map scales small "
                                  "areas (for polar coordinates, det J = r).",)))
    if result.value is not None:
        _value_at(doc, result, ("J",), result.value)
        if result.determinant_value is not None:
            _value_at(doc, result, ("det J",), result.determinant_value)
    _steps_hint(doc, result)
    return doc


# -- hessian -------------------------------------------------------------------------------
@register(HessianResult)
def hessian_view(result: HessianResult) -> Document:
    """f, the first partials, each second partial (from the first), H, its value, and the
    stationary points when asked."""
    vs = result.variables
    n = len(vs)
    doc: Document = [Heading(f"Hessian of {_plain(_fname('f', vs))} ({n}×{n})")]
    doc += input_fields(result.input, result.expr)
    doc.append(Math(("f =",), result.expr))
    doc.append(Formula("Definition", "H[i][j] = ∂²f/∂x_j ∂x_i: differentiate the i-th first "
                       "partial with respect to the j-th variable",
                       r"H_{ij} = \frac{\partial^2 f}{\partial x_j\,\partial x_i}"))
    _constants(doc, result)
    doc.append(Heading("First partial derivatives", 2))
    labels1 = [_d1("f", v) for v in vs]
    _entries(doc, result, result.first, labels1)
    doc.append(Heading("Second partial derivatives", 2))
    seconds = [e for row in result.second for e in row]
    labels2 = [_d2("f", vs[i], e.var) for i, row in enumerate(result.second) for e in row]
    if result.full_steps:
        for i, row in enumerate(result.second):
            for e, label in zip(row, labels2[i * n:(i + 1) * n], strict=True):
                doc.append(StepTree(e.step, (*label, " (differentiate ", *_d1("f", vs[i]),
                                             " with respect to ", e.var, ")")))
                if e.raw != e.result:
                    doc.append(Math(("Simplified, this is",), e.result))
    else:
        sources = [(_d1("f", vs[i]), result.first[i].result)
                   for i, row in enumerate(result.second) for _ in row]
        doc.append(_entry_items(seconds, labels2, sources))
    if n > 1:
        if result.symmetric_checked:
            doc.append(Paragraph(("The mixed partials agree (∂²f/∂x∂y = ∂²f/∂y∂x), as they must "
                                  "for a smooth function: H is symmetric.",)))
        else:
            doc.append(Note(("the mixed partials did not simplify to the same form; they are "
                             "equal wherever f is smooth.",)))
    doc.append(Math(("H =",), result.matrix, emphasis=True))
    if result.value is not None:
        _value_at(doc, result, ("H",), result.value)
    if result.classification is not None:
        doc += classification_blocks(result.classification, vs)
    _steps_hint(doc, result)
    return doc


def classification_blocks(c: Classification, variables) -> Document:
    """The system grad f = 0, its solutions, and each point's test."""
    doc: Document = [Heading("Stationary points", 2)]
    doc.append(Paragraph(("Solve ∇f = 0, every first partial derivative zero at once:",)))
    for v, eq in zip(variables, c.equations, strict=True):
        doc.append(Math(_d1("f", v), sympy.Eq(eq, 0, evaluate=False)))
    if not c.points:
        doc.append(Paragraph(("No real stationary points were found.",)))
    else:
        found = "one solution" if len(c.points) == 1 else f"{len(c.points)} solutions"
        doc.append(Paragraph((f"The system has {found}. At each, evaluate H and apply the "
                              "second-derivative test" + (" (det H and f_xx)" if len(variables) == 2
                                                          else " (leading principal minors, "
                                                          "eigenvalue signs)") + ":",)))
        if any(p.closer is not None for p in c.points):
            doc.append(Paragraph(("Where the test is inconclusive (a singular Hessian), look "
                                  "at f itself near the point: along lines through it (the "
                                  "first non-zero derivative along each), its lowest-order "
                                  "terms, and the sign of f − f(p).",)))
        rows = []
        for p in c.points:
            rows.append((_point_tuple(p), p.hessian, *_test_cells(p, len(variables)),
                         _kind_cell(p)))
        header = ("Point", "H there") + (("det H", "f_xx") if len(variables) == 2
                                         else ("minors",)) + ("Kind",)
        doc.append(Table(header, tuple(rows)))
        doc.append(Numbered(tuple(Item(_plain(("At ", *_point_tuple(p))), None,
                                       (_sentence(p.reason),)) for p in c.points)))
        summary: list = []
        for k, p in enumerate(c.points):
            kind = {"saddle": "a saddle point", "degenerate": "a degenerate point (test "
                    "inconclusive)"}.get(p.kind, f"a local {p.kind}")
            if p.strict is False:
                kind += " (not strict)"
            summary += ["; " if k else "", kind, " at ", *_point_tuple(p)]
        doc.append(Paragraph(("In summary: ", *summary, ".")))
    for note in c.notes:
        doc.append(Note((note,), warning="missing" in note or "incomplete" in note))
    return doc


def _kind_cell(p: StationaryPoint) -> str:
    """The kind, marked when it is not strict or was decided by a closer look than H."""
    if p.strict is False:
        return f"{p.kind} (not strict)"
    if p.closer is not None and p.kind != "degenerate":
        return f"{p.kind} (from f)"
    return p.kind


def _point_tuple(p: StationaryPoint) -> tuple:
    if len(p.point) == 1:
        return point_segments(p.point)
    return ("(", *_list([v for _, v in p.point]), ")")


def _test_cells(p: StationaryPoint, n: int) -> tuple:
    if n == 2:
        return (p.det if p.det is not None else "-", p.fxx if p.fxx is not None else "-")
    return ((_list(p.minors) if p.minors else "-"),)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text.startswith(("det", "f_")):  # maths keeps its case
        text = text[:1].upper() + text[1:]
    return text + ("" if text.endswith(".") else ".")


__all__ = ["Entry", "classification_blocks", "gradient_blocks", "gradient_view", "hessian_view",
           "jacobian_view"]

from calctutor.topics.matrices.directional_view import (  # noqa: E402
    DirectionalResult,
    directional_document,
)


@register(DirectionalResult)
def directional_view(result: DirectionalResult) -> Document:
    """gradient --along / --steepest: the gradient, then the direction (its own module)."""
    return directional_document(result)
