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
    """The point after ``steps`` steps of s + sign * rate * grad f (exact where possible).

    Exact fractions that grow past the readable size continue as decimals, as the run
    itself does: a wrong rule can make them grow without bound (x^4 with γ = 1).
    """
    from calctutor.domain import real_roots
    from calctutor.topics.optimise.descent import EXACT_MAX_DIGITS, digits

    variables = result.variables
    gradient = [real_roots(g) for g in result.gradient]
    point = list(result.iterations[0].point)
    exact = all(not p.atoms(sp.Float) for p in point) and not sp.sympify(rate).atoms(sp.Float)
    for _ in range(steps):
        if exact and digits(sp.Tuple(*point)) > EXACT_MAX_DIGITS:
            exact = False
            try:
                point = [sp.Float(float(p)) for p in point]
            except (OverflowError, TypeError, ValueError):
                return None
        sub = dict(zip(variables, point, strict=True))
        grad = [g.xreplace(sub) for g in gradient]
        grad = [sp.nsimplify(g) if exact and not g.atoms(sp.Float) else g for g in grad]
        if not exact:
            try:
                grad = [sp.Float(sp.N(g, 15)) for g in grad]
            except (TypeError, ValueError, OverflowError):
                return None   # not real (or not finite) along this wrong path
        point = [p + sign * rate * g for p, g in zip(point, grad, strict=True)]
        # a path that ran away is no answer anyone types; huge values also defeat the
        # relative comparison (inf <= tol * inf)
        if any(not p.is_finite or not abs(float(p)) < 1e100 for p in point):
            return None
    return point


def descent_mistakes(result) -> Iterator[Mistake]:
    """Descent: a step uphill (+ instead of −), the rate left out (γ = 1), too few steps,
    the step given for the new point."""
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
    if n == 1:
        start = list(result.iterations[0].point)
        stepped = _walk(result, down, result.rate, 1)
        if stepped is not None:
            yield Mistake("step_not_point", [b - a for a, b in zip(start, stepped, strict=True)],
                          "That is the step, not the new point: the step is added to the "
                          "current point, s_(n+1) = s_n − γ ∇f(s_n).")
            yield Mistake("step_not_point", [a - b for a, b in zip(start, stepped, strict=True)],
                          "That is γ times the gradient, not the new point: subtract it from "
                          "the current point, s_(n+1) = s_n − γ ∇f(s_n).")
    for it in result.iterations[1:-1][:20]:
        yield Mistake("wrong_step_count", list(it.point),
                      f"That is the point after {it.n} step{'s' if it.n != 1 else ''}; "
                      f"{n} step{s} were asked for.")


# -- lagrange ----------------------------------------------------------------------------
def _where(variables, point) -> str:
    from calctutor.notation import to_text

    vals = [to_text(p) if not p.atoms(sp.Float) else format(float(p), ".6g") for p in point]
    return "(" + ", ".join(vals) + ")" if len(vals) > 1 else f"{variables[0].name} = {vals[0]}"


