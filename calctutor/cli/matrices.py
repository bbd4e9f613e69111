"""The matrices commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import (
    AnswerOpt,
    AtOpt,
    FormatOpt,
    PositiveOpt,
    ShowOpt,
    VarsOpt,
    compute,
)

NumericOpt = Annotated[
    bool, typer.Option("--numeric", help="Give the values at the point as decimals (default: exact).", metavar="")
]
StepsOpt = Annotated[
    bool, typer.Option("--steps/--no-steps", help="Show every rule of every entry (default: the "
                       "top rule of each partial derivative).", metavar="")
]


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor gradient "x^2 y + sin(x y)"',
        'calctutor gradient "(x-3)^2 + 2(y-1)^2" --at x=1,y=2',
        'calctutor gradient "a x^2 y + b y^3" --vars x,y',
        'calctutor gradient "x^2 + x y" --answer "2x + y, x"',
        'calctutor gradient "x^2 + x y" --at x=1,y=2 --along 1,2',
        'calctutor gradient "x^2 y" --at x=1,y=2 --steepest',
    ))
    def gradient(
        expr: Annotated[str, typer.Argument(help="The scalar function, e.g. \"x^2 y + e^(x y)\".", metavar="EXPR")],
        vars_: VarsOpt = None,
        at: AtOpt = None,
        along: Annotated[Optional[str], typer.Option(
            "--along", help="A direction v, one component per variable in their order (1,2 or "
            "\"(1, 2)\") or named (x=1,y=2): the directional derivative ∇f · v/|v| (--answer "
            "checks it).",
            metavar="VECTOR")] = None,
        steepest: Annotated[bool, typer.Option(
            "--steepest", help="With --at: the direction of steepest ascent ∇f/|∇f| and the "
            "maximum rate |∇f| (--answer checks both: the unit direction, then the rate).",
            metavar="")] = False,
        numeric: NumericOpt = False,
        steps: StepsOpt = False,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """The gradient of a scalar function, each partial worked.

        Every partial derivative is worked with its rule; --along gives the directional
        derivative, --steepest the direction of steepest ascent.

        Variables in the order of --vars, else alphabetical; other symbols are constants."""
        compute("gradient", fmt, answer, show, expr=expr, vars=vars_, at=at, numeric=numeric,
                positive=positive, steps=steps, along=along, steepest=steepest)

    @app.command(epilog=examples(
        'calctutor jacobian "x^2 y, x + sin y"',
        'calctutor jacobian "r cos(theta), r sin(theta)" --vars r,theta',
        'calctutor jacobian "x^2 + y z, e^(x y)" --vars x,y,z --at 1,2,3',
        'calctutor jacobian "x^2 y^3 - 4x" --answer "[[2x y^3 - 4, 3x^2 y^2]]"',
    ))
    def jacobian(
        expr: Annotated[str, typer.Argument(help="The functions, comma-separated: \"F1, F2, ...\" "
                                            "(brackets optional). One function gives a row vector.", metavar="EXPR")],
        vars_: VarsOpt = None,
        at: AtOpt = None,
        numeric: NumericOpt = False,
        steps: StepsOpt = False,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """The Jacobian matrix of several functions.

        Row i is function i, column j is variable j (and its determinant when it is
        square)."""
        compute("jacobian", fmt, answer, show, expr=expr,
                vars=vars_, at=at, numeric=numeric, positive=positive, steps=steps)

    @app.command(epilog=examples(
        'calctutor hessian "x^2 y + e^y"',
        'calctutor hessian "x^2 y z" --at 1,1,1',
        'calctutor hessian "x^3 + y^3 - 6x y" --classify',
        'calctutor hessian "x^2 y" --answer "[[2y, 2x], [2x, 0]]"',
    ))
    def hessian(
        expr: Annotated[str, typer.Argument(help="The scalar function, e.g. \"x^3 - 3x + y^2\".", metavar="EXPR")],
        vars_: VarsOpt = None,
        at: AtOpt = None,
        classify: Annotated[bool, typer.Option(
            "--classify", help="Solve grad f = 0 and classify each stationary point "
            "(minimum, maximum, saddle, degenerate).", metavar="")] = False,
        numeric: NumericOpt = False,
        steps: StepsOpt = False,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """The Hessian matrix; --classify classifies stationary points.

        Every second partial derivative is worked from the first partial; --classify finds
        the stationary points and classifies them."""
        compute("hessian", fmt, answer, show, expr=expr,
                vars=vars_, at=at, classify=classify, numeric=numeric, positive=positive, steps=steps)

