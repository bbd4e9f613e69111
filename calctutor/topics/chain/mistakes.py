"""Mal-rules of the multivariate chain rule and of backpropagation.

``chain_mistakes(result)`` and ``backprop_mistakes(result)`` give, for one problem, the
answer each misconception would produce, with a tutor's feedback; the answer checker
(``checking.answer``) compares the learner's answer with each.

Chain: a dropped term of the sum over paths (``missing_chain_term``), an answer left in the
intermediate variables (``not_substituted``), the Jacobians multiplied in the wrong order
(``jacobian_order``), the transposed Jacobian (``transposed_jacobian``), the outer partial
derivatives left out (``partials_left_out``: dx/dt·dy/dt or dx/dt + dy/dt for d(xy)/dt).
Backprop: no σ'(z) factor (``missing_activation_derivative``), ∂C/∂a = a − y without the 2
(``missing_factor_two``), δ propagated with W instead of Wᵀ (``untransposed_weights``),
∂C/∂W = δ a(L)ᵀ instead of δ a(L−1)ᵀ (``wrong_activation_layer``), σ(z) for σ'(z)
(``activation_for_derivative``), ∂C/∂W without a(L−1) (``missing_input_factor``), the δ of
another layer (``wrong_layer_delta``); the cost without the square (``cost_not_squared``).
Forward pass (``output_mistakes``, the bank's "find a(L)"): the bias left out
(``missing_bias``), the activation not applied (``activation_not_applied``).
"""

from __future__ import annotations

import itertools

import sympy as sp

from calctutor.checking.answer import Mistake
from calctutor.errors import CalcTutorError
from calctutor.notation import to_text

MAX_CANDIDATES = 40


def _at(matrix, point):
    """``matrix`` evaluated at ``point`` (None when a value is undefined there)."""
    if point is None:
        return matrix
    from calctutor.steps.evaluate import evaluate_at

    try:
        return sp.ImmutableMatrix(matrix.shape[0], matrix.shape[1],
                                  [evaluate_at(v, point) for v in matrix])
    except (CalcTutorError, TypeError, ValueError):
        return None


def _shaped(result, matrix):
    if matrix is None:
        return None
    if tuple(matrix.shape) == tuple(result.result.shape):
        return result.shaped(matrix)
    if 1 in matrix.shape:
        return list(matrix) if matrix.shape != (1, 1) else matrix[0, 0]
    return matrix.tolist()


def _frac(sym: str, num: str, den: str) -> str:
    return f"{sym}{num}/{sym}{den}"


