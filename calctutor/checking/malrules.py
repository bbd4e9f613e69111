"""Mal-rules: the step-by-step differentiator with one rule broken the way learners break it.

Each ``MalRule`` subclass overrides ONE rule method of
:class:`calctutor.steps.differentiate.Differentiator` (two for the power rule applied to
e^x and a^x) and returns the wrong derivative a learner with that misconception would get.
Everything above the broken rule is computed by the ordinary rules from the wrong part, so
the result is the whole wrong answer for the problem. Each time a broken rule fires it
records a :class:`Slip`: the sub-expression (with the chain rule's inner functions put
back, so ``u^3`` reads ``(x^2 + 1)^3``), its right and wrong derivatives and the parts the
rule worked on; the feedback sentence is built from that record.

The overrides call ``super()`` and only change the result, so two mal-rules combine by
multiple inheritance (``combine(A, B)``) into a compound slip. ``only=k`` breaks only the
k-th application of the rule (0-based) and leaves the others right: a learner who drops
one chain factor of two (``only={code: k}`` does that for one rule of a combination).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import sympy as sp

from calctutor.notation import inline, to_text
from calctutor.steps.differentiate import Differentiator
from calctutor.steps.model import Step
from calctutor.steps.tables import ELEMENTARY

TRIG = (sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.acos, sp.acot, sp.acsc)


@dataclass(frozen=True)
class Slip:
    """One place where a broken rule fired: d(expr)/d(var) came out ``wrong``, not ``right``."""

    code: str
    expr: sp.Expr
    var: sp.Symbol
    right: sp.Expr
    wrong: sp.Expr
    parts: dict = field(default_factory=dict)


_COEFFICIENT = re.compile(r"(?<![\w.^])(\d+)\*(?=[A-Za-z(])")


def t(e) -> str:
    """An expression in learner notation, with a number's product sign left out as a
    tutor writes it (2x, 3(x + 1); the parser reads it back the same); inside
    ``notation.prose`` the expression itself, for formats that typeset maths."""
    return inline(e, _COEFFICIENT.sub(r"\1", to_text(e)))


def _bracket(e) -> str:
    s = t(e)
    return f"({s})" if isinstance(e, sp.Expr) and (e.is_Add or e.is_Mul) else s


class MalRule(Differentiator):
    """A differentiator with a broken rule (see module docstring). Subclasses set ``code``,
    override one rule method, and say what went wrong in ``feedback``/``clause``."""

    code = ""

    def __init__(self, only: int | dict[str, int] | None = None):
        self.only = only
        self.seen: dict[str, int] = {}
        self.slips: list[Slip] = []
        self._lets: dict[sp.Symbol, sp.Expr] = {}
        self._pending: sp.Expr | None = None

    # -- bookkeeping ------------------------------------------------------------------
    def breaks(self, code: str) -> bool:
        """Count one application of the rule ``code``; True when this one is to be broken."""
        k = self.seen.get(code, 0)
        self.seen[code] = k + 1
        target = self.only.get(code) if isinstance(self.only, dict) else self.only
        return target is None or target == k

    def resolve(self, e):
        """``e`` with the chain rule's inner-function names (u, v, ...) replaced back."""
        if not isinstance(e, sp.Basic) or not self._lets:
            return e
        for _ in range(12):
            nxt = e.xreplace(self._lets)
            if nxt == e:
                break
            e = nxt
        return e

    def slip(self, code: str, step: Step, wrong: sp.Expr, **parts) -> Step:
        """Record the slip ``code`` at ``step`` and return the step with the wrong result."""
        r = self.resolve
        self.slips.append(Slip(code, r(step.expr), step.var, r(step.result),
                               r(wrong), {k: r(v) for k, v in parts.items()}))
        return replace(step, result=wrong)

    def fresh(self) -> sp.Symbol:
        u = super().fresh()
        if self._pending is not None:
            self._lets[u] = self._pending
            self._pending = None
        return u

    def chain(self, expr, var, inner, outer_of) -> Step:
        self._pending = inner  # Differentiator.chain names the inner function first
        return super().chain(expr, var, inner, outer_of)


# ---------------------------------------------------------------------------------------
# The mal-rules, one per misconception


