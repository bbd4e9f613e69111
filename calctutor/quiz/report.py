"""The progress report: attempts, accuracy, mastery and review dates per skill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from calctutor.quiz.schedule import MASTERY, SkillState
from calctutor.quiz.store import iso


@dataclass(frozen=True)
class SkillInfo:
    """A skill of the course as the bank names it."""

    module: int
    name: str
    title: str


@dataclass(frozen=True)
class ProgressReport:
    """Every attempted skill's state at ``now``, with the course's skills for the table
    (``skills``: all of them, so a learner sees what is not started yet)."""

    states: tuple[SkillState, ...]
    now: datetime
    skills: tuple[SkillInfo, ...] = ()
    module: int | None = None  # the report is about one module only
    store: str = ""            # where the progress lives
    notes: tuple[str, ...] = field(default=())
    module_titles: tuple[tuple[int, str], ...] = ()

    @property
    def total_attempts(self) -> int:
        return sum(s.attempts for s in self.states)

    def title(self, skill: str) -> str:
        return next((s.title for s in self.skills if s.name == skill), skill)

    def due(self) -> list[SkillState]:
        """Skills due for review now, most overdue first."""
        return sorted((s for s in self.states if s.is_due(self.now)), key=lambda s: s.due)

    def to_json(self) -> dict:
        """docs/interface.md: total_attempts and, per attempted skill, module, skill, attempts,
        correct, mastery and due (plus title, accuracy, stability, due_now)."""
        return {
            "total_attempts": self.total_attempts,
            "skills": [{
                "module": s.module,
                "skill": s.skill,
                "title": self.title(s.skill),
                "attempts": s.attempts,
                "correct": s.correct,
                "accuracy": round(s.correct / s.attempts, 3) if s.attempts else None,
                "mastery": s.mastery,
                "mastery_level": MASTERY.index(s.mastery) + 1,
                "stability_days": round(s.stability, 2),
                "due": iso(s.due) if s.due else None,
                "due_now": s.is_due(self.now),
            } for s in self.states],
        }
