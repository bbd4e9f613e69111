"""Rendering: one model, many views. ``render(result, fmt)`` for every result and format.

A result becomes a document, a list of format-neutral blocks (``views.view``, blocks in
``doc``); each format prints the blocks (``plain``, ``rich_view``, ``latex``, ``markdown``).
JSON is the result's own ``to_json()``, the contract's shape. A new result type needs only a
view registered in ``views``.
"""

from __future__ import annotations

import json

FORMATS = ("rich", "plain", "latex", "markdown", "json")


def render(result, fmt: str, *, width: int = 80, color: bool = True) -> str:
    """``result`` as text in format ``fmt`` (one of FORMATS).

    ``width`` is the terminal width for rich and plain; ``color`` False gives rich without
    ANSI escapes (NO_COLOR). Raises TypeError for a result type without a view.
    """
    if fmt == "json":
        if not callable(getattr(result, "to_json", None)):
            raise TypeError(f"{type(result).__name__} has no JSON form")
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    from calctutor.render.views import view

    return render_blocks(view(result), fmt, width=width, color=color)


def render_blocks(blocks, fmt: str, *, width: int = 80, color: bool = True) -> str:
    """A document (a list of ``doc`` blocks) in format ``fmt`` (any of FORMATS but json)."""
    if fmt == "plain":
        from calctutor.render.plain import render_plain

        return render_plain(blocks, width)
    if fmt == "rich":
        from calctutor.render.rich_view import render_rich

        return render_rich(blocks, width, color)
    if fmt == "latex":
        from calctutor.render.latex import render_latex

        return render_latex(blocks)
    if fmt == "markdown":
        from calctutor.render.markdown import render_markdown

        return render_markdown(blocks)
    raise ValueError(f"cannot render a document as {fmt!r} (choose rich, plain, latex or markdown)")


def latex_document(body: str) -> str:
    """Wrap a LaTeX fragment (``render(..., "latex")``) in a minimal article that compiles."""
    from calctutor.render.latex import latex_document as wrap

    return wrap(body)


__all__ = ["FORMATS", "render", "render_blocks", "latex_document"]
