"""Newton's method (module 5): roots of f, of a system F, and stationary points (--optimise).

The iteration solves g(x) = 0 with x ← x − Dg(x)⁻¹ g(x), where g is f (root, Dg = f'),
F (a system, Dg = J) or ∇f (optimise, Dg = H: the course's step −H⁻¹∇f). It runs in floats,
or in exact rationals when asked (``exact``) and the function and start are rational.
A vanishing derivative, divergence, a 2-cycle and an undefined value stop it with a reason;
with ``steps`` N it takes exactly N iterations unless one of those makes a step impossible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from calctutor.notation import to_text
from calctutor.results import Reading, json_value

DIVERGED = 1e12
ZERO = 1e-14
EXACT_DIGITS = 200  # an exact iterate longer than this switches to floats


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
    answer_final: bool = False  # --steps N --answer checks x_N alone (see for_answer)

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
        values = [json_value(v) for v in values]
        return values[0] if len(self.variables) == 1 else values

    def to_json(self) -> dict:
        its = []
        for it in self.iterations:
            row = {"n": it.n, "x": self._one(it.x)}
            if self.optimise:
                row["f"] = json_value(it.value)
                row["gradient"] = self._one(it.f)
            else:
                row["f"] = self._one(it.f) if self.system else json_value(it.f[0])
            if it.dx is not None:
                row["correction"] = self._one(it.dx)
            its.append(row)
        out = {"root": self._one(self.root), "converged": self.converged, "iterations": its,
               "status": self.status, "message": self.explanation}
        if self.kind:
            out["kind"] = self.kind
        if self.exact:
            out["root_decimal"] = self._one([float(v) for v in self.root])
        return out

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec
        from calctutor.checking.mistakes_series import newton_mistakes

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
        return AnswerSpec(shape, _sym(expected), what, (), tolerance=tolerance,
                          mistakes=mistakes,
                          entry_names=tuple(v.name for v in self.variables) if many else ())


def for_answer(result: NewtonResult, text: str | None) -> NewtonResult:
    """``result`` ready to check ``text``: with --steps N (one variable) the answer may be the
    list x1, …, xN or the final iterate xN alone (a single entry)."""
    import dataclasses

    if (text is None or result.steps is None or len(result.variables) > 1
            or len(result.iterations) <= 2 or _entries(text) != 1):
        return result
    return dataclasses.replace(result, answer_final=True)


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


def _evaluator(exprs, variables, exact: bool):
    """A function of a point returning the values of ``exprs`` (floats or exact rationals)."""
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
    fns = [sp.lambdify(variables, e, modules=["math"]) for e in exprs]

    def evf(point):
        out = []
        for fn in fns:
            try:
                v = complex(fn(*point))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError) as err:
                raise _Undefined() from err
            if abs(v.imag) > 1e-12 or not math.isfinite(v.real):
                raise _Undefined()
            out.append(v.real)
        return out
    return evf


def _solve(a, b, exact: bool):
    """x with A x = b (Gaussian elimination, partial pivoting); None when A is singular."""
    n = len(b)
    m = [list(row) + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        scale = max(1.0, max(abs(float(v)) for row in a for v in row)) if not exact else 1
        if m[p][c] == 0 or (not exact and abs(m[p][c]) < ZERO * scale):
            return None
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            k = m[r][c] / m[c][c]
            m[r] = [x - k * y for x, y in zip(m[r], m[c], strict=True)]
    x = [0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


def _close(u, v, tol) -> bool:
    return all(abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b))) for a, b in zip(u, v, strict=True))


def _growing(its) -> bool:
    norms = [max(abs(float(v)) for v in it.x) for it in its[-3:]]
    return len(norms) == 3 and norms[2] > 2 * norms[1] > 4 * norms[0] > 0


def _size(x) -> int:
    return max(len(str(v)) for v in x)


# -- the iteration ------------------------------------------------------------------------
@dataclass
class _Run:
    iterations: list
    status: str
    cycle_at: int | None = None
    switched: bool = False


def iterate(g, dg, variables, start, *, tol, max_iter, steps, exact, rule="newton",
            value=None) -> _Run:
    """Newton's iteration on g(x) = 0 (``rule`` other than "newton": a mal-rule's variant)."""
    n = len(variables)
    ev_g = _evaluator(g, variables, exact)
    ev_dg = _evaluator([e for row in dg for e in row], variables, exact)
    ev_value = _evaluator([value], variables, exact) if value is not None else None
    x = list(start)
    its: list[Iteration] = []
    limit = steps if steps is not None else max_iter
    status = "max_iter" if steps is None else "steps"
    cycle_at = None
    switched = False
    k = 0
    while True:
        try:
            gx = ev_g(x)
            dgx = ev_dg(x)
            vx = ev_value(x)[0] if ev_value is not None else None
        except _Undefined:
            status = "undefined"
            its.append(Iteration(k, tuple(x), (None,) * n))
            break
        jac = [dgx[i * n:(i + 1) * n] for i in range(n)]
        row = dict(n=k, x=tuple(x), f=tuple(gx), df=dgx[0] if n == 1 else None, value=vx)
        if k >= limit:
            its.append(Iteration(**row))
            break
        if steps is None and all(v == 0 for v in gx):
            status = "converged"
            its.append(Iteration(**row))
            break
        if rule == "inverted":
            if any(v == 0 for v in gx):
                status = "zero_derivative"
                its.append(Iteration(**row))
                break
            dx = [-dgx[0] / gx[0]]
        else:
            dx = _solve(jac, [-v for v in gx], exact)
            if dx is None:
                # a flat tangent after iterates that keep growing is divergence (atan x)
                status = "diverged" if _growing(its) else "zero_derivative"
                its.append(Iteration(**row))
                break
            if rule == "wrong_sign":
                dx = [-v for v in dx]
        its.append(Iteration(**row, dx=tuple(dx)))
        new = [a + d for a, d in zip(x, dx, strict=True)]
        k += 1
        if any(not math.isfinite(float(v)) or abs(float(v)) > DIVERGED for v in new):
            status = "diverged"
            its.append(Iteration(k, tuple(new), (None,) * n))
            break
        if exact and _size(new) > EXACT_DIGITS:
            new = [float(v) for v in new]
            exact, switched = False, True
            ev_g = _evaluator(g, variables, False)
            ev_dg = _evaluator([e for r in dg for e in r], variables, False)
            ev_value = _evaluator([value], variables, False) if value is not None else None
        step_small = _close(new, x, tol) if not exact else all(float(abs(d)) <= tol for d in dx)
        if len(its) >= 2 and cycle_at is None and not step_small and _close(new, its[-2].x, 1e-9):
            cycle_at = k
            if steps is None:
                status = "cycle"
                try:
                    its.append(Iteration(k, tuple(new), tuple(ev_g(new))))
                except _Undefined:
                    its.append(Iteration(k, tuple(new), (None,) * n))
                break
        x = new
        if steps is None and step_small:
            status = "converged"
            try:
                gx = ev_g(x)
                dgx = ev_dg(x)
                vx = ev_value(x)[0] if ev_value is not None else None
            except _Undefined:
                gx, dgx, vx = [None] * n, [None], None
            its.append(Iteration(k, tuple(x), tuple(gx), dgx[0] if n == 1 else None, value=vx))
            break
    return _Run(its, status, cycle_at, switched)


def newton(exprs, reading: Reading, variables, start, *, optimise=False, tol=1e-10, max_iter=50,
           steps=None, exact=False) -> NewtonResult:
    """Run Newton's method and explain the outcome."""
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
    status = run.status
    last = its[-1]
    converged = status == "converged"
    if status == "steps":
        converged = its[-2].dx is not None and _close(last.x, its[-2].x, tol) if len(its) > 1 else False
        if last.f and all(v is not None and float(v) == 0 for v in last.f):
            converged = True
    head, why = _explain(status, run, its, optimise, n, steps, tol)
    if run.cycle_at is not None and status == "steps":
        a, b = its[run.cycle_at - 1].x, its[run.cycle_at].x
        notes.append((f"The iterates cycle: x{run.cycle_at} = x{run.cycle_at - 2} ({_pt(b)}), "
                      f"so they alternate between {_pt(a)} and {_pt(b)} and never converge.", True))
    kind, kind_text = None, ""
    if optimise and status in ("converged", "steps") and last.f[0] is not None:
        kind, kind_text = _classify(dg, variables, last.x)
        if kind == "maximum":
            notes.append(("Newton's method finds any stationary point: this one is a maximum, "
                          "not a minimum. To find a minimum, start elsewhere (or use descent).", True))
    return NewtonResult(reading, tuple(exprs), variables, start, optimise, not optimise and n > 1,
                        g, dg, tuple(its), bool(converged), status, head, why, tol, max_iter, steps,
                        exact, kind, kind_text, tuple(notes))


