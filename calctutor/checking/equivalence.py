"""Are two expressions the same function? Verdicts backed by evidence a learner can check.

Every verdict is one of four (``Equivalence.verdict``):

- **proved** equal: identical after SymPy's canonical form; a rational identity decided
  exactly (the difference cancels to 0); the difference simplifies to 0 by a cheap rewrite
  (expand, exponential form) or, when sampling could not decide, by ``simplify``;
- **differ**: a counterexample point with both values, printed with enough digits to differ
  (or with their difference when they agree beyond 25 digits); a difference that is a
  nonzero constant, decided exactly; or a region where the second is not defined and the
  first is;
- **tested**: equal at every point of a search designed to find differences, without a
  proof within the time budget;
- **undecided**: too few points of the first expression's domain, and no proof in time.

Domain policy. The second (the answer) must equal the first (the expected result) at every
real point where the first is defined, ignoring isolated points: ``x/x`` is accepted for
``1`` with a note that it is undefined at x = 0, but ``2 log(x)`` is not accepted for
``log(x^2)``, since it is undefined on the whole region x < 0. Where a function is defined
comes from ``calctutor.domain.conditions_of`` plus any conditions the caller passes (what
SymPy's automatic evaluation dropped from the typed text: ``sqrt(x)^2`` read as x keeps
x ≥ 0). Odd roots are real roots (``domain.real_roots``): x^(1/3) is real for x < 0.

The search. Points across scales (near 0, moderate, up to |x| ~ 10^3, both signs) and at
the points where the structure changes: where an argument of exp, tanh, log, sqrt, ... or
a domain condition crosses 0 or is extremal (real roots of a polynomial argument and of
its derivative) and a few offsets around them, so a bump ``exp(-(x-15)^2)`` or a boundary
``sqrt(x-100)`` is not missed. Values are computed with mpmath at 30 digits (no overflow
at x = 1000); a mismatch is confirmed with SymPy's adaptive ``evalf`` at 60 digits, and the
difference itself is evaluated adaptively at a few points, so ``sin(x) + 10^-40`` is told
from ``sin(x)``. A float typed by the user stands for a 15-digit value: then values need
only agree to 1e-13 relative plus 1e-13 absolute (``0.1*3*x`` = ``3x/10``, but
``0.333x`` != ``x/3``). Sampling is seeded, so verdicts are reproducible. Unknown functions
(``f(x^2)``) are replaced by fixed transcendental functions before sampling.
"""

from __future__ import annotations

import cmath
import random
import time
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from calctutor.domain import Condition, conditions_of, real_roots, reduce_conditions
from calctutor.errors import InternalError, LimitError
from calctutor.notation import to_text
from calctutor.parsing import parse_expression
from calctutor.results import Reading
from calctutor.sandbox import run_limited, within

SEED = 20261125
DIGITS, CONFIRM_DIGITS = 30, 60
EXACT_TOL = (1e-24, 1e-40)        # (relative, absolute) without floats
FLOAT_TOL = (1e-13, 1e-13)        # with floats: 15-digit round-off passes, 1e-12 does not
VERIFY_DIGITS = 150                # a second, independent evaluation of a mismatch
MAX_WORKING_DIGITS = 2000          # for evalf, when confirming a mismatch
MIN_POINTS = 6                    # points of the first's domain needed for "tested"
MAX_POINTS = 90
PLAIN_FIRST = 4                   # plain points tried before the structure points
SCAN_SECONDS = 1.0                # the whole search; a point that takes too long is skipped
SYMBOLIC_SECONDS = 2.0            # simplify, when sampling could not decide
PROOF_SECONDS = 0.15              # cheap proofs after numeric agreement
ALGEBRA_SECONDS = 0.5             # cancel() of a rational difference
REGION_SECONDS = 0.3              # naming the region where a condition fails
TINY_CHECKS = 2                   # points where the difference is evaluated adaptively
# Magnitudes of the sample points: a spread of scales, none special (0, 1, pi/2, ...).
SCALES = (1.37, 0.53, 2.9, 0.13, 5.3, 0.71, 14.2, 8.9, 37.3, 153.7, 1013.3, 0.23, 3.7, 71.9)
_SCALE_VALUES = {sp.Rational(str(m)) for m in SCALES}
# Offsets around a point where the structure changes (a root of an argument).
OFFSETS = (0, 1, -1, sp.Rational(37, 100), sp.Rational(-37, 100), sp.Rational(13, 1000),
           sp.Rational(-13, 1000), sp.Rational(31, 10), sp.Rational(-31, 10),
           sp.Rational(103, 10), sp.Rational(-103, 10), sp.Rational(317, 10),
           sp.Rational(-317, 10), sp.Rational(1037, 10), sp.Rational(-1037, 10))
MAX_ROOT_DEGREE = 8
# the evidence kinds, by verdict
PROOF_KINDS = ("identical", "rational-identity", "difference-simplifies-to-zero")
DIFFER_KINDS = ("counterexample", "constant-difference", "domain")
TESTED_KINDS = ("sampled", "float-tolerance")


@dataclass(frozen=True)
class Equivalence:
    """A verdict. ``equivalent`` is True (proved or tested), False (differ) or None
    (undecided: never False because of a timeout). ``verdict`` is "proved", "differ",
    "tested" or "undecided"; ``evidence_kind`` says what decided it (``PROOF_KINDS``,
    ``DIFFER_KINDS``, ``TESTED_KINDS``, or "none" when undecided); ``summary`` says it in
    a sentence: the verdict's words (``SUMMARY_HEADS``), then ``detail``, the particulars
    (what was proved, the points tested, the counterexample, what was tried) on their own.
    ``evidence`` names a point where they differ and both values there; ``point`` is that
    point as (name, value) pairs and ``values`` the two values as text."""

    equivalent: bool | None
    method: str
    evidence: str | None = None
    notes: tuple[str, ...] = ()
    point: tuple[tuple[str, str], ...] = ()
    values: tuple[str, str] | None = None
    verdict: str = ""
    evidence_kind: str = ""
    summary: str = ""
    detail: str = ""
    constant: str = ""  # first - second, as shown, when that is a nonzero constant

    def __post_init__(self):
        if not self.verdict:  # built by a caller that only knows True/False/None
            verdict = {True: "proved" if self.method in ("structural", "rational-exact", "symbolic",
                                                        "constant") else "tested",
                       False: "differ", None: "undecided"}[self.equivalent]
            object.__setattr__(self, "verdict", verdict)
        if not self.evidence_kind:
            kind = {"proved": "identical" if self.method == "structural" else
                    "difference-simplifies-to-zero", "differ": "counterexample",
                    "tested": "sampled", "undecided": "none"}[self.verdict]
            object.__setattr__(self, "evidence_kind", kind)
        if self.detail and not self.summary:
            head, tail = SUMMARY_HEADS[self.verdict]
            object.__setattr__(self, "summary", f"{head}: {self.detail}{tail}")


