"""Views of the chain results (registered with ``calctutor.render.views.register``).

``chain``: the layers, the chain rule written out (a sum of products for a scalar result,
else the product of Jacobians), each Jacobian, the substitution back into the final
variables, the product and its tidy form, the value at the point.
``backprop``: the network, the forward pass as a table per layer, the cost, then the
backward pass layer by layer, each quantity as the chain-rule product that produces it.
"""

from __future__ import annotations

import sympy as sp

from calctutor.render.doc import (
    Document,
    Formula,
    Heading,
    Math,
    Note,
    Paragraph,
    StepTree,
    Table,
    equation,
)
from calctutor.render.views import input_fields, point_segments, register
from calctutor.topics.chain.chain import ChainResult, Stage, describe

# -- chain -------------------------------------------------------------------------------------


def _latex_name(name: str) -> str:
    """``x1`` -> ``x_{1}``, ``a_1`` -> ``a_{1}``, Greek names -> ``\\theta``."""
    return sp.latex(sp.Symbol(name))


def _latex_vec(names) -> str:
    names = list(names)
    inner = ", ".join(_latex_name(n) for n in names)
    return inner if len(names) == 1 else rf"\left({inner}\right)"


def stage_label(stage: Stage) -> tuple[str, str]:
    """The Jacobian of a stage in Leibniz form: ``∂f/∂(x, y)`` (text, LaTeX)."""
    sym, lsym = ("d", "d") if len(stage.inputs) == 1 and len(stage.outputs) == 1 \
        else ("∂", r"\partial ")
    num = describe(stage.outputs)
    den = describe(stage.inputs)
    text = f"{sym}{num}/{sym}{den}"
    latex = rf"\frac{{{lsym}{_latex_vec(stage.outputs)}}}{{{lsym}{_latex_vec(i.name for i in stage.inputs)}}}"
    return text, latex


def _factor(sym: str, num: str, den: str) -> tuple[str, str]:
    lsym = "d" if sym == "d" else r"\partial "
    return f"{sym}{num}/{sym}{den}", rf"\frac{{{lsym}{_latex_name(num)}}}{{{lsym}{_latex_name(den)}}}"


def _lhs(result: ChainResult) -> tuple[str, str]:
    """df/dt, ∂f/∂s, or ∂(f1, f2)/∂(s, t)."""
    sym, lsym = ("d", "d") if len(result.wrt) == 1 and result.result.shape == (1, 1) \
        else ("∂", r"\partial ")
    if len(result.wrt) == 1 and len(result.labels) == 1:
        sym, lsym = "d", "d"
    num, den = describe(result.labels), describe(result.wrt)
    return (f"{sym}{num}/{sym}{den}",
            rf"\frac{{{lsym}{_latex_vec(result.labels)}}}{{{lsym}{_latex_vec(w.name for w in result.wrt)}}}")


def _entry(matrix):
    return matrix[0, 0] if matrix.shape == (1, 1) else matrix


def _layer_segments(result: ChainResult):
    for k, lay in enumerate(result.layers, start=1):
        segs: list = [f"Layer {k}: "]
        for i, (n, e) in enumerate(zip(lay.names, lay.exprs, strict=True)):
            segs += ([", "] if i else []) + [equation(n, e)]
        yield Paragraph(tuple(segs))
        for r in lay.readings:
            for note in r.notes:
                yield Note((f"layer {k}: ", note))


# The backward pass's rules, stated once for the decimal and the exact (--exact) passes.
BACKWARD_RULES = Formula(
    "The chain rule, layer by layer",
    "∂C/∂a(L) = 2(a(L) − y) at the output;  δ(L) = ∂C/∂z(L) = ∂C/∂a(L) · σ'(z(L)) "
    "entry by entry;  ∂C/∂W(L) = δ(L) a(L−1)ᵀ;  ∂C/∂b(L) = δ(L);  ∂C/∂a(L−1) = W(L)ᵀ δ(L)",
    r"\frac{\partial C}{\partial a^{(L)}} = 2(a^{(L)} - y), \quad "
    r"\delta^{(L)} = \frac{\partial C}{\partial a^{(L)}} \odot \sigma'(z^{(L)}), \quad "
    r"\frac{\partial C}{\partial W^{(L)}} = \delta^{(L)} a^{(L-1)\top}, \quad "
    r"\frac{\partial C}{\partial b^{(L)}} = \delta^{(L)}, \quad "
    r"\frac{\partial C}{\partial a^{(L-1)}} = W^{(L)\top} \delta^{(L)}")

