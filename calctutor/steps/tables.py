"""Derivatives of the elementary functions, each with its rule name and a short reason.

``ELEMENTARY[f](u)`` gives (rule, f'(u), formula) for the outer function f applied to the
symbol u. Results are written the way the course writes them (tanh' = 1 - tanh^2).
"""

from __future__ import annotations

import sympy as sp

ELEMENTARY = {
    sp.sin: ("trig", lambda u: sp.cos(u), "d/du sin(u) = cos(u)"),
    sp.cos: ("trig", lambda u: -sp.sin(u), "d/du cos(u) = -sin(u)"),
    sp.tan: ("trig", lambda u: sp.sec(u) ** 2, "d/du tan(u) = sec(u)^2"),
    sp.sec: ("trig", lambda u: sp.sec(u) * sp.tan(u), "d/du sec(u) = sec(u)·tan(u)"),
    sp.csc: ("trig", lambda u: -sp.csc(u) * sp.cot(u), "d/du csc(u) = -csc(u)·cot(u)"),
    sp.cot: ("trig", lambda u: -sp.csc(u) ** 2, "d/du cot(u) = -csc(u)^2"),
    sp.asin: ("inverse_trig", lambda u: 1 / sp.sqrt(1 - u**2), "d/du asin(u) = 1/√(1 - u²)"),
    sp.acos: ("inverse_trig", lambda u: -1 / sp.sqrt(1 - u**2), "d/du acos(u) = -1/√(1 - u²)"),
    sp.atan: ("inverse_trig", lambda u: 1 / (1 + u**2), "d/du atan(u) = 1/(1 + u²)"),
    sp.acot: ("inverse_trig", lambda u: -1 / (1 + u**2), "d/du acot(u) = -1/(1 + u²)"),
    sp.asec: ("inverse_trig", lambda u: 1 / (sp.Abs(u) * sp.sqrt(u**2 - 1)),
              "d/du asec(u) = 1/(|u|·√(u² - 1))"),
    sp.acsc: ("inverse_trig", lambda u: -1 / (sp.Abs(u) * sp.sqrt(u**2 - 1)),
              "d/du acsc(u) = -1/(|u|·√(u² - 1))"),
    sp.sinh: ("hyperbolic", lambda u: sp.cosh(u), "d/du sinh(u) = cosh(u)"),
    sp.cosh: ("hyperbolic", lambda u: sp.sinh(u), "d/du cosh(u) = sinh(u)"),
    sp.tanh: ("hyperbolic", lambda u: 1 - sp.tanh(u) ** 2, "d/du tanh(u) = 1 - tanh(u)^2"),
    sp.sech: ("hyperbolic", lambda u: -sp.sech(u) * sp.tanh(u), "d/du sech(u) = -sech(u)·tanh(u)"),
    sp.csch: ("hyperbolic", lambda u: -sp.csch(u) * sp.coth(u), "d/du csch(u) = -csch(u)·coth(u)"),
    sp.coth: ("hyperbolic", lambda u: 1 - sp.coth(u) ** 2, "d/du coth(u) = 1 - coth(u)^2"),
    sp.asinh: ("inverse_hyperbolic", lambda u: 1 / sp.sqrt(u**2 + 1), "d/du asinh(u) = 1/√(u² + 1)"),
    sp.acosh: ("inverse_hyperbolic", lambda u: 1 / sp.sqrt(u**2 - 1), "d/du acosh(u) = 1/√(u² - 1)"),
    sp.atanh: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2), "d/du atanh(u) = 1/(1 - u²)"),
    sp.acoth: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2), "d/du acoth(u) = 1/(1 - u²)"),
    sp.exp: ("exp", lambda u: sp.exp(u), "d/du e^u = e^u"),
    sp.log: ("log", lambda u: 1 / u, "d/du ln(u) = 1/u"),
    sp.Abs: ("abs", lambda u: sp.sign(u), "d/du |u| = sign(u) (for u ≠ 0)"),
}

# What to call each function in a sentence.
NAMES = {
    sp.exp: "the exponential function", sp.log: "the natural logarithm",
    sp.Abs: "the absolute value",
}
