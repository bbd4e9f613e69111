"""Backpropagation through a small fully connected network, exactly where the inputs are exact.

a(0) is the input; layer L computes z(L) = W(L) a(L−1) + b(L) and a(L) = σ(z(L)); the cost of
one training example is C = Σ (a_out − y)². The backward pass is the chain rule, layer by
layer from the output: ∂C/∂a(out) = 2(a − y); δ(L) = ∂C/∂z(L) = ∂C/∂a(L) ⊙ σ'(z(L));
∂C/∂W(L) = δ(L) a(L−1)ᵀ; ∂C/∂b(L) = δ(L); ∂C/∂a(L−1) = W(L)ᵀ δ(L).

Activations: sigmoid 1/(1 + e^(−z)) (σ' = σ(1 − σ)), tanh (1 − tanh²), relu max(0, z) (its
derivative taken as 0 at z = 0, as most libraries do), linear. relu is decided on the
numbers themselves, never left as a Piecewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import sympy as sp

from calctutor.errors import CalcTutorError, UsageError
from calctutor.parsing import parse_expressions, parse_matrix
from calctutor.results import json_value

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
ALIASES = {"logistic": "sigmoid", "identity": "linear", "none": "linear"}
MAX_LAYERS = 8
MAX_NEURONS = 16
DIGITS = 15


# -- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetLayer:
    """One layer: weights (n_L × n_{L−1}), biases (a column) and its activation."""

    W: sp.ImmutableMatrix
    b: sp.ImmutableMatrix
    activation: str
    text: str = ""


@dataclass(frozen=True)
class Network:
    """The layers, the input a(0) and the target y (columns); ``numeric`` when any is a float."""

    layers: tuple[NetLayer, ...]
    input: sp.ImmutableMatrix
    target: sp.ImmutableMatrix
    numeric: bool = False


@dataclass(frozen=True)
class Forward:
    """z(L) and a(L) per layer (``a[0]`` is the input), the cost and its terms."""

    z: tuple[sp.ImmutableMatrix, ...]
    a: tuple[sp.ImmutableMatrix, ...]
    cost: sp.Expr
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LayerGradient:
    """The backward pass at one layer: ∂C/∂a, σ'(z), δ = ∂C/∂z, ∂C/∂W, ∂C/∂b."""

    dC_da: sp.ImmutableMatrix
    sigma_prime: sp.ImmutableMatrix
    delta: sp.ImmutableMatrix
    dW: sp.ImmutableMatrix
    db: sp.ImmutableMatrix


# -- numbers ------------------------------------------------------------------------------------
def _clean(value: sp.Expr, numeric: bool) -> sp.Expr:
    """A value as shown: 15-digit decimals for decimal input; else exact, as SymPy's own
    arithmetic leaves it. (``tidy`` on an exact number sorts its terms numerically, which
    costs a second per entry, and the chain-rule product as it stands reads better.)"""
    if numeric:
        return sp.Float(sp.N(value, DIGITS), DIGITS) if value.is_real is not False else value
    return value


def _positive(z: sp.Expr) -> bool | None:
    """Is the number z > 0? (None when it is zero)."""
    if z.is_zero:
        return None
    if z.is_positive:
        return True
    if z.is_negative:
        return False
    v = sp.N(z, 50)
    if abs(v) < sp.Float("1e-40"):
        return None
    return bool(v > 0)


def activate(name: str, z: sp.Expr) -> sp.Expr:
    """σ(z) for one number."""
    if name == "sigmoid":
        return 1 / (1 + sp.exp(-z))
    if name == "tanh":
        return sp.tanh(z)
    if name == "relu":
        return z if _positive(z) else sp.Integer(0)
    return z


def activation_derivative(name: str, z: sp.Expr, a: sp.Expr) -> sp.Expr:
    """σ'(z) for one number, written with the activation's value a = σ(z) where it can be."""
    if name == "sigmoid":
        return sp.exp(-z) / (1 + sp.exp(-z)) ** 2  # = σ(z)(1 − σ(z)), in its tidiest form
    if name == "tanh":
        return 1 - a**2
    if name == "relu":
        return sp.Integer(1) if _positive(z) else sp.Integer(0)
    return sp.Integer(1)


