"""Where a function is defined on the reals, and the real-root convention.

Two conventions every command shares (docs/conventions.md explains them to learners):

- **Real odd roots.** ``cbrt(x)`` and ``x^(p/q)`` with an odd ``q`` are the *real* root:
  ``cbrt(-8) = -2``, ``(-8)^(2/3) = 4``. SymPy's ``Pow`` keeps the principal (complex) root,
  so symbolic work keeps ``x**(1/3)`` and every *numerical* evaluation goes through
  ``real_roots`` first.
- **Conditions.** A function is defined where every one of its parts is: a denominator is
  not 0, an even root's radicand is not negative, a logarithm's argument is positive, an
  inverse sine's argument lies in [-1, 1], ... ``conditions_of`` lists those conditions for
  a SymPy tree. SymPy's automatic evaluation can drop some (``x^2/x`` becomes ``x``,
  ``sqrt(x)^2`` becomes ``x``); the parser records what the typed text required, and
  ``lost_conditions`` says which of those the evaluated expression no longer shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import sympy as sp

# kind -> (the test of a real value, how it is written with the expression in {})
_KINDS = {
    "nonzero": (lambda v: v != 0, "{} ≠ 0"),
    "nonnegative": (lambda v: v >= 0, "{} ≥ 0"),
    "positive": (lambda v: v > 0, "{} > 0"),
    "unit": (lambda v: -1 <= v <= 1, "-1 ≤ {} ≤ 1"),
    "open_unit": (lambda v: -1 < v < 1, "-1 < {} < 1"),
    "at_least_one": (lambda v: v >= 1, "{} ≥ 1"),
    "outside_unit": (lambda v: abs(v) >= 1, "|{}| ≥ 1"),
    "outside_open_unit": (lambda v: abs(v) > 1, "|{}| > 1"),
    "half_open_unit": (lambda v: 0 < v <= 1, "0 < {} ≤ 1"),
}

# a stronger condition on the same expression makes a weaker one redundant
_IMPLIES = {
    "positive": {"nonzero", "nonnegative"},
    "open_unit": {"unit"},
    "outside_open_unit": {"outside_unit", "nonzero"},
    "outside_unit": {"nonzero"},
    "at_least_one": {"positive", "nonzero", "nonnegative", "outside_unit"},
    "half_open_unit": {"positive", "nonzero", "nonnegative", "unit"},
}

_FUNCTION_KINDS = {
    sp.log: "positive",
    sp.asin: "unit",
    sp.acos: "unit",
    sp.atanh: "open_unit",
    sp.acosh: "at_least_one",
    sp.acoth: "outside_open_unit",
    sp.asec: "outside_unit",
    sp.acsc: "outside_unit",
    sp.asech: "half_open_unit",
}


@dataclass(frozen=True)
class Condition:
    """``expr`` must satisfy ``kind`` (a key of the table above) for the function to be
    defined: ``Condition("nonzero", x)`` is x ≠ 0."""

    kind: str
    expr: sp.Expr

    def holds(self, value) -> bool:
        """Does a real number (int, float, mpf or a real SymPy number) satisfy it?"""
        if isinstance(value, sp.Float):
            value = float(value)  # SymPy's Float(0.0) != 0 is True
        return bool(_KINDS[self.kind][0](value))

    def text(self, show=str) -> str:
        """The condition in learner notation; ``show`` writes the expression."""
        # comparisons bind loosest: "x - 50 > 0" and "-1 ≤ 2x ≤ 1" need no brackets
        return _KINDS[self.kind][1].format(show(self.expr))

    def always_true(self) -> bool:
        """True when SymPy's assumptions alone show it holds (exp(x) > 0, x^2 + 1 ≠ 0)."""
        e = self.expr
        if self.kind == "nonzero":
            return bool(e.is_nonzero)
        if self.kind == "nonnegative":
            return bool(e.is_nonnegative)
        if self.kind == "positive":
            return bool(e.is_positive)
        if self.kind == "at_least_one":
            return bool((e - 1).is_nonnegative)
        return False


def local_conditions(node: sp.Basic) -> list[Condition]:
    """The conditions the top operation of ``node`` itself imposes (not its children's)."""
    if not isinstance(node, sp.Expr) or not node.free_symbols:
        return []
    if isinstance(node, sp.Pow):
        return _power_conditions(node.base, node.exp)
    for cls, kind in _FUNCTION_KINDS.items():
        if isinstance(node, cls):
            return [Condition(kind, node.args[0])]
    if isinstance(node, (sp.tan, sp.sec)):
        return [Condition("nonzero", sp.cos(node.args[0]))]
    if isinstance(node, (sp.cot, sp.csc)):
        return [Condition("nonzero", sp.sin(node.args[0]))]
    if isinstance(node, (sp.coth, sp.csch)):
        return [Condition("nonzero", node.args[0])]
    return []