# The words a summary puts around its detail, by verdict: "proved equal: <detail>".
SUMMARY_HEADS = {
    "proved": ("proved equal", ""),
    "tested": ("equal at every point tested", ", no proof found within the time budget"),
    "differ": ("not equal", ""),
    "undecided": ("could not decide", ""),
}


def check_equivalent(expected: sp.Expr, answer: sp.Expr,
                     variables: Sequence[sp.Symbol] | None = None, *,
                     expected_conditions: Sequence[Condition] = (),
                     answer_conditions: Sequence[Condition] = ()) -> Equivalence:
    """Is ``answer`` the same function as ``expected`` wherever ``expected`` is defined?

    ``variables`` fixes the order of the variables (others found in either expression are
    sampled too). Symbols with the same name are the same variable, with the expected
    expression's assumptions (so a plain ``Symbol('x')`` answer meets a real ``x``).
    The conditions are extra domain guards (``calctutor.domain.Condition``), e.g. what
    automatic evaluation dropped from the typed text.
    """
    expected, answer = _as_expr(expected), _as_expr(answer)
    answer, variables, swap = _unify_symbols(expected, answer, variables or ())
    answer_conditions = tuple(Condition(c.kind, c.expr.xreplace(swap)) for c in answer_conditions)
    concrete = tuple(_integral_powers(e) for e in _concrete_functions(expected, answer))
    guarded = {v for c in (*expected_conditions, *answer_conditions) for v in c.expr.free_symbols}
    symbols = _symbols(*concrete, variables + sorted(guarded - set(variables), key=str))
    verdict = _decide(*concrete, symbols, tuple(expected_conditions), answer_conditions)
    if concrete != (expected, answer):
        names = ", ".join(sorted({str(a.func) for e in (expected, answer) for a in e.atoms(AppliedUndef)}))
        verdict = replace(verdict, notes=verdict.notes + (
            f"the unknown functions ({names}) were replaced by fixed functions to compare",))
    return verdict


def equiv(a_text: str, b_text: str, *, variables: Sequence[str] = (),
          positive: bool = False) -> EquivResult:
    """``calctutor equiv``: parse both texts and check them; A is the reference."""
    a = parse_expression(a_text, variables=variables, positive=positive, what="the first expression")
    b = parse_expression(b_text, variables=variables, positive=positive, what="the second expression")
    v = check_equivalent(a.expr, b.expr, expected_conditions=tuple(a.reading.conditions),
                         answer_conditions=tuple(b.reading.conditions))
    return EquivResult(a.reading, b.reading, a.expr, b.expr, v.equivalent, v.method, v.evidence,
                       v.notes, verdict=v.verdict, evidence_kind=v.evidence_kind, summary=v.summary,
                       detail=v.detail)


# ---------------------------------------------------------------------------------------
# Preparing the expressions


def _as_expr(value) -> sp.Expr:
    # sympify would eval a string: only SymPy objects and Python numbers are accepted
    if isinstance(value, sp.Expr):
        return value
    if isinstance(value, (bool, sp.Basic)) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a SymPy expression, got {type(value).__name__}")
    return sp.Integer(value) if isinstance(value, int) else sp.Float(value)


def _unify_symbols(expected, answer, variables):
    """The answer and the variables with the expected expression's symbols, by name."""
    canonical = {s.name: s for s in variables}
    canonical.update({s.name: s for s in expected.free_symbols if isinstance(s, sp.Symbol)})
    swap = {s: canonical[s.name] for s in answer.free_symbols
            if isinstance(s, sp.Symbol) and canonical.get(s.name, s) != s}
    return (answer.xreplace(swap) if swap else answer), [canonical[s.name] for s in variables], swap


def _symbols(expected, answer, variables) -> list[sp.Symbol]:
    rest = (expected.free_symbols | answer.free_symbols) - set(variables)
    return list(dict.fromkeys(variables)) + sorted(rest, key=lambda s: s.name)


def _concrete_functions(expected, answer):
    """Replace unknown functions f, g, ... by fixed transcendental ones, so that identities
    that hold for every f (the chain rule applied to f(x^2)) can be tested by sampling."""
    funcs = sorted({a.func for e in (expected, answer) for a in e.atoms(AppliedUndef)},
                   key=lambda f: str(f))
    if not funcs:
        return expected, answer
    lambdas = {f: _generic_function(k, _arity(f, expected, answer)) for k, f in enumerate(funcs)}

    def concrete(e):
        e = e.replace(lambda a: isinstance(a, AppliedUndef) and a.func in lambdas,
                      lambda a: lambdas[a.func](*a.args))
        return e.doit() if e.has(sp.Derivative, sp.Subs) else e

    return concrete(expected), concrete(answer)


def _integral_powers(e):
    """x^2.0 as x^2: a power that is a whole number, typed as a decimal, is that power."""
    return e.replace(lambda n: n.is_Pow and n.exp.is_Float and float(n.exp).is_integer(),
                     lambda n: sp.Pow(n.base, sp.Integer(int(n.exp))))


def _arity(f, *exprs) -> int:
    return next(len(a.args) for e in exprs for a in e.atoms(AppliedUndef) if a.func == f)


def _generic_function(k: int, n: int) -> sp.Lambda:
    u = sp.symbols(f"u0:{n}", real=True)
    s = sum(sp.Rational(3 + 2 * i + k, 7 + i) * ui for i, ui in enumerate(u))
    return sp.Lambda(u, sp.exp(s * sp.Rational(2, 5 + k)) / (3 + k)
                     + sp.sin(s + sp.Rational(2, 5)) + s**3 / (11 + k))


def _has_float(e) -> bool:
    return bool(e.atoms(sp.Float))


def _is_undefined(v) -> bool:
    return v.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


