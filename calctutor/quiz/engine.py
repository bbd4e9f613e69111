"""The maths of each quiz item, done in the sandbox and handed back as rendered text.

The process that runs the quiz owns the terminal and the progress database; everything that
touches SymPy (solving the exercise, building hints, judging an answer, rendering
expressions) runs in a forked worker under the time and memory limits
(``calctutor.sandbox.run_limited``), and comes back as plain strings. A runaway computation
costs one item, never the session, and the database connection is never inside a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calctutor.errors import CalcTutorError, InternalError, LimitError, ParseError

# Step-tree nodes too small to be worth a hint of their own.
_TRIVIAL_RULES = ("identity", "constant")

_SHAPE_HELP = {
    "expr": "an expression, e.g. 3x^2 cos(x)",
    "number": "a number (exact like 3/4 or sqrt(2), or a decimal)",
    "vector": "a comma-separated list, e.g. 2x y, x^2",
    "numbers": "a comma-separated list of numbers, e.g. 1.5, -2",
    "matrix": "a matrix, row by row: [[a, b], [c, d]]",
}


@dataclass(frozen=True)
class Prepared:
    """One exercise, solved, with everything the loop may show, already rendered."""

    result: object = field(repr=False)
    problem: str
    hints: tuple[str, ...]
    solution: str
    answer: str


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

    def __init__(self, fmt: str = "plain", width: int = 80, color: bool = False,
                 timeout: float | None = None, memory_mb: int | None = None):
        from calctutor.config import memory_limit_mb, time_limit_s

        self.fmt, self.width, self.color = fmt, width, color
        self.timeout = time_limit_s() if timeout is None else timeout
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb

    def _run(self, fn, *args):
        from calctutor.sandbox import run_limited

        return run_limited(fn, *args, timeout=self.timeout, memory_mb=self.memory_mb)

    def render(self, blocks) -> str:
        """A document as text (in the sandbox: pretty-printing is SymPy work too)."""
        return self._run(_render, blocks, self.fmt, self.width, self.color)

    def generate(self, **kwargs):
        """``calctutor.exercises.generate(**kwargs)`` under the limits."""
        return self._run(_generate, kwargs)

    def prepare(self, exercise, number: int, total: int, title: str = "") -> Prepared:
        """Solve ``exercise`` and render its problem, hints, solution and answer.
        Raises CalcTutorError (LimitError, ...) when it cannot be solved within the limits."""
        return self._run(_prepare, exercise, number, total, title,
                         (self.fmt, self.width, self.color))

    def judge(self, exercise, prepared: Prepared, text: str) -> Judged:
        """The verdict on ``text``; never raises for anything the learner typed."""
        try:
            return self._run(_judge, exercise, prepared.result, text,
                             (self.fmt, self.width, self.color))
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

    return render_blocks(blocks, fmt, width=width, color=color)


def _generate(kwargs):
    from calctutor.exercises import generate

    return generate(**kwargs)


def _prepare(exercise, number, total, title, out) -> Prepared:
    from calctutor.render.views import view

    result = exercise.solve()
    doc = view(result)
    spec = result.answer_spec() if hasattr(result, "answer_spec") else None
    return Prepared(
        result=result if _pickles(result) else None,  # else each check solves again
        problem=_render(problem_doc(exercise, result, spec, number, total, title), *out),
        hints=tuple(_render(h, *out) for h in hint_docs(result, doc)),
        solution=_render(doc, *out),
        answer=_render(answer_doc(result, doc, spec, exercise), *out),
    )


def _judge(exercise, result, text, out) -> Judged:
    verdict = check(exercise, result, text)
    return Judged(verdict.correct, _render(verdict_doc(verdict), *out), verdict.diagnosis)


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


# ---------------------------------------------------------------------------------------
# Documents


def problem_doc(exercise, result, spec, number: int, total: int, title: str = ""):
    """The problem: which question, the skill, the prompt, the expression pretty-printed,
    and what kind of answer to type."""
    from calctutor.render.doc import Heading, Math, Paragraph, derivative
    from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult

    doc = [Heading(f"Question {number} of {total}"),
           Paragraph((f"Module {exercise.module} · {title or exercise.skill}",)),
           Paragraph((exercise.prompt,))]  # as the bank wrote it (the learner's notation)
    expr = getattr(result, "expr", None)
    if isinstance(result, DiffResult):
        doc.append(Math(("Find",), derivative(result.expr, *result.variables)))
    elif isinstance(result, FirstPrinciplesResult):
        doc.append(Math(("Find",), derivative(result.expr, result.var)))
    elif _is_expr(expr):
        doc.append(Math(("Here",), expr))
    if exercise.answer_key in _KEY_HELP or spec is not None:
        # what to type, in the prompt's symbols and at the answer's size
        from calctutor.exercises.answers import answer_format

        doc.append(Paragraph((f"{answer_format(exercise, spec)} Or: hint, solution, skip, quit.",)))
    return doc


# What to type where the bank checks one part of the result (Exercise.answer_key).
_KEY_HELP = {
    "stationary_points": "Type each stationary point with its kind, e.g. "
                         "(1, 0) minimum, (-1, 0) saddle.",
    "determinant": "Type the determinant as one expression, e.g. 3 r (not the matrix).",
    "evaluations": "Type the value as an exact number, e.g. 13/8.",
    "activations": "Type the output: one number, or the outputs of the layer's neurons "
                   "separated by commas, e.g. 3, 0.",
}


def _is_expr(value) -> bool:
    import sympy

    return isinstance(value, sympy.Basic)


def answer_doc(result, doc, spec, exercise=None):
    """The answer alone (shown after a skip): a derivative's result (and value) as its
    view shows them, an exercise's own answer where the bank checks a part of the result
    (``answer_key``: e.g. the classified stationary points, not the Hessian), else the
    answer the check expects."""
    from calctutor.render.doc import Math, Paragraph
    from calctutor.topics.diff.result import DiffResult

    if getattr(exercise, "answer_key", None):
        from calctutor.exercises.views import answer_value

        expr, words = answer_value(exercise.answer)
        if expr is not None:
            return [Math(("Answer",), expr, emphasis=True)]
        return [Paragraph((f"Answer: {words}",))]

    if isinstance(result, DiffResult) or spec is None:
        return [Math(("Answer",), b.expr, emphasis=True) for b in doc
                if isinstance(b, Math) and b.emphasis]
    return [Math(("Answer",), _with_decimal(as_basic(spec.expected)), emphasis=True)]


def _with_decimal(value):
    """An exact irrational number with its decimal value (what a learner would type)."""
    import sympy

    from calctutor.render.doc import equation

    if isinstance(value, sympy.Expr) and value.is_number and not value.is_Rational \
            and not value.atoms(sympy.Float):
        try:
            approx = sympy.N(value, 8)
        except (TypeError, ValueError):
            return value
        if approx.is_real:
            return equation(value, sympy.Float(approx, 8))
    return value


def as_basic(value):
    """An answer (expression, list, list of rows) as one SymPy object to display."""
    import sympy

    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and not isinstance(value[0], (list, tuple)):
            return as_basic(value[0])
        if value and isinstance(value[0], (list, tuple)):
            return sympy.Matrix(value)
        return sympy.Matrix([list(value)])
    return sympy.sympify(value)


def verdict_doc(verdict):
    """The verdict in the same words and mistake names as ``--answer`` (one renderer)."""
    from calctutor.render.verdicts import verdict_blocks

    return verdict_blocks(verdict)


def hint_docs(result, doc) -> list[list]:
    """Successive hints: for a derivative, the nodes of its step tree top-down (the answer
    itself, the root's result, held back); for anything else, the blocks of its worked
    solution one at a time, stopping before the answer."""
    from calctutor.topics.diff.result import DiffResult

    if isinstance(result, DiffResult) and result.steps:
        return _step_hints(result)
    spec = result.answer_spec() if hasattr(result, "answer_spec") else None
    return _block_hints(doc, as_basic(spec.expected) if spec is not None else None)


def _step_hints(result) -> list[list]:
    from calctutor.render.doc import Math, Paragraph, derivative, equation
    from calctutor.steps.model import RULE_TITLES

    hints = []
    trees = result.steps
    for t, tree in enumerate(trees):
        nodes = [s for s in tree.walk() if s.rule not in _TRIVIAL_RULES] or [tree]
        for node in nodes:
            d = derivative(node.expr, node.var)
            is_answer = t == len(trees) - 1 and node is tree
            name = RULE_TITLES.get(node.rule, node.rule)
            said = node.text.lower().startswith(name.lower())  # "Power rule: bring ..."
            block = [Paragraph(node.why if said else (f"{name}: ", *node.why))]
            if node.formula:
                block.append(Paragraph(("Rule: ", node.formula)))
            block.append(Math(("Work out",), d) if is_answer else
                         Math(("So",), equation(d, node.result)))
            hints.append(block)
    return hints


def _block_hints(doc, answer=None) -> list[list]:
    from calctutor.render.doc import Fields, Heading, Math, Note, Numbered, Paragraph

    start = 0
    # the heading and the input as typed (and restated) tell the learner nothing new
    while start < len(doc) and (isinstance(doc[start], (Fields, Note)) or (
            isinstance(doc[start], Heading) and doc[start].level == 1)):
        start += 1
    while start < len(doc) and isinstance(doc[start], Math) and not doc[start].emphasis:
        start += 1
    def reveals(block) -> bool:
        return ((isinstance(block, Math) and block.emphasis) or _says_result(block)
                or (answer is not None and answer in _expressions(block)))

    # stop before the answer: the first emphasized result, or a block that shows it
    hints, pending = [], []
    for block in doc[start:]:
        if isinstance(block, Numbered):
            # a worked calculation: one more line each time, up to the line with the answer
            for k, item in enumerate(block.items):
                if reveals(Numbered((item,))):
                    return hints
                line: list = [Paragraph((f"Step {k + 1}: {item.title}",))]
                if item.expr is not None:
                    line = [Math((f"Step {k + 1}: {item.title}",), item.expr)]
                if item.why:
                    line.append(Paragraph(item.why))
                hints.append(pending + line)
                pending = []
            continue
        if reveals(block):
            break
        pending.append(block)
        if not _leads_in(block):  # a heading, or "... below it:", goes with what follows
            hints.append(pending)
            pending = []
    return hints


def _leads_in(block) -> bool:
    from calctutor.render.doc import Heading, Paragraph

    if isinstance(block, Heading):
        return True
    return (isinstance(block, Paragraph) and bool(block.segments)
            and isinstance(block.segments[-1], str) and block.segments[-1].rstrip().endswith(":"))


def _says_result(block) -> bool:
    """A block labelled as the result ("Result: T3(x) = ...")."""
    from calctutor.render.doc import Fields, Math, Paragraph

    if isinstance(block, Fields):
        labels = [label for label, _ in block.rows]
    elif isinstance(block, (Paragraph, Math)):
        segs = block.segments if isinstance(block, Paragraph) else block.label
        labels = [segs[0]] if segs and isinstance(segs[0], str) else []
    else:
        return False
    return any(label.strip().lower().startswith(("result", "answer")) for label in labels)


def _expressions(block) -> list:
    """The SymPy objects a block shows (an equation counts as each of its sides too)."""
    import sympy

    from calctutor.render.doc import Fields, Math, Numbered, Paragraph, Table, cell_segments

    found: list = []
    if isinstance(block, Math):
        found.append(block.expr)
    elif isinstance(block, Paragraph):
        found += block.segments
    elif isinstance(block, Fields):
        found += [seg for _, segs in block.rows for seg in segs]
    elif isinstance(block, Numbered):
        found += [item.expr for item in block.items]
    elif isinstance(block, Table):
        found += [seg for row in block.rows for cell in row for seg in cell_segments(cell)]
    out = []
    for e in found:
        if isinstance(e, sympy.Basic):
            out.append(e)
            if isinstance(e, sympy.Equality):
                out += [e.lhs, e.rhs]
    return out
