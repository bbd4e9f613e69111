"""Views: each result type as a document (a list of blocks from ``render.doc``).

A new result type gets every format by registering one function here::

    @register(GradientResult)
    def gradient_view(result) -> Document:
        return [Heading("Gradient"), Math(("∇f = ",), result.matrix), ...]
"""

from __future__ import annotations

from typing import Callable

import sympy

from calctutor.render.doc import (
    Document,
    Fields,
    Formula,
    Heading,
    Item,
    Math,
    Note,
    Numbered,
    Paragraph,
    Segments,
    StepTree,
    Verbatim,
    Verdict,
    derivative,
    equation,
)
from calctutor.render.inline import ordinal
from calctutor.results import DiffResult, EquivResult, FirstPrinciplesResult, Reading

VIEWS: dict[type, Callable[[object], Document]] = {}

# The views of the other results, one module per area, imported the first time a result of
# that area is rendered (keyed by the module defining the result type): `diff` then never
# imports the calculus of the other commands.
EXTENSIONS = {
    "calctutor.checking.answer": "calctutor.render.views_answer",       # --answer verdicts
    "calctutor.calculus.matrices": "calctutor.render.views_matrices",   # gradient, jacobian, hessian
    "calctutor.calculus.chain": "calctutor.render.views_chain",         # chain
    "calctutor.calculus.backprop": "calctutor.render.views_chain",      # backprop
    "calctutor.calculus.taylor": "calctutor.render.views_series",       # taylor
    "calctutor.calculus.newton": "calctutor.render.views_series",       # newton
    "calctutor.calculus.descent": "calctutor.render.views_optimise",    # descent
    "calctutor.calculus.lagrange": "calctutor.render.views_optimise",   # lagrange
    "calctutor.calculus.fit": "calctutor.render.views_optimise",        # fit
    "calctutor.exercises.model": "calctutor.render.views_drills",       # exercises (worksheets)
    "calctutor.quiz.report": "calctutor.render.views_quiz",             # progress
}


def register(cls: type):
    """Decorator: make the function the view of result type ``cls``."""

    def add(fn):
        VIEWS[cls] = fn
        return fn

    return add


def view(result) -> Document:
    """The document for any registered result (TypeError otherwise: a bug, not user input)."""
    fn = _find(type(result))
    if fn is None:
        import importlib

        for cls in type(result).__mro__:
            if cls.__module__ in EXTENSIONS:
                importlib.import_module(EXTENSIONS[cls.__module__])
        fn = _find(type(result))
    if fn is None:
        raise TypeError(f"calctutor.render has no view for {type(result).__name__}")
    return fn(result)


def _find(cls: type):
    return next((VIEWS[c] for c in cls.__mro__ if c in VIEWS), None)


# -- pieces several views share --------------------------------------------------------------
def input_fields(reading: Reading, expr: sympy.Basic | None) -> list:
    """The input as typed, then "Read as" (and the parser's notes) when the reading differs."""
    rows: list[tuple[str, Segments]] = [("Input", (Verbatim(reading.text),))]
    if reading.differs:
        rows.append(("Read as", _read_as(reading, expr)))
    return [Fields(tuple(rows))] + reading_notes(reading, expr)


def reading_notes(reading: Reading, expr: sympy.Basic | None, prefix: Segments = ()) -> list:
    """The parser's notes, then what the simplification lost: "x^2/x simplifies to x only
    where x ≠ 0; at x = 0 the expression you typed is undefined"."""
    notes = [Note((*prefix, n)) for n in reading.notes]
    if reading.conditions:
        conditions = conditions_segments(reading.conditions)
        if expr is not None:
            said: Segments = (Verbatim(reading.text), " simplifies to ", expr, " only where ",
                              *conditions)
        else:  # several expressions read at once: no single simplified form to name
            said = ("the simplified form of ", Verbatim(reading.text), " hides a condition: it "
                    "needs ", *conditions)
        notes.append(Note((*prefix, *said, "; ", *_where_not(reading.conditions),
                           " the expression you typed is undefined.")))
    return notes


def _read_as(reading: Reading, expr) -> Segments:
    """The reading (``expr`` when given), with the conditions the simplification dropped."""
    shown = (expr,) if expr is not None else (reading.reading,)
    if reading.conditions:
        shown += (" (for ", *conditions_segments(reading.conditions), ")")
    return shown


read_as = _read_as  # for the other views


def condition_segments(condition) -> Segments:
    """One ``domain.Condition`` in learner notation, its expression printed by each format."""
    before, _, after = condition.text(lambda e: "\x00").partition("\x00")
    return tuple(s for s in (before, condition.expr, after) if not isinstance(s, str) or s)