FORMULAS = {
    "sigmoid": ("σ(z) = 1/(1 + e^(−z)),  σ'(z) = σ(z)(1 − σ(z))",
                r"\sigma(z) = \frac{1}{1 + e^{-z}}, \quad \sigma'(z) = \sigma(z)\,(1 - \sigma(z))"),
    "tanh": ("σ(z) = tanh(z),  σ'(z) = 1 − tanh²(z)",
             r"\sigma(z) = \tanh z, \quad \sigma'(z) = 1 - \tanh^2 z"),
    "relu": ("σ(z) = max(0, z),  σ'(z) = 1 if z > 0, else 0",
             r"\sigma(z) = \max(0, z), \quad \sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 "
             r"\end{cases}"),
    "linear": ("σ(z) = z,  σ'(z) = 1", r"\sigma(z) = z, \quad \sigma'(z) = 1"),
}


# -- the passes ---------------------------------------------------------------------------------
def forward(net: Network) -> Forward:
    """z and a for every layer, and the cost C = Σ (a_out − y)²."""
    a = net.input
    zs, activations, notes = [], [net.input], []
    for k, layer in enumerate(net.layers, start=1):
        z = sp.ImmutableMatrix((layer.W * a + layer.b).applyfunc(lambda v: _clean(v, net.numeric)))
        if layer.activation == "relu" and any(_positive(v) is None for v in z):
            notes.append(f"z({k}) has an entry 0, where relu has no derivative: its derivative "
                         "is taken as 0 there, as most libraries do.")
        a = sp.ImmutableMatrix(z.applyfunc(lambda v, act=layer.activation:
                                           _clean(activate(act, v), net.numeric)))
        zs.append(z)
        activations.append(a)
    cost = _clean(sum(((ai - yi) ** 2 for ai, yi in zip(a, net.target, strict=True)),
                      sp.Integer(0)), net.numeric)
    return Forward(tuple(zs), tuple(activations), cost, tuple(notes))


def backward(net: Network, fwd: Forward, *, activation_derivative: bool = True, factor=2,
             transpose: bool = True, previous: bool = True) -> tuple[LayerGradient, ...] | None:
    """The gradients layer by layer (layer 1 first). The keyword flags break one rule each
    (for the mal-rules of ``--answer``); None when the broken rule does not fit the shapes."""
    numeric = net.numeric

    def clean(m):
        return sp.ImmutableMatrix(m.applyfunc(lambda v: _clean(v, numeric)))

    L = len(net.layers)
    grads: list[LayerGradient] = []
    dC_da = clean(factor * (fwd.a[L] - net.target))
    for k in range(L, 0, -1):
        layer = net.layers[k - 1]
        z, a = fwd.z[k - 1], fwd.a[k]
        if activation_derivative:
            sp_ = clean(sp.ImmutableMatrix(z.shape[0], 1, [_sigma_prime(layer.activation, zi, ai)
                                                           for zi, ai in zip(z, a, strict=True)]))
        else:
            sp_ = sp.ImmutableMatrix.ones(z.shape[0], 1)
        delta = clean(sp.matrix_multiply_elementwise(dC_da, sp_))
        source = fwd.a[k - 1] if previous else fwd.a[k]
        dW = clean(delta * source.T)
        grads.append(LayerGradient(dC_da, sp_, delta, dW, delta))
        if k > 1:
            W = layer.W.T if transpose else layer.W
            if W.shape[1] != delta.shape[0]:
                return None
            dC_da = clean(W * delta)
    return tuple(reversed(grads))


def _sigma_prime(name, z, a):
    return activation_derivative(name, z, a)


# -- reading the input --------------------------------------------------------------------------
def _activation_name(text, where: str) -> str:
    name = str(text).strip().lower()
    name = ALIASES.get(name, name)
    if name not in ACTIVATIONS:
        raise UsageError(f"unknown activation '{text}'{where} (choose sigmoid, tanh, relu or linear)")
    return name


