"""Taylor polynomials from derivatives, as a learner computes them (module 4).

One variable: f(a), f'(a), f''(a), … each divided by k! gives the coefficient of (x − a)^k.
Several variables: every partial derivative ∂^α f(a) / α! gives the coefficient of
Δ^α = Π (xᵢ − aᵢ)^αᵢ, for total degree |α| ≤ order (order 2 is f(a) + ∇f·Δ + ½ ΔᵀHΔ).

Derivatives come from ``sympy.diff`` one at a time, each from the last; values at the point
are exact when the point is. Everything is bounded: an order above ``MAX_ORDER`` is refused,
optional extras (the next non-zero term, the remainder estimate) run under ``within``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

import sympy as sp

from calctutor.domain import real_roots
from calctutor.errors import LimitError, UsageError
from calctutor.notation import to_sympy, to_text
from calctutor.results import Reading, json_value
from calctutor.sandbox import within
from calctutor.steps.evaluate import evaluate_at
from calctutor.steps.evaluate import where as where_text
from calctutor.steps.tidy import tidy

MAX_ORDER = 20
MAX_ORDER_MULTI = 8
MAX_NONZERO = 10
SHOW_OPS = 40         # a derivative longer than this is not written out in the table
SHOW_CHARS = 48       # (nor one whose text is longer than this: a table cell must fit)
NEXT_TERM_SEARCH = 8  # how many orders past the last to look for the next non-zero term
DISPLAY_SECONDS = 0.3  # time for writing out the derivatives f⁽ᵏ⁾(x) in the table
SHOW_UP_TO = 6  # ... and at most this many of them
MIN_CHECKED = 4  # a general term is stated only when it matches at least this many coefficients


@dataclass(frozen=True)
class DerivativeRow:
    """One row of the one-variable table: f⁽ᵏ⁾(x) (None when too long to show), its value
    at a, the coefficient f⁽ᵏ⁾(a)/k! and the term it gives."""

    k: int
    derivative: sp.Expr | None
    value: sp.Expr
    coefficient: sp.Expr
    term: sp.Expr


@dataclass(frozen=True)
class PartialRow:
    """One partial derivative of the several-variable expansion: multi-index α, ∂^α f(a),
    the coefficient ∂^α f(a)/α! and the term."""

    alpha: tuple[int, ...]
    value: sp.Expr
    coefficient: sp.Expr
    term: sp.Expr


@dataclass(frozen=True)
class TaylorResult:
    """A Taylor polynomial with its working and how good it is."""

    input: Reading
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    at: tuple[tuple[sp.Symbol, sp.Expr], ...]
    order: int
    terms: tuple[tuple[int, sp.Expr], ...]  # (degree, term) for degree 0..order
    pieces: tuple[tuple[int, sp.Expr], ...] = ()  # (degree, monomial term), several variables
    rows: tuple[DerivativeRow, ...] = ()     # one variable
    partials: tuple[PartialRow, ...] = ()    # several variables
    gradient: tuple[sp.Expr, ...] = ()       # at the point (several variables)
    hessian: tuple[tuple[sp.Expr, ...], ...] = ()
    next_term: tuple[int, sp.Expr] | None = None
    next_searched: int = 0                    # the degree up to which it was looked for
    remainder: tuple[float, float, float] | None = None  # (h, M, bound)
    samples: tuple[tuple[float, float, float, float], ...] = ()  # x, f, T, error
    curves: tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...] = ()
    plot: bool = False
    nonzero: int | None = None
    notes: tuple[str, ...] = field(default=())
    general: tuple[sp.Symbol, sp.Expr, int] | None = None  # (index n, n-th term, first n)
    general_asked: bool = False
    converges: str | None = None  # where the general term's series converges to f
    # the general term with only its non-zero powers indexed (terms.PowerSeries):
    # (-1)^n x^(2n+1)/(2n+1)! for sin x; JSON "series_term" and "series_start"
    series: object = None
    by_limits: bool = False  # f or its derivatives undefined at a: the values are limits
    evaluations: tuple[tuple[int, sp.Expr], ...] = ()  # (k, T_k(X)) for --eval X
    eval_at: sp.Expr | None = None
    eval_f: sp.Expr | None = None                        # f(X) itself

    @property
    def method_hint(self) -> str | None:
        """The quiz's first hint when the question is the general term (else its default)."""
        if not self.general_asked:
            return None
        return ("Method: write out the first few terms f^(n)(a)/n! (x − a)^n and spot the "
                "pattern: the signs, the powers of x and the factorial in the denominator. "
                "Start with the derivatives at the centre.")

    @property
    def polynomial(self) -> sp.Expr:
        return sp.Add(*(t for _, t in self.terms))

    @property
    def point(self) -> dict[sp.Symbol, sp.Expr]:
        return dict(self.at)

    def monomials(self, degree: int | None = None) -> tuple[tuple[int, sp.Expr], ...]:
        """The non-zero terms one monomial at a time (of one ``degree`` if given)."""
        pieces = self.pieces or self.terms
        return tuple((d, t) for d, t in pieces if t != 0 and degree in (None, d))

    def text(self, printer=to_text) -> str:
        """The polynomial in ascending degree, as (x − a) powers."""
        return polynomial_text(self.monomials(), printer)

    def to_json(self) -> dict:
        out = {
            "input": self.input.text,
            "variables": [to_sympy(v) for v in self.variables],
            "at": {to_sympy(s): to_sympy(v) for s, v in self.at},
            "order": self.order,
            "result": self.text(to_sympy),
            "terms": [{"degree": d, "term": polynomial_text(self.monomials(d), to_sympy)}
                      for d, _ in self.terms],
        }
        if self.next_term is not None:
            out["next_term"] = {"degree": self.next_term[0], "term": to_sympy(self.next_term[1])}
        if self.nonzero is not None:
            out["nonzero"] = self.nonzero
        if self.by_limits:
            out["values_are_limits"] = True
        if self.eval_at is not None:
            out["evaluations"] = [{"order": k, "value": json_value(v)} for k, v in self.evaluations]
            out["eval_at"] = to_sympy(self.eval_at)
        if self.general_asked:
            out["general_term"] = None if self.general is None else to_sympy(self.general[1])
            if self.converges is not None:
                out["converges"] = self.converges
            if self.series is not None:
                out["series_term"] = to_sympy(self.series.term())
                out["series_start"] = self.series.start
        return out

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec
        from calctutor.topics.series.mistakes import taylor_mistakes

        if self.general_asked and self.series is not None:
            from calctutor.topics.series.answers import general_term_spec

            return general_term_spec(self, self.series)
        if self.general_asked and self.general is not None:
            n, term, _ = self.general
            return AnswerSpec("expr", term, f"the general term (the term in {n.name})",
                              self.variables + (n,))
        what = ("the linearisation" if self.order == 1 else
                f"the Taylor polynomial of order {self.order}")
        if self.nonzero is not None:
            what = f"the first {self.nonzero} non-zero terms"
        return AnswerSpec("expr", sp.expand(self.polynomial), what, self.variables,
                          mistakes=lambda: taylor_mistakes(self),
                          json_expected=self.text(to_sympy))


