"""Lagrange multipliers: stationary points of f on g = 0 from grad L = 0, L = f - lam g.

The system is solved exactly by ``sympy.solve`` within a time limit; when that fails (too
slow, or not solvable in closed form) it is solved numerically by Newton's method on
grad L = 0 from many starting points, and the result says so.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Sequence

import sympy as sp

from calctutor.calculus.lagrange_bounds import UNKNOWN, statuses
from calctutor.results import Reading, json_value
from calctutor.sandbox import within
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy

SOLVE_SECONDS = 3.0       # soft limit for the exact solve
NUMERIC_STARTS = 60       # starting points of the numerical fall-back
NUMERIC_SECONDS = 6.0     # soft limit for the numerical fall-back
SAME = 1e-7               # relative distance under which two numerical roots are one


@dataclass(frozen=True)
class Candidate:
    """A stationary point of L: the point, its multipliers and f there."""

    point: tuple[sp.Expr, ...]
    multipliers: tuple[sp.Expr, ...]
    value: sp.Expr

    def to_json(self, variables) -> dict:
        return {
            "point": {v.name: _text(p) for v, p in zip(variables, self.point, strict=True)},
            "multipliers": [_text(m) for m in self.multipliers],
            "value": _text(self.value),
        }

    @property
    def numeric_value(self) -> float:
        return float(sp.re(sp.N(self.value, 20)))


def _text(v) -> str:
    """Exact values in SymPy syntax; floats as decimal strings (both read back by sympify)."""
    v = json_value(v)
    return repr(v) if isinstance(v, float) else v


@dataclass(frozen=True)
class LagrangeResult:
    """The problem, its Lagrangian and system, the candidates and which are max and min.

    ``method`` is "exact" (sympy.solve) or "numeric" (Newton from many starts).
    """

    input: Reading
    expr: sp.Expr
    constraints: tuple[sp.Expr, ...]
    constraint_readings: tuple[Reading, ...]
    variables: tuple[sp.Symbol, ...]
    multipliers: tuple[sp.Symbol, ...]
    lagrangian: sp.Expr
    equations: tuple[sp.Expr, ...]
    candidates: tuple[Candidate, ...]
    method: str
    positive: bool = False
    goal: str = "max"
    notes: tuple[str, ...] = ()
    families: tuple[dict, ...] = ()   # solutions with a free parameter (not isolated points)
    extra: dict = field(default_factory=dict)
    # "attained" (proved), "none" (a point beats every candidate: no max) or "unknown"
    max_status: str = "unknown"
    min_status: str = "unknown"
    max_witness: tuple | None = None   # (point floats, f) showing f > every candidate
    min_witness: tuple | None = None

    @property
    def largest(self) -> tuple[Candidate, ...]:
        """The candidates with the largest f (the maximum, if f has one)."""
        return _extreme(self.candidates, max)

    @property
    def smallest(self) -> tuple[Candidate, ...]:
        return _extreme(self.candidates, min)

    @property
    def maximum(self) -> tuple[Candidate, ...]:
        """The largest candidates, or () when f provably has no maximum on the constraint."""
        return () if self.max_status == "none" else self.largest

    @property
    def minimum(self) -> tuple[Candidate, ...]:
        return () if self.min_status == "none" else self.smallest

    def to_json(self) -> dict:
        v = self.variables
        out = {
            "lagrangian": sp.sstr(self.lagrangian),
            "equations": [sp.sstr(e) for e in self.equations],
            "candidates": [c.to_json(v) for c in self.candidates],
            "maximum": [c.to_json(v) for c in self.maximum],
            "minimum": [c.to_json(v) for c in self.minimum],
            "input": self.input.text,
            "constraints": [sp.sstr(g) for g in self.constraints],
            "variables": [s.name for s in v],
            "multipliers": [s.name for s in self.multipliers],
            "method": self.method,
            "maximum_status": self.max_status,
            "minimum_status": self.min_status,
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def answer_spec(self):
        """``goal`` max/min: the optimum value; system: the components of grad L."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.checking.mistakes_optimise import lagrange_mistakes
        from calctutor.errors import UsageError

        names = tuple(s.name for s in (*self.variables, *self.multipliers))
        if self.goal == "system":
            return AnswerSpec("vector", list(self.equations), "the components of grad L",
                              variables=(*self.variables, *self.multipliers),
                              positive=self.positive,
                              mistakes=lambda: lagrange_mistakes(self),
                              entry_names=tuple(f"dL/d{n}" for n in names))
        best = self.maximum if self.goal == "max" else self.minimum
        if not best:
            if self.candidates:
                word = "maximum" if self.goal == "max" else "minimum"
                raise UsageError(f"f has no {word} on the constraint, so there is no {word} "
                                 "value to check")
            raise UsageError("no candidates were found, so there is no optimum to check")
        what = "the maximum value of f" if self.goal == "max" else "the minimum value of f"
        return AnswerSpec("number", best[0].value, what, variables=(),
                          mistakes=lambda: lagrange_mistakes(self),
                          tolerance=1e-6 if self.method == "numeric" else 1e-9)


