"""Gradient, Jacobian and Hessian, entry by entry with the step engine.

Every entry is a partial derivative computed by ``steps.differentiate.diff_steps`` and
tidied by ``steps.tidy.tidy``; each keeps its own step tree (an ``Entry``), so any entry
can be expanded into its verified steps. Course conventions: rows are functions, columns
are variables, and the Jacobian of a scalar function is a row vector (1×n).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy as sp

from calctutor.steps.differentiate import diff_steps
from calctutor.steps.model import Step
from calctutor.steps.tidy import tidy


@dataclass(frozen=True)
class Entry:
    """One partial derivative: d(expr)/d(var) is ``result`` (``raw`` is what the rules
    assembled, ``result`` its tidied form); ``step`` is the verified step tree."""

    expr: sp.Expr
    var: sp.Symbol
    step: Step
    raw: sp.Expr
    result: sp.Expr


def partial(expr: sp.Expr, var: sp.Symbol) -> Entry:
    """The partial derivative of ``expr`` with respect to ``var``, with its steps."""
    step = diff_steps(expr, var)
    return Entry(expr, var, step, step.result, tidy(step.result))


def jacobian_entries(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> tuple[tuple[Entry, ...], ...]:
    """The Jacobian as rows of ``Entry`` (row i = function i, column j = variable j)."""
    return tuple(tuple(partial(f, v) for v in variables) for f in exprs)


def jacobian_matrix(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
                    ) -> tuple[sp.Matrix, tuple[tuple[Step, ...], ...]]:
    """The Jacobian d(exprs)/d(variables) and the step tree of every entry.

    Row i is function i, column j is variable j; one function gives a 1×n row. Entries
    are the tidied results of the step engine, so they match what every command shows.
    """
    rows = jacobian_entries(exprs, variables)
    matrix = sp.Matrix(len(rows), len(variables), [e.result for row in rows for e in row])
    return matrix, tuple(tuple(e.step for e in row) for row in rows)
