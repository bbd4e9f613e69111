"""Lagrange multipliers: stationary points of f on g = 0 from grad L = 0, L = f - lam g.

The system is solved exactly by ``sympy.solve`` within a time limit; a polynomial system
with no solution is proved so (its Groebner basis is {1}). When exact solving fails (too
slow, or not solvable in closed form) the system is solved numerically by Newton's method
from many starting points, and every such candidate says so.

Lagrange's condition only holds where the constraint's gradients are independent, so the
points of the constraint set where they are not (for one constraint: grad g = 0) are
candidates too. Every candidate gets a kind from the second-order test along the
constraint (the Hessian of L on the tangent space, equivalent to the bordered Hessian), or
the reason the test cannot decide.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import re
import time
from dataclasses import dataclass, field, replace
from typing import Sequence

import sympy as sp

from calctutor.domain import conditions_of, real_roots, violated
from calctutor.notation import to_text
from calctutor.results import Reading, json_value
from calctutor.sandbox import within
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.tidy import tidy
from calctutor.topics.optimise.lagrange_bounds import ATTAINED, UNKNOWN, statuses
from calctutor.topics.optimise.lagrange_numeric import Sampling
from calctutor.topics.optimise.linalg import linear_solve

SOLVE_SECONDS = 3.0       # soft limit for the exact solve
NUMERIC_STARTS = 60       # starting points of the numerical fall-back
NUMERIC_SECONDS = 6.0     # soft limit for the numerical fall-back
SAME = 1e-7               # relative distance under which two numerical roots are one
TOTAL_SECONDS = 14.0      # all stages together, inside the CLI's 20 s hard limit

_deadline: list[float] = []   # the current solve's deadline (monotonic clock)


def _budget(limit: float) -> float:
    """A stage's soft limit: ``limit``, cut to what is left of the whole solve's time."""
    if not _deadline:
        return limit
    return min(limit, max(_deadline[-1] - time.monotonic(), 0.05))


@dataclass(frozen=True)
class Candidate:
    """A candidate point: the point, its multipliers and f there.

    ``singular``: a point of the constraint set where the constraints' gradients are
    dependent (grad g = 0 for one constraint), so it need not solve grad L = 0 and has no
    multipliers. ``numerical``: found by a numerical search (approximate). ``kind`` is
    "local maximum", "local minimum", "saddle" (f rises and falls along the constraint:
    an indefinite second-order test), "neither" (an inflection along a curve) or
    "undecided"; ``reason`` gives the evidence or why it cannot be decided;
    ``best`` adds "global maximum"/"global minimum" when that is proved.
    """

    point: tuple[sp.Expr, ...]
    multipliers: tuple[sp.Expr, ...]
    value: sp.Expr
    singular: bool = False
    numerical: bool = False
    edge: bool = False          # f is not differentiable here (a root's zero, |0|, ...)
    kind: str = ""
    reason: str = ""
    best: tuple[str, ...] = ()
    residual: float | None = None   # |∇L| at a numerical candidate (how well it solves)

    def to_json(self, variables) -> dict:
        out = {
            "point": {v.name: _text(p) for v, p in zip(variables, self.point, strict=True)},
            "multipliers": [_text(m) for m in self.multipliers],
            "value": _text(self.value),
            "kind": self.kind,
            "global": list(self.best),
            "numerical": self.numerical,
            "constraint_gradient_vanishes": self.singular,
            "f_not_differentiable": self.edge,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.residual is not None:
            out["residual"] = self.residual
        return out

    @property
    def numeric_value(self) -> float:
        return float(sp.re(sp.N(self.value, 20)))

    @property
    def label(self) -> str:
        """The kind in a few words, for a table cell."""
        words = {"local maximum": "local max", "local minimum": "local min",
                 "saddle": "neither (saddle)", "neither": "neither (inflection)"}
        short = {"global maximum": "global max", "global minimum": "global min"}
        parts = [short.get(b, b) for b in self.best] or [words.get(self.kind, self.kind)]
        if self.singular:
            parts.append("∇g = 0")
        if self.edge:
            parts.append("f not differentiable")
        return ", ".join(p for p in parts if p)


def _text(v) -> str:
    """Exact values in SymPy syntax; floats as decimal strings (both read back by sympify)."""
    v = json_value(v)
    return repr(v) if isinstance(v, float) else v


@dataclass(frozen=True)
class LagrangeResult:
    """The problem, its Lagrangian and system, the candidates and which are max and min.

    ``method`` is "exact" (sympy.solve) or "numeric" (Newton from many starts).
    """

    input: Reading
    expr: sp.Expr
    constraints: tuple[sp.Expr, ...]
    constraint_readings: tuple[Reading, ...]
    variables: tuple[sp.Symbol, ...]
    multipliers: tuple[sp.Symbol, ...]
    lagrangian: sp.Expr
    equations: tuple[sp.Expr, ...]
    candidates: tuple[Candidate, ...]
    method: str
    positive: bool = False
    goal: str = "max"
    notes: tuple[str, ...] = ()
    families: tuple[dict, ...] = ()   # solutions with a free parameter (not isolated points)
    extra: dict = field(default_factory=dict)
    # "attained" (proved), "none" (proved: f has no maximum) or "unknown"
    max_status: str = "unknown"
    min_status: str = "unknown"
    max_witness: tuple | None = None   # (point floats, f) showing f > every candidate
    min_witness: tuple | None = None
    # "solved" (exactly), "no_solution" (proved), "numeric" (Newton from many starts)
    system_status: str = "solved"
    system_proof: str = ""             # why grad L = 0 has no solution
    singular_note: str = ""            # what the search where grad g = 0 found
    max_evidence: str = ""             # a curve on the constraint along which f -> +oo
    min_evidence: str = ""
    # every max or min of f on the constraint is among the candidates (exact solving,
    # smooth f and g): otherwise a numerical search may have missed one
    complete: bool = True
    # f followed along a closed constraint curve (the numerical path's completeness evidence)
    sampling: Sampling | None = None
    starts: int = 0                    # Newton's starting points (numerical path)
    numeric_asked: bool = False        # --numeric: the exact solve was skipped on request

    @property
    def largest(self) -> tuple[Candidate, ...]:
        """The candidates with the largest f (the maximum, if f has one)."""
        return _extreme(self.candidates, max)

    @property
    def smallest(self) -> tuple[Candidate, ...]:
        return _extreme(self.candidates, min)

    @property
    def maximum(self) -> tuple[Candidate, ...]:
        """The largest candidates, or () when f has no maximum on the constraint or a point
        of the constraint set beats every candidate (so the largest is not the maximum)."""
        if self.max_status == "none" or self.max_witness is not None:
            return ()
        return self.largest

    @property
    def minimum(self) -> tuple[Candidate, ...]:
        if self.min_status == "none" or self.min_witness is not None:
            return ()
        return self.smallest

    def to_json(self) -> dict:
        v = self.variables
        out = {
            "lagrangian": sp.sstr(self.lagrangian),
            "equations": [sp.sstr(e) for e in self.equations],
            "candidates": [c.to_json(v) for c in self.candidates],
            "maximum": [c.to_json(v) for c in self.maximum],
            "minimum": [c.to_json(v) for c in self.minimum],
            "input": self.input.text,
            "constraints": [sp.sstr(g) for g in self.constraints],
            "variables": [s.name for s in v],
            "multipliers": [s.name for s in self.multipliers],
            "method": self.method,
            "maximum_status": self.max_status,
            "minimum_status": self.min_status,
            "system": self.system_status,
            "complete": self.complete,
        }
        for key, text in (("system_proof", self.system_proof),
                          ("singular_points", self.singular_note),
                          ("maximum_evidence", self.max_evidence),
                          ("minimum_evidence", self.min_evidence)):
            if text:
                out[key] = text
        for key, w in (("maximum_witness", self.max_witness),
                       ("minimum_witness", self.min_witness)):
            if w is not None:
                out[key] = {"point": {v.name: t for v, t in zip(self.variables, w[0],
                                                                 strict=True)},
                            "value": w[1]}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.sampling is not None:
            out["sampling"] = self.sampling.to_json()
        if self.starts:
            out["starts"] = self.starts
        return out

    def answer_spec(self):
        """``goal`` max/min: the optimum value; system: the components of grad L."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.errors import UsageError
        from calctutor.topics.optimise.mistakes import lagrange_mistakes

        names = tuple(s.name for s in (*self.variables, *self.multipliers))
        if self.goal == "system":
            return AnswerSpec("vector", list(self.equations), "the components of grad L",
                              variables=(*self.variables, *self.multipliers),
                              positive=self.positive,
                              mistakes=lambda: lagrange_mistakes(self),
                              entry_names=tuple(f"dL/d{n}" for n in names))
        best = self.maximum if self.goal == "max" else self.minimum
        if not best:
            word = "maximum" if self.goal == "max" else "minimum"
            status = self.max_status if self.goal == "max" else self.min_status
            if status == "none":
                raise UsageError(f"f has no {word} on the constraint, so there is no {word} "
                                 "value to check")
            if self.candidates:
                raise UsageError(f"the {word} of f on the constraint is not known (a point of "
                                 "the constraint beats every candidate found), so there is "
                                 f"no {word} value to check")
            raise UsageError("no candidates were found, so there is no optimum to check")
        word = "maximum" if self.goal == "max" else "minimum"
        status = self.max_status if self.goal == "max" else self.min_status
        proved = status == "attained" and self.complete
        what = (f"the {word} value of f" if proved else
                f"the {'largest' if self.goal == 'max' else 'smallest'} candidate value of f "
                f"(the {word}, if f has one and no candidate was missed)")
        if proved and best[0].numerical:
            what = f"the {word} value of f (found numerically)"
        spec = AnswerSpec("number", best[0].value, what, variables=(), label=word,
                          mistakes=lambda: lagrange_mistakes(self),
                          tolerance=1e-6 if self.method == "numeric" else 1e-9)
        if not best[0].numerical:
            return spec
        return dataclasses.replace(spec, adapt=lambda text: to_places(spec, text))


