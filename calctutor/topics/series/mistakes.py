"""Mal-rules for Taylor polynomials and Newton's method: the answers a learner with one
broken rule would give for this very problem (``AnswerSpec.mistakes``)."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from calctutor.checking.answer import Mistake
from calctutor.notation import to_text
from calctutor.steps.differentiate import Differentiator


# -- taylor ----------------------------------------------------------------------------------
def _alpha_factorial(alpha) -> sp.Expr:
    return sp.Mul(*(sp.factorial(k) for k in alpha))


def _rows(result):
    """(alpha, value at a, coefficient) for every derivative of the result."""
    if result.partials:
        return [(p.alpha, p.value, p.coefficient) for p in result.partials]
    return [((r.k,), r.value, r.coefficient) for r in result.rows]


def _monomial(bases, alpha) -> sp.Expr:
    return sp.Mul(*(b ** k for b, k in zip(bases, alpha, strict=True)))


def taylor_mistakes(result) -> list[Mistake]:
    """Missing factorials, unshifted powers, the wrong centre, a missing ½, the wrong order."""
    from calctutor.topics.series.taylor import shifted

    variables = result.variables
    point = result.point
    bases = [shifted(v, point[v]) for v in variables]
    rows = _rows(result)
    out: list[Mistake] = []
    centre = ", ".join(f"{v} = {to_text(point[v])}" for v in variables)

    no_fact = sp.Add(*(value * _monomial(bases, alpha) for alpha, value, _ in rows))
    out.append(Mistake(
        "missing_factorial", no_fact,
        "Each derivative must be divided by a factorial: the term of degree k is "
        "f^(k)(a)/k! * (x - a)^k (in several variables, d^alpha f(a)/alpha! * h^alpha)."))
    if result.order >= 2:
        half = sp.Add(*((2 if sum(alpha) == 2 else 1) * coeff * _monomial(bases, alpha)
                        for alpha, _, coeff in rows))
        out.append(Mistake(
            "missing_half", half,
            "The second-order term is (1/2) h^T H(a) h ((1/2) f''(a) (x - a)^2 in one "
            "variable): the 1/2 is missing from your quadratic terms."))
    if any(point[v] != 0 for v in variables):
        unshifted = sp.Add(*(coeff * _monomial(variables, alpha) for alpha, _, coeff in rows))
        out.append(Mistake(
            "powers_of_x_not_shifted", unshifted,
            f"About {centre} the powers are of (x - a), not of x: write each term with "
            f"the shifted variable(s)."))
        zero = _at_zero(result, whole=True)
        if zero is not None:
            # f's derivatives at 0 put on the powers of (x - a): the centre used only halfway
            at_zero = sp.Add(*(coeff * _monomial(bases, alpha) for alpha, _, coeff in _rows(zero)))
            out.append(Mistake(
                "derivatives_not_at_centre", at_zero,
                f"Your coefficients are the derivatives at 0, although the powers are shifted; "
                f"about {centre} each coefficient is f^(k)(a)/k! with the derivatives taken at "
                f"the centre {centre}."))
        mac = _at_zero(result)
        if mac is not None:
            out.append(Mistake(
                "wrong_centre", mac,
                f"That is the expansion about 0 (a Maclaurin polynomial); this one is about "
                f"{centre}: evaluate the derivatives there."))
    mixed = [(alpha, value) for alpha, value, _ in rows
             if sum(k > 0 for k in alpha) > 1 and value != 0]
    if mixed:
        one_factorial = sp.Add(*((value / sp.factorial(sum(alpha)) if sum(k > 0 for k in alpha) > 1
                                  else coeff) * _monomial(bases, alpha)
                                 for alpha, value, coeff in rows))
        out.append(Mistake(
            "mixed_term_factor", one_factorial,
            "A mixed term is divided by alpha! = the product of the factorials of its powers "
            "(1!1! = 1 for a term in x y), not by k!: in (1/2) h^T H h the term f_xy appears "
            "twice, so the x y coefficient is f_xy(a), not f_xy(a)/2."))
    if result.nonzero is not None:
        pieces = [t for _, t in result.monomials()]
        fewer = sp.Add(*pieces[:-1])
        out.append(Mistake("wrong_order", fewer, f"That has {len(pieces) - 1} non-zero terms; "
                           f"{result.nonzero} are asked for."))
        if result.next_term is not None:
            out.append(Mistake("wrong_order", sp.Add(*pieces) + result.next_term[1],
                               f"That has {len(pieces) + 1} non-zero terms; {result.nonzero} "
                               f"are asked for."))
    out += _numerator_only(result)
    out += _negative_power_sign(result, bases, rows)
    out += _divided_by_k(result, bases, rows)
    out += _missing_constant(result, bases, rows)
    for other in (() if result.nonzero is not None else (result.order - 1, result.order + 1)):
        poly = _other_order(result, other)
        if poly is not None:
            out.append(Mistake(
                "wrong_order", poly,
                f"That polynomial stops at degree {other}; order {result.order} keeps every "
                f"term of total degree up to and including {result.order}."))
    return out


MAX_HAND_ORDER = 6


def _negative_power_sign(result, bases, rows) -> list[Mistake]:
    """The derivatives taken with d/dx x^n = |n|·x^(n-1) for a negative n (the minus sign of
    the power rule lost), each derivative from the previous wrong one, as a learner would."""
    # by hand, beyond order 6 nobody differentiates term by term: not worth the time
    if len(result.variables) != 1 or result.order > MAX_HAND_ORDER:
        return []
    from calctutor.sandbox import within

    x = result.variables[0]
    a = result.point[x]

    def build():
        d, current, terms = _NegativePowerSign(), result.expr, []
        for k in range(result.order + 1):
            if k:
                current = d.diff(current, x).result
            terms.append(current.xreplace({x: a}) / sp.factorial(k) * bases[0] ** k)
        return sp.Add(*terms) if d.slipped else None

    try:
        poly = within(1.0, build, default=None)
    except Exception:  # noqa: BLE001 - a derivative undefined at a: no candidate
        return []
    if poly is None or poly.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return []
    return [Mistake(
        "negative_power_sign", poly,
        "A sign slip on a negative power: d/dx x^n = n*x^(n-1) keeps the sign of n, so "
        "differentiating a negative power (1/u = u^(-1), 1/u^2 = u^(-2)) brings down a "
        "negative factor. Recheck the sign of each derivative.")]


def _divided_by_k(result, bases, rows) -> list[Mistake]:
    """Each derivative divided by its order k instead of k! (sin x ~ x - x^3/3)."""
    if result.order < 3 or len(result.variables) != 1:
        return []
    poly = sp.Add(*(value / max(alpha[0], 1) * _monomial(bases, alpha)
                    for alpha, value, _ in rows))
    return [Mistake(
        "factorial_as_k", poly,
        "The term of degree k is divided by k! = 1*2*...*k, not by k: f^(k)(a)/k! (x - a)^k "
        "(3! = 6, 4! = 24).")]

class _NegativePowerSign(Differentiator):
    """The power rule with the sign of a negative exponent lost."""

    slipped = False

    def power(self, expr, var):
        step = super().power(expr, var)
        n = expr.exp
        if not n.is_negative:
            return step
        self.slipped = True
        return replace(step, result=-n * var ** (n - 1))


def _missing_constant(result, bases, rows) -> list[Mistake]:
    """The polynomial without its constant term f(a) (a linearisation that is only the
    tangent's slope part, f'(a)(x - a))."""
    constant = [c for alpha, _, c in rows if sum(alpha) == 0]
    if not constant or constant[0] == 0:
        return []
    rest = sp.Add(*(c * _monomial(bases, alpha) for alpha, _, c in rows if sum(alpha) > 0))
    centre = ", ".join(f"{v} = {to_text(result.point[v])}" for v in result.variables)
    return [Mistake(
        "missing_constant_term", rest,
        f"The constant term is missing: a Taylor polynomial starts with the value f(a) of the "
        f"function at the centre {centre}, then adds the derivative terms.")]

def _numerator_only(result) -> list[Mistake]:
    """f = g/(x − a)^m expanded through its removable singularity: the series of g alone
    (the division by (x − a)^m forgotten), cut at the same order."""
    if len(result.variables) != 1 or not any("continuous extension" in n for n in result.notes):
        return []
    from calctutor.topics.series.taylor import shifted

    x, a = result.at[0]
    base = shifted(x, a)
    powers = [f for f in sp.Mul.make_args(result.expr)
              if f.is_Pow and f.base == base and f.exp.is_Integer and f.exp < 0]
    if len(powers) != 1:
        return []
    m = int(-powers[0].exp)
    t = sp.Dummy("t")
    times = sp.expand(result.polynomial.xreplace({x: t + a}) * t ** m)
    kept = sp.Add(*(c * t ** k for (k,), c in sp.Poly(times, t).terms() if k <= result.order))
    return [Mistake(
        "numerator_not_divided", kept.xreplace({t: base}),
        f"That is the series of the numerator alone: f divides it by {to_text(base ** m)}, so "
        f"every power drops by {m} (the term of degree {m} becomes the constant).")]


def _at_zero(result, whole: bool = False):
    """The same expansion about the origin (its polynomial, or with ``whole`` the result; None
    if it does not exist or takes too long)."""
    from calctutor.errors import CalcTutorError
    from calctutor.sandbox import within
    from calctutor.topics.series.taylor import taylor_many, taylor_one

    zero = {v: sp.Integer(0) for v in result.variables}

    def build():
        if len(result.variables) == 1:
            v = result.variables[0]
            return taylor_one(result.expr, result.input, v, zero[v], result.order)
        return taylor_many(result.expr, result.input, result.variables, zero, result.order)

    try:
        other = within(2.0, build, default=None)
    except CalcTutorError:
        return None
    return None if other is None else (other if whole else other.polynomial)


def _other_order(result, order: int):
    if order < 0:
        return None
    from calctutor.topics.series.taylor import shifted

    rows = _rows(result)
    bases = [shifted(v, result.point[v]) for v in result.variables]
    if order < result.order:
        return sp.Add(*(c * _monomial(bases, a) for a, _, c in rows if sum(a) <= order))
    if result.next_term is not None and result.next_term[0] == order:
        return result.polynomial + result.next_term[1]
    return None


# -- newton ----------------------------------------------------------------------------------
def newton_mistakes(result) -> list[Mistake]:
    """Iterates with a broken update rule, from the same start, for the same number of steps."""
    from calctutor.topics.series.newton import wrong_iterates

    out: list[Mistake] = []
    for code, feedback in NEWTON_RULES.items():
        if code == "newton_root_not_stationary" and not result.optimise:
            continue
        value = wrong_iterates(result, code)
        if value is not None:
            out.append(Mistake(code, value, feedback))
    return out


NEWTON_RULES = {
    "newton_wrong_sign": "Newton's step subtracts: x_{n+1} = x_n - f(x_n)/f'(x_n). Adding the "
                         "correction moves away from the root.",
    "newton_inverted": "The correction is f(x_n)/f'(x_n), the function over its derivative, "
                       "not f'(x_n)/f(x_n).",
    "newton_wrong_point": "Evaluate f' at the current iterate x_n, the same point as f: each "
                          "step uses the tangent at x_n.",
    "newton_root_not_stationary": "To find a stationary point, apply Newton's method to f': "
                                  "x_{n+1} = x_n - f'(x_n)/f''(x_n). The step x - f/f' seeks a "
                                  "root of f instead.",
}


def newton_other_root(result, answer) -> Mistake | None:
    """A genuine root of f (of f' with --optimise) that is not what is asked for: the root
    Newton's method reaches from this start, or the iterate x_N of a --steps question.

    The learner's value is shown to be a root exactly (f(a) is 0 by the equivalence engine)
    or, for a decimal, to lie within 1e-3 (relative) of a root that Newton's method started
    at the learner's value converges to."""
    from calctutor.topics.series.newton import near_root

    if len(result.variables) != 1 or not isinstance(answer, sp.Expr) or not answer.is_number:
        return None
    if result.steps is not None and not result.answer_final:
        return None
    found = near_root(result, answer)
    if found is None:
        return None
    root, how = found
    x0 = _show(result.start[0])
    what = "a stationary point of f" if result.optimise else "a root of f"
    if result.answer_final:
        last = result.iterations[-1]
        return Mistake("root_not_iterate", answer, (
            f"{how} {what}, but the question asks for x{last.n}, the iterate after {last.n} "
            f"step{'s' if last.n != 1 else ''} of Newton's method from x0 = {x0}: "
            f"x{last.n} = {_show(last.x[0])}, not a {'stationary point' if result.optimise else 'root'}."))
    reached = result.iterations[-1].x[0]
    if result.converged:
        if abs(float(root) - float(reached)) <= 1e-6 * max(1.0, abs(float(reached))):
            return None  # the same root, only written too roughly: the usual checks say so
        return Mistake("other_root", answer, (
            f"{how} {what}, but from x0 = {x0} Newton's method converges to "
            f"{_show(reached)}: the answer asked for is the one the iteration reaches."))
    return Mistake("other_root", answer, (
        f"{how} {what}, but from x0 = {x0} Newton's method does not reach it "
        f"({result.headline[:1].lower() + result.headline[1:]}): the answer asked for is the "
        f"last iterate, x{result.iterations[-1].n} = {_show(reached)}."))


def _show(value) -> str:
    if isinstance(value, float):
        return format(value, ".10g")
    return to_text(value)


# -- the general term and where the series converges ------------------------------------------
def _sign_powers(c, index):
    """(−1)^n, (−2)^n, …: the factors that make the signs alternate."""
    return [f for f in c.atoms(sp.Pow) if f.base.is_number and f.base.is_negative
            and f.exp.has(index)]


def _inner_powers(c, index):
    """a^n factors (a a number other than ±1): the inner constant of e^(ax), 1/(1 − ax)."""
    return [f for f in c.atoms(sp.Pow) if f.base.is_number and f.base not in (1, -1)
            and f.exp.has(index)]


def general_term_mistakes(series, result=None) -> list:
    """(code, the series the misconception writes, feedback) for a general term: no
    factorial, the sign pattern one off ((−1)^(n+1) for (−1)^n), no alternation, the power
    one off, the inner constant's power forgotten."""
    from dataclasses import replace as swap

    c, n = series.coefficient, series.index
    out = []
    if c.has(sp.factorial):
        out.append(("missing_factorial", swap(series, coefficient=c.replace(
            lambda e: isinstance(e, sp.factorial), lambda e: sp.Integer(1))),
            "Each coefficient is f^(n)(a)/n!: your general term has no factorial."))
    signs = _sign_powers(c, n)
    if signs:
        # (−1)^(n+1) for (−1)^n: every sign flipped
        out.append(("sign_pattern_off_by_one", swap(series, coefficient=-c),
            "Your signs are the right pattern one term off: check the sign of the first term "
            "(n at its first value) against the series."))
        out.append(("signs_not_alternating", swap(series, coefficient=c.xreplace(
            {f: sp.Pow(-f.base, f.exp) for f in signs})),
            "The signs of this series alternate: the general term needs a factor (-1)^n (or "
            "(-1)^(n+1)), matched to the sign of the first term."))
    inner = _inner_powers(c, n)
    if inner:
        out.append(("missing_inner_power", swap(series, coefficient=c.xreplace(
            {f: sp.Integer(1) for f in inner})),
            "The constant inside the function is raised to the power n too: each derivative "
            "brings out one more factor of it (the chain rule)."))
    shift = -1 if series.offset >= 1 else 1
    out.append(("wrong_power", swap(series, offset=series.offset + shift),
                "The power of x does not match the rest of your term: the term with n! (or "
                "the n-th coefficient) goes with the matching power of (x - a)."))
    return out


def general_term_answer_mistakes(series, result=None) -> list[Mistake]:
    """The same mal-rules as answers (the general term each would type)."""
    return [Mistake(code, wrong.term(), feedback)
            for code, wrong, feedback in general_term_mistakes(series, result)]


def convergence_mistakes(conv) -> list[Mistake]:
    """Radii (numbers) and intervals (text) a misconception gives: 1/R for R, ℓ-based R
    without the p-th root, the open interval without the endpoints examined, a divergent
    endpoint included, the inclusions swapped, the interval about 0 instead of a."""
    from calctutor.topics.series.answers import interval_words

    out: list[Mistake] = []
    R, a, name = conv.radius, conv.centre, conv.variable.name
    if R in (0, sp.oo):
        if R == sp.oo:
            out.append(Mistake("radius_zero_for_infinity", sp.Integer(0),
                               "A limit of 0 in the ratio test means the ratio is below 1 "
                               "for every x: the radius is infinite (oo), not 0."))
        return out
    right = conv.interval_text(to_text)
    if R != 1:
        out.append(Mistake("radius_inverted", 1 / R,
                           "The ratio test's limit is L|x - a|^p; the series converges when "
                           "L|x - a|^p < 1, so the radius is (1/L)^(1/p), not L^(1/p)."))
    if conv.series.step > 1 and R ** conv.series.step != R:
        out.append(Mistake("radius_not_rooted", R ** conv.series.step,
                           f"The ratio has |x - a|^{conv.series.step}: solve "
                           f"L|x - a|^{conv.series.step} < 1 for |x - a|, which takes a "
                           f"root."))
    left_in, right_in = conv.closed()
    if left_in is None or right_in is None:
        return out
    lo, hi = conv.bounds

    def interval(lo_, hi_, li, ri):
        return interval_words(lo_, hi_, li, ri, name)

    forms = []
    if left_in or right_in:
        forms.append(("endpoints_not_examined", interval(lo, hi, False, False),
                      "The ratio test decides nothing where its limit is exactly 1: each "
                      "endpoint's series must be tested on its own (an alternating series can "
                      "converge there)."))
    if not (left_in and right_in):
        forms.append(("divergent_endpoint_included", interval(lo, hi, True, True),
                      "Not every endpoint belongs: at an endpoint whose terms do not tend to "
                      "0, or that is a harmonic-like series, the series diverges."))
    if left_in != right_in:
        forms.append(("endpoints_swapped", interval(lo, hi, right_in, left_in),
                      "The two endpoints are swapped: substitute each end into the series and "
                      "look at the signs of its terms."))
    if a != 0:
        forms.append(("not_centred", interval(-R, R, left_in, right_in),
                      f"The interval is centred on the expansion point {name} = {to_text(a)}, "
                      f"not on 0: it is |{name} - {to_text(a)}| < R with the endpoints "
                      f"examined."))
    if R != 1:
        forms.append(("radius_inverted", interval(a - 1 / R, a + 1 / R, left_in, right_in),
                      "The ratio test's limit is L|x - a|^p; the series converges when "
                      "L|x - a|^p < 1, so the radius is (1/L)^(1/p), not L^(1/p)."))
    out += [Mistake(code, text, feedback) for code, text, feedback in forms if text != right]
    return out


# ---------------------------------------------------------------------------------------
# Which problems can reveal a misconception: the exercise bank keeps a variant that targets
# one only when the misconception gives this problem a different answer. ``REVEALS`` maps
# each command to the codes its templates may target, each with its check ``(result,
# answer) -> bool`` (``answer``: the exercise's answer in the command's JSON shape); its keys
# are read by the bank without importing this module, so they stay string literals.


def _reveals_factorial(result, answer=None) -> bool:
    """Forgetting the k! changes only the terms of degree 2 and more: one must be non-zero."""
    return any(k >= 2 and term != 0 for k, term in result.terms)


def _reveals_point(result, answer=None) -> bool:
    """Expanding about 0 instead of a shows only when a is not 0."""
    return any(v != 0 for _, v in result.at)


def _reveals_newton_sign(result, answer=None) -> bool:
    """x0 + f/f' differs from x0 - f/f' only when the first step moves."""
    its = result.iterations
    return len(its) >= 2 and its[0].x != its[1].x


def curve_order_mistakes(asked: int, lettered: dict) -> list[Mistake]:
    """The curves a learner picks with the orders off by one (T(n-1), T(n+1)), or f itself,
    for the question "which curve is T_n?" (``lettered``: order -> the curve's letter).
    The feedback never names the right letter."""
    out = []
    for k, why in ((asked + 1, "one order too high: it also bends with the next term"),
                   (asked - 1, "one order too low: it is missing the term of degree "
                               f"{asked}")):
        if k in lettered:
            out.append(Mistake("neighbouring_order", lettered[k],
                               f"Curve {lettered[k]} is T{k}, {why}. T{asked} matches f's "
                               f"derivatives up to order {asked} at the centre."))
    out.append(Mistake("the_function_itself", "f",
                       "f is the function being approximated, not one of its Taylor "
                       "polynomials."))
    return out


def _reveals_neighbour(result, answer=None) -> bool:
    """Two consecutive orders are different curves only when the higher adds a term."""
    return any(k >= 2 and term != 0 for k, term in result.terms)


def _reveals_sign_shift(result, answer=None) -> bool:
    """A sign pattern one off shows only in a general term with alternating signs."""
    series = getattr(result, "series", None)
    return series is not None and bool(_sign_powers(series.coefficient, series.index))


def _reveals_inverted(result, answer=None) -> bool:
    """1/R for R shows only when R is neither 1, 0 nor infinite."""
    radius = getattr(result, "radius", None)
    return radius is not None and radius not in (0, 1, sp.oo)


def _reveals_endpoints(result, answer=None) -> bool:
    """Leaving the endpoints unexamined shows only when one of them belongs."""
    closed = result.closed() if hasattr(result, "closed") else (None, None)
    return bool(getattr(result, "endpoints", ())) and any(c for c in closed)


REVEALS = {
    "taylor": {"missing_factorial": _reveals_factorial, "wrong_centre": _reveals_point,
               "neighbouring_order": _reveals_neighbour,
               "sign_pattern_off_by_one": _reveals_sign_shift,
               "endpoints_not_examined": _reveals_endpoints,
               "radius_inverted": _reveals_inverted},
    "newton": {"newton_wrong_sign": _reveals_newton_sign},
}
