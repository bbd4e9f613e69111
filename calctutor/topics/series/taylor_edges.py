"""Taylor polynomials where the derivative formulas break down at the centre.

Two cases have a Taylor series even though f, or a formula for one of its derivatives, is
undefined at the centre a:

- a removable singularity (sin(x)/x at 0): f has a finite limit at a, and so do all its
  derivatives; the series is that of the continuous extension;
- a function such as cos(√x) at 0: defined there, but f'(x) = -sin(√x)/(2√x) divides by 0;
  the one-sided limits of the derivatives exist and the series has whole powers only.

The coefficients come from ``sympy.series`` (under a time limit) and are accepted only when
the expansion is a polynomial in (x − a) and agrees with f numerically on each side of a
where f is defined. Anything else (|x|, √x, 1/x, x^(1/3), e^(-1/x²) at 0) is refused with
the reason.
"""

from __future__ import annotations

import sympy as sp

from calctutor.domain import conditions_of, real_roots, violated
from calctutor.errors import UsageError
from calctutor.notation import to_text
from calctutor.sandbox import within

SERIES_SECONDS = 4.0
PROBE = sp.Rational(1, 1000)  # how far from the centre f is compared with its series
MAX_TERMS = 60


def _where(var, a) -> str:
    return f"{to_text(var)} = {to_text(a)}"


def _refuse(var, a, why: str):
    raise UsageError(f"there is no Taylor expansion about {_where(var, a)}: {why}")


