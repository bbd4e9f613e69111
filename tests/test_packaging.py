"""A normal (non-editable) install works and carries the exercise bank."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_package_and_exercise_bank(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("calctutor-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "calctutor/cli/app.py" in names and "calctutor/topics/diff/run.py" in names
    assert "calctutor/_exercises/README.md" in names
    assert {f"calctutor/_exercises/module{n}.toml" for n in range(1, 7)} <= set(names)
    assert "calctutor/drills/generate.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "calctutor = calctutor.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()

    # Installed (unpacked) away from the checkout, it runs and finds its bank.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import calctutor, calctutor.drills.bank as b; "
        "from calctutor.drills import load_bank; "
        "print(calctutor.__file__); print(b.bank_dir()); print(len(load_bank().templates))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    pkg_file, bank, count = out.stdout.split()
    assert int(count) >= 36  # every module's templates, read from the installed copy
    assert pkg_file.startswith(str(site))
    assert bank == str(site / "calctutor" / "_exercises")
    ver = subprocess.run([sys.executable, "-m", "calctutor", "--version"], capture_output=True,
                         text=True, cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert ver.returncode == 0 and ver.stdout.startswith("calctutor "), ver.stderr
