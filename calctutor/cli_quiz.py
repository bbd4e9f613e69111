"""The quiz commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations


def register(app) -> None:
    """Add this area's commands to the Typer app."""
