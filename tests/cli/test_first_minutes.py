"""The first minutes at the command line: Ctrl-C, the width of piped output, the time limit's
error naming its variable."""

import os
import signal
import subprocess
import sys
import time

import pytest

SLOW = ["diff", "sin(x)^(cos(x)^(tan(x)^x))", "--order", "8", "--format", "plain"]


@pytest.mark.parametrize("delay", [0.4, 2.0])  # during start-up, during the computation
def test_ctrl_c_exits_130_with_one_line(delay, tmp_path):
    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path), "CALCTUTOR_TIME_LIMIT": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "calctutor", *SLOW], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "Interrupted.\n"


def test_piped_output_wraps_at_80_unless_COLUMNS_says(cli, monkeypatch):
    args = ("chain", "x^2 y + y", "--layer", "x=cos(t), y=t^2", "--wrt", "t", "--format", "plain")
    monkeypatch.delenv("COLUMNS", raising=False)
    narrow = cli(*args)
    assert narrow.code == 0, narrow.err
    assert max(len(line) for line in narrow.out.splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "150")
    wide = cli(*args)
    assert max(len(line) for line in wide.out.splitlines()) > 80


def test_the_time_limit_error_names_its_variable(cli, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_TIME_LIMIT", "0.3")
    r = cli(*SLOW)
    assert r.code == 2
    (line,) = r.err.strip().splitlines()
    assert line.startswith("Error: ") and "time limit" in line
    assert "CALCTUTOR_TIME_LIMIT" in line


def test_a_missing_sample_file_says_where_the_samples_are(cli, tmp_path, monkeypatch):
    from calctutor.cli.optimise import samples_dir

    monkeypatch.chdir(tmp_path)  # not the top of a checkout: examples/data.csv is not here
    r = cli("fit", "examples/data.csv", "--model", "m*x + c")
    assert r.code == 2
    (line,) = r.err.strip().splitlines()
    assert "no such file: examples/data.csv" in line and str(samples_dir()) in line
    assert (samples_dir() / "data.csv").is_file() and (samples_dir() / "heights.csv").is_file()
