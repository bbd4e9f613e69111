"""Mal-rules of descent, lagrange and fit: the answer each misconception gives here.

Each function takes the command's result and yields ``Mistake`` objects (see
``calctutor.checking.answer``); ``diagnose`` compares them with the learner's answer.
"""

from __future__ import annotations

from typing import Iterator

import sympy as sp

from calctutor.checking.answer import Mistake


# -- descent -----------------------------------------------------------------------------
def _walk(result, sign: int, rate, steps: int) -> list[sp.Expr] | None:
    """The point after ``steps`` steps of s + sign * rate * grad f (exact where possible)."""
    variables, gradient = result.variables, result.gradient
    point = list(result.iterations[0].point)
    exact = result.exact
    for _ in range(steps):
        sub = dict(zip(variables, point, strict=True))
        grad = [g.xreplace(sub) for g in gradient]
        grad = [sp.nsimplify(g) if exact and not g.atoms(sp.Float) else g for g in grad]
        if not exact:
            grad = [sp.Float(sp.N(g, 15)) for g in grad]
        point = [p + sign * rate * g for p, g in zip(point, grad, strict=True)]
        if any(not p.is_finite for p in point):
            return None
    return point


def descent_mistakes(result) -> Iterator[Mistake]:
    """Descent: a step uphill (+ instead of −), the rate left out (γ = 1), too few steps."""
    n = result.final.n
    if n == 0:
        return
    down = -1 if not result.ascent else 1
    s = "s" if n != 1 else ""
    wrong_sign = _walk(result, -down, result.rate, n)
    if wrong_sign is not None:
        rule = "s_(n+1) = s_n + γ ∇f(s_n)" if not result.ascent else "s_(n+1) = s_n − γ ∇f(s_n)"
        yield Mistake("gradient_step_uphill", wrong_sign,
                      f"Your step{s} went the wrong way: you used {rule}. The gradient points "
                      f"uphill, so {'descent subtracts' if not result.ascent else 'ascent adds'} "
                      "γ times the gradient.")
    if result.rate != 1:
        no_rate = _walk(result, down, sp.Integer(1), n)
        if no_rate is not None:
            yield Mistake("rate_missing", no_rate,
                          "You stepped by the whole gradient: the rate γ = "
                          f"{sp.sstr(result.rate)} multiplies the gradient in each step, "
                          "s_(n+1) = s_n − γ ∇f(s_n).")
    for it in result.iterations[1:-1][:20]:
        yield Mistake("wrong_step_count", list(it.point),
                      f"That is the point after {it.n} step{'s' if it.n != 1 else ''}; "
                      f"{n} step{s} were asked for.")