@register(ChainResult)
def chain_view(result: ChainResult) -> Document:
    """The worked chain rule (see module docstring)."""
    lhs_text, lhs_latex = _lhs(result)
    scalar = result.result.shape == (1, 1)
    title = "Total derivative" if scalar and len(result.wrt) == 1 else \
        "Derivative" if scalar else "Jacobian of the composition"
    n = len(result.layers)
    doc: Document = [Heading(f"{title} {lhs_text} through {n} layer{'s' if n > 1 else ''}")]
    f_expr = result.functions[0] if len(result.functions) == 1 else sp.Matrix([list(result.functions)])
    doc += input_fields(result.input, f_expr)
    doc.append(Paragraph((f"{describe(result.labels)} = ", f_expr, ", and the layers below it:")))
    doc += list(_layer_segments(result))
    through = [w for s in result.stages for w in s.passthrough]
    if through:
        names = ", ".join(dict.fromkeys(through))
        doc.append(Note((f"{names} is used directly above the last layer, so it is carried "
                         f"down as an extra entry {names} = {names} (derivative 1).",)))

    one_layer_sum = bool(result.paths) and len(result.stages) == 2
    if one_layer_sum:
        _sum_over_paths(result, doc, lhs_text, lhs_latex)
    else:
        _product_of_jacobians(result, doc, lhs_text, lhs_latex)

    raw, res = _entry(result.raw), _entry(result.result)
    if result.raw != result.result:
        doc.append(Math((f"{lhs_text} =",), raw))
        doc.append(Math((f"which simplifies to {lhs_text} =",), res, emphasis=True))
    else:
        doc.append(Math((f"Result: {lhs_text} =",), res, emphasis=True))
    if result.at:
        doc.append(Math(("At ", *point_segments(result.at)), _entry(result.value), emphasis=True))
    if result.show_steps:
        _entry_steps(result, doc)
    else:
        doc.append(Note(("Every partial derivative above comes from the rules of "
                         "calctutor diff; add --steps to see each one worked.",)))
    return doc


def _sum_over_paths(result: ChainResult, doc: Document, lhs_text: str, lhs_latex: str) -> None:
    texts, latexes, rows = [], [], []
    for path in result.paths:
        parts = [_factor(sym, num, den) for num, den, sym, _ in path.factors]
        texts.append("·".join(p[0] for p in parts))
        latexes.append(r"\,".join(p[1] for p in parts))
        product: list = []
        for k, (*_, value) in enumerate(path.factors):
            product += ([" · "] if k else []) + list(_paren(value))
        rows.append((texts[-1], tuple(product), path.value))
    doc.append(Formula("The chain rule", f"{lhs_text} = " + " + ".join(texts),
                       f"{lhs_latex} = " + " + ".join(latexes)))
    doc.append(Paragraph(("One product for each variable that ", result.labels[0],
                          " depends on: each factor is a partial derivative, taken with the "
                          "other variables held constant.",)))
    finals = ", ".join(w.name for w in result.wrt)
    _substitution(result, doc)
    doc.append(Table(("Term", "Factors", f"In terms of {finals}"), tuple(rows),
                     "Each term, then substituted back"))


def _paren(value) -> tuple:
    """A factor of a product as segments, bracketed unless it is a plain atom."""
    if value.is_Add or value.could_extract_minus_sign():
        return ("(", value, ")")
    return (value,)


def _product_of_jacobians(result: ChainResult, doc: Document, lhs_text: str,
                          lhs_latex: str) -> None:
    labels = [stage_label(s) for s in result.stages]
    shapes = " · ".join(f"{s.shape[0]}×{s.shape[1]}" for s in result.stages)
    rows, cols = result.result.shape
    doc.append(Formula("The chain rule", f"{lhs_text} = " + " · ".join(t for t, _ in labels) +
                       f"   (shapes {shapes} = {rows}×{cols})",
                       f"{lhs_latex} = " + r" \, ".join(latex for _, latex in labels)))
    doc.append(Paragraph(("Rows are functions and columns are variables; the inner sizes match, "
                          "so the product is defined.",)))
    doc.append(Heading("The Jacobian of each layer", 2))
    for (text, _), s in zip(labels, result.stages, strict=True):
        doc.append(Math((f"{text} =",), _entry(s.matrix)))
    _substitution(result, doc)
    changed = [(text, s) for (text, _), s in zip(labels, result.stages, strict=True) if s.substituted != s.matrix]
    for text, s in changed:
        doc.append(Math((f"{text} =",), _entry(s.substituted)))
    doc.append(Paragraph(("Multiplying the Jacobians, from the outside in:",)))


