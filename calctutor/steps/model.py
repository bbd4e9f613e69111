"""The step tree: the data every derivative explanation is made of.

A ``Step`` says: the derivative of ``expr`` with respect to ``var`` is ``result``, by
``rule`` (in general form ``formula``), for the ``reason`` (a ``wording.Reason``: which
statement of the rule and the parts it applies to); its ``substeps`` are the smaller
derivatives it used. A ``rewrite`` step instead says ``expr`` equals ``result`` (a change of
form, before or after differentiating). ``wording.sentence`` turns a reason into words;
renderers turn the tree into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import sympy

from calctutor.notation import to_sympy, to_text
from calctutor.steps.wording import RULE_TITLES, Reason, Segment, sentence, titled

__all__ = ["RULES", "RULE_TITLES", "Reason", "Segment", "Step"]

RULES = (
    "constant", "identity", "power", "constant_multiple", "sum", "product", "quotient",
    "chain", "exp", "exponential", "log", "trig", "inverse_trig", "hyperbolic",
    "inverse_hyperbolic", "general_power", "abs", "rewrite", "known", "unknown_function",
)


@dataclass(frozen=True)
class Step:
    """One node of a derivative explanation (see module docstring)."""

    rule: str
    expr: sympy.Expr
    var: sympy.Symbol
    result: sympy.Expr
    reason: Reason | None = None
    substeps: tuple["Step", ...] = ()
    # The rule in general form, e.g. "(u*v)' = u'*v + u*v'"; None for trivial rules.
    formula: str | None = None
    # Substitutions introduced by this step, e.g. ((u, x**2),) for a chain rule.
    let: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = field(default=())

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")
        if self.reason is not None and not isinstance(self.reason, Reason):
            raise TypeError(f"a step's reason is a Reason, not {type(self.reason).__name__}")

    @property
    def why(self) -> tuple[Segment, ...]:
        """The reason in words, as a sentence read on its own."""
        return sentence(self.reason)

    @property
    def titled_why(self) -> tuple[Segment, ...]:
        """The rule's title, then the reason in words ("Power rule: Bring the exponent ...")."""
        return titled(self.rule, self.reason)

    @property
    def text(self) -> str:
        """``why`` as one plain sentence (expressions in learner notation)."""
        return "".join(s if isinstance(s, str) else to_text(s) for s in self.why)

    def walk(self) -> Iterator["Step"]:
        """This step and all its descendants, depth first."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()

    def rules_used(self) -> list[str]:
        """Every rule in the tree, depth first (handy in tests and summaries)."""
        return [s.rule for s in self.walk()]

    def to_json(self) -> dict:
        """The contract's STEP object (plus ``formula``, ``let`` and ``reason`` when present)."""
        out = {
            "rule": self.rule,
            "expr": to_sympy(self.expr),
            "var": to_sympy(self.var),
            "result": to_sympy(self.result),
            "text": self.text,
            "substeps": [s.to_json() for s in self.substeps],
        }
        if self.formula:
            out["formula"] = self.formula
        if self.let:
            out["let"] = {to_sympy(k): to_sympy(v) for k, v in self.let}
        if self.reason is not None:
            out["reason"] = self.reason.code
        return out
