"""calctutor: a terminal tutor for the calculus that machine learning rests on.

From Python or Jupyter: ``import calctutor as ct`` then ``ct.diff("x^2 sin(x)")``; one
function per command (``calctutor.api``), each returning a worked solution that shows itself.
Importing this package is cheap: SymPy is imported when a function is first called.
"""

__version__ = "0.1.0"

_API = ("ExerciseItem", "Hint", "InputError", "Mistake", "Quiz", "QuizSummary", "Reply",
        "Solution", "Verdict", "backprop", "chain", "check", "descent", "diff", "equiv",
        "exercises", "fit", "gradient", "hessian", "jacobian", "lagrange", "network", "newton",
        "quiz", "taylor")


def __getattr__(name: str):
    # the API is loaded on first use, so `import calctutor` (and the CLI) stays fast
    if name in _API:
        from calctutor import api

        return getattr(api, name)
    raise AttributeError(f"module 'calctutor' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_API})


__all__ = ["__version__", *_API]
