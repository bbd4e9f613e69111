"""``calctutor network 3,4,2``: the weights and biases of a fully-connected network.

Layer k (k >= 1) computes a(k) = sigma(W(k) a(k-1) + b(k)), so W(k) has one row per neuron
of layer k and one column per neuron of layer k-1 (n(k) x n(k-1) weights) and b(k) one
entry per neuron of layer k. The input layer holds the data: no weights, no biases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from calctutor.errors import ParseError, UsageError

MAX_LAYERS = 50
MAX_SIZE = 10 ** 6


@dataclass(frozen=True)
class Layer:
    """Layer ``k`` of the network: ``inputs`` -> ``neurons``; W(k) is neurons x inputs."""

    k: int
    inputs: int
    neurons: int

    @property
    def weights(self) -> int:
        return self.neurons * self.inputs

    @property
    def biases(self) -> int:
        return self.neurons


@dataclass(frozen=True)
class NetworkResult:
    """The parameter count of a fully-connected network with layer sizes ``sizes`` (input
    first); ``asked`` is what --answer checks when the answer is one number ("total")."""

    input: str
    sizes: tuple[int, ...]

    @property
    def layers(self) -> tuple[Layer, ...]:
        return tuple(Layer(k, self.sizes[k - 1], self.sizes[k]) for k in range(1, len(self.sizes)))

    @property
    def weights(self) -> int:
        return sum(layer.weights for layer in self.layers)

    @property
    def biases(self) -> int:
        return sum(layer.biases for layer in self.layers)

    @property
    def total(self) -> int:
        return self.weights + self.biases

    def to_json(self) -> dict:
        return {
            "input": self.input,
            "sizes": list(self.sizes),
            "layers": [{"layer": layer.k, "weight_shape": [layer.neurons, layer.inputs],
                        "weights": layer.weights, "biases": layer.biases,
                        "parameters": layer.weights + layer.biases} for layer in self.layers],
            "weights": self.weights,
            "biases": self.biases,
            "parameters": self.total,
        }

    def answer_spec(self):
        """The total number of parameters; "weights 20, biases 6" (two numbers) checks the
        two counts."""
        return _spec(self, split=False)


# -- reading the layer sizes -------------------------------------------------------------
_ARROWS = re.compile(r"\s*(?:->|→)\s*")


def parse_sizes(sizes) -> tuple[tuple[int, ...], str]:
    """``"3,4,2"``, ``"(3, 4, 2)"``, ``"3 -> 4 -> 2"`` or a list: (the sizes, the text)."""
    if isinstance(sizes, (list, tuple)):
        text = ", ".join(str(s) for s in sizes)
    elif sizes is None or not str(sizes).strip():
        raise UsageError("network needs the layer sizes, input layer first, e.g. "
                         "calctutor network 3,4,2")
    else:
        text = str(sizes)
    body = text.strip()
    if body[:1] in "([" and body[-1:] in ")]":
        body = body[1:-1]
    body = _ARROWS.sub(",", body)
    out = []
    for k, part in enumerate(body.split(",")):
        item = part.strip()
        column = text.find(item) if item else -1
        if not item:
            raise ParseError(f"layer size {k + 1} is empty", text, max(column, 0))
        if not item.isdigit():
            raise ParseError(f"layer size {k + 1} ({item}) is not a positive whole number of neurons",
                             text, max(column, 0))
        n = int(item)
        if n == 0:
            raise UsageError(f"layer size {k + 1} is 0: every layer has at least one neuron")
        if n > MAX_SIZE:
            raise UsageError(f"layer size {k + 1} is {n}: the limit is {MAX_SIZE} neurons")
        out.append(n)
    if len(out) < 2:
        raise UsageError(f"a network needs at least two layer sizes (the input and the "
                         f"output), but {len(out)} {'was' if len(out) == 1 else 'were'} "
                         "given: e.g. 3,4,2")
    if len(out) > MAX_LAYERS:
        raise UsageError(f"too many layers ({len(out)}; the limit is {MAX_LAYERS})")
    return tuple(out), text


def network(sizes) -> NetworkResult:
    """The parameter count of the fully-connected network with layer sizes ``sizes``."""
    parsed, text = parse_sizes(sizes)
    return NetworkResult(text, parsed)


def run_network(sizes=None, *, layers=None) -> NetworkResult:
    """``calctutor network SIZES``: the weights and biases of each layer and in all
    (``layers`` is another name for the sizes)."""
    return network(layers if sizes is None else sizes)


# -- what --answer expects, and the mistakes ---------------------------------------------
def _counts(result: NetworkResult) -> dict[str, tuple[int, int]]:
    """(weights, biases) as each misconception counts them."""
    layers = result.layers
    w, b = result.weights, result.biases
    return {
        "input_layer_biases": (w, b + result.sizes[0]),
        "square_weights_in": (sum(layer.inputs ** 2 for layer in layers), b),
        "square_weights_out": (sum(layer.neurons ** 2 for layer in layers), b),
        "biases_forgotten": (w, 0),
        "neurons_as_weights": (sum(result.sizes), b),
    }


_FEEDBACK = {
    "input_layer_biases": "You gave the input layer biases too: the inputs are data, not "
                          "neurons, so only the neurons of the hidden and output layers "
                          "have a bias (one each).",
    "square_weights_in": "You counted each weight matrix as square, n(k-1) × n(k-1): W(k) "
                         "connects every neuron of layer k-1 to every neuron of layer k, so it "
                         "is n(k) × n(k-1).",
    "square_weights_out": "You counted each weight matrix as square, n(k) × n(k): W(k) "
                          "connects every neuron of layer k-1 to every neuron of layer k, so "
                          "it is n(k) × n(k-1).",
    "biases_forgotten": "That counts the weights only: every neuron after the input layer "
                        "also has a bias b, one more parameter each.",
    "neurons_as_weights": "You counted the neurons, not the connections: each weight joins "
                          "one neuron of layer k-1 to one of layer k, so W(k) has "
                          "n(k) × n(k-1) of them.",
}


def _spec(result: NetworkResult, split: bool):
    from calctutor.checking.answer import AnswerSpec, Mistake

    counts = _counts(result)
    right = (result.weights, result.biases)

    def mistakes():
        out = []
        for code, (w, b) in counts.items():
            if (w, b) == right:
                continue
            value = [sp.Integer(w), sp.Integer(b)] if split else sp.Integer(w + b)
            out.append(Mistake(code, value, _FEEDBACK[code]))
        if split and result.weights != result.biases:
            out.append(Mistake("weights_biases_swapped",
                               [sp.Integer(result.biases), sp.Integer(result.weights)],
                               "Your two counts are swapped: the weights come first, then the "
                               "biases (one per neuron after the input layer)."))
        return out

    def adapt(text: str):
        # two numbers ("weights 20, biases 6", "20, 6") are the two counts
        if split or "," not in text:
            return None
        return _spec(result, split=True)

    if split:
        return AnswerSpec("numbers", [sp.Integer(result.weights), sp.Integer(result.biases)],
                          "the numbers of weights and biases", mistakes=mistakes,
                          entry_names=("weights", "biases"))
    return AnswerSpec("number", sp.Integer(result.total), "the number of parameters",
                      mistakes=mistakes, adapt=adapt)


__all__ = ["Layer", "NetworkResult", "network", "parse_sizes", "run_network"]
