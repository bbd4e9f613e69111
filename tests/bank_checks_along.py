"""Independent checks of the bank's 5.3 (gradient --along / --steepest) and 3.5 (network)
exercises: SymPy and plain arithmetic on the exercise's input, never calctutor's engine.

Used by tests/test_directional.py and tests/test_network_count.py, and meant for the bank's
own suite (tests/test_exercises.py, ``INDEPENDENT``):

    from tests.bank_checks_along import independent_network, with_direction
    INDEPENDENT["gradient"] = with_direction(INDEPENDENT["gradient"])
    INDEPENDENT["network"] = independent_network
"""

import sympy as sp
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication,
    parse_expr,
    standard_transformations,
)

from tests.mathcheck import equal

_T = standard_transformations + (implicit_multiplication, convert_xor)


def read(text: str) -> sp.Expr:
    """A bank expression read by SymPy's parser (every name a real symbol)."""
    local = {"e": sp.E, "ln": sp.log, "pi": sp.pi}
    for n in "abcdhkmnprstuvwxyz":
        local[n] = sp.Symbol(n, real=True)
    return parse_expr(str(text), local_dict=local, transformations=_T)


def same(got, want, tol: float = 1e-9) -> None:
    """An answer in the bank's JSON shape against a SymPy value (lists entry by entry)."""
    if isinstance(want, (list, tuple)):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        for g, w in zip(got, want, strict=True):
            same(g, w, tol)
        return
    g, w = read(str(got)), sp.sympify(want)
    if g.free_symbols or w.free_symbols:
        assert equal(g, w), (got, want)
    else:
        assert abs(complex(sp.N(g - w, 30))) <= tol * max(1.0, abs(complex(sp.N(w, 30)))), \
            (got, want)


def independent_directional(ex) -> None:
    """grad f · v/|v| (at the point, if any), or (grad f/|grad f|, |grad f|) for steepest."""
    inp = ex.input
    f = read(inp["expr"])
    names = inp.get("vars") or sorted(s.name for s in f.free_symbols)
    xs = [sp.Symbol(n, real=True) for n in names]
    grad = [sp.diff(f, s) for s in xs]
    if "at" in inp:
        point = {sp.Symbol(k, real=True): read(str(v)) for k, v in inp["at"].items()}
        grad = [g.subs(point) for g in grad]
    if inp.get("steepest"):
        length = sp.sqrt(sum(g ** 2 for g in grad))
        same(ex.answer, [g / length for g in grad] + [length])
        return
    v = [read(c) for c in str(inp["along"]).strip("()[]").split(",")]
    unit = [c / sp.sqrt(sum(c ** 2 for c in v)) for c in v]
    same(ex.answer, sum(g * u for g, u in zip(grad, unit, strict=True)))


def independent_network(ex) -> None:
    """n(k) x n(k-1) weights and n(k) biases per layer after the input: the total."""
    sizes = [int(s) for s in str(ex.input["sizes"]).split(",")]
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    total = sum(n_in * n_out + n_out for n_in, n_out in pairs)
    same(ex.answer, total)


def with_direction(gradient_check):
    """The gradient kind's check, with --along / --steepest exercises checked as such."""
    def check(ex):
        if "along" in ex.input or ex.input.get("steepest"):
            return independent_directional(ex)
        return gradient_check(ex)
    return check
