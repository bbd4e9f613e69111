"""The terminal view, through Rich: rules for headings, a tree for steps, 2-D maths.

Nothing is ever passed to Rich as markup: every piece of text is a ``rich.text.Text`` built
from cleaned strings, so a typed ``[/]`` or an escape sequence is printed, not obeyed.
Displayed expressions are SymPy's pretty print, broken by SymPy to fit the width (letting
Rich wrap a 2-D expression would tear it apart).
"""

from __future__ import annotations

import io
import re

import sympy
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text
from rich.tree import Tree

from calctutor.render.doc import (
    Fields,
    Formula,
    Heading,
    Math,
    Note,
    Numbered,
    Paragraph,
    Plot,
    StepTree,
    Table,
    Verbatim,
    Verdict,
    cell_segments,
)
from calctutor.render.inline import clean, colon, one_line, step_parts
from calctutor.steps.model import Step

# One palette, used consistently: rules name things in cyan, answers are green.
RULE = "bold cyan"
LABEL = "bold"
FIELD = "cyan"
EXPR = ""
USER = "bold"
RESULT = "bold"
ANSWER = "bold green"
LET = "magenta"
FORMULA = "dim"
WHY = ""
GUIDE = "dim"
VERDICT = {True: ("✔", "bold green"), False: ("✘", "bold red"), None: ("?", "bold yellow")}

_TRAILING = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)

INDENT = 2  # displayed maths sit this far in from their label


# Rich wraps a line at any space, so a long expression could end one line with x^2 and start
# the next with sin(x). Inside maths every space but those before "+ term", "- term" and
# "= side" (and between the rows of a matrix) is this character, which Rich does not break
# at; ``render_rich`` prints it as the space it stands for (a product longer than a whole
# line is still folded, as plain text folds it).
GLUE = "\ue000"


def math_line(expr) -> str:
    """``expr`` on one line, breakable only between terms (see ``GLUE``)."""
    text = clean(one_line(expr))
    for op in (" + ", " - ", " − ", " = "):
        text = text.replace(op, "\x00" + op[1:-1] + GLUE)
    text = text.replace("], [", "],\x00[")
    return text.replace(" ", GLUE).replace("\x00", " ")


def segments_text(segments, style: str = "") -> Text:
    """Segments as one ``Text``: words cleaned, user text as typed, maths on one line."""
    text = Text(style=style)
    for s in segments:
        if isinstance(s, Verbatim):
            text.append(clean(s.text), style=USER)
        elif isinstance(s, str):
            text.append(clean(s))
        else:
            text.append(math_line(s), style=EXPR)
    return text


def pretty(expr, width: int, style: str = ""):
    """``expr`` in learner notation: one line of text (Rich wraps it between terms), and a
    matrix as rows and columns, its entries in the same notation."""
    lines = _grid(expr)
    if lines is not None and max(len(line) for line in lines) <= width:
        return Text("\n".join(lines), style=style, no_wrap=True, overflow="ignore")
    return Text(math_line(expr), style=style)


def _matrix(m) -> list[str]:
    cells = [[clean(one_line(e)) for e in m.row(i)] for i in range(m.rows)]
    widths = [max(len(row[j]) for row in cells) for j in range(m.cols)]
    rows = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    if len(rows) == 1:
        return [f"[{rows[0]}]"]
    edges = [("⎡", "⎤")] + [("⎢", "⎥")] * (len(rows) - 2) + [("⎣", "⎦")]
    return [f"{a}{r}{b}" for (a, b), r in zip(edges, rows, strict=True)]


def _grid(expr) -> list[str] | None:
    """A matrix, or an equation with a matrix side, laid out on several lines (else None)."""
    if isinstance(expr, sympy.MatrixBase) and expr.rows and expr.cols:
        return _matrix(expr)
    if isinstance(expr, sympy.Equality) and any(isinstance(side, sympy.MatrixBase)
                                               for side in expr.args):
        left = _grid(expr.lhs) or [clean(one_line(expr.lhs))]
        right = _grid(expr.rhs) or [clean(one_line(expr.rhs))]
        height = max(len(left), len(right))
        mid = (height - 1) // 2

        def block(lines):
            top = mid - (len(lines) - 1) // 2
            w = max(len(line) for line in lines)
            return [(lines[k - top] if 0 <= k - top < len(lines) else "").ljust(w)
                    for k in range(height)]

        return [(a + (" = " if k == mid else "   ") + b).rstrip()
                for k, (a, b) in enumerate(zip(block(left), block(right), strict=True))]
    return None


def _math(block: Math, width: int):
    label = segments_text(block.label, ANSWER if block.emphasis else LABEL)
    style = RESULT if block.emphasis else ""
    art = pretty(block.expr, width - INDENT, style)
    if isinstance(art, Text) and "\n" not in art.plain and label.cell_len + 2 + art.cell_len <= width:
        return Text.assemble(label, colon(label.plain) + " ", art) if label.plain else art
    body = Padding(art, (0, 0, 0, INDENT), expand=False)
    return Group(label, body) if label.plain else body


def _step_label(step: Step, room: int) -> Text:
    """A tree node: the rule and the derivative it takes, then why (inline for a leaf)."""
    p = step_parts(step)
    label = Text.assemble((p.title, RULE), "  ", (math_line(p.lhs), EXPR))
    if p.rhs is not None:
        label.append(" = ")
        label.append(math_line(p.rhs), style=RESULT)
    lines: list[Text] = []
    for u, e in p.lets:
        lines.append(Text(f"let {math_line(u)} = {math_line(e)}", style=LET))
    why = segments_text(p.why, WHY)
    if p.compact and why.plain and label.cell_len + 3 + why.cell_len <= room:
        label.append(" · ", style=GUIDE)
        label.append_text(why)
    elif why.plain:
        lines.append(why)
    if p.formula:
        lines.append(Text(clean(p.formula), style=FORMULA))
    for line in lines:
        label.append("\n")
        label.append_text(line)
    return label


