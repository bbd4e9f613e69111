"""Spaced review per skill with FSRS, and mastery labels, replayed from the stored answers.

Each skill is one FSRS card. Each quiz *item* (one exercise, with up to two answers and any
hints) is one review, rated by its outcome:

- right at the first answer with no hint: **Good** (**Easy** when it is the third such
  success in a row for the skill: the skill is evidently easy for this learner);
- right after a hint, or at the second answer: **Hard** (a hint lowers the credit, it does
  not fail the item; the feedback on a first wrong answer never gives the answer away);
- right only after the last hint showed the answer (a copy, not a recall), wrong twice,
  skipped, or the solution revealed: **Again**.

Nothing derived is stored: the card of a skill is rebuilt by replaying its items in time
order (fuzzing off, so the replay is deterministic). The store stays a plain log of what was
answered, two processes never race over a derived row, and a killed quiz leaves a log that
still replays (an item cut short is rated by what was recorded).

Mastery (``attempted`` < ``familiar`` < ``proficient`` < ``mastered``) comes from the credit
of the last few items (1 right first time, ½ right with help, 0 otherwise: a copied answer
earns nothing) and the card's
stability (days the skill is expected to be remembered): it goes down after failures as well
as up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from calctutor.coach.store import Attempt, utc_now

MASTERY = ("attempted", "familiar", "proficient", "mastered")
RECENT = 5             # items the recent accuracy looks at
EASY_STREAK = 3        # the n-th first-time success in a row is rated Easy
CREDIT = {"first": 1.0, "helped": 0.5, "copied": 0.0, "failed": 0.0}


@dataclass(frozen=True)
class Item:
    """One quiz item of a skill, from its attempts: how it went and when it ended."""

    session: str
    item: int
    module: int
    skill: str
    result: str          # "first", "helped" (hint/second try), "copied" (after the answer
                         # was shown), "failed"
    at: datetime
    attempts: int
    correct: int

    @property
    def credit(self) -> float:
        return CREDIT[self.result]


@dataclass(frozen=True)
class SkillState:
    """What the replay knows about one skill."""

    module: int
    skill: str
    attempts: int        # judged answers, skips and revealed solutions (docs/interface.md)
    correct: int
    items: int
    recent: float        # mean credit of the last RECENT items, 0..1
    stability: float     # FSRS stability in days
    retrievability: float
    due: datetime
    mastery: str
    last: datetime
    missed: int = 0      # items with no credit among the last RECENT (missed, skipped, copied)
    last_result: str = ""  # the last item's result ("first", "helped", "copied", "failed")

    def overdue(self, now: datetime) -> timedelta:
        return now - self.due

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


def items_of(attempts: Iterable[Attempt]) -> list[Item]:
    """Group attempts into items (session, item), in the order the items ended."""
    groups: dict[tuple[str, int, str], list[Attempt]] = {}
    for a in attempts:
        groups.setdefault((a.session, a.item, a.skill), []).append(a)
    items = []
    for (session, item, _), group in groups.items():
        group.sort(key=lambda a: (a.at, a.try_))
        first = group[0]
        right = [a for a in group if a.correct]
        if first.correct and first.hints == 0 and first.try_ == 1 and not first.revealed:
            result = "first"
        elif right and not right[0].revealed:
            result = "helped"
        elif right:
            result = "copied"
        else:
            result = "failed"
        items.append(Item(session, item, first.module, first.skill, result, group[-1].at,
                          len(group), sum(a.correct and not a.revealed for a in group)))
    items.sort(key=lambda i: i.at)
    return items


LEARNING_STEP = timedelta(minutes=10)


def _scheduler():
    from fsrs import Scheduler

    # No fuzz: the replay of the same answers must give the same schedule every time.
    # One learning step: a skill failed at first comes back in 10 minutes; one answered
    # right moves on to days (fsrs's second step of 10 minutes suits cards, not skills).
    return Scheduler(enable_fuzzing=False, learning_steps=(LEARNING_STEP,))


def ratings(items: list[Item]) -> list[int]:
    """The FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy) of each item of one skill."""
    out, streak = [], 0
    for item in items:
        if item.result == "first":
            streak += 1
            out.append(4 if streak >= EASY_STREAK else 3)
        else:
            streak = 0
            out.append(2 if item.result == "helped" else 1)
    return out


def replay(items: list[Item], now: datetime | None = None) -> SkillState:
    """The state of one skill after its items (at least one), in time order."""
    from fsrs import Card, Rating

    now = now or utc_now()
    scheduler = _scheduler()
    card = Card(card_id=1)
    for item, rating in zip(items, ratings(items), strict=True):
        # reviews must not go back in time (clocks of two machines, a replayed log)
        when = max(item.at, card.last_review) if card.last_review else item.at
        card, _ = scheduler.review_card(card, Rating(rating), when)
    recent_items = items[-RECENT:]
    recent = sum(i.credit for i in recent_items) / len(recent_items)
    stability = float(card.stability or 0.0)
    retrievability = float(scheduler.get_card_retrievability(card, max(now, card.last_review)))
    first_days = {i.at.date() for i in items if i.result == "first"}
    last = items[-1]
    return SkillState(
        module=last.module, skill=last.skill,
        attempts=sum(i.attempts for i in items), correct=sum(i.correct for i in items),
        items=len(items), recent=recent, stability=stability, retrievability=retrievability,
        due=card.due, mastery=mastery(len(items), recent, stability, len(first_days)),
        last=last.at, missed=sum(i.credit == 0 for i in recent_items),
        last_result=last.result,
    )


def mastery(items: int, recent: float, stability: float, success_days: int = 1) -> str:
    """The mastery label from the number of items, recent credit and FSRS stability.

    ``mastered`` also needs successes on two different days: remembered, not just
    repeated within one sitting."""
    if items >= 5 and recent >= 0.9 and stability >= 21 and success_days >= 2:
        return "mastered"
    if items >= 3 and recent >= 0.75 and stability >= 5:
        return "proficient"
    if items >= 2 and recent >= 0.5:
        return "familiar"
    return "attempted"


def skill_states(attempts: Iterable[Attempt], now: datetime | None = None) -> list[SkillState]:
    """Every attempted skill's state, ordered by module then skill name."""
    by_skill: dict[str, list[Item]] = {}
    for item in items_of(attempts):
        by_skill.setdefault(item.skill, []).append(item)
    states = [replay(items, now) for items in by_skill.values()]
    return sorted(states, key=lambda s: (s.module, skill_key(s.skill)))


def skill_key(name: str) -> tuple:
    """Course order: "1.2 ..." before "1.10 ..." (numbers compared as numbers)."""
    head = name.split()[0] if name.split() else ""
    numbers = tuple(int(p) for p in head.split(".") if p.isdigit())
    return (numbers or (10**6,), name)


def due_skills(states: Iterable[SkillState], now: datetime | None = None,
               module: int | None = None) -> list[SkillState]:
    """The skills due for review (of one module, or all), most overdue first."""
    now = now or utc_now()
    due = [s for s in states if s.is_due(now) and (module is None or s.module == module)]
    return sorted(due, key=lambda s: (s.due, s.skill))
