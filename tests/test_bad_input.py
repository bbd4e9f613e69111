"""Bad input of every kind: refused in-process within 2 s as ParseError/LimitError, and
through the CLI as exit 2 with exactly one ``Error:`` line on stderr, never a traceback;
no payload runs code."""

import subprocess
import sys
import time

import pytest

from calctutor.errors import LimitError, ParseError
from calctutor.parsing import parse_expression
from tests.cli.conftest import Run

CORPUS = [
    # code injection
    "__import__('os').system('touch PWNED')",
    "__import__(\"os\")",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "x.__dict__",
    "lambda: 1",
    "lambda x: x",
    "exec('print(1)')",
    "eval('1+1')",
    "open('/etc/passwd').read()",
    "globals()",
    "import os",
    "os.system('ls')",
    "'a' + 'b'",
    "\"x\" * 3",
    "chr(95)*2 + 'import' + chr(95)*2",
    "getattr(x, 'real')",
    "x; import os",
    "x if 1 else 2",
    "[c for c in ()]",
    "sympify('x')",
    "Symbol('x')",
    "ｅｘｅｃ(1)",                       # fullwidth letters spelling exec
    "__builtins__",
    "x.real",
    "@x",
    "x = 1; y",
    # brackets and emptiness
    "(x + 1",
    "x + 1)",
    "((((x))",
    "[x + 1)",
    "sin(",
    "",
    "   ",
    "\t\n",
    "x +",
    "* x",
    "x ^",
    "||",
    # control, invisible and bidi characters, homoglyphs
    "x\x00 + 1",
    "x\x07",
    "x\u200b + 1",
    "x\u2066 + 1\u2069",
    "x\u202e1 + \u202c",
    "\ufeffx",
    "хˆ2",                                  # Cyrillic х and a modifier circumflex
    "sіn(x)",                               # Cyrillic і
    "\x1b[31mx",
    # huge numbers and deep or long input
    "9^9^9",
    "factorial(10^8)",
    "1e100000000",
    "exp(exp(exp(10 e)))",
    "10^10^10",
    "(10^1000)!",
    "2^(2^(2^(2^(2^10))))",
    "9" * 5000,
    "x+" * 5000 + "x",
    "(" * 500 + "x" + ")" * 500,
    "sin(" * 500 + "x" + ")" * 500,
    # notation that would silently be another function if read at all
    "n!!",
    "x!!!",
    "f'(x)",
    "x'",
    "dy/dx",
    "d/dx x^2",
    "∂f/∂x",
    "2.5.3",
    "W[1][2]",
    "x_1[2]",
]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """The CLI through Typer's runner (as tests/cli/conftest.py), stdout and stderr apart."""
    from typer.testing import CliRunner

    from calctutor.cli import app

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    runner = CliRunner()
    return lambda *args: Run(runner.invoke(app, list(args)))


def test_the_corpus_is_large():
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("text", CORPUS)
def test_refused_in_process_quickly(text):
    start = time.monotonic()
    with pytest.raises((ParseError, LimitError)) as info:
        parse_expression(text)
    # a generous bound (10x the usual time) on shared hardware: a parser that tried the
    # exponential work these inputs ask for would take minutes, not seconds
    assert time.monotonic() - start < 20.0, text
    message = str(info.value)
    assert message and "\n" not in message.strip()


def test_cli_refuses_every_one_with_one_error_line(cli):
    for text in CORPUS:
        r = cli("diff", text)
        assert r.code == 2, (text, r.code, r.out, r.err)
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (text, r.err)
        assert "Traceback" not in r.err + r.out


@pytest.mark.parametrize("text", ["__import__('os').system('touch X')", "9^9^9",
                                  "x\u200b"])
def test_real_process_refuses_with_one_error_line(text, tmp_path):
    res = subprocess.run([sys.executable, "-m", "calctutor", "diff", text], capture_output=True,
                         text=True, timeout=60, cwd=tmp_path)
    assert res.returncode == 2, res
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "Traceback" not in res.stderr


PAYLOADS = [
    "__import__('os').system('touch {p}')",
    "__import__('pathlib').Path('{p}').touch()",
    "open('{p}', 'w').write('x')",
    "exec(\"open('{p}', 'w')\")",
    "eval(\"__import__('os').system('touch {p}')\")",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_create_no_file(payload, tmp_path, cli, monkeypatch):
    target = tmp_path / "created-by-payload"
    text = payload.format(p=target)
    monkeypatch.chdir(tmp_path)
    with pytest.raises((ParseError, LimitError)):
        parse_expression(text)
    for command in (["diff", text], ["equiv", text, "x"]):
        assert cli(*command).code == 2
    assert not target.exists()
