"""Options every command shares, and the last stage every command shares: check or render.

Imported at start-up by every CLI module: Typer only, never SymPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from calctutor.cli.support import EXIT_BAD_INPUT, EXIT_OK, EXIT_WRONG, Format

if TYPE_CHECKING:
    from calctutor.render.options import RenderOptions

FormatOpt = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format: rich, plain, latex, markdown or json "
                 "(default: rich on a terminal, plain when piped).", case_sensitive=False,
                 metavar="FORMAT"),
]
PositiveOpt = Annotated[bool, typer.Option("--positive", help="Assume every variable is positive.")]
VarsOpt = Annotated[
    Optional[str],
    typer.Option("--vars", help="Comma-separated variables in order, e.g. x,y,z (default: alphabetical).",
                 metavar="VARS"),
]
AtOpt = Annotated[
    Optional[str], typer.Option("--at", help="Evaluate at a point: x=1,y=2 (or 1,2 in variable order).",
                                 metavar="POINT")
]
AnswerOpt = Annotated[
    Optional[str],
    typer.Option("--answer", "-a", help="Check your own answer instead of showing the solution "
                 "(exit 0 if right, 1 if wrong, with the likely mistake).", metavar="ANSWER"),
]
ShowOpt = Annotated[
    bool, typer.Option("--show", help="With --answer: also show the worked solution.")
]


def respond(result, out: RenderOptions, answer: str | None = None, show: bool = False) -> tuple[str, int]:
    """The text and exit code of a command: its result rendered, or, with ``answer``, the
    verdict on the learner's answer (0 right, 1 wrong or not finished, 2 could not be
    checked)."""
    from calctutor.render import render

    if answer is None:
        return render(result, out), EXIT_OK
    from calctutor.checking.answer import check_answer

    verdict = check_answer(result, answer, show=show)
    # right but not finished is not right: exit 1, with the missing step in the message
    code = EXIT_WRONG if verdict.unfinished else \
        {True: EXIT_OK, False: EXIT_WRONG, None: EXIT_BAD_INPUT}[verdict.correct]
    return render(verdict, out), code


def prepare(*modules: str, checking: bool = False) -> None:
    """Import the engine in this process before the sandbox forks, so every fork is cheap;
    the answer checker only when there is an answer to check (it is a tenth of a second)."""
    import gc
    import importlib

    extra = ("calctutor.checking.answer",) if checking else ()
    # Importing SymPy makes about a million objects that live as long as the process; the
    # collector would trace them again and again while they are made (a sixth of the import
    # time), so it waits; the first time, they are then frozen out of every later collection
    # (once only: a long-lived caller such as the test suite must not freeze its garbage).
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in ("calctutor.render", *modules, *extra):
            importlib.import_module(name)
    finally:
        if not _frozen:
            gc.freeze()
            _frozen.append(True)
        if enabled:
            gc.enable()


_frozen: list[bool] = []


def compute(command: str, fmt, answer: str | None = None, show: bool = False, **kwargs) -> None:
    """Run the library function of ``command`` (``topics.TOPICS``) on ``kwargs`` in the sandbox
    and print its result (or the verdict on ``answer``): the whole body of a computing
    command whose options map one to one."""
    from calctutor.cli.support import resolve_output, run
    from calctutor.topics import topic_of

    out = resolve_output(fmt)
    topic = topic_of(command)

    def job():
        return respond(topic.runner(command)(**kwargs), out, answer, show)

    prepare(f"{topic.package}.run", checking=answer is not None)
    run(job)
