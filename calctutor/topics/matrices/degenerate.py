"""A closer look at a stationary point where the second-derivative test is inconclusive.

With a singular Hessian the quadratic terms of f - f(p) do not decide; a textbook then
looks at f itself near p. Three exact looks, in this order:

1. **Lines.** Along p + t·u, f - f(p) is a function of t whose lowest non-zero power (the
   first non-zero derivative along the line) decides: an odd power changes sign at t = 0
   (p is no extremum); an even one gives a minimum or maximum along that line. Two lines
   that disagree also prove a saddle. Directions: the axes, simple combinations, the
   Hessian's null directions and the zero directions of the lowest-order terms.
2. **Lowest-order terms**, homogeneous (x^4 + y^4) or weighted (x^2 + y^4 with x counting
   twice as much as y): when that part is positive for every direction, f > f(p) near p
   (a strict minimum); when it takes both signs, so does f - f(p) along curves through p.
   In two variables its sign on the circle is decided exactly (real roots of a polynomial).
3. **Certificates** that f - f(p) >= 0 everywhere: a sum of even powers with positive
   coefficients, or a product of even powers (x^2 y^2, (x - y)^2); a variable without a
   pure power, or a linear factor, gives a line where f = f(p) (not a strict minimum).

A non-polynomial f is replaced by its Taylor polynomial of order ``TAYLOR_ORDER``: only
conclusions that the remainder cannot change are drawn from it (lines whose lowest power is
at most that order, weighted parts of lower order than any remainder term).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import Sequence

import sympy as sp

TAYLOR_ORDER = 6
SECONDS = 3.0          # the whole closer look, per point
MAX_SHOWN_OPS = 14     # a function along a line is shown whole up to this size


@dataclass(frozen=True)
class Finding:
    """What the closer look decided: ``kind`` (minimum, maximum, saddle, or degenerate when
    it did not decide), a ``reason`` to show, and ``strict`` for a minimum or maximum (None
    when not decided)."""

    kind: str
    reason: str
    evidence: tuple[str, ...] = ()
    strict: bool | None = None


# ---------------------------------------------------------------------------------------
# Helpers


def _text(e) -> str:
    from calctutor.notation import to_text

    return to_text(e)


def _sign(value) -> int | None:
    from calctutor.topics.matrices.compute import _sign as sign

    return sign(value)


class _Local:
    """f - f(p) written in displacements h from p (the variables themselves at the origin)."""

    def __init__(self, expr, variables, coords):
        self.variables = tuple(variables)
        self.coords = tuple(coords)
        n = len(variables)
        self.origin = all(c == 0 for c in coords)
        if self.origin:
            self.h = self.variables
        else:
            names = ["h", "k", "l"][:n] if n <= 3 else [f"h{i + 1}" for i in range(n)]
            taken = {v.name for v in variables}
            if taken & set(names):
                names = [f"h{i + 1}" for i in range(n)]
            self.h = tuple(sp.Symbol(nm, real=True) for nm in names)
        self.value = sp.sympify(expr).xreplace(dict(zip(variables, coords, strict=True)))
        self.exact = False
        self.g = None
        shifted = sp.sympify(expr).xreplace(
            {v: c + h for v, c, h in zip(variables, coords, self.h, strict=True)})
        if shifted.is_polynomial(*self.h):
            self.g = sp.expand(shifted - self.value)
            self.exact = True
        else:
            self.g = _taylor(shifted, self.h, TAYLOR_ORDER)
        self.poly = None
        if self.g is not None:
            try:
                self.poly = sp.Poly(self.g, *self.h)
            except sp.PolynomialError:
                self.poly = None

    @property
    def where(self) -> str:
        """'' at the origin, else ' (with x = 1 + h, y = k)'."""
        if self.origin:
            return ""
        parts = [f"{_text(v)} = {_text(c)} + {_text(h)}" if c != 0 else f"{_text(v)} = {_text(h)}"
                 for v, c, h in zip(self.variables, self.coords, self.h, strict=True)]
        return " (with " + ", ".join(parts) + ")"

    @property
    def lhs(self) -> str:
        args = ", ".join(_text(v) for v in self.variables)
        at = ", ".join(_text(c) for c in self.coords)
        if self.origin:
            return f"f({args}) - f({at})"
        return "f - f(p)"


def _taylor(shifted, hs, order):
    """The Taylor polynomial of ``shifted`` (a function of the displacements) at 0, or None
    when f has no such expansion there (a root, a corner, a pole)."""
    s = sp.Symbol("s_", positive=True)
    along = shifted.xreplace({h: s * h for h in hs})
    try:
        series = sp.series(along, s, 0, order + 1).removeO()
    except Exception:  # noqa: BLE001 - no expansion: the closer look does not apply
        return None
    series = sp.expand(series)
    if not series.is_polynomial(s) or series.has(sp.zoo, sp.nan, sp.oo):
        return None
    constant = series.subs(s, 0)
    poly = sp.expand((series - constant).subs(s, 1))
    if not poly.is_polynomial(*hs) or any(not c.is_number for c in
                                          sp.Poly(poly, *hs).coeffs()):
        return None
    return poly


def _terms(poly) -> list[tuple[tuple[int, ...], sp.Expr]]:
    return [(m, c) for m, c in poly.terms() if c != 0]


# ---------------------------------------------------------------------------------------
# 1. Lines


@dataclass
class _Line:
    direction: tuple
    power: int | None      # lowest power of t with a non-zero coefficient (None: none known)
    sign: int | None       # the sign of that coefficient
    along: sp.Expr | None  # f - f(p) along the line, exactly (a polynomial) when known
    text: str
    lead: sp.Expr = sp.Integer(0)  # the coefficient of that lowest power


def _line_text(local: _Local, u) -> tuple[str, sp.Symbol]:
    """('along y = 0', parameter) for two variables, ('along (x, y, z) = (t, 0, t)', t) else."""
    n = len(u)
    vs, cs = local.variables, local.coords
    if n == 1:
        return "", (vs[0] if local.origin else local.h[0])
    if n == 2:
        a, b = u
        x, y = vs
        px, py = cs
        if b == 0:
            return f"along {_text(y)} = {_text(py)}", (x if local.origin else local.h[0])
        if a == 0:
            return f"along {_text(x)} = {_text(px)}", (y if local.origin else local.h[1])
        slope = sp.Rational(b) / sp.Rational(a) if all(isinstance(c, (int, sp.Integer))
                                                       for c in (a, b)) else b / a
        rhs = sp.expand(slope * (x - px) + py)
        return f"along {_text(y)} = {_text(rhs)}", (x if local.origin else local.h[0])
    t = sp.Symbol("t", real=True)
    pts = ", ".join(_text(c + k * t) for c, k in zip(cs, u, strict=True))
    return f"along ({', '.join(_text(v) for v in vs)}) = ({pts})", t


def _scaled(u):
    """u with its first non-zero entry 1 (a line is the same for every multiple)."""
    first = sp.sympify(next(c for c in u if c != 0))
    return tuple(sp.sympify(c) / first for c in u)


def _along(local: _Local, u) -> _Line:
    u = _scaled(u)
    text, param = _line_text(local, u)
    by_power: dict[int, sp.Expr] = {}
    for m, c in _terms(local.poly):
        k = sum(m)
        by_power[k] = by_power.get(k, 0) + c * sp.prod(ui ** mi for ui, mi in zip(u, m, strict=True))
    powers = sorted(k for k, c in by_power.items() if sp.expand(c) != 0)
    along = None
    if local.exact:
        along = sp.expand(sum(sp.expand(by_power[k]) * param ** k for k in powers))
    if not powers:
        return _Line(u, None, 0 if local.exact else None, along, text)
    k = powers[0]
    lead = sp.expand(by_power[k])
    return _Line(u, k, _sign(lead), along, text, lead)


def _directions(local: _Local, hessian) -> list[tuple]:
    n = len(local.variables)
    out: list[tuple] = []
    for i in range(n):
        out.append(tuple(1 if j == i else 0 for j in range(n)))
    for i, j in itertools.combinations(range(n), 2):
        for a, b in ((1, 1), (1, -1), (1, 2), (2, 1), (1, -2), (2, -1), (1, 3), (3, 1), (1, -3),
                     (3, -1)):
            out.append(tuple(a if k == i else b if k == j else 0 for k in range(n)))
    try:
        for v in hessian.nullspace():
            if all(c.is_number for c in v):
                out.append(tuple(v))
    except Exception:  # noqa: BLE001 - the null directions are only a hint
        pass
    if n == 2 and local.poly is not None:   # the zero directions of the lowest-order terms
        lowest = _lowest(local.poly, (1, 1))
        if lowest is not None:
            s = sp.Symbol("s_")
            q = sp.expand(lowest.xreplace({local.h[0]: s, local.h[1]: 1}))
            try:
                for r in sp.Poly(q, s).ground_roots():
                    if r.is_real:
                        out.append((r, 1))
            except Exception:  # noqa: BLE001
                pass
    if n >= 3:
        rng = random.Random(20261206)
        for _ in range(8):
            out.append(tuple(rng.choice((-3, -2, -1, 1, 2, 3)) for _ in range(n)))
    seen, unique = set(), []
    for u in out:
        if all(c == 0 for c in u):
            continue
        key = _scaled(u)
        if key not in seen:
            seen.add(key)
            unique.append(u)
    return unique


def _describe_along(local: _Local, line: _Line) -> str:
    """'along y = 0, f(x, y) - f(0, 0) = x^3'."""
    head = f"{line.text}, " if line.text else ""
    if line.along is not None and sp.count_ops(line.along) <= MAX_SHOWN_OPS:
        return f"{head}{local.lhs} = {_text(line.along)}"
    param = _line_text(local, line.direction)[1]
    return f"{head}{local.lhs} = {_text(line.lead * param ** line.power)} + (higher powers)"


# ---------------------------------------------------------------------------------------
# 2. Lowest-order (weighted) terms


def _lowest(poly, weights) -> sp.Expr | None:
    terms = _terms(poly)
    if not terms:
        return None
    degree = min(sum(w * m for w, m in zip(weights, mon, strict=True)) for mon, _ in terms)
    gens = poly.gens
    return sum(c * sp.prod(g ** m for g, m in zip(gens, mon, strict=True)) for mon, c in terms
               if sum(w * m for w, m in zip(weights, mon, strict=True)) == degree)


def _weighted_degree(poly, weights) -> int:
    return min(sum(w * m for w, m in zip(weights, mon, strict=True)) for mon, _ in _terms(poly))


def _pure_power_weights(poly) -> tuple[int, ...] | None:
    """Weights that put the lowest pure power of every variable on one level (x^2 + y^4:
    x counts 2, y counts 1), or None when a variable has no pure power."""
    n = len(poly.gens)
    lowest = [None] * n
    for mon, _ in _terms(poly):
        nonzero = [i for i, m in enumerate(mon) if m]
        if len(nonzero) == 1:
            i = nonzero[0]
            lowest[i] = mon[i] if lowest[i] is None else min(lowest[i], mon[i])
    if any(d is None for d in lowest):
        return None
    top = math.lcm(*lowest)
    weights = tuple(top // d for d in lowest)
    return None if len(set(weights)) == 1 else weights


def _univariate_signs(q, s) -> set | None:
    """Every sign q(s) takes for real s, exactly (rational coefficients), else None."""
    q = sp.expand(q)
    if q == 0:
        return {0}
    try:
        poly = sp.Poly(q, s, domain="QQ")
    except (sp.PolynomialError, sp.CoercionFailed, ValueError, TypeError):
        return None
    if poly.degree() <= 0:
        return {_sign(poly.as_expr())}
    roots = sorted(set(poly.real_roots()), key=lambda r: sp.N(r, 30))
    # one rational point in each gap between consecutive real roots (and beyond them): the
    # sign is constant on each gap, so these points give every sign taken
    approx = [sp.Rational(str(sp.N(r, 30))) for r in roots]
    points = [sp.Integer(0)] if not roots else (
        [approx[0] - 1] + [(a + b) / 2 for a, b in zip(approx, approx[1:], strict=False)]
        + [approx[-1] + 1])
    signs = {_sign(poly.eval(p)) for p in points}
    if None in signs:
        return None
    if roots:
        signs.add(0)
    return signs


@dataclass
class _Form:
    signs: set              # signs the part takes away from 0 (0: it vanishes somewhere)
    positive: tuple | None  # a direction where it is > 0
    negative: tuple | None  # one where it is < 0


def _form(part, hs, weights) -> _Form | None:
    """The signs of a weighted-homogeneous part away from 0 (exact), or None."""
    n = len(hs)
    if n == 1:
        values = {u: _sign(part.xreplace({hs[0]: u})) for u in (1, -1)}
        if None in values.values():
            return None
        return _Form(set(values.values()),
                     next(((u,) for u, v in values.items() if v == 1), None),
                     next(((u,) for u, v in values.items() if v == -1), None))
    if n == 2:
        s = sp.Symbol("s_")
        x, y = hs
        signs: set = set()
        witness = {1: None, -1: None}
        for ends in ((1, 0), (-1, 0)):
            v = _sign(part.xreplace({x: ends[0], y: ends[1]}))
            if v is None:
                return None
            signs.add(v)
            witness[v] = witness.get(v) or ends
        for side in (1, -1):
            found = _univariate_signs(part.xreplace({x: s, y: side}), s)
            if found is None:
                return None
            signs |= found
            for target in (1, -1):
                if target in found and witness.get(target) is None:
                    witness[target] = _witness(part.xreplace({x: s, y: side}), s, target, side)
        return _Form(signs, witness.get(1), witness.get(-1))
    # three or more variables: exact values on a small grid, and the even-powers certificate
    signs = set()
    witness = {1: None, -1: None}
    span = (-2, -1, 0, 1, 2) if n <= 4 else (-1, 0, 1)
    for u in itertools.product(span, repeat=n):
        if not any(u):
            continue
        v = _sign(part.xreplace(dict(zip(hs, u, strict=True))))
        if v is None:
            continue
        signs.add(v)
        if v in witness and witness[v] is None:
            witness[v] = u
    if 1 in signs and -1 in signs:
        return _Form(signs, witness[1], witness[-1])
    cert = _even_powers(sp.Poly(part, *hs))
    if cert is not None and cert[1]:
        return _Form({cert[0]}, witness.get(1), witness.get(-1))
    return None


def _witness(q, s, target, side):
    """A rational s where q(s) has the sign ``target`` (searched on a grid)."""
    for k in itertools.chain(range(0, 41), range(-40, 0)):
        for den in (1, 2, 4, 8):
            p = sp.Rational(k, den)
            if _sign(q.xreplace({s: p})) == target:
                return (p, side)
    return None


# ---------------------------------------------------------------------------------------
# 3. Certificates that f - f(p) has one sign


def _even_powers(poly) -> tuple[int, bool] | None:
    """(sign, strict) when every term is an even power of each variable with coefficients of
    one sign: f - f(p) has that sign everywhere; strict when every variable has a pure power
    (then it is 0 only at p)."""
    terms = _terms(poly)
    if not terms or any(any(m % 2 for m in mon) for mon, _ in terms):
        return None
    signs = {_sign(c) for _, c in terms}
    if len(signs) != 1 or None in signs:
        return None
    pure = {next(i for i, m in enumerate(mon) if m) for mon, _ in terms
            if sum(1 for m in mon if m) == 1}
    return signs.pop(), len(pure) == len(poly.gens)


def _factored_sign(g, hs) -> tuple[int, list] | None:
    """(sign, linear factors) when g = c · (factors with even powers): g has the sign of c
    everywhere, and is 0 along each linear factor's line."""
    try:
        c, factors = sp.factor_list(g, *hs)
    except Exception:  # noqa: BLE001
        return None
    if not factors or any(e % 2 for _, e in factors):
        return None
    s = _sign(c)
    if s not in (1, -1):
        return None
    origin = {h: 0 for h in hs}
    return s, [q for q, _ in factors
               if sp.Poly(q, *hs).total_degree() == 1 and q.xreplace(origin) == 0]


