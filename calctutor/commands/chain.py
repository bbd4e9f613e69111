"""``calctutor chain``: the derivative of F through layers of intermediate variables."""

from __future__ import annotations

import dataclasses

from calctutor.calculus.chain import ChainResult, chain


def run_chain(expr=None, layer=None, wrt=None, at=None, positive: bool = False,
              steps: bool = False, *,
              f=None, layers=None, task=None, activation=None, a0=None, y=None, outputs=None):
    """The derivative of ``expr`` through ``layer`` (a list of "x=cos(t), y=t^2" strings or
    {name: expression} dicts) with respect to ``wrt`` ("t" or "s,t"), at ``at`` if given;
    ``steps`` shows every partial derivative's step tree.

    ``f``/``layers`` are the course examples' names for ``expr``/``layer``; an example with
    ``task="backprop"`` (a neuron written as a chain) is handed to ``run_backprop``.
    """
    from calctutor.commands import point_text

    if task == "backprop":
        from calctutor.commands.backprop import run_backprop

        return run_backprop(layer=layers if layer is None else layer, input=a0, target=y,
                            activation=activation or "sigmoid")
    expr = f if expr is None else expr
    layer = layers if layer is None else layer
    if expr is None:
        from calctutor.errors import UsageError

        raise UsageError("chain needs the function F, e.g. calctutor chain \"x^2 y\" --layer ...")
    result = chain(expr, layer, wrt, point_text(at), positive)
    return dataclasses.replace(result, show_steps=True) if steps else result


__all__ = ["ChainResult", "run_chain"]
