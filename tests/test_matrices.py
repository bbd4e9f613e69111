"""gradient, jacobian, hessian: every result against an independent SymPy computation."""

import json
import random
from pathlib import Path

import pytest
import sympy as sp

from calctutor.checking.answer import check_answer
from calctutor.errors import ParseError, UsageError
from calctutor.render import render
from calctutor.symbols import make_symbol
from calctutor.topics import run_kind
from calctutor.topics.matrices.compute import _inertia, classify_point, jacobian_matrix
from calctutor.topics.matrices.run import run_gradient, run_hessian, run_jacobian

x, y, z, r, t, h = (make_symbol(n) for n in "xyzrth")
theta = make_symbol("theta")

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "course_examples.jsonl").read_text().splitlines()
            if line.strip()]
MINE = [e for e in EXAMPLES if e["kind"] in ("gradient", "jacobian", "hessian", "partial")]


def same(a, b) -> bool:
    """Equal as functions (exact simplification of the difference, independent of calctutor)."""
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0


def read(text, symbols):
    """Test data (trusted) read with the same real symbols as the product uses."""
    return sp.sympify(text, locals={s.name: s for s in symbols})


def symbols_of(*names):
    return [make_symbol(n) for n in names]


# -- course examples ----------------------------------------------------------------------
def _names(ex):
    inp = ex["input"]
    return list(inp.get("vars", [])) + list(inp.get("constants", []))


@pytest.mark.parametrize("ex", MINE, ids=[e["id"] for e in MINE])
def test_course_example(ex):
    inp, answer = ex["input"], ex["answer"]
    syms = symbols_of(*_names(ex))
    at = inp.get("point")
    if ex["kind"] == "partial":
        wrt = inp["wrt"] if isinstance(inp["wrt"], list) else [inp["wrt"]]
        res = run_gradient(inp["expr"], vars=wrt)
        expected = answer if isinstance(answer, list) else [answer]
        assert len(res.result) == len(expected)
        for got, want in zip(res.result, expected, strict=True):
            assert same(got, read(want, syms))
    elif ex["kind"] == "gradient":
        res = run_kind("gradient", {"expr": inp["expr"], "vars": inp["vars"], "at": at})
        got = res.value if at else res.result
        assert all(same(g, read(w, syms)) for g, w in zip(got, answer, strict=True))
    elif ex["kind"] == "jacobian":
        text = inp.get("expr") or ", ".join(inp["exprs"])
        res = run_kind("jacobian", {"expr": text, "vars": inp["vars"], "at": at})
        if inp.get("task") == "det":
            assert same(res.determinant, read(answer, syms))
            return
        got = res.value if at else res.matrix
        want = sp.Matrix([answer]) if not isinstance(answer[0], list) else sp.Matrix(answer)
        want = want.applyfunc(lambda e: read(str(e), syms))
        assert got.shape == want.shape  # one function: a 1×n row (course convention)
        assert all(same(a, b) for a, b in zip(got, want, strict=True))
    else:  # hessian
        res = run_kind("hessian", {"expr": inp["expr"], "vars": inp["vars"], "at": at,
                                   "classify": inp.get("task") == "classify"})
        if inp.get("task") == "classify":
            kinds = {"min": "minimum", "max": "maximum", "saddle": "saddle"}
            got = {tuple(p.point[k][1] for k in range(len(syms))): p.kind
                   for p in res.classification.points}
            want = {tuple(read(c, syms) for c in row[:-1]): kinds[row[-1]] for row in answer}
            assert got == want
            return
        got = res.value if at else res.matrix
        want = sp.Matrix(answer).applyfunc(lambda e: read(str(e), syms))
        assert all(same(a, b) for a, b in zip(got, want, strict=True))


# -- against sympy.diff / Matrix.jacobian / sympy.hessian ------------------------------------
FUNCTIONS = [
    "x^2 y + sin(x y)",
    "exp(x) cos(y) + x/(1 + y^2)",
    "ln(x^2 + y^2 + 1)",
    "x y z + exp(x z) - sin(y)",
    "sqrt(x^2 + y^2 + z^2 + 1)",
    "(x - 3)^2 + 2(y - 1)^2",
    "tanh(x y) + z^3/3",
]