# A numerical value is known to about this many decimal places (Newton's residual is
# below 1e-9): more typed places are checked to this many.
KNOWN_PLACES = 9


def to_places(spec, text: str):
    """The spec of a numerical value (or values) checked to the decimal places typed in ``text`` (half
    a unit in the last place), and saying so; an answer without decimals is checked to
    ``KNOWN_PLACES``. Too few places for about 3 significant digits: None (the general check
    then calls the answer too rough)."""
    places = [len(d) for d in re.findall(r"\d*\.(\d+)", text)]
    entries = spec.expected if isinstance(spec.expected, (list, tuple)) else [spec.expected]
    scale = max(1.0, *(abs(float(sp.N(e))) for e in entries))
    if not places:
        return dataclasses.replace(spec, tolerance=10.0 ** -KNOWN_PLACES)
    d = min(max(places), KNOWN_PLACES)
    half = 0.5 * 10.0 ** -d
    if half > 1e-3 * scale:
        return None
    return dataclasses.replace(
        spec, tolerance=half * (1 + 1e-9) / scale,
        what=f"{spec.what} to {d} decimal place{'s' if d != 1 else ''} "
             f"(within {half:g})")


def _extreme(candidates, pick) -> tuple[Candidate, ...]:
    if not candidates:
        return ()
    best = pick(c.numeric_value for c in candidates)
    return tuple(c for c in candidates if abs(c.numeric_value - best) <= 1e-9 * max(1, abs(best)))


# ---------------------------------------------------------------------------------------


def multiplier_names(count: int, taken: set[str]) -> list[str]:
    """lam (λ) for one constraint, lam1, lam2, ... for several; mu (μ) when the problem
    has a variable named lam (λ) of its own, then lam_, lam__, ... (never a name in use)."""

    def used(base):
        return any(n == base or n.startswith(base) and n[len(base):].isdigit() for n in taken)

    base = "lam" if not used("lam") else "mu" if not used("mu") else "lam_"
    while used(base):
        base += "_"
    return [base] if count == 1 else [f"{base}{k}" for k in range(1, count + 1)]


def lagrangian(f, constraints, multipliers) -> sp.Expr:
    """L = f - lam1 g1 - lam2 g2 - ... (the course's sign convention)."""
    return f - sum((m * g for m, g in zip(multipliers, constraints, strict=True)), sp.Integer(0))


def system(L, variables, multipliers) -> tuple[sp.Expr, ...]:
    """grad L with respect to the variables, then the multipliers (those give -g)."""
    unknowns = (*variables, *multipliers)
    out = []
    for v in unknowns:
        d = tidy(diff_steps(L, v).result)
        # a polynomial component reads best multiplied out, as the course writes it
        out.append(sp.expand(d) if d.is_polynomial(*unknowns) else d)
    return tuple(out)


