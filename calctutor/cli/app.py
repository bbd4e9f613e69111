"""The ``calctutor`` command line (Typer). A thin layer: options in, library call, text out.

SymPy and the engine are imported inside the commands, never at module level, so that
``calctutor --help``, ``--version`` and shell completion start fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from calctutor import __version__
from calctutor.cli import startup
from calctutor.cli.helpview import Command as HelpCommand
from calctutor.cli.helpview import examples
from calctutor.cli.support import EXIT_BAD_INPUT, EXIT_INTERRUPTED


class _Group(TyperGroup):
    """Typer's group with contract-style usage errors: one ``Error:`` line, exit code 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from calctutor.cli.argv import rewrite

        args = rewrite(self, list(sys.argv[1:] if args is None else args))
        if not args and standalone_mode:  # `calctutor` alone: the help is the answer, not an error
            args = ["--help"]
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

    def invoke(self, ctx):
        # Typer turns a KeyboardInterrupt into a silent exit 130: say why first.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    def format_help(self, ctx, formatter) -> None:
        from calctutor.cli.helpview import render_help

        formatter.write(render_help(self, ctx))


app = typer.Typer(
    cls=_Group,
    name="calctutor",
    help=(
        "A terminal tutor for the calculus of machine learning: derivatives with every "
        "step shown and checked, and answer checking. 'calctutor COMMAND --help' shows a "
        "command's options and examples."
    ),
    epilog=examples(
        'calctutor diff "x^2 sin(x)"',
        'calctutor diff "sin(x^2)" --answer "2x cos(x^2)"',
        'calctutor quiz module1',
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


# The commands, one CLI module per topic (``calctutor/cli/<topic>.py``), then the drills.
from calctutor.cli import drills, quiz  # noqa: E402
from calctutor.topics import TOPICS  # noqa: E402

for _topic in TOPICS:
    importlib.import_module(f"calctutor.cli.{_topic.name}").register(app)
for _area in (drills, quiz):
    _area.register(app)
# Every command's --help is laid out by calctutor.cli.helpview (descriptions get the width).
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = HelpCommand


def main() -> None:
    """Console-script entry point (and ``python -m calctutor``).

    Leaves with ``os._exit`` once the output is flushed: tearing down an interpreter with
    SymPy loaded takes about 0.15 s, longer than most commands, and frees nothing the OS
    would not. Safe because every file and database connection is closed when its command
    returns (the progress store commits each answer as it is judged).
    """
    try:
        startup.release()  # from here on Ctrl-C is a KeyboardInterrupt, caught below
        app()
        code = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:  # while Typer builds the command, before the group's main
        sys.stderr.write("Interrupted.\n")
        code = EXIT_INTERRUPTED
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
