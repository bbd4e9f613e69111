"""examples/tour.ipynb runs cell by cell in a real Jupyter kernel, and every solution shows
itself as Markdown with its maths (what a learner sees in the notebook); its quiz records
each try in the progress store the kernel was given."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

TOUR = Path(__file__).resolve().parent.parent / "examples" / "tour.ipynb"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def executed(home):
    nb = nbformat.read(TOUR, as_version=4)
    with pytest.MonkeyPatch.context() as env:  # the kernel's progress store: never the real one
        env.setenv("CALCTUTOR_HOME", str(home))
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(TOUR.parent)}}).execute()
    return nb


def _markdown(cell) -> str:
    return "".join(o.get("data", {}).get("text/markdown", "") for o in cell.outputs
                   if o.output_type == "execute_result")


def _cell(nb, source_start: str):
    return next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source_start))


def test_every_cell_runs_without_an_error(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) >= 15
    for cell in code:
        assert not any(o.output_type == "error" for o in cell.outputs), cell.source
        # nothing is printed as a side effect: results show themselves
        assert not any(o.output_type == "stream" for o in cell.outputs), cell.source


@pytest.mark.parametrize("source, latex", [
    ('ct.diff("x^2 sin(x)")', r"\sin"),
    ('ct.gradient(', r"\nabla"),
    ('ct.hessian(', r"\left["),
    ('ct.taylor("ln x"', r"\ln"),
    ('ct.fit(', r"\chi"),
])
def test_solutions_render_their_maths(executed, source, latex):
    shown = _markdown(_cell(executed, source))
    assert "$" in shown and latex in shown, shown[:500]


def test_a_checked_answer_shows_its_verdict_and_the_mistake(executed):
    shown = _markdown(_cell(executed, 'ct.diff("sin(x^2)").check'))
    assert "Not correct" in shown and "chain" in shown.lower()


def test_a_value_at_a_point_is_a_sympy_number(executed):
    cell = _cell(executed, "x = sp.Symbol")
    out = next(o for o in cell.outputs if o.output_type == "execute_result")
    assert out["data"]["text/plain"].strip() == "3"  # d/dx e^(3x) cos(x) at 0 = 3
    # a SymPy result is pure maths: Jupyter typesets it from SymPy's own LaTeX
    assert out["data"]["text/latex"] == r"$\displaystyle 3$"


def test_the_quiz_shows_its_question_and_records_each_try(executed, home):
    from calctutor.coach.store import DB_NAME, Store

    question = _markdown(_cell(executed, 'q = ct.quiz('))
    assert "Question 1 of 2" in question and r"\frac{d}{d x}" in question
    hint = _markdown(_cell(executed, "q.hint()"))
    assert hint.startswith("*Hint 1 of")
    wrong = _markdown(_cell(executed, 'q.answer('))
    assert "Not correct" in wrong and "One more try" in wrong
    assert "$$" not in wrong  # neither the answer nor the worked solution before the last try
    skipped = _markdown(_cell(executed, "q.skip()"))
    assert "Skipped" in skipped and "Question 2 of 2" in skipped and "$$" in skipped
    assert "Score" in _markdown(_cell(executed, "q.summary()"))
    attempts = Store.open(home / DB_NAME).attempts()
    assert [(a.outcome, a.answer) for a in attempts] == [
        ("wrong", "4x^3 cos(x) e^(2x)"), ("skip", None)]