def step_tree(step: Step, width: int, depth: int = 0, parent: Tree | None = None) -> Tree:
    """The step tree as a Rich ``Tree`` (each level costs four columns of guide)."""
    label = _step_label(step, width - 4 * depth)
    node = parent.add(label) if parent is not None else Tree(label, guide_style=GUIDE)
    for sub in step.substeps:
        step_tree(sub, width, depth + 1, node)
    return node


def _fields(block: Fields):
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style=FIELD, no_wrap=True)
    grid.add_column()
    for label, segs in block.rows:
        grid.add_row(Text(clean(label)), segments_text(segs))
    return grid


def _numbered(block: Numbered, width: int):
    parts = [Text(clean(block.title), style=LABEL)] if block.title else []
    for k, item in enumerate(block.items, start=1):
        num = f"{k}. "
        head = Text.assemble((num + clean(item.title), RULE))
        art = pretty(item.expr, width - len(num) - INDENT) if item.expr is not None else None
        if (isinstance(art, Text) and "\n" not in art.plain
                and head.cell_len + 2 + art.cell_len <= width):  # a short result on its line
            parts.append(Text.assemble(head, colon(item.title) + " ", art))
            art = None
        else:
            parts.append(head)
        if art is not None:
            parts.append(Padding(art, (0, 0, 0, len(num) + INDENT), expand=False))
        if item.why:
            parts.append(Padding(segments_text(item.why, WHY), (0, 0, 0, len(num))))
    return Group(*parts)


def _table(block: Table, width: int):
    cells = [[segments_text(cell_segments(c)) for c in row] for row in block.rows]
    heads = [Text(clean(h)) for h in block.header]
    natural = [max(t.cell_len for t in [heads[j]] + [row[j] for row in cells])
               for j in range(len(heads))]
    if sum(natural) + 3 * len(natural) > width:
        # too wide to read across: each row as its own record, wrapped, nothing cut off
        parts = [Text(clean(block.title), style=LABEL)] if block.title else []
        for row in cells:
            line = Text.assemble((f"{heads[0].plain} ", LABEL), row[0], ": ")
            for k, (h, c) in enumerate(zip(heads[1:], row[1:], strict=True)):
                if c.plain:
                    line.append("; " if k else "")
                    line.append(f"{h.plain} = ", style=FIELD)
                    line.append_text(c)
            parts.append(line)
        return Group(*parts)
    table = RichTable(box=box.SIMPLE_HEAD, header_style=LABEL, show_edge=False,
                      title=Text(clean(block.title), style=LABEL) if block.title else None)
    for h in block.header:
        table.add_column(Text(clean(h)))
    for row in cells:
        table.add_row(*row)
    return table


def renderables(blocks, width: int) -> list:
    """The document as Rich renderables, with blank lines between groups of blocks."""
    out: list = []

    def add(renderable, space: bool = True) -> None:
        if space and out:
            out.append(Text())
        out.append(renderable)

    for b in blocks:
        if isinstance(b, Heading):
            title = Text(clean(b.text), style="bold")
            add(Rule(title, align="left", style="blue") if b.level == 1 else title)
        elif isinstance(b, Paragraph):
            add(segments_text(b.segments), space=False)
        elif isinstance(b, Fields):
            add(_fields(b), space=False)
        elif isinstance(b, Math):
            add(_math(b, width))
        elif isinstance(b, Formula):
            add(Text.assemble((clean(b.label), LABEL), "  ", clean(b.text)))
        elif isinstance(b, StepTree):
            if b.title:
                add(segments_text(b.title, LABEL))
                out.append(step_tree(b.step, width))
            else:
                add(step_tree(b.step, width))
        elif isinstance(b, Numbered):
            add(_numbered(b, width))
        elif isinstance(b, Table):
            add(_table(b, width))
        elif isinstance(b, Note):
            style = "bold red" if b.warning else "bold yellow"
            add(Text.assemble((clean(b.title) + ": ", style), segments_text(b.segments)),
                space=False)
        elif isinstance(b, Verdict):
            mark, style = VERDICT[b.ok]
            line = Text.assemble((f"{mark} {clean(b.headline)}", style))
            if b.segments:
                line.append("  ")
                line.append_text(segments_text(b.segments))
            add(line)
        elif isinstance(b, Plot):
            # plotext's colours become Rich styles (and vanish when the console has none)
            add(Text.from_ansi(b.text(width, color=True), no_wrap=True, overflow="crop"))
        else:  # a block type without a rich form is a bug in calctutor
            raise TypeError(f"rich cannot render {type(b).__name__}")
    return out


def render_rich(blocks, width: int = 80, color: bool = True) -> str:
    """The document as a terminal ``width`` columns wide would show it (ANSI iff ``color``)."""
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, no_color=not color,
        color_system="standard" if color else None, highlight=False, markup=False,
        emoji=False, legacy_windows=False, force_jupyter=False, force_interactive=False,
        soft_wrap=False,
    )
    for r in renderables(blocks, width):
        console.print(r)
    # Rich pads wrapped lines and table cells with spaces; drop them (before any final reset)
    return _TRAILING.sub(r"\1", buf.getvalue().replace(GLUE, " "))
