"""The tutor chooses: ``calctutor quiz`` with no module asks what is due first, then the
weakest skill whose earlier skills are familiar, each question with its reason; ``exercises
--weak`` draws on the weak skills only. Stores are crafted attempt by attempt."""

import json
import re
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from calctutor.coach.app import course_skills
from calctutor.coach.path import (
    MAX_RUN,
    choose_next,
    prerequisites,
    unlocked,
    weak_skills,
)
from calctutor.coach.schedule import skill_states
from calctutor.coach.store import Attempt, Store

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def bank_order():
    """The skills with templates, per module in course order, read from the TOML here."""
    out = {}
    for m in range(1, 7):
        data = tomllib.loads((ROOT / "exercises" / f"module{m}.toml").read_text())
        used = {t["skill"] for t in data.get("template", [])}
        names = [s["name"] for s in data["skill"] if s["name"] in used]
        names.sort(key=lambda n: tuple(int(p) for p in n.split()[0].split(".")))
        out[m] = names
    return out


ORDER = bank_order()
SKILLS = course_skills()


class Log:
    """Attempts as a quiz records them, item by item, for any skill."""

    def __init__(self):
        self.attempts: list[Attempt] = []
        self.n = 0

    def item(self, skill, at, *outcomes):
        self.n += 1
        module = int(skill.split(".")[0])
        for k, outcome in enumerate(outcomes):
            self.attempts.append(Attempt("s", self.n, module, skill, f"ex{self.n}", outcome,
                                         None, 0, k + 1, 5.0, at + timedelta(seconds=10 * k)))
        return self

    def familiar(self, skill, at):
        """Two items right first time: 'familiar' (items >= 2, recent credit >= 1/2)."""
        return self.item(skill, at, "correct").item(skill, at + timedelta(minutes=1), "correct")

    def states(self, now):
        return skill_states(self.attempts, now)


def choose(log, now, asked=()):
    return choose_next(SKILLS, log.states(now), now, asked)


def test_a_fresh_learner_starts_at_module_1s_first_skill_with_templates():
    c = choose_next(SKILLS, [], T0)
    assert c.skill == ORDER[1][0]
    assert (c.kind, c.reason) == ("new", "next in module 1")


def test_the_course_order_is_the_prerequisite_graph():
    graph = prerequisites(SKILLS)
    flat = [n for m in range(1, 7) for n in ORDER[m]]
    assert list(graph) == flat  # every skill with templates, in course order, and no other
    for m in range(1, 7):
        for k, name in enumerate(ORDER[m]):
            want = (ORDER[m][k - 1],) if k else tuple(ORDER[m - 1]) if m > 1 else ()
            assert graph[name] == want, name


def test_the_next_skill_waits_until_the_one_before_is_familiar():
    first, second = ORDER[1][:2]
    now = T0 + timedelta(minutes=5)
    once = Log().item(first, T0, "correct")  # one item: 'attempted'
    assert choose(once, now).skill == first
    assert choose(once, now).reason == "next in module 1, not yet familiar"
    # asked twice in a row already, but nothing else is open: still the first skill
    assert choose(once, now, asked=[first] * MAX_RUN).skill == first
    twice = Log().familiar(first, T0)
    c = choose(twice, now)
    assert (c.skill, c.reason) == (second, "next in module 1")


def test_a_module_opens_when_the_module_before_is_familiar():
    log = Log()
    at = T0
    for name in ORDER[1][:-1]:
        log.familiar(name, at)
        at += timedelta(minutes=5)
    now = at + timedelta(minutes=5)
    assert ORDER[2][0] not in unlocked(SKILLS, log.states(now))
    assert choose(log, now).skill == ORDER[1][-1]
    log.familiar(ORDER[1][-1], at)
    c = choose(log, now + timedelta(minutes=5))
    assert (c.skill, c.reason) == (ORDER[2][0], "next in module 2")


def test_due_beats_weak_and_new():
    first, second, third = ORDER[1][:3]
    later = T0 + timedelta(days=40)  # the first skill's review date has long passed
    log = Log().familiar(first, T0)
    log.item(second, later - timedelta(minutes=3), "wrong", "wrong")
    log.item(second, later - timedelta(minutes=2), "wrong", "wrong")
    states = {s.skill: s for s in log.states(later)}
    assert states[first].is_due(later) and not states[second].is_due(later)
    c = choose(log, later)
    assert c.skill == first and c.kind == "due"
    assert re.fullmatch(r"due for review, \d+ days overdue", c.reason)
    # once the review is done, the skill missed twice comes next, not a new one
    log.item(first, later, "correct")
    soon = later + timedelta(minutes=1)
    c = choose(log, soon)
    assert (c.skill, c.reason) == (second, "you missed this twice")
    assert third not in unlocked(SKILLS, log.states(soon))


def test_not_more_than_max_run_in_a_row_when_another_skill_is_open():
    first, second = ORDER[1][:2]
    log = Log().familiar(first, T0).item(second, T0 + timedelta(minutes=3), "correct")
    now = T0 + timedelta(minutes=5)
    assert choose(log, now, asked=[second] * (MAX_RUN - 1)).skill == second
    c = choose(log, now, asked=[first] + [second] * MAX_RUN)
    assert c.skill == first and c.reason == "your weakest skill so far, familiar"


