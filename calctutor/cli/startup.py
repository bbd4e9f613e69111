"""Ctrl-C while the command starts: "Interrupted." and exit 130, never a traceback.

Python turns Ctrl-C into a KeyboardInterrupt wherever the main thread happens to be, and
during the imports of the CLI (Typer, Click, Rich: a tenth of a second) that is a traceback
out of some library. ``guard`` installs a handler that leaves at once instead; as the
``calctutor`` command it stays until ``main`` is inside the ``try`` that catches
KeyboardInterrupt (``release``), so no moment in between is left uncovered. Imported as a
library (tests, a notebook) the handler is released as soon as the CLI is imported.
(Python's own start-up, before the first line of calctutor runs, is out of reach.)
"""

from __future__ import annotations

import os
import signal
import sys

_before = None
_installed = False


def _interrupted(signum, frame):
    os.write(2, b"Interrupted.\n")
    os._exit(130)


def as_command() -> bool:
    """Whether this process is the ``calctutor`` command (or ``python -m calctutor``)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name == "calctutor.__main__":
        return True
    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    return name in ("calctutor", "calctutor.exe", "calctutor-script.py")


def guard() -> None:
    """Leave quietly with exit 130 on Ctrl-C from now on (the main thread only)."""
    global _before, _installed
    try:
        _before = signal.signal(signal.SIGINT, _interrupted)
        _installed = True
    except ValueError:  # not the main thread: Ctrl-C is not delivered here anyway
        pass


def release() -> None:
    """Ctrl-C raises KeyboardInterrupt again (the handler from before ``guard``)."""
    global _installed
    if _installed:
        signal.signal(signal.SIGINT, _before)
        _installed = False
