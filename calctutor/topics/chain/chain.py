"""The multivariate chain rule through layers: f(x(u(t))) as a product of Jacobians.

``F`` depends on the names of layer 1, each layer on the names of the next, the last layer
on the final variables (``--wrt``). Any level may also use a final variable directly (a
total derivative such as f(x(t), t)); that variable is then carried through the layers
below it as an identity entry, so the product of Jacobians stays a plain matrix product.

Every entry of every Jacobian comes from the step engine (``diff_steps``), tidied with the
bounded ``tidy``; the product is taken after substituting every Jacobian back into the
final variables, and tidied entry by entry.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

import sympy as sp

from calctutor.errors import ParseError, UsageError
from calctutor.notation import to_sympy, to_text
from calctutor.parsing import parse_expression, parse_expressions, parse_names, parse_point
from calctutor.results import Reading, json_value
from calctutor.steps.differentiate import diff_steps
from calctutor.steps.evaluate import evaluate_at
from calctutor.steps.model import Step
from calctutor.steps.tidy import tidy
from calctutor.symbols import make_symbol

MAX_LAYERS = 8
MAX_NAMES = 12         # names per layer (and entries of F)
TIDY_LIMIT = 40        # count_ops above which a product entry is not tidied
MAX_PATHS = 12         # a scalar result is written as its sum over paths up to this many

_OPEN, _CLOSE = "([{", ")]}"


# -- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layer:
    """One ``--layer``: its names and the expression for each (in the next layer's names)."""

    text: str
    names: tuple[sp.Symbol, ...]
    exprs: tuple[sp.Expr, ...]
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Stage:
    """The Jacobian of one level: ``outputs`` (labels) differentiated by ``inputs``.

    ``matrix`` is in the level's own variables; ``steps[i][j]`` is the step tree of entry
    (i, j); ``substituted`` is the matrix with the inputs written in the final variables.
    ``passthrough`` lists the outputs that are a final variable carried through unchanged.
    """

    outputs: tuple[str, ...]
    functions: tuple[sp.Expr, ...]
    inputs: tuple[sp.Symbol, ...]
    matrix: sp.ImmutableMatrix
    steps: tuple[tuple[Step, ...], ...]
    substituted: sp.ImmutableMatrix
    passthrough: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.matrix.shape)


@dataclass(frozen=True)
class Path:
    """One term of a total derivative: a product of partial derivatives along one path.

    ``factors`` are (numerator label, denominator label, partial symbol d or ∂, value in the
    level's own variables); ``value`` is the term in the final variables."""

    factors: tuple[tuple[str, str, str, sp.Expr], ...]
    value: sp.Expr


