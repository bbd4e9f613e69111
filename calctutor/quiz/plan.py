"""What a quiz asks: a module's exercises, one skill's, or the skills due for review."""

from __future__ import annotations


def match_skill(name: str, module: int | None = None) -> list[str]:
    """The skill names ``name`` stands for (exact name, number such as 1.8, or words of its
    name or title), as the exercise bank matches them; UsageError when none does."""
    from calctutor.exercises import match_skills

    return [s.name for s in match_skills(name, module)]


def review_order(due_skills: list[str], count: int) -> list[str]:
    """``count`` skill names taking the due skills in turn, most overdue first."""
    if not due_skills:
        return []
    return [due_skills[i % len(due_skills)] for i in range(count)]
