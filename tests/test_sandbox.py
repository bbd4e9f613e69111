"""The sandbox: hard limits in a forked worker (run_limited) and the soft limit (within)."""

import atexit
import os
import signal
import sys
import threading
import time

import pytest
import sympy

from calctutor.errors import CalcTutorError, InternalError, LimitError, ParseError
from calctutor.sandbox import run_limited, sandbox_available, within

# only the tests of the forked worker need fork; `within` and the in-process fallback do not
needs_fork = pytest.mark.skipif(not sandbox_available(), reason="needs os.fork")
needs_alarm = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM timers")
# Durations are generous bounds (10x what a quiet machine takes) on shared CI hardware: what a
# test proves is the event (the limit fired, the worker is gone), the bound only that it came.
SLACK = 10


class NeedsTwoArguments(CalcTutorError):
    """A user error whose __init__ does not take just a message."""

    def __init__(self, what, where):
        super().__init__(f"{what} at {where}")
        self.where = where


def spin():
    while True:
        pass


def raise_parse_error():
    raise ParseError("unexpected '+' at column 3", "x +", 2)


def raise_two_argument_error():
    raise NeedsTwoArguments("bad", "column 7")


def divide_by_zero():
    return 1 / 0


def allocate_gigabytes(n):
    return bytearray(n * 1024**3)


def grow_until_stopped():
    hoard = []
    while True:
        hoard.append(bytearray(32 * 1024**2))


def virtual_memory_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("no VmSize")


@pytest.fixture(autouse=True)
def no_zombies_left():
    yield
    # every worker must have been reaped: this process has no children left
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


# --- run_limited --------------------------------------------------------------------------


@needs_fork
def test_result_comes_back():
    assert run_limited(pow, 2, 10) == 1024
    assert run_limited(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]


@needs_fork
def test_sympy_result_comes_back_in_a_worker():
    x = sympy.Symbol("x", real=True)
    assert run_limited(sympy.diff, x**2 * sympy.sin(x), x) == 2 * x * sympy.sin(x) + x**2 * sympy.cos(x)
    assert run_limited(os.getpid) != os.getpid()


@needs_fork
def test_large_result_does_not_deadlock():
    data = run_limited(bytes, 20 * 1024**2)
    assert len(data) == 20 * 1024**2


@needs_fork
def test_user_error_keeps_type_message_and_attributes():
    with pytest.raises(ParseError) as info:
        run_limited(raise_parse_error)
    assert str(info.value) == "unexpected '+' at column 3"
    assert (info.value.text, info.value.position) == ("x +", 2)


@needs_fork
def test_user_error_with_other_constructor_arguments():
    with pytest.raises(NeedsTwoArguments) as info:
        run_limited(raise_two_argument_error)
    assert str(info.value) == "bad at column 7" and info.value.where == "column 7"


@needs_fork
def test_infinite_loop_is_killed_soon_after_the_timeout():
    start = time.monotonic()
    with pytest.raises(LimitError, match=r"longer than 0\.5 s \(the time limit\)"):
        run_limited(spin, timeout=0.5)
    assert time.monotonic() - start < 1.5 * SLACK


@needs_fork
def test_sympy_factorial_hang_is_stopped():
    start = time.monotonic()
    with pytest.raises(LimitError, match="time limit"):
        run_limited(sympy.factorial, 10**8, timeout=0.5)
    assert time.monotonic() - start < 1.5 * SLACK


@needs_fork
def test_huge_expand_is_stopped():
    x, y = sympy.symbols("x y")
    with pytest.raises(LimitError):
        run_limited(sympy.expand, (x + y + 3) ** 400, timeout=1.0)


@needs_fork
def test_memory_hog_becomes_limit_error():
    with pytest.raises(LimitError, match=r"more than 1024 MB"):
        run_limited(allocate_gigabytes, 10, memory_mb=1024)


@needs_fork
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_gradual_memory_growth_becomes_limit_error():
    limit = virtual_memory_mb() + 256
    with pytest.raises(LimitError, match=f"more than {limit} MB"):
        run_limited(grow_until_stopped, memory_mb=limit, timeout=20)


