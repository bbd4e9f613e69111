"""Are two expressions the same function? A pipeline that is sound and fast.

1. **structural**: equal as SymPy trees (after SymPy's automatic evaluation);
2. **rational-exact**: rational functions with rational coefficients are evaluated exactly
   at rational points (no float cancellation: an expanded ``(x+y)^30`` defeats 30 digits);
3. **numeric**: real points in the domain of the EXPECTED expression, evaluated at 30
   digits and re-checked at 60 on a mismatch; the point where they differ is the evidence;
4. **symbolic**: ``simplify(a - b) == 0`` under a time and memory limit. A timeout gives
   "could not decide" (``equivalent is None``), never "not equivalent".

Domain policy. Equivalence is on the real domain of the expected (first) expression: points
where it is undefined or not real are skipped; where it is real, the answer must be real and
equal. So ``2 log(x)`` expected and ``log(x^2)`` answered are equivalent (they agree for
x > 0), but ``log(x^2)`` expected and ``2 log(x)`` answered are not (at x = -1.3 the answer is
not real). Isolated points where just one side is undefined (a cancelled factor, as in
``(x^2-1)/(x-1)`` and ``x+1``) do not make them different: they are reported in ``notes``.

Tolerance. Without floats, values must agree to 1e-24 relative (30-digit evaluation is
adaptive, so this is far above the noise and catches ``x^2 + 10^-12`` vs ``x^2``). A float
typed by the user stands for its binary value, which is close to but not exactly the
decimal; then the tolerance is 1e-13 relative plus 1e-13 absolute: round-off of 15-digit
floats passes (``0.1*3*x`` = ``3x/10``; ``0.785398163397448`` = ``pi/4``), while fewer
correct digits fail (``0.333x`` != ``x/3``, ``0.7854`` != ``pi/4``) and so does
``x^2 + 1e-12`` vs ``x^2``. Answers "to 3 decimal places" are a grading policy for callers.

Sampling is seeded, so verdicts are reproducible. Functions that are not smooth (``|x|``,
``sign``, ``floor``, ``Piecewise``, ``Max``) are checked at more points. Unknown functions
(``f(x^2)``) are replaced by fixed transcendental functions before sampling.
"""

from __future__ import annotations

import cmath
import random
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from calctutor.errors import InternalError, LimitError
from calctutor.parsing import parse_expression
from calctutor.results import EquivResult
from calctutor.sandbox import run_limited, within

SEED = 20261125
DIGITS, CONFIRM_DIGITS = 30, 60
EXACT_TOL = (1e-24, 1e-40)        # (relative, absolute) without floats
FLOAT_TOL = (1e-13, 1e-13)        # with floats: 15-digit round-off passes, 1e-12 does not
NEEDED, NEEDED_NOT_SMOOTH = 8, 24  # points of the expected domain that must agree
MAX_TRIES = 120
RATIONAL_SMALL, RATIONAL_LARGE = 4, 6  # exact points: near the origin, then spread widely
SYMBOLIC_SECONDS = 2.0
# Magnitudes of the first sample points: not special (0, 1, pi/2, ...), a spread of scales.
NICE = (1.37, 0.71, 2.9, 0.23, 5.3, 1.83, 0.53, 3.7, 8.9, 0.13, 2.21, 14.2)
NOT_SMOOTH = (sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.frac, sp.Piecewise, sp.Max, sp.Min,
              sp.Heaviside, sp.Mod)


@dataclass(frozen=True)
class Equivalence:
    """A verdict. ``equivalent`` is None when it could not be decided (never False because
    of a timeout); ``evidence`` names a point where they differ and both values there;
    ``point`` is that point as (name, value) pairs and ``values`` the two values as text."""

    equivalent: bool | None
    method: str
    evidence: str | None = None
    notes: tuple[str, ...] = ()
    point: tuple[tuple[str, str], ...] = ()
    values: tuple[str, str] | None = None


