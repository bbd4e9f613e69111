"""examples/tour.ipynb runs cell by cell in a real Jupyter kernel, and every solution shows
itself as Markdown with its maths (what a learner sees in the notebook)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

TOUR = Path(__file__).resolve().parent.parent / "examples" / "tour.ipynb"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(TOUR, as_version=4)
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
