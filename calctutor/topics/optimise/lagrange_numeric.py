"""Lagrange problems solved numerically, with what is known about the candidates found.

Newton's method on grad L = 0 from many starts finds stationary points, but on its own it
cannot say whether one was missed. For one constraint in two variables whose zero set is a
closed curve around a centre, met once by every ray from it (a "star-shaped" curve), f
can be followed along the whole curve: sampled densely at every angle, each rise-and-fall
of the samples brackets a turn of f, which is refined to a candidate. That is the evidence
behind "every maximum and minimum is among the candidates", stated with its one gap (two
turns closer together than the sample spacing cannot show).

The curve test is exact: g(c + r u(θ)) = p_0 + sum_k r^k p_k(θ) with p_0 < 0 and every
p_k >= 0 on the circle (and not all zero at any angle) is strictly increasing in r > 0, so
every ray meets the curve exactly once, and ∂g/∂r > 0 there, so grad g never vanishes on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

SAMPLES = 3600             # angles sampled along a star-shaped constraint curve
STARTS_NOTE = "{found} candidate{s} from {starts} starting points"


@dataclass(frozen=True)
class Sampling:
    """f followed along a closed constraint curve: the evidence for completeness.

    ``turns``: local maxima and minima of the samples (cyclic); ``matched``: how many of
    them were refined to a listed candidate; ``high``/``low``: the largest and smallest
    sample of f; ``curve``: the curve in words.
    """

    curve: str
    samples: int
    turns: int
    matched: int
    high: float
    low: float

    @property
    def spacing_degrees(self) -> float:
        return 360.0 / self.samples

    @property
    def certain(self) -> bool:
        """Every turn of the samples was refined to a candidate."""
        return self.turns > 0 and self.matched == self.turns

    def sentence(self, best_high: float | None, best_low: float | None) -> str:
        """What the sampling shows, in words."""
        if self.turns == 0:
            return (f"The constraint is {self.curve}, a closed curve, and f is constant along "
                    f"it (all {self.samples} samples are {_g(self.high)} to 11 digits): every "
                    "point of it is both a maximum and a minimum, so there are no isolated "
                    "candidates.")
        head = (f"The constraint is {self.curve}, so it is a closed, bounded curve with "
                "∇g ≠ 0 everywhere on it. f was evaluated at "
                f"{self.samples} points along it (every {self.spacing_degrees:g} degrees "
                f"of the angle about the centre): the samples rise and fall through {self.turns} turn"
                f"{'s' if self.turns != 1 else ''} (local maxima and minima)")
        if not self.certain:
            missing = self.turns - self.matched
            return (head + f", and {missing} of them could not be refined to a solution of "
                    "∇L = 0, so the candidates may be incomplete.")
        out = head + (", and each was refined by Newton's method to a listed candidate. So "
                      "every maximum and minimum of f on the constraint is a candidate, "
                      "unless two turns lie closer together than the sample spacing.")
        if best_high is None or best_low is None:
            return out
        gap = 1e-9 * (1 + max(abs(best_high), abs(best_low)))
        if self.high <= best_high + gap and self.low >= best_low - gap:
            return out + (f" No sample exceeds the largest candidate value or falls below "
                          f"the smallest (the samples range from {_g(self.low)} to "
                          f"{_g(self.high)}).")
        return out + (f" But the samples range from {_g(self.low)} to {_g(self.high)}, beyond "
                      "the candidates' values: a candidate was missed.")

    def to_json(self) -> dict:
        return {"curve": self.curve, "samples": self.samples, "turns": self.turns,
                "matched": self.matched, "largest_sample": self.high,
                "smallest_sample": self.low, "certain": self.certain}


def _g(v: float) -> str:
    return format(v, ".6g")


# -- is the constraint a star-shaped closed curve? -------------------------------------------
@dataclass(frozen=True)
class Star:
    """g(cx + r cos θ, cy + r sin θ) = sum_k coeffs[k](θ) r^k, increasing in r > 0."""

    centre: tuple[sp.Expr, sp.Expr]
    coeffs: tuple[sp.Expr, ...]     # in cos θ and sin θ (symbols C, S)
    text: str


_C, _S, _T = sp.symbols("C S t", real=True)


def star_curve(g: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> Star | None:
    """The constraint g = 0 as r(θ) around a centre, when that is proved exactly (see the
    module docstring); None otherwise. Tries the origin, then the stationary point of a
    quadratic g (a shifted ellipse)."""
    if not g.is_polynomial(x, y) or g.free_symbols - {x, y}:
        return None
    centres = [(sp.Integer(0), sp.Integer(0))]
    if sp.Poly(g, x, y).total_degree() == 2:
        sol = sp.solve([sp.diff(g, x), sp.diff(g, y)], [x, y], dict=True)
        if len(sol) == 1 and all(v in sol[0] for v in (x, y)):
            centres.append((sol[0][x], sol[0][y]))
    for cx, cy in dict.fromkeys(centres):
        star = _star_at(g, x, y, cx, cy)
        if star is not None:
            return star
    return None


def _star_at(g, x, y, cx, cy) -> Star | None:
    r = sp.Symbol("r", positive=True)
    shifted = sp.expand(g.xreplace({x: cx + r * _C, y: cy + r * _S}))
    poly = sp.Poly(shifted, r)
    coeffs = [sp.Integer(0)] * (poly.degree() + 1)
    for (k,), c in poly.terms():
        coeffs[k] = sp.expand(c)
    if len(coeffs) < 2:
        return None
    p0 = coeffs[0]
    if p0.free_symbols or p0 == 0:
        return None
    if p0 > 0:
        coeffs = [-c for c in coeffs]
    forms = []
    for k, c in enumerate(coeffs[1:], start=1):
        if c == 0:
            continue
        # c is a form of degree k in (C, S): on the line C = 1 it is q(t), S = t
        if k % 2:
            return None   # an odd form changes sign on the circle
        q = sp.Poly(c.xreplace({_C: 1, _S: _T}), _T)
        if not _nonnegative(q):
            return None
        forms.append((k, c, q))
    if not forms:
        return None
    # no angle where every form vanishes: the qs share no real root, and at θ = π/2 (C = 0)
    # some form is positive
    common = forms[0][2]
    for _, _, q in forms[1:]:
        common = sp.gcd(common, q)
    if common.degree() > 0 and common.count_roots() > 0:
        return None
    if all(c.xreplace({_C: 0, _S: 1}) <= 0 for _, c, _ in forms):
        return None
    centre = "the origin" if cx == 0 and cy == 0 else f"({sp.sstr(cx)}, {sp.sstr(cy)})"
    text = (f"met exactly once by every ray from {centre} (written in polar coordinates "
            "about it, g grows strictly with the radius)")
    return Star((cx, cy), tuple(coeffs), text)


def _nonnegative(q: sp.Poly) -> bool:
    """q(t) >= 0 for every real t: every real root has even multiplicity, and q is positive
    somewhere (exactly: square-free factors and Sturm counts)."""
    if q.is_zero:
        return True
    for factor, mult in q.sqf_list()[1]:
        if mult % 2 and factor.degree() > 0 and factor.count_roots() > 0:
            return False
    for t in range(0, 50):  # q has finitely many roots: a point off them decides the sign
        v = q.eval(sp.Rational(t, 7) + sp.Rational(1, 13))
        if v != 0:
            return v > 0
    return False


# -- following f along the curve ------------------------------------------------------------
def sample_curve(star: Star, f: sp.Expr, x: sp.Symbol, y: sp.Symbol, samples: int = SAMPLES):
    """(θ, r(θ), f) at ``samples`` equally spaced angles, as NumPy arrays, or None when f
    cannot be evaluated there."""
    import numpy as np

    from calctutor.domain import real_roots
    from calctutor.topics.optimise.lagrange import NUMPY

    theta = np.linspace(0.0, 2 * math.pi, samples, endpoint=False)
    cos, sin = np.cos(theta), np.sin(theta)
    cs = [sp.lambdify((_C, _S), c, modules="numpy") for c in star.coeffs]
    coeff = [np.broadcast_to(np.asarray(fn(cos, sin), dtype=float), theta.shape) for fn in cs]

    def G(r):
        out = np.zeros_like(theta)
        for k, c in enumerate(coeff):
            out = out + c * r ** k
        return out

    hi = np.ones_like(theta)
    for _ in range(200):   # double until every ray is past the curve (G grows to +oo)
        outside = G(hi) > 0
        if outside.all():
            break
        hi = np.where(outside, hi, hi * 2)
    else:
        return None
    lo = np.zeros_like(theta)
    for _ in range(80):    # bisection: G is increasing in r, negative at 0
        mid = (lo + hi) / 2
        pos = G(mid) > 0
        hi, lo = np.where(pos, mid, hi), np.where(pos, lo, mid)
    r = (lo + hi) / 2
    cx, cy = (float(v) for v in star.centre)
    fn = sp.lambdify((x, y), real_roots(f), modules=NUMPY)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(fn(cx + r * cos, cy + r * sin), dtype=float),
                                 theta.shape)
    if not np.all(np.isfinite(values)):
        return None
    return theta, r, values


def turns(values) -> list[tuple[int, str]]:
    """The indices where the cyclic samples turn: (i, "max") or (i, "min"). A flat run
    counts once, at its first sample; differences below 11 digits of the samples' scale are
    round-off, not turns (a constant f wiggles in its last bits)."""
    import numpy as np

    scale = float(np.max(np.abs(values))) or 1.0
    values = np.round(np.asarray(values) / scale * 1e11)
    n = len(values)
    out = []
    for i in range(n):
        here, before, after = values[i], values[i - 1], values[(i + 1) % n]
        if here > before and here >= after and not (here == after and _rising_after(values, i)):
            out.append((i, "max"))
        elif here < before and here <= after and not (here == after and _falling_after(values, i)):
            out.append((i, "min"))
    return out


def _rising_after(values, i) -> bool:
    n = len(values)
    j = (i + 1) % n
    while values[j] == values[i] and j != i:
        j = (j + 1) % n
    return values[j] > values[i]


def _falling_after(values, i) -> bool:
    n = len(values)
    j = (i + 1) % n
    while values[j] == values[i] and j != i:
        j = (j + 1) % n
    return values[j] < values[i]


def refine(star: Star, f, x, y, theta, r, index: int, kind: str):
    """The angle of the turn at sample ``index`` to machine precision (golden-section
    search between its neighbours), as the point (x, y) on the curve."""
    import numpy as np

    n = len(theta)
    step = 2 * math.pi / n
    a, b = theta[index] - step, theta[index] + step
    cx, cy = (float(v) for v in star.centre)
    cs = [sp.lambdify((_C, _S), c, modules="math") for c in star.coeffs]
    fn = sp.lambdify((x, y), f, modules="math")
    r_guess = float(r[index])

    def radius(t):
        c, s = math.cos(t), math.sin(t)
        k = [float(fc(c, s)) for fc in cs]
        lo, hi = 0.0, max(2 * r_guess, 1e-9)
        while sum(kk * hi ** j for j, kk in enumerate(k)) <= 0:
            hi *= 2
        for _ in range(100):
            mid = (lo + hi) / 2
            if sum(kk * mid ** j for j, kk in enumerate(k)) > 0:
                hi = mid
            else:
                lo = mid
        return (lo + hi) / 2

    def h(t):
        rr = radius(t)
        v = float(fn(cx + rr * math.cos(t), cy + rr * math.sin(t)))
        return -v if kind == "max" else v

    golden = (math.sqrt(5) - 1) / 2
    c, d = b - golden * (b - a), a + golden * (b - a)
    hc, hd = h(c), h(d)
    for _ in range(80):
        if hc < hd:
            b, d, hd = d, c, hc
            c = b - golden * (b - a)
            hc = h(c)
        else:
            a, c, hc = c, d, hd
            d = a + golden * (b - a)
            hd = h(d)
    t = (a + b) / 2
    rr = radius(t)
    return np.array([cx + rr * math.cos(t), cy + rr * math.sin(t)])


def multiplier_at(f, g, x, y, point) -> float:
    """λ with grad f = λ grad g at ``point`` (least squares: (∇f·∇g)/|∇g|²)."""
    sub = {x: point[0], y: point[1]}
    df = [float(sp.diff(f, v).evalf(subs=sub)) for v in (x, y)]
    dg = [float(sp.diff(g, v).evalf(subs=sub)) for v in (x, y)]
    return (df[0] * dg[0] + df[1] * dg[1]) / (dg[0] ** 2 + dg[1] ** 2)


def residual(eqs, unknowns, values) -> float:
    """|∇L| (Euclidean) at ``values`` of the unknowns."""
    sub = dict(zip(unknowns, values, strict=True))
    total = 0.0
    for e in eqs:
        v = complex(sp.N(e.xreplace(sub), 30))
        total += abs(v) ** 2
    return math.sqrt(total)