# ---------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class _Value:
    """An expression's value at a point: real, non-real or undefined (``cond`` is the
    domain condition that fails there, when one does)."""

    kind: str  # "real", "complex", "undefined"
    re: object = None  # an mpf
    cond: Condition | None = None


UNDEFINED = _Value("undefined")


class _Function:
    """One side, ready for evaluation at many points: its domain conditions and its value,
    compiled to mpmath (odd roots real), with SymPy's evalf as the fallback."""

    def __init__(self, expr, conditions, symbols, tol):
        self.expr, self.symbols, self.tol = expr, symbols, tol
        self.real = real_roots(expr)
        self.conditions = reduce_conditions(list(conditions_of(expr)) + list(conditions))
        self.compiled = _compile(self.real, symbols)
        self.guards = [(c, real_roots(c.expr)) for c in self.conditions]
        self.guards = [(c, e, _compile(e, symbols)) for c, e in self.guards]

    def at(self, point, digits: int = DIGITS) -> _Value:
        args = [_mpf(point[s], digits) for s in self.symbols]
        with mpmath.workdps(digits):
            for c, expr, guard in self.guards:
                v = _run(guard, args, expr, point, digits, self.tol)
                if v.kind != "real" or not c.holds(v.re):
                    return _Value("undefined", cond=c)
            return _run(self.compiled, args, self.real, point, digits, self.tol)

    def precise(self, point) -> _Value | None:
        """The value when two independent evaluations vouch for it, else None: SymPy's
        adaptive evalf, which tracks the accuracy it reached (cosh(x)^2 - sinh(x)^2 at
        x = 1000 loses 870 digits to cancellation), and mpmath at VERIFY_DIGITS, which must
        agree (exp of a huge argument, as x^x^x at x = 37, is ill-conditioned: its 60-digit
        value is wrong in the 7th digit although evalf claims more)."""
        v = self.at(point, CONFIRM_DIGITS)
        if v.kind != "real":
            return v
        adaptive = _evalf(self.real, point, CONFIRM_DIGITS, self.tol, strict=True)
        check = self.at(point, VERIFY_DIGITS)
        if adaptive is None or adaptive.kind != "real" or check.kind != "real" or \
                not _agree(adaptive, check, EXACT_TOL):
            return None
        return adaptive


def _compile(expr, symbols):
    try:
        # no docstring: printing the expression for it costs more than the compilation
        return sp.lambdify(symbols, expr, modules="mpmath", docstring_limit=0)
    except Exception:  # noqa: BLE001 - anything lambdify cannot print is evaluated by evalf
        return None


def _mpf(q, digits):
    with mpmath.workdps(digits + 10):
        return mpmath.mpf(q.p) / q.q if isinstance(q, sp.Rational) else mpmath.mpf(str(q))


def _run(fn, args, expr, point, digits, tol) -> _Value:
    """The compiled function at the point; SymPy's evalf where it cannot say."""
    if fn is None:
        return _evalf(expr, point, digits, tol)
    try:
        v = fn(*args)
    except ZeroDivisionError:
        return UNDEFINED
    except (ArithmeticError, ValueError, TypeError, NameError, AttributeError, RecursionError):
        return _evalf(expr, point, digits, tol)
    return _classify(v, tol)


def _classify(v, tol) -> _Value:
    try:
        v = mpmath.mpmathify(v)
    except (TypeError, ValueError):
        return UNDEFINED
    if not mpmath.isfinite(v):
        return UNDEFINED
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > tol[0] * abs(v.real) + tol[1]:
            return _Value("complex", v.real)
        v = v.real
    return _Value("real", v)


def _evalf(expr, point, digits, tol=EXACT_TOL, strict: bool = False) -> _Value | None:
    """``expr`` at ``point`` by SymPy (adaptive precision; exact substitution spots poles).
    ``strict``: None unless the value is known to at least half the digits."""
    try:
        v = expr.evalf(digits, subs=point, maxn=MAX_WORKING_DIGITS if strict else 100)
        if strict and v.is_number and not _accurate(v, digits):
            return None
        if not v.is_number or _is_undefined(v):
            v = expr.xreplace(point)
            if _is_undefined(v):
                return UNDEFINED
            v = v.evalf(digits)
        if not v.is_number or _is_undefined(v):
            return UNDEFINED
        re, im = v.as_real_imag()
        with mpmath.workdps(digits):
            return _classify(mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im)), tol)
    except (ArithmeticError, ValueError, TypeError, RecursionError, AttributeError):
        return UNDEFINED


def _accurate(v, digits) -> bool:
    bits = digits * 3.32 / 2
    re, im = v.as_real_imag()
    return all(not part.is_Float or part == 0 or part._prec >= bits for part in (re, im)) and \
        not (re.is_Float and re == 0 and re._prec < bits)


def _agree(e: _Value, a: _Value, tol) -> bool:
    return a.kind == "real" and abs(e.re - a.re) <= tol[0] * max(abs(e.re), abs(a.re)) + tol[1]


# ---------------------------------------------------------------------------------------
# Sample points


def _points(expected, answer, conditions, symbols, rng: random.Random) -> list[dict]:
    """The search plan: a few plain points first (a difference found there is the easiest
    evidence for a learner to check: x = 1.37 rather than x = -1.14471424255), then the
    structure points (where differences hide), then the other scales."""
    structure = _structure_points(expected, answer, conditions, symbols, rng)
    spread = _spread_points(symbols, rng)
    out, seen = [], set()
    for p in spread[:PLAIN_FIRST] + structure + spread[PLAIN_FIRST:]:
        key = tuple(p[s] for s in symbols)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out[:MAX_POINTS]


def _sign(symbol, negative: bool) -> int:
    if symbol.is_nonnegative:
        return 1
    if symbol.is_nonpositive:
        return -1
    return -1 if negative else 1


def _allowed(symbol, value) -> bool:
    return not ((symbol.is_positive and value <= 0) or (symbol.is_nonnegative and value < 0)
                or (symbol.is_negative and value >= 0) or (symbol.is_nonpositive and value > 0))


def _decimal(magnitude, sign: int) -> sp.Rational:
    return sp.Rational(sign) * sp.Rational(str(magnitude))


