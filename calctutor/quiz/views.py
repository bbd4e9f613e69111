"""Views of the quiz results (registered with ``calctutor.render.views.register``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from calctutor.quiz.report import ProgressReport
from calctutor.quiz.schedule import MASTERY, skill_key
from calctutor.render.doc import Document, Heading, Note, Paragraph, Table
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


@register(ProgressReport)
def progress_view(report: ProgressReport) -> Document:
    """A table per module (attempted skills, then the course's skills not started yet)
    with a bar for mastery and when each is due; then what is due now."""
    doc: Document = [Heading("Your progress")]
    states = {s.skill: s for s in report.states}
    modules = sorted({s.module for s in report.states} | {s.module for s in report.skills})
    if report.module is not None:
        modules = [m for m in modules if m == report.module]
    if not report.states:
        doc.append(Paragraph(("No answers recorded yet. Start with: calctutor quiz module1",)))
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
        named = dict(report.module_titles).get(m) or MODULE_TITLES.get(m)
        title = f"Module {m}" + (f": {named}" if named else "")
        doc.append(Table(("Skill", "Attempts", "Correct", "Mastery", "Review"), tuple(rows),
                         title))
    due = [s for s in report.due() if report.module is None or s.module == report.module]
    if due:
        listed = ", ".join(s.skill for s in due[:8]) + (" ..." if len(due) > 8 else "")
        doc.append(Paragraph((f"Due for review now ({len(due)}): {listed}. "
                              "Practise them with: calctutor quiz --review",)))
    elif report.states:
        nxt = min(report.states, key=lambda s: s.due)
        doc.append(Paragraph((f"Nothing is due for review; next: {nxt.skill} "
                              f"{when_due(nxt.due, report.now)}.",)))
    n = report.total_attempts
    doc.append(Paragraph((f"{n} attempt{'' if n == 1 else 's'} in total.",)))
    doc += [Note((n,)) for n in report.notes]
    return doc
