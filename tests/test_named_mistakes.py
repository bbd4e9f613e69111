"""Named mistakes across the modules: a table of classic wrong answers, each with the code of
the misconception that produces it, checked through the real ``--answer`` path.

Every wrong answer is typed as a learner would write it, derived by hand from the broken
rule (never computed by the product); before the product's diagnosis is looked at, an
independent SymPy or plain-arithmetic twin of the right answer shows the typed one really
is wrong. Right answers in other forms (including the residual written model - y, which
squaring makes the same) must be accepted and never diagnosed.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

import numpy as np
import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.drills.answers import check_determinant, check_output
from calctutor.topics import run_kind

x, y, t, r, p, q = sp.symbols("x y t r p q", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)
lam, lam1, lam2, z = sp.symbols("lam lam1 lam2 z", real=True)
E = sp.E
S = sp.Rational


def sig(v):
    return 1 / (1 + sp.exp(-v))


SIGMOID = {"layer": ["W=[[2]]; b=[-1]"], "input": "3/2", "target": "1",
           "activation": "sigmoid"}
TANH2 = {"layer": ["W=[[1]]; b=[0]", "W=[[2]]; b=[0]"], "input": "1", "target": "0",
         "activation": "tanh", "check": "W1"}
RELU = {"layer": ["W=[[1, 2], [-1, 3]]; b=[1, -2]"], "input": "2, 1", "target": "0, 0",
        "activation": "relu"}
LINEAR2 = {"layer": ["W=[[1, 2], [0, 1]]; b=[1, 1]", "W=[[2, -1]]; b=[1]"], "input": "1, 1",
           "target": "0", "activation": "linear"}
LINE = {"data": {"x": ["1", "2", "3", "4"], "y": ["1", "5", "10", "9"]}, "model": "m x + c",
        "params": ["m", "c"], "at": {"m": "2", "c": "1"}, "goal": "chi2"}
SIGMA = {"data": {"x": ["0", "1", "2"], "y": ["1", "4", "4"], "sigma": ["1", "2", "1"]},
         "model": "m x + c", "params": ["m", "c"], "sigma": "sigma", "at": {"m": "1", "c": "1"},
         "goal": "chi2"}
GRAD = {"data": {"x": ["1", "2", "3"], "y": ["2", "3", "5"]}, "model": "m x + c",
        "params": ["m", "c"], "at": {"m": "1", "c": "1"}, "goal": "gradient"}
STEP = dict(GRAD, goal="steps", rate="1/10", steps=1)
PARAMS = {"data": {"x": ["0", "1", "2", "3"], "y": ["1", "3", "4", "7"]}, "model": "m x + c",
          "params": ["m", "c"], "goal": "params"}
PARAMS_SIGMA = dict(SIGMA, goal="params")
del PARAMS_SIGMA["at"]
XY_CIRCLE = {"expr": "x y", "constraint": ["x^2 + y^2 = 1"], "goal": "system"}
NUMERIC = {"expr": "x^2 y + e^x", "constraint": ["x^2 + y^2 = 4"], "goal": "max", "numeric": True}
TWO_CONSTRAINTS = {"expr": "x + y + z", "constraint": ["x^2 + y^2 + z^2 = 1", "x - y = 0"],
                   "goal": "system"}

# The right answer of each row, computed independently (SymPy on the problem, or arithmetic
# by hand for the iterations), keyed by a name the table rows refer to.
def _circle_max(f, radius):
    """The largest of f sampled densely on the circle of that radius (NumPy)."""
    t = np.linspace(0, 2 * np.pi, 400_000, endpoint=False)
    return float(f(radius * np.cos(t), radius * np.sin(t)).max())


a1 = sp.tanh(1)
a2 = sp.tanh(2 * a1)
RIGHT = {
    "sin(x^2)": 2 * x * sp.cos(x**2),
    "x^3+e^2": 3 * x**2,
    "x^2+3^4": 2 * x,
    "pi^2 x": sp.pi**2,
    "e^(x^2)": 2 * x * sp.exp(x**2),
    "x^2 sin x": sp.diff(x**2 * sp.sin(x), x),
    "x^5": 5 * x**4,
    "2^x": 2**x * sp.log(2),
    "(x^2+1)/x": sp.diff((x**2 + 1) / x, x),
    "cos(3x)": -3 * sp.sin(3 * x),
    "x^2 y^3 / dx": 2 * x * y**3,
    "grad x^2 y^3": [2 * x * y**3, 3 * x**2 * y**2],
    "jac": [[2 * x * y, x**2], [1, 3 * sp.cos(3 * y)]],
    "hess": [[6 * x, 8 * y], [8 * y, 8 * x]],
    "quadform": [6 * x1 + x2, x1 + 8 * x2],
    "det polar": sp.simplify(sp.Matrix([2 * r * sp.cos(t), 3 * r * sp.sin(t)])
                             .jacobian([r, t]).det()),
    "det linear": sp.Matrix([2 * p + 3 * q, p - q]).jacobian([p, q]).det(),
    "grad point": [5, 2],
    "x^2 + x y / dy": x,
    "relu out": [5, 0],
    "linear out": 7,
    "cost": (sig(2) - 1) ** 2,
    "dC/dw": 2 * (sig(2) - 1) * sp.diff(sig(z), z).subs(z, 2) * S(3, 2),
    "dC/db": 2 * (sig(2) - 1) * sp.diff(sig(z), z).subs(z, 2),
    "dC/dw1 tanh": 2 * a2 * (1 - a2**2) * 2 * (1 - a1**2),
    "chain xy": 9 * t**2,
    "chain x^2+y^2": sp.diff((t**2 + 1) ** 2 + (2 * t) ** 2, t).subs(t, 1),
    "e^(2x)": sp.series(sp.exp(2 * x), x, 0, 4).removeO(),
    "e^x @1": sp.series(sp.exp(x), x, 1, 3).removeO(),
    "1/(1+x)": sp.series(1 / (1 + x), x, 0, 4).removeO(),
    "sqrt @4": 2 + (x - 4) / 4,
    "1/x^2 @1": sp.series(x**-2, x, 1, 3).removeO(),
    "cos x": sp.series(sp.cos(x), x, 0, 5).removeO(),
    "ln x @1": sp.series(sp.log(x), x, 1, 3).removeO(),
    "x^2 y plane": 2 + 4 * (x - 1) + (y - 2),
    "e^x sin y": sp.expand(y + x * y),
    "newton sqrt2": S(3, 2),
    "newton cubic": 1,
    "descent": [S(4, 5), S(2, 5)],
    "system xy": [y - 2 * lam * x, x - 2 * lam * y, 1 - x**2 - y**2],
    "system two": [1 - 2 * lam1 * x - lam2, 1 - 2 * lam1 * y + lam2, 1 - 2 * lam1 * z,
                   1 - x**2 - y**2 - z**2, y - x],
    "max x+y": 2,
    "chi2 line": 13,
    "chi2 sigma": 2,
    "grad chi2": [-6, -2],
    "step chi2": [S(8, 5), S(6, 5)],
    "params": [S(19, 10), S(9, 10)],
    "params sigma": None,  # the weighted fit: checked by the product only
    "sqrt": 1 / (2 * sp.sqrt(x)),
    "1/x": -1 / x**2,
    "3/x^2": -6 / x**3,
    "x^2 y^3 / dy": 3 * x**2 * y**2,
    "sin x": x - x**3 / 6,
    "ln(1+x)": x - x**2 / 2 + x**3 / 3,
    "hess x^2 y": [[2 * y, 2 * x], [2 * x, 0]],
    "chi2 line mean": 13,
    "no twin": None,  # a series' term or interval: test_series_terms/test_convergence check them
    "along x^2+xy": 6 / sp.sqrt(5),  # ∇f(1, 2) = (4, 1), v = (1, 2), |v| = sqrt(5)
    "network 3,4,2": 4 * 3 + 4 + 2 * 4 + 2,
    "max x^2 y + e^x": _circle_max(lambda u, v: u**2 * v + np.exp(u), 2),
}


# (module, kind, input, part, wrong answer, twin name, expected code); part names the
# bank's answer_key for the answers that are one part of a result
ALONG = {"expr": "x^2 + x y", "at": {"x": "1", "y": "2"}, "along": "1,2"}
TABLE = [
    # module 1: derivatives
    (1, "diff", {"expr": "sin(x^2)"}, None, "2x cos(x)", "sin(x^2)", "outer_derivative_at_x"),
    (1, "diff", {"expr": "e^(x^2)"}, None, "2x e^x", "e^(x^2)", "outer_derivative_at_x"),
    (1, "diff", {"expr": "x^3 + e^2"}, None, "3x^2 + 2e", "x^3+e^2", "constant_power_rule"),
    (1, "diff", {"expr": "x^2 + 3^4"}, None, "2x + 108", "x^2+3^4", "constant_power_rule"),
    (1, "diff", {"expr": "pi^2 x"}, None, "2 pi x + pi^2", "pi^2 x", "constant_power_rule"),
    (1, "diff", {"expr": "sin(x^2)"}, None, "cos(x^2)", "sin(x^2)", "missing_chain_factor"),
    (1, "diff", {"expr": "x^2 sin x"}, None, "2x cos x", "x^2 sin x", "product_rule_as_product"),
    (1, "diff", {"expr": "x^5"}, None, "5x^5", "x^5", "power_not_lowered"),
    (1, "diff", {"expr": "2^x"}, None, "x 2^(x-1)", "2^x", "power_rule_on_exponential"),
    (1, "diff", {"expr": "(x^2+1)/x"}, None, "(x^2 + 1 - 2x^2)/x^2", "(x^2+1)/x",
     "quotient_sign"),
    (1, "diff", {"expr": "cos(3x)"}, None, "3 sin(3x)", "cos(3x)", "trig_sign"),
    # the exponent lowered to -3/2 instead of -1/2
    (1, "diff", {"expr": "sqrt(x)"}, None, "1/2 x^(-3/2)", "sqrt", "power_lowered_wrongly"),
    (1, "diff", {"expr": "3/x^2"}, None, "-6/x", "3/x^2", "power_lowered_wrongly"),
    (1, "diff", {"expr": "1/x"}, None, "ln(x)", "1/x", "antiderivative_given"),
    # module 2: multivariate
    (2, "diff", {"expr": "x^2 y^3", "var": "x"}, None, "2x y^3 + 3x^2 y^2", "x^2 y^3 / dx",
     "constant_not_zero"),
    (2, "diff", {"expr": "x^2 y^3", "var": "y"}, None, "6x y^2", "x^2 y^3 / dy",
     "constant_not_zero"),
    # f_y where f_yy belongs
    (2, "hessian", {"expr": "x^2 y", "vars": ["x", "y"]}, None, "[[2y, 2x], [2x, x^2]]",
     "hess x^2 y", "differentiated_once"),
    (2, "gradient", {"expr": "x^2 y^3", "vars": ["x", "y"]}, None,
     "[2x y^3 + 3x^2 y^2, 3x^2 y^2 + 2x y^3]", "grad x^2 y^3", "constant_not_zero"),
    (2, "jacobian", {"expr": "x^2 y, x + sin(3y)", "vars": ["x", "y"]}, None,
     "[[2x y, 1], [x^2, 3cos(3y)]]", "jac", "transposed_jacobian"),
    (2, "hessian", {"expr": "x^3 + 4x y^2", "vars": ["x", "y"]}, None, "[[6x, 4y], [4y, 8x]]",
     "hess", "hessian_offdiagonal_factor"),
    (2, "hessian", {"expr": "x^3 + 4x y^2", "vars": ["x", "y"]}, None, "[[6x, 0], [0, 8x]]",
     "hess", "hessian_mixed_partials_missing"),
    # x^T A x with A = [[3, 2], [-1, 4]]: 2Ax
    (2, "gradient", {"expr": "3x1^2 + x1 x2 + 4x2^2", "vars": ["x1", "x2"]}, None,
     "[6x1 + 4x2, -2x1 + 8x2]", "quadform", "quadratic_form_not_symmetric"),
    (2, "jacobian", {"expr": "2r cos(t), 3r sin(t)", "vars": ["r", "t"]}, "determinant",
     "6r cos(t)^2 - 6r sin(t)^2", "det polar", "determinant_sign"),
    (2, "jacobian", {"expr": "2p + 3q, p - q", "vars": ["p", "q"]}, "determinant", "1",
     "det linear", "determinant_sign"),
    (2, "gradient", {"expr": "x^2 + x y", "vars": ["x", "y"], "at": {"x": "2", "y": "1"}}, None,
     "[2, 5]", "grad point", "wrong_variable_order"),
    (2, "diff", {"expr": "x^2 + x y", "var": "y"}, None, "2x + y", "x^2 + x y / dy",
     "wrong_variable"),
    # module 3: chain rule and networks
    (3, "backprop", RELU, "activations", "4, 1", "relu out", "missing_bias"),
    (3, "backprop", LINEAR2, "activations", "5", "linear out", "missing_bias"),
    (3, "backprop", dict(SIGMOID, check="cost"), None, "1/(1+e^(-2)) - 1", "cost",
     "cost_not_squared"),
    (3, "backprop", dict(SIGMOID, check="W1"), None,
     "2(1/(1+e^(-2)) - 1) e^(-2)/(1+e^(-2))^2", "dC/dw", "missing_input_factor"),
    (3, "backprop", dict(SIGMOID, check="W1"), None, "2(1/(1+e^(-2)) - 1) (1/(1+e^(-2))) (3/2)",
     "dC/dw", "activation_for_derivative"),
    (3, "backprop", dict(SIGMOID, check="W1"), None, "2(1/(1+e^(-2)) - 1)(3/2)", "dC/dw",
     "missing_activation_derivative"),
    (3, "backprop", dict(SIGMOID, check="b1"), None, "(1/(1+e^(-2)) - 1) e^(-2)/(1+e^(-2))^2",
     "dC/db", "missing_factor_two"),
    (3, "backprop", TANH2, None, "2 tanh(2 tanh(1)) (1 - tanh(2 tanh(1))^2)", "dC/dw1 tanh",
     "wrong_layer_delta"),
    (3, "chain", {"expr": "x y", "layer": ["x = t^2, y = 3t"], "wrt": "t"}, None, "3t^2",
     "chain xy", "missing_chain_term"),
    # dx/dt · dy/dt: the inner derivatives multiplied, the partials of f left out
    (3, "chain", {"expr": "x y", "layer": ["x = t^2, y = 3t"], "wrt": "t"}, None,
     "6t", "chain xy", "partials_left_out"),
    (3, "chain", {"expr": "x y", "layer": ["x = t^2, y = 3t"], "wrt": "t"}, None,
     "2t + 3", "chain xy", "partials_left_out"),
    (3, "chain", {"expr": "x^2 + y^2", "layer": ["x = t^2 + 1, y = 2t"], "wrt": "t",
                  "at": {"t": "1"}}, None, "8", "chain x^2+y^2", "missing_chain_term"),
    # module 4: series
    (4, "taylor", {"expr": "e^(2x)", "var": "x", "order": 3}, None, "1 + 2x + 4x^2 + 8x^3",
     "e^(2x)", "missing_factorial"),
    (4, "taylor", {"expr": "cos(x)", "var": "x", "order": 4}, None, "1 - x^2 + x^4", "cos x",
     "missing_factorial"),
    (4, "taylor", {"expr": "e^x", "var": "x", "at": {"x": "1"}, "order": 2}, None,
     "1 + x + x^2/2", "e^x @1", "wrong_centre"),
    (4, "taylor", {"expr": "1/(1+x)", "var": "x", "order": 3}, None, "1 + x + x^2 + x^3",
     "1/(1+x)", "negative_power_sign"),
    (4, "taylor", {"expr": "sin(x)", "var": "x", "order": 3}, None, "x - x^3/3", "sin x",
     "factorial_as_k"),
    (4, "taylor", {"expr": "ln(1+x)", "var": "x", "order": 3}, None, "x + x^2/2 + x^3/3",
     "ln(1+x)", "negative_power_sign"),
    (4, "taylor", {"expr": "1/x^2", "var": "x", "at": {"x": "1"}, "order": 2}, None,
     "1 + 2(x - 1) + 3(x - 1)^2", "1/x^2 @1", "negative_power_sign"),
    (4, "taylor", {"expr": "sqrt(x)", "var": "x", "at": {"x": "4"}, "order": 1}, None,
     "(x - 4)/4", "sqrt @4", "missing_constant_term"),
    (4, "taylor", {"expr": "x^2 y", "vars": ["x", "y"], "at": {"x": "1", "y": "2"}, "order": 1},
     None, "4(x - 1) + (y - 2)", "x^2 y plane", "missing_constant_term"),
    (4, "taylor", {"expr": "ln(x)", "var": "x", "at": {"x": "1"}, "order": 2}, None,
     "x - x^2/2", "ln x @1", "powers_of_x_not_shifted"),
    (4, "taylor", {"expr": "e^x sin(y)", "vars": ["x", "y"], "at": {"x": "0", "y": "0"},
                   "order": 2}, None, "y + x y/2", "e^x sin y", "mixed_term_factor"),
    (4, "taylor", {"expr": "ln(1 + x)", "at": "0", "general_term": True}, None,
     "(-1)^n x^n/n", "no twin", "sign_pattern_off_by_one"),
    (4, "taylor", {"expr": "ln(1 + x)", "at": "0", "interval": True}, None, "(-1, 1)",
     "no twin", "endpoints_not_examined"),
    (4, "taylor", {"expr": "1/(1 - 3x)", "at": "0", "radius": True}, None, "3",
     "no twin", "radius_inverted"),
    # module 5: Newton, descent, Lagrange
    (5, "newton", {"expr": "x^2 - 2", "x0": "1", "steps": 1, "exact": True}, None, "1/2",
     "newton sqrt2", "newton_wrong_sign"),
    (5, "newton", {"expr": "x^2 - 2", "x0": "1", "steps": 1, "exact": True}, None, "3",
     "newton sqrt2", "newton_inverted"),
    (5, "newton", {"expr": "x^3 - 2x + 2", "x0": "0", "steps": 1, "exact": True}, None, "-1",
     "newton cubic", "newton_wrong_sign"),
    (5, "descent", {"expr": "x^2 + 3y^2", "vars": ["x", "y"], "start": {"x": "1", "y": "1"},
                    "rate": "1/10", "steps": 1, "exact": True}, None, "[6/5, 8/5]", "descent",
     "gradient_step_uphill"),
    (5, "descent", {"expr": "x^2 + 3y^2", "vars": ["x", "y"], "start": {"x": "1", "y": "1"},
                    "rate": "1/10", "steps": 1, "exact": True}, None, "[-1, -5]", "descent",
     "rate_missing"),
    (5, "descent", {"expr": "x^2 + 3y^2", "vars": ["x", "y"], "start": {"x": "1", "y": "1"},
                    "rate": "1/10", "steps": 1, "exact": True}, None, "[2/10, 6/10]", "descent",
     "step_not_point"),
    (5, "lagrange", XY_CIRCLE, None, "[y - 2 lam x, x - 2 lam y, x^2 + y^2 - 1]", "system xy",
     "constraint_component_sign"),
    (5, "lagrange", XY_CIRCLE, None, "[y - 2 lam x, x - 2 lam y]", "system xy",
     "constraint_forgotten"),
    (5, "lagrange", XY_CIRCLE, None, "[y + 2 lam x, x + 2 lam y, x^2 + y^2 - 1]", "system xy",
     "lagrangian_sign"),
    (5, "lagrange", TWO_CONSTRAINTS, None,
     "[1 - 2 lam1 x - lam2, 1 - 2 lam1 y + lam2, 1 - 2 lam1 z, 1 - x^2 - y^2 - z^2]",
     "system two", "constraint_lost"),
    (5, "lagrange", {"expr": "x + y", "constraint": ["x^2 + y^2 = 2"], "goal": "max"}, None,
     "-2", "max x+y", "max_min_swapped"),
    # gradient --along: the directional derivative; network: counting the parameters
    (5, "gradient", ALONG, None, "6", "along x^2+xy", "direction_not_normalised"),
    (5, "gradient", ALONG, None, "6/5", "along x^2+xy", "direction_norm_squared"),
    (5, "gradient", ALONG, None, "-6/sqrt(5)", "along x^2+xy", "sign_slip"),
    (5, "gradient", ALONG, None, "[4, 1]", "along x^2+xy", "gradient_given"),
    (5, "gradient", ALONG, None, "sqrt(17)", "along x^2+xy", "max_rate_given"),
    (3, "network", {"sizes": "3,4,2"}, None, "29", "network 3,4,2", "input_layer_biases"),
    (3, "network", {"sizes": "3,4,2"}, None, "20", "network 3,4,2", "biases_forgotten"),
    (3, "network", {"sizes": "3,4,2"}, None, "31", "network 3,4,2", "square_weights_in"),
    # module 6: fitting
    (6, "fit", LINE, None, "1", "chi2 line", "residual_not_squared"),
    (6, "fit", LINE, None, "5", "chi2 line", "residual_not_squared"),
    (6, "fit", SIGMA, None, "3/2", "chi2 sigma", "residual_not_squared"),
    (6, "fit", LINE, None, "13/4", "chi2 line mean", "chi2_averaged"),
    (6, "fit", SIGMA, None, "5", "chi2 sigma", "sigma_ignored"),
    (6, "fit", SIGMA, None, "3", "chi2 sigma", "sigma_not_squared"),
    (6, "fit", GRAD, None, "[6, 2]", "grad chi2", "residual_sign"),
    (6, "fit", GRAD, None, "[-3, -1]", "grad chi2", "missing_factor_two"),
    (6, "fit", STEP, None, "[2/5, 4/5]", "step chi2", "residual_sign"),
    (6, "fit", STEP, None, "[7, 3]", "step chi2", "rate_missing"),
    # the normal equations' rows against the wrong right-hand sides: 6m + 4c = 32, 14m + 6c = 15
    (6, "fit", PARAMS, None, "[-33/5, 179/10]", "params", "normal_equations_mismatch"),
    (6, "fit", PARAMS, None, "[9/10, 19/10]", "params", "wrong_variable_order"),
    (6, "fit", PARAMS_SIGMA, None, "[3/2, 3/2]", "params sigma", "sigma_ignored"),
    # the line through the origin: m = Σxy/Σx² = 32/14
    (6, "fit", PARAMS, None, "[16/7, 0]", "params", "intercept_forgotten"),
    # x fitted against y: slope Σ(x - 15/4)(y - 3/2)/Σ(x - 15/4)² = (19/2)/(75/4) on swapped data
    (6, "fit", PARAMS, None, "[38/75, -2/5]", "params", "x_y_swapped"),
    # f at the other local maximum (a second start of Newton's method)
    (5, "lagrange", NUMERIC, None, "3.276", "max x^2 y + e^x", "one_start_only"),
]

CHECKS = {"determinant": check_determinant, "activations": check_output}
NAMES = {s.name: s for s in (x, y, t, r, p, q, x1, x2, lam, lam1, lam2, z)}


def verdict(kind, input, part, text):
    result = run_kind(kind, input)
    if part is None:
        return check_answer(result, text)
    return CHECKS[part](SimpleNamespace(solve=lambda: result), text)


def _typed(text):
    """The typed answer read by SymPy (trusted test strings), in the twin's shape."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = standard_transformations + (implicit_multiplication_application,
                                                  convert_xor)
    value = parse_expr(text, local_dict=dict(NAMES, e=sp.E, pi=sp.pi),
                       transformations=transformations)
    return list(value) if isinstance(value, tuple) else value


