"""The general (n-th) term of the standard series, with where the series converges.

Recognised (c a constant, L = P + q(x − a) linear, u = x − a):
c·e^L, c·sin L, c·cos L, c·e^L1·sin L2 (or cos), c·ln L, c·L^k (the binomial series, with
1/(1 − a x) as k = −1) and c·atan L with L(a) = 0. Each gives the coefficient of uⁿ in closed
form and the interval of convergence, with its endpoints decided by the known tests (the
binomial series at u = ±1, the alternating harmonic series for ln). The caller checks the
formula against the coefficients it computed before stating it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calctutor.notation import to_text


@dataclass(frozen=True)
class KnownSeries:
    """The coefficient of (x − a)ⁿ for n ≥ ``start`` and where the series equals f."""

    coefficient: sp.Expr
    start: int
    converges: str


def _linear(L, var, a):
    """(P, q) with L = P + q·(x − a), q ≠ 0; None when L is not linear in x."""
    if not L.has(var) or not L.is_polynomial(var) or sp.degree(L, var) != 1:
        return None
    q = sp.diff(L, var)
    return sp.nsimplify(L.xreplace({var: a})) if L.xreplace({var: a}).atoms(sp.Float) else \
        sp.simplify(L.xreplace({var: a})), q


def _everywhere(var) -> str:
    return f"converges to f for every real {to_text(var)} (radius of convergence ∞)"


def interval_text(var, a, radius, left_closed: bool, right_closed: bool, why: str = "") -> str:
    """"converges to f for -1 < x ≤ 1 (radius 1)"-style text for the interval about a."""
    r = to_text(radius)
    if not left_closed and not right_closed:
        inside = f"|{to_text(var - a if a != 0 else var)}| < {r}"
    else:
        lo, hi = sp.simplify(a - radius), sp.simplify(a + radius)
        inside = (f"{to_text(lo)} {'≤' if left_closed else '<'} {to_text(var)} "
                  f"{'≤' if right_closed else '<'} {to_text(hi)}")
    return f"converges to f for {inside} (radius of convergence {r}{why})"


def _trig_shift(fn, P, n):
    """sin(P + nπ/2) or cos(P + nπ/2), with a multiple of π/2 in P moved out by the shift
    identities (cos(θ + π/2) = −sin θ, …), so cos about π/2 reads −sin(nπ/2)."""
    m = sp.simplify(P / (sp.pi / 2))
    theta = n * sp.pi / 2
    if m.is_integer:
        k = int(m) % 4 + (1 if fn is sp.cos else 0)
        return [sp.sin(theta), sp.cos(theta), -sp.sin(theta), -sp.cos(theta)][k % 4]
    return fn(P + theta)


def known_series(expr, var, a, n) -> KnownSeries | None:
    """The closed-form coefficient of (x − a)ⁿ for a standard series, or None."""
    if expr.is_Add:
        return _sum(expr, var, a, n)
    c, rest = expr.as_independent(var, as_Add=False)
    if not rest.has(var):
        return None
    factors = sp.Mul.make_args(rest)
    base = var - a if a != 0 else var
    shift = [f for f in factors if f.is_Pow and f.base == base and f.exp.is_Integer and f.exp < 0]
    if len(shift) == 1 and len(factors) > 1:
        # g(x)/(x − a)^m: the series of g moved down m places (a removable singularity when
        # g's first m coefficients are 0, which the caller's check confirms)
        m = int(-shift[0].exp)
        inner = known_series(c * sp.Mul(*(f for f in factors if f is not shift[0])), var, a, n)
        if inner is None:
            return None
        moved = inner.coefficient.subs(n, n + m)
        tidy = sp.simplify(moved)  # sin(π(n + 1)/2) reads cos(πn/2), (−1)^(n+2) reads (−1)^n
        return KnownSeries(tidy if sp.count_ops(tidy) <= sp.count_ops(moved) else moved,
                           max(0, inner.start - m), inner.converges)
    if len(factors) == 2:
        e = [f for f in factors if isinstance(f, sp.exp)]
        t = [f for f in factors if isinstance(f, (sp.sin, sp.cos))]
        if len(e) == 1 and len(t) == 1:
            return _exp_trig(c, e[0], t[0], var, a, n)
        return None
    if isinstance(rest, sp.exp):
        lin = _linear(rest.args[0], var, a)
        if lin:
            P, q = lin
            return KnownSeries(c * sp.exp(P) * q ** n / sp.factorial(n), 0, _everywhere(var))
    if isinstance(rest, (sp.sin, sp.cos)):
        lin = _linear(rest.args[0], var, a)
        if lin:
            P, q = lin
            return KnownSeries(c * q ** n * _trig_shift(type(rest), P, n) / sp.factorial(n), 0,
                               _everywhere(var))
    if isinstance(rest, (sp.sinh, sp.cosh)):
        lin = _linear(rest.args[0], var, a)
        if lin:
            P, q = lin
            sign = -1 if isinstance(rest, sp.sinh) else 1  # (e^L ∓ e^(−L))/2
            parity = sp.exp(P) if P != 0 else 1
            other = sp.exp(-P) if P != 0 else 1
            return KnownSeries(c * q ** n * (parity + sign * (-1) ** n * other) / 2
                               / sp.factorial(n), 0, _everywhere(var))
    if isinstance(rest, sp.log) and len(rest.args) == 1:
        return _log(c, rest.args[0], var, a, n)
    if isinstance(rest, sp.atan):
        lin = _linear(rest.args[0], var, a)
        if lin and lin[0] == 0:
            q = lin[1]
            radius = 1 / abs(q)
            return KnownSeries(c * sp.sin(n * sp.pi / 2) * q ** n / n, 1,
                               interval_text(var, a, radius, True, True,
                                             "; at both endpoints it is an alternating series "
                                             "with terms → 0, so it converges"))
    if isinstance(rest, sp.Pow) and not rest.exp.has(var):
        return _binomial(c, rest.base, rest.exp, var, a, n)
    return None


def _sum(expr, var, a, n):
    """A sum of series that converge everywhere and a polynomial (e^x − 1, sin x + x²): the
    coefficient is the sum of theirs beyond the polynomial's degree."""
    known, poly_degree = [], -1
    for term in expr.args:
        if term.is_polynomial(var):
            poly_degree = max(poly_degree, sp.degree(term, var) if term.has(var) else 0)
            continue
        found = known_series(term, var, a, n)
        if found is None or "every real" not in found.converges:
            return None
        known.append(found)
    if not known:
        return None
    start = max([poly_degree + 1] + [k.start for k in known])
    return KnownSeries(sp.Add(*(k.coefficient for k in known)), start, _everywhere(var))


