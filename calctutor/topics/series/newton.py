"""Newton's method (module 5): roots of f, of a system F, and stationary points (--optimise).

The iteration solves g(x) = 0 with x ← x − Dg(x)⁻¹ g(x), where g is f (root, Dg = f'),
F (a system, Dg = J) or ∇f (optimise, Dg = H: the course's step −H⁻¹∇f). It runs at a
working precision well beyond the tolerance (the table shows floats), or in exact
rationals when asked (``exact``) and the function and start are rational. Odd roots are
real roots (``domain.real_roots``). Every run ends with a status from ``STATUSES``, each
decided from evidence in the iterates (rates of the corrections, a period re-checked, the
growth of |x|) or from a proof (no real root); with ``steps`` N it takes exactly N
iterations unless a step is impossible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import mpmath
import sympy as sp

from calctutor.domain import conditions_of, real_roots, violated
from calctutor.notation import Prose, inline, prose, segments_of, to_text
from calctutor.results import Reading, json_value

DIVERGED = 1e12  # |x| beyond this: the iterates have run off
HOPELESS = 1e100  # |x| beyond this has run off whatever |g| does (and slows mpmath down)
FLAT = 1e10  # a step longer than this many times max(1, |x|): the tangent is flat
RUNAWAY = 10  # |x| growing 1.5-fold at this many successive steps: running off
EXACT_DIGITS = 200  # an exact iterate longer than this switches to decimals

# The status of a run (JSON "status"), and what decides it.
STATUSES = {
    "converged": "the correction fell below the tolerance and the corrections shrank "
                 "quadratically (a simple root), or g is exactly 0 at an iterate",
    "converged_linear": "converged, but each correction is a steady ratio q of the last: "
                        "a multiple root of multiplicity m ≈ 1/(1 − q)",
    "diverged": "|x| keeps growing: beyond 1e12 times the start's size with |g| not "
                "shrinking, or 1.5-fold at each of 10 steps in a row to 1e4 times the start's size",
    "cycle": "the iterates repeat with a period p ≥ 2, checked over a whole period, with "
             "|g| not shrinking",
    "zero_derivative": "a flat tangent: g' is 0, or so small next to g that the step would "
                       "be more than 1e10 times max(1, |x|) while the slope changes by more than "
                       "itself along it",
    "no_real_root": "the run did not converge and g provably has no real root",
    "undefined": "g is not a real number at an iterate",
    "max_iter": "stopped at --max-iter; the explanation says what the iterates suggest",
    "steps": "exactly the --steps N iterations asked for (a neutral outcome)",
}


@dataclass(frozen=True)
class Iteration:
    """Row n: x_n, g(x_n), the derivative (1-D) and the correction to x_{n+1} (None at the end)."""

    n: int
    x: tuple
    f: tuple
    df: object = None
    dx: tuple | None = None
    value: object = None  # the objective f(x_n) when optimising


@dataclass(frozen=True)
class NewtonResult:
    input: Reading
    exprs: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    start: tuple
    optimise: bool
    system: bool
    g: tuple[sp.Expr, ...]
    dg: tuple[tuple[sp.Expr, ...], ...]
    iterations: tuple[Iteration, ...]
    converged: bool
    status: str
    headline: str
    explanation: str
    tol: float
    max_iter: int
    steps: int | None
    exact: bool
    kind: str | None = None
    kind_text: str = ""
    notes: tuple[tuple[str, bool], ...] = field(default=())
    answer_final: bool = False  # the answer checked is x_N alone (see for_answer)
    rate: str | None = None  # "quadratic", "linear" or "exact" (g hit 0), when shown
    multiplicity: float | None = None  # of the root, from the rate or proven exactly
    evidence: str | None = None  # a proof behind the status (no real root, exact multiplicity)
    period: int | None = None  # of a cycle

    @property
    def root(self) -> tuple:
        return self.iterations[-1].x

    @property
    def f_label(self) -> str:
        if self.optimise:
            return "f'(x)" if len(self.variables) == 1 else "∇f"
        return "F(x)" if self.system else "f(x)"

    @property
    def df_label(self) -> str:
        if len(self.variables) > 1:
            return "f(x)" if self.optimise else "—"
        return "f''(x)" if self.optimise else "f'(x)"

    def _one(self, values):
        values = [_json(v) for v in values]
        return values[0] if len(self.variables) == 1 else values

    def to_json(self) -> dict:
        its = []
        for it in self.iterations:
            row = {"n": it.n, "x": self._one(it.x)}
            if self.optimise:
                row["f"] = _json(it.value)
                row["gradient"] = self._one(it.f)
            else:
                row["f"] = self._one(it.f) if self.system else _json(it.f[0])
            if it.dx is not None:
                row["correction"] = self._one(it.dx)
            its.append(row)
        out = {"root": self._one(self.root), "converged": self.converged, "iterations": its,
               "status": self.status, "message": self.explanation}
        for key in ("rate", "multiplicity", "evidence", "period"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.kind:
            out["kind"] = self.kind
        if self.exact:
            out["root_decimal"] = self._one([float(v) for v in self.root])
        return out

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec
        from calctutor.topics.series.mistakes import newton_mistakes

        expected = answer_value(self, self.iterations)
        tolerance = None if self.exact and not any(isinstance(v, float) for v in _flat(expected)) else 1e-6
        many = len(self.variables) > 1
        if self.steps is not None and not many:
            what = f"the iterates x1 … x{len(self.iterations) - 1}" if len(self.iterations) > 2 else "x1"
            shape = "numbers"
        elif many:
            what, shape = "the point reached", "numbers"
        else:
            what, shape = ("the stationary point" if self.optimise else "the root"), "number"
        if shape == "number":
            expected = expected[0]
        mistakes = lambda: newton_mistakes(self)  # noqa: E731
        if shape == "numbers" and self.answer_final:
            # the learner gave the final iterate alone: check x_N, and what each mal-rule gives for it
            from calctutor.checking.answer import Mistake

            shape, expected, what = "number", expected[-1], f"x{len(self.iterations) - 1}"
            mistakes = lambda: [Mistake(m.code, m.value[-1], m.feedback)  # noqa: E731
                                for m in newton_mistakes(self) if isinstance(m.value, list)]
        from calctutor.topics.series.mistakes import newton_other_root

        return AnswerSpec(shape, _sym(expected), what, (), tolerance=tolerance,
                          mistakes=mistakes, inspect=lambda answer: newton_other_root(self, answer),
                          entry_names=tuple(v.name for v in self.variables) if many else (),
                          adapt=None if self.answer_final else self._spec_for)

    def _spec_for(self, text: str):
        """The spec for the answer ``text`` (see ``for_answer``); None: the usual one."""
        adapted = for_answer(self, text)
        return adapted.answer_spec() if adapted is not self else None


def _json(value):
    """``json_value``, but a number beyond the float range as text (JSON has no infinity)."""
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    out = json_value(value)
    if isinstance(out, float) and not math.isfinite(out):
        return to_text(value)
    return out


def for_answer(result: NewtonResult, text: str | None) -> NewtonResult:
    """``result`` ready to check ``text``: with --steps N (one variable) the answer may be the
    list x1, …, xN or the final iterate xN alone (a single entry). ``answer_spec`` applies it
    to every answer checked (``--answer``, the quiz, a library caller's ``check_answer``)."""
    import dataclasses

    if (text is None or result.steps is None or len(result.variables) > 1
            or len(result.iterations) <= 2 or _entries(text) != 1):
        return result
    return dataclasses.replace(result, answer_final=True)


def near_root(result: NewtonResult, value):
    """(root, how it is known) when ``value`` is a root of g (f, or f' when optimising):
    exactly (g(value) is 0 by the equivalence engine), or for a decimal, within 1e-3
    (relative) of a root that Newton's method from ``value`` converges to. Else None."""
    from calctutor.checking.equivalence import check_equivalent
    from calctutor.sandbox import within

    v, g = result.variables[0], result.g[0]
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    shown = format(number, ".10g") if value.atoms(sp.Float) else to_text(value)
    if not math.isfinite(number) or violated(conditions_of(g), {v: value}) is not None:
        return None
    if not value.atoms(sp.Float):
        at = real_roots(g).subs(v, value)
        verdict = within(3.0, check_equivalent, sp.Integer(0), at, default=None)
        if verdict is not None and verdict.equivalent is True:
            return value, f"{shown} is"
        return None
    run = iterate(result.g, result.dg, result.variables, (number,), tol=1e-12, max_iter=40,
                  steps=None, exact=False)
    if run.status not in ("converged", "exact"):
        return None
    root = float(run.iterations[-1].x[0])
    gap = abs(root - number)
    if gap > 1e-3 * max(1.0, abs(root)):
        return None
    return root, (f"{shown} is within {gap:.1g} of {format(root, '.10g')} (Newton's method from "
                  f"your value converges there), which is")


def _entries(text: str) -> int:
    """How many comma-separated entries ``text`` has at the top level (brackets aside)."""
    inner = text.strip()
    if inner[:1] == "[" and inner[-1:] == "]":
        inner = inner[1:-1]
    depth, count = 0, 1
    for ch in inner:
        depth += ch in "([{"
        depth -= ch in ")]}"
        count += ch == "," and depth == 0
    return count


def _flat(values):
    for v in values:
        if isinstance(v, (list, tuple)):
            yield from _flat(v)
        else:
            yield v


def _sym(value):
    if isinstance(value, (list, tuple)):
        return [_sym(v) for v in value]
    return sp.Float(value, 15) if isinstance(value, float) else sp.sympify(value)


def answer_value(result: NewtonResult, iterations) -> list:
    """What the learner is asked for: in 1-D with --steps N the iterates x1..xN, else the
    last point."""
    if result.steps is not None and len(result.variables) == 1:
        return [it.x[0] for it in iterations[1:]] or [iterations[0].x[0]]
    return list(iterations[-1].x)


# -- arithmetic ---------------------------------------------------------------------------
class _Undefined(Exception):
    pass


def _digits(tol: float) -> int:
    """Working precision: well beyond the tolerance, so rounding never decides a verdict
    (near a multiple root f and f' are tiny, and 16 digits would be mostly noise)."""
    return 30 + max(0, int(-math.log10(tol)) if tol < 1 else 0)


def _evaluator(exprs, variables, exact: bool):
    """A function of a point returning the values of ``exprs`` (mpmath numbers at the
    working precision, or exact rationals). Odd roots are real roots (cbrt(-8) = -2)."""
    if exact:
        def ev(point):
            sub = dict(zip(variables, point, strict=True))
            out = []
            for e in exprs:
                v = e.xreplace(sub)
                if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not v.is_Rational:
                    raise _Undefined()
                out.append(v)
            return out
        return ev
    fns = [sp.lambdify(variables, real_roots(e), modules="mpmath") for e in exprs]

    def evf(point):
        if any(abs(v) > HOPELESS for v in point):
            raise _Undefined()  # exp(10^(10^6)) would take mpmath hours, and means nothing here
        out = []
        for fn in fns:
            try:
                v = mpmath.mpmathify(fn(*point))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError, ArithmeticError) as err:
                raise _Undefined() from err
            if isinstance(v, mpmath.mpc):
                if abs(v.imag) > mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * (1 + abs(v.real)):
                    raise _Undefined()
                v = v.real
            if not mpmath.isfinite(v):
                raise _Undefined()
            out.append(v)
        return out
    return evf


