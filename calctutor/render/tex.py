"""LaTeX and Markdown renderings of a document (maths via SymPy's LaTeX printer)."""

from __future__ import annotations

import re

from calctutor.notation import to_latex
from calctutor.render.doc import Display, Heading, Note, Numbered, Para, StepTree, Verdict
from calctutor.render.textual import clean
from calctutor.steps.model import RULE_TITLES, Step

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_UNICODE_TEX = {"·": r"$\cdot$", "²": r"$^2$", "ⁿ": r"$^n$", "⁻¹": r"$^{-1}$", "ˣ": r"$^x$",
                "√": r"$\surd$", "→": r"$\to$", "≠": r"$\neq$", "∂": r"$\partial$", "…": "...",
                "≥": r"$\geq$", "≤": r"$\leq$"}


def latex_escape(text: str) -> str:
    out = "".join(_LATEX_SPECIAL.get(ch, ch) for ch in clean(text))
    for k, v in _UNICODE_TEX.items():
        out = out.replace(k, v)
    return out


def _latex_segments(segments, math_open="$", math_close="$", escape=latex_escape) -> str:
    return "".join(escape(s) if isinstance(s, str) else f"{math_open}{to_latex(s)}{math_close}"
                   for s in segments)


def _d(step: Step) -> str:
    partial = bool(step.expr.free_symbols - {step.var})
    d = r"\partial" if partial else "d"
    return rf"\frac{{{d}}}{{{d} {to_latex(step.var)}}}"


def step_math(step: Step) -> str:
    if step.rule == "rewrite":
        return f"{to_latex(step.expr)} = {to_latex(step.result)}"
    return rf"{_d(step)}\left[{to_latex(step.expr)}\right] = {to_latex(step.result)}"


# -- LaTeX ---------------------------------------------------------------------------------
def _latex_step(step: Step, lines: list[str]) -> None:
    lines.append(rf"\item \textbf{{{RULE_TITLES[step.rule]}}}: ${step_math(step)}$\\")
    why = _latex_segments(step.why)
    if step.formula:
        why += rf" \quad (\emph{{{latex_escape(step.formula)}}})"
    lines.append(why)
    if step.substeps:
        lines.append(r"\begin{enumerate}")
        for sub in step.substeps:
            _latex_step(sub, lines)
        lines.append(r"\end{enumerate}")


def render_latex(blocks) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines.append(rf"\subsection*{{{latex_escape(b.text)}}}")
        elif isinstance(b, Para):
            lines += [_latex_segments(b.segments), ""]
        elif isinstance(b, Note):
            lines += [rf"\textit{{{latex_escape(b.label)}:}} " + _latex_segments(b.segments), ""]
        elif isinstance(b, Display):
            lines.append(_latex_segments(b.label) + r"\[" + to_latex(b.expr) + r"\]")
        elif isinstance(b, StepTree):
            if b.title:
                lines.append(rf"\paragraph{{{latex_escape(b.title)}}}")
            lines.append(r"\begin{enumerate}")
            _latex_step(b.step, lines)
            lines.append(r"\end{enumerate}")
        elif isinstance(b, Numbered):
            lines.append(r"\begin{enumerate}")
            for title, expr, why in b.items:
                shown = rf": $\displaystyle {to_latex(expr)}$" if expr is not None else ""
                lines.append(rf"\item \textbf{{{latex_escape(title)}}}{shown}\\ " + _latex_segments(why))
            lines.append(r"\end{enumerate}")
        elif isinstance(b, Verdict):
            lines += [r"\textbf{" + _latex_segments(b.segments) + "}", ""]
        else:  # pragma: no cover
            raise TypeError(f"latex cannot render {type(b).__name__}")
    return "\n".join(lines) + "\n"


def latex_document(body: str) -> str:
    """Wrap a LaTeX fragment in a minimal document that compiles on its own."""
    return ("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage[utf8]{inputenc}\n"
            "\\begin{document}\n" + body + "\\end{document}\n")


# -- Markdown ------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>$])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text))


def _md_segments(segments) -> str:
    return _latex_segments(segments, "$", "$", md_escape)


def _md_step(step: Step, depth: int, lines: list[str]) -> None:
    pad = "   " * depth
    lines.append(f"{pad}1. **{RULE_TITLES[step.rule]}**: ${step_math(step)}$  ")
    why = _md_segments(step.why)
    if step.formula:
        why += f" *({md_escape(step.formula)})*"
    lines.append(f"{pad}   {why}")
    for sub in step.substeps:
        _md_step(sub, depth + 1, lines)


def render_markdown(blocks) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += [f"### {md_escape(b.text)}", ""]
        elif isinstance(b, Para):
            lines += [_md_segments(b.segments), ""]
        elif isinstance(b, Note):
            lines += [f"> **{md_escape(b.label)}:** " + _md_segments(b.segments), ""]
        elif isinstance(b, Display):
            lines += [_md_segments(b.label), "", f"$$ {to_latex(b.expr)} $$", ""]
        elif isinstance(b, StepTree):
            if b.title:
                lines += [f"**{md_escape(b.title)}**", ""]
            _md_step(b.step, 0, lines)
            lines.append("")
        elif isinstance(b, Numbered):
            for k, (title, expr, why) in enumerate(b.items, start=1):
                shown = f": ${to_latex(expr)}$" if expr is not None else ""
                lines.append(f"{k}. **{md_escape(title)}**{shown}  ")
                lines.append(f"   {_md_segments(why)}")
            lines.append("")
        elif isinstance(b, Verdict):
            lines += [f"**{_md_segments(b.segments)}**", ""]
        else:  # pragma: no cover
            raise TypeError(f"markdown cannot render {type(b).__name__}")
    return "\n".join(lines).rstrip() + "\n"
