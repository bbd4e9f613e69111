"""The README's usage examples: every command is there, and every example runs."""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def usage_lines() -> list[str]:
    """The example commands of the README's "Using it" section."""
    section = (ROOT / "README.md").read_text().split("## Using it", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.startswith("calctutor ")]


def test_every_command_is_in_the_readme():
    from calctutor.cli import app

    documented = {shlex.split(line)[1] for line in usage_lines()}
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert commands <= documented | {"--help"}, commands - documented


def help_examples() -> set[str]:
    from typer.main import get_command

    from calctutor.cli import app
    from calctutor.cli.helpview import example_lines

    group = get_command(app)
    return {line for c in [group, *group.commands.values()] for line in example_lines(c.epilog)}


def test_the_readme_names_only_files_that_exist():
    for line in usage_lines():
        for word in shlex.split(line):
            if word.endswith(".csv"):
                assert (ROOT / word).is_file(), line


# The README's examples that are also in a command's --help run in tests/cli/test_help_examples.py.
@pytest.mark.parametrize("line", [ln for ln in usage_lines()
                                  if "--help" not in ln and ln not in help_examples()])
def test_readme_examples_run(line, cli, monkeypatch):
    monkeypatch.chdir(ROOT)  # a fresh clone: the sample data is in examples/
    args = shlex.split(line)[1:]
    feed = "quit\n" if args[0] == "quiz" else None
    r = cli(*args, "--format", "plain", input=feed) if "--format" not in args else cli(*args)
    wrong_on_purpose = "--answer" in args
    assert r.code == (1 if wrong_on_purpose else 0), (line, r.out[-500:], r.err)
    assert r.out.strip()
