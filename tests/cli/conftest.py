import json

import pytest
from typer.testing import CliRunner

from calctutor.cli import app


class Run:
    """The result of one CLI invocation (through Typer's runner, stdout and stderr apart)."""

    def __init__(self, res):
        self.code = res.exit_code
        self.out = res.stdout
        self.err = res.stderr
        self.exception = res.exception

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Piped output wraps at 80 columns; these tests read the text, so they give it room (the
    # width itself is tested with COLUMNS unset in test_first_minutes.py).
    monkeypatch.setenv("COLUMNS", "100")
    runner = CliRunner()

    def invoke(*args, input=None):
        res = runner.invoke(app, list(args), input=input)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise res.exception
        return Run(res)

    return invoke
