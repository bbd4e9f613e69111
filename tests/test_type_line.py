"""The "Type ..." line of every bank template agrees with its prompt and its answer key: it
names the quantity in the prompt's own symbols, and gives the form at the key's size (a
3×3 Hessian shows a 3×3 template; a list of n numbers says n)."""

import functools
import re

import pytest

from calctutor.drills import templates
from calctutor.drills.answers import answer_format
from calctutor.parsing import parse_matrix
from tests.bank_draws import checked

TEMPLATES = templates()
# a symbol in the quantity: ∂f/∂y, df/dt, ∂C/∂W(1), f'(0), x1, χ²; and the nouns that name it
_SYMBOL = re.compile(r"(?:∂²?|d)[^\s/]+/(?:∂|d)\S+|f'\([^()]*\)|χ²|\bx\d\b")
_NOUNS = {"Hessian": ("Hessian",), "Jacobian": ("Jacobian",), "gradient": ("gradient", "∇"),
          "Maclaurin": ("Maclaurin",), "Taylor": ("Taylor", "Linearise"),
          "linearisation": ("Linearise", "first-order"), "determinant": ("determinant",),
          "maximum": ("maximum",), "minimum": ("minimum",), "cost": ("cost",),
          "derivative": ("derivative", "Differentiate", "differentiate", "d/d", "∂", "f'",
                         "F'")}


@functools.cache
def _line(template):
    drawn, _, solved = checked(template, 1)  # solved once for the session's bank tests
    ex = solved or drawn
    result = ex.solve()
    spec = result.answer_spec() if ex.answer_key is None else None
    return ex, spec, answer_format(ex, spec)


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_type_line_names_the_prompts_quantity_at_the_keys_size(template):
    ex, spec, line = _line(template)
    assert line.startswith("Type ")
    if spec is None:
        return  # a part of the result (the bank's answer_key): its own fixed line
    quantity, _, form = line[len("Type "):].partition(" as ")
    prompt = ex.prompt.replace("chi^2", "χ²")
    for symbol in _SYMBOL.findall(quantity.split(" (")[0]):
        assert symbol.rstrip(".,)") in prompt, (symbol, prompt)
    for noun, spellings in _NOUNS.items():
        if noun in quantity:
            assert any(s in prompt for s in spellings), (noun, prompt)
    if spec.shape == "matrix":
        rows = spec.expected.tolist() if hasattr(spec.expected, "tolist") else spec.expected
        m, n = len(rows), len(rows[0])
        assert f"{m}×{n}" in form
        shown = re.search(r": (\[\[.*?\]\]|[a-z](?:, [a-z])*)", form).group(1)
        assert [len(r) for r in parse_matrix(shown)] == [n] * m
    elif spec.shape in ("numbers", "vector") and len(spec.expected) > 1:
        n = len(spec.expected)
        assert form.startswith(f"{n} ")
        example = re.search(r"e\.g\. ([^.]*(?:\.\d[^.]*)*)\.?$", form)
        if example:
            assert len(example.group(1).split(",")) == n
    else:
        assert ("number" in form) == (spec.shape in ("number", "numbers"))


def test_type_line_follows_the_prompts_precision():
    for t in TEMPLATES:
        ex, spec, line = _line(t)
        places = re.search(r"to (\d+) decimal places", ex.prompt)
        if places and spec is not None:
            assert f"to {places.group(1)} decimal places" in line