def lagrange_mistakes(result) -> Iterator[Mistake]:
    """Lagrange: constraint forgotten, solutions lost (by dividing by a variable), a point
    where grad g = 0 missed, max and min swapped; for the system: the constraint component
    left out, L = f + λg, ∂L/∂λ written +g, one constraint's component lost."""
    from calctutor.sandbox import within
    from calctutor.topics.optimise.lagrange import system

    v, lams = result.variables, result.multipliers
    if result.goal == "system":
        yield Mistake("constraint_forgotten", list(result.equations[:len(v)]),
                      "You left out the constraint: ∇L also has a component for each "
                      "multiplier, ∂L/∂λ = −g, which says the point lies on the constraint.")
        plus = result.expr + sum((m * g for m, g in zip(lams, result.constraints, strict=True)),
                                 sp.Integer(0))
        yield Mistake("lagrangian_sign", list(system(plus, v, lams)),
                      "You used L = f + λg; the course writes L = f − λg (the candidates are "
                      "the same, but every multiplier changes sign).")
        yield from _system_mistakes(result)
        return
    want_max = result.goal == "max"
    best = result.maximum if want_max else result.minimum
    other = result.minimum if want_max else result.maximum
    if not best:
        return
    best_value = best[0].numeric_value
    if other and abs(other[0].numeric_value - best_value) > 1e-9 * max(1, abs(best_value)):
        yield Mistake("max_min_swapped", other[0].value,
                      f"That is the {'minimum' if want_max else 'maximum'} value of f on the "
                      f"constraint; the {'maximum' if want_max else 'minimum'} was asked for: "
                      "compare f at every candidate.")
    grad_f = [sp.diff(result.expr, s) for s in v]
    free = within(2.0, sp.solve, grad_f, list(v), dict=True, default=None) or []
    for sol in free if isinstance(free, list) else []:
        value = result.expr.xreplace(sol)
        if value.free_symbols or not value.is_number or value.is_real is False:
            continue
        point = [sol.get(s, s) for s in v]
        yield Mistake("constraint_forgotten", value,
                      f"That is f at a stationary point of f itself, ignoring the constraint "
                      f"(∇f = 0 at {_where(v, point)}). With a constraint, solve ∇f = λ ∇g "
                      "together with g = 0.")
    # Only solving grad L = 0 misses the points where the constraint's gradient vanishes.
    singular = [c for c in result.candidates if c.singular and not c.multipliers]
    regular = [c for c in result.candidates if c.multipliers]
    if singular and regular:
        pick = max if want_max else min
        regular_best = pick(regular, key=lambda c: c.numeric_value)
        if abs(regular_best.numeric_value - best_value) > 1e-9 * max(1, abs(best_value)):
            pts = ", ".join(_where(v, c.point) for c in singular[:4])
            yield Mistake("singular_point_missed", regular_best.value,
                          f"That is the best solution of ∇L = 0, but at {pts} the "
                          "constraint's gradient vanishes, so Lagrange's equations need not "
                          "hold there: such points are candidates too, and f is "
                          f"{'larger' if want_max else 'smaller'} there.")
    # Dividing an equation by a variable (or by λ) loses the solutions where it is zero.
    zero = [c for c in result.candidates if any(p == 0 for p in (*c.point, *c.multipliers))]
    kept = [c for c in result.candidates if c not in zero]
    if zero and kept:
        pick = max if want_max else min
        kept_best = pick(kept, key=lambda c: c.numeric_value)
        if abs(kept_best.numeric_value - best_value) > 1e-9 * max(1, abs(best_value)):
            yield Mistake("lost_solutions", kept_best.value, _lost_feedback(v, zero, True))
    if result.method == "numeric":
        yield from _one_start_mistakes(result, want_max, best_value)
    for c in result.candidates:
        gap = 1e-9 * max(1, abs(c.numeric_value))
        better = [d for d in result.candidates
                  if (d.numeric_value - c.numeric_value if want_max
                      else c.numeric_value - d.numeric_value) > gap]
        if better:
            yield Mistake("lost_solutions", c.value, _lost_feedback(v, better, False))


def _one_start_mistakes(result, want_max: bool, best_value: float) -> Iterator[Mistake]:
    """A numerical solve stopped at the first stationary point one start reached: f at
    another local maximum (minimum) than the largest (smallest)."""
    kind = "local maximum" if want_max else "local minimum"
    gap = 1e-9 * max(1, abs(best_value))
    for c in result.candidates:
        if c.kind == kind and abs(c.numeric_value - best_value) > gap:
            extreme = "largest" if want_max else "smallest"
            yield Mistake("one_start_only", c.value,
                          f"That is f at the {kind} {_where(result.variables, c.point)}, not "
                          f"the {extreme} value: Newton's method from one start finds one "
                          "stationary point. Start from several points (or follow f along "
                          "the constraint), then compare f at every candidate.")


