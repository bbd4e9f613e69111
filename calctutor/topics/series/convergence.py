"""Where a power series converges: the radius by the ratio test, and each endpoint's series
decided by a named test (divergence test, p-series, alternating series test); an endpoint
SymPy cannot decide is said to be undecided, never guessed.

The series is Σ_{n ≥ start} C(n)·u^(p·n + q), u = x − a (``terms.PowerSeries``). The ratio
of consecutive terms is |C(n+1)/C(n)|·|u|^p → ℓ·|u|^p, which is below 1 when
|u| < R = ℓ^(−1/p) (R = ∞ when ℓ = 0, R = 0 when ℓ = ∞).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from calctutor.notation import to_sympy, to_text
from calctutor.results import Reading
from calctutor.topics.series.terms import PowerSeries, series_text

LIMIT_SECONDS = 4.0


@dataclass(frozen=True)
class Endpoint:
    """One endpoint x = ``at``: its series (the general term there), the test used and its
    verdict (``converges`` None: SymPy could not decide it)."""

    at: sp.Expr
    term: sp.Expr
    test: str
    reason: str
    converges: bool | None


@dataclass(frozen=True)
class ConvergenceResult:
    """Where the Taylor series of f about a converges (``calctutor taylor --radius`` or
    ``--interval``).

    JSON fields: ``input``, ``variable``, ``at`` (the centre), ``general_term`` and
    ``start`` (the series Σ_{n ≥ start} general_term), ``ratio`` (|a(n+1)/a(n)|),
    ``limit`` (its limit as n → ∞), ``radius`` ("oo" for every x), ``endpoints`` (each
    ``{"at", "series", "test", "reason", "converges"}``, converges null when undecided),
    ``interval`` (e.g. "(-1, 1]", "all x"; null when an endpoint is undecided),
    ``inequality`` (e.g. "-1 < x <= 1") and ``asked`` ("radius" or "interval": what
    ``--answer`` checks)."""

    input: Reading
    expr: sp.Expr
    variable: sp.Symbol
    centre: sp.Expr
    series: PowerSeries
    ratio: sp.Expr            # |a(n+1)/a(n)| as a function of n and x
    limit: sp.Expr            # its limit as n → ∞, a multiple of |u|^p
    radius: sp.Expr
    endpoints: tuple[Endpoint, ...] = ()
    asked: str = "interval"
    notes: tuple[str, ...] = field(default=())

    @property
    def method_hint(self) -> str:
        """The quiz's first hint."""
        return ("Method: the ratio test: the series converges where lim |a(n+1)/a(n)| < 1, "
                "which gives |x − a| < R; at |x − a| = R the limit is 1, so each endpoint's "
                "series is tested on its own. Start with the general term a(n).")

    @property
    def decided(self) -> bool:
        return all(e.converges is not None for e in self.endpoints)

    @property
    def bounds(self) -> tuple[sp.Expr, sp.Expr]:
        return sp.simplify(self.centre - self.radius), sp.simplify(self.centre + self.radius)

    def closed(self) -> tuple[bool | None, bool | None]:
        """Whether the left and right endpoints belong to the interval."""
        if self.radius == sp.oo or self.radius == 0:
            return True, True
        return self.endpoints[0].converges, self.endpoints[1].converges

    def interval_text(self, printer=to_text) -> str | None:
        if self.radius == sp.oo:
            return "all x" if self.variable.name == "x" else f"all {self.variable.name}"
        if self.radius == 0:
            return f"{self.variable.name} = {printer(self.centre)} only"
        left, right = self.closed()
        if left is None or right is None:
            return None
        lo, hi = self.bounds
        return f"{'[' if left else '('}{printer(lo)}, {printer(hi)}{']' if right else ')'}"

    def inequality_text(self, printer=to_text) -> str | None:
        name = self.variable.name
        if self.radius == sp.oo:
            return f"-oo < {name} < oo"
        if self.radius == 0:
            return f"{name} = {printer(self.centre)}"
        left, right = self.closed()
        if left is None or right is None:
            return None
        lo, hi = self.bounds
        return (f"{printer(lo)} {'<=' if left else '<'} {name} "
                f"{'<=' if right else '<'} {printer(hi)}")

    def to_json(self) -> dict:
        return {
            "input": self.input.text,
            "variable": to_sympy(self.variable),
            "at": to_sympy(self.centre),
            "general_term": to_sympy(self.series.term()),
            "start": self.series.start,
            "ratio": to_sympy(self.ratio),
            "limit": to_sympy(self.limit),
            "radius": to_sympy(self.radius),
            "endpoints": [{"at": to_sympy(e.at), "series": to_sympy(e.term), "test": e.test,
                           "reason": e.reason, "converges": e.converges}
                          for e in self.endpoints],
            "interval": self.interval_text(to_sympy),
            "inequality": self.inequality_text(to_sympy),
            "asked": self.asked,
        }

    def answer_spec(self):
        from calctutor.topics.series.answers import convergence_spec

        return convergence_spec(self)


