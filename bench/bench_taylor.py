"""Time of ``taylor`` end to end in-process (run_taylor + the plain and JSON renderings)
against ``sympy.series`` on the same input, measured in the same run.

Cases: exp(sin(x)) to order 10, 1/(1+x^2) about 1 to order 10, and e^x sin(y) + x^2 y about
(1, 0) to order 4; at the edges, the removable singularities sin(x)/x and x/(e^x - 1) and the
one-sided cos(sqrt(x)) to order 10 (through sympy.series, checked against f), and ln(1+x) with
its general term. Target: each ``taylor`` under 1 s. First the process's one-off warm-up
(lazy imports in SymPy and calctutor, lambdify's first use) is timed on an unrelated input
and reported apart; then "first" is the first call on each input, "again" the median of
further calls, each after ``sympy.core.cache.clear_cache()`` so no result is reused.

    python bench/bench_taylor.py [--runs 5] [--strict]

``--strict`` exits with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 1.0
CASES = [
    ("exp(sin(x))", dict(order=10), "0"),
    ("1/(1+x^2)", dict(order=10, at="1"), "1"),
    ("e^x sin(y) + x^2 y", dict(order=4, at="x=1,y=0"), None),
    ("sin(x)/x", dict(order=10), "0"),
    ("x/(e^x-1)", dict(order=10), "0"),
    ("cos(sqrt(x))", dict(order=10), "0"),
    ("ln(1+x)", dict(order=10, general_term=True), "0"),
]


def _reference(text: str):
    import sympy as sp

    x = sp.Symbol("x", real=True)
    return x, {"exp(sin(x))": sp.exp(sp.sin(x)), "1/(1+x^2)": 1 / (1 + x ** 2),
               "sin(x)/x": sp.sin(x) / x, "x/(e^x-1)": x / (sp.exp(x) - 1),
               "cos(sqrt(x))": sp.cos(sp.sqrt(x)), "ln(1+x)": sp.log(1 + x)}[text]


def ours(text: str, kwargs: dict) -> None:
    from calctutor.render import render
    from calctutor.topics.series.run import run_taylor

    result = run_taylor(text, **kwargs)
    render(result, "plain")
    render(result, "json")


def theirs(text: str, kwargs: dict, at) -> None:
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    order = kwargs["order"]
    if at is not None:
        x, f = _reference(text)
        sp.series(f, x, sp.Integer(at), order + 1).removeO()
    else:
        # two variables: series of f(a + t h) in t (the usual trick), t = 1
        t = sp.Symbol("t")
        f = sp.exp(1 + t * (x - 1)) * sp.sin(t * y) + (1 + t * (x - 1)) ** 2 * t * y
        sp.series(f, t, 0, order + 1).removeO().subs(t, 1)


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    from sympy.core.cache import clear_cache

    missed = False
    warmup = timed(ours, "cos(x)", {"order": 2})
    print(f"one-off warm-up of the process (cos(x) to order 2): {warmup:.3f} s")
    print(f"{'case':<42} {'first':>7} {'again':>7} {'series':>7} {'ratio':>6}")
    for text, kwargs, at in CASES:
        clear_cache()
        cold = timed(ours, text, kwargs)
        warm, ref = [], []
        for _ in range(args.runs):  # interleaved so that drift affects both alike
            clear_cache()
            warm.append(timed(ours, text, kwargs))
            clear_cache()
            ref.append(timed(theirs, text, kwargs, at))
        w, s = statistics.median(warm), statistics.median(ref)
        name = (f"{text} order {kwargs['order']}" + (f" about {kwargs['at']}" if "at" in kwargs else "")
                + (" + general term" if kwargs.get("general_term") else ""))
        print(f"{name:<42} {cold:7.3f} {w:7.3f} {s:7.3f} {w / s:6.2f}")
        missed |= max(cold, w) > TARGET
    print(f"target: taylor under {TARGET:.1f} s (first and again): {'MISSED' if missed else 'met'}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
