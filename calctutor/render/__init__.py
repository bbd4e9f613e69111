"""Rendering: one model, many views. ``render(result, fmt)`` for every result and format.

A result becomes a list of blocks (``views.view``), and each format prints the blocks;
JSON is the result's own ``to_json()`` (the contract's shape).
"""

from __future__ import annotations

import json

FORMATS = ("rich", "plain", "latex", "markdown", "json")


def render(result, fmt: str, *, width: int = 80, color: bool = True) -> str:
    """``result`` as text in format ``fmt`` (one of FORMATS)."""
    if fmt == "json":
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    from calctutor.render.views import view

    blocks = view(result)
    if fmt == "plain":
        from calctutor.render.textual import render_plain

        return render_plain(blocks, width)
    if fmt == "rich":
        from calctutor.render.textual import render_rich

        return render_rich(blocks, width, color)
    if fmt == "latex":
        from calctutor.render.tex import render_latex

        return render_latex(blocks)
    if fmt == "markdown":
        from calctutor.render.tex import render_markdown

        return render_markdown(blocks)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
