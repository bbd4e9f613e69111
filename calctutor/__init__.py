"""calctutor: a terminal tutor for the calculus that machine learning rests on.

Importing this package is cheap: it does not import SymPy. The library API lives in
submodules (``calctutor.parsing``, ``calctutor.steps``, ``calctutor.checking``, ...)
that are imported when needed.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