def polynomial_text(terms, printer=to_text) -> str:
    """The non-zero terms in ascending degree, joined with + and − (``"0"`` if none)."""
    out = ""
    for _, t in terms:
        if t == 0:
            continue
        negative = t.could_extract_minus_sign()
        text = printer(-t if negative else t)
        if " " in text and text[0] != "(" and (-t if negative else t).is_Add:
            text = f"({text})"
        if not out:
            out = ("-" if negative else "") + text
        else:
            out += (" - " if negative else " + ") + text
    return out or "0"


def shifted(var: sp.Symbol, a: sp.Expr) -> sp.Expr:
    """``x − a`` (just ``x`` about 0)."""
    return var if a == 0 else var - a


def power_term(coeff: sp.Expr, bases: tuple[sp.Expr, ...], alpha: tuple[int, ...]) -> sp.Expr:
    """coeff · Π baseᵢ^αᵢ kept as written, so (x − 1) stays unexpanded."""
    if coeff == 0:
        return sp.Integer(0)
    factors = [b if k == 1 else sp.Pow(b, k, evaluate=False)
               for b, k in zip(bases, alpha, strict=True) if k]
    if not factors:
        return coeff
    if coeff == 1:
        return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
    return sp.Mul(coeff, *factors, evaluate=False)


class UndefinedThere(UsageError):
    """f or one of its derivative formulas is undefined at the centre (the series of f may
    still exist there: a removable singularity, or cos(√x) at 0)."""


def value_at(expr: sp.Expr, point: dict, what: str) -> sp.Expr:
    """``expr`` at ``point`` by the one evaluate-at-a-point (``steps.evaluate.evaluate_at``),
    exact and tidied unless it has decimals; an UndefinedThere error when it is undefined
    there (the series may still exist: the caller then tries limits)."""
    try:
        value = evaluate_at(expr, point, what=what, decimals="value")
    except UsageError:
        raise UndefinedThere(f"there is no Taylor expansion about {where_text(point)}: {what} is "
                             "undefined there") from None
    if not value.is_number:
        raise UsageError(f"{what} does not reduce to a number at the point")
    return value


def _sign(v: float) -> float:
    return 0.0 if v == 0 else math.copysign(1.0, v)


_NUMERIC = {"sign": _sign, "Heaviside": lambda v, h0=0.5: (1.0 + _sign(v)) / 2 if v else h0,
            "floor": math.floor, "ceiling": math.ceil}


def _lambda(expr: sp.Expr, var: sp.Symbol):
    return sp.lambdify(var, expr, modules=[_NUMERIC, "math"])


def _evaluate(fn, x: float) -> float:
    try:
        y = fn(x)
        y = complex(y)
        return y.real if abs(y.imag) < 1e-12 else math.nan
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
        return math.nan