def _solve(a, b):
    """x with A x = b (Gaussian elimination, partial pivoting); None when a pivot is 0.
    A nearly singular A gives a huge x, which the caller judges (a flat tangent)."""
    n = len(b)
    m = [list(row) + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        if m[p][c] == 0:
            return None
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            k = m[r][c] / m[c][c]
            m[r] = [x - k * y for x, y in zip(m[r], m[c], strict=True)]
    x = [0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


def _norm(v) -> float:
    """The largest |entry| of a point (inf for an overflow)."""
    return max(abs(float(a)) for a in v)


def _close(u, v, tol) -> bool:
    return all(abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b))) for a, b in zip(u, v, strict=True))


def _growing(its) -> bool:
    norms = [_norm(it.x) for it in its[-3:]]
    return len(norms) == 3 and norms[2] > 2 * norms[1] > 4 * norms[0] > 0


def _size(x) -> int:
    return max(len(str(v)) for v in x)


def _out(v):
    """A value for the table: exact values as they are, numbers as floats (a value beyond
    the float range as a 15-digit SymPy Float, shown in scientific notation)."""
    if v is None or isinstance(v, sp.Basic):
        return v
    f = float(v)
    if math.isfinite(f) and (f != 0 or v == 0):
        return f
    return sp.Float(mpmath.nstr(v, 15), 15)  # beyond the float range (or below it)


