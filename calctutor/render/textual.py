"""Plain text (ASCII, for logs and pipes) and Rich (the terminal) renderings of a document."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.markup import escape  # noqa: F401  (documented: never pass user text as markup)
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text
from rich.tree import Tree

from calctutor.notation import to_pretty, to_text
from calctutor.render.doc import (
    Display,
    Heading,
    Note,
    Numbered,
    Para,
    StepTree,
    Verdict,
    derivative_label,
)
from calctutor.steps.model import RULE_TITLES, Step

_ASCII = {
    "·": "*", "²": "^2", "ⁿ": "^n", "⁻¹": "^-1", "ˣ": "^x", "√": "sqrt", "→": "->", "≠": "!=",
    "∂": "d", "−": "-", "…": "...", "≥": ">=", "≤": "<=", "×": "x", "—": "-", "–": "-",
}


def clean(text: str) -> str:
    """Replace control characters so user text can never drive the terminal."""
    return "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)


def ascii_text(text: str) -> str:
    for k, v in _ASCII.items():
        text = text.replace(k, v)
    return "".join(ch if ord(ch) < 128 else "?" for ch in clean(text))


def seg_text(segments) -> str:
    return "".join(clean(s) if isinstance(s, str) else to_text(s) for s in segments)


def _partial(step: Step) -> bool:
    return bool(step.expr.free_symbols - {step.var}) and step.rule != "rewrite"


def step_header(step: Step) -> str:
    title = RULE_TITLES[step.rule]
    if step.rule == "rewrite":
        return f"{title}: {to_text(step.expr)} = {to_text(step.result)}"
    label = seg_text(derivative_label(step.expr, step.var, _partial(step)))
    return f"{title}: {label} = {to_text(step.result)}"


# -- plain ---------------------------------------------------------------------------------
def _plain_step(step: Step, number: str, lines: list[str]) -> None:
    indent = "   " * (number.count("."))
    lines.append(ascii_text(f"{indent}{number} {step_header(step)}"))
    why = step.text
    if step.formula:
        why += f"  [{step.formula}]"
    lines.append(ascii_text(f"{indent}{' ' * (len(number) + 1)}{why}"))
    for k, sub in enumerate(step.substeps, start=1):
        _plain_step(sub, f"{number}{k}.", lines)


def render_plain(blocks, width: int = 80) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += [ascii_text(b.text), "=" * min(len(b.text), width)]
        elif isinstance(b, Para):
            lines.append(ascii_text(seg_text(b.segments)))
        elif isinstance(b, Note):
            lines.append(ascii_text(f"{b.label}: {seg_text(b.segments)}"))
        elif isinstance(b, Display):
            lines.append(ascii_text(seg_text(b.label) + to_text(b.expr)))
        elif isinstance(b, StepTree):
            if b.title:
                lines += ["", ascii_text(b.title)]
            lines.append("Steps:")
            _plain_step(b.step, "1.", lines)
        elif isinstance(b, Numbered):
            for k, (title, expr, why) in enumerate(b.items, start=1):
                shown = f" = {to_text(expr)}" if expr is not None else ""
                lines.append(ascii_text(f"{k}. {title}{shown}"))
                lines.append(ascii_text(f"   {seg_text(why)}"))
        elif isinstance(b, Verdict):
            mark = {True: "YES", False: "NO", None: "UNDECIDED"}[b.ok]
            lines.append(ascii_text(f"{mark}: {seg_text(b.segments)}"))
        else:  # pragma: no cover - a new block type without a renderer is a bug
            raise TypeError(f"plain cannot render {type(b).__name__}")
    return "\n".join(lines) + "\n"


# -- rich ----------------------------------------------------------------------------------
RULE_STYLE = "bold cyan"
EXPR_STYLE = "bold"


def _rich_segments(segments, style: str = "") -> Text:
    text = Text(style=style)
    for s in segments:
        if isinstance(s, str):
            text.append(clean(s))
        else:
            text.append(to_text(s), style=EXPR_STYLE)
    return text


def _rich_step(step: Step, tree: Tree | None) -> Tree:
    label = Text()
    label.append(RULE_TITLES[step.rule], style=RULE_STYLE)
    label.append("  ")
    if step.rule == "rewrite":
        label.append(to_text(step.expr), style=EXPR_STYLE)
    else:
        label.append_text(_rich_segments(derivative_label(step.expr, step.var, _partial(step))))
    label.append(" = ")
    label.append(to_text(step.result), style="bold green")
    body = Text("\n")
    body.append_text(_rich_segments(step.why, style="italic"))
    if step.formula:
        body.append("\n")
        body.append(step.formula, style="dim")
    label.append_text(body)
    node = tree.add(label) if tree is not None else Tree(label, guide_style="dim")
    for sub in step.substeps:
        _rich_step(sub, node)
    return node


def _pretty(expr, width: int) -> Text:
    return Text(to_pretty(expr, width=max(20, width - 6)))


def rich_renderables(blocks, width: int):
    out = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(Rule(Text(b.text, style="bold"), align="left"))
        elif isinstance(b, Para):
            out.append(_rich_segments(b.segments))
        elif isinstance(b, Note):
            t = Text(f"{b.label}: ", style="yellow")
            t.append_text(_rich_segments(b.segments))
            out.append(t)
        elif isinstance(b, Display):
            label = _rich_segments(b.label)
            pretty = _pretty(b.expr, width)
            if "\n" in pretty.plain:
                out.append(Group(label, pretty))
            else:
                label.append_text(Text(pretty.plain, style="bold green"))
                out.append(label)
        elif isinstance(b, StepTree):
            tree = _rich_step(b.step, None)
            out.append(Panel(tree, title=b.title or "Steps", title_align="left", border_style="blue"))
        elif isinstance(b, Numbered):
            for k, (title, expr, why) in enumerate(b.items, start=1):
                head = Text(f"{k}. {title}", style=RULE_STYLE)
                parts = [head]
                if expr is not None:
                    parts.append(Text("   ") + _pretty(expr, width - 3))
                parts.append(Text("   ") + _rich_segments(why, style="italic"))
                out.append(Group(*parts))
        elif isinstance(b, Verdict):
            style = {True: "bold green", False: "bold red", None: "bold yellow"}[b.ok]
            out.append(_rich_segments(b.segments, style=style))
        else:  # pragma: no cover
            raise TypeError(f"rich cannot render {type(b).__name__}")
    return out


def render_rich(blocks, width: int = 80, color: bool = True) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, markup=False, legacy_windows=False)
    for r in rich_renderables(blocks, width):
        console.print(r)
    return buf.getvalue()
