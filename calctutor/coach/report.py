"""The progress report: attempts, accuracy, mastery and review dates per skill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from calctutor.coach.path import READY, RULES, Choice, is_weak, level
from calctutor.coach.schedule import MASTERY, SkillState, skill_key
from calctutor.coach.store import iso

PLOT_DAYS = 14  # the review schedule's plot: reviews due per day, today and the next 13


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
    next: Choice | None = None  # what the choosing quiz would ask now, and why
    plot: bool = False          # drawn as bar charts (``progress --plot``)

    @property
    def total_attempts(self) -> int:
        return sum(s.attempts for s in self.states)

    def title(self, skill: str) -> str:
        return next((s.title for s in self.skills if s.name == skill), skill)

    def due(self) -> list[SkillState]:
        """Skills due for review now, most overdue first."""
        return sorted((s for s in self.states if s.is_due(self.now)), key=lambda s: s.due)

    def module_numbers(self) -> list[int]:
        """The modules the report is about, in order."""
        found = {s.module for s in self.states} | {s.module for s in self.skills}
        return sorted(m for m in found if self.module is None or m == self.module)

    def module_summary(self, module: int) -> dict:
        """One module: its skills, which are mastered, which are due now, the next review
        date after now, and the skill the choosing quiz would ask next when it is here."""
        states = sorted((s for s in self.states if s.module == module),
                        key=lambda s: skill_key(s.skill))
        names = {s.name for s in self.skills if s.module == module} | {s.skill for s in states}
        later = [s for s in states if not s.is_due(self.now)]
        upcoming = min(later, key=lambda s: s.due) if later else None
        nxt = self.next if self.next is not None and self.next.module == module else None
        return {
            "module": module,
            "title": dict(self.module_titles).get(module, ""),
            "skills": len(names),
            "started": len(states),
            "mastered": [s.skill for s in states if s.mastery == "mastered"],
            "due_now": [s.skill for s in states if s.is_due(self.now)],
            "next_review": ({"skill": upcoming.skill, "due": iso(upcoming.due)}
                            if upcoming is not None else None),
            "next": nxt.to_json() if nxt is not None else None,
        }

    def mastery_levels(self, module: int) -> list[tuple[str, int]]:
        """(skill, level) of every skill of ``module`` in course order: 0 not started,
        1 attempted ... 4 mastered (the bars of ``progress --plot``)."""
        states = {s.skill: s for s in self.states if s.module == module}
        names = set(states) | {s.name for s in self.skills if s.module == module}
        return [(n, level(states.get(n))) for n in sorted(names, key=skill_key)]

    def reviews_per_day(self, days: int = PLOT_DAYS) -> list[tuple[date, int]]:
        """How many skills fall due on each day (local dates), today first; what is
        overdue counts today."""
        today = self.now.astimezone().date()
        counts = dict.fromkeys((today + timedelta(days=k) for k in range(days)), 0)
        for s in self.states:
            day = max(s.due.astimezone().date(), today)
            if day in counts:
                counts[day] += 1
        return list(counts.items())

    def to_json(self) -> dict:
        """docs/interface.md: total_attempts and, per attempted skill, module, skill, attempts,
        correct, mastery and due (plus title, accuracy, stability, due_now, missed_recently,
        weak); per module what is mastered, due and next; what the tutor would ask next and
        the rules it follows; with --plot, the plotted numbers."""
        out = self._json()
        out["modules"] = [self.module_summary(m) for m in self.module_numbers()]
        out["next"] = self.next.to_json() if self.next is not None else None
        out["path"] = {"ready_at": READY, "rules": list(RULES)}
        if self.plot:
            out["plot"] = {
                "mastery": [{"module": m, "skill": name, "level": lv}
                            for m in self.module_numbers()
                            for name, lv in self.mastery_levels(m)],
                "reviews": [{"date": d.isoformat(), "count": n}
                            for d, n in self.reviews_per_day()],
            }
        return out

    def _json(self) -> dict:
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
                "missed_recently": s.missed,
                "weak": is_weak(s),
            } for s in self.states],
        }
