"""``--help`` laid out for a narrow terminal: descriptions get the width, examples one a line.

Typer's own layout gives every option five columns (long name, short name, negative names,
type, description), so at 80 columns a description gets about 19 characters and wraps over
several lines, and at 60 words are cut. Here an option is one label (``-n, --order N``) and
its description; the label column is capped so the description keeps at least
``MIN_DESCRIPTION`` characters, and a longer label gets a line of its own. An example that does
not fit is broken between shell words, with `` \\`` at the end of each line so that it can
still be pasted into a shell.

Rich and Typer only, never SymPy: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

import inspect
import io
import os
import shutil
import sys

from typer.core import TyperCommand

MIN_DESCRIPTION = 30
MAX_WIDTH = 100
EXAMPLES = "Examples:"


def examples(*lines: str) -> str:
    """The epilog of a command: its examples, one per line (``calctutor ...``)."""
    return EXAMPLES + "\n" + "\n".join(lines)


def example_lines(epilog: str | None) -> list[str]:
    """The examples of an epilog made by ``examples``."""
    if not epilog or not epilog.startswith(EXAMPLES):
        return []
    return [line for line in epilog.splitlines()[1:] if line.strip()]


def help_width() -> int:
    """The width help is laid out for: COLUMNS when set, else the terminal's, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif sys.stdout.isatty():
        width = shutil.get_terminal_size((80, 24)).columns
    else:
        width = 80
    return max(40, min(width, MAX_WIDTH))


