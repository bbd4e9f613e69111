"""The directional derivative (``gradient --along``) and the direction of steepest ascent
(``gradient --steepest``).

The rate of change of f along a direction v is the gradient dotted with the UNIT vector
û = v/|v|, so that it does not depend on how long v was written; the largest rate is |∇f|,
along ∇f itself. Both are built on the gradient (a ``GradientResult``), whose entries and
steps are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calctutor.errors import ParseError, UsageError
from calctutor.notation import to_text
from calctutor.steps.tidy import tidy
from calctutor.topics.matrices.compute import GradientResult


@dataclass(frozen=True)
class DirectionalResult:
    """∇f, then the rate of change along ``direction`` (v as given; ``unit`` = v/|v|) and
    the steepest ascent ∇f/|∇f| at the point with its rate |∇f|.

    ``derivative`` is ∇f·û as a function of the variables; ``value`` is it at the point.
    ``steepest``/``max_rate`` are None without a point (or when they depend on constants);
    ``steepest`` is also None where ∇f = 0 (there is no direction of steepest ascent).
    ``asked`` is what --answer checks: "along" (the directional derivative) or "steepest"
    (the unit direction of steepest ascent, then the maximum rate)."""

    gradient: GradientResult
    direction: tuple[sp.Expr, ...] | None
    length: sp.Expr | None
    unit: tuple[sp.Expr, ...] | None
    derivative: sp.Expr | None
    value: sp.Expr | None
    steepest: tuple[sp.Expr, ...] | None
    max_rate: sp.Expr | None
    asked: str = "along"

    # the gradient's own attributes, so that code reading any result finds them
    @property
    def input(self):
        return self.gradient.input

    @property
    def expr(self) -> sp.Expr:
        return self.gradient.expr

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return self.gradient.variables

    @property
    def constants(self) -> tuple[sp.Symbol, ...]:
        return self.gradient.constants

    @property
    def at(self):
        return self.gradient.at

    @property
    def stationary(self) -> bool:
        """∇f = 0 at the point: every directional derivative there is 0."""
        return self.gradient.value is not None and all(is_zero(v) for v in self.gradient.value)

    @property
    def rate(self) -> sp.Expr | None:
        """The directional derivative asked for: its value at the point, else the function."""
        return self.value if self.gradient.at else self.derivative

    def to_json(self) -> dict:
        from calctutor.notation import to_sympy
        from calctutor.results import json_value

        def vector(values):
            return None if values is None else [json_value(v) for v in values]

        out = self.gradient.to_json()
        out["direction"] = vector(self.direction)
        out["unit_direction"] = vector(self.unit)
        rate = self.rate
        out["directional_derivative"] = (None if rate is None else json_value(rate)
                                         if rate.is_number else to_sympy(rate))
        out["steepest_direction"] = vector(self.steepest)
        out["max_rate"] = json_value(self.max_rate)
        return out

    def answer_spec(self):
        from dataclasses import replace

        from calctutor.checking.answer import function_domain
        from calctutor.topics.matrices.mistakes import directional_spec, steepest_spec

        spec = steepest_spec(self) if self.asked == "steepest" else directional_spec(self)
        return replace(spec, domain=function_domain((self.expr,), self.input))


def is_zero(value) -> bool:
    """Exactly 0, or a decimal 0.0 (SymPy's Float(0) is not equal to the integer 0)."""
    value = sp.sympify(value)
    if value.is_zero:
        return True
    if value.is_number and value.atoms(sp.Float):
        try:
            return abs(complex(value)) < 1e-13
        except TypeError:
            return False
    return False


def _components(along) -> str:
    """``"1,2"``, ``"(1, 2)"`` or a list of numbers, as text for the parser."""
    if isinstance(along, (list, tuple)):
        return ", ".join(str(c) for c in along)
    return str(along)


def parse_direction(along, variables, positive: bool = False) -> tuple[sp.Expr, ...]:
    """The direction vector of ``--along``: real numbers, one per variable (in their order,
    or named: "x=1, y=2"), not all zero."""
    from calctutor.checking.named_answers import unname
    from calctutor.parsing import parse_expressions

    text = _components(along)
    try:
        # "x=1, y=2" names the components, as --at names coordinates
        named = unname(text, [v.name for v in variables])
    except UsageError as err:
        words = str(err).replace(" in your answer", "").replace("your answer", "the direction")
        raise UsageError(f"--along: {words}") from None
    try:
        parsed = parse_expressions(named, positive=positive)
    except ParseError as err:
        raise ParseError(f"--along: {err}", err.text, err.position) from None
    components = tuple(p.expr for p in parsed)
    names = ", ".join(to_text(v) for v in variables)
    n = len(variables)
    if len(components) != n:
        raise UsageError(
            f"--along has {len(components)} component{'s' if len(components) != 1 else ''}, "
            f"but f has {n} variable{'s' if n != 1 else ''} ({names}): give one component "
            f"per variable, in that order (e.g. --along {','.join(['1'] * n)})")
    for k, c in enumerate(components):
        symbols = sorted(to_text(s) for s in c.free_symbols)
        if symbols:
            raise UsageError(f"--along: component {k + 1} is {to_text(c)}, which contains "
                             f"{', '.join(symbols)}: a direction is a vector of numbers")
        if c.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or c.is_real is False:
            raise UsageError(f"--along: component {k + 1} is {to_text(c)}, not a real number")
    if all(is_zero(c) for c in components):
        raise UsageError(f"--along ({', '.join(to_text(c) for c in components)}) is the zero "
                         "vector: it has no direction (and no length to divide by)")
    return components


def _simplified(value: sp.Expr, numeric: bool) -> sp.Expr:
    """An exact number in its simplest form (denominators rationalised), or a decimal."""
    if numeric or value.atoms(sp.Float):
        return value.evalf(15) if value.is_number else value
    if not value.is_number:
        return tidy(sp.radsimp(value))
    from calctutor.sandbox import within

    return tidy(sp.radsimp(within(2.0, sp.simplify, value, default=value)))


def directional(gradient: GradientResult, along=None, steepest: bool = False,
                positive: bool = False) -> DirectionalResult:
    """The directional derivative of ``gradient``'s function along ``along`` and, at a
    point, the direction of steepest ascent and its rate."""
    numeric = gradient.numeric
    direction = length = unit = derivative = value = None
    if along is not None:
        direction = parse_direction(along, gradient.variables, positive)
        if any(c.atoms(sp.Float) for c in direction):
            numeric = True
        squared = sum(c ** 2 for c in direction)
        length = _simplified(sp.sqrt(squared), numeric)
        unit = tuple(_simplified(c / sp.sqrt(squared), numeric) for c in direction)
        derivative = tidy(sp.expand(sum(g * u for g, u in zip(gradient.result, unit,
                                                                 strict=True))))
        if gradient.value is not None:
            value = _simplified(sum(g * u for g, u in zip(gradient.value, unit, strict=True)),
                                numeric)
    elif not steepest:
        raise UsageError("give a direction with --along (e.g. --along 1,2) or ask for "
                         "--steepest")
    if steepest and gradient.value is None:
        raise UsageError("--steepest needs a point: give it with --at (e.g. --at x=1,y=2); "
                         "the direction of steepest ascent changes from point to point")
    steep = rate = None
    if gradient.value is not None and all(v.is_number for v in gradient.value):
        grad_numeric = numeric or any(v.atoms(sp.Float) for v in gradient.value)
        squared = sum(v ** 2 for v in gradient.value)
        rate = _simplified(sp.sqrt(squared), grad_numeric)
        if not all(is_zero(v) for v in gradient.value):
            steep = tuple(_simplified(v / sp.sqrt(squared), grad_numeric)
                          for v in gradient.value)
    return DirectionalResult(gradient, direction, length, unit, derivative, value, steep, rate,
                             "steepest" if steepest else "along")


__all__ = ["DirectionalResult", "directional", "is_zero", "parse_direction"]
