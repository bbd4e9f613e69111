"""The course path: which skills come first, which are weak, and what to practise next.

Everything the tutor decides for a learner is decided here, from the stored progress: what
the choosing quiz (``calctutor quiz`` with no module) asks, what ``calctutor progress``
says comes next, and which skills ``calctutor exercises --weak`` draws on. The rules are
data (``RULES``, the constants below), so ``progress --format json`` can show them and a
teacher can read them in one place.

The prerequisite graph is the course order of the bank (``exercises/moduleN.toml``): a skill
needs the skill before it in its module; a module's first skill needs every skill of the
module before. A skill without exercise templates is left out of the path: it can be
neither practised nor waited for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Protocol, Sequence

from calctutor.coach.schedule import MASTERY, SkillState, due_skills, skill_key

# A prerequisite is met once its mastery is at least this. "mastered" needs successes on
# two days and three weeks of stability, so gating on it would hold a learner on the first
# skill for weeks; "familiar" (two items, at least half the credit) says "can do it now".
READY = "familiar"
# Weak: practised, and below READY, or the last item missed, or this many of the last
# items (schedule.RECENT) missed.
WEAK_MISSES = 2
MAX_RUN = 2   # one skill at most this many questions in a row, when another can be asked
MAX_WEAK = 6  # a --weak worksheet draws on at most this many skills, the weakest

RULES = (
    "A skill needs the skill before it in its module.",
    "The first skill of a module needs every skill of the module before.",
    f"A skill needed is met once its mastery is {READY} or above.",
    "Skills without exercises are left out: never chosen, never waited for.",
    "The choosing quiz asks what is due for review first (most overdue first), then the "
    "weakest skill whose skills needed are met; not one skill more than "
    f"{MAX_RUN} times in a row while another can be asked.",
    f"Weak: practised, and below {READY}, or missed last time, or missed "
    f"{WEAK_MISSES} of the last 5 times.",
)


class SkillLike(Protocol):
    module: int
    name: str


def level(state: SkillState | None) -> int:
    """0 not started, 1 attempted ... 4 mastered."""
    return 0 if state is None else MASTERY.index(state.mastery) + 1


def course_order(skills: Iterable[SkillLike]) -> list[SkillLike]:
    """The skills in course order: module, then number ("1.2" before "1.10")."""
    return sorted(skills, key=lambda s: (s.module, skill_key(s.name)))


def prerequisites(skills: Iterable[SkillLike]) -> dict[str, tuple[str, ...]]:
    """Each skill's direct prerequisites (the graph; see the module docstring)."""
    order = course_order(skills)
    out: dict[str, tuple[str, ...]] = {}
    for k, s in enumerate(order):
        before = [t for t in order[:k] if t.module == s.module]
        if before:
            out[s.name] = (before[-1].name,)
        else:
            previous = [t.module for t in order[:k]]
            last = max(previous) if previous else None
            out[s.name] = tuple(t.name for t in order[:k] if t.module == last)
    return out


def unlocked(skills: Iterable[SkillLike], states: Iterable[SkillState]) -> list[str]:
    """The skills whose prerequisites are all met (and theirs, all the way back)."""
    graph = prerequisites(skills)
    known = {s.skill: s for s in states}
    ready = level_of(READY)
    memo: dict[str, bool] = {}

    def open_(name: str) -> bool:
        if name not in memo:
            memo[name] = all(level(known.get(p)) >= ready and open_(p) for p in graph[name])
        return memo[name]

    return [name for name in graph if open_(name)]


def level_of(label: str) -> int:
    return MASTERY.index(label) + 1


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def is_weak(state: SkillState) -> bool:
    """Low mastery or recently missed (``RULES``)."""
    return (level(state) < level_of(READY) or state.last_result in ("failed", "copied")
            or state.missed >= WEAK_MISSES)


def weakness(state: SkillState | None) -> tuple:
    """Sort key, weakest first: mastery, then recent credit, then more misses."""
    if state is None:
        return (0, 0.0, 0, 0.0)
    return (level(state), state.recent, -state.missed, state.retrievability)


def weak_skills(skills: Iterable[SkillLike], states: Iterable[SkillState],
                limit: int = MAX_WEAK) -> list[SkillState]:
    """The weak skills that can be practised, weakest first, at most ``limit``."""
    names = {s.name for s in skills}
    weak = [s for s in states if s.skill in names and is_weak(s)]
    weak.sort(key=lambda s: (weakness(s), s.module, skill_key(s.skill)))
    return weak[:limit]


def why_weak(state: SkillState) -> str:
    if state.missed >= WEAK_MISSES:
        return f"missed {state.missed} of the last {min(state.items, 5)} times"
    if state.last_result in ("failed", "copied"):
        return "missed last time"
    return f"mastery {state.mastery}"


@dataclass(frozen=True)
class Choice:
    """What to practise next and why (``kind``: due, new, missed, learning, weakest)."""

    skill: str
    module: int
    reason: str
    kind: str

    def to_json(self) -> dict:
        return {"skill": self.skill, "module": self.module, "reason": self.reason,
                "kind": self.kind}


def candidates(skills: Sequence[SkillLike], states: Sequence[SkillState], now: datetime,
               exclude: Iterable[str] = ()) -> list[Choice]:
    """Every skill the tutor could ask now, best first: due reviews (most overdue first),
    then the open skills, weakest first (mastered ones last)."""
    skip = set(exclude)
    known = {s.skill: s for s in states}
    modules = {s.name: s.module for s in skills}
    out: list[Choice] = []
    for s in due_skills(states, now):
        if s.skill in modules and s.skill not in skip:
            late = now - s.due
            reason = "due for review" + (f", {_days(late)} overdue" if late >= timedelta(days=1)
                                         else "")
            if s.missed >= WEAK_MISSES:
                reason += f"; you missed it {_times(s.missed)} lately"
            out.append(Choice(s.skill, s.module, reason, "due"))
    chosen = {c.skill for c in out} | skip
    open_skills = [n for n in unlocked(skills, states) if n not in chosen]
    open_skills.sort(key=lambda n: (level(known.get(n)) == len(MASTERY), weakness(known.get(n)),
                                    modules[n], skill_key(n)))
    for name in open_skills:
        out.append(_why(name, modules[name], known.get(name)))
    return out


def _days(delta: timedelta) -> str:
    n = int(delta.total_seconds() // 86400)
    return f"{n} day{'s' * (n != 1)}"


def _why(name: str, module: int, state: SkillState | None) -> Choice:
    if state is None:
        return Choice(name, module, f"next in module {module}", "new")
    if state.missed >= WEAK_MISSES:
        return Choice(name, module, f"you missed this {_times(state.missed)}", "missed")
    if level(state) < level_of(READY):
        return Choice(name, module, f"next in module {module}, not yet {READY}", "learning")
    return Choice(name, module, f"your weakest skill so far, {state.mastery}", "weakest")


def choose_next(skills: Sequence[SkillLike], states: Sequence[SkillState], now: datetime,
                asked: Sequence[str] = (), exclude: Iterable[str] = ()) -> Choice | None:
    """What to ask next (``RULES``); ``asked`` is this session's skills so far, in order.
    None when nothing can be asked (no skill has exercises)."""
    options = candidates(skills, states, now, exclude)
    if not options:
        return None
    run = 0
    for name in reversed(asked):
        if name != asked[-1]:
            break
        run += 1
    if run >= MAX_RUN:
        other = next((c for c in options if c.skill != asked[-1]), None)
        if other is not None:
            return other
    return options[0]
