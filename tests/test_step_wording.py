"""Step explanations are data (a Reason), put into words in one place (wording.sentence).

Checked on the differentiator's own trees: each reason names the parts of the very step it
explains (against SymPy), every reason code is reachable, and the printers take the words
from the reason, never by cutting a rule's title out of a sentence.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from calctutor.render import render
from calctutor.render.inline import step_parts
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.model import RULE_TITLES, Step
from calctutor.steps.wording import REASONS, Reason, sentence
from calctutor.symbols import make_symbol
from calctutor.topics import run_kind

x, y, a = make_symbol("x"), make_symbol("y"), make_symbol("a")

# between them, these reach every reason code (checked below)
CORPUS = [
    x**2 * sp.sin(x), sp.sin(x**2), sp.sqrt(x) + 1 / x**2 + x ** sp.Rational(2, 3), x**x,
    sp.log(x) / x, x**2 / 3 + 2**x + a * x + a, sp.exp(x) + sp.log(x) + sp.Abs(x) + sp.tanh(x),
    sp.Function("f")(x**2) + 5, x * sp.sin(x) * sp.cos(x), sp.log(x) / sp.log(2), x - sp.cos(x),
    sp.Function("g")(x, y), sp.LambertW(x), sp.Integer(7),
]


def _nodes():
    for e in CORPUS:
        yield from diff_steps(e, x).walk()


def test_every_reason_code_is_reached_and_has_words():
    seen = {s.reason.code for s in _nodes() if s.reason is not None}
    assert seen == set(REASONS)
    for s in _nodes():
        assert s.why and all(isinstance(seg, (str, sp.Basic)) for seg in s.why)


def test_reasons_name_the_parts_of_their_own_step():
    """The parts a reason names are the step's own sub-expressions (checked with SymPy)."""
    for s in _nodes():
        r, code = s.reason, s.reason.code
        if code in ("product", "quotient"):
            u, v = r["u"], r["v"]
            assert sp.simplify((u * v if code == "product" else u / v) - s.expr) == 0
        elif code == "chain":
            assert r["expr"] == s.expr and r["var"] == s.var
            assert sp.simplify(r["outer"].subs(r["u"], r["inner"]) - s.expr) == 0
            assert s.let == ((r["u"], r["inner"]),)
        elif code == "power":
            assert s.expr.exp == r["n"]
        elif code == "elementary":
            assert (r["expr"], r["result"]) == (s.expr, s.result)
            assert sp.simplify(sp.diff(s.expr, s.var) - r["result"]) == 0
        elif code == "constant":
            assert not s.expr.has(s.var)
            assert set(r["held"]) == s.expr.free_symbols
        elif code == "constant_multiple":
            assert sp.simplify(s.expr / r["coeff"]).has(s.var) and not r["coeff"].has(s.var)
        elif code == "sum":
            assert r["count"] == len(s.expr.args)


def test_the_rule_title_is_left_out_after_a_title_not_cut_out():
    step = diff_steps(x**3, x)
    assert step.text == "Power rule: bring the exponent 3 down and lower it by one."
    assert sentence(step.reason, after_title=True)[0] == "Bring the exponent "
    assert step_parts(step).why == sentence(step.reason, after_title=True)
    assert step.titled_why[0] == f"{RULE_TITLES['power']}: "


def test_a_leaf_that_restates_its_header_shows_only_the_header():
    leaf = diff_steps(sp.cos(x), x)
    assert leaf.reason.restates_header and step_parts(leaf).why == ()
    assert "The derivative of cos(x) is -sin(x)." == leaf.text


def test_matrix_entry_names_its_rule_once():
    """A leaf entry of a Jacobian said "Power rule: Power rule: bring ..." before."""
    out = render(run_kind("jacobian", {"expr": "x^3, sin(y)"}), "plain", width=100)
    assert "Power rule: Power rule" not in out
    assert "Power rule: Bring the exponent 3 down and lower it by one." in out


def test_json_keeps_text_and_adds_the_reason_code():
    data = json.loads(render(run_kind("diff", {"expr": "sin(x^2)"}), "json"))
    root = data["steps"]
    assert root["rule"] == "chain" and root["reason"] == "chain"
    assert root["text"].startswith("Let u = x^2. Then sin(x^2) = sin(u)")
    leaf = root["substeps"][1]
    assert leaf["reason"] == "power"
    assert leaf["text"] == "Power rule: bring the exponent 2 down and lower it by one."


def test_a_reason_is_checked_when_made():
    with pytest.raises(ValueError, match="needs n"):
        Reason.of("power")
    with pytest.raises(ValueError, match="unknown reason"):
        Reason.of("sum_of_squares", n=2)
    with pytest.raises(TypeError, match="Reason"):
        Step("power", x**2, x, 2 * x, ("Power rule: bring the exponent 2 down.",))