def solve_lagrange(f: sp.Expr, reading: Reading, constraints: Sequence[sp.Expr],
                   readings: Sequence[Reading], variables: Sequence[sp.Symbol],
                   multipliers: Sequence[sp.Symbol], *, positive: bool = False,
                   goal: str = "max", solve_seconds: float | None = None,
                   numeric: bool = False) -> LagrangeResult:
    """Build L, its system grad L = 0, solve it (exactly, else numerically; ``numeric``:
    numerically only), add the points where the constraint's gradient vanishes, classify
    each candidate, pick max/min."""
    _deadline.append(time.monotonic() + TOTAL_SECONDS)
    try:
        return _solve(f, reading, constraints, readings, variables, multipliers, positive,
                      goal, solve_seconds, numeric)
    finally:
        _deadline.pop()


def _solve(f, reading, constraints, readings, variables, multipliers, positive, goal,
           solve_seconds, numeric=False) -> LagrangeResult:
    variables, multipliers = tuple(variables), tuple(multipliers)
    constraints = tuple(constraints)
    L = lagrangian(f, constraints, multipliers)
    eqs = system(L, variables, multipliers)
    seconds = SOLVE_SECONDS if solve_seconds is None else solve_seconds
    domain = _domain(f, constraints, (reading, *readings))
    found = _stationary(f, eqs, variables, multipliers, positive, seconds, domain,
                        numeric=numeric, constraints=constraints)
    notes = list(found.notes)
    sing = _singular(f, constraints, variables, multipliers, positive, seconds, domain)
    notes += sing.notes
    edges = within(_budget(2.0), _edge_points, f, constraints, variables, positive, domain,
                   default=None)
    if edges is None:
        notes.append("The points of the constraint where f is not differentiable could not "
                     "all be found in time.")
        edges = []
    elif edges:
        notes.append("At " + " and ".join(_point_str(c.point) for c in edges) + " f is not "
                     "differentiable (an edge of its domain, or a corner), so Lagrange's "
                     "condition need not hold there: "
                     + ("it is a candidate too." if len(edges) == 1 else
                        "they are candidates too."))
    candidates = _dedupe([*found.candidates, *sing.candidates, *edges])
    candidates = sorted(candidates, key=lambda c: [float(sp.N(p)) for p in c.point])
    families = (*found.families, *sing.families)
    # every max or min of f on the constraint is among the candidates when both searches
    # are complete and f and g are smooth (an extreme of a smooth f on a smooth manifold
    # solves Lagrange's equations)
    smooth = _smooth([f, *constraints])
    complete = found.complete and sing.complete and not families and smooth
    if not smooth:
        notes.append("f or a constraint has a root, |x|, asin or the like, so an extreme "
                     "may also lie where it is not differentiable or at an edge of its "
                     "domain; such points that were found are listed, but the list is not "
                     "proved complete.")
    if not candidates and not families and found.status != "no_solution":
        notes.append("No stationary point of L was found" + (
            " with all variables positive." if positive else "."))
    values = [c.numeric_value for c in candidates]
    (mx, mxw, mxe), (mn, mnw, mne) = within(
        _budget(3.0), statuses, f, constraints, variables, positive,
        max(values) if values else None, min(values) if values else None, complete,
        default=((UNKNOWN, None, ""), (UNKNOWN, None, "")))
    status = dict(max_status=mx, min_status=mn, max_witness=mxw, min_witness=mnw,
                  max_evidence=mxe, min_evidence=mne)
    if candidates and mx == UNKNOWN and mxw is None and mn == UNKNOWN and mnw is None:
        notes.append("The largest and smallest values of f among the candidates are the "
                     "maximum and minimum only if f has them: the constraint set is not "
                     "known to be bounded, so f might have no maximum or minimum there.")
    else:
        for word, st, w in (("largest", mx, mxw), ("smallest", mn, mnw)):
            if candidates and st == UNKNOWN and w is None:
                goal_word = "maximum" if word == "largest" else "minimum"
                notes.append(f"The {word} value of f among the candidates is the {goal_word} "
                             f"only if f has a {goal_word} on the constraint, which is not "
                             "proved here.")
    if not candidates and not families and mxw is None and mnw is None \
            and found.sampling is None:
        notes.append("No point of the constraint set was found at all (a numerical search "
                     "from many starts): it may be empty.")
    candidates = within(_budget(3.0), _classify, f, constraints, variables, multipliers, candidates,
                        default=None) or [_undecided(c, "the second-order test took too long")
                                          for c in candidates]
    candidates = _mark_global(candidates, mx, mn, mxw, mnw, complete)
    return LagrangeResult(reading, f, constraints, tuple(readings), variables,
                          multipliers, L, eqs, tuple(candidates), found.method, positive, goal,
                          tuple(notes), tuple(families), **status,
                          system_status=found.status, system_proof=found.proof,
                          singular_note=sing.summary, complete=complete,
                          sampling=found.sampling, starts=found.starts, numeric_asked=numeric)


@dataclass
class _Found:
    candidates: list
    families: list
    method: str = "exact"
    status: str = "solved"
    proof: str = ""
    notes: list = field(default_factory=list)
    complete: bool = True
    summary: str = ""
    sampling: Sampling | None = None
    starts: int = 0


