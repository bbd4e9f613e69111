"""Least-squares fitting: chi^2 = sum ((y_i - y(x_i; a))/sigma_i)^2, minimised over a.

Models linear in their parameters are solved exactly by the normal equations
A^T W A p = A^T W (y - b) (W = diag(1/sigma_i^2)); others by Levenberg-Marquardt from a
start, or, when a rate is given, by gradient descent on chi^2 as the course does:
a_next = a - gamma grad chi^2, with d chi^2/d a_k = -2 sum (y_i - y(x_i; a)) (dy/da_k)/sigma_i^2.
"""

from __future__ import annotations

import csv
import dataclasses
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
from calctutor.topics.optimise.linalg import linear_solve

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
    identifiability: Identifiability | None = None
    status: str = "best fit"   # "best fit", "undetermined", "not converged", "after steps"
    show_code: bool = False    # the worked solution shows the same fit in Python

    @property
    def determined(self) -> tuple[bool, ...]:
        """For each parameter: do the data determine it?"""
        bad = set(self.identifiability.undetermined) if self.identifiability else set()
        return tuple(p not in bad for p in self.params)

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
            out["status"] = self.status
            out["identifiable"] = self.identifiability is None
            if self.identifiability is not None:
                out["identifiability"] = self.identifiability.to_json()
            out.update(common)
            if self.normal_matrix is not None:
                out["normal_equations"] = {
                    "matrix": [[json_value(v) for v in row] for row in self.normal_matrix.tolist()],
                    "rhs": [json_value(v) for v in self.normal_rhs],
                }
        if self.at is None and self.status == "best fit":
            from calctutor.topics.optimise.fit_code import python_lines

            out["python"] = python_lines(self)
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
        from calctutor.topics.optimise.mistakes import fit_mistakes

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
        if self.identifiability is not None:
            ident = self.identifiability
            raise UsageError(
                "--answer cannot check the best-fit parameters: "
                + ident.sentence().rstrip(".") + ". Check chi^2 with --goal chi2 instead")
        spec = AnswerSpec("numbers", list(self.values),
                          f"the best-fit parameters ({', '.join(names)})", mistakes=mistakes,
                          tolerance=tol, entry_names=names)
        return dataclasses.replace(spec, adapt=lambda text: _places(spec, text))


def _places(spec, text: str):
    """Decimals typed: checked to that many places, and the verdict says so."""
    from calctutor.topics.optimise.lagrange import to_places

    if not re.search(r"\d\.\d", text):
        return None
    return to_places(spec, text)


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

    def second_derivatives(self):
        """d2y/da_j da_k as one compiled function of (x, *a), made on first use."""
        if getattr(self, "_d2", None) is None:
            rows = [[sp.diff(d, q) for q in self.params] for d in self.derivatives]
            self._d2 = sp.lambdify((self.x, *self.params), rows, modules="math")
        return self._d2

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
    sol = linear_solve(Nf, [float(v) for v in r])
    if sol is None:
        return None
    return A, offset, N, r, tuple(sp.Float(v) for v in sol)


def solve_degenerate(problem: Problem, weights=None):
    """One least-squares solution of a linear model whose normal equations are singular
    (the free parameters of the solution set to 0): (A, b, N, r, values)."""
    exact = problem.data.exact and problem.model.is_rational_function(problem.x)
    A, offset, N, r = normal_equations(problem, exact, weights)
    if exact:
        try:
            sol, free = N.gauss_jordan_solve(r)
        except ValueError:
            return None   # inconsistent: cannot happen for normal equations, but be safe
        sol = sol.xreplace({t: 0 for t in free})
        return A, offset, N, r, tuple(sp.nsimplify(v) for v in sol)
    import numpy as np

    Af = np.array([[float(v) for v in row] for row in A.tolist()], dtype=float)
    ws = [math.sqrt(float(w)) for w in (weights or problem.data.weights())]
    yb = [float(y) - float(b) for y, b in zip(problem.data.y, (
        offset.xreplace({problem.x: xi}) for xi in problem.data.x), strict=True)]
    Aw = Af * np.array(ws)[:, None]
    sol = np.linalg.lstsq(Aw, np.array(yb) * np.array(ws), rcond=None)[0]
    return A, offset, N, r, tuple(sp.Float(float(v)) for v in sol)


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
            delta = linear_solve(A, JTr)
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
    out, notes, _ = descend_chi2(problem, start, rate, steps, exact, tol)
    return out, notes


# |grad chi^2| no smaller than this many steps ago, reversing at each step: a swing.
OSCILLATION_WINDOW = 50