# ---------------------------------------------------------------------------------------
# The closer look


def examine(expr, variables: Sequence[sp.Symbol], coords: Sequence[sp.Expr],
            hessian: sp.Matrix) -> Finding | None:
    """Classify a stationary point with a singular Hessian from f itself (see the module
    docstring); None when there is nothing exact to look at (a numerical point)."""
    if any(sp.sympify(c).atoms(sp.Float) for c in coords):
        return None
    if any(sp.sympify(c).free_symbols for c in coords):
        return _on_a_curve(expr, variables, coords)
    local = _Local(expr, variables, coords)
    if local.poly is None:
        return _by_assumptions(expr, variables, coords)
    if not _terms(local.poly):
        if local.exact:
            return Finding("degenerate", "f is constant near this point (every point near it "
                           "is stationary): a minimum and a maximum, neither strict")
        return None
    for step in (_by_lines, _by_lowest_terms, _by_certificate):
        found = step(local, hessian)
        if isinstance(found, Finding):
            return found
    return _by_assumptions(expr, variables, coords) or _undecided(local, hessian)


def _by_assumptions(expr, variables, coords) -> Finding | None:
    """f - f(p) >= 0 (or <= 0) wherever f is defined, proved by SymPy's sign rules (odd
    roots real: |x|^(4/3) + y^2 >= 0): a minimum (maximum); strictness is not decided."""
    from calctutor.domain import real_roots

    point = dict(zip(variables, coords, strict=True))
    value = sp.sympify(expr).xreplace(point)
    g = real_roots(sp.sympify(expr)) - real_roots(value)
    for kind, test, rel in (("minimum", g.is_nonnegative, "≥"), ("maximum", g.is_nonpositive, "≤")):
        if test:
            at = ", ".join(_text(c) for c in coords)
            args = ", ".join(_text(v) for v in variables)
            ev = f"f({args}) - f({at}) = {_text(sp.sympify(expr) - value)} {rel} 0 wherever f is defined"
            return Finding(kind, f"{ev}: f(p) is the {'smallest' if kind == 'minimum' else 'largest'} "
                           f"value of f, so p is a local {kind}", (ev,), None)
    return None


