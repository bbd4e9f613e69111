"""The exact values of a backpropagation, written compactly: each sub-expression named once.

Written out in full, an exact value of a sigmoid network nests every earlier layer inside
itself (a(2) = 1/(1 + e^(−1/(1 + e^(−1)) − 1/2))), and the gradients nest it again. Here
every entry of z(L), a(L) and δ(L) that is not a plain rational number gets a name (z2,
a1_2 = entry 2 of a(1), δ2), defined once in terms of the names before it, so each value is a
short expression a learner can follow: a2 = σ(z2), δ2 = 2(a2 − 1)·a2(1 − a2).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from calctutor.topics.chain.backprop import Forward, LayerGradient, Network, _positive

_LETTERS = {"z": ("z", "z"), "a": ("a", "a"), "delta": ("δ", r"\delta")}


class Name(sp.Symbol):
    """A named value: ``a1_2`` (entry 2 of a(1)), ``z2`` (a one-neuron layer), ``δ2``;
    in LaTeX ``a^{(1)}_{2}``, the course's notation. Its SymPy name is ASCII (``delta2``)."""

    def __new__(cls, kind: str, layer: int, entry: int | None = None):
        name = f"{kind}{layer}" + (f"_{entry}" if entry is not None else "")
        return super().__new__(cls, name, real=True)

    def _parts(self):
        kind = self.name.rstrip("0123456789_")
        layer, _, entry = self.name[len(kind):].partition("_")
        return kind, layer, entry

    def _sympystr(self, printer):
        kind, layer, entry = self._parts()
        return _LETTERS[kind][0] + layer + (f"_{entry}" if entry else "")

    def _latex(self, printer):
        kind, layer, entry = self._parts()
        return _LETTERS[kind][1] + f"^{{({layer})}}" + (f"_{{{entry}}}" if entry else "")

    def _pretty(self, printer):
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self._sympystr(printer))


@dataclass(frozen=True)
class Definition:
    """``name = expression`` (in the names defined before it), and its exact value."""

    name: Name
    expression: sp.Expr
    value: sp.Expr
    activation: str = ""  # for an a: the activation applied to ``argument``
    argument: sp.Expr | None = None


@dataclass(frozen=True)
class NamedPass:
    """The forward and backward pass with every entry a rational number or a name."""

    z: tuple[sp.ImmutableMatrix, ...]
    a: tuple[sp.ImmutableMatrix, ...]
    cost: sp.Expr
    gradients: tuple[LayerGradient, ...]
    definitions: tuple[Definition, ...]

    def expand(self, expr):
        """``expr`` with every name replaced by its exact value (the full, nested form)."""
        values = {d.name: d.value for d in self.definitions}
        return expr.xreplace(values) if isinstance(expr, sp.Basic) else expr

    def json_fields(self) -> dict:
        """Names and definitions in SymPy syntax (ASCII names: delta1_2), for ``--format json``."""
        from calctutor.notation import to_sympy

        def plain(e):
            e = e.xreplace({n: sp.Symbol(n.name) for n in e.atoms(Name)})
            return to_sympy(e)

        def vec(m):
            return [plain(v) for v in m]

        return {
            "definitions": [{"name": d.name.name, "expression": plain(d.expression),
                             "value": to_sympy(d.value)} for d in self.definitions],
            "cost": plain(self.cost),
            "deltas": [vec(g.delta) for g in self.gradients],
            "gradients": [{"W": [[plain(v) for v in row] for row in g.dW.tolist()],
                           "b": vec(g.db)} for g in self.gradients],
        }


def _activation(name: str, z, z_value):
    """σ(z) on a name (relu and linear pass the name itself on, or 0)."""
    if name == "sigmoid":
        return 1 / (1 + sp.exp(-z))
    if name == "tanh":
        return sp.tanh(z)
    if name == "relu":
        return z if _positive(z_value) else sp.Integer(0)
    return z


def _derivative(name: str, a, z_value):
    """σ'(z) in terms of the activation's value a (σ' = a(1 − a) for sigmoid, 1 − a² for tanh)."""
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a**2
    if name == "relu":
        return sp.Integer(1) if _positive(z_value) else sp.Integer(0)
    return sp.Integer(1)


def named_pass(net: Network, fwd: Forward, grads: tuple[LayerGradient, ...]) -> NamedPass:
    """The exact passes with their sub-expressions named (see the module's docstring).

    The values themselves come from ``forward``/``backward``: a name's ``value`` is the
    entry those computed, so the named form and the full one cannot drift apart."""
    defs: list[Definition] = []

    def define(kind, k, i, size, expr, value, **extra):
        if isinstance(expr, Name):
            return expr  # relu or linear pass z on: a2 is z2, no new name
        if value.is_Rational:
            return value  # a plain number needs no name (even a1_1 + a1_2 when it is 0)
        name = Name(kind, k, i + 1 if size > 1 else None)
        defs.append(Definition(name, expr, value, **extra))
        return name

    a_prev = net.input
    zs, acts = [], [net.input]
    for k, layer in enumerate(net.layers, start=1):
        n = layer.W.shape[0]
        z_k, a_k = [], []
        for i in range(n):
            expr = sum((layer.W[i, j] * a_prev[j] for j in range(layer.W.shape[1])), layer.b[i])
            z_k.append(define("z", k, i, n, expr, fwd.z[k - 1][i]))
        for i in range(n):
            expr = _activation(layer.activation, z_k[i], fwd.z[k - 1][i])
            a_k.append(define("a", k, i, n, expr, fwd.a[k][i], activation=layer.activation,
                              argument=z_k[i]))
        zs.append(sp.ImmutableMatrix(n, 1, z_k))
        a_prev = sp.ImmutableMatrix(n, 1, a_k)
        acts.append(a_prev)
    L = len(net.layers)
    cost = sum(((ai - yi) ** 2 for ai, yi in zip(acts[L], net.target, strict=True)), sp.Integer(0))

    named: list[LayerGradient] = []
    # 2(a − y) kept as a product: SymPy would distribute the 2 (2a − 2), hiding the rule
    dC_da = sp.ImmutableMatrix([sp.Mul(2, ai - yi, evaluate=False) if (ai - yi).is_Add
                                else 2 * (ai - yi) for ai, yi in zip(acts[L], net.target, strict=True)])
    for k in range(L, 0, -1):
        layer, n = net.layers[k - 1], net.layers[k - 1].W.shape[0]
        sp_ = sp.ImmutableMatrix([_derivative(layer.activation, acts[k][i], fwd.z[k - 1][i])
                                  for i in range(n)])
        delta = sp.ImmutableMatrix([define("delta", k, i, n, dC_da[i] * sp_[i],
                                           grads[k - 1].delta[i]) for i in range(n)])
        dW = sp.ImmutableMatrix(delta * acts[k - 1].T)
        named.append(LayerGradient(dC_da, sp_, delta, dW, delta))
        if k > 1:
            dC_da = sp.ImmutableMatrix(layer.W.T * delta)
    # the definitions are made layer by layer, forward then backward: each uses only earlier names
    return NamedPass(tuple(zs), tuple(acts), cost, tuple(reversed(named)), tuple(defs))
