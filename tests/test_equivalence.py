"""The equivalence checker: sound verdicts, evidence, domain policy, and ``equiv`` on text."""

import pytest
import sympy as sp

from calctutor.checking.equivalence import Equivalence, check_equivalent, equiv
from calctutor.errors import ParseError
from calctutor.symbols import make_symbol

x, y, z, t = (make_symbol(n) for n in "xyzt")
px, py = make_symbol("x", positive=True), make_symbol("y", positive=True)
f, g = sp.Function("f"), sp.Function("g")
R, F = sp.Rational, sp.Float
u = sp.Dummy("u")

EQUIVALENT = [
    ("pythagoras", sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)),
    ("double angle", sp.cos(2 * x), sp.cos(x) ** 2 - sp.sin(x) ** 2),
    ("sine double angle", sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)),
    ("float round-off", 3 * x / 10, F(0.1) * 3 * x),
    ("sqrt of square is abs", sp.Abs(x), sp.sqrt(x**2)),
    ("2 log x on its own domain", 2 * sp.log(x), sp.log(x**2)),
    ("asinh as a logarithm", sp.asinh(x), sp.log(x + sp.sqrt(x**2 + 1))),
    ("acosh as a logarithm", sp.acosh(x), sp.log(x + sp.sqrt(x**2 - 1))),
    ("binomial 40", (x + 1) ** 40, sp.expand((x + 1) ** 40)),
    ("binomial 30 in two variables", sp.expand((x + y) ** 30), (x + y) ** 30),
    ("removable singularity", (x**2 - 1) / (x - 1), x + 1),
    ("removable singularity reversed", x + 1, (x**2 - 1) / (x - 1)),
    ("secant squared", 1 / sp.cos(x) ** 2, 1 + sp.tan(x) ** 2),
    ("pi/4 to 15 digits", sp.pi / 4, F("0.785398163397448")),
    ("sqrt 2 to 14 digits", sp.sqrt(2), F("1.4142135623731")),
    ("exp of a sum", sp.exp(x + y), sp.exp(x) * sp.exp(y)),
    ("log of a product, positive", sp.log(px * py), sp.log(px) + sp.log(py)),
    ("sqrt of a product on the expected domain", sp.sqrt(x) * sp.sqrt(y), sp.sqrt(x * y)),
    ("tangent", sp.tan(x), sp.sin(x) / sp.cos(x)),
    ("x^x", x**x, sp.exp(x * sp.log(x))),
    ("asin + acos", sp.asin(x) + sp.acos(x), sp.pi / 2),
    ("atan of reciprocal, positive", sp.atan(px) + sp.atan(1 / px), sp.pi / 2),
    ("partial fractions", 1 / (x * (x + 1)), 1 / x - 1 / (x + 1)),
    ("three variables", (x + y + z) ** 2, x**2 + y**2 + z**2 + 2 * (x * y + y * z + x * z)),
    ("multivariate trig", sp.sin(x + y), sp.sin(x) * sp.cos(y) + sp.cos(x) * sp.sin(y)),
    ("piecewise abs", sp.Abs(x), sp.Piecewise((x, x > 0), (-x, True))),
    ("relu", sp.Max(x, 0), (x + sp.Abs(x)) / 2),
    ("sigmoid derivative", sp.exp(-x) / (1 + sp.exp(-x)) ** 2,
     1 / (1 + sp.exp(-x)) * (1 - 1 / (1 + sp.exp(-x)))),
    ("float power", sp.sqrt(x), x ** F(0.5)),
    ("float integer power", x**2, x ** F(2.0)),
    ("cosh squared", sp.cosh(x) ** 2 - sp.sinh(x) ** 2, sp.Integer(1)),
    ("chain rule with an unknown function", sp.diff(f(x**2), x),
     2 * x * sp.Subs(sp.Derivative(f(u), u), u, x**2)),
    ("product rule with unknown functions", sp.diff(f(x) * g(x), x),
     sp.Derivative(f(x), x) * g(x) + f(x) * sp.Derivative(g(x), x) + 0 * x),
    ("product rule, factored, unknown function", sp.diff(f(x) * sp.exp(x), x),
     sp.exp(x) * (f(x) + sp.Derivative(f(x), x))),
    ("same name, plain symbol", x**2 + 1, sp.Symbol("x") ** 2 + 1),
    ("constants", sp.exp(2) * sp.exp(3), sp.exp(5)),
    ("rational constants", R(1, 3) + R(1, 6), R(1, 2)),
    ("nested radicals", sp.sqrt(3 + 2 * sp.sqrt(2)), 1 + sp.sqrt(2)),
]

