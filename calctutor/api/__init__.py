"""calctutor from Python and Jupyter: one function per command, worked solutions as objects.

Each function takes the command's long option names as keyword arguments and returns a
``Solution`` that shows its worked steps in a notebook (Markdown with maths) and as plain
text in a REPL, and exposes the data (``.result``, ``.value``, ``.steps``, ``.to_json()``).
Inputs may be text in the learner's notation, SymPy objects or Python numbers. Bad input
raises ``InputError`` (a ``ValueError``) with the command line's one-line message; every call
runs under the command line's time and memory limits (``time_limit=`` seconds per call).

>>> import calctutor as ct
>>> ct.diff("x^2 sin(x)").result
x**2*cos(x) + 2*x*sin(x)
>>> ct.diff("x^2 sin(x)").check("2x sin(x) + x^2 cos(x)").correct
True
>>> ct.gradient("x^2 y", at={"x": 1, "y": 2}).value
Matrix([
[4],
[1]])
"""

from __future__ import annotations

from calctutor.api.calls import InputError, check_result, solve
from calctutor.api.objects import ExerciseItem, Hint, Mistake, Solution, Verdict
from calctutor.api.quizzes import Quiz, QuizSummary, Reply


def diff(expr, *, var=None, vars=None, order=None, at=None, positive=False, steps=True,
         first_principles=False, time_limit=None) -> Solution:
    """The derivative of ``expr``, every rule shown.

    >>> import calctutor as ct
    >>> ct.diff("x y^2", var="y").result
    2*x*y
    >>> ct.diff("sin x", order=2, at={"x": 0}).value
    0
    """
    return solve("diff", dict(expr=expr, var=var, vars=vars, order=order, at=at,
                              positive=positive, steps=steps, first_principles=first_principles),
                 time_limit)


def equiv(a, b, *, vars=None, positive=False, time_limit=None) -> Solution:
    """Whether ``a`` and ``b`` are the same function on the real domain of ``a``
    (``.raw.equivalent`` is True, False, or None when it could not be decided).

    >>> import calctutor as ct
    >>> ct.equiv("sin(x)^2 + cos(x)^2", 1).raw.equivalent
    True
    """
    return solve("equiv", dict(a=a, b=b, vars=vars, positive=positive), time_limit)


def gradient(expr, *, vars=None, at=None, numeric=False, positive=False, steps=False,
             along=None, steepest=False, time_limit=None) -> Solution:
    """The gradient of a scalar function, each partial derivative worked; with ``along``
    (a direction, "1,2" or a list) the directional derivative along its unit vector, with
    ``steepest=True`` the direction of steepest ascent at ``at`` and its rate."""
    if along is not None and not isinstance(along, (str, dict)):
        from calctutor.api.calls import text_of

        along = ", ".join(text_of(list(along)))
    return solve("gradient", dict(expr=expr, vars=vars, at=at, numeric=numeric,
                                  positive=positive, steps=steps, along=along,
                                  steepest=steepest), time_limit)


def jacobian(expr, *, vars=None, at=None, numeric=False, positive=False, steps=False,
             time_limit=None) -> Solution:
    """The Jacobian matrix of several functions (``expr`` as "f1, f2" or a list)."""
    if isinstance(expr, (list, tuple)):
        from calctutor.api.calls import text_of

        expr = ", ".join(text_of(list(expr)))
    return solve("jacobian", dict(expr=expr, vars=vars, at=at, numeric=numeric,
                                  positive=positive, steps=steps), time_limit)


def hessian(expr, *, vars=None, at=None, classify=False, numeric=False, positive=False,
            steps=False, time_limit=None) -> Solution:
    """The Hessian matrix; ``classify=True`` finds and classifies the stationary points."""
    return solve("hessian", dict(expr=expr, vars=vars, at=at, classify=classify,
                                 numeric=numeric, positive=positive, steps=steps), time_limit)


def chain(expr, *, layer=None, wrt=None, at=None, positive=False, steps=False,
          time_limit=None) -> Solution:
    """The derivative of ``expr`` through layers of intermediate variables
    (``layer``: "x = cos(t), y = t^2" or a list of such, innermost last)."""
    if isinstance(layer, str):
        layer = [layer]
    return solve("chain", dict(expr=expr, layer=layer, wrt=wrt, at=at, positive=positive,
                               steps=steps), time_limit)


def backprop(*, layer, input, target, activation="sigmoid", check=None, exact=False,
             time_limit=None) -> Solution:
    """Forward pass, cost and backward pass of a small network (``layer``: "W=[[..]]; b=[..]"
    strings, one per layer); ``exact=True`` names each sub-expression and keeps it exact."""
    if isinstance(layer, str):
        layer = [layer]
    return solve("backprop", dict(layer=layer, input=input, target=target,
                                  activation=activation, check=check, exact=exact), time_limit)


def network(sizes, *, time_limit=None) -> Solution:
    """The weights and biases of a fully-connected network with these layer sizes (input
    layer first: "3,4,2" or a list), layer by layer and in all.

    >>> import calctutor as ct
    >>> ct.network([3, 4, 2]).to_json()["parameters"]
    26
    """
    if not isinstance(sizes, str):
        sizes = ",".join(str(int(n)) for n in sizes)
    return solve("network", dict(sizes=sizes), time_limit)