@dataclass(frozen=True)
class ChainResult:
    """A derivative through layers, as the ``chain`` command computes it."""

    input: Reading
    functions: tuple[sp.Expr, ...]
    labels: tuple[str, ...]               # "f", or "f1", "f2", ... for a vector F
    layers: tuple[Layer, ...]
    wrt: tuple[sp.Symbol, ...]
    stages: tuple[Stage, ...]             # the Jacobian of F, then of each layer
    composed: tuple[tuple[tuple[sp.Symbol, sp.Expr], ...], ...]  # each layer in wrt
    raw: sp.ImmutableMatrix               # the product, as the rules give it
    result: sp.ImmutableMatrix            # tidied, entry by entry
    paths: tuple[Path, ...] = ()          # the sum over paths (a scalar result only)
    at: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    value: sp.ImmutableMatrix | None = None
    positive: bool = False
    notes: tuple[str, ...] = field(default=())
    show_steps: bool = False  # the view shows every entry's step tree

    # -- shape of the answer (contract: str | [str] | [[str]])
    @property
    def kind(self) -> str:
        rows, cols = self.result.shape
        if rows == 1 and cols == 1:
            return "scalar"
        if rows == 1 or cols == 1:
            return "vector"
        return "matrix"

    def shaped(self, matrix):
        """``matrix`` in the result's shape: an entry, a list, or a list of rows."""
        if matrix is None:
            return None
        if self.kind == "scalar":
            return matrix[0, 0]
        if self.kind == "vector":
            return list(matrix)
        return matrix.tolist()

    def to_json(self) -> dict:
        def entry(v):
            return json_value(v) if v.is_number else to_sympy(v)

        def jshape(value):
            if isinstance(value, list):
                return [jshape(v) for v in value]
            return entry(value)

        out = {
            "input": self.input.text,
            "result": jshape(self.shaped(self.result)),
            "value": jshape(self.shaped(self.value)) if self.value is not None else None,
            "jacobians": [[[to_sympy(v) for v in row] for row in s.matrix.tolist()]
                          for s in self.stages],
            "wrt": [to_sympy(w) for w in self.wrt],
            "layers": [{to_sympy(n): to_sympy(e) for n, e in zip(lay.names, lay.exprs, strict=True)}
                       for lay in self.layers],
            "composed": [{to_sympy(n): to_sympy(e) for n, e in level} for level in self.composed],
            "stages": [{"of": list(s.outputs), "wrt": [to_sympy(v) for v in s.inputs],
                        "matrix": [[to_sympy(v) for v in row] for row in s.matrix.tolist()],
                        "substituted": [[to_sympy(v) for v in row]
                                        for row in s.substituted.tolist()]}
                       for s in self.stages],
        }
        if self.raw != self.result:
            out["raw"] = jshape(self.shaped(self.raw))
        if self.at:
            out["at"] = {to_sympy(k): json_value(v) for k, v in self.at}
        if self.input.differs:
            out["read_as"] = self.input.reading
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def answer_spec(self):
        """``--answer``: the derivative (or its value at the point) in the result's shape."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.topics.chain.mistakes import chain_mistakes

        names = list(self.wrt) + [n for lay in self.layers for n in lay.names]
        what = "the derivative" if self.kind == "scalar" else "the Jacobian of the composition"
        expected = self.value if self.at else self.result
        if self.at:
            shape = {"scalar": "number", "vector": "numbers", "matrix": "matrix"}[self.kind]
            what = f"the value of {what} at the point"
        else:
            shape = {"scalar": "expr", "vector": "vector", "matrix": "matrix"}[self.kind]
        # an answer may use the layers' names: they are compared as the layers define them
        # (x = cos t at the t of a counterexample), and at the point when one is given
        layers = tuple(pair for level in self.composed for pair in level)
        return AnswerSpec(shape, self.shaped(expected), what, tuple(names), positive=self.positive,
                          mistakes=lambda: chain_mistakes(self),
                          json_expected=self.to_json()["value" if self.at else "result"],
                          substitute=layers, at=tuple(self.at))


# -- reading the input -------------------------------------------------------------------------
def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside every bracket."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return parts


def _unwrap(text: str) -> str:
    """``[x=cos t, y=t^2]`` -> ``x=cos t, y=t^2`` (one pair of brackets round everything)."""
    s = text.strip()
    if len(s) >= 2 and s[0] in "[(" and s[-1] == _CLOSE[_OPEN.index(s[0])]:
        depth = 0
        for k, ch in enumerate(s):
            depth += ch in _OPEN
            depth -= ch in _CLOSE
            if depth == 0 and k < len(s) - 1:
                return s
        return s[1:-1]
    return s


def layer_pieces(spec, where: str) -> list[tuple[str, str]]:
    """The ``(name, expression)`` texts of one layer: ``"x=cos(t), y=t^2"`` or a dict."""
    if isinstance(spec, dict):
        return [(str(k), str(v)) for k, v in spec.items()]
    if not isinstance(spec, str):
        raise UsageError(f"{where} must be text like \"x=cos(t), y=t^2\"")
    text = _unwrap(unicodedata.normalize("NFKC", spec))
    if not text.strip():
        raise UsageError(f"{where} is empty (write e.g. --layer \"x=cos(t), y=t^2\")")
    pieces = []
    for k, piece in enumerate(_split_top(text, ","), start=1):
        if not piece.strip():
            raise UsageError(f"entry {k} of {where} is empty ({spec!r})")
        halves = _split_top(piece, "=")
        if len(halves) != 2:
            problem = "has no '='" if len(halves) == 1 else "has more than one '='"
            raise UsageError(f"entry {k} of {where} ('{piece.strip()}') {problem}: write each "
                             "entry as name=expression, e.g. x=cos(t)")
        name, expr = (h.strip() for h in halves)
        if not name or not expr:
            raise UsageError(f"entry {k} of {where} ('{piece.strip()}') needs a name and an "
                             "expression, e.g. x=cos(t)")
        pieces.append((name, expr))
    return pieces


def _one_name(text: str, where: str) -> str:
    try:
        names = parse_names(text)
    except ParseError as err:
        raise UsageError(f"'{text}' in {where} is not a variable name ({err.one_line()})") from None
    if len(names) != 1:
        raise UsageError(f"'{text}' in {where} is not one variable name")
    return names[0]


def _names_text(symbols) -> str:
    return ", ".join(s.name for s in symbols) if symbols else "none"


def _wrt_names(wrt) -> list[str]:
    if wrt is None or (isinstance(wrt, (list, tuple)) and not wrt) or (isinstance(wrt, str)
                                                                       and not wrt.strip()):
        return []
    if isinstance(wrt, str):
        return parse_names(wrt)
    out: list[str] = []
    for w in wrt:
        out += parse_names(str(w))
    return out


def _check_mentions(exprs, allowed_names: set, level: str, next_names, wrt, later: dict) -> None:
    """An error naming the first symbol of ``exprs`` that level ``level`` may not use."""
    for e in exprs:
        for s in sorted(e.free_symbols, key=lambda s: s.name):
            if s in allowed_names:
                continue
            own = f"the names of {next_names[0]} ({_names_text(next_names[1])}) and " \
                if next_names else ""
            rule = f"{level} may use only {own}the --wrt variables ({_names_text(wrt)})"
            if s in later:
                raise UsageError(f"{level} mentions {s.name}, a name of {later[s]}: {rule}")
            hint = " (add it to --wrt if you mean to differentiate by it)" if not next_names else ""
            raise UsageError(f"{level} mentions {s.name}, which is not defined: {rule}{hint}")


# -- the computation ---------------------------------------------------------------------------
def _jacobian(functions, inputs):
    """The matrix of partial derivatives, each entry by the step engine, tidied."""
    rows, trees = [], []
    for f in functions:
        row, row_steps = [], []
        for v in inputs:
            step = diff_steps(f, v)
            row.append(tidy(step.result))
            row_steps.append(step)
        rows.append(row)
        trees.append(tuple(row_steps))
    return sp.ImmutableMatrix(rows), tuple(trees)


def tidy_entry(v: sp.Expr) -> sp.Expr:
    """The simpler of ``tidy(v)`` and ``tidy`` of it multiplied out (a product of Jacobians
    is a sum of products, whose terms often combine once expanded). A large entry is left
    as the product gives it: tidying it costs much and seldom helps."""
    ops = sp.count_ops(v)
    if ops > TIDY_LIMIT:
        return v
    best = tidy(v)
    if _expand_ok(v):
        expanded = tidy(sp.expand(v))
        if sp.count_ops(expanded) <= sp.count_ops(best):
            best = expanded
    return best


def _tidy_matrix(m) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(m.shape[0], m.shape[1], [tidy_entry(v) for v in m])


def _expand_ok(v) -> bool:
    return all(not (p.exp.is_Integer and abs(p.exp) > 6) for p in v.atoms(sp.Pow))


def compute_chain(reading: Reading, functions: Sequence[sp.Expr], layers: Sequence[Layer],
                  wrt: Sequence[sp.Symbol], point: dict | None = None,
                  positive: bool = False) -> ChainResult:
    """The derivative of ``functions`` through ``layers`` with respect to ``wrt``."""
    wrt = tuple(wrt)
    n = len(layers)
    labels = ("f",) if len(functions) == 1 else tuple(f"f{k}" for k in range(1, len(functions) + 1))

    # the final variables each level uses directly, carried down through the levels below it
    direct = [set().union(*(e.free_symbols for e in functions)) & set(wrt)]
    for lay in layers:
        direct.append(set().union(*(e.free_symbols for e in lay.exprs)) & set(wrt))
    carried = []  # carried[k]: final variables passed through layer k+1 (k = 0..n-1)
    acc: set = set()
    for k in range(n):
        acc |= direct[k]
        carried.append(tuple(w for w in wrt if w in acc))

    # each layer in the final variables, deepest first
    composed: list[dict] = [dict() for _ in range(n)]
    below: dict = {}
    for k in range(n - 1, -1, -1):
        lay = layers[k]
        composed[k] = {s: e.xreplace(below) for s, e in zip(lay.names, lay.exprs, strict=True)}
        below = dict(composed[k])

    stages = []
    for k in range(n + 1):
        if k == 0:
            outputs, funcs, through = labels, tuple(functions), ()
        else:
            lay = layers[k - 1]
            through = carried[k - 1]
            outputs = tuple(s.name for s in lay.names) + tuple(w.name for w in through)
            funcs = tuple(lay.exprs) + through
        inputs = (tuple(layers[k].names) + carried[k]) if k < n else wrt
        matrix, steps = _jacobian(funcs, inputs)
        subs = composed[k] if k < n else {}
        substituted = sp.ImmutableMatrix(matrix.xreplace(subs)) if subs else matrix
        stages.append(Stage(outputs, funcs, inputs, matrix, steps, substituted,
                            tuple(w.name for w in through)))

    raw = stages[0].substituted
    for s in stages[1:]:
        raw = raw * s.substituted
    raw = sp.ImmutableMatrix(raw)
    result = _tidy_matrix(raw)

    paths = _paths(stages) if raw.shape == (1, 1) else ()
    value = None
    at = ()
    if point is not None:
        at = tuple(point.items())
        value = sp.ImmutableMatrix(result.shape[0], result.shape[1],
                                   [evaluate_at(v, point) for v in result])
    composed_pairs = tuple(tuple(level.items()) for level in composed)
    return ChainResult(reading, tuple(functions), labels, tuple(layers), wrt, tuple(stages),
                       composed_pairs, raw, result, paths, at, value, positive)


def _paths(stages: Sequence[Stage]) -> tuple[Path, ...]:
    """The terms of a scalar total derivative: one product per path from f to the variable."""
    sizes = [len(s.inputs) for s in stages[:-1]]
    count = 1
    for m in sizes:
        count *= m
    if count > MAX_PATHS:
        return ()
    out = []
    for choice in itertools.product(*(range(m) for m in sizes)):
        rows = (0, *choice)
        cols = (*choice, 0)
        factors, value = [], sp.Integer(1)
        for s, i, j in zip(stages, rows, cols, strict=True):
            sym = "d" if len(s.inputs) == 1 else "∂"
            factors.append((s.outputs[i], s.inputs[j].name, sym, s.matrix[i, j]))
            value = value * s.substituted[i, j]
        out.append(Path(tuple(factors), value))
    return tuple(out)


def chain_from_parts(stages: Sequence[Stage], order: Sequence[int] | None = None):
    """The product of the stages' substituted Jacobians in ``order`` (None if not conformable)."""
    order = list(range(len(stages))) if order is None else list(order)
    mats = [stages[k].substituted for k in order]
    out = mats[0]
    for m in mats[1:]:
        if out.shape[1] != m.shape[0]:
            return None
        out = out * m
    return sp.ImmutableMatrix(out)


