"""The chain commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli import network
from calctutor.cli.helpview import examples
from calctutor.cli.options import (
    AnswerOpt,
    AtOpt,
    FormatOpt,
    PositiveOpt,
    ShowOpt,
    compute,
)

LayerOpt = Annotated[
    Optional[list[str]],
    typer.Option("--layer", "-l", help="One layer of intermediate variables, e.g. "
                 "\"x=cos(t), y=t^2\"; repeat for deeper nesting (F's layer first).", metavar="LAYER"),
]


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor chain "x^2 y + y" --layer "x=cos(t), y=t^2" --wrt t',
        'calctutor chain "x1 x2" --layer "x1=u1+u2, x2=u1-u2" --layer "u1=t, u2=t^2" --wrt t --at t=1',
        'calctutor chain "x y, x+y" --layer "x=s t, y=s+t" --wrt s,t',
        'calctutor chain "-p^2/2 + 2p" --layer "p=t^2" --wrt t',
        'calctutor chain "x y^2" --layer "x=e^t, y=sin t" --wrt t --answer "e^t sin(t)^2 + 2 e^t sin t cos t"',
    ))
    def chain(
        expr: Annotated[str, typer.Argument(help="F: one function, or a vector \"F1, F2\" of the first layer's names.", metavar="EXPR")],
        layer: LayerOpt = None,
        wrt: Annotated[
            Optional[str],
            typer.Option("--wrt", "-w", help="The final variable(s), comma-separated, e.g. t or s,t.", metavar="VARS"),
        ] = None,
        at: AtOpt = None,
        steps: Annotated[bool, typer.Option("--steps/--no-steps",
                                            help="Show every partial derivative worked step by step.", metavar="")] = False,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """The multivariate chain rule through layers of variables.

        Differentiates F through layers of intermediate variables, as a sum over paths or a
        product of Jacobians (df/dx · dx/du · du/dt)."""
        compute("chain", fmt, answer, show, expr=expr,
                layer=list(layer or []), wrt=wrt, at=at, positive=positive, steps=steps)

    @app.command(epilog=examples(
        'calctutor backprop --layer "W=[[1,-1],[2,0]]; b=[0,-1]" --layer "W=[[1,1]]; b=[0]" --input 1,1 --target 1',
        'calctutor backprop --layer "W=[[1]]; b=[1]" --input 0 --target 1 --activation tanh',
        'calctutor backprop --layer "W=[[1,-1],[2,0]]; b=[0,-1]" --layer "W=[[1,1]]; b=[0]" --input 1,1 --target 1 --exact',
        'calctutor backprop --layer "W=[[0.5, -1]]; b=[0.1]" --input 1,2 --target 0 --activation relu',
        'calctutor backprop --layer "W=[[1]]; b=[0]" --input 1 --target 0 --check b1 --answer "2 e^2/(1+e)^3"',
    ))
    def backprop(
        layer: Annotated[
            Optional[list[str]],
            typer.Option("--layer", "-l", help="One layer: \"W=[[1,-1],[2,0]]; b=[0,-1]\" (W is "
                         "neurons × inputs; add \"; act=tanh\" for its own activation). Repeat, "
                         "first layer first.", metavar="LAYER"),
        ] = None,
        input: Annotated[Optional[str], typer.Option("--input", "-i", help="The input a(0), e.g. 1,1.", metavar="VECTOR")] = None,
        target: Annotated[Optional[str], typer.Option("--target", "-t", help="The target y, e.g. 0,1.", metavar="VECTOR")] = None,
        activation: Annotated[
            str, typer.Option("--activation", help="sigmoid, tanh, relu or linear (every layer).", metavar="NAME")
        ] = "sigmoid",
        check: Annotated[
            Optional[str],
            typer.Option("--check", help="With --answer: what your answer is, W1 (the default), b1, "
                         "W2, ... or cost.", metavar="NAME"),
        ] = None,
        exact: Annotated[bool, typer.Option("--exact/--decimals",
                                            help="Show exact values instead of decimals first, each "
                                            "sub-expression named once and used by its name.",
                                            metavar="")] = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Backpropagation through a small network, worked.

        The forward pass (z and a per layer), the cost C = Σ(a − y)², and the backward pass
        (∂C/∂a, ∂C/∂z, ∂C/∂W, ∂C/∂b per layer)."""
        compute("backprop", fmt, answer, show,
                layer=list(layer or []), input=input, target=target, activation=activation,
                check=check, exact=exact)
    network.register(app)
