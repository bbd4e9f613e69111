"""``calctutor descent``, ``lagrange`` and ``fit``: the library functions, text in, result out."""

from __future__ import annotations

import dataclasses

import sympy as sp

from calctutor.errors import UsageError
from calctutor.parsing import parse_equation, parse_expression, parse_names, parse_point
from calctutor.symbols import make_symbol
from calctutor.topics.optimise.descent import DescentResult, descend, exact_number
from calctutor.topics.optimise.fit import (
    EXACT_MAX_STEPS,
    Data,
    FitResult,
    Problem,
    descend_chi2,
    gradient_descent,
    identifiability,
    levenberg_marquardt,
    rate_advice,
    read_csv,
    solve_degenerate,
    solve_linear,
)
from calctutor.topics.optimise.lagrange import LagrangeResult, multiplier_names, solve_lagrange
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
    from calctutor.topics.inputs import names_list, point_text

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
        from calctutor.topics.optimise.descent import descent_plot_data

        result = dataclasses.replace(result, plot=descent_plot_data(result))
    return result


LAGRANGE_GOALS = ("max", "min", "system")


def run_lagrange(expr: str, constraint, positive: bool = False, vars=None, goal: str = "max",
                 solve_seconds: float | None = None, numeric: bool = False) -> LagrangeResult:
    """Stationary points of ``expr`` on ``constraint`` (one text or a list; "G" or "lhs = rhs").

    ``goal`` says what ``--answer`` checks: the maximum value (max), the minimum value
    (min), or the components of grad L (system). ``numeric``: solve grad L = 0 numerically
    only (Newton from many starts; along a closed constraint curve, f sampled densely).
    """
    from calctutor.checking.named_answers import KINDS
    from calctutor.topics.inputs import names_list

    # the kind as a word, however written: maximum, Max, minima
    word = KINDS.get(str(goal).strip().lower())
    goal = {"maximum": "max", "minimum": "min"}.get(word, str(goal).strip().lower())
    if goal not in LAGRANGE_GOALS:
        raise UsageError(f"--goal must be one of {', '.join(LAGRANGE_GOALS)} (got {goal!r})")
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
                          positive=positive, goal=goal, solve_seconds=solve_seconds,
                          numeric=bool(numeric))


FIT_GOALS = ("params", "chi2", "gradient", "steps")


def data_from(data, x: str, y: str, sigma: str | None) -> Data:
    """A CSV path, or (for the exercise bank) a mapping of column name -> list of values."""
    if isinstance(data, str):
        return read_csv(data, x, y, sigma)
    if isinstance(data, dict):
        import csv
        import io
        import os
        import tempfile

        cols = [c for c in (x, y, sigma) if c is not None]
        missing = [c for c in cols if c not in data]
        if missing:
            raise UsageError(f"the data have no column '{missing[0]}'")
        n = len(data[x])
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for i in range(n):
            w.writerow([str(data[c][i]) for c in cols])
        fd, path = tempfile.mkstemp(suffix=".csv")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(buf.getvalue())
            d = read_csv(path, x, y, sigma)
        finally:
            os.unlink(path)
        return dataclasses.replace(d, path="the data")
    raise UsageError("the data must be a CSV file name")


