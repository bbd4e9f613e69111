"""Expressions as text: learner notation, SymPy syntax (for JSON), LaTeX and 2-D pretty print.

Every renderer and every sentence in a step goes through these functions, so an expression
looks the same everywhere.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import re
import unicodedata

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import requires_partial
from sympy.printing.str import StrPrinter

from calctutor.symbols import display_name, pretty_name

# One Greek printer for every view: theta -> θ, lam1 -> λ1 (see symbols.display_name).
greek = display_name

# A number's product sign left out before a letter or a bracket (2x, 3(x + 1)), as a tutor
# writes it; never after a power (x^2*y is x^2 y, not x^2y) nor inside a name (x1*y).
_COEFFICIENT = re.compile(r"(?<![\w.^])(\d+(?:\.\d+)?)\*(?=[(]|[^\W\d_](?![\w(]))")

_NUMBERS = re.compile(r"(?<=\d)\*(?=[\d.-])")


# The order in which the learner typed the terms of a sum (see ``keep_order``).
_ORDER: dict = {}
_ORDER_LIMIT = 512


def _squash(text: str) -> str:
    return "".join(text.split()).replace("**", "^").replace("*", "")


def keep_order(expr, typed: str) -> None:
    """Print the sums in ``expr`` with their terms in the order ``typed`` shows them.

    SymPy sorts a sum's terms (``cos(x) - 2x`` becomes ``-2x + cos(x)``); every printer here
    asks ``ordered_terms`` first, so an expression the learner typed reads back as typed
    wherever it is shown. A sum whose terms cannot all be found in ``typed`` keeps SymPy's
    order. The latest typing wins: in a long-running process (a notebook, the test suite)
    a sum typed earlier in another order must not change how this one reads back.
    """
    if not isinstance(expr, sympy.Basic) or not isinstance(typed, str):
        return
    text = _squash(typed)
    for add in sympy.preorder_traversal(expr):
        if not isinstance(add, sympy.Add):
            continue
        found = []
        for term in add.args:
            shown = _squash(to_text(term)).lstrip("-")
            at = text.find(shown) if shown else -1
            if at < 0:
                break
            found.append((at, term))
        else:
            _ORDER.pop(add, None)  # re-inserted last: the most recently typed are kept
            if len(_ORDER) >= _ORDER_LIMIT:
                _ORDER.pop(next(iter(_ORDER)))
            _ORDER[add] = tuple(t for _, t in sorted(found, key=lambda p: p[0]))


def products_as_typed(text: str) -> str:
    """A reading written with ``*`` (``2*x*sin(x)``) in learner notation (``2x sin(x)``)."""
    text = _NUMBERS.sub("·", _COEFFICIENT.sub(r"\1", text))  # 2·3, never "2 3"
    return text.replace(")*(", ")(").replace("*", " ")


_AROUND_OPERATOR = re.compile(r"\s*([-+/^=,]|\*\*)\s*")
_TYPED_COEFFICIENT = re.compile(r"(?<![\w.^])(\d+(?:\.\d+)?)(?=[A-Za-z(])")


def same_as_typed(reading: str, typed: str) -> bool:
    """Whether ``reading`` is ``typed`` with only product signs made explicit: a space
    between factors (``x^2 sin(x)``) or a coefficient before a letter (``2x``), never after a
    power (``2^3x`` is news: read as 2^3*x) nor beside a bracket (``x (x + 1)``)."""
    text = _AROUND_OPERATOR.sub(lambda m: "^" if m.group(1) == "**" else m.group(1),
                                typed.strip())
    text = _TYPED_COEFFICIENT.sub(r"\1*", re.sub(r"\s+", "*", text))
    return text == "".join(reading.split())


def ordered_terms(expr):
    """The typed order of a sum's terms (``keep_order``), or None: the printer's own."""
    return _ORDER.get(expr) if _ORDER else None


def _subscript_var(v) -> str:
    return display_name(v.name) if isinstance(v, sympy.Symbol) else str(v)


class _LearnerPrinter(StrPrinter):
    """One-line notation a learner types back: ``2x sin(x)``, ``x^2``, ``e^x``, ``ln``, ``|x|``."""

    def _as_ordered_terms(self, expr, order=None):
        typed = ordered_terms(expr)
        return list(typed) if typed is not None else super()._as_ordered_terms(expr, order)

    def _print_Pow(self, expr, rational=False):
        text = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    _default_settings = {**StrPrinter._default_settings, "dot": False}

    def _print_Mul(self, expr):
        # every factor is printed by this printer (no '*' of its own), so each '*' left is a
        # product sign of this product: a space between factors, nothing after a coefficient
        text = super()._print_Mul(expr)
        if self._settings["dot"]:
            return _COEFFICIENT.sub(r"\1", text).replace("*", "·")
        return products_as_typed(text)

    def _print_Symbol(self, expr):
        return display_name(expr.name)  # theta as θ (the lexer reads θ back as theta)

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

    def _print_Derivative(self, expr):
        # f'(x) for an unknown function of one variable, else Leibniz: d/dx [..], ∂²/∂y∂x [..]
        inner = expr.expr
        counts = [(v, int(n)) for v, n in expr.variable_count]
        if (isinstance(inner, AppliedUndef) and len(counts) == 1 and len(inner.args) == 1
                and inner.args[0] == counts[0][0] and counts[0][1] <= 3):
            return f"{inner.func.__name__}{chr(39) * counts[0][1]}({self._print(inner.args[0])})"
        partial = requires_partial(expr)
        d = "∂" if partial else "d"
        total = sum(n for _, n in counts)

        def power(n: int) -> str:
            return "" if n == 1 else f"^{n}"

        den = " ".join(f"{d}{_subscript_var(v)}{power(n)}" for v, n in reversed(counts))
        return f"{d}{power(total)}/{den} [{self._print(inner)}]"

    def _print_Subs(self, expr):
        inner, olds, news = expr.args
        if (isinstance(inner, sympy.Derivative) and isinstance(inner.expr, AppliedUndef)
                and len(olds) == 1 and inner.expr.args == (olds[0],)):
            # f'(u) at u = x^2 is f'(x^2), as the chain rule writes it
            return self._print(inner).replace(f"({self._print(olds[0])})",
                                              f"({self._print(news[0])})")
        at = ", ".join(f"{self._print(o)} = {self._print(n)}" for o, n in zip(olds, news, strict=True))
        return f"[{self._print(inner)}] at {at}"

    def _print_Sum(self, expr):
        body = self._print(expr.function)
        if expr.function.is_Add:
            body = f"({body})"
        limits = ", ".join(f"{self._print(i)} = {self._print(a)}..{self._print(b)}"
                           for i, a, b in expr.limits)
        return f"Σ_({limits}) {body}"

    def _print_Integral(self, expr):
        body = self._print(expr.function)
        ds = " ".join(f"d{self._print(lim[0])}" for lim in expr.limits)
        return f"∫ {body} {ds}"

    def _print_Piecewise(self, expr):
        parts = []
        for e, c in expr.args:
            parts.append(self._print(e) + ("" if c is sympy.true else f" if {self._print(c)}"))
        if expr.args[-1][1] is sympy.true and len(parts) > 1:
            parts[-1] = self._print(expr.args[-1][0]) + " otherwise"
        return "(" + "; ".join(parts) + ")"

    def _print_Relational(self, expr):
        ops = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}
        op = ops.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Function(self, expr):
        return f"{expr.func.__name__}({', '.join(self._print(a) for a in expr.args)})"



_learner = _LearnerPrinter({"order": None})
_dotted = _LearnerPrinter({"order": None, "dot": True})


def to_text(expr, dot: bool = False) -> str:
    """Learner notation on one line, e.g. ``2x sin(x) + x^2 cos(x)`` (the parser reads it back).

    ``dot``: products of letters written ``a·b``, for a product inside a sentence, where
    "only a b = 2" would read as two words.
    """
    if isinstance(expr, str):
        return expr
    text = (_dotted if dot else _learner).doprint(expr)
    # StrPrinter writes integer powers of Pow with '**' inside _print_Pow output of sub-terms
    return text.replace("**", "^")


def to_sympy(expr) -> str:
    """SymPy syntax that ``sympy.sympify`` reads back (the contract's JSON form)."""
    return sympy.sstr(expr, order=None)


def to_latex(expr) -> str:
    """LaTeX for ``expr`` (natural log written ``\\ln``, sums in the order typed)."""
    return _latex_printer()({"ln_notation": True}).doprint(expr)


# Symbols in a name that LaTeX's maths mode cannot take raw (∇f, a symbol a view names).
_LATEX_CHARS = {"∇": r"\nabla ", "∂": r"\partial ", "²": "^{2}", "³": "^{3}", "ᵀ": "^{T}",
                "·": r"\cdot ", "−": "-", "→": r"\to ", "≈": r"\approx ", "∞": r"\infty "}


@functools.cache
def _latex_printer():
    from sympy.printing.latex import LatexPrinter

    class Latex(LatexPrinter):
        def _as_ordered_terms(self, expr, order=None):
            typed = ordered_terms(expr)
            return list(typed) if typed is not None else super()._as_ordered_terms(expr, order)

        def _print_Symbol(self, expr, style="plain"):
            name = expr.name
            if pretty_name(name) != name:  # lam, as learners type the multiplier: λ
                return super()._print_Symbol(sympy.Symbol(pretty_name(name)), style)
            if any(ch in _LATEX_CHARS or ord(ch) > 127 for ch in name):
                out = []
                for ch in name:
                    if ch in _LATEX_CHARS:
                        out.append(_LATEX_CHARS[ch])
                    elif ord(ch) > 127 and unicodedata.name(ch, "").startswith("GREEK "):
                        word = unicodedata.name(ch).split()[-1].lower().replace("lamda", "lambda")
                        upper = "CAPITAL" in unicodedata.name(ch)
                        out.append("\\" + (word.capitalize() if upper else word) + " ")
                    else:
                        out.append(ch if ord(ch) < 128 else "?")
                return "".join(out).strip()
            return super()._print_Symbol(expr, style)

    return Latex


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
            # SymPy draws theta as θ but lam as "lam": give it the name it draws as λ (in
            # ASCII it stays lam, as learners type it, never "lambda")
            name = pretty_name(e.name)
            if name != e.name and self._use_unicode:
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


# -- maths inside sentences --------------------------------------------------------------------
class Prose(str):
    """A sentence with maths in it. As a ``str`` it is the sentence in learner notation
    (JSON, logs, comparisons); ``segments`` holds its words and the expressions themselves,
    so that a view can hand them to a format that typesets maths (LaTeX, Markdown). Any
    string operation on it gives a plain ``str``: the words stay right, the typesetting goes."""

    segments: tuple

    def __new__(cls, segments, text: str | None = None):
        segments = tuple(segments)
        if text is None:
            text = "".join(s if isinstance(s, str) else to_text(s) for s in segments)
        made = super().__new__(cls, text)
        made.segments = segments
        return made

    def __reduce__(self):  # a verdict crosses the sandbox's pipe pickled
        return (Prose, (self.segments, str(self)))


_INLINE: contextvars.ContextVar = contextvars.ContextVar("calctutor_inline", default=None)
_MARKER = re.compile("\ue010(\\d+)\ue011")


def inline(expr, text: str | None = None) -> str:
    """``expr`` for a sentence: its learner notation (``text`` when given); while ``prose``
    builds a sentence, a marker that ``prose`` turns back into the expression."""
    text = to_text(expr) if text is None else text
    found = _INLINE.get()
    if found is None or not isinstance(expr, sympy.Basic):
        return text
    for k, (_, seen) in enumerate(found):
        if seen == text:  # the same marker for the same maths: a sentence may deduplicate
            return f"\ue010{k}\ue011"
    found.append((expr, text))
    return f"\ue010{len(found) - 1}\ue011"


def prose(build, *args, **kwargs):
    """What ``build(*args, **kwargs)`` returns, with the ``inline`` expressions of its
    sentences as ``Prose`` segments: a ``str``, or each ``str`` field of a dataclass (a
    verdict with its explanation); anything else as it is. Inside another ``prose`` the
    markers are left to the outer one."""
    if _INLINE.get() is not None:
        return build(*args, **kwargs)
    found: list = []
    token = _INLINE.set(found)
    try:
        made = build(*args, **kwargs)
    finally:
        _INLINE.reset(token)
    if not found:
        return made
    if isinstance(made, str):
        return _prose(made, found)
    if dataclasses.is_dataclass(made) and not isinstance(made, type):
        changes = {f.name: _prose(getattr(made, f.name), found)
                   for f in dataclasses.fields(made) if f.init and isinstance(getattr(made, f.name), str)}
        return dataclasses.replace(made, **changes)
    return made


def _prose(raw: str, found: list) -> str:
    if "\ue010" not in raw:
        return raw
    segments: list = []
    for k, piece in enumerate(_MARKER.split(raw)):
        if k % 2:
            segments.append(found[int(piece)][0])
        elif piece:
            segments.append(piece)
    return Prose(segments, _MARKER.sub(lambda m: found[int(m.group(1))][1], raw))


def segments_of(text) -> tuple:
    """The segments of a sentence: a ``Prose``'s words and expressions, else the text itself."""
    return getattr(text, "segments", (text,))
