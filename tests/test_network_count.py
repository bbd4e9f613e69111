"""calctutor network: the weights and biases of a fully-connected network.

The counts are checked against NumPy: the parameters of the actual arrays W(k) and b(k) that
a forward pass a(k) = sigma(W(k) a(k-1) + b(k)) needs (the shapes are proved right by running
that forward pass), never against the product's own formula."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calctutor.checking.answer import check_answer
from calctutor.cli import app
from calctutor.errors import CalcTutorError
from calctutor.render import render
from calctutor.topics import run_kind


def numpy_network(sizes):
    """Arrays of a real network with these sizes, checked by a forward pass."""
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(size=n_out) for n_out in sizes[1:]]
    a = rng.normal(size=sizes[0])
    for W, b in zip(weights, biases, strict=True):
        a = np.tanh(W @ a + b)  # raises if a shape were wrong
    assert a.shape == (sizes[-1],)
    return sum(W.size for W in weights), sum(b.size for b in biases)


def count(sizes):
    return run_kind("network", {"sizes": sizes})


@pytest.mark.parametrize("sizes", [(3, 4, 2), (2, 1), (784, 128, 10), (1, 1, 1, 1), (5, 3, 7, 2)])
def test_counts_match_a_real_network(sizes):
    result = count(",".join(map(str, sizes)))
    weights, biases = numpy_network(sizes)
    assert (result.weights, result.biases, result.total) == (weights, biases, weights + biases)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=6))
def test_property_counts_match_a_real_network(sizes):
    result = count(sizes)
    assert (result.weights, result.biases) == numpy_network(sizes)


def test_the_course_example_layer_by_layer():
    result = count("3,4,2")
    layers = [(layer.neurons, layer.inputs, layer.weights, layer.biases) for layer in result.layers]
    assert layers == [(4, 3, 12, 4), (2, 4, 8, 2)]
    data = json.loads(render(result, "json"))
    assert data["weights"] == 20 and data["biases"] == 6 and data["parameters"] == 26
    assert data["layers"][0]["weight_shape"] == [4, 3]
    text = " ".join(render(result, "plain").split())
    assert "W(1) is 4x3 = 12 weights; b(1) has 4 biases" in text
    assert "W(2) is 2x4 = 8 weights; b(2) has 2 biases" in text
    assert "parameters = 26" in text


@pytest.mark.parametrize("text", ["3,4,2", "(3, 4, 2)", "3 -> 4 -> 2", "3 → 4 → 2", "[3,4,2]"])
def test_the_forms_of_the_sizes(text):
    assert count(text).sizes == (3, 4, 2)


@pytest.mark.parametrize("text,message", [
    ("3", "at least two layer sizes"),
    ("3,0,2", "layer size 2 is 0"),
    ("3,-4", "layer size 2 (-4) is not a positive whole number"),
    ("3,2.5", "layer size 2 (2.5) is not a positive whole number"),
    ("3,,2", "layer size 2 is empty"),
    ("", "network needs the layer sizes"),
])
def test_bad_sizes_are_one_line_errors(text, message):
    with pytest.raises(CalcTutorError) as err:
        count(text)
    assert message in err.value.one_line()


@pytest.mark.parametrize("answer,correct,diagnosis", [
    ("26", True, None),
    ("20 + 6", True, None),
    ("weights 20, biases 6", True, None),
    ("20 weights, 6 biases", True, None),
    ("biases: 6, weights: 20", True, None),
    ("20, 6", True, None),
    ("29", False, "input_layer_biases"),          # + 3 biases for the input layer
    ("20", False, "biases_forgotten"),
    ("31", False, "square_weights_in"),           # 3x3 + 4x4 weights
    ("weights 20, biases 9", False, "input_layer_biases"),
    ("weights 25, biases 6", False, "square_weights_in"),
    ("weights 20, biases 0", False, "biases_forgotten"),
    ("6, 20", False, "weights_biases_swapped"),
    ("27", False, None),
])
def test_answers_and_named_mistakes(answer, correct, diagnosis):
    verdict = check_answer(count("3,4,2"), answer)
    assert verdict.correct is correct and verdict.diagnosis == diagnosis


def test_square_matrices_by_the_output_size():
    # 3 -> 5 -> 2: n(k) x n(k) gives 25 + 4 weights, the right count is 15 + 10
    verdict = check_answer(count("3,5,2"), str(25 + 4 + 7))
    assert verdict.diagnosis == "square_weights_out"


def test_cli():
    runner = CliRunner()
    out = runner.invoke(app, ["network", "3,4,2", "-f", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["parameters"] == 26
    right = runner.invoke(app, ["network", "3,4,2", "--answer", "weights 20, biases 6"])
    assert right.exit_code == 0
    wrong = runner.invoke(app, ["network", "3,4,2", "--answer", "29", "-f", "plain"])
    assert wrong.exit_code == 1 and "input layer" in wrong.stdout
    bad = runner.invoke(app, ["network", "3,0,2"])
    assert bad.exit_code == 2
    assert bad.stderr.strip().splitlines() == [
        "Error: layer size 2 is 0: every layer has at least one neuron"]


def test_bank_exercises_match_an_independent_count():
    from calctutor.drills import generate, templates
    from calctutor.drills.validate import problems
    from tests.bank_checks_along import independent_network

    mine = {t.key: t for t in templates(3) if t.skill.startswith("3.5")}
    assert mine
    seen = set()
    for ex in generate(3, count=6, seed=5, skill="3.5"):
        seen.add(ex.template)
        assert problems(ex, mine[ex.template]) == []
        independent_network(ex)
        sizes = [int(s) for s in ex.input["sizes"].split(",")]
        assert int(ex.answer) == sum(numpy_network(sizes))
        assert ex.check(ex.answer).correct
    assert seen == set(mine)


def test_named_entries_as_words_only_for_word_names():
    from calctutor.checking.named_answers import unname

    names = ("weights", "biases")
    assert unname("weights 20, biases 6", names) == "20, 6"
    assert unname("6 biases, 20 weights", names) == "20, 6"
    assert unname("biases: 6, weights: 20", names) == "20, 6"
    # a single letter is a variable, never a word: "m 2" stays a product
    assert unname("m 2, c 3", ("m", "c")) == "m 2, c 3"
    # an entry that is not worded leaves the text as it is
    assert unname("weights 20, 6", names) == "weights 20, 6"