def _extreme(candidates, pick) -> tuple[Candidate, ...]:
    if not candidates:
        return ()
    best = pick(c.numeric_value for c in candidates)
    return tuple(c for c in candidates if abs(c.numeric_value - best) <= 1e-9 * max(1, abs(best)))


# ---------------------------------------------------------------------------------------


def multiplier_names(count: int, taken: set[str]) -> list[str]:
    """lam for one constraint, lam1, lam2, ... for several (avoiding names in use)."""
    base = "lam"
    while any(n == base or n.startswith(base) and n[len(base):].isdigit() for n in taken):
        base += "_"
    return [base] if count == 1 else [f"{base}{k}" for k in range(1, count + 1)]


def lagrangian(f, constraints, multipliers) -> sp.Expr:
    """L = f - lam1 g1 - lam2 g2 - ... (the course's sign convention)."""
    return f - sum((m * g for m, g in zip(multipliers, constraints, strict=True)), sp.Integer(0))


def system(L, variables, multipliers) -> tuple[sp.Expr, ...]:
    """grad L with respect to the variables, then the multipliers (those give -g)."""
    unknowns = (*variables, *multipliers)
    out = []
    for v in unknowns:
        d = tidy(diff_steps(L, v).result)
        # a polynomial component reads best multiplied out, as the course writes it
        out.append(sp.expand(d) if d.is_polynomial(*unknowns) else d)
    return tuple(out)


def solve_lagrange(f: sp.Expr, reading: Reading, constraints: Sequence[sp.Expr],
                   readings: Sequence[Reading], variables: Sequence[sp.Symbol],
                   multipliers: Sequence[sp.Symbol], *, positive: bool = False,
                   goal: str = "max", solve_seconds: float | None = None) -> LagrangeResult:
    """Build L, its system grad L = 0, solve it (exactly, else numerically), pick max/min."""
    variables, multipliers = tuple(variables), tuple(multipliers)
    L = lagrangian(f, constraints, multipliers)
    eqs = system(L, variables, multipliers)
    unknowns = (*variables, *multipliers)
    notes: list[str] = []
    seconds = SOLVE_SECONDS if solve_seconds is None else solve_seconds
    exact = within(seconds, _solve_exact, eqs, unknowns, default=None)
    families: list[dict] = []
    if exact is not None:
        sols, families = exact
        candidates = [_candidate(f, variables, multipliers, s) for s in sols]
        candidates = [c for c in candidates if c is not None and _allowed(c, positive)]
        method = "exact"
        if families:
            notes.append("Some solutions form a curve or surface of stationary points (not "
                         "isolated points); they are not listed as candidates.")
    else:
        method = "numeric"
        candidates = within(NUMERIC_SECONDS, _solve_numeric, f, eqs, variables, multipliers,
                            positive, default=[]) or []
        notes.append("The system could not be solved exactly within the time limit, so it "
                     f"was solved numerically (Newton's method from {NUMERIC_STARTS} starting "
                     "points): the candidates are approximate and some may be missing.")
    candidates = sorted(candidates, key=lambda c: [float(sp.N(p)) for p in c.point])
    if not candidates:
        notes.append("No stationary point of L was found" + (
            " with all variables positive." if positive else "."))
    status = {}
    if candidates:
        values = [c.numeric_value for c in candidates]
        (mx, mxw), (mn, mnw) = within(
            2.0, statuses, f, constraints, variables, positive, max(values), min(values),
            default=((UNKNOWN, None), (UNKNOWN, None)))
        status = dict(max_status=mx, min_status=mn, max_witness=mxw, min_witness=mnw)
        if UNKNOWN in (mx, mn):
            notes.append("The largest and smallest values of f among the candidates are the "
                         "maximum and minimum only if f has them: the constraint set is not "
                         "known to be bounded, so f might have no maximum or minimum there.")
    return LagrangeResult(reading, f, tuple(constraints), tuple(readings), variables,
                          multipliers, L, eqs, tuple(candidates), method, positive, goal,
                          tuple(notes), tuple(families), **status)


