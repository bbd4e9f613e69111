"""``calctutor quiz`` scripted end to end (stdin not a terminal: one answer per line), and
``calctutor progress``: the transcript, the stored progress, the review, bad input."""

import re
from datetime import datetime, timedelta, timezone

import pytest
import sympy

from calctutor.coach.store import Attempt, Store
from calctutor.parsing import parse_expression

SKILL = "1.3 power rule"
ARGS = ("quiz", "module1", "--skill", SKILL, "--seed", "3")


def right_answers(count, seed=3, skill=SKILL):
    """Each question's derivative, computed with SymPy here (not by calctutor)."""
    from calctutor.drills import generate

    out = []
    for ex in generate(1, count=count, seed=seed, skill=skill):
        expr = parse_expression(ex.input["expr"], positive=bool(ex.input.get("positive"))).expr
        (x,) = expr.free_symbols
        out.append(sympy.diff(expr, x))
    return out


def loose(expr):
    """The answer as a learner types it: ^ for powers, a space for a product."""
    return sympy.sstr(expr).replace("**", "^").replace("*", " ")


def test_a_scripted_quiz_right_wrong_hint_skip_quit(cli):
    r = right_answers(5)
    script = [loose(r[0]),                      # 1: right first time, loose notation
              "x + 12345", sympy.sstr(r[1]),    # 2: wrong, then right at the second try
              "", "hint", sympy.sstr(r[2]),     # 3: a blank line, a hint, then right
              "skip",                           # 4
              "quit"]                           # 5
    res = cli(*ARGS, "--count", "5", input="\n".join(script) + "\n")
    assert res.code == 0, res.err
    out = res.out
    for k in range(1, 6):
        assert f"Question {k} of 5" in out
    # typed loosely, but read exactly as typed (only product signs added): no "Read as"
    assert f"Your answer: {loose(r[0])}\n" in out and "Read as" not in out
    assert out.index(f"Your answer: {loose(r[0])}") < out.index("YES - Correct")
    assert out.count("YES - Correct") == 3
    assert out.count("NO - Not correct") == 1
    assert "One more try" in out
    hint = out[out.index("Hint 1 of "):]
    hint = hint.split("Your answer:")[0]
    assert "Method:" in hint and "rule" in hint  # the first hint names the method
    assert "Skipped." in out and "Question 5 of 5" in out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("Summary: score 2/4 (1 right first time, 2 right with help "
                              "(1/2 each), 1 missed)")
    assert "review: 1.3 power rule" in summary and "(quiz ended: quit)" in summary
    assert res.err == ""

    got = Store.open().attempts()
    assert [(a.item, a.outcome, a.try_, a.hints) for a in got] == [
        (1, "correct", 1, 0), (2, "wrong", 1, 0), (2, "correct", 2, 0), (3, "correct", 1, 1),
        (4, "skip", 1, 0)]

    progress = cli("progress", "--format", "json")
    assert progress.code == 0
    data = progress.json()
    assert data["total_attempts"] == 5
    (skill,) = data["skills"]
    assert {k: skill[k] for k in ("module", "skill", "attempts", "correct")} == {
        "module": 1, "skill": SKILL, "attempts": 5, "correct": 3}
    assert skill["mastery"] in ("attempted", "familiar", "proficient", "mastered")
    due = datetime.fromisoformat(skill["due"].replace("Z", "+00:00"))
    assert due > datetime.now(timezone.utc)  # just practised: not due yet


def test_solution_aliases_unreadable_answers_and_end_of_input(cli):
    r = right_answers(3)
    script = ["?", "h", "2x +* 3", "solution", "nonsense(((", sympy.sstr(r[1])]
    res = cli(*ARGS, "--count", "3", input="\n".join(script) + "\n")
    assert res.code == 0
    assert "Hint 1 of" in res.out and "Hint 2 of" in res.out
    assert "Could not read your answer" in res.out           # not counted, asked again
    assert "The worked solution" in res.out and "Steps" in res.out
    assert res.out.count("Could not read your answer") == 2
    assert res.out.strip().splitlines()[-1].startswith("Summary: score 1/2")
    assert "(quiz ended: end of input)" in res.out
    assert [(a.item, a.outcome) for a in Store.open().attempts()] == [
        (1, "solution"), (2, "correct")]


def test_two_wrong_answers_show_the_worked_solution(cli):
    res = cli(*ARGS, "--count", "1", input="x\nx^2\n")
    assert res.code == 0
    assert res.out.count("NO - Not correct") == 2
    assert "Here is the worked solution" in res.out and "Result:" in res.out
    assert "Summary: score 0/1" in res.out


def test_review_draws_the_due_skills_most_overdue_first(cli):
    store = Store.open()
    long_ago = datetime.now(timezone.utc) - timedelta(days=30)
    for k, (skill, days) in enumerate([("1.8 chain rule", 10), (SKILL, 0)]):
        store.record(Attempt("old", k + 1, 1, skill, "e", "correct", "x", at=long_ago + timedelta(days=days)))
    res = cli("quiz", "--review", "--count", "3", "--seed", "1", input="skip\nskip\nskip\n")
    assert res.code == 0, res.err
    asked = re.findall(r"Module 1: (1\.\d+ [a-z ]+)\n", res.out)
    assert asked == [SKILL, "1.8 chain rule", SKILL]  # most overdue first, in turn
    # the skips were recorded: now both are due in minutes, not now
    nothing = cli("quiz", "--review", input="")
    assert nothing.code == 0 and "Nothing is due for review" in nothing.out