def _by_lines(local: _Local, hessian):
    lines = [_along(local, u) for u in _directions(local, hessian)]
    local.lines = lines
    for line in lines:
        if line.power is not None and line.power % 2 == 1 and line.sign in (1, -1):
            param = _line_text(local, line.direction)[1]
            at = _text(param) + " = 0"
            ev = (f"{_describe_along(local, line)}, which changes sign at {at} (its lowest "
                  f"power of {_text(param)} is odd){local.where}")
            return Finding("saddle", f"{ev}: f takes values above and below f(p) arbitrarily "
                           "close to p, so it is neither a minimum nor a maximum",
                           (ev,))
    up = next((ln for ln in lines if ln.power is not None and ln.sign == 1), None)
    down = next((ln for ln in lines if ln.power is not None and ln.sign == -1), None)
    if up is not None and down is not None:
        ev = (f"{_describe_along(local, up)} has a minimum at p, but "
              f"{_describe_along(local, down)} has a maximum there{local.where}")
        return Finding("saddle", f"{ev}: f takes values above and below f(p) arbitrarily "
                       "close to p, a saddle point", (ev,))
    return None


def _tuple(items) -> str:
    return _text(items[0]) if len(items) == 1 else "(" + ", ".join(_text(i) for i in items) + ")"


