"""``calctutor diff``: parse, choose variables, differentiate with steps."""

from __future__ import annotations

import dataclasses
from typing import Sequence

from calctutor.errors import ParseError, UsageError
from calctutor.parsing import parse_expression, parse_point
from calctutor.topics.diff.compute import differentiate, differentiate_first_principles
from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult
from calctutor.variables import check_point, diff_variables, free_variables


def diff_text(
    text: str,
    var_names: Sequence[str] = (),
    order: int | None = None,
    at: str | None = None,
    positive: bool = False,
    steps: bool = True,
    first_principles: bool = False,
) -> DiffResult | FirstPrinciplesResult:
    """The derivative of ``text`` as the ``diff`` command computes it."""
    parsed = parse_expression(text, variables=var_names, positive=positive)
    expr = parsed.expr
    variables = diff_variables(expr, var_names, order, positive)

    point = None
    if at is not None:
        # positional values ("1,2") follow the declared variables, else alphabetical order
        order_of_point = list(dict.fromkeys(variables)) if var_names else free_variables(expr)
        # a variable the simplification removed (y in x*y/y) may still be given a value
        lost = free_variables([c.expr for c in parsed.reading.conditions])
        for s in free_variables(expr):
            if s not in order_of_point:
                order_of_point.append(s)
        point = _parse_point(at, order_of_point, [s for s in lost if s not in order_of_point],
                             positive)
        check_point(point, free_variables(expr))

    if first_principles:
        if len(set(variables)) != 1 or len(variables) != 1:
            raise UsageError("--first-principles takes one first derivative (no --order, one --var)")
        return differentiate_first_principles(expr, parsed.reading, variables[0], point)

    result = differentiate(expr, parsed.reading, variables, point)
    if not steps:
        result = dataclasses.replace(result, steps=())
    return result


def _parse_point(at: str, variables: list, optional: list, positive: bool) -> dict:
    """The point for ``variables``, with values for ``optional`` ones when it gives them."""
    if optional:
        try:
            return parse_point(at, variables + optional, positive=positive)
        except ParseError:
            pass
    return parse_point(at, variables, positive=positive)


def run_diff(expr: str, var=None, vars=None, order: int | None = None, at=None,
                   positive: bool = False, steps: bool = True, first_principles: bool = False,
                   method: str | None = None) -> DiffResult | FirstPrinciplesResult:
    """The derivative of ``expr`` (the ``diff`` command, its long option names as keywords)."""
    from calctutor.topics.inputs import names_list, point_text

    names = ([var] if isinstance(var, str) else list(var or [])) + names_list(vars)
    first_principles = first_principles or method == "first_principles"
    return diff_text(expr, names, order, point_text(at), positive, steps, first_principles)
