"""``calctutor gradient``, ``jacobian`` and ``hessian``: parse, choose variables, compute.

Keyword names are the commands' long option names (``vars`` a list or "x,y"; ``at`` a
dict or "x=1,y=2"), so the exercise bank can call them through ``run_kind``.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from calctutor.errors import ParseError, UsageError
from calctutor.notation import to_text
from calctutor.parsing import parse_expression, parse_expressions, parse_point
from calctutor.results import Reading
from calctutor.topics.matrices.compute import (
    GradientResult,
    HessianResult,
    JacobianResult,
    entry_name,
    jacobian_entries,
    partial,
    stationary_points,
    value_at,
)
from calctutor.variables import free_variables, symbols_for

MAX_VARIABLES = 8    # an 8×8 Hessian is 64 step trees: plenty for a tutor
MAX_FUNCTIONS = 8


def _names(vars_) -> list[str]:
    from calctutor.topics.inputs import names_list

    return names_list(vars_)


def _variables(exprs: Sequence[sp.Expr], names: list[str], positive: bool
               ) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """(variables, constants): the declared variables in order, else the free symbols in
    alphabetical order; any other symbol of the input is a constant, held fixed."""
    free = free_variables(exprs)
    variables = tuple(symbols_for(names, positive)) if names else tuple(free)
    if not variables:
        raise UsageError("the input has no variables: give them with --vars (e.g. --vars x,y)")
    if len(variables) > MAX_VARIABLES:
        raise UsageError(f"too many variables ({len(variables)}; the limit is {MAX_VARIABLES})")
    constants = tuple(s for s in free if s not in variables)
    return variables, constants


def _point(at, variables, constants, positive: bool, parsed=()) -> dict | None:
    """The ``--at`` point: every variable must have a value; constants may stay symbolic.

    Positional values (``1,2``) follow the variables' order. A variable the simplification
    removed (x in x/x, whose conditions still need it) may be given a value too."""
    from calctutor.topics.inputs import point_text

    text = point_text(at)
    if text is None:
        return None
    known = set(variables) | set(constants)
    lost = [s for s in free_variables([c.expr for p in parsed for c in p.reading.conditions])
            if s not in known]
    if lost:
        try:
            return parse_point(text, list(variables) + list(constants) + lost,
                               positive=positive)
        except ParseError:
            pass
    everything = list(variables) + list(constants)
    try:
        return parse_point(text, everything, positive=positive)
    except ParseError as full:
        if not constants:
            raise
        try:
            return parse_point(text, list(variables), positive=positive)
        except ParseError:
            raise full from None


def _reading(parsed) -> Reading:
    return parsed.reading


def _join(text: str, parsed: list) -> Reading:
    shown = ", ".join(p.reading.reading for p in parsed)
    notes = tuple(dict.fromkeys(n for p in parsed for n in p.reading.notes))
    conditions = tuple(dict.fromkeys(c for p in parsed for c in p.reading.conditions))
    return Reading(text, shown, notes, any(p.reading.differs for p in parsed), conditions)


def _scalar(expr: str, names: list[str], positive: bool, command: str):
    """Parse one scalar function; a list is an error naming the command that takes it."""
    parsed = parse_expressions(expr, variables=names, positive=positive)
    if len(parsed) != 1:
        hint = "; for several functions use jacobian" if command != "jacobian" else ""
        raise UsageError(f"{command} takes one scalar function, but the input is a list of "
                         f"{len(parsed)} functions{hint}")
    return parse_expression(expr, variables=names, positive=positive, what="the function")


def _at_values(exprs, point, numeric, names, parsed):
    # parsed: the input each entry derives from (x^2/x at x = 0 has no derivative there)
    return tuple(value_at(e, point, numeric, what=n, function=parsed.expr, reading=parsed.reading)
                 for e, n in zip(exprs, names, strict=True))


def run_gradient(expr: str, vars=None, at=None, numeric: bool = False, positive: bool = False,
                 steps: bool = False, along=None, steepest: bool = False, *, point=None,
                 wrt=None, constants=None):
    """The gradient of the scalar function ``expr`` (each partial with its steps); with
    ``along`` ("1,2": one component per variable) the directional derivative along it, with
    ``steepest`` the direction of steepest ascent at the point (a ``DirectionalResult``).

    ``point``, ``wrt`` (the variables to differentiate by) and ``constants`` (ignored:
    every other symbol is a constant) are the course examples' names for the options."""
    at = at if at is not None else point
    names = _names(wrt if wrt is not None else vars)
    parsed = _scalar(expr, names, positive, "gradient")
    variables, constants = _variables([parsed.expr], names, positive)
    entries = tuple(partial(parsed.expr, v) for v in variables)
    point = _point(at, variables, constants, positive, [parsed])
    value = None
    if point is not None:
        value = _at_values([e.result for e in entries], point, numeric,
                           [entry_name("f", v) for v in variables], parsed)
    result = GradientResult(parsed.reading, parsed.expr, variables, entries, constants,
                            tuple((point or {}).items()), value, numeric, steps)
    if along is None and not steepest:
        return result
    from calctutor.topics.matrices.directional import directional

    return directional(result, along, steepest, positive)


