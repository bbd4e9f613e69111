"""Gradient descent (and ascent): s_(n+1) = s_n - gamma grad f(s_n), step by step.

Exact rational iterates when the start and the rate are exact and only a few steps are
asked for (the course's hand calculations); floats otherwise, with the stopping rule
(|grad f| < tol or a step shorter than tol) and divergence detection (a rate too large).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import sympy as sp

from calctutor.results import Reading, json_value
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy

# Exact iterates are kept while they stay this small (count of operations of a value).
EXACT_MAX_OPS = 30
# At most this many steps are taken exactly (rationals' digits grow with every step).
EXACT_MAX_STEPS = 40
# Points beyond this size count as "running away".
RUNAWAY = 1e12
# This many consecutive uphill steps (for descent) with a growing gradient = divergence.
GROWING_STEPS = 8


@dataclass(frozen=True)
class Iterate:
    """One row of the path: the point s_n, f(s_n) and grad f(s_n)."""

    n: int
    point: tuple[sp.Expr, ...]
    value: sp.Expr
    gradient: tuple[sp.Expr, ...]

    @property
    def norm(self) -> sp.Expr:
        return norm(self.gradient)

    def to_json(self, variables) -> dict:
        return {
            "n": self.n,
            "point": {v.name: json_value(p) for v, p in zip(variables, self.point, strict=True)},
            "value": json_value(self.value),
            "gradient": [json_value(g) for g in self.gradient],
        }


def norm(vector: Sequence[sp.Expr]) -> sp.Expr:
    """|v|: exact for exact entries, a Float otherwise."""
    if all(isinstance(g, sp.Float) for g in vector):
        return sp.Float(math.sqrt(sum(float(g) ** 2 for g in vector)))
    return sp.sqrt(sum(g ** 2 for g in vector))


@dataclass(frozen=True)
class DescentResult:
    """A gradient descent (``ascent``: ascent) run on ``expr`` from ``iterations[0]``.

    ``stop`` says why it stopped: "gradient" (|grad f| < tol), "step" (a step shorter than
    tol), "steps" (the N steps asked for), "max_iter", "diverged", "unbounded" (f keeps
    falling without bound), "undefined" (f or its gradient undefined at a point).
    """

    input: Reading
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    gradient: tuple[sp.Expr, ...]
    rate: sp.Expr
    ascent: bool
    iterations: tuple[Iterate, ...]
    converged: bool
    stop: str
    tol: float
    exact: bool
    steps: int | None = None
    max_iter: int = 1000
    notes: tuple[str, ...] = ()
    plot: object = None   # PlotData when --plot was asked for
    extra: dict = field(default_factory=dict)

    @property
    def final(self) -> Iterate:
        return self.iterations[-1]

    @property
    def diverged(self) -> bool:
        return self.stop in ("diverged", "unbounded")

    def to_json(self) -> dict:
        v = self.variables
        out = {
            "point": {s.name: json_value(p) for s, p in zip(v, self.final.point, strict=True)},
            "value": json_value(self.final.value),
            "converged": self.converged,
            "iterations": [it.to_json(v) for it in self.iterations],
            "input": self.input.text,
            "variables": [s.name for s in v],
            "gradient_expr": [sp.sstr(g) for g in self.gradient],
            "rate": json_value(self.rate),
            "method": "gradient ascent" if self.ascent else "gradient descent",
            "stop": self.stop,
            "diverged": self.diverged,
            "exact": self.exact,
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def answer_spec(self):
        """The point after the steps (or where the run stopped), as a list of numbers."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.checking.mistakes_optimise import descent_mistakes

        where = (f"the point after {self.steps} step{'s' if self.steps != 1 else ''}"
                 if self.steps is not None else "the point where the descent stops")
        names = tuple(s.name for s in self.variables)
        return AnswerSpec(
            "numbers", list(self.final.point), f"{where} ({', '.join(names)})",
            variables=(), mistakes=lambda: descent_mistakes(self),
            tolerance=1e-9 if self.exact else 1e-6,
            json_expected=[json_value(p) for p in self.final.point], entry_names=names)


# ---------------------------------------------------------------------------------------


