"""The objects the Python API returns: each shows itself in a notebook and in a REPL.

A ``Solution`` wraps a command's result, a ``Verdict`` the check of an answer, an
``ExerciseItem`` a drawn exercise. They all render through the same documents as the command
line: Markdown with ``$…$`` maths in Jupyter (``_repr_markdown_``), the plain text format in
a REPL (``str``/``repr``), LaTeX on request (``to_latex``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class _Shown:
    """Rendering shared by every API object: ``_document()`` is its ``render.doc`` document."""

    def _document(self) -> list:
        raise NotImplementedError

    def _render(self, fmt: str, width: int = 88) -> str:
        from calctutor.render import render_blocks

        return render_blocks(self._document(), fmt, width=width, color=False)

    def _repr_markdown_(self) -> str:
        return self._render("markdown")

    def to_latex(self) -> str:
        """The worked solution as a LaTeX fragment (``render.latex_document`` makes it a file)."""
        return self._render("latex")

    def to_markdown(self) -> str:
        """The worked solution as Markdown, maths in ``$…$``."""
        return self._render("markdown")

    def __str__(self) -> str:
        return self._render("plain").rstrip("\n")

    def __repr__(self) -> str:
        return str(self)


class Solution(_Shown):
    """A command's worked solution.

    ``result`` is the answer as a SymPy object (the derivative, the gradient, the Taylor
    polynomial, ...; what ``--answer`` would be checked against), ``value`` its value at the
    point when one was given, ``steps`` the step tree where the command has one, ``raw`` the
    full result object, ``to_json()`` the documented JSON shape. ``check(answer)`` checks a
    learner's answer against it.
    """

    def __init__(self, command: str, raw, time_limit: float | None = None):
        self.command = command
        self.raw = raw
        self._time_limit = time_limit

    @property
    def result(self):
        own = getattr(self.raw, "result", None)
        if _is_sympy(own):
            return own
        spec = getattr(self.raw, "answer_spec", None)
        return _as_sympy(spec().expected) if spec is not None else None

    @property
    def value(self):
        return _as_sympy(getattr(self.raw, "value", None))

    @property
    def steps(self):
        steps = getattr(self.raw, "steps", None)
        if isinstance(steps, tuple) and len(steps) == 1:
            return steps[0]
        return steps

    def to_json(self) -> dict:
        return self.raw.to_json()

    def check(self, answer, *, show: bool = False) -> Verdict:
        """The verdict on ``answer`` (text, a SymPy object or a number), as ``--answer`` gives."""
        from calctutor.api.calls import check_result

        return check_result(self.raw, answer, show=show, time_limit=self._time_limit)

    def _document(self) -> list:
        from calctutor.render.views import view

        return view(self.raw)


class Verdict(_Shown):
    """The check of an answer: ``correct`` (True, False, or None when it could not be
    decided), ``mistake`` (the likely mistake's code and explanation, or None), ``evidence``
    (what decided it: a point and both values, a proof), ``feedback`` and ``to_json()``."""

    def __init__(self, raw):
        self.raw = raw

    @property
    def correct(self) -> bool | None:
        return self.raw.correct

    @property
    def mistake(self) -> Mistake | None:
        code = self.raw.diagnosis
        return Mistake(code, self.raw.feedback) if code else None

    @property
    def evidence(self) -> str | None:
        return self.raw.evidence

    @property
    def feedback(self) -> str:
        return self.raw.feedback

    def to_json(self) -> dict:
        return self.raw.to_json()

    def __bool__(self) -> bool:
        return self.raw.correct is True

    def _document(self) -> list:
        from calctutor.render.verdicts import answer_view

        return answer_view(self.raw, _NEXT_STEPS)


# What to do after a verdict, in Python's words (the command line says "add --show")
_NEXT_STEPS = {
    "wrong": "Try again; the solution (the object you called .check on) shows the worked "
             "solution.",
    "unfinished": "Finish it and check again.",
    "undecided": "Try writing it in a simpler form, or compare it with the worked solution.",
}


@dataclass(frozen=True)
class Mistake:
    """A named mistake: its code (as in the JSON ``diagnosis``) and what a tutor would say."""

    code: str
    explanation: str

    def __str__(self) -> str:
        return f"{self.code}: {self.explanation}"


@dataclass
class ExerciseItem(_Shown):
    """A drawn exercise: shows its prompt; ``check(answer)`` judges an answer, ``hint()``
    reveals the next hint, ``solution()`` the worked solution."""

    exercise: object
    _hints_given: int = field(default=0, repr=False)
    _hints: list | None = field(default=None, repr=False)

    @property
    def prompt(self) -> str:
        return self.exercise.prompt

    @property
    def skill(self) -> str:
        return self.exercise.skill

    def check(self, answer) -> Verdict:
        """The verdict on ``answer``, judged against the engine's own solution."""
        from calctutor.api.calls import limited, text_of

        return Verdict(limited(self.exercise.check, text_of(answer)))

    def hint(self) -> Hint:
        """The next hint (the first names the method; the last gives the solution)."""
        if self._hints is None:
            from calctutor.api.calls import exercise_hints

            self._hints = exercise_hints(self.exercise)
        if not self._hints:
            return Hint((), 0, 0)
        k = min(self._hints_given, len(self._hints) - 1)
        self._hints_given = k + 1
        return Hint(tuple(self._hints[k]), k + 1, len(self._hints))

    def solution(self) -> Solution:
        return Solution(self.exercise.kind, self.exercise.solve())

    def to_json(self) -> dict:
        return self.exercise.to_json()

    def _document(self) -> list:
        from calctutor.drills.pictures import picture_blocks
        from calctutor.drills.views import prompt_segments
        from calctutor.render.doc import Heading, Paragraph

        return [Heading(self.exercise.skill, 2), Paragraph(prompt_segments(self.exercise)),
                *picture_blocks(self.exercise)]  # a question about a picture shows it

    __hash__ = None  # mutable (the hints given so far)


@dataclass(frozen=True)
class Hint(_Shown):
    """One hint of an exercise's ladder: ``number`` of ``total``."""

    blocks: tuple
    number: int
    total: int

    def _document(self) -> list:
        from calctutor.render.doc import Paragraph

        if not self.blocks:
            return [Paragraph(("There is no hint for this exercise; try solution().",))]
        return [Paragraph((f"Hint {self.number} of {self.total}",)), *self.blocks]


def _is_sympy(value) -> bool:
    import sympy

    return isinstance(value, (sympy.Basic, sympy.MatrixBase))


def _as_sympy(value):
    """The expected answer as a SymPy object: lists of lists become a Matrix."""
    import sympy

    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) for v in value):
            try:
                return sympy.Matrix(value)
            except (TypeError, ValueError):
                return value
        return sympy.Matrix(value) if value and all(_is_sympy(v) for v in value) else value
    return value
