"""Benchmark: lagrange with 3 variables in-process, against a plain sympy.solve of the same system,
and the edge cases (singular points, an empty system, a transcendental system) on their own.

Target: each 3-variable problem within 1 s; each edge case within 6 s (a transcendental
system spends the exact solver's 3 s limit before the numerical search).
Run: python bench/bench_lagrange.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# this checkout's calctutor, whatever the current directory
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy as sp  # noqa: E402

from calctutor.topics.optimise.run import run_lagrange  # noqa: E402

PROBLEMS = [
    ("min x^2+y^2+z^2 on x+y+z=3", "x^2 + y^2 + z^2", ["x + y + z = 3"], False),
    ("max xyz on x+y+z=3, positive", "x y z", ["x + y + z = 3"], True),
    ("x+y+z on x^2+y^2+z^2=1", "x + y + z", ["x^2 + y^2 + z^2 = 1"], False),
]
EDGES = [
    ("y on the cusp y^3 = x^2", "y", ["y^3 = x^2"]),
    ("x + y on x - y = 1 (no solution)", "x + y", ["x - y = 1"]),
    ("x^2 y on x^2 + y^2 = 3 (kinds)", "x^2 y", ["x^2 + y^2 = 3"]),
    ("x^2 + y^2 on (x + y - 1)^2 = 0", "x^2 + y^2", ["(x + y - 1)^2 = 0"]),
    ("sin(x) + cos(y) on x + y = 1", "sin(x) + cos(y)", ["x + y = 1"]),
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
    edge_worst = 0.0
    print(f"\n{'edge case':40} {'calctutor':>10}")
    for name, f, cons in EDGES:
        took = best_of(lambda f=f, cons=cons: run_lagrange(f, cons), repeat=1)
        r = run_lagrange(f, cons)
        edge_worst = max(edge_worst, took)
        print(f"{name:40} {took:9.3f}s  ({len(r.candidates)} candidates, {r.method}, "
              f"system {r.system_status}, max {r.max_status}, min {r.min_status})")
    edge_ok = edge_worst < 6.0
    print(f"slowest edge case: {edge_worst:.3f} s (target < 6 s): "
          f"{'OK' if edge_ok else 'TOO SLOW'}")
    return 0 if worst < 1.0 and edge_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
