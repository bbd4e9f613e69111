"""The derivative from the limit definition: rise over run as the run shrinks to zero.

f'(x) = lim_{h->0} (f(x+h) - f(x)) / h, with the algebra each kind of function needs before
h can go to 0: polynomials expand and cancel h; rational functions go over one denominator;
square roots are multiplied by the conjugate; a^x factors out a^x and uses
(a^h - 1)/h → ln a; ln uses ln(1 + t)/t → 1; sin and cos use the addition formula with
sin h/h → 1 and (cos h - 1)/h → 0. Sums and constant multiples are taken term by term.
Anything else is refused (with why), never answered by an unexplained limit. The result
is checked against ``sympy.diff`` before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calctutor.errors import UsageError
from calctutor.notation import to_text

_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Max, sp.Min)



@dataclass(frozen=True)
class Stage:
    """One line of a worked calculation: a label, an expression, and why."""

    label: str
    expr: sp.Expr
    why: str = ""


def _h_symbol(expr: sp.Expr) -> sp.Symbol:
    names = {s.name for s in expr.free_symbols}
    name = next(n for n in ("h", "dx", "k", "h1", "h2") if n not in names)
    return sp.Symbol(name, real=True)


def _sqrt_parts(expr, var):
    """(c, g) when expr = c*sqrt(g) or c/sqrt(g) with g rational in var, else None."""
    coeff, rest = expr.as_independent(var, as_Add=False)
    if rest.is_Pow and rest.exp in (sp.Rational(1, 2), sp.Rational(-1, 2)) and rest.base.is_rational_function(var):
        return coeff, rest
    return None


def _linear(L, var):
    """(k, L) when L = k·x + r with k ≠ 0 a constant, else None."""
    if L.is_polynomial(var) and sp.degree(L, var) == 1:
        return sp.diff(L, var), L
    return None


def _mul(*factors):
    return sp.Mul(*factors, evaluate=False)


def _over_h(top, h):
    return _mul(top, sp.Pow(h, -1))


def _refuse(expr, why: str):
    raise UsageError(f"first principles cannot show the derivative of {to_text(expr)} here: "
                     f"{why}. Use calctutor diff \"{to_text(expr)}\" without --first-principles (the rules)")


def _polynomial(expr, var, h):
    shifted = expr.xreplace({var: var + h})
    numerator = sp.expand(shifted - expr)
    stages = [Stage("expand the numerator", _over_h(numerator, h),
                    f"Multiply out f({var}+{h}); the terms without {h} cancel.")]
    simplified = sp.expand(sp.cancel(numerator / h))
    stages.append(Stage(f"divide by {h}", simplified, f"Every remaining term has a factor {h}."))
    return stages, simplified


def _rational(expr, var, h):
    shifted = expr.xreplace({var: var + h})
    num, den = sp.fraction(sp.together(shifted - expr))
    num = sp.expand(num)
    stages = [Stage("common denominator", sp.Mul(num, sp.Pow(den * h, -1), evaluate=False),
                    "Write the numerator as one fraction and multiply it out.")]
    simplified = sp.factor(sp.cancel(num / (den * h)))
    stages.append(Stage(f"cancel {h}", simplified, f"The numerator has a factor {h}: cancel it."))
    return stages, simplified


def _root(expr, var, h):
    coeff, root = _sqrt_parts(expr, var)
    shifted_root = root.xreplace({var: var + h})
    conj = shifted_root + root
    num = sp.expand(coeff * (shifted_root**2 - root**2))
    stages = [Stage("multiply by the conjugate", sp.Mul(num, sp.Pow(h * conj, -1), evaluate=False),
                    f"Multiply top and bottom by the conjugate {to_text(conj)} so the "
                    "square roots in the numerator disappear.")]
    simplified = sp.factor(sp.cancel(num / h)) / conj
    stages.append(Stage(f"cancel {h}", simplified, f"The numerator has a factor {h}: cancel it."))
    return stages, simplified


def _exponential(c, base, L, k, var, h):
    """c·b^L: b^(L + kh) − b^L = b^L (b^(kh) − 1), and (b^(kh) − 1)/h → k ln b."""
    power = sp.exp(L) if base == sp.E else sp.Pow(base, L)
    step = sp.exp(k * h) if base == sp.E else sp.Pow(base, k * h)
    whole = c * power
    stages = [Stage(f"factor out {to_text(power)}",
                    _mul(whole, _over_h(sp.Add(step, -1, evaluate=False), h)),
                    f"{to_text(power.xreplace({var: var + h}))} = {to_text(power)}·{to_text(step)}, so "
                    f"{to_text(power)} is a common factor, and it does not depend on {h}.")]
    rate = k * sp.log(base)
    if base == sp.E:
        why = (f"(e^{h} - 1)/{h} → 1 as {h} → 0 (the slope of e^x at 0 is 1: that is what "
               f"makes e special)" + ("" if k == 1 else
                                      f"; with {to_text(k * h)} in place of {h}, "
                                      f"(e^({to_text(k * h)}) - 1)/{h} → {to_text(k)}"))
    else:
        why = (f"{to_text(base)}^{h} = e^({h}·ln {to_text(base)}), and (e^t - 1)/t → 1 as t → 0, "
               f"so ({to_text(step)} - 1)/{h} → {to_text(rate)}")
    stages.append(Stage(f"the limit of ({to_text(step)} - 1)/{h}", rate, why + "."))
    stages.append(Stage(f"the limit as {h} → 0", whole * rate,
                        f"{to_text(whole)} times the limit {to_text(rate)}."))
    return stages, whole * rate


def _logarithm(c, L, k, var, h):
    """c·ln L: ln(L + kh) − ln L = ln(1 + kh/L), and ln(1 + t)/t → 1."""
    t = k * h / L
    quotient = _over_h(sp.log(sp.Add(1, t, evaluate=False)), h)
    stages = [Stage("combine the logarithms", quotient if c == 1 else _mul(c, quotient),
                    f"ln A - ln B = ln(A/B): ln({to_text(L + k * h)}) - ln({to_text(L)}) = "
                    f"ln(1 + {to_text(t)}).")]
    rate = k / L
    stages.append(Stage(f"the limit as {h} → 0", c * rate,
                        f"With t = {to_text(t)} (→ 0 with {h}): ln(1 + t)/{h} = "
                        f"{to_text(rate)}·ln(1 + t)/t, and ln(1 + t)/t → 1 as t → 0."))
    return stages, c * rate


def _trig(c, fn, L, k, var, h):
    """c·sin L or c·cos L by the addition formula, sin(kh)/h → k, (cos(kh) − 1)/h → 0."""
    kh = k * h
    sin_u, cos_u = sp.sin(L), sp.cos(L)
    change = sp.Add(sp.cos(kh), -1, evaluate=False)
    if fn is sp.sin:
        expanded = sp.Add(_mul(sin_u, sp.cos(kh)), _mul(cos_u, sp.sin(kh)), -sin_u, evaluate=False)
        regrouped = sp.Add(_mul(sin_u, _over_h(change, h)), _mul(cos_u, _over_h(sp.sin(kh), h)),
                           evaluate=False)
        formula = "sin(A + B) = sin A cos B + cos A sin B"
        result = c * k * cos_u
        limit_text = f"{to_text(sin_u)}·0 + {to_text(cos_u)}·{to_text(k)}"
    else:
        expanded = sp.Add(_mul(cos_u, sp.cos(kh)), -_mul(sin_u, sp.sin(kh)), -cos_u, evaluate=False)
        regrouped = sp.Add(_mul(cos_u, _over_h(change, h)), -_mul(sin_u, _over_h(sp.sin(kh), h)),
                           evaluate=False)
        formula = "cos(A + B) = cos A cos B - sin A sin B"
        result = -c * k * sin_u
        limit_text = f"{to_text(cos_u)}·0 - {to_text(sin_u)}·{to_text(k)}"
    factor = (lambda e: e) if c == 1 else (lambda e: _mul(c, e))
    stages = [
        Stage("addition formula", factor(_over_h(expanded, h)), f"{formula}, with B = {to_text(kh)}."),
        Stage("regroup", factor(regrouped),
              f"Collect the terms with {to_text(sin_u if fn is sp.sin else cos_u)}; nothing else "
              f"depends on {h}."),
        Stage(f"the limit as {h} → 0", result,
              f"sin({to_text(kh)})/{h} → {to_text(k)} and (cos({to_text(kh)}) - 1)/{h} → 0 "
              f"(standard limits: sin t/t → 1 and (cos t - 1)/t → 0 as t → 0), giving "
              f"{'' if c == 1 else to_text(c) + '·('}{limit_text}{'' if c == 1 else ')'}."),
    ]
    return stages, result


def _special(expr, var, h):
    """(stages, limit) for c·a^L, c·ln L, c·sin L, c·cos L with L linear; None otherwise."""
    c, rest = expr.as_independent(var, as_Add=False)
    if isinstance(rest, sp.exp):
        lin = _linear(rest.args[0], var)
        if lin:
            return _exponential(c, sp.E, lin[1], lin[0], var, h)
    if isinstance(rest, sp.Pow) and not rest.base.has(var) and rest.base.is_positive:
        lin = _linear(rest.exp, var)
        if lin:
            return _exponential(c, rest.base, lin[1], lin[0], var, h)
    if isinstance(rest, sp.log) and len(rest.args) == 1:
        lin = _linear(rest.args[0], var)
        if lin:
            return _logarithm(c, lin[1], lin[0], var, h)
    if isinstance(rest, (sp.sin, sp.cos)):
        lin = _linear(rest.args[0], var)
        if lin:
            return _trig(c, type(rest), lin[1], lin[0], var, h)
    return None


def _unsupported_reason(expr, var) -> str:
    if expr.has(*_KINKS):
        kink = next(n for n in sp.preorder_traversal(expr) if isinstance(n, _KINKS))
        return (f"{to_text(kink)} has a corner or a jump, so the limit of the difference "
                f"quotient depends on the sign of {to_text(kink.args[0])} (for |x| it is sign(x) "
                f"only where x ≠ 0, and there is no limit at 0)")
    if any(isinstance(p, sp.Pow) and p.base.has(var) and p.exp.has(var) for p in sp.preorder_traversal(expr)):
        return ("a power whose base and exponent both depend on the variable needs "
                "logarithmic differentiation, not a standard limit")
    return ("it is not a polynomial, a rational function, a square root, a^x, e^(kx), ln, sin, "
            "cos (with a linear argument) or a sum or constant multiple of these")


def _derive(expr, var, h):
    """(stages, the expression whose limit as h → 0 is f', how the limit is taken)."""
    if expr.has(*_KINKS):
        _refuse(expr, _unsupported_reason(expr, var))
    if expr.is_polynomial(var):
        return (*_polynomial(expr, var, h), "h=0")
    if expr.is_rational_function(var):
        return (*_rational(expr, var, h), "h=0")
    if _sqrt_parts(expr, var):
        return (*_root(expr, var, h), "h=0")
    special = _special(expr, var, h)
    if special:
        return (*special, "done")
    if expr.is_Add:
        parts = [t for t in expr.args if t.has(var)]
        stages = [Stage("split the sum", sp.Add(*(_over_h(sp.Add(t.xreplace({var: var + h}), -t,
                                                                 evaluate=False), h) for t in parts),
                                                 evaluate=False),
                        "The quotient of a sum is the sum of the quotients (constant terms "
                        "cancel), and the limit of a sum is the sum of the limits.")]
        results = []
        for t in parts:
            sub, value, how = _derive(t, var, h)
            if how == "h=0":
                value = value.xreplace({h: 0})
                sub = sub + [Stage(f"the limit as {h} → 0", value, f"Nothing divides by {h} now: set {h} = 0.")]
            stages += [Stage(f"[{to_text(t)}] {s.label}", s.expr, s.why) for s in sub]
            results.append(value)
        total = sp.Add(*results)
        stages.append(Stage("add the limits", total, "Add the limits of the terms."))
        return stages, total, "done"
    _refuse(expr, _unsupported_reason(expr, var))


def first_principles(expr: sp.Expr, var: sp.Symbol):
    """Return (h, stages, derivative) for ``expr`` differentiated from first principles; a
    UsageError naming why when the method does not apply here."""
    h = _h_symbol(expr)
    shifted = expr.xreplace({var: var + h})
    quotient = sp.Mul(sp.Add(shifted, -expr, evaluate=False), sp.Pow(h, -1), evaluate=False)
    stages = [Stage("difference quotient", quotient,
                    f"Rise over run between {var} and {var} + {h}: (f({var}+{h}) - f({var}))/{h}.")]
    if not expr.has(var):
        stages.append(Stage(f"the limit as {h} → 0", sp.Integer(0),
                            "f does not change, so the numerator is 0 for every h."))
        return h, stages, sp.Integer(0)
    more, value, how = _derive(expr, var, h)
    stages += more
    if how == "h=0":
        value = value.xreplace({h: 0})
        stages.append(Stage(f"limit as {h} → 0", value, f"Now nothing divides by {h}: let {h} → 0 "
                                                          f"(set {h} = 0)."))
    result = sp.simplify(value) if sp.count_ops(value) < 40 else value
    if result.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Limit):
        _refuse(expr, "the limit of the difference quotient is not a finite expression")
    if sp.simplify(result - sp.diff(expr, var)) != 0:
        _refuse(expr, "the working could not be checked against the rules of differentiation")
    if result != value and stages[-1].expr == value:
        stages[-1] = Stage(stages[-1].label, result, stages[-1].why)
    return h, stages, result
