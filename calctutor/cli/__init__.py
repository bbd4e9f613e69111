"""The ``calctutor`` command line: a thin Typer layer (options in, library call, text out).

``app.py`` holds the application and the entry point; each other module adds the commands of
one area. None of them imports SymPy or the engine at module level (start-up time).
"""

import os as _os
import signal as _signal


def _interrupted_while_starting(signum, frame):  # no traceback for a Ctrl-C during start-up
    _os.write(2, b"Interrupted.\n")
    _os._exit(130)


try:  # the main thread only; the handler before is back as soon as the CLI is imported
    _before = _signal.signal(_signal.SIGINT, _interrupted_while_starting)
except ValueError:
    _before = None
try:
    from calctutor.cli.app import app, main
finally:
    if _before is not None:
        _signal.signal(_signal.SIGINT, _before)

__all__ = ["app", "main"]