# -- the iteration ------------------------------------------------------------------------
@dataclass
class _Run:
    iterations: list
    status: str
    cycle_at: int | None = None
    switched: bool = False
    period: int = 0
    flat_step: object = None  # the step a flat tangent would have taken (None: f' = 0)
    exact_values: list = field(default_factory=list)  # the iterates at working precision


def _cycle(xs, fs, tol, exact_repeat: bool = False) -> int:
    """The period p >= 2 of a confirmed cycle ending at xs[-1], or 0.

    Confirmed: every point of the last period repeats the one p before (x_{n+p} = x_n for a
    whole period, to 1e-9 of the cycle's own size), the points are distinct (the cycle is
    not a root being approached), and |g| over the last period has not shrunk. With
    ``exact_repeat``, one iterate equal to the one p before (exactly, in the working
    arithmetic) is enough: the iteration is deterministic, so it repeats forever."""
    for p in range(2, 9):
        if exact_repeat and len(xs) > p and xs[-1] == xs[-1 - p] \
                and all(xs[-1] != xs[-1 - q] for q in range(1, p)) and fs[-1] > 0:
            return p
        if len(xs) < 2 * p:
            break
        last = xs[-p:]
        spread = max(_norm([a - b for a, b in zip(u, w, strict=True)]) for u in last for w in last)
        if spread <= max(1e3 * tol, 1e-9) * max(1.0, max(_norm(u) for u in last)):
            continue
        if all(_norm([a - b for a, b in zip(xs[j], xs[j - p], strict=True)]) <= 1e-9 * spread
               for j in range(len(xs) - p, len(xs))):
            now, before = fs[-p:], fs[-2 * p:-p]
            if min(now) > 0 and max(now) >= 0.5 * max(before):
                return p
    return 0


def iterate(g, dg, variables, start, *, tol, max_iter, steps, exact, rule="newton",
            value=None) -> _Run:
    """Newton's iteration on g(x) = 0 (``rule`` other than "newton": a mal-rule's variant).

    Stops on: g exactly 0 ("exact"), a correction below ``tol`` with |g| not growing
    ("converged"), a confirmed cycle, a flat tangent ("zero_derivative"), |x| beyond
    DIVERGED or a sustained runaway ("diverged"), an undefined value, or the limit."""
    with mpmath.workdps(_digits(tol)):
        return _iterate(g, dg, variables, start, tol=tol, max_iter=max_iter, steps=steps,
                        exact=exact, rule=rule, value=value)


def _iterate(g, dg, variables, start, *, tol, max_iter, steps, exact, rule, value) -> _Run:
    n = len(variables)
    flat_dg = [e for row in dg for e in row]

    def evaluators(exact_):
        return (_evaluator(g, variables, exact_), _evaluator(flat_dg, variables, exact_),
                _evaluator([value], variables, exact_) if value is not None else None)

    ev_g, ev_dg, ev_value = evaluators(exact)
    x = list(start) if exact else [mpmath.mpf(v) for v in start]
    its: list[Iteration] = []
    xs: list = []
    fs: list[float] = []
    limit = steps if steps is not None else max_iter
    run = _Run(its, "max_iter" if steps is None else "steps")
    last_dx = None
    scale0 = max(1.0, _norm(x))
    k = 0
    while True:
        try:
            gx = ev_g(x)
            dgx = ev_dg(x)
            vx = ev_value(x)[0] if ev_value is not None else None
        except _Undefined:
            run.status = "undefined"
            its.append(Iteration(k, tuple(_out(v) for v in x), (None,) * n))
            break
        xs.append(list(x))
        fs.append(max(abs(float(v)) for v in gx))
        row = dict(n=k, x=tuple(_out(v) for v in x), f=tuple(_out(v) for v in gx),
                   df=_out(dgx[0]) if n == 1 else None, value=_out(vx))
        free = steps is None and rule == "newton"
        if free and all(v == 0 for v in gx):
            run.status = "exact"
            its.append(Iteration(**row))
            break
        if free and last_dx is not None and _norm(last_dx) <= tol * max(1.0, _norm(x)) \
                and fs[-1] <= fs[-2]:
            run.status = "converged"
            its.append(Iteration(**row))
            break
        period = _cycle(xs, fs, tol, exact_repeat=steps is not None) if rule == "newton" else 0
        if period and run.cycle_at is None:
            run.cycle_at, run.period = k, period
            if steps is None:
                run.status = "cycle"
                its.append(Iteration(**row))
                break
        if k >= limit:
            its.append(Iteration(**row))
            break
        jac = [dgx[i * n:(i + 1) * n] for i in range(n)]
        if rule == "inverted":
            if any(v == 0 for v in gx):
                run.status = "zero_derivative"
                its.append(Iteration(**row))
                break
            dx = [-dgx[0] / gx[0]]
        else:
            dx = _solve(jac, [-v for v in gx])
            if dx is None or (steps is None and _flat_tangent(dx, x, dgx, ev_dg)):
                # a flat tangent after iterates that keep growing is divergence (atan x)
                run.status = "diverged" if _growing(its + [Iteration(**row)]) else "zero_derivative"
                run.flat_step = None if dx is None else _out(max(abs(v) for v in dx))
                its.append(Iteration(**row))
                break
            if rule == "wrong_sign":
                dx = [-v for v in dx]
        its.append(Iteration(**row, dx=tuple(_out(v) for v in dx)))
        new = [a + d for a, d in zip(x, dx, strict=True)]
        k += 1
        if any(not mpmath.isfinite(v) for v in new) or _ran_off(new, fs[-1], scale0, ev_g):
            run.status = "diverged"
            its.append(_row_at(k, new, ev_g, ev_dg, n))
            break
        if steps is None and _runaway(xs + [new], scale0):
            run.status = "diverged"
            its.append(_row_at(k, new, ev_g, ev_dg, n))
            break
        if exact and _size(new) > EXACT_DIGITS:
            new = [mpmath.mpf(v.p) / v.q for v in new]
            exact, run.switched = False, True
            ev_g, ev_dg, ev_value = evaluators(False)
        x, last_dx = new, dx
    run.exact_values = xs
    return run