def run_jacobian(expr: str | None = None, vars=None, at=None, numeric: bool = False,
                 positive: bool = False, steps: bool = False, *, exprs=None, point=None,
                 task=None) -> JacobianResult:
    """The Jacobian of ``"F1, F2, ..."`` (row i = function i, column j = variable j).

    ``exprs`` (a list of functions), ``point`` and ``task`` (ignored: the determinant is
    always computed) are the course examples' names."""
    at = at if at is not None else point
    if expr is None:
        if not exprs:
            raise UsageError("jacobian needs the functions, e.g. \"x*y, x + y\"")
        expr = ", ".join(f"({e})" for e in ([exprs] if isinstance(exprs, str) else exprs))
    names = _names(vars)
    parsed = parse_expressions(expr, variables=names, positive=positive)
    if len(parsed) > MAX_FUNCTIONS:
        raise UsageError(f"too many functions ({len(parsed)}; the limit is {MAX_FUNCTIONS})")
    exprs = tuple(p.expr for p in parsed)
    variables, constants = _variables(exprs, names, positive)
    entries = jacobian_entries(exprs, variables)
    matrix = sp.Matrix([[e.result for e in row] for row in entries])
    determinant = None
    if matrix.rows == matrix.cols:
        determinant = _tidy_det(matrix)
    point = _point(at, variables, constants, positive, parsed)
    value = det_value = None
    if point is not None:
        label = [[f"the entry ({i + 1}, {j + 1}) of the Jacobian" for j in range(matrix.cols)]
                 for i in range(matrix.rows)]
        value = sp.Matrix([list(_at_values(list(matrix.row(i)), point, numeric, label[i],
                                           parsed[i])) for i in range(matrix.rows)])
        if determinant is not None:
            det_value = value_at(determinant, point, numeric, what="the determinant")
    reading = parsed[0].reading if len(parsed) == 1 else _join(expr, parsed)
    return JacobianResult(reading, exprs, variables, entries, determinant, constants,
                          tuple((point or {}).items()), value, det_value, numeric, steps)


def _tidy_det(matrix: sp.Matrix) -> sp.Expr:
    """The determinant, simplified within a time limit (trig identities: polar det = r)."""
    from calctutor.sandbox import within
    from calctutor.steps.tidy import tidy

    det = matrix.det(method="berkowitz")
    quick = tidy(sp.expand(det))
    better = within(2.0, lambda: sp.trigsimp(sp.factor_terms(quick)), default=quick)
    return better if sp.count_ops(better) <= sp.count_ops(quick) else quick


def run_hessian(expr: str, vars=None, at=None, classify: bool = False, numeric: bool = False,
                positive: bool = False, steps: bool = False, *, point=None,
                task=None) -> HessianResult:
    """The Hessian of the scalar ``expr``: each second partial differentiates the tidied
    first partial again; ``classify`` solves grad f = 0 and classifies each point.

    ``point`` and ``task="classify"`` are the course examples' names for the options."""
    at = at if at is not None else point
    classify = classify or task == "classify"
    names = _names(vars)
    parsed = _scalar(expr, names, positive, "hessian")
    variables, constants = _variables([parsed.expr], names, positive)
    first = tuple(partial(parsed.expr, v) for v in variables)
    second = tuple(tuple(partial(f.result, v) for v in variables) for f in first)
    matrix = sp.Matrix([[e.result for e in row] for row in second])
    point = _point(at, variables, constants, positive, [parsed])
    value = None
    if point is not None:
        value = sp.Matrix([[value_at(e.result, point, numeric,
                                     what=entry_name("f", variables[i], e.var),
                                     function=parsed.expr, reading=parsed.reading)
                            for e in row] for i, row in enumerate(second)])
    classification = None
    if classify:
        if constants:
            raise UsageError(f"--classify needs a function of the variables only, but "
                             f"{', '.join(to_text(c) for c in constants)} "
                             f"{'is a constant' if len(constants) == 1 else 'are constants'} "
                             "(give numbers instead, or list it in --vars)")
        classification = stationary_points(parsed.expr, [f.result for f in first], matrix,
                                           variables)
    return HessianResult(parsed.reading, parsed.expr, variables, first, second, constants,
                         tuple((point or {}).items()), value, classification, numeric, steps)
