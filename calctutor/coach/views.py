"""Everything the quiz shows, as documents and text: the progress report (registered with
``calctutor.render.views.register``); each item's problem, hint ladder, answer and verdict
(built in the sandbox worker by ``engine``); the session's own messages, styled by kind;
and the summary, with how it is scored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from calctutor.coach.report import PLOT_DAYS, ProgressReport
from calctutor.coach.schedule import MASTERY, skill_key
from calctutor.render.doc import Document, Heading, Note, Paragraph, Plot, Table
from calctutor.render.views import register

MODULE_TITLES = {
    1: "Functions and derivatives",
    2: "Multivariate calculus",
    3: "The multivariate chain rule and neural networks",
    4: "Taylor series and linearisation",
    5: "Optimisation: Newton, gradient descent, Lagrange",
    6: "Regression: chi-squared and least squares",
}


def mastery_bar(label: str | None) -> str:
    """``[###-] proficient``: one cell per level (ASCII, so every format can print it)."""
    if label is None:
        return "[----] not started"
    level = MASTERY.index(label) + 1
    return f"[{'#' * level}{'-' * (len(MASTERY) - level)}] {label}"


def when_due(due: datetime | None, now: datetime) -> str:
    """``due now`` / ``overdue 3 days`` / ``in 2 days`` / ``in 10 min``."""
    if due is None:
        return "-"
    delta = due - now
    if delta <= timedelta(0):
        late = -delta
        return "due now" if late < timedelta(days=1) else f"due now ({_span(late)} overdue)"
    return f"in {_span(delta)}"


def _span(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "min")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}" + ("s" if n != 1 and unit != "min" else "")
    return "1 min"


# -- the quiz session's own messages and summary ---------------------------------------------
# The kinds of message the session says, and their style in the rich format.
MESSAGE_STYLES = {"good": "bold green", "bad": "bold red", "warn": "yellow", "info": "cyan",
                  "title": "bold", "dim": "dim"}


def message_text(text: str, kind: str = "", *, rich: bool = False, color: bool = False,
                 width: int = 80) -> str:
    """One message of the session as printed: styled by its kind in colour, else as is."""
    if not (rich and color and kind in MESSAGE_STYLES):
        return text + "\n"
    import io

    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="standard", width=width,
            highlight=False).print(Text(text, style=MESSAGE_STYLES[kind]))
    return buf.getvalue()


SCORING = ("each question scores 1 right first time, 1/2 right after a hint or at the "
           "second try, 0 when the answer had been shown (the last hint), missed or skipped")


def summary_line(summary) -> str:
    """The summary of a quiz (``session.Summary``) in one line, with the credit of a right
    answer after help (1/2) or after the answer was shown (none)."""
    n = len(summary.asked)
    if not n:
        return f"Summary: no questions answered ({summary.ended}); time {summary.time}."
    c = summary.counts()
    parts = [f"{c['first']} right first time"]
    if c["helped"]:  # the credit of each kind is said where it is not 1 or plain 0
        parts.append(f"{c['helped']} right with help (1/2 each)")
    if c["copied"]:
        parts.append(f"{c['copied']} right after the answer was shown (no credit)")
    missed = c["failed"] + c["skipped"] + c["solution"]
    if missed:
        parts.append(f"{missed} missed")
    review = summary.review()
    text = (f"Summary: score {summary.score:g}/{n} ({', '.join(parts)}); "
            f"time {summary.time}")
    text += f"; review: {', '.join(review)}" if review else "; nothing to review"
    return text + ("." if summary.ended == "done" else f" (quiz ended: {summary.ended}).")


