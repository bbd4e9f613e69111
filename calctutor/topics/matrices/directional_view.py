"""The document of ``gradient --along`` / ``--steepest`` (registered in ``views``): the gradient worked, then the direction
normalised (said, with its length), ∇f · u, and the steepest ascent ∇f/|∇f| with its rate."""

from __future__ import annotations

import sympy

from calctutor.notation import to_text
from calctutor.render.doc import Document, Formula, Heading, Math, Note, Paragraph
from calctutor.render.views import point_segments
from calctutor.topics.matrices.directional import DirectionalResult, is_zero


def _column(values) -> sympy.Matrix:
    return sympy.Matrix([list(values)]).T


def _text(value) -> str:
    """A number as a learner writes it: decimals to 10 significant digits, not 15."""
    value = sympy.sympify(value)
    if value.is_number and value.atoms(sympy.Float):
        try:
            return format(float(value), ".10g")
        except TypeError:
            pass
    return to_text(value)


def _tuple(values) -> str:
    return "(" + ", ".join(_text(v) for v in values) + ")"


def _products(a, b) -> str:
    """``4·(1/√5) + 1·(2/√5)`` as text: the dot product written out, term by term."""
    def factor(x):
        text = _text(x)
        simple = (x.is_number and x >= 0 and (x.is_Integer or x.is_Float)) or x.is_Symbol
        return text if simple else f"({text})"

    return " + ".join(f"{factor(x)}·{factor(y)}" for x, y in zip(a, b, strict=True))


def directional_document(result: DirectionalResult) -> Document:
    """∇f, v and |v| (normalising said), D_u f = ∇f · u, then the steepest ascent."""
    from calctutor.topics.matrices.views import _steps_hint, gradient_blocks

    g = result.gradient
    doc = gradient_blocks(g, slope=False)
    if result.direction is not None:
        doc += _along_blocks(result)
    if g.at:
        doc += _steepest_blocks(result)
    elif result.direction is not None:
        doc.append(Note(("the direction of steepest ascent ∇f/|∇f| and its rate |∇f| change "
                         "from point to point: add --at to find them at one.",)))
    _steps_hint(doc, g)
    return doc


def _along_blocks(result: DirectionalResult) -> Document:
    g, v, u = result.gradient, result.direction, result.unit
    doc: Document = [Heading("Directional derivative along v = " + _tuple(v), 2)]
    doc.append(Formula("Definition", "D_u f = ∇f · u, with u = v/|v| the unit vector along v",
                       r"D_u f = \nabla f \cdot u,\quad u = \frac{v}{|v|}"))
    squares = " + ".join(f"{_text(c)}²" if c.is_Atom and c >= 0 else f"({_text(c)})²"
                         for c in v)
    if is_zero(sympy.simplify(result.length - 1)):
        doc.append(Paragraph((f"v is already a unit vector: |v| = √({squares}) = 1, so u = v.",)))
    else:
        doc.append(Paragraph((f"v is not a unit vector: |v| = √({squares}) = ", result.length,
                              ". The rate of change along a direction must not depend on how "
                              "long v is written, so normalise it: u = v/|v| = "
                              f"{_tuple(v)}/", result.length, ".")))
        doc.append(Math(("u = v/|v| =",), _column(u)))
    if g.at:
        rate = result.value
        doc.append(Paragraph(("At ", *point_segments(g.at), ": ∇f = ", _tuple(g.value),
                              f", so ∇f · u = {_products(g.value, u)} = ", rate, ".")))
        doc.append(Math(("D_u f =",), rate, emphasis=True))
        if result.max_rate is not None and not is_zero(result.max_rate):
            doc.append(Paragraph(("This is |∇f| cos θ, with θ the angle between ∇f and v; it "
                                  "is largest, |∇f|, when v points along ∇f.",)))
    else:
        doc.append(Paragraph(("Dot the gradient with u: ∇f · u = ",
                              _products(g.result, u) + ".")))
        doc.append(Math(("D_u f =",), result.derivative, emphasis=True))
    return doc


def _steepest_blocks(result: DirectionalResult) -> Document:
    g = result.gradient
    doc: Document = [Heading("Steepest ascent", 2)]
    if result.stationary:
        doc.append(Paragraph(("∇f = 0 at ", *point_segments(g.at), ": f is stationary there, "
                              "so every directional derivative is 0 and there is NO direction "
                              "of steepest ascent (see hessian --classify for what kind of "
                              "point it is).",)))
        return doc
    if result.max_rate is None:
        doc.append(Note(("the gradient there depends on the constants, so its length (the "
                         "largest rate) and direction do too.",)))
        return doc
    doc.append(Paragraph(("Along a unit vector u the rate is ∇f · u = |∇f| cos θ: largest when "
                          "u points along ∇f (θ = 0). So f increases fastest in the direction "
                          "of ∇f, normalised:",)))
    doc.append(Math(("∇f/|∇f| =",), _column(result.steepest), emphasis=result.asked == "steepest"))
    squares = " + ".join(f"{_text(c)}²" if c.is_Atom and c >= 0 else f"({_text(c)})²"
                         for c in g.value)
    doc.append(Paragraph((f"The maximum rate of increase is |∇f| = √({squares}) = ",
                          result.max_rate, ".")))
    doc.append(Math(("max rate |∇f| =",), result.max_rate, emphasis=True))
    doc.append(Paragraph(("f decreases fastest along −∇f/|∇f|, at the rate −|∇f|; along a "
                          "direction at right angles to ∇f it does not change at first.",)))
    return doc


__all__ = ["DirectionalResult", "directional_document"]