def gradient_of(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> tuple[sp.Expr, ...]:
    """grad f, each partial by the step-by-step differentiator, tidied."""
    return tuple(tidy(diff_steps(expr, v).result) for v in variables)


def exact_number(value: sp.Expr) -> sp.Expr:
    """A typed short decimal (0.1, 2.5) as the exact rational it denotes; others unchanged."""
    if isinstance(value, sp.Float):
        text = repr(float(value))
        if re.fullmatch(r"-?\d+(\.\d{1,8})?", text):
            return sp.Rational(text)
    return value


def is_exact(value: sp.Expr) -> bool:
    return not value.atoms(sp.Float)


class _Evaluator:
    """f and grad f at a point: exactly (SymPy) or in floats (compiled once, math module)."""

    def __init__(self, expr, gradient, variables):
        self.exprs = (expr, *gradient)
        self.variables = tuple(variables)
        self._fast: Callable | None = None
        try:
            self._fast = sp.lambdify(self.variables, list(self.exprs), modules="math")
        except Exception:  # noqa: BLE001 - a function without a math-module form: use evalf
            self._fast = None

    def exact(self, point) -> list[sp.Expr] | None:
        """Exact values (None when undefined or not real)."""
        sub = dict(zip(self.variables, point, strict=True))
        out = []
        for e in self.exprs:
            val = tidy(e.xreplace(sub))
            if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or val.is_real is False or val.free_symbols:
                return None
            out.append(val)
        return out

    def floats(self, point) -> list[float] | None:
        """Float values (None when undefined); OverflowError propagates."""
        xs = [float(p) for p in point]
        if self._fast is not None:
            try:
                vals = [float(v) for v in self._fast(*xs)]
            except (ValueError, ZeroDivisionError, TypeError):
                return None
            except OverflowError:
                raise
            except Exception:  # noqa: BLE001 - e.g. a name the math module lacks
                self._fast = None
            else:
                return vals if all(math.isfinite(v) for v in vals) else _nonfinite(vals)
        sub = dict(zip(self.variables, [sp.Float(x) for x in xs], strict=True))
        vals = []
        for e in self.exprs:
            val = sp.N(e.xreplace(sub), 15)
            if not val.is_real or val.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                return None
            vals.append(float(val))
        return vals


def _nonfinite(vals):
    if any(math.isnan(v) for v in vals):
        return None
    raise OverflowError("the values overflowed")


def descend(expr: sp.Expr, reading: Reading, variables: Sequence[sp.Symbol],
            start: Sequence[sp.Expr], rate: sp.Expr, *, max_iter: int = 1000,
            steps: int | None = None, tol: float = 1e-8, ascent: bool = False,
            exact: bool = False) -> DescentResult:
    """Run gradient descent (``ascent``: ascent) on ``expr`` from ``start`` with step ``rate``.

    With ``steps`` exactly that many steps are taken (unless the run diverges); otherwise
    it runs until |grad f| < tol, a step shorter than tol, or ``max_iter`` steps.
    """
    variables = tuple(variables)
    gradient = gradient_of(expr, variables)
    ev = _Evaluator(expr, gradient, variables)
    sign = 1 if ascent else -1
    start = [exact_number(s) for s in start]
    rate = exact_number(rate)
    notes: list[str] = []
    limit = steps if steps is not None else max_iter
    want_exact = all(is_exact(v) for v in (*start, rate)) and (
        exact or (steps is not None and steps <= 10))
    if want_exact and limit > EXACT_MAX_STEPS:
        notes.append(f"Exact iterates are kept for at most {EXACT_MAX_STEPS} steps; "
                     "this run uses decimals.")
        want_exact = False

    iterations: list[Iterate] = []
    point = list(start) if want_exact else [sp.Float(float(s)) for s in start]
    exact_mode = want_exact
    stop = "steps" if steps is not None else "max_iter"
    uphill_run = 0
    for n in range(limit + 1):
        vals = _values(ev, point, exact_mode)
        if vals is None and exact_mode:
            # the exact values grew unwieldy (or are not real): continue in decimals
            exact_mode = False
            notes.append(f"The iterates are shown as decimals: at step {n} the exact values "
                         "became unwieldy (or not real).")
            point = [sp.Float(float(p)) for p in point]
            iterations = [_as_float(it) for it in iterations]
            vals = _values(ev, point, False)
        if vals == "overflow":
            stop = "diverged"
            notes.append(_diverged_note(rate, ascent))
            break
        if vals is None:
            where = ", ".join(f"{v} = {_short(p)}" for v, p in zip(variables, point, strict=True))
            stop = "undefined"
            notes.append(f"f or its gradient is undefined (or not real) at {where}: the "
                         "descent cannot continue from there.")
            break
        value, grad = vals[0], tuple(vals[1:])
        it = Iterate(n, tuple(point), value, grad)
        iterations.append(it)
        gnorm = float(it.norm)
        if n > 0:
            prev = iterations[-2]
            uphill = (float(value) > float(prev.value)) if not ascent else (
                float(value) < float(prev.value))
            growing = gnorm > float(prev.norm)
            uphill_run = uphill_run + 1 if (uphill and growing) else 0
        size = max(abs(float(p)) for p in point) if point else 0.0
        if uphill_run >= GROWING_STEPS or (size > RUNAWAY and uphill_run):
            stop = "diverged"
            notes.append(_diverged_note(rate, ascent))
            break
        if size > RUNAWAY:
            stop = "unbounded"
            notes.append(f"The point runs off to infinity while f keeps "
                         f"{'rising' if ascent else 'falling'}: f appears to have no "
                         f"{'maximum' if ascent else 'minimum'} along this path.")
            break
        if n == limit:
            break
        if steps is None and gnorm < tol:
            stop = "gradient"
            break
        step = [rate * g for g in grad]
        if steps is None and float(rate) * gnorm < tol:
            stop = "step"
            break
        point = [p + sign * d for p, d in zip(point, step, strict=True)]
        if exact_mode:
            point = [sp.nsimplify(p) if p.atoms(sp.Float) else p for p in point]
    final = iterations[-1] if iterations else None
    converged = stop in ("gradient", "step") or (final is not None and float(final.norm) < tol)
    if stop == "max_iter" and not converged:
        notes.append(f"Stopped after --max-iter {max_iter} steps without converging: |grad f| "
                     f"is still {_short(final.norm)} and f went from {_short(iterations[0].value)} "
                     f"to {_short(final.value)}. Allow more steps (--max-iter), try a larger "
                     f"--rate, or check that f has a {'maximum' if ascent else 'minimum'} at all.")
    if stop == "steps" and len(iterations) > 1 and not ascent and final.value != iterations[0].value:
        first, last = iterations[0].value, final.value
        if float(last) > float(first):
            notes.append(f"f went up from {_short(first)} to {_short(last)}: the steps "
                         "overshoot the valley, so the rate is too large for this function.")
    if not iterations:  # undefined at the start
        from calctutor.errors import UsageError

        raise UsageError(notes[-1] if notes else "f is undefined at the start point")
    return DescentResult(reading, expr, variables, gradient, rate, ascent, tuple(iterations),
                         bool(converged), stop, tol, exact_mode, steps, max_iter, tuple(notes))


def _values(ev: _Evaluator, point, exact_mode):
    """[f, df/dx1, ...] at ``point``: exact values, floats as Floats, "overflow" or None."""
    if exact_mode:
        vals = ev.exact(point)
        if vals is None or any(sp.count_ops(v) > EXACT_MAX_OPS for v in vals):
            return None
        return vals
    try:
        vals = ev.floats(point)
    except OverflowError:
        return "overflow"
    if vals is None:
        return None
    if any(abs(v) > 1e150 for v in vals):
        return "overflow"
    return [sp.Float(v) for v in vals]


def _as_float(it: Iterate) -> Iterate:
    f = lambda v: sp.Float(float(v))  # noqa: E731
    return Iterate(it.n, tuple(map(f, it.point)), f(it.value), tuple(map(f, it.gradient)))


def _diverged_note(rate, ascent) -> str:
    what = "ascent" if ascent else "descent"
    return (f"The {what} diverges: each step overshoots and the values grow. The rate is too "
            f"large: try a smaller --rate (e.g. {_short(rate / 10)}).")


def _short(v) -> str:
    """A number for a sentence: exact as it is, a float to 6 significant digits."""
    v = sp.sympify(v)
    if is_exact(v) and sp.count_ops(v) <= 8:
        return sp.sstr(v)
    return format(float(v), ".6g")


# -- the picture ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PlotData:
    """Numbers for a terminal plot (drawn by ``render.doc.Plot``): (label, xs, ys) series."""

    curves: tuple
    points: tuple = ()
    title: str = ""
    xlabel: str = "x"
    ylabel: str = "y"


MAX_PATH_POINTS = 200
LEVEL_GRID = 80


def descent_plot_data(result: DescentResult) -> PlotData | None:
    """Two variables: the path over level sets of f; one: f and the iterates; more: f per step."""
    its = list(result.iterations)
    if len(its) > MAX_PATH_POINTS:  # keep the start, the end and evenly spaced steps
        stride = math.ceil(len(its) / MAX_PATH_POINTS)
        its = its[::stride] + ([its[-1]] if its[-1] is not its[::stride][-1] else [])
    pts = [[float(p) for p in it.point] for it in its]
    vals = [float(it.value) for it in its]
    f = sp.lambdify(result.variables, result.expr, modules="math")

    def safe(*args):
        try:
            v = float(f(*args))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.nan
        return v if math.isfinite(v) else math.nan

    name = "ascent" if result.ascent else "descent"
    if len(result.variables) == 1:
        xs = [p[0] for p in pts]
        lo, hi = _window(xs)
        grid = [lo + (hi - lo) * k / 200 for k in range(201)]
        return PlotData((("f", tuple(grid), tuple(safe(x) for x in grid)),),
                        (("iterates", tuple(xs), tuple(vals)),),
                        f"Gradient {name} on f", result.variables[0].name, "f")
    if len(result.variables) == 2:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        (x0, x1), (y0, y1) = _window(xs), _window(ys)
        levels = _levels(vals)
        points = []
        for c in levels:
            lx, ly = _level_set(safe, c, x0, x1, y0, y1)
            if lx:
                points.append((f"f = {c:.3g}", tuple(lx), tuple(ly)))
        curves = (("path", tuple(xs), tuple(ys)),)
        return PlotData(curves, tuple(points), f"Gradient {name}: the path over level sets of f",
                        result.variables[0].name, result.variables[1].name)
    return PlotData((("f(s_n)", tuple(float(it.n) for it in its), tuple(vals)),), (),
                    f"f at each step of the {name}", "n", "f")


def _window(values, margin: float = 0.15) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (-1.0, 1.0)
    pad = (hi - lo) * margin or max(abs(hi), 1.0) * 0.5
    return lo - pad, hi + pad


def _levels(values, count: int = 4) -> list[float]:
    """The values of f at the first distinct iterates: the level sets the path crosses
    where the picture shows most."""
    out: list[float] = []
    for v in values:
        if math.isfinite(v) and all(abs(v - w) > 1e-6 * (1 + abs(w)) for w in out):
            out.append(v)
        if len(out) == count:
            break
    return out


def _level_set(f, c, x0, x1, y0, y1, n: int = LEVEL_GRID):
    """Points where f = c: sign changes of f - c along the rows and columns of a grid."""
    xs, ys = [], []
    gx = [x0 + (x1 - x0) * i / n for i in range(n + 1)]
    gy = [y0 + (y1 - y0) * j / n for j in range(n + 1)]
    vals = [[f(x, y) - c for y in gy] for x in gx]
    for i, x in enumerate(gx):
        for j in range(n):
            a, b = vals[i][j], vals[i][j + 1]
            if math.isfinite(a) and math.isfinite(b) and a * b < 0:
                xs.append(x)
                ys.append(gy[j] + (gy[j + 1] - gy[j]) * a / (a - b))
    for j, y in enumerate(gy):
        for i in range(n):
            a, b = vals[i][j], vals[i + 1][j]
            if math.isfinite(a) and math.isfinite(b) and a * b < 0:
                xs.append(gx[i] + (gx[i + 1] - gx[i]) * a / (a - b))
                ys.append(y)
    return xs, ys
