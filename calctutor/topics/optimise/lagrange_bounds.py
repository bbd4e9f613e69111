"""Does f attain a maximum / minimum on the constraint set?  (used by lagrange)

The largest candidate of grad L = 0 is the maximum only when f has a maximum at all. Two
cheap tests decide it in the common cases:

* a *proof* of existence: the constraint set is compact (some g is coercive: a sum of even
  powers, or a positive definite quadratic, plus lower-order terms), or f itself (resp. -f)
  is coercive, so it attains its minimum (maximum) on any closed set;
* a *witness* of non-existence: a point of the constraint set where f exceeds every
  candidate (then no maximum exists, since it would be a candidate).

A third test finds a *curve* on the constraint set (a line for linear constraints, a
branch solved for one variable otherwise) along which f tends to +oo or -oo: a proof that
f has no maximum (minimum) whatever the candidates are.

Otherwise the answer is "unknown" and the view says "largest candidate".
"""

from __future__ import annotations

import math
import random

import sympy as sp

from calctutor.domain import real_roots

ATTAINED, NONE, UNKNOWN = "attained", "none", "unknown"


def coercive(p: sp.Expr, variables) -> bool:
    """Sufficient test that the polynomial p -> +oo as |x| -> oo.

    Every variable has a pure even power with a positive coefficient, and every other
    monomial has weighted degree < 1 (weights 1/(that power)); by weighted AM-GM those
    are dominated. A positive definite quadratic plus linear terms also passes.
    """
    if not p.is_polynomial(*variables):
        return False
    try:
        poly = sp.Poly(sp.expand(p), *variables)
    except (sp.PolificationFailed, sp.GeneratorsNeeded, sp.PolynomialError, ValueError):
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
    if not compact:
        # linear constraints fix some variables in terms of the others: the set is compact
        # when a remaining constraint is coercive in the remaining variables
        linear = [g for g in constraints if g.is_polynomial(*variables)
                  and sp.Poly(g, *variables).total_degree() <= 1]
        if linear and len(linear) < len(constraints):
            sol = sp.solve(linear, list(variables), dict=True)
            if len(sol) == 1:
                rest = [v for v in variables if v not in sol[0]]
                others = [sp.expand(g.xreplace(sol[0])) for g in constraints if g not in linear]
                compact = any(coercive(h, rest) or coercive(-h, rest) for h in others)
    if compact:
        return True, True
    return coercive(-f, variables), coercive(f, variables)


def witnesses(f, constraints, variables, positive: bool, tries: int = 36):
    """Points of the constraint set (found by Gauss-Newton projection of random points at
    several scales) with their f values; a few dozen, possibly none."""
    import numpy as np

    from calctutor.topics.optimise.lagrange import NUMPY

    G = sp.lambdify(variables, [real_roots(g) for g in constraints], modules=NUMPY)
    J = sp.lambdify(variables, [[real_roots(e) for e in row] for row in
                                sp.Matrix(constraints).jacobian(variables).tolist()],
                    modules=NUMPY)
    F = sp.lambdify(variables, real_roots(f), modules=NUMPY)
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
                    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(g))):
                        break   # LAPACK can spin on NaN, beyond any SIGALRM limit
                    x = x - np.linalg.lstsq(A, g, rcond=None)[0]
                g = np.array(G(*x), dtype=float)
                value = float(F(*x))
            except (ArithmeticError, ValueError, TypeError, NameError,
                    np.linalg.LinAlgError):
                # a lambdified |x| differentiates to DiracDelta/sign, which NumPy lacks
                continue
            if (not np.all(np.isfinite(x)) or not math.isfinite(value)
                    or np.linalg.norm(g) > 1e-9 * (1 + np.linalg.norm(x))
                    or positive and np.any(x <= 0)):
                continue
            out.append((tuple(float(t) for t in x), value))
    return out


def statuses(f, constraints, variables, positive, largest: float | None,
             smallest: float | None, complete: bool = False):
    """((max status, witness, evidence), (min status, witness, evidence)).

    A witness is (point, f) on the constraint with f beyond every candidate; evidence is a
    sentence naming a curve on the constraint along which f grows without bound. With
    ``complete`` (every max or min of f is among the candidates) a witness proves "none";
    without it a witness only shows the largest candidate is not the maximum.
    ``largest``/``smallest`` are None when there are no candidates.
    """
    has_max, has_min = existence(f, constraints, variables, positive)
    curves = {} if has_max and has_min else unbounded_curves(f, constraints, variables,
                                                             positive, largest, smallest)
    has_max = has_max or curves.get("attained") == 1
    has_min = has_min or curves.get("attained") == -1
    need_points = not (has_max and has_min) and not (1 in curves and -1 in curves)
    pts = witnesses(f, constraints, variables, positive) if need_points else []
    ref = [abs(v) for v in (largest, smallest) if v is not None]
    tol = 1e-6 * (1 + max(ref, default=0.0))
    out = []
    for sign, extreme, proved in ((1, largest, has_max), (-1, smallest, has_min)):
        if sign in curves:
            text, point = curves[sign]
            out.append((NONE, point, text))
        elif extreme is None:
            if complete and pts:
                # a smooth f on a smooth constraint set has its extremes among the
                # candidates: with none, f has neither (the set is not empty: pts)
                out.append((NONE, pts[0], ""))
            else:
                out.append((UNKNOWN, None, ""))
        elif proved:
            out.append((ATTAINED, None, ""))
        else:
            beyond = [w for w in pts if sign * (w[1] - extreme) > tol]
            best = max(beyond, key=lambda w: sign * w[1], default=None)
            if best is None:
                out.append((UNKNOWN, None, ""))
            else:
                out.append((NONE if complete else UNKNOWN, best, ""))
    return out[0], out[1]


