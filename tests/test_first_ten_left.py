"""The first ten minutes, what was left: sums worked in the order typed, worksheets in learner
notation, rich output that never breaks a product across lines, maths in prose typeset,
Ctrl-C at start-up without a traceback."""

from __future__ import annotations

import pytest
import sympy

from calctutor.notation import to_text
from calctutor.topics.diff.run import run_diff


def _squash(text: str) -> str:
    return "".join(text.split())


def _sums(step):
    if step.rule == "sum":
        yield step
    for sub in step.substeps:
        yield from _sums(sub)


@pytest.mark.parametrize("typed", [
    "cos(x) - 2x",
    "x^3 + e^x - 5 + sin(x)",
    "sin(x^2 + 3x + 1) + ln(x)",
    "1/x - x^2 + tan(x)",
    "-x + e^(2x)",
])
def test_the_sum_rule_works_the_terms_in_the_order_typed(typed):
    result = run_diff(typed)
    sums = [s for tree in result.steps for s in _sums(tree)]
    assert sums
    text = _squash(typed)
    for s in sums:
        # every term of a typed sum, found in the typed text: the sub-steps follow its order
        where = [text.find(_squash(to_text(sub.expr)).lstrip("-")) for sub in s.substeps]
        assert -1 not in where, (typed, [to_text(sub.expr) for sub in s.substeps])
        assert where == sorted(where), (typed, [to_text(sub.expr) for sub in s.substeps])
        # the same terms SymPy has, and their derivatives add up to the sum's
        assert sympy.Add(*(sub.expr for sub in s.substeps)) == s.expr
        assert sympy.simplify(sympy.Add(*(sub.result for sub in s.substeps))
                              - sympy.diff(s.expr, result.variables[0])) == 0


# -- worksheets in learner notation ----------------------------------------------------------
def test_no_sympy_product_sign_in_any_plain_or_rich_worksheet():
    from calctutor.drills import instantiate, templates
    from calctutor.drills.model import Worksheet
    from calctutor.render import render

    # every template once, each with its own seed (variety without a second pass)
    exercises = tuple(instantiate(t, k) for k, t in enumerate(templates(), start=1))
    sheet = Worksheet(exercises, None, 1, True, None, "", len(exercises))
    for fmt in ("plain", "rich"):
        text = render(sheet, fmt, width=80, color=False)
        assert "Answers" in text and len(text.splitlines()) > 3 * len(exercises)
        starred = [line for line in text.splitlines() if "*" in line]
        assert not starred, (fmt, starred[:5])