def _flat_tangent(dx, x, dgx, ev_dg) -> bool:
    """A flat tangent: the step is more than FLAT times max(1, |x|) long and the tangent's
    slope changes by more than itself along it, so the linear model behind the step says
    nothing there (a linear g, whose slope never changes, takes its long step)."""
    if _norm(dx) <= FLAT * max(1.0, _norm(x)):
        return False
    try:
        after = ev_dg([a + d for a, d in zip(x, dx, strict=True)])
    except _Undefined:
        return True
    return _norm([a - b for a, b in zip(after, dgx, strict=True)]) > _norm(dgx)


def _ran_off(new, f_before: float, scale0: float, ev_g) -> bool:
    """|x| beyond DIVERGED times the start's size, and |g| no smaller there: a far root
    (x - 10^13 from 0) is reached by a long step that does shrink |g|."""
    if _norm(new) <= DIVERGED * scale0:
        return False
    if _norm(new) > HOPELESS:
        return True
    try:
        return not max(abs(float(v)) for v in ev_g(new)) < f_before
    except _Undefined:
        return True


def _row_at(k, x, ev_g, ev_dg, n) -> Iteration:
    """The closing row at x (its values, or none where they are undefined or x is out of
    all proportion)."""
    if _norm(x) > HOPELESS:
        return Iteration(k, tuple(_out(v) for v in x), (None,) * n)
    try:
        gx = ev_g(x)
        df = _out(ev_dg(x)[0]) if n == 1 else None
    except _Undefined:
        return Iteration(k, tuple(_out(v) for v in x), (None,) * n)
    return Iteration(k, tuple(_out(v) for v in x), tuple(_out(v) for v in gx), df)


def _runaway(xs, scale0) -> bool:
    """|x| has grown by a factor of at least 1.5 at each of the last RUNAWAY steps and is
    far beyond where it started: the iterates are running off geometrically."""
    if len(xs) <= RUNAWAY:
        return False
    norms = [_norm(u) for u in xs[-RUNAWAY - 1:]]
    return all(b >= 1.5 * a > 0 for a, b in zip(norms, norms[1:], strict=False)) and norms[-1] >= 1e4 * scale0


def newton(exprs, reading: Reading, variables, start, *, optimise=False, tol=1e-10, max_iter=50,
           steps=None, exact=False) -> NewtonResult:
    """Run Newton's method and explain the outcome (a status from STATUSES, with evidence)."""
    variables = tuple(variables)
    n = len(variables)
    notes: list[tuple[str, bool]] = []
    if optimise:
        f = exprs[0]
        g = tuple(sp.diff(f, v) for v in variables)
        value = f
    else:
        g = tuple(exprs)
        value = None
    dg = tuple(tuple(sp.diff(gi, v) for v in variables) for gi in g)
    rational = all(e.is_rational_function(*variables) and not e.atoms(sp.Float) for e in g) and \
        all(getattr(s, "is_Rational", False) for s in start)
    if exact and not rational:
        notes.append(("--exact needs a rational function and a rational start: the iterates "
                      "are decimals.", False))
        exact = False
    start = tuple(start) if exact else tuple(float(s) for s in start)
    run = iterate(g, dg, variables, start, tol=tol, max_iter=max_iter, steps=steps, exact=exact,
                  value=value)
    if run.switched:
        notes.append((f"The exact iterates grew beyond {EXACT_DIGITS} digits; the rest are decimals.",
                      False))
    its = run.iterations
    ctx = _Context(g, dg, variables, optimise, tol, max_iter, steps, run, max(1.0, _norm(start)))
    with mpmath.workdps(_digits(tol)):
        # the explanation's expressions are typeset where the format can (notation.prose)
        verdict = prose(_assess, ctx)
    status = verdict.status
    last = its[-1]
    converged = status in ("converged", "converged_linear")
    if status == "steps":
        converged = its[-2].dx is not None and _close(last.x, its[-2].x, tol) if len(its) > 1 else False
        if last.f and all(v is not None and float(v) == 0 for v in last.f):
            converged = True
    if run.cycle_at is not None and status == "steps":
        p = run.period
        points = ", ".join(_pt(its[j].x) for j in range(run.cycle_at - p + 1, run.cycle_at + 1))
        notes.append((f"The iterates cycle: x{run.cycle_at} = x{run.cycle_at - p} (a {p}-cycle "
                      f"through {points}), so they never converge.", True))
    kind, kind_text = None, ""
    if optimise and converged:
        if last.f[0] is not None:
            kind, kind_text = _classify(dg, variables, last.x)
        if kind == "maximum":
            notes.append(("Newton's method finds any stationary point: this one is a maximum, "
                          "not a minimum. To find a minimum, start elsewhere (or use descent).", True))
    return NewtonResult(reading, tuple(exprs), variables, start, optimise, not optimise and n > 1,
                        g, dg, tuple(its), bool(converged), status, verdict.headline,
                        verdict.text, tol, max_iter, steps, exact, kind, kind_text,
                        tuple(notes), rate=verdict.rate, multiplicity=verdict.multiplicity,
                        evidence=verdict.evidence, period=run.period if status == "cycle" else None)