# -- the entry point ----------------------------------------------------------------------------
def chain(expr: str, layers: Sequence, wrt, at=None, positive: bool = False) -> ChainResult:
    """Parse ``F``, its ``layers`` and ``wrt``; the derivative of F through the layers."""
    if isinstance(layers, (str, dict)):
        layers = [layers]
    layers = list(layers or [])
    if not layers:
        raise UsageError("chain needs at least one --layer, e.g. --layer \"x=cos(t), y=t^2\"")
    if len(layers) > MAX_LAYERS:
        raise UsageError(f"too many layers ({len(layers)}; the limit is {MAX_LAYERS})")
    wrt_names = _wrt_names(wrt)

    # names first: every layer's names and the final variables, so the parser knows them all
    pieces = [layer_pieces(spec, f"layer {k}") for k, spec in enumerate(layers, start=1)]
    owner: dict[str, str] = {}
    layer_names: list[list[str]] = []
    for k, level in enumerate(pieces, start=1):
        if len(level) > MAX_NAMES:
            raise UsageError(f"layer {k} has {len(level)} names (the limit is {MAX_NAMES})")
        names = []
        for name_text, _ in level:
            name = _one_name(name_text, f"layer {k}")
            if name in owner:
                again = "twice in layer" if owner[name] == f"layer {k}" else f"in {owner[name]} and in layer"
                raise UsageError(f"{name} is defined {again} {k}: each name may be defined once")
            owner[name] = f"layer {k}"
            names.append(name)
        layer_names.append(names)
    if not wrt_names:
        last = set()
        for _, text in pieces[-1]:
            try:
                last |= {s.name for s in parse_expression(text, variables=list(owner)).expr.free_symbols}
            except Exception:  # noqa: BLE001 - only a hint; the real parse reports errors
                pass
        hint = f" (the last layer uses {', '.join(sorted(last))})" if last else ""
        raise UsageError("--wrt is missing: name the final variable(s) to differentiate with "
                         f"respect to, e.g. --wrt t{hint}")
    for w in wrt_names:
        if w in owner:
            raise UsageError(f"--wrt {w}: {w} is a name of {owner[w]}, not a final variable")
    declared = list(owner) + wrt_names

    parsed_f = parse_expressions(expr, variables=declared, positive=positive)
    if len(parsed_f) > MAX_NAMES:
        raise UsageError(f"F has {len(parsed_f)} entries (the limit is {MAX_NAMES})")
    functions = tuple(p.expr for p in parsed_f)
    reading = _joint_reading(expr, [p.reading for p in parsed_f])

    wrt_syms = tuple(make_symbol(w, positive) for w in wrt_names)
    built: list[Layer] = []
    for k, (level, names) in enumerate(zip(pieces, layer_names, strict=True), start=1):
        syms, exprs, readings = [], [], []
        for (_, text), name in zip(level, names, strict=True):
            p = parse_expression(text, variables=declared, positive=positive,
                                 what=f"the expression for {name} in layer {k}")
            syms.append(make_symbol(name, positive))
            exprs.append(p.expr)
            readings.append(p.reading)
        built.append(Layer(layers[k - 1] if isinstance(layers[k - 1], str) else
                           ", ".join(f"{a}={b}" for a, b in level),
                           tuple(syms), tuple(exprs), tuple(readings)))

    # which names each level may mention
    later: dict = {}
    for k, lay in enumerate(built, start=1):
        for s in lay.names:
            later[s] = f"layer {k}"
    levels = [("F", functions)] + [(f"layer {k}", lay.exprs) for k, lay in enumerate(built, start=1)]
    for k, (level, exprs) in enumerate(levels):
        nxt = (f"layer {k + 1}", built[k].names) if k < len(built) else None
        allowed = set(wrt_syms) | (set(built[k].names) if k < len(built) else set())
        _check_mentions(exprs, allowed, level, nxt, wrt_syms, later)

    point = None
    if at is not None:
        point = parse_point(at, list(wrt_syms), positive=positive)
    return compute_chain(reading, functions, built, wrt_syms, point, positive)


def _joint_reading(text: str, readings: Sequence[Reading]) -> Reading:
    if len(readings) == 1:
        r = readings[0]
        return Reading(text, r.reading, r.notes, r.differs)
    shown = ", ".join(r.reading for r in readings)
    notes = tuple(dict.fromkeys(n for r in readings for n in r.notes))
    return Reading(text, shown, notes, any(r.differs for r in readings))


def describe(symbols) -> str:
    """``x`` or ``(x, y)``: a level's variables as a learner writes them."""
    names = [to_text(s) if not isinstance(s, str) else s for s in symbols]
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