_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling)


def smooth_near(expr: sp.Expr, point: dict) -> tuple[sp.Expr, tuple[str, ...]]:
    """``expr`` with each |u|, sign(u), floor(u), … replaced by the smooth expression it equals
    near ``point`` (|u| = ±u, sign(u) = ±1, …), and notes saying so; a UsageError when one is
    not smooth at the point (u = 0, or u whole for floor/ceiling): no Taylor expansion there."""
    where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
    notes: list[str] = []
    while True:
        inner = [n for n in expr.atoms(*_KINKS) if not any(a.has(*_KINKS) for a in n.args)]
        if not inner:
            return expr, tuple(notes)
        node = min(inner, key=sp.default_sort_key)
        u0 = node.args[0].xreplace(point)
        if u0.free_symbols:
            u0 = node.args[0].subs(point)
        if not u0.is_number or u0.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or u0.is_real is False:
            raise UsageError(f"there is no Taylor expansion about {where}: {to_text(node)} is "
                             f"undefined there")
        s0 = sp.sign(u0)
        if not s0.is_number:
            raise UsageError(f"cannot tell the sign of {to_text(node.args[0])} at {where}")
        if isinstance(node, (sp.floor, sp.ceiling)):
            if u0.is_integer:
                raise UsageError(f"{to_text(node)} jumps at {where}, so it has no Taylor "
                                 f"expansion there")
            smooth = node.func(u0)
        elif s0 == 0:
            kind = "differentiable" if isinstance(node, sp.Abs) else "continuous"
            raise UsageError(f"{to_text(node)} is not {kind} at {where}, so it has no Taylor "
                             f"expansion there")
        elif isinstance(node, sp.Abs):
            smooth = s0 * node.args[0]
        else:  # sign(u) = ±1, Heaviside(u) = 0 or 1 away from u = 0
            smooth = s0 if isinstance(node, sp.sign) else (1 + s0) / 2
        notes.append(f"near {where}, {to_text(node)} = {to_text(smooth)}, which is smooth there")
        expr = expr.xreplace({node: smooth})


def real_odd_roots_near(expr: sp.Expr, point: dict) -> tuple[sp.Expr, tuple[str, ...]]:
    """``expr`` with each odd root b^(p/q) whose base is negative at ``point`` written as the
    real root (−1)^p (−b)^(p/q), which is smooth there (SymPy's b^(p/q) is the complex
    principal root), and notes saying so."""
    where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
    notes: list[str] = []

    def negative_odd_root(e) -> bool:
        if not (isinstance(e, sp.Pow) and e.exp.is_Rational and not e.exp.is_Integer
                and e.exp.q % 2 == 1 and e.base.free_symbols):
            return False
        b0 = e.base.xreplace(point)
        return bool(b0.is_number and b0.is_negative)

    def real(e):
        smooth = (-1) ** e.exp.p * sp.Pow(-e.base, e.exp)
        notes.append(f"near {where}, {to_text(e)} is the real root {to_text(smooth)} "
                     f"(its base is negative there)")
        return smooth

    return expr.replace(negative_odd_root, real), tuple(notes)


def taylor_one(expr: sp.Expr, reading: Reading, var: sp.Symbol, a: sp.Expr, order: int,
               nonzero: int | None = None, plot: bool = False) -> TaylorResult:
    """The Taylor polynomial of ``expr`` about ``var = a``; a function with |u|, sign(u), …
    is expanded as the smooth function it equals near a (an error where it is not smooth),
    and an odd root of a negative base as the real root."""
    import dataclasses

    smooth, notes = smooth_near(expr, {var: a})
    smooth, roots = real_odd_roots_near(smooth, {var: a})
    notes += roots
    if not notes:
        return _taylor_one(expr, reading, var, a, order, nonzero, plot)
    result = _taylor_one(smooth, reading, var, a, order, nonzero, plot)
    # f itself (not its smooth form near a) for the samples and the plot
    later = tuple(n.replace("f is a polynomial", "near a, f is a polynomial")
                  .replace("is f itself", "is f itself there") for n in result.notes)
    return dataclasses.replace(
        result, expr=expr, notes=notes + later,
        samples=_samples(real_roots(expr), result.polynomial, var, a),
        curves=_curves(real_roots(expr), result.rows, var, a) if plot else ())



def order_for_nonzero(coeffs, nonzero: int, notes: list[str]) -> int:
    """The order that keeps the first ``nonzero`` non-zero terms (``--nonzero N``); a note
    when fewer were found among the coefficients computed."""
    ks = [k for k, c in enumerate(coeffs) if c != 0][:nonzero]
    if len(ks) < nonzero:
        notes.append(f"only {len(ks)} non-zero terms were found up to order {len(coeffs) - 1}")
    return ks[-1] if ks else 0


