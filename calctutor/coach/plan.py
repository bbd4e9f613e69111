"""What a quiz asks: a module's exercises, one skill's, or the skills due for review."""

from __future__ import annotations

from dataclasses import dataclass

REPEATS = 3   # a review asks one due skill at most this many times
NEIGHBOURS = 3  # related skills drawn per due skill when few are due


def match_skill(name: str, module: int | None = None) -> list[str]:
    """The skill names ``name`` stands for (exact name, number such as 1.8, or words of its
    name or title), as the exercise bank matches them; UsageError when none does."""
    from calctutor.drills import match_skills

    return [s.name for s in match_skills(name, module)]


@dataclass(frozen=True)
class ReviewPlan:
    """The skills a review asks, in order, and which of them were due."""

    order: tuple[str, ...]
    due: tuple[str, ...]
    related: tuple[str, ...] = ()  # not due, asked between the due ones


def review_order(due_skills: list[str], count: int, course: list[str] = ()) -> list[str]:
    """``count`` skill names at most for a review (see ``review_plan``)."""
    return list(review_plan(due_skills, count, course).order)


def review_plan(due_skills: list[str], count: int, course: list[str] = ()) -> ReviewPlan:
    """The review of ``due_skills`` (most overdue first) in at most ``count`` questions.

    With enough due skills each is asked in turn. With few (fewer than half the count),
    each is asked up to REPEATS times, spaced by related skills that are not due: the
    nearest of the same module in ``course`` (the skill names in course order), so the
    learner must tell similar problems apart instead of repeating one recipe. A skill is
    never asked twice in a row, so the review may be shorter than ``count``."""
    due = list(dict.fromkeys(due_skills))
    if not due:
        return ReviewPlan((), ())
    if len(due) * 2 >= count or not course:
        n = min(count, len(due) * REPEATS) if len(due) > 1 else 1
        return ReviewPlan(tuple(due[i % len(due)] for i in range(n)), tuple(due))
    related = _related(due, list(course))
    pending = list(related)
    out: list[str] = []
    for _ in range(REPEATS):
        for skill in due:
            if out and out[-1] == skill:
                continue
            out.append(skill)
            if pending:
                out.append(pending.pop(0))
    out = out[:count]
    return ReviewPlan(tuple(out), tuple(due), tuple(s for s in related if s in out))


def _related(due: list[str], course: list[str]) -> list[str]:
    """Skills near the due ones in the course (same module, nearest numbers first), not
    due themselves, taken in turn for each due skill."""
    def module(name: str) -> str:
        return name.split(".")[0]

    lists = []
    for skill in due:
        if skill not in course:
            lists.append([])
            continue
        at = course.index(skill)
        near = [s for s in course if module(s) == module(skill) and s not in due]
        near.sort(key=lambda s: (abs(course.index(s) - at), course.index(s)))
        lists.append(near[:NEIGHBOURS])
    out: list[str] = []
    for k in range(NEIGHBOURS):
        for near in lists:
            if k < len(near) and near[k] not in out:
                out.append(near[k])
    return out


def no_repeats(exercises: list) -> list:
    """The exercises with no template (and, where possible, no skill) twice in a row: a
    repeat is swapped with a later exercise, or dropped when none can take its place."""
    rest = list(exercises)
    out: list = []
    while rest:
        last = out[-1] if out else None
        pick = next((e for e in rest if last is None or (
            e.template != last.template and e.skill != last.skill)), None)
        if pick is None:
            pick = next((e for e in rest if e.template != last.template), None)
        if pick is None:
            break  # only the same template is left: ask it no more
        rest.remove(pick)
        out.append(pick)
    return out
