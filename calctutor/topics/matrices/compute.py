"""Gradient, Jacobian and Hessian, entry by entry with the step engine.

Every entry is a partial derivative computed by ``steps.differentiate.diff_steps`` and
tidied by ``steps.tidy.tidy``; each keeps its own step tree (an ``Entry``), so any entry
can be expanded into its verified steps. Course conventions: rows are functions, columns
are variables, and the Jacobian of a scalar function is a row vector (1×n).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import sympy as sp

from calctutor.steps.differentiate import diff_steps
from calctutor.steps.model import Step
from calctutor.steps.tidy import tidy


@dataclass(frozen=True)
class Entry:
    """One partial derivative: d(expr)/d(var) is ``result`` (``raw`` is what the rules
    assembled, ``result`` its tidied form); ``step`` is the verified step tree."""

    expr: sp.Expr
    var: sp.Symbol
    step: Step
    raw: sp.Expr
    result: sp.Expr


def partial(expr: sp.Expr, var: sp.Symbol) -> Entry:
    """The partial derivative of ``expr`` with respect to ``var``, with its steps."""
    step = diff_steps(expr, var)
    return Entry(expr, var, step, step.result, tidy(step.result))


def jacobian_entries(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> tuple[tuple[Entry, ...], ...]:
    """The Jacobian as rows of ``Entry`` (row i = function i, column j = variable j)."""
    return tuple(tuple(partial(f, v) for v in variables) for f in exprs)


def jacobian_matrix(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
                    ) -> tuple[sp.Matrix, tuple[tuple[Step, ...], ...]]:
    """The Jacobian d(exprs)/d(variables) and the step tree of every entry.

    Row i is function i, column j is variable j; one function gives a 1×n row. Entries
    are the tidied results of the step engine, so they match what every command shows.
    """
    rows = jacobian_entries(exprs, variables)
    matrix = sp.Matrix(len(rows), len(variables), [e.result for row in rows for e in row])
    return matrix, tuple(tuple(e.step for e in row) for row in rows)


# ---------------------------------------------------------------------------------------
# Values at a point


def value_at(expr: sp.Expr, point: dict, numeric: bool = False, what: str = "the entry", *,
             function: sp.Expr | None = None, reading=None) -> sp.Expr:
    """``expr`` at ``point`` by the one evaluate-at-a-point (``steps.evaluate.evaluate_at``):
    exact unless the point has floats or ``numeric`` is asked; odd roots are real roots.

    Raises a UsageError naming ``what`` and why when it is undefined there (a pole, a log
    of 0, a corner of |u|, or a point where ``function`` -- what ``expr`` is a derivative
    of, read as ``reading`` -- is undefined, such as x = 0 for x^2/x)."""
    from calctutor.steps.evaluate import evaluate_at

    return evaluate_at(expr, point, function=function, reading=reading, what=what,
                       decimals="always" if numeric else "point")


def entry_name(f: str, *variables: sp.Symbol) -> str:
    """``df/dx`` or ``d2f/dxdy`` (for messages and answer feedback; df/dθ for theta)."""
    from calctutor.notation import to_text

    if len(variables) == 1:
        return f"d{f}/d{to_text(variables[0])}"
    return f"d{len(variables)}{f}/" + "".join(f"d{to_text(v)}" for v in variables)


# ---------------------------------------------------------------------------------------
# Classifying stationary points

SOLVE_SECONDS = 8.0   # the time sympy.solve may spend on grad f = 0
KINDS = ("minimum", "maximum", "saddle", "degenerate")


@dataclass(frozen=True)
class StationaryPoint:
    """A solution of grad f = 0 and what the Hessian there says about it.

    ``det`` and ``fxx`` are the two-variable test's numbers; ``minors`` the leading
    principal minors; ``inertia`` the counts of positive, negative and zero eigenvalues
    (None when the Hessian there is not a matrix of numbers)."""

    point: tuple[tuple[sp.Symbol, sp.Expr], ...]
    hessian: sp.Matrix
    kind: str
    reason: str
    value: sp.Expr | None = None
    det: sp.Expr | None = None
    fxx: sp.Expr | None = None
    minors: tuple[sp.Expr, ...] = ()
    inertia: tuple[int, int, int] | None = None
    # set when the second-derivative test was inconclusive and f itself was examined:
    # ``closer`` the look's finding, ``strict`` for a minimum/maximum (None: not decided)
    closer: str | None = None
    strict: bool | None = None


@dataclass(frozen=True)
class Classification:
    """The system grad f = 0, its real solutions classified, and caveats (``complete`` is
    False when solutions may be missing)."""

    equations: tuple[sp.Expr, ...]
    points: tuple[StationaryPoint, ...]
    complete: bool
    notes: tuple[str, ...] = ()


def _sign(value: sp.Expr) -> int | None:
    """The sign of a number (exact where SymPy can tell, else at 30 digits); None if unknown."""
    value = sp.sympify(value)
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    try:
        approx = complex(sp.N(value, 30))
    except (TypeError, ValueError):
        return None
    if abs(approx.imag) > 1e-20:
        return None
    if abs(approx.real) < 1e-25:
        from calctutor.sandbox import within

        return 0 if within(1.0, lambda: sp.simplify(value) == 0, default=False) else None
    return 1 if approx.real > 0 else -1


def _inertia(h: sp.Matrix) -> tuple[int, int, int] | None:
    """(positive, negative, zero) eigenvalue counts of a symmetric matrix of numbers.

    Exact: the eigenvalues are real, so Descartes' rule of signs on the characteristic
    polynomial counts them exactly (no eigenvalue need be computed)."""
    n = h.shape[0]
    coeffs = h.charpoly().all_coeffs()  # leading first
    signs = [_sign(c) for c in coeffs]
    if any(s is None for s in signs):
        return None
    zero = 0
    while signs and signs[-1] == 0:
        zero += 1
        signs.pop()

    def changes(seq):
        seq = [s for s in seq if s]
        return sum(1 for a, b in zip(seq, seq[1:], strict=False) if a != b)

    positive = changes(signs)
    degree = len(signs) - 1  # of the polynomial once the zero roots are divided out
    negative = changes([s * (-1) ** (degree - k) for k, s in enumerate(signs)])
    if positive + negative + zero != n:
        return None
    return positive, negative, zero


def classify_point(hessian: sp.Matrix, point: tuple, variables: Sequence[sp.Symbol],
                   value: sp.Expr | None = None) -> StationaryPoint:
    """Classify one stationary point from the Hessian ``hessian`` evaluated there."""
    from calctutor.notation import to_text

    n = hessian.shape[0]
    if any(e.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or (e.is_number and e.is_real is False)
           for e in hessian):
        return StationaryPoint(point, hessian, "degenerate",
                               "the Hessian is undefined there (f is not twice differentiable "
                               "at this point): the second-derivative test does not apply",
                               value)
    if any(not e.is_number for e in hessian):
        return StationaryPoint(point, hessian, "degenerate",
                               "the Hessian there still depends on the variables (a curve or "
                               "surface of stationary points): the test does not apply", value)
    minors = tuple(tidy(sp.expand(hessian[:k, :k].det())) for k in range(1, n + 1))
    inertia = _inertia(hessian)
    det = minors[-1]
    fxx = hessian[0, 0]
    x = variables[0]
    fxx_name = f"f_{x}{x}"

    def cmp(v):
        s = _sign(v)
        if s == 0 and v == 0:
            return ""
        return " " + {1: "> 0", -1: "< 0", 0: "= 0", None: "(sign unknown)"}[s]

    kind = "degenerate"
    if n == 2:
        sd, sx = _sign(det), _sign(fxx)
        head = f"det H = {to_text(det)}{cmp(det)}"
        if sd and _rounding_zero(det, hessian, 2):
            return StationaryPoint(point, hessian, kind, f"det H = {to_text(det)}, which is 0 "
                                   "to the precision of this numerically found point: the "
                                   "second-derivative test cannot decide (degenerate)", value,
                                   det, fxx, minors, inertia)
        if sd == 1 and sx == 1:
            kind, reason = "minimum", f"{head} and {fxx_name} = {to_text(fxx)} > 0: a local minimum"
        elif sd == 1 and sx == -1:
            kind, reason = "maximum", f"{head} and {fxx_name} = {to_text(fxx)} < 0: a local maximum"
        elif sd == -1:
            kind, reason = "saddle", f"{head}: the curvatures have opposite signs, a saddle point"
        else:
            reason = f"{head}: the second-derivative test is inconclusive (degenerate)"
        return StationaryPoint(point, hessian, kind, reason, value, det, fxx, minors, inertia)

    if n == 1:
        s1 = _sign(fxx)
        head = f"{fxx_name} = {to_text(fxx)}{cmp(fxx)}"
        kind, tail = {1: ("minimum", "the graph curves up, a local minimum"),
                      -1: ("maximum", "the graph curves down, a local maximum")}.get(
            s1, ("degenerate", "the second-derivative test is inconclusive (degenerate)"))
        return StationaryPoint(point, hessian, kind, f"{head}: {tail}", value, det, fxx,
                               minors, inertia)
    shown = ", ".join(to_text(m) for m in minors)
    signs = [_sign(m) for m in minors]
    if all(s == 1 for s in signs):
        kind, reason = "minimum", (f"the leading principal minors {shown} are all positive: "
                                   "H is positive definite, a local minimum")
    elif all(s == (-1) ** (k + 1) for k, s in enumerate(signs)):
        kind, reason = "maximum", (f"the leading principal minors {shown} alternate in sign, "
                                   "starting negative: H is negative definite, a local maximum")
    elif inertia is not None and inertia[0] and inertia[1]:
        kind, reason = "saddle", (f"H has {inertia[0]} positive and {inertia[1]} negative "
                                  "eigenvalues (indefinite): a saddle point")
    elif inertia is not None:
        reason = (f"H is only semi-definite ({inertia[2]} zero eigenvalue"
                  f"{'s' if inertia[2] != 1 else ''}): the test is inconclusive (degenerate)")
    else:
        reason = "the signs of the eigenvalues could not be decided (degenerate)"
    return StationaryPoint(point, hessian, kind, reason, value, det, fxx, minors, inertia)


def _rounding_zero(value, hessian: sp.Matrix, power: int) -> bool:
    """A decimal Hessian's ``value`` (of degree ``power`` in its entries) that is 0 up to the
    rounding of a numerically found point (det H = 3e-16 for cos x + y^4 at x = 3 pi)."""
    if not hessian.atoms(sp.Float):
        return False
    try:
        scale = max(abs(float(e)) for e in hessian)
        return abs(float(value)) <= 1e-8 * max(scale, 1e-300) ** power
    except (TypeError, ValueError):
        return False


def _solve(equations, variables):
    return sp.solve(list(equations), list(variables), dict=True)


def _is_polynomial(exprs, variables) -> bool:
    return all(e.is_polynomial(*variables) for e in exprs)


def stationary_points(expr: sp.Expr, gradient: Sequence[sp.Expr], hessian: sp.Matrix,
                      variables: Sequence[sp.Symbol], seconds: float | None = None) -> Classification:
    """Solve grad f = 0 (time-limited) and classify every real solution from ``hessian``."""
    from calctutor.sandbox import within

    seconds = SOLVE_SECONDS if seconds is None else seconds
    notes = []
    equations = tuple(g for g in gradient)
    failed = object()

    def attempt():
        try:
            return _solve(equations, variables)
        except (NotImplementedError, ValueError, TypeError):
            return failed

    if not _is_polynomial(equations, variables):
        seconds = min(seconds, NONPOLY_SOLVE_SECONDS)   # keeps the command well under 10 s
    solutions = within(seconds, attempt, default=None)
    complete = True
    unsolved = None   # why SymPy gave no solutions, merged below with the numerical search
    if solutions is None:
        unsolved = f"Solving the system exactly ran out of time ({seconds:g} s)"
        solutions, complete = [], False
    elif solutions is failed:
        unsolved = "SymPy could not solve the system exactly"
        solutions, complete = [], False
    elif not _is_polynomial(equations, variables):
        notes.append("The system is not polynomial: SymPy's solutions may be incomplete "
                     "(e.g. other periods of a trigonometric equation).")
        complete = False
    positive = all(v.is_positive for v in variables)
    notes.append("Only real solutions are kept" + (" with every variable positive (--positive)."
                                                   if positive else " (the variables are real)."))
    found = []
    for sol in solutions:
        coords = tuple((v, tidy(sp.sympify(sol.get(v, v)))) for v in variables)
        if any(c.is_real is False for _, c in coords):
            continue
        if any(c.free_symbols and c.has(sp.I) for _, c in coords):
            continue   # a curve with complex coefficients: real only where it meets another
        if coords in found:
            continue   # sympy.solve repeats a multiple solution
        found.append(coords)
    # sympy.solve can miss real solutions even of polynomial systems: cross-check numerically
    extra = within(NUMERIC_SECONDS, _safe_numeric_search, equations, hessian, variables, found,
                   default=None)
    decimals = " (shown as decimals)" if extra and any(
        c.atoms(sp.Float) for p in extra for _, c in p) else ""
    if extra:
        found += extra
        complete = False
    family = within(1.0, _periodic_family, equations, variables, found, default=None)
    word = "point" if extra and len(extra) == 1 else "points"
    if family:
        notes = [n for n in notes if "not polynomial" not in n]   # one warning says it all
        box = f"between -{SEARCH_BOX:g} and {SEARCH_BOX:g}"
        notes.insert(0, f"f has infinitely many stationary points: {family} Only those found "
                     f"with every coordinate {box} are listed" + (
                         ", some found numerically by Newton's method" + decimals
                         if extra else "") + "; others in that box may be missing.")
    elif unsolved and extra:
        notes.insert(0, f"{unsolved}; Newton's method from many starting points found these "
                     f"{len(extra)} stationary {word}{decimals}: others may be missing.")
    elif unsolved:
        notes.insert(0, f"{unsolved}: stationary points may be missing.")
    elif extra:
        notes.insert(0, f"SymPy's exact solution missed {len(extra)} stationary {word}, found "
                     f"by Newton's method from many starting points{decimals}: other "
                     "stationary points may be missing.")
    points = []
    closer_until = time.monotonic() + CLOSER_TOTAL
    for coords in sorted(found, key=_order_key):
        at = dict(coords)
        h = hessian.xreplace(at).applyfunc(lambda e: tidy(sp.expand(e)) if e.is_number else e)
        value = tidy(expr.xreplace(at))
        point = classify_point(h, coords, variables, value)
        if point.kind == "degenerate":
            point = _closer_look(expr, variables, point, closer_until - time.monotonic())
        points.append(point)
    return Classification(equations, tuple(points), complete, tuple(notes))


CLOSER_SECONDS = 3.0  # the closer look at one degenerate point
CLOSER_TOTAL = 4.0    # ... and at all of them together


def _closer_look(expr, variables, point: StationaryPoint, left: float) -> StationaryPoint:
    """The point reclassified from f itself when the Hessian is singular (lines through it,
    its lowest-order terms, a sign certificate); unchanged when nothing exact applies."""
    from dataclasses import replace

    from calctutor.sandbox import within
    from calctutor.topics.matrices.degenerate import examine

    coords = [c for _, c in point.point]

    def look():
        try:
            return examine(expr, variables, coords, point.hessian)
        except (ValueError, TypeError, ArithmeticError, NotImplementedError,
                sp.PolynomialError):
            return None

    if left <= 0:
        return replace(point, reason=point.reason.rstrip(".") + " (f itself was not examined "
                       "further: the time for that ran out)")
    found = within(min(CLOSER_SECONDS, left), look, default=None)
    if found is None:
        return point
    head = point.reason.rstrip(".")
    return replace(point, kind=found.kind, reason=f"{head}. Looking at f itself: {found.reason}",
                   closer=found.reason, strict=found.strict)


def _order_key(coords):
    """Points in increasing order of their coordinates (a curve of points last)."""
    key = []
    for _, c in coords:
        try:
            key.append((0, float(c)))
        except TypeError:
            key.append((1, 0.0))
    return key


NUMERIC_SECONDS = 2.0  # the numerical cross-check of sympy.solve
NONPOLY_SOLVE_SECONDS = 3.0  # sympy.solve on a non-polynomial system rarely succeeds later


def _periodic_family(equations, variables, found) -> str | None:
    """A sentence naming a periodic family when an exact stationary point stays one after
    shifting a coordinate by 2 pi, 4 pi and -2 pi (sin, cos ...): infinitely many points."""
    if not any(e.has(sp.sin, sp.cos, sp.tan) for e in equations):
        return None

    def vanishes(at):
        for e in equations:
            v = e.xreplace(at)
            if v == 0:
                continue
            try:
                if abs(complex(sp.N(v, 30))) > 1e-20:
                    return False
            except (TypeError, ValueError):
                return False
        return True

    for coords in found:
        if any(c.atoms(sp.Float) or c.free_symbols for _, c in coords):
            continue
        for k, (v, c) in enumerate(coords):
            if all(vanishes({**dict(coords), v: c + shift})
                   for shift in (2 * sp.pi, 4 * sp.pi, -2 * sp.pi)):
                shown = ", ".join(
                    ("" if c == 0 else sp.sstr(c) + " + ") + "2*pi*k" if i == k else sp.sstr(w)
                    for i, (_, w) in enumerate(coords))
                return f"({shown}) is one for every integer k."
    return None
NUMERIC_STARTS = 60
SEARCH_BOX = 10.0      # numerically found points are reported within |x_i| <= 10


def _safe_numeric_search(*args) -> list:
    """``_numeric_search``, or nothing when NumPy cannot evaluate the functions (DiracDelta,
    unknown functions f(x)): the cross-check is optional."""
    try:
        return _numeric_search(*args)
    except Exception:  # noqa: BLE001 - an optional check must never break the command
        return []


def _numeric_search(equations, hessian, variables, known) -> list:
    """Real solutions of ``equations`` = 0 that ``known`` misses, by Newton's method from
    seeded starting points; exact where a coordinate snaps to a verified exact value."""
    import numpy as np

    n = len(variables)
    try:
        grad = sp.lambdify([list(variables)], list(equations), "numpy")
        jac = sp.lambdify([list(variables)], hessian.tolist(), "numpy")
    except Exception:  # noqa: BLE001 - a function numpy cannot evaluate: no cross-check
        return []

    def g(p):
        return np.array(grad(p), dtype=float)

    def j(p):
        return np.array(jac(p), dtype=float).reshape(n, n)

    def locator(coords):
        """p -> where the known solution ``coords`` is, given p's free coordinates (a curve
        of solutions such as x = y passes through every point whose free part is p's)."""
        try:
            f = sp.lambdify([list(variables)], [c for _, c in coords], "numpy")
        except Exception:  # noqa: BLE001
            return None
        return lambda q: np.array(f(q), dtype=complex)

    def close(a, b):
        # loose: Newton creeps slowly into a multiple root (x^4 at 0)
        return bool(np.all(np.abs(a - b) <= 1e-4 * np.maximum(1.0, np.abs(b))))

    located = [fn for fn in (locator(c) for c in known) if fn is not None]
    degenerate = []   # known exact points where H is singular: Newton creeps towards them
    for coords in known:
        try:
            q = np.array([complex(c) for _, c in coords]).real
            with np.errstate(all="ignore"):
                h = j(q)
            if not np.all(np.isfinite(h)) or np.linalg.matrix_rank(h) < n:
                degenerate.append(q)
        except (TypeError, ValueError, ArithmeticError, np.linalg.LinAlgError):
            continue

    def slow_approach(p):
        """Newton stopped short of a degenerate known point (the gradient there is tiny in
        every direction, so a nearby point passes the residual test): not a new point."""
        try:
            if np.linalg.cond(j(p)) < 1e6:
                return False
        except (ValueError, np.linalg.LinAlgError):
            return False
        return any(np.max(np.abs(p - q)) < 0.05 * max(1.0, float(np.max(np.abs(q))))
                   for q in degenerate)
    rng = np.random.default_rng(12345)
    starts = [rng.uniform(-3, 3, n) for _ in range(NUMERIC_STARTS)] +              [rng.uniform(-10, 10, n) for _ in range(NUMERIC_STARTS // 3)]
    new: list = []
    raw: list = []
    with np.errstate(all="ignore"):
        for x0 in starts:
            p = _newton(g, j, x0)
            if p is None:
                continue
            if np.max(np.abs(p)) > SEARCH_BOX:  # Newton jumped far (another period, say)
                continue
            if any(close(fn(p), p) for fn in located) or any(close(q, p) for q in raw):
                continue
            if slow_approach(p):
                continue
            raw.append(p)
            snapped = _snap(p, equations, variables)
            if not snapped[0][1].atoms(sp.Float):
                # exact: drop it when it is a point already listed or on a known curve
                q = np.array([float(c) for _, c in snapped])
                if any(close(fn(q), q) for fn in located) or snapped in new:
                    continue
            new.append(snapped)
    return [c for c in new if not _same_point(c, known)]


def _newton(g, j, x0, steps: int = 60):
    """Newton's method for g(p) = 0 (least squares where the Jacobian is singular); the
    root, or None when it does not converge to a finite point."""
    import numpy as np

    p = np.array(x0, dtype=float)
    try:
        for _ in range(steps):
            gp = g(p)
            if not np.all(np.isfinite(gp)):
                return None
            if np.max(np.abs(gp)) == 0:
                break
            step = np.linalg.lstsq(j(p), gp, rcond=None)[0]
            p = p - step
            if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > 1e6:
                return None
            if np.max(np.abs(step)) < 1e-15 * max(1.0, float(np.max(np.abs(p)))):
                break
        return p if np.max(np.abs(g(p))) < 1e-9 else None
    except (ValueError, ArithmeticError, TypeError, np.linalg.LinAlgError):
        return None


SNAP = 1e-6   # candidates only: _snap keeps one only if the gradient is exactly 0 there


def _simple_number(c: float):
    """c as a simple exact number (p/q, ±sqrt(p/q), p/q·pi with q <= 64), or None. Loose
    (``SNAP``): Newton creeps into a multiple root (y^4 at 0) and stops ~1e-8 from it."""
    from fractions import Fraction

    for scale, build in ((1.0, lambda q: q), (None, None), (float(sp.pi), lambda q: q * sp.pi)):
        if scale is None:  # a square root: c^2 is a simple fraction
            q = Fraction(c * c).limit_denominator(64)
            if q and abs(float(q) - c * c) < SNAP * max(1.0, c * c):
                return sp.sign(c) * sp.sqrt(sp.Rational(q.numerator, q.denominator))
            continue
        q = Fraction(c / scale).limit_denominator(64)
        if abs(float(q) * scale - c) < SNAP * max(1.0, abs(c)):
            return build(sp.Rational(q.numerator, q.denominator))
    return None


def _snap(p, equations, variables) -> tuple:
    """The point exactly when every coordinate is a simple number that makes the gradient
    exactly zero (0, 1/2, sqrt(3), pi/2); otherwise as 10-digit decimals."""
    from calctutor.sandbox import within

    exact = [_simple_number(float(c)) for c in p]
    if all(e is not None for e in exact):
        at = dict(zip(variables, exact, strict=True))

        def vanishes(e):
            v = sp.expand(e.xreplace(at))
            return v == 0 or within(1.0, lambda: sp.simplify(v) == 0, default=False)

        if all(vanishes(e) for e in equations):
            return tuple(zip(variables, exact, strict=True))
    return tuple((v, sp.Float(float(c), 10)) for v, c in zip(variables, p, strict=True))


def _same_point(coords, known) -> bool:
    return any(all(sp.simplify(a - b) == 0 for (_, a), (_, b) in zip(coords, k, strict=True))
               for k in known)


# ---------------------------------------------------------------------------------------
# Results


def _names(symbols) -> list[str]:
    from calctutor.notation import to_sympy

    return [to_sympy(s) for s in symbols]


def _grid(matrix) -> list:
    from calctutor.notation import to_sympy

    return [[to_sympy(e) for e in row] for row in matrix.tolist()]


def _values(matrix) -> list:
    from calctutor.results import json_value

    return [[json_value(e) for e in row] for row in matrix.tolist()]


def _common_json(result, out: dict) -> dict:
    from calctutor.results import json_value

    if result.constants:
        out["constants"] = _names(result.constants)
    if result.at:
        out["at"] = {str(k): json_value(v) for k, v in result.at}
    if result.input.differs:
        out["read_as"] = result.input.reading
    if result.input.conditions:
        from calctutor.results import condition_codes

        out["conditions"] = condition_codes(result.input.conditions)
    return out


@dataclass(frozen=True)
class GradientResult:
    """grad f: one ``Entry`` per variable; ``value`` the gradient at ``at`` (when given)."""

    input: object  # results.Reading
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    entries: tuple[Entry, ...]
    constants: tuple[sp.Symbol, ...] = ()
    at: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    value: tuple[sp.Expr, ...] | None = None
    numeric: bool = False
    full_steps: bool = False  # the view expands every entry's whole step tree

    @property
    def result(self) -> tuple[sp.Expr, ...]:
        return tuple(e.result for e in self.entries)

    @property
    def norm(self) -> sp.Expr | None:
        """|grad f| at the point (the steepest slope there), when the point is numeric."""
        if self.value is None or not all(v.is_number for v in self.value):
            return None
        n = sp.sqrt(sum(v ** 2 for v in self.value))
        return n.evalf(15) if self.numeric or n.atoms(sp.Float) else tidy(sp.radsimp(n))

    def to_json(self) -> dict:
        from calctutor.notation import to_sympy
        from calctutor.results import json_value

        out = {
            "input": self.input.text,
            "variables": _names(self.variables),
            "result": [to_sympy(e) for e in self.result],
            "value": [json_value(v) for v in self.value] if self.value is not None else None,
            "steps": [e.step.to_json() for e in self.entries],
        }
        if self.norm is not None:
            out["norm"] = json_value(self.norm)
        return _common_json(self, out)

    def answer_spec(self):
        from dataclasses import replace

        from calctutor.checking.answer import function_domain
        from calctutor.topics.matrices.mistakes import gradient_spec

        return replace(gradient_spec(self), domain=function_domain(_functions(self), self.input))


@dataclass(frozen=True)
class JacobianResult:
    """d(F1, ..., Fm)/d(x1, ..., xn): rows of ``Entry`` (row i = function i). One function
    gives a 1×n row. ``determinant`` is set for a square Jacobian."""

    input: object
    exprs: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    entries: tuple[tuple[Entry, ...], ...]
    determinant: sp.Expr | None = None
    constants: tuple[sp.Symbol, ...] = ()
    at: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    value: sp.Matrix | None = None
    determinant_value: sp.Expr | None = None
    numeric: bool = False
    full_steps: bool = False  # the view expands every entry's whole step tree

    @property
    def matrix(self) -> sp.Matrix:
        return sp.Matrix([[e.result for e in row] for row in self.entries])

    def to_json(self) -> dict:
        from calctutor.notation import to_sympy
        from calctutor.results import json_value

        out = {
            "input": self.input.text,
            "variables": _names(self.variables),
            "functions": [to_sympy(f) for f in self.exprs],
            "result": _grid(self.matrix),
            "value": _values(self.value) if self.value is not None else None,
            "steps": [[e.step.to_json() for e in row] for row in self.entries],
        }
        if self.determinant is not None:
            out["determinant"] = to_sympy(self.determinant)
            if self.determinant_value is not None:
                out["determinant_value"] = json_value(self.determinant_value)
        return _common_json(self, out)

    def answer_spec(self):
        from dataclasses import replace

        from calctutor.checking.answer import function_domain
        from calctutor.topics.matrices.mistakes import jacobian_spec

        return replace(jacobian_spec(self), domain=function_domain(_functions(self), self.input))


@dataclass(frozen=True)
class HessianResult:
    """The Hessian: ``first`` the gradient entries, ``second[i][j]`` the derivative of the
    i-th first partial with respect to variable j (each with its steps)."""

    input: object
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    first: tuple[Entry, ...]
    second: tuple[tuple[Entry, ...], ...]
    constants: tuple[sp.Symbol, ...] = ()
    at: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    value: sp.Matrix | None = None
    classification: Classification | None = None
    numeric: bool = False
    full_steps: bool = False  # the view expands every entry's whole step tree

    @property
    def matrix(self) -> sp.Matrix:
        return sp.Matrix([[e.result for e in row] for row in self.second])

    @property
    def gradient(self) -> tuple[sp.Expr, ...]:
        return tuple(e.result for e in self.first)

    @property
    def symmetric_checked(self) -> bool:
        """True when every pair of mixed partials came out equal (Schwarz/Clairaut)."""
        m = self.matrix
        return all(sp.expand(m[i, j] - m[j, i]) == 0 for i in range(m.rows) for j in range(i))

    def to_json(self) -> dict:
        from calctutor.notation import to_sympy
        from calctutor.results import json_value

        out = {
            "input": self.input.text,
            "variables": _names(self.variables),
            "result": _grid(self.matrix),
            "value": _values(self.value) if self.value is not None else None,
            "gradient": [to_sympy(g) for g in self.gradient],
            "steps": [[{"first": self.first[i].step.to_json(), "second": e.step.to_json()}
                       for e in row] for i, row in enumerate(self.second)],
        }
        if self.classification is not None:
            c = self.classification
            out["stationary_points"] = [
                {"point": {str(k): to_sympy(v) for k, v in p.point},
                 "kind": p.kind,
                 "reason": p.reason,
                 "value": to_sympy(p.value) if p.value is not None else None,
                 "hessian": _grid(p.hessian),
                 **({"det": json_value(p.det)} if p.det is not None else {}),
                 **({"minors": [json_value(m) for m in p.minors]} if p.minors else {}),
                 **({"closer_look": p.closer} if p.closer is not None else {}),
                 **({"strict": p.strict} if p.strict is not None else {})}
                for p in c.points]
            out["equations"] = [to_sympy(e) for e in c.equations]
            out["complete"] = c.complete
            out["notes"] = list(c.notes)
        return _common_json(self, out)

    def answer_spec(self):
        from dataclasses import replace

        from calctutor.checking.answer import function_domain
        from calctutor.topics.matrices.mistakes import hessian_spec

        return replace(hessian_spec(self), domain=function_domain(_functions(self), self.input))


def _functions(result) -> tuple:
    """The function(s) a gradient, Jacobian or Hessian was computed from."""
    exprs = getattr(result, "exprs", None)
    return tuple(exprs) if exprs is not None else (result.expr,)