def _spread_points(symbols, rng) -> list[dict]:
    """Both signs of every scale in one variable; in several, scales and signs mixed."""
    n = len(SCALES)
    if len(symbols) == 1:
        s = symbols[0]
        pts = [{s: _decimal(m, _sign(s, neg))} for m in SCALES for neg in (False, True)]
        return pts
    pts = []
    for i in range(2 * n):
        point = {}
        for j, s in enumerate(symbols):
            m = SCALES[(i + 5 * j) % n] if i < n else SCALES[rng.randrange(n)]
            negative = bool((i >> j) & 1) if j < 4 else rng.random() < 0.5
            point[s] = _decimal(m, _sign(s, negative))
        pts.append(point)
    return pts


def _structure_args(expr) -> list:
    """Arguments whose sign or extremum changes the shape: of functions, of non-integer
    powers and their exponents, of poles, of pieces."""
    found = []
    for node in sp.preorder_traversal(expr):
        if not getattr(node, "free_symbols", None) or node.is_Symbol:
            continue
        if isinstance(node, sp.Pow):
            if not node.exp.is_Integer or node.exp.is_negative:
                found.append(node.base)
            if node.exp.free_symbols:
                found.append(node.exp)
        elif isinstance(node, (sp.Max, sp.Min)) and len(node.args) == 2:
            found.append(node.args[0] - node.args[1])
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                if isinstance(cond, sp.core.relational.Relational):
                    found.append(cond.lhs - cond.rhs)
        elif isinstance(node, sp.Function) and not isinstance(node, AppliedUndef):
            found.extend(a for a in node.args if a.free_symbols)
    return found


def _condition_args(conditions) -> list:
    out = []
    for c in conditions:
        u = c.expr
        if c.kind in ("unit", "open_unit", "outside_unit", "outside_open_unit"):
            out += [u - 1, u + 1]
        elif c.kind == "at_least_one":
            out.append(u - 1)
        elif c.kind == "half_open_unit":
            out += [u, u - 1]
        else:
            out.append(u)
    return out


def _structure_points(expected, answer, conditions, symbols, rng) -> list[dict]:
    args = list(dict.fromkeys(_structure_args(expected) + _structure_args(answer)
                              + _condition_args(conditions)))
    if not args:
        return []
    if len(symbols) == 1:
        bases = [{}]
    else:  # the other variables fixed at a few values, one variable solved for
        bases = [{s: _decimal(SCALES[(i + 3 * j) % len(SCALES)], _sign(s, (i + j) % 2 == 1))
                  for j, s in enumerate(symbols)} for i in range(2)]
    roots: list[tuple[dict, sp.Symbol]] = []
    for _ in range(1 if len(symbols) == 1 else 2):  # in several variables, solve twice:
        found = []                                  # x where the shape changes, then y there
        for u in args[:24]:
            for base in bases:
                for s in symbols:
                    if s not in u.free_symbols:
                        continue
                    v = u.xreplace({k: val for k, val in base.items() if k != s})
                    found += [({**base, s: r}, s) for r in _critical_values(v, s)]
        roots += found
        bases = [p for p, _ in found[:6]]
    out = []
    for off in OFFSETS if len(symbols) == 1 else OFFSETS[:5]:
        for p, s in roots:  # every root's own point first, then its neighbours
            if _allowed(s, p[s] + off):
                out.append({**p, s: p[s] + off})
    return out


@lru_cache(maxsize=1024)
def _critical_values(u, x) -> tuple:
    """Real roots of a polynomial (or rational) ``u`` in ``x`` and of its derivative, as
    exact rationals (exact roots kept exactly, others to 12 digits)."""
    if u.free_symbols != {x}:
        return ()
    num, den = sp.fraction(sp.together(u))
    found = []
    for part in (num, den):
        if not part.has(x) or not part.is_polynomial(x):
            continue
        try:
            poly = sp.Poly(part, x)
            if not poly.domain.is_Numerical:  # coefficients with pi, e, sqrt(2): as decimals
                poly = sp.Poly(part.evalf(20), x)
        except (sp.PolificationFailed, sp.PolynomialError):
            continue
        if poly.degree() > MAX_ROOT_DEGREE or not poly.domain.is_Numerical:
            continue
        for p in (poly, poly.diff(x)) if poly.degree() >= 2 else (poly,):
            if p.degree() < 1:
                continue
            try:
                rs = p.nroots(n=15)
            except (sp.polys.polyerrors.PolynomialError, ValueError, mpmath.libmp.NoConvergence):
                continue
            for r in rs:
                if abs(sp.im(r)) > 1e-9:
                    continue
                found.append(_nice_root(p, sp.re(r), x))
    return tuple(dict.fromkeys(found))


def _nice_root(poly, r, x) -> sp.Rational:
    q = sp.Rational(float(r)).limit_denominator(1000)
    if poly.eval(q) == 0:
        return q
    return sp.Rational(format(float(r), ".12g"))


def _show_point(v) -> str:
    if isinstance(v, sp.Integer):
        return str(v)
    if isinstance(v, sp.Rational) and 10**12 % v.q == 0:
        return format(float(v), ".15g")
    return str(v)


# ---------------------------------------------------------------------------------------
# The decision


def _proved(method, kind, detail, notes=()) -> Equivalence:
    return Equivalence(True, method, None, _unique(notes), verdict="proved", evidence_kind=kind,
                       detail=detail)