def rows_from_coefficients(coeffs, order: int, base: sp.Expr, shown):
    """The table of a one-variable expansion from its coefficients c_k (f^(k)(a) = k! c_k;
    ``shown`` the derivative formulas known so far): (rows, terms up to ``order``, the next
    non-zero term or None, the order searched up to)."""
    rows = []
    for k in range(order + 1):
        c = coeffs[k]
        rows.append(DerivativeRow(k, shown[k] if k < len(shown) else None, c * sp.factorial(k),
                                  c, power_term(c, (base,), (k,))))
    terms = tuple((r.k, r.term) for r in rows)
    next_term, searched = None, len(coeffs) - 1
    for k in range(order + 1, len(coeffs)):
        if coeffs[k] != 0:
            next_term, searched = (k, power_term(coeffs[k], (base,), (k,))), k
            break
    return rows, terms, next_term, searched

def _taylor_one(expr: sp.Expr, reading: Reading, var: sp.Symbol, a: sp.Expr, order: int,
                nonzero: int | None = None, plot: bool = False) -> TaylorResult:
    """The Taylor polynomial of ``expr`` about ``var = a`` (``nonzero``: the first N
    non-zero terms, whatever order that takes).

    The coefficients come from series arithmetic (``jet``), which stays fast at high order;
    the derivatives f⁽ᵏ⁾(x) shown in the table come from differentiating, as long as they
    stay short. A function without a series rule is differentiated all the way."""
    point = {var: a}
    base = shifted(var, a)
    try:
        value_at(expr, point, "f(x)")
        coeffs = _coefficients(expr, var, a, order, nonzero)
        if coeffs is None:
            return _taylor_by_differentiation(expr, reading, var, a, order, nonzero, plot)
    except UndefinedThere as err:
        from calctutor.topics.series.taylor_edges import taylor_through

        return taylor_through(expr, reading, var, a, order, nonzero, plot, err)
    notes: list[str] = []
    if nonzero is not None:
        order = order_for_nonzero(coeffs, nonzero, notes)
    shown = [expr]
    within(DISPLAY_SECONDS, _display_derivatives, shown, var, min(order + 1, SHOW_UP_TO))
    rows, terms, next_term, searched = rows_from_coefficients(coeffs, order, base, shown)
    exact = expr.is_polynomial(var) and sp.degree(expr, var) <= order
    if exact:
        notes.append(f"f is a polynomial of degree {sp.degree(expr, var)}: every derivative of "
                     f"higher order is 0, so the Taylor polynomial is f itself")
    remainder = None
    if not exact and len(shown) > order + 1:
        remainder = within(0.5, _remainder, shown[order + 1], var, a, order, default=None)
    poly = sp.Add(*(t for _, t in terms))
    samples = _samples(expr, poly, var, a)
    curves = _curves(expr, rows, var, a) if plot else ()
    return TaylorResult(reading, expr, (var,), ((var, a),), order, terms, rows=tuple(rows),
                        next_term=next_term, next_searched=searched, remainder=remainder,
                        samples=samples, curves=curves, plot=plot, nonzero=nonzero,
                        notes=tuple(notes))


def _coefficients(expr, var, a, order, nonzero):
    """c_0 … c_N by ``jet`` (None: no series rule, or too slow); N leaves room to find the
    next non-zero term (or the N non-zero terms asked for)."""
    where = f"{to_text(var)} = {to_text(a)}"

    def attempt(n):
        try:
            return jet(expr, var, a, n)
        except Unsupported:
            return None
        except ZeroDivisionError:
            raise UndefinedThere(f"there is no Taylor expansion about {where}: a derivative of f "
                                 f"is undefined there") from None

    if nonzero is None:
        return within(4.0, attempt, order + 1 + NEXT_TERM_SEARCH, default=None)
    n = 4 * nonzero + 2
    while True:
        coeffs = within(4.0, attempt, n, default=None)
        if coeffs is None or sum(c != 0 for c in coeffs) > nonzero or n > 3 * MAX_ORDER:
            return coeffs
        n *= 2


def _display_derivatives(out: list, var, upto: int) -> None:
    """Extend ``out`` = [f] with f', f'', … up to order ``upto`` while they stay short enough
    to read (filled in place, so what was done survives a time limit)."""
    d = out[0]
    for _ in range(upto):
        d = sp.diff(d, var)
        if sp.count_ops(d) > SHOW_OPS or len(to_text(d)) > SHOW_CHARS:
            return
        out.append(d)


