"""Fitting 2-D maths (``notation.to_pretty``) into a terminal width.

SymPy's own line breaking (``num_columns``) chops a wide expression at a column, often in
the middle of a name ("co↪s(x)"). Here a too-wide equation is broken before its "=" and a
too-wide sum between its terms, each piece still SymPy's pretty print; what cannot be
broken that way returns None, and the caller falls back to one line of text.
"""

from __future__ import annotations

from functools import lru_cache

import sympy

from calctutor.notation import to_pretty

UNBROKEN = 10_000  # "as wide as it likes": to see whether a 2-D form fits at all

Art = tuple[list[str], int]  # the lines of a 2-D form and the row of its baseline


def unbroken(expr) -> list[str]:
    """``expr`` in 2-D on as many columns as it likes."""
    if isinstance(expr, sympy.MatrixBase):
        expr = sympy.ImmutableMatrix(expr)  # hashable, printed the same
    return list(_unbroken(expr))


@lru_cache(maxsize=512)  # a layout tries the same pieces more than once
def _unbroken(expr) -> tuple[str, ...]:
    return tuple(_lines(to_pretty(expr, width=UNBROKEN)))


def art(expr) -> Art:
    """``expr`` in 2-D, unbroken, with the row where an operator beside it belongs."""
    lines = unbroken(expr)
    return lines, baseline(expr, len(lines))


def baseline(expr, height: int) -> int:
    """The row of ``expr``'s 2-D form that an "=" or "+" beside it would sit on."""
    if height == 1:
        return 0
    # let SymPy place an "=" beside the expression, and see where it went
    if isinstance(expr, sympy.MatrixBase):
        expr = sympy.ImmutableMatrix(expr)
    marked = unbroken(sympy.Eq(sympy.Symbol("z"), expr, evaluate=False))
    for k, line in enumerate(marked):
        if line.startswith("z = "):
            return k
    return height // 2


def fit(expr, width: int) -> list[str] | None:
    """The 2-D lines of ``expr`` within ``width`` columns, broken only where maths allows."""
    lines = unbroken(expr)
    if _width(lines) <= width:
        return lines
    if isinstance(expr, sympy.Equality):
        left = fit(expr.lhs, width)
        right = _broken(expr.rhs, width - 2, "= ")
        if left is not None and right is not None:
            return left + right
        return None
    if isinstance(expr, sympy.Add):
        return _broken(expr, width, "")
    return None


def _broken(expr, width: int, lead: str) -> list[str] | None:
    """``lead`` + ``expr``, broken between the terms of a sum into rows within ``width``."""
    lines, base = art(expr)
    if _width(lines) + len(lead) <= width:
        return _prefix((lines, base), lead)
    if not isinstance(expr, sympy.Add):
        return None
    pieces: list[tuple[str, Art]] = []
    for k, term in enumerate(expr.as_ordered_terms()):
        if k and term.could_extract_minus_sign():
            pieces.append((" - ", art(-term)))
        else:
            pieces.append((" + " if k else "", art(term)))
    rows: list[str] = []
    row: Art | None = None
    for op, piece in pieces:
        if row is None:
            row = _join(_text(lead), piece)
            continue
        trial = _join(row, _join(_text(op), piece))
        if _width(trial[0]) <= width:
            row = trial
        else:
            rows += row[0]
            row = _join(_text(" " * len(lead) + op.lstrip()), piece)
        if _width(row[0]) > width:
            return None  # one term alone is too wide
    if row is not None:
        rows += row[0]
    return rows if _width(rows) <= width else None


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()] or [""]


def _width(lines: list[str]) -> int:
    return max((len(line) for line in lines), default=0)


def _text(s: str) -> Art:
    return [s], 0


def _prefix(a: Art, lead: str) -> list[str]:
    lines, base = a
    pad = " " * len(lead)
    return [(lead if k == base else pad) + line for k, line in enumerate(lines)]


def _join(a: Art, b: Art) -> Art:
    """Two 2-D forms side by side, their baselines on one row."""
    (la, ba), (lb, bb) = a, b
    above = max(ba, bb)
    below = max(len(la) - ba, len(lb) - bb)
    wa = _width(la)

    def rows(lines, base, w):
        top = [""] * (above - base)
        return [line.ljust(w) for line in top + lines + [""] * (below - (len(lines) - base))]

    joined = [(p + q).rstrip() for p, q in zip(rows(la, ba, wa), rows(lb, bb, 0), strict=True)]
    return joined, above
