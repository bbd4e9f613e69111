"""``calctutor lagrange``: optimise f subject to constraints g = 0 with Lagrange multipliers."""

from __future__ import annotations

from calctutor.calculus.lagrange import LagrangeResult, multiplier_names, solve_lagrange
from calctutor.errors import UsageError
from calctutor.parsing import parse_equation, parse_expression
from calctutor.symbols import make_symbol
from calctutor.variables import free_variables, symbols_for

GOALS = ("max", "min", "system")


def run_lagrange(expr: str, constraint, positive: bool = False, vars=None, goal: str = "max",
                 solve_seconds: float | None = None) -> LagrangeResult:
    """Stationary points of ``expr`` on ``constraint`` (one text or a list; "G" or "lhs = rhs").

    ``goal`` says what ``--answer`` checks: the maximum value (max), the minimum value
    (min), or the components of grad L (system).
    """
    from calctutor.commands import names_list

    if goal not in GOALS:
        raise UsageError(f"--goal must be one of {', '.join(GOALS)} (got {goal!r})")
    names = names_list(vars)
    texts = [constraint] if isinstance(constraint, str) else list(constraint or [])
    if not texts:
        raise UsageError("give at least one constraint with --constraint, e.g. "
                         "--constraint \"x^2 + y^2 = 1\"")
    parsed = parse_expression(expr, variables=names, positive=positive, what="the function")
    cons = []
    for k, text in enumerate(texts, start=1):
        g = parse_equation(text, variables=names, positive=positive)
        if not g.expr.free_symbols:
            raise UsageError(f"constraint {k} ('{text}') has no variables")
        cons.append(g)
    found = free_variables([parsed.expr, *(g.expr for g in cons)])
    variables = symbols_for(names, positive) if names else found
    extra = [s.name for s in found if s not in variables]
    if extra:
        raise UsageError(f"{', '.join(extra)} appear(s) in the problem but not in --vars "
                         f"({', '.join(v.name for v in variables)})")
    if len(cons) >= len(variables):
        raise UsageError(f"{len(cons)} constraint(s) on {len(variables)} variable(s) leave "
                         "nothing to optimise: use fewer constraints than variables")
    lam_names = multiplier_names(len(cons), {v.name for v in variables})
    multipliers = [make_symbol(n) for n in lam_names]
    return solve_lagrange(parsed.expr, parsed.reading, [g.expr for g in cons],
                          [g.reading for g in cons], variables, multipliers,
                          positive=positive, goal=goal, solve_seconds=solve_seconds)
