"""Least-squares fitting: chi^2 = sum ((y_i - y(x_i; a))/sigma_i)^2, minimised over a.

Models linear in their parameters are solved exactly by the normal equations
A^T W A p = A^T W (y - b) (W = diag(1/sigma_i^2)); others by Levenberg-Marquardt from a
start, or, when a rate is given, by gradient descent on chi^2 as the course does:
a_next = a - gamma grad chi^2, with d chi^2/d a_k = -2 sum (y_i - y(x_i; a)) (dy/da_k)/sigma_i^2.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, field
from typing import Sequence

import sympy as sp

from calctutor.errors import UsageError
from calctutor.results import Reading, json_value
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy

MAX_ROWS = 100_000
MAX_BYTES = 20_000_000
LM_MAX_ITER = 1000
GD_MAX_ITER = 10_000
EXACT_MAX_STEPS = 20

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


# -- the data ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Data:
    """The columns used from a CSV file; ``lines`` are the file's line numbers of the rows."""

    path: str
    x_name: str
    y_name: str
    sigma_name: str | None
    x: tuple[sp.Expr, ...]
    y: tuple[sp.Expr, ...]
    sigma: tuple[sp.Expr, ...] | None
    lines: tuple[int, ...]

    @property
    def exact(self) -> bool:
        cols = (self.x, self.y) + ((self.sigma,) if self.sigma else ())
        return all(not isinstance(v, sp.Float) for col in cols for v in col)

    @property
    def n(self) -> int:
        return len(self.x)

    def weights(self) -> tuple[sp.Expr, ...]:
        """1/sigma_i^2 (1 without a sigma column)."""
        if self.sigma is None:
            return tuple(sp.Integer(1) for _ in self.x)
        return tuple(1 / s ** 2 for s in self.sigma)


def _cell(text: str, path: str, line: int, column: str) -> sp.Expr:
    t = text.strip()
    where = f"{path}, line {line} (data row {line - 1}), column '{column}'"
    if t == "":
        raise UsageError(f"{where} is empty: every row needs a number there")
    if _INT.fullmatch(t):
        if len(t) > 30:
            raise UsageError(f"{where}: the number is too long")
        return sp.Integer(int(t))
    if _FLOAT.fullmatch(t):
        v = float(t)
        if not math.isfinite(v):
            raise UsageError(f"{where}: {t!r} is too large")
        return sp.Float(v)
    raise UsageError(f"{where}: {t[:30]!r} is not a number")


