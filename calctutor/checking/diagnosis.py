"""Mistakes that fit any answer: a flipped sign, a wrong constant factor.

Each command's own mal-rules come through ``AnswerSpec.mistakes``; these are tried last,
for every command, by ``calctutor.checking.answer.diagnose``.
"""

from __future__ import annotations

import sympy as sp

from calctutor.checking.answer import AnswerSpec, Mistake, compare


def _scale(value, k):
    if isinstance(value, (list, tuple)):
        return [_scale(v, k) for v in value]
    return k * value


def _constant_ratio(expected: sp.Expr, answer: sp.Expr) -> sp.Expr | None:
    """answer / expected when it is a nonzero constant other than 1 (cheap checks only)."""
    if expected == 0 or answer == 0:
        return None
    ratio = sp.cancel(sp.together(answer / expected))
    if ratio.free_symbols or not ratio.is_number or ratio in (0, 1) or not ratio.is_finite:
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
        if ratio is not None:
            return Mistake("off_by_constant_factor", _scale(spec.expected, ratio),
                           f"Your answer is {sp.sstr(ratio)} times {spec.what}: a constant factor "
                           "went wrong (a coefficient, an exponent brought down, or an inner "
                           "derivative).")
    return None
