"""Exercises answered from a picture (skills 1.1 and 4.1): the picture drawn is the data the
answer is judged against (recomputed here with SymPy, independently of calctutor), the
tolerance holds at its edges, letters are read as a learner types them, and the classic
mistakes are named."""

from __future__ import annotations

import json
import math
import re

import pytest
import sympy as sp

from calctutor.drills import instantiate, templates
from calctutor.drills.validate import problems, solved_and_valid
from calctutor.errors import ParseError
from tests.test_exercises import _bank, read

SLOPES = [t for t in templates() if t.answer_key == "graph_slope"]
CURVES = [t for t in templates() if t.answer_key == "curve_letter"]


def _valid(template, n: int) -> list:
    out = []
    for seed in range(40):
        ex = solved_and_valid(instantiate(template, seed), template)
        if ex is not None:
            out.append(ex)
        if len(out) == n:
            break
    assert len(out) == n, template.key
    return out


@pytest.fixture(scope="module")
def slope_exercises():
    return [ex for t in SLOPES for ex in _valid(t, 4)]


@pytest.fixture(scope="module")
def curve_exercises():
    return [ex for t in CURVES for ex in _valid(t, 6)]


def _slope_truth(ex):
    """(f, x, p, f'(p)) by SymPy, from the exercise's input alone."""
    f = read(ex.input["expr"])
    (x,) = f.free_symbols
    p = read(ex.input["at"]["x"])
    return f, x, p, sp.diff(f, x).subs(x, p)


def test_the_bank_has_picture_templates_of_both_skills():
    assert len(SLOPES) >= 2 and {t.skill.split()[0] for t in SLOPES} == {"1.1"}
    assert len(CURVES) >= 1 and {t.skill.split()[0] for t in CURVES} == {"4.1"}


def test_the_slope_graph_is_the_curve_whose_slope_is_judged(slope_exercises):
    for ex in slope_exercises:
        f, x, p, slope = _slope_truth(ex)
        assert sp.simplify(read(ex.answer) - slope) == 0, ex.input
        pic = ex.to_json()["picture"]
        (curve,) = pic["curves"]
        (mark,) = pic["points"]
        assert mark["x"] == pytest.approx(float(p))
        assert mark["y"] == pytest.approx(float(f.subs(x, p)))
        xs, ys = curve["x"], curve["y"]
        assert xs[0] < float(p) < xs[-1]
        for k in range(0, len(xs), 20):
            assert ys[k] == pytest.approx(float(f.subs(x, sp.Float(xs[k], 30))), abs=1e-9)
        assert pic["y_range"][0] <= min(ys) and max(ys) <= pic["y_range"][1]
        # reading the plotted samples at the grid lines p - 0.5 and p + 0.5 gives the
        # judged slope within the tolerance: the picture can answer its own question
        i, j = xs.index(min(xs, key=lambda v: abs(v - (float(p) - 0.5)))), \
            xs.index(min(xs, key=lambda v: abs(v - (float(p) + 0.5))))
        chord = (ys[j] - ys[i]) / (xs[j] - xs[i])
        assert abs(chord - float(slope)) < ex.tolerance, (ex.input, chord, float(slope))
        assert float(p) - 0.5 in pic["x_grid"] and float(p) + 0.5 in pic["x_grid"]


def test_a_slope_estimate_is_judged_with_the_stated_tolerance(slope_exercises):
    for ex in slope_exercises[:4]:
        _, _, _, slope = _slope_truth(ex)
        e, tol = float(slope), ex.tolerance
        assert f"within {tol:g}" in ex.prompt
        inside = [ex.check(format(e + d, ".6f")) for d in (0.99 * tol, -0.99 * tol, 0.0)]
        assert all(v.correct is True for v in inside), ex.input
        outside = [ex.check(format(e + d, ".6f")) for d in (1.01 * tol, -1.01 * tol)]
        assert all(v.correct is False for v in outside), ex.input
        assert ex.check(sp.sstr(slope)).correct is True  # the exact value, of course
        wrong = outside[0]
        assert f"more than {tol:g}" in wrong.feedback
        value = re.compile(rf"(?<![\w.]){re.escape(format(e, '.4g'))}(?![\w]|\.\d)")
        assert value.search(wrong.feedback) and not value.search(wrong.guarded_feedback)
        assert format(e + 1.01 * tol, ".6f") in wrong.guarded_feedback  # as typed


