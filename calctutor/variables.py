"""Choosing variables: declared ones, or the free symbols in alphabetical order."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import sympy

from calctutor.errors import UsageError
from calctutor.notation import to_text
from calctutor.symbols import make_symbol


def _natural_key(sym: sympy.Symbol):
    # x2 before x10, and a before b
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", sym.name)]


def free_variables(exprs: sympy.Expr | Iterable[sympy.Expr]) -> list[sympy.Symbol]:
    """The free symbols of one or several expressions, in alphabetical (natural) order."""
    if isinstance(exprs, sympy.Basic):
        exprs = [exprs]
    found: set[sympy.Symbol] = set()
    for e in exprs:
        found |= {s for s in e.free_symbols if isinstance(s, sympy.Symbol)}
    return sorted(found, key=_natural_key)


def symbols_for(names: Sequence[str], positive: bool = False) -> list[sympy.Symbol]:
    """The symbols for declared variable names (same assumptions as the parser's)."""
    return [make_symbol(n, positive) for n in names]


def diff_variables(
    expr: sympy.Expr, names: Sequence[str], order: int | None, positive: bool = False
) -> tuple[sympy.Symbol, ...]:
    """The successive variables of a derivative from ``--var`` names and ``--order``.

    No names: the expression's only variable (an error asks which when there are several).
    One name and ``order`` N: that variable N times. Several names: mixed partials in order.
    """
    if order is not None and order < 1:
        raise UsageError(f"--order must be at least 1 (got {order})")
    if order is not None and order > 20:
        raise UsageError(f"--order {order} is too high (the limit is 20)")
    if len(names) > 1 and order not in (None, 1):
        raise UsageError(
            "--order repeats a single variable; with several --var, list each "
            "differentiation instead (e.g. --var x --var x --var y)"
        )
    if names:
        syms = symbols_for(names, positive)
        present = {s.name for s in expr.free_symbols}
        absent = [s.name for s in syms if s.name not in present]
        if absent and present:
            listed = ", ".join(sorted(present))
            raise UsageError(
                f"the variable {absent[0]} does not appear in the expression (its variables: "
                f"{listed}); a derivative with respect to {absent[0]} would be 0 (check --var)")
    else:
        free = free_variables(expr)
        if len(free) > 1:
            listed = ", ".join(s.name for s in free)
            raise UsageError(
                f"the expression has several variables ({listed}): say which to "
                f"differentiate with, e.g. --var {free[0].name}"
            )
        syms = free or [make_symbol("x", positive)]
    if len(syms) == 1 and order:
        syms = syms * order
    return tuple(syms)


def check_point(point: dict, needed: Iterable[sympy.Symbol], what: str = "the point") -> None:
    """Raise a UsageError when ``point`` gives no value for one of ``needed``."""
    missing = [s for s in needed if s not in point]
    if missing:
        names = ", ".join(to_text(s) for s in missing)
        raise UsageError(f"{what} gives no value for {names} (add it, e.g. --at {missing[0]}=1)")
