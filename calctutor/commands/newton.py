"""``calctutor newton``: parse the function (or system) and the start, iterate."""

from __future__ import annotations

from calctutor.calculus.newton import NewtonResult, newton
from calctutor.commands import names_list, point_text
from calctutor.errors import LimitError, UsageError
from calctutor.parsing import parse_expressions, parse_point
from calctutor.results import Reading
from calctutor.variables import check_point, free_variables, symbols_for

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
