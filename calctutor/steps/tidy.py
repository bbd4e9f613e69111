"""A sensible, bounded tidying of a derivative.

``sympy.simplify`` has no time bound (another step engine spends up to 78 s in it), so the
tidy form is the smallest of a few cheap rewrites, each tried only on expressions small
enough for it to be quick.
"""

from __future__ import annotations

import sympy as sp

SMALL = 80      # count_ops below which the costlier candidates are tried
MAX_POWER = 8   # no expansion of powers higher than this
MIN_GAIN = 2    # operations a rewrite must save to replace the rules' own form


def _size(e: sp.Expr) -> tuple[int, int]:
    # (operations, tree nodes): the node count breaks ties and is much cheaper than printing
    return (sp.count_ops(e), sum(1 for _ in sp.preorder_traversal(e)))


def _safe_to_expand(e: sp.Expr) -> bool:
    return all(not (p.exp.is_Integer and abs(p.exp) > MAX_POWER and p.base.is_Add)
               for p in e.atoms(sp.Pow))


def _candidates(e: sp.Expr):
    yield e
    yield sp.factor_terms(e)
    if sp.count_ops(e) > SMALL:
        return
    if e.is_Add:
        num, den = sp.fraction(sp.together(e))
        if den != 1 and _safe_to_expand(num):
            yield sp.factor_terms(sp.expand(num)) / den
    if e.is_Mul or e.is_Pow:
        num, den = sp.fraction(e)
        if den != 1 and num.is_Add and _safe_to_expand(num):
            yield sp.factor_terms(sp.expand(num)) / den
    if _safe_to_expand(e) and e.is_rational_function():
        yield sp.cancel(e)
        yield sp.factor(e)
    yield sp.powsimp(e)


def tidy(expr: sp.Expr) -> sp.Expr:
    """The simplest of a few cheap equivalent forms of ``expr`` (never slower than a few ms
    for the sizes it tries the costly rewrites on)."""
    best, best_size = expr, _size(expr)
    for cand in _candidates(expr):
        size = _size(cand)
        if size < best_size:
            best, best_size = cand, size
    # keep the form the rules gave unless the tidy one is clearly simpler
    if best is not expr and _size(expr)[0] - best_size[0] < MIN_GAIN:
        return expr
    return best