def chain_mistakes(result) -> list[Mistake]:
    """The answers of the chain-rule misconceptions for this ``ChainResult``."""
    from calctutor.topics.chain.chain import chain_from_parts, tidy_entry

    point = dict(result.at) if result.at else None
    stages = result.stages
    out: list[Mistake] = []

    def add(code, matrix, feedback):
        if matrix is None:
            return
        value = _shaped(result, _at(matrix, point))
        if value is not None:
            out.append(Mistake(code, value, feedback))

    # a term of the sum over paths dropped
    first = stages[0]
    rest = chain_from_parts(stages, range(1, len(stages)))
    rows, cols = result.result.shape
    if rows * cols * len(first.inputs) <= MAX_CANDIDATES:
        for i, j, k in itertools.product(range(rows), range(cols), range(len(first.inputs))):
            term = first.substituted[i, k] * rest[k, j]
            if term == 0:
                continue
            wrong = result.result.as_mutable()
            wrong[i, j] = tidy_entry(result.result[i, j] - term)
            via = first.inputs[k].name
            d = "d" if len(result.wrt) == 1 else "∂"
            part = "∂" if len(first.inputs) > 1 else "d"
            lhs = _frac(d, first.outputs[i], result.wrt[j].name)
            out_term = (f"{_frac(part, first.outputs[i], via)}·{_frac(d, via, result.wrt[j].name)}")
            where = f" in entry ({i + 1}, {j + 1})" if rows * cols > 1 else ""
            add("missing_chain_term", sp.ImmutableMatrix(wrong),
                f"You left out the path through {via}{where}: {lhs} adds one product for every "
                f"variable {result.labels[0] if rows == 1 else 'F'} depends on, and the term "
                f"{out_term} is missing.")
    for path in result.paths:
        if len(path.factors) > 2 and path.value != 0:
            via = " → ".join(f[1] for f in path.factors[:-1])
            add("missing_chain_term", sp.ImmutableMatrix([[tidy_entry(result.result[0, 0]
                                                                      - path.value)]]),
                f"You left out the path through {via}: the total derivative is the sum over "
                "every path from f down to the variable, one product of partial derivatives each.")

    _dropped_term_paths(result, rest, add)

    # the outer partial derivatives left out: only the inner derivatives, added or multiplied
    if rows == 1 and rest is not None and len(first.inputs) > 1:
        inner = [[rest[k, j] for k in range(len(first.inputs))] for j in range(cols)]
        names = ", ".join(_frac("d" if len(result.wrt) == 1 else "∂", v.name, result.wrt[0].name)
                          for v in first.inputs)
        why = (f"You used only the inner derivatives ({names}): each path's product needs the "
               f"outer partial derivative too, ∂{result.labels[0]}/∂{first.inputs[0].name} and so on.")
        add("partials_left_out", sp.ImmutableMatrix([[tidy_entry(sp.Mul(*col)) for col in inner]]),
            why)
        add("partials_left_out", sp.ImmutableMatrix([[tidy_entry(sp.Add(*col)) for col in inner]]),
            why)

    # the answer left in the intermediate variables
    if point is None:
        own = stages[0].matrix
        for s in stages[1:]:
            own = own * s.matrix
        own = sp.ImmutableMatrix(own.applyfunc(tidy_entry))
        names = sorted({s.name for lay in result.layers for s in lay.names}
                       & {s.name for s in own.free_symbols})
        if names:
            subs = ", ".join(f"{n.name} = {to_text(e)}" for level in result.composed
                             for n, e in level if n.name in names)
            finals = ", ".join(w.name for w in result.wrt)
            add("not_substituted", own,
                f"Your answer is still written in {', '.join(names)}: substitute {subs} so that "
                f"it is in {finals} alone.")

    # the Jacobians multiplied in another order
    if len(stages) <= 4:
        for order in itertools.permutations(range(len(stages))):
            if list(order) == list(range(len(stages))):
                continue
            product = chain_from_parts(stages, order)
            if product is None:
                continue
            add("jacobian_order", product.applyfunc(tidy_entry),
                "The Jacobians are multiplied in the wrong order: the chain rule is "
                "(outer Jacobian)·(next)·…·(innermost), df/dx·dx/du·du/dt, so that the shapes "
                f"{' · '.join(f'{s.shape[0]}×{s.shape[1]}' for s in stages)} fit together.")
    if rows > 1 and cols > 1 and result.result != result.result.T:
        add("transposed_jacobian", result.result.T,
            "Your matrix is transposed: rows are the functions and columns the variables.")
    return out


MAX_ATOMS = 6   # term-by-path contributions combined (2^6 subsets at most)


def _dropped_term_paths(result, rest, add) -> None:
    """Finer missing_chain_term: f = T1 + T2 + ..., each term contributes one product per
    variable it depends on; the answer with some of those products left out (a term
    differentiated along one path only, or a whole term forgotten). ``add`` appends."""
    from calctutor.topics.chain.chain import tidy_entry

    first = result.stages[0]
    rows, cols = result.result.shape
    if rows * cols != 1:
        return
    terms = sp.Add.make_args(sp.expand(first.functions[0]))
    if len(terms) < 2:
        return
    sub = {n: e for level in result.composed for n, e in level}
    atoms = []
    for term in terms:
        for k, x in enumerate(first.inputs):
            d = sp.diff(term, x)
            if d != 0 and rest[k, 0] != 0:
                atoms.append((term, x, tidy_entry(d.xreplace(sub) * rest[k, 0])))
    if not 2 <= len(atoms) <= MAX_ATOMS:
        return
    total = result.result[0, 0]
    wrt = result.wrt[0].name
    seen: set = set()
    for size in range(1, len(atoms)):
        for subset in itertools.combinations(atoms, size):
            wrong = tidy_entry(total - sum(a[2] for a in subset))
            if wrong in seen:
                continue
            seen.add(wrong)
            parts = []
            for term in dict.fromkeys(a[0] for a in subset):
                gone = [a[1].name for a in subset if a[0] == term]
                every = [a[1].name for a in atoms if a[0] == term]
                if gone == every and len(every) > 1:
                    parts.append(f"the term {to_text(term)} entirely (it depends on {wrt} "
                                 f"through {' and '.join(every)}, one product each)")
                elif gone == every:
                    parts.append(f"the term {to_text(term)} (through {gone[0]})")
                else:
                    parts.append(f"the path through {', '.join(gone)} of the term "
                                 f"{to_text(term)}")
            add("missing_chain_term", sp.ImmutableMatrix([[wrong]]),
                f"You left out {'; and '.join(parts)}: d{result.labels[0]}/d{wrt} is the sum, "
                "over every term and every variable it depends on, of ∂(term)/∂(variable) · "
                f"d(variable)/d{wrt}.")