def descend_chi2(problem: Problem, start, rate, steps: int | None, exact: bool,
                 tol: float = 1e-8):
    """Steepest descent on chi^2: (FitStep list, notes, status).

    ``status`` is "converged" (|grad chi^2| < tol), "steps" (the N steps asked for),
    "max_iter", "diverged" (chi^2 keeps growing, overflows or cannot be evaluated) or
    "oscillating" (chi^2 stalls while the gradient reverses at every step).
    """
    from calctutor.topics.optimise.descent import EXACT_MAX_DIGITS, digits

    a = list(start)
    out: list[FitStep] = []
    notes: list[str] = []
    limit = steps if steps is not None else GD_MAX_ITER
    status = "steps" if steps is not None else "max_iter"
    chi, grad = problem.values(a, exact)
    rising = 0
    history = [(float(chi), [float(g) for g in grad])]
    for n in range(1, limit + 1):
        if steps is None and math.sqrt(sum(float(g) ** 2 for g in grad)) < tol:
            status = "converged"
            break
        a = [u - rate * g for u, g in zip(a, grad, strict=True)]
        if exact and digits(sp.Tuple(*a)) > EXACT_MAX_DIGITS:
            exact = False
            notes.append(f"From step {n} on the parameters are decimals: the exact fractions "
                         f"grew past {EXACT_MAX_DIGITS} digits.")
            a = [sp.Float(float(u)) for u in a]
        try:
            new_chi, new_grad = problem.values(a, exact)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            notes.append(f"At step {n} the model could not be evaluated: the steps ran away.")
            status = "diverged"
            break
        if not math.isfinite(float(new_chi)) or float(new_chi) > 1e200:
            notes.append(f"χ² overflowed at step {n}: the descent diverges.")
            status = "diverged"
            break
        rising = rising + 1 if float(new_chi) > float(chi) else 0
        out.append(FitStep(n, tuple(a), new_chi, tuple(new_grad)))
        chi, grad = new_chi, new_grad
        history.append((float(chi), [float(g) for g in grad]))
        if rising >= 8:
            notes.append(f"χ² grew at each of the last {rising} steps: the descent diverges.")
            status = "diverged"
            break
        if steps is None and _swinging(history, out):
            status = "oscillating"
            break
    return out, notes, status


def _swinging(history, out) -> bool:
    """A 2-cycle of the parameters, or |grad chi^2| not smaller than OSCILLATION_WINDOW
    steps ago while the gradient reversed at every one of those steps."""
    if len(out) >= 3 and out[-1].params == out[-3].params and out[-1].params != out[-2].params:
        return True
    if len(history) <= OSCILLATION_WINDOW:
        return False
    window = history[-OSCILLATION_WINDOW - 1:]
    first, last = (math.sqrt(math.fsum(g * g for g in w[1])) for w in (window[0], window[-1]))
    if last < first * (1 - 1e-9):   # |grad chi^2| still shrinking: converging, if slowly
        return False
    return all(math.fsum(u * w for u, w in zip(g1, g2, strict=True)) < 0
               for (_, g1), (_, g2) in zip(window, window[1:], strict=False))


def rate_text(v) -> str:
    """A rate for a sentence: a typed decimal (1/10000 from 0.0001) back as a decimal."""
    from calctutor.topics.optimise.descent import _short

    v = sp.sympify(v)
    if v.is_Rational and not v.is_Integer and set(sp.factorint(v.q)) <= {2, 5} \
            and v.q <= 10 ** 12:
        return format(float(v), ".12g")
    return _short(v)


def rate_advice(problem: Problem, at, rate) -> str:
    """A step size that does not overshoot near ``at``: below 2/L, L the largest eigenvalue
    of the Hessian of chi^2 there."""
    from calctutor.topics.optimise.descent import nice_rate_below

    H = chi2_hessian(problem, at)
    L = largest_eigenvalue(H) if H is not None else None
    if L is None or not L > 0:
        return (f"try a smaller --rate, e.g. {rate_text(sp.sympify(rate) / 10)} (the Hessian of "
                "chi^2 at the start sets no limit)")
    limit = 2 / L
    nice = nice_rate_below(sp.Float(limit, 15))
    if float(rate) >= limit * (1 - 1e-12):
        return (f"--rate {rate_text(rate)} is {'at' if abs(float(rate) - limit) <= 1e-12 * limit else 'above'} "
                f"the step-size limit 2/L = {limit:.4g} at the start (L = {L:.4g}, the largest "
                f"eigenvalue of the Hessian of chi^2): try --rate {rate_text(nice)}")
    return (f"--rate {rate_text(rate)} is below the step-size limit 2/L = {limit:.4g} at the start "
            f"(L = {L:.4g}, the largest eigenvalue of the Hessian of chi^2), so the overshoot "
            f"begins further along: try a smaller --rate, e.g. {rate_text(sp.sympify(rate) / 10)}")


# -- what the data determine ----------------------------------------------------------------
# Singular values of the residuals' Jacobian below this fraction of the largest count as 0.
RANK_TOL = 1e-9


