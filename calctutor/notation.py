"""Expressions as text: learner notation, SymPy syntax (for JSON), LaTeX and 2-D pretty print.

Every renderer and every sentence in a step goes through these functions, so an expression
looks the same everywhere.
"""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter


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
    """LaTeX for ``expr`` (natural log written ``\\ln``)."""
    return sympy.latex(expr, ln_notation=True)


def to_pretty(expr, width: int = 80, unicode: bool = True) -> str:
    """SymPy's 2-D pretty print, broken by SymPy itself to fit ``width`` columns."""
    return sympy.pretty(expr, use_unicode=unicode, num_columns=max(20, width))
