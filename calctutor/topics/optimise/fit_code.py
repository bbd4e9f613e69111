"""The same fit as the course's labs write it in Python: SciPy's ``curve_fit`` (and, for a
polynomial, NumPy's ``polyfit``; for a straight line, SciPy's ``linregress``), as text.

The lines are shown, never run: calctutor does not depend on SciPy. They are valid Python
(tests compile them) that reads the same data and returns the same parameters.
"""

from __future__ import annotations

import keyword

import sympy as sp

# Inline data with at most this many points is written out; more is read from the file.
INLINE_POINTS = 12


def _number(v) -> str:
    v = sp.sympify(v)
    if v.is_Integer:
        return str(int(v))
    if v.is_Rational:
        return f"{v.p}/{v.q}"
    return repr(float(v))


def _names_ok(names) -> bool:
    return all(n.isidentifier() and not keyword.iskeyword(n) and n not in ("numpy", "p", "cov")
               for n in names)


def _polynomial(model, x, params) -> list[sp.Symbol] | None:
    """The parameters from the highest power of x down, when the model is exactly
    a_n x^n + ... + a_1 x + a_0 with one distinct parameter per power (what polyfit fits)."""
    try:
        poly = sp.Poly(sp.expand(model), x)
    except sp.PolynomialError:
        return None
    coeffs = poly.all_coeffs()
    if len(coeffs) != len(params) or len(coeffs) < 2:
        return None
    if sorted(coeffs, key=sp.default_sort_key) != sorted(params, key=sp.default_sort_key):
        return None
    return list(coeffs)


def python_lines(result) -> list[str]:
    """Python that fits the same model to the same data (empty when the names cannot be
    written as Python identifiers)."""
    from sympy.printing.numpy import NumPyPrinter

    d = result.data
    x, params = result.x, list(result.params)
    names = [x.name, *(p.name for p in params)]
    if not _names_ok(names):
        return []
    lines = ["import numpy", "from scipy.optimize import curve_fit"]
    inline = d.path == "the data" or d.n <= INLINE_POINTS
    if inline:
        lines.append(f"x = numpy.array([{', '.join(_number(v) for v in d.x)}])")
        lines.append(f"y = numpy.array([{', '.join(_number(v) for v in d.y)}])")
        if d.sigma is not None:
            lines.append(f"sigma = numpy.array([{', '.join(_number(v) for v in d.sigma)}])")
    else:
        lines.append(f"d = numpy.genfromtxt({d.path!r}, delimiter=',', names=True)")
        lines.append(f"x, y = d[{d.x_name!r}], d[{d.y_name!r}]")
        if d.sigma is not None:
            lines.append(f"sigma = d[{d.sigma_name!r}]")
    body = NumPyPrinter().doprint(result.model)
    call = f"curve_fit(lambda {', '.join(names)}: {body}, x, y"
    if not result.linear and result.start is not None:
        call += f", p0=[{', '.join(_number(v) for v in result.start)}]"
    if d.sigma is not None:
        call += ", sigma=sigma, absolute_sigma=True"
    lines.append(f"p, cov = {call})  # p = [{', '.join(p.name for p in params)}]")
    order = _polynomial(result.model, x, params) if result.linear else None
    if order is not None:
        weights = ", w=1/sigma" if d.sigma is not None else ""
        lines.append(f"numpy.polyfit(x, y, {len(order) - 1}{weights})  # "
                     f"[{', '.join(p.name for p in order)}]: highest power first")
        if len(order) == 2 and d.sigma is None:
            lines.append("from scipy.stats import linregress")
            lines.append(f"linregress(x, y)  # slope {order[0].name}, intercept {order[1].name}")
    return lines