@pytest.mark.parametrize("text", FUNCTIONS)
def test_gradient_matches_sympy(text):
    res = run_gradient(text)
    f = res.expr
    assert list(res.variables) == sorted(f.free_symbols, key=lambda s: s.name)
    for entry, v, g in zip(res.entries, res.variables, res.result, strict=True):
        assert same(g, sp.diff(f, v))
        assert entry.step.expr == f and entry.step.var == v  # the entry's own verified steps
        assert same(entry.step.result, g)


@pytest.mark.parametrize("text", FUNCTIONS)
def test_hessian_matches_sympy(text):
    res = run_hessian(text)
    want = sp.hessian(res.expr, res.variables)
    assert res.matrix.shape == want.shape
    assert all(same(a, b) for a, b in zip(res.matrix, want, strict=True))
    # each second partial differentiates the tidied first partial, with its own steps
    for i, row in enumerate(res.second):
        for e in row:
            assert e.step.expr == res.first[i].result
            assert same(e.step.result, sp.diff(res.expr, res.variables[i], e.var))


def test_three_variable_hessian():
    res = run_hessian("x^2 y z + y^3 - z x", vars="x,y,z")
    want = sp.hessian(res.expr, (x, y, z))
    assert res.matrix.shape == (3, 3)
    assert all(same(a, b) for a, b in zip(res.matrix, want, strict=True))
    assert res.symmetric_checked


def test_jacobian_matches_sympy():
    res = run_jacobian("x^2 y, x + sin y, exp(x y z)")
    want = sp.Matrix(list(res.exprs)).jacobian(list(res.variables))
    assert res.matrix.shape == (3, 3)
    assert all(same(a, b) for a, b in zip(res.matrix, want, strict=True))
    assert same(res.determinant, want.det())


def test_jacobian_of_scalar_is_a_row():
    res = run_jacobian("x^2 y^3 - 4x")
    assert res.matrix.shape == (1, 2)
    assert res.determinant is None
    assert all(same(a, b) for a, b in zip(res.matrix, [sp.diff(res.exprs[0], v) for v in (x, y)],
                                          strict=True))


def test_variable_order_follows_vars():
    res = run_jacobian("x^2 y, x + y", vars=["y", "x"])
    assert [str(v) for v in res.variables] == ["y", "x"]
    assert same(res.matrix[0, 0], x ** 2) and same(res.matrix[0, 1], 2 * x * y)


def test_declared_variable_not_in_expression_gives_zero_partials():
    res = run_gradient("x^2", vars="x,y")
    assert res.result[1] == 0


def test_constants_are_held_fixed():
    res = run_gradient("a x^2 y + b y^3", vars="x,y")
    a, b = symbols_of("a", "b")
    assert [str(c) for c in res.constants] == ["a", "b"]
    assert same(res.result[0], 2 * a * x * y)
    assert same(res.result[1], a * x ** 2 + 3 * b * y ** 2)


def test_polar_and_cylindrical_determinants():
    assert run_jacobian("r cos(theta), r sin(theta)", vars="r,theta").determinant == r
    assert run_jacobian("r cos(t), r sin(t), h", vars="r,t,h").determinant == r


def test_public_jacobian_matrix():
    m, trees = jacobian_matrix([x * y, x + sp.sin(y)], [x, y])
    assert m == sp.Matrix([[y, x], [1, sp.cos(y)]])
    assert trees[1][1].expr == x + sp.sin(y) and trees[1][1].var == y
    assert same(trees[1][1].result, sp.cos(y))


# -- values at a point ----------------------------------------------------------------------
def test_values_exact_where_input_exact():
    res = run_gradient("sin(x) + 3x e^y", at="x=pi/4,y=2")
    assert sp.simplify(res.value[0] - (sp.sqrt(2) / 2 + 3 * sp.exp(2))) == 0
    assert res.value[1] == 3 * sp.pi / 4 * sp.exp(2)
    res = run_gradient("x e^y", at="x=1,y=2")
    assert res.value == (sp.exp(2), sp.exp(2))
    assert res.to_json()["value"] == ["exp(2)", "exp(2)"]
    assert run_gradient("sin x", at="x=pi/4").to_json()["value"] == ["sqrt(2)/2"]