@needs_fork
def test_unexpected_exception_becomes_internal_error_with_traceback():
    with pytest.raises(InternalError) as info:
        run_limited(divide_by_zero)
    assert "ZeroDivisionError" in str(info.value)
    assert "Traceback" in info.value.details and "divide_by_zero" in info.value.details


@needs_fork
def test_deep_recursion_becomes_limit_error():
    def recurse(n):
        return recurse(n + 1) + 1

    with pytest.raises(LimitError, match="nested too deeply"):
        run_limited(recurse, 0)


@needs_fork
def test_worker_that_dies_silently_is_an_internal_error():
    with pytest.raises(InternalError, match="without an answer"):
        run_limited(os._exit, 3)


@needs_fork
def test_unpicklable_result_is_an_internal_error():
    with pytest.raises(InternalError, match="could not be sent back"):
        run_limited(lambda: (lambda: 1))


@needs_fork
def test_interrupt_in_the_worker_reaches_the_parent():
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_limited(interrupted)


@needs_fork
def test_worker_runs_no_atexit_handler_and_flushes_nothing_inherited(tmp_path):
    marker = tmp_path / "atexit-ran"
    log = tmp_path / "log.txt"

    def handler():
        marker.write_text("ran")

    atexit.register(handler)
    try:
        with open(log, "w") as f:
            f.write("parent;")  # still in the buffer when the worker is forked
            assert run_limited(pow, 3, 2) == 9
    finally:
        atexit.unregister(handler)
    assert log.read_text() == "parent;"
    assert not marker.exists()


def test_no_sandbox_runs_in_process(monkeypatch):
    monkeypatch.setenv("CALCTUTOR_NO_SANDBOX", "1")
    assert not sandbox_available()
    assert run_limited(os.getpid) == os.getpid()


@needs_fork
def test_nested_run_limited():
    assert run_limited(run_limited, pow, 2, 5, timeout=5) == 32


# --- within -------------------------------------------------------------------------------


def test_within_returns_the_value():
    assert within(1.0, pow, 2, 3) == 8
    assert within(1.0, sorted, [2, 1], reverse=True) == [2, 1]


@needs_alarm
def test_within_returns_default_on_timeout():
    start = time.monotonic()
    assert within(0.2, spin, default="too slow") == "too slow"
    assert time.monotonic() - start < 1.0 * SLACK