def _stationary(f, eqs, variables, multipliers, positive, seconds, domain, *,
                numeric: bool = False, constraints=()) -> _Found:
    """The solutions of grad L = 0: exact, proved absent, or numerical (``numeric``: the
    exact solve is skipped)."""
    unknowns = (*variables, *multipliers)
    if numeric:
        return _numeric_stationary(f, eqs, variables, multipliers, positive, domain,
                                   constraints, "was solved numerically, as asked (--numeric)")
    exact = within(_budget(seconds), _solve_system, eqs, unknowns, default=_TIMED_OUT)
    if isinstance(exact, tuple):
        sols, families = exact
        candidates = [_candidate(f, variables, multipliers, s) for s in sols]
        # the multipliers free but the point fixed: the gradients are dependent there (a
        # singular point, which the search where grad g = 0 lists as well)
        fixed = [s for s in families
                 if all(v in s and not s[v].free_symbols for v in variables)]
        families = [s for s in families if s not in fixed]
        candidates += [_candidate(f, variables, (), {v: s[v] for v in variables},
                                  singular=True) for s in fixed]
        candidates = [c for c in candidates
                      if c is not None and _allowed(c, positive) and _defined(c, variables, domain)]
        out = _Found(candidates, families)
        if _odd_roots(eqs):
            # SymPy solves with principal roots, which are not real for a negative radicand:
            # the real roots' solutions there come from the numerical search
            more = within(_budget(NUMERIC_SECONDS), _solve_numeric, f, eqs, variables, multipliers,
                          positive, default=[]) or []
            more = [c for c in more if _defined(c, variables, domain)]
            out.candidates = _dedupe([*candidates, *more])
            out.complete = False
            out.notes.append("Odd roots are real roots here (cbrt(-8) = -2), which SymPy's "
                             "exact solver does not use for negative numbers, so the system "
                             "was also solved numerically: candidates marked numerical are "
                             "approximate and some may be missing.")
        if families:
            out.notes.append("Some solutions form a curve or surface of stationary points (not "
                             "isolated points); they are not listed as candidates.")
        return out
    if isinstance(exact, _Proof):
        return _Found([], [], status="no_solution", proof=exact.text, notes=[
            f"The system ∇L = 0 has no solution: {exact.text}."])
    why = ("could not be solved exactly within the time limit, so it was solved numerically"
           if exact is _TIMED_OUT else "could not be solved exactly (SymPy found no closed "
           "form), so it was solved numerically")
    return _numeric_stationary(f, eqs, variables, multipliers, positive, domain, constraints,
                               why)


def _numeric_stationary(f, eqs, variables, multipliers, positive, domain, constraints,
                        why) -> _Found:
    """Newton's method from many starts; for one constraint that is a closed star-shaped
    curve in the plane, also f followed along the whole curve (the completeness evidence).
    Every candidate carries its residual |∇L|."""
    candidates = within(_budget(NUMERIC_SECONDS), _solve_numeric, f, eqs, variables, multipliers,
                        positive, default=[]) or []
    candidates = _dedupe([c for c in candidates if _defined(c, variables, domain)])
    from_starts = len(candidates)
    sampling = None
    if len(variables) == 2 and len(constraints) == 1 and not positive and _smooth([f]):
        followed = within(_budget(4.0), _follow_curve, f, constraints[0], eqs, variables,
                          multipliers, default=None)
        if followed is not None:
            more, sampling = followed
            candidates = _dedupe([*candidates, *more])
    unknowns = (*variables, *multipliers)
    candidates = [replace(c, residual=_residual(eqs, unknowns, c)) for c in candidates]
    n = len(candidates)
    text = (f"The system {why}: Newton's method from {NUMERIC_STARTS} starting points found "
            f"{from_starts} candidate{'s' if from_starts != 1 else ''}, each checked "
            "(|∇L| < 1e-9 there, shown in the table).")
    if sampling is not None and sampling.certain:
        values = [c.numeric_value for c in candidates]
        if n != from_starts:
            text += (f" Following f along the constraint curve found {n - from_starts} more "
                     "than the starts did (see below).")
        complete = bool(values) and sampling.high <= max(values) + 1e-9 * (1 + abs(max(values))) \
            and sampling.low >= min(values) - 1e-9 * (1 + abs(min(values)))
    else:
        text += (" Points of the constraint not reached from a start cannot be excluded: "
                 "the candidates are approximate and some may be missing.")
        complete = False
    return _Found(candidates, [], method="numeric", status="numeric", complete=complete,
                  notes=[text], sampling=sampling, starts=NUMERIC_STARTS)


def _residual(eqs, unknowns, c: Candidate) -> float | None:
    """|∇L| at a numerical candidate with multipliers (None for an exact one)."""
    if not c.numerical or not c.multipliers:
        return None
    from calctutor.topics.optimise.lagrange_numeric import residual

    try:
        return residual(eqs, unknowns, [*c.point, *c.multipliers])
    except (TypeError, ValueError):
        return None


def _follow_curve(f, g, eqs, variables, multipliers):
    """(candidates, Sampling) from f sampled along a star-shaped constraint curve, each turn
    of the samples refined and polished by Newton on ∇L = 0; None when the constraint is not
    such a curve or f cannot be evaluated along it."""
    from calctutor.topics.optimise import lagrange_numeric as ln

    x, y = variables
    star = ln.star_curve(g, x, y)
    if star is None:
        return None
    sampled = ln.sample_curve(star, f, x, y)
    if sampled is None:
        return None
    theta, r, values = sampled
    turns = ln.turns(values)
    unknowns = (*variables, *multipliers)
    F = sp.lambdify(unknowns, [real_roots(e) for e in eqs], modules=MATH)
    J = sp.lambdify(unknowns, [[real_roots(e) for e in row] for row in
                               sp.Matrix(eqs).jacobian(unknowns).tolist()], modules=MATH)
    fr = real_roots(f)
    out, matched = [], 0
    for index, kind in turns:
        try:
            p = ln.refine(star, fr, x, y, theta, r, index, kind)
            lam = ln.multiplier_at(fr, g, x, y, p)
        except (ArithmeticError, ValueError, TypeError):
            continue
        root = _newton(F, J, [float(p[0]), float(p[1]), lam])
        if root is None or any(abs(a - b) > 1e-5 * (1 + abs(b)) for a, b in zip(root[:2], p, strict=True)):
            continue   # Newton left the turn: it is not confirmed as a solution of ∇L = 0
        value = _real_value(f, variables, tuple(sp.Float(v, 15) for v in root[:2]))
        if value is None:
            continue
        matched += 1
        out.append(Candidate(tuple(sp.Float(v, 15) for v in root[:2]), (sp.Float(root[2], 15),),
                             value, numerical=True))
    sampling = ln.Sampling(star.text, len(theta), len(turns), matched,
                           float(values.max()), float(values.min()))
    return out, sampling


_TIMED_OUT = "timed out"


def _odd_roots(exprs) -> bool:
    """Some b^(p/q) with q odd and b possibly negative (where real and principal differ)."""
    return any(isinstance(n, sp.Pow) and n.exp.is_Rational and not n.exp.is_Integer
               and n.exp.q % 2 == 1 and n.base.is_nonnegative is not True
               for e in exprs for n in sp.preorder_traversal(e))


@dataclass(frozen=True)
class _Proof:
    """Why a system has no solution."""

    text: str