def run_fit(data, model: str, x: str = "x", y: str = "y", sigma: str | None = None,
            params=None, start=None, rate=None, steps: int | None = None, at=None,
            plot: bool = False, goal: str | None = None, show_code: bool = False) -> FitResult:
    """Fit ``model`` to the data (or, with ``at``, evaluate chi^2 and its gradient there);
    ``show_code``: the worked solution also shows the same fit in Python (SciPy/NumPy)."""
    from calctutor.topics.inputs import names_list, point_text

    x = x or "x"
    y = y or "y"
    d = data_from(data, x, y, sigma)
    param_names = names_list(params)
    try:
        x_name = parse_names(x)
    except Exception:  # noqa: BLE001 - a column name that is not a variable name
        raise UsageError(f"the x column '{x}' cannot be used in a model: name it with a "
                         "variable name (letters, digits, _) or rename the column") from None
    if len(x_name) != 1:
        raise UsageError(f"the x column '{x}' must be one name")
    xs = make_symbol(x_name[0])
    parsed = parse_expression(model, variables=[x_name[0], *param_names], what="the model")
    m = parsed.expr
    free = free_variables(m)
    if param_names:
        ps = [make_symbol(n) for n in param_names]
        if xs in ps:
            raise UsageError(f"'{xs.name}' is the x column; it cannot also be a parameter")
        stray = [s.name for s in free if s != xs and s not in ps]
        if stray:
            raise UsageError(f"the model contains {', '.join(stray)}, which is neither the x "
                             f"column ({xs.name}) nor a parameter (--params "
                             f"{','.join(param_names)})")
    else:
        ps = _in_order_of_appearance([s for s in free if s != xs], parsed.reading.reading)
    if xs not in free and any(p.name == "x" for p in ps):
        raise UsageError(f"the model uses x, but the x column is '{xs.name}': write the model "
                         f"in terms of {xs.name}, or choose the column with --x")
    if not ps:
        raise UsageError(f"the model has no parameters to fit (its only variable is "
                         f"{xs.name}): name them with --params")
    if d.n < len(ps):
        raise UsageError(f"{d.path} has {d.n} data point{'s' if d.n != 1 else ''}, fewer than "
                         f"the {len(ps)} parameters ({', '.join(p.name for p in ps)}): the fit "
                         "is not determined")
    if goal is not None and goal not in FIT_GOALS:
        raise UsageError(f"--goal must be one of {', '.join(FIT_GOALS)} (got {goal!r})")
    problem = Problem(m, xs, ps, d)
    gamma = None
    if rate is not None:
        gamma = exact_number(parse_number(rate, "the rate (--rate)"))
        if not gamma.is_positive:
            raise UsageError(f"the rate (--rate) must be positive (got {rate})")
    if steps is not None and not 0 < int(steps) <= 100_000:
        raise UsageError(f"--steps must be between 1 and 100000 (got {steps})")
    base = dict(input=parsed.reading, model=m, x=xs, params=tuple(ps), data=d,
                derivatives=problem.derivatives, linear=problem.linear)
    notes: list[str] = []
    if xs not in free:
        notes.append(f"The model does not depend on the x column ({xs.name}): it fits the same "
                     "value at every point.")
    if at is not None:
        point = parse_point(point_text(at), ps)
        values = [exact_number(point[p]) for p in ps]
        exact = problem.exact_ok(values)
        chi2, grad = _safe(problem.values, values, exact)
        fsteps = ()
        if gamma is not None or steps is not None:
            if gamma is None:
                raise UsageError("--steps with --at needs a --rate (the step size gamma)")
            n = int(steps) if steps is not None else 1
            fsteps, more = gradient_descent(problem, values, gamma, n,
                                            exact and n <= EXACT_MAX_STEPS and gamma.is_Rational)
            fsteps = tuple(fsteps)
            notes += more
            if fsteps and float(fsteps[-1].chi2) > float(chi2):
                notes.append(f"χ² rose from {_num(chi2)} to {_num(fsteps[-1].chi2)}: the steps "
                             f"overshoot; {rate_advice(problem, values, gamma)}.")
        g = goal or "chi2"
        if g == "params":
            g = "steps" if fsteps else "chi2"
        if g == "steps" and not fsteps:
            raise UsageError("--goal steps needs --rate (and --steps) with --at")
        result = FitResult(**base, method="evaluation", values=tuple(values), chi2=chi2,
                           gradient=grad, at=tuple(values), rate=gamma, steps=fsteps, goal=g,
                           notes=tuple(notes))
    else:
        if goal in ("gradient", "steps"):
            raise UsageError(f"--goal {goal} needs --at (the parameters to evaluate at)")
        start_values = None
        if start is not None:
            sp_ = parse_point(point_text(start), ps)
            start_values = [exact_number(sp_[p]) for p in ps]
        if gamma is not None:
            result = _descent_fit(problem, base, start_values, gamma, steps, goal, notes)
        elif problem.linear:
            result = _linear_fit(problem, base, goal, notes)
        else:
            if start_values is None:
                start_values = [sp.Integer(1)] * len(ps)
                notes.append("No --start given: starting from "
                             + ", ".join(f"{p.name} = 1" for p in ps)
                             + ". A non-linear fit can depend on where it starts.")
            a, chi, its, ok = levenberg_marquardt(problem, [float(v) for v in start_values])
            chi2, grad = problem.values([sp.Float(v) for v in a], False)
            ident = identifiability(problem, a)
            if not ok:
                notes.append("Levenberg-Marquardt did not converge within its iteration limit.")
            result = FitResult(**base, method="Levenberg-Marquardt",
                               values=tuple(sp.Float(v) for v in a), chi2=chi2, gradient=grad,
                               iterations=its, converged=ok, start=tuple(start_values),
                               goal=goal or "params", notes=tuple(notes),
                               identifiability=ident, status=_status(ident, ok))
    if plot:
        from calctutor.topics.optimise.fit import fit_plot_data

        result = dataclasses.replace(result, plot=fit_plot_data(result))
    if show_code:
        result = dataclasses.replace(result, show_code=True)
    return result


