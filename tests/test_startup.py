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
