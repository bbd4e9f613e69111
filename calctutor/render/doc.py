"""A format-neutral document: the blocks every view produces and every format prints.

A view (``render.views``) turns a result into a list of blocks; each format (plain, rich,
LaTeX, Markdown) knows how to print every block. So a new command needs only a new view,
and every format works for it at once.

Text inside blocks is a sequence of *segments*: ``str`` (our own words), SymPy objects
(printed in each format's notation) and ``Verbatim`` (text the user typed, shown exactly as
typed). Every format escapes every string it prints, whatever its origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import sympy

from calctutor.steps.model import Step


@dataclass(frozen=True)
class Verbatim:
    """Text the user typed: shown as typed (code font where the format has one), escaped."""

    text: str


Segment = Union[str, sympy.Basic, Verbatim]
Segments = tuple[Segment, ...]


@dataclass(frozen=True)
class Heading:
    """The title of a document or of a section (level 1 or 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A sentence or two of words and inline expressions."""

    segments: Segments


@dataclass(frozen=True)
class Fields:
    """Short labelled lines, aligned: ``(("Input", (Verbatim("2x"),)), ("Read as", (expr,)))``."""

    rows: tuple[tuple[str, Segments], ...]


@dataclass(frozen=True)
class Math:
    """A displayed expression with a label: 2-D in rich, ``$$…$$`` in Markdown.

    ``expr`` may be an unevaluated ``Derivative``, or an ``Eq`` of one and its value.
    """

    label: Segments
    expr: sympy.Basic
    emphasis: bool = False  # the answer: shown more prominently


@dataclass(frozen=True)
class Formula:
    """A fixed formula written by the view in two notations (a definition, a general rule)."""

    label: str
    text: str  # one-line text (Unicode allowed; plain output makes it ASCII)
    latex: str


@dataclass(frozen=True)
class StepTree:
    """A derivative explanation (a ``Step`` tree) with an optional title."""

    step: Step
    title: Segments = ()


@dataclass(frozen=True)
class Item:
    """One line of a worked calculation: a title, an expression (or None), and why."""

    title: str
    expr: sympy.Basic | None
    why: Segments = ()


@dataclass(frozen=True)
class Numbered:
    """A worked calculation as a numbered list of ``Item``s, read top to bottom."""

    items: tuple[Item, ...]
    title: str = ""


@dataclass(frozen=True)
class Table:
    """Rows of cells under a header; a cell is segments, an expression or a string."""

    header: tuple[str, ...]
    rows: tuple[tuple[Union[Segments, sympy.Basic, str], ...], ...]
    title: str = ""


@dataclass(frozen=True)
class Note:
    """A remark to notice: a caveat, how something was read (``warning`` for trouble)."""

    segments: Segments
    label: str = ""  # default: "Note", or "Warning" for a warning
    warning: bool = False

    @property
    def title(self) -> str:
        return self.label or ("Warning" if self.warning else "Note")


@dataclass(frozen=True)
class Verdict:
    """An outcome: ``ok`` True (yes), False (no) or None (undecided), a headline and why."""

    ok: bool | None
    headline: str
    segments: Segments = ()
    word: str | None = None  # plain text's word for it when ok does not say it ("NOT YET")


@dataclass(frozen=True)
class Plot:
    """A terminal plot of curves and points, drawn by each format at its own width.

    ``curves``/``points`` are ``(label, xs, ys)`` with float sequences (``render.plot``);
    LaTeX leaves the plot out with a note, Markdown fences it as text.
    """

    curves: tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...]
    points: tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...] = ()
    title: str = ""
    xlabel: str = "x"
    ylabel: str = "y"
    height: int = 20
    ylim: tuple[float, float] | None = None
    xlim: tuple[float, float] | None = None
    grid: bool = False  # grid lines at the ticks, to read values off the picture
    xticks: tuple[float, ...] = ()
    yticks: tuple[float, ...] = ()
    essential: bool = False  # the question is about the picture: LaTeX prints it verbatim
    markers: tuple[str, ...] = ()  # each series' marker character (curves, then points)

    def text(self, width: int, color: bool = False, ascii: bool = False) -> str:
        """The plot as terminal text ``width`` columns wide."""
        from calctutor.render.plot import plot_curves

        return plot_curves(self.curves, points=self.points, title=self.title,
                           xlabel=self.xlabel, ylabel=self.ylabel, width=width,
                           height=self.height, color=color, ascii=ascii, ylim=self.ylim,
                           xlim=self.xlim, grid=self.grid, xticks=self.xticks,
                           yticks=self.yticks, markers=self.markers)


Block = Union[Heading, Paragraph, Fields, Math, Formula, StepTree, Numbered, Table, Note, Verdict,
              Plot]
Document = list[Block]


def derivative(expr: sympy.Basic, *variables: sympy.Symbol) -> sympy.Derivative:
    """The unevaluated derivative of ``expr`` (d/dx, ∂/∂y, d²/dx², ∂²/∂y∂x in print)."""
    return sympy.Derivative(expr, *variables, evaluate=False)


def equation(lhs: sympy.Basic, rhs: sympy.Basic) -> sympy.Eq:
    """``lhs = rhs`` kept as written (never evaluated to True/False)."""
    return sympy.Eq(lhs, rhs, evaluate=False)


def cell_segments(cell) -> Segments:
    """A table cell as segments, whatever form the view gave it in."""
    if isinstance(cell, tuple):
        return cell
    return (cell,)