def _taylor_by_differentiation(expr: sp.Expr, reading: Reading, var: sp.Symbol, a: sp.Expr,
                               order: int, nonzero: int | None = None,
                               plot: bool = False) -> TaylorResult:
    """``taylor_one`` by repeated differentiation (for functions without a series rule)."""
    point = {var: a}
    base = shifted(var, a)
    limit = MAX_ORDER if nonzero is None else 3 * MAX_ORDER
    rows: list[DerivativeRow] = []
    d = expr
    found = 0
    k = 0
    notes: list[str] = []
    while True:
        what = "f(x)" if k == 0 else f"the derivative of order {k}"
        value = value_at(d, point, what)
        coeff = value / sp.factorial(k)
        show = d if sp.count_ops(d) <= SHOW_OPS else None
        if show is not None and k:
            show = within(0.5, tidy, d, default=d)
        rows.append(DerivativeRow(k, show, value, coeff, power_term(coeff, (base,), (k,))))
        found += coeff != 0
        if nonzero is None and k >= order:
            break
        if nonzero is not None and found >= nonzero:
            break
        d = sp.diff(d, var)
        k += 1
        if d == 0:
            notes.append(f"every derivative of order {k} and above is 0: the polynomial is exact")
            break
        if k > limit:
            if nonzero is None:
                raise LimitError(f"order {k} is above the limit of {MAX_ORDER}")
            notes.append(f"only {found} non-zero terms were found up to order {limit}")
            break
    order = rows[-1].k if nonzero is not None else order
    if d == 0 and nonzero is None:
        for j in range(len(rows), order + 1):
            rows.append(DerivativeRow(j, sp.Integer(0), sp.Integer(0), sp.Integer(0), sp.Integer(0)))
    terms = tuple((r.k, r.term) for r in rows[:order + 1])

    # how good is it: the next non-zero term, then a remainder estimate
    next_term, searched, remainder = None, order, None
    if d != 0:
        next_term, searched, higher = within(3.0, _next_term, d, var, point, base, order,
                                             default=(None, order, None))
        if higher is not None:
            remainder = within(2.0, _remainder, higher, var, a, order, default=None)
    poly = sp.Add(*(t for _, t in terms))
    samples = _samples(expr, poly, var, a)
    curves = _curves(expr, rows[:order + 1], var, a) if plot else ()
    return TaylorResult(reading, expr, (var,), ((var, a),), order, terms, rows=tuple(rows[:order + 1]),
                        next_term=next_term, next_searched=searched, remainder=remainder,
                        samples=samples, curves=curves, plot=plot, nonzero=nonzero,
                        notes=tuple(notes))


def _next_term(d: sp.Expr, var, point, base, order):
    """(degree, term) of the first non-zero term after ``order``, the degree searched to,
    and f^(order+1)(x) for the remainder."""
    higher = None
    for k in range(order + 1, order + 1 + NEXT_TERM_SEARCH):
        d = sp.diff(d, var)
        if higher is None:
            higher = d
        if d == 0:
            return None, k, higher
        try:
            value = value_at(d, point, "a derivative")
        except UsageError:
            return None, k - 1, higher
        if value != 0:
            coeff = value / sp.factorial(k)
            return (k, power_term(coeff, (base,), (k,))), k, higher
    return None, order + NEXT_TERM_SEARCH, higher


def _remainder(higher: sp.Expr, var, a, order):
    """Lagrange's bound |R_n(x)| ≤ M hⁿ⁺¹/(n+1)! for |x − a| ≤ h, M = max |f⁽ⁿ⁺¹⁾| sampled."""
    h = 0.5
    fn = _lambda(higher, var)
    centre = float(a)
    values = [_evaluate(fn, centre + h * (2 * i / 200 - 1)) for i in range(201)]
    if not all(math.isfinite(v) for v in values):
        return None
    m = max(abs(v) for v in values)
    return h, m, m * h ** (order + 1) / math.factorial(order + 1)


def _samples(expr, poly, var, a):
    """f, the polynomial and the error at a few points near a (those where f is real)."""
    f, p = _lambda(expr, var), _lambda(poly, var)
    centre = float(a)
    out = []
    for step in (-0.5, -0.1, 0.1, 0.5):
        x = centre + step
        fx, px = _evaluate(f, x), _evaluate(p, x)
        if math.isfinite(fx) and math.isfinite(px):
            out.append((x, fx, px, fx - px))
    return tuple(out)


def _curves(expr, rows, var, a):
    """The Taylor polynomials of increasing order (at most four), then f (drawn last, on
    top: where a polynomial hides under f it agrees with f), about a ± 3."""
    centre = float(a)
    xs = tuple(centre - 3 + 6 * i / 240 for i in range(241))
    f = _lambda(expr, var)
    curves = []
    orders = [r.k for r in rows if r.coefficient != 0 and r.k > 0]
    if len(orders) > 4:
        step = len(orders) / 4
        orders = sorted({orders[min(len(orders) - 1, round(step * (i + 1)) - 1)] for i in range(4)})
    for n in orders:
        p = _lambda(sp.Add(*(r.term for r in rows if r.k <= n)), var)
        curves.append((f"T{n}", xs, tuple(_evaluate(p, x) for x in xs)))
    curves.append((f"f = {to_text(expr)}", xs, tuple(_evaluate(f, x) for x in xs)))
    return tuple(curves)


def multi_indices(n: int, order: int):
    """Multi-indices α of ``n`` variables with |α| ≤ order, by total degree then lexically."""
    out = [alpha for alpha in product(range(order + 1), repeat=n) if sum(alpha) <= order]
    return sorted(out, key=lambda al: (sum(al), tuple(-k for k in al)))