class MissingChainFactor(MalRule):
    """d/dx f(g(x)) = f'(g(x)), the factor g'(x) forgotten (also d/dx ln g = 1/g)."""

    code = "missing_chain_factor"

    def chain(self, expr, var, inner, outer_of) -> Step:
        step = super().chain(expr, var, inner, outer_of)
        outer, inner_step = step.substeps
        if inner_step.result == 1 or not self.breaks(MissingChainFactor.code):
            return step
        (u, _), = step.let
        return self.slip(MissingChainFactor.code, step, outer.result.subs(u, inner), inner=inner, inner_d=inner_step.result)


class ProductAsProduct(MalRule):
    """(uv)' = u'v'."""

    code = "product_rule_as_product"

    def product(self, expr, var, factors) -> Step:
        step = super().product(expr, var, factors)
        if not self.breaks(ProductAsProduct.code):
            return step
        return self.slip(ProductAsProduct.code, step, sp.Mul(*[s.result for s in step.substeps]),
                         u=factors[0], v=sp.Mul(*factors[1:]))


class ProductSign(MalRule):
    """(uv)' = u'v - uv': the product rule with the quotient rule's minus sign."""

    code = "product_rule_sign"

    def product(self, expr, var, factors) -> Step:
        step = super().product(expr, var, factors)
        if len(factors) != 2 or not self.breaks(ProductSign.code):
            return step
        du, dv = (s.result for s in step.substeps)
        u, v = factors
        return self.slip(ProductSign.code, step, du * v - u * dv, u=u, v=v)


class QuotientSign(MalRule):
    """(u/v)' = (uv' - u'v)/v²."""

    code = "quotient_sign"

    def quotient(self, expr, var, u, v) -> Step:
        step = super().quotient(expr, var, u, v)
        if not self.breaks(QuotientSign.code):
            return step
        du, dv = (s.result for s in step.substeps)
        return self.slip(QuotientSign.code, step, (u * dv - du * v) / v**2, u=u, v=v)


class QuotientDenominator(MalRule):
    """(u/v)' = (u'v - uv')/v: the denominator not squared."""

    code = "quotient_denominator"

    def quotient(self, expr, var, u, v) -> Step:
        step = super().quotient(expr, var, u, v)
        if not self.breaks(QuotientDenominator.code):
            return step
        du, dv = (s.result for s in step.substeps)
        return self.slip(QuotientDenominator.code, step, (du * v - u * dv) / v, u=u, v=v)


class QuotientAsQuotient(MalRule):
    """(u/v)' = u'/v'."""

    code = "quotient_as_quotient"

    def quotient(self, expr, var, u, v) -> Step:
        step = super().quotient(expr, var, u, v)
        du, dv = (s.result for s in step.substeps)
        if dv == 0 or not self.breaks(QuotientAsQuotient.code):
            return step
        return self.slip(QuotientAsQuotient.code, step, du / dv, u=u, v=v)


class PowerNotLowered(MalRule):
    """d/dx xⁿ = n·xⁿ: the exponent brought down but not lowered."""

    code = "power_not_lowered"

    def power(self, expr, var) -> Step:
        step = super().power(expr, var)
        n = expr.exp
        if n in (0, 1) or not self.breaks(PowerNotLowered.code):
            return step
        return self.slip(PowerNotLowered.code, step, n * var**n, n=n, base=var)


class PowerRuleOnExponential(MalRule):
    """d/dx aˣ = x·a^(x-1) and d/dx eˣ = x·e^(x-1): the power rule where the variable is
    in the exponent."""

    code = "power_rule_on_exponential"

    def exponential(self, expr, var) -> Step:
        step = super().exponential(expr, var)
        if not self.breaks(PowerRuleOnExponential.code):
            return step
        return self.slip(PowerRuleOnExponential.code, step, var * expr.base ** (var - 1), base=expr.base)

    def elementary(self, expr, var) -> Step:
        step = super().elementary(expr, var)
        if expr.func is not sp.exp or not self.breaks(PowerRuleOnExponential.code):
            return step
        return self.slip(PowerRuleOnExponential.code, step, var * sp.exp(var - 1), base=sp.E)


class GeneralPowerHalf(MalRule):
    """(f^g)' taken as if only the base varied, g·f^(g-1)·f' (the power rule on x^x), or as
    if only the exponent varied, f^g·ln(f)·g' (the exponential rule on x^x)."""

    code = "power_rule_on_exponential"

    def general_power(self, expr, var) -> Step:
        step = super().general_power(expr, var)
        if not self.breaks(GeneralPowerHalf.code):
            return step
        f, g = expr.as_base_exp()
        df = self.step(f, var).result
        return self.slip(GeneralPowerHalf.code, step, g * f ** (g - 1) * df, base=f, exponent=g)