NOT_EQUIVALENT = [
    ("0.333 is not 1/3", x / 3, F(0.333) * x),
    ("10^-12 exact", x**2 + R(1, 10**12), x**2),
    ("1e-12 float", x**2 + F(1e-12), x**2),
    ("sqrt of square is not x", sp.sqrt(x**2), x),
    ("log of square vs 2 log x", sp.log(x**2), 2 * sp.log(x)),
    ("atan of reciprocal differs for x < 0", sp.atan(x) + sp.atan(1 / x), sp.pi / 2),
    ("log of a product, real", sp.log(x * y), sp.log(x) + sp.log(y)),
    ("sqrt of a product, real", sp.sqrt(x * y), sp.sqrt(x) * sp.sqrt(y)),
    ("pi/4 to 4 digits", sp.pi / 4, F("0.7854")),
    ("off by a constant factor", sp.sin(x) * sp.cos(x), sp.sin(x) * sp.cos(x) / 2),
    ("dropped chain factor", 3 * sp.cos(3 * x), sp.cos(3 * x)),
    ("sign error", -sp.sin(x), sp.sin(x)),
    ("binomial 40 with one coefficient wrong", (x + 1) ** 40, sp.expand((x + 1) ** 40) + x**17),
    ("abs shifted", sp.Abs(x - 2), x - 2),
    ("floor", sp.floor(x), x),
    ("wrong variable", sp.cos(x), sp.cos(t)),
    ("quotient rule sign", (sp.cos(x) * x - sp.sin(x)) / x**2, (sp.sin(x) - x * sp.cos(x)) / x**2),
    ("tiny exact difference, not rational", sp.sin(x) + R(1, 10**20), sp.sin(x)),
    ("missing chain factor with an unknown function", sp.diff(f(x**2), x),
     sp.Subs(sp.Derivative(f(u), u), u, x**2)),
    ("exp of product", sp.exp(x * y), sp.exp(x) * sp.exp(y)),
    ("constants differ", sp.pi, R(355, 113)),
]


@pytest.mark.parametrize("name, expected, answer", EQUIVALENT, ids=[c[0] for c in EQUIVALENT])
def test_equivalent_pairs(name, expected, answer):
    verdict = check_equivalent(expected, answer)
    assert verdict.equivalent is True, verdict
    assert verdict.evidence is None


@pytest.mark.parametrize("name, expected, answer", NOT_EQUIVALENT, ids=[c[0] for c in NOT_EQUIVALENT])
def test_not_equivalent_pairs(name, expected, answer):
    verdict = check_equivalent(expected, answer)
    assert verdict.equivalent is False, verdict
    assert verdict.evidence


def test_there_are_at_least_forty_pairs():
    assert len(EQUIVALENT) + len(NOT_EQUIVALENT) >= 40


def test_evidence_names_the_point_and_both_values():
    verdict = check_equivalent(sp.log(x**2), 2 * sp.log(x))
    assert (verdict.verdict, verdict.evidence_kind, verdict.method) == ("differ", "domain", "domain")
    (name, value), = verdict.point
    assert name == "x" and float(value) < 0
    assert verdict.values[1] == "undefined"
    assert verdict.evidence.startswith("the second expression is not defined for x ≤ 0")
    assert f"at x = {value} the first is {verdict.values[0]}" in verdict.evidence
    # the first value is log(x^2) at that point
    assert abs(float(verdict.values[0]) - float(sp.log(sp.Float(value) ** 2))) < 1e-5