def _pt(x) -> str:
    vals = [to_text(sp.nsimplify(v)) if isinstance(v, float) and float(v).is_integer()
            else (format(v, ".10g") if isinstance(v, float) else to_text(v)) for v in x]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"


def _explain(status, run, its, optimise, n, steps, tol) -> tuple[str, str]:
    deriv = ("f''" if optimise else "f'") if n == 1 else ("the Hessian" if optimise else "the Jacobian")
    last = its[-1]
    if status == "converged":
        its_ = f"After {last.n} iteration{'s' if last.n != 1 else ''}"
        if last.f and all(v is not None and v == 0 for v in last.f):
            what = ("the gradient is exactly 0" if n > 1 else "f' is exactly 0") if optimise \
                else ("F is exactly 0" if n > 1 else "f is exactly 0")
            if len(its) > 1 and its[-2].dx is not None and _close(last.x, its[-2].x, tol):
                what += f" (and the correction is below {tol:g})"
            return "Converged", f"{its_} {what}: x = {_pt(last.x)}."
        return "Converged", f"{its_} the correction is below {tol:g}: x = {_pt(last.x)}."
    if status == "steps":
        return (f"Stopped after {steps} iteration{'s' if steps != 1 else ''}, as asked "
                f"(--steps {steps})",
                f"x{last.n} = {_pt(last.x)}.")
    if status == "zero_derivative":
        what = "is zero" if n == 1 else "is singular (no inverse)"
        return "Stopped: the derivative vanishes", (
            f"At x{last.n} = {_pt(last.x)}, {deriv} {what}: the tangent is flat, so Newton's "
            f"step divides by zero. Start from another point.")
    if status == "diverged":
        return "Diverged", (f"The iterates ran off to {_pt(last.x)}: the tangents lead away from "
                            f"any root. Start closer to the root.")
    if status == "cycle":
        a, b = its[-2].x, its[-1].x
        return "Cycling: no convergence", (
            f"x{last.n} = x{last.n - 2}: the iterates alternate between {_pt(a)} and {_pt(b)} "
            f"forever (a 2-cycle). Start from another point.")
    if status == "undefined":
        return "Stopped: undefined", (f"The function is not defined (as a real number) at "
                                      f"x{last.n} = {_pt(last.x)}.")
    return "Not converged", (f"No convergence within {last.n} iterations (the correction is "
                             f"still above {tol:g}). Raise --max-iter or start closer.")


def _classify(dg, variables, x) -> tuple[str, str]:
    """The kind of stationary point from f'' (or the Hessian's leading principal minors)."""
    sub = dict(zip(variables, [sp.nsimplify(v) if isinstance(v, float) else v for v in x], strict=True))
    h = sp.Matrix([[sp.Float(float(sp.N(e.subs(sub)))) for e in row] for row in dg])
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
    """f' kept at the start x0 for every step (the chord method: the 'wrong point' slip)."""
    ev_g = _evaluator(result.g, result.variables, result.exact)
    ev_dg = _evaluator([result.dg[0][0]], result.variables, result.exact)
    x = list(result.start)
    d0 = ev_dg(x)[0]
    its = [Iteration(0, tuple(x), tuple(ev_g(x)))]
    if d0 == 0:
        return _Run(its, "zero_derivative")
    for k in range(1, n_steps + 1):
        x = [x[0] - ev_g(x)[0] / d0]
        its.append(Iteration(k, tuple(x), tuple(ev_g(x))))
    return _Run(its, "steps")
