"""``calctutor descent``: gradient descent (or ascent) from a start point, step by step."""

from __future__ import annotations

import dataclasses

from calctutor.calculus.descent import DescentResult, descend
from calctutor.errors import UsageError
from calctutor.parsing import parse_expression, parse_point
from calctutor.variables import free_variables, symbols_for


def parse_number(text, what: str):
    """A number option (``0.1``, ``1/4``, ``2e-3``) as an exact or Float SymPy number."""
    import sympy as sp

    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return sp.Rational(text) if isinstance(text, int) else sp.Float(text)
    if isinstance(text, sp.Basic):
        value = text
    else:
        value = parse_expression(str(text), what=what).expr
    if value.free_symbols or not value.is_number or value.is_real is False:
        raise UsageError(f"{what} must be a real number (got '{text}')")
    return value


def run_descent(expr: str, start, rate="1/10", max_iter: int = 1000, steps: int | None = None,
                tol: float = 1e-8, ascent: bool = False, vars=None, exact: bool = False,
                plot: bool = False) -> DescentResult:
    """Gradient descent on ``expr`` from ``start`` ("x=1,y=2", "1,2", a dict or a list)."""
    from calctutor.commands import names_list, point_text

    names = names_list(vars)
    parsed = parse_expression(expr, variables=names)
    f = parsed.expr
    variables = symbols_for(names) if names else free_variables(f)
    extra = [s.name for s in free_variables(f) if s not in variables]
    if extra:
        raise UsageError(f"the expression contains {', '.join(extra)}, which is not among "
                         f"the variables ({', '.join(v.name for v in variables)})")
    if not variables:
        raise UsageError("the expression has no variables: there is nothing to descend")
    if start is None:
        raise UsageError("give a start point with --start, e.g. --start "
                         + ",".join(f"{v.name}=1" for v in variables))
    point = parse_point(point_text(start), variables)
    gamma = parse_number(rate if rate is not None else "1/10", "the rate (--rate)")
    if not gamma.is_positive:
        raise UsageError(f"the rate (--rate) must be positive (got {rate})")
    if steps is not None and not 0 <= int(steps) <= 10000:
        raise UsageError(f"--steps must be between 0 and 10000 (got {steps})")
    if not 1 <= int(max_iter) <= 100000:
        raise UsageError(f"--max-iter must be between 1 and 100000 (got {max_iter})")
    tol = float(tol)
    if not tol > 0:
        raise UsageError(f"--tol must be positive (got {tol})")
    result = descend(f, parsed.reading, variables, [point[v] for v in variables], gamma,
                     max_iter=int(max_iter), steps=None if steps is None else int(steps),
                     tol=tol, ascent=ascent, exact=exact)
    if plot:
        from calctutor.calculus.descent import descent_plot_data

        result = dataclasses.replace(result, plot=descent_plot_data(result))
    return result