def test_a_review_of_one_due_skill_mixes_in_its_neighbours(cli):
    due = "3.1 multivariate chain rule"
    Store.open().record(Attempt("old", 1, 3, due, "e", "correct", "x",
                                at=datetime.now(timezone.utc) - timedelta(days=30)))
    res = cli("quiz", "--review", "--seed", "4", input="skip\n" * 12)
    assert res.code == 0, res.err
    assert f"1 skill is due for review: {due}; mixed with the related skills" in res.out
    asked = re.findall(r"Module (\d): ((\d)\.(\d+) [a-z -]+)\n", res.out)
    assert 2 <= sum(a[1] == due for a in asked) <= 3  # not ten times
    assert all(a[0] == "3" == a[2] for a in asked)  # related: the same module
    assert all(x[1] != y[1] for x, y in zip(asked, asked[1:], strict=False))  # never twice
    n = len(asked)
    assert f": {n} questions (fewer than 10" in res.out and f"review · {n} questions" in res.out


def test_review_plans():
    from calctutor.coach.plan import no_repeats, review_plan

    course = ["1.1 a", "1.2 b", "1.3 c", "1.4 d", "2.1 e", "2.2 f"]
    plan = review_plan(["1.3 c"], 10, course)
    assert plan.order == ("1.3 c", "1.2 b", "1.3 c", "1.4 d", "1.3 c", "1.1 a")
    # many due: each in turn, most overdue first, none related
    many = review_plan(["2.2 f", "1.1 a", "1.2 b"], 4, course)
    assert many.order == ("2.2 f", "1.1 a", "1.2 b", "2.2 f") and many.related == ()

    class Ex:
        def __init__(self, template, skill):
            self.template, self.skill = template, skill

    exs = [Ex("t1", "s1"), Ex("t1", "s1"), Ex("t2", "s2"), Ex("t1", "s1")]
    assert [e.template for e in no_repeats(exs)] == ["t1", "t2", "t1"]  # one t1 dropped


def test_the_progress_table(cli):
    empty = cli("progress")
    assert empty.code == 0 and "No answers recorded yet" in empty.out
    cli(*ARGS, "--count", "2", input="x\nx\nskip\n")
    res = cli("progress")
    assert res.code == 0
    assert "Module 1" in res.out
    row = next(line for line in res.out.splitlines() if line.startswith(SKILL))
    assert "[#---] attempted" in row and "3" in row and "0 (0%)" in row
    assert "[----] not started" in res.out  # the course's other skills
    assert "3 attempts in total." in res.out
    one = cli("progress", "module2", "--format", "json")
    data = one.json()
    assert {k: data[k] for k in ("total_attempts", "skills")} == {"total_attempts": 0,
                                                                 "skills": []}


@pytest.mark.parametrize("args, message", [
    (("quiz", "module9"), "unknown module 'module9'"),
    (("quiz", "1", "--count", "0"), "--count"),
    (("quiz", "1", "--format", "json"), "'json' is not one of 'rich', 'plain'"),
    (("quiz", "1", "--skill", "no such skill at all"), "no such skill at all"),
    (("progress", "seven"), "unknown module 'seven'"),
])
def test_bad_input_is_one_error_line_and_exit_2(cli, args, message):
    res = cli(*args, input="")
    assert res.code == 2
    assert res.err.startswith("Error: ") and message in res.err
    assert len(res.err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind, inp, answer", [
    ("diff", {"expr": "x^2 sin(3x)"}, "diff(x**2*sin(3*x), x)"),
    ("gradient", {"expr": "x^2 y + sin(y)"}, "Matrix([[2*x*y, x**2 + cos(y)]])"),
    ("jacobian", {"expr": "x y, x + y^2"}, "Matrix([[y, x], [1, 2*y]])"),
    ("taylor", {"expr": "e^x", "order": 3}, "1 + x + x**2/2 + x**3/6"),
])
def test_hints_lead_up_to_the_answer_without_giving_it(kind, inp, answer):
    from calctutor.coach.views import _expressions, answer_doc, hint_docs
    from calctutor.render.views import view
    from calctutor.topics import run_kind

    result = run_kind(kind, inp)
    x, y = sympy.symbols("x y", real=True)
    want = sympy.sympify(answer, locals={"x": x, "y": y})
    doc = view(result)
    hints = hint_docs(result, doc)
    assert len(hints) >= 2
    for hint in hints:
        for e in (e for block in hint for e in _expressions(block)):
            if isinstance(e, sympy.MatrixBase) or isinstance(want, sympy.MatrixBase):
                assert not (isinstance(e, sympy.MatrixBase) and e.shape == want.shape
                            and (e - want).applyfunc(sympy.simplify).is_zero_matrix)
            elif not isinstance(e, sympy.Equality) and not e.has(sympy.Derivative):
                assert sympy.simplify(e - want) != 0, (kind, e)
    # after a skip the answer is shown, and it is the right one
    (shown,) = answer_doc(result, doc, result.answer_spec())
    got = shown.expr.rhs if isinstance(shown.expr, sympy.Equality) else shown.expr
    got = sympy.Matrix(got) if isinstance(want, sympy.MatrixBase) else got
    if isinstance(want, sympy.MatrixBase):
        assert (got.reshape(*want.shape) - want).applyfunc(sympy.simplify).is_zero_matrix
    else:
        assert sympy.simplify(got - want) == 0


