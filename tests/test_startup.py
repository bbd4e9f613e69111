"""Start-up stays fast: the CLI layer never imports SymPy before a command needs it."""

import subprocess
import sys
import tomllib
from pathlib import Path

from calctutor.topics import TOPICS

ROOT = Path(__file__).resolve().parent.parent
# the CLI layer: every module of calctutor/cli found on disk (a new or renamed one is
# covered) and the registry the CLI reads at start-up
CLI_LAYER = ["calctutor/__init__.py", "calctutor/__main__.py", "calctutor/errors.py",
             "calctutor/topics/__init__.py",
             *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "calctutor" / "cli").glob("*.py"))]
KNOWN_COMMANDS = {"diff", "equiv", "gradient", "jacobian", "hessian", "chain", "backprop",
                  "taylor", "newton", "descent", "lagrange", "fit", "exercises", "quiz", "progress"}


def _command_names() -> list[str]:
    """The names the Typer app registers (as a user types them)."""
    import typer.main

    from calctutor.cli import app

    return sorted(typer.main.get_command(app).commands)


def _area_modules() -> list[str]:
    """The packages of every topic but diff (from the registry)."""
    return sorted(t.package for t in TOPICS if t.name != "diff")


def _view_modules() -> list[str]:
    """Every views module but diff's: the topics' (those that have one), the drills', the
    progress report's and the verdicts'."""
    import importlib.util

    topics = [f"{t.package}.views" for t in TOPICS if t.name != "diff"]
    return sorted([m for m in topics if importlib.util.find_spec(m) is not None]
                  + ["calctutor.drills.views", "calctutor.coach.views",
                     "calctutor.render.verdicts"])


def test_the_derived_lists_are_real_and_complete():
    import importlib.util

    assert "calctutor/cli/app.py" in CLI_LAYER and len(CLI_LAYER) >= 12
    assert all((ROOT / f).is_file() for f in CLI_LAYER)
    assert KNOWN_COMMANDS <= set(_command_names())
    areas = _area_modules()
    assert {"calctutor.topics.matrices", "calctutor.topics.optimise"} <= set(areas)
    views = _view_modules()
    assert {"calctutor.topics.matrices.views", "calctutor.coach.views"} <= set(views)
    assert len(views) >= len(TOPICS) + 1  # every topic but diff and equiv has one, + 3 others
    # a renamed package would make a prefix below match nothing: each of ours must exist
    for name in (*areas, *views, *(m for m in OTHER_AREAS if m.startswith("calctutor."))):
        assert importlib.util.find_spec(name) is not None, name


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
    # every registered command's --help, in one process (each call ends in SystemExit)
    runs = [["--help"], ["--version"]] + [[name, "--help"] for name in _command_names()]
    code = (
        "import sys\n"
        "from calctutor.cli import app\n"
        "for args in %r:\n"
        "    sys.argv = ['calctutor'] + args\n"
        "    try:\n        app()\n    except SystemExit:\n        pass\n" % (runs,)
    )
    mods = _modules_after(code)
    assert "sympy" not in mods and "mpmath" not in mods


def test_cli_layer_has_no_module_level_sympy_import():
    # ruff's TID253 (banned module-level imports): pyproject.toml's list, and every topic package
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    banned = config["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-module-level-imports"]
    banned = [*banned, *(t.package for t in TOPICS)]
    option = f"lint.flake8-tidy-imports.banned-module-level-imports = {banned!r}"
    res = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID253",
         "--config", option, *CLI_LAYER],
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


# packages `diff` must not load (each was a measurable part of its start-up)
OTHER_AREAS = ("calctutor.drills", "calctutor.coach", "pydantic",
               "plotext", "numpy")


def _loaded(mods: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in prefixes or m.startswith(prefixes))


def test_diff_imports_only_what_diff_needs():
    # each of these was a measurable part of `calctutor diff` start-up (bench/bench_startup.py)
    other_areas = (*OTHER_AREAS, *_area_modules())
    views = tuple(_view_modules())
    mods = _modules_of_command(["diff", "x^2 sin(x)", "--format", "plain"])
    assert "calctutor.steps.differentiate" in mods  # the job did run here
    assert _loaded(mods, *other_areas, *views, "calctutor.checking") == []
    checked = _modules_of_command(["diff", "x^2 sin(x)", "--answer", "2x sin x"])
    assert "calctutor.checking.answer" in checked
    answer_view = {"calctutor.render.verdicts"}
    assert _loaded(checked, *other_areas, *(set(views) - answer_view)) == []


def test_every_area_view_is_found_lazily():
    # a result type of each area renders in a fresh process, its view module loaded on demand
    code = (
        "from calctutor.render import render\n"
        "from calctutor.topics import run_kind\n"
        "for kind, inp in [('gradient', {'expr': 'x^2 y', 'vars': 'x,y'}),\n"
        "                  ('taylor', {'expr': 'exp(x)', 'order': 2}),\n"
        "                  ('descent', {'expr': 'x^2', 'start': {'x': '1'}, 'rate': '1/4',\n"
        "                               'steps': 1, 'vars': ['x']})]:\n"
        "    assert render(run_kind(kind, inp), 'plain')\n"
    )
    mods = _modules_after(code)
    assert {"calctutor.topics.matrices.views", "calctutor.topics.series.views",
            "calctutor.topics.optimise.views"} <= mods
    assert "calctutor.coach.views" not in mods
