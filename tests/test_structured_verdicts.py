"""Verdict texts are built from parts, and views use the parts: an equivalence summary's
particulars (``detail``) apart from its verdict words, Newton's advice apart from what
happened (so a run on an f with no root drops the advice, no sentence cut out)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import calctutor.checking.equivalence as eq
from calctutor.checking.equivalence import SUMMARY_HEADS, check_equivalent, equiv
from calctutor.render import render
from calctutor.topics.series.run import run_newton

x = sp.Symbol("x", real=True)

CASES = {
    "proved": ("tanh(x)", "1 - 2/(e^(2x)+1)"),
    "tested": ("asin(x) + acos(x)", "pi/2"),
    "differ": ("sqrt(x^2)", "x"),
}


@pytest.mark.parametrize("verdict", sorted(CASES))
def test_summary_is_the_verdict_words_around_the_detail(verdict):
    r = equiv(*CASES[verdict])
    assert r.verdict == verdict and r.detail
    head, tail = SUMMARY_HEADS[verdict]
    assert r.summary == f"{head}: {r.detail}{tail}"
    out = render(r, "plain", width=400)
    assert r.detail[:1].upper() + r.detail[1:] in out or r.detail in out
    assert f"{head}:" not in out  # the view says the verdict in its own words, once


def test_the_tested_detail_names_the_points_sympy_agrees_on():
    r = equiv(*CASES["tested"])
    n = int(r.detail.split(" points")[0])
    assert n >= 10 and "x from -1 to 1" in r.detail
    # independently: asin + acos is pi/2 on [-1, 1]
    grid = np.linspace(-1, 1, 101)
    assert np.allclose(np.arcsin(grid) + np.arccos(grid), np.pi / 2)


def test_undecided_detail_says_what_was_tried(monkeypatch):
    monkeypatch.setattr(eq, "SYMBOLIC_SECONDS", 0.01)
    sliver = sp.sqrt(sp.sin(x) - 1 + sp.Rational(1, 10**12))
    v = check_equivalent(sliver, sp.Integer(0))
    assert v.verdict == "undecided" and v.detail.startswith("none of the ")
    assert v.summary == f"could not decide: {v.detail}" and v.summary in v.notes


# f has a real root (checked with NumPy), so the advice of a failed run stands
WITH_ROOT = [
    ("x^3 - 2x + 2", 0, [1, 0, -2, 2], "cycle", "Start from another point."),
    ("x^3 - 3x + 1", 1, [1, 0, -3, 1], "zero_derivative", "Start from another point."),
    ("x^(1/3)", 1, None, "diverged", "Start closer to a root."),
]


@pytest.mark.parametrize("expr, x0, coeffs, status, advice", WITH_ROOT)
def test_a_failed_run_with_a_root_to_find_ends_with_its_advice(expr, x0, coeffs, status, advice):
    if coeffs is not None:
        assert any(abs(z.imag) < 1e-12 for z in np.roots(coeffs))
    r = run_newton(expr, x0=x0)
    assert r.status == status
    assert r.explanation.endswith(" " + advice)
    assert r.explanation.count(advice) == 1


def test_the_same_stop_without_a_root_keeps_the_facts_and_drops_the_advice():
    assert not any(abs(z.imag) < 1e-12 for z in np.roots([1, 0, 1]))
    r = run_newton("x^2 + 1", x0=1)
    assert r.status == "no_real_root"
    assert r.explanation.endswith("The tangent is flat, so Newton's step divides by zero.")


def test_a_constant_difference_is_a_part_of_the_verdict():
    a, b = x**2 + sp.exp(x) + 1, x**2 + sp.exp(x) + sp.Rational(1, 3)
    v = check_equivalent(a, b)
    assert v.evidence_kind == "constant-difference"
    assert sp.Rational(v.constant) == sp.simplify(a - b)  # 2/3, by SymPy
    assert v.detail == f"first - second is the constant {v.constant}, not 0"
