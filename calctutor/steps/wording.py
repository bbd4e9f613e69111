"""Why a step holds, as data, and the one place that data becomes words.

A step's explanation is a ``Reason``: which statement of its rule (``code``) and the parts
it names (the sub-expressions the rule applies to, a count, a kind of term). ``sentence``
turns a reason into the words every format prints; nothing else writes those words, and
nothing reads them back. Expressions stay unrendered in a sentence (each printer prints
them in its own notation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import sympy

from calctutor.notation import to_text

# A sentence is a sequence of words and expressions.
Segment = Union[str, sympy.Basic]

# Human names for rules, used in headings and where a sentence names its rule.
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

# Each reason code with the parts it must name.
REASONS: dict[str, tuple[str, ...]] = {
    "constant": ("expr", "var", "held"),            # held: the other symbols, held fixed
    "identity": ("var",),
    "sum": ("kind", "count"),                       # kind: "sum" or "difference"
    "constant_multiple": ("coeff", "log_base"),     # log_base: a log_b denominator, or None
    "product": ("u", "v"),
    "product_many": ("count",),
    "quotient": ("u", "v"),
    "power": ("n",),
    "exponential": ("base",),
    "general_power": ("expr", "log_form"),
    "elementary": ("expr", "result", "name"),       # name: "the natural logarithm", or ""
    "unknown_function": ("name", "result"),
    "known": ("result",),
    "chain": ("u", "inner", "expr", "outer", "var"),
    "divide_by_constant": ("divisor", "coeff"),     # rewrites, before a rule applies
    "root_as_power": ("expr", "var", "n"),
    "reciprocal_as_power": ("var", "n"),
    "exp_log_form": ("var", "expr", "log_form"),
}

# Reasons whose sentence says only what a step's header already shows (d/dx sin(x) = cos(x)).
RESTATE_HEADER = frozenset({"elementary"})


@dataclass(frozen=True)
class Reason:
    """Why one step holds: the statement ``code`` (a key of ``REASONS``) and its ``parts``
    as (name, value) pairs; ``Reason.of("power", n=2)``."""

    code: str
    parts: tuple[tuple[str, object], ...] = ()

    def __post_init__(self):
        if self.code not in REASONS:
            raise ValueError(f"unknown reason {self.code!r}")
        missing = set(REASONS[self.code]) - {k for k, _ in self.parts}
        if missing:
            raise ValueError(f"reason {self.code!r} needs {', '.join(sorted(missing))}")

    @classmethod
    def of(cls, code: str, **parts) -> "Reason":
        return cls(code, tuple(parts.items()))

    def __getitem__(self, name: str):
        return next(v for k, v in self.parts if k == name)

    @property
    def restates_header(self) -> bool:
        """Whether the sentence only says what the step's header line already shows."""
        return self.code in RESTATE_HEADER


def sentence(reason: Reason | None, *, after_title: bool = False) -> tuple[Segment, ...]:
    """The words of ``reason``. ``after_title``: the reader has just read the rule's title
    (a step's header), so a sentence that would open by naming its rule does not."""
    if reason is None:
        return ()
    r, code = reason, reason.code
    if code == "constant":
        var, held = r["var"], r["held"]
        if held:
            names = ", ".join(s.name for s in held)
            verb = "is" if len(held) == 1 else "are"
            return (r["expr"], f" does not depend on {var}: {names} {verb} held constant when "
                    f"differentiating with respect to {var}, so its derivative is 0.")
        return (r["expr"], " is a constant, so its derivative is 0.")
    if code == "identity":
        return (f"The derivative of {r['var']} with respect to itself is 1.",)
    if code == "sum":
        kind = r["kind"]
        return (f"The derivative of a {kind} is the {kind} of the derivatives: differentiate "
                f"the {r['count']} terms one by one.",)
    if code == "constant_multiple":
        b = r["log_base"]
        extra = f" (a logarithm to base {b} is ln(·)/ln({b}))" if b is not None else ""
        return ("The constant factor ", r["coeff"], f" stays; differentiate the rest{extra}.")
    if code == "product":
        return ("A product of u = ", r["u"], " and v = ", r["v"],
                ": differentiate each factor in turn, keeping the other.")
    if code == "product_many":
        return (f"A product of {r['count']} factors: differentiate one factor at a time, "
                "keeping the others, and add the results.",)
    if code == "quotient":
        return ("A quotient of u = ", r["u"], " over v = ", r["v"],
                ": (u'·v - u·v') over v squared.")
    if code == "power":
        lead = "Bring" if after_title else f"{RULE_TITLES['power']}: bring"
        return (f"{lead} the exponent ", r["n"], " down and lower it by one.")
    if code == "exponential":
        return ("For a constant base a = ", r["base"], ", the derivative of a^x is a^x·ln(a).")
    if code == "general_power":
        e, log_form = r["expr"], r["log_form"]
        return ("Take logarithms: ln(y) = ", log_form, "; differentiating, y'/y = (", log_form,
                ")', so y' = ", e, "·(", log_form, ")'.")
    if code == "elementary":
        about = f" ({r['name']})" if r["name"] else ""
        return ("The derivative of ", r["expr"], about, " is ", r["result"], ".")
    if code == "unknown_function":
        return (r["name"], " is an unknown function: its derivative is written ", r["result"], ".")
    if code == "known":
        return ("A standard derivative: ", r["result"], ".")
    if code == "chain":
        u, var = r["u"], r["var"]
        return ("Let ", u, " = ", r["inner"], ". Then ", r["expr"], " = ", r["outer"],
                ": differentiate the outside with respect to ", u, ", then multiply by d",
                u, "/d", var, ".")
    if code == "divide_by_constant":
        return ("Dividing by ", r["divisor"], " is multiplying by the constant ", r["coeff"], ".")
    if code == "root_as_power":
        n = r["n"]
        root = "square root" if abs(n) == sympy.Rational(1, 2) else "root"
        return (f"Write the {root} as a power: ", r["expr"], " = ", r["var"], f"^({n}).")
    if code == "reciprocal_as_power":
        var, n = r["var"], r["n"]
        # SymPy stores 1/x^2 as x^(-2): the reciprocal is written out so the rewrite shows
        return (f"Write the reciprocal as a negative power: 1/{to_text(sympy.Pow(var, -n))} = ",
                var, f"^({n}).")
    if code == "exp_log_form":
        return ("Both the base and the exponent depend on ", r["var"], ": write ", r["expr"],
                " = e^(", r["log_form"], ") (logarithmic differentiation).")
    raise ValueError(f"no words for reason {code!r}")  # REASONS and this function disagree


def titled(rule: str, reason: Reason | None) -> tuple[Segment, ...]:
    """The rule's title, then its sentence: "Power rule: Bring the exponent 2 down ..."."""
    words = sentence(reason, after_title=True)
    title = RULE_TITLES.get(rule, rule)
    return (f"{title}: ", *words) if words else (f"{title}.",)
