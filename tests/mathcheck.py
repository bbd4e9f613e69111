"""Test-only: decide whether two SymPy expressions are equal, independently of calctutor's
own checker (exact cancellation first, then evaluation at many real points, 50 digits)."""

import functools
import random

import numpy as np
import sympy as sp

_POINTS = [-2.7, -1.9, -1.1, -0.43, -0.12, 0.17, 0.38, 0.77, 1.3, 1.9, 2.6, 3.4]
# Functions whose value can be astronomically larger than their argument.
_GROWTH = (sp.exp, sp.sinh, sp.cosh, sp.gamma, sp.factorial)


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
def _guard(e):
    """None when ``e`` cannot grow astronomically; else a float evaluator of ``e`` (numpy,
    complex) that raises FloatingPointError as soon as any intermediate value overflows."""
    if _towers(e) < 2:
        return None
    syms = sorted(e.free_symbols, key=lambda s: s.name)
    return syms, sp.lambdify(syms, e, modules="numpy")


def _moderate(e, pt) -> bool:
    """False where some part of ``e`` is beyond double precision (about 10^308) at ``pt``.

    Evaluating such a point at 50 digits is what hangs: exp(exp(exp(exp(3.4)))) makes mpmath
    compute e to trillions of digits. Below 10^308 every part is cheap to evaluate."""
    guard = _guard(e)
    if guard is None:
        return True
    syms, f = guard
    try:
        with np.errstate(all="raise"):
            f(*(np.complex128(float(pt[s])) for s in syms))
    except (FloatingPointError, OverflowError, ZeroDivisionError):
        return False
    except Exception:  # noqa: BLE001 - numpy cannot evaluate it: no guard, evaluate as before
        return True
    return True


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
