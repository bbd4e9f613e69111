"""The ``calctutor`` command line (Typer). A thin layer: options in, library call, text out.

SymPy and the engine are imported inside the commands, never at module level, so that
``calctutor --help``, ``--version`` and shell completion start fast.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from calctutor import __version__
from calctutor.cli_options import AnswerOpt, FormatOpt, PositiveOpt, ShowOpt, prepare, respond
from calctutor.cli_support import EXIT_BAD_INPUT, EXIT_INTERRUPTED, resolve_output, run


class _Group(TyperGroup):
    """Typer's group with contract-style usage errors: one ``Error:`` line, exit code 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            sys.exit(EXIT_INTERRUPTED)
        except Exception as err:  # Click's usage errors (Typer bundles its own Click)
            if not (hasattr(err, "format_message") and hasattr(err, "exit_code")):
                if type(err).__name__ == "Abort":
                    sys.stderr.write("Interrupted.\n")
                    sys.exit(EXIT_INTERRUPTED)
                raise
            ctx = getattr(err, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = " ".join(err.format_message().split())
            sys.stderr.write(f"Error: {message}{hint}\n")
            sys.exit(EXIT_BAD_INPUT if err.exit_code == 2 else err.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=_Group,
    name="calctutor",
    help=(
        "A terminal tutor for the calculus of machine learning: derivatives with every "
        "step shown and checked, and answer checking.\n\n"
        "Example: calctutor diff \"x^2 sin(x)\""
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        sys.stdout.write(f"calctutor {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
):
    """A terminal tutor for the calculus of machine learning."""


@app.command(
    epilog=(
        "Examples:  calctutor diff \"x^2 sin(x)\"  ·  calctutor diff \"x y^2\" --var y  ·  "
        "calctutor diff \"e^(x y)\" --var x --var y  ·  calctutor diff \"sin x\" --order 3 --at x=pi  ·  "
        "calctutor diff \"1/x\" --first-principles  ·  "
        "calctutor diff \"x^2 sin x\" --answer \"2x sin x + x^2 cos x\""
    )
)
def diff(
    expr: Annotated[str, typer.Argument(help="The expression, e.g. \"x^2 sin(x)\" or \"ln(3x+1)\".")],
    var: Annotated[
        Optional[list[str]],
        typer.Option("--var", "-v", help="Differentiate with respect to this variable; repeat for mixed partials in order."),
    ] = None,
    vars_: Annotated[
        Optional[str],
        typer.Option("--vars", help="Comma-separated variables, the same as repeating --var."),
    ] = None,
    order: Annotated[Optional[int], typer.Option("--order", "-n", help="Derivative order (repeats the single variable).")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="Evaluate at a point: x=1 (or 1,2 in variable order).")] = None,
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
        from calctutor.commands.diff import run_diff
        from calctutor.parsing import parse_names

        all_names = names + (parse_names(vars_) if vars_ else [])
        result = run_diff(expr, all_names, order, at, positive, steps, first_principles)
        return respond(result, out, answer, show)

    prepare("calctutor.commands.diff", checking=answer is not None)
    run(job)


@app.command(
    epilog=(
        "Examples:  calctutor equiv \"sin(x)^2 + cos(x)^2\" 1  ·  "
        "calctutor equiv \"sqrt(x^2)\" \"|x|\"  ·  calctutor equiv \"ln(x y)\" \"ln x + ln y\" --positive"
    )
)
def equiv(
    a: Annotated[str, typer.Argument(help="The first (reference) expression.")],
    b: Annotated[str, typer.Argument(help="The second expression.")],
    vars_: Annotated[Optional[str], typer.Option("--vars", help="Comma-separated variable names to declare.")] = None,
    positive: PositiveOpt = False,
    fmt: FormatOpt = None,
):
    """Are A and B the same function (on the real domain of A)? Exit 0 if so, 1 if not."""
    out = resolve_output(fmt)

    def job():
        from calctutor.checking.equivalence import equiv as check
        from calctutor.parsing import parse_names
        from calctutor.render import render

        names = parse_names(vars_) if vars_ else []
        result = check(a, b, variables=names, positive=positive)
        code = {True: 0, False: 1, None: 2}[result.equivalent]
        return render(result, out.fmt, width=out.width, color=out.color), code

    prepare("calctutor.checking.equivalence")
    run(job)


# The other commands, one module per area; each adds its commands to the app.
from calctutor import (  # noqa: E402
    cli_chain,
    cli_drills,
    cli_matrices,
    cli_optimise,
    cli_quiz,
    cli_series,
)

for _area in (cli_matrices, cli_chain, cli_series, cli_optimise, cli_drills, cli_quiz):
    _area.register(app)


def main() -> None:
    """Console-script entry point (and ``python -m calctutor``).

    Leaves with ``os._exit`` once the output is flushed: tearing down an interpreter with
    SymPy loaded takes about 0.15 s, longer than most commands, and frees nothing the OS
    would not. Safe because every file and database connection is closed when its command
    returns (the progress store commits each answer as it is judged).
    """
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    _leave(code or 0)


def _leave(code: int) -> None:
    import os

    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `calctutor ... | head`: the reader left; say nothing more
        code = code or 141
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