def summary_doc(summary, due: int = 0) -> Document:
    """The summary of an interactive quiz: the score and how it is counted, each kind of
    outcome, the time, what to review, and what is due."""
    from calctutor.render.doc import Fields

    c = summary.counts()
    n = len(summary.asked)
    rows = [("Score", (f"{summary.score:g} / {n}" if n else "no questions answered",)),
            ("Right first time", (str(c["first"]),)),
            ("Right with help", (str(c["helped"]),))]
    if c["copied"]:
        rows.append(("Right after the answer was shown", (str(c["copied"]),)))
    rows += [("Missed", (f"{c['failed']} wrong, {c['skipped']} skipped, "
                         f"{c['solution']} shown",)),
             ("Time", (summary.time,))]
    review = summary.review()
    if review or n:
        rows.append(("Review", (", ".join(review) if review else "nothing: well done",)))
    doc: Document = [Heading("Summary"), Fields(tuple(rows))]
    if n:
        doc.append(Paragraph((f"Scoring: {SCORING}.",)))
    if summary.ended != "done":
        doc.append(Paragraph((f"The quiz ended early ({summary.ended}); every answer given "
                              "is saved.",)))
    if due:
        doc.append(Paragraph((f"{due} skill{' is' if due == 1 else 's are'} due for review "
                              "now: calctutor quiz --review",)))
    doc.append(Paragraph(("See your progress with: calctutor progress",)))
    return doc


@dataclass(frozen=True)
class Bars(Plot):
    """A bar chart (``render.plot.plot_bars``): drawn wherever a plot is, by every format."""

    labels: tuple[str, ...] = ()
    values: tuple[float, ...] = ()
    yticks: tuple[tuple[float, str], ...] = ()
    ymax: float | None = None

    def text(self, width: int, color: bool = False, ascii: bool = False) -> str:
        from calctutor.render.plot import plot_bars

        return plot_bars(self.labels, self.values, title=self.title, xlabel=self.xlabel,
                         ylabel=self.ylabel, yticks=self.yticks, ymax=self.ymax,
                         width=width, height=self.height, color=color, ascii=ascii)


MASTERY_TICKS = ((0.0, "-"),) + tuple((k + 1.0, label) for k, label in enumerate(MASTERY))


def _module_title(report: ProgressReport, m: int) -> str:
    named = dict(report.module_titles).get(m) or MODULE_TITLES.get(m)
    return f"Module {m}" + (f": {named}" if named else "")


def _number(name: str) -> str:
    return name.split()[0] if name.split() else name


def module_line(report: ProgressReport, m: int) -> str:
    """What is mastered, what is due now, the next review, and what comes next, in one
    paragraph (for a module with progress, or the one the tutor would go to next)."""
    info = report.module_summary(m)
    mastered = info["mastered"]
    text = f"Mastered: {len(mastered)} of {info['skills']}"
    text += f" ({', '.join(_number(n) for n in mastered)})." if mastered else "."
    if info["due_now"]:
        text += f" Due now: {', '.join(_number(n) for n in info['due_now'])}."
    if info["next_review"]:
        skill = info["next_review"]["skill"]
        due = next(s.due for s in report.states if s.skill == skill)
        text += f" Next review: {_number(skill)} {when_due(due, report.now)}."
    if info["next"]:
        text += f" Next: {info['next']['skill']} ({info['next']['reason']})."
    return text


def next_line(report: ProgressReport) -> str | None:
    if report.next is None:
        return None
    return (f"Next for you: {report.next.skill} ({report.next.reason}). "
            "Practise it with: calctutor quiz")