def _slope_with(seed_range, want):
    for t in SLOPES:
        for seed in seed_range:
            ex = solved_and_valid(instantiate(t, seed), t)
            if ex is not None and want(float(_slope_truth(ex)[3]), ex.tolerance):
                return ex
    raise AssertionError("no variant found")


def test_run_over_rise_and_the_sign_of_a_falling_slope_are_named():
    ex = _slope_with(range(60), lambda e, tol: abs(1 / e - e) > 3 * tol and abs(e) > 2 * tol)
    e = float(_slope_truth(ex)[3])
    upside = ex.check(format(1 / e, ".4f"))
    assert upside.correct is False and upside.diagnosis == "slope_upside_down"
    flipped = ex.check(format(-e, ".4f"))
    assert flipped.correct is False and flipped.diagnosis == "slope_sign"
    assert "rise over run" in upside.feedback and "falls" in flipped.feedback
    # an estimate far from every candidate is wrong without a name
    assert ex.check(format(e + 5 + abs(e) + abs(1 / e), ".3f")).diagnosis is None


def test_a_graph_that_cannot_be_read_to_the_tolerance_is_redrawn(slope_exercises):
    from calctutor.drills.pictures import slope_problems

    ex = slope_exercises[0]
    result = ex.solve()
    assert slope_problems(result, ex.tolerance) == []
    # the same graph read to 0.01 is not fair: one character row is far coarser
    assert slope_problems(result, 0.01)
    assert "cannot be read" in slope_problems(result, 0.01)[0]


def _taylor(f, x, a, k):
    return sum(sp.diff(f, x, n).subs(x, a) / sp.factorial(n) * (x - a) ** n for n in range(k + 1))


def test_the_taylor_curves_are_the_polynomials_and_the_letter_is_the_order_asked(curve_exercises):
    letters_of_two = set()
    for ex in curve_exercises:
        f = read(ex.input["expr"])
        (x,) = f.free_symbols
        a = read(ex.input["at"]["x"])
        pic = ex.to_json()["picture"]
        by_label = {c["label"]: c for c in pic["curves"]}
        orders = {c["order"]: c["label"] for c in pic["curves"] if "order" in c}
        assert sorted(orders) == list(range(1, ex.input["order"] + 1))
        assert sorted(orders.values()) == ["A", "B", "C"][: len(orders)]
        for k, label in orders.items():
            poly = sp.lambdify(x, _taylor(f, x, a, k))
            xs, ys = by_label[label]["x"], by_label[label]["y"]
            for i in range(0, len(xs), 16):
                assert ys[i] == pytest.approx(poly(xs[i]), rel=1e-9, abs=1e-9), (ex.input, k)
        fx = sp.lambdify(x, f)
        assert all(y is None or y == pytest.approx(fx(v)) for v, y in
                   zip(by_label["f"]["x"], by_label["f"]["y"], strict=True))
        # the answer is the letter of the curve of the order asked
        assert ex.answer == orders[ex.asked_order] and f"order-{ex.asked_order}" in ex.prompt
        letters_of_two.add(orders[2])
        # consecutive orders are visibly different: apart by at least 2 rows somewhere
        row = (pic["y_range"][1] - pic["y_range"][0]) / 17
        for k in range(1, ex.input["order"]):
            lo, hi = by_label[orders[k]]["y"], by_label[orders[k + 1]]["y"]
            assert max(abs(u - v) for u, v in zip(lo, hi, strict=True)
                       if pic["y_range"][0] <= u <= pic["y_range"][1]) >= 2 * row
    assert len(letters_of_two) >= 2  # the letters are shuffled from draw to draw


def test_a_letter_is_read_as_a_learner_types_it(curve_exercises):
    ex = curve_exercises[0]
    right = ex.answer
    for typed in (right, right.lower(), f"curve {right}", f"Curve {right.lower()}.",
                  f"({right})", f"the curve {right}"):
        assert ex.check(typed).correct is True, typed
    missing = chr(ord("A") + ex.input["order"])
    with pytest.raises(ParseError, match=f"there is no curve {missing}"):
        ex.check(missing)
    with pytest.raises(ParseError, match="answer with the letter of one curve"):
        ex.check("curve B please")
    formula = ex.check(f"{right} + 7")  # a formula where a letter is asked: the wrong shape
    assert formula.correct is False and formula.diagnosis == "wrong_shape"