def test_evidence_of_a_tiny_difference_shows_enough_digits():
    verdict = check_equivalent(x**2 + R(1, 10**12), x**2)
    assert (verdict.method, verdict.evidence_kind) == ("constant", "constant-difference")
    point = {x: sp.Rational(verdict.point[0][1])}
    assert verdict.values == (str(sp.Float((x**2 + R(1, 10**12)).subs(point), 13)).rstrip("0"),
                              str(sp.Float((x**2).subs(point), 13)).rstrip("0").rstrip("."))
    tiny = check_equivalent(sp.sin(x) + R(1, 10**20), sp.sin(x))
    assert "1.0e-20" in tiny.evidence
    assert tiny.values[0] != tiny.values[1]


def test_evidence_values_are_right_at_the_point():
    verdict = check_equivalent(sp.sin(x) * sp.cos(x), sp.sin(x) * sp.cos(x) / 2)
    point = {make_symbol(n): sp.Float(v) for n, v in verdict.point}
    first, second = (float(v) for v in verdict.values)
    assert first == pytest.approx(float((sp.sin(x) * sp.cos(x)).subs(point)), rel=1e-5)
    assert second == pytest.approx(first / 2, rel=1e-5)


def test_removable_singularity_is_noted():
    verdict = check_equivalent((x**2 - 1) / (x - 1), x + 1)
    assert verdict.equivalent and verdict.method == "rational-exact"
    assert any("x = 1" in note and "first" in note for note in verdict.notes)
    reverse = check_equivalent(x + 1, (x**2 - 1) / (x - 1))
    assert any("x = 1" in note and "second" in note for note in reverse.notes)


def test_methods_of_the_pipeline():
    assert check_equivalent(x + x, 2 * x).method == "structural"
    assert check_equivalent((x + 1) ** 2, x**2 + 2 * x + 1).method == "rational-exact"
    assert check_equivalent(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2).verdict == "proved"
    assert check_equivalent(sp.asin(x) + sp.acos(x), sp.pi / 2).verdict == "tested"


def test_an_expected_expression_real_nowhere_sampled_is_not_called_different():
    # log(x - 100) is real only for x > 100, beyond the sampled points
    verdict = check_equivalent(2 * sp.log(x - 100), sp.log((x - 100) ** 2))
    assert verdict.equivalent is not False


def test_symbolic_fallback_timeout_is_undecided_not_wrong(monkeypatch):
    import calctutor.checking.equivalence as eq

    monkeypatch.setattr(eq, "SYMBOLIC_SECONDS", 0.01)
    verdict = eq.check_equivalent(sp.sqrt(x - 1000) * sp.sin(x) ** 2, sp.sqrt(x - 1000) * (1 - sp.cos(x) ** 2) + 0 * x)
    assert verdict.equivalent in (True, None)
    assert verdict.evidence is None


def test_verdicts_are_reproducible():
    pairs = [(sp.Abs(x - 2), x - 2), (sp.log(x * y), sp.log(x) + sp.log(y))]
    for expected, answer in pairs:
        assert check_equivalent(expected, answer) == check_equivalent(expected, answer)


def test_variables_fix_order_and_positive_domain_is_respected():
    verdict = check_equivalent(sp.sqrt(px**2), px, [px])
    assert verdict.equivalent is True
    assert check_equivalent(sp.log(px**2), 2 * sp.log(px)).equivalent is True


def test_strings_and_non_expressions_are_refused():
    with pytest.raises(TypeError):
        check_equivalent("x", x)
    with pytest.raises(TypeError):
        check_equivalent(sp.Eq(x, 1), x)


def test_python_numbers_are_accepted():
    assert check_equivalent(sp.Rational(1, 2), 0.5).equivalent is True
    assert check_equivalent(sp.Integer(2), 3).equivalent is False


def test_equivalence_is_a_frozen_dataclass():
    verdict = Equivalence(True, "structural")
    with pytest.raises(AttributeError):
        verdict.equivalent = False


