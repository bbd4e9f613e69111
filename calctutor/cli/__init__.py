"""The ``calctutor`` command line: a thin Typer layer (options in, library call, text out).

``app.py`` holds the application and the entry point; each other module adds the commands of
one area. None of them imports SymPy or the engine at module level (start-up time).
"""

from calctutor.cli import startup as _startup

_startup.guard()  # a Ctrl-C during the imports below: no traceback (see startup.py)
try:
    from calctutor.cli.app import app, main
finally:
    if not _startup.as_command():  # as the command, main releases it inside its own try
        _startup.release()

__all__ = ["app", "main"]