@dataclass(frozen=True)
class Identifiability:
    """Which parameters the data determine at the fit.

    ``undetermined`` are the parameters the data cannot separate; ``determined`` the
    combinations of them that the data do fix, each as (expression, value); ``reason`` says
    how this was found (a symbolic identity of the model, or the data alone).
    """

    undetermined: tuple[sp.Symbol, ...]
    determined: tuple[tuple[sp.Expr, sp.Expr], ...]
    reason: str
    rank: int
    symbolic: bool

    def to_json(self) -> dict:
        return {"undetermined": [p.name for p in self.undetermined],
                "determined": [{"combination": sp.sstr(c), "value": json_value(v)}
                               for c, v in self.determined],
                "rank": self.rank, "reason": self.reason, "symbolic": self.symbolic}

    def sentence(self) -> str:
        names = _and([p.name for p in self.undetermined])
        if not self.determined:
            return (f"The data cannot determine {names}: {self.reason} Any value of "
                    f"{'it' if len(self.undetermined) == 1 else 'them'} fits equally well.")
        combos = _and([f"{combo_text(c)} = {_value_text(v)}" for c, v in self.determined])
        only = "only " if len(self.determined) < len(self.undetermined) else ""
        return (f"the data determine {only}{combos}; {names} separately "
                f"{'is' if len(self.undetermined) == 1 else 'are'} not: {self.reason}")


def combo_text(c: sp.Expr) -> str:
    """a*b as a·b, exp as e^: the combination as a learner writes it."""
    from calctutor.notation import to_text

    return to_text(c, dot=True)


def _value_text(v) -> str:
    v = sp.sympify(v)
    if not v.atoms(sp.Float):
        return sp.sstr(v)
    return format(float(v), ".6g")


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# (combination of p and q, p written in terms of the combination's value t and q)
_COMBOS = (
    (lambda p, q: p * q, lambda t, q: t / q),
    (lambda p, q: p / q, lambda t, q: t * q),
    (lambda p, q: p + q, lambda t, q: t - q),
    (lambda p, q: p - q, lambda t, q: t + q),
    (lambda p, q: p * sp.exp(q), lambda t, q: t * sp.exp(-q)),
    (lambda p, q: p * sp.exp(-q), lambda t, q: t * sp.exp(q)),
)


def _depends_only_through(model, p, q):
    """A combination of p and q through which alone the model depends on them (proved by
    substitution: with p written in terms of the combination, q drops out), or None."""
    t = sp.Dummy("t")
    for combo, inverse in _COMBOS:
        reduced = model.xreplace({p: inverse(t, q)})
        d = sp.diff(reduced, q)
        if d == 0 or sp.simplify(sp.powsimp(sp.expand(d), combine="exp")) == 0:
            return combo(p, q)
    return None


def _depends_only_through_all(model, params):
    """The product or the sum of all ``params`` when the model depends on them only through
    it (proved by substitution, as for two parameters), or None."""
    t = sp.Dummy("t")
    first, rest = params[0], params[1:]
    for combo, inverse in ((sp.Mul(*params), t / sp.Mul(*rest)),
                           (sp.Add(*params), t - sp.Add(*rest))):
        reduced = model.xreplace({first: inverse})
        if all(sp.simplify(sp.diff(reduced, q)) == 0 for q in rest):
            return combo
    return None


