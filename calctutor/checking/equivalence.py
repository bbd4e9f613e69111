"""Are two expressions the same function? A pipeline that is sound and fast.

1. structural equality (and cheap expansion of small polynomials);
2. rational functions: exact evaluation at random rational points (no float cancellation);
3. real points in the domain of the EXPECTED expression, at 30 digits, re-checked at 60 on
   a mismatch; the point where they differ is kept as evidence;
4. a time-limited symbolic fallback. A timeout gives "could not decide", never "wrong".

Equivalence is on the real domain of the expected expression: ``log(x^2)`` expected and
``2 log(x)`` answered differ (at x = -1 the answer is not real); the other way round they
agree. Sampling is seeded, so verdicts are reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

import sympy as sp

from calctutor.results import EquivResult
from calctutor.sandbox import within

SAMPLES = (-3.7, -2.2, -1.3, -0.61, -0.17, 0.23, 0.71, 1.37, 2.9, 5.3)
NEEDED = 6          # points in the domain that must agree
EXACT_POINTS = 5    # random rational points for rational functions
SYMBOLIC_SECONDS = 1.5


@dataclass(frozen=True)
class Equivalence:
    """The verdict: ``equivalent`` is None when it could not be decided."""

    equivalent: bool | None
    method: str
    evidence: str | None = None
    notes: tuple[str, ...] = ()


def _fmt(value) -> str:
    if isinstance(value, complex):
        return "not a real number"
    return f"{value:.6g}"


def _where(point: dict) -> str:
    return ", ".join(f"{s} = {_fmt(float(v))}" for s, v in point.items())


def _evidence(point, expected, answer) -> str:
    text = f"at {_where(point)} the expected value is {_fmt(expected)} but the answer gives {_fmt(answer)}"
    if isinstance(answer, float) and _fmt(expected) == _fmt(answer):
        text += f" (they differ by {abs(expected - answer):.3g})"
    return text


def _value(expr: sp.Expr, point: dict, digits: int):
    """A real number, a complex one (outside the real domain), or None (undefined)."""
    try:
        v = expr.evalf(digits, subs=point)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_number:
        return None
    try:
        c = complex(v)
    except (TypeError, ValueError, OverflowError):
        return None
    if c.imag != 0 and abs(c.imag) > 1e-20 * max(1.0, abs(c.real)):
        return c
    return c.real


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def _points(variables, rng: random.Random, count: int):
    for _ in range(count):
        pt = {}
        for s in variables:
            v = rng.choice(SAMPLES) + rng.uniform(-0.05, 0.05)
            if s.is_positive or s.is_nonnegative:
                v = abs(v) + 0.05
            pt[s] = sp.Float(v, 30)
        yield pt


def _has_float(e: sp.Expr) -> bool:
    return bool(e.atoms(sp.Float))


def _structural(expected, answer) -> bool:
    if expected == answer:
        return True
    diff = expected - answer
    if diff == 0:
        return True
    if diff.is_polynomial() and sp.count_ops(diff) < 200 and \
            all(not (p.exp.is_Integer and p.exp > 60) for p in diff.atoms(sp.Pow)):
        return sp.expand(diff) == 0
    return False


def _removable_points(expected, answer, x) -> list[str]:
    """Notes on points where one side is undefined and the other is not (a cancelled factor)."""
    notes = []
    for name, this, other in (("first", expected, answer), ("second", answer, expected)):
        den = sp.fraction(sp.together(this))[1]
        other_den = sp.fraction(sp.together(other))[1]
        for r in sp.roots(sp.Poly(den, x)).keys() if den.has(x) else ():
            if r.is_real and other_den.xreplace({x: r}) != 0:
                notes.append(f"equal except at {x} = {r}, where the {name} expression is undefined")
    return notes


def _rational_check(expected, answer, variables, rng) -> Equivalence | None:
    if _has_float(expected) or _has_float(answer):
        return None
    if not (expected.is_rational_function(*variables) and answer.is_rational_function(*variables)):
        return None
    notes = []
    agreed = 0
    for _ in range(EXACT_POINTS * 3):
        pt = {s: sp.Rational(rng.randint(-97, 97), rng.randint(1, 13)) for s in variables}
        if any(s.is_positive and v <= 0 for s, v in pt.items()):
            pt = {s: abs(v) + 1 for s, v in pt.items()}
        e, a = expected.xreplace(pt), answer.xreplace(pt)
        if e.has(sp.zoo, sp.nan):
            continue
        if a.has(sp.zoo, sp.nan):
            return Equivalence(False, "rational-exact", _evidence(pt, float(e), complex("nan")))
        if e != a:
            return Equivalence(False, "rational-exact", _evidence(pt, float(e), float(a)))
        agreed += 1
        if agreed >= EXACT_POINTS:
            break
    if agreed < EXACT_POINTS:
        return None
    if len(variables) == 1:
        notes += _removable_points(expected, answer, variables[0])
    return Equivalence(True, "rational-exact", None, tuple(notes))


def _numeric_check(expected, answer, variables, rng) -> Equivalence | None:
    rel = 1e-9 if (_has_float(expected) or _has_float(answer)) else 1e-20
    agreed = 0
    for pt in _points(variables, rng, 40):
        e = _value(expected, pt, 30)
        if e is None or isinstance(e, complex):
            continue  # outside the expected expression's real domain
        a = _value(answer, pt, 30)
        if a is None or isinstance(a, complex) or not _close(e, a, rel):
            # confirm at higher precision before calling it a difference
            e2, a2 = _value(expected, pt, 60), _value(answer, pt, 60)
            if isinstance(e2, float) and (a2 is None or isinstance(a2, complex)
                                          or not _close(e2, a2, rel)):
                return Equivalence(False, "numeric", _evidence(pt, e2, a2 if a2 is not None else complex("nan")))
            continue
        agreed += 1
        if agreed >= NEEDED:
            return Equivalence(True, "numeric")
    return None


def _symbolic_check(expected, answer) -> Equivalence:
    verdict = within(SYMBOLIC_SECONDS, lambda: sp.simplify(expected - answer) == 0, default=None)
    if verdict is True:
        return Equivalence(True, "symbolic")
    return Equivalence(None, "undecided: too few points where both are defined and no symbolic proof "
                             f"within {SYMBOLIC_SECONDS:g} s")


def check_equivalent(expected: sp.Expr, answer: sp.Expr,
                     variables: Sequence[sp.Symbol] | None = None) -> Equivalence:
    """Is ``answer`` the same function as ``expected`` on the real domain of ``expected``?"""
    expected, answer = sp.sympify(expected), sp.sympify(answer)
    if variables is None:
        variables = sorted(expected.free_symbols | answer.free_symbols, key=lambda s: s.name)
    variables = list(variables)
    if _structural(expected, answer):
        return Equivalence(True, "structural")
    rng = random.Random(20261125)
    for check in (_rational_check, _numeric_check):
        verdict = check(expected, answer, variables, rng)
        if verdict is not None:
            return verdict
    return _symbolic_check(expected, answer)


def equiv(a_text: str, b_text: str, *, variables: Sequence[str] = (), positive: bool = False) -> EquivResult:
    """Parse two texts and check them (``calctutor equiv``); A is the reference."""
    from calctutor.parsing import parse_expression

    a = parse_expression(a_text, variables=variables, positive=positive, what="the first expression")
    b = parse_expression(b_text, variables=variables, positive=positive, what="the second expression")
    v = check_equivalent(a.expr, b.expr)
    return EquivResult(a.reading, b.reading, a.expr, b.expr, v.equivalent, v.method, v.evidence, v.notes)
