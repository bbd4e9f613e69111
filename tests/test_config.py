"""The limits are read from the environment in one place, and a bad value is a clear error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from calctutor import config
from calctutor.errors import UsageError


def test_defaults_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv(config.TIME_LIMIT_VAR, raising=False)
    monkeypatch.setenv(config.MEMORY_LIMIT_VAR, "  ")
    assert config.time_limit_s() == 20.0 and config.memory_limit_mb() == 2048


def test_values_are_read_when_a_computation_starts(monkeypatch):
    monkeypatch.setenv(config.TIME_LIMIT_VAR, "2.5")
    monkeypatch.setenv(config.MEMORY_LIMIT_VAR, "512")
    assert config.time_limit_s() == 2.5 and config.memory_limit_mb() == 512


@pytest.mark.parametrize("var, value", [
    (config.TIME_LIMIT_VAR, "abc"), (config.TIME_LIMIT_VAR, "-5"), (config.TIME_LIMIT_VAR, "0"),
    (config.TIME_LIMIT_VAR, "inf"), (config.TIME_LIMIT_VAR, "nan"), (config.MEMORY_LIMIT_VAR, "2.5"),
    (config.MEMORY_LIMIT_VAR, "lots"), (config.MEMORY_LIMIT_VAR, "1"),
])
def test_a_bad_value_names_the_variable(monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    read = config.time_limit_s if var == config.TIME_LIMIT_VAR else config.memory_limit_mb
    with pytest.raises(UsageError, match=rf"^{var}='{value}' is not a usable limit"):
        read()


@pytest.mark.parametrize("args", [["diff", "x^2"], ["exercises", "module1", "--count", "1"]])
def test_the_cli_says_so_in_one_line_with_exit_2(args):
    env = {"CALCTUTOR_TIME_LIMIT": "abc", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "calctutor", *args], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [
        "Error: CALCTUTOR_TIME_LIMIT='abc' is not a usable limit: give a number of seconds "
        "from 0.1 to 86400 (default 20)"]
    assert "Traceback" not in r.stderr and r.stdout == ""
