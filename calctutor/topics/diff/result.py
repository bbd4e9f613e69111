"""The results of ``calctutor diff``: by the rules, or from first principles."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.notation import to_sympy
from calctutor.results import Reading, condition_codes, point_json, reading_json
from calctutor.steps.first_principles import Stage
from calctutor.steps.model import Step


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
        point_json(out, self.at, self.value, self.reason)
        reading_json(out, self.input)
        return out

    def answer_spec(self):
        """What ``--answer`` is checked against: the derivative, or its value at the point."""
        return derivative_spec(self.expr, self.variables, self.result, self.at, self.value,
                                self.reason, self.input)


def derivative_spec(expr, variables, result, at, value, reason=None, reading=None):
    """What ``--answer`` is checked against: the derivative, or its value at the point."""
    from calctutor.checking.answer import AnswerSpec, function_domain
    from calctutor.errors import UsageError
    from calctutor.topics.diff.mistakes import derivative_mistakes

    if at and reason:
        raise UsageError(f"{reason}; there is no value to check an answer against")
    point = dict(at) if at else None
    names = tuple(sorted(expr.free_symbols | set(variables), key=lambda s: s.name))
    what = "the derivative" if len(set(variables)) == 1 and not (expr.free_symbols - set(variables)) \
        else "the partial derivative"
    if point:
        from calctutor.checking.answer import Unfinished
        from calctutor.notation import to_text

        where = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in at)
        return AnswerSpec("number", value, f"the value of {what} at the point", names,
                          mistakes=lambda: derivative_mistakes(expr, variables, point,
                                                               getattr(reading, "text", None)),
                          unfinished=(Unfinished(result, f"that is {what}; evaluate it at "
                                                 f"{where} to give a number", "not_evaluated"),))
    from calctutor.topics.diff.mistakes import antiderivative_given

    return AnswerSpec("expr", result, what, names,
                      mistakes=lambda: derivative_mistakes(expr, variables, None,
                                                           getattr(reading, "text", None)),
                      domain=function_domain((expr,), reading),
                      inspect=lambda answer: antiderivative_given(expr, variables, answer))


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
        point_json(out, self.at, self.value, self.reason)
        if self.input.conditions:
            out["conditions"] = condition_codes(self.input.conditions)
        return out

    def answer_spec(self):
        """The same answer as the rules would give (the method does not change it)."""
        return derivative_spec(self.expr, (self.var,), self.result, self.at, self.value,
                                self.reason, self.input)
