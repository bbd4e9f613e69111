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


@pytest.mark.parametrize("line", [ln for ln in usage_lines() if "--help" not in ln])
def test_readme_examples_run(line, cli, tmp_path, monkeypatch):
    # the course's straight-line data for the fit examples
    (tmp_path / "data.csv").write_text("x,y\n0,1\n1,3\n2,4\n3,8\n")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(line)[1:]
    r = cli(*args, "--format", "plain") if "--format" not in args else cli(*args)
    wrong_on_purpose = "--answer" in args
    assert r.code == (1 if wrong_on_purpose else 0), (line, r.out[-500:], r.err)
    assert r.out.strip()