def check_equivalent(expected: sp.Expr, answer: sp.Expr,
                     variables: Sequence[sp.Symbol] | None = None) -> Equivalence:
    """Is ``answer`` the same function as ``expected`` on the real domain of ``expected``?

    ``variables`` fixes the order of the variables (others found in either expression are
    sampled too). Symbols with the same name are the same variable, with the expected
    expression's assumptions (so a plain ``Symbol('x')`` answer meets a real ``x``).
    """
    expected, answer = _as_expr(expected), _as_expr(answer)
    answer, variables = _unify_symbols(expected, answer, variables or ())
    if _structurally_equal(expected, answer):
        return Equivalence(True, "structural")
    concrete = _concrete_functions(expected, answer)
    symbols = _symbols(*concrete, variables)
    verdict = _decide(*concrete, symbols)
    if concrete != (expected, answer):
        names = ", ".join(sorted({str(a.func) for e in (expected, answer) for a in e.atoms(AppliedUndef)}))
        verdict = replace(verdict, notes=verdict.notes + (
            f"the unknown functions ({names}) were replaced by fixed functions to compare",))
    return verdict


def _decide(expected, answer, symbols) -> Equivalence:
    for check in (_rational_check, _numeric_check):
        verdict = check(expected, answer, symbols, random.Random(SEED))
        if verdict is not None:
            return verdict
    return _symbolic_check(expected, answer, symbols)


def equiv(a_text: str, b_text: str, *, variables: Sequence[str] = (),
          positive: bool = False) -> EquivResult:
    """``calctutor equiv``: parse both texts and check them; A is the reference."""
    a = parse_expression(a_text, variables=variables, positive=positive, what="the first expression")
    b = parse_expression(b_text, variables=variables, positive=positive, what="the second expression")
    v = check_equivalent(a.expr, b.expr)
    return EquivResult(a.reading, b.reading, a.expr, b.expr, v.equivalent, v.method, v.evidence, v.notes)


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
    return (answer.xreplace(swap) if swap else answer), [canonical[s.name] for s in variables]


def _structurally_equal(expected, answer) -> bool:
    return expected == answer or (expected - answer) == 0


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


def _arity(f, *exprs) -> int:
    return next(len(a.args) for e in exprs for a in e.atoms(AppliedUndef) if a.func == f)


def _generic_function(k: int, n: int) -> sp.Lambda:
    u = sp.symbols(f"u0:{n}", real=True)
    s = sum(sp.Rational(3 + 2 * i + k, 7 + i) * ui for i, ui in enumerate(u))
    return sp.Lambda(u, sp.exp(s * sp.Rational(2, 5 + k)) / (3 + k)
                     + sp.sin(s + sp.Rational(2, 5)) + s**3 / (11 + k))


# ---------------------------------------------------------------------------------------
# Sample points


def _sample_points(symbols, rng: random.Random, count: int):
    """Exact decimal points (Rationals): first spread over sign patterns and the NICE
    magnitudes, then random log-uniform magnitudes up to about 60."""
    for i in range(count):
        point = {}
        for j, s in enumerate(symbols):
            if i < len(NICE):
                magnitude = NICE[(i + 5 * j) % len(NICE)]
                negative = bool((i >> j) & 1) if j < 4 else rng.random() < 0.5
            else:
                magnitude = 10 ** rng.uniform(-1.2, 1.8)
                negative = rng.random() < 0.5
            point[s] = _decimal(magnitude, _sign(s, negative))
        yield point


def _sign(symbol, negative: bool) -> int:
    if symbol.is_nonnegative:
        return 1
    if symbol.is_nonpositive:
        return -1
    return -1 if negative else 1


def _decimal(magnitude: float, sign: int) -> sp.Rational:
    hundredths = max(7, round(magnitude * 100))
    if hundredths % 100 == 0:  # integers are special points (poles of gamma, ...)
        hundredths += 3
    return sp.Rational(sign * hundredths, 100)


