"""Review scheduling per skill: outcomes -> FSRS ratings, mastery up and down, due skills."""

from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler

from calctutor.coach.schedule import (
    due_skills,
    items_of,
    mastery,
    ratings,
    replay,
    skill_states,
)
from calctutor.coach.store import Attempt

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Log:
    """Builds attempts as a quiz would record them, item by item."""

    def __init__(self, skill="1.8 chain rule", module=1, session="s1"):
        self.skill, self.module, self.session = skill, module, session
        self.attempts: list[Attempt] = []
        self.n = 0

    def item(self, at, *answers, hints=0, revealed=False):
        """``answers``: outcomes in order ("correct", "wrong", "skip", "solution");
        ``revealed``: the last hint had shown the answer before them."""
        self.n += 1
        for k, outcome in enumerate(answers):
            self.attempts.append(Attempt(self.session, self.n, self.module, self.skill,
                                         f"ex{self.n}", outcome, None, hints, k + 1, 5.0,
                                         at + timedelta(seconds=10 * k), revealed=revealed))
        return self


def state(log, now=None):
    (s,) = skill_states(log.attempts, now or T0 + timedelta(hours=1))
    return s


def test_outcomes_map_to_ratings():
    t = T0
    log = (Log().item(t, "correct")                       # right first time
           .item(t + timedelta(minutes=1), "correct", hints=1)  # after a hint
           .item(t + timedelta(minutes=2), "wrong", "correct")  # second try
           .item(t + timedelta(minutes=3), "wrong", "wrong")
           .item(t + timedelta(minutes=4), "skip")
           .item(t + timedelta(minutes=5), "solution"))
    items = items_of(log.attempts)
    assert [i.result for i in items] == ["first", "helped", "helped", "failed", "failed", "failed"]
    assert ratings(items) == [Rating.Good, Rating.Hard, Rating.Hard, Rating.Again,
                              Rating.Again, Rating.Again]
    # attempts count every judged answer, skip and revealed solution (docs/interface.md)
    s = state(log)
    assert (s.attempts, s.correct, s.items) == (8, 3, 6)


def test_a_right_answer_after_the_answer_was_shown_is_a_copy_not_a_success():
    t = T0
    log = (Log().item(t, "correct", hints=4, revealed=True)
           .item(t + timedelta(minutes=1), "wrong", "correct", hints=5, revealed=True))
    items = items_of(log.attempts)
    assert [i.result for i in items] == ["copied", "copied"]
    assert ratings(items) == [Rating.Again, Rating.Again]
    s = state(log)
    assert (s.attempts, s.correct, s.recent) == (3, 0, 0.0)  # no accuracy, no credit for it
    # the same answers without the reveal are evidence (with help): Hard, half credit
    honest = (Log().item(t, "correct", hints=4)
              .item(t + timedelta(minutes=1), "wrong", "correct", hints=1))
    assert [i.result for i in items_of(honest.attempts)] == ["helped", "helped"]
    assert state(honest).recent == 0.5 and state(honest).stability > s.stability


def test_a_streak_of_first_time_successes_becomes_easy():
    log = Log()
    for k in range(5):
        log.item(T0 + timedelta(minutes=k), "correct")
    assert ratings(items_of(log.attempts)) == [3, 3, 4, 4, 4]
    log.item(T0 + timedelta(minutes=9), "wrong", "correct")
    log.item(T0 + timedelta(minutes=10), "correct")
    assert ratings(items_of(log.attempts))[-2:] == [2, 3]  # the streak starts again


def test_replay_is_fsrs_on_the_ratings():
    # the same reviews given to fsrs directly (no fuzz) give the same card
    log = Log()
    times = [T0, T0 + timedelta(days=1), T0 + timedelta(days=4), T0 + timedelta(days=12)]
    for t, outcome in zip(times, ["correct", "wrong", "correct", "correct"], strict=True):
        log.item(t, outcome) if outcome == "correct" else log.item(t, outcome, "wrong")
    s = replay(items_of(log.attempts), now=T0 + timedelta(days=13))
    scheduler = Scheduler(enable_fuzzing=False, learning_steps=(timedelta(minutes=10),))
    card = Card()
    for t, r in zip(times, [Rating.Good, Rating.Again, Rating.Good, Rating.Good], strict=True):
        card, _ = scheduler.review_card(card, r, t + timedelta(seconds=10 if r == 1 else 0))
    assert s.due == card.due
    assert s.stability == pytest.approx(card.stability)