@register(ProgressReport)
def progress_view(report: ProgressReport) -> Document:
    """A table per module (attempted skills, then the course's skills not started yet)
    with a bar for mastery and when each is due, and a line of what is mastered, due and
    next; then what is due now and what comes next. With ``plot``: bar charts."""
    if report.plot:
        return progress_plot_view(report)
    doc: Document = [Heading("Your progress")]
    states = {s.skill: s for s in report.states}
    modules = sorted({s.module for s in report.states} | {s.module for s in report.skills})
    if report.module is not None:
        modules = [m for m in modules if m == report.module]
    if not report.states:
        doc.append(Paragraph(("No answers recorded yet. Start with: calctutor quiz (it "
                              "chooses for you)",)))
    for m in modules:
        names = [s.skill for s in report.states if s.module == m]
        names += [s.name for s in report.skills if s.module == m and s.name not in states]
        names.sort(key=skill_key)
        rows = []
        for name in names:
            s = states.get(name)
            if s is None:
                rows.append((name, "0", "-", mastery_bar(None), "-"))
                continue
            rows.append((name, str(s.attempts),
                         f"{s.correct} ({round(100 * s.correct / s.attempts)}%)",
                         mastery_bar(s.mastery), when_due(s.due, report.now)))
        doc.append(Table(("Skill", "Attempts", "Correct", "Mastery", "Review"), tuple(rows),
                         _module_title(report, m)))
        if any(s.module == m for s in report.states) or (
                report.next is not None and report.next.module == m):
            doc.append(Paragraph((module_line(report, m),)))
    due = [s for s in report.due() if report.module is None or s.module == report.module]
    if due:
        listed = ", ".join(s.skill for s in due[:8]) + (" ..." if len(due) > 8 else "")
        doc.append(Paragraph((f"Due for review now ({len(due)}): {listed}. "
                              "Practise them with: calctutor quiz --review",)))
    elif report.states:
        nxt = min(report.states, key=lambda s: s.due)
        doc.append(Paragraph((f"Nothing is due for review; next: {nxt.skill} "
                              f"{when_due(nxt.due, report.now)}.",)))
    nxt = next_line(report)
    if nxt and report.states:
        doc.append(Paragraph((nxt,)))
    n = report.total_attempts
    doc.append(Paragraph((f"{n} attempt{'' if n == 1 else 's'} in total.",)))
    doc += [Note((n,)) for n in report.notes]
    return doc


def progress_plot_view(report: ProgressReport) -> Document:
    """Mastery as a bar per skill (0 not started ... 4 mastered), one chart per module
    with progress (and the module the tutor goes to next), then the reviews due per day."""
    doc: Document = [Heading("Your progress, drawn")]
    if not report.states:
        where = f" in module {report.module}" if report.module is not None else ""
        doc.append(Paragraph((f"No progress{where} yet: nothing to plot. Take a quiz first: "
                              "calctutor quiz" + (f" module{report.module}" if where else ""),)))
        return doc
    shown, quiet = [], []
    for m in report.module_numbers():
        started = any(s.module == m for s in report.states)
        goes_next = report.next is not None and report.next.module == m
        (shown if started or goes_next or report.module == m else quiet).append(m)
    for m in shown:
        levels = report.mastery_levels(m)
        doc.append(Bars((), title=f"Mastery per skill, {_module_title(report, m)}",
                        xlabel="", ylabel="",
                        labels=tuple(_number(n) for n, _ in levels),
                        values=tuple(float(v) for _, v in levels),
                        yticks=MASTERY_TICKS, ymax=float(len(MASTERY)), height=13))
        doc.append(Paragraph((module_line(report, m),)))
    if quiet:
        doc.append(Paragraph((f"Not started: module{'s' * (len(quiet) != 1)} "
                              f"{', '.join(str(m) for m in quiet)}.",)))
    days = report.reviews_per_day()
    top = max(n for _, n in days)
    first, last = days[0][0], days[-1][0]
    doc.append(Bars((), title=f"Reviews due per day, the next {PLOT_DAYS} days",
                    xlabel=f"day of the month, {first.day} {first:%b} (today) to "
                           f"{last.day} {last:%b}", ylabel="",
                    labels=tuple(str(d.day) for d, _ in days),
                    values=tuple(float(n) for _, n in days),
                    yticks=tuple((float(k), str(k)) for k in _ticks(top)),
                    ymax=float(max(top, 1)), height=12))
    due = len(report.due())
    doc.append(Paragraph((f"Due now: {due}. " if due else "Nothing is due now. ",
                          *((next_line(report),) if report.next else ()))))
    return doc