def _weight_words(local: _Local, weights) -> str:
    if len(set(weights)) == 1:
        return ""
    each = ", ".join(f"{_text(h)} as {w}" for h, w in zip(local.h, weights, strict=True))
    return f" (counting {each} towards the order)"


def _by_lowest_terms(local: _Local, hessian):
    poly, hs = local.poly, local.h
    candidates = [tuple(1 for _ in hs)]
    pure = _pure_power_weights(poly)
    if pure is not None:
        candidates.append(pure)
    for weights in candidates:
        degree = _weighted_degree(poly, weights)
        if not local.exact and (TAYLOR_ORDER + 1) * min(weights) <= degree:
            continue   # a remainder term could be of the same order
        part = _lowest(poly, weights)
        form = _form(part, hs, weights)
        if form is None:
            continue
        whole = local.exact and sp.expand(part - local.g) == 0
        if form.signs in ({1}, {-1}):
            kind = "minimum" if form.signs == {1} else "maximum"
            rel = ">" if kind == "minimum" else "<"
            others = "every " + _tuple(hs) + " ≠ " + _tuple([0] * len(hs))
            if whole:
                ev = f"{local.lhs} = {_text(local.g)} {rel} 0 for {others}{local.where}"
            else:
                ev = (f"the lowest-order terms of {local.lhs}{_weight_words(local, weights)} are "
                      f"{_text(part)}, which is {rel} 0 for {others}{local.where}; every other "
                      f"term is of higher order, so near p f {rel} f(p) except at p")
            return Finding(kind, f"{ev}: a strict local {kind}", (ev,), True)
        if 1 in form.signs and -1 in form.signs and form.positive and form.negative:
            ev = [_curve_text(local, weights, form.positive, part),
                  _curve_text(local, weights, form.negative, part)]
            text = (f"the lowest-order terms of {local.lhs}{_weight_words(local, weights)} are "
                    f"{_text(part)}, which takes both signs: {ev[0]}, but {ev[1]}{local.where}")
            return Finding("saddle", f"{text}: f takes values above and below f(p) arbitrarily "
                           "close to p, so it is neither a minimum nor a maximum", tuple(ev))
    return None


