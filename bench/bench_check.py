"""Speed and accuracy of answer checking, against baselines measured in the same run.

1. The equivalence check (``check_equivalent``) on a corpus of 36 everyday (expected,
   answer) pairs, right and wrong, typed as a learner would, plus 18 adversarial ones
   (differences far from the origin, tiny exact constants, domains, overflow-prone right
   answers): median per check (target <= 20 ms warm) and the slowest (target <= 2 s);
   compared with the engine of commit b53a12e (the previous one, loaded from git when
   available) and with a plain SymPy ``expand(a - b) == 0`` on the same parsed pairs
   (speed ratios, and how many verdicts each gets right).
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

MEDIAN_TARGET, MAX_TARGET, DIAGNOSIS_TARGET = 0.020, 2.0, 0.200
OLD_ENGINE = "b53a12e"

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

# pairs that break naive checkers: (expected, answer, equivalent?)
ADVERSARIAL = [
    ("x", "x + tanh(x-50) + 1", False),
    ("exp(-(x-15)^2)", "0", False),
    ("sin(x) + 10^(-40)", "sin(x)", False),
    ("x", "x + 10^(-100)", False),
    ("log(x-50)", "log(x-50) + 1", False),
    ("sqrt(x-100)", "0", False),
    ("log(x^2)", "2 log(x)", False),
    ("2 log(x)", "log(x^2)", True),
    ("pi/2", "asin(x) + acos(x)", False),
    ("asin(x) + acos(x)", "pi/2", True),
    ("2x", "2x + e^(-(x-30)^2)", False),
    ("-sin(x)", "-sin(x) + 10^(-30)", False),
    ("1/(1+e^(-x))", "e^x/(1+e^x)", True),
    ("tanh(x)", "(e^(2x)-1)/(e^(2x)+1)", True),
    ("tanh(x)", "1 - 2/(e^(2x)+1)", True),
    ("cosh(x)^2 - sinh(x)^2", "1", True),
    ("x^(1/3)", "cbrt(x)", True),
    ("x y", "x y + e^(-(x-20)^2 - (y+30)^2)", False),
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


def parse_pairs(pairs):
    from calctutor.parsing import parse_expression

    return [(parse_expression(a).expr, parse_expression(b).expr, want) for a, b, want in pairs]


def load_old_engine():
    """The engine of commit OLD_ENGINE as a module, or None outside a git checkout."""
    import importlib.util
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    try:
        source = subprocess.run(["git", "show", f"{OLD_ENGINE}:calctutor/checking/equivalence.py"],
                                cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "old_equivalence.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_equivalence", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_equivalence"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def fresh_caches():
    from sympy.core.cache import clear_cache

    from calctutor.checking import equivalence

    clear_cache()
    equivalence.probe_value.cache_clear()
    equivalence._critical_values.cache_clear()


def ours(a, b):
    from calctutor.checking.equivalence import check_equivalent

    return check_equivalent(a, b).equivalent


OLD = None


def old(a, b):
    return OLD.check_equivalent(a, b).equivalent


def baseline(a, b):
    import sympy

    return sympy.expand(a - b) == 0


def timed(fn, *args) -> tuple[float, object]:
    fresh_caches()
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def measure(pairs, runs, engines):
    """Per engine: each pair's best time over ``runs`` interleaved runs, and the number of
    verdicts right (``expand`` counts as right when it says equal exactly when they are)."""
    for a, b, _ in pairs:  # warm-up
        for fn in engines.values():
            fn(a, b)
    times = {name: [[] for _ in pairs] for name in engines}
    right = dict.fromkeys(engines, 0)
    for run in range(runs):
        for i, (a, b, want) in enumerate(pairs):
            for name, fn in engines.items():
                t, v = timed(fn, a, b)
                times[name][i].append(t)
                if run == 0:
                    right[name] += (bool(v) if name == "baseline" else v) is want
    return {name: [min(ts) for ts in times[name]] for name in engines}, right


def main() -> int:
    global OLD
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    OLD = load_old_engine()
    engines = {"calctutor": ours, **({"previous": old} if OLD else {}), "baseline": baseline}
    corpus = PAIRS + ADVERSARIAL
    pairs = parse_pairs(corpus)
    best, right = measure(pairs, args.runs, engines)
    ours_per_pair = best["calctutor"]
    median, worst = statistics.median(ours_per_pair), max(ours_per_pair)
    slowest = corpus[ours_per_pair.index(worst)]
    everyday = slice(0, len(PAIRS))
    adversarial = slice(len(PAIRS), len(corpus))
    wrong = [corpus[i] for i, (a, b, want) in enumerate(pairs) if ours(a, b) is not want]

    from calctutor.checking.answer import check_answer
    from calctutor.topics.diff.run import run_diff

    results = [(run_diff(p, **o), w) for p, w, o in DIAGNOSED]
    for r, w in results:  # warm-up
        check_answer(r, w)
    diag = [min(timed(check_answer, r, w)[0] for _ in range(max(1, args.runs // 2)))
            for r, w in results]
    diag_median, diag_worst = statistics.median(diag), max(diag)

    print(f"equivalence: {len(PAIRS)} everyday + {len(ADVERSARIAL)} adversarial pairs, "
          f"{args.runs} runs each, caches cleared before each check")
    for name, per_pair in best.items():
        what = {"calctutor": "", "previous": f"   (engine of {OLD_ENGINE})",
                "baseline": "   (sympy expand(a - b) == 0)"}[name]
        print(f"  {name:<10} median {statistics.median(per_pair) * 1000:7.2f} ms "
              f"(everyday {statistics.median(per_pair[everyday]) * 1000:6.2f}, adversarial "
              f"{statistics.median(per_pair[adversarial]) * 1000:6.2f})   max "
              f"{max(per_pair) * 1000:8.1f} ms   right {right[name]}/{len(corpus)}{what}")
    print(f"  slowest: {slowest[0][:30]!r} vs {slowest[1][:30]!r}")
    for name in ("previous", "baseline"):
        if name in best:
            print(f"  ratio (median calctutor / median {name}): "
                  f"{median / statistics.median(best[name]):.2f}")
    for a, b, want in wrong:
        print(f"  WRONG: {a!r} vs {b!r} should be {'equal' if want else 'different'}")
    print(f"diagnosis: {len(DIAGNOSED)} wrong answers through check_answer (every mal-rule tried)")
    print(f"  median {diag_median * 1000:7.1f} ms   max {diag_worst * 1000:7.1f} ms")

    missed = []
    if median > MEDIAN_TARGET:
        missed.append(f"median check {median * 1000:.1f} ms > {MEDIAN_TARGET * 1000:.0f} ms")
    if worst > MAX_TARGET:
        missed.append(f"slowest check {worst:.2f} s > {MAX_TARGET:.0f} s")
    if right["calctutor"] != len(corpus):
        missed.append(f"{len(corpus) - right['calctutor']} wrong verdicts")
    if diag_median > DIAGNOSIS_TARGET:
        missed.append(f"median diagnosis {diag_median * 1000:.0f} ms > {DIAGNOSIS_TARGET * 1000:.0f} ms")
    for m in missed:
        print(f"MISSED: {m}")
    if not missed:
        print("all targets met")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
