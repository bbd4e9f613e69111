"""The ``calctutor`` command line: a thin Typer layer (options in, library call, text out).

``app.py`` holds the application and the entry point; each other module adds the commands of
one area. None of them imports SymPy or the engine at module level (start-up time).
"""

from calctutor.cli.app import app, main

__all__ = ["app", "main"]
