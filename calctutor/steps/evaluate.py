"""The one evaluate-at-a-point: a value where the expression is defined, or why it is not.

``evaluate_at`` substitutes a point, refusing points where the typed function is undefined
(with the reason), and takes the limit of a derivative's formula where the function is
continuous but the formula has a removable gap (the mean value theorem justifies it)."""

from __future__ import annotations

import itertools
from typing import Sequence

import sympy as sp

from calctutor.domain import Condition, conditions_of, real_roots, violated
from calctutor.errors import UsageError
from calctutor.notation import to_text
from calctutor.results import Reading
from calctutor.steps.tidy import tidy


def corner_at(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The argument u of a sign(u) (the derivative of |u|) that is 0 at ``point``: |u| has a
    corner there, so the derivative may not exist although SymPy's sign(0) is 0."""
    corners = _corners(expr, point)
    return corners[0] if corners else None


MAX_CORNERS = 3  # sides tried: 2^3 sign patterns


def _corners(expr: sp.Expr, point) -> list[sp.Expr]:
    found = []
    for s in expr.atoms(sp.sign):
        arg = s.args[0]
        if arg.free_symbols and arg.free_symbols <= set(point) and arg.xreplace(point) == 0:
            found.append(arg)
    return sorted(found, key=sp.default_sort_key)


def _sides(expr: sp.Expr, point, corners) -> list[tuple[tuple[int, ...], sp.Expr | None]]:
    """The value of ``expr`` from each side of its corners: sign(u) = +1 or -1 for each u
    (the one-sided limits, the rest being continuous there); None where there is none."""
    out = []
    for signs in itertools.product((1, -1), repeat=len(corners)):
        side = expr.xreplace({sp.sign(u): sp.Integer(s) for u, s in zip(corners, signs, strict=True)})
        value = real_roots(side, point).xreplace(point)
        if (value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.DiracDelta)
                or value.is_real is False):
            value = None
        out.append((signs, value))
    return out


def _corner_reason(expr: sp.Expr, point, what: str) -> tuple[str | None, sp.Expr]:
    """(why ``what`` is undefined at a corner of some |u|, or None; the expression to
    evaluate). |x|^3 and x|x| have corners at 0 but derivatives there: both sides agree."""
    corners = _corners(expr, point)
    if not corners:
        return None, expr
    at = where(point)
    shown = ", ".join(f"|{to_text(u)}|" for u in corners)
    if len(corners) > MAX_CORNERS:
        return (f"{what} could not be decided at {at}: {shown} all have corners there"), expr
    sides = _sides(expr, point, corners)
    values = {v for _, v in sides}
    if len(values) == 1 and None not in values:
        signs = sides[0][0]
        return None, expr.xreplace({sp.sign(u): sp.Integer(s) for u, s in zip(corners, signs, strict=True)})
    u = to_text(corners[0])
    (_, a), (_, b) = sides[0], sides[-1]
    if len(corners) == 1 and a is not None and b is not None:
        return (f"{what} is undefined at {at}: |{u}| has a corner there ({u} = 0), where "
                f"d/du |u| = sign(u) does not hold: from the side where {u} > 0 it tends "
                f"to {to_text(a)}, from the side where {u} < 0 to {to_text(b)}"), expr
    corner = "has a corner" if len(corners) == 1 else "have corners"
    why = "no finite limit from some side" if None in values else "different limits on its sides"
    return f"{what} is undefined at {at}: {shown} {corner} there, and it has {why}", expr


def where(point: dict[sp.Symbol, sp.Expr]) -> str:
    """``x = 1, y = 2``."""
    return ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in point.items())


def failed_condition(condition: Condition, point: dict[sp.Symbol, sp.Expr]) -> str:
    """"it needs x - 1 ≠ 0, but x - 1 = 0 there" (the value shown unless it is the variable's)."""
    text = f"{condition.text(to_text)}"
    if condition.expr.is_Symbol:
        return text
    value = real_roots(condition.expr).xreplace(point)
    value = value.evalf(6) if value.atoms(sp.Float) or not value.is_Rational else value
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is False:
        return f"{text}, but {to_text(condition.expr)} is undefined there"
    return f"{text}, but {to_text(condition.expr)} = {to_text(value)} there"


def _violated(conditions, point) -> Condition | None:
    # a condition on a constant the point leaves symbolic (y in x/y at x = 1) is not decided
    given = set(point)
    return violated([c for c in conditions if c.expr.free_symbols <= given], point)


def one_sided(expr: sp.Expr, point) -> sp.Expr:
    """``expr`` with the sign(u) of a corner at ``point`` replaced by the value both sides
    agree on (unchanged when there is no corner or the sides differ)."""
    return _corner_reason(expr, point, "")[1]