def _as_text(value) -> str:
    """A matrix or list from the exercise bank (lists of numbers or strings) as text."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_as_text(v) for v in value) + "]"
    return str(value)


def _numbers(entries, what: str):
    for e in entries:
        if e.free_symbols:
            names = ", ".join(sorted(s.name for s in e.free_symbols))
            raise UsageError(f"{what} must be numbers, but it mentions {names}")
        if e.is_real is False or e.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise UsageError(f"{what} must be real numbers")


def _vector(text, what: str) -> sp.ImmutableMatrix:
    if text is None or (isinstance(text, str) and not text.strip()):
        raise UsageError(f"{what} is missing")
    try:
        items = [p.expr for p in parse_expressions(_as_text(text))]
    except CalcTutorError as err:
        raise UsageError(f"{what}: {err.one_line()}") from None
    _numbers(items, what)
    if len(items) > MAX_NEURONS:
        raise UsageError(f"{what} has {len(items)} entries (the limit is {MAX_NEURONS})")
    return sp.ImmutableMatrix(len(items), 1, items)


def _layer_parts(spec, k: int) -> dict[str, str]:
    where = f"layer {k}"
    if isinstance(spec, dict):
        parts = {str(key).strip(): _as_text(v) for key, v in spec.items()}
    elif isinstance(spec, str):
        parts = {}
        for piece in spec.split(";"):
            if not piece.strip():
                continue
            key, eq, value = piece.partition("=")
            if not eq or not key.strip() or not value.strip():
                raise UsageError(f"'{piece.strip()}' in {where} is not key=value: write e.g. "
                                 "--layer \"W=[[1,-1],[2,0]]; b=[0,-1]\"")
            key = key.strip()
            if key in parts:
                raise UsageError(f"{where} gives {key} twice")
            parts[key] = value.strip()
    else:
        raise UsageError(f"{where} must be text like \"W=[[1,-1],[2,0]]; b=[0,-1]\"")
    normal = {}
    for key, value in parts.items():
        low = key.lower()
        name = {"w": "W", "b": "b", "act": "act", "activation": "act"}.get(low)
        if name is None:
            raise UsageError(f"{where}: unknown key '{key}' (use W, b and optionally act)")
        normal[name] = value
    for need in ("W", "b"):
        if need not in normal:
            raise UsageError(f"{where} has no {need}: write e.g. --layer \"W=[[1,-1],[2,0]]; "
                             "b=[0,-1]\"")
    return normal


def _shape(m) -> str:
    return f"{m.shape[0]}×{m.shape[1]}"


def build_network(layers: Sequence, input, target, activation: str = "sigmoid") -> Network:
    """The network from ``--layer`` specs, ``--input``, ``--target`` and ``--activation``,
    with every shape checked (precise errors name the layer and the sizes)."""
    if isinstance(layers, (str, dict)):
        layers = [layers]
    layers = list(layers or [])
    if not layers:
        raise UsageError("backprop needs at least one --layer, e.g. --layer "
                         "\"W=[[1,-1],[2,0]]; b=[0,-1]\"")
    if len(layers) > MAX_LAYERS:
        raise UsageError(f"too many layers ({len(layers)}; the limit is {MAX_LAYERS})")
    default = _activation_name(activation or "sigmoid", "")
    a0 = _vector(input, "the input (--input)")
    built: list[NetLayer] = []
    width, source = a0.shape[0], f"the input has {a0.shape[0]} entr{'y' if a0.shape[0] == 1 else 'ies'}"
    for k, spec in enumerate(layers, start=1):
        parts = _layer_parts(spec, k)
        try:
            rows = parse_matrix(parts["W"], what=f"W of layer {k}")
        except CalcTutorError as err:
            raise UsageError(f"W of layer {k}: {err.one_line()}") from None
        W = sp.ImmutableMatrix([[p.expr for p in row] for row in rows])
        _numbers(list(W), f"W of layer {k}")
        b = _vector(parts["b"], f"b of layer {k}")
        if W.shape[0] > MAX_NEURONS or W.shape[1] > MAX_NEURONS:
            raise UsageError(f"W of layer {k} is {_shape(W)} (the limit is {MAX_NEURONS} neurons)")
        if W.shape[1] != width:
            raise UsageError(f"W of layer {k} is {_shape(W)}, but {source}: W({k}) needs {width} "
                             f"column{'s' if width != 1 else ''} (one per input to the layer)")
        if b.shape[0] != W.shape[0]:
            raise UsageError(f"b of layer {k} has {b.shape[0]} entr{'y' if b.shape[0] == 1 else 'ies'}, but W of layer {k} has "
                             f"{W.shape[0]} row{'s' if W.shape[0] != 1 else ''} (one bias per neuron)")
        act = _activation_name(parts["act"], f" in layer {k}") if "act" in parts else default
        text = spec if isinstance(spec, str) else "; ".join(f"{a}={v}" for a, v in parts.items())
        built.append(NetLayer(W, b, act, text))
        width = W.shape[0]
        source = f"layer {k} has {width} neuron{'s' if width != 1 else ''}"
    y = _vector(target, "the target (--target)")
    if y.shape[0] != width:
        raise UsageError(f"the target has {y.shape[0]} entr{'y' if y.shape[0] == 1 else 'ies'}, "
                         f"but the last layer has {width} neuron{'s' if width != 1 else ''}")
    everything = [a0, y] + [m for lay in built for m in (lay.W, lay.b)]
    numeric = any(m.atoms(sp.Float) for m in everything)
    if numeric:
        def flt(m):
            return sp.ImmutableMatrix(m.applyfunc(lambda v: sp.Float(sp.N(v, DIGITS), DIGITS)))
        built = [NetLayer(flt(lay.W), flt(lay.b), lay.activation, lay.text) for lay in built]
        a0, y = flt(a0), flt(y)
    return Network(tuple(built), a0, y, bool(numeric))


# -- the result ---------------------------------------------------------------------------------
_CHECK = re.compile(r"^(?:d\s*c\s*/\s*d\s*)?([wb])\s*\(?\s*(\d+)\s*\)?$", re.IGNORECASE)


def parse_check(text: str, layers: int) -> str:
    """``--check``: "cost", or "W2"/"b1" (also "dC/dW2", "W(2)"): the quantity --answer checks."""
    raw = (text or "W1").strip()
    if raw.lower() in ("cost", "c"):
        return "cost"
    m = _CHECK.match(raw)
    if not m:
        raise UsageError(f"--check {raw}: say cost, or W or b with a layer number (e.g. W1, b2)")
    kind, k = m.group(1).upper() if m.group(1).lower() == "w" else "b", int(m.group(2))
    if not 1 <= k <= layers:
        raise UsageError(f"--check {raw}: the network has {layers} layer{'s' if layers != 1 else ''}"
                         f" (use a layer number from 1 to {layers})")
    return f"{kind}{k}"


@dataclass(frozen=True)
class BackpropResult:
    """A network's forward pass, cost and gradients; ``check`` is what --answer checks."""

    network: Network
    forward: Forward
    gradients: tuple[LayerGradient, ...]
    check: str = "W1"
    notes: tuple[str, ...] = field(default=())
    exact: bool = False  # the view shows exact values, named (``backprop_exact``)

    @property
    def check_name(self) -> str:
        if self.check == "cost":
            return "the cost C"
        return f"∂C/∂{self.check[0]}({self.check[1:]})"

    def quantity(self, target: str, grads=None):
        """The value of ``target`` ("cost", "W1", "b2") in --answer's shape: a number for a
        1×1 matrix or a one-entry vector, else a list of rows or a list."""
        grads = self.gradients if grads is None else grads
        if target == "cost":
            return self.forward.cost
        k = int(target[1:])
        m = grads[k - 1].dW if target[0] == "W" else grads[k - 1].db
        if m.shape == (1, 1):
            return m[0, 0]
        return list(m) if target[0] == "b" else m.tolist()

    def to_json(self) -> dict:
        def vec(m):
            return [json_value(v) for v in m]

        def mat(m):
            return [[json_value(v) for v in row] for row in m.tolist()]

        net, fwd = self.network, self.forward
        out = {
            "cost": json_value(fwd.cost),
            "activations": [vec(a) for a in fwd.a[1:]],
            "gradients": [{"W": mat(g.dW), "b": vec(g.db)} for g in self.gradients],
            "input": vec(net.input),
            "target": vec(net.target),
            "z": [vec(z) for z in fwd.z],
            "deltas": [vec(g.delta) for g in self.gradients],
            "activation": [lay.activation for lay in net.layers],
        }
        if not net.numeric:
            from calctutor.topics.chain.backprop_exact import named_pass

            out["named"] = named_pass(net, fwd, self.gradients).json_fields()
        notes = list(fwd.notes) + list(self.notes)
        if notes:
            out["notes"] = notes
        return out

    def answer_spec(self):
        """``--answer`` checks the quantity named by ``--check`` (default ∂C/∂W(1))."""
        from calctutor.checking.answer import AnswerSpec
        from calctutor.topics.chain.mistakes import backprop_mistakes

        value = self.quantity(self.check)
        if isinstance(value, list):
            shape = "matrix" if value and isinstance(value[0], list) else "numbers"
        else:
            shape = "number"
        # every entry is a number: compared at 30 digits, within a relative 1e-12 (an exact
        # nested tanh/exp value would otherwise go to the slow symbolic fallback)
        tol = 1e-9 if self.network.numeric else 1e-12

        def js(v):
            return [js(x) for x in v] if isinstance(v, list) else json_value(v)

        return AnswerSpec(shape, value, self.check_name, (), tolerance=tol,
                          mistakes=lambda: backprop_mistakes(self), json_expected=js(value))


def backprop(layers: Sequence, input, target, activation: str = "sigmoid",
             check: str | None = None, exact: bool = False) -> BackpropResult:
    """Build the network, run the forward and backward passes (``exact``: the view names
    sub-expressions and shows exact values instead of decimals first)."""
    net = build_network(layers, input, target, activation)
    what = parse_check(check, len(net.layers))
    fwd = forward(net)
    grads = backward(net, fwd)
    return BackpropResult(net, fwd, grads, what, exact=exact)