def _solve_system(eqs, unknowns):
    """(isolated solutions, families); a _Proof that there is none; or None when SymPy
    cannot solve it. An empty answer from sympy.solve is not trusted (it can miss a whole
    family): a polynomial system is then proved empty by its Groebner basis, or solved
    again from that basis."""
    polynomial = all(e.is_polynomial(*unknowns) for e in eqs)
    found = _solve_split(eqs, unknowns)
    if found is not None and (found[0] or found[1]):
        return found
    if not polynomial:
        return None
    proof = _no_solution_proof(eqs, unknowns)
    if proof:
        return _Proof(proof)
    basis = list(sp.groebner(list(eqs), *unknowns, order="lex").exprs)
    found = _solve_split(basis, unknowns, eqs)
    if found is not None and (found[0] or found[1]):
        return found
    return None


def _solve_split(eqs, unknowns, original=None):
    """sympy.solve's answer as (isolated solutions that check, families), or None when it
    fails or returns a "family" that does not satisfy the equations (with check=False
    solve can leave an equation unused: x free in {lam: -1, y: sqrt(x^3)})."""
    original = eqs if original is None else original
    try:
        # check=False: solve's own check imports sympy.physics (1.7 s); we check below
        sols = sp.solve(list(eqs), list(unknowns), dict=True, check=False)
    except Exception:  # noqa: BLE001 - SymPy raises many kinds on systems it cannot solve
        return None
    isolated, families = [], []
    for s in _complete(sols, original, unknowns):
        if any(u not in s for u in unknowns) or any(
                (val.free_symbols & set(unknowns)) for val in s.values()):
            if not _family_holds(original, s, unknowns):
                return None
            families.append(s)
        elif _satisfies(original, s):
            isolated.append(s)
    if sols and not isolated and not families:
        return None   # what solve returned fails the equations
    return isolated, families


def _complete(sols, eqs, unknowns) -> list[dict]:
    """Solutions that leave out unknowns with the equations still fixing them (solve on a
    Groebner basis can return {x: 2/3, y: ...} without lam) finished by solving for those."""
    out = []
    for s in sols:
        missing = [u for u in unknowns if u not in s]
        if not missing or any(v.free_symbols & set(unknowns) for v in s.values()):
            out.append(s)
            continue
        rest = [r for r in (sp.expand(e.xreplace(s)) for e in eqs) if r != 0]
        if not rest:
            out.append(s)
            continue
        try:
            more = sp.solve(rest, missing, dict=True, check=False)
        except Exception:  # noqa: BLE001 - left as a family, which the check then rejects
            more = []
        out.extend({**s, **m} for m in more) if more else out.append(s)
    return out


def _family_holds(eqs, sol, unknowns) -> bool:
    """A solution with free unknowns satisfies every equation at a few sample values of
    them (positive, where a root in the family is real)."""
    free = sorted({u for u in unknowns if u not in sol}
                  | {s for v in sol.values() for s in v.free_symbols if s in unknowns},
                  key=lambda u: u.name)
    for sample in ("3/7", "5/3", "13/4"):
        at = {u: sp.Rational(sample) + j for j, u in enumerate(free)}
        full = {u: sol[u].xreplace(at) if u in sol else at[u] for u in unknowns}
        if not _satisfies(eqs, full):
            return False
    return True


def _no_solution_proof(eqs, unknowns) -> str | None:
    """Why a polynomial system has no (complex, hence no real) solution, or None."""
    if all(sp.Poly(e, *unknowns).total_degree() <= 1 for e in eqs):
        if sp.linsolve(list(eqs), list(unknowns)) == sp.EmptySet:
            return ("its equations are linear and contradict each other (eliminating "
                    "unknowns leaves a nonzero number = 0)")
        return None
    basis = sp.groebner(list(eqs), *unknowns, order="grevlex")
    if list(basis.exprs) == [1]:
        return ("its Groebner basis is {1}, so 1 = 0 is a combination of the equations")
    return None


def _singular(f, constraints, variables, multipliers, positive, seconds, domain,
              reduce: bool = True) -> _Found:
    """The points of the constraint set where the constraints' gradients are dependent
    (grad g = 0 for one constraint): Lagrange's condition need not hold there."""
    n, m = len(variables), len(constraints)
    J = sp.Matrix(constraints).jacobian(variables)
    conds = list(J) if m == 1 else [J[:, list(cols)].det()
                                    for cols in itertools.combinations(range(n), m)]
    conds = list(dict.fromkeys(sp.expand(c) if c.is_polynomial(*variables) else c
                               for c in conds))
    conds = [c for c in conds if c != 0]
    # "where ..." / "... holds": the condition in both grammatical places
    what = "∇g = 0" if m == 1 else "the constraints' gradients are dependent"
    none = ("No point of the constraint set has ∇g = 0" if m == 1 else
            "At no point of the constraint set are the constraints' gradients dependent")
    eqs = [*constraints, *conds]
    polynomial = all(e.is_polynomial(*variables) for e in eqs)
    sols = within(_budget(seconds), _solve_system, eqs, variables, default=_TIMED_OUT) if conds else None
    if isinstance(sols, _Proof):
        return _Found([], [], summary=f"{none} (the constraint{'s' if m > 1 else ''} "
                      f"together with {what}: {sols.text}).")
    if isinstance(sols, tuple) and not sols[1]:
        cands = [_candidate(f, variables, (), s, singular=True) for s in sols[0]]
        cands = [c for c in cands
                 if c is not None and _allowed(c, positive) and _defined(c, variables, domain)]
        return _Found(cands, [], complete=polynomial, summary=_singular_text(
            variables, cands, what) if cands else f"{none}.")
    if not conds or isinstance(sols, tuple):   # a whole curve (or the whole set) is singular
        reduced = _square_free(constraints, variables) if reduce else None
        if reduced is not None:
            return _reduced(f, constraints, reduced, variables, multipliers, positive,
                            seconds, domain, what)
        note = (f"{what[0].upper() + what[1:]} along a whole curve of the "
                "constraint set, so Lagrange's method cannot find the extremes there; they "
                "are not listed.")
        return _Found([], [{}], complete=False, notes=[note], summary=note)
    cands = within(_budget(NUMERIC_SECONDS / 2), _points_numeric, f, eqs, variables, positive,
                   default=[]) or []
    cands = [c for c in cands if _defined(c, variables, domain)]
    note = (f"The points where {what} were searched numerically (from many starts): "
            + ("found " + ", ".join(_point_str(c.point) for c in cands) if cands
               else "none found") + "; some may be missing.")
    return _Found(cands, [], complete=False, notes=[note], summary=note)


