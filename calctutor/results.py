"""The base of every result: how the input was read, and the JSON helpers.

Each command's result is a frozen dataclass in its topic (``calctutor/topics/``) holding SymPy
objects plus the text the user typed; ``to_json()`` gives exactly the JSON shape documented
in docs/interface.md. This module imports nothing above the base modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.notation import to_sympy


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
    defined but the evaluated expression no longer shows (``x^2/x`` read as x needs x ≠ 0);
    ``typed_conditions`` all that the typed text requires (where it is defined)."""

    text: str
    reading: str
    notes: tuple[str, ...] = ()
    differs: bool = False
    conditions: tuple = ()
    typed_conditions: tuple = ()


def point_json(out: dict, at, value, reason) -> None:
    """Add the point, the value there and why there is none (if so) to a JSON dict."""
    if at:
        out["at"] = {to_sympy(k): json_value(v) for k, v in at}
        out["value"] = json_value(value)
        if reason:
            out["reason"] = reason


def reading_json(out: dict, reading: Reading) -> None:
    """Add how the input was read (when it differs) and its conditions to a JSON dict."""
    if reading.differs:
        out["read_as"] = reading.reading
    if reading.conditions:
        out["conditions"] = condition_codes(reading.conditions)


_ASCII = str.maketrans({"≠": "!=", "≥": ">=", "≤": "<="})


def condition_codes(conditions) -> list[str]:
    """Conditions in SymPy syntax for JSON: ``["x != 0", "-1 <= y <= 1"]``."""
    return [c.text(to_sympy).translate(_ASCII) for c in conditions]
