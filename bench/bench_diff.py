"""The in-process ``diff`` pipeline against ``sympy.diff``, measured in the same run.

The pipeline is what ``calctutor diff`` does after parsing: the step tree, the tidied
result and the plain-text rendering (``topics.diff.compute.differentiate`` + ``render(..., "plain")``).
Targets (issue 2):

1. median over a corpus of 40+ expressions of pipeline time / ``sympy.diff`` time <= 3;
2. never more than 1 s for an expression of up to 200 nodes;
3. linear growth: for 25/50/100/200-node expressions, the time ratio per doubling of size
   stays near 2 (checked: <= 3; quadratic would be 4).

SymPy caches results, so the cache is cleared before every timed call, on both sides.
Each time is the median of ``--repeat`` runs.

    python bench/bench_diff.py [--repeat 5] [--strict]

``--strict`` exits with status 1 when a target is missed; by default it only reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

from calctutor.parsing import parse_expression  # noqa: E402
from calctutor.render import render  # noqa: E402
from calctutor.symbols import make_symbol  # noqa: E402
from calctutor.topics.diff.compute import differentiate  # noqa: E402

RATIO_TARGET, MAX_SECONDS, DOUBLING_TARGET = 3.0, 1.0, 3.0
SIZES = (25, 50, 100, 200)

CORPUS = [
    "x^2 sin(x)", "x^5", "3x^2 + 2x - 7", "sqrt(x)", "1/x^2", "x^(2/3)", "e^x cos(x)",
    "x sin(x) cos(x)", "x^2 e^x sin(x)", "log(x)/x", "exp(x)/(1+exp(x))", "(x^2+1)/(x-1)",
    "sin(cos(exp(x^2)))", "x^x", "atan(sqrt(1+x^2))", "sec(x)tan(x)", "(x^2+1)^10",
    "tan(x)^3", "sin(x)^2 cos(x)^3", "ln(x^2 + 1)", "log(x, 2)", "2^x", "10^(x^2)",
    "asin(x) + acos(x)", "atan(x)/x", "sinh(x) cosh(x)", "tanh(x^2)", "asinh(x)",
    "acosh(2x)", "atanh(x/2)", "|x|", "|x^2 - 1|", "x^sin(x)", "sin(x)^x",
    "1/(1 + e^(-x))", "sqrt(x^2 + y^2)", "x^2 y + y^3", "exp(-x^2/2)/sqrt(2 pi)",
    "cot(x) + csc(x)", "(x+1)(x+2)(x+3)(x+4)", "sqrt(1 - x^2) asin(x)",
    "ln(sin(x)^2 + 1)", "(3x - 1)^4 (2x + 5)^3", "e^(sin(x)) cos(e^x)",
    "x^3 ln(x)^2 / (x + 1)^2",
]

x = make_symbol("x")


def nodes(e) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


def sized(target: int):
    """A deterministic textbook-like expression of about ``target`` nodes: a sum of
    products and chains of elementary functions."""
    funcs = [sp.sin, sp.cos, sp.exp, lambda a: sp.log(a**2 + 1), sp.atan, sp.sqrt]
    terms, k = [], 0
    while True:
        f, g = funcs[k % len(funcs)], funcs[(k + 2) % len(funcs)]
        terms.append((k + 2) * x ** (k % 4 + 1) * f(g((k + 1) * x + k)))
        k += 1
        e = sp.Add(*terms)
        if nodes(e) >= target:
            return e


def pipeline(expr, reading):
    result = differentiate(expr, reading, [x])
    return render(result, "plain", width=100)


def timed(fn, *args, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clear_cache()
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(expr, reading, repeat: int) -> tuple[float, float]:
    ours = timed(pipeline, expr, reading, repeat=repeat)
    base = timed(sp.diff, expr, x, repeat=repeat)
    return ours, base


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    missed = []

    print(f"1. corpus of {len(CORPUS)} expressions: pipeline vs sympy.diff (median of "
          f"{args.repeat}, cache cleared)")
    ratios, worst = [], (0.0, "")
    for text in CORPUS:
        parsed = parse_expression(text)
        ours, base = measure(parsed.expr, parsed.reading, args.repeat)
        ratios.append(ours / base)
        worst = max(worst, (ours, text))
        print(f"   {text:32} {nodes(parsed.expr):4} nodes  {ours * 1e3:8.2f} ms  "
              f"sympy.diff {base * 1e3:7.2f} ms  ratio {ours / base:6.2f}")
    median = statistics.median(ratios)
    ok = median <= RATIO_TARGET
    print(f"   median ratio {median:.2f} (target <= {RATIO_TARGET:g}) {'ok' if ok else 'MISSED'}; "
          f"slowest {worst[0] * 1e3:.1f} ms ({worst[1]})")
    if not ok:
        missed.append("median ratio")

    print("2./3. growth with size")
    previous, slowest = None, worst[0]
    for n in SIZES:
        expr = sized(n)
        from calctutor.results import Reading

        reading = Reading(str(expr), str(expr), (), False)
        ours, base = measure(expr, reading, args.repeat)
        slowest = max(slowest, ours)
        step = f"x{ours / previous:.2f} per doubling" if previous else ""
        print(f"   {nodes(expr):4} nodes  pipeline {ours * 1e3:8.1f} ms  sympy.diff "
              f"{base * 1e3:7.2f} ms  ratio {ours / base:6.2f}  {step}")
        if previous and ours / previous > DOUBLING_TARGET:
            missed.append(f"growth at {n} nodes")
        previous = ours
    ok = slowest < MAX_SECONDS
    print(f"   slowest pipeline {slowest:.3f} s (target < {MAX_SECONDS:g} s for <= 200 nodes) "
          f"{'ok' if ok else 'MISSED'}; doubling target <= {DOUBLING_TARGET:g}")
    if not ok:
        missed.append("max time")

    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