def taylor(expr, *, var=None, vars=None, at=None, order=4, positive=False, nonzero=None,
           general_term=False, index="n", eval_at=None, radius=False, interval=False,
           time_limit=None) -> Solution:
    """The Taylor polynomial of ``expr`` about ``at`` (default 0), with its derivatives;
    ``general_term=True`` its series' n-th term, ``radius=True`` / ``interval=True`` where
    the series converges (the ratio test, each endpoint tested on its own).

    >>> import calctutor as ct
    >>> ct.taylor("exp(x)", order=3).result
    x**3/6 + x**2/2 + x + 1
    """
    if at is not None and not isinstance(at, (dict, str)):
        from calctutor.api.calls import text_of

        at = text_of(at)
    return solve("taylor", dict(expr=expr, var=var, vars=vars, at=at, order=order,
                                positive=positive, nonzero=nonzero, general_term=general_term,
                                index=index, eval_at=eval_at, radius=radius,
                                interval=interval), time_limit)


def newton(expr, *, x0, tol=1e-10, max_iter=50, steps=None, optimise=False, exact=False,
           vars=None, time_limit=None) -> Solution:
    """Newton's method on a function or a system ("F1, F2") from ``x0``."""
    return solve("newton", dict(expr=expr, x0=x0, tol=tol, max_iter=max_iter, steps=steps,
                                optimise=optimise, exact=exact, vars=vars), time_limit)


def descent(expr, *, start, rate="1/10", max_iter=1000, steps=None, tol=1e-8, ascent=False,
            vars=None, exact=False, time_limit=None) -> Solution:
    """Gradient descent on ``expr`` from ``start`` with step size ``rate``."""
    return solve("descent", dict(expr=expr, start=start, rate=rate, max_iter=max_iter,
                                 steps=steps, tol=tol, ascent=ascent, vars=vars, exact=exact),
                 time_limit)


def lagrange(expr, *, constraint, goal="max", vars=None, positive=False, numeric=False,
             time_limit=None) -> Solution:
    """Optimise ``expr`` on the constraints (``constraint``: "x^2 + y^2 = 1" or a list);
    ``numeric``: solve grad L = 0 numerically only, as ``--numeric``."""
    if isinstance(constraint, str):
        constraint = [constraint]
    return solve("lagrange", dict(expr=expr, constraint=constraint, goal=goal, vars=vars,
                                  positive=positive, numeric=numeric), time_limit)


def fit(data, *, model, x="x", y="y", sigma=None, params=None, start=None, rate=None,
        steps=None, at=None, goal=None, show_code=False, time_limit=None) -> Solution:
    """Fit ``model`` to ``data`` by least squares: a CSV path, a dict of columns, or a pandas
    DataFrame (pandas is never required); ``show_code=True`` adds the same fit as SciPy or
    NumPy code (text, never run)."""
    return solve("fit", dict(data=_columns(data), model=model, x=x, y=y, sigma=sigma,
                             params=params, start=start, rate=rate, steps=steps, at=at,
                             goal=goal, show_code=show_code), time_limit)


def check(command: str, answer, *, time_limit=None, **options) -> Verdict:
    """The verdict on ``answer`` for ``command`` on ``options``, as ``--answer`` gives it.

    >>> import calctutor as ct
    >>> v = ct.check("diff", "2x", expr="x^2 + 1")
    >>> v.correct
    True
    """
    solution = solve(command, options, time_limit)
    return check_result(solution.raw, answer, time_limit=time_limit)


def exercises(module=None, *, count=5, seed=None, skill=None) -> list[ExerciseItem]:
    """``count`` fresh exercises of ``module`` ("module2" or 2; all modules when None),
    reproducible from ``seed``; each shows its prompt and takes ``check(answer)``,
    ``hint()`` and ``solution()``."""
    from calctutor.api.calls import limited
    from calctutor.drills import generate

    drawn = limited(generate, module, count=count, seed=seed, skill=skill, time_limit=120)
    return [ExerciseItem(e) for e in drawn]


def quiz(module=None, *, count=5, seed=None, skill=None) -> Quiz:
    """A quiz of ``count`` exercises of ``module`` ("module2" or 2, or "all"), or of one
    ``skill`` ("1.8" or words of its name), reproducible from ``seed``; with neither, the
    tutor chooses each question from the stored progress, as ``calctutor quiz`` does. The
    command line's quiz, one call per answer, recorded in the same progress store
    (``calctutor progress`` shows it): the last line of a cell shows the question;
    ``answer(text)`` returns the verdict (a wrong answer gets one more try, and the answer
    is never shown before the last try), then the next question; ``hint()``,
    ``solution()``, ``skip()``, ``quit()``, ``summary()``.

    >>> import calctutor as ct
    >>> q = ct.quiz("module1", count=2, seed=7)
    >>> q.number, q.count, q.done
    (1, 2, False)
    >>> print(q.hint())  # doctest: +ELLIPSIS
    Hint 1 of ...
    >>> q.quit().done
    True
    """
    from calctutor.api.quizzes import start

    return start(module, count=count, seed=seed, skill=skill)


def _columns(data):
    """A DataFrame (anything with ``columns`` and item access) as a dict of lists; a path as
    text."""
    import os

    if isinstance(data, os.PathLike):
        return os.fspath(data)
    if hasattr(data, "columns") and not isinstance(data, dict):
        return {str(c): [v.item() if hasattr(v, "item") else v for v in data[c]]
                for c in data.columns}
    return data


__all__ = [
    "ExerciseItem", "Hint", "InputError", "Mistake", "Quiz", "QuizSummary", "Reply", "Solution",
    "Verdict", "backprop", "chain", "check", "descent", "diff", "equiv", "exercises", "fit",
    "gradient", "hessian", "jacobian", "lagrange", "network", "newton", "quiz", "taylor",
]