def test_numeric_values_are_floats():
    res = run_gradient("x e^y", at="x=1,y=2", numeric=True)
    out = res.to_json()["value"]
    assert all(isinstance(v, float) for v in out)
    assert out[0] == pytest.approx(float(sp.exp(2)))


def test_hessian_and_jacobian_at_point():
    res = run_hessian("x^2 y z", at="1,1,1")
    want = sp.hessian(x ** 2 * y * z, (x, y, z)).subs({x: 1, y: 1, z: 1})
    assert res.value == want
    res = run_jacobian("x^2 + y z, exp(x y)", vars="x,y,z", at={"x": "1", "y": "2", "z": "3"})
    assert res.value == sp.Matrix([[2, 3, 2], [2 * sp.exp(2), sp.exp(2), 0]])


def test_point_may_leave_constants_symbolic():
    res = run_gradient("a x^2", vars="x", at="x=2")
    assert res.value == (4 * make_symbol("a"),)


# -- stationary points ------------------------------------------------------------------------
def _independent_kind(f, variables, point):
    """Classification from the eigenvalues SymPy computes (not calctutor's minors/Descartes)."""
    hm = sp.hessian(f, variables).subs(point)
    eig = [sp.re(sp.N(e)) for e, mult in hm.eigenvals().items() for _ in range(mult)]
    if all(e > 1e-12 for e in eig):
        return "minimum"
    if all(e < -1e-12 for e in eig):
        return "maximum"
    if any(e > 1e-12 for e in eig) and any(e < -1e-12 for e in eig):
        return "saddle"
    return "degenerate"


@pytest.mark.parametrize("text,expected", [
    ("x^3 + y^3 - 6xy", {(0, 0): "saddle", (2, 2): "minimum"}),
    ("x^3 - 3x + y^2", {(1, 0): "minimum", (-1, 0): "saddle"}),
    ("x^2 - y^2", {(0, 0): "saddle"}),
    ("-x^2 - y^2 + 2x", {(1, 0): "maximum"}),
    ("x^4 + y^4", {(0, 0): "minimum"}),   # the Hessian test fails; f itself decides
    ("x^2 + y^2 + z^2 - x y", {(0, 0, 0): "minimum"}),
    ("x^2 + y^2 - z^2 + x z", {(0, 0, 0): "saddle"}),
    ("-x^2 - 2y^2 - 3z^2 + x y", {(0, 0, 0): "maximum"}),
    ("x^2 y + y^3 - 3y", None),
])
def test_classify(text, expected):
    res = run_hessian(text, classify=True)
    f, vs = res.expr, res.variables
    points = res.classification.points
    for p in points:
        pt = dict(p.point)
        assert all(sp.simplify(sp.diff(f, v).subs(pt)) == 0 for v in vs)  # really stationary
        want = _independent_kind(f, vs, pt)
        if want == "degenerate":   # a closer look at f decided it (tested in test_degenerate)
            assert p.closer is not None
        else:
            assert p.kind == want and p.closer is None
    if expected is not None:
        assert {tuple(v for _, v in p.point): p.kind for p in points} == expected
    else:  # x^2 y + y^3 - 3y: four points, counted independently
        assert len(points) == len(sp.solve([sp.diff(f, v) for v in vs], vs, dict=True)) == 4
    assert res.classification.complete
    assert any("real" in n for n in res.classification.notes)


def test_classify_two_variable_working():
    p = {tuple(v for _, v in q.point): q for q in
         run_hessian("x^3 + y^3 - 6xy", classify=True).classification.points}[(2, 2)]
    assert (p.det, p.fxx) == (108, 12)
    assert "det H = 108 > 0" in p.reason


def test_classify_non_polynomial_says_solutions_may_be_missing():
    res = run_hessian("sin(x) + y^2", classify=True)
    assert not res.classification.complete
    assert any("incomplete" in n or "infinitely many" in n for n in res.classification.notes)
    for p in res.classification.points:
        assert p.kind == _independent_kind(res.expr, res.variables, dict(p.point))


