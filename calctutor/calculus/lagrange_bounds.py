"""Does f attain a maximum / minimum on the constraint set?  (used by lagrange)

The largest candidate of grad L = 0 is the maximum only when f has a maximum at all. Two
cheap tests decide it in the common cases:

* a *proof* of existence: the constraint set is compact (some g is coercive: a sum of even
  powers, or a positive definite quadratic, plus lower-order terms), or f itself (resp. -f)
  is coercive, so it attains its minimum (maximum) on any closed set;
* a *witness* of non-existence: a point of the constraint set where f exceeds every
  candidate (then no maximum exists, since it would be a candidate).

Otherwise the answer is "unknown" and the view says "largest candidate".
"""

from __future__ import annotations

import math
import random

import sympy as sp

ATTAINED, NONE, UNKNOWN = "attained", "none", "unknown"


def coercive(p: sp.Expr, variables) -> bool:
    """Sufficient test that the polynomial p -> +oo as |x| -> oo.

    Every variable has a pure even power with a positive coefficient, and every other
    monomial has weighted degree < 1 (weights 1/(that power)); by weighted AM-GM those
    are dominated. A positive definite quadratic plus linear terms also passes.
    """
    try:
        poly = sp.Poly(sp.expand(p), *variables)
    except (sp.PolificationFailed, sp.GeneratorsNeeded, ValueError):
        return False
    if not (poly.domain.is_ZZ or poly.domain.is_QQ or poly.domain.is_RR):
        return False
    terms = poly.terms()
    n = len(variables)
    if poly.total_degree() == 2:
        Q = sp.zeros(n, n)
        for mon, c in terms:
            if sum(mon) != 2:
                continue
            idx = [i for i, e in enumerate(mon) for _ in range(e)]
            i, j = idx
            if i == j:
                Q[i, i] += c
            else:
                Q[i, j] += sp.Rational(1, 2) * c
                Q[j, i] += sp.Rational(1, 2) * c
        try:
            if Q.is_positive_definite:
                return True
        except (TypeError, ValueError):
            pass
    top = [0] * n
    for mon, c in terms:
        nz = [i for i, e in enumerate(mon) if e]
        if len(nz) == 1 and mon[nz[0]] % 2 == 0 and c > 0:
            top[nz[0]] = max(top[nz[0]], mon[nz[0]])
    if not all(top):
        return False
    for mon, _ in terms:
        nz = [i for i, e in enumerate(mon) if e]
        if len(nz) == 1 and mon[nz[0]] == top[nz[0]]:
            continue
        if sum(sp.Rational(e, top[i]) for i, e in enumerate(mon)) >= 1:
            return False
    return True


def existence(f, constraints, variables, positive: bool) -> tuple[bool, bool]:
    """(max surely exists, min surely exists) by the coercivity tests (None-free)."""
    if positive:   # {g = 0, x > 0} is not closed: the extreme may lie on the boundary
        return False, False
    compact = any(coercive(g, variables) or coercive(-g, variables) for g in constraints)
    if compact:
        return True, True
    return coercive(-f, variables), coercive(f, variables)


def witnesses(f, constraints, variables, positive: bool, tries: int = 36):
    """Points of the constraint set (found by Gauss-Newton projection of random points at
    several scales) with their f values; a few dozen, possibly none."""
    import numpy as np

    G = sp.lambdify(variables, list(constraints), modules="numpy")
    J = sp.lambdify(variables, sp.Matrix(constraints).jacobian(variables).tolist(),
                    modules="numpy")
    F = sp.lambdify(variables, f, modules="numpy")
    rng = random.Random(7)
    out = []
    n = len(variables)
    with np.errstate(all="ignore"):
        for k in range(tries):
            scale = (3.0, 30.0, 300.0)[k % 3]
            x = np.array([rng.uniform(0, scale) if positive else rng.uniform(-scale, scale)
                          for _ in range(n)])
            try:
                for _ in range(40):
                    g = np.array(G(*x), dtype=float)
                    if np.linalg.norm(g) < 1e-12 * (1 + np.linalg.norm(x)):
                        break
                    A = np.array(J(*x), dtype=float).reshape(len(constraints), n)
                    x = x - np.linalg.lstsq(A, g, rcond=None)[0]
                g = np.array(G(*x), dtype=float)
                value = float(F(*x))
            except (ValueError, TypeError, ZeroDivisionError, OverflowError,
                    np.linalg.LinAlgError):
                continue
            if (not np.all(np.isfinite(x)) or not math.isfinite(value)
                    or np.linalg.norm(g) > 1e-9 * (1 + np.linalg.norm(x))
                    or positive and np.any(x <= 0)):
                continue
            out.append((tuple(float(t) for t in x), value))
    return out


def statuses(f, constraints, variables, positive, largest: float, smallest: float):
    """((max status, witness), (min status, witness)); a witness is (point, f) or None."""
    has_max, has_min = existence(f, constraints, variables, positive)
    pts = [] if has_max and has_min else witnesses(f, constraints, variables, positive)
    tol = 1e-6 * (1 + max(abs(largest), abs(smallest)))
    above = max((w for w in pts if w[1] > largest + tol), key=lambda w: w[1], default=None)
    below = min((w for w in pts if w[1] < smallest - tol), key=lambda w: w[1], default=None)
    mx = (ATTAINED, None) if has_max else (NONE, above) if above else (UNKNOWN, None)
    mn = (ATTAINED, None) if has_min else (NONE, below) if below else (UNKNOWN, None)
    return mx, mn
