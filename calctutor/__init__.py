"""calctutor: a terminal tutor for the calculus that machine learning rests on.

From Python or Jupyter: ``import calctutor as ct`` then ``ct.diff("x^2 sin(x)")``; one
function per command (``calctutor.api``), each returning a worked solution that shows itself.
Importing this package is cheap: SymPy is imported when a function is first called.
"""

import sys
import types

__version__ = "0.1.0"

_API = ("ExerciseItem", "Hint", "InputError", "Mistake", "Quiz", "QuizSummary", "Reply",
        "Solution", "Verdict", "backprop", "chain", "check", "descent", "diff", "equiv",
        "exercises", "fit", "gradient", "hessian", "jacobian", "lagrange", "newton", "quiz",
        "taylor")


def __getattr__(name: str):
    # the API is loaded on first use, so `import calctutor` (and the CLI) stays fast
    if name in _API:
        from calctutor import api

        return getattr(api, name)
    raise AttributeError(f"module 'calctutor' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])


class _Package(types.ModuleType):
    """This package, whose ``quiz`` stays the API function ``quiz(...)``: importing the
    subpackage calctutor.quiz would otherwise make it the package's attribute (the import
    system sets each submodule on its parent) and ``ct.quiz(...)`` would stop working. The
    subpackage is still imported by name (``from calctutor.quiz.store import Store``)."""

    def __setattr__(self, name, value):
        if name == "quiz" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = ["__version__", *_API]
