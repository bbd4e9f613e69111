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
        "exercises", "fit", "gradient", "hessian", "jacobian", "lagrange", "network", "newton",
        "taylor")


def __getattr__(name: str):
    # the API is loaded on first use, so `import calctutor` (and the CLI) stays fast
    if name in _API:
        from calctutor import api

        return getattr(api, name)
    raise AttributeError(f"module 'calctutor' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_API})


class _QuizEntry:
    """``calctutor.quiz``: both the API function ``quiz(...)`` and the way to the subpackage
    calctutor.quiz (``calctutor.quiz.store``, as a package attribute would lead). A package
    attribute and a function cannot share the name, and the import system sets each
    submodule on its parent: without this, importing the subpackage would replace the
    function and ``ct.quiz(...)`` would stop working."""

    __name__ = "quiz"

    def __call__(self, *args, **kwargs):
        from calctutor import api

        return api.quiz(*args, **kwargs)

    def __getattr__(self, name: str):
        import importlib

        return getattr(importlib.import_module("calctutor.quiz"), name)

    # help(), IPython's ``ct.quiz?`` and inspect.signature see the API function's
    __doc__ = property(lambda self: self.__wrapped__.__doc__)
    __signature__ = property(lambda self: __import__("inspect").signature(self.__wrapped__))

    @property
    def __wrapped__(self):
        from calctutor import api

        return api.quiz

    def __repr__(self) -> str:
        return "<function calctutor.quiz>"


quiz = _QuizEntry()


class _Package(types.ModuleType):
    """This package, whose ``quiz`` the subpackage never replaces (see ``_QuizEntry``)."""

    def __setattr__(self, name, value):
        if name == "quiz" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = ["__version__", *_API, "quiz"]
