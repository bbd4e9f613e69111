"""The quiz commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.

The quiz is interactive, so it does not run as one sandboxed job: this process owns the
terminal and the progress database, and each exercise's maths runs in the sandbox
(``calctutor.coach.engine``). ``progress`` reads the database here and renders in the sandbox.
"""

from __future__ import annotations

import enum
import sys
import traceback
from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import FormatOpt
from calctutor.cli.support import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    Format,
    debug,
    fail,
    resolve_output,
    run,
)
from calctutor.errors import CalcTutorError


class QuizFormat(str, enum.Enum):
    """The quiz talks to a person: rich or plain text only (a worksheet has the other formats)."""

    rich = "rich"
    plain = "plain"


QuizFormatOpt = Annotated[
    Optional[QuizFormat],
    typer.Option("--format", "-f", help="Output format: rich or plain (default: rich on a "
                 "terminal, plain when piped; 'calctutor exercises' writes the others).",
                 case_sensitive=False, metavar="FORMAT"),
]

ModuleArg = Annotated[
    Optional[str],
    typer.Argument(help="module1 ... module6 (or 1 ... 6), or all (the default).",
                   show_default=False, metavar="MODULE"),
]
QuizModuleArg = Annotated[
    Optional[str],
    typer.Argument(help="module1 ... module6 (or 1 ... 6), or all (a mix of every module). "
                   "Leave it out and the tutor chooses each question from your progress.",
                   show_default=False, metavar="MODULE"),
]


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor quiz',
        'calctutor quiz module1',
        'calctutor quiz 3 --count 5 --seed 7',
        'calctutor quiz --skill 1.8',
        'calctutor quiz --review',
        "printf '2*x\\nhint\\nskip\\n' | calctutor quiz module1 --count 3",
    ))
    def quiz(
        module: QuizModuleArg = None,
        count: Annotated[int, typer.Option("--count", "-n", min=1, max=100,
                                           help="How many questions.", metavar="N")] = 10,
        seed: Annotated[Optional[int], typer.Option(
            "--seed", help="Seed of the exercise generator (the same seed, the same quiz).",
            metavar="N")] = None,
        skill: Annotated[Optional[str], typer.Option(
            "--skill", help="Drill one skill: its number (1.8) or words of its name, as in "
            "'calctutor progress'.", metavar="SKILL")] = None,
        review: Annotated[bool, typer.Option(
            "--review", help="Ask the skills due for review, most overdue first.")] = False,
        fmt: QuizFormatOpt = None,
    ):
        """Practise: fresh exercises, answers in forgiving notation, an honest verdict.

        With no module, skill or --review the tutor chooses each question from your
        progress: skills due for review first, then your weakest skill whose earlier
        skills you know (familiar or better), each with the reason shown. A new learner
        starts at module 1.

        At the prompt type your answer, or hint (the next step), solution (all the
        steps), skip, or quit. A wrong answer gets a second try. Every judged answer is
        saved at once to your progress (see 'calctutor progress'), which schedules
        spaced review. When stdin is not a terminal, one answer is read per line.
        """
        out = resolve_output(Format(fmt.value) if fmt is not None else None)
        try:
            from calctutor.coach.app import run_quiz

            summary = run_quiz(module, count, seed, skill, review, options=out)
        except CalcTutorError as err:
            fail(err.one_line(), err.exit_code)
        except KeyboardInterrupt:  # before the quiz began (while generating)
            sys.stderr.write("Interrupted.\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # `calctutor quiz ... | head`: the reader left; say nothing more
            raise typer.Exit(141) from None
        except (OSError, RuntimeError) as err:
            if debug():
                traceback.print_exc()
            fail(f"the quiz stopped: {err}", EXIT_INTERNAL)
        if summary is not None and summary.ended == "interrupted":
            # Ctrl-C: the summary is shown and every answer is saved; the shell still
            # learns that the quiz was interrupted
            raise typer.Exit(EXIT_INTERRUPTED)

    @app.command(epilog=examples(
        'calctutor progress',
        'calctutor progress module3',
        'calctutor progress --format json',
        'calctutor progress --reset --yes',
        'calctutor progress --plot',
    ))
    def progress(
        module: ModuleArg = None,
        plot: Annotated[bool, typer.Option(
            "--plot", help="Draw it: a mastery bar per skill, by module, and the reviews "
            "due on each of the next 14 days.")] = False,
        reset: Annotated[bool, typer.Option(
            "--reset", help="Start afresh (the old record is kept aside as a backup).")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="With --reset: do not ask.")] = False,
        fmt: FormatOpt = None,
    ):
        """Your progress: attempts, accuracy and mastery per skill, and what is due for review.

        Per module: what is mastered, what is due now, when the next review is, and
        what comes next (the skill 'calctutor quiz' would ask, and why). Progress
        lives in an SQLite database in your user data folder (or in $CALCTUTOR_HOME
        when set).
        """
        out = resolve_output(fmt)
        if reset:
            _reset(yes)
            return
        try:
            from calctutor.coach.app import progress_report

            report = progress_report(module, plot=plot)
        except CalcTutorError as err:
            fail(err.one_line(), err.exit_code)

        def job():
            from dataclasses import replace

            from calctutor.coach.app import module_titles
            from calctutor.render import render

            full = replace(report, module_titles=module_titles())
            return render(full, out), 0

        run(job)


def _reset(yes: bool) -> None:
    if not yes:
        if not sys.stdin.isatty():
            fail("--reset needs --yes when not run at a terminal (nothing was changed)")
        if not typer.confirm("Start your progress afresh? (the old record is kept aside)"):
            sys.stdout.write("Nothing was changed.\n")
            return
    try:
        from calctutor.coach.app import reset_progress

        sys.stdout.write(reset_progress() + "\n")
    except CalcTutorError as err:
        fail(err.one_line(), err.exit_code)