def read_csv(path: str, x: str = "x", y: str = "y", sigma: str | None = None) -> Data:
    """Read the x, y (and sigma) columns of a CSV file with a header row.

    Without ``sigma`` a column named "sigma" is used when there is one. Every problem is a
    UsageError naming the file, the line and the column.
    """
    if not os.path.exists(path):
        raise UsageError(f"no such file: {path}")
    if os.path.isdir(path):
        raise UsageError(f"{path} is a directory, not a CSV file")
    if os.path.getsize(path) > MAX_BYTES:
        raise UsageError(f"{path} is too large (more than {MAX_BYTES // 1_000_000} MB)")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a text (UTF-8) CSV file") from None
    except (OSError, csv.Error) as err:
        raise UsageError(f"{path} could not be read as CSV: {err}") from None
    numbered = [(k, row) for k, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise UsageError(f"{path} is empty: it needs a header row (e.g. x,y) and data rows")
    header_line, header = numbered[0]
    names = [h.strip() for h in header]
    chosen_sigma = sigma if sigma is not None else ("sigma" if "sigma" in names else None)
    index = {}
    for role, col in (("x", x), ("y", y), ("sigma", chosen_sigma)):
        if col is None:
            continue
        if col not in names:
            flag = {"x": "--x", "y": "--y", "sigma": "--sigma"}[role]
            raise UsageError(f"{path}: there is no column '{col}' in the header (line "
                             f"{header_line}: {', '.join(repr(n) for n in names)}); name the "
                             f"{role} column with {flag}")
        index[role] = names.index(col)
    data_rows = numbered[1:]
    if not data_rows:
        raise UsageError(f"{path} has a header but no data rows")
    if len(data_rows) > MAX_ROWS:
        raise UsageError(f"{path} has more than {MAX_ROWS} data rows")
    cols: dict[str, list] = {role: [] for role in index}
    lines = []
    for line, row in data_rows:
        for role, j in index.items():
            col = names[j]
            if j >= len(row):
                raise UsageError(f"{path}, line {line} (data row {line - 1}), column '{col}' "
                                 f"is missing: the row has only {len(row)} value"
                                 f"{'s' if len(row) != 1 else ''}")
            value = _cell(row[j], path, line, col)
            if role == "sigma" and not value > 0:
                raise UsageError(f"{path}, line {line} (data row {line - 1}), column '{col}': "
                                 f"sigma must be positive (got {row[j].strip()}); chi^2 "
                                 "divides by sigma^2")
            cols[role].append(value)
        lines.append(line)
    return Data(path, x, y, chosen_sigma, tuple(cols["x"]), tuple(cols["y"]),
                tuple(cols["sigma"]) if "sigma" in cols else None, tuple(lines))


# -- the result ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FitStep:
    """The parameters after one gradient-descent step on chi^2, chi^2 and its gradient there."""

    n: int
    params: tuple[sp.Expr, ...]
    chi2: sp.Expr
    gradient: tuple[sp.Expr, ...]


@dataclass(frozen=True)
class FitResult:
    """A fit (``at`` is None) or an evaluation of chi^2 at ``at`` (with optional steps).

    ``values`` are the fitted parameters (or the point evaluated); ``chi2`` and
    ``gradient`` are chi^2 and its gradient there.
    """

    input: Reading
    model: sp.Expr
    x: sp.Symbol
    params: tuple[sp.Symbol, ...]
    data: Data
    derivatives: tuple[sp.Expr, ...]   # dy/da_k
    linear: bool
    method: str
    values: tuple[sp.Expr, ...]
    chi2: sp.Expr
    gradient: tuple[sp.Expr, ...]
    iterations: int = 0
    converged: bool = True
    at: tuple[sp.Expr, ...] | None = None
    start: tuple[sp.Expr, ...] | None = None
    rate: sp.Expr | None = None
    steps: tuple[FitStep, ...] = ()
    normal_matrix: sp.Matrix | None = None
    normal_rhs: sp.Matrix | None = None
    design: sp.Matrix | None = None
    offset: sp.Expr | None = None       # the part of the model free of the parameters
    goal: str = "params"
    notes: tuple[str, ...] = ()
    plot: object = None   # PlotData when --plot was asked for
    extra: dict = field(default_factory=dict)

    def _named(self, values) -> dict:
        return {p.name: json_value(v) for p, v in zip(self.params, values, strict=True)}

    def to_json(self) -> dict:
        common = {
            "model": sp.sstr(self.model),
            "x": self.data.x_name, "y": self.data.y_name, "sigma": self.data.sigma_name,
            "points": self.data.n,
            "param_names": [p.name for p in self.params],
            "linear": self.linear,
            "gradient_expr": [sp.sstr(g) for g in chi2_gradient_terms(self)],
        }
        if self.at is not None:
            out = {"chi2": json_value(self.chi2),
                   "gradient": self._named(self.gradient)}
            if self.rate is not None:
                out["rate"] = json_value(self.rate)
                out["steps"] = [{"params": self._named(s.params), "chi2": json_value(s.chi2),
                                 "gradient": self._named(s.gradient)} for s in self.steps]
            out.update(common)
        else:
            out = {"params": self._named(self.values), "chi2": json_value(self.chi2),
                   "method": self.method, "iterations": self.iterations,
                   "converged": self.converged, "gradient": self._named(self.gradient)}
            out.update(common)
            if self.normal_matrix is not None:
                out["normal_equations"] = {
                    "matrix": [[json_value(v) for v in row] for row in self.normal_matrix.tolist()],
                    "rhs": [json_value(v) for v in self.normal_rhs],
                }
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    @property
    def exact(self) -> bool:
        vals = (*self.values, self.chi2)
        return all(not sp.sympify(v).atoms(sp.Float) for v in vals)

    def answer_spec(self):
        """--goal params / chi2 (a fit); chi2 / gradient / steps (with --at)."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.checking.mistakes_optimise import fit_mistakes

        names = tuple(p.name for p in self.params)
        tol = 1e-9 if self.exact else 1e-6
        mistakes = lambda: fit_mistakes(self)  # noqa: E731
        if self.goal == "chi2":
            where = "at the given parameters" if self.at is not None else "of the best fit"
            return AnswerSpec("number", self.chi2, f"chi^2 {where}", mistakes=mistakes,
                              tolerance=tol)
        if self.goal == "gradient":
            return AnswerSpec("numbers", list(self.gradient),
                              f"the gradient of chi^2 ({', '.join('dchi2/d' + n for n in names)})",
                              mistakes=mistakes, tolerance=tol,
                              entry_names=tuple(f"dchi2/d{n}" for n in names))
        if self.goal == "steps":
            last = self.steps[-1]
            return AnswerSpec("numbers", list(last.params),
                              f"the parameters ({', '.join(names)}) after {last.n} step"
                              f"{'s' if last.n != 1 else ''}", mistakes=mistakes,
                              tolerance=1e-9 if not any(v.atoms(sp.Float) for v in last.params)
                              else 1e-6, entry_names=names)
        return AnswerSpec("numbers", list(self.values),
                          f"the best-fit parameters ({', '.join(names)})", mistakes=mistakes,
                          tolerance=tol, entry_names=names)


def chi2_gradient_terms(result) -> tuple[sp.Expr, ...]:
    """d chi^2/d a_k = -2 sum_i (y_i - y(x_i; a)) (dy/da_k)(x_i)/sigma_i^2, symbolically."""
    i = sp.Symbol("i", integer=True, positive=True)
    n = sp.Symbol("N", integer=True, positive=True)
    yi, xi = sp.Symbol("y_i", real=True), sp.Symbol("x_i", real=True)
    weight = 1 / sp.Symbol("sigma_i", positive=True) ** 2 if result.data.sigma else 1
    model_i = result.model.xreplace({result.x: xi})
    return tuple(sp.Mul(-2, sp.Sum((yi - model_i) * d.xreplace({result.x: xi}) * weight,
                                   (i, 1, n)), evaluate=False)
                 for d in result.derivatives)


# -- the computations ----------------------------------------------------------------------
class Problem:
    """A model, its parameters and the data, with exact and float evaluations."""

    def __init__(self, model: sp.Expr, x: sp.Symbol, params: Sequence[sp.Symbol], data: Data):
        self.model, self.x, self.params, self.data = model, x, tuple(params), data
        self.derivatives = tuple(tidy(diff_steps(model, p).result) for p in self.params)
        self.linear = all(not (d.free_symbols & set(self.params)) for d in self.derivatives)
        args = (x, *self.params)
        self._f = sp.lambdify(args, model, modules="math")
        self._d = sp.lambdify(args, list(self.derivatives), modules="math")
        self.xs = [float(v) for v in data.x]
        self.ys = [float(v) for v in data.y]
        self.ws = [float(w) for w in data.weights()]

    # exact -------------------------------------------------------------------------------
    def exact_ok(self, values) -> bool:
        return self.data.exact and all(not sp.sympify(v).atoms(sp.Float) for v in values) \
            and self.model.is_rational_function(self.x, *self.params)

    def chi2_exact(self, values, weights=None) -> sp.Expr:
        sub = dict(zip(self.params, values, strict=True))
        m = self.model.xreplace(sub)
        ws = weights or self.data.weights()
        return sp.nsimplify(sum(((yi - m.xreplace({self.x: xi})) ** 2 * w
                                 for xi, yi, w in zip(self.data.x, self.data.y, ws, strict=True)),
                                sp.Integer(0)))

    def gradient_exact(self, values, weights=None) -> tuple[sp.Expr, ...]:
        sub = dict(zip(self.params, values, strict=True))
        m = self.model.xreplace(sub)
        ds = [d.xreplace(sub) for d in self.derivatives]
        ws = weights or self.data.weights()
        out = []
        for d in ds:
            total = sum((-2 * (yi - m.xreplace({self.x: xi})) * d.xreplace({self.x: xi}) * w
                         for xi, yi, w in zip(self.data.x, self.data.y, ws, strict=True)),
                        sp.Integer(0))
            out.append(sp.nsimplify(total))
        return tuple(out)

    # floats ------------------------------------------------------------------------------
    def residuals(self, a, ws=None):
        ws = ws or self.ws
        return [(y - float(self._f(x, *a))) * math.sqrt(w)
                for x, y, w in zip(self.xs, self.ys, ws, strict=True)]

    def chi2_float(self, a, ws=None) -> float:
        return math.fsum(r * r for r in self.residuals(a, ws))

    def jacobian(self, a, ws=None):
        """rows d model/d a_k (x_i) * sqrt(w_i)."""
        ws = ws or self.ws
        return [[float(v) * math.sqrt(w) for v in self._d(x, *a)]
                for x, w in zip(self.xs, ws, strict=True)]

    def gradient_float(self, a, ws=None) -> list[float]:
        r, J = self.residuals(a, ws), self.jacobian(a, ws)
        return [-2 * math.fsum(r[i] * J[i][k] for i in range(len(r))) for k in range(len(a))]

    def values(self, a, exact: bool):
        """(chi^2, gradient) at ``a``, exact or as Floats."""
        if exact:
            return self.chi2_exact(a), self.gradient_exact(a)
        fa = [float(v) for v in a]
        return sp.Float(self.chi2_float(fa)), tuple(sp.Float(g) for g in self.gradient_float(fa))


def normal_equations(problem: Problem, exact: bool, weights=None):
    """(A, b, N = A^T W A, r = A^T W (y - b)) for a model linear in its parameters."""
    p, x = problem.params, problem.x
    zero = {q: 0 for q in p}
    offset = problem.model.xreplace(zero)
    data = problem.data
    ws = weights or data.weights()
    if exact:
        A = sp.Matrix([[d.xreplace({x: xi}) for d in problem.derivatives] for xi in data.x])
        b = sp.Matrix([offset.xreplace({x: xi}) for xi in data.x])
        W = sp.diag(*ws)
        yv = sp.Matrix(data.y)
    else:
        fA = sp.lambdify(x, list(problem.derivatives), modules="math")
        fb = sp.lambdify(x, offset, modules="math")
        A = sp.Matrix([[sp.Float(float(v)) for v in fA(float(xi))] for xi in data.x])
        b = sp.Matrix([sp.Float(float(fb(float(xi)))) for xi in data.x])
        W = sp.diag(*[sp.Float(float(w)) for w in ws])
        yv = sp.Matrix([sp.Float(float(v)) for v in data.y])
    At = A.T
    N = At * W * A
    r = At * W * (yv - b)
    return A, offset, N, r


def solve_linear(problem: Problem, weights=None, exact: bool | None = None):
    """The exact least-squares solution of a linear model (None when singular)."""
    if exact is None:
        exact = problem.data.exact and problem.model.is_rational_function(problem.x)
    A, offset, N, r = normal_equations(problem, exact, weights)
    if exact:
        if N.det() == 0:
            return None
        sol = N.LUsolve(r)
        return A, offset, N, r, tuple(sp.nsimplify(v) for v in sol)
    Nf = [[float(v) for v in row] for row in N.tolist()]
    sol = _linear_solve(Nf, [float(v) for v in r])
    if sol is None:
        return None
    return A, offset, N, r, tuple(sp.Float(v) for v in sol)


def levenberg_marquardt(problem: Problem, start: Sequence[float], ws=None):
    """(params, chi^2, iterations, converged) by Levenberg-Marquardt from ``start``."""
    a = [float(v) for v in start]
    try:
        chi = problem.chi2_float(a, ws)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise UsageError("the model cannot be evaluated at the start point for every data "
                         "point: choose another --start") from None
    mu = 1e-3
    k = len(a)
    for it in range(1, LM_MAX_ITER + 1):
        r, J = problem.residuals(a, ws), problem.jacobian(a, ws)
        JTJ = [[math.fsum(J[i][p] * J[i][q] for i in range(len(r))) for q in range(k)]
               for p in range(k)]
        JTr = [math.fsum(J[i][p] * r[i] for i in range(len(r))) for p in range(k)]
        if max(abs(g) for g in JTr) <= 1e-15 * max(1.0, chi):
            return a, chi, it - 1, True
        while True:
            A = [[JTJ[p][q] + (mu * (JTJ[p][p] or 1.0) if p == q else 0.0) for q in range(k)]
                 for p in range(k)]
            delta = _linear_solve(A, JTr)
            if delta is not None:
                trial = [u + d for u, d in zip(a, delta, strict=True)]
                try:
                    chi_t = problem.chi2_float(trial, ws)
                except (ValueError, ZeroDivisionError, OverflowError):
                    chi_t = math.inf
                if math.isfinite(chi_t) and chi_t <= chi:
                    break
            mu *= 4
            if mu > 1e16:
                return a, chi, it, True  # no step lowers chi^2: a (local) minimum
        small = all(abs(d) <= 1e-13 * (abs(u) + 1e-13) for d, u in zip(delta, a, strict=True))
        done = small or (chi - chi_t) <= 1e-16 * max(chi, 1e-300)
        a, chi = trial, chi_t
        mu = max(mu / 3, 1e-12)
        if done:
            return a, chi, it, True
    return a, chi, LM_MAX_ITER, False


def gradient_descent(problem: Problem, start, rate, steps: int | None, exact: bool,
                     tol: float = 1e-8):
    """Steepest descent on chi^2: a <- a - rate grad chi^2. Returns (FitStep list, notes)."""
    a = list(start)
    out: list[FitStep] = []
    notes: list[str] = []
    limit = steps if steps is not None else GD_MAX_ITER
    chi, grad = problem.values(a, exact)
    rising = 0
    for n in range(1, limit + 1):
        if steps is None and math.sqrt(sum(float(g) ** 2 for g in grad)) < tol:
            break
        a = [u - rate * g for u, g in zip(a, grad, strict=True)]
        try:
            new_chi, new_grad = problem.values(a, exact)
        except (ValueError, ZeroDivisionError, OverflowError):
            notes.append(f"At step {n} the model could not be evaluated: the rate is too "
                         "large (try a smaller --rate).")
            break
        if not math.isfinite(float(new_chi)) or float(new_chi) > 1e200:
            notes.append("chi^2 overflowed: the descent diverges. The rate is too large: try "
                         "a smaller --rate.")
            break
        rising = rising + 1 if float(new_chi) > float(chi) else 0
        out.append(FitStep(n, tuple(a), new_chi, tuple(new_grad)))
        chi, grad = new_chi, new_grad
        if rising >= 8:
            notes.append("chi^2 keeps growing: the descent diverges. The rate is too large: try "
                         "a smaller --rate.")
            break
    return out, notes


def _linear_solve(A, b):
    from calctutor.calculus.lagrange import _linear_solve as solve

    return solve(A, b)


def fit_plot_data(result: FitResult):
    """The data points and the model curve (at the fit, or at --at)."""
    from calctutor.calculus.descent import PlotData

    xs = [float(v) for v in result.data.x]
    ys = [float(v) for v in result.data.y]
    values = result.steps[-1].params if result.at is not None and result.steps else result.values
    f = sp.lambdify(result.x, result.model.xreplace(
        dict(zip(result.params, [sp.Float(float(v)) for v in values], strict=True))), modules="math")
    lo, hi = min(xs), max(xs)
    pad = (hi - lo) * 0.05
    grid = [lo - pad + (hi - lo + 2 * pad) * k / 200 for k in range(201)]

    def safe(x):
        try:
            v = float(f(x))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.nan
        return v

    label = "model at the best fit" if result.at is None else "model"
    return PlotData(((label, tuple(grid), tuple(safe(x) for x in grid)),),
                    (("data", tuple(xs), tuple(ys)),),
                    "Data and fitted curve" if result.at is None else "Data and model",
                    result.data.x_name, result.data.y_name)
