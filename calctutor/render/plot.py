"""Terminal plots (a small API over plotext 5), for views that say more with a picture.

API
---
``plot_curves(curves, *, points=(), title="", xlabel="x", ylabel="y", width=80, height=20,
color=True, ascii=False, ylim=None) -> str``

- ``curves``: a sequence of ``(label, xs, ys)``, each drawn as a connected line;
  ``points``: a sequence of ``(label, xs, ys)`` drawn as unconnected markers (data, iterates).
- Every series gets its own marker character (``*``, ``+``, ``o``, ``x``, ``#``, …) and the
  legend names it, so a plot reads without colour.
- Non-finite values (nan, ±inf) and, with ``ylim=(lo, hi)``, values outside that range are
  left out: the line breaks there instead of squashing the rest of the plot.
- ``color=False`` gives no ANSI escapes (for pipes, logs, NO_COLOR); ``ascii=True`` also
  redraws the frame with ``+ - |`` (the plain format has no box drawing).
- A width under ``MIN_WIDTH`` columns, or nothing finite to draw, gives a one-line
  ``(plot omitted: …)`` note instead of a plot.

``plot_bars(labels, values, *, title="", xlabel="", ylabel="", yticks=(), ymax=None,
width=80, height=12, color=True, ascii=False) -> str``: one vertical bar per label.

The plot is drawn when a document is printed (``render.doc.Plot``), at the width of that
format, so the views only hand over the numbers. plotext is imported inside the function:
importing it costs about 0.1 s, which ``calctutor --help`` must not pay.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

MIN_WIDTH = 30
MIN_HEIGHT = 8
MARKERS = ("*", "+", "o", "x", "#", "%", "@", "=")
# plotext's own colour numbers, one per series (used only when color is True)
COLORS = ("blue", "red", "green", "magenta", "cyan", "orange", "yellow", "gray")

_ASCII_FRAME = str.maketrans({
    "┌": "+", "┐": "+", "└": "+", "┘": "+", "─": "-", "│": "|", "┤": "+", "├": "+",
    "┬": "+", "┴": "+", "┼": "+", "•": "*", "·": ".", "−": "-",
})

Series = tuple[str, Sequence[float], Sequence[float]]


def _segments(xs: Iterable, ys: Iterable, ylim) -> list[tuple[list[float], list[float]]]:
    """The drawable runs of a series: finite (and within ylim) values, split at the gaps."""
    runs: list[tuple[list[float], list[float]]] = [([], [])]
    for x, y in zip(xs, ys, strict=False):
        try:
            x, y = float(x), float(y)
        except (TypeError, ValueError, OverflowError):
            x = y = math.nan
        ok = math.isfinite(x) and math.isfinite(y)
        if ok and ylim is not None:
            ok = ylim[0] <= y <= ylim[1]
        if ok:
            runs[-1][0].append(x)
            runs[-1][1].append(y)
        elif runs[-1][0]:
            runs.append(([], []))
    return [r for r in runs if r[0]]


def omitted(reason: str) -> str:
    """The note printed instead of a plot."""
    return f"(plot omitted: {reason})"


def plot_curves(curves: Sequence[Series], *, points: Sequence[Series] = (), title: str = "",
                xlabel: str = "x", ylabel: str = "y", width: int = 80, height: int = 20,
                color: bool = True, ascii: bool = False, ylim=None, xlim=None,
                grid: bool = False, xticks: Sequence[float] = (),
                yticks: Sequence[float] = (), markers: Sequence[str] = ()) -> str:
    """Curves (lines) and points (markers) as terminal text ``width`` x ``height``; see module
    doc. ``grid`` draws grid lines at the ticks, ``xticks``/``yticks`` (else plotext's own),
    so that values can be read off the picture; ``markers`` gives the series' own marker
    characters (curves, then points), e.g. a curve drawn with its own label's letter."""
    if width < MIN_WIDTH:
        return omitted(f"{width} columns is too narrow; {MIN_WIDTH} are needed")
    series = [(label, _segments(xs, ys, ylim), True) for label, xs, ys in curves]
    series += [(label, _segments(xs, ys, ylim), False) for label, xs, ys in points]
    if not any(runs for _, runs, _ in series):
        return omitted("no finite values to draw")
    import plotext as plt

    plt.clf()
    plt.plot_size(width, max(MIN_HEIGHT, height))
    if not color:
        plt.theme("clear")
    for k, (label, runs, line) in enumerate(series):
        marker = markers[k] if k < len(markers) else MARKERS[k % len(MARKERS)]
        options = {"marker": marker}
        if color:
            options["color"] = COLORS[k % len(COLORS)]
        for j, (xs, ys) in enumerate(runs):
            # the legend names each series once, with its marker
            lab = label if j == 0 and label else None
            draw = plt.plot if line else plt.scatter
            draw(xs, ys, label=lab, **options)
    if ylim is not None and ylim[0] < ylim[1]:
        plt.ylim(ylim[0], ylim[1])
    if xlim is not None and xlim[0] < xlim[1]:
        plt.xlim(xlim[0], xlim[1])
    if xticks:
        plt.xticks(list(xticks), [tick_label(t) for t in xticks])
    if yticks:
        plt.yticks(list(yticks), [tick_label(t) for t in yticks])
    if grid:
        plt.grid(True, True)
    if title:
        plt.title(title)
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    return _finish(plt, color, ascii)


def _finish(plt, color: bool, ascii: bool) -> str:
    """The figure drawn as text (uncoloured, ASCII-framed on request), then cleared."""
    text = plt.build()
    plt.clf()
    if not color:
        text = plt.uncolorize(text)
    if ascii:
        text = text.translate(_ASCII_FRAME)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def tick_label(value: float) -> str:
    """A tick's number as short as it reads: 2, 0.5, -1.25 (not 2.00)."""
    text = format(round(value, 6), "g")
    return "0" if text == "-0" else text


def span(values: Iterable[float], margin: float = 0.15) -> tuple[float, float] | None:
    """A y-range around the finite ``values`` with a relative margin (None if there are none)."""
    finite = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not finite:
        return None
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * margin or max(abs(hi), 1.0) * margin
    return lo - pad, hi + pad


def plot_bars(labels: Sequence[str], values: Sequence[float], *, title: str = "",
              xlabel: str = "", ylabel: str = "", yticks: Sequence[tuple[float, str]] = (),
              ymax: float | None = None, width: int = 80, height: int = 12,
              color: bool = True, ascii: bool = False) -> str:
    """A vertical bar per label (drawn with ``#``, so it reads without colour), the y axis
    from 0 to ``ymax`` with ``yticks`` ``(value, label)`` when given; same options and
    notes as ``plot_curves``."""
    if width < MIN_WIDTH:
        return omitted(f"{width} columns is too narrow; {MIN_WIDTH} are needed")
    if not labels:
        return omitted("nothing to draw")
    import plotext as plt

    heights = [float(v) for v in values]
    top = ymax if ymax is not None else max(1.0, max(heights))
    plt.clf()
    plt.plot_size(width, max(MIN_HEIGHT, height))
    if not color:
        plt.theme("clear")
    options = {"marker": "#"}
    if color:
        options["color"] = COLORS[0]
    plt.bar(list(labels), heights, width=0.5, **options)
    plt.ylim(0, top)
    if yticks:
        plt.yticks([v for v, _ in yticks], [label for _, label in yticks])
    if title:
        plt.title(title)
    if xlabel:
        plt.xlabel(xlabel)
    if ylabel:
        plt.ylabel(ylabel)
    return _finish(plt, color, ascii)