def _substitution(result: ChainResult, doc: Document) -> None:
    finals = ", ".join(w.name for w in result.wrt)
    segs: list = [f"Substitute back, so everything is in {finals}: "]
    first = True
    for level in result.composed:
        for n, e in level:
            segs += ([] if first else [", "]) + [equation(n, e)]
            first = False
    doc.append(Paragraph(tuple(segs) + (".",)))


def _entry_steps(result: ChainResult, doc: Document) -> None:
    doc.append(Heading("Each partial derivative, step by step", 2))
    for s in result.stages:
        for i, row in enumerate(s.steps):
            for j, step in enumerate(row):
                if step.rule in ("constant", "identity"):
                    continue  # d/dx [x] = 1 and d/dx [c] = 0 need no working
                sym = "d" if len(s.inputs) == 1 else "∂"
                doc.append(StepTree(step, (f"{sym}{s.outputs[i]}/{sym}{s.inputs[j].name}",)))


# -- backprop ----------------------------------------------------------------------------------
from calctutor.topics.chain.backprop import FORMULAS, BackpropResult  # noqa: E402

APPROX_DIGITS = 6


DECIMALS_NOTE = (f"Values are shown in decimals ({APPROX_DIGITS} significant digits), each followed "
                 f"by its exact form when that is short; --exact shows every value exactly, "
                 f"--format json in full.")
EXACT_NOTE = ("Exact values, each sub-expression named once and then used by its name: a1_2 is "
              "entry 2 of a(1) (z1_2 and δ1_2 likewise), and a one-neuron layer's entry is just "
              "a2 (z2, δ2); ≈ gives a value in decimals "
              f"({APPROX_DIGITS} significant digits), --format json every value in full.")
EXACT_CHARS = 60  # an exact value longer than this is left to JSON: decimals are what help


def _decimal(v):
    return v if v.is_Rational or v.atoms(sp.Float) else sp.Float(sp.N(v, APPROX_DIGITS),
                                                                   APPROX_DIGITS)


def _long(value) -> bool:
    from calctutor.notation import to_text

    return len(to_text(value)) > EXACT_CHARS


def _approx(value):
    """``exact ≈ 0.731059`` segments for an exact irrational number (``≈ 0.774004`` alone
    when the exact form is long); the number alone else."""
    if value.is_Rational or value.atoms(sp.Float) or not value.is_number:
        return (value,)
    try:
        approx = _decimal(value)
    except (TypeError, ValueError):
        return (value,)
    return ("≈ ", approx) if _long(value) else (value, " ≈ ", approx)


def _with_approx(label: str, value, emphasis: bool = False) -> list:
    """``label`` and the value in decimals first, then exactly (a long exact form is left to
    ``--format json``: see ``DECIMALS_NOTE``); a rational value exactly, once."""
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    if all(e.is_Rational or e.atoms(sp.Float) or not e.is_number for e in entries):
        return [Math((label,), value, emphasis=emphasis)]
    approx = value.applyfunc(_decimal) if isinstance(value, sp.MatrixBase) else _decimal(value)
    blocks = [Math((label,), approx, emphasis=emphasis)]
    if not _long(value):
        blocks.append(Math(("Exactly:",), value))
    return blocks


def _short(*values) -> bool:
    """Small enough to be written out inline in a sentence."""
    from calctutor.notation import to_text

    return sum(len(to_text(v)) for v in values) <= 100


def _weighted_sum(W, a, b, i) -> tuple:
    """``W_i1·a_1 + W_i2·a_2 + b_i`` as segments."""
    segs: list = []
    for j in range(W.shape[1]):
        segs += ([" + "] if j else []) + list(_paren(W[i, j])) + ["·"] + list(_paren(a[j]))
    segs += [" + "] + list(_paren(b[i]))
    return tuple(segs)


