"""The derivative as the ``diff`` command computes it: steps, tidy result, value at a point."""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from calctutor.notation import keep_order
from calctutor.results import Reading
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.evaluate import value_or_reason
from calctutor.steps.first_principles import first_principles
from calctutor.steps.tidy import tidy
from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult


def differentiate(expr: sp.Expr, reading: Reading, variables: Sequence[sp.Symbol],
                  at: dict[sp.Symbol, sp.Expr] | None = None) -> DiffResult:
    """Differentiate successively with respect to ``variables``, with a step tree for each.

    Each differentiation starts from the tidied result of the previous one."""
    keep_order(expr, reading.text)  # the sum rule works the terms in the order typed
    steps = []
    current = expr
    raw = expr
    derivatives = []
    for var in variables:
        tree = diff_steps(current, var)
        steps.append(tree)
        raw = tree.result
        current = tidy(raw)
        derivatives.append(current)
    constants = tuple(sorted((s for s in expr.free_symbols if s not in set(variables)),
                             key=lambda s: s.name))
    point = tuple((at or {}).items())
    value = reason = None
    if at:
        value, reason = value_or_reason(current, dict(point), expr, reading, derivatives)
    return DiffResult(reading, expr, tuple(variables), tuple(steps), raw, current,
                      constants, point, value, reason)


def differentiate_first_principles(expr: sp.Expr, reading: Reading, var: sp.Symbol,
                                   at: dict[sp.Symbol, sp.Expr] | None = None) -> FirstPrinciplesResult:
    """The derivative from the limit definition, stage by stage."""
    h, stages, result = first_principles(expr, var)
    point = tuple((at or {}).items())
    value = reason = None
    if at:
        value, reason = value_or_reason(result, dict(point), expr, reading, [result])
    return FirstPrinciplesResult(reading, expr, var, h, tuple(stages), result, point, value,
                                 reason)