def _large_rational_points(symbols, rng: random.Random, count: int):
    """Points from a set of millions, so that two different rational functions of moderate
    degree agree at all of them with negligible probability (Schwartz-Zippel)."""
    for _ in range(count):
        yield {s: sp.Rational(_sign(s, rng.random() < 0.5) * rng.randint(1, 2 * 10**6), 100)
               for s in symbols}


# ---------------------------------------------------------------------------------------
# Values and their comparison


@dataclass(frozen=True)
class _Value:
    """An expression's value at a point: real, non-real or undefined."""

    kind: str  # "real", "complex", "undefined"
    re: sp.Float | None = None
    im: sp.Float | None = None


UNDEFINED = _Value("undefined")
_ZERO = sp.Float(0)


def _has_float(e) -> bool:
    return bool(e.atoms(sp.Float))


def _is_undefined(v) -> bool:
    return v.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


class _Sampled:
    """An expression ready for sampling, with guards for the subterms that can leave the
    reals (``sqrt(u)``, ``log(u)``, ``asin(u)``, ...): in real calculus the expression is
    defined at a point only if every one of them is real there, so ``sqrt(x)*sqrt(y)`` is
    undefined at x, y < 0 although i*i is real."""

    def __init__(self, expr, floats: bool, tol):
        self.expr, self.floats, self.tol = expr, floats, tol
        nodes = sorted(_domain_subterms(expr), key=sp.count_ops)
        self.guards = list(dict.fromkeys(_guard(node) for node in nodes))

    def at(self, point, digits: int = DIGITS) -> _Value:
        # the small guards first: outside the domain, the whole need not be evaluated
        for arg, inside in self.guards:
            g = _value(arg, point, digits, self.floats, self.tol)
            if g.kind == "undefined":
                return g
            if g.kind != "real" or (inside is not None and not inside(g.re)):
                return _Value("complex")
        return _value(self.expr, point, digits, self.floats, self.tol)


# Real domains of functions, as a test of the (real) argument.
DOMAINS = {
    sp.log: lambda a: a > 0,
    sp.asin: lambda a: -1 <= a <= 1,
    sp.acos: lambda a: -1 <= a <= 1,
    sp.atanh: lambda a: -1 < a < 1,
    sp.acosh: lambda a: a >= 1,
    sp.acoth: lambda a: abs(a) > 1,
    sp.asec: lambda a: abs(a) >= 1,
    sp.acsc: lambda a: abs(a) >= 1,
    sp.asech: lambda a: 0 < a <= 1,
}
OTHER_DOMAIN_FUNCTIONS = (sp.LambertW, sp.gamma, sp.loggamma)


def _domain_subterms(expr) -> set:
    found = set()
    for node in sp.preorder_traversal(expr):
        if not node.free_symbols:
            continue
        if isinstance(node, sp.Pow) and not _integral(node.exp):
            found.add(node)
        elif isinstance(node, (*DOMAINS, *OTHER_DOMAIN_FUNCTIONS)):
            found.add(node)
    return found


def _integral(exponent) -> bool:
    # x^2.0 is as real as x^2
    return bool(exponent.is_integer) or (exponent.is_Float and float(exponent).is_integer())


def _guard(node):
    """(what to evaluate, test of its real value); a None test means "is real"."""
    if isinstance(node, sp.Pow):
        # SymPy's principal root of a negative number is not real, even (-8)^(1/3)
        return node.base, lambda b: b >= 0
    for cls, inside in DOMAINS.items():
        if isinstance(node, cls):
            return node.args[0], inside
    return node, None


