"""Mistakes that fit any answer: a flipped sign, a wrong constant factor.

Each command's own mal-rules come through ``AnswerSpec.mistakes``; these are tried last,
for every command, by ``calctutor.checking.answer.diagnose``.
"""

from __future__ import annotations

import sympy as sp

from calctutor.checking.answer import AnswerSpec, Mistake, compare
from calctutor.checking.equivalence import probe_value


def _scale(value, k):
    if isinstance(value, (list, tuple)):
        return [_scale(v, k) for v in value]
    return k * value


def _constant_ratio(expected: sp.Expr, answer: sp.Expr) -> sp.Expr | None:
    """answer / expected when it is a nonzero constant other than 1: the same simple
    fraction at two probe points (cheap); the caller confirms it with ``compare``."""
    if expected == 0 or answer == 0:
        return None
    ratios = []
    for k in (0, 1):
        e, a = probe_value(expected, k), probe_value(answer, k)
        if e is None or a is None or e == 0:
            return None
        ratios.append(a / e)
    if abs(ratios[0] - ratios[1]) > 1e-9 * max(1.0, abs(ratios[0])):
        return None
    ratio = sp.Rational(ratios[0]).limit_denominator(1000)
    if ratio in (0, 1) or abs(float(ratio) - ratios[0]) > 1e-9 * max(1.0, abs(ratios[0])):
        return None
    return ratio


def generic_diagnosis(spec: AnswerSpec, answer) -> Mistake | None:
    """A sign error or a constant factor, when the answer is exactly that far off."""
    negated = _scale(spec.expected, -1)
    if compare(negated, answer, spec).correct:
        return Mistake("sign_error", negated,
                       f"Your answer has the wrong sign: it is minus {spec.what}. "
                       "Check each minus sign in your working.")
    if spec.shape == "expr":
        ratio = _constant_ratio(sp.sympify(spec.expected), sp.sympify(answer))
        if ratio is not None and compare(_scale(spec.expected, ratio), answer, spec).correct:
            return Mistake("off_by_constant_factor", _scale(spec.expected, ratio),
                           f"Your answer is {sp.sstr(ratio)} times {spec.what}: a constant factor "
                           "went wrong (a coefficient, an exponent brought down, or an inner "
                           "derivative).")
    return None