def _square_free(constraints, variables):
    """The constraints with repeated polynomial factors removed (same zero set), or None
    when none has any."""
    out, changed = [], False
    for g in constraints:
        if g.is_polynomial(*variables):
            poly = sp.Poly(g, *variables)
            h = sp.sqf_part(poly)
            if h.total_degree() < poly.total_degree():
                out.append(h.as_expr())
                changed = True
                continue
        out.append(g)
    return tuple(out) if changed else None


def _reduced(f, constraints, reduced, variables, multipliers, positive, seconds, domain,
             what) -> _Found:
    """The candidates on the same set written without repeated factors."""
    L = lagrangian(f, reduced, multipliers)
    eqs = system(L, variables, multipliers)
    found = _stationary(f, eqs, variables, multipliers, positive, seconds, domain)
    sing = _singular(f, reduced, variables, multipliers, positive, seconds, domain,
                     reduce=False)
    cands = _classify(f, reduced, variables, multipliers, _dedupe([*found.candidates,
                                                                  *sing.candidates]))
    cands = [replace(c, singular=True, multipliers=()) for c in cands]
    same = ", ".join(f"{sp.sstr(h)} = 0" for h, g in zip(reduced, constraints, strict=True)
                     if h != g)
    note = (f"{what[0].upper() + what[1:]} at every point of the constraint set: a constraint has a repeated "
            f"factor, so Lagrange's equations fail there. The same set is {same}, whose "
            "gradient does not vanish; its candidates are listed (marked ∇g = 0, with "
            "their kind from that form).")
    return _Found(cands, [*found.families, *sing.families],
                  complete=found.complete and sing.complete,
                  notes=[*found.notes, *sing.notes, note], summary=note)


def _singular_text(variables, cands, what) -> str:
    pts = " and ".join(_point_str(c.point) for c in cands)
    return (f"At {pts} {what} on the constraint, so the multiplier equations need not hold "
            f"there: {'it is a candidate' if len(cands) == 1 else 'they are candidates'} too.")


def _point_str(point) -> str:
    vals = [format(float(p), ".6g") if p.atoms(sp.Float) else to_text(p) for p in point]
    return "(" + ", ".join(vals) + ")"


def _points_numeric(f, eqs, variables, positive) -> list[Candidate]:
    """Gauss-Newton on the (overdetermined) system from seeded starts; residual < 1e-10."""
    import numpy as np

    eqs = [real_roots(e) for e in eqs]
    F = sp.lambdify(variables, eqs, modules=NUMPY)
    J = sp.lambdify(variables, sp.Matrix(eqs).jacobian(variables).tolist(), modules=NUMPY)
    rng = random.Random(3)
    n = len(variables)
    roots: list[list[float]] = []
    with np.errstate(all="ignore"):
        for k in range(NUMERIC_STARTS):
            scale = 1.5 if k < NUMERIC_STARTS // 2 else 4.0
            z = np.array([rng.uniform(0.05, scale) if positive else rng.uniform(-scale, scale)
                          for _ in range(n)])
            try:
                for _ in range(50):
                    r = np.array(F(*z), dtype=float)
                    A = np.array(J(*z), dtype=float).reshape(len(eqs), n)
                    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(r))):
                        break   # LAPACK can spin on NaN, beyond any SIGALRM limit
                    step = np.linalg.lstsq(A, -r, rcond=None)[0]
                    z = z + step
                    if np.linalg.norm(step) < 1e-14 * (1 + np.linalg.norm(z)):
                        break
                r = np.array(F(*z), dtype=float)
            except (ArithmeticError, ValueError, TypeError, NameError,
                    np.linalg.LinAlgError):
                # a lambdified |x| differentiates to DiracDelta/sign, which NumPy lacks
                continue
            if not np.all(np.isfinite(z)) or np.linalg.norm(r) > 1e-10:
                continue
            if positive and np.any(z <= 0):
                continue
            root = [float(t) for t in z]
            if not any(_same(root, q) for q in roots):
                roots.append(root)
    out = []
    for r in roots:
        point = tuple(sp.Float(v, 15) for v in r)
        value = _real_value(f, variables, point)
        if value is not None:
            out.append(Candidate(point, (), value, singular=True, numerical=True))
    return out


def _edge_points(f, constraints, variables, positive, domain) -> list[Candidate]:
    """The points of the constraint set where f is not differentiable: a root's radicand
    is 0 (the edge of an even root's domain, or the vertical tangent of cbrt), |e| has
    e = 0, asin/acos have their argument at ±1. Exact solutions only."""
    where = []
    for node in sp.preorder_traversal(f):
        if isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer \
                and node.base.free_symbols and (node.exp.q % 2 == 0 or node.exp < 1):
            where.append(node.base)
        elif isinstance(node, sp.Abs) and node.args[0].free_symbols:
            where.append(node.args[0])
        elif isinstance(node, (sp.asin, sp.acos)) and node.args[0].free_symbols:
            where += [node.args[0] - 1, node.args[0] + 1]
    out = []
    for e in dict.fromkeys(where):
        try:
            sols = sp.solve([*constraints, e], list(variables), dict=True)
        except Exception:  # noqa: BLE001 - SymPy raises many kinds on systems it cannot solve
            continue
        for s in sols:
            if any(v not in s or s[v].free_symbols for v in variables):
                continue
            c = _candidate(f, variables, (), s, edge=True)
            if c is not None and _allowed(c, positive) and _defined(c, variables, domain):
                out.append(c)
    return out


def _dedupe(candidates) -> list[Candidate]:
    """One candidate per point. A solution of grad L = 0 that is also singular keeps its
    multipliers and is marked singular; an exact point replaces a numerical one near it
    (numerical roots count as the same point within 1e-6, Newton's accuracy near a
    point where the Jacobian degenerates)."""
    out: list[Candidate] = []
    for c in candidates:
        here = [float(sp.N(p)) for p in c.point]
        twin = None
        for k, d in enumerate(out):
            there = [float(sp.N(p)) for p in d.point]
            loose = c.numerical or d.numerical
            if (all(abs(u - v) <= 1e-6 * (1 + abs(u)) for u, v in zip(here, there, strict=True))
                    if loose else _same(here, there)):
                twin = k
                break
        if twin is None:
            out.append(c)
            continue
        d = out[twin]
        keep = c if d.numerical and not c.numerical else d
        out[twin] = replace(keep, singular=c.singular or d.singular, edge=c.edge or d.edge)
    return out


