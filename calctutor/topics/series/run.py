"""``calctutor taylor`` and ``calctutor newton``: the library functions, text in, result out."""

from __future__ import annotations

import sympy as sp

from calctutor.errors import LimitError, UsageError
from calctutor.parsing import parse_expression, parse_expressions, parse_point
from calctutor.results import Reading
from calctutor.symbols import make_symbol
from calctutor.topics.inputs import names_list, point_text
from calctutor.topics.series.newton import NewtonResult, newton
from calctutor.topics.series.taylor import (
    MAX_NONZERO,
    MAX_ORDER,
    TaylorResult,
    taylor_many,
    taylor_one,
)
from calctutor.variables import check_point, free_variables, symbols_for


def run_taylor(expr: str, var=None, vars=None, at=None, order: int | None = 4,
               positive: bool = False, plot: bool = False, nonzero: int | None = None,
               general_term: bool = False, index: str = "n", eval_at=None,
               radius: bool = False, interval: bool = False):
    """The Taylor polynomial of ``expr`` about ``at`` (default 0) up to total degree ``order``.

    ``var``/``vars`` name the variables (default: the free symbols, alphabetically);
    ``nonzero`` N asks instead for the first N non-zero terms (one variable);
    ``general_term`` adds the n-th term; ``radius`` or ``interval`` gives instead where the
    series converges (a ``ConvergenceResult``: the ratio test and both endpoints)."""
    if radius or interval:
        if radius and interval:
            raise UsageError("give --radius or --interval, not both (the interval shows the "
                             "radius too)")
        if eval_at is not None or plot or nonzero is not None:
            raise UsageError("--radius and --interval take no --eval, --plot or --nonzero")
        found = run_taylor(expr, var=var, vars=vars, at=at, order=order, positive=positive,
                           general_term=True, index=index)
        return _convergence(found, "radius" if radius else "interval")
    names = ([var] if isinstance(var, str) else list(var or [])) + names_list(vars)
    parsed = parse_expression(expr, variables=names, positive=positive)
    f = parsed.expr
    if names:
        variables = symbols_for(list(dict.fromkeys(names)), positive)
        extra = [s for s in free_variables(f) if s not in variables]
        if extra:
            raise UsageError(f"the expression has a variable not listed in --var/--vars: {extra[0]} "
                             f"(list every variable, or give it a value)")
    else:
        variables = free_variables(f) or [make_symbol("x", positive)]
    if order is None:
        order = 4
    if not isinstance(order, int) or order < 0:
        raise UsageError(f"--order must be a whole number 0 or more (got {order})")
    if order > MAX_ORDER:
        raise LimitError(f"--order {order} is too high (the limit is {MAX_ORDER})")
    if nonzero is not None:
        if len(variables) > 1:
            raise UsageError("--nonzero works with one variable only")
        if not 1 <= nonzero <= MAX_NONZERO:
            raise UsageError(f"--nonzero must be between 1 and {MAX_NONZERO} (got {nonzero})")
    at = point_text(at)
    if at is None or str(at).strip() == "":
        point = {v: sp.Integer(0) for v in variables}
    else:
        point = parse_point(str(at), variables, positive=positive)
        check_point(point, variables)
        unknown = [s for s in point if s not in variables]
        if unknown:
            raise UsageError(f"--at names {unknown[0]}, which is not a variable of the expansion")
    if len(variables) == 1:
        v = variables[0]
        result = taylor_one(f, parsed.reading, v, point[v], order, nonzero=nonzero, plot=plot)
        if general_term:
            result = _with_general_term(result, index, positive)
        if eval_at is not None and str(eval_at).strip():
            from calctutor.topics.series.taylor import evaluate_orders

            value = parse_point(str(eval_at), [v], positive=positive)[v]
            if value.atoms(sp.Float):
                value = sp.nsimplify(value, rational=True)  # 9.3 means 93/10: exact values
            result = evaluate_orders(result, value)
        return result
    if eval_at is not None:
        raise UsageError("--eval works with one variable only")
    if general_term:
        raise UsageError("--general-term works with one variable only")
    if plot:
        raise UsageError("--plot draws one-variable expansions only")
    return taylor_many(f, parsed.reading, tuple(variables), point, order)


def _with_general_term(result: TaylorResult, index: str, positive: bool) -> TaylorResult:
    import dataclasses

    from calctutor.topics.series.taylor import general_term

    n = make_symbol(index or "n", positive)
    if n in result.variables:
        raise UsageError(f"the index {index} is already the variable: choose another with --index")
    n = sp.Symbol(n.name, integer=True, nonnegative=True)
    x, a = result.at[0]
    found = general_term(result.expr, x, a, n, _check_coefficients(result))
    if found is None:
        return dataclasses.replace(result, general=None, general_asked=True)
    series = _power_series(found[0], found[1], found[2], x, a)
    return dataclasses.replace(result, general=found[:3], general_asked=True, converges=found[3],
                               series=series)