@register(BackpropResult)
def backprop_view(result: BackpropResult) -> Document:
    """The network, the forward pass per layer, the cost, the backward pass per layer."""
    net, fwd, grads = result.network, result.forward, result.gradients
    L = len(net.layers)
    sizes = " → ".join(str(n) for n in [net.input.shape[0]] + [lay.W.shape[0] for lay in net.layers])
    doc: Document = [Heading(f"Backpropagation through a {sizes} network")]
    acts = list(dict.fromkeys(lay.activation for lay in net.layers))
    doc.append(Paragraph((f"{L} layer{'s' if L > 1 else ''}; each computes z(L) = W(L) a(L−1) + b(L) "
                          "and a(L) = σ(z(L)), starting from the input a(0). Activation: "
                          f"{', '.join(acts)}.",)))
    for act in acts:
        text, latex = FORMULAS[act]
        doc.append(Formula(f"Activation ({act})", text, latex))
    doc.append(Math(("Input a(0) =",), net.input))
    for k, lay in enumerate(net.layers, start=1):
        doc.append(Paragraph((f"Layer {k}: W({k}) = ", lay.W, f", b({k}) = ", lay.b,
                              f", activation {lay.activation}.")))
    doc.append(Math(("Target y =",), net.target))
    if net.numeric:
        doc.append(Note(("The input has decimals, so every value is a decimal (15 digits)"
                         + ("; --exact has nothing more exact to show." if result.exact else "."),)))
    elif result.exact:
        doc.append(Note((EXACT_NOTE,)))
        return doc + _exact_passes(result)
    else:
        doc.append(Note((DECIMALS_NOTE,)))

    doc.append(Heading("Forward pass", 2))
    for k, lay in enumerate(net.layers, start=1):
        z, a, prev = fwd.z[k - 1], fwd.a[k], fwd.a[k - 1]
        rows = tuple((str(i + 1), _weighted_sum(lay.W, prev, lay.b, i), _approx(z[i]), _approx(a[i]))
                     for i in range(z.shape[0]))
        doc.append(Table(("Neuron", f"z = W({k}) a({k - 1}) + b({k})", "z", f"a = {_sigma(lay)}(z)"),
                         rows, f"Layer {k}"))
    terms = " + ".join(f"(a{i + 1} − y{i + 1})²" for i in range(net.target.shape[0]))
    doc.append(Formula("Cost", f"C = Σ(a(L) − y)² = {terms}",
                       r"C = \sum_i \left(a^{(L)}_i - y_i\right)^2"))
    out, y = fwd.a[L], net.target
    if _short(out, y):
        segs: list = ["C = "]
        for i in range(y.shape[0]):
            segs += ([" + "] if i else []) + ["(", out[i], " − ", y[i], ")²"]
        doc.append(Paragraph(tuple(segs)))
    doc += _with_approx("C =", fwd.cost, emphasis=True)
    doc += [Note((n,)) for n in fwd.notes]

    doc.append(Heading("Backward pass", 2))
    doc.append(BACKWARD_RULES)
    for k in range(L, 0, -1):
        g, lay = grads[k - 1], net.layers[k - 1]
        doc.append(Heading(f"Layer {k}", 2))
        if k == L:
            segs: tuple = (f"∂C/∂a({k}) = 2(a({k}) − y), since C = Σ(a − y)²",)
            if _short(fwd.a[k], net.target):
                segs += (": 2(", fwd.a[k], " − ", net.target, ")",)
        else:
            segs = (f"∂C/∂a({k}) = W({k + 1})ᵀ δ({k + 1}): each neuron of layer {k} feeds every "
                    f"neuron of layer {k + 1}, so its paths add up",)
            if _short(net.layers[k].W.T, grads[k].delta):
                segs += (": ", net.layers[k].W.T, " · ", grads[k].delta)
        doc.append(Paragraph(segs))
        doc += _with_approx(f"∂C/∂a({k}) =", g.dC_da)
        doc += _with_approx(f"σ'(z({k})) =", g.sigma_prime)
        doc.append(Paragraph((f"δ({k}) = ∂C/∂z({k}) = ∂C/∂a({k}) · σ'(z({k})), entry by entry "
                              "(∂C/∂z = ∂C/∂a · da/dz):",)))
        doc += _with_approx(f"δ({k}) =", g.delta)
        segs = (f"∂C/∂W({k}) = δ({k}) a({k - 1})ᵀ, because ∂z({k})/∂W({k}) brings in a({k - 1})",)
        if _short(g.delta, fwd.a[k - 1]):
            segs += (": ", g.delta, " · ", fwd.a[k - 1].T)
        doc.append(Paragraph(segs))
        doc += _with_approx(f"∂C/∂W({k}) =", g.dW, emphasis=True)
        doc += _with_approx(f"∂C/∂b({k}) = δ({k}) =", g.db, emphasis=True)
    doc += [Note((n,)) for n in result.notes]
    return doc


def _sigma(layer) -> str:
    return {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "linear": "id"}[layer.activation]


# -- backprop --exact ------------------------------------------------------------------------
def _approx_of(value):
    """The decimal form of an exact value, or None when it is rational (nothing to add)."""
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    if all(e.is_Rational for e in entries):
        return None
    return value.applyfunc(_decimal) if isinstance(value, sp.MatrixBase) else _decimal(value)