def test_mastery_rises_with_spaced_success_and_falls_after_failures():
    log, labels = Log(), []
    day = timedelta(days=1)
    # first sitting: three right first time
    for k in range(3):
        log.item(T0 + timedelta(minutes=k), "correct")
    labels.append(state(log).mastery)
    # later sittings, days apart: right first time each time
    for t in (T0 + 3 * day, T0 + 12 * day, T0 + 40 * day):
        log.item(t, "correct")
    labels.append(state(log, T0 + 41 * day).mastery)
    assert labels == ["familiar", "mastered"]
    # then it goes wrong twice in a row: mastery comes down
    log.item(T0 + 80 * day, "wrong", "wrong")
    after_one = state(log, T0 + 81 * day)
    log.item(T0 + 80 * day + timedelta(minutes=5), "skip")
    after_two = state(log, T0 + 81 * day)
    order = ["attempted", "familiar", "proficient", "mastered"]
    assert order.index(after_one.mastery) < order.index("mastered")
    assert order.index(after_two.mastery) <= order.index(after_one.mastery)
    assert after_two.stability < state(Log().item(T0, "correct")).stability * 10


def test_one_sitting_cannot_make_a_skill_mastered():
    log = Log()
    for k in range(10):
        log.item(T0 + timedelta(minutes=k), "correct")
    s = state(log)
    assert s.mastery == "proficient"
    assert s.stability >= 21  # FSRS is confident, but it was all on one day


@pytest.mark.parametrize("items, recent, stability, days, label", [
    (1, 1.0, 2.3, 1, "attempted"),
    (2, 0.5, 2.3, 1, "familiar"),
    (2, 0.25, 2.3, 1, "attempted"),
    (3, 0.8, 6.0, 1, "proficient"),
    (3, 0.8, 4.0, 1, "familiar"),
    (6, 1.0, 30.0, 2, "mastered"),
    (6, 0.8, 30.0, 2, "proficient"),
])
def test_mastery_thresholds(items, recent, stability, days, label):
    assert mastery(items, recent, stability, days) == label


def test_due_skills_most_overdue_first_across_modules():
    attempts = []
    for skill, module, when in (("1.8 chain rule", 1, T0), ("2.3 gradient", 2, T0 - timedelta(days=5)),
                                ("5.2 newton", 5, T0 - timedelta(days=1))):
        attempts += Log(skill, module).item(when, "correct").attempts
    states = skill_states(attempts, T0)
    # an hour later: what was answered right days ago is due (the oldest first), not today's
    due_now = due_skills(states, T0 + timedelta(hours=1))
    assert [s.skill for s in due_now] == ["2.3 gradient"]
    due_soon = due_skills(states, T0 + timedelta(days=1, hours=1))
    assert [s.skill for s in due_soon] == ["2.3 gradient", "5.2 newton"]
    later = due_skills(states, T0 + timedelta(days=30))
    assert [s.skill for s in later] == ["2.3 gradient", "5.2 newton", "1.8 chain rule"]
    assert [s.skill for s in due_skills(states, T0 + timedelta(days=30), module=5)] == ["5.2 newton"]
    assert all(s.due > T0 + timedelta(days=1) for s in states if s.skill == "1.8 chain rule")


def test_a_failure_comes_back_soon():
    log = Log().item(T0, "wrong", "wrong")
    s = state(log)
    assert s.due - s.last <= timedelta(minutes=10)
    assert s.mastery == "attempted"


def test_skills_are_listed_in_course_order():
    attempts = []
    for name in ("1.10 combining rules", "1.2 derivative from the limit definition", "1.9 nested"):
        attempts += Log(name).item(T0, "correct").attempts
    assert [s.skill for s in skill_states(attempts, T0)] == [
        "1.2 derivative from the limit definition", "1.9 nested", "1.10 combining rules"]
