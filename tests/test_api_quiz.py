"""``ct.quiz``: the command line's quiz from Python, one call per answer. Every judged answer
is in the CLI's progress store (read back through the store's own API and through
``calctutor progress``); no answer is shown before the last try; seeds reproduce a quiz;
misuse raises ``ct.InputError``. Answers are computed independently with SymPy."""

from __future__ import annotations

import doctest
import inspect
import json
import re
import sys
import types

import pytest
import sympy as sp
from typer.testing import CliRunner

import calctutor as ct
from calctutor import api
from calctutor.cli.app import app
from calctutor.coach.store import Store
from calctutor.parsing import parse_expression

X = sp.Symbol("x")


def _derivative(item) -> sp.Expr:
    """The exercise's derivative, by SymPy (not by calctutor's differentiator)."""
    expr = parse_expression(item.exercise.input["expr"]).expr
    (var,) = expr.free_symbols
    return sp.diff(expr, var)


def _display_maths(markdown: str) -> list[str]:
    return [m.strip() for m in re.findall(r"\$\$(.+?)\$\$", markdown, re.S)]


def test_the_docstring_examples_run():
    import calctutor.api.quizzes

    failures, tried = doctest.testmod(calctutor.api.quizzes)
    assert tried >= 4 and failures == 0


def test_every_try_is_recorded_as_the_cli_quiz_records_it(capsys):
    q = ct.quiz("module1", count=2, seed=7, skill="1.7")  # product rule: derivatives
    first = q.exercises[0]
    assert q.number == 1 and q.prompt == first.prompt
    d = _derivative(first)

    wrong = q.answer(sp.sstr(d + 1))
    assert wrong.correct is False and wrong.counted and not wrong.finished
    assert "Not correct" in str(wrong) and "One more try" in str(wrong)
    unreadable = q.answer("sin((x")  # not read: not a try, the question stays
    assert unreadable.correct is None and not unreadable.counted and q.number == 1
    right = q.answer(d)  # a SymPy object is accepted as an answer
    assert right.correct is True and right.finished and q.number == 2
    assert "Question 2 of 2" in str(right)  # the next question follows, as on the CLI
    last = q.skip()
    assert last.done and q.done and "Summary: score 0.5/2" in str(last)
    assert "1 right with help" in str(last)

    attempts = Store.open().attempts()
    assert [(a.outcome, a.try_, a.item) for a in attempts] == [
        ("wrong", 1, 1), ("correct", 2, 1), ("skip", 1, 2)]
    assert attempts[0].answer == sp.sstr(d + 1) and len({a.session for a in attempts}) == 1
    assert {a.skill for a in attempts} == {first.skill}
    assert q.summary().score == 0.5 and q.summary().asked == 2

    shown = CliRunner().invoke(app, ["progress", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    (row,) = json.loads(shown.output)["skills"]
    assert (row["skill"], row["attempts"], row["correct"]) == (first.skill, 3, 1)
    with pytest.raises(ct.InputError, match="quiz is over"):
        q.answer("x")
    assert capsys.readouterr() == ("", "")  # nothing printed: every object shows itself


def test_no_answer_is_shown_before_the_last_try():
    q = ct.quiz("module1", count=1, seed=11, skill="1.7")
    d = _derivative(q.exercises[0])
    answer = q._engine.prepared.answer.formats["markdown"]  # what a skip would show
    maths = [m.split("=")[-1].strip() for m in _display_maths(answer)]  # the derivative
    assert maths and sp.latex(X) in maths[0]

    first = q.answer(sp.sstr(2 * d + X))
    assert first.correct is False and not first.finished
    assert not any(m in first._repr_markdown_() for m in maths)
    assert "Question 1 of 1" in str(q)  # still the same question

    second = q.answer(sp.sstr(2 * d + X))  # the last try: now the worked solution
    assert second.correct is False and second.finished and second.done
    assert any(m in second._repr_markdown_() for m in maths)
    assert "worked solution" in str(second)


def test_hints_lead_to_the_answer_and_a_copy_is_not_credited():
    q = ct.quiz("module1", count=1, seed=3, skill="1.7")
    d = _derivative(q.exercises[0])
    first = q.hint()
    assert str(first).startswith("Hint 1 of ") and not first.counted
    total = int(re.match(r"Hint 1 of (\d+)", str(first)).group(1))
    for _ in range(total - 1):
        last = q.hint()
    assert "the answer" in str(last)
    copied = q.answer(d)
    assert copied.correct is True and copied.done
    assert q.summary().counts["copied"] == 1 and q.summary().score == 0
    (attempt,) = Store.open().attempts()
    assert attempt.revealed and attempt.hints == total


def test_a_seed_reproduces_the_quiz():
    a, b = (ct.quiz(2, count=2, seed=5) for _ in range(2))
    assert [e.prompt for e in a.exercises] == [e.prompt for e in b.exercises]
    assert str(a) == str(b) and a._repr_markdown_() == b._repr_markdown_()
    assert a.seed == 5 and "seed 5" in str(a)
    assert str(a.skip()) == str(b.skip())  # the answer shown, then the same next question


@pytest.mark.parametrize("args, message", [
    (("module9",), "module"),
    (("module1",), "count"),
    ((None,), "skill"),
    (("module1",), "seed"),
])
def test_misuse_is_an_input_error(args, message):
    kwargs = {"count": {"count": 0}, "skill": {"skill": "no such skill at all"},
              "seed": {"seed": "seven"}}.get(message, {})
    with pytest.raises(ct.InputError, match=message) as err:
        ct.quiz(*args, **kwargs)
    assert isinstance(err.value, ValueError) and "\n" not in str(err.value)


def test_empty_answers_and_the_widget_without_ipywidgets(monkeypatch):
    q = ct.quiz("module1", count=1, seed=7, skill="1.7")
    with pytest.raises(ct.InputError, match="empty answer"):
        q.answer("   ")
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        q.widget()
    # with ipywidgets (a stand-in here), the Check button judges the text box
    fake = types.ModuleType("ipywidgets")

    class Widget:
        def __init__(self, *children, **kw):
            self.value, self.kw, self.clicks = "", kw, []

        def on_click(self, f):
            self.clicks.append(f)

        def clear_output(self):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    made: list = []

    def make(*children, **kw):
        made.append(Widget(*children, **kw))
        return made[-1]

    fake.Text = fake.Button = fake.Output = fake.HBox = fake.VBox = make
    monkeypatch.setitem(sys.modules, "ipywidgets", fake)
    shown: list = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    q.widget()
    box = next(w for w in made if w.kw.get("placeholder"))
    check = next(w for w in made if w.kw.get("description") == "Check")
    box.value = sp.sstr(_derivative(q.exercises[0]))
    check.clicks[0](check)
    assert shown[0] is q and shown[-1].correct is True and box.value == ""


def test_ct_quiz_stays_the_function_once_every_package_is_imported():
    # importing a subpackage sets it on its parent, so no subpackage may be named after a
    # function of the API (the quiz's package is calctutor.coach)
    import pkgutil

    import calctutor

    for info in pkgutil.iter_modules(calctutor.__path__):
        __import__(f"calctutor.{info.name}")
        assert info.name not in calctutor._API, info.name
    assert ct.quiz is api.quiz and "quiz" in dir(ct)
    assert str(inspect.signature(ct.quiz)).startswith("(module=None, *, count=5")
    assert ct.Quiz is api.Quiz


def test_a_question_that_cannot_be_prepared_is_said_and_not_recorded(monkeypatch):
    from calctutor.errors import LimitError

    def too_slow(*args):
        raise LimitError("the time limit (20 s) was reached")

    monkeypatch.setattr("calctutor.coach.engine._prepare", too_slow)  # the worker is a fork
    q = ct.quiz("module1", count=2, seed=7)
    assert q.done and str(q).count("could not be prepared") == 2
    assert q.summary().asked == 0 and Store.open().attempts() == []
    with pytest.raises(ct.InputError, match="over"):
        q.hint()


def test_a_quiz_without_a_module_is_chosen_by_the_tutor_as_on_the_command_line():
    import calctutor as ct
    from calctutor.coach.app import course_skills
    from calctutor.coach.path import choose_next
    from calctutor.coach.schedule import skill_states
    from calctutor.coach.store import Store, utc_now

    first = choose_next(course_skills(), [], utc_now())  # a fresh learner: the course's start
    q = ct.quiz(count=2, seed=5)
    assert q.scope == "chosen for you" and q.count == 2
    shown = str(q)
    assert f"{first.skill} ({first.reason})" in " ".join(shown.split()), shown
    q.skip()
    got = Store.open().attempts()
    assert [(a.skill, a.outcome) for a in got] == [(first.skill, "skip")]
    # the second question is chosen after the first was stored, from what is stored now
    nxt = choose_next(course_skills(), skill_states(got), utc_now(), [first.skill])
    assert nxt.skill in " ".join(str(q).split())