class GeneralPowerAsExponential(MalRule):
    """(f^g)' = f^g·ln(f)·g': the base treated as a constant."""

    code = "general_power_as_exponential"

    def general_power(self, expr, var) -> Step:
        step = super().general_power(expr, var)
        if not self.breaks(GeneralPowerAsExponential.code):
            return step
        f, g = expr.as_base_exp()
        dg = self.step(g, var).result
        return self.slip(GeneralPowerAsExponential.code, step, expr * sp.log(f) * dg, base=f,
                         exponent=g)


class MissingLogFactor(MalRule):
    """d/dx aˣ = aˣ: the factor ln(a) forgotten."""

    code = "missing_log_factor"

    def exponential(self, expr, var) -> Step:
        step = super().exponential(expr, var)
        if not self.breaks(MissingLogFactor.code):
            return step
        return self.slip(MissingLogFactor.code, step, expr, base=expr.base)


class TrigSign(MalRule):
    """d/dx cos x = sin x, d/dx sin x = -cos x, ...: the sign of a trigonometric derivative."""

    code = "trig_sign"

    def elementary(self, expr, var) -> Step:
        step = super().elementary(expr, var)
        if expr.func not in TRIG or not self.breaks(TrigSign.code):
            return step
        return self.slip(TrigSign.code, step, -step.result, formula=ELEMENTARY[expr.func][2])


class ConstantFactorDropped(MalRule):
    """(c·u)' = u': the constant factor lost (d/dx 5x³ = 3x², d/dx x²y = 2x)."""

    code = "off_by_constant_factor"

    def constant_multiple(self, expr, var, coeff, rest) -> Step:
        step = super().constant_multiple(expr, var, coeff, rest)
        if coeff in (1, -1) or not self.breaks(ConstantFactorDropped.code):
            return step
        inner = step.substeps[-1].result
        return self.slip(ConstantFactorDropped.code, step, inner, coeff=coeff, rest=rest)


class ConstantNotZero(MalRule):
    """A constant differentiated as if it were the variable: d/dx (x² + a²) = 2x + 2a,
    d/dx (a·x²) = x² + 2a·x; a number kept: d/dx (x² + 3) = 2x + 3."""

    code = "constant_not_zero"

    def constant(self, expr, var) -> Step:
        step = super().constant(expr, var)
        symbols = sorted(expr.free_symbols, key=lambda s: s.name)
        if symbols:
            wrong = sp.Add(*[sp.diff(expr, s) for s in symbols])
        elif expr.is_Rational and expr != 0:
            wrong = expr  # the constant kept instead of dropped
        else:
            return step
        if not self.breaks(ConstantNotZero.code):
            return step
        return self.slip(ConstantNotZero.code, step, wrong)

    def constant_multiple(self, expr, var, coeff, rest) -> Step:
        step = super().constant_multiple(expr, var, coeff, rest)
        symbols = sorted(coeff.free_symbols, key=lambda s: s.name)
        if not symbols or not self.breaks(ConstantNotZero.code):
            return step
        dcoeff = sp.Add(*[sp.diff(coeff, s) for s in symbols])
        return self.slip(ConstantNotZero.code, step, step.result + dcoeff * rest, coeff=coeff)


class OuterAtVariable(MalRule):
    """d/dx f(g(x)) = f'(x)·g'(x): the outer derivative taken at x, not at the inner
    function (sin(x²) -> 2x·cos x)."""

    code = "outer_derivative_at_x"

    def chain(self, expr, var, inner, outer_of) -> Step:
        step = super().chain(expr, var, inner, outer_of)
        outer, inner_step = step.substeps
        (u, _), = step.let
        wrong = outer.result.subs(u, var) * inner_step.result
        if wrong == step.result or not self.breaks(OuterAtVariable.code):
            return step
        return self.slip(OuterAtVariable.code, step, wrong, inner=inner)