_WILD = (sp.exp, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def _essential(expr, var, a) -> sp.Expr | None:
    """An e^(g), sin(g), … whose argument g blows up at a (e^(-1/x²), sin(1/x) at 0)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, _WILD) and node.args[0].has(var):
            value = node.args[0].xreplace({var: a})
            if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                return node
    return None


def _essential_reason(node, var, a) -> str:
    arg = to_text(node.args[0])
    if isinstance(node, sp.exp):
        return (f"the exponent {arg} of {to_text(node)} → ±∞ as {_where(var, a).replace(' = ', ' → ')}, "
                f"so f is flatter than every power (or blows up) there: every derivative's "
                f"limit is 0 (or there is none), and no Taylor series equals f near "
                f"{_where(var, a)} (f is not analytic there)")
    return (f"{to_text(node)} oscillates faster and faster as "
            f"{_where(var, a).replace(' = ', ' → ')} ({arg} → ±∞), so f has no power series there")


def _series_polynomial(expr, var, a, n):
    """(coefficients c_0..c_{n-1}, None) from sympy.series in t = x − a, or (None, the
    first term of the expansion that is not a whole power of t, written in x)."""
    t = sp.Dummy("t")
    g = expr.xreplace({var: a + t}) if a != 0 else expr.xreplace({var: t})
    s = sp.series(g, t, 0, n)
    body = s.removeO()
    back = var - a if a != 0 else var
    if body.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None, sp.zoo
    body = sp.expand(body)
    if body.free_symbols - {t} or not body.is_polynomial(t):
        bad = [term for term in sp.Add.make_args(body)
               if term.free_symbols - {t} or not term.is_polynomial(t)]
        return None, bad[0].xreplace({t: back}) if bad else body.xreplace({t: back})
    poly = sp.Poly(body, t)
    coeffs = [sp.nsimplify(poly.coeff_monomial(t ** k)) if poly.coeff_monomial(t ** k).atoms(sp.Float)
              else poly.coeff_monomial(t ** k) for k in range(n)]
    return [sp.simplify(c) if not c.is_Rational else c for c in coeffs], None


def _value(expr, var, x):
    """f(x) to 40 digits (a real SymPy Float) when f is defined and real there, else None."""
    if violated(conditions_of(expr), {var: x}) is not None:
        return None
    v = real_roots(expr).xreplace({var: x})
    try:
        z = sp.N(v, 40)
        re, im = z.as_real_imag()
    except (TypeError, ValueError):
        return None
    if not re.is_Float and not re.is_Rational or im.is_number is False:
        return None
    if abs(im) > sp.Float(10) ** -30 * (1 + abs(re)) or re.has(sp.oo, -sp.oo, sp.nan, sp.zoo):
        return None
    return re


def _agrees(expr, var, a, coeffs, side: int):
    """(does f near a, on one side, match the series?, the first point tried, f there, the
    series there). None for the first when f is not defined on that side. Tried at 1/1000
    from a, then closer (a large coefficient, sin(10⁵x)/x, needs a closer look); a series
    that is wrong fails at every distance."""
    first = None
    for step in (PROBE, PROBE ** 2, PROBE ** 3):
        x = a + side * step
        fx = _value(expr, var, x)
        if fx is None:
            return None, x, None, None
        pz = sp.N(sum(c * (side * step) ** k for k, c in enumerate(coeffs)), 40)
        pre, pim = pz.as_real_imag()
        if abs(pim) > sp.Float(10) ** -30 * (1 + abs(pre)):
            return False, x, float(fx), complex(pz)  # a complex series cannot describe a real f
        first = first or (x, float(fx), float(pre))
        # relative to the size of f there: near a zero of f an absolute test would pass
        # anything (|x|·√(1 + x²) against x + x³/2 differ only in sign)
        if abs(fx - pre) <= sp.Float(10) ** -6 * (abs(fx) + abs(pre)) + sp.Float(10) ** -30:
            return True, x, float(fx), float(pre)
    return (False, *first)


def _describe(bad, var, a) -> str:
    """Why an expansion with the term ``bad`` is not a Taylor series."""
    base = var - a if a != 0 else var
    if bad is sp.zoo:
        return "f has no finite limit there"
    if bad.has(sp.I):  # SymPy's complex branch: name the power alone
        bad = bad.as_independent(var, as_Add=False)[1]
    if bad.has(sp.log):
        return (f"its expansion has the term {to_text(bad)}, with a logarithm: f or one of its "
                f"derivatives has no finite limit as {_where(var, a).replace(' = ', ' → ')}")
    powers = [p.exp for p in bad.atoms(sp.Pow) if p.base == base and p.exp.is_number]
    if bad == base ** -1 or any(p.is_negative for p in powers):
        return (f"f has no finite limit there (its expansion has the term {to_text(bad)}, "
                f"which → ∞)")
    if any(not p.is_integer for p in powers) or not powers:
        return (f"its expansion has the term {to_text(bad)}, which is not a whole power of "
                f"{to_text(base)}, so some derivative of f has no finite limit there")
    return f"its expansion has the term {to_text(bad)}, not a power series"


def series_coefficients(expr, var, a, n):
    """n Taylor coefficients of the continuous extension of f at a; a UsageError saying
    why there are none. Returns (coefficients, sides where f is defined and checked)."""
    hit = _essential(expr, var, a)
    if hit is not None:
        _refuse(var, a, _essential_reason(hit, var, a))
    try:
        found = within(SERIES_SECONDS, _series_polynomial, expr, var, a, n, default="timeout")
    except (sp.PoleError, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        _refuse(var, a, "f is undefined there, and SymPy finds no power series for it")
    if found == "timeout":
        _refuse(var, a, "f or a derivative formula is undefined there, and the series of f could not be found in time (try a lower --order)")
    coeffs, bad = found
    if coeffs is None:
        _refuse(var, a, _describe(bad, var, a))
    sides, failed = [], []
    for side in (-1, 1):
        ok, x, fx, px = _agrees(expr, var, a, coeffs, side)
        if ok:
            sides.append(side)
        elif ok is False:
            failed.append((side, x, fx, px))
    if failed:
        side, x, fx, px = failed[0]
        where = "left" if side < 0 else "right"
        shown = f"{px:.6g}" if isinstance(px, float) else "a complex number"
        why = (f"the power series SymPy finds does not match f to the {where} of "
               f"{to_text(a)} (f({to_text(x)}) = {fx:.6g}, the series gives {shown})")
        if sides:
            why += (f", though it matches on the other side: the two sides of f differ, so f is "
                    f"not smooth at {_where(var, a)}")
        _refuse(var, a, why)
    if not sides:
        _refuse(var, a, "f is undefined on both sides of the centre")
    return coeffs, tuple(sides)


def _substitution_note(expr, var, a, coeffs) -> str | None:
    """For f = g(√(x − a)) with g even: why the series has whole powers only."""
    base = var - a if a != 0 else var
    if not any(p.base == base and not p.exp.is_integer for p in expr.atoms(sp.Pow)):
        return None
    u = sp.Symbol("u", positive=True)
    g = sp.simplify(expr.subs(var, u ** 2 + a))
    if g.has(var) or not g.has(u):
        return None
    s = within(2.0, lambda: sp.series(g, u, 0, 7).removeO(), default=None)
    if s is None or not s.is_polynomial(u):
        return None
    poly = sp.Poly(s, u)
    if any(k % 2 for (k,), c in poly.terms() if c != 0):
        return None
    from calctutor.topics.series.taylor import polynomial_text

    shown = polynomial_text(sorted(((k, c * u ** k) for (k,), c in poly.terms()),
                                   key=lambda kc: kc[0]))
    root = sp.sqrt(base)
    return (f"Why only whole powers of {to_text(base)} appear: put u = {to_text(root)}; then "
            f"f = {to_text(g)} = {shown} + …, which has only even powers of u, "
            f"and u^2 = {to_text(base)}.")


def taylor_through(expr, reading, var, a, order, nonzero, plot, err):
    """``_taylor_one`` for a centre where f (or a derivative formula) is undefined: the
    series of the continuous extension, with notes saying which values are limits."""
    from calctutor.topics.series.taylor import (
        MAX_ORDER,
        TaylorResult,
        UndefinedThere,
        _curves,
        _display_derivatives,
        _samples,
        order_for_nonzero,
        rows_from_coefficients,
        shifted,
        value_at,
    )

    base = shifted(var, a)
    n = order + 9
    coeffs, sides = series_coefficients(expr, var, a, n)
    if nonzero is not None:
        while sum(c != 0 for c in coeffs) <= nonzero and n < min(MAX_TERMS, 3 * MAX_ORDER):
            n = min(2 * n, MAX_TERMS)
            try:
                coeffs, sides = series_coefficients(expr, var, a, n)
            except UsageError:
                break  # (more terms took too long: say how many were found)
    notes: list[str] = []
    if nonzero is not None:
        order = order_for_nonzero(coeffs, nonzero, notes)
    try:
        value_at(expr, {var: a}, "f(x)")
        f_defined = True
    except UndefinedThere:
        f_defined = False
    one_side = len(sides) == 1
    approach = _where(var, a).replace(" = ", " → ") + ("" if not one_side else
                                                       (" from above" if sides[0] > 0 else " from below"))
    shown_a = to_text(a)
    if not f_defined:
        notes.append(
            f"f is undefined at {_where(var, a)}, but it has a limit there: f({to_text(var)}) → "
            f"{to_text(coeffs[0])} as {approach}. The expansion is that of its continuous "
            f"extension (f with f({shown_a}) = {to_text(coeffs[0])}): the values f^(k)({shown_a}) "
            f"in the table are the limits of f^(k)({to_text(var)}) as {approach}.")
    else:
        notes.append(
            f"The formulas for the derivatives of f are undefined at {_where(var, a)}, but their "
            f"limits as {approach} exist: those limits are the values f^(k)({shown_a}) in the table"
            + (" (one-sided derivatives)." if one_side else "."))
    if one_side:
        probe = a - sides[0] * PROBE
        broken = violated(conditions_of(expr), {var: probe})
        need = f" ({broken.text(to_text)} is needed)" if broken is not None else ""
        side = ("≥" if sides[0] > 0 else "≤") if f_defined else (">" if sides[0] > 0 else "<")
        notes.append(f"f is defined only on one side of the centre{need}: the series describes f "
                     f"for {to_text(var)} {side} {shown_a}.")
    why = within(3.0, _substitution_note, expr, var, a, coeffs, default=None)
    if why:
        notes.append(why)
    where = {(-1,): "just left of", (1,): "just right of"}.get(sides, "on both sides of")
    notes.append(f"The coefficients come from SymPy's series of f about {shown_a}, checked "
                 f"against f itself {where} {shown_a} (within 1/1000 of it).")
    shown = [expr]
    within(0.3, _display_derivatives, shown, var, min(order + 1, 6))
    rows, terms, next_term, searched = rows_from_coefficients(coeffs, order, base, shown)
    poly = sp.Add(*(t for _, t in terms))
    return TaylorResult(reading, expr, (var,), ((var, a),), order, terms, rows=tuple(rows),
                        next_term=next_term, next_searched=searched, remainder=None,
                        samples=_samples(expr, poly, var, a),
                        curves=_curves(expr, rows, var, a) if plot else (), plot=plot,
                        nonzero=nonzero, notes=tuple(notes), by_limits=True)