def _pt(x) -> str:
    vals = [to_text(sp.nsimplify(v)) if isinstance(v, float) and float(v).is_integer()
            and abs(v) < 1e15 else (_num(v) if isinstance(v, float) else to_text(v)) for v in x]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"


def _num(v, digits: int = 10) -> str:
    """A number to ``digits`` significant digits (also beyond the float range)."""
    f = float(v)
    if math.isfinite(f) and (f != 0 or v == 0):
        return format(f, f".{digits}g")
    return mpmath.nstr(mpmath.mpf(str(v)), digits)


# -- the verdict --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    g: tuple
    dg: tuple
    variables: tuple
    optimise: bool
    tol: float
    max_iter: int
    steps: int | None
    run: _Run
    scale0: float
    # set once f is shown to have no real root: "a root may lie further on" is then false
    root_ruled_out: bool = False

    @property
    def one(self) -> bool:
        return len(self.variables) == 1

    @property
    def gname(self) -> str:
        if self.optimise:
            return "f'" if self.one else "∇f"
        return "f" if self.one else "F"

    @property
    def dname(self) -> str:
        if self.one:
            return "f''" if self.optimise else "f'"
        return "the Hessian" if self.optimise else "the Jacobian"

    @property
    def target(self) -> str:
        return "stationary point" if self.optimise else "root"

    @property
    def multiple(self) -> str:
        return ("a multiple root of f' (a degenerate stationary point)" if self.optimise
                else "a multiple root")

    @property
    def step(self) -> str:
        return "x − m·f'/f''" if self.optimise else "x − m·f/f'"


@dataclass(frozen=True)
class _Verdict:
    status: str
    headline: str
    explanation: str  # what happened and why
    rate: str | None = None
    multiplicity: float | None = None
    evidence: str | None = None
    advice: str = ""  # what to try next (another start, more iterations), a sentence

    @property
    def text(self) -> str:
        """The explanation, then the advice (a ``Prose`` when either has maths in it)."""
        if not self.advice:
            return self.explanation
        if isinstance(self.explanation, Prose) or isinstance(self.advice, Prose):
            return Prose((*segments_of(self.explanation), " ", *segments_of(self.advice)),
                         f"{self.explanation} {self.advice}")
        return f"{self.explanation} {self.advice}"


def _iters(k: int) -> str:
    return f"{k} iteration{'s' if k != 1 else ''}"


def _assess(c: _Context) -> _Verdict:
    its, status = c.run.iterations, c.run.status
    last = its[-1]
    if status == "steps":
        return _Verdict("steps", f"Stopped after {c.steps} iteration{'s' if c.steps != 1 else ''}, "
                        f"as asked (--steps {c.steps})", f"x{last.n} = {_pt(last.x)}.")
    if status == "exact":
        return _exact_hit(c)
    if status == "converged":
        return _converged(c)
    shown = _no_real_root(c.g[0], c.variables[0]) if c.one else None
    verdict = _stopped(replace(c, root_ruled_out=bool(shown)))
    if c.one:
        if shown:
            head = "No stationary point" if c.optimise else "No real root"
            run_at = f", after {_iters(its[-1].n)}" if verdict.status == "max_iter" else ""
            what = "f has no stationary point (f' has no real root)" if c.optimise \
                else "f has no real root"
            # the run's advice (start elsewhere, iterate longer) cannot help: no root exists
            return _Verdict("no_real_root", f"{head}: Newton's method cannot converge",
                            f"{what}: {shown}. In this run{run_at}: {_lower(verdict.explanation)}",
                            evidence=shown)
    return verdict


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _exact_hit(c: _Context) -> _Verdict:
    """g is 0 at the last iterate (at the working precision): exactly 0 if SymPy agrees."""
    last = c.run.iterations[-1]
    point = [_rational(v) for v in c.run.exact_values[-1]]
    sub = dict(zip(c.variables, point, strict=True))
    proven = all(sp.simplify(real_roots(e).xreplace(sub)) == 0 for e in c.g)
    where = f"{c.gname}(x{last.n})" if c.one else f"{c.gname}"
    if proven:
        what = f"{where} is exactly 0"
    else:
        what = f"{where} = 0 to {mpmath.mp.dps} significant digits"
    at = "The start is" if last.n == 0 else f"After {_iters(last.n)}, x = {_pt(last.x)} is"
    text = f"{at} a {c.target}: {what}."
    if last.n == 0:
        text = f"x0 = {_pt(last.x)} is already a {c.target}: {what}."
    multiple = c.one and last.df is not None and float(last.df) == 0 and \
        (not proven or sp.simplify(real_roots(c.dg[0][0]).xreplace(sub)) == 0)
    if multiple:
        text += f" {c.dname} is 0 there too: a multiple {c.target}."
    return _Verdict("converged", "Converged", text, rate="exact",
                    evidence=what if proven else None)


def _rational(v):
    """The exact value of a binary number (an mpf or float), SymPy values as they are."""
    if isinstance(v, sp.Basic):
        return v
    sign, man, exp, _ = mpmath.mpf(v)._mpf_
    return (-1) ** sign * sp.Integer(man) * sp.Integer(2) ** exp


def _corrections(its) -> list[float]:
    return [_norm(it.dx) for it in its if it.dx is not None]


def _ratios(d) -> list[float]:
    return [b / a for a, b in zip(d, d[1:], strict=False) if a > 0]