def _in_order_of_appearance(symbols, text: str):
    """Parameters in the order the model names them ("m*x + c" -> m, c)."""
    import re

    first = {}
    for k, match in enumerate(re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", text)):
        first.setdefault(match.group(), k)
    return sorted(symbols, key=lambda s: first.get(s.name, len(first)))


def _safe(fn, values, exact):
    try:
        return fn(values, exact)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        raise UsageError("the model cannot be evaluated at every data point with these "
                         "parameters") from None


def _status(ident, converged: bool) -> str:
    if not converged:
        return "not converged"
    return "undetermined" if ident is not None else "best fit"


def _num(v) -> str:
    from calctutor.topics.optimise.fit import rate_text

    return rate_text(v)


def _faster(problem, start, gamma) -> str:
    """For a model linear in its parameters chi^2 is quadratic: each step shrinks the error
    along an eigenvector of its Hessian by |1 - γλ|, so a faster rate can be proved."""
    if not problem.linear:
        return ""
    import numpy as np

    from calctutor.topics.optimise.descent import _factor, nice_rate_below
    from calctutor.topics.optimise.fit import chi2_hessian

    H = chi2_hessian(problem, start)
    if H is None:
        return ""
    lams = [float(v) for v in np.linalg.eigvalsh(np.array(H, dtype=float))]
    lo, hi = min(lams), max(lams)
    if not lo > 0:
        return ""
    best = nice_rate_below(sp.nsimplify(4 / (hi + lo), rational=True, tolerance=1e-12))
    factor = lambda g: max(abs(1 - g * lam) for lam in lams)  # noqa: E731
    now = factor(float(gamma))
    if factor(float(best)) < now * (1 - 1e-3):
        return (f" Each step shrinks the error by only ×{_factor(now)} (the worst of |1 − γλ| over "
                f"the eigenvalues of the Hessian of χ²); with --rate {_num(best)} it shrinks by "
                f"×{_factor(factor(float(best)))}.")
    return ""


def _linear_fit(problem: Problem, base: dict, goal, notes) -> FitResult:
    solved = solve_linear(problem)
    if solved is None:
        solved = solve_degenerate(problem)
    if solved is None:
        raise UsageError("the normal equations have no solution: these data cannot determine "
                         "the parameters")
    A, offset, N, r, values = solved
    exact = not any(v.atoms(sp.Float) for v in values)
    ident = identifiability(problem, values, exact_matrix=N if exact else None)
    chi2, grad = problem.values(list(values), exact and problem.exact_ok(values))
    if not exact:
        grad = tuple(sp.Float(0) if abs(float(g)) < 1e-9 * (1 + float(chi2)) else g for g in grad)
    return FitResult(**base, method="normal equations", values=values, chi2=chi2,
                     gradient=grad, iterations=0, converged=True, normal_matrix=N,
                     normal_rhs=r, design=A, offset=offset, goal=goal or "params",
                     notes=tuple(notes), identifiability=ident, status=_status(ident, True))


def _descent_fit(problem, base, start_values, gamma, steps, goal, notes) -> FitResult:
    ps = base["params"]
    if start_values is None:
        start_values = [sp.Integer(1)] * len(ps)
        notes.append("No --start given: starting from " + ", ".join(f"{p.name} = 1" for p in ps)
                     + ".")
    n = int(steps) if steps is not None else None
    exact = problem.exact_ok(start_values) and gamma.is_Rational and n is not None \
        and n <= EXACT_MAX_STEPS
    chi0, _ = _safe(problem.values, start_values, exact)
    fsteps, more, how = descend_chi2(problem, start_values, gamma, n, exact)
    if how in ("diverged", "oscillating"):
        # never a best fit: say why, and which rate would not overshoot
        advice = rate_advice(problem, start_values, gamma)
        if how == "diverged":
            last = f"{_num(fsteps[-1].chi2)} at step {fsteps[-1].n}" if fsteps else "overflow"
            raise UsageError(f"gradient descent on chi^2 diverges with --rate {_num(gamma)}: "
                             f"chi^2 went from {_num(chi0)} to {last}; {advice}")
        raise UsageError(f"gradient descent on chi^2 oscillates without settling with --rate "
                         f"{_num(gamma)}: chi^2 stays near {_num(fsteps[-1].chi2)} while the "
                         f"gradient reverses at every step (to step {fsteps[-1].n}); {advice}")
    notes += more
    if fsteps:
        last = fsteps[-1]
        values, chi2, grad = last.params, last.chi2, last.gradient
    else:
        values = tuple(start_values)
        chi2, grad = problem.values(start_values, exact)
    gnorm = sum(float(g) ** 2 for g in grad) ** 0.5
    converged = how == "converged" or gnorm < 1e-6 * max(1.0, float(chi2))
    ident = None
    if n is None and not converged:
        notes.append(f"Gradient descent stopped after {len(fsteps)} steps without converging "
                     f"(|grad chi^2| = {gnorm:.3g}): these are not the best-fit parameters."
                     + _faster(problem, start_values, gamma))
        status = "not converged"
    elif n is not None and not converged:
        status = "after steps"
        if float(chi2) > float(chi0):
            notes.append(f"χ² rose from {_num(chi0)} to {_num(chi2)}: the steps overshoot; "
                         f"{rate_advice(problem, start_values, gamma)}.")
    else:
        ident = identifiability(problem, values)
        status = _status(ident, True)
    return FitResult(**base, method="gradient descent", values=tuple(values), chi2=chi2,
                     gradient=tuple(grad), iterations=len(fsteps), converged=converged,
                     start=tuple(start_values), rate=gamma, steps=tuple(fsteps),
                     goal=goal or "params", notes=tuple(notes), identifiability=ident,
                     status=status)