def test_classify_timeout_degrades(monkeypatch):
    import calctutor.topics.matrices.compute as m

    monkeypatch.setattr(m, "SOLVE_SECONDS", 0.0)
    res = run_hessian("x^2 + y^2", classify=True)
    assert not res.classification.complete
    assert any("ran out of time" in n and "may be missing" in n for n in res.classification.notes)
    # the numerical cross-check still finds the minimum, exactly
    assert [(p.point, p.kind) for p in res.classification.points] == [(((x, 0), (y, 0)), "minimum")]
    monkeypatch.setattr(m, "NUMERIC_SECONDS", 0.0)
    assert run_hessian("x^2 + y^2", classify=True).classification.points == ()


def test_classify_finds_what_solve_misses():
    # sympy.solve returns only the solutions with x = y = 0 here; Newton's method finds 4 more
    res = run_hessian("x^4 + y^4 + z^4 - 4 x y z + x^2 y - z", classify=True)
    f, vs = res.expr, res.variables
    assert len(res.classification.points) == 5
    if len(sp.solve([sp.diff(f, v) for v in vs], vs, dict=True)) < 5:  # SymPy 1.14 finds only 1
        assert not res.classification.complete
        assert any("missed" in n and "may be missing" in n for n in res.classification.notes)
    for p in res.classification.points:
        pt = dict(p.point)
        assert all(abs(sp.N(sp.diff(f, v).subs(pt))) < 1e-6 for v in vs)
        assert p.kind == _independent_kind(f, vs, pt)


def test_inertia_matches_eigenvalues():
    rng = random.Random(3)
    for _ in range(12):
        a = [[rng.randint(-3, 3) for _ in range(3)] for _ in range(3)]
        m = sp.Matrix(a) + sp.Matrix(a).T
        eig = [e for e, k in m.eigenvals().items() for _ in range(k)]
        vals = [sp.re(sp.N(e, 50)) for e in eig]
        signs = [(1 if v > 0 else -1) if abs(v) > 1e-30 else 0 for v in vals]
        assert _inertia(m) == (signs.count(1), signs.count(-1), signs.count(0))


def test_classify_point_one_variable():
    p = classify_point(sp.Matrix([[2]]), ((x, 0),), [x])
    assert p.kind == "minimum"


# -- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fn,kwargs,words", [
    (run_hessian, {"expr": "x y, x + y"}, "one scalar function"),
    (run_gradient, {"expr": "x, y"}, "use jacobian"),
    (run_gradient, {"expr": "x^2 y", "at": "x=1"}, "no value for y"),
    (run_hessian, {"expr": "a x^2 + y^2", "vars": "x,y", "classify": True}, "constant"),
    (run_gradient, {"expr": "ln(x) + y", "at": "x=0,y=1"}, "undefined"),
    (run_jacobian, {"expr": "3, 4"}, "no variables"),
])
def test_errors_are_precise(fn, kwargs, words):
    with pytest.raises((ParseError, UsageError)) as err:
        fn(**kwargs)
    assert words in str(err.value)


def test_non_scalar_is_usage_error():
    with pytest.raises(UsageError):
        run_hessian("[x, y]")


# -- answers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fn,expr,answer,correct,code", [
    (run_gradient, "x^2 y + y^3", "2xy, x^2 + 3y^2", True, None),
    (run_gradient, "x^2 y + y^3", "[[2xy], [x^2 + 3y^2]]", True, None),   # column: fine
    (run_gradient, "x^2 y + y^3", "[[2xy, x^2 + 3y^2]]", True, None),     # row: fine
    (run_gradient, "x^2 y + y^3", "x^2 + 3y^2, 2xy", False, "wrong_variable_order"),
    (run_jacobian, "x^2 y, x + sin y", "[[2xy, 1], [x^2, cos y]]", False, "transposed_jacobian"),
    (run_jacobian, "x^2 y, x + sin y", "[[x^2, 2xy], [cos y, 1]]", False, "wrong_variable_order"),
    (run_jacobian, "x^2 y^3 - 4x", "[[2x y^3 - 4], [3x^2 y^2]]", False, "transposed_jacobian"),
    (run_hessian, "x^2 y + e^y", "[[2y, 2x], [2x, e^y]]", True, None),
    (run_hessian, "x^2 y + e^y", "[[2y, 4x], [4x, e^y]]", False, "hessian_offdiagonal_factor"),
    (run_hessian, "x^2 y + e^y", "[[2y, x], [x, e^y]]", False, "hessian_offdiagonal_factor"),
    (run_hessian, "x^2 y + e^y", "[[2y, 2x], [0, e^y]]", False, "asymmetric_hessian"),
    (run_hessian, "x^2 y + e^y", "2xy, x^2 + e^y", False, "gradient_for_hessian"),
    (run_hessian, "x^2 y + e^y", "[[e^y, 2x], [2x, 2y]]", False, "wrong_variable_order"),
])
def test_answers(fn, expr, answer, correct, code):
    verdict = check_answer(fn(expr), answer)
    assert verdict.correct is correct
    assert verdict.diagnosis == code