def _curve_text(local: _Local, weights, u, part) -> str:
    """'along (x, y) = (t, 3t^2/2), f - f(p) = -t^4/4 + ... < 0 for small t ≠ 0'."""
    t = sp.Symbol("t", positive=True)
    point = [c + k * t ** w for c, k, w in zip(local.coords, u, weights, strict=True)]
    disp = {h: k * t ** w for h, k, w in zip(local.h, u, weights, strict=True)}
    lead = sp.expand(part.xreplace(disp))
    sign = "> 0" if _sign(lead.xreplace({t: 1})) == 1 else "< 0"
    shown = sp.expand(local.g.xreplace(disp)) if local.exact else None
    if shown is not None and sp.count_ops(shown) <= MAX_SHOWN_OPS:
        value = _text(shown)
    else:
        value = f"{_text(lead)} + (higher powers of t)"
    where = "(" + ", ".join(_text(v) for v in local.variables) + ") = (" + \
        ", ".join(_text(p) for p in point) + ")"
    return f"along {where}, {local.lhs} = {value} {sign} for small t > 0"


def _by_certificate(local: _Local, hessian):
    if not local.exact:
        return None
    even = _even_powers(local.poly)
    if even is not None:
        sign, strict = even
        kind = "minimum" if sign == 1 else "maximum"
        rel = "≥" if sign == 1 else "≤"
        ev = (f"{local.lhs} = {_text(local.g)} {rel} 0 everywhere (even powers, "
              f"coefficients of one sign){local.where}")
        if strict:
            return Finding(kind, f"{ev}, and it is 0 only at p: a strict local {kind}", (ev,),
                           True)
        # a variable without a pure power: every term vanishes when only it moves
        missing = next(i for i in range(len(local.h))
                       if not any(mon[i] and sum(1 for m in mon if m) == 1
                                  for mon, _ in _terms(local.poly)))
        fixed = [f"{_text(v)} = {_text(c)}" for k, (v, c) in
                 enumerate(zip(local.variables, local.coords, strict=True)) if k != missing]
        axis = f"the line {', '.join(fixed)}" if fixed else "the line"
        return Finding(kind, f"{ev}, and f = f(p) all along {axis}: a local {kind}, but not a "
                       "strict one", (ev,), False)
    fact = _factored_sign(local.g, local.h)
    if fact is not None:
        sign, linear = fact
        kind = "minimum" if sign == 1 else "maximum"
        rel = "≥" if sign == 1 else "≤"
        ev = f"{local.lhs} = {_text(sp.factor(local.g))} {rel} 0 everywhere{local.where}"
        if linear:
            return Finding(kind, f"{ev}, and f = f(p) all along {_text(linear[0])} = 0: a "
                           f"local {kind}, but not a strict one", (ev,), False)
        return Finding(kind, f"{ev}: a local {kind}", (ev,), None)
    return None


