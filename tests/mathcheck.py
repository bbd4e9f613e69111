"""Test-only: decide whether SymPy expressions are equal, independently of calctutor's own
checker.

Fast path: evaluate every expression of a batch at the same ~50 real points in complex
double precision with numpy (one walk over the shared expression tree). A point counts
where both sides are finite and the ``domain`` expression (the function being
differentiated) is real. A disagreement there is confirmed at 50 digits with SymPy's evalf
before it is believed, so round-off never fails a test; expressions numpy cannot evaluate
take that 50-digit path at every point.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import numpy as np
import sympy as sp

_POINTS = [-2.7, -1.9, -1.1, -0.43, -0.12, 0.17, 0.38, 0.77, 1.3, 1.9, 2.6, 3.4]
ATTEMPTS = 48        # sample points per batch
FAST_TOL = 1e-7      # relative agreement in double precision
EXACT_TOL = 1e-25    # relative agreement at 50 digits
# Functions whose value can be astronomically larger than their argument.
_GROWTH = (sp.exp, sp.sinh, sp.cosh, sp.gamma, sp.factorial)


# ---------------------------------------------------------------------------------------
# Double precision, many points at once


class _Unsupported(Exception):
    """numpy cannot evaluate this expression: use the 50-digit path."""


def _sign(z):
    return np.where(z == 0, 0, z / np.where(z == 0, 1, np.abs(z)))


_NUMPY = {
    sp.exp: np.exp, sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan,
    sp.cot: lambda z: 1 / np.tan(z), sp.sec: lambda z: 1 / np.cos(z),
    sp.csc: lambda z: 1 / np.sin(z), sp.asin: np.arcsin, sp.acos: np.arccos,
    sp.atan: np.arctan, sp.acot: lambda z: np.arctan(1 / z), sp.sinh: np.sinh,
    sp.cosh: np.cosh, sp.tanh: np.tanh, sp.coth: lambda z: 1 / np.tanh(z),
    sp.sech: lambda z: 1 / np.cosh(z), sp.csch: lambda z: 1 / np.sinh(z),
    sp.asinh: np.arcsinh, sp.acosh: np.arccosh, sp.atanh: np.arctanh,
    sp.Abs: np.abs, sp.sign: _sign, sp.re: np.real, sp.im: np.imag,
}


def _numeric(e, values: dict, memo: dict):
    """``e`` at every point: a complex array (or scalar) computed with numpy."""
    hit = memo.get(e)
    if hit is not None:
        return hit
    if e.is_Symbol:
        v = values[e]
    elif e.is_Number or e.is_NumberSymbol or e is sp.I:
        try:
            v = complex(e)
        except (TypeError, OverflowError) as err:
            raise _Unsupported(e) from err
    elif e.is_Add:
        v = sum(_numeric(a, values, memo) for a in e.args)
    elif e.is_Mul:
        v = functools.reduce(lambda p, q: p * q, (_numeric(a, values, memo) for a in e.args))
    elif e.is_Pow:
        base, exp = _numeric(e.base, values, memo), _numeric(e.exp, values, memo)
        v = base**int(e.exp) if e.exp.is_Integer and abs(e.exp) < 64 else np.power(base, exp)
    elif e.func in _NUMPY and len(e.args) == 1:
        v = _NUMPY[e.func](_numeric(e.args[0], values, memo))
    elif e.func is sp.log and len(e.args) == 1:
        v = np.log(_numeric(e.args[0], values, memo))
    else:
        raise _Unsupported(e)
    memo[e] = v
    return v


# ---------------------------------------------------------------------------------------
# 50 digits, one point at a time


def _val(e, pt):
    if not _moderate(e, pt):
        return None
    try:
        v = complex(e.evalf(50, subs=pt))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if v != v or abs(v) == float("inf"):
        return None
    return v


def _towers(e) -> int:
    """How many growth functions (exp, x^y with a variable exponent, ...) are stacked."""
    inner = max((_towers(a) for a in e.args), default=0)
    grows = isinstance(e, _GROWTH) or (e.is_Pow and e.exp.free_symbols)
    return inner + 1 if grows else inner


@functools.lru_cache(maxsize=4096)
def _may_explode(e) -> bool:
    """True when ``e`` stacks growth functions, so it can be astronomically large."""
    return _towers(e) >= 2


def _moderate(e, pt) -> bool:
    """False where some part of ``e`` is beyond double precision (about 10^308) at ``pt``.

    Evaluating such a point at 50 digits is what hangs: exp(exp(exp(exp(3.4)))) makes mpmath
    compute e to trillions of digits. Below 10^308 every part is cheap to evaluate."""
    if not _may_explode(e):
        return True
    values = {s: np.complex128(float(v)) for s, v in pt.items()}
    try:
        with np.errstate(all="raise"):
            _numeric(e, values, {})
    except (FloatingPointError, OverflowError, ZeroDivisionError):
        return False
    except (_Unsupported, KeyError, TypeError, ValueError):
        return True  # numpy cannot tell: evaluate as before
    return True


def _real(v: complex | None) -> bool:
    return v is not None and abs(v.imag) <= 1e-30 * max(1.0, abs(v))


def _differ_exactly(a, b, domain, pt, need_real_domain: bool) -> bool | None:
    """At 50 digits: True (they differ), False (they agree) or None (not comparable)."""
    if need_real_domain and domain is not None and not all(
            _real(_val(part, pt)) for part in sp.preorder_traversal(domain) if part.args):
        return None  # the function, or a part of it, is not real here
    va, vb = _val(a, pt), _val(b, pt)
    if va is None or vb is None:
        return None
    return abs(va - vb) > EXACT_TOL * max(1.0, abs(va), abs(vb))


# ---------------------------------------------------------------------------------------
# Batches


@dataclass(frozen=True)
class Comparison:
    """How one pair fared: points where the two sides agreed, and a point where they
    differ (confirmed at 50 digits) or None. ``real_domain`` is False when no point had a
    real domain value, so the pair was compared at complex values instead."""

    agreed: int
    counterexample: dict | None
    real_domain: bool = True


def _floats(syms, attempts: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [{s: rng.choice(_POINTS) + rng.uniform(-0.03, 0.03) for s in syms}
            for _ in range(attempts)]


def _points(syms, attempts: int, seed: int) -> list[dict]:
    return [{s: sp.Float(v, 50) for s, v in p.items()} for p in _floats(syms, attempts, seed)]


def _arrays(floats: list[dict], syms) -> dict:
    return {s: np.array([p[s] for p in floats], dtype=complex) for s in syms}


def compare(pairs, attempts: int = ATTEMPTS, seed: int = 7) -> list[Comparison]:
    """Compare each ``(a, b, domain)`` (domain may be None) at the same sample points.

    A pair whose domain is real at none of them is compared where both sides are finite
    (complex values, principal branches), so that an inner step of a real function is
    still checked."""
    pairs = [(sp.sympify(a), sp.sympify(b), d) for a, b, d in pairs]
    syms = set()
    for a, b, d in pairs:
        syms |= a.free_symbols | b.free_symbols | (d.free_symbols if d is not None else set())
    syms = sorted(syms, key=sp.default_sort_key)
    floats = _floats(syms, attempts, seed)
    values = _arrays(floats, syms)
    points = _LazyPoints(floats)
    memo: dict = {}
    out = []
    with np.errstate(all="ignore"):
        for a, b, d in pairs:
            if a == b:
                out.append(Comparison(attempts, None))
                continue
            try:
                fast = _compare_fast(a, b, d, values, memo, points)
            except _Unsupported:
                fast = None
            out.append(fast if fast is not None else _compare_slow(a, b, d, points))
    return out


class _LazyPoints:
    """The sample points as 50-digit SymPy numbers, made only for the points confirmed."""

    def __init__(self, floats):
        self._floats = floats

    def __len__(self):
        return len(self._floats)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return {s: sp.Float(v, 50) for s, v in self._floats[i].items()}

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _broadcast(v, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v, dtype=complex), (n,))


def _compare_fast(a, b, d, values, memo, points) -> Comparison:
    n = len(points)
    va, vb = _broadcast(_numeric(a, values, memo), n), _broadcast(_numeric(b, values, memo), n)
    finite = np.isfinite(va) & np.isfinite(vb)
    real_domain = finite
    if d is not None:
        # real calculus: the function AND every part of it real (|sqrt(y)| is real at y < 0,
        # but the rule for |u| holds only for real u)
        _numeric(d, values, memo)
        real_domain = finite
        for part in sp.preorder_traversal(d):
            vp = memo.get(part)
            if vp is not None:
                vp = _broadcast(vp, n)
                real_domain = real_domain & np.isfinite(vp) & \
                    (np.abs(vp.imag) <= 1e-9 * np.maximum(1, np.abs(vp)))
    use_domain = bool(real_domain.any())
    where = real_domain if use_domain else finite
    scale = np.maximum(1.0, np.maximum(np.abs(va), np.abs(vb)))
    close = np.abs(va - vb) <= FAST_TOL * scale
    agreed = int((where & close).sum())
    for i in np.flatnonzero(where & ~close)[:4]:  # confirm (or clear) a few at 50 digits
        verdict = _differ_exactly(a, b, d, points[i], use_domain)
        if verdict:
            return Comparison(agreed, points[i], use_domain)
        agreed += verdict is False
    return Comparison(agreed, None, use_domain)


def _compare_slow(a, b, d, points) -> Comparison:
    results = [_differ_exactly(a, b, d, pt, True) for pt in points[:24]]
    use_domain = any(r is not None for r in results)
    if not use_domain:
        results = [_differ_exactly(a, b, d, pt, False) for pt in points[:24]]
    for pt, r in zip(points, results, strict=False):
        if r:
            return Comparison(results.count(False), pt, use_domain)
    return Comparison(results.count(False), None, use_domain)


# ---------------------------------------------------------------------------------------
# One pair


def equal(a, b, tries: int = 3, domain=None) -> bool:
    """True when ``a`` and ``b`` agree at every sampled point where both are defined, and
    they were compared at ``tries`` points at least.

    With ``domain``, only points where that expression is real count (a derivative is
    compared where its function is real: acosh' forms differ for x < -1)."""
    (c,) = compare([(a, b, domain)])
    return c.counterexample is None and c.agreed >= tries


def node_is_true(step) -> bool:
    """The contract's invariant for one step node."""
    if step.rule == "rewrite":
        return equal(step.expr, step.result, domain=step.expr)
    return equal(sp.diff(step.expr, step.var).doit(), step.result.doit(), domain=step.expr)


def real_points(expr, wanted: int = 3) -> bool:
    """True when ``expr`` and all its parts are real at ``wanted`` of the sample points."""
    syms = sorted(expr.free_symbols, key=sp.default_sort_key)
    floats = _floats(syms, 24, 11)
    values, points = _arrays(floats, syms), _LazyPoints(floats)
    memo: dict = {}
    try:
        with np.errstate(all="ignore"):
            _numeric(expr, values, memo)
            real = np.ones(len(points), dtype=bool)
            for part in sp.preorder_traversal(expr):  # every part real, as compare() wants
                v = _broadcast(memo.get(part, 0), len(points))
                real &= np.isfinite(v) & (np.abs(v.imag) <= 1e-9 * np.maximum(1, np.abs(v)))
        return int(real.sum()) >= wanted
    except _Unsupported:
        return sum(_real(_val(expr, pt)) for pt in points) >= wanted
