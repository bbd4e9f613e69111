"""Views: each result type as a list of document blocks (see ``render.doc``)."""

from __future__ import annotations

import sympy

from calctutor.render.doc import Block, Display, Heading, Note, Numbered, Para, StepTree, Verdict
from calctutor.results import DiffResult, EquivResult, FirstPrinciplesResult, Reading


def reading_blocks(reading: Reading, what: str = "Read as") -> list[Block]:
    """"Read as: ..." and its notes, when the reading differs from the text typed."""
    if not reading.differs:
        return []
    blocks: list[Block] = [Note((reading.reading,), what)]
    blocks += [Note((n,), "Note") for n in reading.notes]
    return blocks


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _diff_heading(result: DiffResult) -> str:
    vs = result.variables
    names = [v.name for v in vs]
    if len(set(names)) == 1:
        what = "derivative" if len(vs) == 1 else f"{_ordinal(len(vs))} derivative"
        partial = "partial " if result.constants else ""
        return f"{partial}{what} with respect to {names[0]}".capitalize()
    return f"Mixed partial derivative with respect to {', then '.join(names)}"


def _point_text(at) -> tuple:
    segs: list = []
    for k, (sym, val) in enumerate(at):
        segs += ([", "] if k else []) + [sym, " = ", val]
    return tuple(segs)


def diff_view(result: DiffResult) -> list[Block]:
    blocks: list[Block] = [Heading(_diff_heading(result))]
    blocks += reading_blocks(result.input)
    blocks.append(Display(("f = ",), result.expr))
    if result.constants:
        names = ", ".join(s.name for s in result.constants)
        verb = "is" if len(result.constants) == 1 else "are"
        blocks.append(Para((f"{names} {verb} held constant.",)))
    many = len(result.steps) > 1
    for k, step in enumerate(result.steps, start=1):
        title = f"Differentiation {k} of {len(result.steps)}: with respect to {step.var}" if many else None
        blocks.append(StepTree(step, title))
    d_label = "Result"
    if result.raw != result.result:
        blocks.append(Display(("The rules give ",), result.raw))
        blocks.append(Display(("which simplifies to ",), result.result))
    else:
        blocks.append(Display((f"{d_label}: ",), result.result))
    if result.at:
        blocks.append(Display(("At ", *_point_text(result.at), ": "), result.value))
    return blocks


def first_principles_view(result: FirstPrinciplesResult) -> list[Block]:
    x, h = result.var, result.h
    blocks: list[Block] = [Heading(f"Derivative with respect to {x} from first principles")]
    blocks += reading_blocks(result.input)
    blocks.append(Display(("f = ",), result.expr))
    blocks.append(Para((f"f'({x}) = lim as {h} → 0 of (f({x} + {h}) - f({x}))/{h}: the gradient of the "
                        f"chord (rise over run) as the run {h} shrinks to zero.",)))
    blocks.append(Numbered(tuple((s.label.capitalize(), s.expr, (s.why,)) for s in result.stages)))
    blocks.append(Display(("Result: ",), result.result))
    if result.at:
        blocks.append(Display(("At ", *_point_text(result.at), ": "), result.value))
    return blocks


def equiv_view(result: EquivResult) -> list[Block]:
    blocks: list[Block] = [Heading("Are these the same function?")]
    blocks.append(Display(("A = ",), result.a_expr))
    blocks += reading_blocks(result.a, "A read as")
    blocks.append(Display(("B = ",), result.b_expr))
    blocks += reading_blocks(result.b, "B read as")
    if result.equivalent is True:
        v = Verdict(True, ("Equivalent", f" (checked by {result.method}).",))
    elif result.equivalent is False:
        v = Verdict(False, ("Not equivalent", f": {result.evidence}." if result.evidence else "."))
    else:
        v = Verdict(None, ("Could not decide", f" ({result.method}).",))
    blocks.append(v)
    blocks += [Note((n,)) for n in result.notes]
    return blocks


VIEWS = {
    DiffResult: diff_view,
    FirstPrinciplesResult: first_principles_view,
    EquivResult: equiv_view,
}


def view(result) -> list[Block]:
    """The blocks for any result object (TypeError for an unknown type: a bug)."""
    for cls, fn in VIEWS.items():
        if isinstance(result, cls):
            return fn(result)
    raise TypeError(f"no view for {type(result).__name__}")


__all__ = ["view", "VIEWS", "sympy"]
