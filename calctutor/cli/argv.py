"""Expressions that start with ``-`` on the command line (``calctutor diff "-x^2"``).

Click reads every word that starts with ``-`` as an option, so ``-x^2`` fails with "No such
option: -x". Ignoring unknown options would swallow mistyped ones (``--fromat``), so instead
the words are sorted before Click sees them, using the command's own option table:

- a word that is one of the command's option names (``-n``, ``--order``), or a long name with
  ``=value`` (``--order=3``), is that option; an option that takes a value takes the next word
  whatever it looks like (``--answer "-2x"``);
- a word starting with ``--`` is always an option, so a mistyped one (``--fromat``) still gets
  Click's error and its "did you mean" (before any other error);
- any other word starting with ``-`` is an expression when the command still has a place for
  one; the exception is a word Click could read as short options glued together or to their
  value (``-n3``, ``-vy``): it is an expression only if the command's required expressions
  are not given elsewhere (``diff "x y" -vy`` differentiates with respect to y, ``diff -vy``
  differentiates -v y);
- after ``--`` the next words are expressions whatever they look like, as many as the command
  takes; options may follow them (``calctutor diff -- "-x^2" --format plain``).

The words are then handed to Click as options first, then ``--``, then the expressions in
their order, so Click never sees an expression where it expects an option.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Table:
    """The option names of one command, and which of them take a value."""

    takes_value: dict[str, bool] = field(default_factory=dict)
    slots: float = 0  # how many expressions the command takes (inf: any number)
    required: int = 0  # how many of them it needs

    def short_reading(self, word: str) -> bool:
        """Can Click read ``word`` (``-abc``) as short options, glued together or to a value?"""
        for char in word[1:]:
            takes = self.takes_value.get("-" + char)
            if takes is None:
                return False
            if takes:
                return True  # the rest of the word (or the next word) is its value
        return True


def _table(command, help_names) -> _Table:
    table = _Table()
    for name in help_names:
        table.takes_value[name] = False
    for param in command.params:
        if param.param_type_name == "option":
            takes = not (param.is_flag or param.count)
            for name in (*param.opts, *param.secondary_opts):
                table.takes_value[name] = takes
        elif param.param_type_name == "argument":
            table.slots += float("inf") if param.nargs < 0 else param.nargs
            if param.required:
                table.required += max(param.nargs, 1)
    return table


def rewrite(group, args: list[str]) -> list[str]:
    """``args`` (the words after ``calctutor``) with every expression that starts with ``-``
    moved after a ``--``, so Click reads it as an expression; unchanged when there is none."""
    help_names = list((group.context_settings or {}).get("help_option_names", ["--help"]))
    top = _table(group, help_names)
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        i += 2 if top.takes_value.get(args[i].split("=", 1)[0]) and "=" not in args[i] else 1
    if i >= len(args) or args[i] not in getattr(group, "commands", {}):
        return args
    command = group.commands[args[i]]
    head, words = args[: i + 1], args[i + 1:]
    sorted_words = _sort(_table(command, help_names), words)
    return args if sorted_words is None else head + sorted_words


def _sort(table: _Table, words: list[str]) -> list[str] | None:
    # Each word is an option (with its value), an expression, or undecided until we know
    # whether the command's expressions are given elsewhere.
    kinds: list[tuple[str, list[str]]] = []  # ("option" | "expr" | "dash" | "glued", words)
    j = 0
    saw_dashes = "--" in words
    after_dashes = 0  # expressions still to be read verbatim after a "--"
    while j < len(words):
        word = words[j]
        if after_dashes:
            kinds.append(("expr", [word]))
            after_dashes -= 1
        elif word == "--":
            given = sum(1 for kind, _ in kinds if kind == "expr")
            after_dashes = table.slots - given
            if after_dashes == float("inf"):
                kinds.extend(("expr", [w]) for w in words[j + 1:])
                break
            after_dashes = max(int(after_dashes), 0)
        elif not word.startswith("-") or word == "-":
            kinds.append(("expr", [word]))
        else:
            name, has_value = word.split("=", 1)[0], "=" in word
            takes = table.takes_value.get(word)
            if takes is not None:
                value = words[j + 1: j + 2] if takes else []
                kinds.append(("option", [word, *value]))
                j += len(value)
            elif word.startswith("--"):
                known = table.takes_value.get(name)
                if known is None:  # mistyped: Click's error (and its "did you mean") first
                    return [word, *words[:j], *words[j + 1:]]
                value = words[j + 1: j + 2] if known and not has_value else []
                kinds.append(("option", [word, *value]))
                j += len(value)
            elif table.short_reading(word):
                kinds.append(("glued", [word]))
            else:
                kinds.append(("dash", [word]))
        j += 1

    if not saw_dashes and not any(kind in ("dash", "glued") for kind, _ in kinds):
        return None
    free = table.slots - sum(1 for kind, _ in kinds if kind == "expr")
    needed = table.required - sum(1 for kind, _ in kinds if kind == "expr")
    decided = []
    for kind, group_words in kinds:
        if kind == "dash" and free > 0:
            kind, free, needed = "expr", free - 1, needed - 1
        decided.append((kind, group_words))
    final = []
    for kind, group_words in decided:
        if kind == "glued" and needed > 0 and free > 0:
            kind, free, needed = "expr", free - 1, needed - 1
        final.append((kind, group_words))
    if not saw_dashes and not any(kind == "expr" and ws[0].startswith("-") for kind, ws in final):
        return None
    options = [w for kind, ws in final if kind != "expr" for w in ws]
    expressions = [ws[0] for kind, ws in final if kind == "expr"]
    return [*options, "--", *expressions]