class CoefficientAsFactor(MalRule):
    """A coefficient in the other variables differentiated as a factor, as if it varied
    too: ∂/∂y (x²y³) = 2x·3y² (the product of the derivatives of the factors)."""

    code = "constant_not_zero"

    def constant_multiple(self, expr, var, coeff, rest) -> Step:
        step = super().constant_multiple(expr, var, coeff, rest)
        symbols = sorted(coeff.free_symbols, key=lambda s: s.name)
        if not symbols or not self.breaks(CoefficientAsFactor.code):
            return step
        dcoeff = sp.Add(*[sp.diff(coeff, s) for s in symbols])
        return self.slip(CoefficientAsFactor.code, step, dcoeff * step.substeps[-1].result,
                         coeff=coeff, as_factor=True)


class PowerLoweredWrongly(MalRule):
    """The exponent moved the wrong way: d/dx x^(1/2) = (1/2)·x^(-3/2) (1/2 − 1 taken as
    −3/2), d/dx x^(-2) = −2·x^(-1) (a negative exponent raised towards 0, not lowered)."""

    code = "power_lowered_wrongly"

    def power(self, expr, var) -> Step:
        step = super().power(expr, var)
        n = expr.exp
        if 0 < n < 1:
            wrong_exp = -n - 1
        elif n.is_integer and n < 0:
            wrong_exp = n + 1
        else:
            return step
        if not self.breaks(PowerLoweredWrongly.code):
            return step
        return self.slip(PowerLoweredWrongly.code, step, n * var ** wrong_exp, n=n,
                         wrong_exp=wrong_exp)


def _constant_power(c) -> tuple[sp.Expr, sp.Expr] | None:
    """(base, exponent) of a number written as a power (e^2, π^2, 2^(1/2)), else None."""
    if isinstance(c, sp.exp) and c.args[0].is_Rational and c.args[0] not in (0, 1):
        return sp.E, c.args[0]
    if c.is_Pow and c.base.is_number and c.exp.is_Rational and c.exp != 1 and c.free_symbols == set():
        return c.base, c.exp
    return None


class ConstantPowerRule(MalRule):
    """A number written as a power differentiated by the power rule: d/dx (x³ + e²) = 3x² + 2e,
    d/dx (π² x) = 2π·x + π². ``literals`` maps a value back to the power it was typed as
    (3^4 is read as 81, but the learner saw 3^4)."""

    code = "constant_power_rule"
    literals: dict = {}

    def _power_of(self, c):
        return _constant_power(c) or self.literals.get(c)

    def _wrong(self, c):
        base, n = self._power_of(c)
        return n * base ** (n - 1)

    def constant(self, expr, var) -> Step:
        step = super().constant(expr, var)
        if expr.free_symbols or self._power_of(expr) is None or not self.breaks(ConstantPowerRule.code):
            return step
        base, n = self._power_of(expr)
        return self.slip(ConstantPowerRule.code, step, self._wrong(expr), base=base, n=n)

    def constant_multiple(self, expr, var, coeff, rest) -> Step:
        step = super().constant_multiple(expr, var, coeff, rest)
        powers = [f for f in sp.Mul.make_args(coeff) if self._power_of(f) is not None]
        if len(powers) != 1 or coeff.free_symbols or not self.breaks(ConstantPowerRule.code):
            return step
        c = powers[0]
        base, n = self._power_of(c)
        wrong = step.result + (coeff / c) * self._wrong(c) * rest
        return self.slip(ConstantPowerRule.code, step, wrong,
                         base=base, n=n, coeff=c)


def _power_text(base, n) -> str:
    exponent = t(n) if n.is_Integer and n > 0 else f"({t(n)})"
    return f"{t(base)}^{exponent}"


def new_rule_feedback(slip: Slip) -> str | None:
    """The feedback of the mal-rules above (None for the others)."""
    p = slip.parts
    if slip.code == "power_lowered_wrongly":
        return (f"In {t(slip.expr)} the new exponent is wrong: the power rule lowers the "
                f"exponent {t(p['n'])} by exactly one (n - 1), and your exponent "
                f"{t(p['wrong_exp'])} is not {t(p['n'])} - 1.")
    if slip.code == "constant_not_zero" and p.get("as_factor"):
        return (f"In {t(slip.expr)} the factor {t(p['coeff'])} is a constant when "
                f"differentiating with respect to {t(slip.var)}: it stays as it is, so do not "
                "differentiate it (every other variable is held constant).")
    if slip.code == "outer_derivative_at_x":
        return (f"In {t(slip.expr)} you took the derivative of the outer function at "
                f"{t(slip.var)}: the chain rule is f'(g(x))·g'(x), so the outer derivative is "
                f"evaluated at the inner function {t(p['inner'])}, not at {t(slip.var)}.")
    if slip.code == "constant_power_rule":
        number = _power_text(p['base'], p['n'])
        return (f"{number} is a constant (it does not depend on {t(slip.var)}), so its "
                "derivative is 0: the power rule d/dx xⁿ = n·x^(n-1) is for a power of the "
                "variable, not for a power of a number.")
    return None