def taylor_many(expr: sp.Expr, reading: Reading, variables: tuple[sp.Symbol, ...],
                point: dict, order: int) -> TaylorResult:
    """The Taylor polynomial of ``expr`` in several variables about ``point``."""
    import dataclasses

    smooth, notes = smooth_near(expr, point)
    if notes:
        result = taylor_many(smooth, reading, variables, point, order)
        return dataclasses.replace(result, expr=expr, notes=notes + result.notes)
    if order > MAX_ORDER_MULTI:
        raise LimitError(f"order {order} is above the limit of {MAX_ORDER_MULTI} for several variables")
    n = len(variables)
    indices = multi_indices(n, order)
    if len(indices) > 500:
        raise LimitError(f"{len(indices)} partial derivatives are too many (the limit is 500): "
                         f"lower --order")
    bases = tuple(shifted(v, point[v]) for v in variables)
    derivs: dict[tuple[int, ...], sp.Expr] = {(0,) * n: expr}
    partials = []
    for alpha in indices:
        if alpha not in derivs:
            i = max(j for j, k in enumerate(alpha) if k)  # differentiate the last variable last
            prev = alpha[:i] + (alpha[i] - 1,) + alpha[i + 1:]
            derivs[alpha] = sp.diff(derivs[prev], variables[i])
        what = "f" if not any(alpha) else "the partial derivative " + _partial_name(alpha, variables)
        try:
            value = value_at(derivs[alpha], point, what)
        except UndefinedThere:
            where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
            raise UsageError(f"cannot expand about {where}: {what} is undefined there (a limit "
                             f"may exist, but expanding through such a point is done for one "
                             f"variable only)") from None
        denom = sp.Mul(*(sp.factorial(k) for k in alpha))
        coeff = value / denom
        partials.append(PartialRow(alpha, value, coeff, power_term(coeff, bases, alpha)))
    terms = tuple((deg, sp.Add(*(p.term for p in partials if sum(p.alpha) == deg)))
                  for deg in range(order + 1))
    values = {p.alpha: p.value for p in partials}
    unit = [tuple(int(j == i) for j in range(n)) for i in range(n)]
    gradient = tuple(values.get(e, None) for e in unit) if order >= 1 else ()
    hessian = ()
    if order >= 2:
        hessian = tuple(tuple(values[tuple(a + b for a, b in zip(unit[i], unit[j], strict=True))]
                              for j in range(n)) for i in range(n))
    at = tuple((v, point[v]) for v in variables)
    pieces = tuple((sum(p.alpha), p.term) for p in partials if p.term != 0)
    return TaylorResult(reading, expr, tuple(variables), at, order, terms, pieces=pieces,
                        partials=tuple(partials),
                        gradient=gradient, hessian=hessian)


def _partial_name(alpha, variables) -> str:
    total = sum(alpha)
    down = "".join(f"∂{v.name}" + (f"^{k}" if k > 1 else "") for v, k in zip(variables, alpha, strict=True) if k)
    return f"∂^{total}f/{down}" if total > 1 else f"∂f/{down}"


# -- Taylor coefficients by series arithmetic ("jets") ---------------------------------------
# The coefficients c_k = f⁽ᵏ⁾(a)/k! of f(a + t) computed node by node with the usual
# recurrences (Cauchy product, reciprocal, exp/log/power/sin/cos by F(p)' = p'·F'(p)):
# O(N²) number operations per node, where repeated differentiation grows the expression.
# Rational coefficients are computed with Python's Fraction (much faster than SymPy
# numbers); the first irrational value restarts the computation with SymPy numbers.
class Unsupported(Exception):
    """A function without a series rule here: the caller differentiates instead."""


class _Irrational(Exception):
    pass


class _Arith:
    """The number type of one jet computation: Fraction (exact rationals) or SymPy."""

    def __init__(self, rational: bool):
        self.rational = rational

    def lift(self, v):
        """A SymPy number in this arithmetic (ZeroDivisionError where undefined)."""
        v = sp.sympify(v)
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.is_real is False:
            raise ZeroDivisionError
        if self.rational:
            if not v.is_Rational:
                raise _Irrational
            return Fraction(int(v.p), int(v.q))
        return v

    def norm(self, v):
        if self.rational or getattr(v, "is_Rational", True):
            return v
        return sp.expand(v)

    def is_zero(self, v) -> bool:
        return v == 0

    def negative(self, v) -> bool:
        return bool(v < 0)

    def sym(self, v):
        """Back to SymPy."""
        if isinstance(v, Fraction):
            return sp.Rational(v.numerator, v.denominator)
        return v


def _mul(ar, p, q, n):
    return [ar.norm(sum(p[k] * q[m - k] for k in range(m + 1))) for m in range(n)]


def _recip(ar, p, n):
    if ar.is_zero(p[0]):
        raise ZeroDivisionError
    inv = 1 / p[0]
    out = [inv]
    for m in range(1, n):
        out.append(ar.norm(-inv * sum(p[k] * out[m - k] for k in range(1, m + 1))))
    return out


