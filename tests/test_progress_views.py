"""``calctutor progress``: per module what is mastered, due and next, in text and JSON, and
``--plot``: the bars are the stored mastery and the reviews due per day (the plotted
numbers are compared, not the drawing)."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from calctutor.coach.schedule import MASTERY
from calctutor.coach.store import Attempt, Store


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from calctutor.cli import app

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")

    def invoke(*args):
        res = CliRunner().invoke(app, list(args), input="")
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise res.exception
        assert "Traceback" not in res.stderr
        return res

    return invoke


NOW = datetime.now(timezone.utc)
A, B, C = "1.3 power rule", "1.4 sum rule", "2.1 partial derivatives"


def record(home, plan):
    """``plan``: (skill, when, outcomes of one item) in order."""
    store = Store.open(home / "progress.db")
    for n, (skill, at, outcomes) in enumerate(plan, 1):
        for k, outcome in enumerate(outcomes):
            store.record(Attempt("t", n, int(skill[0]), skill, f"e{n}", outcome, None, 0,
                                 k + 1, 3.0, at + timedelta(seconds=5 * k)))


@pytest.fixture
def crafted(tmp_path):
    """A: familiar long ago (due now); B: one right answer just now (attempted, not due);
    C: missed twice an hour ago (due again: a failure comes back in 10 minutes)."""
    old = NOW - timedelta(days=50)
    record(tmp_path, [(A, old, ["correct"]), (A, old + timedelta(minutes=2), ["correct"]),
                      (B, NOW - timedelta(minutes=1), ["correct"]),
                      (C, NOW - timedelta(hours=1), ["wrong", "wrong"]),
                      (C, NOW - timedelta(minutes=59), ["skip"])])
    return tmp_path


def test_progress_json_says_per_module_what_is_mastered_due_and_next(cli, crafted):
    res = cli("progress", "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    skills = {s["skill"]: s for s in data["skills"]}
    assert set(skills) == {A, B, C} and data["total_attempts"] == 6  # the old fields stay
    assert [skills[n]["mastery"] for n in (A, B, C)] == ["familiar", "attempted", "attempted"]
    assert (skills[A]["weak"], skills[B]["weak"], skills[C]["weak"]) == (False, True, True)
    assert skills[C]["missed_recently"] == 2
    m1, m2 = data["modules"][:2]
    assert m1["module"] == 1 and m1["skills"] >= 2 and m1["started"] == 2
    assert m1["mastered"] == [] and m1["due_now"] == [A]
    assert m1["next_review"] == {"skill": B, "due": skills[B]["due"]}
    assert m2["due_now"] == [C] and m2["next_review"] is None
    # the most overdue review comes first: A's date passed weeks before C's
    assert data["next"]["skill"] == A and data["next"]["kind"] == "due"
    assert data["next"]["reason"].startswith("due for review")
    assert m1["next"] == data["next"] and m2["next"] is None
    assert data["path"]["ready_at"] == "familiar" and data["path"]["rules"]
    assert "plot" not in data


def test_progress_text_has_each_module_line_and_what_comes_next(cli, crafted):
    out = cli("progress", "--format", "plain").stdout
    assert "Mastered: 0 of " in out and "Due now: 1.3." in out
    assert "Next review: 1.4 in " in out
    lines = " ".join(out.split())
    assert f"Next for you: {A} (due for review, " in lines
    assert "Practise it with: calctutor quiz" in lines


def test_a_fresh_learner_is_told_where_to_start(cli):
    data = json.loads(cli("progress", "--format", "json").stdout)
    assert data["next"]["kind"] == "new" and data["next"]["reason"] == "next in module 1"
    assert data["modules"][0]["next"] == data["next"]
    plot = cli("progress", "--plot")
    assert plot.exit_code == 0
    assert "No progress yet: nothing to plot. Take a quiz first: calctutor quiz" in plot.stdout


def test_the_plotted_bars_are_the_stored_mastery(cli, crafted):
    data = json.loads(cli("progress", "--plot", "--format", "json").stdout)
    stored = {s["skill"]: MASTERY.index(s["mastery"]) + 1 for s in data["skills"]}
    bars = {b["skill"]: b["level"] for b in data["plot"]["mastery"]}
    assert {n: bars[n] for n in stored} == stored
    assert (bars[A], bars[B], bars[C]) == (2, 1, 1)  # familiar, attempted, attempted
    assert all(v == 0 for n, v in bars.items() if n not in stored)  # not started
    # reviews per local day: overdue ones count today
    today = datetime.now().astimezone().date()
    want = {}
    for s in data["skills"]:
        due = datetime.fromisoformat(s["due"].replace("Z", "+00:00")).astimezone().date()
        day = max(due, today)
        if (day - today).days < 14:
            want[day.isoformat()] = want.get(day.isoformat(), 0) + 1
    got = {d["date"]: d["count"] for d in data["plot"]["reviews"] if d["count"]}
    assert got == want and len(data["plot"]["reviews"]) == 14
    assert data["plot"]["reviews"][0]["date"] == today.isoformat()


def test_the_drawn_document_carries_the_same_numbers(crafted, monkeypatch):
    from calctutor.coach.app import progress_report
    from calctutor.coach.views import Bars
    from calctutor.render.views import view

    monkeypatch.setenv("CALCTUTOR_HOME", str(crafted))
    report = progress_report(plot=True)
    bars = [b for b in view(report) if isinstance(b, Bars)]
    # modules 1 and 2 have progress; the last chart is the review schedule
    assert len(bars) == 3
    by_number = {}
    for b in bars[:2]:
        by_number.update(zip(b.labels, b.values, strict=True))
    levels = {s.skill.split()[0]: MASTERY.index(s.mastery) + 1 for s in report.states}
    assert {n: by_number[n] for n in levels} == levels
    assert bars[2].values == tuple(float(n) for _, n in report.reviews_per_day())


def test_the_plot_is_plain_ascii_at_80_columns_when_piped(cli, crafted):
    out = cli("progress", "--plot", "--format", "plain").stdout
    assert out.isascii()
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Mastery per skill, Module 1" in out and "Reviews due per day" in out
    assert "Not started: modules 3, 4, 5, 6." in out
    for fmt in ("rich", "markdown", "latex"):
        assert cli("progress", "--plot", "--format", fmt).exit_code == 0