def _ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to ``top``, at most about five of them."""
    step = max(1, -(-top // 5))
    return list(range(0, max(top, 1) + 1, step))


# ---------------------------------------------------------------------------------------
# The documents of one quiz item (built in the sandbox worker: they hold SymPy objects)

# Step-tree nodes too small to be worth a hint of their own.
_TRIVIAL_RULES = ("identity", "constant")


def problem_doc(exercise, result, spec, number: int, total: int, title: str = ""):
    """The problem: which question, the skill, the prompt, the expression pretty-printed,
    and what kind of answer to type."""
    from calctutor.render.doc import Heading, Math, Paragraph, derivative
    from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult

    doc = [Heading(f"Question {number} of {total}"),
           Paragraph((f"Module {exercise.module}: {title or exercise.skill}",)),
           Paragraph((exercise.prompt,))]  # as the bank wrote it (the learner's notation)
    expr = getattr(result, "expr", None)
    from calctutor.drills.pictures import is_picture, picture_blocks

    if is_picture(exercise):  # the question is about the picture (no formula to differentiate)
        doc += picture_blocks(exercise, result)
    elif isinstance(result, DiffResult):
        doc.append(Math(("Find",), derivative(result.expr, *result.variables)))
    elif isinstance(result, FirstPrinciplesResult):
        doc.append(Math(("Find",), derivative(result.expr, result.var)))
    elif _is_expr(expr):
        doc.append(Math(("Here",), expr))
    if exercise.answer_key or spec is not None:
        # what to type, in the prompt's symbols and at the answer's size
        from calctutor.drills.answers import answer_format

        doc.append(Paragraph((f"{answer_format(exercise, spec)} Or: hint, solution, skip, quit.",)))
    return doc


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
        from calctutor.drills.views import answer_value

        expr, words = answer_value(exercise.answer)
        if expr is not None and getattr(exercise, "tolerance", None) is not None:
            return [Math(("Answer",), _with_decimal(expr), emphasis=True)]  # an estimate's key
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


def verdict_doc(verdict, reveal: bool = True):
    """The verdict in the same words and mistake names as ``--answer`` (one renderer);
    without ``reveal``, the feedback that does not give the answer away."""
    from calctutor.render.verdicts import verdict_blocks

    return verdict_blocks(verdict, reveal=reveal)


# The first hint: the method, and what to compute first (by the exercise's answer_key, else
# by its command). The steps that follow are the worked solution's, one at a time.
_METHODS = {
    "stationary_points": "Method: solve grad f = 0 for the stationary points, then classify "
                         "each with the Hessian H there: det H < 0 saddle; det H > 0 minimum "
                         "if f_xx > 0, maximum if f_xx < 0. Start with the partial derivatives.",
    "determinant": "Method: the Jacobian's entry (i, j) is ∂f_i/∂x_j; its determinant is "
                   "the local scale factor (ad − bc for a 2×2). Start with the four partial "
                   "derivatives.",
    "evaluations": "Method: T_n(x) = f(a) + f'(a)(x − a) + f''(a)/2! (x − a)^2 + ... up to "
                   "(x − a)^n, then put the point in. Start with f and its derivatives at "
                   "the centre a.",
    "activations": "Method: the forward pass, layer by layer from the input: z = W a + b, "
                   "then a = σ(z). Start with z of the first layer.",
    "gradient": "Method: the gradient lists the partial derivatives in the order of the "
                "variables; each is taken with the other variables held constant. Start "
                "with the first variable.",
    "jacobian": "Method: row i of the Jacobian is the gradient of the i-th function: entry "
                "(i, j) = ∂f_i/∂x_j. Start with the first row.",
    "hessian": "Method: the Hessian holds the second partial derivatives, entry (i, j) = "
               "∂²f/∂x_i∂x_j. Start with the gradient, then differentiate each entry again.",
    "chain": "Method: the multivariate chain rule, one product per intermediate variable: "
             "df/dt = ∂f/∂x_1 · dx_1/dt + ∂f/∂x_2 · dx_2/dt + ... Start with the partial derivatives of f.",
    "backprop": "Method: the forward pass first (z = w a + b, then a = σ(z), layer by "
                "layer), then the chain rule backwards: ∂C/∂z = ∂C/∂a · σ'(z), ∂C/∂w = "
                "∂C/∂z · a of the layer before. Start with z of the first layer.",
    "taylor": "Method: T_n(x) = f(a) + f'(a)(x − a) + f''(a)/2! (x − a)^2 + ..., the k-th "
              "term f^(k)(a)/k! (x − a)^k. Start with f and its derivatives at the centre "
              "a, up to the order asked for.",
    "newton": "Method: Newton's iteration x_(n+1) = x_n − f(x_n)/f'(x_n) (for a stationary "
              "point, f'/f''). Start with the derivative(s), then x1 from x0.",
    "descent": "Method: gradient descent, one step at a time: a_next = a − γ ∇f(a). Start "
               "with the gradient at the starting point.",
    "lagrange": "Method: Lagrange multipliers: solve ∇f = λ ∇g together with the "
                "constraint. Start with both gradients.",
    "fit": "Method: least squares: χ² = sum of ((y_i − f(x_i))/σ_i)² measures the misfit; its "
           "minimum has ∂χ²/∂a = 0 for each parameter a. Start with the residuals "
           "y_i − f(x_i).",
    "fit-step": "Method: one step down χ²: a_next = a − γ ∇χ², with ∂χ²/∂a = "
                "−2 · sum of (y_i − f(x_i))/σ_i² · ∂f/∂a. Start with the residuals at the "
                "starting parameters.",
    "gradient-along": "Method: the directional derivative D_u f = ∇f · u along the UNIT "
                      "vector u = v/|v|. Start with the gradient at the point, then the "
                      "length |v|.",
    "gradient-steepest": "Method: f increases fastest along ∇f itself, at the rate |∇f|; "
                         "the unit direction is ∇f/|∇f|. Start with the gradient at the point.",
    "network": "Method: W(k) has one row per neuron of layer k and one column per neuron "
               "of layer k − 1, and b(k) one bias per neuron of layer k; the input layer has "
               "neither. Start with the first layer's W(1) and b(1).",
}


def hint_ladder(exercise, result, doc, answer) -> list[list]:
    """The hints of one item, from least to most help: the method and what to compute
    first; then the worked solution's steps (intermediate results), leaving out any that
    only restate the question; last, the answer itself."""
    from calctutor.render import render_blocks
    from calctutor.render.doc import Heading, Paragraph

    def plain(blocks) -> str:
        return render_blocks(blocks, "plain", width=1000, color=False)

    problem = plain(problem_doc(exercise, result, None, 1, 1))
    steps: list[list] = []
    held: list = []  # a step that restates data ("substitute back: x = ...") leads into the next
    for hint in hint_docs(result, doc, exercise):
        text = plain(hint)
        if _same_numbers(text, problem):
            continue  # the problem's data again, in other brackets
        if _same_statements(text, problem):
            if steps:
                held += hint
            continue
        steps.append(held + hint)
        held = []
    method = _method_hint(exercise, result)
    last = [Paragraph(("The answer (type solution for the worked solution):",)), *answer] \
        if answer else [Heading("The answer", 2), *doc]
    return ([method] if method else []) + steps + [last]


def _method_hint(exercise, result) -> list | None:
    from calctutor.drills.pictures import METHODS as PICTURE_METHODS
    from calctutor.render.doc import Paragraph
    from calctutor.steps.model import RULE_TITLES
    from calctutor.topics.diff.result import DiffResult, FirstPrinciplesResult

    if getattr(exercise, "answer_key", None) in PICTURE_METHODS:
        return [Paragraph((PICTURE_METHODS[exercise.answer_key],))]
    if isinstance(result, FirstPrinciplesResult):
        return [Paragraph(("Method: the limit definition, f'(x) = lim(h → 0) (f(x + h) − "
                           "f(x))/h. Start with the difference quotient, simplify it until "
                           "the h in the denominator cancels, then let h → 0.",))]
    if isinstance(result, DiffResult) and result.steps:
        root = result.steps[0]
        inner = [s for s in root.substeps if s.rule not in _TRIVIAL_RULES]
        title = RULE_TITLES.get(root.rule, root.rule.replace("_", " "))
        text: list = [f"Method: {title[:1].lower() + title[1:]}"]
        text.append(f" ({root.formula})." if root.formula else ".")
        if inner:
            text += [" Start with the derivative of ", inner[0].expr, "."]
        elif len(result.steps) > 1:
            text.append(" Differentiate once, then differentiate the result again.")
        return [Paragraph(tuple(text))]
    own = getattr(result, "method_hint", None)  # a result that knows its own method
    if own:
        return [Paragraph((own,))]
    key = exercise.answer_key or exercise.kind
    if key == "fit" and getattr(result, "rate", None) is not None:
        key = "fit-step"
    if key == "gradient" and getattr(result, "asked", None):  # --along / --steepest
        key = f"gradient-{result.asked}"
    if key in _METHODS:
        return [Paragraph((_METHODS[key],))]
    return None


# Words that label data rather than say anything ("Layer 1: W(1) = ...", "Input a(0) = ...").
_LABELS = {"layer", "layers", "input", "activation", "and", "the", "below", "it", "then"}


def _same_numbers(hint: str, problem: str) -> bool:
    """Whether a hint (plain text) is the problem's data in other brackets: its numbers a
    run of the problem's, in order, and its words the problem's or labels."""
    def numbers(text: str) -> list[str]:
        return re.findall(r"-?\d+(?:\.\d+)?", re.sub(r"(?i)\blayer \d+", "", text))

    words = {w.lower() for w in re.findall(r"[A-Za-z]+", hint)}
    if not words <= {w.lower() for w in re.findall(r"[A-Za-z]+", problem)} | _LABELS:
        return False
    mine, given = numbers(hint), numbers(problem)
    return bool(mine) and any(given[i:i + len(mine)] == mine
                              for i in range(len(given) - len(mine) + 1))


def _same_statements(hint: str, problem: str) -> bool:
    """Whether every statement of a hint (a piece with "=", less a label such as
    "Layer 1:") is in the problem, the rest a few connecting words ("and the layers below
    it"): data again, though perhaps with an instruction ("Substitute back: x = ...")."""
    def norm(text: str) -> str:
        return re.sub(r"[\s*]", "", text.lower())

    given = norm(problem)
    statements = 0
    for piece in re.split(r"[,;\n]", hint):
        if "=" in piece:
            statement = norm(re.sub(r"^\s*[A-Za-z ]*\d*:", "", piece))
            if statement not in given:
                return False
            statements += 1
        elif len(piece.split()) > 6:
            return False
    return statements > 0


def hint_docs(result, doc, exercise=None) -> list[list]:
    """Successive hints: for a derivative, the nodes of its step tree top-down (the answer
    itself, the root's result, held back); for anything else, the blocks of its worked
    solution one at a time, stopping before the answer (the exercise's own, where the bank
    asks for one part of the result, e.g. a network's output)."""
    from calctutor.drills.pictures import is_picture, reading_hints
    from calctutor.topics.diff.result import DiffResult

    if is_picture(exercise):  # read off the picture, as the question asks
        return reading_hints(exercise, result)
    if isinstance(result, DiffResult) and result.steps:
        return _step_hints(result)
    if getattr(exercise, "answer_key", None):
        from calctutor.drills.views import answer_value

        return _block_hints(doc, answer_value(exercise.answer)[0])
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
                or (answer is not None and _shows(answer, _expressions(block))))

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


def _shows(answer, exprs: list) -> bool:
    """Whether ``exprs`` (a block's) hold the answer: itself, or every entry of it."""
    import sympy

    if answer in exprs:
        return True
    if isinstance(answer, sympy.MatrixBase) and len(answer) > 1:
        return all(entry in exprs for entry in answer)
    return False


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