def _solve_exact(eqs, unknowns):
    """(isolated solutions, families) from sympy.solve; None when it cannot solve it."""
    try:
        # check=False: solve's own check imports sympy.physics (1.7 s); we check below
        sols = sp.solve(list(eqs), list(unknowns), dict=True, check=False)
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    isolated, families = [], []
    for s in sols:
        if any(u not in s for u in unknowns) or any(
                (val.free_symbols & set(unknowns)) for val in s.values()):
            families.append(s)
            continue
        if _satisfies(eqs, s):
            isolated.append(s)
    if not isolated and not families:
        # solve found nothing: let the numerical search look for what it missed
        return None
    return isolated, families


def _satisfies(eqs, sol) -> bool:
    """Every equation holds at ``sol`` (exactly, or to 1e-9 numerically)."""
    for e in eqs:
        value = e.xreplace(sol)
        if value == 0:
            continue
        try:
            if abs(complex(sp.N(value, 30))) > 1e-9:
                return False
        except (TypeError, ValueError):
            return False
    return True


def _candidate(f, variables, multipliers, sol) -> Candidate | None:
    vals = [sol[u] for u in (*variables, *multipliers)]
    if any(v.is_real is False or v.has(sp.I) and sp.im(sp.N(v)) != 0 for v in vals):
        return None
    vals = [tidy(sp.re(v)) if v.has(sp.I) else v for v in vals]
    point = tuple(vals[:len(variables)])
    value = tidy(f.xreplace(dict(zip(variables, point, strict=True))))
    return Candidate(point, tuple(vals[len(variables):]), value)


def _allowed(c: Candidate, positive: bool) -> bool:
    if not positive:
        return True
    return all(sp.N(p) > 0 for p in c.point)


# -- numerical fall-back -------------------------------------------------------------------
def _solve_numeric(f, eqs, variables, multipliers, positive) -> list[Candidate]:
    """Newton's method on grad L = 0 from many seeded starts, roots deduplicated."""
    unknowns = (*variables, *multipliers)
    F = sp.lambdify(unknowns, list(eqs), modules="math")
    J = sp.lambdify(unknowns, sp.Matrix(eqs).jacobian(unknowns).tolist(), modules="math")
    rng = random.Random(1)
    n, m = len(variables), len(multipliers)
    roots: list[list[float]] = []
    for k in range(NUMERIC_STARTS):
        scale = 1.5 if k < NUMERIC_STARTS // 2 else 4.0
        z = [rng.uniform(0.05, scale) if positive else rng.uniform(-scale, scale)
             for _ in range(n)] + [rng.uniform(-2, 2) for _ in range(m)]
        root = _newton(F, J, z)
        if root is None or (positive and any(v <= 0 for v in root[:n])):
            continue
        if not any(_same(root, r) for r in roots):
            roots.append(root)
    out = []
    for r in roots:
        point = tuple(sp.Float(v, 15) for v in r[:n])
        value = sp.Float(float(sp.N(f.xreplace(dict(zip(variables, point, strict=True))), 15)), 15)
        out.append(Candidate(point, tuple(sp.Float(v, 15) for v in r[n:]), value))
    return out


def _newton(F, J, z, iterations: int = 60):
    def size(v):
        return math.sqrt(sum(t * t for t in v))

    try:
        fz = [float(t) for t in F(*z)]
        for _ in range(iterations):
            if size(fz) < 1e-13:
                break
            step = _linear_solve([[float(t) for t in row] for row in J(*z)], [-t for t in fz])
            if step is None:
                return None
            # damped: halve the step until |F| decreases (keeps far starts from flying off)
            t = 1.0
            while t > 1e-4:
                trial = [a + t * b for a, b in zip(z, step, strict=True)]
                ft = [float(v) for v in F(*trial)]
                if size(ft) < size(fz):
                    break
                t /= 2
            z, fz = trial, ft
            if size([t * s for s in step]) < 1e-15 * (1 + size(z)):
                break
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    if not all(math.isfinite(v) for v in z) or size(fz) > 1e-9:
        return None
    return z


def _linear_solve(A, b):
    """Gaussian elimination with partial pivoting; None for a singular matrix."""
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    scale = max((abs(v) for row in A for v in row), default=0.0)
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        if abs(M[p][c]) <= 1e-14 * scale or scale == 0:
            return None
        M[c], M[p] = M[p], M[c]
        for r in range(c + 1, n):
            k = M[r][c] / M[c][c]
            for j in range(c, n + 1):
                M[r][j] -= k * M[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (M[r][n] - sum(M[r][j] * x[j] for j in range(r + 1, n))) / M[r][r]
    return x


def _same(a, b) -> bool:
    return all(abs(u - v) <= SAME * (1 + abs(u)) for u, v in zip(a, b, strict=True))
