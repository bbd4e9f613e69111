"""Mal-rules for gradients, Jacobians and Hessians, and the ``AnswerSpec`` of each result.

Each mistake is the answer a learner with one broken rule would give for THIS problem:
the Jacobian transposed, the variables in another order, the Hessian's off-diagonal
entries doubled or halved, the gradient given for the Hessian. An asymmetric Hessian is a
property of the answer itself (``AnswerSpec.inspect``). A gradient written as a column
instead of a row is not a mistake (the checker accepts either bracket form).
"""

from __future__ import annotations

import itertools

import sympy as sp

from calctutor.checking.answer import AnswerSpec, Mistake
from calctutor.notation import to_text

MAX_PERMUTED = 3  # every order of up to 3 variables; beyond, reversal and adjacent swaps


def _orders(n: int) -> list[tuple[int, ...]]:
    """Wrong orders of n variables to try (never the identity)."""
    ident = tuple(range(n))
    if n <= MAX_PERMUTED:
        return [p for p in itertools.permutations(range(n)) if p != ident]
    swaps = []
    for k in range(n - 1):
        p = list(ident)
        p[k], p[k + 1] = p[k + 1], p[k]
        swaps.append(tuple(p))
    return [tuple(reversed(ident))] + swaps


def _order_text(variables, order) -> str:
    return "(" + ", ".join(to_text(variables[k]) for k in order) + ")"


def _rows(matrix) -> list[list]:
    return matrix.tolist() if isinstance(matrix, sp.MatrixBase) else [list(r) for r in matrix]


def _point_words(result) -> str:
    return " at the point" if result.at else ""


# -- gradient ---------------------------------------------------------------------------
def gradient_spec(result) -> AnswerSpec:
    """The gradient (or its value at the point) as a vector of partials."""
    from calctutor.topics.matrices.compute import entry_name

    expected = list(result.value) if result.value is not None else list(result.result)
    variables = tuple(result.variables) + tuple(result.constants)
    names = tuple(entry_name("f", v) for v in result.variables)
    what = "the gradient" + _point_words(result)

    def mistakes():
        out = []
        if len(set(expected)) > 1:
            for order in _orders(len(expected)):
                out.append(Mistake(
                    "wrong_variable_order", [expected[k] for k in order],
                    f"Your partial derivatives are right but in the wrong order: the gradient "
                    f"lists them in the order of the variables {_order_text(result.variables, range(len(order)))}, "
                    f"yours follows {_order_text(result.variables, order)}."))
        return out

    return AnswerSpec("vector", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, entry_names=names, at=tuple(result.at))


def _positive(result) -> bool:
    return bool(result.variables) and all(v.is_positive for v in result.variables)


# -- jacobian ---------------------------------------------------------------------------
def jacobian_spec(result) -> AnswerSpec:
    """The Jacobian matrix (a 1×n row for one function), or its value at the point."""
    expected = _rows(result.value if result.value is not None else result.matrix)
    variables = tuple(result.variables) + tuple(result.constants)
    what = "the Jacobian" + _point_words(result)
    m, n = len(expected), len(expected[0])

    def mistakes():
        out = []
        transposed = [list(r) for r in zip(*expected, strict=True)]
        if transposed != expected:
            shape = ("the Jacobian of a scalar function is a row vector (1×"
                     f"{n}), not a column" if m == 1 else
                     "row i is function i and column j is variable j")
            out.append(Mistake(
                "transposed_jacobian", transposed,
                f"Your matrix is the transpose of the Jacobian: {shape}, so the entry in row i, "
                "column j is dF_i/dx_j."))
        columns = list(zip(*expected, strict=True))
        if len(set(columns)) > 1:
            for order in _orders(n):
                out.append(Mistake(
                    "wrong_variable_order",
                    [[row[k] for k in order] for row in expected],
                    f"Your columns are in the wrong order: the columns of the Jacobian follow "
                    f"the variables {_order_text(result.variables, range(n))}, yours follow "
                    f"{_order_text(result.variables, order)}."))
        return out

    return AnswerSpec("matrix", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, at=tuple(result.at))


# -- hessian ----------------------------------------------------------------------------
def hessian_spec(result) -> AnswerSpec:
    """The Hessian matrix, or its value at the point."""
    expected = _rows(result.value if result.value is not None else result.matrix)
    gradient = list(result.gradient)
    if result.at:
        from calctutor.topics.matrices.compute import value_at

        point = dict(result.at)
        try:
            gradient = [value_at(g, point, result.numeric) for g in gradient]
        except Exception:  # noqa: BLE001 - an undefined gradient just offers no mistake
            gradient = []
    variables = tuple(result.variables) + tuple(result.constants)
    what = "the Hessian" + _point_words(result)
    n = len(expected)

    def mistakes():
        out = []
        if gradient:
            out.append(Mistake(
                "gradient_for_hessian", gradient,
                "That is the gradient (the first partial derivatives). The Hessian is the "
                f"{n}×{n} matrix of SECOND partial derivatives: differentiate each entry of the "
                "gradient again with respect to every variable."))
        off = [(i, j) for i in range(n) for j in range(n) if i != j and expected[i][j] != 0]
        if off:
            for factor, word, why in ((2, "doubled", "the mixed partial is counted once, not "
                                       "once for f_xy and once more for f_yx"),
                                      (sp.Rational(1, 2), "halved", "the Hessian holds the "
                                       "mixed partial itself, not half of it (the 1/2 belongs "
                                       "to the quadratic form f = 1/2 x^T H x)")):
                scaled = [[expected[i][j] * (factor if i != j else 1) for j in range(n)]
                          for i in range(n)]
                out.append(Mistake(
                    "hessian_offdiagonal_factor", scaled,
                    f"Your diagonal is right but the off-diagonal entries are {word}: {why}."))
        if n > 1 and len({tuple(r) for r in expected}) > 1:
            for order in _orders(n):
                out.append(Mistake(
                    "wrong_variable_order",
                    [[expected[a][b] for b in order] for a in order],
                    f"Your entries are right but the variables are in the wrong order: rows and "
                    f"columns follow {_order_text(result.variables, range(n))}, yours follow "
                    f"{_order_text(result.variables, order)}."))
        return out

    def inspect(answer):
        return _asymmetric(answer, n, result.variables)

    # with --classify, an answer in words is the classification of the stationary points
    c = result.classification
    classified = None if c is None else (
        tuple((tuple(v for _, v in p.point), p.kind) for p in c.points), c.complete)
    return AnswerSpec("matrix", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, inspect=inspect, at=tuple(result.at),
                      classification=classified)


def _asymmetric(answer, n: int, variables) -> Mistake | None:
    """The asymmetric-Hessian mal-rule: an n×n answer whose mixed partials disagree."""
    from calctutor.checking.equivalence import check_equivalent

    rows = _rows(answer)
    if len(rows) != n or any(len(r) != n for r in rows):
        return None
    for i in range(n):
        for j in range(i + 1, n):
            a, b = sp.sympify(rows[i][j]), sp.sympify(rows[j][i])
            if a == b:
                continue
            if check_equivalent(a, b, list(variables)).equivalent is False:
                xi, xj = to_text(variables[i]), to_text(variables[j])
                return Mistake(
                    "asymmetric_hessian", answer,
                    f"Your Hessian is not symmetric: entry ({i + 1}, {j + 1}) and entry "
                    f"({j + 1}, {i + 1}) differ. For a smooth function the mixed partials are "
                    f"equal (d2f/d{xi}d{xj} = d2f/d{xj}d{xi}): recompute both and compare.")
    return None
