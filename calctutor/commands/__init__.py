"""What each CLI command does, as plain library functions: text in, result object out.

The Typer layer (calctutor/cli*.py) only collects options and hands them here; these
functions never print, so they can be called from tests, the quiz, or other programs.

``run_kind(kind, input)`` runs the command named ``kind`` on the keyword arguments of an
exercise's ``input`` (docs/interface.md: an exercise input holds its arguments by their long option
names), so the exercise bank and the quiz call every command the same way.
"""

from __future__ import annotations

import importlib

# kind -> "module:function"; each function takes the command's long option names as
# keyword arguments (``vars`` a list of names or "x,y"; ``at`` a dict {name: value} or "x=1").
KINDS = {
    "diff": "calctutor.commands.diff:run_diff_input",
    "gradient": "calctutor.commands.matrices:run_gradient",
    "jacobian": "calctutor.commands.matrices:run_jacobian",
    "hessian": "calctutor.commands.matrices:run_hessian",
    "chain": "calctutor.commands.chain:run_chain",
    "backprop": "calctutor.commands.backprop:run_backprop",
    "taylor": "calctutor.commands.taylor:run_taylor",
    "newton": "calctutor.commands.newton:run_newton",
    "descent": "calctutor.commands.descent:run_descent",
    "lagrange": "calctutor.commands.lagrange:run_lagrange",
    "fit": "calctutor.commands.fit:run_fit",
}


# long option names that are not the library's parameter names (``eval`` is a builtin no
# function here should seem to call)
_PARAMETERS = {"eval": "eval_at"}


def run_kind(kind: str, input: dict):
    """The result of command ``kind`` on ``input`` (its long option names as keys)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    module, _, name = KINDS[kind].partition(":")
    fn = getattr(importlib.import_module(module), name)
    return fn(**{_PARAMETERS.get(k, k.replace("-", "_")): v for k, v in input.items()})


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