def _system_mistakes(result) -> Iterator[Mistake]:
    """The components of ∇L with ∂L/∂λ written as +g (the constraint as given, not the
    derivative of −λg), and, with several constraints, one constraint's component lost."""
    n, k = len(result.variables), len(result.multipliers)
    eqs = list(result.equations)
    yield Mistake("constraint_component_sign", eqs[:n] + [-e for e in eqs[n:]],
                  "Your constraint component has the wrong sign: with L = f − λ g, "
                  "differentiating the term −λ g with respect to λ gives ∂L/∂λ = −g, not g "
                  "(the equation g = 0 is the same, but the component of ∇L is −g).")
    if k > 1:
        for j in range(k):
            yield Mistake("constraint_lost", eqs[:n + j] + eqs[n + j + 1:],
                          f"One constraint's component is missing: ∇L has one component for "
                          f"each of the {k} multipliers, ∂L/∂λ_i = −g_i, one per constraint.")

def _lost_feedback(variables, missing, by_division: bool) -> str:
    points = ", ".join(_where(variables, c.point) for c in missing[:6])
    why = ("Dividing an equation by a variable (or by λ) loses the solutions where it is zero"
           if by_division else "Some solutions of ∇L = 0 are missing from your working")
    return f"{why}: you missed the candidate{'s' if len(missing) > 1 else ''} {points}. " \
           "Solve the system by cases (x = 0 or ...) and compare f at every candidate."


# -- fit: chi^2 and the normal equations ----------------------------------------------------
def _residuals(result, problem, values):
    sub = dict(zip(result.params, values, strict=True))
    m = result.model.xreplace(sub)
    d = result.data
    return [yi - m.xreplace({result.x: xi}) for xi, yi in zip(d.x, d.y, strict=True)]


def _chi2_mistakes(result, problem, values, exact, sigma_matters) -> Iterator[Mistake]:
    """χ² with the residuals not squared (Σ r/σ², Σ |r|/σ², Σ r/σ), and without σ."""
    d = result.data
    rs = _residuals(result, problem, values)
    sigma = list(d.sigma) if d.sigma is not None else [sp.Integer(1)] * len(rs)

    def num(e):
        return sp.nsimplify(e) if exact else sp.Float(sp.N(e, 15))

    said = ("The residuals must be squared: χ² = Σ ((y_i − y(x_i))/σ_i)², so square each "
            "residual before adding (a sum of plain residuals lets positive and negative ones "
            "cancel).")
    chi2 = sum(r**2 / s**2 for r, s in zip(rs, sigma, strict=True))
    yield Mistake("chi2_averaged", num(chi2 / len(rs)),
                  "χ² is the sum of the squared (weighted) residuals, not their mean: do not "
                  "divide by the number of points.")
    yield Mistake("residual_not_squared", num(sum(r / s**2 for r, s in zip(rs, sigma,
                                                                           strict=True))), said)
    if any(r.is_negative for r in rs):
        yield Mistake("residual_not_squared",
                      num(sum(abs(r) / s**2 for r, s in zip(rs, sigma, strict=True))), said)
    if sigma_matters:
        yield Mistake("residual_not_squared",
                      num(sum(r / s for r, s in zip(rs, sigma, strict=True))), said)
        yield Mistake("sigma_ignored", num(sum(r**2 for r in rs)),
                      "Each squared residual must be divided by its σ_i²: χ² = Σ ((y_i − "
                      "y(x_i))/σ_i)², so a point with a large uncertainty counts less.")


