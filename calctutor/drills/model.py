"""An exercise: a drawn variant of a bank template, with its answer computed by calctutor.

``Exercise.solve()`` runs the command named by ``kind`` on ``input`` (``run_kind``), so the
answer always comes from calctutor's own engine, never from the bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A prompt as pieces: ("text", "Differentiate f(x) = ") and ("math", "3x^2 sin(3x)"); the
# worksheet views print the math pieces as formulas, JSON joins them into one string.
Part = tuple[str, str]


@dataclass(frozen=True)
class Exercise:
    """One exercise. ``answer`` is in the contract's JSON shape (what the learner gives);
    ``template`` is the bank template's key ("module1/chain-sin") and ``seed`` redraws it."""

    id: str
    module: int
    skill: str
    kind: str
    prompt: str
    input: dict
    answer: object
    template: str
    seed: int
    parts: tuple[Part, ...] = ()
    hints: dict = field(default_factory=dict)  # form / domain / misconception / hint
    answer_key: str | None = None  # the answer is this key of the command's JSON
    yes_if: str | None = None  # answer_key "yes_no": the answer is yes when it is this function
    decimals: int | None = None  # the prompt asks for the answer to this many decimal places
    tolerance: float | None = None  # a slope read off a graph: right within this distance
    asked_order: int | None = None  # which order's curve a Taylor picture asks for
    _result: object = field(default=None, compare=False, repr=False)

    def solve(self):
        """The command's result object (``run_kind(kind, input)``), computed once."""
        if self._result is None:
            from calctutor.topics import run_kind

            object.__setattr__(self, "_result", run_kind(self.kind, self.input))
        return self._result

    def check(self, text: str, *, show: bool = False, result=None):
        """The verdict (``AnswerResult``) on the learner's ``text``: the command's own
        ``--answer`` check, or the bank's check for an answer taken from the command's JSON
        (the classification of stationary points). ``result``: the solved result, if the
        caller already has it (saves solving again, e.g. after pickling)."""
        from calctutor.drills.answers import CHECKS

        if result is not None and self._result is None:
            object.__setattr__(self, "_result", result)
        from calctutor.checking.answer import check_answer
        from calctutor.drills.answers import to_decimals

        if self.answer_key in CHECKS:
            verdict = CHECKS[self.answer_key](self, text)
        else:
            verdict = check_answer(self.solve(), text, show=show)
        return to_decimals(verdict, text, self.decimals) if self.decimals is not None else verdict

    def to_json(self) -> dict:
        """The contract's JSON form (plus the template key, the seed and any hints)."""
        out = {
            "id": self.id,
            "module": self.module,
            "skill": self.skill,
            "kind": self.kind,
            "prompt": self.prompt,
            "input": self.input,
            "answer": self.answer,
            "template": self.template,
            "seed": self.seed,
        }
        if self.answer_key in ("graph_slope", "curve_letter"):
            from calctutor.drills.pictures import picture

            # the picture is part of the question: its samples, so an app can redraw it
            out["picture"] = picture(self).to_json()
            if self.tolerance is not None:
                out["tolerance"] = self.tolerance
        if isinstance(self.input.get("data"), dict):
            # `calctutor fit` reads DATA from a CSV file: this is that file's text
            out["csv"] = data_csv(self.input["data"])
        if self.hints:
            out["hints"] = dict(self.hints)
        return out

    def __getstate__(self):
        # the cached result may hold objects that do not pickle well: recompute instead
        state = dict(self.__dict__)
        state["_result"] = None
        return state

    def __setstate__(self, state):
        for key, value in state.items():
            object.__setattr__(self, key, value)


def data_csv(columns: dict) -> str:
    """Inline data columns (``{"x": [...], "y": [...], "sigma": [...]}``) as the CSV text
    ``calctutor fit`` reads: a header row of the column names, then one row per point."""
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    return "\n".join([",".join(names), *(",".join(str(v) for v in row) for row in rows)]) + "\n"


@dataclass(frozen=True)
class Worksheet:
    """Exercises to print, with the answer key or not; ``to_json()`` is the contract's list."""

    exercises: tuple[Exercise, ...]
    module: int | None
    seed: int
    answers: bool = False
    skill: str | None = None
    module_title: str = ""
    requested: int | None = None  # the count asked for (more than came back: say so)

    def to_json(self) -> list:
        return [e.to_json() for e in self.exercises]
