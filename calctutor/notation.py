"""Expressions as text: learner notation, SymPy syntax (for JSON), LaTeX and 2-D pretty print.

Every renderer and every sentence in a step goes through these functions, so an expression
looks the same everywhere.
"""

from __future__ import annotations

import functools

import sympy
from sympy.printing.str import StrPrinter

from calctutor.symbols import display_name, pretty_name


class _LearnerPrinter(StrPrinter):
    """One-line notation a learner types back: ``^`` for powers, ``e^x``, ``ln``, ``|x|``."""

    def _print_Pow(self, expr, rational=False):
        text = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    def _print_exp(self, expr):
        arg = expr.args[0]
        inner = self._print(arg)
        if arg.is_Symbol or (arg.is_Integer and arg >= 0):
            return f"e^{inner}"
        return f"e^({inner})"

    def _print_Exp1(self, expr):
        return "e"  # as learners write it (and as parsing reads it), not SymPy's E

    def _print_log(self, expr):
        return "ln(%s)" % self._print(expr.args[0])

    def _print_Abs(self, expr):
        return "|%s|" % self._print(expr.args[0])

    def _print_Rational(self, expr):
        return super()._print_Rational(expr)

    def _print_Symbol(self, expr):
        return display_name(expr.name)  # theta as θ (the lexer reads θ back as theta)


_learner = _LearnerPrinter({"order": None})


def to_text(expr) -> str:
    """Learner notation on one line, e.g. ``2*x*sin(x) + x^2*cos(x)``."""
    if isinstance(expr, str):
        return expr
    text = _learner.doprint(expr)
    # StrPrinter writes integer powers of Pow with '**' inside _print_Pow output of sub-terms
    return text.replace("**", "^")


def to_sympy(expr) -> str:
    """SymPy syntax that ``sympy.sympify`` reads back (the contract's JSON form)."""
    return sympy.sstr(expr, order=None)


def to_latex(expr) -> str:
    """LaTeX for ``expr`` (natural log written ``\\ln``; lam as \\lambda)."""
    names = {}
    if isinstance(expr, sympy.Basic):
        names = {s: sympy.latex(sympy.Symbol(pretty_name(s.name))) for s in expr.free_symbols
                 if isinstance(s, sympy.Symbol) and pretty_name(s.name) != s.name}
    return sympy.latex(expr, ln_notation=True, symbol_names=names)


def to_pretty(expr, width: int = 80, unicode: bool = True) -> str:
    """SymPy's 2-D pretty print, broken by SymPy itself to fit ``width`` columns."""
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    printer = _pretty_printer()({"use_unicode": unicode, "num_columns": max(20, width)})
    previous = pretty_use_unicode(unicode)  # SymPy's printer reads a module-wide flag
    try:
        return printer.doprint(expr)
    finally:
        pretty_use_unicode(previous)


@functools.cache
def _pretty_printer():
    """SymPy's PrettyPrinter with products laid out here.

    SymPy's own ``_print_Mul`` imports ``sympy.physics.units`` (0.23 s, more than the whole
    of ``calctutor diff``) only to move physical quantities to the end of a product, and
    calctutor's parser never makes one. The layout is SymPy's: factors with a negative
    rational exponent, and rational denominators, go below the line.
    """
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm

    one = sympy.S.One

    class Pretty(PrettyPrinter):
        def _print_Symbol(self, e, bold_name=False):
            # SymPy draws theta as θ but lam as "lam": give it the name it draws as λ
            name = pretty_name(e.name)
            if name != e.name:
                e = sympy.Symbol(name)
            return super()._print_Symbol(e, bold_name)

        def _print_Mul(self, product):
            factors = product.args
            if factors[0] is one or any(f.is_Number for f in factors[1:]):
                return self._unevaluated_product(factors)
            if self.order not in ("old", "none"):
                factors = product.as_ordered_factors()
            above, below = [], []
            for f in factors:
                if f.is_commutative and f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                    below.append(f.base if f.exp == -1 else sympy.Pow(f.base, -f.exp, evaluate=False))
                elif f.is_Rational and f is not sympy.oo:
                    above += [sympy.Integer(f.p)] if f.p != 1 else []
                    below += [sympy.Integer(f.q)] if f.q != 1 else []
                else:
                    above.append(f)
            top = prettyForm.__mul__(*[self._print(f) for f in above or [one]])
            if not below:
                return top
            return top / prettyForm.__mul__(*[self._print(f) for f in below])

        def _unevaluated_product(self, factors):
            # every factor shown as it stands (1*x, 2*3); prettyForm's product would swallow
            # a leading -1, so it is put back in front by hand
            forms = [self._print(f) for f in factors]
            lead_minus = str(forms[0]) == "-1"
            if lead_minus:
                forms[0] = prettyForm("1")
            out = prettyForm.__mul__(*forms)
            return prettyForm("-" + out.s, out.baseline, out.binding) if lead_minus else out

    return Pretty