def _undecided(local: _Local, hessian) -> Finding:
    lines = getattr(local, "lines", [])
    known = [ln for ln in lines if ln.power is not None and ln.sign in (1, -1)]
    flat = [ln for ln in lines if ln.power is None and ln.sign == 0]
    kinds = {ln.sign for ln in known}
    said = f"along every one of the {len(lines)} lines tried" if len(known) == len(lines) \
        else f"along {len(known)} of the {len(lines)} lines tried"
    if kinds == {1}:
        found = f"{said}, f has a minimum at p"
    elif kinds == {-1}:
        found = f"{said}, f has a maximum at p"
    else:
        found = "no line through p decided it"
    if flat:
        found += f"; f = f(p) all along {flat[0].text.removeprefix('along ')}"
    if not local.exact:
        found += f" (f was replaced by its Taylor polynomial of order {TAYLOR_ORDER})"
    reason = (f"inconclusive: {found}, but that does not prove an extremum (a function can "
              "have a minimum along every line through a point and still take smaller "
              "values along a curve, as (y - x^2)(y - 2x^2) does at the origin), and no "
              "proof either way was found")
    return Finding("degenerate", reason, (found,))


def _on_a_curve(expr, variables, coords) -> Finding | None:
    """A curve (or surface) of stationary points: f is constant on it; when f minus that
    constant has one sign everywhere, each of its points is a minimum (maximum), not strict."""
    from calctutor.steps.tidy import tidy

    point = dict(zip(variables, coords, strict=True))
    value = tidy(sp.simplify(sp.sympify(expr).xreplace(point)))
    if value.free_symbols:
        return None
    g = sp.expand(sp.sympify(expr) - value)
    if not g.is_polynomial(*variables):
        return None
    poly = sp.Poly(g, *variables)
    sign = None
    shown = _text(g)
    even = _even_powers(poly)
    if even is not None:
        sign = even[0]
    else:
        fact = _factored_sign(g, variables)
        if fact is not None:
            sign, shown = fact[0], _text(sp.factor(g))
    lhs = "f" if value == 0 else f"f - {_text(value)}"
    if sign is None:
        signs = set()
        for u in itertools.product((-2, -1, 1, 2), repeat=len(variables)):
            signs.add(_sign(g.xreplace(dict(zip(variables, u, strict=True)))))
        if {1, -1} <= signs:
            return Finding("degenerate", f"the stationary points form a curve (or surface) on "
                           f"which f = {_text(value)}, and {lhs} = {_text(g)} takes "
                           "both signs, so the kind can change from one point of it to another: "
                           "not decided for the curve as a whole")
        return None
    kind = "minimum" if sign == 1 else "maximum"
    rel = "≥" if sign == 1 else "≤"
    ev = f"{lhs} = {shown} {rel} 0 everywhere, and f = {_text(value)} all along it"
    return Finding(kind, f"the stationary points form a curve (or surface) on which f = "
                   f"{_text(value)}; {ev}: each of its points is a local {kind}, but not a "
                   "strict one", (ev,), False)
