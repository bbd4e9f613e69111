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

# Greek letters as typed, and the name each is read as (the name is what JSON and SymPy
# syntax use; every human format prints the letter back, see ``display_name``).
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lam", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "ρ": "rho", "σ": "sigma",
    "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega",
}
# the letter printed for each name (the first spelling above: θ, not ϑ)
_LETTER = {name: letter for letter, name in reversed(GREEK_LETTERS.items())}
_DISPLAYED = re.compile(r"^(" + "|".join(sorted(_LETTER, key=len, reverse=True))
                        + r")(\d+|_[A-Za-z0-9]+)?$")

# A variable name: a letter, optionally followed by digits or by _ and letters/digits.
# (the suffix applies to every alternative: theta_0 and theta1 as well as x_1)
VARIABLE_NAME = re.compile(r"^(?:[A-Za-z]|" + "|".join(GREEK) + r")(?:\d+|_[A-Za-z0-9]+)?$")


def is_variable_name(name: str) -> bool:
    """True when ``name`` may be used as a variable without being declared."""
    return name != "pi" and bool(VARIABLE_NAME.match(canonical_name(name)))


def canonical_name(name: str) -> str:
    """The name a variable is known by: Greek letters as their names (``θ`` -> theta,
    ``θ_0`` -> theta_0, ``λ`` -> lam) and ``lambda`` as ``lam`` (``lambda`` is a Python
    keyword, so SymPy syntax could not read it back); anything else unchanged."""
    if name and name[0] in GREEK_LETTERS:
        name = GREEK_LETTERS[name[0]] + name[1:]
    if name.startswith("lambda") and (name[6:].isdigit() or name[6:7] in ("", "_")):
        name = "lam" + name[6:]
    return name


def display_name(name: str) -> str:
    """A variable's name as printed for people: Greek names as letters (theta -> θ,
    theta_0 -> θ_0, lam1 -> λ1); anything else unchanged."""
    m = _DISPLAYED.match(name)
    return _LETTER[m.group(1)] + (m.group(2) or "") if m else name


def pretty_name(name: str) -> str:
    """The name under which SymPy's pretty and LaTeX printers draw a variable's Greek
    letter: lam (λ) is "lambda" to them; every other name is unchanged."""
    m = _DISPLAYED.match(name)
    return "lambda" + (m.group(2) or "") if m and m.group(1) == "lam" else name


def make_symbol(name: str, positive: bool = False) -> sympy.Symbol:
    """The SymPy symbol for variable ``name`` (real, or positive with ``positive``); a
    Greek letter is named as the parser names it (``θ`` is the variable theta)."""
    name = canonical_name(name)
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
