"""Gradient descent (and ascent): s_(n+1) = s_n - gamma grad f(s_n), step by step.

Exact rational iterates when the start and the rate are exact and only a few steps are
asked for (the course's hand calculations); floats otherwise, with the stopping rule
(|grad f| < tol or a step shorter than tol) and divergence detection (a rate too large).

Every run also says what it shows: the step-size limit 2/L (L the largest eigenvalue of
the Hessian: everywhere for a quadratic, at the points of the path otherwise), the trend of
|grad f| (oscillating, diverging, still making progress), and what kind of point the run
reached (minimum, saddle, maximum, inconclusive, not stationary) by the Hessian there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Sequence

import sympy as sp

from calctutor.domain import real_roots
from calctutor.notation import inline, prose
from calctutor.results import Reading, json_value
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy

# Exact iterates are kept while they stay this small (count of operations of a value).
EXACT_MAX_OPS = 30
# ... and while every fraction in them has at most this many digits (numerator and
# denominator together): past that a table cell is no longer readable.
EXACT_MAX_DIGITS = 40
# At most this many steps are taken exactly (rationals' digits grow with every step).
EXACT_MAX_STEPS = 40
# Points beyond this size count as "running away".
RUNAWAY = 1e12
# This many consecutive uphill steps (for descent) with a growing gradient = divergence.
GROWING_STEPS = 8
# A step shorter than tol ends the run only when |grad f| is at most this many times tol:
# with a tiny rate the steps are short everywhere, which says nothing about the gradient.
STEP_STOP_FACTOR = 1000
# Oscillation: |grad f| no smaller than this many steps ago, the gradient flipping each step.
OSCILLATION_WINDOW = 50


@dataclass(frozen=True)
class Iterate:
    """One row of the path: the point s_n, f(s_n) and grad f(s_n)."""

    n: int
    point: tuple[sp.Expr, ...]
    value: sp.Expr
    gradient: tuple[sp.Expr, ...]

    @cached_property
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
class Stability:
    """The step-size limit from the curvature: steps with rate below 2/L do not overshoot.

    ``L`` is the largest eigenvalue of the Hessian (of −Hessian for ascent) at ``where``
    ("everywhere" for a quadratic, else "the start", "the final point", "the path": the
    largest over the iterates); None when the Hessian has no positive eigenvalue there.
    """

    L: sp.Expr | None
    where: str
    rate: sp.Expr
    ascent: bool = False

    @property
    def limit(self) -> sp.Expr | None:
        return None if self.L is None else 2 / self.L

    @property
    def side(self) -> str | None:
        """"below", "at" or "above" the limit (None without one)."""
        if self.limit is None:
            return None
        return _compare(self.rate, self.limit)

    def to_json(self) -> dict:
        return {"L": None if self.L is None else json_value(_tidy_number(self.L)),
                "limit": None if self.limit is None else json_value(_tidy_number(self.limit)),
                "where": self.where, "rate_vs_limit": self.side}

    def sentence(self) -> str:
        if self.L is None:
            where = "anywhere (f is quadratic)" if self.where == "everywhere" else \
                _at(self.where)
            return (f"The Hessian{' of −f' if self.ascent else ''} has no positive eigenvalue "
                    f"{where}, so it sets no limit on the rate.")
        where = ("the same everywhere: f is quadratic" if self.where == "everywhere"
                 else _at(self.where))
        verdict = {"below": "below it", "at": "exactly at it: the steps neither shrink nor "
                   "grow along the steepest direction", "above": "above it: the steps "
                   "overshoot and grow"}[self.side]
        return (f"Step-size limit: L = {_short(self.L)} (the largest eigenvalue of the Hessian, "
                f"{where}); steps are stable for γ < 2/L = {_short(self.limit)}. "
                f"γ = {_short(self.rate)} is {verdict}.")


@dataclass(frozen=True)
class PointKind:
    """What the Hessian says about the final point: ``kind`` is "minimum", "maximum",
    "saddle", "inconclusive" or "not stationary"; ``eigenvalues`` in ascending order."""

    kind: str
    eigenvalues: tuple[float, ...] = ()
    explanation: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "hessian_eigenvalues": [float(e) for e in self.eigenvalues],
                "explanation": self.explanation}


@dataclass(frozen=True)
class DescentResult:
    """A gradient descent (``ascent``: ascent) run on ``expr`` from ``iterations[0]``.

    ``stop`` says why it stopped: "gradient" (|grad f| < tol), "step" (a step shorter than
    tol, with |grad f| small too), "steps" (the N steps asked for), "max_iter", "diverged",
    "oscillating" (|grad f| no longer shrinking while the iterates swing back and forth),
    "unbounded" (f keeps falling without bound), "undefined" (f or its gradient undefined at
    a point). ``status`` is the verdict on the run: the kind of point reached (minimum,
    maximum, saddle, inconclusive, not_stationary) or the stop when the run went wrong.
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
    status: str = ""
    stability: Stability | None = None
    point_kind: PointKind | None = None
    warnings: tuple[str, ...] = ()

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
            "status": self.status,
        }
        if self.stability is not None:
            out["stability"] = self.stability.to_json()
        if self.point_kind is not None:
            out["point_kind"] = self.point_kind.to_json()
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def answer_spec(self):
        """The point after the steps (or where the run stopped), as a list of numbers."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.topics.optimise.mistakes import descent_mistakes

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


def digits(value) -> int:
    """How many decimal digits the largest fraction in ``value`` has (numerator and
    denominator together), from bit lengths: never converts a huge integer to text."""
    value = sp.sympify(value)
    most = 0
    for r in value.atoms(sp.Rational):
        bits = abs(int(r.p)).bit_length() + int(r.q).bit_length()
        most = max(most, int(bits * 0.30103) + 1)
    return most


class _Evaluator:
    """f, grad f and the Hessian at a point: exactly (SymPy) or in floats (compiled once).

    Odd roots are the real roots (``domain.real_roots``) in every evaluation.
    """

    def __init__(self, expr, gradient, variables):
        variables = tuple(variables)
        self.variables = variables
        self.exprs = tuple(real_roots(e) for e in (expr, *gradient))
        self.hessian = sp.Matrix([[real_roots(sp.diff(g, v)) for v in variables]
                                  for g in gradient])
        self.constant_hessian = not self.hessian.free_symbols & set(variables)
        self._fast: Callable | None = None
        self._fast_h: Callable | None = None
        try:
            self._fast = sp.lambdify(variables, list(self.exprs), modules="math")
        except Exception:  # noqa: BLE001 - a function without a math-module form: use evalf
            self._fast = None
        try:
            self._fast_h = sp.lambdify(variables, self.hessian.tolist(), modules="math")
        except Exception:  # noqa: BLE001 - as above
            self._fast_h = None

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
        if any(not math.isfinite(x) for x in xs):
            raise OverflowError("the point overflowed")
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

    def hessian_floats(self, point):
        """The Hessian as a NumPy array at ``point`` (None when undefined or not finite)."""
        import numpy as np

        try:
            xs = [float(p) for p in point]
            if self._fast_h is not None:
                try:
                    rows = self._fast_h(*xs)
                except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                    return None
                except Exception:  # noqa: BLE001 - a name the math module lacks
                    self._fast_h = None
            if self._fast_h is None:
                sub = dict(zip(self.variables, [sp.Float(x) for x in xs], strict=True))
                rows = [[complex(sp.N(e.xreplace(sub), 15)) for e in row]
                        for row in self.hessian.tolist()]
                if any(abs(v.imag) > 1e-12 * (1 + abs(v.real)) for row in rows for v in row):
                    return None
                rows = [[v.real for v in row] for row in rows]
            H = np.array(rows, dtype=float)
        except (ValueError, TypeError, OverflowError, ZeroDivisionError):
            return None
        return H if np.all(np.isfinite(H)) else None

    def eigen(self, point):
        """(ascending eigenvalues, eigenvectors as columns) of the Hessian, or None."""
        import numpy as np

        H = self.hessian_floats(point)
        if H is None:
            return None
        values, vectors = np.linalg.eigh((H + H.T) / 2)
        return values, vectors


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
    it runs until |grad f| < tol, a step shorter than tol, or ``max_iter`` steps. The result
    carries the step-size limit, the trend and what kind of point was reached.
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
    if want_exact and digits(sp.Tuple(*start, rate)) > EXACT_MAX_DIGITS:
        want_exact = False
    if not want_exact:
        try:
            floats = [float(s) for s in start]
        except (TypeError, ValueError, OverflowError):
            floats = [math.inf]
        if not all(math.isfinite(x) for x in floats):
            from calctutor.errors import UsageError

            raise UsageError("the start point is too large to compute with (beyond 1e308)")

    iterations: list[Iterate] = []
    point = list(start) if want_exact else [sp.Float(float(s)) for s in start]
    exact_mode = want_exact
    stop = "steps" if steps is not None else "max_iter"
    uphill_run = 0
    rate_f = float(rate)
    # "running away" is relative to where the run started: a start at 1e50 is not a runaway
    runaway = RUNAWAY * max(1.0, max(abs(float(p)) for p in point) if point else 1.0)
    for n in range(limit + 1):
        vals = _values(ev, point, exact_mode)
        if isinstance(vals, str) and vals.startswith("long") and exact_mode:
            exact_mode = False
            notes.append(f"From step {n} on the iterates are decimals: the exact fractions "
                         f"grew past {EXACT_MAX_DIGITS} digits ({vals[5:]} digits at step {n}).")
            point = [_to_float(p) for p in point]
            vals = _values(ev, point, False)
        elif vals is None and exact_mode:
            # not real (or not simplifiable) exactly: continue in decimals
            exact_mode = False
            notes.append(f"From step {n} on the iterates are decimals: the exact values "
                         "became unwieldy (or not real).")
            point = [_to_float(p) for p in point]
            vals = _values(ev, point, False)
        if vals == "overflow":
            stop = "diverged"
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
        if uphill_run >= GROWING_STEPS or (size > runaway and uphill_run):
            stop = "diverged"
            break
        if size > runaway:
            stop = "unbounded"
            notes.append(f"The point runs off to infinity while f keeps "
                         f"{'rising' if ascent else 'falling'}: f appears to have no "
                         f"{'maximum' if ascent else 'minimum'} along this path.")
            break
        if steps is None and gnorm >= tol and _oscillating(iterations):
            stop = "oscillating"
            break
        if n == limit:
            break
        if steps is None and gnorm < tol:
            stop = "gradient"
            break
        if steps is None and rate_f * gnorm < tol and gnorm <= STEP_STOP_FACTOR * tol:
            stop = "step"
            break
        if exact_mode:
            point = [p + sign * rate * g for p, g in zip(point, grad, strict=True)]
            point = [sp.nsimplify(p) if p.atoms(sp.Float) else p for p in point]
        else:  # plain floats: SymPy arithmetic per step would dominate long runs
            point = [sp.Float(float(p) + sign * rate_f * float(g))
                     for p, g in zip(point, grad, strict=True)]
    if not iterations:  # nothing computable at the start
        from calctutor.errors import UsageError

        if stop == "diverged":
            raise UsageError("f or its gradient is too large to compute at the start point "
                             "(beyond 1e150): choose a start closer to the origin")
        raise UsageError(notes[-1] if notes else "f is undefined at the start point")
    final = iterations[-1]
    converged = stop in ("gradient", "step") or (
        stop not in ("diverged", "unbounded", "undefined", "oscillating")
        and float(final.norm) < tol)
    run = _Run(ev, expr, variables, tuple(iterations), rate, ascent, tol, stop, steps,
               max_iter, converged)
    stability = run.stability()
    kind = prose(run.point_kind) if stop not in ("diverged", "unbounded", "undefined",
                                             "oscillating") else None
    notes += run.trend_notes(stability)
    warnings = run.warnings(kind)
    status = kind.kind.replace(" ", "_") if kind is not None else stop
    return DescentResult(reading, expr, variables, gradient, rate, ascent, tuple(iterations),
                         bool(converged), stop, tol, exact_mode, steps, max_iter, tuple(notes),
                         status=status, stability=stability, point_kind=kind,
                         warnings=tuple(warnings))


def _to_float(p) -> sp.Float:
    try:
        x = float(p)
    except (OverflowError, TypeError, ValueError):
        x = math.inf
    return sp.Float(x) if math.isfinite(x) else sp.Float(math.copysign(1e308, float(
        sp.sign(p)) or 1.0))


def _values(ev: _Evaluator, point, exact_mode):
    """[f, df/dx1, ...] at ``point``: exact values, floats as Floats, "overflow", None,
    or "long:<digits>" when exact fractions grew past EXACT_MAX_DIGITS."""
    if exact_mode:
        size = digits(sp.Tuple(*point))
        if size > EXACT_MAX_DIGITS:
            return f"long:{size}"
        if any(sp.count_ops(p) > EXACT_MAX_OPS or p.atoms(sp.Function) for p in point):
            # an iterate holding a transcendental value (x1 = -7473/2500 - 3e^(-9)/5000)
            # only grows, and simplifying f there (e^(-x1^2)) can take gigabytes: decimals
            return None
        vals = ev.exact(point)
        if vals is None or any(sp.count_ops(v) > EXACT_MAX_OPS for v in vals):
            return None
        size = digits(sp.Tuple(*vals))
        if size > EXACT_MAX_DIGITS:
            return f"long:{size}"
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


def _oscillating(iterations: list[Iterate]) -> bool:
    """The iterates swing back and forth without settling: the point two steps back comes
    again (a 2-cycle), or over OSCILLATION_WINDOW steps |grad f| did not shrink while the
    gradient reversed at every step."""
    n = len(iterations) - 1
    if n >= 2:
        a, b = iterations[-1], iterations[-3]
        if a.point == b.point and a.point != iterations[-2].point:
            return True
    if n < OSCILLATION_WINDOW:
        return False
    window = iterations[-OSCILLATION_WINDOW - 1:]
    if float(window[-1].norm) < float(window[0].norm) * (1 - 1e-9):   # rounding is no progress
        return False
    return all(_dot(u.gradient, w.gradient) < 0 for u, w in zip(window, window[1:], strict=False))


def _dot(u, w) -> float:
    return math.fsum(float(a) * float(b) for a, b in zip(u, w, strict=True))


def _compare(a, b) -> str:
    """"below", "at" or "above": exactly for exact numbers, else to 1e-12 relative."""
    a, b = sp.sympify(a), sp.sympify(b)
    if is_exact(a) and is_exact(b):
        d = sp.nsimplify(a - b) if (a - b).is_number else a - b
        if d.is_zero:
            return "at"
        if d.is_positive:
            return "above"
        if d.is_negative:
            return "below"
    fa, fb = float(a), float(b)
    if abs(fa - fb) <= 1e-12 * max(abs(fa), abs(fb)):
        return "at"
    return "above" if fa > fb else "below"


def _tidy_number(v):
    v = sp.sympify(v)
    if is_exact(v) and sp.count_ops(v) <= 8 and digits(v) <= EXACT_MAX_DIGITS:
        return v
    return sp.Float(float(v), 15)


def nice_rate_below(limit) -> sp.Expr:
    """A round rate safely below ``limit`` (= 2/L): about 1/L, the rate that takes the
    steepest direction straight to its minimum for a quadratic; exact when 1/L is a simple
    fraction, else 1/L rounded down to one significant digit."""
    half = sp.sympify(limit) / 2
    if half.is_Rational and half.q <= 100 and abs(half.p) <= 1000:
        return half
    x = float(half)
    if not x > 0 or not math.isfinite(x):
        return sp.Float(0.01)
    e = math.floor(math.log10(x))
    lead = math.floor(x / 10 ** e)
    return sp.Float(float(f"{lead}e{e}"), 15)


def _trend(values: Sequence[float], head: int = 4, tail: int = 2) -> str:
    vals = [format(v, ".3g") for v in values]
    if len(vals) <= head + tail + 1:
        return ", ".join(vals)
    return ", ".join(vals[:head]) + ", …, " + ", ".join(vals[-tail:])


@dataclass
class _Run:
    """A finished run and the verdicts drawn from it."""

    ev: _Evaluator
    expr: sp.Expr
    variables: tuple
    iterations: tuple
    rate: sp.Expr
    ascent: bool
    tol: float
    stop: str
    steps: int | None
    max_iter: int
    converged: bool

    @property
    def what(self) -> str:
        return "ascent" if self.ascent else "descent"

    def _curvature(self, point) -> float | None:
        """The largest eigenvalue of H (of −H for ascent) at ``point``."""
        e = self.ev.eigen(point)
        if e is None:
            return None
        values = e[0]
        return float(-values[0] if self.ascent else values[-1])

    def stability(self) -> Stability | None:
        """L where it matters for this run: everywhere (quadratic), the start (a divergence
        starts there), the points of the swing (oscillation), else the final point."""
        its = self.iterations
        if self.ev.constant_hessian:
            L = self._exact_curvature()
            if L is None:
                L = self._curvature(its[0].point)
                L = None if L is None else sp.Float(L)
            return Stability(L if L is not None and L > 0 else None, "everywhere", self.rate,
                             self.ascent)
        if self.stop in ("unbounded", "undefined"):
            return None
        if self.stop == "diverged":
            # where the overshooting begins: the first point (iterate or midway between two)
            # at which the rate reaches 2/L; the path further on runs away
            spots = _spots(its[:200])
        elif self.stop == "oscillating":
            spots = _spots(its[-4:])
        else:
            spots = [(f"the final point s_{its[-1].n}", its[-1].point)]
        best = None
        for where, point in spots:
            L = self._curvature(point)
            if L is None or not L > 0:
                continue
            if self.stop == "diverged" and _compare(self.rate, 2 / sp.Float(L, 15)) != "below":
                return Stability(sp.Float(L, 15), where, self.rate, self.ascent)
            if best is None or L > best[0]:
                best = (L, where)
        if best is None:
            return Stability(None, spots[0][0] if len(spots) == 1 else "along the path",
                             self.rate, self.ascent)
        L, where = best
        if len(spots) > 1:
            where = f"along the path (largest at {where})"
        return Stability(sp.Float(L, 15), where, self.rate, self.ascent)

    def _path_stability(self, st: Stability | None) -> Stability | None:
        """The limit from the largest curvature over the path (at most 200 iterates)."""
        if st is None or st.L is None:
            return None
        if st.where == "everywhere":
            return st
        its = self.iterations
        stride = max(1, len(its) // 200)
        Ls = [self._curvature(it.point) for it in its[::stride]] + [float(st.L)]
        L = max(v for v in Ls if v is not None)
        return Stability(sp.Float(L, 15), "along the path", self.rate, self.ascent)

    def _exact_curvature(self):
        H = -self.ev.hessian if self.ascent else self.ev.hessian
        if not all(v.is_Rational for v in H) or H.rows > 3:
            return None
        try:
            eigs = list(H.eigenvals())
        except Exception:  # noqa: BLE001 - no closed form: the float eigenvalues serve
            return None
        if not all(e.is_real for e in eigs):
            return None
        return max(eigs, key=lambda e: float(e))

    # -- the trend and the advice -----------------------------------------------------
    def trend_notes(self, st: Stability | None) -> list[str]:
        its, what = self.iterations, self.what
        norms = [float(it.norm) for it in its]
        out: list[str] = []
        smaller = self._smaller_rate(st)
        if self.stop == "diverged":
            out.append(f"The {what} diverges: each step overshoots and |∇f| grows ("
                       f"{_trend(norms)} at steps 0 to {its[-1].n}). {smaller}")
        elif self.stop == "oscillating":
            a, b = its[-2], its[-1]
            swing = (f"the iterates swing between {_point(a.point)} and {_point(b.point)}"
                     if len(its) >= 3 and its[-3].point == b.point else
                     "the gradient reverses at every step")
            back = min(OSCILLATION_WINDOW, len(norms) - 1)
            out.append(f"The {what} oscillates without settling: {swing}, and |∇f| does not "
                       f"shrink ({norms[-1 - back]:.3g} at step {its[-1 - back].n}, "
                       f"{norms[-1]:.3g} at step {its[-1].n}). {smaller}")
        elif self.stop == "max_iter" and not self.converged:
            out.append(self._max_iter_advice(norms, st))
        elif self.stop == "steps" and len(its) > 1:
            first, last = float(its[0].value), float(its[-1].value)
            worse = last > first if not self.ascent else last < first
            if worse:
                out.append(f"f went {'up' if not self.ascent else 'down'} from "
                           f"{_short(its[0].value)} to {_short(its[-1].value)}: the steps "
                           f"overshoot, so the rate is too large for this function. {smaller}")
            elif st is not None and st.side in ("at", "above"):
                out.append(f"The rate is {'at' if st.side == 'at' else 'above'} the step-size "
                           f"limit: run without --steps to see the trend. {smaller}")
        return out

    def _smaller_rate(self, st: Stability | None) -> str:
        if st is not None and st.limit is not None and st.side != "below":
            nice = nice_rate_below(st.limit)
            near = "" if st.where == "everywhere" else f" {_at(st.where)}"
            verdict = "is exactly at" if st.side == "at" else "is above"
            return (f"γ = {_short(self.rate)} {verdict} the step-size limit 2/L = "
                    f"{_short(st.limit)}{near} (L = {_short(st.L)}, the largest eigenvalue of "
                    f"the Hessian{' of −f' if self.ascent else ''}). Try a smaller --rate below "
                    f"{_short(st.limit)}, e.g. {_short(nice)}.")
        if st is not None and st.limit is not None:
            return (f"γ = {_short(self.rate)} is below 2/L at every point of the path checked "
                    f"(the smallest limit is {_short(st.limit)}, L = {_short(st.L)} "
                    f"{_at(st.where)}), so the curvature there does not explain it. Try a smaller "
                    f"--rate (e.g. {_short(self.rate / 10)}) or another start, and check that f "
                    f"has a {'maximum' if self.ascent else 'minimum'} at all.")
        return (f"Try a smaller --rate (e.g. {_short(self.rate / 10)}): the Hessian "
                "gives no step-size limit here.")

    def _max_iter_advice(self, norms: list[float], st: Stability | None) -> str:
        n = len(norms) - 1
        w = min(OSCILLATION_WINDOW, n)
        head = (f"Stopped after --max-iter {self.max_iter} steps without converging: |∇f| is "
                f"still {norms[-1]:.3g}")
        if w == 0:
            return head + "."
        recent = norms[-w - 1:]
        falling = sum(b < a for a, b in zip(recent, recent[1:], strict=False))
        if recent[-1] < recent[0] and falling >= 0.9 * w:
            per_step = (recent[-1] / recent[0]) ** (1 / w) if recent[0] > 0 else 0.0
            mid = recent[w // 2]
            first_half = (mid / recent[0]) ** (1 / (w // 2)) if recent[0] > 0 and w >= 2 else 0.0
            more = (math.ceil(math.log(self.tol / norms[-1]) / math.log(per_step))
                    if 0 < per_step < 1 else None)
            text = (f"{head} but still falling steadily ({recent[0]:.3g} → {recent[-1]:.3g} over "
                    f"the last {w} steps, ×{_factor(per_step)} per step).")
            if more is not None and more < 10 ** 7:
                text += (f" At that pace about {more} more steps reach |∇f| < {self.tol:g}: "
                         f"allow them with --max-iter {self.max_iter + more}.")
            else:
                text += " Allow more steps with --max-iter."
            if first_half > per_step * (1 + 1e-9) and more is not None:
                text += " The pace is slowing, so it will take more than that."
            text += self._rate_hint(st)
            return text
        values = [float(it.value) for it in self.iterations[-w - 1:]]
        downhill = values[-1] < values[0] if not self.ascent else values[-1] > values[0]
        if downhill and abs(values[-1] - values[0]) > 1e-12 * (1 + abs(values[0])):
            text = (f"{head}, and it is not falling steadily ({recent[0]:.3g} → {recent[-1]:.3g} "
                    f"over the last {w} steps), though f is still "
                    f"{'falling' if not self.ascent else 'rising'} ({values[0]:.6g} → "
                    f"{values[-1]:.6g}): the run is still {'going downhill' if not self.ascent else 'climbing'}, but the trend does "
                    "not show whether more steps would converge.")
            if st is not None and st.side in ("at", "above"):
                text += " " + self._smaller_rate(st)
            return text
        text = (f"{head}, and neither |∇f| ({recent[0]:.3g} → {recent[-1]:.3g}) nor f is "
                f"improving over the last {w} steps: more steps alone would not help.")
        if st is not None and st.side in ("at", "above"):
            text += " " + self._smaller_rate(st)
        else:
            text += (f" Check that f has a {'maximum' if self.ascent else 'minimum'} near "
                     "this path, or try another start.")
        return text

    def _rate_hint(self, st: Stability | None) -> str:
        """A different rate that provably converges faster (quadratic f: the error along each
        eigenvector shrinks by |1 − γλ| per step), or, for other f, a larger rate that stays
        below 2/L over the whole path so far."""
        if st is None or st.limit is None:
            return ""
        if st.side != "below":
            return " " + self._smaller_rate(st)
        if st.where == "everywhere":
            e = self.ev.eigen(self.iterations[0].point)
            if e is None:
                return ""
            lams = [(-v if self.ascent else v) for v in map(float, e[0])]
            lo, hi = min(lams), max(lams)
            if not lo > 0:
                return ""
            factor = lambda g: max(abs(1 - g * lam) for lam in lams)  # noqa: E731
            # 2/(L + μ) balances the steepest and the flattest direction: the best rate
            best = nice_rate_below(sp.nsimplify(4 / (hi + lo), rational=True, tolerance=1e-12))
            now = factor(float(self.rate))
            if factor(float(best)) < now * (1 - 1e-3):
                return (f" Another rate converges faster: with γ = {_short(self.rate)} the "
                        f"error shrinks by ×{_factor(now)} per step (the worst of |1 − γλ| over the "
                        f"Hessian's eigenvalues {', '.join(format(v, '.4g') for v in lams)}); "
                        f"with --rate {_short(best)} by ×{_factor(factor(float(best)))}.")
            return ""
        path = self._path_stability(st)
        if path is not None and float(nice_rate_below(path.limit)) > 1.5 * float(self.rate):
            return (f" A larger rate may get there faster: γ = {_short(self.rate)} is well "
                    f"below 2/L = {_short(path.limit)} over the path so far (L = "
                    f"{_short(path.L)}, the largest eigenvalue of the Hessian there), and "
                    f"--rate {_short(nice_rate_below(path.limit))} stays below it.")
        return ""

    # -- the point reached --------------------------------------------------------------
    def point_kind(self) -> PointKind:
        its = self.iterations
        final = its[-1]
        gnorm = float(final.norm)
        where = _point(final.point)
        if not (self.converged or gnorm < self.tol):
            return PointKind("not stationary", (), (
                f"{where} is not a stationary point: |∇f| = {gnorm:.3g} there (the run stopped "
                "before the gradient vanished)."))
        e = self.ev.eigen(final.point)
        if e is None:
            return PointKind("inconclusive", (), (
                f"The Hessian cannot be evaluated at {where}: the second-derivative test is "
                "inconclusive."))
        values, vectors = e
        eigs = tuple(float(v) for v in values)
        shown = ", ".join(format(v, ".4g") for v in eigs)
        scale = max(1.0, max(abs(v) for v in eigs))
        small = [v for v in eigs if abs(v) <= 1e-6 * scale]
        shift = None if small else self._newton_shift(final, values, vectors)
        if shift is not None and gnorm > 0:
            # name the stationary point itself, not the iterate next to it
            size = max(1.0, max(abs(float(p)) for p in final.point))
            if math.sqrt(sum(d * d for d in shift)) <= 1e-3 * size:
                est = [float(p) - d for p, d in zip(final.point, shift, strict=True)]
                est = [0.0 if abs(c) < 1e-9 * size else c for c in est]
                where = (f"{_point([sp.Float(c, 6) for c in est])} (the stationary point "
                         f"next to s_{final.n})")
        if small:
            return PointKind("inconclusive", eigs, (
                f"The Hessian at {where} is singular (eigenvalues {shown}): the second-"
                "derivative test is inconclusive, so the kind of point is not decided by it."))
        if shift is not None:
            e2 = self.ev.eigen([float(p) - d for p, d in zip(final.point, shift, strict=True)])
            if e2 is not None and any(
                    a * b <= 0 or not 0.5 <= b / a <= 2 for a, b in zip(values, e2[0], strict=True)):
                return PointKind("inconclusive", eigs, (
                    f"The Hessian at {where} has eigenvalues {shown}, but they change fast "
                    f"nearby ({', '.join(format(float(v), '.4g') for v in e2[0])} at the "
                    "stationary point's estimated position, one Newton step away): the Hessian "
                    "is nearly singular there and the second-derivative test is inconclusive."))
        if all(v > 0 for v in eigs):
            return PointKind("minimum", eigs, f"{where} is a local minimum: the Hessian there "
                             f"has only positive eigenvalues ({shown}).")
        if all(v < 0 for v in eigs):
            return PointKind("maximum", eigs, f"{where} is a local maximum: the Hessian there "
                             f"has only negative eigenvalues ({shown}).")
        return PointKind("saddle", eigs, f"{where} is a saddle point: the Hessian there has "
                         f"eigenvalues of both signs ({shown}).")

    def _newton_shift(self, final, values, vectors):
        """H^-1 grad f at the final point (the distance to the stationary point)."""
        g = [float(v) for v in final.gradient]
        if not any(g):
            return None
        coeffs = [math.fsum(vectors[i][k] * g[i] for i in range(len(g))) / values[k]
                  for k in range(len(g))]
        return [math.fsum(vectors[i][k] * coeffs[k] for k in range(len(g)))
                for i in range(len(g))]

    def warnings(self, kind: PointKind | None) -> list[str]:
        if kind is None:
            return []
        good = "maximum" if self.ascent else "minimum"
        if kind.kind in (good, "not stationary"):
            return []
        if kind.kind == "inconclusive":
            return [kind.explanation + self._probe_text()]
        bad = "minimum" if self.ascent else "maximum"
        if kind.kind not in ("saddle", bad):
            return []
        return [self._escape_text(kind)]

    def _probe_text(self) -> str:
        """What the run itself shows when the Hessian test cannot decide."""
        its = self.iterations
        vals = [float(it.value) for it in its]
        better = (lambda a, b: b <= a) if not self.ascent else (lambda a, b: b >= a)
        if len(vals) > 1 and all(better(a, b) for a, b in zip(vals, vals[1:], strict=False)):
            word = "fell" if not self.ascent else "rose"
            good = "minimum" if not self.ascent else "maximum"
            return (f" f {word} at every step (from {vals[0]:.6g} to {vals[-1]:.6g}), which is "
                    f"consistent with a {good} with a flat bottom (like x^4 at 0) but does not "
                    "prove one.")
        return ""

    def _escape_text(self, kind: PointKind) -> str:
        """Why the run stopped at a saddle (or the wrong extremum) and a start that escapes."""
        its = self.iterations
        final, start = its[-1], its[0]
        e = self.ev.eigen(final.point)
        values, vectors = e
        k = 0 if not self.ascent else len(values) - 1
        v = [float(vectors[i][k]) for i in range(len(values))]
        big = max(range(len(v)), key=lambda i: abs(v[i]))
        v = [c / v[big] for c in v]   # the largest entry 1: (0, 1) rather than (0, -0.99..)
        s = [float(p) for p in final.point]
        s0 = [float(p) for p in start.point]
        offset = [a - b for a, b in zip(s0, s, strict=True)]
        norm_v = math.sqrt(sum(c * c for c in v))
        along = math.fsum(a * c for a, c in zip(offset, v, strict=True)) / norm_v
        size = math.sqrt(sum(a * a for a in offset)) + 1.0
        direction = "(" + ", ".join(_g(c) for c in v) + ")" if len(v) > 1 else ""
        dirword = (f"along {direction}" if direction else "on either side")
        falls = "falls" if not self.ascent else "rises"
        head = kind.explanation + f" f {falls} from it {dirword}."
        if its[-1].n == 0:
            why = (f" The {self.what} cannot move: ∇f = 0 at the start, so every step is zero.")
        elif abs(along) <= 1e-9 * size:
            ridge = _ridge(self.variables, v, s)
            why = (f" The {self.what} stopped there because it started exactly on the ridge "
                   f"{ridge}: the start has no component along that direction, and the steps "
                   "never create one.")
        else:
            why = (f" The {self.what} stopped there because it started very close to the "
                   f"ridge through it (off by {abs(along):.2g} along that direction).")
        return head + why + self._escape_run(s0, v)

    def _escape_run(self, s0, v) -> str:
        """Run the same steps from a start nudged along ``v``: the evidence that it escapes."""
        f0 = float(self.iterations[-1].value)
        h = 1e-3 * max(1.0, max(abs(p) for p in s0))
        nudged = [a + h * c for a, c in zip(s0, v, strict=True)]
        x = list(nudged)
        sign = 1 if self.ascent else -1
        rate = float(self.rate)
        limit = max(200, 2 * self.iterations[-1].n + 200)
        for n in range(limit + 1):
            try:
                vals = self.ev.floats(x)
            except OverflowError:
                vals = None
            if vals is None:
                break
            beyond = vals[0] < f0 - 1e-6 * (1 + abs(f0)) if not self.ascent else \
                vals[0] > f0 + 1e-6 * (1 + abs(f0))
            if beyond:
                return (f" A tiny change in the start escapes: from {_point(nudged)} the same "
                        f"{self.what} reaches f = {vals[0]:.6g} after {n} steps, "
                        f"{'below' if not self.ascent else 'above'} f = {f0:.6g} here.")
            x = [a + sign * rate * g for a, g in zip(x, vals[1:], strict=True)]
        return (f" A start nudged off it, e.g. {_point(nudged)}, has a component along that "
                "direction; the steps tried from there did not yet leave the saddle's level.")


def _factor(f: float) -> str:
    """A per-step factor; one within 0.001 of 1 as 1 − ε, so that it does not read as 1."""
    if 0.999 < f < 1:
        return f"(1 − {1 - f:.2g})"
    return format(f, ".4g")


def _at(where: str) -> str:
    return where if where.startswith(("along", "everywhere")) else f"at {where}"


def _spots(its):
    """(label, point) for the iterates and the points midway between consecutive ones: an
    overshoot can jump over a region of high curvature that no iterate lands in."""
    out = []
    for a, b in zip(its, its[1:], strict=False):
        out.append((f"s_{a.n}", a.point))
        mid = tuple((float(p) + float(q)) / 2 for p, q in zip(a.point, b.point, strict=True))
        out.append((f"midway between s_{a.n} and s_{b.n}", mid))
    out.append((f"s_{its[-1].n}", its[-1].point))
    return out


def _g(x: float) -> str:
    return format(0.0 if abs(x) < 1e-12 else x, ".4g")


def _point(values) -> str:
    vals = [_short(v) for v in values]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"


def _ridge(variables, v, s) -> str:
    """The set of starts that lead to the saddle's line: v·(x − s) = 0, written out."""
    terms = []
    for name, c, a in zip((x.name for x in variables), v, s, strict=True):
        if abs(c) < 1e-12:
            continue
        sym = sp.Symbol(name)
        c_ = sp.nsimplify(round(c, 6), rational=True) if abs(c - round(c, 6)) < 1e-9 else sp.Float(c, 4)
        a_ = sp.nsimplify(round(a, 6), rational=True) if abs(a) < 1e-6 or abs(a - round(a, 6)) < 1e-9 \
            else sp.Float(a, 6)
        if abs(a) < 1e-6:
            a_ = 0
        terms.append(c_ * (sym - a_))
    lhs = sp.expand(sum(terms, sp.Integer(0)))
    const = lhs.as_coeff_Add()[0]
    text = f"{sp.sstr(lhs - const)} = {sp.sstr(-const)}"
    return text.replace("*", "·").replace("**", "^")


def _short(v) -> str:
    """A number for a sentence: exact as it is (when short, in learner notation and typeset
    inside ``notation.prose``), a float to 6 significant digits."""
    v = sp.sympify(v)
    if is_exact(v) and sp.count_ops(v) <= 8 and digits(v) <= EXACT_MAX_DIGITS:
        return inline(v)
    try:
        return format(float(v), ".6g")
    except (TypeError, ValueError, OverflowError):
        return "a very large number"


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
