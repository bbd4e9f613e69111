"""The document of ``calctutor network`` (registered in ``views``): layer by layer, the shape of W(k) and the length of
b(k), then the totals."""

from __future__ import annotations

import sympy

from calctutor.render.doc import Document, Formula, Heading, Item, Math, Numbered, Paragraph, Table
from calctutor.topics.chain.network import NetworkResult


def network_document(result: NetworkResult) -> Document:
    """The sizes, the rule for W(k) and b(k), each layer's count, and the totals."""
    sizes = result.sizes
    doc: Document = [Heading("Weights and biases of the network " + " → ".join(map(str, sizes)))]
    names = [f"n({k}) = {n}" for k, n in enumerate(sizes)]
    names[0] += " (the input)"
    names[-1] += " (the output)"
    doc.append(Paragraph(("Layer sizes: " + ", ".join(names) + ".",)))
    doc.append(Formula("Each layer k ≥ 1", "a(k) = σ(W(k) a(k−1) + b(k)): W(k) is n(k) × n(k−1), "
                       "b(k) has n(k) entries",
                       r"a^{(k)} = \sigma\left(W^{(k)} a^{(k-1)} + b^{(k)}\right),\quad "
                       r"W^{(k)} \in \mathbb{R}^{n_k \times n_{k-1}},\ b^{(k)} \in \mathbb{R}^{n_k}"))
    doc.append(Paragraph(("W(k) has one row per neuron of layer k and one column per neuron of "
                          "layer k − 1 (every neuron is connected to every neuron of the layer "
                          "before); b(k) has one bias per neuron of layer k. The input layer "
                          "holds the data: it has no weights and no biases.",)))
    items = []
    for layer in result.layers:
        k = layer.k
        items.append(Item(
            f"Layer {k}:", sympy.Integer(layer.weights + layer.biases),
            (f"W({k}) is {layer.neurons}×{layer.inputs} = {layer.weights} weights; b({k}) has "
             f"{layer.biases} biases; together {layer.weights} + {layer.biases} = "
             f"{layer.weights + layer.biases} parameters.",)))
    doc.append(Numbered(tuple(items)))
    doc.append(Table(("Layer", "W(k)", "weights", "b(k)", "biases"),
                     tuple((str(layer.k), f"{layer.neurons}×{layer.inputs}", str(layer.weights),
                            str(layer.neurons), str(layer.biases)) for layer in result.layers)))
    ws = [str(layer.weights) for layer in result.layers]
    bs = [str(layer.biases) for layer in result.layers]
    doc.append(Paragraph((f"Weights: {' + '.join(ws)} = {result.weights}. Biases: "
                          f"{' + '.join(bs)} = {result.biases}.",)))
    doc.append(Math(("weights =",), sympy.Integer(result.weights)))
    doc.append(Math(("biases =",), sympy.Integer(result.biases)))
    doc.append(Math(("parameters =",), sympy.Integer(result.total), emphasis=True))
    return doc


__all__ = ["NetworkResult", "network_document"]
