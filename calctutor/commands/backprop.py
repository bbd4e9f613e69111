"""``calctutor backprop``: forward pass, cost and backward pass of a small network."""

from __future__ import annotations

from calctutor.calculus.backprop import BackpropResult, backprop


def run_backprop(layer=None, input=None, target=None, activation: str = "sigmoid",
                 check: str | None = None, *, layers=None, a0=None, y=None,
                 task=None, outputs=None) -> BackpropResult:
    """The network of ``layer`` ("W=[[1,-1],[2,0]]; b=[0,-1]" strings or {"W": .., "b": ..}
    dicts) on ``input`` ("1,1") against ``target``; ``check`` names what --answer checks
    ("W1" by default, "b2", "cost"). ``layers``/``a0``/``y`` are the course examples' names."""
    layer = layers if layer is None else layer
    input = a0 if input is None else input
    target = y if target is None else target
    return backprop(layer, input, target, activation or "sigmoid", check)


__all__ = ["BackpropResult", "run_backprop"]
