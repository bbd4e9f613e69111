"""Start-up time of the calctutor CLI against baselines measured in the same run.

1. ``calctutor --help`` vs a minimal Typer app with the same number of commands printing
   its ``--help`` (target: ratio <= 1.2);
2. ``calctutor diff "x^2 sin(x)"`` in the plain format (the default when piped) and in the
   rich one (the default on a terminal: 2-D pretty print) vs ``python -c`` doing the same
   ``sympy.diff`` and printing it (target: ratio <= 1.3 for both);
3. whether ``calctutor --help`` imports SymPy (it must not).

Each command runs in a fresh subprocess; runs are interleaved (a, b, a, b, ...) after a
warm-up so that drift affects both sides alike; the median is reported.

    python bench/bench_startup.py [--runs 15] [--strict]

``--strict`` exits with status 1 when a target is missed (for CI); by default it only reports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HELP_TARGET, DIFF_TARGET = 1.2, 1.3
DIFF_EXPR = "x^2 sin(x)"
SYMPY_DIFF = ("import sympy; x = sympy.Symbol('x'); "
              "print(sympy.diff(x**2*sympy.sin(x), x))")


def calctutor_command() -> list[str]:
    """The installed console script next to this Python, else ``python -m calctutor``."""
    script = Path(sys.executable).parent / ("calctutor.exe" if os.name == "nt" else "calctutor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "calctutor"]


def command_count() -> int:
    try:
        from calctutor.cli import app
    except ImportError as err:
        sys.exit(f"bench_startup: cannot import calctutor.cli ({err}); is calctutor installed "
                 "in this Python?")
    return len(app.registered_commands) + len(app.registered_groups)


def write_minimal_app(folder: Path, commands: int) -> Path:
    """A Typer app with ``commands`` commands, each with an argument and two options."""
    body = ["import typer", "", "app = typer.Typer(help='A minimal app for comparison.')", ""]
    for i in range(commands):
        body += [
            "@app.command()",
            f"def command{i}(expr: str, var: str = 'x', fmt: str = 'plain'):",
            f"    '''Command number {i}: does nothing.'''",
            "    print(expr, var, fmt)",
            "",
        ]
    body += ["if __name__ == '__main__':", "    app()", ""]
    path = folder / "minimal_app.py"
    path.write_text("\n".join(body))
    return path


def run_once(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench_startup: {' '.join(argv)!r} failed (exit {done.returncode}):\n"
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


def paired_medians(a: list[str], b: list[str], runs: int, env: dict) -> tuple[float, float]:
    """Median wall time of ``a`` and ``b``, interleaved, after one warm-up run of each."""
    run_once(a, env)
    run_once(b, env)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(run_once(a, env))
        times_b.append(run_once(b, env))
    return statistics.median(times_a), statistics.median(times_b)


def cli_code(*argv: str) -> str:
    """Python code that runs the calctutor CLI with ``argv`` in-process, then lists modules."""
    return textwrap.dedent(f"""
        import sys
        sys.argv = ['calctutor', *{list(argv)!r}]
        from calctutor.cli import app
        try:
            app()
        except SystemExit:
            pass
        sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')
    """)


def import_profile(code: str, env: dict, top: int = 6) -> tuple[set[str], list[str]]:
    """(modules loaded by ``code``, its slowest top-level imports by -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    modules = set(done.stderr.rsplit("MODULES ", 1)[-1].split())
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line[len("import time:"):].split("|", 2)
            if cumulative.strip().isdigit() and not name.startswith("  "):
                rows.append((int(cumulative), name.strip()))
    return modules, [f"{us / 1000:7.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    ours = calctutor_command()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CALCTUTOR_HOME=tmp, COLUMNS="100", NO_COLOR="1")
        n = command_count()
        minimal = [sys.executable, str(write_minimal_app(Path(tmp), n)), "--help"]
        help_ours, help_base = paired_medians(ours + ["--help"], minimal, args.runs, env)
        diffs = {fmt: paired_medians(ours + ["diff", DIFF_EXPR, "--format", fmt],
                                     [sys.executable, "-c", SYMPY_DIFF], args.runs, env)
                 for fmt in ("plain", "rich")}
        help_modules, help_slowest = import_profile(cli_code("--help"), env)
        _, diff_slowest = import_profile(cli_code("diff", DIFF_EXPR, "--format", "plain"), env)
        _, base_slowest = import_profile(SYMPY_DIFF, env)
    imports_sympy = "sympy" in help_modules

    help_ratio = help_ours / help_base
    diff_ratios = {fmt: ours_s / base_s for fmt, (ours_s, base_s) in diffs.items()}
    print(f"calctutor start-up ({args.runs} interleaved runs each, median wall time; "
          f"command: {' '.join(ours)})")
    print(f"  --help        calctutor {help_ours * 1e3:7.1f} ms   minimal Typer app "
          f"({n} commands) {help_base * 1e3:7.1f} ms   ratio {help_ratio:5.2f}  "
          f"(target <= {HELP_TARGET})  {verdict(help_ratio, HELP_TARGET)}")
    for fmt, (diff_ours, diff_base) in diffs.items():
        ratio = diff_ratios[fmt]
        print(f"  diff ({fmt:5s}) calctutor {diff_ours * 1e3:7.1f} ms   python -c sympy.diff "
              f"{diff_base * 1e3:17.1f} ms   ratio {ratio:5.2f}  "
              f"(target <= {DIFF_TARGET})  {verdict(ratio, DIFF_TARGET)}")
    print(f"  --help imports sympy: {'YES (it must not)' if imports_sympy else 'no'}")
    for title, rows in (("calctutor --help", help_slowest), ("calctutor diff", diff_slowest),
                        ("python -c sympy.diff", base_slowest)):
        print(f"  slowest top-level imports of {title} (python -X importtime, cumulative):")
        for row in rows:
            print(f"    {row}")
    missed = help_ratio > HELP_TARGET or max(diff_ratios.values()) > DIFF_TARGET or imports_sympy
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
