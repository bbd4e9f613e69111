"""The limits every computation runs under, read from the environment in this one place.

``CALCTUTOR_TIME_LIMIT`` (seconds, default 20) and ``CALCTUTOR_MEMORY_LIMIT_MB`` (default
2048) bound each command's worker process. They are read when a computation starts (so a
test or a notebook may change them), and a value that is not a sensible number is a
one-line usage error naming the variable, never a traceback. Light: the CLI imports it.
"""

from __future__ import annotations

import math
import os

from calctutor.errors import UsageError

TIME_LIMIT_VAR, MEMORY_LIMIT_VAR = "CALCTUTOR_TIME_LIMIT", "CALCTUTOR_MEMORY_LIMIT_MB"
DEFAULT_TIME_LIMIT_S, DEFAULT_MEMORY_LIMIT_MB = 20.0, 2048
TIME_RANGE_S = (0.1, 24 * 3600.0)
MEMORY_RANGE_MB = (64, 1 << 20)


def _read(name: str, default, kind, low, high, unit: str):
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or (isinstance(value, float) and not math.isfinite(value)) \
            or not low <= value <= high:
        show = (lambda v: f"{v:g}") if kind is float else str
        raise UsageError(f"{name}={text!r} is not a usable limit: give a number of {unit} "
                         f"from {show(low)} to {show(high)} (default {show(default)})")
    return value


def time_limit_s() -> float:
    """Seconds one command's computation may take (``CALCTUTOR_TIME_LIMIT``)."""
    return _read(TIME_LIMIT_VAR, DEFAULT_TIME_LIMIT_S, float, *TIME_RANGE_S, "seconds")


def memory_limit_mb() -> int:
    """Megabytes one command's worker may use (``CALCTUTOR_MEMORY_LIMIT_MB``)."""
    return _read(MEMORY_LIMIT_VAR, DEFAULT_MEMORY_LIMIT_MB, int, *MEMORY_RANGE_MB, "megabytes")
