"""Run heavy SymPy work under hard time and memory limits.

``signal.alarm`` cannot interrupt SymPy reliably (with gmpy2 installed a 0.2 s alarm on
``factorial(10**8)`` fired after 42 s), so ``run_limited`` forks a worker, caps its address
space with RLIMIT_AS and kills it with SIGKILL when time is up. The fork happens after SymPy
is imported, so it is cheap (copy-on-write): about 3-5 ms per call here.

No worker outlives its call. Besides the parent's kill (also on every exception, Ctrl-C or
an outer ``within`` timeout, which are kept out of the window around the fork), the kernel
enforces three backstops that need neither the parent nor the Python interpreter: the
worker's own wall-clock timer (ITIMER_REAL with the default SIGALRM action, shortly after
the deadline), RLIMIT_CPU, and on Linux PR_SET_PDEATHSIG (SIGKILL when its parent dies, so
a nested worker dies with the worker that started it).

``within`` is the *soft*, in-process limit for optional work (looking for a nicer form):
it uses SIGALRM, which C code can delay. Anything that must stop needs ``run_limited``.
Inside a worker ``within`` nests under the worker's own timer: it never extends it.

Without ``os.fork`` (Windows) or with ``CALCTUTOR_NO_SANDBOX=1``, ``run_limited`` runs the
function in-process and **the hard limits do not apply**.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import traceback

from calctutor.errors import CalcTutorError, InternalError, LimitError

# Signals that mean the worker ran out of memory in C code (a failed malloc that aborts,
# a stack that could not grow) rather than raising MemoryError; SIGKILL is the OOM killer.
_MEMORY_DEATHS = {signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS}
# How a worker dies at its own time limit: its wall-clock timer or RLIMIT_CPU.
_TIME_DEATHS = {signal.SIGALRM, signal.SIGXCPU}
# Held back between fork() and the parent's try-block (and in the child until it is in
# _worker's): a Python handler running there (KeyboardInterrupt, an outer ``within``'s
# timeout) would lose the child's pid in the parent, or unwind into the parent's code in
# the child.
_DEFERRED = {signal.SIGINT, signal.SIGALRM, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
             signal.SIGUSR1, signal.SIGUSR2}
_CHUNK = 1 << 16
_HEADER = struct.Struct("!Q")  # the length of the pickled answer
# The worker's own timer fires this long after the parent's deadline: the parent kills first.
_GRACE_S = 1.0

# Set in a worker: its deadline (nested calls get at most what is left) and the pipe to its
# parent (a nested worker closes its copy, so only the real writer holds it open).
_worker_deadline: float | None = None
_worker_pipe: int | None = None


def sandbox_available() -> bool:
    """True when ``run_limited`` enforces its limits (fork exists and not disabled)."""
    return hasattr(os, "fork") and os.environ.get("CALCTUTOR_NO_SANDBOX") != "1"


def run_limited(fn, *args, timeout: float = 10.0, memory_mb: int = 2048, **kwargs):
    """``fn(*args, **kwargs)`` in a forked worker limited to ``timeout`` seconds and
    ``memory_mb`` MB of address space; returns its (pickled) result.

    Raises LimitError past a limit, the worker's own CalcTutorError (same type and message),
    or InternalError (with the worker's traceback in ``.details``) for any other exception.
    Inside another worker the timeout is cut to what is left of that worker's time.
    In-process without the limits when fork is unavailable or CALCTUTOR_NO_SANDBOX=1.
    """
    if not sandbox_available():
        return fn(*args, **kwargs)
    if _worker_deadline is not None:
        # keep a margin for the enclosing worker to stop this one and still send its answer
        left = _worker_deadline - time.monotonic()
        timeout = max(min(timeout, left - max(0.25, 0.1 * left)), 0.01)
    set_death_signal = _death_signal_setter()  # loaded here: nothing to import in the child
    _flush_std_streams()
    parent = os.getpid()
    rfd, wfd = os.pipe()
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        os.close(rfd)
        os.close(wfd)
        raise
    if pid == 0:
        _worker(fn, args, kwargs, rfd, wfd, timeout, memory_mb, old_mask, parent,
                set_death_signal)  # never returns
    deadline = time.monotonic() + timeout
    reaped = False
    try:
        # a signal that arrived before the mask was set may still run its Python handler
        # right after any call: forget wfd before closing it, so it is never closed twice
        fd, wfd = wfd, -1
        os.close(fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)  # a deferred Ctrl-C lands here
        data = _read_answer(rfd, deadline)
        if data is None:
            _kill(pid)
            reaped = True
            raise LimitError(f"the computation took longer than {timeout:g} s (the time limit) "
                             "and was stopped")
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        # the clean-up must finish: a signal that arrives meanwhile (the repeating alarm of an
        # outer `within`, a second Ctrl-C) waits until the worker is reaped
        signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
        try:
            if not reaped:  # interrupted (Ctrl-C, an outer `within`, any error): kill and reap
                _kill(pid)
            os.close(rfd)
            if wfd >= 0:
                os.close(wfd)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    return _unpack(data, status, timeout, memory_mb)


def _death_signal_setter():
    """A function that makes the kernel SIGKILL this process when its parent dies (Linux
    prctl PR_SET_PDEATHSIG), or None where that does not exist."""
    global _PRCTL
    if _PRCTL is _UNSET:
        _PRCTL = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                libc = ctypes.CDLL(None, use_errno=True)
                prctl = libc.prctl
                prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                                  ctypes.c_ulong]
                prctl.restype = ctypes.c_int
                _PRCTL = prctl
            except (ImportError, OSError, AttributeError):
                _PRCTL = None
    prctl = _PRCTL
    if prctl is None:
        return None
    return lambda: prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


_UNSET = object()
_PRCTL = _UNSET


def _flush_std_streams() -> None:
    # The child inherits copies of these buffers; empty them so nothing is written twice.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass


def _read_answer(rfd: int, deadline: float) -> bytes | None:
    """The worker's answer (b"" if it ended without one), read before waitpid so a large
    answer cannot block it; None when the deadline passes first.

    The answer is length-prefixed, so it is complete without waiting for end-of-file."""
    buf = bytearray()
    need = _HEADER.size
    while len(buf) < need:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            continue
        chunk = os.read(rfd, _CHUNK)
        if not chunk:
            return b""  # the worker ended (or died) before its answer was complete
        buf += chunk
        if need == _HEADER.size and len(buf) >= need:
            need += _HEADER.unpack_from(buf)[0]
    return bytes(buf[_HEADER.size:need])


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return
        except InterruptedError:  # pragma: no cover - PEP 475 retries; be safe anyway
            continue


def _unpack(data: bytes, status: int, timeout: float, memory_mb: int):
    """The worker's result, or the matching exception."""
    if not data:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in _TIME_DEATHS:
            raise LimitError(f"the computation took longer than {timeout:g} s (the time limit) "
                             "and was stopped")
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in _MEMORY_DEATHS:
            raise _memory_error(memory_mb)
        raise InternalError(f"the worker process ended without an answer (status {status})")
    try:
        kind, payload = pickle.loads(data)
    except Exception as err:  # noqa: BLE001 - e.g. a result class the parent cannot import
        raise InternalError(f"the worker's answer could not be read: {err}") from None
    if kind == "ok":
        return payload
    if kind == "user":
        raise _rebuild(*payload)
    if kind == "memory":
        raise _memory_error(memory_mb)
    if kind == "interrupt":
        raise KeyboardInterrupt
    message, details = payload
    err = InternalError(message)
    err.details = details
    raise err


def _memory_error(memory_mb: int) -> LimitError:
    return LimitError(f"the computation needed more than {memory_mb} MB of memory (the memory "
                      "limit) and was stopped")


def _rebuild(cls, message: str, state: dict) -> CalcTutorError:
    """The worker's CalcTutorError again: same type, message and attributes.

    Built without calling ``__init__``, which may take other arguments than the message."""
    err = cls.__new__(cls)
    err.args = (message,)
    err.__dict__.update(state)
    return err


# ---------------------------------------------------------------------------------------
# In the worker


def _worker(fn, args, kwargs, rfd, wfd, timeout, memory_mb, old_mask, parent,
            set_death_signal) -> None:
    """Limit, run, send ``(kind, payload)`` back and leave with ``os._exit``: the parent's
    atexit handlers, pytest's machinery and inherited stdio buffers must not run here."""
    global _worker_deadline, _worker_pipe
    status = 0
    try:
        if set_death_signal is not None:
            set_death_signal()
        if os.getppid() != parent:  # the parent died before the death signal was armed
            os._exit(70)
        os.close(rfd)
        if _worker_pipe is not None:  # our parent's pipe to ITS parent: not ours to hold
            os.close(_worker_pipe)
        _worker_pipe = wfd
        _worker_deadline = time.monotonic() + timeout
        _set_limits(timeout, memory_mb)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        _send(wfd, _outcome(fn, args, kwargs))
    except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
        status = 70
    finally:
        os._exit(status)


def _set_limits(timeout: float, memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _set_rlimit(resource, resource.RLIMIT_AS, limit, limit)
    _set_rlimit(resource, resource.RLIMIT_CORE, 0, 0)  # dying at a limit leaves no core file
    # Backstops for a parent that cannot kill us (gone, stopped, stuck). The wall-clock
    # timer with the default SIGALRM action ends the process in the kernel, even inside C
    # code; ``within`` nests under it. CPU time never exceeds wall time, so RLIMIT_CPU
    # fires only after the parent's deadline too.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # not an inherited Python handler
    signal.setitimer(signal.ITIMER_REAL, timeout + _GRACE_S)
    cpu = int(min(timeout, 10**6)) + 2
    _set_rlimit(resource, resource.RLIMIT_CPU, cpu, cpu + 1)


def _set_rlimit(resource, which, soft: int, hard: int) -> None:
    try:
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


def _outcome(fn, args, kwargs) -> tuple[str, object]:
    try:
        return ("ok", fn(*args, **kwargs))
    except CalcTutorError as err:
        return ("user", _portable_error(err))
    except MemoryError:
        return ("memory", None)
    except RecursionError:
        return ("user", (LimitError, "the computation nested too deeply and was stopped", {}))
    except KeyboardInterrupt:
        return ("interrupt", None)
    except BaseException as err:  # noqa: BLE001 - everything must come back to the parent
        return ("bug", (f"{type(err).__name__}: {err}", traceback.format_exc()))


def _portable_error(err: CalcTutorError) -> tuple[type, str, dict]:
    """(class, message, attributes), keeping only what pickles."""
    cls = next(c for c in type(err).__mro__ if _pickles(c))
    state = {k: v for k, v in vars(err).items() if _pickles(v)}
    message = str(err.args[0]) if len(err.args) == 1 else str(err)
    return cls, message, state


def _pickles(obj) -> bool:
    try:
        pickle.dumps(obj)
    except Exception:  # noqa: BLE001
        return False
    return True


def _send(wfd: int, outcome: tuple[str, object]) -> None:
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as err:  # noqa: BLE001
        data = pickle.dumps(("bug", (f"the result could not be sent back: {err}",
                                     traceback.format_exc())))
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(wfd, view):]


# ---------------------------------------------------------------------------------------
# The soft limit


ALARM_REPEAT_S = 0.05  # within's alarm fires again this often until the call returns


class _Timeout(BaseException):
    """Raised by ``within``'s alarm; a BaseException so SymPy's ``except Exception`` can't
    swallow it. ``owner`` tells nested ``within`` calls apart."""

    def __init__(self, owner):
        super().__init__()
        self.owner = owner


class _Call:
    """The state of one ``within`` call, seen by its alarm handler."""

    def __init__(self, outer_deadline: float | None, previous):
        self.outer_deadline = outer_deadline
        self.previous = previous
        self.finished = False
        self.passed_on = False  # the enclosing limit's alarm was delivered to it


_NOTHING = object()


def within(seconds: float, fn, *args, default=None, **kwargs):
    """``fn(*args, **kwargs)``, or ``default`` if it takes longer than ``seconds``.

    A SOFT limit for optional work: SIGALRM on the main thread, which C code (gmpy2, ...)
    can delay by seconds. Off the main thread (or without setitimer) ``fn`` just runs.
    Restores the previous SIGALRM handler and timer, so calls nest. Hard limits: run_limited.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return fn(*args, **kwargs)
    if seconds <= 0:
        return default
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    outer_deadline = time.monotonic() + outer_left if outer_left > 0 else None
    call = _Call(outer_deadline, signal.getsignal(signal.SIGALRM))

    def on_alarm(signum, frame):
        if call.finished:
            return
        if call.outer_deadline is not None and time.monotonic() >= call.outer_deadline - 1e-3:
            call.passed_on = True  # the enclosing limit ran out first: its handler decides
            _pass_to_outer(call.previous, signum, frame)
            return
        raise _Timeout(call)

    signal.signal(signal.SIGALRM, on_alarm)
    # the alarm repeats: a timeout raised where Python discards exceptions (a __del__ or a
    # weakref callback run by the garbage collector) would otherwise be lost for good
    signal.setitimer(signal.ITIMER_REAL, seconds if outer_deadline is None else min(seconds, outer_left),
                     ALARM_REPEAT_S)
    result = _NOTHING
    try:
        result = fn(*args, **kwargs)
        call.finished = True  # an alarm landing from here on is ignored
    except _Timeout as t:
        if t.owner is not call:
            raise
    finally:
        call.finished = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, call.previous if call.previous is not None else signal.SIG_DFL)
        if outer_deadline is not None and not call.passed_on:
            # give the enclosing limit what is left of its time
            signal.setitimer(signal.ITIMER_REAL, max(outer_deadline - time.monotonic(), 1e-3),
                             ALARM_REPEAT_S)
    return default if result is _NOTHING else result


def _pass_to_outer(previous, signum, frame) -> None:
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_DFL:
        # what an un-handled SIGALRM would have done: end the process
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGALRM)
