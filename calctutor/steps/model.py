"""The step tree: the data every derivative explanation is made of.

A ``Step`` says: the derivative of ``expr`` with respect to ``var`` is ``result``, by
``rule``, because of ``why``; its ``substeps`` are the smaller derivatives it used.
A ``rewrite`` step instead says ``expr`` equals ``result`` (a change of form, before or
after differentiating). Renderers turn the tree into text; nothing here knows about output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

import sympy

from calctutor.notation import to_sympy, to_text

RULES = (
    "constant", "identity", "power", "constant_multiple", "sum", "product", "quotient",
    "chain", "exp", "exponential", "log", "trig", "inverse_trig", "hyperbolic",
    "inverse_hyperbolic", "general_power", "abs", "rewrite", "known", "unknown_function",
)

# Human names for rules, used in headings.
RULE_TITLES = {
    "constant": "Constant rule",
    "identity": "Identity",
    "power": "Power rule",
    "constant_multiple": "Constant multiple rule",
    "sum": "Sum rule",
    "product": "Product rule",
    "quotient": "Quotient rule",
    "chain": "Chain rule",
    "exp": "Exponential function",
    "exponential": "Exponential a^x",
    "log": "Logarithm",
    "trig": "Trigonometric function",
    "inverse_trig": "Inverse trigonometric function",
    "hyperbolic": "Hyperbolic function",
    "inverse_hyperbolic": "Inverse hyperbolic function",
    "general_power": "Logarithmic differentiation",
    "abs": "Absolute value",
    "rewrite": "Rewrite",
    "known": "Known derivative",
    "unknown_function": "Unknown function",
}

# A sentence is a sequence of words and expressions; each renderer prints the expressions
# in its own notation (plain text, LaTeX, pretty), so a sentence is stored unrendered.
Segment = Union[str, sympy.Basic]


@dataclass(frozen=True)
class Step:
    """One node of a derivative explanation (see module docstring)."""

    rule: str
    expr: sympy.Expr
    var: sympy.Symbol
    result: sympy.Expr
    why: tuple[Segment, ...] = ()
    substeps: tuple["Step", ...] = ()
    # The rule in general form, e.g. "(u*v)' = u'*v + u*v'"; None for trivial rules.
    formula: str | None = None
    # Substitutions introduced by this step, e.g. ((u, x**2),) for a chain rule.
    let: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = field(default=())

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")

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
        """The contract's STEP object (plus ``formula`` and ``let`` when present)."""
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
        return out
