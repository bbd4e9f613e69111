"""LaTeX: a fragment for a worksheet or notes (maths through ``notation.to_latex``).

Steps are nested ``enumerate`` lists; LaTeX allows four levels, so deeper steps stay in the
fourth level with their outline number as the label. ``latex_document`` wraps a fragment in
a minimal article that compiles with pdflatex.
"""

from __future__ import annotations

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
    equation,
)
from calctutor.render.inline import clean, colon, header_math, latex_math, step_parts
from calctutor.steps.model import Step

MAX_DEPTH = 4  # LaTeX's enumerate nests at most four deep

_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
# Symbols our own text uses, in forms that need no extra package.
_UNICODE = {
    "·": r"\ensuremath{\cdot}", "⋅": r"\ensuremath{\cdot}", "×": r"\ensuremath{\times}",
    "−": "-", "–": "--", "—": "---", "→": r"\ensuremath{\to}", "←": r"\ensuremath{\leftarrow}",
    "≠": r"\ensuremath{\neq}", "≤": r"\ensuremath{\leq}", "≥": r"\ensuremath{\geq}",
    "≈": r"\ensuremath{\approx}", "∂": r"\ensuremath{\partial}", "√": r"\ensuremath{\surd}",
    "…": r"\ldots{}", "∞": r"\ensuremath{\infty}", "²": r"\ensuremath{^2}",
    "³": r"\ensuremath{^3}", "ⁿ": r"\ensuremath{^n}", "ˣ": r"\ensuremath{^x}",
    "⁻": r"\ensuremath{^-}", "¹": r"\ensuremath{^1}", "ᵀ": r"\ensuremath{^T}",
    "∇": r"\ensuremath{\nabla}", "Σ": r"\ensuremath{\Sigma}", "✔": r"\ensuremath{\checkmark}",
    "✘": r"\ensuremath{\times}", "“": "``", "”": "''", "‘": "`", "’": "'", "\u00a0": "~",
}


def _char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ord(ch) < 128:
        return ch
    if ch in _UNICODE:
        return _UNICODE[ch]
    name = unicodedata.name(ch, "")
    if name.startswith("GREEK SMALL LETTER ") and " " not in name[19:]:
        # θ -> \theta; pdflatex has no text-mode Greek without extra packages
        return r"\ensuremath{\%s}" % name[19:].lower().replace("lamda", "lambda")
    return "?"  # keep the fragment compilable with plain pdflatex


def latex_escape(text: str) -> str:
    """Text for LaTeX's text mode: specials escaped, control characters made visible."""
    return "".join(_char(ch) for ch in clean(text))


def seg_latex(segments) -> str:
    out = []
    for s in segments:
        if isinstance(s, Verbatim):
            out.append(r"\texttt{%s}" % latex_escape(s.text))
        elif isinstance(s, str):
            out.append(latex_escape(s))
        else:
            out.append(f"${latex_math(s, inline=True)}$")
    return "".join(out)


def _number(path: tuple[int, ...]) -> str:
    return ".".join(str(k) for k in path) + "."


def _step(step: Step, lines: list[str], path: tuple[int, ...]) -> None:
    p = step_parts(step)
    label = f"[{_number(path)}]" if len(path) > MAX_DEPTH else ""
    lines.append(rf"\item{label} \textbf{{{latex_escape(p.title)}}}: "
                 rf"${latex_math(header_math(p), inline=True)}$")
    for u, e in p.lets:
        lines.append(rf"\\ Let ${latex_math(equation(u, e), inline=True)}$.")
    if p.why:
        lines.append(r"\\ " + seg_latex(p.why))
    if p.formula:
        lines.append(r"\\ \emph{Rule:} " + latex_escape(p.formula))
    if not step.substeps:
        return
    nest = len(path) < MAX_DEPTH
    if nest:
        lines.append(r"\begin{enumerate}")
    for k, sub in enumerate(step.substeps, start=1):
        _step(sub, lines, path + (k,))
    if nest:
        lines.append(r"\end{enumerate}")