def _decide(expected, answer, symbols, expected_conditions, answer_conditions) -> Equivalence:
    floats = _has_float(expected) or _has_float(answer)
    tol = FLOAT_TOL if floats else EXACT_TOL
    if not symbols:
        return _numbers(expected, answer, floats, tol)
    first = _Function(expected, expected_conditions, symbols, tol)
    second = _Function(answer, answer_conditions, symbols, tol)
    extra = [c for c in second.conditions if c not in first.conditions]
    difference = expected - answer
    if difference == 0 and not extra:
        return _proved("structural", "identical", "identical after SymPy's canonical form")
    points = _points(expected, answer, first.conditions + second.conditions, symbols,
                     random.Random(SEED))
    proof = None
    if difference == 0:
        proof = ("structural", "identical", "identical after SymPy's canonical form")
    elif not difference.free_symbols and not floats:
        value = _constant_value(difference)
        if value is not None:
            return _constant_differ(difference, value, first, second, points)
    elif not floats and all(e.is_rational_function(*symbols) for e in (expected, answer)):
        cancelled = within(ALGEBRA_SECONDS, lambda: sp.cancel(sp.together(difference)))
        if cancelled == 0:
            proof = ("rational-exact", "rational-identity",
                     "the difference cancels to 0 (an identity of rational functions)")
        elif cancelled is not None:
            found = _rational_counterexample(expected, answer, first, second, points)
            if found is not None:
                return found
    scan = _Scan(first, second, symbols, tol).run(points, stop_at_mismatch=proof is None)
    if scan.mismatch is not None and proof is None:
        return _differ("numeric", "counterexample", *scan.mismatch, notes=scan.domain_notes())
    if scan.region is not None:
        return _domain_differ(scan, symbols, proof)
    if proof is not None:
        return _proved(*proof, notes=scan.isolated_notes())
    if len(scan.agreed) < MIN_POINTS:
        return _symbolic_check(expected, answer, scan)
    cheap = _cheap_proof(difference)
    if cheap is not None:
        return _proved("symbolic", "difference-simplifies-to-zero", f"the difference {cheap} to 0",
                       notes=scan.isolated_notes())
    if not floats:
        tiny = _tiny_difference(first, second, scan.agreed[:TINY_CHECKS])
        if tiny is not None:
            return tiny
    return Equivalence(True, "numeric", None, _unique(scan.isolated_notes()), verdict="tested",
                       evidence_kind="sampled", detail=scan.tested_detail())


_SKIPPED, _STOP = object(), object()


class _Scan:
    """Both sides at every point of the plan: agreements, the first confirmed mismatch,
    and the points where only one side is defined (a region, or isolated points)."""

    def __init__(self, first: _Function, second: _Function, symbols, tol):
        self.first, self.second, self.symbols, self.tol = first, second, symbols, tol
        self.agreed: list[dict] = []
        self.tried = 0
        self.mismatch = None       # (point, first value, second value)
        self.region = None         # (point, first value, second value)
        self.isolated_second: list[dict] = []
        self.isolated_first: list[dict] = []
        self.points: list[dict] = []
        self.out_of_time = False

    def run(self, points, stop_at_mismatch: bool = True) -> "_Scan":
        """Visit the points in order, within SCAN_SECONDS in all (a point whose values
        take too long, such as x^x^x at x = 1000, is skipped: it decides nothing)."""
        self.points = points
        deadline = time.monotonic() + SCAN_SECONDS
        for p in points:
            left = deadline - time.monotonic()
            if left <= 0:
                self.out_of_time = True
                break
            self.tried += 1
            if within(left, self._visit, p, default=_SKIPPED) is _STOP and stop_at_mismatch:
                break
        return self

    def _visit(self, p):
        e = self.first.at(p)
        if e.kind != "real":
            if len(self.symbols) == 1 and self.second.at(p).kind == "real" and \
                    self._isolated(p, self.first):
                self.isolated_first.append(p)
            return None
        a = self.second.at(p)
        if a.kind != "real":
            if self._isolated(p, self.second):
                self.isolated_second.append(p)
            elif self.region is None or _plainer(p, self.region[0]):
                self.region = (p, e, a)
            return None
        if not _agree(e, a, self.tol):
            e2, a2 = self.first.precise(p), self.second.precise(p)
            if e2 is None or a2 is None:
                return None  # no value to trust here: neither agreement nor evidence
            if e2.kind == "real" and a2.kind == "real" and not _agree(e2, a2, self.tol):
                if self.mismatch is None:
                    self.mismatch = (p, e2, a2)
                return _STOP
        self.agreed.append(p)
        return None

    def _isolated(self, p, side: _Function) -> bool:
        """Is ``side`` defined at every point near ``p`` taken in a general direction (all
        coordinates moved at once), so that its gap at p is a point, or a curve or surface
        with no area, as x ≠ 0 is in the (x, y) plane, rather than a region?"""
        n = len(self.symbols)
        for k in range(2 * n if n > 1 else 2):
            q = dict(p)
            for j, s in enumerate(self.symbols):
                sign = -1 if (k >> j) & 1 else 1
                q[s] = p[s] + sign * (1 + sp.Rational(37, 100) * j) * \
                    sp.Rational(1, 1000) * max(1, abs(p[s]))
            if side.at(q).kind != "real" and (side is self.first or self.first.at(q).kind == "real"):
                return False
        return True

    def isolated_notes(self) -> list[str]:
        if len(self.symbols) > 1:  # the gap is a curve or a surface: name one point of it
            return [f"equal except on a set with no area where the {which} expression is "
                    f"undefined, such as {_at(p)}"
                    for which, gaps in (("second", self.isolated_second), ("first", self.isolated_first))
                    for p in gaps[:1]]
        notes = [f"equal except at {_at(p)}, where the second expression is undefined"
                 for p in self.isolated_second]
        notes += [f"equal except at {_at(p)}, where the first expression is undefined"
                  for p in self.isolated_first]
        return notes

    def domain_notes(self) -> list[str]:
        if self.region is None:
            return []
        p, e, _ = self.region
        return [f"the second expression is also undefined at {_at(p)}, where the first is "
                f"{_show(e.re, 6)}"]

    def ranges(self, points) -> str:
        parts = []
        for s in self.symbols:
            values = [p[s] for p in points]
            if values:
                parts.append(f"{s} from {_show_point(min(values))} to {_show_point(max(values))}")
        return ", ".join(parts)

    def tested_detail(self) -> str:
        """The points of an equal-everywhere search: how many, and where."""
        stopped = f" (the search stopped after {SCAN_SECONDS:g} s)" if self.out_of_time else ""
        return f"{len(self.agreed)} points, {self.ranges(self.agreed)}{stopped}"


def _plainer(p, q) -> bool:
    """Is ``p`` a better point to show than ``q``: one of the spread points (not on a
    boundary), where ``q`` is not?"""
    def plain(point):
        return bool(point) and all(abs(v) in _SCALE_VALUES for v in point.values())
    return plain(p) and not plain(q)


def _at(point) -> str:
    return ", ".join(f"{s} = {_show_point(v)}" for s, v in point.items())


def _constant_value(difference):
    """The nonzero value of a constant, as an mpf, or None when it is 0 (as far as 400
    digits of adaptive evaluation can tell). Non-real constants count as nonzero."""
    try:
        v = difference.evalf(DIGITS, maxn=400)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return None
    re, im = v.as_real_imag()
    for part in (re, im):
        if part.is_Float and part != 0 and part._prec >= 50:
            with mpmath.workdps(DIGITS):
                return mpmath.mpf(re)
    return None