def conditions_segments(conditions) -> Segments:
    """Conditions joined with "and": ``x ≠ 0 and y > 0``."""
    segs: list = []
    for k, c in enumerate(conditions):
        segs += ([" and "] if k else []) + list(condition_segments(c))
    return tuple(segs)


def _where_not(conditions) -> Segments:
    if len(conditions) > 1:
        return ("elsewhere",)
    c = conditions[0]
    if c.kind == "nonzero":
        return ("at" if c.expr.is_Symbol else "where", " ", c.expr, " = 0")
    if c.kind in ("nonnegative", "positive"):
        return ("where ", c.expr, " < 0" if c.kind == "nonnegative" else " ≤ 0")
    return ("elsewhere",)


def point_segments(at) -> Segments:
    """``x = 1, y = 2`` as segments."""
    segs: list = []
    for k, (sym, val) in enumerate(at):
        segs += ([", "] if k else []) + [sym, " = ", val]
    return tuple(segs)


def _names(symbols) -> str:
    names = [str(s) for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# -- diff ----------------------------------------------------------------------------------
def _diff_heading(result: DiffResult) -> str:
    vs = result.variables
    if len(set(vs)) > 1:
        order = ", then ".join(str(v) for v in vs)
        return f"Mixed partial derivative with respect to {order}"
    kind = "partial derivative" if result.constants else "derivative"
    if len(vs) > 1:
        kind = f"{ordinal(len(vs))} {kind}"
    return f"{kind[0].upper()}{kind[1:]} with respect to {vs[0]}"


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
    x, h = str(result.var), str(result.h)
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
                           _sentence(result.reason)))]
    return [Math(("At ", *point_segments(result.at)), result.value, emphasis=True)]


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# -- equiv ---------------------------------------------------------------------------------
METHODS = {
    "structural": "the same expression after SymPy's canonical form",
    "rational-exact": "exact rational arithmetic",
    "constant": "the difference is a constant, evaluated exactly",
    "numeric": "evaluation at points across scales and where the structure changes, "
               "re-checked with accuracy-tracking arithmetic",
    "symbolic": "symbolic simplification of the difference",
    "domain": "the domains of the two expressions, then evaluation where both are defined",
}
HEADLINES = {"proved": "Equivalent (proved)", "tested": "Equal at every point tested",
             "differ": "Not equivalent", "undecided": "Could not decide"}


@register(EquivResult)
def equiv_view(result: EquivResult) -> Document:
    """Both inputs (with readings), the verdict, the method, the evidence and any notes."""
    doc: Document = [Heading("Are these the same function?")]
    rows = []
    for name, reading, expr in (("A", result.a, result.a_expr), ("B", result.b, result.b_expr)):
        read_as = ("  read as ", *_read_as(reading, expr)) if reading.differs else ()
        rows.append((name, (Verbatim(reading.text), *read_as)))
    doc.append(Fields(tuple(rows)))
    doc += [Note((f"{name}: ", n)) for name, r in (("A", result.a), ("B", result.b)) for n in r.notes]
    method = METHODS.get(result.method, result.method)
    verdict = result.verdict or {True: "", False: "differ", None: "undecided"}[result.equivalent]
    headline = HEADLINES.get(verdict, "Equivalent")
    notes = list(result.notes)
    if not verdict:  # a result without a verdict kind: equal, without saying how
        doc.append(Verdict(True, headline, ("A and B are equal wherever A is defined.",)))
    elif verdict in ("proved", "tested"):
        summary = result.summary or "A and B are equal wherever A is defined"
        summary = summary.removeprefix("proved equal: ")
        if verdict == "proved":
            text = "A and B are equal wherever A is defined: " + summary
        else:
            text = summary.removeprefix("equal at every point tested: ")
            text = text[:1].upper() + text[1:]
        doc.append(Verdict(True, headline, (_sentence(text),)))
    elif verdict == "differ":
        doc.append(Verdict(False, headline, (_sentence(result.evidence),)
                           if result.evidence else ()))
    else:
        # without a summary, the method of an undecided check says why it could not decide
        reason = result.summary or result.method.partition("undecided:")[2].strip() or (
            "neither a proof nor a counterexample was found in time")
        notes = [n for n in notes if n != result.summary]
        doc.append(Verdict(None, headline, (_sentence(reason.removeprefix("could not decide: ")),)))
        method = ""
    if method:
        doc.append(Fields((("Method", (method,)),)))
    doc += [Note((n,)) for n in notes]
    return doc