def new_rule_clause(slip: Slip) -> str | None:
    p = slip.parts
    if slip.code == "power_lowered_wrongly":
        return f"the exponent of {t(slip.expr)} was not lowered by exactly one"
    if slip.code == "outer_derivative_at_x":
        return (f"the outer derivative of {t(slip.expr)} was taken at {t(slip.var)} instead of "
                f"at {t(p.get('inner'))}")
    if slip.code == "constant_power_rule":
        return (f"the constant {_power_text(p.get('base'), p.get('n'))} was "
                "differentiated by the power rule")
    return None


# Most common misconceptions first: when two give the same answer, the first is named.
MAL_RULES: tuple[type[MalRule], ...] = (
    MissingChainFactor, ProductAsProduct, QuotientSign, QuotientDenominator, QuotientAsQuotient,
    PowerNotLowered, PowerRuleOnExponential, GeneralPowerHalf, MissingLogFactor,
    GeneralPowerAsExponential, TrigSign, ProductSign, ConstantNotZero, ConstantFactorDropped,
)


def combine(*rules: type[MalRule]) -> type[MalRule]:
    """A differentiator with all of ``rules`` broken at once (a compound slip)."""
    return type("_".join(r.__name__ for r in rules), rules, {"code": "+".join(r.code for r in rules)})


# ---------------------------------------------------------------------------------------
# What a tutor says


def feedback(slip: Slip) -> str:
    """One or two sentences naming the rule and the sub-expression where it went wrong."""
    e, p = slip.expr, slip.parts
    code = slip.code
    said = new_rule_feedback(slip)
    if said is not None:
        return said
    if code == "missing_chain_factor":
        if isinstance(e, sp.log):
            return (f"You differentiated {t(e)} as {t(slip.wrong)}: the derivative of ln(g) is "
                    f"g'/g, so you also need the derivative of the inner function {t(p['inner'])}, "
                    f"which is {t(p['inner_d'])}.")
        return (f"You differentiated {t(e)} as {t(slip.wrong)}: the chain rule also needs the "
                f"derivative of the inner function {t(p['inner'])}, which is {t(p['inner_d'])}.")
    if code == "product_rule_as_product":
        return (f"You differentiated the product {t(e)} as the product of the derivatives of its "
                f"factors: the product rule is (uv)' = u'v + uv', here with u = {t(p['u'])} and "
                f"v = {t(p['v'])}.")
    if code == "product_rule_sign":
        return (f"In the product rule for {t(e)} the two terms are added, not subtracted: "
                f"(uv)' = u'v + uv' with u = {t(p['u'])} and v = {t(p['v'])} (the minus sign "
                "belongs to the quotient rule).")
    if code == "quotient_sign":
        return (f"In the quotient rule for {t(e)} the two terms of the numerator are the wrong way "
                f"round: it is (u'v - uv')/v² with u = {t(p['u'])} and v = {t(p['v'])}, so the "
                "sign of your answer is flipped.")
    if code == "quotient_denominator":
        return (f"In the quotient rule for {t(e)} the denominator must be squared: "
                f"(u'v - uv')/v² means dividing by {_bracket(p['v'])}^2, not by {_bracket(p['v'])}.")
    if code == "quotient_as_quotient":
        return (f"You divided the derivative of the numerator of {t(e)} by the derivative of its "
                f"denominator: the quotient rule is (u/v)' = (u'v - uv')/v², here with "
                f"u = {t(p['u'])} and v = {t(p['v'])}.")
    if code == "power_not_lowered":
        return (f"You differentiated {t(e)} as {t(slip.wrong)}: the power rule brings the exponent "
                f"{t(p['n'])} down and also lowers it by one, to {t(p['n'] - 1)}.")
    if code == "power_rule_on_exponential":
        if "exponent" in p:
            return (f"You used the power rule on {t(e)}, giving {t(slip.wrong)}, as if the "
                    f"exponent {t(p['exponent'])} were a constant: when both base and exponent "
                    f"depend on {t(slip.var)}, write {t(e)} = e^({t(p['exponent'] * sp.log(p['base']))}) "
                    "and use the chain rule (logarithmic differentiation).")
        if p.get("base") == sp.E:
            return (f"You used the power rule on {t(e)}, giving {t(slip.wrong)}: the power rule is "
                    f"for a constant exponent, and e^x is its own derivative.")
        return (f"You used the power rule on {t(e)}, giving {t(slip.wrong)}: the power rule is for "
                f"a constant exponent; for a constant base, d/dx a^x = a^x·ln(a).")
    if code == "missing_log_factor":
        return (f"You differentiated {t(e)} as itself: only e^x is its own derivative; for the "
                f"base {t(p['base'])}, d/dx a^x = a^x·ln(a), so the factor ln({t(p['base'])}) is "
                "missing.")
    if code == "general_power_as_exponential":
        return (f"You differentiated {t(e)} as if the base {t(p['base'])} were a constant, giving "
                f"{t(slip.wrong)}: when both base and exponent depend on {t(slip.var)}, write "
                f"{t(e)} = e^({t(p['exponent'] * sp.log(p['base']))}) and use the chain rule "
                "(logarithmic differentiation).")
    if code == "trig_sign":
        return (f"You differentiated {t(e)} as {t(slip.wrong)}: the sign is wrong, since "
                f"{p['formula']}.")
    if code == "off_by_constant_factor":
        return (f"The constant factor {t(p['coeff'])} of {t(e)} is missing from your derivative: "
                f"a constant factor stays, (c·u)' = c·u', so differentiate {t(p['rest'])} and "
                f"keep the {t(p['coeff'])}.")
    if code == "constant_not_zero":
        coeff = p.get("coeff")
        if coeff is not None:
            return (f"In {t(e)} the factor {t(coeff)} is a constant when differentiating with "
                    f"respect to {t(slip.var)}: it stays as it is (its derivative is 0), so there "
                    "is no product-rule term for it.")
        if e.free_symbols:
            names = ", ".join(t(s) for s in sorted(e.free_symbols, key=lambda s: s.name))
            return (f"The term {t(e)} does not depend on {t(slip.var)}, so its derivative is 0; "
                    f"you differentiated it as if {names} were the variable.")
        return (f"The constant term {t(e)} has derivative 0, but your answer keeps it: "
                "a constant does not change, so it disappears when you differentiate.")
    return f"Your derivative of {t(e)} went wrong."


