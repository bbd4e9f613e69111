"""The derivative as the ``diff`` command computes it: steps, tidy result, value at a point."""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from calctutor.errors import UsageError
from calctutor.notation import to_text
from calctutor.results import DiffResult, FirstPrinciplesResult, Reading
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.first_principles import first_principles
from calctutor.steps.tidy import tidy


def corner_at(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The argument u of a sign(u) (the derivative of |u|) that is 0 at ``point``: |u| has a
    corner there, so the derivative does not exist although SymPy's sign(0) is 0."""
    for s in expr.atoms(sp.sign):
        arg = s.args[0]
        if arg.free_symbols and arg.xreplace(point) == 0:
            return arg
    return None


def evaluate_at(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``expr`` at ``point``, exact unless the point has floats; an error if undefined there."""
    corner = corner_at(expr, point)
    if corner is not None:
        where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
        raise UsageError(f"the derivative is undefined at {where}: |{to_text(corner)}| has a "
                         f"corner there ({to_text(corner)} = 0), where d/du |u| = sign(u) does "
                         "not hold")
    value = expr.xreplace(point)
    if any(isinstance(v, sp.Float) or v.atoms(sp.Float) for v in point.values()):
        value = value.evalf(15)
    else:
        value = tidy(sp.nsimplify(value) if value.atoms(sp.Float) else value)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is False:
        where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
        raise UsageError(f"the derivative is undefined at {where}")
    return value


def differentiate(expr: sp.Expr, reading: Reading, variables: Sequence[sp.Symbol],
                  at: dict[sp.Symbol, sp.Expr] | None = None) -> DiffResult:
    """Differentiate successively with respect to ``variables``, with a step tree for each.

    Each differentiation starts from the tidied result of the previous one."""
    steps = []
    current = expr
    raw = expr
    for var in variables:
        tree = diff_steps(current, var)
        steps.append(tree)
        raw = tree.result
        current = tidy(raw)
    constants = tuple(sorted((s for s in expr.free_symbols if s not in set(variables)),
                             key=lambda s: s.name))
    point = tuple((at or {}).items())
    value = evaluate_at(current, dict(point)) if at else None
    return DiffResult(reading, expr, tuple(variables), tuple(steps), raw, current,
                      constants, point, value)


def differentiate_first_principles(expr: sp.Expr, reading: Reading, var: sp.Symbol,
                                   at: dict[sp.Symbol, sp.Expr] | None = None) -> FirstPrinciplesResult:
    """The derivative from the limit definition, stage by stage."""
    h, stages, result = first_principles(expr, var)
    point = tuple((at or {}).items())
    value = evaluate_at(result, dict(point)) if at else None
    return FirstPrinciplesResult(reading, expr, var, h, tuple(stages), result, point, value)
