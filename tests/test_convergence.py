"""Where a series converges (``taylor --radius`` / ``--interval``): the radius by the ratio
test and each endpoint by a named test, checked against independent computations: the
radius against the distance to the nearest singularity and the ratio of sympy.series
coefficients, each endpoint's verdict against SymPy's own ``Sum.is_convergent``."""

from __future__ import annotations

import functools

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import LimitError, UsageError
from calctutor.topics import run_kind
from calctutor.topics.series.convergence import endpoint, ratio_radius
from calctutor.topics.series.terms import PowerSeries

x = sp.Symbol("x")
n = sp.Symbol("n", integer=True)


@functools.cache
def solved(text: str, at: str = "0", asked: str = "interval"):
    return run_kind("taylor", {"expr": text, "at": at, asked: True})


# (typed, SymPy's f, centre, radius as a closed form: the distance to the nearest point
# where f is not analytic, or ∞)
RADII = [
    ("e^(2x)", sp.exp(2 * x), 0, sp.oo),
    ("sin(3x)", sp.sin(3 * x), 0, sp.oo),
    ("cos(x/2)", sp.cos(x / 2), 0, sp.oo),
    ("1/(1 - 3x)", 1 / (1 - 3 * x), 0, sp.Rational(1, 3)),
    ("ln(1 + 2x)", sp.log(1 + 2 * x), 0, sp.Rational(1, 2)),
    ("(1 + x)^(1/2)", sp.sqrt(1 + x), 0, 1),
    ("1/(1 + 4x)^2", 1 / (1 + 4 * x) ** 2, 0, sp.Rational(1, 4)),
    ("atan(2x)", sp.atan(2 * x), 0, sp.Rational(1, 2)),
    ("ln x", sp.log(x), 3, 3),
    ("1/(x + 2)", 1 / (x + 2), 1, 3),
]


@pytest.mark.parametrize("text, f, a, radius", RADII)
def test_radius_is_the_distance_to_the_nearest_singularity(text, f, a, radius):
    r = solved(text, str(a), "radius")
    assert r.radius == radius
    if radius != sp.oo:
        # independently: the singularities SymPy finds, and the coefficients' ratio
        if f.is_rational_function(x):
            assert min(abs(p - a) for p in sp.singularities(f, x)) == radius
        t = sp.Symbol("t")
        coeffs = sp.Poly(sp.series(f.subs(x, t + a), t, 0, 42).removeO(), t).all_coeffs()[::-1]
        nonzero = [c for c in coeffs if c != 0]
        step = 2 if f.has(sp.atan) else 1
        ratio = abs(nonzero[-2] / nonzero[-1]) ** sp.Rational(1, step)
        assert abs(float(ratio) - float(radius)) < 0.1 * float(radius)


# (typed, centre, the interval, the two endpoint series as SymPy sums for Sum.is_convergent)
INTERVALS = [
    ("ln(1 + x)", "0", "(-1, 1]"),
    ("atan x", "0", "[-1, 1]"),
    ("1/(1 - x)", "0", "(-1, 1)"),
    ("e^x", "0", "all x"),
    ("ln x", "1", "(0, 2]"),
    ("sqrt(1 + x)", "0", "[-1, 1]"),
    ("1/sqrt(1 - x)", "0", "[-1, 1)"),
]


@pytest.mark.parametrize("text, a, interval", INTERVALS)
def test_interval_and_each_endpoint_agree_with_sympy(text, a, interval):
    r = solved(text, a)
    assert r.interval_text() == interval
    k = sp.Symbol("k", integer=True, positive=True)
    for e in r.endpoints:
        assert e.test != "undecided"
        term = e.term.xreplace({s: k for s in e.term.free_symbols if s.name == "n"})
        if term.has(sp.binomial):
            # SymPy 1.14 says Σ (-1)^k C(-1/2, k) converges, but its terms C(2k, k)/4^k are
            # positive and ~ 1/sqrt(πk): the binomial series' endpoints are checked by the
            # known rule instead (at w = 1 iff the power > -1, at w = -1 iff it is >= 0)
            continue
        assert sp.Sum(term, (k, 1, sp.oo)).is_convergent() == e.converges, (text, e)


@pytest.mark.parametrize("c, left, right", [
    (1 / n ** 2, True, True),        # Σ xⁿ/n²: absolutely at both ends
    (1 / n, True, False),            # Σ xⁿ/n: alternating harmonic at -1, harmonic at 1
    (n, False, False),               # terms that grow
    (1 / sp.sqrt(n), True, False),
])
def test_endpoints_of_series_given_by_their_terms(c, left, right):
    s = PowerSeries(c, 1, 0, 1, n, x)
    _, _, radius = ratio_radius(s, x)
    assert radius == 1
    got = [endpoint(s, x, 0, side, radius) for side in (-1, 1)]
    assert [e.converges for e in got] == [left, right]
    k = sp.Symbol("k", integer=True, positive=True)
    for e in got:  # independently, by SymPy
        assert sp.Sum(e.term.xreplace({s_: k for s_ in e.term.free_symbols}), (k, 1, sp.oo)) \
            .is_convergent() == e.converges


