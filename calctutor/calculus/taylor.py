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
from itertools import product

import sympy as sp

from calctutor.errors import LimitError, UsageError
from calctutor.notation import to_sympy, to_text
from calctutor.results import Reading
from calctutor.sandbox import within
from calctutor.steps.tidy import tidy

MAX_ORDER = 20
MAX_ORDER_MULTI = 8
MAX_NONZERO = 10
SHOW_OPS = 40         # a derivative longer than this is not written out in the table
NEXT_TERM_SEARCH = 8  # how many orders past the last to look for the next non-zero term


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
        return out

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec
        from calctutor.checking.mistakes_series import taylor_mistakes

        what = ("the linearisation" if self.order == 1 else
                f"the Taylor polynomial of order {self.order}")
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


def value_at(expr: sp.Expr, point: dict, what: str) -> sp.Expr:
    """``expr`` at ``point``, exact and tidied; a UsageError when it is undefined there."""
    value = expr.xreplace(point)
    if value.free_symbols:
        value = value.subs(point)
    if not value.is_number:
        raise UsageError(f"{what} does not reduce to a number at the point")
    if value.atoms(sp.Float):
        value = sp.Float(sp.N(value, 15), 15) if value.is_real is not False else value
    else:
        value = within(1.0, tidy, value, default=value)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is False:
        where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())
        raise UsageError(f"there is no Taylor expansion about {where}: {what} is undefined there")
    return value


def _lambda(expr: sp.Expr, var: sp.Symbol):
    return sp.lambdify(var, expr, modules=["math"])


def _evaluate(fn, x: float) -> float:
    try:
        y = fn(x)
        y = complex(y)
        return y.real if abs(y.imag) < 1e-12 else math.nan
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return math.nan


def taylor_one(expr: sp.Expr, reading: Reading, var: sp.Symbol, a: sp.Expr, order: int,
               nonzero: int | None = None, plot: bool = False) -> TaylorResult:
    """The Taylor polynomial of ``expr`` about ``var = a`` (``nonzero``: the first N
    non-zero terms, whatever order that takes)."""
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
    """f and its Taylor polynomials of increasing order (at most five), about a ± 2."""
    centre = float(a)
    xs = tuple(centre - 2 + 4 * i / 160 for i in range(161))
    f = _lambda(expr, var)
    curves = [(f"f = {to_text(expr)}", xs, tuple(_evaluate(f, x) for x in xs))]
    orders = [r.k for r in rows if r.coefficient != 0 and r.k > 0]
    if len(orders) > 4:
        step = len(orders) / 4
        orders = sorted({orders[min(len(orders) - 1, round(step * (i + 1)) - 1)] for i in range(4)})
    for n in orders:
        p = _lambda(sp.Add(*(r.term for r in rows if r.k <= n)), var)
        curves.append((f"T{n}", xs, tuple(_evaluate(p, x) for x in xs)))
    return tuple(curves)


def multi_indices(n: int, order: int):
    """Multi-indices α of ``n`` variables with |α| ≤ order, by total degree then lexically."""
    out = [alpha for alpha in product(range(order + 1), repeat=n) if sum(alpha) <= order]
    return sorted(out, key=lambda al: (sum(al), tuple(-k for k in al)))


def taylor_many(expr: sp.Expr, reading: Reading, variables: tuple[sp.Symbol, ...],
                point: dict, order: int) -> TaylorResult:
    """The Taylor polynomial of ``expr`` in several variables about ``point``."""
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
        value = value_at(derivs[alpha], point, what)
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