def identifiability(problem: "Problem", values, exact_matrix=None) -> Identifiability | None:
    """None when the data determine every parameter at ``values``; else what they do
    determine. The test is the rank of the residuals' Jacobian (rows sqrt(w_i) dy/da_k at
    x_i), exactly for ``exact_matrix`` (the normal matrix of a linear model)."""
    import numpy as np

    params = problem.params
    k = len(params)
    if exact_matrix is not None:
        null = [list(v) for v in exact_matrix.nullspace()]
        if not null:
            return None
        null = [[float(c) for c in v] for v in null]
        rank = k - len(null)
    else:
        try:
            J = np.array(problem.jacobian([float(v) for v in values]), dtype=float)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return None
        if not np.all(np.isfinite(J)):
            return None
        # unit columns first: a parameter's units (x up to 1000 makes the x^3 column 1e9
        # times the constant's) must not pass for a dependence between parameters
        norms = np.linalg.norm(J, axis=0)
        scale = np.where(norms > 0, norms, 1.0)
        _, s, vt = np.linalg.svd(J / scale)
        top = float(s[0]) if len(s) else 0.0
        small = [i for i in range(k) if i >= len(s) or s[i] <= RANK_TOL * top]
        if not small:
            return None
        null = []
        for i in small:
            v = vt[i] / scale
            null.append(list(v / np.linalg.norm(v)))
        rank = k - len(null)
    involved = [params[i] for i in range(k)
                if any(abs(v[i]) > 1e-6 * max(abs(c) for c in v) for v in null)]
    sub = dict(zip(params, values, strict=True))
    flat = [p for p in involved if problem.derivatives[params.index(p)] == 0]
    if flat and len(flat) == len(involved):
        return Identifiability(tuple(involved), (), (
            f"the model does not depend on {_and([p.name for p in flat])}."), rank, True)
    if len(involved) > 2 and len(null) == len(involved) - 1:
        combo = _depends_only_through_all(problem.model, involved)
        if combo is not None:
            return Identifiability(tuple(involved), ((combo, _number(combo.xreplace(sub))),), (
                f"the model depends on {_and([p.name for p in involved])} only through "
                f"{combo_text(combo)}, so changing them with {combo_text(combo)} fixed fits "
                "the data exactly as well."), rank, True)
    if len(null) == 1 and len(involved) == 2:
        p, q = involved
        combo = _depends_only_through(problem.model, p, q)
        if combo is not None:
            return Identifiability((p, q), ((combo, _number(combo.xreplace(sub))),), (
                f"the model depends on {p.name} and {q.name} only through "
                f"{combo_text(combo)}, so changing them with {combo_text(combo)} fixed fits "
                "the data exactly as well."), rank, True)
        # the data alone: the combination orthogonal to the null direction
        v = null[0]
        cp, cq = v[params.index(q)], -v[params.index(p)]
        combo = _linear_combo((p, q), (cp, cq))
        why = ("with these data the columns of the design matrix for "
               f"{p.name} and {q.name} are proportional (e.g. every x is the same), so the "
               "data fix only one combination of them." if problem.linear else
               f"at the fit, changing {p.name} and {q.name} along ({_g(v[params.index(p)])}, "
               f"{_g(v[params.index(q)])}) leaves every model value unchanged to first order, "
               "so the data fix only one combination of them near the fit.")
        return Identifiability((p, q), ((combo, _number(combo.xreplace(sub))),), why, rank,
                               False)
    directions = "; ".join("(" + ", ".join(f"{params[i].name}: {_g(v[i])}" for i in range(k)
                                            if abs(v[i]) > 1e-6) + ")" for v in null)
    return Identifiability(tuple(involved), (), (
        f"changing the parameters along {directions} leaves every model value unchanged "
        f"{'' if problem.linear else 'to first order '}(the Jacobian has rank {rank} < {k})."),
        rank, False)


def _g(x: float) -> str:
    return format(0.0 if abs(x) < 1e-12 else x, ".4g")


def _number(v) -> sp.Expr:
    v = sp.sympify(v)
    if v.atoms(sp.Float) or not v.is_Rational:
        try:
            return sp.Float(float(v), 15)
        except (TypeError, ValueError):
            return v
    return v


def _linear_combo(params, coeffs) -> sp.Expr:
    """c1 p + c2 q with the coefficients as small integers when their ratio is simple."""
    nonzero = [abs(c) for c in coeffs if abs(c) > 1e-12]
    base = min(nonzero) if nonzero else 1.0
    scaled = [c / base for c in coeffs]
    if scaled[0] < 0 or (abs(scaled[0]) < 1e-12 and scaled[1] < 0):
        scaled = [-c for c in scaled]
    out = []
    for c in scaled:
        r = sp.nsimplify(c, tolerance=1e-9, rational=True)
        out.append(r if r.is_Rational and r.q <= 12 and abs(r.p) <= 1000 else sp.Float(c, 6))
    return sum((c * p for c, p in zip(out, params, strict=True)), sp.Integer(0))


def chi2_hessian(problem: "Problem", a) -> list[list[float]] | None:
    """The Hessian of chi^2 at ``a`` (floats): 2 sum w (dy/da_j dy/da_k - r d2y/da_j da_k)."""
    second = problem.second_derivatives()
    a = [float(v) for v in a]
    k = len(a)
    H = [[0.0] * k for _ in range(k)]
    try:
        for x, y, w in zip(problem.xs, problem.ys, problem.ws, strict=True):
            r = y - float(problem._f(x, *a))
            d = [float(v) for v in problem._d(x, *a)]
            d2 = second(x, *a)
            for j in range(k):
                for m in range(k):
                    H[j][m] += 2 * w * (d[j] * d[m] - r * float(d2[j][m]))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return H if all(math.isfinite(v) for row in H for v in row) else None


def largest_eigenvalue(H) -> float | None:
    import numpy as np

    try:
        values = np.linalg.eigvalsh(np.array(H, dtype=float))
    except (ValueError, np.linalg.LinAlgError):
        return None
    return float(values[-1])


def fit_plot_data(result: FitResult):
    """The data points and the model curve (at the fit, or at --at)."""
    from calctutor.topics.optimise.descent import PlotData

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
