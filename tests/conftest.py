"""Shared test configuration."""

import faulthandler
import os

import pytest
from hypothesis import HealthCheck, settings

# CI runs the property tests with many more examples than a quick local run, and always the
# same ones (derandomize): a CI run is reproducible and takes the same time every time.
settings.register_profile(
    "ci", max_examples=1000, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# A safeguard, not a budget: a test still running after this long is hung. faulthandler's
# watchdog (a C thread, so it fires even while SymPy or mpmath holds the interpreter) prints
# every thread's traceback and ends the run with exit code 1, instead of CI waiting for its
# own limit with nothing to show.
TEST_TIMEOUT_S = float(os.environ.get("CALCTUTOR_TEST_TIMEOUT", "300"))


def pytest_configure(config):
    # Output capture is suspended here, so fd 2 is the real stderr; keep a copy for the dump.
    config._calctutor_watchdog_fd = os.dup(2)


def pytest_unconfigure(config):
    fd = getattr(config, "_calctutor_watchdog_fd", None)
    if fd is not None:
        faulthandler.cancel_dump_traceback_later()
        os.close(fd)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if TEST_TIMEOUT_S > 0:
        faulthandler.dump_traceback_later(TEST_TIMEOUT_S, exit=True,
                                          file=item.config._calctutor_watchdog_fd)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def _crashes() -> list:
    # read without importing: most tests never load the exercise bank (nor SymPy through it)
    import sys

    validate = sys.modules.get("calctutor.drills.validate")
    return validate.CRASHES if validate is not None else []


@pytest.fixture(autouse=True)
def _no_crash_hidden_by_a_redraw():
    """A command that crashes on a drawn variant is redrawn for the learner; here it fails
    the test that drew it."""
    before = len(_crashes())
    yield
    new = _crashes()[before:]
    assert not new, f"{len(new)} exercise variant(s) crashed their command: {new[:3]}"


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path_factory, monkeypatch):
    """No test reads or writes the real progress database: each gets its own CALCTUTOR_HOME
    (inherited by the subprocesses it starts)."""
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path_factory.mktemp("home")))
