"""The terminal-plot module and the Plot block in every format."""

from __future__ import annotations

import math

from calctutor.render import render_blocks
from calctutor.render.doc import Heading, Plot
from calctutor.render.plot import MARKERS, plot_curves, span

XS = tuple(i / 10 for i in range(-20, 21))
SQUARE = ("x^2", XS, tuple(x * x for x in XS))
LINE = ("2x", XS, tuple(2 * x for x in XS))


def test_plain_plot_has_no_ansi_and_no_box_drawing():
    text = plot_curves([SQUARE, LINE], width=60, height=12, color=False, ascii=True, title="T")
    assert "\x1b" not in text
    assert all(ord(ch) < 128 for ch in text)
    assert "x^2" in text and "2x" in text and "T" in text
    assert all(len(line) <= 60 for line in text.splitlines())


def test_distinct_markers_name_each_series_in_the_legend():
    text = plot_curves([SQUARE, LINE], points=[("a", [0.0], [0.0])], width=60, color=False)
    assert f"{MARKERS[0] * 2} x^2" in text
    assert f"{MARKERS[1] * 2} 2x" in text
    assert MARKERS[2] in text


def test_colour_only_when_asked():
    assert "\x1b[" in plot_curves([SQUARE], width=60, color=True)
    assert "\x1b[" not in plot_curves([SQUARE], width=60, color=False)


def test_degrades_to_a_note():
    assert plot_curves([SQUARE], width=10).startswith("(plot omitted:")
    assert plot_curves([("f", [1.0, 2.0], [math.nan, math.inf])]).startswith("(plot omitted:")


def test_values_outside_ylim_are_left_out():
    # a huge spike would otherwise squash the curve; with ylim it is dropped, not drawn
    ys = list(SQUARE[2])
    ys[20] = 1e9
    text = plot_curves([("f", XS, ys)], width=60, color=False, ylim=(-1.0, 5.0))
    assert "1e9" not in text and "1000000000" not in text
    assert span([0.0, 1.0]) == (-0.15, 1.15)
    assert span([math.nan]) is None


def test_plot_block_in_every_format():
    blocks = [Heading("Demo"), Plot((SQUARE,), title="square", height=10)]
    plain = render_blocks(blocks, "plain", width=60)
    assert "x^2" in plain and "\x1b" not in plain and "┌" not in plain
    rich = render_blocks(blocks, "rich", width=60, color=False)
    assert "x^2" in rich and "\x1b" not in rich
    assert "\x1b[" in render_blocks(blocks, "rich", width=60, color=True)
    md = render_blocks(blocks, "markdown")
    assert "```text" in md and "x^2" in md
    latex = render_blocks(blocks, "latex")
    assert "omitted" in latex and "square" in latex