def _deriv_series(p, n):
    """p' as coefficients (length n − 1)."""
    return [(k + 1) * p[k + 1] for k in range(n - 1)]


def _integrate(ar, d, n, c0):
    """F with F' = d and F(0) = c0 (length n)."""
    return [c0] + [ar.norm(d[k] / (k + 1)) for k in range(n - 1)]


def _exp(ar, p, n):
    e = [ar.lift(sp.exp(ar.sym(p[0])))]
    for m in range(1, n):
        e.append(ar.norm(sum(k * p[k] * e[m - k] for k in range(1, m + 1)) / m))
    return e


def _log(ar, p, n):
    if ar.is_zero(p[0]) or ar.negative(p[0]):
        raise ZeroDivisionError
    f0 = ar.lift(sp.log(ar.sym(p[0])))
    dp = _deriv_series(p, n)
    return _integrate(ar, _mul(ar, dp, _recip(ar, p, n - 1), n - 1), n, f0)


def _sincos(ar, p, n, hyperbolic=False):
    x0 = ar.sym(p[0])
    s = [ar.lift((sp.sinh if hyperbolic else sp.sin)(x0))]
    c = [ar.lift((sp.cosh if hyperbolic else sp.cos)(x0))]
    sign = 1 if hyperbolic else -1
    for m in range(1, n):
        s.append(ar.norm(sum(k * p[k] * c[m - k] for k in range(1, m + 1)) / m))
        c.append(ar.norm(sign * sum(k * p[k] * s[m - k] for k in range(1, m + 1)) / m))
    return s, c


def _pow(ar, p, r, n):
    if r.is_Integer:
        if r < 0:
            return _pow(ar, _recip(ar, p, n), -r, n)
        one, zero = ar.lift(1), ar.lift(0)
        out = [one] + [zero] * (n - 1)
        base, e = p, int(r)
        while e:
            if e & 1:
                out = _mul(ar, out, base, n)
            e >>= 1
            if e:
                base = _mul(ar, base, base, n)
        return out
    if ar.is_zero(p[0]) or ar.negative(p[0]):
        raise ZeroDivisionError  # (x − a)^r with r not whole: no Taylor series there
    out = [ar.lift(ar.sym(p[0]) ** r)]
    rr = ar.lift(r)
    inv = 1 / p[0]
    for m in range(1, n):
        out.append(ar.norm(inv * sum(((rr + 1) * k - m) * p[k] * out[m - k]
                                     for k in range(1, m + 1)) / m))
    return out


def _via_derivative(ar, p, n, f0, g_of):
    """F(p) from F(p)' = p' · G(p), G given as a function of the series p."""
    dp = _deriv_series(p, n)
    return _integrate(ar, _mul(ar, dp, g_of(p, n - 1), n - 1), n, ar.lift(f0))


def jet(expr: sp.Expr, var: sp.Symbol, a: sp.Expr, n: int) -> list:
    """[f(a), f'(a)/1!, …, f⁽ⁿ⁻¹⁾(a)/(n−1)!] as SymPy numbers; ZeroDivisionError where
    undefined, Unsupported for a function without a rule here."""
    if a.is_Rational:
        try:
            ar = _Arith(True)
            return [ar.sym(c) for c in _jet(ar, expr, var, a, n)]
        except _Irrational:
            pass
    return _jet(_Arith(False), expr, var, a, n)


def _jet(ar: _Arith, expr, var, a, n) -> list:
    memo: dict = {}

    def go(e):
        if e not in memo:
            memo[e] = rule(e)
        return memo[e]

    def const(v):
        return [ar.lift(v)] + [ar.lift(0)] * (n - 1)

    def rule(e):
        if e == var:
            return [ar.lift(a), ar.lift(1)] + [ar.lift(0)] * (n - 2)
        if not e.has(var):
            if not e.is_number:
                raise Unsupported
            return const(e)
        if e.is_Add:
            parts = [go(t) for t in e.args]
            return [ar.norm(sum(col)) for col in zip(*parts, strict=True)]
        if e.is_Mul:
            out = None
            for t in e.args:
                q = go(t)
                out = q if out is None else _mul(ar, out, q, n)
            return out
        if e.is_Pow:
            base, ex = e.args
            if not ex.has(var):
                return _pow(ar, go(base), ex, n)
            return go(sp.exp(ex * sp.log(base)))
        if isinstance(e, sp.exp):
            return _exp(ar, go(e.args[0]), n)
        if isinstance(e, sp.log) and len(e.args) == 1:
            return _log(ar, go(e.args[0]), n)
        if isinstance(e, (sp.sin, sp.cos, sp.sinh, sp.cosh)):
            s, c = _sincos(ar, go(e.args[0]), n, hyperbolic=isinstance(e, (sp.sinh, sp.cosh)))
            return s if isinstance(e, (sp.sin, sp.sinh)) else c
        if isinstance(e, (sp.tan, sp.tanh)):
            s, c = _sincos(ar, go(e.args[0]), n, hyperbolic=isinstance(e, sp.tanh))
            return _mul(ar, s, _recip(ar, c, n), n)
        if isinstance(e, sp.atan):
            p = go(e.args[0])
            one = ar.lift(1)
            return _via_derivative(ar, p, n, sp.atan(ar.sym(p[0])), lambda q, m: _recip(
                ar, [q2 + (one if k == 0 else 0) for k, q2 in enumerate(_mul(ar, q, q, m))], m))
        if isinstance(e, (sp.asin, sp.acos)):
            p = go(e.args[0])
            if not ar.negative(ar.lift(abs(ar.sym(p[0]))) - 1):
                raise ZeroDivisionError
            f0 = (sp.asin if isinstance(e, sp.asin) else sp.acos)(ar.sym(p[0]))
            sign = 1 if isinstance(e, sp.asin) else -1
            one = ar.lift(1)

            def g(q, m):
                sq = _mul(ar, q, q, m)
                base = [(one if k == 0 else 0) - c for k, c in enumerate(sq)]
                return [sign * c for c in _pow(ar, base, sp.Rational(-1, 2), m)]
            return _via_derivative(ar, p, n, f0, g)
        raise Unsupported

    return go(expr)


