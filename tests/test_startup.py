"""Start-up stays fast: the CLI layer never imports SymPy before a command needs it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI_LAYER = ["calctutor/__init__.py", "calctutor/__main__.py", "calctutor/cli.py",
             "calctutor/cli_options.py", "calctutor/cli_matrices.py", "calctutor/cli_chain.py",
             "calctutor/cli_series.py", "calctutor/cli_optimise.py", "calctutor/cli_drills.py",
             "calctutor/cli_quiz.py",
             "calctutor/cli_support.py", "calctutor/errors.py"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return set(out.stdout.split())


def test_importing_the_cli_does_not_import_sympy():
    mods = _modules_after("import calctutor.cli")
    assert "sympy" not in mods
    assert "mpmath" not in mods


def test_help_and_version_do_not_import_sympy():
    for args in (["--help"], ["--version"], ["diff", "--help"]):
        code = (
            "import sys; sys.argv = ['calctutor'] + %r\n"
            "from calctutor.cli import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n" % (args,)
        )
        mods = _modules_after(code)
        assert "sympy" not in mods, args


def test_cli_layer_has_no_module_level_sympy_import():
    # ruff's TID253 (banned module-level imports, configured in pyproject.toml)
    res = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID253", *CLI_LAYER],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def _modules_of_command(args: list[str]) -> set[str]:
    """The modules loaded once ``calctutor *args`` has run, its sandboxed job run in-process
    (so that what the job imports counts too)."""
    code = (
        "import sys, calctutor.sandbox as sb\n"
        "sb.run_limited = lambda fn, *a, timeout=0, memory_mb=0, **k: fn(*a, **k)\n"
        "sys.argv = ['calctutor'] + %r\n"
        "from calctutor.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n" % (args,)
    )
    return _modules_after(code)


def _loaded(mods: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in prefixes or m.startswith(prefixes))


def test_diff_imports_only_what_diff_needs():
    # each of these was a measurable part of `calctutor diff` start-up (bench/bench_startup.py)
    other_areas = ("calctutor.calculus", "calctutor.exercises", "calctutor.quiz", "pydantic",
                   "plotext", "numpy", "calctutor.render.views_")
    mods = _modules_of_command(["diff", "x^2 sin(x)", "--format", "plain"])
    assert "calctutor.steps.differentiate" in mods  # the job did run here
    assert _loaded(mods, *other_areas, "calctutor.checking") == []
    checked = _modules_of_command(["diff", "x^2 sin(x)", "--answer", "2x sin x"])
    assert "calctutor.checking.answer" in checked
    assert _loaded(checked, *other_areas[:-1]) == []


def test_every_area_view_is_found_lazily():
    # a result type of each area renders in a fresh process, its view module loaded on demand
    code = (
        "from calctutor.render import render\n"
        "from calctutor.commands import run_kind\n"
        "for kind, inp in [('gradient', {'expr': 'x^2 y', 'vars': 'x,y'}),\n"
        "                  ('taylor', {'expr': 'exp(x)', 'order': 2}),\n"
        "                  ('descent', {'expr': 'x^2', 'start': {'x': '1'}, 'rate': '1/4',\n"
        "                               'steps': 1, 'vars': ['x']})]:\n"
        "    assert render(run_kind(kind, inp), 'plain')\n"
    )
    mods = _modules_after(code)
    assert {"calctutor.render.views_matrices", "calctutor.render.views_series",
            "calctutor.render.views_optimise"} <= mods
    assert "calctutor.render.views_quiz" not in mods