def _domain(f, constraints, readings) -> tuple:
    conds = [*conditions_of(f)]
    for g in constraints:
        conds += conditions_of(g)
    for r in readings:
        conds += list(r.conditions)
    return tuple(dict.fromkeys(conds))


def _defined(c: Candidate, variables, domain) -> bool:
    if not domain:
        return True
    try:
        return violated(domain, dict(zip(variables, c.point, strict=True))) is None
    except (TypeError, ValueError):
        return False


_SMOOTH = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh,
           sp.tanh, sp.coth, sp.sech, sp.csch, sp.atan, sp.acot, sp.asinh)


def _smooth(exprs) -> bool:
    """f and g are differentiable on their (open) domains: built from polynomials, integer
    powers and smooth functions only (no roots, |x|, asin, ... whose graphs have corners
    or whose domains have edges)."""
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Symbol, sp.Number, sp.NumberSymbol, sp.Add, sp.Mul)):
                continue
            if isinstance(node, sp.Pow):
                if node.exp.is_Integer or not node.base.free_symbols and node.base.is_positive:
                    continue
                return False
            if isinstance(node, _SMOOTH) or not node.free_symbols:
                continue
            return False
    return True


# -- the second-order test ---------------------------------------------------------------
def _undecided(c: Candidate, reason: str) -> Candidate:
    return replace(c, kind="undecided", reason=reason)


def _classify(f, constraints, variables, multipliers, candidates) -> list[Candidate]:
    """Each candidate with its kind by the second-order test along the constraint."""
    L = real_roots(lagrangian(f, constraints, multipliers))
    H = sp.hessian(L, variables)
    J = real_roots(sp.Matrix(constraints).jacobian(variables))
    out = []
    for c in candidates:
        if c.kind:
            out.append(c)
        elif c.edge and not c.multipliers:
            out.append(_undecided(c, "f is not differentiable here, so the second-order "
                                     "test does not apply"))
        elif c.singular or not c.multipliers:
            what = ("the constraint's gradient vanishes" if len(constraints) == 1 else
                    "the constraints' gradients are dependent")
            out.append(_undecided(c, f"{what} here, so the second-order test along the "
                                     "constraint does not apply"))
        else:
            try:
                d = _second_order(c, H, J, variables, multipliers)
            except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
                d = _undecided(c, "the second-order test could not be evaluated here")
            if d.kind == "undecided" and "degenerate" in d.reason:
                d = within(_budget(1.5), _higher_order, f, constraints, variables, d, default=None) or d
            out.append(d)
    return out


def _higher_order(f, constraints, variables, c: Candidate) -> Candidate | None:
    """On a constraint set that is a curve: f along an explicit parametrisation through the
    point (one coordinate is the parameter, so it is a regular, smooth curve there, which
    is the whole set near a point where the gradient does not vanish); the first nonzero
    derivative of f along it decides. None when no such curve is found."""
    from calctutor.topics.optimise.lagrange_bounds import curves

    if len(variables) - len(constraints) != 1 or c.numerical:
        return None
    fr = real_roots(f)
    for t, curve in curves(constraints, variables, False):
        k = next((i for i, v in enumerate(variables) if curve[v] == t), None)
        if k is None:
            continue
        t0 = c.point[k]
        try:
            if any(abs(complex(sp.N(curve[v].xreplace({t: t0}) - p, 40))) > 1e-30
                   for v, p in zip(variables, c.point, strict=True)):
                continue
        except TypeError:
            continue
        h = fr.xreplace(curve)
        d = h
        for order in range(1, 9):
            d = sp.diff(d, t)
            at = d.xreplace({t: t0})
            if at.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                break
            value = sp.N(at, 40)
            if not value.is_number or abs(complex(value)) < 1e-30:
                continue
            if order == 1:
                break   # not stationary along this curve: not the curve through the point
            where = ", ".join(to_text(curve[v]) for v in variables)
            names = ", ".join(v.name for v in variables)
            base = (f"the second-order test is degenerate; along ({names}) = ({where}) "
                    f"the first nonzero derivative of f at {t.name} = {to_text(t0)} is "
                    f"the {_ordinal(order)}, {format(float(sp.re(value)), '.4g')}")
            if order % 2:
                return replace(c, kind="neither", reason=base + ", of odd order: f rises "
                               "on one side and falls on the other (an inflection)")
            kind = "local minimum" if sp.re(value) > 0 else "local maximum"
            return replace(c, kind=kind, reason=base)
    return None


