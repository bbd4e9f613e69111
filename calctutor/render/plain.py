"""Plain text: no colour, no box drawing, ASCII maths; readable in a log or a pipe.

Expressions are one line of learner notation (``x^2*sin(x)``); steps are a numbered outline
(1., 1.1., 1.2.) indented by depth; everything is wrapped to ``width`` columns.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

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
from calctutor.render.inline import clean, colon, header_math, one_line, step_parts
from calctutor.steps.model import Step

# Our own text and SymPy's use a few non-ASCII symbols; these are their ASCII spellings.
_ASCII = str.maketrans({
    "⋅": "*", "×": "x", "−": "-", "–": "-", "—": "--", "→": "->", "←": "<-",
    "≠": "!=", "≤": "<=", "≥": ">=", "≈": "~", "√": "sqrt", "…": "...", "∞": "oo",
    "²": "^2", "³": "^3", "ⁿ": "^n", "ˣ": "^x", "⁻": "^-", "¹": "1", "ᵀ": "^T",
    "∇": "grad ", "Σ": "sum ", "∑": "sum ", "∏": "prod ",
    "✓": "ok", "✗": "x", "“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ",
})


def _ascii_char(ch: str) -> str:
    if ord(ch) < 128:
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("GREEK SMALL LETTER ") and " " not in name[19:]:
        return name[19:].lower().replace("lamda", "lam")  # η -> eta, as learners type it
    return "?"


# ∂ is AsciiMath's "del" (as ∇ is its "grad"): del f/del x, del^2/del x^2 [f]; a product
# dot between two factors is a space (u' v), a spaced one between long factors stays "*".
_PARTIAL = re.compile(r"∂(?=[/²³⁴⁵⁶⁷⁸⁹^])")
_AFTER_WORD = re.compile(r"(?<=\w)∂")
_DOT = re.compile(r"\s+·\s+")
_LEIBNIZ_DOT = re.compile(r"·(?=[∂d][^\s/]*/)")  # del f/del x * dx/dt
_NUMBER_DOT = re.compile(r"(?<=\d)·|·(?=[\d(\[-])")  # 1*1/2, not "1 1/2"
_GLUED_GREEK = re.compile(r"(?<=\d)(?=[α-ω])")


def ascii_text(text: str) -> str:
    """Our own words and maths in ASCII (Greek letters spelt out, anything else '?')."""
    text = _PARTIAL.sub("del", _AFTER_WORD.sub(" ∂", clean(text))).replace("∂", "del ")
    text = _NUMBER_DOT.sub("*", _DOT.sub(" * ", _LEIBNIZ_DOT.sub(" * ", text))).replace("·", " ")
    text = _GLUED_GREEK.sub(" ", text)  # 2λ is "2 lam", not "2lam"
    return "".join(_ascii_char(ch) for ch in text.translate(_ASCII))


def user_text(text: str) -> str:
    """What the user typed, as typed: control and box-drawing characters made harmless."""
    text = clean(text)
    return "".join("?" if 0x2500 <= ord(ch) <= 0x259F else ch for ch in text)


# Joins an operator to the term after it, so a long expression wraps before "+ term",
# never between "+" and its term; _Writer.para turns it back into a space.
_GLUE = "\ue000"


def math_text(expr) -> str:
    """``expr`` on one ASCII line, with its operators glued to the terms that follow them."""
    text = ascii_text(one_line(expr, unicode=False))
    # a line may break only before "+ term", "- term", "= side": never inside a product
    # (x^2 sin(x)) nor between an operator and its term
    for op in (" + ", " - ", " = "):
        text = text.replace(op, "\x00" + op[1:-1] + _GLUE)
    text = text.replace("], [", "],\x00[")  # or between the rows of a matrix
    return text.replace(" ", _GLUE).replace("\x00", " ")


def seg_text(segments) -> str:
    out = []
    for s in segments:
        if isinstance(s, Verbatim):
            out.append(user_text(s.text))
        elif isinstance(s, str) and s.strip() == "·":  # a product sign between two pieces of maths: 1*1/2
            out.append(s.replace("·", "*"))
        elif isinstance(s, str):
            out.append(ascii_text(s))
        else:
            out.append(math_text(s))
    return "".join(out)


class _Writer:
    """Collects wrapped lines."""

    def __init__(self, width: int):
        self.width = max(20, width)
        self.lines: list[str] = []

    def para(self, text: str, indent: str = "", hang: str | None = None) -> None:
        """``text`` wrapped, first line after ``indent``, the rest after ``hang``."""
        wrapper = textwrap.TextWrapper(
            width=self.width, initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_long_words=True, break_on_hyphens=False)
        lines = wrapper.wrap(text) or [indent.rstrip()]
        self.lines += [line.replace(_GLUE, " ").rstrip() or line.strip() for line in lines]

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def _step(w: _Writer, step: Step, number: str, indent: str) -> None:
    p = step_parts(step)
    head = f"{number} {p.title}: {math_text(header_math(p))}"
    body = indent + " " * (len(number) + 1)
    why = seg_text(p.why)
    for u, e in p.lets:
        why = f"Let {seg_text((u,))} = {seg_text((e,))}. " + why
    if p.compact and why and len(indent) + len(head) + 3 + len(why) <= w.width:
        w.para(f"{head} -- {why}", indent, body)
    else:
        w.para(head, indent, body)
        if why:
            w.para(why, body)
    if p.formula:
        w.para(f"Rule: {ascii_text(p.formula)}", body)
    # children sit under their parent's text, but a deep tree stops drifting right at a
    # third of the width (the outline numbers still show the nesting)
    child = body if len(body) <= w.width // 3 else indent
    for k, sub in enumerate(step.substeps, start=1):
        _step(w, sub, f"{number}{k}.", child)


def _table(w: _Writer, block: Table) -> None:
    # cells are not wrapped, so the operators' glue goes back to plain spaces here
    glued = [[seg_text(cell_segments(c)) for c in row] for row in block.rows]
    rows = [[c.replace(_GLUE, " ") for c in row] for row in glued]
    header = [ascii_text(h) for h in block.header]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % n for n in widths)
    if block.title:
        w.para(ascii_text(block.title))
    if sum(widths) + 2 * (len(widths) - 1) > w.width:
        # too wide to read across: each row as its own record, wrapped, nothing cut off
        for r in glued:
            fields = "; ".join(f"{h.replace(' ', _GLUE)} ={_GLUE}{c}" for h, c in zip(header[1:], r[1:], strict=True)
                               if c)
            w.para(f"{header[0]} {r[0]}: {fields}", "", "    ")
        return
    w.lines.append(fmt.format(*header).rstrip())
    w.lines.append("  ".join("-" * n for n in widths))
    w.lines += [fmt.format(*r).rstrip() for r in rows]


def render_plain(blocks, width: int = 80) -> str:
    """The document as plain ASCII text wrapped to ``width`` columns."""
    w = _Writer(width)
    for b in blocks:
        if isinstance(b, Heading):
            w.blank()
            title = ascii_text(b.text)
            w.para(title)
            w.lines.append(("=" if b.level == 1 else "-") * min(len(title), w.width))
        elif isinstance(b, Paragraph):
            w.para(seg_text(b.segments))
        elif isinstance(b, Fields):
            pad = max(len(label) for label, _ in b.rows) + 2
            for label, segs in b.rows:
                w.para(f"{label + ':':<{pad}}{seg_text(segs)}", "", " " * pad)
        elif isinstance(b, Math):
            label = seg_text(b.label)
            sep = colon(label)
            text = math_text(b.expr)
            if b.emphasis:
                w.blank()
            w.para(f"{label}{sep} {text}".lstrip(), "", "    ")
        elif isinstance(b, Formula):
            w.blank()
            w.para(f"{ascii_text(b.label)}: {ascii_text(b.text)}", "", "    ")
        elif isinstance(b, StepTree):
            w.blank()
            if b.title:
                w.para(seg_text(b.title))
            _step(w, b.step, "1.", "")
            w.blank()
        elif isinstance(b, Numbered):
            w.blank()
            if b.title:
                w.para(ascii_text(b.title))
            for k, item in enumerate(b.items, start=1):
                num = f"{k}. "
                hang = " " * len(num)
                title = ascii_text(item.title)
                expr = seg_text((item.expr,)) if item.expr is not None else ""
                one = f"{num}{title}{colon(title)} {expr}"
                if expr and len(one) <= w.width:  # a short result on its title's line
                    w.para(one, "", hang)
                else:
                    w.para(num + title, "", hang)
                    if expr:
                        w.para(expr, hang + "  ", hang + "    ")
                if item.why:
                    w.para(seg_text(item.why), hang)
            w.blank()
        elif isinstance(b, Table):
            w.blank()
            _table(w, b)
            w.blank()
        elif isinstance(b, Note):
            w.para(f"{ascii_text(b.title)}: {seg_text(b.segments)}", "", "  ")
        elif isinstance(b, Verdict):
            w.blank()
            mark = b.word or {True: "YES", False: "NO", None: "UNDECIDED"}[b.ok]
            detail = seg_text(b.segments)
            w.para(f"{mark} - {ascii_text(b.headline)}." + (f" {detail}" if detail else ""), "", "  ")
        elif isinstance(b, Plot):
            w.blank()
            w.lines += b.text(w.width, color=False, ascii=True).splitlines()
            w.blank()
        else:  # a block type without a plain form is a bug in calctutor
            raise TypeError(f"plain cannot render {type(b).__name__}")
    while w.lines and w.lines[-1] == "":
        w.lines.pop()
    while w.lines and w.lines[0] == "":
        w.lines.pop(0)
    return "\n".join(w.lines) + "\n"