def _constant_differ(difference, value, first, second, points) -> Equivalence:
    shown = to_text(difference)
    if len(shown) > 12 or not difference.is_Rational:
        shown = (shown + " ≈ " if len(shown) <= 24 else "") + _show(value, 6)
    text = f"first - second is the constant {shown}, not 0"
    p = _common_point(first, second, points)
    if p is not None:
        differ = _differ("constant", "constant-difference", p, first.at(p, CONFIRM_DIGITS),
                         second.at(p, CONFIRM_DIGITS), delta=-value)
        return replace(differ, evidence=f"{text}: {differ.evidence}", summary="", detail=text,
                       constant=shown)
    return Equivalence(False, "constant", text, verdict="differ",
                       evidence_kind="constant-difference", detail=text, constant=shown)


def _common_point(first, second, points):
    """A point where both are defined, one of the spread points if possible, found within
    SCAN_SECONDS."""
    def both(p):
        return first.at(p).kind == "real" and second.at(p).kind == "real"

    deadline, found = time.monotonic() + SCAN_SECONDS, None
    for p in points:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if within(left, both, p, default=False):
            if _plainer(p, {}):
                return p
            found = found or p
    return found


def _rational_counterexample(expected, answer, first, second, points) -> Equivalence | None:
    """An exact rational point where both are defined and differ."""
    for p in points:
        if first.at(p).kind != "real" or second.at(p).kind != "real":
            continue
        e, a = expected.xreplace(p), answer.xreplace(p)
        if e.is_Rational and a.is_Rational and e != a:
            with mpmath.workdps(DIGITS + 10):
                ev, av = _Value("real", mpmath.mpf(e.p) / e.q), _Value("real", mpmath.mpf(a.p) / a.q)
            return _differ("rational-exact", "counterexample", p, ev, av)
    return None


def _domain_differ(scan: _Scan, symbols, proof) -> Equivalence:
    p, e, a = scan.region
    what = "not defined" if a.kind == "undefined" else "not a real number"
    region = _region_text(a.cond, symbols[0]) if a.cond is not None and len(symbols) == 1 else None
    if region:
        evidence = (f"the second expression is {what} for {region}, where the first is "
                    f"defined: at {_at(p)} the first is {_show(e.re, 6)}")
    else:
        fails = f" ({a.cond.text(to_text)} fails there)" if a.cond is not None else ""
        evidence = (f"the second expression is {what} at {_at(p)} and around it{fails}, "
                    f"where the first is {_show(e.re, 6)}")
    if proof is not None:
        agree = f"where both are defined they are equal ({proof[2]})"
    elif scan.agreed:
        agree = (f"where both are defined they agree: equal at every point tested "
                 f"({len(scan.agreed)} points, {scan.ranges(scan.agreed)})")
    else:
        agree = ""
    values = (_show(e.re, 6), "undefined" if a.kind == "undefined" else "not a real number")
    return Equivalence(False, "domain", evidence, _unique(([agree] if agree else [])),
                       tuple((str(s), _show_point(v)) for s, v in p.items()), values,
                       verdict="differ", evidence_kind="domain", detail=evidence)


# where each kind of condition fails, as intervals of its expression u: (lo, hi, lo open, hi open)
_FAILS = {
    "nonzero": [(0, 0, False, False)],
    "nonnegative": [(-sp.oo, 0, True, True)],
    "positive": [(-sp.oo, 0, True, False)],
    "unit": [(-sp.oo, -1, True, True), (1, sp.oo, True, True)],
    "open_unit": [(-sp.oo, -1, True, False), (1, sp.oo, False, True)],
    "at_least_one": [(-sp.oo, 1, True, True)],
    "outside_unit": [(-1, 1, True, True)],
    "outside_open_unit": [(-1, 1, False, False)],
    "half_open_unit": [(-sp.oo, 0, True, False), (1, sp.oo, True, True)],
}


def _region_text(cond: Condition, x) -> str | None:
    """Where ``cond`` fails, in one variable: 'x < 0', 'x < -1 or x > 1' (None if unknown).
    Exact for an expression linear in x; for a rational one, solveset within REGION_SECONDS."""
    u = cond.expr
    if u.is_polynomial(x) and sp.degree(u, x) == 1:
        m, c = sp.Poly(u, x).all_coeffs()
        pieces = []
        for lo, hi, lo_open, hi_open in _FAILS[cond.kind]:
            a, b = (lo - c) / m, (hi - c) / m
            pieces.append(sp.Interval(a, b, lo_open, hi_open) if m > 0
                          else sp.Interval(b, a, hi_open, lo_open))
        return _set_text(sp.Union(*pieces), x)
    if not u.is_rational_function(x):
        return None  # periodic and other solution sets: not reliably described

    def solve():
        sets = []
        for lo, hi, lo_open, hi_open in _FAILS[cond.kind]:
            sets.append(sp.solveset(sp.And(u < hi if hi_open else u <= hi,
                                           u > lo if lo_open else u >= lo), x, sp.S.Reals)
                        if lo != hi else sp.solveset(sp.Eq(u, lo), x, sp.S.Reals))
        return sp.Union(*sets)

    try:
        found = within(REGION_SECONDS, solve)
    except (NotImplementedError, ValueError, TypeError):
        return None
    return _set_text(found, x) if found is not None else None


def _set_text(s, x) -> str | None:
    if isinstance(s, sp.Union):
        parts = [_set_text(a, x) for a in s.args]
        return None if None in parts else " or ".join(parts)
    if isinstance(s, sp.Interval):
        lo, hi = s.start, s.end
        left = "<" if s.left_open else "≤"
        right = "<" if s.right_open else "≤"
        if lo == -sp.oo and hi == sp.oo:
            return "every x"
        if lo == -sp.oo:
            return f"{x} {right} {to_text(hi)}"
        if hi == sp.oo:
            return f"{x} {'>' if s.left_open else '≥'} {to_text(lo)}"
        return f"{to_text(lo)} {left} {x} {right} {to_text(hi)}"
    if isinstance(s, sp.FiniteSet) and len(s) <= 4:
        return " or ".join(f"{x} = {to_text(v)}" for v in s)
    return None


