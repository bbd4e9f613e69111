"""Lagrange multipliers against known optima and independent checks of the system."""

import json
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError, UsageError
from calctutor.topics.optimise.run import run_lagrange

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
X, Y, Z, LAM = sp.symbols("x y z lam", real=True)


def _on_system(r):
    """Every candidate satisfies grad f = lam grad g and g = 0 (computed here, by sympy)."""
    f = r.expr
    for c in r.candidates:
        sub = dict(zip(r.variables, c.point, strict=True))
        for g in r.constraints:
            assert abs(complex(sp.N(g.xreplace(sub)))) < 1e-9
        for v in r.variables:
            comp = sp.diff(f, v) - sum(lam * sp.diff(g, v) for g, lam in
                                       zip(r.constraints, c.multipliers, strict=True))
            assert abs(complex(sp.N(comp.xreplace(sub)))) < 1e-8


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["kind"] == "lagrange"], ids=lambda e: e["id"])
def test_course_examples(ex):
    inp = ex["input"]
    r = run_lagrange(inp["f"], [inp["g"]], vars=inp["vars"], goal=inp["goal"])
    if inp["goal"] == "system":
        want = [sp.sympify(a, locals={"x": X, "y": Y, "lam": LAM}) for a in ex["answer"]]
        assert [sp.expand(e - w) for e, w in zip(r.equations, want, strict=True)] == [0, 0, 0]
        assert check_answer(r, ", ".join(ex["answer"])).correct is True
        return
    best = r.maximum if inp["goal"] == "max" else r.minimum
    assert {c.value for c in best} == {sp.Integer(ex["answer"])}
    assert sorted([sp.sstr(p) for p in c.point] for c in best) == sorted(ex["answer_points"])
    assert check_answer(r, ex["answer"]).correct is True
    _on_system(r)


def test_max_x2y_on_circle_is_2():
    r = run_lagrange("x^2 y", ["x^2 + y^2 = 3"])
    assert r.method == "exact" and {c.value for c in r.maximum} == {2}
    assert {c.value for c in r.minimum} == {-2}
    assert len(r.candidates) == 6
    _on_system(r)
    j = r.to_json()
    assert j["lagrangian"] and {"point", "multipliers", "value", "kind"} <= set(j["candidates"][0])
    assert all(isinstance(v, str) for c in j["candidates"] for v in c["point"].values())


def test_positive_restricts_candidates():
    r = run_lagrange("x y z", ["x + y + z = 3"], positive=True)
    assert [c.point for c in r.candidates] == [(1, 1, 1)] and r.maximum[0].value == 1
    free = run_lagrange("x y z", ["x + y + z = 3"])
    assert len(free.candidates) > 1  # (3,0,0) and its permutations join in


def test_two_constraints_use_lam1_lam2():
    r = run_lagrange("x + y + z", ["x^2 + y^2 = 1", "z = x"])
    assert [m.name for m in r.multipliers] == ["lam1", "lam2"]
    assert len(r.equations) == 5
    assert {c.value for c in r.maximum} == {sp.sqrt(5)}
    _on_system(r)


def test_numeric_fallback_finds_the_four_course_points():
    scipy_opt = pytest.importorskip("scipy.optimize")
    import numpy as np

    r = run_lagrange("exp(-(2x^2+y^2-x y)/2)", ["x^2 + 3(y+1)^2 = 1"], solve_seconds=0.3)
    assert r.method == "numeric" and any("numerically" in n for n in r.notes)
    assert len(r.candidates) == 4
    _on_system(r)

    def F(v):
        x, y, lam = v
        f = np.exp(-(2 * x**2 + y**2 - x * y) / 2)
        return [f * (-2 * x + y / 2) - lam * 2 * x, f * (x / 2 - y) - lam * 6 * (y + 1),
                -(x**2 + 3 * (y + 1) ** 2 - 1)]

    found = []
    for x0 in (-1, 0, 1):
        for y0 in (-2, -1.5, -0.5, 0):
            sol = scipy_opt.root(F, [x0, y0, 0.0])
            if sol.success and not any(np.allclose(sol.x[:2], p, atol=1e-6) for p in found):
                found.append(sol.x[:2])
    ours = [[float(p) for p in c.point] for c in r.candidates]
    for p in found:
        assert any(np.allclose(p, q, atol=1e-6) for q in ours)
    gmin = min(r.candidates, key=lambda c: c.numeric_value)
    assert r.minimum == (gmin,)