class Undecided(Exception):
    """SymPy could not find a limit the ratio test needs."""


def _n():
    return sp.Symbol("n", integer=True, positive=True)


def _limit(expr, n):
    """lim_{n→∞} of an expression in n, with n taken as a real variable for SymPy."""
    t = sp.Symbol("t", positive=True)
    value = sp.limit(expr.xreplace({n: t}), t, sp.oo)
    if value.has(sp.Limit, sp.AccumBounds, sp.nan) or not (value.is_number or value == sp.oo):
        raise Undecided
    return value


def _abs(e, n):
    """|e| for n a positive whole number, with (−1)^n and factorials taken out."""
    e = sp.powsimp(sp.simplify(e), force=True)
    return sp.simplify(sp.Abs(e))


def ratio_radius(series: PowerSeries, u) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(|a(n+1)/a(n)| in n and |u|, its limit, the radius); Undecided when SymPy cannot."""
    n = _n()
    c = series.coefficient.xreplace({series.index: n})
    ratio_c = _ratio(c, n)
    size = _abs(ratio_c, n)
    if size.has(sp.sin, sp.cos, sp.Abs) and size.has(n):
        raise Undecided  # terms that vanish now and then: the ratio is not defined for all n
    ell = _limit(size, n)
    p = series.step
    absu = sp.Abs(u)
    ratio = size * absu ** p
    limit = ell * absu ** p
    if ell == 0:
        radius = sp.oo
    elif ell == sp.oo:
        radius = sp.Integer(0)
    else:
        radius = sp.simplify(ell ** sp.Rational(-1, p))
    return ratio, limit, radius


def _ratio(c, n):
    """c(n+1)/c(n) simplified (binomial coefficients and factorials through Γ)."""
    r = c.xreplace({n: n + 1}) / c
    if r.has(sp.binomial, sp.factorial, sp.gamma):
        r = sp.expand_func(r.rewrite(sp.gamma))
    return sp.simplify(sp.gammasimp(r))


def _rational(q, n) -> bool:
    try:
        return not q.has(sp.Abs) and bool(q.is_rational_function(n))
    except (TypeError, ValueError):
        return False


def _soft_limit(expr, n, seconds=2.0):
    """The limit, or None when SymPy does not find it in time."""
    from calctutor.sandbox import within

    def go():
        try:
            return _limit(expr, n)
        except (Undecided, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
            return None
    return within(seconds, go, default=None)


def endpoint(series: PowerSeries, var, centre, side: int, radius) -> Endpoint:
    """The series at x = centre ± radius and the test that decides it: the divergence test
    (terms not → 0), Raabe's comparison with a p-series (|a(n+1)/a(n)| = 1 − s/n + …: the
    terms shrink like 1/n^s) and the alternating series test."""
    n = _n()
    at = sp.simplify(centre + side * radius)
    k = series.step * n + series.offset
    # the first terms do not change whether a series converges: n ≥ 1 keeps 1/n defined
    term = sp.simplify(series.coefficient.xreplace({series.index: n}) * (side * radius) ** k)
    term = sp.powsimp(sp.powdenest(term, force=True), force=True)
    shown = series_text(term)
    try:
        step = _ratio(term, n)
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        step = None
    s = None
    if step is not None and not step.has(sp.sin, sp.cos):
        s = _soft_limit(n * (1 / sp.Abs(step) - 1), n)
        s = s if s is not None and s.is_number and s.is_finite else None
    # the size of the terms: → 0 when s > 0 (they shrink like 1/n^s); otherwise its limit
    size = sp.Integer(0) if s is not None and s > 0 else _soft_limit(_abs(term, n), n)
    if size is not None and size != 0:
        return Endpoint(at, term, "divergence test",
                        f"the terms {shown} do not tend to 0 (their size tends to {to_text(size)}),"
                        f" so the series diverges", False)
    if size is None and s is not None and s < 0:
        return Endpoint(at, term, "divergence test",
                        f"the size of the terms {shown} grows (|a(n+1)/a(n)| > 1 for large n), "
                        f"so they do not tend to 0 and the series diverges", False)
    like = "" if s is None else ("1/n" if s == 1 else f"1/n^{to_text(s)}")
    # Raabe's test leaves s = 1 open; when |a(n)/a(n+1)| is a rational function of n it is
    # 1 + s/n + O(1/n²), and Gauss's test decides s = 1 too (diverges, like the harmonic)
    gauss = step is not None and _rational(_abs(1 / step, n), n)
    if s == 1 and not gauss and not step.is_negative:
        return Endpoint(at, term, "undecided",
                        f"|a(n+1)/a(n)| = 1 - 1/n + ... for the terms {shown}: the p-series "
                        f"comparison is on the edge (p = 1) and SymPy cannot settle it: this "
                        f"endpoint is not decided", None)
    if s is not None and s > 1:
        return Endpoint(at, term, "p-series comparison",
                        f"|{shown}| shrinks like {like} (|a(n+1)/a(n)| = 1 - {to_text(s)}/n + ...)"
                        f" with {to_text(s)} > 1, like a convergent p-series, so the series "
                        f"converges (absolutely)", True)
    if step is not None and step.is_negative and (size == 0 or (s is not None and s > 0)):
        return Endpoint(at, term, "alternating series test",
                        f"{shown} alternates in sign and its size decreases to 0, so the "
                        f"series converges (alternating series test)", True)
    if step is not None and step.is_positive and s is not None and 0 < s <= 1:
        name = "the harmonic series" if s == 1 else f"the p-series with p = {to_text(s)}"
        return Endpoint(at, term, "p-series comparison",
                        f"the terms {shown} keep one sign and shrink like {like}, like {name}, "
                        f"which diverges (p <= 1), so the series diverges", False)
    return Endpoint(at, term, "undecided",
                    f"none of the divergence test, the p-series comparison and the "
                    f"alternating series test decides the series of {shown} here (SymPy found "
                    f"no limit that settles it): this endpoint is not decided", None)


def convergence(result, series: PowerSeries, asked: str) -> ConvergenceResult:
    """Where ``series`` (the Taylor series of ``result``) converges, by the ratio test."""
    x, a = result.at[0]
    u = series.base
    ratio, limit, radius = ratio_radius(series, u)
    ends: tuple[Endpoint, ...] = ()
    if radius != sp.oo and radius != 0:
        ends = (endpoint(series, x, a, -1, radius), endpoint(series, x, a, 1, radius))
    return ConvergenceResult(result.input, result.expr, x, a, series, ratio, limit, radius,
                             ends, asked, result.notes)
