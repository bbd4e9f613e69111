"""What a quiz asks: a module's exercises, one skill's, or the skills due for review."""

from __future__ import annotations

from calctutor.errors import UsageError

MODULES = range(1, 7)


def parse_module(text: str | None) -> int | None:
    """``module3``, ``3`` (or ``m3``) -> 3; ``all`` or nothing -> None."""
    if text is None:
        return None
    word = text.strip().lower()
    if word == "all":
        return None
    for prefix in ("module", "m"):
        if word.startswith(prefix) and word[len(prefix):].isdigit():
            word = word[len(prefix):]
            break
    if word.isdigit() and int(word) in MODULES:
        return int(word)
    raise UsageError(f"unknown module {text!r}: choose module1 ... module6 (or 1 ... 6, or all)")


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
