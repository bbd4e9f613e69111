"""The derivative from the limit definition: rise over run as the run shrinks to zero.

f'(x) = lim_{h->0} (f(x+h) - f(x)) / h. Polynomials: expand and cancel h. Rational
functions: one fraction over a common denominator, then cancel h. Square roots: multiply by
the conjugate. Anything else: the quotient is shown and its limit taken directly.
"""

from __future__ import annotations

import sympy as sp

from calctutor.errors import UsageError
from calctutor.notation import to_text
from calctutor.results import Stage


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


def first_principles(expr: sp.Expr, var: sp.Symbol):
    """Return (h, stages, derivative) for ``expr`` differentiated from first principles."""
    h = _h_symbol(expr)
    shifted = expr.xreplace({var: var + h})
    quotient = sp.Mul(sp.Add(shifted, -expr, evaluate=False), sp.Pow(h, -1), evaluate=False)
    stages = [Stage("difference quotient", quotient,
                    f"Rise over run between {var} and {var} + {h}: (f({var}+{h}) - f({var}))/{h}.")]

    if expr.is_polynomial(var):
        numerator = sp.expand(shifted - expr)
        stages.append(Stage("expand the numerator", sp.Mul(numerator, sp.Pow(h, -1), evaluate=False),
                            f"Multiply out f({var}+{h}); the terms without {h} cancel."))
        simplified = sp.expand(sp.cancel(numerator / h))
        stages.append(Stage(f"divide by {h}", simplified, f"Every remaining term has a factor {h}."))
    elif expr.is_rational_function(var):
        combined = sp.together(shifted - expr)
        num, den = sp.fraction(combined)
        num = sp.expand(num)
        stages.append(Stage("common denominator", sp.Mul(num, sp.Pow(den * h, -1), evaluate=False),
                            "Write the numerator as one fraction and multiply it out."))
        simplified = sp.factor(sp.cancel(num / (den * h)))
        stages.append(Stage(f"cancel {h}", simplified, f"The numerator has a factor {h}: cancel it."))
    elif _sqrt_parts(expr, var):
        coeff, root = _sqrt_parts(expr, var)
        shifted_root = root.xreplace({var: var + h})
        conj = shifted_root + root
        num = sp.expand(coeff * (shifted_root**2 - root**2))
        rationalised = sp.Mul(num, sp.Pow(h * conj, -1), evaluate=False)
        stages.append(Stage("multiply by the conjugate", rationalised,
                            f"Multiply top and bottom by the conjugate {to_text(conj)} so the "
                            "square roots in the numerator disappear."))
        simplified = sp.factor(sp.cancel(num / h)) / conj
        stages.append(Stage(f"cancel {h}", simplified, f"The numerator has a factor {h}: cancel it."))
    else:
        simplified = quotient
    limit_value = simplified.xreplace({h: 0}) if simplified is not quotient else None
    if limit_value is None or limit_value.has(sp.nan, sp.zoo):
        try:
            limit_value = sp.limit(sp.Add(shifted, -expr) / h, h, 0)
        except (NotImplementedError, ValueError) as err:  # pragma: no cover - rare
            raise UsageError(f"cannot take this limit from first principles ({err})") from None
        why = f"Take the limit as {h} → 0 (standard limits such as sin({h})/{h} → 1)."
    else:
        why = f"Now nothing divides by {h}: let {h} → 0 (set {h} = 0)."
    result = sp.simplify(limit_value) if sp.count_ops(limit_value) < 40 else limit_value
    if result.has(sp.Limit):
        raise UsageError("this limit cannot be evaluated from first principles; use the rules instead")
    stages.append(Stage(f"limit as {h} → 0", result, why))
    return h, stages, result
