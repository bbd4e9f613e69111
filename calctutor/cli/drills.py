"""The drills commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import FormatOpt, prepare
from calctutor.cli.support import fail, resolve_output, run

ModuleArg = Annotated[
    Optional[str],
    typer.Argument(help="module1 ... module6 (or 1 ... 6), or all (default: all).", show_default=False,
                   metavar="MODULE"),
]


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor exercises module2 --count 10 --seed 7 --answers',
        'calctutor exercises 1 --skill "chain rule" --format markdown',
        'calctutor exercises module4 --seed 3 --answers --format latex > sheet.tex',
        'calctutor exercises all --count 12 --format json',
        'calctutor exercises --weak --count 10',
    ))
    def exercises(
        module: ModuleArg = None,
        count: Annotated[int, typer.Option("--count", "-n", help="How many exercises.", metavar="N")] = 10,
        seed: Annotated[
            Optional[int],
            typer.Option("--seed", help="Seed: the same seed gives the same worksheet (default: random).",
                         metavar="N"),
        ] = None,
        skill: Annotated[
            Optional[str],
            typer.Option("--skill", help="Only this skill: its number (1.8) or words of its name (\"chain rule\").",
                         metavar="SKILL"),
        ] = None,
        answers: Annotated[bool, typer.Option("--answers", help="Append the answer key.")] = False,
        weak: Annotated[bool, typer.Option(
            "--weak", help="Only your weak skills (from your quiz progress): low mastery or "
            "missed lately, the weakest 6 at most, named in the heading. With no progress "
            "yet it says so and exits 0 (JSON: an empty list).")] = False,
        fmt: FormatOpt = None,
    ):
        """Print a worksheet of fresh exercises and their answers.

        Exercises are drawn from the bank (exercises/*.toml) for a module or a skill,
        and every answer is computed by calctutor's own commands. JSON gives each
        exercise's command and input, so that a script can run it.
        """
        out = resolve_output(fmt)
        chosen: list[str] = []
        heading = None
        if weak:
            chosen, heading = _weak(module, skill, out)

        def job():
            from calctutor.drills.worksheet import worksheet_text

            return worksheet_text(module, count, seed, skill, answers, out, chosen, heading), 0

        prepare("calctutor.drills.worksheet", "calctutor.topics.diff.run")
        run(job)


def _weak(module, skill, out) -> tuple[list[str], str]:
    """The weak skills and the heading naming them; with none, the reason is printed
    (on stderr for JSON, which gets an empty list) and the command ends with exit 0."""
    import sys

    from calctutor.errors import CalcTutorError

    if skill:
        fail("--weak and --skill cannot be used together: --weak chooses the skills")
    try:
        from calctutor.coach.app import weak_selection

        chosen, text = weak_selection(module)
    except CalcTutorError as err:
        fail(err.one_line(), err.exit_code)
    if not chosen:
        if out.fmt == "json":
            sys.stdout.write("[]\n")
            sys.stderr.write(text + "\n")
        else:
            sys.stdout.write(text + "\n")
        raise typer.Exit(0)
    return chosen, text