def _differs(right, typed) -> bool:
    """Independent: the typed answer differs from the twin somewhere (random points)."""
    import random

    rng = random.Random(3)
    right, typed = sp.flatten([right]), sp.flatten([typed])
    if len(right) != len(typed):
        return True
    pairs = list(zip(right, typed, strict=True))
    symbols = sorted(set().union(*(sp.sympify(a).free_symbols | sp.sympify(b).free_symbols
                                   for a, b in pairs)), key=lambda s: s.name)
    for _ in range(5):
        point = {s: sp.Float(rng.uniform(0.3, 2.0)) for s in symbols}
        for a, b in pairs:
            if abs(complex(sp.N(sp.sympify(a - b).subs(point)))) > 1e-8:
                return True
    return False


def _row(row):
    return tuple(row.values) if hasattr(row, "values") else row


@pytest.mark.parametrize("module,kind,input,part,wrong,twin,code", TABLE,
                         ids=[f"m{_row(row)[0]}-{_row(row)[6]}-{i}"
                              for i, row in enumerate(TABLE)])
def test_classic_wrong_answer_is_named(module, kind, input, part, wrong, twin, code):
    right = RIGHT[twin]
    if right is not None:
        assert _differs(right, _typed(wrong)), "the table's wrong answer is right"
    v = verdict(kind, input, part, wrong)
    assert v.correct is False
    assert v.diagnosis == code, v.feedback


