"""The diff and equiv commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import AnswerOpt, FormatOpt, PositiveOpt, ShowOpt, prepare, respond
from calctutor.cli.support import resolve_output, run


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor diff "x^2 sin(x)"',
        'calctutor diff "x y^2" --var y',
        'calctutor diff "e^(x y)" --var x --var y',
        'calctutor diff "sin x" --order 3 --at x=pi',
        'calctutor diff "1/x" --first-principles',
        'calctutor diff "-x^2 + 3x"',
        'calctutor diff "x^2 sin x" --answer "2x sin x + x^2 cos x"',
    ))
    def diff(
        expr: Annotated[str, typer.Argument(help="The expression, e.g. \"x^2 sin(x)\" or \"ln(3x+1)\".",
                                                   metavar="EXPR")],
        var: Annotated[
            Optional[list[str]],
            typer.Option("--var", "-v", help="Differentiate with respect to this variable; repeat for mixed partials in order.",
                         metavar="VAR"),
        ] = None,
        vars_: Annotated[
            Optional[str],
            typer.Option("--vars", help="Comma-separated variables, the same as repeating --var.",
                         metavar="VARS"),
        ] = None,
        order: Annotated[Optional[int], typer.Option("--order", "-n", help="Derivative order (repeats the single variable).", metavar="N")] = None,
        at: Annotated[Optional[str], typer.Option("--at", help="Evaluate at a point: x=1 (or 1,2 in variable order).", metavar="POINT")] = None,
        steps: Annotated[bool, typer.Option("--steps/--no-steps", help="Show every rule applied.")] = True,
        first_principles: Annotated[
            bool,
            typer.Option("--first-principles", help="Derive it from the limit definition lim h->0 (f(x+h) - f(x))/h."),
        ] = False,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Differentiate EXPR and show every rule as it is applied, each step checked."""
        out = resolve_output(fmt)
        names = list(var or [])

        def job():
            from calctutor.parsing import parse_names
            from calctutor.topics.diff.run import diff_text

            all_names = names + (parse_names(vars_) if vars_ else [])
            result = diff_text(expr, all_names, order, at, positive, steps, first_principles)
            return respond(result, out, answer, show)

        prepare("calctutor.topics.diff.run", checking=answer is not None)
        run(job)
