"""How calctutor names things: the one place that creates SymPy symbols.

All variables are real (this is real calculus: ``d|x|/dx = sign(x)``, ``sqrt(x^2) = |x|``),
or positive when the user asks for ``--positive``.
"""

from __future__ import annotations

import re

import sympy

# Greek letter names a learner may type; they are variables like single letters.
GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lam mu nu xi omicron "
    "pi rho sigma tau upsilon phi chi psi omega"
).split()

# A variable name: a letter, optionally followed by digits or by _ and letters/digits.
# (the suffix applies to every alternative: theta_0 and theta1 as well as x_1)
VARIABLE_NAME = re.compile(r"^(?:[A-Za-z]|" + "|".join(GREEK) + r")(?:\d+|_[A-Za-z0-9]+)?$")


def is_variable_name(name: str) -> bool:
    """True when ``name`` may be used as a variable without being declared."""
    return name != "pi" and bool(VARIABLE_NAME.match(name))


def make_symbol(name: str, positive: bool = False) -> sympy.Symbol:
    """The SymPy symbol for variable ``name`` (real, or positive with ``positive``)."""
    if positive:
        return sympy.Symbol(name, positive=True)
    return sympy.Symbol(name, real=True)


def fresh_symbols(avoid: set[str], preferred: tuple[str, ...] = ("u", "v", "w", "s", "q")):
    """Yield symbol names not in ``avoid``: u, v, w, ... then u1, u2, ...

    Used for the inner functions of nested chain rules, so that each level has its own name.
    """
    taken = set(avoid)
    for name in preferred:
        if name not in taken:
            taken.add(name)
            yield name
    k = 1
    while True:
        name = f"u{k}"
        if name not in taken:
            taken.add(name)
            yield name
        k += 1