def _ordinal(n: int) -> str:
    return {2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _second_order(c, H, J, variables, multipliers) -> Candidate:
    """The Hessian of L restricted to the tangent space of the constraint (the null space
    of the constraint's Jacobian): definite gives a local min/max, indefinite a saddle."""
    import mpmath

    sub = dict(zip(variables, c.point, strict=True))
    sub.update(zip(multipliers, c.multipliers, strict=True))
    digits = 15 if c.numerical else 40
    with mpmath.workdps(digits + 10):
        def mat(M):
            rows = [[mpmath.mpf(str(sp.re(sp.N(e.xreplace(sub), digits + 10))))
                     for e in M.row(i)] for i in range(M.rows)]
            return mpmath.matrix(rows)

        Hm, Jm = mat(H), mat(J)
        n, m = Hm.rows, Jm.rows
        U, S, V = mpmath.svd_r(Jm, full_matrices=True)
        jscale = max(1, max(abs(v) for v in Jm))
        tol_j = mpmath.mpf(10) ** (-(digits // 2)) * jscale
        if min(S[i] for i in range(min(m, n))) <= tol_j:
            return _undecided(c, "the constraint's gradients are dependent here, so the "
                                 "second-order test along the constraint does not apply")
        Z = mpmath.matrix(n - m, n)
        for i in range(n - m):
            for j in range(n):
                Z[i, j] = V[m + i, j]
        Q = Z * Hm * Z.T
        Q = (Q + Q.T) / 2
        eig = mpmath.eigsy(Q, eigvals_only=True)
        hscale = max(1, max(abs(v) for v in Hm))
        tol = mpmath.mpf(10) ** (-(8 if c.numerical else 25)) * hscale
        eig = [float(e) if abs(e) > tol else 0.0 for e in eig]
    shown = ", ".join(format(e, ".4g") for e in eig)
    along = ("the second derivative of L along the constraint is" if n - m == 1 else
             "the Hessian of L on the constraint's tangent space has eigenvalues")
    if all(e > 0 for e in eig):
        return replace(c, kind="local minimum", reason=f"{along} {shown} > 0")
    if all(e < 0 for e in eig):
        return replace(c, kind="local maximum", reason=f"{along} {shown} < 0")
    if any(e > 0 for e in eig) and any(e < 0 for e in eig):
        return replace(c, kind="saddle", reason=f"{along} {shown}: f rises along the "
                       "constraint in one direction and falls in another")
    return _undecided(c, f"the second-order test is degenerate: {along} {shown} "
                         "(a zero means higher-order terms decide)")


def _mark_global(candidates, mx, mn, mxw, mnw, complete) -> list[Candidate]:
    """"global maximum/minimum" on the extreme candidates when f provably attains it and
    the candidates are complete (so the extreme one is it)."""
    if not candidates or not complete:
        return candidates
    values = [c.numeric_value for c in candidates]
    hi, lo = max(values), min(values)
    out = []
    for c, v in zip(candidates, values, strict=True):
        best = []
        if mx == ATTAINED and mxw is None and abs(v - hi) <= 1e-9 * max(1, abs(hi)):
            best.append("global maximum")
        if mn == ATTAINED and mnw is None and abs(v - lo) <= 1e-9 * max(1, abs(lo)):
            best.append("global minimum")
        out.append(replace(c, best=tuple(best)) if best else c)
    return out


def _satisfies(eqs, sol) -> bool:
    """Every equation holds at ``sol`` (exactly, or to 1e-9 numerically)."""
    for e in eqs:
        value = e.xreplace(sol)
        if value == 0:
            continue
        try:
            if abs(complex(sp.N(value, 30))) > 1e-9:
                return False
        except (TypeError, ValueError):
            return False
    return True


def _candidate(f, variables, multipliers, sol, singular: bool = False,
               edge: bool = False) -> Candidate | None:
    vals = [sol[u] for u in (*variables, *multipliers)]
    if any(v.is_real is False or v.has(sp.I) and sp.im(sp.N(v)) != 0 for v in vals):
        return None
    vals = [tidy(sp.re(v)) if v.has(sp.I) else v for v in vals]
    point = tuple(vals[:len(variables)])
    value = tidy(real_roots(f).xreplace(dict(zip(variables, point, strict=True))))
    if not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.is_real is False:
        return None
    return Candidate(point, tuple(vals[len(variables):]), value, singular=singular, edge=edge)


def _allowed(c: Candidate, positive: bool) -> bool:
    if not positive:
        return True
    return all(sp.N(p) > 0 for p in c.point)


# sign(x) (from real odd roots and |x|) and DiracDelta (its derivative, 0 away from x = 0)
# in the numerical code: plain math has neither
MATH = [{"sign": lambda v: math.copysign(1.0, v) if v else 0.0, "DiracDelta": lambda v: 0.0},
        "math"]
NUMPY = [{"DiracDelta": lambda v: 0.0 * v}, "numpy"]


# -- numerical fall-back -------------------------------------------------------------------
def _solve_numeric(f, eqs, variables, multipliers, positive) -> list[Candidate]:
    """Newton's method on grad L = 0 from many seeded starts, roots deduplicated."""
    unknowns = (*variables, *multipliers)
    F = sp.lambdify(unknowns, [real_roots(e) for e in eqs], modules=MATH)
    J = sp.lambdify(unknowns, [[real_roots(e) for e in row] for row in
                               sp.Matrix(eqs).jacobian(unknowns).tolist()], modules=MATH)
    rng = random.Random(1)
    n, m = len(variables), len(multipliers)
    roots: list[list[float]] = []
    for k in range(NUMERIC_STARTS):
        scale = 1.5 if k < NUMERIC_STARTS // 2 else 4.0
        z = [rng.uniform(0.05, scale) if positive else rng.uniform(-scale, scale)
             for _ in range(n)] + [rng.uniform(-2, 2) for _ in range(m)]
        root = _newton(F, J, z)
        if root is None or (positive and any(v <= 0 for v in root[:n])):
            continue
        if not any(_same(root, r) for r in roots):
            roots.append(root)
    out = []
    for r in roots:
        point = tuple(sp.Float(v, 15) for v in r[:n])
        value = _real_value(f, variables, point)
        if value is None:
            continue
        out.append(Candidate(point, tuple(sp.Float(v, 15) for v in r[n:]), value,
                             numerical=True))
    return out


def _real_value(f, variables, point):
    """f at a numerical point as a Float, or None where it is not a finite real number
    (outside f's domain: a root that the search reached through underflow, e.g.)."""
    try:
        value = complex(sp.N(real_roots(f).xreplace(dict(zip(variables, point, strict=True))),
                            15))
    except (TypeError, ValueError):
        return None
    if abs(value.imag) > 1e-12 * (1 + abs(value.real)) or not math.isfinite(value.real):
        return None
    return sp.Float(value.real, 15)


def _newton(F, J, z, iterations: int = 60):
    def size(v):
        return math.sqrt(sum(t * t for t in v))

    try:
        fz = [float(t) for t in F(*z)]
        for _ in range(iterations):
            if size(fz) < 1e-13:
                break
            step = linear_solve([[float(t) for t in row] for row in J(*z)], [-t for t in fz])
            if step is None:
                return None
            # damped: halve the step until |F| decreases (keeps far starts from flying off)
            t = 1.0
            while t > 1e-4:
                trial = [a + t * b for a, b in zip(z, step, strict=True)]
                ft = [float(v) for v in F(*trial)]
                if size(ft) < size(fz):
                    break
                t /= 2
            z, fz = trial, ft
            if size([t * s for s in step]) < 1e-15 * (1 + size(z)):
                break
    except (ArithmeticError, ValueError, TypeError, NameError):
        return None
    if not all(math.isfinite(v) for v in z) or size(fz) > 1e-9:
        return None
    try:
        # a root where the Jacobian is singular is not isolated (a curve of roots, or
        # Newton crawling to a multiple root): it is no candidate to trust
        if linear_solve([[float(t) for t in row] for row in J(*z)], [1.0] * len(z),
                         tol=1e-9) is None:
            return None
    except (ArithmeticError, ValueError, TypeError, NameError):
        return None
    return z


def _same(a, b) -> bool:
    return all(abs(u - v) <= SAME * (1 + abs(u)) for u, v in zip(a, b, strict=True))