def unbounded_curves(f, constraints, variables, positive, largest, smallest) -> dict:
    """{+1: (sentence, witness), -1: ...}: a curve lying on the constraint set (checked)
    along which f -> +oo (+1) or -oo (-1). Lines for linear constraints; for one
    constraint, its solution for one variable with the others as the parameter."""
    from calctutor.notation import to_text
    from calctutor.sandbox import within

    found: dict = {}
    curves_ = curves(constraints, variables, positive)
    # linear constraints with one free parameter: the set IS this line, so f tending to
    # -oo (+oo) at both ends proves f attains its maximum (minimum) there
    whole_line = len(curves_) == 1 and _linear(constraints, variables)
    for t, curve in curves_:
        ft = real_roots(f).xreplace(curve)
        limits = [within(1.0, _limit, ft, t, d, default=None) for d in (sp.oo, -sp.oo)]
        if whole_line and limits[0] == limits[1] and limits[0] in (sp.oo, -sp.oo):
            found["attained"] = 1 if limits[0] == -sp.oo else -1
        for direction, limit in zip((sp.oo, -sp.oo), limits, strict=True):
            if limit not in (sp.oo, -sp.oo):
                continue
            sign = 1 if limit == sp.oo else -1
            if sign in found:
                continue
            extreme = largest if sign == 1 else smallest
            witness = _far_point(ft, t, curve, variables, direction, sign, extreme)
            if witness is None or not _on_constraint(constraints, curve, t, direction):
                continue
            where = ", ".join(to_text(curve[v]) for v in variables)
            names = ", ".join(v.name for v in variables)
            tail = "∞" if direction == sp.oo else "−∞"
            found[sign] = (f"along ({names}) = ({where}), which satisfies the constraint for "
                           f"every {t.name}, f {'→ ∞' if sign == 1 else '→ −∞'} as "
                           f"{t.name} → {tail}", witness)
        if 1 in found and -1 in found:
            break
    return found


def _linear(constraints, variables) -> bool:
    return all(g.is_polynomial(*variables) and sp.Poly(g, *variables).total_degree() <= 1
               for g in constraints)


def _limit(expr, t, direction):
    try:
        return sp.limit(expr, t, direction)
    except Exception:  # noqa: BLE001 - sympy.limit fails in many ways; no limit is no evidence
        return None


def curves(constraints, variables, positive):
    """(parameter, {variable: expression in it}) for a few curves on the constraint set."""
    if positive:
        return []
    t = sp.Dummy("t", real=True)
    t = sp.Symbol("t", real=True) if all(v.name != "t" for v in variables) else t
    out = []
    if _linear(constraints, variables):
        sol = sp.linsolve(list(constraints), list(variables))
        if sol == sp.EmptySet:
            return []
        (row,) = list(sol)
        free = [v for v in variables if any(v in e.free_symbols for e in row)]
        for p in free:
            sub = {q: 0 for q in free if q != p}
            sub[p] = t
            out.append((t, {v: sp.expand(e.xreplace(sub)) for v, e in zip(variables, row,
                                                                           strict=True)}))
        return out
    if len(constraints) != 1:
        return []
    from calctutor.sandbox import within

    (g,) = constraints
    for v in reversed(variables):
        others = [u for u in variables if u != v]
        # only where g is a polynomial of low degree in v: solving a transcendental g for
        # v can take any time, and quartic formulas make unreadable curves
        if not g.is_polynomial(v) or sp.degree(g, v) > 3:
            continue
        branches = within(0.8, _solve_for, g, v, default=None)
        if not branches:
            continue
        for b in branches[:4]:
            if b.has(sp.I):
                continue
            for p in others:
                sub = {q: 0 for q in others if q != p}
                sub[p] = t
                curve = {u: (t if u == p else sp.Integer(0)) for u in others}
                curve[v] = real_roots(b).xreplace(sub)
                out.append((t, curve))
        if out:
            break
    return out


def _solve_for(g, v):
    try:
        return sp.solve(g, v)
    except Exception:  # noqa: BLE001 - no explicit branch is no curve, not an error
        return None


def _far_point(ft, t, curve, variables, direction, sign, extreme):
    """A point of the curve where f is beyond ``extreme`` (f checked numerically)."""
    step = 1 if direction == sp.oo else -1
    for k in range(1, 9):
        tv = sp.Integer(step * 10 ** k)
        try:
            value = float(sp.N(ft.xreplace({t: tv}), 30))
            point = tuple(float(sp.N(curve[v].xreplace({t: tv}), 30)) for v in variables)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(value) or not all(math.isfinite(p) for p in point):
            continue
        if extreme is None or sign * (value - extreme) > 1e-6 * (1 + abs(extreme)):
            return point, value
    return None


def _on_constraint(constraints, curve, t, direction) -> bool:
    """Every constraint vanishes on the curve: symbolically, else at sample points to 25 of
    40 digits relative to the size of its terms."""
    step = 1 if direction == sp.oo else -1
    for g in constraints:
        gt = real_roots(g).xreplace(curve)
        if sp.expand(gt) == 0:
            continue
        for tv in (sp.Rational(3, 7), 7, 123, 10 ** 5):
            terms = sp.Add.make_args(sp.expand(gt))
            at = [sp.N(term.xreplace({t: step * tv}), 40) for term in terms]
            try:
                size = sum(abs(complex(a)) for a in at)
                if abs(complex(sp.Add(*at))) > 1e-25 * (1 + size):
                    return False
            except TypeError:
                return False
    return True