def _power_series(n, term, start, x, a):
    """The general term as a ``PowerSeries`` in an integer index, its zero powers left out
    (None if it is not one power of x − a: then the series is not stated in that form)."""
    from calctutor.sandbox import within
    from calctutor.topics.series.terms import NotASeries, from_term, sparse

    k = sp.Symbol(n.name, integer=True)
    try:
        series = from_term(term.xreplace({n: k}), k, x, a, start)
    except NotASeries:
        return None
    return within(3.0, sparse, series, default=series)


def _convergence(result: TaylorResult, asked: str):
    from calctutor.sandbox import within
    from calctutor.topics.series.convergence import Undecided, convergence

    if len(result.variables) != 1:
        raise UsageError("--radius and --interval work with one variable only")
    if result.series is None:
        raise LimitError("no general term of this series was found, so where it converges "
                         "could not be worked out (--general-term says what was tried)")

    def work():
        try:
            return convergence(result, result.series, asked)
        except (Undecided, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
            return None

    found = within(8.0, work, default=None)
    if found is None:
        raise LimitError("the ratio test's limit could not be found for this series, so its "
                         "radius of convergence is not stated")
    return found


CHECKED_TERMS = 12


def _check_coefficients(result: TaylorResult) -> list:
    """At least ``CHECKED_TERMS`` coefficients to check a general term against (the table's
    when more cannot be computed quickly)."""
    from calctutor.sandbox import within
    from calctutor.topics.series.taylor import Unsupported, jet

    shown = [r.coefficient for r in result.rows]
    if len(shown) >= CHECKED_TERMS:
        return shown
    x, a = result.at[0]

    def more():
        try:
            return jet(result.expr, x, a, CHECKED_TERMS)
        except (Unsupported, ZeroDivisionError):
            from calctutor.topics.series.taylor_edges import series_coefficients

            try:
                return series_coefficients(result.expr, x, a, CHECKED_TERMS)[0]
            except UsageError:
                return None

    found = within(3.0, more, default=None)
    return found if found is not None and found[:len(shown)] == shown else shown


MAX_ITER = 1000


def run_newton(expr: str, x0=None, tol: float = 1e-10, max_iter: int = 50, steps: int | None = None,
               optimise: bool = False, exact: bool = False, vars=None, var=None,
               positive: bool = False) -> NewtonResult:
    """Newton's method on ``expr`` (a function, or a system "F1, F2") from ``x0``.

    ``optimise`` seeks a stationary point (x − f'/f'', or −H⁻¹∇f); ``steps`` N takes exactly
    N iterations; ``exact`` keeps rational iterates exact."""
    names = ([var] if isinstance(var, str) else list(var or [])) + names_list(vars)
    parsed = parse_expressions(expr, variables=names, positive=positive)
    exprs = [p.expr for p in parsed]
    if names:
        variables = symbols_for(list(dict.fromkeys(names)), positive)
        extra = [s for s in free_variables(exprs) if s not in variables]
        if extra:
            raise UsageError(f"the function has a variable not listed in --vars: {extra[0]}")
    else:
        variables = free_variables(exprs)
    if not variables:
        raise UsageError("the function has no variable: Newton's method needs f(x)")
    if optimise and len(exprs) != 1:
        raise UsageError("--optimise takes one function f (its gradient is set to zero), not a system")
    if not optimise and len(exprs) != len(variables):
        if len(exprs) == 1:
            raise UsageError(f"one equation in {len(variables)} variables has no isolated root: give "
                             f"{len(variables)} equations (\"F1, F2\") or use --optimise")
        raise UsageError(f"the system has {len(exprs)} equations in {len(variables)} variables: "
                         f"Newton's method needs as many equations as variables")
    x0 = point_text(str(x0) if isinstance(x0, (int, float)) else x0)
    if x0 is None or not str(x0).strip():
        raise UsageError("--x0 is required: the starting point, e.g. --x0 1 (or --x0 1,2)")
    start = parse_point(str(x0), variables, positive=positive)
    check_point(start, variables, "--x0")
    for v in variables:
        if not start[v].is_number or start[v].is_real is False:
            raise UsageError(f"--x0: the start value of {v} must be a real number")
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise UsageError(f"--tol must be positive (got {tol})")
    if max_iter is None:
        max_iter = 50
    if max_iter < 1:
        raise UsageError(f"--max-iter must be at least 1 (got {max_iter})")
    if max_iter > MAX_ITER or (steps is not None and steps > MAX_ITER):
        raise LimitError(f"at most {MAX_ITER} iterations")
    if steps is not None and steps < 1:
        raise UsageError(f"--steps must be at least 1 (got {steps})")
    if len(parsed) == 1:
        reading = parsed[0].reading
    else:
        text = expr
        joined = ", ".join(p.reading.reading for p in parsed)
        reading = Reading(text, joined, tuple(n for p in parsed for n in p.reading.notes),
                          any(p.reading.differs for p in parsed))
    return newton(exprs, reading, variables, [start[v] for v in variables], optimise=optimise,
                  tol=float(tol), max_iter=int(max_iter), steps=steps, exact=exact)
