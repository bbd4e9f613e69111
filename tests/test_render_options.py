"""One RenderOptions (format, width, colour) from the CLI down to every printer."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from calctutor.render import FORMATS, RenderOptions, render, render_blocks
from calctutor.render.doc import Paragraph
from calctutor.topics import run_kind

ANSI = re.compile(r"\x1b\[")
LONG = [Paragraph(("word " * 60,))]


def test_options_are_a_frozen_checked_value():
    o = RenderOptions()
    assert (o.fmt, o.width, o.color) == ("plain", 80, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.width = 100  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown format 'html'"):
        RenderOptions("html")
    assert set(FORMATS) == {"rich", "plain", "latex", "markdown", "json"}


def test_options_and_the_keyword_form_print_alike():
    result = run_kind("gradient", {"expr": "x^2 y"})
    for fmt in FORMATS:
        assert render(result, RenderOptions(fmt, 60, False)) == render(result, fmt, width=60,
                                                                       color=False)


def test_width_and_colour_reach_the_printers():
    for width in (40, 72):
        for fmt in ("plain", "rich"):
            out = render_blocks(LONG, RenderOptions(fmt, width, color=False))
            assert max(len(line) for line in out.splitlines()) <= width
    assert ANSI.search(render(run_kind("diff", {"expr": "x^2"}), RenderOptions("rich", 80, True)))
    assert not ANSI.search(render(run_kind("diff", {"expr": "x^2"}), RenderOptions("rich", 80, False)))


def test_the_cli_resolves_one_options_value(monkeypatch):
    from calctutor.cli.support import Format, resolve_output

    monkeypatch.setenv("COLUMNS", "57")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert resolve_output(Format.rich) == RenderOptions("rich", 57, True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert resolve_output(Format.rich) == RenderOptions("rich", 57, False)
    assert resolve_output(None).fmt == "plain"  # not a terminal under pytest


def test_the_quiz_engine_prints_with_its_options():
    from calctutor.coach.engine import Engine

    narrow = Engine(RenderOptions("plain", 40, False), timeout=30).render(LONG)
    assert max(len(line) for line in narrow.splitlines()) <= 40
    assert Engine().options == RenderOptions("plain", 80, False)


def test_options_import_nothing_heavy():
    code = ("import sys, calctutor.render.options\n"
            "print(sorted(m for m in ('sympy', 'rich', 'typer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