# -- the general term ------------------------------------------------------------------------
def general_term(expr: sp.Expr, var: sp.Symbol, a: sp.Expr, index: sp.Symbol, coeffs) -> tuple | None:
    """(index, the n-th term, the first n it holds for, where the series converges): a
    standard series recognised by its form, else SymPy's formal power series; either is
    stated only when it agrees with every coefficient in ``coeffs``. None when none is found
    in time."""
    from calctutor.topics.series.taylor_general import known_series, ratio_radius

    def holds(formula, j):
        try:
            gap = formula.subs(index, j) - coeffs[j]
            if sp.simplify(gap) == 0:
                return True
            # cos(3·atan 2) and the like: SymPy may not prove it; 60 digits decide
            value = sp.N(gap, 60)
            return value.is_number and abs(value) < sp.Float(10) ** -50
        except (ZeroDivisionError, TypeError):
            return False

    def known():
        found = known_series(expr, var, a, index)
        if found is None:
            return None
        if len(coeffs) - found.start < MIN_CHECKED or not all(
                holds(found.coefficient, j) for j in range(found.start, len(coeffs))):
            return None  # (a formula not checked on enough coefficients is not stated)
        return index, found.coefficient * shifted(var, a) ** index, found.start, found.converges

    def find():
        from sympy.series.formal import FormalPowerSeries

        series = sp.fps(expr, var, a)
        if not isinstance(series, FormalPowerSeries):
            return None
        k = series.ak.variables[0]
        start = int(series.ak.start)
        formula = series.ak.formula.subs(k, index)
        formula = sp.simplify(sp.powsimp(formula, force=True))
        if formula.has(sp.gamma):
            formula = formula.rewrite(sp.factorial)  # Γ(2n + 1) is (2n)! to a learner
        if formula.has(sp.I, sp.Piecewise, sp.Mod):
            return None  # no closed form a learner would write
        if len(coeffs) - start < MIN_CHECKED or not all(
                holds(formula, j) for j in range(start, len(coeffs))):
            return None
        while start > 0 and holds(formula, start - 1):
            start -= 1  # (SymPy splits off f(a) even where the formula covers it)
        radius = within(2.0, ratio_radius, formula, index, default=None)
        if radius == sp.oo:
            converges = f"converges for every real {to_text(var)} (ratio test: radius ∞)"
        elif radius is not None:
            base = to_text(shifted(var, a))
            converges = (f"converges for |{base}| < {to_text(radius)} (ratio test: radius "
                         f"{to_text(radius)}; the endpoints were not examined)")
        else:
            converges = "where it converges was not determined"
        return index, formula * shifted(var, a) ** index, start, converges

    for attempt, seconds in ((known, 3.0), (find, 4.0)):
        try:
            found = within(seconds, attempt, default=None)
        except (ValueError, TypeError, NotImplementedError, AttributeError):
            found = None
        if found is not None:
            return found
    return None


def evaluate_orders(result: TaylorResult, at: sp.Expr) -> TaylorResult:
    """``result`` with T_0(X) … T_n(X) and f(X) (how each added order changes the value)."""
    import dataclasses

    x = result.variables[0]
    values, total = [], sp.Integer(0)
    for k, term in result.terms:
        total = total + term.xreplace({x: at})
        values.append((k, sp.nsimplify(total) if total.atoms(sp.Float) and not at.atoms(sp.Float)
                       else total))
    f_at = result.expr.xreplace({x: at})
    f_at = None if f_at.has(sp.zoo, sp.nan) or f_at.is_real is False else f_at
    return dataclasses.replace(result, evaluations=tuple(values), eval_at=at, eval_f=f_at)
