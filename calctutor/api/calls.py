"""How the Python API runs a command: inputs as text, the CLI's limits, errors as ValueError."""

from __future__ import annotations

import numbers
import sys
from fractions import Fraction


class InputError(ValueError):
    """Input calctutor cannot use: the same one-line message the command line prints.

    ``kind`` is the error's class in calctutor ("ParseError", "UsageError", "LimitError")
    and ``position`` the 0-based place in the text for a ParseError (else None)."""

    def __init__(self, message: str, kind: str = "UsageError", position: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.position = position


def text_of(value):
    """An input as the text calctutor reads: text as it is, numbers and SymPy objects printed
    in a syntax the parser reads back to the same value; lists, tuples and dicts element-wise."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): text_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [text_of(v) for v in value]
    sympy = sys.modules.get("sympy")  # a SymPy object means SymPy is imported already
    if sympy is not None and isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        if isinstance(value, sympy.MatrixBase):
            return str(value.tolist())
        if isinstance(value, sympy.Equality):
            return f"{text_of(value.lhs)} = {text_of(value.rhs)}"
        return sympy.sstr(value, order="none")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    return str(value)


def limited(fn, *args, time_limit: float | None = None, **kwargs):
    """``fn(*args, **kwargs)`` under the command line's time and memory limits (``time_limit``
    in seconds overrides the time limit for this call); calctutor's errors as ``InputError``."""
    from calctutor import config
    from calctutor.errors import CalcTutorError, InternalError
    from calctutor.sandbox import run_limited

    timeout = config.time_limit_s() if time_limit is None else float(time_limit)
    if timeout <= 0:
        raise InputError(f"time_limit must be a positive number of seconds (got {time_limit!r})")
    try:
        return run_limited(fn, *args, timeout=timeout, memory_mb=config.memory_limit_mb(), **kwargs)
    except InternalError:
        raise
    except CalcTutorError as err:
        raise InputError(err.one_line(), type(err).__name__,
                         getattr(err, "position", None)) from None


# options that are Python numbers by design (counts and tolerances), never expressions
_SETTINGS = {"order", "steps", "max_iter", "tol", "nonzero", "solve_seconds"}


def solve(command: str, options: dict, time_limit: float | None = None):
    """The ``Solution`` of ``command`` on ``options`` (the command's long option names)."""
    import importlib

    from calctutor.api.objects import Solution
    from calctutor.topics import run_kind, topic_of

    try:
        topic = topic_of(command)
    except ValueError as err:
        raise InputError(str(err)) from None
    # import the topic here, before the worker forks, so that every call is cheap
    importlib.import_module(f"{topic.package}.run")
    given = {k: v if k in _SETTINGS or isinstance(v, bool) else text_of(v)
             for k, v in options.items() if v is not None}
    return Solution(command, limited(run_kind, command, given, time_limit=time_limit),
                    time_limit)


def check_result(result, answer, *, show: bool = False, time_limit: float | None = None):
    """The ``Verdict`` on ``answer`` for a result (as ``--answer`` checks it)."""
    from calctutor.api.objects import Verdict
    from calctutor.checking.answer import check_answer

    text = text_of(answer)
    if isinstance(text, list):
        text = ", ".join(str(t) for t in text)
    return Verdict(limited(check_answer, result, str(text), show=show, time_limit=time_limit))


def exercise_hints(exercise) -> list:
    """The hint ladder of an exercise, as lists of document blocks."""
    from calctutor.coach.views import answer_doc, hint_ladder
    from calctutor.render.views import view

    result = exercise.solve()
    doc = view(result)
    spec = result.answer_spec() if hasattr(result, "answer_spec") else None
    return hint_ladder(exercise, result, doc, answer_doc(result, doc, spec, exercise))
