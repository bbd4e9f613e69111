"""The equiv command of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import FormatOpt, PositiveOpt, prepare
from calctutor.cli.support import resolve_output, run


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor equiv "sin(x)^2 + cos(x)^2" 1',
        'calctutor equiv "sqrt(x^2)" "|x|"',
        'calctutor equiv "ln(x y)" "ln x + ln y" --positive',
        'calctutor equiv "-sin(x)^2" "cos(x)^2 - 1"',
    ))
    def equiv(
        a: Annotated[str, typer.Argument(help="The first (reference) expression.", metavar="A")],
        b: Annotated[str, typer.Argument(help="The second expression.", metavar="B")],
        vars_: Annotated[Optional[str], typer.Option("--vars", help="Comma-separated variable names to declare.",
                                                                metavar="VARS")] = None,
        positive: PositiveOpt = False,
        fmt: FormatOpt = None,
    ):
        """Are A and B the same function (on the real domain of A)? Exit 0 if so, 1 if not."""
        out = resolve_output(fmt)

        def job():
            from calctutor.render import render
            from calctutor.topics.equiv.run import run_equiv

            result = run_equiv(a, b, vars=vars_, positive=positive)
            code = {True: 0, False: 1, None: 2}[result.equivalent]
            return render(result, out), code

        prepare("calctutor.topics.equiv.run")
        run(job)
