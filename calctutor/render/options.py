"""How a document is printed: the format, the terminal width and colour, as one value.

Cheap to import (no SymPy, no Rich): the CLI builds one at start-up and hands it down.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("rich", "plain", "latex", "markdown", "json")


@dataclass(frozen=True)
class RenderOptions:
    """``fmt`` is one of ``FORMATS``; ``width`` the terminal width rich and plain wrap to;
    ``color`` False prints rich without ANSI escapes (NO_COLOR, a pipe)."""

    fmt: str = "plain"
    width: int = 80
    color: bool = True

    def __post_init__(self):
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown format {self.fmt!r} (choose from {', '.join(FORMATS)})")

    @classmethod
    def of(cls, how: "RenderOptions | str", *, width: int | None = None,
           color: bool | None = None) -> "RenderOptions":
        """``how`` as options: a format name (with ``width``/``color`` when given), or
        options as they are (``width``/``color`` still override)."""
        base = how if isinstance(how, RenderOptions) else cls(how)
        return cls(base.fmt, base.width if width is None else width,
                   base.color if color is None else color)