def _power_conditions(base, exp) -> list[Condition]:
    if not base.free_symbols:
        return []  # 2^x is defined everywhere; a numeric base was checked by the parser
    if exp.is_Integer:
        return [Condition("nonzero", base)] if exp.is_negative else []
    if exp.is_Rational:
        if exp.q % 2 == 1:  # a real odd root: defined for negative bases too
            return [Condition("nonzero", base)] if exp.is_negative else []
        return [Condition("positive" if exp.is_negative else "nonnegative", base)]
    if exp.is_number and exp.is_positive:
        return [Condition("nonnegative", base)]  # x^pi, x^sqrt(2)
    return [Condition("positive", base)]  # x^y, x^(-pi): through exp(y ln x)


def conditions_of(expr: sp.Expr) -> tuple[Condition, ...]:
    """Every condition for ``expr`` to be defined, from its whole tree, without those that
    always hold or that a stronger one on the same expression implies."""
    found = []
    for node in sp.preorder_traversal(expr):
        found.extend(local_conditions(node))
    return reduce_conditions(found)


def reduce_conditions(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    """Without duplicates, conditions that always hold, and those implied by another."""
    unique = [c for c in dict.fromkeys(conditions) if not c.always_true()]
    kinds_by_expr: dict[sp.Expr, set[str]] = {}
    for c in unique:
        kinds_by_expr.setdefault(c.expr, set()).add(c.kind)
    return tuple(c for c in unique
                 if not any(c.kind in _IMPLIES.get(k, ()) for k in kinds_by_expr[c.expr]))


def lost_conditions(typed: Iterable[Condition], evaluated: sp.Expr,
                    kept: Iterable[Condition] | None = None) -> tuple[Condition, ...]:
    """The conditions of the typed text that the evaluated expression no longer shows
    (``kept``: its conditions in the form ``typed`` uses, when the caller rewrote them)."""
    kept = conditions_of(evaluated) if kept is None else tuple(kept)
    kept_kinds: dict[sp.Expr, set[str]] = {}
    for c in kept:
        kept_kinds.setdefault(c.expr, set()).update({c.kind, *_IMPLIES.get(c.kind, ())})
    return tuple(c for c in reduce_conditions(typed)
                 if c.kind not in kept_kinds.get(c.expr, set()))


def violated(conditions: Iterable[Condition], point: Mapping[sp.Symbol, sp.Expr],
             digits: int = 30) -> Condition | None:
    """The first condition that fails at ``point`` (exact values where possible), or None.
    A condition whose expression is undefined or not real there counts as failing."""
    exact = {s: _number(v) for s, v in point.items()}
    for c in conditions:
        value = real_roots(c.expr).xreplace(exact)
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return c
        if value.is_Rational or value.is_zero:
            ok = c.holds(value)
        else:
            approx = value.evalf(digits)
            re, im = approx.as_real_imag()
            if not re.is_number or abs(im) > 10 ** (-digits // 2) * (1 + abs(re)):
                return c
            if c.kind == "nonzero" and value.is_zero is False:
                continue
            ok = c.holds(re)
        if not ok:
            return c
    return None


def _number(v) -> sp.Expr:
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"a point's value must be a number, not {type(v).__name__}")
    return sp.Integer(v) if isinstance(v, int) else sp.Float(v)


def real_roots(expr: sp.Expr, given: Iterable[sp.Symbol] | None = None) -> sp.Expr:
    """``expr`` with every odd root taken as the real root, for numerical evaluation:
    ``b^(p/q)`` with q odd becomes ``sign(b)^p |b|^(p/q)``. Even roots are left as they are
    (not real for a negative radicand). With ``given`` (the symbols a point gives values
    to), only roots whose base is then a number: a constant left symbolic keeps its
    ``c^(1/3)``."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Pow):
        return expr
    known = None if given is None else set(given)

    def is_odd_root(e) -> bool:
        return (isinstance(e, sp.Pow) and e.exp.is_Rational and not e.exp.is_Integer
                and e.exp.q % 2 == 1 and e.base.is_nonnegative is not True
                and (known is None or e.base.free_symbols <= known))

    def real(e):
        p = e.exp.p
        magnitude = sp.Pow(sp.Abs(e.base), e.exp, evaluate=True)
        return magnitude if p % 2 == 0 else sp.sign(e.base) * magnitude

    # a replacement can leave a new odd root behind: (-x^(1/3))^(2/3) becomes
    # (-sign(x))^(2/3) |x|^(2/9) once SymPy splits the power over the product
    for _ in range(4):
        done = expr.replace(is_odd_root, real)
        if done == expr:
            break
        expr = done
    return expr