def _linear(ratios, need: int = 3) -> float | None:
    """The steady ratio q of successive corrections over the last ``need`` steps (linear
    convergence), or None when they do not shrink by a steady factor."""
    tail = ratios[-need:]
    if len(tail) < need or not all(0.05 <= r <= 0.98 for r in tail) or max(tail) > 1.15 * min(tail):
        return None
    return sorted(tail)[len(tail) // 2]


def _list(values, digits: int = 3) -> str:
    return ", ".join(format(v, f".{digits}g") for v in values)


def _converged(c: _Context) -> _Verdict:
    its = c.run.iterations
    last = its[-1]
    base = f"After {_iters(last.n)} the correction is below {c.tol:g}: x = {_pt(last.x)}."
    ratios = _ratios(_corrections(its))
    q = _linear(ratios)
    if q is None:
        if ratios and ratios[-1] <= 0.1 and (len(ratios) == 1 or ratios[-1] < ratios[-2]):
            return _Verdict("converged", "Converged", (
                f"{base} The corrections shrank quadratically (each ratio of successive "
                f"corrections smaller than the last: {_list(ratios[-4:])}): a simple "
                f"{c.target}."), rate="quadratic")
        m = _multiplicity_from_derivatives(c)
        extra = ""
        if m is not None:
            extra = (f" Too few steps to read the rate; at the last iterate "
                     f"{c.gname}'²/({c.gname}'² − {c.gname}·{c.gname}'') ≈ {m:.3g} "
                     f"(1 at a simple {c.target}).") if c.one else ""
        return _Verdict("converged", "Converged", base + extra,
                        rate="quadratic" if m is not None and abs(m - 1) < 0.1 else None)
    m = 1 / (1 - q)
    tail = ratios[-3:]
    if not c.one:
        return _Verdict("converged_linear", "Converged, but only linearly", (
            f"{base} Each correction is about {q:.3g} times the last ({_list(tail)}): linear, "
            f"not quadratic, convergence. {c.dname[:1].upper() + c.dname[1:]} is singular at "
            f"the solution (a degenerate {c.target}), so the error is about "
            f"{1 / (1 - q) - 1:.3g} times the last correction."), rate="linear", multiplicity=None)
    proof = _exact_multiplicity(c, m)
    exact_m = proof[0] if proof else None
    shown = exact_m if exact_m is not None else round(m) if abs(m - round(m)) < 0.1 else m
    text = (f"{base} Each correction is about {q:.3g} times the last ({_list(tail)}), so the "
            f"convergence is linear, not quadratic: the sign of {c.multiple}, of "
            f"multiplicity m ≈ 1/(1 − {q:.3g}) = {m:.3g}.")
    if proof:
        text += f" {proof[1]}"
    text += (f" The modified step {c.step} with m = {_num(shown, 3)} restores quadratic "
             f"convergence. The error in x is about (m − 1) times the last correction.")
    return _Verdict("converged_linear", f"Converged, but only linearly: {c.multiple}",
                    text, rate="linear", multiplicity=float(shown),
                    evidence=proof[1] if proof else None)


def _multiplicity_from_derivatives(c: _Context) -> float | None:
    """g'^2/(g'^2 - g g'') at the last iterate: about m near a root of multiplicity m."""
    if not c.one or not c.run.exact_values:
        return None
    v = c.variables[0]
    try:
        x = c.run.exact_values[-1]
        g0, g1 = _evaluator([c.g[0], c.dg[0][0]], c.variables, False)(x)
        g2 = _evaluator([sp.diff(c.dg[0][0], v)], c.variables, False)(x)[0]
    except _Undefined:
        return None
    den = g1 * g1 - g0 * g2
    return None if den == 0 else float(g1 * g1 / den)


def _exact_multiplicity(c: _Context, m: float):
    """(m, why) when a simple exact number near the limit is a root of g whose first
    nonzero derivative there is the m-th, agreeing with the estimate; else None."""
    from calctutor.sandbox import within

    v, g = c.variables[0], c.g[0]
    x = float(c.run.exact_values[-1][0])

    def find():
        near = max(1e-6, 100 * c.tol) * max(1.0, abs(x))
        if abs(x - round(x)) <= near:
            r = sp.Integer(round(x))
        else:
            r = sp.nsimplify(x, tolerance=near, rational=False)
        if sp.count_ops(r) > 6 or r.has(sp.Float) or abs(float(r) - x) > 1e-4 * max(1.0, abs(x)):
            return None
        if sp.simplify(real_roots(g).subs(v, r)) != 0:
            return None
        d, k = g, 0
        while k < 12:
            d, k = sp.diff(d, v), k + 1
            value = sp.simplify(real_roots(d).subs(v, r))
            if value.has(sp.zoo, sp.nan) or not value.is_number:
                return None
            if value != 0:
                break
        else:
            return None
        if abs(k - m) > 0.5:
            return None
        name = c.gname
        derivs = [name] + [name + "'" * j if j <= 3 else f"{name}^({j})" for j in range(1, k)]
        at = to_text(r)
        zeros = " = ".join(f"{d_}({at})" for d_ in derivs)
        nxt = name + "'" * k if k <= 3 else f"{name}^({k})"
        return k, (f"Exactly: {zeros} = 0 and {nxt}({at}) = {to_text(value)} ≠ 0, so "
                   f"x = {at} is a root of {name} of multiplicity {k}.")

    try:
        return within(2.0, find, default=None)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None


def _stopped(c: _Context) -> _Verdict:
    """Every run that did not converge: what stopped it, and what the iterates show."""
    its, status = c.run.iterations, c.run.status
    last = its[-1]
    if status == "zero_derivative":
        if c.one:
            f, df = last.f[0], last.df
            if c.run.flat_step is None:
                why = f"{c.dname}(x{last.n}) evaluates to 0 while {c.gname}(x{last.n}) = {_num(f, 4)}"
            else:
                why = (f"{c.dname}(x{last.n}) = {_num(df, 3)} is tiny next to {c.gname}(x{last.n}) "
                       f"= {_num(f, 4)}: the step would be {_num(c.run.flat_step, 3)} long")
        else:
            why = (f"{c.dname} is singular there" if c.run.flat_step is None else
                   f"{c.dname} is nearly singular there: the step would be "
                   f"{_num(c.run.flat_step, 3)} long")
        return _Verdict("zero_derivative", "Stopped: a flat tangent", (
            f"At x{last.n} = {_pt(last.x)}, {why}. The tangent is flat, so Newton's step "
            f"{'divides by zero' if c.run.flat_step is None else 'shoots off'}."),
            advice="Start from another point.")
    if status == "diverged":
        return _Verdict("diverged", "Diverged", (
            f"The iterates run off: {_growth(its)}. Each tangent leads further out."),
            advice=f"Start closer to a {c.target}.")
    if status == "cycle":
        p = c.run.period
        points = [_pt(its[j].x) for j in range(last.n - p + 1, last.n + 1)]
        pairs = " and ".join(f"x{j} = x{j - p}" for j in range(last.n - p + 1, last.n + 1))
        fmin = min(abs(float(v)) for it in its[-p:] for v in it.f)
        return _Verdict("cycle", f"Cycling: a {p}-cycle, no convergence", (
            f"{pairs}: the iterates repeat {', '.join(points)} (a {p}-cycle, checked over a "
            f"whole period), and |{c.gname}| stays at least {_num(fmin, 4)} on it, so they "
            f"will never reach a {c.target}."), advice="Start from another point.")
    if status == "undefined":
        return _Verdict("undefined", "Stopped: undefined", (
            f"{c.gname} is not defined (as a real number) at x{last.n} = {_pt(last.x)}"
            f"{_needs(c, last)}."))
    return _max_iter(c)


def _needs(c: _Context, last) -> str:
    if last.x[0] is None:
        return ""
    point = {v: _rational(mpmath.mpf(x)) if isinstance(x, float) else x
             for v, x in zip(c.variables, last.x, strict=True)}
    for e in c.g + tuple(e for row in c.dg for e in row):
        try:
            bad = violated(conditions_of(e), point)
        except (TypeError, ValueError):
            return ""
        if bad is not None:
            return f": it needs {bad.text(to_text)}"
    return ""


def _growth(its) -> str:
    """|x| over the last iterates, and how fast it grows."""
    tail = its[-5:]
    norms = [_norm(it.x) for it in tail]
    shown = ", ".join(_num(v, 4) if math.isfinite(v) else
                      to_text(sp.Float(abs(max(it.x, key=lambda a: abs(a))), 4))
                      for v, it in zip(norms, tail, strict=True))
    ratios = _ratios(norms)
    if ratios and not all(math.isfinite(r) for r in ratios):
        how = "the last beyond the range of ordinary numbers"
    elif ratios and min(ratios) >= 1.2 and max(ratios) <= 1.15 * min(ratios):
        how = f"each about {sorted(ratios)[len(ratios) // 2]:.3g} times the last"
    elif ratios and min(ratios) >= 1.2:
        how = f"each |x| over the one before: {_list(ratios)}"
    else:
        diffs = [b - a for a, b in zip(norms, norms[1:], strict=False)]
        how = f"growing by about {sorted(diffs)[len(diffs) // 2]:.3g} per iteration" if diffs \
            else "growing"
    return f"|x| = {shown} over the last iterations ({how})"


def _max_iter(c: _Context) -> _Verdict:
    its = c.run.iterations
    last = its[-1]
    base = f"The correction is still above {c.tol:g}"
    head = f"Stopped at the iteration limit, --max-iter {c.max_iter}"
    corrections = _corrections(its)
    ratios = _ratios(corrections)
    fs = [max(abs(float(v)) for v in it.f) for it in its if it.f[0] is not None]
    if c.root_ruled_out:  # convergence-like patterns would suggest a root that is not there
        return _wander(c, its, fs, head, base)
    q = _linear(ratios, 5)
    near = bool(corrections) and corrections[-1] <= 0.01 * max(1.0, _norm(last.x))
    if q is not None and near and len(fs) > 5 and fs[-1] < fs[-5]:
        m = 1 / (1 - q)
        more = ""
        if c.one:
            more = (f": the sign of {c.multiple} (or of roots closer together than the "
                    f"corrections), of multiplicity m ≈ 1/(1 − {q:.3g}) = {m:.3g}. Raise "
                    f"--max-iter, or use the modified step {c.step}, which converges "
                    f"quadratically at a multiple root")
        return _Verdict("max_iter", head, (
            f"{base}, but the iterates are converging linearly: each correction is about "
            f"{q:.3g} times the last ({_list(ratios[-3:])}){more}."), rate="linear",
            multiplicity=round(m, 3) if c.one else None)
    q = q if q is not None else _linear(ratios, 3)
    if q is not None:
        return _Verdict("max_iter", head, (
            f"{base}: each correction is about {q:.3g} times the last ({_list(ratios[-3:])}), "
            f"and they are still large next to |x|: far from a {c.target} Newton's method can "
            f"move slowly. Raise --max-iter."))
    if ratios and ratios[-1] < 0.1:
        return _Verdict("max_iter", head, (
            f"{base}, but the last corrections shrink fast ({_list(ratios[-3:])}): raise "
            f"--max-iter."))
    return _wander(c, its, fs, head, base)


def _wander(c: _Context, its, fs, head: str, base: str) -> _Verdict:
    """A stop at --max-iter with no sign of convergence: the drift or the spread of the
    last iterates, and where to look next."""
    tail = its[-10:]
    if c.one and len(tail) >= 6:
        xs = [float(it.x[0]) for it in tail]
        moves = [b - a for a, b in zip(xs, xs[1:], strict=False)]
        if (all(d > 0 for d in moves) or all(d < 0 for d in moves)) \
                and max(abs(d) for d in moves) <= 1.5 * min(abs(d) for d in moves):
            shrinking = len(fs) >= len(tail) and fs[-1] < 0.01 * fs[-len(tail)]
            return _Verdict("max_iter", head, (
                f"{base}: x is moving steadily, by about {sorted(moves)[len(moves) // 2]:.3g} "
                f"per iteration ({_pt(tail[0].x)} to {_pt(tail[-1].x)} over the last "
                f"{len(tail)})" + (f", while |{c.gname}| shrinks towards 0: {c.gname} "
                                   + ("approaches 0 only as x runs off (an asymptote)"
                                      if c.root_ruled_out else
                                      f"may only approach 0 as x runs off (an asymptote), or a "
                                      f"{c.target} may lie further on") if shrinking else "")
                + "."), advice=f"Raise --max-iter to follow it, or start closer to a {c.target}.")
    lo = min(_norm(it.x) for it in tail)
    hi = max(_norm(it.x) for it in tail)
    flo = min(fs[-10:]) if fs and math.isfinite(min(fs[-10:])) else None
    shape = (f"over the last {len(tail)} iterations |x| ranges from {_num(lo, 3)} to "
             f"{_num(hi, 3)}" + (f" and |{c.gname}| stays at least {_num(flo, 3)}" if flo else ""))
    return _Verdict("max_iter", head, f"{base}: {shape}, with no trend towards a {c.target}.",
                    advice="Start from another point, or raise --max-iter.")


def _no_real_root(g, v) -> str | None:
    """Why g has no real root, when it can be shown: a polynomial (numerator) with no real
    roots (Sturm's theorem, via SymPy), g > 0 or g < 0 everywhere by SymPy's assumptions, or
    a range by interval arithmetic that excludes 0. None when none of these shows it."""
    from calctutor.sandbox import within

    def show():
        num, _ = sp.fraction(sp.together(g))
        if num.is_polynomial(v) and not num.atoms(sp.Float):
            poly = sp.Poly(num, v)
            if poly.degree() == 0 and num != 0:
                return f"{inline(g)} is never 0 (its numerator is the constant {inline(num)})"
            if poly.degree() > 0 and poly.count_roots() == 0:
                what = "it" if num == g else f"its numerator {inline(num)}"
                return (f"{inline(g)} is never 0: {what} is a polynomial with no real roots "
                        f"(SymPy counts them by Sturm's theorem: 0)")
        r = sp.Dummy(v.name, real=True)
        e = g.xreplace({v: r})
        if e.is_positive:
            return f"{inline(g)} > 0 for every real {v.name} (SymPy proves it from its parts)"
        if e.is_negative:
            return f"{inline(g)} < 0 for every real {v.name} (SymPy proves it from its parts)"
        if not conditions_of(g):
            bounds = g.subs(v, sp.AccumBounds(-sp.oo, sp.oo))
            if isinstance(bounds, sp.AccumBounds) and (bounds.min > 0 or bounds.max < 0):
                return (f"{inline(g)} takes values only in [{inline(bounds.min)}, "
                        f"{inline(bounds.max)}] (interval arithmetic), never 0")
        return None

    try:
        return within(3.0, show, default=None)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError,
            sp.PolynomialError):
        return None