@pytest.mark.parametrize("args, error, message", [
    (dict(expr="x y", constraint=[]), UsageError, "give at least one constraint"),
    (dict(expr="x y", constraint=["3 = 3"]), UsageError, r"constraint 1 \('3 = 3'\) has no variables"),
    (dict(expr="x", constraint=["x = 1"]), UsageError, "leave nothing to optimise"),
    (dict(expr="x y", constraint=["x^2+y^2=1"], goal="best"), UsageError, "--goal must be one of"),
    (dict(expr="x y", constraint=["x^2+y^2==1"]), ParseError, "another at column 9"),
])
def test_bad_input(args, error, message):
    # the exact class: an InternalError (a crash) is a CalcTutorError too and must not pass
    with pytest.raises(error, match=message) as err:
        run_lagrange(**args)
    assert type(err.value) is error


def test_mistakes():
    r = run_lagrange("x y", ["x^2 + y^2 = 8"])
    assert check_answer(r, "0").diagnosis == "constraint_forgotten"
    assert check_answer(r, "-4").diagnosis == "max_min_swapped"
    # x^2 + 2y on x^2 + y^2 = 4: (0, 2) f = 4, (0, -2) f = -4, (±sqrt(3), 1) f = 5
    t = run_lagrange("x^2 + 2y", ["x^2 + y^2 = 4"])
    assert {c.value for c in t.maximum} == {5} and {c.value for c in t.minimum} == {-4}
    v = check_answer(t, "4")
    assert v.diagnosis == "lost_solutions" and "sqrt(3)" in v.feedback
    t_min = run_lagrange("x^2 + 2y", ["x^2 + y^2 = 4"], goal="min")
    v = check_answer(t_min, "4")
    assert v.diagnosis == "lost_solutions" and "(0, -2)" in v.feedback
    assert check_answer(t_min, "5").diagnosis == "max_min_swapped"
    sys_r = run_lagrange("x + y", ["x^2 + y^2 - 2"], goal="system")
    assert check_answer(sys_r, "1 - 2 lam x, 1 - 2 lam y").diagnosis == "constraint_forgotten"
    assert check_answer(sys_r, "1 + 2 lam x, 1 + 2 lam y, x^2 + y^2 - 2").diagnosis == "lagrangian_sign"


def test_unbounded_constraint_has_no_maximum():
    # F4: on the plane x+y+z=3, x^2+y^2+z^2 grows without bound; (1,1,1) is only the minimum
    r = run_lagrange("x^2+y^2+z^2", ["x+y+z-3"])
    assert [c.point for c in r.candidates] == [(1, 1, 1)]
    assert r.maximum == () and r.max_status == "none"
    assert [c.value for c in r.minimum] == [3] and r.min_status == "attained"
    point, value = r.max_witness
    assert abs(sum(point) - 3) < 1e-6 and value > 3
    assert abs(sum(t * t for t in point) - value) < 1e-6 * value   # independent recomputation
    j = r.to_json()
    assert j["maximum"] == [] and j["minimum"][0]["value"] == "3"
    with pytest.raises(UsageError, match="f has no maximum on the constraint") as err:
        check_answer(r, "3")
    assert type(err.value) is UsageError
    # x + y on the hyperbola x y = 1: the candidates are local extremes only
    h = run_lagrange("x + y", ["x y = 1"])
    assert h.maximum == () and h.minimum == ()


def test_compact_constraint_keeps_max_and_min():
    assert run_lagrange("x^2 y", ["x^2+y^2=3"]).max_status == "attained"
    r = run_lagrange("x y", ["x^2 + y^2 = 8"])
    assert (r.max_status, r.min_status) == ("attained", "attained")
    assert {c.value for c in r.maximum} == {4}