def _named_math(label: str, named, value, emphasis: bool = False) -> list:
    """``label named``, then ``≈ decimals`` when the value is not rational."""
    blocks = [Math((label,), named, emphasis=emphasis)]
    approx = _approx_of(value)
    if approx is not None and named != value:
        blocks.append(Paragraph(("≈ ", approx)))
    return blocks


def _bracketed(value) -> tuple:
    """A factor of a product as segments, bracketed unless it is a name or a whole number."""
    if value.is_Rational and not value.is_Integer:
        return ("(", value, ")")
    return _paren(value)


def _definition(d, approx=True) -> Paragraph:
    """``a2 = σ(z2) = 1/(1 + e^(−z2)) ≈ 0.774004``: a name, its definition and its decimals."""
    segs: list = [d.name, " = "]
    if d.activation == "sigmoid":
        from calctutor.notation import keep_order, to_text

        keep_order(d.expression, f"1 + {to_text(sp.exp(-d.argument))}")  # as σ is defined
        segs += ["σ(", d.argument, ") = "]
    segs.append(d.expression)
    if approx:
        segs += [" ≈ ", _decimal(d.value)]
    return Paragraph(tuple(segs))


def _exact_passes(result: BackpropResult) -> Document:
    """The forward and backward passes in named exact form (``backprop --exact``)."""
    from calctutor.topics.chain.backprop_exact import named_pass

    net, fwd, grads = result.network, result.forward, result.gradients
    named = named_pass(net, fwd, grads)
    defs = {d.name: d for d in named.definitions}
    L = len(net.layers)
    doc: Document = [Heading("Forward pass", 2)]
    for k, lay in enumerate(net.layers, start=1):
        z, a, prev = named.z[k - 1], named.a[k], named.a[k - 1]
        rows = tuple((str(i + 1), _weighted_sum(lay.W, prev, lay.b, i), (z[i],), (a[i],))
                     for i in range(z.shape[0]))
        doc.append(Table(("Neuron", f"z = W({k}) a({k - 1}) + b({k})", "z", f"a = {_sigma(lay)}(z)"),
                         rows, f"Layer {k}"))
        for entry in list(z) + list(a):
            if entry in defs:
                doc.append(_definition(defs.pop(entry)))
    terms = " + ".join(f"(a{i + 1} − y{i + 1})²" for i in range(net.target.shape[0]))
    doc.append(Formula("Cost", f"C = Σ(a(L) − y)² = {terms}",
                       r"C = \sum_i \left(a^{(L)}_i - y_i\right)^2"))
    doc += _named_math("C =", named.cost, fwd.cost, emphasis=True)
    doc += [Note((n,)) for n in fwd.notes]

    doc.append(Heading("Backward pass", 2))
    doc.append(BACKWARD_RULES)
    for k in range(L, 0, -1):
        g, n, lay = grads[k - 1], named.gradients[k - 1], net.layers[k - 1]
        doc.append(Heading(f"Layer {k}", 2))
        doc += _named_math(f"∂C/∂a({k}) = " + ("2(a − y) =" if k == L else f"W({k + 1})ᵀ δ({k + 1}) ="),
                           n.dC_da, g.dC_da)
        rule = {"sigmoid": " = a(1 − a)", "tanh": " = 1 − a²"}.get(lay.activation, "")
        doc += _named_math(f"σ'(z({k})){rule} =", n.sigma_prime, g.sigma_prime)
        doc.append(Math((f"δ({k}) = ∂C/∂a({k}) · σ'(z({k})) =",), n.delta))
        for i, entry in enumerate(n.delta):
            if entry in defs:
                d = defs.pop(entry)
                doc.append(Paragraph((d.name, " = ", *_bracketed(n.dC_da[i]), " · ",
                                      *_bracketed(n.sigma_prime[i]), " ≈ ", _decimal(d.value))))
        doc += _named_math(f"∂C/∂W({k}) = δ({k}) a({k - 1})ᵀ =", n.dW, g.dW, emphasis=True)
        doc += _named_math(f"∂C/∂b({k}) = δ({k}) =", n.db, g.db, emphasis=True)
    doc += [Note((n,)) for n in result.notes]
    return doc


from calctutor.topics.chain.network_view import NetworkResult, network_document  # noqa: E402


@register(NetworkResult)
def network_view(result: NetworkResult) -> Document:
    """calctutor network: the parameter count, layer by layer (its own module)."""
    return network_document(result)
