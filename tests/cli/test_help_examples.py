"""Every example in every command's --help runs, in every --format the command lists; and
--help reads at 60 and 80 columns (descriptions at least 30 wide, no word cut)."""

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command

from calctutor.cli import app
from calctutor.cli.helpview import MIN_DESCRIPTION, example_lines

ROOT = Path(__file__).resolve().parent.parent.parent
GROUP = get_command(app)
# Commands whose exit code is a verdict: 1 is a right answer to "is it the same?" / "is my
# answer right?", not a failure.
VERDICT = ("--answer", "-a")


def all_examples() -> list[tuple[str, str]]:
    """(command, example line) for every example of the group's and every command's help."""
    out = []
    for name, command in GROUP.commands.items():
        lines = example_lines(command.epilog)
        assert lines, f"calctutor {name} --help has no examples"
        out += [(name, line) for line in lines]
    # the group's own examples, unless a command already has them
    seen = {line for _, line in out}
    return [("", line) for line in example_lines(GROUP.epilog) if line not in seen] + out


def formats_of(name: str) -> list[str]:
    (param,) = [p for p in GROUP.commands[name].params if "--format" in getattr(p, "opts", ())]
    return [getattr(c, "value", c) for c in param.type.choices]


def planned_runs() -> list[tuple[str, str, str | None]]:
    """Each example once; the ones without --format in the command's formats in turn, and the
    first example again in every format the examples did not reach."""
    runs, by_command = [], {}
    for name, line in all_examples():
        by_command.setdefault(name, []).append(line)
    for name, lines in by_command.items():
        formats = formats_of(name) if name else ["plain"]
        reached = set()
        for k, line in enumerate(lines):
            if "--format" in line:
                runs.append((name, line, None))
                reached.add(shlex.split(line)[shlex.split(line).index("--format") + 1])
                continue
            fmt = formats[k % len(formats)]
            reached.add(fmt)
            runs.append((name, line, fmt))
        runs += [(name, lines[0], fmt) for fmt in formats if fmt not in reached]
    return runs


def split_example(line: str) -> tuple[list[str], str | None]:
    """The words after ``calctutor`` and the text piped in (``printf '...' | calctutor ...``);
    a ``> file`` redirection is dropped (the output is captured)."""
    feed = None
    if " | calctutor " in line:
        producer, line = line.split(" | ", 1)
        (text,) = shlex.split(producer)[1:]
        feed = text.encode().decode("unicode_escape")
    words = shlex.split(line)
    assert words[0] == "calctutor", line
    if ">" in words:
        words = words[: words.index(">")]
    return words[1:], feed


def test_examples_are_one_per_line_and_each_names_its_command():
    for name, line in all_examples():
        assert line.count("calctutor ") == 1, line
        if name:
            assert f"calctutor {name} " in line or line.endswith(f"calctutor {name}"), line


def test_the_examples_reach_every_listed_format():
    runs = planned_runs()
    for name in GROUP.commands:
        used = {fmt or shlex.split(line)[shlex.split(line).index("--format") + 1]
                for n, line, fmt in runs if n == name}
        assert used == set(formats_of(name)), name


@pytest.mark.parametrize("name, line, fmt", planned_runs(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None)
def test_every_help_example_runs(name, line, fmt, cli, monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples' sample data: examples/data.csv, examples/heights.csv
    words, feed = split_example(line)
    if fmt is not None and words and words[0] != "--help":
        words += ["--format", fmt]
    if words[:1] == ["quiz"] and feed is None:
        feed = "quit\n"
    r = cli(*words, input=feed)
    verdict = any(w in VERDICT for w in words) or words[:1] == ["equiv"]
    assert r.code in ((0, 1) if verdict else (0,)), (line, fmt, r.err, r.out[-400:])
    assert r.out.strip(), (line, fmt)
    assert "Traceback" not in r.err
    if fmt == "json" or "json" in words:
        json.loads(r.out)


def test_calctutor_alone_is_the_help(cli):
    r = cli()
    assert r.code == 0 and not r.err
    assert all(f"\n│ {name} " in r.out for name in GROUP.commands)


# --- help at 60 and 80 columns -------------------------------------------------------------

def help_texts(width):
    from calctutor.cli.helpview import render_help

    ctx = GROUP.make_context("calctutor", ["--help"], resilient_parsing=True)
    yield "", render_help(GROUP, ctx, width=width)
    for name, command in GROUP.commands.items():
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        yield name, render_help(command, sub, width=width)


def description_columns(text):
    """Where each panel row's description starts and how wide it may be: the column after
    the label (two spaces after the label's end) up to the panel's right border."""
    widths = []
    for row in text.splitlines():
        m = re.match(r"^│ (\S+(?: \S+)*)  +(\S.*?) *│$", row)
        if m:
            start = m.start(2)
            widths.append(len(row) - 1 - start)
    return widths


@pytest.mark.parametrize("width", [60, 80])
def test_help_descriptions_get_the_width(width):
    for name, text in help_texts(width):
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= width, name
        columns = description_columns(text)
        assert columns, name
        assert min(columns) >= MIN_DESCRIPTION - 1, (name, min(columns))
        # no word cut: Rich marks a cut with an ellipsis; the text has none of its own
        assert "…" not in text, name


def test_help_uses_one_placeholder_style():
    for name, text in help_texts(80):
        labels = [m.group(1) for m in re.finditer(r"^│ (\S+(?: \S+)*)(?:  +\S.*?)? *│$", text, re.M)]
        for label in labels:
            for word in label.replace(",", " ").split():
                if not word.startswith("-") and word != "/":
                    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", word) or name == "" or \
                        word in GROUP.commands, (name, label)
        usage = text.split("Usage: ", 1)[1].splitlines()[0]
        assert not re.search(r"<\w+>|\{\w+\}|\bTEXT\b", text + usage), name


def test_help_reads_at_the_terminal_width_from_COLUMNS(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    r = cli("diff", "--help")
    assert r.code == 0
    assert max(len(line) for line in r.out.splitlines()) <= 60
    assert "-x^2" in r.out  # the example of an expression that starts with "-"


@pytest.mark.parametrize("width", [60, 80])
def test_a_wrapped_example_is_still_the_same_shell_command(width):
    from calctutor.cli.helpview import _wrap_command

    for _, line in all_examples():
        pieces = _wrap_command(line, width - 4)
        assert all(len(p) + 2 <= width for p in pieces if " " in p.strip()), pieces
        assert all(p.endswith(" \\") for p in pieces[:-1])
        joined = " ".join(p.removesuffix(" \\").strip() for p in pieces)
        assert shlex.split(joined) == shlex.split(line)
