"""The Python API (``import calctutor as ct``): results against independent SymPy / NumPy
computations, inputs as text, SymPy objects or numbers, errors as ValueError, rendering."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import calctutor as ct
import calctutor.api

x, y, t = sp.symbols("x y t", real=True)


def test_importing_calctutor_does_not_import_sympy():
    code = "import sys, calctutor; calctutor.__version__; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_docstring_examples_run():
    failures, tried = doctest.testmod(calctutor.api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 8 and failures == 0


@pytest.mark.parametrize("expr, twin, kw, wrt", [
    ("x^2 sin(x)", x**2 * sp.sin(x), {}, [x]),
    ("x y^2", x * y**2, {"var": "y"}, [y]),
    ("e^(x y)", sp.exp(x * y), {"vars": "x,y"}, [x, y]),
    ("ln(3x + 1)", sp.log(3 * x + 1), {"order": 2}, [x, x]),
])
def test_diff_result_is_sympys_derivative(expr, twin, kw, wrt):
    sol = ct.diff(expr, **kw)
    assert sp.simplify(sol.result - sp.diff(twin, *wrt)) == 0
    assert sol.steps is not None and sol.to_json()["input"] == expr


def test_sympy_objects_and_python_numbers_are_accepted():
    sol = ct.diff(x**3 * sp.cos(x), at={"x": sp.Rational(1, 2)})
    assert sol.value == sp.diff(x**3 * sp.cos(x), x).subs(x, sp.Rational(1, 2))
    assert ct.diff("x^2", at={"x": Fraction(1, 3)}).value == sp.Rational(2, 3)
    assert ct.diff("x^2", at={"x": 2}).value == 4
    assert ct.taylor(sp.exp(x), at=0, order=3).result.expand() == sp.series(
        sp.exp(x), x, 0, 4).removeO()


def test_matrices_against_sympy():
    f = x**2 * y + sp.sin(x * y)
    grad = ct.gradient("x^2 y + sin(x y)").result
    assert sp.simplify(sp.Matrix(grad) - sp.Matrix([f.diff(x), f.diff(y)])) == sp.zeros(2, 1)
    assert ct.gradient("x^2 y", at={"x": 1, "y": 2}).value == sp.Matrix([4, 1])
    jac = ct.jacobian(["x y", "x + y^2"]).result
    assert sp.Matrix(jac) == sp.Matrix([x * y, x + y**2]).jacobian([x, y])
    hess = ct.hessian("x^3 - 3x + y^2").result
    assert sp.Matrix(hess) == sp.hessian(x**3 - 3 * x + y**2, (x, y))


def test_series_and_optimisation_against_independent_computations():
    root = ct.newton("x^2 - 2", x0=1).result
    assert abs(float(sp.Matrix([root])[0]) - float(sp.sqrt(2))) < 1e-9
    data = {"x": [0, 1, 2, 3, 4], "y": [1.1, 2.9, 5.2, 7.1, 8.8]}
    params = [float(v) for v in ct.fit(data, model="m x + c").result]
    slope, intercept = np.polyfit(data["x"], data["y"], 1)
    assert params == pytest.approx([slope, intercept])
    best = ct.lagrange("x y", constraint="x^2 + y^2 = 8").result
    assert best == 4  # max of xy on the circle of radius sqrt(8): x = y = 2
    steps = ct.descent("x^2 + y^2", start={"x": 1, "y": 1}, rate="1/4", steps=2)
    assert steps.raw.iterations[-1] is not None  # two steps ran
    assert ct.equiv("sin(x)^2 + cos(x)^2", 1).raw.equivalent is True


def test_fit_takes_a_data_frame_like_object():
    class Frame:  # what pandas offers the API: columns and item access
        columns = ["x", "y"]

        def __getitem__(self, name):
            return {"x": np.array([0, 1, 2]), "y": np.array([1.0, 3.0, 5.0])}[name]

    params = [float(v) for v in ct.fit(Frame(), model="m x + c").result]
    assert params == pytest.approx([2.0, 1.0])


def test_checking_an_answer_gives_a_verdict_with_the_mistake_named():
    sol = ct.diff("sin(x^2)")
    right = sol.check("2x cos(x^2)")
    assert right.correct is True and bool(right) and right.mistake is None
    wrong = sol.check("cos(x^2)")
    assert wrong.correct is False and not wrong
    assert wrong.mistake is not None and wrong.mistake.code == "missing_chain_factor"
    assert wrong.evidence or wrong.feedback
    assert wrong.to_json()["diagnosis"] == "missing_chain_factor"
    assert ct.check("diff", 2 * x, expr="x^2 + 1").correct is True
    # what to do next in Python's words: there is no --show option in a notebook
    for shown in (str(wrong), wrong._repr_markdown_()):
        assert "--show" not in shown and "Try again" in shown


def test_bad_input_raises_a_value_error_with_the_command_lines_message():
    with pytest.raises(ValueError) as caught:
        ct.diff("sin(")
    assert isinstance(caught.value, ct.InputError) and caught.value.kind == "ParseError"
    out = subprocess.run([sys.executable, "-m", "calctutor", "diff", "sin(", "--format", "plain"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.strip() == f"Error: {caught.value}"
    with pytest.raises(ct.InputError, match="time limit") as slow:
        ct.taylor("exp(sin(x))", order=12, time_limit=0.001)
    assert slow.value.kind == "LimitError"


def test_solutions_and_verdicts_show_themselves():
    sol = ct.diff("x^2 sin(x)")
    md = sol._repr_markdown_()
    assert "$" in md and r"\sin" in md and "product" in md.lower()
    text = str(sol)
    assert "Result" in text and "x^2" in text and "\x1b" not in text
    assert repr(sol) == text
    assert r"\sin" in sol.to_latex()
    verdict = sol.check("2x sin(x)")
    assert "Not correct" in str(verdict) and "Not correct" in verdict._repr_markdown_()


def test_exercises_render_check_hint_and_solve():
    importlib.import_module("calctutor.drills")  # the subpackage must not shadow ct.exercises

    items = ct.exercises("module1", count=3, seed=7, skill="1.7")
    again = ct.exercises("module1", count=3, seed=7, skill="1.7")
    assert [i.prompt for i in items] == [i.prompt for i in again] and len(items) == 3
    item = items[0]
    assert item.prompt in str(item) or item.skill in str(item)
    assert "$" in item._repr_markdown_()
    first, second = item.hint(), item.hint()
    assert first.number == 1 and second.number == 2 and first.total >= 2
    assert str(first) != str(second)
    solution = item.solution()
    assert item.check(solution.result).correct is True
    assert item.check("0").correct is False


def test_the_readme_python_example_runs():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.+?)\n```", readme, flags=re.S)
    assert blocks, "the README shows the API in a python block"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


# options that only shape the terminal's output or pick the check; the API's objects do both
_DISPLAY_ONLY = {"answer", "fmt", "show", "plot"}


def test_every_command_has_a_function_taking_each_of_its_options():
    import inspect

    import typer

    from calctutor.cli import app
    from calctutor.topics import COMMANDS

    commands = typer.main.get_command(app).commands
    for name in COMMANDS:
        fn = getattr(ct, name, None)
        assert fn is not None, f"calctutor {name} has no ct.{name}"
        takes = set(inspect.signature(fn).parameters)
        options = {p.name.rstrip("_") for p in commands[name].params} - _DISPLAY_ONLY
        assert options <= takes, (name, options - takes)
        assert name in ct.__all__ and name in dir(ct)
