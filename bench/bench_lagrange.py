"""Benchmark: lagrange with 3 variables in-process, against a plain sympy.solve of the same system.

Target (issue 5): each problem within 1 s. Run: python bench/bench_lagrange.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# this checkout's calctutor, whatever the current directory
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy as sp  # noqa: E402

from calctutor.commands.lagrange import run_lagrange  # noqa: E402

PROBLEMS = [
    ("min x^2+y^2+z^2 on x+y+z=3", "x^2 + y^2 + z^2", ["x + y + z = 3"], False),
    ("max xyz on x+y+z=3, positive", "x y z", ["x + y + z = 3"], True),
    ("x+y+z on x^2+y^2+z^2=1", "x + y + z", ["x^2 + y^2 + z^2 = 1"], False),
]
REPEAT = 3


def best_of(fn, repeat=REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    run_lagrange("x y", ["x + y = 1"])  # warm the caches (imports, first solve)
    worst = 0.0
    print(f"{'problem':40} {'calctutor':>10} {'sympy.solve':>12} {'ratio':>7}")
    for name, f, cons, positive in PROBLEMS:
        ours = best_of(lambda f=f, cons=cons, positive=positive: run_lagrange(f, cons, positive=positive))
        r = run_lagrange(f, cons, positive=positive)
        unknowns = [*r.variables, *r.multipliers]
        plain = best_of(lambda r=r, unknowns=unknowns: sp.solve(list(r.equations), unknowns, dict=True))
        worst = max(worst, ours)
        print(f"{name:40} {ours:9.3f}s {plain:11.3f}s {ours / plain:6.2f}x  "
              f"({len(r.candidates)} candidates, {r.method})")
    verdict = "OK" if worst < 1.0 else "TOO SLOW"
    print(f"slowest: {worst:.3f} s (target < 1 s): {verdict}")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
