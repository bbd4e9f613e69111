"""Test-only: decide whether two SymPy expressions are equal, independently of calctutor's
own checker (exact cancellation first, then evaluation at many real points, 50 digits)."""

import random

import sympy as sp

_POINTS = [-2.7, -1.9, -1.1, -0.43, -0.12, 0.17, 0.38, 0.77, 1.3, 1.9, 2.6, 3.4]


def _val(e, pt):
    try:
        v = complex(e.evalf(50, subs=pt))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if v != v or abs(v) == float("inf"):
        return None
    return v


def equal(a, b, tries: int = 12, domain=None) -> bool:
    """True when a and b agree at every sampled point where both are defined (at least 3).

    With ``domain``, only points where that expression is real count (a derivative is
    compared where its function is real: acosh' forms differ for x < -1)."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a == b or sp.expand(a - b) == 0:
        return True
    syms = sorted(a.free_symbols | b.free_symbols | (domain.free_symbols if domain is not None else set()),
                  key=lambda s: s.name)
    rng = random.Random(7)
    agree = 0
    for _ in range(tries * 3):
        pt = {s: sp.Float(rng.choice(_POINTS) + rng.uniform(-0.03, 0.03), 50) for s in syms}
        if domain is not None:
            d = _val(domain, pt)
            if d is None or abs(d.imag) > 1e-30:
                continue
        va, vb = _val(a, pt), _val(b, pt)
        if va is None or vb is None:
            continue
        if abs(va.imag) > 1e-30 or abs(vb.imag) > 1e-30:
            if abs(va - vb) > 1e-25 * max(1, abs(va)):
                return False
            continue
        if abs(va - vb) > 1e-25 * max(1, abs(va), abs(vb)):
            return False
        agree += 1
        if agree >= tries:
            return True
    return agree >= 3


def node_is_true(step) -> bool:
    """The contract's invariant for one step node."""
    if step.rule == "rewrite":
        return equal(step.expr, step.result, domain=step.expr)
    return equal(sp.diff(step.expr, step.var).doit(), step.result.doit(), domain=step.expr)


def real_points(expr, wanted: int = 3) -> bool:
    """True when ``expr`` is real at ``wanted`` of the sample points (it has a real domain)."""
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    rng = random.Random(11)
    found = 0
    for _ in range(24):
        pt = {s: sp.Float(rng.choice(_POINTS) + rng.uniform(-0.03, 0.03), 30) for s in syms}
        v = _val(expr, pt)
        if v is not None and abs(v.imag) <= 1e-25:
            found += 1
            if found >= wanted:
                return True
    return False
