"""Errors a user can cause. Each becomes a one-line ``Error: ...`` message and exit code 2.

This module must stay free of heavy imports: the CLI imports it at start-up.
"""

from __future__ import annotations


class CalcTutorError(Exception):
    """Base class for every error caused by the user's input or request."""

    exit_code = 2

    def one_line(self) -> str:
        """The message as a single line (control characters and newlines flattened)."""
        text = " ".join(str(self).split())
        return text or self.__class__.__name__


class ParseError(CalcTutorError):
    """Text that could not be read as mathematics.

    ``text`` is what was typed and ``position`` the 0-based index of the offending
    character (or ``None``); the message already names the place in words.
    """

    def __init__(self, message: str, text: str = "", position: int | None = None):
        super().__init__(message)
        self.text = text
        self.position = position


class UsageError(CalcTutorError):
    """A request that makes no sense (missing variable, unknown option value, ...)."""


class LimitError(CalcTutorError):
    """A size, time or memory limit was reached."""


class InternalError(CalcTutorError):
    """A bug in calctutor; the message asks the user to report it."""

    exit_code = 3
