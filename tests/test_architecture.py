"""The dependency rule of docs/architecture.md, checked over every import in the package.

cli → api → coach → drills → topics → render → checking → steps → parsing → base modules:
a module imports only from its own layer or the layers below (function-level imports
count too), no two packages (or two topics) import each other, and ``results`` imports only
base modules. Read from the source with ``ast``, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "calctutor"
LAYERS = ("base", "parsing", "steps", "checking", "render", "topics", "drills", "coach", "api",
          "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports() -> dict[str, set[str]]:
    """Every calctutor module -> the calctutor modules it imports (at any level)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                found.add(target)
                # `from calctutor.cli import diff` imports a module, not only a name
                found |= {f"{target}.{a.name}" for a in node.names
                          if _is_module(f"{target}.{a.name}")}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m == "calctutor" or m.startswith("calctutor.")}
    return graph


def _unit(module: str) -> str:
    """The package a module belongs to for the rule: its layer, or its topic."""
    parts = module.split(".")
    if len(parts) == 1:
        return "api"  # the package's face re-exports the Python API
    if len(parts) == 2 and parts[1] not in LAYERS:
        return "cli" if module == "calctutor.__main__" else "base"
    if parts[1] == "topics" and len(parts) > 2:
        return f"topics.{parts[2]}"
    return parts[1]


def _layer(module: str) -> int:
    return LAYERS.index(_unit(module).partition(".")[0])


GRAPH = _imports()


def test_the_rule_sees_the_whole_package():
    units = {_unit(m) for m in GRAPH}
    assert set(LAYERS) - {"topics"} <= units
    assert {"topics.diff", "topics.matrices", "topics.chain", "topics.series",
            "topics.optimise"} <= units
    assert sum(len(v) for v in GRAPH.values()) > 300  # the imports were really read


def test_every_import_points_to_the_same_layer_or_below():
    upward = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets
                    if t in GRAPH and _layer(t) > _layer(m))
    assert upward == []


def test_results_imports_only_base_modules():
    assert {t for t in GRAPH["calctutor.results"] if _unit(t) != "base"} == set()


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_two_packages_or_topics_import_each_other():
    units: dict[str, set[str]] = {}
    for m, targets in GRAPH.items():
        units.setdefault(_unit(m), set()).update(_unit(t) for t in targets if t in GRAPH)
    for u in units:
        units[u].discard(u)
    assert _cycles(units) == []


def test_every_import_cycle_stays_inside_one_package():
    edges = {m: {t for t in targets if t in GRAPH} for m, targets in GRAPH.items()}
    crossing = [c for c in _cycles(edges) if len({_unit(m) for m in c}) > 1]
    assert crossing == []
