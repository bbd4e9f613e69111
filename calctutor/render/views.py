"""Views: each result type as a document (a list of blocks from ``render.doc``).

A new result type gets every format by registering one function (in the ``views`` module of
the package that defines the result, found by ``view`` when first needed)::

    @register(GradientResult)
    def gradient_view(result) -> Document:
        return [Heading("Gradient"), Math(("∇f = ",), result.matrix), ...]
"""

from __future__ import annotations

from typing import Callable

import sympy

from calctutor.notation import keep_order, products_as_typed, same_as_typed
from calctutor.render.doc import (
    Document,
    Fields,
    Note,
    Segments,
    Verbatim,
)
from calctutor.results import Reading

VIEWS: dict[type, Callable[[object], Document]] = {}

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
        _load_views(type(result))
        fn = _find(type(result))
    if fn is None:
        raise TypeError(f"calctutor.render has no view for {type(result).__name__}")
    return fn(result)


def _load_views(cls: type) -> None:
    """Import the views of ``cls`` where they live by rule: in the ``views`` module of the
    package that defines the result (a topic's, ``exercises``, ``quiz``), or in
    ``render.verdicts`` for the checker's results. Imported the first time such a result is
    rendered, so ``diff`` never imports the other topics (start-up time)."""
    import importlib

    for c in cls.__mro__:
        package = c.__module__.rpartition(".")[0]
        if not package.startswith("calctutor"):
            continue
        name = "calctutor.render.verdicts" if package == "calctutor.checking" else f"{package}.views"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _find(cls: type):
    return next((VIEWS[c] for c in cls.__mro__ if c in VIEWS), None)


# -- pieces several views share --------------------------------------------------------------
def input_fields(reading: Reading, expr: sympy.Basic | None) -> list:
    """The input as typed, then "Read as" (and the parser's notes) when the reading differs."""
    rows: list[tuple[str, Segments]] = [("Input", (Verbatim(reading.text),))]
    keep_order(expr, reading.text)
    if shows_reading(reading):
        rows.append(("Read as", _read_as(reading, expr)))
    return [Fields(tuple(rows))] + reading_notes(reading, expr)


def shows_reading(reading: Reading) -> bool:
    """Whether "Read as" says something: not when the reading only adds product signs
    (``2x sin(x)`` read as 2*x*sin(x) is what was typed)."""
    return reading.differs and bool(reading.notes or reading.conditions
                                    or not same_as_typed(reading.reading, reading.text))


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
    shown = (expr,) if expr is not None else (products_as_typed(reading.reading),)
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


def sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