def _classify(dg, variables, x) -> tuple[str | None, str]:
    """The kind of stationary point from f'' (or the Hessian's leading principal minors)."""
    sub = dict(zip(variables, [sp.nsimplify(v) if isinstance(v, float) else v for v in x], strict=True))
    try:
        h = sp.Matrix([[sp.Float(float(sp.N(real_roots(e).subs(sub)))) for e in row] for row in dg])
    except (TypeError, ValueError):  # the Hessian is not real (or not defined) there
        return None, ""
    n = h.shape[0]
    minors = [float(h[:k, :k].det()) for k in range(1, n + 1)]
    eps = 1e-9
    if n == 1:
        d = minors[0]
        if abs(d) <= eps:
            return "degenerate", "f'' = 0 there: the second-derivative test does not decide."
        kind = "minimum" if d > 0 else "maximum"
        return kind, f"f'' = {format(d, '.6g')} {'>' if d > 0 else '<'} 0 there: a local {kind}."
    if abs(minors[-1]) <= eps:
        return "degenerate", "det H = 0 there: the second-derivative test does not decide."
    if all(m > 0 for m in minors):
        return "minimum", "The Hessian there is positive definite: a local minimum."
    if all((m < 0) if k % 2 == 0 else (m > 0) for k, m in enumerate(minors)):
        return "maximum", "The Hessian there is negative definite: a local maximum."
    return "saddle", "The Hessian there is indefinite: a saddle point."


