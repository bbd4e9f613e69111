"""Rendering: one model, many views. ``render(result, options)`` for every result and format.

A result becomes a document, a list of format-neutral blocks (``views.view``, blocks in
``doc``); each format prints the blocks (``plain``, ``rich_view``, ``latex``, ``markdown``).
JSON is the result's own ``to_json()``, the contract's shape. A new result type needs only a
view registered in ``views``.
"""

from __future__ import annotations

import json

from calctutor.render.options import FORMATS, RenderOptions


def render(result, how: RenderOptions | str, *, width: int | None = None,
           color: bool | None = None) -> str:
    """``result`` as text, printed as ``how`` says (``RenderOptions``, or a format name
    of FORMATS with ``width`` and ``color`` as keywords). Raises TypeError for a result
    type without a view."""
    options = RenderOptions.of(how, width=width, color=color)
    if options.fmt == "json":
        if not callable(getattr(result, "to_json", None)):
            raise TypeError(f"{type(result).__name__} has no JSON form")
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
    from calctutor.render.views import view

    return render_blocks(view(result), options)


def render_blocks(blocks, how: RenderOptions | str, *, width: int | None = None,
                  color: bool | None = None) -> str:
    """A document (a list of ``doc`` blocks) printed as ``how`` says (any format but json)."""
    options = RenderOptions.of(how, width=width, color=color)
    fmt = options.fmt
    if fmt == "plain":
        from calctutor.render.plain import render_plain

        return render_plain(blocks, options.width)
    if fmt == "rich":
        from calctutor.render.rich_view import render_rich

        return render_rich(blocks, options.width, options.color)
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


__all__ = ["FORMATS", "RenderOptions", "render", "render_blocks", "latex_document"]