# -- the forward pass, the cost and the backward pass, each with one rule broken -----------
def _forward(net, *, bias: set[int] | None = None, activation: bool = True):
    """a(L) per layer with only the biases of the layers in ``bias`` added (1-based; all
    when None), or with the activation never applied."""
    from calctutor.topics.chain.backprop import _clean, activate

    a = net.input
    outs = [a]
    for k, layer in enumerate(net.layers, start=1):
        z = layer.W * a + (layer.b if bias is None or k in bias else 0 * layer.b)
        z = z.applyfunc(lambda v: _clean(v, net.numeric))
        if activation:
            z = z.applyfunc(lambda v, act=layer.activation: _clean(activate(act, v), net.numeric))
        a = sp.ImmutableMatrix(z)
        outs.append(a)
    return outs


def _number_or_list(m):
    values = list(m)
    return values[0] if len(values) == 1 else values


def output_mistakes(result) -> list[Mistake]:
    """The network's output a(L) after a forward pass with a broken rule: the bias left out
    (of every layer, then of one layer), the activation not applied."""
    net = result.network
    out = []
    layers = range(1, len(net.layers) + 1)
    with_bias = [k for k in layers if any(v != 0 for v in net.layers[k - 1].b)]
    choices = ([set()] if with_bias else []) + (
        [set(layers) - {k} for k in with_bias] if len(with_bias) > 1 else [])
    for keep in choices:
        gone = [k for k in layers if k not in keep and k in with_bias]
        where = ("" if len(net.layers) == 1 else
                 f" (in layer{'s' if len(gone) > 1 else ''} {', '.join(map(str, gone))})")
        out.append(Mistake(
            "missing_bias", _number_or_list(_forward(net, bias=keep)[-1]),
            f"The bias is missing{where}: each layer computes z = W a + b before the "
            "activation, so add b to W a."))
    if any(layer.activation != "linear" for layer in net.layers):
        out.append(Mistake(
            "activation_not_applied", _number_or_list(_forward(net, activation=False)[-1]),
            "That is z = W a + b without the activation: a layer's output is a = σ(z), "
            "with σ applied to each entry of z."))
    return out


def _cost_mistakes(result) -> list[Mistake]:
    """The cost C = Σ (a − y)² with the square left out (Σ (a − y), Σ |a − y|)."""
    fwd, net = result.forward, result.network
    residuals = [a - y for a, y in zip(fwd.a[-1], net.target, strict=True)]
    feedback = ("The residual a − y must be squared: the cost is C = Σ (a − y)², so square "
                "each difference before adding.")
    out = [Mistake("cost_not_squared", sp.Add(*residuals), feedback)]
    if any(r.is_negative for r in residuals):
        out.append(Mistake("cost_not_squared", sp.Add(*[abs(r) for r in residuals]), feedback))
    return out


def _gradients(result, *, sigma_prime=None, delta_of=None):
    """The backward pass of ``result`` with σ'(z) replaced by ``sigma_prime(name, z, a)``,
    as LayerGradient objects (layer 1 first); ``delta_of`` maps a layer to the layer whose
    δ is used in its ∂C/∂W and ∂C/∂b (None when that does not fit the shapes)."""
    from calctutor.topics.chain.backprop import LayerGradient, _clean, activation_derivative

    net, fwd = result.network, result.forward
    if sigma_prime is None:
        sigma_prime = activation_derivative

    def clean(m):
        return sp.ImmutableMatrix(m.applyfunc(lambda v: _clean(v, net.numeric)))

    L = len(net.layers)
    deltas = {}
    dC_da = clean(2 * (fwd.a[L] - net.target))
    for k in range(L, 0, -1):
        layer = net.layers[k - 1]
        z, a = fwd.z[k - 1], fwd.a[k]
        sp_ = clean(sp.ImmutableMatrix(z.shape[0], 1, [sigma_prime(layer.activation, zi, ai)
                                                       for zi, ai in zip(z, a, strict=True)]))
        deltas[k] = clean(sp.matrix_multiply_elementwise(dC_da, sp_))
        dC_da = clean(layer.W.T * deltas[k])
    grads = []
    for k in range(1, L + 1):
        delta = deltas[(delta_of or {}).get(k, k)]
        if delta.shape != deltas[k].shape:
            return None
        grads.append(LayerGradient(None, None, delta, clean(delta * fwd.a[k - 1].T), delta))
    return tuple(grads)