def _numbers(expected, answer, floats, tol) -> Equivalence:
    """Two constants: decided exactly (or to 400 digits) unless a float is involved."""
    difference = expected - answer
    if difference == 0:
        return _proved("structural", "identical", "identical after SymPy's canonical form")
    e, a = _evalf(expected, {}, DIGITS, tol), _evalf(answer, {}, DIGITS, tol)
    if e.kind != "real":
        return _symbolic_check(expected, answer, None)
    if floats:
        if _agree(e, a, tol):
            return Equivalence(True, "numeric", verdict="tested", evidence_kind="float-tolerance",
                               summary="equal to the 15 significant digits a decimal carries")
        return _differ("numeric", "counterexample", {}, e, a)
    value = _constant_value(difference)
    if value is not None:
        return _differ("constant", "constant-difference", {}, _evalf(expected, {}, CONFIRM_DIGITS),
                       _evalf(answer, {}, CONFIRM_DIGITS), delta=-value)
    how = _cheap_proof(difference, constant=True)
    if how is not None:
        return _proved("symbolic", "difference-simplifies-to-zero", f"the difference {how} to 0")
    return Equivalence(True, "numeric", verdict="tested", evidence_kind="sampled",
                       summary="equal to more than 100 digits, without a proof")


_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh, sp.coth,
         sp.sech, sp.csch, sp.exp)


def _has_denominator(d) -> bool:
    return any(p.exp.is_negative for p in d.atoms(sp.Pow))


def _has_trig_of_sum(d) -> bool:
    return any(f.args[0].is_Add for f in d.atoms(sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh))


# (how, when it is worth trying, the rewrite that should give 0)
_TACTICS = (
    ("expands", lambda d: True, sp.expand),
    ("cancels", _has_denominator, lambda d: sp.cancel(sp.together(d))),
    ("written with exponentials, cancels", lambda d: d.has(*_TRIG),
     lambda d: sp.cancel(sp.expand(d.rewrite(sp.exp)))),
    ("with trigonometric sums expanded, cancels", _has_trig_of_sum,
     lambda d: sp.cancel(sp.expand(sp.expand_trig(d).rewrite(sp.exp)))),
)
_CONSTANT_TACTICS = (("denests", lambda d: True, sp.sqrtdenest),
                     ("simplifies", lambda d: True, sp.radsimp),
                     ("simplifies", lambda d: True, sp.simplify))


def _cheap_proof(difference, constant: bool = False) -> str | None:
    """How the difference was shown to be 0 within PROOF_SECONDS, or None."""
    if sp.count_ops(difference) > 80:
        return None
    deadline = time.monotonic() + PROOF_SECONDS
    for how, worth, tactic in _CONSTANT_TACTICS if constant else _TACTICS:
        if not worth(difference):
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            if within(left, _is_zero, tactic, difference, default=False):
                return how
        except (ArithmeticError, ValueError, TypeError, AttributeError, NotImplementedError,
                RecursionError, sp.PolynomialError):
            continue
    return None


def _is_zero(tactic, difference) -> bool:
    return tactic(difference) == 0


def _tiny_difference(first: _Function, second: _Function, points) -> Equivalence | None:
    """The difference evaluated adaptively (relative accuracy of the difference itself), to
    catch what no fixed tolerance can: sin(x) + 10^-40 against sin(x)."""
    difference = first.real - second.real
    for p in points:
        v = within(0.2, difference.evalf, DIGITS, subs=p)
        if v is None or not v.is_number:
            continue
        re, im = v.as_real_imag()
        if re.is_Float and re != 0 and re._prec > 50 and abs(im) <= abs(re):
            e = within(0.5, first.precise, p)
            a = within(0.5, second.precise, p) if e is not None else None
            if e is not None and a is not None and e.kind == a.kind == "real":
                with mpmath.workdps(DIGITS):
                    return _differ("numeric", "counterexample", p, e, a, delta=-mpmath.mpf(re))
    return None


def _symbolic_check(expected, answer, scan: _Scan | None) -> Equivalence:
    """``simplify(expected - answer) == 0`` under hard limits; a timeout means undecided."""
    try:
        # run_limited is the hard limit; within keeps it bounded even without a sandbox
        proved = run_limited(within, SYMBOLIC_SECONDS, _simplifies_to_zero, expected - answer,
                             default=None, timeout=SYMBOLIC_SECONDS + 1.0)
    except (LimitError, InternalError):
        proved = None
    notes = scan.isolated_notes() if scan is not None else []
    if proved:
        return _proved("symbolic", "difference-simplifies-to-zero", "the difference simplifies to 0",
                       notes=notes)
    if scan is None:
        tried = "the first expression is not a real number"
    elif not scan.agreed:
        tried = (f"none of the {scan.tried} points tried ({scan.ranges(scan.points)}) is where "
                 f"the first expression is defined")
    else:
        tried = (f"only {len(scan.agreed)} of the {scan.tried} points tried "
                 f"({scan.ranges(scan.points)}) are where both expressions are defined "
                 f"({scan.ranges(scan.agreed)}), and they agree there")
    v = Equivalence(None, "undecided", None, verdict="undecided", evidence_kind="none",
                    detail=f"{tried}; no symbolic proof within {SYMBOLIC_SECONDS:g} s")
    return replace(v, notes=_unique(notes + [v.summary]))


def _simplifies_to_zero(difference) -> bool:
    return sp.simplify(difference) == 0


# ---------------------------------------------------------------------------------------
# Evidence and notes


def _differ(method: str, kind: str, point, e: _Value, a: _Value, notes=(),
            delta=None) -> Equivalence:
    """``delta`` is second - first when it is known more accurately than the two values."""
    where = tuple((str(s), _show_point(v)) for s, v in point.items())
    first, second = _show_pair(e, a, delta)
    at = ", ".join(f"{n} = {v}" for n, v in where)
    evidence = f"at {at}: first = {first}, second = {second}" if at else \
        f"first = {first}, second = {second}"
    if a.kind == "real" and len(first) > 16 and not second.startswith("first"):
        evidence += f" (they differ by {_show(abs(e.re - a.re), 3)})"
    return Equivalence(False, method, evidence, _unique(notes), where, (first, second),
                       verdict="differ", evidence_kind=kind, detail=evidence)


