"""Mal-rules for gradients, Jacobians and Hessians, and the ``AnswerSpec`` of each result.

Each mistake is the answer a learner with one broken rule would give for THIS problem:
the Jacobian transposed, the variables in another order, the other variables not held
constant in a partial, the Hessian's off-diagonal entries doubled, halved or missing, a
diagonal entry differentiated once, the gradient given for the Hessian, a sign slip in a
Jacobian's determinant. An asymmetric Hessian, and 2Ax for the gradient of x^T A x with A
not symmetric, are properties of the answer itself (``AnswerSpec.inspect``). A gradient written as a column
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
        out += _not_held_constant(result, [result.expr], lambda rows: rows[0])
        return out

    def inspect(answer):
        if result.at:
            return None
        return _quadratic_form_not_symmetric(result, answer)

    return AnswerSpec("vector", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, entry_names=names, at=tuple(result.at), inspect=inspect)


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
        out += _not_held_constant(result, list(result.exprs), lambda rows: rows)
        return out

    return AnswerSpec("matrix", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, at=tuple(result.at))


# -- mal-rules shared by the gradient and the Jacobian ----------------------------------
def _not_held_constant(result, functions, shaped) -> list[Mistake]:
    """Every partial derivative taken as if the other variables varied too (d/dx of x^2 y^3
    = 2x y^3 + 3x^2 y^2): all entries at once, then one variable's column at a time."""
    from calctutor.checking.malrules import CoefficientAsFactor, ConstantNotZero

    variables = list(result.variables)
    if len(variables) < 2:
        return []
    out = []
    for rule in (ConstantNotZero, CoefficientAsFactor):
        out += _not_held_constant_by(result, functions, shaped, rule)
    return out


def _not_held_constant_by(result, functions, shaped, rule) -> list[Mistake]:
    variables = list(result.variables)
    point = dict(result.at) if result.at else None

    def wrong(f, v):
        d = rule()
        try:
            value = d.diff(f, v).result
        except Exception:  # noqa: BLE001 - a rule that cannot be broken here offers nothing
            return None
        if not d.slips:
            return None
        return value

    grid = [[wrong(f, v) for v in variables] for f in functions]
    right = [[sp.diff(f, v) for v in variables] for f in functions]
    slipped = [j for j in range(len(variables)) if any(row[j] is not None for row in grid)]
    if not slipped:
        return []
    choices = [slipped] + ([[j] for j in slipped] if len(slipped) > 1 else [])
    out = []
    for columns in choices:
        rows = [[grid[i][j] if j in columns and grid[i][j] is not None else right[i][j]
                 for j in range(len(variables))] for i in range(len(functions))]
        if point is not None:
            try:
                rows = [[_value(e, point, result.numeric) for e in row] for row in rows]
            except Exception:  # noqa: BLE001 - undefined at the point: no candidate
                continue
        names = ", ".join(to_text(v) for v in variables)
        out.append(Mistake(
            "constant_not_zero", shaped(rows),
            "You differentiated the other variables too: in a partial derivative with respect "
            "to one variable, every other one of " + names + " is held constant (a factor "
            "in them stays as it is, and a term in them alone has derivative 0)."))
    return out


def _value(e, point, numeric):
    from calctutor.topics.matrices.compute import value_at

    return value_at(e, point, numeric)


def _quadratic_form_not_symmetric(result, answer) -> Mistake | None:
    """For f = x^T A x (+ linear terms) the gradient is (A + A^T) x; 2Ax with A not
    symmetric differs from it by M x with M antisymmetric and nonzero. Seen in the answer
    itself: whatever A the learner wrote f with, that difference is the signature."""
    variables = list(result.variables)
    n = len(variables)
    f = result.expr
    if n < 2 or not f.is_polynomial(*variables):
        return None
    poly = sp.Poly(f, *variables)
    # only a form with a cross term invites splitting its coefficient unevenly
    if poly.total_degree() != 2 or not any(sum(1 for k in m if k) == 2 for m in poly.monoms()):
        return None
    rows = answer if isinstance(answer, (list, tuple)) else None
    if rows is None or len(rows) != n:
        return None
    try:
        diff = [sp.expand(sp.sympify(a) - sp.sympify(e)) for a, e in zip(rows, result.result,
                                                                           strict=True)]
        M = sp.Matrix(n, n, lambda i, j: diff[i].coeff(variables[j]))
        if any(sp.expand(diff[i] - sum(M[i, j] * variables[j] for j in range(n))) != 0
               for i in range(n)):
            return None
    except (TypeError, ValueError, sp.PolynomialError):
        return None
    if M.free_symbols or M.is_zero_matrix or not (M + M.T).is_zero_matrix:
        return None
    return Mistake(
        "quadratic_form_not_symmetric", answer,
        "You used the gradient 2Ax of x^T A x with a matrix A that is not symmetric: "
        "2Ax holds only for symmetric A; in general the gradient of x^T A x is (A + A^T) x, "
        "so write A with the cross term shared equally (or use A + A^T).")


