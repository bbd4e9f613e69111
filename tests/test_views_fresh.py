"""Every result type renders in every format in a fresh process.

Views are found by rule (calctutor.render.views.view): in the ``views`` module of the package
that defines the result, or in ``render.verdicts`` for the checker's results. In a long test
run another test may already have imported a view module, which would hide a view in the
wrong place. So the rendering runs in a new interpreter, and each result's view module is
resolved by the rule before rendering.
"""

import dataclasses
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

from calctutor.topics import TOPICS

FORMATS = ("rich", "plain", "latex", "markdown", "json")
DATA = Path(__file__).parent / "data"

# one small real input per command; the result types below must all be reached
SCRIPT = r"""
import dataclasses, importlib, json, sys
from datetime import datetime, timezone
from calctutor.topics import run_kind
from calctutor.topics.diff.run import run_diff
from calctutor.checking.answer import check_answer
from calctutor.render import render
from calctutor.render import views

DATA = sys.argv[1]
results = [
    run_diff("x^2 sin(x)"),
    run_diff("x^2", first_principles=True),
    run_kind("equiv", {"a": "2 sin(x) cos(x)", "b": "sin(2x)"}),
    run_kind("gradient", {"expr": "x^2 y", "at": "x=1,y=2"}),
    run_kind("gradient", {"expr": "x^2 y", "at": "x=1,y=2", "along": "1,2"}),
    run_kind("network", {"sizes": "3,4,2"}),
    run_kind("jacobian", {"expr": "x y, x + y"}),
    run_kind("hessian", {"expr": "x^3 - 3x + y^2", "classify": True}),
    run_kind("chain", {"expr": "x^2", "layer": ["x = sin(t)"], "wrt": "t"}),
    run_kind("backprop", {"layer": ["W=[[1,1]]; b=[0]"], "input": "1,1", "target": "0"}),
    run_kind("taylor", {"expr": "exp(x)", "order": 3}),
    run_kind("taylor", {"expr": "ln(1 + x)", "interval": True}),
    run_kind("newton", {"expr": "x^2 - 2", "x0": "1"}),
    run_kind("descent", {"expr": "x^2 + y^2", "start": "x=1,y=1", "rate": "1/4", "steps": 2}),
    run_kind("lagrange", {"expr": "x y", "constraint": ["x^2 + y^2 = 8"]}),
    run_kind("lagrange", {"expr": "x^2 y + e^x", "constraint": ["x^2 + y^2 = 4"],
                          "numeric": True}),  # the sampling along the curve
    run_kind("fit", {"data": DATA + "/line4.csv", "model": "m*x + c"}),
    run_kind("fit", {"data": DATA + "/line4.csv", "model": "a*b*x + c"}),  # only a*b is determined
]
results.append(check_answer(results[0], "2x sin(x) + x^2 cos(x)"))
from calctutor.drills import Worksheet, generate
results.append(Worksheet(tuple(generate(1, count=1, seed=1)), 1, 1, False, None, "t", 1))
from calctutor.coach.report import ProgressReport
results.append(ProgressReport((), datetime(2026, 1, 1, tzinfo=timezone.utc)))

def parts(obj, seen):
    # the types nested inside a result (its candidates, iterates, ...)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        seen.add(type(obj).__module__ + "." + type(obj).__qualname__)
        for f in dataclasses.fields(obj):
            parts(getattr(obj, f.name), seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for x in obj:
            parts(x, seen)
    elif isinstance(obj, dict):
        for x in obj.values():
            parts(x, seen)

rendered, nested = {}, set()
for r in results:
    cls = type(r)
    package = cls.__module__.rpartition(".")[0]
    where = ("calctutor.render.verdicts" if package == "calctutor.checking"
             else package + ".views")
    # the rule must lead to its view, whatever an earlier result imported
    importlib.import_module(where)
    assert getattr(views.VIEWS.get(cls), "__module__", None) == where, (
        f"{where} has no view for {cls.__name__}")
    name = cls.__module__ + "." + cls.__qualname__
    rendered[name] = [f for f in %(formats)r if render(r, f, width=80, color=False).strip()]
    if "json" in rendered[name]:
        json.loads(render(r, "json"))
    parts(r, nested)
print(json.dumps({"rendered": rendered, "nested": sorted(nested)}))
""" % {"formats": FORMATS}


def result_types() -> set[str]:
    """Every frozen dataclass with ``to_json`` in the modules that define results."""
    import calctutor.topics

    modules = {"calctutor.results", "calctutor.checking.answer", "calctutor.checking.equivalence",
               "calctutor.drills.model", "calctutor.coach.report"}
    for topic in TOPICS:
        package = importlib.import_module(topic.package)
        modules |= {f"{topic.package}.{m.name}" for m in pkgutil.iter_modules(package.__path__)}
    assert len(TOPICS) >= 6 and calctutor.topics.KINDS
    found = set()
    for name in modules:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if (inspect.isclass(cls) and cls.__module__ == name and dataclasses.is_dataclass(cls)
                    and cls.__dataclass_params__.frozen and hasattr(cls, "to_json")):
                found.add(f"{name}.{cls.__qualname__}")
    return found


def test_every_result_type_renders_in_every_format_in_a_fresh_process():
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(DATA)], capture_output=True,
                         text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    rendered, nested = got["rendered"], set(got["nested"])
    for name, formats in rendered.items():
        assert list(formats) == list(FORMATS), (name, formats)
    types = result_types()
    assert {"calctutor.topics.diff.result.DiffResult", "calctutor.topics.optimise.fit.FitResult",
            "calctutor.topics.optimise.lagrange.LagrangeResult"} <= types
    # a result type no command input here reaches (a new command, a renamed module) fails
    assert types <= set(rendered) | nested, sorted(types - set(rendered) - nested)
    assert len(rendered) >= 15