def _show_pair(e: _Value, a: _Value, delta=None) -> tuple[str, str]:
    """Both values to 6 significant digits, or as many as it takes to tell them apart
    (up to 25); beyond that, the second as the first plus their difference."""
    if a.kind != "real":
        return _show(e.re, 6), ("undefined" if a.kind == "undefined" else "not a real number")
    for digits in (6, 10, 15, 25):
        first, second = _show(e.re, digits), _show(a.re, digits)
        if first != second:
            return first, second
    d = a.re - e.re if delta is None else delta
    sign = "-" if d < 0 else "+"
    return _show(e.re, 15), f"first {sign} {_show(abs(d), 3)}"


def _show(v, digits: int) -> str:
    with mpmath.workdps(digits + 5):
        text = mpmath.nstr(mpmath.mpf(v), digits)
    return text[:-2] if text.endswith(".0") else text


def _unique(notes) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in notes if n))


# ---------------------------------------------------------------------------------------
# A cheap look before a full check

# Probe points: a variable's value depends only on its name (so each expression is probed
# once, cached), is far from the special points (0, ±1, pi/2, ...) of the usual functions,
# and differs from other names' values (a 10^6-way hash; x = y would hide x^2 y vs x y^2).


def quick_differ(expected: sp.Expr, answer: sp.Expr, rel: float = 1e-6,
                 absolute: float = 1e-9, probe: int = 0) -> bool:
    """True when a probe point proves the two different: both are real there and further
    apart than ``rel`` (relative) plus ``absolute``. False means "maybe equal": run
    ``check_equivalent``. (Used to rule out most candidate mistakes in microseconds.)
    ``probe`` picks one of several fixed probe points."""
    if not isinstance(expected, sp.Expr) or not isinstance(answer, sp.Expr):
        return False
    e, a = probe_value(expected, probe), probe_value(answer, probe)
    if e is None or a is None:
        return False
    return abs(e - a) > rel * max(abs(e), abs(a)) + absolute


def _probe_point(symbols, probe: int) -> dict:
    point = {}
    for s in symbols:
        k = zlib.crc32(f"{s.name}/{probe}".encode()) % 10**6
        point[s] = sp.Float(_sign(s, False) * (0.55 + 0.9 * k / 10**6), 15)
    return point


@lru_cache(maxsize=4096)
def probe_value(expr: sp.Expr, probe: int = 0) -> float | None:
    """``expr`` at probe point ``probe`` as a float; None when not a finite real there.
    Python complex arithmetic on the tree (microseconds); SymPy for anything else."""
    point = _probe_point(expr.free_symbols, probe)
    try:
        c = _fast(expr, point)
    except _Unsupported:
        c = _slow(expr, point)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return None
    if c is None or c != c or abs(c.imag) > 1e-9 * max(1.0, abs(c.real)) or \
            abs(c.real) == float("inf"):
        return None
    return c.real


def _slow(expr, point) -> complex | None:
    try:
        v = expr.xreplace(point).evalf(15)
        if not v.is_number or _is_undefined(v):
            return None
        return complex(v)
    except (ArithmeticError, ValueError, TypeError, RecursionError, AttributeError):
        return None


class _Unsupported(Exception):
    pass


def _sec(z):
    return 1 / cmath.cos(z)


_FAST = {
    sp.sin: cmath.sin, sp.cos: cmath.cos, sp.tan: cmath.tan, sp.exp: cmath.exp,
    sp.log: cmath.log, sp.asin: cmath.asin, sp.acos: cmath.acos, sp.atan: cmath.atan,
    sp.sinh: cmath.sinh, sp.cosh: cmath.cosh, sp.tanh: cmath.tanh, sp.asinh: cmath.asinh,
    sp.acosh: cmath.acosh, sp.atanh: cmath.atanh, sp.sec: _sec,
    sp.csc: lambda z: 1 / cmath.sin(z), sp.cot: lambda z: 1 / cmath.tan(z),
    sp.sech: lambda z: 1 / cmath.cosh(z), sp.csch: lambda z: 1 / cmath.sinh(z),
    sp.coth: lambda z: 1 / cmath.tanh(z), sp.Abs: lambda z: complex(abs(z)),
}


def _fast(e, point) -> complex:
    """``e`` at ``point`` in Python complex arithmetic (principal branches, as SymPy)."""
    if e.is_Symbol:
        return complex(float(point[e]))
    if e.is_Number or isinstance(e, sp.NumberSymbol):
        return complex(float(e)) if e.is_real else complex(e)
    if e.is_Add:
        return sum((_fast(a, point) for a in e.args), 0j)
    if e.is_Mul:
        out = 1 + 0j
        for a in e.args:
            out *= _fast(a, point)
        return out
    if e.is_Pow:
        base = _fast(e.base, point)
        if e.exp.is_Integer:
            return base ** int(e.exp)
        if base == 0:
            return 0j if e.exp.is_positive else complex("nan")
        return cmath.exp(_fast(e.exp, point) * cmath.log(base))
    fn = _FAST.get(e.func)
    if fn is not None and len(e.args) == 1:
        return fn(_fast(e.args[0], point))
    if e.func is sp.sign and len(e.args) == 1:
        z = _fast(e.args[0], point)
        return complex((z.real > 0) - (z.real < 0)) if abs(z.imag) < 1e-12 else complex("nan")
    raise _Unsupported


@dataclass(frozen=True)
class EquivResult:
    """Whether two expressions are equal (``equivalent`` is None when it could not be decided).

    ``verdict`` is "proved", "differ", "tested" (equal at every point of a search, no proof)
    or "undecided"; ``evidence_kind`` says what decided it and ``summary`` says it in a
    sentence. ``evidence`` names a point where they differ and both values there (or the
    region where only one is defined); ``notes`` carry caveats (e.g. "equal except at x = 1,
    where the first expression is undefined").
    """

    a: Reading
    b: Reading
    a_expr: sp.Expr
    b_expr: sp.Expr
    equivalent: bool | None
    method: str
    evidence: str | None = None
    notes: tuple[str, ...] = field(default=())
    verdict: str = ""
    evidence_kind: str = ""
    summary: str = ""
    detail: str = ""  # the summary's particulars, without the verdict's words

    def to_json(self) -> dict:
        out = {"equivalent": self.equivalent, "method": self.method, "evidence": self.evidence}
        if self.verdict:
            out["verdict"] = self.verdict
            out["evidence_kind"] = self.evidence_kind
            out["summary"] = self.summary
        if self.notes:
            out["notes"] = list(self.notes)
        return out
