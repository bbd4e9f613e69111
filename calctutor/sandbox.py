"""Run heavy SymPy work under hard time and memory limits.

``signal.alarm`` cannot interrupt SymPy reliably (with gmpy2 installed a 0.2 s alarm on
``factorial(10**8)`` fired after 42 s), so ``run_limited`` forks a worker, caps its address
space with RLIMIT_AS and kills it when time is up. The fork happens after SymPy is imported,
so it is cheap (copy-on-write). ``within`` is the soft, in-process limit for optional work.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback

from calctutor.errors import CalcTutorError, InternalError, LimitError


def _sandbox_available() -> bool:
    return hasattr(os, "fork") and os.environ.get("CALCTUTOR_NO_SANDBOX") != "1"


def _child(fn, args, kwargs, memory_mb: int, wfd: int) -> None:
    """In the worker: limit memory, run, send (kind, payload) back, exit without cleanup."""
    status = 0
    try:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
        try:
            payload = ("ok", fn(*args, **kwargs))
        except CalcTutorError as err:
            payload = ("user", (type(err), err.one_line()))
        except MemoryError:
            payload = ("memory", None)
        except RecursionError:
            payload = ("user", (LimitError, "the computation nested too deeply"))
        except BaseException as err:  # noqa: BLE001 - everything must come back to the parent
            payload = ("bug", (f"{type(err).__name__}: {err}", traceback.format_exc()))
        try:
            data = pickle.dumps(payload)
        except Exception as err:  # noqa: BLE001
            data = pickle.dumps(("bug", (f"result could not be sent back: {err}", "")))
        view = memoryview(data)
        while view:
            n = os.write(wfd, view)
            view = view[n:]
    except BaseException:  # noqa: BLE001
        status = 1
    finally:
        os._exit(status)  # never run the parent's atexit handlers or flush its buffers


def run_limited(fn, *args, timeout: float = 10.0, memory_mb: int = 2048, **kwargs):
    """``fn(*args, **kwargs)`` in a worker process killed after ``timeout`` seconds and
    limited to ``memory_mb`` MB; returns its result or re-raises its CalcTutorError.

    Without fork (Windows) or with CALCTUTOR_NO_SANDBOX=1 it runs in-process and the hard
    limits do not apply."""
    if not _sandbox_available():
        return fn(*args, **kwargs)
    sys.stdout.flush()
    sys.stderr.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        _child(fn, args, kwargs, memory_mb, wfd)
    os.close(wfd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([rfd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(rfd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(rfd)
    if timed_out:
        _kill(pid)
        raise LimitError(f"the computation took longer than {timeout:g} s (the time limit) and was stopped")
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if not data:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGSEGV):
            raise LimitError(f"the computation needed more than {memory_mb} MB of memory and was stopped")
        raise InternalError("the worker process ended without an answer")
    kind, payload = pickle.loads(data)
    if kind == "ok":
        return payload
    if kind == "user":
        cls, message = payload
        raise cls(message)
    if kind == "memory":
        raise LimitError(f"the computation needed more than {memory_mb} MB of memory and was stopped")
    err = InternalError(payload[0])
    err.details = payload[1]
    raise err


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class _Timeout(BaseException):
    """Raised inside ``within``; a BaseException so ``except Exception`` in SymPy can't eat it."""


def within(seconds: float, fn, *args, default=None, **kwargs):
    """``fn(*args, **kwargs)``, or ``default`` if it takes longer than ``seconds``.

    A soft limit (SIGALRM on the main thread; C code such as gmpy2 can delay it): use it
    for optional work such as looking for a nicer form. Hard limits need ``run_limited``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return fn(*args, **kwargs)

    def on_alarm(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    old_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args, **kwargs)
    except _Timeout:
        return default
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_timer[0] > 0:  # an outer timer was running: give it back what is left
            signal.setitimer(signal.ITIMER_REAL, max(old_timer[0] - seconds, 0.001))
