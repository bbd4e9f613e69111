"""Exercises answered from a picture: the slope of a curve read off its graph (skill 1.1)
and the order of a Taylor polynomial recognised among labelled curves (skill 4.1).

The picture is part of the exercise. It is computed from the command's own result (the
curve and the point of ``diff --at``; the Taylor polynomials of ``taylor``), sampled here,
and drawn by every view (``Picture.block()``); the exercise's JSON carries the plotted
samples (``Picture.to_json()``) so that an app or a test can redraw it.

A slope is judged with the tolerance the prompt states ("within 0.5"). A variant is kept
only when that tolerance is fair at the plot's scale: reading the curve where two vertical
grid lines either side of the point cross it, to half a character row, gives the slope
within half the tolerance (``slope_problems``). The curves of a Taylor picture are kept
only when each order adds a non-zero term and every two curves are apart by several rows
somewhere in the window (``curve_problems``).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from calctutor.errors import ParseError

SLOPE = "graph_slope"   # answer_key: the gradient at the marked point, within a tolerance
CURVE = "curve_letter"  # answer_key: the letter of the curve of the order asked
KEYS = (SLOPE, CURVE)

# The plot as drawn: 80 columns by HEIGHT lines leave about ROWS rows for the curves (a
# title, the frame and the tick labels take the rest); fairness is judged at that scale.
HEIGHT = 22
ROWS = 17
SAMPLES = 161
SLOPE_HALF_WIDTH = 1.0   # the slope picture shows x = p - 1 ... p + 1
CURVE_HALF_WIDTH = 2.0   # the Taylor picture shows x = a - 2 ... a + 2
GRID_STEP = 0.5          # vertical grid lines every 0.5 in x
FAIR = 0.75              # a careful reading must be within 3/4 of the tolerance
APART_ROWS = 2           # two Taylor curves must be this many rows apart somewhere
MARK = "the point P"

METHODS = {
    SLOPE: "Method: the gradient at P is the slope of the tangent there, rise over run. "
           "Read the curve where it crosses two vertical grid lines either side of P, "
           "equally far from it, then divide the change in y by the change in x.",
    CURVE: "Method: T1 is the tangent line (straight), T2 the parabola that also matches the "
           "curvature at the centre, T3 a cubic that bends away on one side and towards "
           "the curve on the other. Every Tn touches f at the centre; the higher the "
           "order, the longer it stays close to f.",
}
FORMATS = {
    SLOPE: "Type your estimate as a number, e.g. 1.5 or -2.",
    CURVE: "Type the letter of the curve, e.g. A (or: curve A).",
}


@dataclass(frozen=True)
class Picture:
    """What a picture exercise draws: curves (label, xs, ys), marked points, the window,
    the grid (tick positions), and for a Taylor picture the order of each lettered curve."""

    curves: tuple
    points: tuple
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    xticks: tuple[float, ...]
    yticks: tuple[float, ...]
    title: str
    orders: tuple[tuple[str, int], ...] = ()  # (letter, order) of each Taylor curve
    markers: tuple[str, ...] = ()  # each series' character (a Taylor curve: its letter)

    caption: str = ""

    def blocks(self) -> list:
        """The picture as document blocks (each format draws it at its own width): the
        plot without a legend (it would hide part of the curves: each series is drawn
        with its own character instead), then a caption saying which is which."""
        from calctutor.render.doc import Paragraph, Plot

        bare = tuple(("", xs, ys) for _, xs, ys in self.curves)
        dots = tuple(("", xs, ys) for _, xs, ys in self.points)
        return [Plot(bare, points=dots, title=self.title, height=HEIGHT, ylim=self.ylim,
                     xlim=self.xlim, grid=True, xticks=self.xticks, yticks=self.yticks,
                     essential=True, markers=self.markers),
                Paragraph((self.caption,))]

    def to_json(self) -> dict:
        """The plotted data: every curve's samples (null where undefined), the marked
        point(s), the window and the grid."""
        order = dict(self.orders)

        def series(label, xs, ys):
            out = {"label": label, "x": [_json_number(v) for v in xs],
                   "y": [_json_number(v) for v in ys]}
            if label in order:
                out["order"] = order[label]
            return out

        return {"curves": [series(*c) for c in self.curves],
                "points": [{"label": label, "x": _json_number(xs[0]), "y": _json_number(ys[0])}
                           for label, xs, ys in self.points],
                "x_range": list(self.xlim), "y_range": list(self.ylim),
                "x_grid": list(self.xticks), "y_grid": list(self.yticks)}


def _json_number(v: float):
    return v if math.isfinite(v) else None


def is_picture(exercise) -> bool:
    return getattr(exercise, "answer_key", None) in KEYS


def picture(exercise, result=None) -> Picture:
    """The picture of a picture exercise (computed from the command's result)."""
    result = result if result is not None else exercise.solve()
    if exercise.answer_key == SLOPE:
        return _slope_picture(result)
    return _curve_picture(result, letters(exercise, result))


def picture_blocks(exercise, result=None) -> list:
    """The picture's document blocks (none for an exercise without a picture)."""
    return picture(exercise, result).blocks() if is_picture(exercise) else []


# ---------------------------------------------------------------------------------------
# Sampling and the grid


def _sampler(expr, var):
    """A float function of the real line (nan where undefined): odd roots are real roots."""
    import sympy as sp

    from calctutor.domain import real_roots

    fn = sp.lambdify(var, real_roots(expr), modules="math")

    def value(x: float) -> float:
        try:
            y = complex(fn(x))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.nan
        return y.real if abs(y.imag) < 1e-12 and math.isfinite(y.real) else math.nan

    return value


def _grid(lo: float, hi: float, step: float) -> tuple[float, ...]:
    k0, k1 = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return tuple(round(k * step, 10) for k in range(k0, k1 + 1))


def _nice_step(span: float, most: int = 8) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten giving at most ``most`` gaps."""
    raw = span / most
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def _y_window(values, most: int = 6) -> tuple[tuple[float, float], tuple[float, ...]]:
    """A y-range from grid line to grid line around the finite ``values``, and its grid."""
    finite = [v for v in values if math.isfinite(v)]
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo, most)
    lo, hi = math.floor(lo / step - 0.1) * step, math.ceil(hi / step + 0.1) * step
    return (round(lo, 10), round(hi, 10)), _grid(lo, hi, step)


# ---------------------------------------------------------------------------------------
# Skill 1.1: a slope read off a graph


def _slope_parts(result):
    """(f, x, p, the slope f'(p)) of a ``diff --at`` result."""
    x = result.variables[0]
    return result.expr, x, dict(result.at)[x], result.value


def _slope_picture(result) -> Picture:
    f, x, p, _ = _slope_parts(result)
    centre = float(p)
    fn = _sampler(f, x)
    xs = tuple(centre - SLOPE_HALF_WIDTH + 2 * SLOPE_HALF_WIDTH * i / (SAMPLES - 1)
               for i in range(SAMPLES))
    ys = tuple(fn(v) for v in xs)
    ylim, yticks = _y_window(ys)
    xlim = (centre - SLOPE_HALF_WIDTH, centre + SLOPE_HALF_WIDTH)
    return Picture((("y = f(x)", xs, ys),), ((f"{MARK}, x = {_short(centre)}", (centre,),
                                              (fn(centre),)),),
                   xlim, ylim, _grid(*xlim, GRID_STEP), yticks,
                   f"y = f(x) near x = {_short(centre)}", markers=("*", "@"),
                   caption=f"The curve is drawn with *, the point P (x = {_short(centre)}) "
                           "with @; grid lines at the ticks.")


def _short(v: float) -> str:
    return format(v, ".4g")


def slope_problems(result, tolerance: float, misconception: str | None = None) -> list[str]:
    """Why this graph's slope cannot fairly be read to ``tolerance`` (empty: it can).

    A learner reads the curve at two vertical grid lines p ± h (h = 0.5 or 1), each
    y-value to half a character row, and divides: the error is the chord's own error
    |(f(p+h) − f(p−h))/(2h) − f'(p)| plus one row over the run 2h. The best such reading
    must be within ``FAIR`` (3/4) of the stated tolerance; and the target misconception, when there
    is one, must give an answer the tolerance tells apart from the right one."""
    import sympy as sp

    f, x, p, slope = _slope_parts(result)
    if slope is None or not sp.sympify(slope).is_real:
        return ["the slope at the point is not a real number"]
    e = float(slope)
    pic = _slope_picture(result)
    row = (pic.ylim[1] - pic.ylim[0]) / ROWS
    fn = _sampler(f, x)
    centre = float(p)
    errors = []
    for h in (GRID_STEP, 2 * GRID_STEP):
        a, b = fn(centre - h), fn(centre + h)
        if math.isfinite(a) and math.isfinite(b):
            errors.append(abs((b - a) / (2 * h) - e) + row / (2 * h))
    found = []
    if not errors or min(errors) > FAIR * tolerance:
        best = f"{min(errors):.2g}" if errors else "undefined"
        found.append(f"the slope cannot be read off this graph to within {tolerance:g} (the "
                     f"best reading between grid lines is off by up to {best})")
    if misconception == "slope_upside_down" and (e == 0 or abs(1 / e - e) <= 2 * tolerance):
        found.append("run over rise is within the tolerance's reach of the slope here")
    if misconception == "slope_sign" and abs(e) <= tolerance:
        found.append("the slope's sign cannot be told apart within the tolerance")
    return found


def slope_spec(exercise, result=None):
    """The ``AnswerSpec`` of a slope exercise: the slope f'(p), within the tolerance
    (absolute: the spec's relative tolerance is scaled by max(1, |f'(p)|)), with the
    slope-reading mal-rules."""
    from calctutor.checking.answer import AnswerSpec
    from calctutor.topics.diff.mistakes import slope_reading_mistakes

    result = result if result is not None else exercise.solve()
    _, _, p, slope = _slope_parts(result)
    tol = exercise.tolerance
    scale = max(1.0, abs(float(slope)))
    return AnswerSpec("number", slope, f"the gradient at x = {p}", tolerance=tol / scale,
                      mistakes=lambda: slope_reading_mistakes(slope, tol))


def check_slope(exercise, text: str):
    """The verdict on a slope read off the graph: right within the stated tolerance; the
    slope's value is said only where a verdict may reveal it (not in the guarded feedback)."""
    import dataclasses

    from calctutor.checking.answer import check_answer
    from calctutor.notation import to_text

    result = exercise.solve()
    spec = slope_spec(exercise, result)

    class _Slope:
        def answer_spec(self):
            return spec

    verdict = check_answer(_Slope(), text)
    _, _, p, slope = _slope_parts(result)
    tol, e = exercise.tolerance, float(slope)
    exact = to_text(slope)
    value = exact if _is_rational(slope) else f"{exact} ≈ {e:.4g}"
    where = f"f'({to_text(p)})"
    if verdict.correct is True:
        feedback = f"Within {tol:g} of the slope at P: {where} = {value}."
        verdict = dataclasses.replace(verdict, feedback=feedback, guarded_feedback=None)
    elif verdict.correct is False and verdict.diagnosis is None and _is_number(verdict.answer):
        yours = " ".join(text.split())  # as typed: 2.5, not 2.50000000000000
        guarded = f"Your estimate, {yours}, is more than {tol:g} away from the slope at P."
        verdict = dataclasses.replace(
            verdict, feedback=f"{guarded[:-1]}, {where} = {value}.", guarded_feedback=guarded)
    return dataclasses.replace(verdict, solution=result)


def _is_rational(value) -> bool:
    import sympy as sp

    return bool(sp.sympify(value).is_Rational)


def _is_number(value) -> bool:
    import sympy as sp

    return isinstance(value, sp.Expr) and bool(value.is_number)


# ---------------------------------------------------------------------------------------
# Skill 4.1: the order of a Taylor polynomial, from its curve


def _taylor_parts(result):
    """(f, x, a, {order k: T_k}) of a one-variable ``taylor`` result, k = 1 ... its order
    (the polynomials summed from the engine's own terms)."""
    import sympy as sp

    x = result.variables[0]
    a = dict(result.at)[x]
    polys = {k: sp.Add(*(t for d, t in result.terms if d <= k)) for k in range(1, result.order + 1)}
    return result.expr, x, a, polys


def letters(exercise, result) -> dict[int, str]:
    """The letter of each order's curve, shuffled by the exercise's own seed (so the same
    exercise always shows the same letters)."""
    orders = list(range(1, result.order + 1))
    names = [chr(ord("A") + k) for k in range(len(orders))]
    random.Random(f"{exercise.template}#{exercise.seed}#letters").shuffle(names)
    return dict(zip(orders, names, strict=True))


def _curve_picture(result, lettered: dict[int, str]) -> Picture:
    f, x, a, polys = _taylor_parts(result)
    centre = float(a)
    xs = tuple(centre - CURVE_HALF_WIDTH + 2 * CURVE_HALF_WIDTH * i / (SAMPLES - 1)
               for i in range(SAMPLES))
    fn = _sampler(f, x)
    fy = tuple(fn(v) for v in xs)
    ylim, yticks = _y_window(fy)
    samplers = {k: _sampler(polys[k], x) for k in polys}
    # in letter order (A, B, C); f last, on top
    curves = [(lettered[k], xs, tuple(samplers[k](v) for v in xs))
              for k in sorted(polys, key=lambda k: lettered[k])]
    curves.append(("f", xs, fy))
    xlim = (centre - CURVE_HALF_WIDTH, centre + CURVE_HALF_WIDTH)
    return Picture(tuple(curves), (("the centre", (centre,), (fn(centre),)),),
                   xlim, ylim, _grid(*xlim, GRID_STEP * 2), yticks,
                   f"f and its Taylor polynomials about x = {_short(centre)}",
                   tuple((lettered[k], k) for k in sorted(polys)),
                   markers=(*(label for label, _, _ in curves[:-1]), "f", "@"),
                   caption=f"Each Taylor polynomial is drawn with its letter "
                           f"({', '.join(sorted(lettered.values()))}), f itself with f, "
                           f"the centre x = {_short(centre)} with @.")


def curve_problems(result, asked: int | None, lettered: dict[int, str]) -> list[str]:
    """Why the curves cannot be told apart, or the question not be asked (empty: fine):
    each order must add a non-zero term, the order asked must be drawn, and every two
    curves must be ``APART_ROWS`` rows apart somewhere in the window."""
    found = []
    if len(result.variables) != 1:
        return ["a picture of Taylor polynomials needs one variable"]
    _, _, _, polys = _taylor_parts(result)
    if asked not in polys:
        found.append(f"the order asked ({asked}) is not among the curves drawn "
                     f"(orders 1 to {result.order})")
    flat = [d for d, t in result.terms if 1 <= d and t == 0]
    if flat:
        found.append(f"the term of degree {flat[0]} is 0: two curves are the same polynomial")
        return found
    pic = _curve_picture(result, lettered)
    row = (pic.ylim[1] - pic.ylim[0]) / ROWS
    drawn = {label: ys for label, _, ys in pic.curves}
    lo, hi = pic.ylim
    for j in polys:
        for k in polys:
            if j < k:
                gaps = [abs(u - v) for u, v in zip(drawn[lettered[j]], drawn[lettered[k]],
                                                    strict=True)
                        if lo <= u <= hi or lo <= v <= hi]
                if not gaps or max(gaps) < APART_ROWS * row:
                    found.append(f"the curves of orders {j} and {k} are less than "
                                 f"{APART_ROWS} rows apart everywhere in the picture")
    return found


_LETTER = re.compile(r"^\s*(?:the\s+)?(?:curve\s+)?[(\[\"']?\s*([A-Za-z])\s*[)\]\"']?\s*\.?\s*$",
                     re.IGNORECASE)


def read_letter(text: str, known: list[str]) -> str | None:
    """The curve a letter answer names ("B", "b", "curve B", "(B)."), upper case; None when
    the text is not a letter answer at all. ParseError for a letter that names no curve."""
    m = _LETTER.match(text)
    if not m:
        return None
    letter = m.group(1)
    if letter == "f":
        return "f"
    letter = letter.upper()
    if letter not in known:
        raise ParseError(f"there is no curve {letter}: the curves are "
                         f"{', '.join(known[:-1])} and {known[-1]}", text, m.start(1))
    return letter


def check_curve(exercise, text: str):
    """The verdict on the letter of the curve of the order asked; a neighbouring order's
    curve (n ± 1) or f itself is a named mistake."""
    from calctutor.checking.answer import AnswerResult
    from calctutor.parsing import parse_expression
    from calctutor.results import Reading
    from calctutor.topics.series.mistakes import curve_order_mistakes

    result = exercise.solve()
    lettered = letters(exercise, result)
    asked = exercise.asked_order
    right = lettered[asked]
    known = sorted(lettered.values())
    said = read_letter(text, known)
    what = f"the curve of the order-{asked} Taylor polynomial"
    if said is None:
        try:
            parse_expression(text, what="your answer")
        except ParseError:
            raise ParseError(f"answer with the letter of one curve ({', '.join(known)}), "
                             "e.g. B or curve B", text, None) from None
        # a formula, not a letter: like a vector typed for a number, a wrong answer
        return AnswerResult(False, what, Reading(text, text), right, text,
                            f"The answer is the letter of one curve ({', '.join(known)}), "
                            "not a number or a formula.", diagnosis="wrong_shape", json_expected=right,
                            solution=result)
    reading = Reading(text, f"curve {said}" if said != "f" else "f")
    order_of = {v: k for k, v in lettered.items()}
    if said == right:
        return AnswerResult(True, what, reading, right, said,
                            f"Curve {said} is T{asked}, the order-{asked} approximation.",
                            json_expected=right, solution=result)
    for mistake in curve_order_mistakes(asked, lettered):
        if mistake.value == said:
            return AnswerResult(False, what, reading, right, said,
                                f"{mistake.feedback} The order-{asked} curve is {right}.",
                                diagnosis=mistake.code, json_expected=right, solution=result,
                                guarded_feedback=mistake.feedback)
    return AnswerResult(False, what, reading, right, said,
                        f"Curve {said} is T{order_of[said]}; the order-{asked} curve is "
                        f"{right}.", json_expected=right, solution=result,
                        guarded_feedback=f"Curve {said} is not the order-{asked} "
                        "approximation.")


def reading_hints(exercise, result) -> list[list]:
    """The hints after the method, as the picture is read: for a slope, the curve's values
    at the grid lines p ± 0.5 (the rise over run left to the learner); for Taylor curves, which curve is
    the straight line, then which is the parabola."""
    from calctutor.render.doc import Paragraph

    if exercise.answer_key == SLOPE:
        f, x, p, _ = _slope_parts(result)
        fn, c = _sampler(f, x), float(p)
        a, b = fn(c - GRID_STEP), fn(c + GRID_STEP)
        return [[Paragraph((f"Reading the graph: at x = {_short(c - GRID_STEP)} the curve is "
                            f"at y ≈ {a:.2f}, at x = {_short(c + GRID_STEP)} at y ≈ {b:.2f}; "
                            "the rise over this run of 1 is the slope, near enough.",))]]
    lettered = letters(exercise, result)
    out = [[Paragraph((f"Curve {lettered[1]} is a straight line: the tangent, T1.",))]]
    if 2 in lettered:
        out.append([Paragraph((f"Curve {lettered[2]} is a parabola that bends like f at the "
                               "centre: T2.",))])
    return out


# ---------------------------------------------------------------------------------------
# The bank's side: the answer key, validation, the checks


def answer_of(result, template, exercise) -> object:
    """The answer key of a picture exercise: the slope f'(p) as ``diff --at`` gives it, or
    the letter of the curve of the order asked."""
    if template.answer_key == SLOPE:
        from calctutor.checking.answer import json_shape

        return json_shape(result.answer_spec().expected)
    if exercise is None:
        raise ValueError("the letter of a curve needs the exercise (its seed shuffles them)")
    return letters(exercise, result)[exercise.asked_order] \
        if exercise.asked_order in range(1, result.order + 1) else None


def problems(ex, template, result) -> list[str]:
    """What makes a picture exercise unfair (empty for any other exercise)."""
    if template.answer_key == SLOPE:
        return slope_problems(result, template.tolerance, template.misconception)
    if template.answer_key == CURVE:
        return curve_problems(result, ex.asked_order, letters(ex, result))
    return []


CHECKS = {SLOPE: check_slope, CURVE: check_curve}
