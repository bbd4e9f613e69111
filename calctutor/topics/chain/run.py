"""``calctutor chain`` and ``calctutor backprop``: the library functions, text in, result out."""

from __future__ import annotations

import dataclasses

from calctutor.topics.chain.backprop import BackpropResult, backprop
from calctutor.topics.chain.chain import chain


def run_chain(expr=None, layer=None, wrt=None, at=None, positive: bool = False,
              steps: bool = False, *,
              f=None, layers=None, task=None, activation=None, a0=None, y=None, outputs=None):
    """The derivative of ``expr`` through ``layer`` (a list of "x=cos(t), y=t^2" strings or
    {name: expression} dicts) with respect to ``wrt`` ("t" or "s,t"), at ``at`` if given;
    ``steps`` shows every partial derivative's step tree.

    ``f``/``layers`` are the course examples' names for ``expr``/``layer``; an example with
    ``task="backprop"`` (a neuron written as a chain) is handed to ``run_backprop``.
    """
    from calctutor.topics.inputs import point_text

    if task == "backprop":

        return run_backprop(layer=layers if layer is None else layer, input=a0, target=y,
                            activation=activation or "sigmoid")
    expr = f if expr is None else expr
    layer = layers if layer is None else layer
    if expr is None:
        from calctutor.errors import UsageError

        raise UsageError("chain needs the function F, e.g. calctutor chain \"x^2 y\" --layer ...")
    result = chain(expr, layer, wrt, point_text(at), positive)
    return dataclasses.replace(result, show_steps=True) if steps else result


def run_backprop(layer=None, input=None, target=None, activation: str = "sigmoid",
                 check: str | None = None, exact: bool = False, *, layers=None, a0=None,
                 y=None, task=None, outputs=None) -> BackpropResult:
    """The network of ``layer`` ("W=[[1,-1],[2,0]]; b=[0,-1]" strings or {"W": .., "b": ..}
    dicts) on ``input`` ("1,1") against ``target``; ``check`` names what --answer checks
    ("W1" by default, "b2", "cost"); ``exact`` shows exact values with their sub-expressions
    named (decimals first by default). ``layers``/``a0``/``y`` are the course examples' names."""
    layer = layers if layer is None else layer
    input = a0 if input is None else input
    target = y if target is None else target
    return backprop(layer, input, target, activation or "sigmoid", check, exact)

from calctutor.topics.chain.network import run_network  # noqa: E402,F401 (calctutor network)