def test_a_damaged_database_is_moved_aside_with_a_clear_message(cli, tmp_path):
    (tmp_path / "progress.db").write_bytes(b"not a database at all\n" * 50)
    res = cli("progress", "--format", "json")
    assert res.code == 0
    assert {k: res.json()[k] for k in ("total_attempts", "skills")} == {
        "total_attempts": 0, "skills": []}
    assert res.err.startswith("Warning: The progress database") and "moved aside" in res.err
    assert len(list(tmp_path.glob("progress.db.damaged-*"))) == 1
    again = cli(*ARGS, "--count", "1", input="skip\n")  # the fresh store records again
    assert again.code == 0 and again.err == ""
    assert cli("progress", "--format", "json").json()["total_attempts"] == 1


def test_progress_reset_keeps_the_old_record_aside(cli, tmp_path):
    cli(*ARGS, "--count", "1", input="skip\n")
    refused = cli("progress", "--reset", input="")
    assert refused.code == 2 and "--yes" in refused.err
    assert cli("progress", "--format", "json").json()["total_attempts"] == 1
    res = cli("progress", "--reset", "--yes")
    assert res.code == 0 and "Progress reset" in res.out
    assert cli("progress", "--format", "json").json()["total_attempts"] == 0
    (old,) = tmp_path.glob("progress.db.reset-*")
    assert Store(old).count() == 1  # the backup holds every answer


def test_a_classification_item_asks_for_points_and_shows_them_on_skip(cli):
    from calctutor.drills import generate

    (ex,) = generate(2, count=1, seed=1, skill="2.9")
    # the classification worked out here with SymPy alone, not by calctutor
    f = parse_expression(ex.input["expr"]).expr
    xs = sorted(f.free_symbols, key=lambda s: s.name)
    (point,) = sympy.solve([sympy.diff(f, v) for v in xs], xs, dict=True)
    h = sympy.hessian(f, xs).subs(point)
    kind = "saddle" if h.det() < 0 else ("minimum" if h[0, 0] > 0 else "maximum")
    shown = "(" + ", ".join(sympy.sstr(point[v]) for v in xs) + f") {kind}"
    skipped = cli("quiz", "--skill", "2.9", "--count", "1", "--seed", "1", input="skip\n")
    assert "stationary point with its kind" in skipped.out
    assert "Hessian as a matrix" not in skipped.out
    assert f"Answer: {shown}" in skipped.out
    right = cli("quiz", "--skill", "2.9", "--count", "1", "--seed", "1", input=shown + "\n")
    assert "Correct" in right.out and "score 1/1" in right.out


def test_a_right_answer_after_the_last_hint_is_stored_as_copied(cli):
    """The 3.6 cost question: the first wrong answer's verdict does not give the cost; the
    last hint does, and a right answer after it earns nothing and is stored as revealed."""
    x = sympy.tanh(2) ** 2  # a = tanh(w a0 + b) = tanh(2) for w = -3, b = -1, a0 = -1; y = 0
    args = ("quiz", "--skill", "3.6", "--count", "1", "--seed", "11")
    first = cli(*args, input="0\nskip\n")
    assert first.code == 0, first.err
    assert "tanh(2)" not in first.out.split("Your answer: 0")[1].split("Skipped.")[0]
    assert f"{float(x):.6f}"[:6] not in first.out.split("Skipped.")[0]
    hints = int(re.search(r"Hint 1 of (\d+)", cli(*args, input="hint\nquit\n").out).group(1))
    res = cli(*args, input="hint\n" * hints + "tanh(2)^2\n")
    assert f"Hint {hints} of {hints} (the answer" in res.out
    assert "YES - Correct" in res.out
    summary = res.out.strip().splitlines()[-1]
    assert summary.startswith("Summary: score 0/1 (0 right first time, 1 right after the "
                              "answer was shown (no credit))")
    last = Store.open().attempts()[-1]
    assert (last.outcome, last.hints, last.revealed) == ("correct", hints, True)
    (skill,) = cli("progress", "--format", "json").json()["skills"]
    assert skill["correct"] == 0  # a copy is not counted as known


def test_quiz_help_offers_only_the_formats_the_quiz_prints(cli):
    res = cli("quiz", "--help")
    assert res.code == 0
    assert "rich or plain" in " ".join(res.out.split())
    for other in ("latex", "markdown", "json"):
        assert other not in res.out
    bad = cli("quiz", "--format", "json", input="")
    assert bad.code == 2 and "rich" in bad.err and "plain" in bad.err