def test_every_module_is_diagnosed_by_name_in_at_least_80_percent():
    named, total = defaultdict(int), defaultdict(int)
    for module, kind, input, part, wrong, _, code in map(_row, TABLE):
        total[module] += 1
        named[module] += verdict(kind, input, part, wrong).diagnosis == code
    assert set(total) == {1, 2, 3, 4, 5, 6}
    assert all(total[m] >= 8 for m in total)
    shares = {m: named[m] / total[m] for m in sorted(total)}
    print("named share per module:", {m: f"{named[m]}/{total[m]}" for m in shares})
    assert all(share >= 0.8 for share in shares.values()), shares


# Right answers in other forms, and correct-but-unusual ones: never a diagnosis.
RIGHT_FORMS = [
    ("diff", {"expr": "sin(x^2)"}, None, "2 x cos(x^2)"),
    ("diff", {"expr": "x^3 + e^2"}, None, "3x^2 + 0 e"),
    ("diff", {"expr": "pi^2 x"}, None, "pi pi"),
    ("diff", {"expr": "sqrt(x)"}, None, "x^(-1/2)/2"),
    ("diff", {"expr": "e^x"}, None, "e^x"),  # its own antiderivative: right, not "integrated"
    ("gradient", {"expr": "x^2 y^3", "vars": ["x", "y"]}, None, "[2x y^3, 3y^2 x^2]"),
    ("gradient", {"expr": "3x1^2 + x1 x2 + 4x2^2", "vars": ["x1", "x2"]}, None,
     "[6x1 + x2, x1 + 8x2]"),
    ("gradient", {"expr": "3x1^2 + x1 x2 + 4x2^2", "vars": ["x1", "x2"]}, None,
     "[[6x1 + x2], [x1 + 8x2]]"),
    ("hessian", {"expr": "x^3 + 4x y^2", "vars": ["x", "y"]}, None, "[[6x, 8y], [8y, 8x]]"),
    ("jacobian", {"expr": "2r cos(t), 3r sin(t)", "vars": ["r", "t"]}, "determinant", "6r"),
    ("jacobian", {"expr": "2p + 3q, p - q", "vars": ["p", "q"]}, "determinant", "-5"),
    ("backprop", RELU, "activations", "5, 0"),
    ("backprop", dict(SIGMOID, check="cost"), None, "(1 - 1/(1+e^(-2)))^2"),
    ("backprop", dict(SIGMOID, check="W1"), None,
     "3 (1/(1+e^(-2)) - 1) (1/(1+e^(-2))) (1 - 1/(1+e^(-2)))"),
    ("taylor", {"expr": "1/(1+x)", "var": "x", "order": 3}, None, "1 - x + x^2 - x^3"),
    ("taylor", {"expr": "sqrt(x)", "var": "x", "at": {"x": "4"}, "order": 1}, None, "1 + x/4"),
    ("lagrange", XY_CIRCLE, None, "[y - 2 lam x, x - 2 lam y, -(x^2 + y^2 - 1)]"),
    ("fit", LINE, None, "(3 - 1)^2 + (5 - 5)^2 + (7 - 10)^2 + (9 - 9)^2"),  # model - y
    ("fit", LINE, None, "(1 - 3)^2 + (5 - 5)^2 + (10 - 7)^2 + (9 - 9)^2"),
    ("fit", PARAMS, None, "[1.9, 0.9]"),
]


