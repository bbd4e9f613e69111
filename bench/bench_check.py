"""Speed and accuracy of answer checking, against a baseline measured in the same run.

1. The equivalence check (``check_equivalent``) on a corpus of 36 (expected, answer) pairs,
   right and wrong, typed as a learner would: median per check (target <= 10 ms warm) and
   the slowest (target <= 2 s); compared with a plain SymPy ``expand(a - b) == 0`` on the
   same parsed pairs (speed ratio, and how many verdicts each gets right).
2. The whole ``--answer`` path with diagnosis (``check_answer`` on a ``diff`` result, wrong
   answers, so every mal-rule is tried): median and slowest (target: typical < 200 ms).

"Warm" means the process has imported everything and run the corpus once; SymPy's cache
and the probe cache are cleared before every timed check, so no pair is timed on results
cached from its own earlier run. Runs are interleaved (ours, baseline, ours, ...); each
pair's time is its best run (the machine is shared: the best run is its own cost, the
others add other processes' load), and the median and maximum are over the pairs.

    python bench/bench_check.py [--runs 5] [--strict]

``--strict`` exits with status 1 when a target is missed (for CI); by default it only reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEDIAN_TARGET, MAX_TARGET, DIAGNOSIS_TARGET = 0.010, 2.0, 0.200

# (expected, answer, equivalent?) as typed
PAIRS = [
    ("sin(x)^2 + cos(x)^2", "1", True),
    ("cos(2x)", "cos(x)^2 - sin(x)^2", True),
    ("3x/10", "0.1*3*x", True),
    ("x/3", "0.333x", False),
    ("x^2", "x^2 + 10^-12", False),
    ("x", "sqrt(x^2)", False),
    ("|x|", "sqrt(x^2)", True),
    ("2 ln x", "ln(x^2)", True),
    ("pi/2", "atan(x) + atan(1/x)", False),
    ("asinh(x)", "ln(x + sqrt(x^2+1))", True),
    ("(x+1)^40", "x^40 + 40x^39 + 780x^38 + 9880x^37 + 91390x^36 + 658008x^35 + 3838380x^34"
     " + 18643560x^33 + 76904685x^32 + 273438880x^31 + 847660528x^30 + 2311801440x^29"
     " + 5586853480x^28 + 12033222880x^27 + 23206929840x^26 + 40225345056x^25"
     " + 62852101650x^24 + 88732378800x^23 + 113380261800x^22 + 131282408400x^21"
     " + 137846528820x^20 + 131282408400x^19 + 113380261800x^18 + 88732378800x^17"
     " + 62852101650x^16 + 40225345056x^15 + 23206929840x^14 + 12033222880x^13"
     " + 5586853480x^12 + 2311801440x^11 + 847660528x^10 + 273438880x^9 + 76904685x^8"
     " + 18643560x^7 + 3838380x^6 + 658008x^5 + 91390x^4 + 9880x^3 + 780x^2 + 40x + 1", True),
    ("x + 1", "(x^2-1)/(x-1)", True),
    ("1 + tan(x)^2", "1/cos(x)^2", True),
    ("2x sin x + x^2 cos x", "x(2 sin x + x cos x)", True),
    ("2x sin x + x^2 cos x", "2x cos x", False),
    ("2x cos(x^2)", "cos(x^2)", False),
    ("-2x sin(x^2)", "2x sin(x^2)", False),
    ("1/(x+1)^2", "(x+1)^-2", True),
    ("1/(x+1)^2", "-1/(x+1)^2", False),
    ("e^x (sin x + cos x)", "sqrt(2) e^x sin(x + pi/4)", True),
    ("2^x ln 2", "e^(x ln 2) ln 2", True),
    ("2^x ln 2", "x 2^(x-1)", False),
    ("x^x (ln x + 1)", "e^(x ln x)(1 + ln x)", True),
    ("sin(2x)", "2 sin x cos x", True),
    ("e^(-x)/(1+e^(-x))^2", "1/(1+e^(-x)) (1 - 1/(1+e^(-x)))", True),
    ("1 - tanh(x)^2", "1/cosh(x)^2", True),
    ("1/sqrt(1-x^2)", "(1-x^2)^(-1/2)", True),
    ("sign(x)", "|x|/x", True),
    ("2x y", "2y x", True),
    ("6x y^2", "6x^2 y", False),
    ("(x+y)^3", "x^3 + 3x^2 y + 3x y^2 + y^3", True),
    ("(x+y)^3", "x^3 + 3x^2 y + 3x y^2 + y^2", False),
    ("ln(x y)", "ln x + ln y", False),
    ("pi/4", "0.785398163397448", True),
    ("pi/4", "0.7854", False),
    ("e^(x+y)", "e^x e^y", True),
]

# (problem, wrong answer, diff options) for the whole --answer path with diagnosis
DIAGNOSED = [
    ("x^2 sin x", "2x cos x", {}), ("sin(x^2)", "cos(x^2)", {}), ("x/(x+1)", "1/(x+1)", {}),
    ("ln(x^2+1)", "1/(x^2+1)", {}), ("cos(x^2)", "2x sin(x^2)", {}), ("2^x", "x 2^(x-1)", {}),
    ("x^3 e^(2x)", "3x^2 e^(2x) + x^3 e^(2x)", {}), ("sin(3x) cos x", "17", {}),
    ("(x^2+1)/(x^3-2)", "2x/(3x^2)", {}), ("1/(1+e^(-x))", "1/(1+e^(-x))^2", {}),
    ("x^2 y^3", "3x^2 y^2", {"var_names": ["x"]}), ("sin(x^2)", "cos(1)", {"at": "x=1"}),
    ("tan(x^3) e^(2x)/(x^2+1)", "1", {}), ("x^x", "x x^(x-1)", {}),
]


def parse_pairs():
    from calctutor.parsing import parse_expression

    return [(parse_expression(a).expr, parse_expression(b).expr, want) for a, b, want in PAIRS]


def fresh_caches():
    from sympy.core.cache import clear_cache

    from calctutor.checking.equivalence import probe_value

    clear_cache()
    probe_value.cache_clear()


def ours(a, b):
    from calctutor.checking.equivalence import check_equivalent

    return check_equivalent(a, b).equivalent


def baseline(a, b):
    import sympy

    return sympy.expand(a - b) == 0


def timed(fn, *args) -> tuple[float, object]:
    fresh_caches()
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    pairs = parse_pairs()
    for a, b, _ in pairs:  # warm-up
        ours(a, b), baseline(a, b)
    our_times: list[list[float]] = [[] for _ in pairs]
    base_times: list[list[float]] = [[] for _ in pairs]
    our_right = base_right = 0
    for run in range(args.runs):
        for i, (a, b, want) in enumerate(pairs):
            t, v = timed(ours, a, b)
            our_times[i].append(t)
            our_right += run == 0 and v is want
            t, v = timed(baseline, a, b)
            base_times[i].append(t)
            base_right += run == 0 and bool(v) is want
    ours_per_pair = [min(ts) for ts in our_times]
    base_per_pair = [min(ts) for ts in base_times]
    median, worst = statistics.median(ours_per_pair), max(ours_per_pair)
    base_median = statistics.median(base_per_pair)
    slowest = PAIRS[ours_per_pair.index(worst)]

    from calctutor.checking.answer import check_answer
    from calctutor.commands.diff import run_diff

    results = [(run_diff(p, **o), w) for p, w, o in DIAGNOSED]
    for r, w in results:  # warm-up
        check_answer(r, w)
    diag = [min(timed(check_answer, r, w)[0] for _ in range(max(1, args.runs // 2)))
            for r, w in results]
    diag_median, diag_worst = statistics.median(diag), max(diag)

    print(f"equivalence: {len(PAIRS)} pairs, {args.runs} runs each, caches cleared before each check")
    print(f"  calctutor  median {median * 1000:7.2f} ms   max {worst * 1000:8.1f} ms   "
          f"right {our_right}/{len(PAIRS)}   (slowest: {slowest[0][:30]!r} vs {slowest[1][:30]!r})")
    print(f"  baseline   median {base_median * 1000:7.2f} ms   max {max(base_per_pair) * 1000:8.1f} ms"
          f"   right {base_right}/{len(PAIRS)}   (sympy expand(a - b) == 0)")
    print(f"  ratio (median calctutor / median baseline): {median / base_median:.2f}")
    print(f"diagnosis: {len(DIAGNOSED)} wrong answers through check_answer (every mal-rule tried)")
    print(f"  median {diag_median * 1000:7.1f} ms   max {diag_worst * 1000:7.1f} ms")

    missed = []
    if median > MEDIAN_TARGET:
        missed.append(f"median check {median * 1000:.1f} ms > {MEDIAN_TARGET * 1000:.0f} ms")
    if worst > MAX_TARGET:
        missed.append(f"slowest check {worst:.2f} s > {MAX_TARGET:.0f} s")
    if our_right != len(PAIRS):
        missed.append(f"{len(PAIRS) - our_right} wrong verdicts")
    if diag_median > DIAGNOSIS_TARGET:
        missed.append(f"median diagnosis {diag_median * 1000:.0f} ms > {DIAGNOSIS_TARGET * 1000:.0f} ms")
    for m in missed:
        print(f"MISSED: {m}")
    if not missed:
        print("all targets met")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
