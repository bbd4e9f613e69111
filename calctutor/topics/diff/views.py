"""The views of ``calctutor diff``: the rule-by-rule steps, or the first-principles working."""

from __future__ import annotations

from calctutor.notation import to_text
from calctutor.render.doc import (
    Document,
    Formula,
    Heading,
    Item,
    Math,
    Numbered,
    Paragraph,
    Segments,
    StepTree,
    derivative,
    equation,
)
from calctutor.render.inline import ordinal
from calctutor.render.views import input_fields, point_segments, register, sentence
from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult


def _names(symbols) -> str:
    names = [to_text(s) for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# -- diff ----------------------------------------------------------------------------------
def _diff_heading(result: DiffResult) -> str:
    vs = result.variables
    if len(set(vs)) > 1:
        order = ", then ".join(to_text(v) for v in vs)
        return f"Mixed partial derivative with respect to {order}"
    kind = "partial derivative" if result.constants else "derivative"
    if len(vs) > 1:
        kind = f"{ordinal(len(vs))} {kind}"
    return f"{kind[0].upper()}{kind[1:]} with respect to {to_text(vs[0])}"


@register(DiffResult)
def diff_view(result: DiffResult) -> Document:
    """Heading, input, what is held constant, one step tree per differentiation, result."""
    doc: Document = [Heading(_diff_heading(result))]
    doc += input_fields(result.input, result.expr)
    if result.constants:
        verb = "is" if len(result.constants) == 1 else "are"
        doc.append(Paragraph((f"A partial derivative: {_names(result.constants)} {verb} held "
                              f"constant, treated like a number.",)))
    trees = result.steps
    for k, step in enumerate(trees):
        title: Segments = ("Steps",)
        if len(trees) > 1:
            what = "differentiate" if k == 0 else "differentiate the result"
            title = (f"Step {k + 1} of {len(trees)}: {what} with respect to ", step.var)
        doc.append(StepTree(step, title))
        nxt = trees[k + 1].expr if k + 1 < len(trees) else None
        if nxt is not None and nxt != step.result:
            # the next differentiation starts from the tidied form: say where it comes from
            doc.append(Math(("Simplified, this is",), nxt))
    lhs = derivative(result.expr, *result.variables)
    if result.raw != result.result:
        doc.append(Math(("The rules give",), equation(lhs, result.raw)))
        doc.append(Math(("which simplifies to",), result.result, emphasis=True))
    else:
        doc.append(Math(("Result",), equation(lhs, result.result), emphasis=True))
    doc += value_at_point(result)
    return doc


# -- diff --first-principles ------------------------------------------------------------------
@register(FirstPrinciplesResult)
def first_principles_view(result: FirstPrinciplesResult) -> Document:
    """The definition, each stage of the calculation with its reason, the limit."""
    x, h = to_text(result.var), to_text(result.h)
    doc: Document = [Heading(f"Derivative with respect to {x} from first principles")]
    doc += input_fields(result.input, result.expr)
    doc.append(Formula(
        "Definition",
        f"f'({x}) = lim({h} → 0) (f({x} + {h}) − f({x}))/{h}",
        rf"f'({x}) = \lim_{{{h} \to 0}} \frac{{f({x} + {h}) - f({x})}}{{{h}}}",
    ))
    doc.append(Paragraph((f"The gradient of the chord from {x} to {x} + {h} (rise over run), "
                          f"as the run {h} shrinks to zero. Here f({x}) = ", result.expr, ".")))
    items = tuple(Item(s.label[:1].upper() + s.label[1:], s.expr, (s.why,) if s.why else ())
                  for s in result.stages)
    doc.append(Numbered(items, "Working"))
    doc.append(Math(("Result",), equation(derivative(result.expr, result.var), result.result),
                    emphasis=True))
    doc += value_at_point(result)
    return doc


def value_at_point(result) -> list:
    """"At x = 2: 4", or "At x = 0: undefined" and why (``result.reason``)."""
    if not result.at:
        return []
    if result.value is None and result.reason:
        return [Paragraph(("At ", *point_segments(result.at), ": undefined. ",
                           sentence(result.reason)))]
    return [Math(("At ", *point_segments(result.at)), result.value, emphasis=True)]