@pytest.mark.parametrize("kind,input,part,text", RIGHT_FORMS,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(RIGHT_FORMS)])
def test_right_answers_in_other_forms_are_never_diagnosed(kind, input, part, text):
    v = verdict(kind, input, part, text)
    assert v.correct is True, v.feedback
    assert v.diagnosis is None


def test_feedback_never_gives_the_answer_away():
    """The feedback names the rule and the part of the problem it applies to; it never
    states the expected answer (unless the problem itself shows it, as pi^2 in pi^2 x)."""
    from calctutor.notation import to_text

    def bare(text):
        return str(text).replace(" ", "").replace("*", "")

    for _, kind, input, part, wrong, twin, code in map(_row, TABLE):
        v = verdict(kind, input, part, wrong)
        shown = [bare(v.expected)] + ([bare(to_text(sp.sympify(RIGHT[twin])))]
                                      if RIGHT[twin] is not None
                                      and not isinstance(RIGHT[twin], list) else [])
        problem = bare(input)
        for answer in shown:
            if len(answer) > 2 and answer not in problem:
                assert answer not in bare(v.feedback), (code, v.feedback)


def test_quadratic_form_mistake_needs_a_cross_term_and_an_antisymmetric_difference():
    """2Ax is named only where f has a cross term to split unevenly, and only when the
    answer differs from the gradient by M x with M antisymmetric (checked here by SymPy)."""
    plain = {"expr": "x^2 + y^2", "vars": ["x", "y"]}
    assert verdict("gradient", plain, None, "[2x + y, 2y - x]").diagnosis is None
    with_linear = {"expr": "x^2 + 3x y + y^2 + 5x", "vars": ["x", "y"]}
    wrong = [2 * x + 4 * y + 5, 2 * x + 2 * y]
    grad = [sp.diff(x**2 + 3 * x * y + y**2 + 5 * x, v) for v in (x, y)]
    M = sp.Matrix(2, 2, lambda i, j: sp.expand(wrong[i] - grad[i]).coeff((x, y)[j]))
    assert (M + M.T).is_zero_matrix and not M.is_zero_matrix
    v = verdict("gradient", with_linear, None, "[2x + 4y + 5, 2x + 2y]")
    assert v.diagnosis == "quadratic_form_not_symmetric"
    # a difference that is not antisymmetric is some other slip
    assert verdict("gradient", with_linear, None, "[2x + 4y + 5, 3x + 2y]").diagnosis != \
        "quadratic_form_not_symmetric"


def test_the_bank_names_each_target_mistake_by_the_code_its_verdict_gives():
    # a template's `misconception` is the code a verdict on that mistake carries, so a
    # teacher reads one name in the bank, in --answer and in the quiz; every one outside
    # diff (whose codes are its mal-rules' own) is diagnosed by name in TABLE above
    from calctutor.drills.bank import load_bank
    from calctutor.topics import TOPICS

    # mistakes on a drawn exercise need its picture: test_plotted_drills names those
    named = {_row(row)[6] for row in TABLE} | {"neighbouring_order"}
    declared = {code for topic in TOPICS if topic.name != "diff"
                for checks in getattr(_mistakes(topic), "REVEALS", {}).values() for code in checks}
    assert declared and declared <= named, declared - named
    used = {t.misconception for t in load_bank().templates if t.misconception and t.kind != "diff"}
    assert used <= declared, used - declared


def _mistakes(topic):
    try:
        return topic.module("mistakes")
    except ModuleNotFoundError:
        return None