def test_an_endpoint_sympy_cannot_settle_is_said_to_be_undecided():
    s = PowerSeries(1 / (n * sp.log(n + 1)), 1, 0, 1, n, x)
    right = endpoint(s, x, 0, 1, 1)
    assert right.converges is None and "not decided" in right.reason


def test_endpoint_reasons_name_the_test():
    r = solved("ln(1 + x)")
    left, right = r.endpoints
    assert left.test == "p-series comparison" and "harmonic" in left.reason
    assert right.test == "alternating series test"
    assert solved("1/(1 - x)").endpoints[1].test == "divergence test"


@pytest.mark.parametrize("answer, ok", [
    ("(-1, 1]", True), ("-1 < x <= 1", True), ("-1 < x ≤ 1", True), ("(-1,1]", True),
    ("(-1, 1)", False), ("[-1, 1]", False), ("[-1, 1)", False), ("all x", False),
])
def test_interval_answers(answer, ok):
    assert check_answer(solved("ln(1 + x)"), answer).correct is ok


@pytest.mark.parametrize("text, answer, code", [
    ("ln(1 + x)", "(-1, 1)", "endpoints_not_examined"),
    ("ln(1 + x)", "[-1, 1)", "endpoints_swapped"),
    ("ln(1 + x)", "[-1, 1]", "divergent_endpoint_included"),
    ("ln x", "(-1, 1]", "not_centred"),
])
def test_interval_mistakes_are_named(text, answer, code):
    a = "1" if text == "ln x" else "0"
    verdict = check_answer(solved(text, a), answer)
    assert verdict.correct is False and verdict.diagnosis == code
    assert solved(text, a).interval_text() not in (verdict.guarded_feedback or "")


@pytest.mark.parametrize("text, answer, ok", [
    ("1/(1 - 3x)", "1/3", True), ("1/(1 - 3x)", "0.3333", True), ("1/(1 - 3x)", "0.34", False), ("1/(1 - 3x)", "3", False),
    ("e^x", "oo", True), ("e^x", "infinity", True), ("e^x", "0", False),
    ("atan(2x)", "1/2", True), ("atan(2x)", "1/4", False),
])
def test_radius_answers(text, answer, ok):
    verdict = check_answer(solved(text, "0", "radius"), answer)
    assert verdict.correct is ok


def test_radius_mistakes_are_named():
    assert check_answer(solved("1/(1 - 3x)", "0", "radius"), "3").diagnosis == "radius_inverted"
    assert check_answer(solved("atan(2x)", "0", "radius"), "1/4").diagnosis == \
        "radius_not_rooted"
    assert check_answer(solved("e^x", "0", "radius"), "0").diagnosis == "radius_zero_for_infinity"


def test_bad_answers_and_options_are_errors_not_verdicts():
    with pytest.raises(UsageError, match="type an interval"):
        check_answer(solved("ln(1 + x)"), "(-1, 1")
    with pytest.raises(UsageError, match="not both"):
        run_kind("taylor", {"expr": "e^x", "radius": True, "interval": True})
    with pytest.raises(LimitError, match="no general term"):
        run_kind("taylor", {"expr": "exp(sin x)", "radius": True})


def test_json_fields():
    j = solved("ln(1 + x)").to_json()
    assert j["radius"] == "1" and j["interval"] == "(-1, 1]" and j["inequality"] == "-1 < x <= 1"
    assert [e["converges"] for e in j["endpoints"]] == [False, True]
    assert j["asked"] == "interval" and j["start"] == 1


def test_the_views_render_in_every_format():
    from calctutor.render import render

    r = solved("ln(1 + x)")
    for fmt in ("plain", "markdown", "latex", "rich"):
        out = render(r, fmt)
        assert "alternating series test" in out and "harmonic" in out


def test_bank_radius_keys_match_the_coefficient_ratio_of_sympy_series():
    from calctutor.drills import instantiate, templates
    from calctutor.drills.validate import solved_and_valid
    from calctutor.parsing import parse_expression

    checked = 0
    for t in templates(4):
        if not t.id.startswith("radius"):
            continue
        for ex in [ok for ok in (solved_and_valid(instantiate(t, s), t) for s in (1, 2, 3))
                   if ok is not None][:2]:
            f = parse_expression(ex.input["expr"]).expr
            v = [s for s in f.free_symbols][0]
            f = f.xreplace({v: x})
            a = sp.sympify(ex.input.get("at", 0))
            t_ = sp.Symbol("t")
            coeffs = sp.Poly(sp.series(f.subs(x, t_ + a), t_, 0, 42).removeO(), t_).all_coeffs()
            nonzero = [c for c in coeffs[::-1] if c != 0]
            step = 2 if f.has(sp.atan) else 1
            estimate = float(abs(nonzero[-2] / nonzero[-1]) ** sp.Rational(1, step))
            key = sp.sympify(ex.answer)
            assert abs(estimate - float(key)) < 0.1 * float(key), (ex.prompt, ex.answer)
            checked += 1
    assert checked >= 3
