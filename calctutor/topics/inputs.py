"""The forms a command's inputs may take from Python or an exercise, turned into its text."""

from __future__ import annotations


def point_text(at) -> str | None:
    """``{"x": "1", "y": "2"}`` -> ``"x=1,y=2"``; text and None pass through."""
    if at is None or isinstance(at, str):
        return at
    if isinstance(at, dict):
        return ",".join(f"{k}={v}" for k, v in at.items())
    return ",".join(str(v) for v in at)


def names_list(vars_) -> list[str]:
    """``"x,y"`` or ``["x", "y"]`` (or None) -> a list of names."""
    if vars_ is None:
        return []
    if isinstance(vars_, str):
        from calctutor.parsing import parse_names

        return parse_names(vars_)
    return [str(v) for v in vars_]