def test_the_curve_of_a_neighbouring_order_is_a_named_mistake(curve_exercises):
    from calctutor.render import render_blocks
    from calctutor.render.verdicts import verdict_blocks

    named = 0
    for ex in curve_exercises:
        orders = {c["order"]: c["label"] for c in ex.to_json()["picture"]["curves"]
                  if "order" in c}
        for k in (ex.asked_order - 1, ex.asked_order + 1):
            if k not in orders:
                continue
            verdict = ex.check(orders[k])
            assert verdict.correct is False and verdict.diagnosis == "neighbouring_order"
            assert f"T{k}" in verdict.feedback and ex.answer in verdict.feedback
            # before the last try the verdict names the mistake, not the right curve
            kept = render_blocks(verdict_blocks(verdict, reveal=False), "plain", width=200,
                                 color=False)
            assert "neighbouring order" in kept and f"curve is {ex.answer}" not in kept
            named += 1
        assert ex.check("f").diagnosis == "the_function_itself"
    assert named >= len(curve_exercises)


@pytest.mark.parametrize("fmt", ["plain", "rich", "markdown", "latex", "json"])
def test_the_worksheet_shows_the_picture_in_every_format(fmt):
    from calctutor.drills.worksheet import worksheet_text
    from calctutor.render.options import RenderOptions

    text = worksheet_text(1, 2, 5, "1.1", True, RenderOptions(fmt, 80, False))
    if fmt == "json":
        sheet = json.loads(text)
        assert sheet and all(e["picture"]["curves"][0]["x"] for e in sheet)
        assert all(e["tolerance"] == 0.5 for e in sheet)
        return
    assert "Figure 1" in text and "Figure 2" in text
    assert "@" in text  # the marked point
    if fmt == "plain":
        assert text.isascii() and max(len(line) for line in text.splitlines()) <= 80
    if fmt == "latex":
        assert "\\begin{verbatim}" in text and "omitted" not in text
    if fmt == "markdown":
        assert "```text" in text


def test_the_quiz_shows_the_graph_not_the_formula(slope_exercises):
    from calctutor.coach.views import problem_doc
    from calctutor.render import render_blocks

    ex = slope_exercises[0]
    text = render_blocks(problem_doc(ex, ex.solve(), None, 1, 1), "plain", width=80,
                         color=False)
    assert "@" in text and "Type your estimate as a number" in text
    assert "d/dx" not in text and ex.input["expr"] not in text
    assert text.isascii() and max(len(line) for line in text.splitlines()) <= 80


def test_picture_keys_are_checked_when_the_bank_is_read(tmp_path):
    from calctutor.drills import BankError

    head = ("module = 1\n[[skill]]\nname = \"1.1 slopes\"\n[[template]]\nid = 'a'\n"
            "skill = '1.1'\nkind = 'diff'\ninput.expr = 'x^2'\ninput.at = { x = '1' }\n")
    with pytest.raises(BankError, match="within 0.5"):
        _bank(tmp_path, head + "prompt = 'Estimate the slope.'\nanswer_key = 'graph_slope'\n"
                               "tolerance = 0.5\n")
    with pytest.raises(BankError, match="needs both answer_key"):
        _bank(tmp_path, head + "prompt = 'Estimate it, within 0.5.'\ntolerance = 0.5\n")
    with pytest.raises(BankError, match="asked_order"):
        _bank(tmp_path, head + "prompt = 'Which curve?'\nanswer_key = 'curve_letter'\n")
    bank = _bank(tmp_path, head + "prompt = 'Estimate it, within 0.5.'\n"
                                  "answer_key = 'graph_slope'\ntolerance = 0.5\n")
    assert bank.templates[0].tolerance == 0.5


def test_every_drawn_picture_variant_is_valid(slope_exercises, curve_exercises):
    by_key = {t.key: t for t in SLOPES + CURVES}
    for ex in slope_exercises + curve_exercises:
        assert problems(ex, by_key[ex.template]) == []
        assert math.isfinite(ex.to_json()["picture"]["y_range"][1])