@needs_alarm
def test_within_restores_previous_handler_and_timer():
    def mine(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        within(0.1, spin)
        within(1.0, pow, 2, 2)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.signal(signal.SIGALRM, previous)


@needs_alarm
def test_within_nested_inner_timeout_leaves_outer_running():
    def inner_then_value():
        assert within(0.1, spin, default="inner") == "inner"
        return "outer finished"

    assert within(2.0, inner_then_value, default="outer timed out") == "outer finished"


@needs_alarm
def test_within_nested_outer_limit_wins_over_a_longer_inner_one():
    start = time.monotonic()
    result = within(0.3, lambda: within(5.0, spin, default="inner"), default="outer")
    # the event is the proof: had the inner 5 s limit fired first, the result would be "inner"
    assert result == "outer"
    assert time.monotonic() - start < 5.0  # and so it ended before the inner limit


@needs_alarm
def test_within_outer_timer_keeps_running_after_inner_call():
    def fast_inner_then_spin():
        within(1.0, pow, 2, 2)
        spin()

    start = time.monotonic()
    assert within(0.3, fast_inner_then_spin, default="stopped") == "stopped"
    assert time.monotonic() - start < 1.5 * SLACK


def test_within_off_the_main_thread_just_runs():
    out = []
    t = threading.Thread(target=lambda: out.append(within(0.01, lambda: time.sleep(0.05) or "ran")))
    t.start()
    t.join()
    assert out == ["ran"]


@needs_fork
@needs_alarm
def test_within_inside_run_limited():
    assert run_limited(within, 0.2, spin, default="soft", timeout=5) == "soft"
    assert run_limited(within, 2.0, pow, 2, 4, timeout=5) == 16


def test_run_limited_inside_within():
    assert within(5.0, run_limited, pow, 2, 6) == 64


# --- no worker outlives its call ------------------------------------------------------------
# Each helper below runs in a worker, writes its pid to a file and then waits: a test reads
# the pid and checks that the process is gone once it should be.


def write_pid_and_sleep(path):
    path.write_text(str(os.getpid()))
    time.sleep(600)


def write_pid_and_hide(path):
    """Cancel the worker's own timer and sleep (no CPU time): only its parent or the death
    signal can end it."""
    signal.setitimer(signal.ITIMER_REAL, 0)
    write_pid_and_sleep(path)


def start_a_grandchild_and_wait(path):
    return run_limited(write_pid_and_hide, path, timeout=600)


def stop_the_inner_call():
    try:
        return run_limited(time.sleep, 600, timeout=600)
    except LimitError:
        return "inner stopped"


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for_pid(path, seconds=20.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.01)
    raise AssertionError("the worker never started")


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


def in_a_child_process(fn, *args, **kwargs) -> int:
    """Fork a stand-in parent that runs ``fn(*args, **kwargs)`` and then exits; its pid."""
    pid = os.fork()
    if pid == 0:
        try:
            fn(*args, **kwargs)
        finally:
            os._exit(0)
    return pid


@pytest.fixture
def pid_file(tmp_path):
    path = tmp_path / "worker.pid"
    yield path
    if path.exists() and path.read_text() and alive(int(path.read_text())):
        os.kill(int(path.read_text()), signal.SIGKILL)  # never leave one behind, pass or fail
        pytest.fail("a worker was still running after the test")


needs_proc = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")


@needs_fork
@needs_proc
def test_worker_is_killed_when_the_parent_is_interrupted(pid_file):
    start = time.monotonic()
    assert within(0.5, run_limited, write_pid_and_sleep, pid_file, timeout=600,
                  default="interrupted") == "interrupted"
    assert time.monotonic() - start < 5 * SLACK
    assert not alive(wait_for_pid(pid_file))  # killed and reaped before within returned


@needs_fork
@needs_proc
def test_nested_worker_dies_with_the_worker_that_started_it(pid_file):
    with pytest.raises(LimitError):
        run_limited(start_a_grandchild_and_wait, pid_file, timeout=1.0)
    assert gone_within(wait_for_pid(pid_file), 5.0)


@needs_fork
@needs_proc
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_worker_dies_when_its_parent_process_dies(pid_file):
    parent = in_a_child_process(run_limited, write_pid_and_hide, pid_file, timeout=600)
    worker = wait_for_pid(pid_file)
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)
    assert gone_within(worker, 5.0)


@needs_fork
@needs_proc
def test_worker_stops_at_its_deadline_even_if_the_parent_cannot_kill_it(pid_file):
    parent = in_a_child_process(run_limited, write_pid_and_sleep, pid_file, timeout=0.5)
    try:
        worker = wait_for_pid(pid_file)
        os.kill(parent, signal.SIGSTOP)  # the parent is alive but will not kill anything
        assert gone_within(worker, 8.0)
    finally:
        os.kill(parent, signal.SIGKILL)
        os.waitpid(parent, 0)


@needs_fork
def test_nested_call_gets_at_most_the_time_left():
    start = time.monotonic()
    assert run_limited(stop_the_inner_call, timeout=2.0) == "inner stopped"
    assert time.monotonic() - start < 5 * SLACK


@needs_fork
def test_interrupting_around_the_fork_never_loses_a_worker():
    # an outer limit that fires at every possible moment of run_limited: before, during and
    # after the fork; every worker must still be killed and reaped (see no_zombies_left)
    me = os.getpid()
    for i in range(60):
        within(0.0005 * (i % 12 + 1), run_limited, time.sleep, 0.002 * (i % 5), default=None)
        assert os.getpid() == me


@needs_alarm
def test_within_survives_a_timeout_that_was_swallowed():
    """A timeout raised where Python discards exceptions (a __del__ run by the garbage
    collector) must not leave the call unbounded: the alarm fires again."""
    import time as _time

    def swallow_first_then_spin():
        try:
            _time.sleep(5)
        except BaseException:  # noqa: BLE001 - what a __del__ or a bare except would do
            pass
        end = _time.monotonic() + 5
        while _time.monotonic() < end:
            pass
        return "finished"

    start = _time.monotonic()
    assert within(0.2, swallow_first_then_spin, default="stopped") == "stopped"
    assert _time.monotonic() - start < 4.0  # the spin alone would take 5 s
