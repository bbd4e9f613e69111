"""The topics of the course, one package each, behind one registry: ``TOPICS``.

A topic package (``calctutor/topics/<name>/``) holds everything about its commands: the
mathematics and result types, ``mistakes.py`` (its mal-rules), ``views.py`` (its results as
documents) and ``run.py`` (one library function per command, ``run_<command>``, taking the
command's long option names as keyword arguments; they never print). The CLI module of the
same name (``calctutor/cli/<name>.py``) adds the Typer commands.

Everything that lists commands is derived from ``TOPICS``: the CLI registration, the
exercise bank's kinds, ``run_kind``, which modules a worker imports ahead, and the start-up
test. This module imports nothing heavy: ``calctutor --help`` reads it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Topic:
    """One topic package and the commands it provides (each is also an exercise kind)."""

    name: str
    commands: tuple[str, ...]
    exercises: bool = True  # whether the exercise bank may use these commands as kinds

    @property
    def package(self) -> str:
        return f"{__name__}.{self.name}"

    def module(self, part: str) -> ModuleType:
        """The topic's module ``part`` ("run", "views", "mistakes"), imported on first use."""
        return importlib.import_module(f"{self.package}.{part}")

    def runner(self, command: str):
        """The library function of ``command``: ``run.run_<command>``."""
        return getattr(self.module("run"), f"run_{command}")


TOPICS: tuple[Topic, ...] = (
    Topic("diff", ("diff",)),
    Topic("equiv", ("equiv",), exercises=False),
    Topic("matrices", ("gradient", "jacobian", "hessian")),
    Topic("chain", ("chain", "backprop", "network")),
    Topic("series", ("taylor", "newton")),
    Topic("optimise", ("descent", "lagrange", "fit")),
)

COMMANDS: dict[str, Topic] = {c: t for t in TOPICS for c in t.commands}
"""Every computing command, with the topic that provides it."""

KINDS: tuple[str, ...] = tuple(c for t in TOPICS if t.exercises for c in t.commands)
"""The commands an exercise may name as its ``kind``."""

# long option names that are not the library's parameter names (``eval`` is a builtin no
# function here should seem to call)
_PARAMETERS = {"eval": "eval_at"}


def topic_of(command: str) -> Topic:
    """The topic that provides ``command`` (ValueError for an unknown one: a bug)."""
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r} (known: {', '.join(COMMANDS)})")
    return COMMANDS[command]


def run_kind(kind: str, input: dict):
    """The result of command ``kind`` on ``input`` (its long option names as keys)."""
    fn = topic_of(kind).runner(kind)
    return fn(**{_PARAMETERS.get(k, k.replace("-", "_")): v for k, v in input.items()})


__all__ = ["COMMANDS", "KINDS", "TOPICS", "Topic", "run_kind", "topic_of"]
