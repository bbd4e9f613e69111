"""Plumbing shared by every CLI command: output format, the sandboxed run, errors, exit codes.

Nothing here imports SymPy at module level: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

import enum
import os
import shutil
import sys
import traceback
from typing import TYPE_CHECKING, Callable

from calctutor.errors import CalcTutorError, InternalError

if TYPE_CHECKING:  # the CLI layer imports calctutor.render only inside a function
    from calctutor.render.options import RenderOptions

# Exit codes (docs/interface.md): 0 ok, 1 an --answer was checked and is wrong, 2 bad input.
EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130



class Format(str, enum.Enum):
    rich = "rich"
    plain = "plain"
    latex = "latex"
    markdown = "markdown"
    json = "json"


def debug() -> bool:
    return os.environ.get("CALCTUTOR_DEBUG") == "1"


def resolve_output(fmt: Format | None) -> RenderOptions:
    """Pick the format (rich on a terminal, plain when piped), width and colour."""
    from calctutor.render.options import RenderOptions

    tty = sys.stdout.isatty()
    name = fmt.value if fmt is not None else ("rich" if tty else "plain")
    if tty:
        width = shutil.get_terminal_size((100, 24)).columns
    else:
        width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 80
    no_color = "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""
    color = name == "rich" and not no_color and (tty or bool(os.environ.get("FORCE_COLOR")))
    return RenderOptions(name, max(40, min(width, 200)), color)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``Error: message`` on one line to stderr and exit with ``code``."""
    import typer

    one_line = " ".join(str(message).split())
    sys.stderr.write(f"Error: {one_line}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def run(job: Callable[[], tuple[str, int]]) -> None:
    """Run ``job`` (compute and render) under the time and memory limits, print its text.

    ``job`` returns (text, exit code). Errors become one ``Error:`` line and exit code 2
    (3 for a bug in calctutor); a traceback is shown only with CALCTUTOR_DEBUG=1.
    """
    import typer

    from calctutor.config import memory_limit_mb, time_limit_s
    from calctutor.sandbox import run_limited

    try:
        # hard limits: the sandbox kills the worker past them
        text, code = run_limited(job, timeout=time_limit_s(), memory_mb=memory_limit_mb())
    except InternalError as err:
        if debug():
            sys.stderr.write(getattr(err, "details", "") or traceback.format_exc())
        fail(f"internal error in calctutor ({err.one_line()}); please report it "
             "(set CALCTUTOR_DEBUG=1 to see the details)", EXIT_INTERNAL)
    except CalcTutorError as err:
        if debug():
            traceback.print_exc()
        fail(_with_limit_variable(err.one_line()), err.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
    if code:
        raise typer.Exit(code)


def _with_limit_variable(message: str) -> str:
    """A time or memory limit's message, naming the environment variable that raises it."""
    from calctutor.config import MEMORY_LIMIT_VAR, TIME_LIMIT_VAR

    for marker, var, unit, example in (("(the time limit)", TIME_LIMIT_VAR, "seconds", 60),
                                       ("(the memory limit)", MEMORY_LIMIT_VAR, "MB", 4096)):
        if marker in message and var not in message:
            return f"{message}; to allow more, set {var} ({unit}), e.g. {var}={example} calctutor ..."
    return message
