"""A power series written by its general term, and whether two such series are the same.

A learner's general term is read as C(n)·u^(p·n + q) for n = start, start + 1, … with
u = x − a: ``x^n/n!`` (p = 1), ``(-1)^n x^(2n+1)/(2n+1)!`` (p = 2, q = 1) and
``x^(n-1)/(n-1)!`` from n = 1 are all read this way. Two series are the same when every power
of u has the same coefficient in both: the powers are split into residue classes modulo the
least common multiple of the two steps, and in each class the two coefficient formulas are
proved equal by SymPy for every index past a threshold; the powers below it are compared one
by one. A difference is reported as the first power whose coefficients differ, with the
learner's term that gives it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sympy as sp

from calctutor.errors import UsageError
from calctutor.notation import to_text

CHECKED = 16  # powers compared one by one beyond the proof's threshold (a counterexample early)
SEARCH = 60   # how far a formula that SymPy could not prove is searched for a difference


class NotASeries(UsageError):
    """A typed general term that is no term of a power series in x − a."""


@dataclass(frozen=True)
class PowerSeries:
    """Σ_{n ≥ start} C(n)·u^(step·n + offset), u = ``base`` (x − a)."""

    coefficient: sp.Expr
    step: int
    offset: int
    start: int
    index: sp.Symbol
    base: sp.Expr

    def term(self, n=None) -> sp.Expr:
        """The general term (the n-th term when ``n`` is given)."""
        k = self.index if n is None else n
        c = self.coefficient if n is None else self.coefficient.xreplace({self.index: n})
        return c * self.base ** (self.step * k + self.offset)

    def power_of(self, n: int) -> int:
        return self.step * n + self.offset

    def index_of(self, k: int) -> int | None:
        """The n whose term has power k (None: no term has it)."""
        if (k - self.offset) % self.step:
            return None
        n = (k - self.offset) // self.step
        return n if n >= self.start else None

    def coefficient_of(self, k: int) -> sp.Expr:
        """The coefficient of u^k (an Undefined error where the term is undefined)."""
        n = self.index_of(k)
        return sp.Integer(0) if n is None else coefficient_value(self.coefficient, self.index, n)


class Undefined(Exception):
    """The n-th term is undefined (a division by 0, the factorial of a negative number)."""

    def __init__(self, n: int, why: str):
        super().__init__(why)
        self.n, self.why = n, why


def coefficient_value(c: sp.Expr, index: sp.Symbol, n: int) -> sp.Expr:
    """C(n) exactly; Undefined where a factorial's argument is negative or a denominator 0
    (SymPy would read 1/(−1)! as 0, which no learner means)."""
    n = sp.Integer(n)
    for f in c.atoms(sp.factorial):
        arg = f.args[0].xreplace({index: n})
        if arg.is_number and arg.is_negative:
            raise Undefined(int(n), f"{to_text(f.args[0])} is {to_text(arg)} there, and a factorial "
                               f"of a negative number is undefined")
    value = c.xreplace({index: n})
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise Undefined(int(n), "it divides by 0 there")
    if not value.is_number:
        value = sp.simplify(value)
    return value


def _integer(e) -> int | None:
    return int(e) if e.is_Integer else None


def from_term(term: sp.Expr, index: sp.Symbol, var: sp.Symbol, a: sp.Expr,
              start: int) -> PowerSeries:
    """The general term ``term`` (in ``index`` and ``var``) as C(n)·(x − a)^(p·n + q); a
    NotASeries error saying why when it is not one power of x − a times a coefficient."""
    base = var - a if a != 0 else var
    u = sp.Dummy("u", positive=True)
    t = term.xreplace({var: u + a}) if a != 0 else term.xreplace({var: u})
    t = sp.expand_power_base(t, force=True)
    where = f"(x - {to_text(a)})" if a != 0 else to_text(var)
    if t == 0:
        raise NotASeries("your general term is 0")
    if not t.has(u):
        raise NotASeries(f"your general term has no power of {where}: write the n-th term "
                         f"with its power, e.g. c_n {where}^n")
    power = sp.simplify(u * sp.diff(t, u) / t)
    if power.has(u) or not power.is_polynomial(index) or sp.degree(power, index) > 1:
        raise NotASeries(f"your general term is not one power of {where} times a number: "
                         f"write it as c_n {where}^n (or with the power 2n + 1, ...)")
    p, q = _integer(power.coeff(index, 1)), _integer(power.coeff(index, 0))
    if p is None or q is None:
        raise NotASeries(f"the power of {where} in your general term, {to_text(power)}, is not "
                         f"a whole number for every n")
    if p <= 0:
        raise NotASeries(f"the power of {where} in your general term, {to_text(power)}, does "
                         f"not grow with n: the n-th term of a power series has a higher power "
                         f"for each n")
    c = sp.powsimp(sp.expand_power_base(t / u ** power, force=True), force=True)
    c = sp.simplify(c)
    if c.has(u):
        raise NotASeries(f"your general term is not one power of {where} times a number")
    return PowerSeries(c, p, q, start, index, base)


# -- reading a typed series ------------------------------------------------------------------
def _from_pattern(index: str) -> re.Pattern:
    n = re.escape(index)
    return re.compile(
        rf"(?:[,;]?\s*(?:(?:starting\s+)?from|for)\s+{n}\s*(?:=|>=|≥)\s*|[,;]\s*{n}\s*(?:=|>=|≥)\s*)"
        rf"(-?\d+)\s*(?:,?\s*(?:\.\.\.|…|,\s*\.\.\.))?\s*\.?\s*$", re.IGNORECASE)


def split_start(text: str, index: str) -> tuple[str, int | None]:
    """The term and the first index typed after it ("x^n/n! from n = 1", "..., n >= 1")."""
    m = _from_pattern(index).search(text)
    if not m:
        return text, None
    return text[:m.start()], int(m.group(1))


def read_series(text: str, index: sp.Symbol, var: sp.Symbol, a: sp.Expr, start: int,
                positive: bool = False):
    """(the series typed, how it was read, the first index: typed or ``start``)."""
    from calctutor.parsing import parse_expression

    term_text, typed_start = split_start(text, index.name)
    if not term_text.strip():
        raise UsageError("your answer has no general term before 'from'")
    parsed = parse_expression(term_text, variables=[var.name, index.name], positive=positive,
                              what="your answer", integers=[index.name])
    term = parsed.expr
    typed_index = [s for s in term.free_symbols if s.name == index.name]
    typed_var = [s for s in term.free_symbols if s.name == var.name]
    term = term.xreplace({s: index for s in typed_index} | {s: var for s in typed_var})
    other = sorted(s.name for s in term.free_symbols if s not in (index, var))
    if other:
        raise UsageError(f"your general term uses {other[0]}, which is neither the variable "
                         f"{var.name} nor the index {index.name}")
    first = start if typed_start is None else typed_start
    return from_term(term, index, var, a, first), parsed.reading, typed_start


# -- comparing two series --------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """Whether two series are the same: ``same`` True (proved), False (``power`` is the first
    power of u where they differ) or None (no proof and no difference found)."""

    same: bool | None
    power: int | None = None
    checked: int = 0  # powers compared one by one


def _index_symbol():
    return sp.Symbol("m", integer=True, nonnegative=True)


def _zero(e) -> bool | None:
    """Whether an expression in a whole number m ≥ 0 is 0 for every m (None: unknown)."""
    if e == 0:
        return True
    for tidy in (sp.simplify, lambda v: sp.simplify(sp.gammasimp(v)),
                 lambda v: sp.simplify(sp.powsimp(sp.expand(v), force=True))):
        try:
            if tidy(e) == 0:
                return True
        except (TypeError, ValueError, NotImplementedError, RecursionError):
            continue
    return None


def _class_formula(s: PowerSeries, period: int, r: int, m):
    """(C(n(m)), the least m where n(m) ≥ start) for the powers period·m + r, or None when
    the series has no term with such a power."""
    if (r - s.offset) % s.step:
        return None
    scale, shift = period // s.step, (r - s.offset) // s.step
    threshold = max(0, -((shift - s.start) // scale))  # ceil((start − shift)/scale)
    return s.coefficient.xreplace({s.index: scale * m + shift}), threshold


def compare(mine: PowerSeries, other: PowerSeries) -> Comparison:
    """Whether ``mine`` and ``other`` (in the same base x − a) have the same coefficient at
    every power; Undefined propagates from a term of ``mine`` undefined at its index."""
    n = mine.start
    while mine.power_of(n) < 0:  # a power series has no negative powers
        if coefficient_value(mine.coefficient, mine.index, n) != 0:
            return Comparison(False, mine.power_of(n), 0)
        n += 1
    period = math.lcm(mine.step, other.step)
    m = _index_symbol()
    proved, beyond = True, 0
    suspects: list[tuple[int, sp.Expr]] = []
    for r in range(period):
        a, b = _class_formula(mine, period, r, m), _class_formula(other, period, r, m)
        if a is None and b is None:
            continue
        start = max(t[1] for t in (a, b) if t is not None)
        beyond = max(beyond, period * start + r)
        shifted = {m: m + start}
        gap = ((a[0].xreplace(shifted) if a else 0) - (b[0].xreplace(shifted) if b else 0))
        if _zero(gap) is not True:
            proved = False
            suspects.append((r + period * start, gap))
    # the first powers one by one: below every class's threshold, and a few more so that a
    # difference is found at its first power
    last = beyond + max(CHECKED, 2 * period)
    for k in range(last + 1):
        if not _same_number(mine.coefficient_of(k), other.coefficient_of(k)):
            return Comparison(False, k, k + 1)
    if proved:
        return Comparison(True, None, last + 1)
    # a class SymPy could not prove: search further for a difference before saying unknown
    for k in range(last + 1, last + SEARCH * period):
        if not any((k - first) % period == 0 for first, _ in suspects if k >= first):
            continue
        if not _same_number(mine.coefficient_of(k), other.coefficient_of(k)):
            return Comparison(False, k, k + 1)
    return Comparison(None, None, last + SEARCH * period)


def _same_number(x: sp.Expr, y: sp.Expr) -> bool:
    d = x - y
    if d == 0:
        return True
    d = sp.simplify(d)
    if d == 0:
        return True
    value = sp.N(d, 50)
    return bool(value.is_number and abs(value) < sp.Float(10) ** -40)


# -- tidy forms ------------------------------------------------------------------------------
def sparse(s: PowerSeries) -> PowerSeries:
    """The series with only its non-zero powers indexed (sin x: (−1)ⁿ x^(2n+1)/(2n+1)!
    instead of sin(nπ/2) xⁿ/n!), when the coefficients vanish outside one residue class."""
    if s.step != 1 or s.offset != 0:
        return s
    m = _index_symbol()
    for period in (2, 3, 4):
        alive = []
        for r in range(period):
            formula, threshold = _class_formula(s, period, r, m)
            if _zero(formula.xreplace({m: m + threshold})) is not True:
                alive.append(r)
            if len(alive) > 1:
                break
        if len(alive) == 1:
            r = alive[0]
            c = sp.simplify(s.coefficient.xreplace({s.index: period * s.index + r}))
            first = max(0, -((r - s.start) // period))
            return PowerSeries(learner_signs(c, s.index), period, r, first, s.index, s.base)
    return PowerSeries(learner_signs(s.coefficient, s.index), s.step, s.offset, s.start,
                       s.index, s.base)


def learner_signs(c: sp.Expr, index: sp.Symbol) -> sp.Expr:
    """A leading minus folded into the sign's power (−(−1)ⁿ as (−1)^(n+1)), as a learner
    writes it (SymPy keeps (−2)ⁿ as one power: it would fold (−1)ⁿ·2ⁿ back)."""
    signs = [f for f in c.atoms(sp.Pow) if f.base == -1 and f.exp.has(index)]
    if len(signs) == 1 and c.could_extract_minus_sign():
        c = (-c).xreplace({signs[0]: sp.Pow(-1, signs[0].exp + 1)})
    return c


def series_text(expr: sp.Expr, printer=to_text) -> str:
    """An expression as text with factorials written n! and (2n + 1)! as a learner writes
    them (``factorial(n)`` is what the printers give)."""
    text = printer(expr)

    def bang(match: re.Match) -> str:
        inner = match.group(1)
        return f"{inner}!" if re.fullmatch(r"\w+", inner) else f"({inner})!"

    # the innermost factorial(...) first, so that nested brackets are kept
    pattern = re.compile(r"factorial\(([^()]*)\)")
    while pattern.search(text):
        text = pattern.sub(bang, text)
    return text


def term_text(s: PowerSeries, n: int | None = None) -> str:
    """The general term (or the n-th one) as text."""
    if n is None:
        return series_text(s.term())
    return series_text(_literal_term(s, n))


def _literal_term(s: PowerSeries, n: int) -> sp.Expr:
    c = coefficient_value(s.coefficient, s.index, n)
    return power_term(c, s.base, s.power_of(n))


def power_term(c: sp.Expr, base: sp.Expr, k: int) -> sp.Expr:
    """c·base^k with base kept as (x − a)."""
    if c == 0:
        return sp.Integer(0)
    if k == 0:
        return c
    power = base if k == 1 else sp.Pow(base, k, evaluate=False)
    return power if c == 1 else sp.Mul(c, power, evaluate=False)


def start_text(s: PowerSeries) -> str:
    return f"{s.index.name} = {s.start}"