def test_a_skill_without_templates_is_never_chosen():
    log = Log().item("1.99 no such skill", T0, "wrong", "wrong")
    c = choose(log, T0 + timedelta(days=3))  # due, but nothing can be drawn for it
    assert c.skill == ORDER[1][0]


def test_weak_is_low_mastery_or_recently_missed():
    a, b, c, d = ORDER[1][:4]
    log = Log().familiar(a, T0)                                       # not weak
    log.item(b, T0, "correct")                                        # weak: attempted
    log.familiar(c, T0).item(c, T0 + timedelta(minutes=2), "wrong", "wrong")  # missed last
    log.familiar(d, T0).item(d, T0 + timedelta(minutes=3), "skip")    # skipped last
    weak = [s.skill for s in weak_skills(SKILLS, log.states(T0 + timedelta(minutes=9)))]
    assert sorted(weak) == sorted([b, c, d])
    assert weak_skills(SKILLS, []) == []


# --- end to end, through the CLI (a crafted store, piped input) -------------------------------

@pytest.fixture
def cli(tmp_path, monkeypatch):
    """``calctutor ...`` through Typer's runner, with the progress in ``tmp_path``."""
    from typer.testing import CliRunner

    from calctutor.cli import app

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "100")

    def invoke(*args, input=None):
        res = CliRunner().invoke(app, list(args), input=input)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise res.exception
        return res

    return invoke


def store_with(log, home):
    store = Store.open(Path(home) / "progress.db")
    for a in log.attempts:
        store.record(a)
    return store


def test_the_chosen_quiz_says_why_and_follows_the_learner(cli, tmp_path):
    import sympy

    from calctutor.drills import generate
    from calctutor.parsing import parse_expression

    first, second = ORDER[1][:2]

    def right(number):
        """Question ``number``'s derivative (or slope), by SymPy here (the quiz draws question n of
        seed s with seed 1000 s + n)."""
        (ex,) = generate(skill=first, count=1, seed=5 * 1000 + number)
        expr = parse_expression(ex.input["expr"]).expr
        (x,) = expr.free_symbols
        slope = sympy.diff(expr, x)
        if "at" in ex.input:  # a slope read off a graph: its value at the marked point
            slope = slope.subs(x, parse_expression(str(ex.input["at"]["x"])).expr)
        return sympy.sstr(slope)

    res = cli("quiz", "--count", "3", "--seed", "5", input=f"{right(1)}\n{right(2)}\nquit\n")
    assert res.exit_code == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "Quiz: chosen for you" in out
    assert f"{first} (next in module 1)" in out
    # one right answer is not yet 'familiar': the same skill again, saying so
    assert f"{first} (next in module 1, not yet familiar)" in out
    assert out.count("YES - Correct") == 2
    # two right answers: familiar, so the next skill opens
    assert f"{second} (next in module 1)" in out
    assert [a.skill for a in Store.open().attempts()] == [first, first]


def test_the_chosen_quiz_asks_the_due_skill_first(cli, tmp_path):
    now = datetime.now(timezone.utc)
    second = ORDER[2][1]
    store_with(Log().familiar(second, now - timedelta(days=60)), tmp_path)
    res = cli("quiz", "--count", "1", "--seed", "2", input="skip\n")
    assert res.exit_code == 0, res.stderr
    assert re.search(re.escape(second) + r" \(due for review, \d+ days overdue\)", res.stdout)


@pytest.mark.parametrize("args", [("quiz",), ("quiz", "--count", "1"), ("progress", "--plot"),
                                  ("exercises", "--weak")])
def test_piped_runs_without_input_end(cli, args):
    res = cli(*args, input="")
    assert res.exit_code == 0, res.stderr
    assert "Traceback" not in res.stderr


def test_a_weak_worksheet_draws_on_the_weak_skills_only(cli, tmp_path):
    a, b, c = ORDER[1][:3]
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    log = Log().familiar(a, now)                                     # familiar: not weak
    log.item(b, now, "correct")                                      # attempted: weak
    log.familiar(c, now).item(c, now + timedelta(minutes=3), "wrong", "wrong")  # missed
    store_with(log, tmp_path)
    res = cli("exercises", "--weak", "--count", "4", "--seed", "1", "--format", "json")
    assert res.exit_code == 0, res.stderr
    drawn = [e["skill"] for e in json.loads(res.stdout)]
    assert len(drawn) == 4 and set(drawn) == {b, c}
    text = cli("exercises", "--weak", "--count", "2", "--seed", "1", "--format", "plain")
    heading = text.stdout.splitlines()[0]
    assert re.fullmatch(r"Worksheet: from your 2 weakest skills: (\S+), (\S+)", heading)
    assert set(heading.split(": ")[-1].split(", ")) == {b.split()[0], c.split()[0]}


def test_weak_without_progress_says_so_and_json_stays_a_list(cli):
    text = cli("exercises", "--weak")
    assert text.exit_code == 0 and text.stdout.startswith("No progress yet")
    assert "calctutor quiz" in text.stdout and len(text.stdout.strip().splitlines()) == 1
    data = cli("exercises", "--weak", "--format", "json")
    assert data.exit_code == 0 and json.loads(data.stdout) == []
    both = cli("exercises", "--weak", "--skill", "1.3")
    assert both.exit_code == 2 and both.stderr.startswith("Error: --weak and --skill")