def test_one_wrong_entry_is_named():
    verdict = check_answer(run_gradient("x^2 y + y^3"), "2xy, x^2 + y^2")
    assert verdict.correct is False
    assert "df/dy" in verdict.feedback


def test_answer_at_point():
    res = run_hessian("x^2 y z", at="1,1,1")
    assert check_answer(res, "[[2,2,2],[2,0,1],[2,1,0]]").correct is True
    assert check_answer(res, "2, 1, 1").diagnosis == "gradient_for_hessian"


# -- rendering ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["plain", "rich", "latex", "markdown"])
def test_views_render_in_every_format(fmt):
    for res in (run_gradient("x^2 y", at="x=1,y=2"),
                run_jacobian("r cos(theta), r sin(theta)", steps=True),
                run_hessian("x^3 + y^3 - 6xy", classify=True)):
        text = render(res, fmt, width=100, color=False)
        assert text.strip()
    text = render(run_hessian("x^3 + y^3 - 6xy", classify=True), "plain", width=100)
    assert "saddle" in text and "minimum" in text and "det H = 108 > 0" in text
    assert "3x^2 - 6y = 0" in text


def test_steps_view_shows_every_rule():
    short = render(run_gradient("x^2 sin(y)"), "plain", width=100)
    full = render(run_gradient("x^2 sin(y)", steps=True), "plain", width=100)
    assert "Power rule" not in short and "Power rule" in full
    assert "Constant multiple rule" in short


@pytest.mark.parametrize("ex", [e for e in MINE if e["kind"] != "partial"],
                         ids=[e["id"] for e in MINE if e["kind"] != "partial"])
def test_course_inputs_run_as_given(ex):
    # the examples' own input names (exprs, point, task) are accepted by run_kind
    res = run_kind(ex["kind"], ex["input"])
    if ex["input"].get("task") == "classify":
        assert len(res.classification.points) == len(ex["answer"])
    elif ex["input"].get("task") == "det":
        assert same(res.determinant, read(ex["answer"], symbols_of(*ex["input"]["vars"])))
    else:
        assert check_answer(res, json.dumps(ex["answer"]).replace('"', "")).correct is True


def test_gradient_norm_is_the_steepest_slope():
    res = run_gradient("(x - 3)^2 + 2(y - 1)^2", at="x=1,y=2")
    assert res.norm == sp.sqrt(sum(sp.diff(res.expr, v).subs({x: 1, y: 2}) ** 2 for v in (x, y)))
    assert res.to_json()["norm"] == "4*sqrt(2)"


def test_classify_periodic_system_gives_one_warning_naming_infinitely_many():
    # F18: sin(x) cos(y) + x^3 y^5 has the stationary points (pi/2 + k pi, 0) for every k
    res = run_hessian("sin(x) cos(y) + x^3 y^5", classify=True)
    f, vs = res.expr, res.variables
    xs, ys = vs
    grad = [sp.diff(f, v) for v in vs]
    for k in range(-3, 4):   # independent check of the family
        assert all(sp.simplify(g.subs({xs: sp.pi / 2 + k * sp.pi, ys: 0})) == 0 for g in grad)
    warnings = [n for n in res.classification.notes if "missing" in n or "incomplete" in n]
    assert len(warnings) == 1 and "infinitely many" in warnings[0]
    assert not res.classification.complete
    for p in res.classification.points:
        at = dict(p.point)
        assert all(abs(complex(sp.N(g.subs(at)))) < 1e-8 for g in grad)