def _normal_equation_mistakes(result, problem) -> Iterator[Mistake]:
    """The normal equations XᵀX a = Xᵀy assembled with X's columns in one order for the
    matrix and the other for the right-hand side (rows of XᵀX against the wrong entries of
    Xᵀy: the matrix as if transposed), and the solution with the parameters swapped."""
    from calctutor.topics.optimise.fit import normal_equations

    exact = problem.data.exact and problem.model.is_rational_function(problem.x)
    try:
        _, _, N, r = normal_equations(problem, exact)
    except (TypeError, ValueError):
        return
    k = N.rows
    if k < 2:
        return
    reverse = sp.Matrix(k, k, lambda i, j: 1 if i + j == k - 1 else 0)
    values = list(result.values)
    try:
        wrong = (reverse * N).LUsolve(r)
    except (ValueError, ZeroDivisionError):
        wrong = None
    if wrong is not None:
        wrong = [sp.nsimplify(v) if exact else sp.Float(v) for v in wrong]
        yield Mistake(
            "normal_equations_mismatch", wrong,
            "Your normal equations do not line up: row k of XᵀX a = Xᵀy is ∂χ²/∂a_k = 0, so "
            "the columns of X (one per parameter, in the order of the parameters) must be in "
            "the same order in XᵀX and in Xᵀy.")
    yield from _data_mistakes(result, problem)
    swapped = values[::-1]
    if swapped != values:
        names = ", ".join(p.name for p in result.params)
        yield Mistake("wrong_variable_order", swapped,
                      f"Your values are right but in the wrong order: give them as ({names}).")

def _data_mistakes(result, problem) -> Iterator[Mistake]:
    """The fit with the x and y columns swapped (a fitting call's arguments in the wrong
    order), and without the intercept (the parameter whose column of A is all 1s)."""
    import dataclasses

    from calctutor.topics.optimise.fit import Problem, solve_linear

    d = problem.data
    if d.x != d.y:
        flipped = Problem(problem.model, problem.x, problem.params,
                          dataclasses.replace(d, x=d.y, y=d.x))
        solved = solve_linear(flipped)
        if solved is not None:
            yield Mistake("x_y_swapped", list(solved[-1]),
                          "Those are the parameters of the fit of x against y: the columns "
                          "are swapped. The model gives y from x, so x goes in the design "
                          "matrix (and first in curve_fit(f, x, y) or polyfit(x, y, n)).")
    for k, (p, dy) in enumerate(zip(problem.params, problem.derivatives, strict=True)):
        if dy != 1 or len(problem.params) < 2:
            continue
        rest = [q for q in problem.params if q != p]
        through = Problem(problem.model.xreplace({p: 0}), problem.x, rest, d)
        solved = solve_linear(through)
        if solved is None:
            continue
        values = list(solved[-1])
        values.insert(k, sp.Integer(0))
        yield Mistake("intercept_forgotten", values,
                      f"That is the fit without the intercept {p.name} (forced through "
                      f"{p.name} = 0): the design matrix A needs a column of 1s for {p.name}, "
                      "and the normal equations a row for it.")