def undefined_reason(point: dict[sp.Symbol, sp.Expr], function: sp.Expr | None = None,
                     reading: Reading | None = None, derivatives: Sequence[sp.Expr] = (),
                     what: str = "the derivative") -> str | None:
    """Why ``what`` has no value at ``point``, or None when nothing rules it out.

    Checked in order: the typed function's own conditions (with those its simplification
    dropped, ``reading.conditions``), a corner of |u|, then each derivative's conditions
    (``derivatives``: the successive derivatives, the last being ``what``)."""
    at = where(point)
    lost = reading.conditions if reading is not None else ()
    if function is not None:
        c = _violated(lost, point)
        if c is not None:
            typed = reading.text.strip()
            return (f"the function is undefined at {at}, so {what} is too: {typed} needs "
                    f"{failed_condition(c, point)} (it simplifies to {to_text(function)} only "
                    f"where {c.text(to_text)})")
        c = _violated(conditions_of(function), point)
        if c is not None:
            typed = reading.typed_conditions if reading is not None else ()
            if typed and _violated(typed, point) is None:
                # the text as typed is defined here; only its simplified form is not
                # (sqrt((x-1) x^2) is 0 at x = 0, |x| sqrt(x - 1) is not defined there)
                return _isolated_reason(point, function, reading, c, what)
            return (f"the function is undefined at {at}, so {what} is too: "
                    f"{to_text(function)} needs {failed_condition(c, point)}")
    for d in derivatives:
        reason, _ = _corner_reason(d, point, what)
        if reason is not None:
            return reason
        c = _violated(conditions_of(d), point)
        if c is not None:
            return (f"{what} is undefined at {at}: {to_text(d)} needs "
                    f"{failed_condition(c, point)}")
    return None


def _isolated_reason(point, function, reading, condition, what: str) -> str:
    """Why there is no derivative where the typed function is defined but its simplified
    form is not: the point is isolated when the typed text is undefined on both sides of it
    (checked at a small step either way), which a derivative needs."""
    at = where(point)
    typed = reading.text.strip()
    sides = []
    for sign in (1, -1):
        step = {s: v + sign * sp.Rational(1, 10**6) for s, v in point.items()}
        sides.append(_violated(reading.typed_conditions, step) is not None)
    if len(point) == 1 and all(sides):
        return (f"{what} is undefined at {at}: {typed} is defined at {at} but not on either "
                f"side of it (near {at} it is {to_text(function)}, which needs "
                f"{failed_condition(condition, point)}), and a derivative needs the function "
                "on both sides")
    return (f"{what} is undefined at {at}: {typed} is defined there, but its simplified form "
            f"{to_text(function)} needs {failed_condition(condition, point)}, and the "
            "derivative is worked from that form")


DECIMALS = ("point", "always", "value")
TIDY_SECONDS = 1.0  # a value that takes longer to tidy is shown as it is


def evaluate_at(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr], *,
                function: sp.Expr | None = None, reading: Reading | None = None,
                what: str = "the derivative", decimals: str = "point") -> sp.Expr:
    """``expr`` at ``point``; a UsageError saying why if it is undefined there. Odd roots are
    real roots: cbrt(x) at x = -8 is -2.

    ``function`` and ``reading`` are the function ``expr`` is a derivative of and how it
    was read: where it is undefined (``x^2/x`` at 0), so is ``expr``. ``what`` names
    ``expr`` in the message. ``decimals`` says when the value is 15-digit decimals rather
    than exact: "point" when the point has decimals (decimals in ``expr`` are made exact),
    "always", or "value" when the point or the value has decimals (kept as they are)."""
    if decimals not in DECIMALS:
        raise ValueError(f"decimals must be one of {DECIMALS}, not {decimals!r}")
    reason = undefined_reason(point, function, reading, (), what)
    if reason is not None:
        raise UsageError(reason)
    reason = undefined_reason(point, None, None, (expr,), what)
    if reason is not None:
        value = _limit_of_formula(expr, point, function)
        if value is None:
            raise UsageError(reason)
        return value.evalf(15) if decimals == "always" else value
    expr = one_sided(expr, point)  # a corner whose sides agree (|x|^3 at 0): their value
    value = real_roots(expr, point).xreplace(point)
    if value.free_symbols & set(point):  # inside a structure xreplace does not enter
        value = value.subs(point)
    floats = any(isinstance(v, sp.Float) or v.atoms(sp.Float) for v in point.values())
    if decimals == "always" or floats or (decimals == "value" and value.atoms(sp.Float)):
        value = value.evalf(15)
    else:
        value = _tidy(sp.nsimplify(value) if value.atoms(sp.Float) else value)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is False:
        raise UsageError(f"{what} is undefined at {where(point)}")
    return value


def _tidy(value: sp.Expr) -> sp.Expr:
    from calctutor.sandbox import within

    return within(TIDY_SECONDS, tidy, value, default=value)


LIMIT_SECONDS = 2.0


def _limit_of_formula(expr: sp.Expr, point, function: sp.Expr | None) -> sp.Expr | None:
    """The derivative at a point where its formula is undefined but the function is not
    (``(x^3)^(1/3)`` at 0: the formula x^2/(x^3)^(2/3) is 0/0 there): when f is continuous
    at a and f' tends to the same finite L from both sides, f'(a) = L (mean value theorem).
    One variable only; None when the limits are not both found, finite and equal."""
    from calctutor.sandbox import within

    if function is None or len(point) != 1:
        return None
    (var, a), = point.items()
    if var not in expr.free_symbols or _corners(function, point):
        return None
    real = real_roots(expr)

    def sides():
        return [sp.limit(real, var, a, d) for d in ("+", "-")]

    try:
        found = within(LIMIT_SECONDS, sides, default=None)
    except (ArithmeticError, ValueError, TypeError, NotImplementedError, RecursionError):
        return None
    if not found or found[0] != found[1] or not found[0].is_real or not found[0].is_finite:
        return None
    return tidy(found[0])


def value_or_reason(expr, point, function, reading, derivatives):
    """(value, None), or (None, why it is undefined) for a point where it has no value."""
    reason = undefined_reason(point, function, reading, derivatives[:-1])
    if reason is not None:
        return None, reason
    try:
        return evaluate_at(expr, point, function=function, reading=reading), None
    except UsageError as exc:
        return None, str(exc)
