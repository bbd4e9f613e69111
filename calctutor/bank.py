"""Where the exercise bank lives: inside an installed package, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path


def bank_dir() -> Path:
    """The folder of exercise files (``calctutor/_exercises`` when installed from a wheel,
    else the checkout's top-level ``exercises/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_exercises", here.parent / "exercises"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the exercise bank is missing (expected calctutor/_exercises or exercises/)")