def _value(expr, point, digits: int, floats: bool, tol) -> _Value:
    """``expr`` at ``point`` to ``digits`` digits. Exact expressions get the exact point
    (xreplace spots poles exactly; evalf adapts to cancellation); with floats the point is
    a Float, so the float constants are not first rounded to 15 digits."""
    if floats:
        point = {s: sp.Float(v, digits) for s, v in point.items()}
    try:
        # evalf with subs evaluates without building the substituted tree (sin(137/100)
        # and its automatic simplification cost most of the time); where that gives no
        # finite number, the exact substitution decides (a pole, 0/0)
        v = expr.evalf(digits, subs=point)
        if not v.is_number or _is_undefined(v):
            v = expr.xreplace(point)
            if _is_undefined(v):
                return UNDEFINED
            v = v.evalf(digits)
        if not v.is_number or _is_undefined(v):
            return UNDEFINED
        if v.is_Float:
            return _Value("real", v, _ZERO)
        re, im = (sp.Float(part, digits) for part in v.as_real_imag())
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return UNDEFINED
    if im != 0 and abs(im) > tol[0] * abs(re) + tol[1]:
        return _Value("complex", re, im)
    return _Value("real", re, _ZERO)


def _agree(e: _Value, a: _Value, tol) -> bool:
    if a.kind != "real":
        return False
    return abs(e.re - a.re) <= tol[0] * max(abs(e.re), abs(a.re)) + tol[1]


# ---------------------------------------------------------------------------------------
# The checks


def _rational_check(expected, answer, symbols, rng) -> Equivalence | None:
    """Exact evaluation at rational points, for rational functions with rational
    coefficients; None when this check does not apply."""
    if _has_float(expected) or _has_float(answer) or not symbols:
        return None
    if not (expected.is_rational_function(*symbols) and answer.is_rational_function(*symbols)):
        return None
    notes: list[str] = []
    agreed = {"small": 0, "large": 0}
    batches = (("small", _sample_points(symbols, rng, RATIONAL_SMALL * 4), RATIONAL_SMALL),
               ("large", _large_rational_points(symbols, rng, RATIONAL_LARGE * 4), RATIONAL_LARGE))
    for name, points, wanted in batches:
        for point in points:
            e, a = expected.xreplace(point), answer.xreplace(point)
            if not e.is_Rational:
                if _is_undefined(e):
                    continue  # outside the expected expression's domain
                return None  # irrational constants: the numeric check decides
            if not a.is_Rational:
                if _is_undefined(a):
                    notes.append(_undefined_note(point))
                    continue
                return None
            if e != a:
                return _differ("rational-exact", point, _exact(e), _exact(a))
            agreed[name] += 1
            if agreed[name] >= wanted:
                break
        if agreed[name] < wanted:
            return None
    if len(symbols) == 1:
        notes += _isolated_points(expected, answer, symbols[0])
    return Equivalence(True, "rational-exact", None, _unique(notes))


def _exact(q: sp.Rational) -> _Value:
    return _Value("real", sp.Float(q, DIGITS), _ZERO)


def _numeric_check(expected, answer, symbols, rng) -> Equivalence | None:
    """Sampling at real points of the expected expression's domain; None when too few
    points of that domain were found to decide."""
    floats = _has_float(expected) or _has_float(answer)
    tol = FLOAT_TOL if floats else EXACT_TOL
    needed = 1 if not symbols else (NEEDED_NOT_SMOOTH if _not_smooth(expected, answer) else NEEDED)
    first, second = _Sampled(expected, floats, tol), _Sampled(answer, floats, tol)
    agreed, notes = 0, []
    for point in _sample_points(symbols, rng, MAX_TRIES if symbols else 1):
        e = first.at(point)
        if e.kind != "real":
            continue  # outside the expected expression's real domain
        a = second.at(point)
        if not _agree(e, a, tol):
            if a.kind == "undefined":
                notes.append(_undefined_note(point))
                continue
            # confirm at higher precision before calling it a difference
            e2, a2 = first.at(point, CONFIRM_DIGITS), second.at(point, CONFIRM_DIGITS)
            if e2.kind == "real" and not _agree(e2, a2, tol):
                return _differ("numeric", point, e2, a2)
            continue
        agreed += 1
        if agreed >= needed:
            return Equivalence(True, "numeric", None, _unique(notes))
    return None