# --- equiv(): from text -------------------------------------------------------------------


@pytest.mark.parametrize("a, b, expected", [
    ("sin(x)^2 + cos(x)^2", "1", True),
    ("cos(2x)", "cos(x)^2 - sin(x)^2", True),
    ("0.1*3*x", "3x/10", True),
    ("x/3", "0.333x", False),
    ("x^2 + 10^-12", "x^2", False),
    ("sqrt(x^2)", "x", False),
    ("sqrt(x^2)", "|x|", True),
    ("2 ln x", "ln(x^2)", True),
    ("ln(x^2)", "2 ln x", False),
    ("arctan(x) + arctan(1/x)", "pi/2", False),
    ("asinh(x)", "ln(x + sqrt(x^2+1))", True),
    ("(x^2-1)/(x-1)", "x+1", True),
    ("1/cos(x)^2", "1 + tan(x)^2", True),
    ("pi/4", "0.785398163397448", True),
    ("e^(x+y)", "e^x e^y", True),
    ("x y + y", "y(x+1)", True),
])
def test_equiv_from_text(a, b, expected):
    result = equiv(a, b)
    assert result.equivalent is expected, result
    assert (result.evidence is not None) is (expected is False)


def test_equiv_result_carries_readings_method_and_notes():
    result = equiv("(x^2-1)/(x-1)", "x + 1")
    assert result.a.text == "(x^2-1)/(x-1)" and result.b.text == "x + 1"
    assert result.method == "rational-exact" and result.notes
    assert result.to_json()["equivalent"] is True


def test_equiv_positive():
    assert equiv("ln(x y)", "ln x + ln y").equivalent is False
    assert equiv("ln(x y)", "ln x + ln y", positive=True).equivalent is True


def test_equiv_declared_variables():
    assert equiv("rate x", "x rate", variables=["rate"]).equivalent is True
    assert equiv("rate x", "x", variables=["rate"]).equivalent is False


def test_equiv_bad_input_is_a_parse_error():
    with pytest.raises(ParseError):
        equiv("x +", "x")


# --- the cheap probe used by the diagnosis ----------------------------------------------------


def test_probe_value_agrees_with_sympy_evaluation():
    from calctutor.checking.equivalence import _probe_point, probe_value

    exprs = [sp.sin(x**2) * sp.exp(-x), sp.sec(x) ** 2 + sp.cot(y), sp.asinh(x) / sp.sqrt(1 + y**2),
             sp.Abs(x - 3) * sp.sign(x - 3), 2**x * sp.log(3), x**x, sp.atan(x) + sp.acos(y / 2),
             sp.tanh(x) - sp.sech(y) + sp.coth(x + y), sp.pi * sp.E * x]
    for e in exprs:
        point = _probe_point(e.free_symbols, 0)
        assert probe_value(e) == pytest.approx(float(e.evalf(30, subs=point)), rel=1e-10), e


def test_probe_points_differ_between_names_and_probes():
    from calctutor.checking.equivalence import _probe_point

    names = [make_symbol(n) for n in "abcdefghijklmnopqrstuvwxyz"]
    values = list(_probe_point(names, 0).values())
    assert len(set(values)) == len(values)
    assert _probe_point([x], 0)[x] != _probe_point([x], 1)[x]
    assert _probe_point([make_symbol("x", positive=True)], 0)


def test_quick_differ_is_only_ever_a_proof_of_difference():
    from calctutor.checking.equivalence import quick_differ

    assert quick_differ(x * y**2, x**2 * y)  # x = y at the probe would hide this
    assert not quick_differ(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x))
    assert not quick_differ(sp.log(x - 100), sp.Integer(0))  # not real at the probe: no verdict
    assert not quick_differ(sp.Function("f")(x), x)  # unknown function: no verdict
    assert not quick_differ(x / 3, sp.Float(0.333) * x, rel=1e-2)
    assert quick_differ(x / 3, sp.Float(0.333) * x)