class Command(TyperCommand):
    """A Typer command whose ``--help`` is laid out by ``render_help``."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(render_help(self, ctx))


def render_help(command, ctx, width: int | None = None) -> str:
    """The help of ``command`` (a command or the group) as text, ANSI-styled on a terminal."""
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    width = width or help_width()
    tty = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=tty, no_color=not tty,
                      highlight=False, emoji=False)

    usage = " ".join([ctx.command_path, *_usage_pieces(command, ctx)])
    console.print(Padding(Text.assemble(("Usage: ", "yellow"), (usage, "bold")), (1, 1, 0, 1)))
    paragraphs = _paragraphs(command.help or "")
    for k, paragraph in enumerate(paragraphs):
        console.print(Padding(Text(paragraph, style="" if k == 0 else "dim"), (1, 1, 0, 1)))
    console.print()

    inner = width - 4  # the panel's border and padding
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.get_params(ctx) if p.param_type_name == "option"
               and not getattr(p, "hidden", False)]
    sections = [
        ("Arguments", [(_metavar(p), _describe(p)) for p in arguments]),
        ("Options", [(_label(p), _describe(p)) for p in options]),
    ]
    commands = getattr(command, "commands", None)
    if commands:
        sections.append(("Commands", [(name, _first_sentence(c)) for name, c in commands.items()
                                      if not c.hidden]))
    for title, rows in sections:
        if rows:
            body = Group(*_rows(rows, inner))
            console.print(Panel(body, title=title, title_align="left", border_style="dim",
                                padding=(0, 1)))

    lines = example_lines(command.epilog)
    if lines:
        console.print(Padding(Text("Examples", style="bold"), (1, 1, 0, 1)))
        for line in lines:
            for piece in _wrap_command(line, width - 4):
                console.print(Text("  " + piece, style="cyan"), soft_wrap=True)
        console.print()
    elif command.epilog:
        console.print(Padding(Text(" ".join(command.epilog.split())), (1, 1)))
    return buffer.getvalue()


def _rows(rows, inner):
    """One renderable per row: label and description side by side when the label fits the
    capped column, else the label on its own line and the description under it."""
    from rich.table import Table
    from rich.text import Text

    gap = 2
    cap = max(8, inner - gap - MIN_DESCRIPTION)
    fitting = [len(label) for label, _ in rows if len(label) <= cap]
    column = max(fitting) if fitting else cap
    out = []
    for label, text in rows:
        grid = Table.grid(padding=(0, gap, 0, 0))
        grid.add_column(width=column, no_wrap=True)
        grid.add_column(ratio=1)
        name = Text(label, style="bold cyan")
        if len(label) > column:
            out.append(name)
            grid.add_row("", Text(text))
        else:
            grid.add_row(name, Text(text))
        out.append(grid)
    return out


def _paragraphs(text: str) -> list[str]:
    """The help text's paragraphs, each on one line (Click's \\f ends the help)."""
    text = inspect.cleandoc(text).partition("\f")[0]
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _first_sentence(command) -> str:
    paragraphs = _paragraphs(command.short_help or command.help or "")
    return paragraphs[0] if paragraphs else ""


def _metavar(param) -> str:
    """The placeholder of a parameter, one style for all: upper case (EXPR, POINT, N)."""
    if param.metavar:
        return param.metavar
    name = (param.name or "").rstrip("_")
    if param.param_type_name == "argument":
        return name.upper()
    kind = getattr(param.type, "name", "")
    if kind == "integer" or kind == "integer range":
        return "N"
    if kind == "float":
        return "NUM"
    return name.upper()


def _label(param) -> str:
    names = sorted(param.opts, key=lambda n: (n.startswith("--"), n))
    label = ", ".join(names)
    if param.secondary_opts:
        label += " / " + ", ".join(param.secondary_opts)
    if not (param.is_flag or param.count):
        label += " " + _metavar(param)
    return label


def _describe(param) -> str:
    """The help text of a parameter, with its default and range when it has them."""
    text = " ".join((getattr(param, "help", None) or "").split())
    extras = []
    choices = getattr(param.type, "choices", None)
    if choices and not all(str(c) in text for c in choices):
        extras.append("one of: " + ", ".join(str(getattr(c, "value", c)) for c in choices))
    describe_range = getattr(param.type, "_describe_range", None)
    if describe_range is not None:
        extras.append(describe_range())
    default = getattr(param, "default", None)
    shown = getattr(param, "show_default", True) is not False
    if param.param_type_name == "option" and shown and "default" not in text.lower():
        if param.secondary_opts and isinstance(default, bool):
            extras.append("default: " + (param.opts[0] if default else param.secondary_opts[0]))
        elif not param.is_flag and default is not None and not param.multiple \
                and not callable(default):
            extras.append(f"default: {getattr(default, 'value', default)}")
    if extras:
        text = f"{text} [{'; '.join(extras)}]" if text else f"[{'; '.join(extras)}]"
    return text


def _usage_pieces(command, ctx) -> list[str]:
    pieces = ["[OPTIONS]"] if any(p.param_type_name == "option" for p in command.get_params(ctx)) else []
    for param in command.params:
        if param.param_type_name == "argument":
            name = _metavar(param) + ("..." if param.nargs < 0 else "")
            pieces.append(name if param.required else f"[{name}]")
    if getattr(command, "commands", None):
        pieces.append("COMMAND [ARGS]...")
    return pieces


def _wrap_command(line: str, width: int) -> list[str]:
    """``line`` broken between shell words (never inside a quoted word) into lines of at most
    ``width``, each but the last ending in `` \\`` and the next indented."""
    if len(line) <= width:
        return [line]
    words, units = _shell_words(line), []
    while words:  # an option stays on one line with its value
        take = 2 if len(words) > 1 and words[0].startswith("-") and not words[1].startswith("-") \
            else 1
        units.append(" ".join(words[:take]))
        words = words[take:]
    words = units
    out, current = [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) + 2 > width:
            out.append(current + " \\")
            current = "    " + word
        else:
            current = candidate
    out.append(current)
    return out


def _shell_words(line: str) -> list[str]:
    """The words of a shell line, each with its quotes as typed."""
    words, current, quote = [], "", None
    for char in line:
        if quote:
            current += char
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current += char
        elif char == " ":
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    if current:
        words.append(current)
    return words