def _not_smooth(*exprs) -> bool:
    return any(e.has(*NOT_SMOOTH) for e in exprs)


def _symbolic_check(expected, answer, symbols) -> Equivalence:
    """``simplify(expected - answer) == 0`` under hard limits; a timeout means undecided."""
    try:
        # run_limited is the hard limit; within keeps it bounded even without a sandbox
        proved = run_limited(within, SYMBOLIC_SECONDS, _simplifies_to_zero, expected - answer,
                             default=None, timeout=SYMBOLIC_SECONDS + 1.0)
    except (LimitError, InternalError):
        proved = None
    if proved:
        return Equivalence(True, "symbolic")
    where = "" if not symbols else " at the points tried"
    return Equivalence(None, "undecided", None, (
        f"could not decide: too few points where the first expression is real{where}, "
        f"and no symbolic proof within {SYMBOLIC_SECONDS:g} s",))


def _simplifies_to_zero(difference) -> bool:
    return sp.simplify(difference) == 0


# ---------------------------------------------------------------------------------------
# Evidence and notes


def _differ(method: str, point, e: _Value, a: _Value) -> Equivalence:
    where = tuple((str(s), _show_point(v)) for s, v in point.items())
    first, second = _show_pair(e, a)
    at = ", ".join(f"{n} = {v}" for n, v in where)
    evidence = f"at {at}: first = {first}, second = {second}" if at else \
        f"first = {first}, second = {second}"
    if a.kind == "real" and len(first) > 16:  # too close to see: say by how much
        evidence += f" (they differ by {_show(_Value('real', abs(e.re - a.re)), 3)})"
    return Equivalence(False, method, evidence, (), where, (first, second))


def _show_point(v: sp.Rational) -> str:
    # sample points are decimals with at most two places: show them as typed
    return format(float(v), ".15g") if 100 % v.q == 0 else str(v)


def _show_pair(e: _Value, a: _Value) -> tuple[str, str]:
    """Both values to 6 significant digits, or as many as it takes to tell them apart."""
    if a.kind != "real":
        return _show(e, 6), ("undefined" if a.kind == "undefined" else "not a real number")
    for digits in (6, 10, 15):
        first, second = _show(e, digits), _show(a, digits)
        if first != second:
            return first, second
    return _show(e, 25), _show(a, 25)


def _show(v: _Value, digits: int) -> str:
    with mpmath.workdps(digits + 5):
        text = mpmath.nstr(mpmath.mpf(v.re), digits)
    return text[:-2] if text.endswith(".0") else text


def _undefined_note(point) -> str:
    at = ", ".join(f"{s} = {_show_point(v)}" for s, v in point.items())
    return f"the second expression is undefined at {at}, where the first is defined"


def _isolated_points(expected, answer, x, max_degree: int = 8) -> list[str]:
    """Notes on real points where one side is undefined and the other is not (a cancelled
    factor): '... undefined at x = 1'. Only for small expressions, where it is cheap."""
    if sp.count_ops(expected) + sp.count_ops(answer) > 120:
        return []
    poles = {name: _real_poles(e, x, max_degree) for name, e in (("first", expected), ("second", answer))}
    notes = []
    for name, other in (("first", "second"), ("second", "first")):
        for r in sorted(poles[name] - poles[other]):
            notes.append(f"equal except at {x} = {r}, where the {name} expression is undefined")
    return notes


def _real_poles(expr, x, max_degree: int) -> set:
    den = sp.denom(sp.together(expr))
    if not den.has(x):
        return set()
    poly = sp.Poly(den, x)
    if poly.degree() > max_degree:
        return set()
    return {r for r in sp.roots(poly, filter="R")}


def _unique(notes) -> tuple[str, ...]:
    return tuple(dict.fromkeys(notes))


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
