"""The gateway to the sandbox: each quiz item is solved, hinted and judged in a worker.

The process that runs the quiz owns the terminal and the progress database; everything that
touches SymPy (solving the exercise, judging an answer, and rendering the documents that
``calctutor.coach.views`` builds from them) runs in a forked worker under the time and memory
limits (``calctutor.sandbox.run_limited``), and comes back as data and plain strings. A
runaway computation costs one item, never the session, and the database connection is never
inside a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calctutor.errors import CalcTutorError, InternalError, LimitError, ParseError
from calctutor.render.options import RenderOptions


@dataclass(frozen=True)
class Prepared:
    """One exercise, solved, with everything the loop may show, already rendered."""

    result: object = field(repr=False)
    problem: str
    hints: tuple[str, ...]
    solution: str
    answer: str
    # hints[k] shows the answer itself (the last rung of the ladder): from then on a right
    # answer is a copy, not evidence of the skill
    revealing_hints: tuple[int, ...] = ()
    # the answer is a matrix: a line break typed after a row ends that row
    matrix: bool = False


@dataclass(frozen=True)
class Judged:
    """The verdict on one typed answer. ``correct`` None: not judged (``error`` says why,
    or the check could not decide), so it is not an attempt."""

    correct: bool | None
    text: str = ""            # "Read as ..." (when it differs) and the verdict, rendered
    diagnosis: str | None = None
    error: str | None = None  # the answer could not be read or checked


class Engine:
    """Solve, hint, judge and render in the sandbox, for one output format."""

    def __init__(self, options: RenderOptions | None = None,
                 timeout: float | None = None, memory_mb: int | None = None):
        from calctutor.config import memory_limit_mb, time_limit_s

        self.options = options = options or RenderOptions(color=False)
        self.fmt, self.width, self.color = options.fmt, options.width, options.color
        self.timeout = time_limit_s() if timeout is None else timeout
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb

    def _run(self, fn, *args):
        from calctutor.sandbox import run_limited

        return run_limited(fn, *args, timeout=self.timeout, memory_mb=self.memory_mb)

    def render(self, blocks) -> str:
        """A document as text (in the sandbox: pretty-printing is SymPy work too)."""
        return self._run(_render, blocks, self.fmt, self.width, self.color)

    def generate(self, **kwargs):
        """``calctutor.drills.generate(**kwargs)`` under the limits."""
        return self._run(_generate, kwargs)

    def prepare(self, exercise, number: int, total: int, title: str = "") -> Prepared:
        """Solve ``exercise`` and render its problem, hints, solution and answer.
        Raises CalcTutorError (LimitError, ...) when it cannot be solved within the limits."""
        return self._run(_prepare, exercise, number, total, title,
                         (self.fmt, self.width, self.color))

    def judge(self, exercise, prepared: Prepared, text: str, reveal: bool = True) -> Judged:
        """The verdict on ``text``; never raises for anything the learner typed. Without
        ``reveal`` (a try is left) the feedback never shows the expected answer."""
        try:
            return self._run(_judge, exercise, prepared.result, text,
                             (self.fmt, self.width, self.color), reveal)
        except ParseError as err:
            return Judged(None, error=f"Could not read your answer: {err.one_line()}")
        except LimitError:
            return Judged(None, error="Your answer could not be checked within the time "
                          "limit; it is not counted. Try writing it another way, or skip.")
        except InternalError as err:
            return Judged(None, error=f"calctutor could not check this answer (a bug: "
                          f"{err.one_line()}); it is not counted.")
        except CalcTutorError as err:
            return Judged(None, error=f"Could not check your answer: {err.one_line()}")


# ---------------------------------------------------------------------------------------
# In the worker


def _render(blocks, fmt, width, color) -> str:
    from calctutor.render import render_blocks

    if isinstance(fmt, tuple):  # several formats from one computation (the Python API)
        return Rendered({f: render_blocks(blocks, f, width=width, color=color) for f in fmt})
    return render_blocks(blocks, fmt, width=width, color=color)


class Rendered(str):
    """A document rendered in several formats: the text of the first; ``formats`` holds
    each by name. An engine whose ``fmt`` is a tuple of formats renders these, so the
    Python API's quiz shows Markdown in Jupyter and plain text in a REPL."""

    def __new__(cls, formats: dict[str, str]):
        self = super().__new__(cls, next(iter(formats.values())))
        self.formats = dict(formats)
        return self

    def __reduce__(self):
        return Rendered, (self.formats,)


def _generate(kwargs):
    from calctutor.drills import generate

    return generate(**kwargs)


def _prepare(exercise, number, total, title, out) -> Prepared:
    from calctutor.coach.views import answer_doc, hint_ladder, problem_doc
    from calctutor.render.views import view

    result = exercise.solve()
    doc = view(result)
    spec = result.answer_spec() if hasattr(result, "answer_spec") else None
    answer = answer_doc(result, doc, spec, exercise)
    hints = hint_ladder(exercise, result, doc, answer)
    return Prepared(
        result=result if _pickles(result) else None,  # else each check solves again
        problem=_render(problem_doc(exercise, result, spec, number, total, title), *out),
        hints=tuple(_render(h, *out) for h in hints),
        solution=_render(doc, *out),
        answer=_render(answer, *out),
        revealing_hints=(len(hints) - 1,) if hints else (),
        matrix=getattr(spec, "shape", None) == "matrix" and not exercise.answer_key,
    )


def _judge(exercise, result, text, out, reveal=True) -> Judged:
    from calctutor.coach.views import verdict_doc

    verdict = check(exercise, result, text)
    return Judged(verdict.correct, _render(verdict_doc(verdict, reveal), *out),
                  verdict.diagnosis)


def check(exercise, result, text):
    """The exercise's own check of ``text`` (the exercise bank may add checks of form),
    reusing the solution already computed when the exercise caches one."""
    if result is not None and getattr(exercise, "_result", False) is None:
        object.__setattr__(exercise, "_result", result)  # in this worker only
    return exercise.check(text)


def _pickles(value) -> bool:
    import pickle

    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001
        return False
    return True