def _backward_mistakes(result) -> list[Mistake]:
    """σ'(z) taken as σ(z); ∂C/∂W without the input factor a(L−1); δ of another layer."""
    from calctutor.topics.chain.backprop import activate

    out: list[Mistake] = []
    target = result.check
    k = int(target[1:])
    net = result.network
    grads = _gradients(result, sigma_prime=lambda name, z, a: activate(name, z))
    if grads is not None:
        out.append(Mistake(
            "activation_for_derivative", result.quantity(target, grads),
            "You multiplied by the activation σ(z) where the chain rule needs its "
            "derivative σ'(z): δ = ∂C/∂a ⊙ σ'(z), with σ' the derivative of the "
            "activation."))
    if target[0] == "W":
        delta = result.gradients[k - 1].delta
        W = net.layers[k - 1].W
        ones = sp.ImmutableMatrix.ones(1, W.shape[1])
        value = result.quantity("b" + target[1:])
        without = (delta * ones)
        shaped = without[0, 0] if without.shape == (1, 1) else without.tolist()
        fb = ("The factor a(L−1) is missing: z = W a(L−1) + b, so ∂z/∂W brings in the input "
              "of the layer, and ∂C/∂W(L) = δ(L) a(L−1)ᵀ (without it you have ∂C/∂b).")
        out.append(Mistake("missing_input_factor", shaped, fb))
        if W.shape[1] > 1:
            out.append(Mistake("missing_input_factor", value, fb))
    for other in range(1, len(net.layers) + 1):
        if other == k:
            continue
        grads = _gradients(result, delta_of={k: other})
        if grads is None:
            continue
        out.append(Mistake(
            "wrong_layer_delta", result.quantity(target, grads),
            f"You used the δ of layer {other}: the gradient of the weights and biases of "
            f"layer {k} uses δ({k}) = ∂C/∂z({k}), that layer's own error, carried back from "
            "the output through each layer in between."))
    return out


def backprop_mistakes(result) -> list[Mistake]:
    """The answers of the backpropagation misconceptions for this ``BackpropResult``."""
    from calctutor.topics.chain.backprop import backward

    out: list[Mistake] = []
    target = result.check
    rules = (
        ("missing_activation_derivative", {"activation_derivative": False},
         "The factor σ'(z) is missing: ∂C/∂z = ∂C/∂a · σ'(z), entry by entry, at every layer "
         "(da/dz is the derivative of the activation)."),
        ("missing_factor_two", {"factor": 1},
         "The factor 2 is missing: C = Σ(a − y)², so ∂C/∂a = 2(a − y)."),
        ("untransposed_weights", {"transpose": False},
         "δ is propagated back with W instead of its transpose: ∂C/∂a(L−1) = W(L)ᵀ δ(L)."),
        ("wrong_activation_layer", {"previous": False},
         "∂C/∂W(L) = δ(L) a(L−1)ᵀ uses the activations coming INTO the layer, a(L−1), not the "
         "layer's own output a(L)."),
    )
    if target == "cost":
        return _cost_mistakes(result)
    for code, flags, feedback in rules:
        try:
            grads = backward(result.network, result.forward, **flags)
        except (ValueError, sp.ShapeError, TypeError):
            continue
        if grads is None:
            continue
        value = result.quantity(target, grads)
        if value is not None:
            out.append(Mistake(code, value, feedback))
    return out + _backward_mistakes(result)


# ---------------------------------------------------------------------------------------
# Which problems can reveal a misconception: the exercise bank keeps a variant that targets
# one only when the misconception gives this problem a different answer. ``REVEALS`` maps
# each command to the codes its templates may target, each with its check ``(result,
# answer) -> bool`` (``answer``: the exercise's answer in the command's JSON shape); its keys
# are read by the bank without importing this module, so they stay string literals.


def _reveals_path(result, answer=None) -> bool:
    """A dropped path (a term of the sum over paths) shows only when the outer function
    depends on at least two of the intermediate variables."""
    if not result.stages:
        return True
    return sum(v != 0 for v in result.stages[0].matrix) >= 2


REVEALS = {
    "chain": {"missing_chain_term": _reveals_path},
}