# -- the determinant of a Jacobian (the bank's change-of-coordinates exercises) ----------
def determinant_mistakes(result) -> list[Mistake]:
    """A sign slip in the determinant of a square Jacobian: ad + bc for a 2×2 (the products
    added), the middle cofactor's sign kept for a 3×3, and bc - ad (the products the other
    way round)."""
    if result.determinant is None:
        return []
    m = sp.Matrix(result.matrix)
    n = m.rows
    out = []
    rule = ("the determinant of a 2×2 matrix [[a, b], [c, d]] is ad - bc" if n == 2 else
            "along the first row the cofactor signs alternate +, -, +")
    if n == 2:
        slip = m[0, 0] * m[1, 1] + m[0, 1] * m[1, 0]
    elif n == 3:
        slip = sum(m[0, j] * m.minor(0, j) for j in range(3))
    else:
        slip = None
    if slip is not None and sp.expand(slip - result.determinant) != 0:
        out.append(Mistake("determinant_sign", sp.simplify(slip),
                           f"A sign slip in the determinant: {rule}."))
    out.append(Mistake("determinant_sign", -result.determinant,
                       f"Your determinant has the opposite sign: {rule}, the product of the "
                       "main diagonal first."))
    return out


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
            diagonal = [[expected[i][j] if i == j else 0 for j in range(n)] for i in range(n)]
            out.append(Mistake(
                "hessian_mixed_partials_missing", diagonal,
                "Your diagonal is right but the mixed partials are missing: the Hessian also "
                "holds d2f/dxdy (differentiate df/dx with respect to y) off the diagonal, and "
                "it is not 0 here."))
        if len(gradient) == n:
            for i in range(n):
                if gradient[i] == expected[i][i]:
                    continue
                once = [[gradient[i] if (a, b) == (i, i) else expected[a][b] for b in range(n)]
                        for a in range(n)]
                out.append(Mistake(
                    "differentiated_once", once,
                    f"Entry ({i + 1}, {i + 1}) of your Hessian is a first partial derivative: "
                    "every entry of the Hessian is a SECOND derivative, so differentiate that "
                    "partial once more."))
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


# -- the directional derivative and the steepest ascent (gradient --along / --steepest) --
def _dot(a, b) -> sp.Expr:
    return sp.expand(sum(x * y for x, y in zip(a, b, strict=True)))


def _v(values) -> str:
    return "(" + ", ".join(to_text(v) for v in values) + ")"


def directional_spec(result) -> AnswerSpec:
    """The directional derivative ∇f · u: a number at the point, else a function."""
    at_point = bool(result.at)
    expected = result.rate
    grad = list(result.gradient.value) if at_point else list(result.gradient.result)
    v, length = list(result.direction), result.length
    variables = tuple(result.variables) + tuple(result.constants)
    what = "the directional derivative" + _point_words(result)
    shape = "number" if at_point and expected.is_number else "expr"
    from calctutor.topics.matrices.directional import is_zero

    unit_given = is_zero(sp.simplify(length - 1))

    def mistakes():
        out = []
        if not unit_given:
            out.append(Mistake(
                "direction_not_normalised", _dot(grad, v),
                f"You used v = {_v(v)} as it is: the directional derivative is along the UNIT "
                f"vector u = v/|v|, so divide ∇f · v by |v| = {to_text(length)}."))
            out.append(Mistake(
                "direction_norm_squared", _dot(grad, v) / length ** 2,
                f"You divided by |v|² = {to_text(sp.expand(length ** 2))}: u = v/|v| divides "
                f"v by its length |v| = {to_text(length)} once."))
        if len(grad) > 1:
            out.append(Mistake(
                "gradient_given", grad,
                "That is the gradient ∇f itself. The directional derivative is one "
                + ("number" if at_point else "function") + ": the dot product ∇f · u of the "
                "gradient with the unit vector of the direction."))
        out.append(Mistake(
            "sign_slip", -expected,
            "The size is right but the sign is wrong: u points along v (not against it); "
            "check the sign of each product in ∇f · u."))
        if result.max_rate is not None and length is not None:
            out.append(Mistake(
                "max_rate_given", result.max_rate,
                "That is |∇f|, the largest rate of change (along ∇f itself). Along v the "
                "rate is ∇f · u, which equals |∇f| only when v points along ∇f."))
        return out

    def adapt(text: str):
        # a list typed (the gradient, say) is read as one, so the verdict can name it
        from calctutor.errors import CalcTutorError
        from calctutor.parsing import parse_expressions

        try:
            many = len(parse_expressions(text, variables=[s.name for s in variables])) > 1
        except CalcTutorError:
            return None
        return spec_with("numbers" if shape == "number" else "vector") if many else None

    def spec_with(typed: str) -> AnswerSpec:
        return AnswerSpec(typed, expected, what, variables, positive=_positive(result),
                          mistakes=mistakes, at=tuple(result.at), adapt=adapt)

    return spec_with(shape)