def _exp_trig(c, e, t, var, a, n):
    l1, l2 = _linear(e.args[0], var, a), _linear(t.args[0], var, a)
    if not (l1 and l2):
        return None
    (p1, q1), (p2, q2) = l1, l2
    # e^(P1 + q1 u)·sin(P2 + q2 u) is the imaginary part of e^(P1 + iP2)·e^((q1 + i q2)u)
    r = sp.sqrt(q1 ** 2 + q2 ** 2)
    phi = sp.atan2(q2, q1)
    fn = sp.sin if isinstance(t, sp.sin) else sp.cos
    coefficient = c * sp.exp(p1) * r ** n * fn(p2 + n * phi) / sp.factorial(n)
    return KnownSeries(sp.powsimp(coefficient), 0, _everywhere(var))


def _log(c, L, var, a, n):
    lin = _linear(L, var, a)
    if not lin or not lin[0].is_positive:
        return None
    P, q = lin
    s = q / P  # ln L = ln P + ln(1 + s·u): the series of ln(1 + w) with w = s·u
    radius = 1 / abs(s)
    # w = 1 is the alternating harmonic series (converges), w = −1 the harmonic (diverges)
    right = bool(s > 0)
    return KnownSeries(c * (-1) ** (n + 1) * s ** n / n, 1,
                       interval_text(var, a, radius, not right, right,
                                     "; at one endpoint it is the alternating harmonic series, "
                                     "which converges, at the other the harmonic series, which "
                                     "diverges"))


def _binomial(c, L, k, var, a, n):
    lin = _linear(L, var, a)
    if not lin or not k.is_number or not k.is_real or (k.is_integer and k.is_nonnegative):
        return None  # a polynomial needs no general term
    P, q = lin
    if not k.is_integer and not P.is_positive:
        return None
    s = q / P  # L^k = P^k (1 + s·u)^k
    radius = 1 / abs(s)
    if k.is_integer:
        m = -k  # (1 + w)^(−m) = Σ (−1)ⁿ C(n + m − 1, m − 1) wⁿ, w = (q/P)·u
        count = sp.expand_func(sp.binomial(n + m - 1, m - 1))
        if P == 1:
            coefficient = c * count * (-q) ** n
        else:  # kept as (−q)ⁿ/Pⁿ⁺ᵐ: SymPy would fold (1/2)·(−1/2)ⁿ into −(−1/2)ⁿ⁺¹
            coefficient = c * count * (-q) ** n / P ** (n + m)
        return KnownSeries(coefficient, 0,
                           interval_text(var, a, radius, False, False,
                                         "; at both endpoints the terms do not tend to 0"))
    # the binomial series at w = 1 converges iff k > −1, at w = −1 iff k ≥ 0
    at_plus, at_minus = bool(k > -1), bool(k >= 0)
    right, left = (at_plus, at_minus) if s > 0 else (at_minus, at_plus)
    return KnownSeries(c * P ** k * sp.binomial(k, n) * s ** n, 0,
                       interval_text(var, a, radius, left, right,
                                     "; the endpoints by the binomial series' known behaviour "
                                     f"for k = {to_text(k)}"))


def ratio_radius(coefficient, n):
    """The radius lim |c_n / c_(n+1)| (None when the limit is not found)."""
    ratio = sp.Abs(sp.simplify(coefficient / coefficient.subs(n, n + 1)))
    r = sp.limit(ratio, n, sp.oo)
    if r.is_number and (r == sp.oo or (r.is_real and r.is_positive)):
        return r
    return None
