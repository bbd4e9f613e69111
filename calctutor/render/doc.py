"""A format-neutral document: the blocks every view produces and every renderer prints.

A view turns a result into a list of blocks; each format (plain, rich, LaTeX, Markdown)
knows how to print each block. A new command needs only a new view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import sympy

from calctutor.steps.model import Step

Segment = Union[str, sympy.Basic]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    """A sentence of words and inline expressions."""

    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Note:
    """A remark the user should notice (how the input was read, a caveat)."""

    segments: tuple[Segment, ...]
    label: str = "Note"


@dataclass(frozen=True)
class Display:
    """A displayed formula: ``label`` then the expression, pretty-printed where possible."""

    label: tuple[Segment, ...]
    expr: sympy.Basic


@dataclass(frozen=True)
class StepTree:
    """A derivative explanation (a Step tree) with an optional title."""

    step: Step
    title: str | None = None


@dataclass(frozen=True)
class Numbered:
    """A numbered list of items, each a (title, expression or None, explanation) triple."""

    items: tuple[tuple[str, sympy.Basic | None, tuple[Segment, ...]], ...]


@dataclass(frozen=True)
class Verdict:
    """A yes/no/undecided outcome with a sentence."""

    ok: bool | None
    segments: tuple[Segment, ...]


Block = Union[Heading, Para, Note, Display, StepTree, Numbered, Verdict]


def derivative_label(expr: sympy.Basic, var: sympy.Symbol, partial: bool) -> tuple[Segment, ...]:
    """("d/dx [", expr, "]") or the partial form, as segments."""
    d = "∂" if partial else "d"
    return (f"{d}/{d}{var} [", expr, "]")
