"""Markdown (CommonMark with ``$…$`` maths, as GitHub, Pandoc and Jupyter read it).

Steps are nested numbered lists; maths is ``$…$`` inline and ``$$…$$`` displayed, through
``notation.to_latex``; what the user typed is a code span; our own words are escaped.
"""

from __future__ import annotations

import re

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
    equation,
)
from calctutor.render.inline import clean, colon, header_math, latex_math, step_parts
from calctutor.steps.model import Step

# Characters that can start markup anywhere in a line (emphasis, code, HTML, maths, tables,
# strikethrough). Brackets (links) become entities and parentheses stay: "\[" and "\(" would
# open maths for MathJax.
_SPECIAL = re.compile(r"([\\`*_<>|$~&])")
_BRACKETS = str.maketrans({"[": "&#91;", "]": "&#93;"})
# ... and those that do only at the start of a line (headings, lists, quotes).
_LINE_START = re.compile(r"^(\s*)(?:([-+=>#])|(\d+)([.)]))")
_PIPE = re.compile(r"(?<!\\)\|")


def md_escape(text: str, line_start: bool = True) -> str:
    """Our own words, escaped so that no character is read as Markdown.

    ``line_start``: the text may begin a line (so "1." or "#" there must not start a list
    or a heading).
    """
    text = _SPECIAL.sub(r"\\\1", clean(text)).translate(_BRACKETS)
    if line_start:
        # "\-" escapes a marker; a number's "1." is escaped after the digits ("1\."):
        # a backslash before a digit is not an escape and would be printed
        text = _LINE_START.sub(lambda m: m.group(1) + (
            "\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)
    return text


def code_span(text: str) -> str:
    """What the user typed as an inline code span (backticks inside it handled)."""
    text = clean(text)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def math(expr) -> str:
    """Inline maths: ``$…$`` (the LaTeX of ``expr`` kept on one line)."""
    return "$" + latex_math(expr, inline=True) + "$"


def _display(latex: str) -> str:
    """A line of displayed maths that Markdown cannot take for a list item or a heading
    ("- 2x" would start a bullet list): such a line starts with an empty TeX group."""
    return "{}" + latex if _LINE_START.match(latex) or latex.startswith("*") else latex


def seg_md(segments, line_start: bool = True) -> str:
    out = []
    for k, s in enumerate(segments):
        if isinstance(s, Verbatim):
            out.append(code_span(s.text))
        elif isinstance(s, str):
            out.append(md_escape(s, line_start=line_start and k == 0))
        else:
            out.append(math(s))
    return "".join(out)


def _step(step: Step, lines: list[str], pad: str, number: int) -> None:
    p = step_parts(step)
    marker = f"{number}. "
    body = pad + " " * len(marker)  # continuation lines and sub-lists align with the text
    lines.append(f"{pad}{marker}**{md_escape(p.title)}:** {math(header_math(p))}")
    extra = [f"Let {math(equation(u, e))}." for u, e in p.lets]
    if p.why:
        extra.append(seg_md(p.why))
    if p.formula:
        extra.append(f"*Rule:* {md_escape(p.formula)}")
    for line in extra:
        lines[-1] += "\\"  # a hard line break inside the list item
        lines.append(body + line)
    for k, sub in enumerate(step.substeps, start=1):
        _step(sub, lines, body, k)


def _table(block: Table, lines: list[str]) -> None:
    if block.title:
        lines += [f"**{md_escape(block.title)}**", ""]
    lines.append("| " + " | ".join(md_escape(h) for h in block.header) + " |")
    lines.append("|" + "|".join("---" for _ in block.header) + "|")
    for row in block.rows:
        # a pipe ends a cell even inside maths ($\left|x\right|$): escape the unescaped ones
        cells = [_PIPE.sub(r"\\|", seg_md(cell_segments(c), line_start=False)) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")


def render_markdown(blocks) -> str:
    """The document as Markdown with TeX maths."""
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += [f"{'#' * (b.level + 1)} {md_escape(b.text)}", ""]
        elif isinstance(b, Paragraph):
            lines += [seg_md(b.segments), ""]
        elif isinstance(b, Fields):
            rows = [f"**{md_escape(label)}:** {seg_md(segs)}" for label, segs in b.rows]
            lines += ["\\\n".join(rows), ""]
        elif isinstance(b, Math):
            label = seg_md(b.label)
            if label:
                label += colon(label)
                lines += [f"**{label}**" if b.emphasis else label, ""]
            lines += ["$$", _display(latex_math(b.expr)), "$$", ""]
        elif isinstance(b, Formula):
            lines += [f"**{md_escape(b.label)}:**", "", "$$", _display(b.latex), "$$", ""]
        elif isinstance(b, StepTree):
            if b.title:
                lines += [f"**{seg_md(b.title)}**", ""]
            _step(b.step, lines, "", 1)
            lines.append("")
        elif isinstance(b, Numbered):
            if b.title:
                lines += [f"**{md_escape(b.title)}**", ""]
            for k, item in enumerate(b.items, start=1):
                marker = f"{k}. "
                body = " " * len(marker)
                lines.append(f"{marker}**{md_escape(item.title, line_start=False)}"
                             f"{colon(item.title)}**"
                             + (f" {math(item.expr)}" if item.expr is not None else ""))
                if item.why:
                    lines[-1] += "\\"
                    lines.append(body + seg_md(item.why))
            lines.append("")
        elif isinstance(b, Table):
            _table(b, lines)
        elif isinstance(b, Note):
            lines += [f"> **{md_escape(b.title)}:** {seg_md(b.segments)}", ""]
        elif isinstance(b, Verdict):
            mark = {True: "✔", False: "✘", None: "?"}[b.ok]
            detail = seg_md(b.segments)
            lines += [f"**{mark} {md_escape(b.headline)}.**" + (f" {detail}" if detail else ""), ""]
        elif isinstance(b, Plot):
            lines += ["```text", b.text(80, color=False), "```", ""]
        else:  # a block type without a Markdown form is a bug in calctutor
            raise TypeError(f"markdown cannot render {type(b).__name__}")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