def steepest_spec(result) -> AnswerSpec:
    """The unit direction of steepest ascent at the point, then the maximum rate |∇f|."""
    from calctutor.errors import UsageError

    point = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in result.at)
    if result.max_rate is None:
        raise UsageError(f"the gradient at {point} is not a vector of numbers: the "
                         "direction of steepest ascent depends on the constants")
    if result.steepest is None:
        raise UsageError(f"grad f = 0 at {point}: f is stationary there, so there is no direction "
                         "of steepest ascent (every directional derivative is 0)")
    from calctutor.topics.matrices.directional import is_zero

    unit, rate = list(result.steepest), result.max_rate
    grad = list(result.gradient.value)
    n = len(unit)
    expected = unit + [rate]
    variables = tuple(result.variables) + tuple(result.constants)
    names = tuple(f"u{k + 1}" for k in range(n)) + ("rate",)
    what = "the unit direction of steepest ascent and the maximum rate"

    def mistakes():
        out = []
        if not is_zero(sp.simplify(rate - 1)):
            out.append(Mistake(
                "direction_not_normalised", grad + [rate],
                "Your direction is ∇f itself: right direction, but the question asks for the "
                "unit vector ∇f/|∇f|, so divide each component by |∇f|."))
            out.append(Mistake(
                "direction_not_normalised", grad,
                "Your direction is ∇f itself, not the unit vector ∇f/|∇f|, and the maximum "
                "rate is missing: give the unit direction, then |∇f|."))
            out.append(Mistake(
                "rate_squared", unit + [sp.expand(rate ** 2)],
                "Your direction is right, but the rate is |∇f|² (the sum of the squares): the "
                "maximum rate is the length |∇f|, its square root."))
        out.append(Mistake(
            "steepest_descent", [-u for u in unit] + [rate],
            "That is the direction of steepest DESCENT, −∇f/|∇f|: f increases fastest along "
            "+∇f."))
        out.append(Mistake(
            "steepest_descent", [-u for u in unit] + [-rate],
            "That is the direction of steepest descent and the rate of change along it: the "
            "question asks where f increases fastest, along +∇f, at the rate +|∇f|."))
        return out

    from calctutor.checking.answer import Unfinished

    finish = Unfinished(unit, "give the maximum rate |∇f| too, after the unit direction")
    return AnswerSpec("numbers", expected, what, variables, positive=_positive(result),
                      mistakes=mistakes, entry_names=names, unfinished=(finish,))


def _reveals_not_normalised(result, answer) -> bool:
    """Forgetting to normalise shows when the direction is not a unit vector and the
    directional derivative is not 0."""
    from calctutor.topics.matrices.directional import is_zero

    length = getattr(result, "length", None)
    rate = getattr(result, "rate", None)
    if length is None or rate is None:
        return getattr(result, "asked", None) == "steepest" and result.max_rate is not None \
            and not is_zero(sp.simplify(result.max_rate - 1))
    return not is_zero(sp.simplify(length - 1)) and not is_zero(sp.simplify(rate))


# ---------------------------------------------------------------------------------------
# Which problems can reveal a misconception: the exercise bank keeps a variant that targets
# one only when the misconception gives this problem a different answer. ``REVEALS`` maps
# each command to the codes its templates may target, each with its check ``(result,
# answer) -> bool`` (``answer``: the exercise's answer in the command's JSON shape); its keys
# are read by the bank without importing this module, so they stay string literals.


def _reveals_transpose(result, answer) -> bool:
    """The transpose of an m×n (m ≠ n) matrix has the wrong shape: always visible; a square
    one must not be symmetric."""
    m = answer
    if not (isinstance(m, list) and m and all(isinstance(r, list) for r in m)):
        return True
    if len(m) != len(m[0]):
        return True
    return any(str(m[i][j]) != str(m[j][i]) for i in range(len(m)) for j in range(i))


def _reveals_wrong_variable(result, answer) -> bool:
    """Differentiating with respect to the wrong variable shows when two entries of the
    gradient differ (at the point, if one is given)."""
    from calctutor.checking.equivalence import check_equivalent, quick_differ

    entries = list(result.value) if result.value is not None else \
        [e.result for e in result.entries]
    for a, b in itertools.combinations(entries, 2):
        if quick_differ(a, b) or check_equivalent(a, b).equivalent is False:
            return True
    return False


REVEALS = {
    "gradient": {"wrong_variable": _reveals_wrong_variable,
                 "direction_not_normalised": _reveals_not_normalised},
    "jacobian": {"transposed_jacobian": _reveals_transpose},
}