def clause(slip: Slip) -> str:
    """A short clause for a compound slip ("the chain factor 2x of sin(x^2) is missing")."""
    e, p = t(slip.expr), slip.parts
    said = new_rule_clause(slip)
    if said is not None:
        return said
    return {
        "missing_chain_factor": lambda: f"the chain factor {t(p.get('inner_d'))} (the derivative "
                                        f"of {t(p.get('inner'))}) is missing in the derivative of {e}",
        "product_rule_as_product": lambda: f"the product {e} was differentiated as the product of "
                                           "the derivatives, not by the product rule",
        "product_rule_sign": lambda: f"the two terms of the product rule for {e} are subtracted",
        "quotient_sign": lambda: f"the numerator of the quotient rule for {e} is the wrong way round",
        "quotient_denominator": lambda: f"the denominator of the quotient rule for {e} is not squared",
        "quotient_as_quotient": lambda: f"{e} was differentiated as the derivative of the numerator "
                                        "over that of the denominator",
        "power_not_lowered": lambda: f"the exponent of {e} was not lowered by one",
        "power_rule_on_exponential": lambda: f"the power rule was used on {e}, whose exponent "
                                             "is not a constant",
        "missing_log_factor": lambda: f"the factor ln({t(p.get('base'))}) is missing in the "
                                      f"derivative of {e}",
        "general_power_as_exponential": lambda: f"the base of {e} was treated as a constant",
        "trig_sign": lambda: f"the derivative of {e} has the wrong sign",
        "sign_error": lambda: "the overall sign is flipped",
        "off_by_constant_factor": lambda: f"the constant factor {t(p.get('coeff'))} of {e} was lost",
        "constant_not_zero": lambda: f"the constant {t(p.get('coeff', slip.expr))} was "
                                     "differentiated as if it were the variable",
    }.get(slip.code, lambda: f"the derivative of {e} went wrong")()