def wrong_iterates(result: NewtonResult, code: str):
    """The answer a broken rule gives from the same start and for the same number of steps."""
    n_steps = len(result.iterations) - 1
    if n_steps < 1:
        return None
    kw = dict(tol=result.tol, max_iter=n_steps, steps=n_steps, exact=result.exact)
    g, dg = result.g, result.dg
    if code == "newton_wrong_sign":
        run = iterate(g, dg, result.variables, result.start, rule="wrong_sign", **kw)
    elif code == "newton_inverted":
        if len(result.variables) > 1:
            return None
        run = iterate(g, dg, result.variables, result.start, rule="inverted", **kw)
    elif code == "newton_root_not_stationary":
        f = result.exprs[0]
        if len(result.variables) > 1:
            return None
        run = iterate((f,), ((g[0],),), result.variables, result.start, **kw)
    elif code == "newton_wrong_point":
        if len(result.variables) > 1 or n_steps < 2:
            return None
        run = _wrong_point(result, n_steps)
    else:
        return None
    if len(run.iterations) - 1 != n_steps:
        return None
    value = answer_value(result, run.iterations)
    if result.steps is None and len(result.variables) == 1:
        value = value[0]
    return _sym(value)


def _wrong_point(result: NewtonResult, n_steps: int) -> _Run:
    """f' kept at the start x0 for every step (the chord method: the 'wrong point' slip).
    Cut short (so it gives no answer) where a value is undefined or the iterates run off."""
    with mpmath.workdps(_digits(result.tol)):
        ev_g = _evaluator(result.g, result.variables, result.exact)
        ev_dg = _evaluator([result.dg[0][0]], result.variables, result.exact)
        x = list(result.start) if result.exact else [mpmath.mpf(v) for v in result.start]
        scale0 = max(1.0, _norm(x))
        try:
            d0 = ev_dg(x)[0]
            its = [Iteration(0, tuple(_out(v) for v in x), tuple(_out(v) for v in ev_g(x)))]
            if d0 == 0:
                return _Run(its, "zero_derivative")
            for k in range(1, n_steps + 1):
                x = [x[0] - ev_g(x)[0] / d0]
                if _norm(x) > DIVERGED * scale0:
                    return _Run(its, "diverged")
                its.append(Iteration(k, tuple(_out(v) for v in x), tuple(_out(v) for v in ev_g(x))))
        except _Undefined:
            return _Run(its if "its" in locals() else [], "undefined")
    return _Run(its, "steps")
