"""Result objects: what computations return and renderers display.

Each result is a frozen dataclass holding SymPy objects plus the text the user typed;
``to_json()`` gives exactly the JSON shape documented in docs/interface.md. Renderers in
``calctutor.render`` turn results into rich/plain/LaTeX/Markdown text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from calctutor.notation import to_sympy
from calctutor.steps.model import Step


def json_value(value):
    """A value in the contract's JSON form: floats as numbers, exact values as strings."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, float):
        return value
    if isinstance(value, sympy.Float):
        return float(value)
    if isinstance(value, sympy.Basic) and value.is_number and value.atoms(sympy.Float):
        # a numeric expression containing floats (e.g. 2.5*pi) is a float value
        try:
            return float(value)
        except TypeError:  # complex
            return to_sympy(value)
    return to_sympy(value)


@dataclass(frozen=True)
class Reading:
    """How the user's text was read: the text, its reading, and notes on ambiguous forms.

    ``conditions`` (``calctutor.domain.Condition``) are what the typed text requires to be
    defined but the evaluated expression no longer shows (``x^2/x`` read as x needs x ≠ 0)."""

    text: str
    reading: str
    notes: tuple[str, ...] = ()
    differs: bool = False
    conditions: tuple = ()


@dataclass(frozen=True)
class DiffResult:
    """A derivative computed rule by rule.

    ``steps`` has one tree per differentiation (``variables`` lists the variable of each,
    in order); ``raw`` is what the rules assembled, ``result`` the tidied form (equal in
    value). ``at``/``value`` are set when the user asked for the value at a point;
    ``reason`` says why there is no value there (``value`` is then None).
    """

    input: Reading
    expr: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    steps: tuple[Step, ...]
    raw: sympy.Expr
    result: sympy.Expr
    constants: tuple[sympy.Symbol, ...] = ()
    at: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    value: sympy.Expr | None = None
    reason: str | None = None

    def to_json(self) -> dict:
        if not self.steps:
            steps = None
        elif len(self.steps) == 1:
            steps = self.steps[0].to_json()
        else:
            steps = [s.to_json() for s in self.steps]
        out = {
            "input": self.input.text,
            "variables": [to_sympy(v) for v in self.variables],
            "result": to_sympy(self.result),
            "steps": steps,
        }
        if self.raw != self.result:
            out["raw"] = to_sympy(self.raw)
        _point_json(out, self.at, self.value, self.reason)
        _reading_json(out, self.input)
        return out

    def answer_spec(self):
        """What ``--answer`` is checked against: the derivative, or its value at the point."""
        return _derivative_spec(self.expr, self.variables, self.result, self.at, self.value,
                                self.reason, self.input)


def _point_json(out: dict, at, value, reason) -> None:
    if at:
        out["at"] = {to_sympy(k): json_value(v) for k, v in at}
        out["value"] = json_value(value)
        if reason:
            out["reason"] = reason


def _reading_json(out: dict, reading: Reading) -> None:
    if reading.differs:
        out["read_as"] = reading.reading
    if reading.conditions:
        out["conditions"] = condition_codes(reading.conditions)


_ASCII = str.maketrans({"≠": "!=", "≥": ">=", "≤": "<="})


def condition_codes(conditions) -> list[str]:
    """Conditions in SymPy syntax for JSON: ``["x != 0", "-1 <= y <= 1"]``."""
    return [c.text(to_sympy).translate(_ASCII) for c in conditions]


def _derivative_spec(expr, variables, result, at, value, reason=None, reading=None):
    from calctutor.checking.answer import AnswerSpec, function_domain
    from calctutor.checking.mistakes_diff import derivative_mistakes
    from calctutor.errors import UsageError

    if at and reason:
        raise UsageError(f"{reason}; there is no value to check an answer against")
    point = dict(at) if at else None
    names = tuple(sorted(expr.free_symbols | set(variables), key=lambda s: s.name))
    what = "the derivative" if len(set(variables)) == 1 and not (expr.free_symbols - set(variables)) \
        else "the partial derivative"
    if point:
        return AnswerSpec("number", value, f"the value of {what} at the point", names,
                          mistakes=lambda: derivative_mistakes(expr, variables, point))
    return AnswerSpec("expr", result, what, names,
                      mistakes=lambda: derivative_mistakes(expr, variables, None),
                      domain=function_domain((expr,), reading))


@dataclass(frozen=True)
class Stage:
    """One line of a worked calculation: a label, an expression, and why."""

    label: str
    expr: sympy.Expr
    why: str = ""


@dataclass(frozen=True)
class FirstPrinciplesResult:
    """A derivative from the limit definition lim_{h->0} (f(x+h) - f(x))/h.

    ``stages`` runs from the difference quotient through its simplification to the
    expression whose limit is taken; ``result`` is the limit.
    """

    input: Reading
    expr: sympy.Expr
    var: sympy.Symbol
    h: sympy.Symbol
    stages: tuple[Stage, ...]
    result: sympy.Expr
    at: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    value: sympy.Expr | None = None
    reason: str | None = None

    def to_json(self) -> dict:
        out = {
            "input": self.input.text,
            "variables": [to_sympy(self.var)],
            "result": to_sympy(self.result),
            "steps": None,
            "method": "first_principles",
            "first_principles": [
                {"label": s.label, "expr": to_sympy(s.expr), "text": s.why} for s in self.stages
            ],
        }
        _point_json(out, self.at, self.value, self.reason)
        if self.input.conditions:
            out["conditions"] = condition_codes(self.input.conditions)
        return out

    def answer_spec(self):
        """The same answer as the rules would give (the method does not change it)."""
        return _derivative_spec(self.expr, (self.var,), self.result, self.at, self.value,
                                self.reason, self.input)


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
    a_expr: sympy.Expr
    b_expr: sympy.Expr
    equivalent: bool | None
    method: str
    evidence: str | None = None
    notes: tuple[str, ...] = field(default=())
    verdict: str = ""
    evidence_kind: str = ""
    summary: str = ""

    def to_json(self) -> dict:
        out = {"equivalent": self.equivalent, "method": self.method, "evidence": self.evidence}
        if self.verdict:
            out["verdict"] = self.verdict
            out["evidence_kind"] = self.evidence_kind
            out["summary"] = self.summary
        if self.notes:
            out["notes"] = list(self.notes)
        return out
