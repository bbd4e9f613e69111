"""The step-by-step differentiator: one method per rule, results assembled from the parts.

``Differentiator().diff(expr, x)`` returns a ``Step`` tree whose root result is the
derivative. Each method returns a true step (tests check every node against ``sympy.diff``).
The next layer of the tutor builds *mal-rules* by subclassing and breaking one method (a
differentiator that forgets the chain factor, or does (uv)' = u'v'), so each rule stays in
its own method and everything else calls rules only through ``self.step``.

Choices: a product whose factors include a denominator that depends on x (log(x)/x) uses
the quotient rule; 1/g(x) alone is g(x)^-1 by the chain rule; a constant denominator
(x^2/3) is a constant multiple. sqrt(x) and 1/x^n are shown rewritten as powers first.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from calctutor.notation import ordered_terms
from calctutor.steps.model import Reason, Step
from calctutor.steps.tables import ELEMENTARY, NAMES
from calctutor.symbols import fresh_symbols

D = "d/d"


class Differentiator:
    """Differentiates with steps. Subclass and override a rule method to change a rule."""

    def diff(self, expr: sp.Expr, var: sp.Symbol) -> Step:
        """The step tree of d(expr)/d(var)."""
        avoid = {s.name for s in expr.free_symbols} | {var.name}
        self._names = fresh_symbols(avoid)
        return self.step(sp.sympify(expr), var)

    # -- dispatch -----------------------------------------------------------------------
    def step(self, expr: sp.Expr, var: sp.Symbol) -> Step:
        """The derivative of any expression: picks the rule by the expression's shape."""
        if not expr.has(var):
            return self.constant(expr, var)
        if expr == var:
            return self.identity(expr, var)
        if expr.is_Add:
            return self.sum(expr, var)
        if expr.is_Mul:
            return self.mul(expr, var)
        if expr.is_Pow:
            return self.pow(expr, var)
        if isinstance(expr, AppliedUndef):
            return self.function(expr, var)
        if isinstance(expr, sp.Function) and len(expr.args) == 1:
            return self.function(expr, var)
        return self.known(expr, var)

    def fresh(self) -> sp.Symbol:
        """A new name for an inner function (u, v, w, ...): never the same at two levels."""
        return sp.Symbol(next(self._names), real=True)

    # -- basic rules ----------------------------------------------------------------------
    def constant(self, expr, var) -> Step:
        held = tuple(sorted((s for s in expr.free_symbols if s != var), key=lambda s: s.name))
        return Step("constant", expr, var, sp.Integer(0),
                    Reason.of("constant", expr=expr, var=var, held=held))

    def identity(self, expr, var) -> Step:
        return Step("identity", expr, var, sp.Integer(1), Reason.of("identity", var=var))

    def sum(self, expr, var) -> Step:
        # the learner's order (cos(x) - 2x: cos first), as every printer shows the sum
        terms = list(ordered_terms(expr) or expr.as_ordered_terms())
        subs = tuple(self.step(t, var) for t in terms)
        result = sp.Add(*[s.result for s in subs])
        kind = "difference" if any(t.could_extract_minus_sign() for t in terms) else "sum"
        why = Reason.of("sum", kind=kind, count=len(terms))
        return Step("sum", expr, var, result, why, subs, "(u + v)' = u' + v'")

    def mul(self, expr, var) -> Step:
        coeff, rest = expr.as_independent(var, as_Add=False)
        if coeff != 1:
            return self.constant_multiple(expr, var, coeff, rest)
        factors = list(rest.as_ordered_factors())
        denominators = [f for f in factors if f.is_Pow and f.exp.is_negative and f.has(var)]
        numerators = [f for f in factors if f not in denominators]
        if denominators and numerators:
            u = sp.Mul(*numerators)
            v = sp.Mul(*[sp.Pow(f.base, -f.exp) for f in denominators])
            return self.quotient(expr, var, u, v)
        return self.product(expr, var, factors)

    def constant_multiple(self, expr, var, coeff, rest) -> Step:
        inner = self.step(rest, var)
        subs = [inner]
        num, den = sp.fraction(coeff)
        if den != 1 and not den.has(var):
            # x^2/3 is (1/3)*x^2: say so, it is what learners trip over
            rewritten = sp.Mul(coeff, rest, evaluate=False)
            subs.insert(0, Step("rewrite", expr, var, rewritten,
                                Reason.of("divide_by_constant", divisor=den, coeff=coeff)))
        logs = [a for a in sp.Mul.make_args(den) if isinstance(a, sp.log) and a.args[0].is_number]
        base = logs[0].args[0] if logs and isinstance(rest, sp.log) else None
        why = Reason.of("constant_multiple", coeff=coeff, log_base=base)
        return Step("constant_multiple", expr, var, coeff * inner.result, why, tuple(subs),
                    "(c·u)' = c·u'")

    def product(self, expr, var, factors) -> Step:
        subs = tuple(self.step(f, var) for f in factors)
        terms = []
        for i, s in enumerate(subs):
            others = [f for j, f in enumerate(factors) if j != i]
            terms.append(sp.Mul(s.result, *others))
        result = sp.Add(*terms)
        if len(factors) == 2:
            why = Reason.of("product", u=factors[0], v=factors[1])
            formula = "(u·v)' = u'·v + u·v'"
        else:
            why = Reason.of("product_many", count=len(factors))
            formula = "(u·v·w)' = u'·v·w + u·v'·w + u·v·w'"
        return Step("product", expr, var, result, why, subs, formula)

    def quotient(self, expr, var, u, v) -> Step:
        du, dv = self.step(u, var), self.step(v, var)
        result = (du.result * v - u * dv.result) / v**2
        why = Reason.of("quotient", u=u, v=v)
        return Step("quotient", expr, var, result, why, (du, dv), "(u/v)' = (u'·v - u·v')/v²")

    # -- powers ---------------------------------------------------------------------------
    def pow(self, expr, var) -> Step:
        base, exponent = expr.as_base_exp()
        if not exponent.has(var):
            if base == var:
                return self.power(expr, var)
            return self.chain(expr, var, base, lambda u: sp.Pow(u, exponent))
        if not base.has(var):
            if exponent == var:
                return self.exponential(expr, var)
            return self.chain(expr, var, exponent, lambda u: sp.Pow(base, u))
        return self.general_power(expr, var)

    def power(self, expr, var) -> Step:
        n = expr.exp
        subs = ()
        if n == sp.Rational(1, 2) or n == sp.Rational(-1, 2) or (n.is_Rational and n.q != 1):
            shown = sp.Pow(var, n, evaluate=False)
            subs = (Step("rewrite", expr, var, shown,
                         Reason.of("root_as_power", expr=expr, var=var, n=n)),)
        elif n.is_negative:
            subs = (Step("rewrite", expr, var, sp.Pow(var, n, evaluate=False),
                         Reason.of("reciprocal_as_power", var=var, n=n)),)
        result = n * var ** (n - 1)
        return Step("power", expr, var, result, Reason.of("power", n=n), subs, "d/dx xⁿ = n·x^(n-1)")

    def exponential(self, expr, var) -> Step:
        a = expr.base
        why = Reason.of("exponential", base=a)
        return Step("exponential", expr, var, expr * sp.log(a), why, (), "d/dx aˣ = aˣ·ln(a)")

    def general_power(self, expr, var) -> Step:
        f, g = expr.as_base_exp()
        log_form = g * sp.log(f)
        inner = self.step(log_form, var)
        rewrite = Step("rewrite", expr, var, sp.exp(log_form),
                       Reason.of("exp_log_form", var=var, expr=expr, log_form=log_form))
        why = Reason.of("general_power", expr=expr, log_form=log_form)
        return Step("general_power", expr, var, expr * inner.result, why, (rewrite, inner),
                    "(f^g)' = f^g·(g·ln f)'")

    # -- functions ------------------------------------------------------------------------
    def function(self, expr, var) -> Step:
        args = expr.args
        if isinstance(expr, AppliedUndef) and len(args) != 1:
            return self.unknown(expr, var)
        arg = args[0]
        if arg == var:
            return self.elementary(expr, var)
        return self.chain(expr, var, arg, lambda u: expr.func(u))

    def elementary(self, expr, var) -> Step:
        """f(var) for an elementary or unknown function f."""
        func = expr.func
        if isinstance(expr, AppliedUndef):
            return self.unknown(expr, var)
        if func not in ELEMENTARY:
            return self.known(expr, var)
        rule, derivative, _formula = ELEMENTARY[func]
        result = derivative(var)
        why = Reason.of("elementary", expr=expr, result=result, name=NAMES.get(func, ""))
        # the header already shows d/dx f(x) = f'(x): no separate formula for a leaf
        return Step(rule, expr, var, result, why)

    def unknown(self, expr, var) -> Step:
        result = sp.diff(expr, var)
        why = Reason.of("unknown_function", name=expr.func.__name__, result=result)
        return Step("unknown_function", expr, var, result, why)

    def known(self, expr, var) -> Step:
        result = sp.diff(expr, var)
        return Step("known", expr, var, result, Reason.of("known", result=result))

    def chain(self, expr, var, inner, outer_of) -> Step:
        """f(g(x)): differentiate the outer f at u = g(x), times the derivative of g."""
        u = self.fresh()
        outer_expr = outer_of(u)
        outer = self.step(outer_expr, u)
        inner_step = self.step(inner, var)
        result = outer.result.subs(u, inner) * inner_step.result
        why = Reason.of("chain", u=u, inner=inner, expr=expr, outer=outer_expr, var=var)
        return Step("chain", expr, var, result, why, (outer, inner_step),
                    "d/dx f(g(x)) = f'(g(x))·g'(x)", let=((u, inner),))


def diff_steps(expr: sp.Expr, var: sp.Symbol) -> Step:
    """The step tree of the derivative of ``expr`` with respect to ``var``."""
    return Differentiator().diff(expr, var)