# -- fit ---------------------------------------------------------------------------------
def fit_mistakes(result) -> Iterator[Mistake]:
    """Fit: chi^2 divided by sigma instead of sigma^2, without sigma, not squared or
    averaged; the residual's sign (gradient and steps; for chi^2 itself it cannot matter),
    the factor 2 of the gradient dropped, the rate left out of a step; the normal equations
    out of line, the x and y columns swapped, the intercept forgotten, the parameters
    swapped."""
    from calctutor.topics.optimise.fit import Problem, gradient_descent, solve_linear

    d = result.data
    problem = Problem(result.model, result.x, result.params, d)
    values = list(result.at if result.at is not None else result.values)
    exact = problem.exact_ok(values)
    sigma_matters = d.sigma is not None and any(s != 1 for s in d.sigma)
    by_sigma = tuple(1 / s for s in d.sigma) if d.sigma is not None else None
    sigma_fb = ("You divided by σ_i instead of σ_i²: χ² = Σ ((y_i − y(x_i))/σ_i)², so each "
                "squared residual is divided by σ_i².")
    goal = result.goal
    if goal == "chi2":
        yield from _chi2_mistakes(result, problem, values, exact, sigma_matters)
    if goal == "params" and result.linear:
        yield from _normal_equation_mistakes(result, problem)
    if goal == "chi2" and sigma_matters:
        if exact:
            yield Mistake("sigma_not_squared", problem.chi2_exact(values, by_sigma), sigma_fb)
        else:
            yield Mistake("sigma_not_squared", sp.Float(problem.chi2_float(
                [float(v) for v in values], [float(w) for w in by_sigma])), sigma_fb)
    if goal == "gradient":
        grad = list(result.gradient)
        yield Mistake("residual_sign", [-g for g in grad],
                      "Your gradient has the wrong sign: the residual is y_i − y(x_i; a), so "
                      "∂χ²/∂a_k = −2 Σ (y_i − y(x_i; a)) (∂y/∂a_k)/σ_i² (the minus comes from "
                      "differentiating −y(x_i; a)).")
        yield Mistake("missing_factor_two", [g / 2 for g in grad],
                      "Your gradient is half the right one: differentiating the square gives "
                      "the factor 2 in ∂χ²/∂a_k = −2 Σ (y_i − y(x_i; a)) (∂y/∂a_k)/σ_i².")
        if sigma_matters and exact:
            yield Mistake("sigma_not_squared", list(problem.gradient_exact(values, by_sigma)),
                          sigma_fb)
    if goal == "steps" and result.steps:
        n = result.steps[-1].n
        exact_steps = not any(v.atoms(sp.Float) for v in result.steps[-1].params)
        flipped, _ = gradient_descent(problem, values, -result.rate, n, exact_steps)
        if flipped and len(flipped) == n:
            yield Mistake("residual_sign", list(flipped[-1].params),
                          "Your step went uphill: with the residual's sign flipped the gradient "
                          "changes sign. Steepest descent is a_next = a − γ ∇χ², with "
                          "∂χ²/∂a_k = −2 Σ (y_i − y(x_i; a)) (∂y/∂a_k)/σ_i².")
        if result.rate != 1:
            whole, _ = gradient_descent(problem, values, sp.Integer(1), n, exact_steps)
            if whole and len(whole) == n:
                yield Mistake("rate_missing", list(whole[-1].params),
                              f"You stepped by the whole gradient: multiply it by γ = "
                              f"{sp.sstr(result.rate)}, a_next = a − γ ∇χ².")
    if goal == "params" and sigma_matters and result.linear:
        solved = solve_linear(problem, by_sigma)
        if solved is not None:
            yield Mistake("sigma_not_squared", list(solved[-1]), sigma_fb)
        unweighted = solve_linear(problem, tuple(sp.Integer(1) for _ in d.x))
        if unweighted is not None:
            yield Mistake("sigma_ignored", list(unweighted[-1]),
                          "That is the unweighted fit: with uncertainties σ_i each point "
                          "counts with weight 1/σ_i² in χ².")


# ---------------------------------------------------------------------------------------
# Which problems can reveal a misconception: the exercise bank keeps a variant that targets
# one only when the misconception gives this problem a different answer. ``REVEALS`` maps
# each command to the codes its templates may target, each with its check ``(result,
# answer) -> bool`` (``answer``: the exercise's answer in the command's JSON shape); its keys
# are read by the bank without importing this module, so they stay string literals.


def _reveals_uphill(result, answer=None) -> bool:
    """A step up the gradient differs from one down it only when the first step moves."""
    its = result.iterations
    return len(its) >= 2 and its[0].point != its[1].point


def _reveals_constraint(result, answer=None) -> bool:
    """Forgetting the constraint changes the answer only where it matters: some candidate
    has a non-zero multiplier."""
    return any(any(m != 0 for m in c.multipliers) for c in result.candidates)


def _reveals_one_start(result, answer=None) -> bool:
    """Stopping at one start's stationary point shows only when there is another local
    extreme of the asked kind with a different value, and only a solution known to be
    complete can show it for sure (an uncertain numerical solution is redrawn)."""
    if not result.complete or result.goal not in ("max", "min"):
        return False
    best = result.maximum if result.goal == "max" else result.minimum
    if not best:
        return False
    kind = "local maximum" if result.goal == "max" else "local minimum"
    v = best[0].numeric_value
    return any(c.kind == kind and abs(c.numeric_value - v) > 1e-6 * max(1, abs(v))
               for c in result.candidates)


REVEALS = {
    "descent": {"gradient_step_uphill": _reveals_uphill},
    "lagrange": {"constraint_forgotten": _reveals_constraint,
                 "one_start_only": _reveals_one_start},
}
