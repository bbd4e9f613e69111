"""LaTeX that compiles: every command's ``--format latex`` and every module's worksheet,
through pdflatex (skipped where pdflatex is not installed).

All the fragments go into one document (one pdflatex run, a couple of seconds); an error is
traced back to the case whose fragment holds the failing line.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from calctutor.render import latex_document
from tests.test_notation import CASES, output, result

PDFLATEX = shutil.which("pdflatex")
pytestmark = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")


def _body(text: str) -> str:
    """A fragment, or the body of a whole document (a worksheet is one)."""
    if r"\begin{document}" in text:
        return text.split(r"\begin{document}", 1)[1].rsplit(r"\end{document}", 1)[0]
    return text


def _compile(tmp_path, names, latex=lambda name: output(name, "latex")):
    parts, starts = [], []
    for name in names:
        starts.append((sum(p.count("\n") for p in parts), name))
        parts.append(f"% -- {name}\n" + _body(latex(name)) + "\\clearpage\n")
    source = latex_document("".join(parts))
    head = source.split("".join(parts), 1)[0].count("\n")
    (tmp_path / "all.tex").write_text(source)
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "all.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = run.stdout
    if run.returncode == 0:
        return None
    line = re.search(r"^l\.(\d+)", log, re.MULTILINE)
    at = int(line.group(1)) - head if line else 0
    culprit = max((n for n in starts if n[0] <= at), default=(0, "?"))[1]
    error = log[log.find("\n!"):][:600]
    return f"{culprit}: {error}"


def test_every_command_and_worksheet_compiles(tmp_path):
    for name in CASES:
        result(name)  # computed before the clock of the compile starts
    failure = _compile(tmp_path, CASES)
    assert failure is None, failure
    assert (tmp_path / "all.pdf").stat().st_size > 10_000


def test_a_broken_fragment_is_reported_with_its_case(tmp_path):
    # the test above can fail: a fragment LaTeX cannot read is found and named
    def latex(name):
        return output(name, "latex") + ("\\undefinedcommand\n" if name == "descent" else "")

    failure = _compile(tmp_path, ["diff", "descent", "lagrange"], latex)
    assert failure is not None and failure.startswith("descent:"), failure
    assert "Undefined control sequence" in failure
