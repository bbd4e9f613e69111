"""The Python API against SymPy, measured in the same run.

1. ``import calctutor`` alone, in a fresh interpreter, against ``python -c pass`` (it must not
   import SymPy: the difference is reported in milliseconds);
2. ``ct.diff("x^2 sin(x)")`` in a warm process (the topic imported, one call made) against
   ``sympy.diff`` of the same expression, SymPy's cache cleared before every call on both
   sides. The API call includes what the command line does too: the safe parser, the step
   tree, the tidy result, and the worker process that enforces the time and memory limits.

    python bench/bench_api.py [--repeat 15]

Reports only (no target is enforced here: the ratio is dominated by the worker's fork).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _fresh(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _median(fn, repeat: int) -> float:
    from sympy.core.cache import clear_cache

    times = []
    for _ in range(repeat):
        clear_cache()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    bare = _fresh("pass", args.repeat)
    imported = _fresh("import sys, calctutor; assert 'sympy' not in sys.modules", args.repeat)
    print(f"import calctutor: {1000 * (imported - bare):.1f} ms over a bare interpreter "
          f"({imported / bare:.2f}x), SymPy not imported")

    import sympy as sp

    import calctutor as ct

    x = sp.Symbol("x")
    ct.diff("x^2 sin(x)")  # warm: the topic and the renderer are imported once
    api = _median(lambda: ct.diff("x^2 sin(x)"), args.repeat)
    from calctutor.topics import run_kind

    api_inproc = _median(lambda: run_kind("diff", {"expr": "x^2 sin(x)"}), args.repeat)
    base = _median(lambda: sp.diff(x**2 * sp.sin(x), x), args.repeat)
    print(f"ct.diff warm: {1000 * api:.1f} ms; the same work without the worker: "
          f"{1000 * api_inproc:.1f} ms; sympy.diff: {1000 * base:.2f} ms")
    print(f"ratios: ct.diff / sympy.diff = {api / base:.0f}x; "
          f"without the worker {api_inproc / base:.0f}x")


if __name__ == "__main__":
    main()