def _table(block: Table, lines: list[str]) -> None:
    if block.title:
        lines += [r"\noindent\textbf{%s}" % latex_escape(block.title), ""]
    cols = "l" * len(block.header)
    lines.append(r"\begin{tabular}{%s}" % cols)
    lines.append(" & ".join(r"\textbf{%s}" % latex_escape(h) for h in block.header) + r" \\")
    lines.append(r"\hline")
    for row in block.rows:
        lines.append(" & ".join(seg_latex(cell_segments(c)) for c in row) + r" \\")
    lines += [r"\end{tabular}", ""]


def render_latex(blocks) -> str:
    """The document as a LaTeX fragment (needs amsmath)."""
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            cmd = "section*" if b.level == 1 else "subsection*"
            lines += [rf"\{cmd}{{{latex_escape(b.text)}}}", ""]
        elif isinstance(b, Paragraph):
            lines += [seg_latex(b.segments), ""]
        elif isinstance(b, Fields):
            rows = [rf"\textbf{{{latex_escape(label)}:}} {seg_latex(segs)}" for label, segs in b.rows]
            lines += [r"\noindent " + (r"\\" + "\n").join(rows), ""]
        elif isinstance(b, Math):
            label = seg_latex(b.label)
            if label:
                label += colon(label)
                lines.append(r"\noindent " + (rf"\textbf{{{label}}}" if b.emphasis else label))
            lines += [r"\[", latex_math(b.expr), r"\]", ""]
        elif isinstance(b, Formula):
            lines += [rf"\noindent\textbf{{{latex_escape(b.label)}:}}", r"\[", b.latex, r"\]", ""]
        elif isinstance(b, StepTree):
            if b.title:
                lines.append(rf"\subsection*{{{seg_latex(b.title)}}}")
            lines.append(r"\begin{enumerate}")
            _step(b.step, lines, (1,))
            lines += [r"\end{enumerate}", ""]
        elif isinstance(b, Numbered):
            if b.title:
                lines.append(rf"\subsection*{{{latex_escape(b.title)}}}")
            lines.append(r"\begin{enumerate}")
            for item in b.items:
                lines.append(rf"\item \textbf{{{latex_escape(item.title)}}}")
                if item.expr is not None:
                    lines.append(rf"\[ {latex_math(item.expr)} \]")
                if item.why:
                    lines.append(("" if item.expr is not None else r"\\ ") + seg_latex(item.why))
            lines += [r"\end{enumerate}", ""]
        elif isinstance(b, Table):
            _table(b, lines)
        elif isinstance(b, Note):
            lines += [rf"\noindent\emph{{{latex_escape(b.title)}:}} " + seg_latex(b.segments), ""]
        elif isinstance(b, Verdict):
            detail = seg_latex(b.segments)
            lines += [rf"\noindent\textbf{{{latex_escape(b.headline)}.}}" + (f" {detail}" if detail else ""), ""]
        elif isinstance(b, Plot) and b.essential:
            # a question about the picture needs it: the ASCII plot, verbatim
            lines += [r"\begin{verbatim}", b.text(80, color=False, ascii=True),
                      r"\end{verbatim}", ""]
        elif isinstance(b, Plot):
            what = f" ({latex_escape(b.title)})" if b.title else ""
            lines += [rf"\noindent\emph{{Plot{what} omitted: terminal plots are shown in the "
                      r"rich, plain and Markdown formats.}", ""]
        else:  # a block type without a LaTeX form is a bug in calctutor
            raise TypeError(f"latex cannot render {type(b).__name__}")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def latex_document(body: str) -> str:
    """Wrap a LaTeX fragment in a minimal article (amsmath, amssymb) that compiles alone."""
    return (
        "\\documentclass{article}\n"
        "\\usepackage[T1]{fontenc}\n"
        "\\usepackage{amsmath}\n"
        "\\usepackage{amssymb}\n"
        "\\begin{document}\n"
        + body
        + ("" if body.endswith("\n") else "\n")
        + "\\end{document}\n"
    )
