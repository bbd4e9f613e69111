"""The first ten minutes, what was left: sums worked in the order typed, worksheets in learner
notation, rich output that never breaks a product across lines, maths in prose typeset,
Ctrl-C at start-up without a traceback."""

from __future__ import annotations

import pytest
import sympy

from calctutor.notation import to_text
from calctutor.topics.diff.run import run_diff


def _squash(text: str) -> str:
    return "".join(text.split())


def _sums(step):
    if step.rule == "sum":
        yield step
    for sub in step.substeps:
        yield from _sums(sub)


@pytest.mark.parametrize("typed", [
    "cos(x) - 2x",
    "x^3 + e^x - 5 + sin(x)",
    "sin(x^2 + 3x + 1) + ln(x)",
    "1/x - x^2 + tan(x)",
    "-x + e^(2x)",
])
def test_the_sum_rule_works_the_terms_in_the_order_typed(typed):
    result = run_diff(typed)
    sums = [s for tree in result.steps for s in _sums(tree)]
    assert sums
    text = _squash(typed)
    for s in sums:
        # every term of a typed sum, found in the typed text: the sub-steps follow its order
        where = [text.find(_squash(to_text(sub.expr)).lstrip("-")) for sub in s.substeps]
        assert -1 not in where, (typed, [to_text(sub.expr) for sub in s.substeps])
        assert where == sorted(where), (typed, [to_text(sub.expr) for sub in s.substeps])
        # the same terms SymPy has, and their derivatives add up to the sum's
        assert sympy.Add(*(sub.expr for sub in s.substeps)) == s.expr
        assert sympy.simplify(sympy.Add(*(sub.result for sub in s.substeps))
                              - sympy.diff(s.expr, result.variables[0])) == 0


# -- worksheets in learner notation ----------------------------------------------------------
def test_no_sympy_product_sign_in_any_plain_or_rich_worksheet():
    from calctutor.drills import instantiate, templates
    from calctutor.drills.model import Worksheet
    from calctutor.render import render

    # every template once, each with its own seed (variety without a second pass)
    # (a drawn exercise's figure plots its curve with '*': those are pictures, not products)
    exercises = tuple(instantiate(t, k) for k, t in enumerate(templates(), start=1)
                      if t.answer_key not in ("graph_slope", "curve_letter"))
    sheet = Worksheet(exercises, None, 1, True, None, "", len(exercises))
    for fmt in ("plain", "rich"):
        text = render(sheet, fmt, width=80, color=False)
        assert "Answers" in text and len(text.splitlines()) > 3 * len(exercises)
        starred = [line for line in text.splitlines() if "*" in line]
        assert not starred, (fmt, starred[:5])


# -- rich breaks a long expression only between terms ----------------------------------------
def _maths(blocks):
    """Every expression a document shows (the SymPy objects of its blocks and step trees)."""
    from calctutor.render import doc
    from calctutor.render.inline import step_parts

    def steps(step):
        p = step_parts(step)
        yield p.lhs
        if p.rhs is not None:
            yield p.rhs
        for sub in step.substeps:
            yield from steps(sub)

    for b in blocks:
        segs = []
        if isinstance(b, (doc.Paragraph, doc.Note, doc.Verdict)):
            segs = b.segments
        elif isinstance(b, doc.Math):
            segs = (b.expr,)
        elif isinstance(b, doc.Fields):
            segs = [s for _, row in b.rows for s in row]
        elif isinstance(b, doc.Table):
            segs = [s for row in b.rows for c in row for s in doc.cell_segments(c)]
        elif isinstance(b, doc.Numbered):
            segs = [i.expr for i in b.items if i.expr is not None]
        elif isinstance(b, doc.StepTree):
            segs = list(steps(b.step))
        yield from (s for s in segs if isinstance(s, sympy.Basic)
                    and not isinstance(s, sympy.MatrixBase))


def _products(expr) -> list[str]:
    """The terms of ``expr`` as rich prints it that are products (a space between factors)."""
    import re

    from calctutor.render.inline import clean, one_line

    text = clean(one_line(expr))
    return [t for t in re.split(r" [-+=−] ", text) if " " in t.strip()]


def _readme_lines():
    from tests.cli.test_readme_examples import usage_lines

    return [ln for ln in usage_lines()
            if ln.split()[1] not in ("quiz", "progress", "--help") and "--answer" not in ln
            and "--weak" not in ln]  # a fresh store has no weak skills: a hint, no document


@pytest.mark.parametrize("line", _readme_lines())
def test_rich_breaks_lines_only_between_terms(line, monkeypatch, tmp_path):
    import re
    import shlex

    from typer.testing import CliRunner

    from calctutor.cli import app
    from calctutor.render import rich_view
    from tests.cli.test_readme_examples import ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    monkeypatch.setenv("CALCTUTOR_NO_SANDBOX", "1")  # the document is caught in this process
    real, captured = rich_view.render_rich, []
    monkeypatch.setattr(rich_view, "render_rich",
                        lambda blocks, width=80, color=True: captured.append(blocks) or "")
    args = [a for a in shlex.split(line)[1:] if a != "--plot"]
    if "--format" in args:
        del args[args.index("--format"):args.index("--format") + 2]
    CliRunner().invoke(app, [*args, "--format", "rich"])
    (blocks,) = captured
    wide = real(blocks, 400, color=False).splitlines()
    terms = {t for e in _maths(blocks) for t in _products(e)}
    for width in (60, 80):
        lines = real(blocks, width, color=False).splitlines()
        assert "\ue000" not in "".join(lines)
        for term in terms:
            if len(term) <= width - 12:  # room beside an indent and a label
                assert (sum(ln.count(term) for ln in lines)
                        >= sum(ln.count(term) for ln in wide)), (width, term)
        # only a table's own drawing or a pre-drawn matrix could ever be wider
        assert max(len(re.sub(r"\x1b\[[0-9;]*m", "", ln)) for ln in lines) <= width


# -- maths inside sentences is typeset -------------------------------------------------------
def _run(*args):
    from typer.testing import CliRunner

    from calctutor.cli import app

    res = CliRunner().invoke(app, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


PROSE_CASES = [
    # (command, the maths its sentence names, the sentence's words)
    (("diff", "sin(x^2)", "--answer", "cos(x^2)"), ["sin(x^2)", "cos(x^2)", "2x"],
     "the chain rule also needs"),
    (("diff", "x^2 sin(x)", "--answer", "2x cos(x)"), ["x^2 sin(x)"], "product of the derivatives"),
    (("newton", "x^2 + 1", "--x0", "1"), ["x^2 + 1"], "is never 0"),
    (("descent", "x^2 + 4y^2", "--start", "x=2,y=1", "--rate", "0.1", "--steps", "5"),
     ["1/10", "1/4"], "steps are stable"),
]


@pytest.mark.parametrize("args,maths,words", PROSE_CASES, ids=lambda v: str(v)[:30])
def test_maths_in_a_sentence_is_typeset_and_json_keeps_the_words(args, maths, words):
    from calctutor.notation import to_latex
    from calctutor.parsing import parse_expression
    from calctutor.render.latex import latex_escape

    plain = _run(*args, "--format", "plain").stdout
    line = " ".join(next(p for p in plain.split("\n\n") if words in " ".join(p.split())).split())
    for m in maths:  # plain text: the maths in learner notation, in the sentence
        assert m in line, (m, line)
    for fmt, wrap in (("markdown", "${}$"), ("latex", "${}$")):
        out = _run(*args, "--format", fmt).stdout
        assert "\ue010" not in out and "\ue011" not in out
        said = next(p for p in out.split("\n\n") if words in " ".join(p.split()))
        for m in maths:  # typeset from the expression itself, never the escaped text
            assert wrap.format(to_latex(parse_expression(m).expr)) in said, (fmt, m)
            assert latex_escape(m) not in said.replace("$", " "), (fmt, m)
    data = _run(*args, "--format", "json").stdout
    assert "\ue010" not in data and "$" not in data


def test_a_sentence_with_maths_survives_the_sandbox_and_plain_string_use():
    import pickle

    from calctutor.notation import Prose, inline, prose, segments_of

    x = sympy.Symbol("x")
    said = prose(lambda: f"The derivative of {inline(x**2)} is {inline(2 * x)}.")
    assert isinstance(said, Prose) and said == "The derivative of x^2 is 2x."
    assert segments_of(said) == ("The derivative of ", x**2, " is ", 2 * x, ".")
    back = pickle.loads(pickle.dumps(said))
    assert back == said and back.segments == said.segments
    assert segments_of(said + "!") == (said + "!",)  # a string operation keeps the words
    assert inline(x**2) == "x^2"  # outside a sentence being built: the text itself


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None, reason="no pdflatex")
def test_sentences_with_typeset_maths_compile(tmp_path):
    from tests.test_latex_compile import _compile

    texts = {str(k): _run(*args, "--format", "latex").stdout
             for k, (args, _, _) in enumerate(PROSE_CASES)}
    assert _compile(tmp_path, list(texts), latex=texts.get) is None


# -- Ctrl-C while the command starts ---------------------------------------------------------
# The console script's own lines (pip writes them): import calctutor.cli, then call main. A
# meta-path finder sends the process its own SIGINT the moment a module is looked for, so the
# Ctrl-C lands exactly inside that import (or, for "", between the import and main).
_EARLY = """
import importlib.abc, os, re, signal, sys
WHEN = sys.argv.pop(1)
class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == WHEN:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Finder())
sys.argv[0] = os.path.join(os.path.dirname(sys.executable), "calctutor")
from calctutor.cli import main
if not WHEN:
    os.kill(os.getpid(), signal.SIGINT)
sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
sys.exit(main())
"""


def test_ctrl_c_while_the_command_starts_exits_130_without_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path)}
    for when in ("typer", "calctutor.cli.app", "", "calctutor.cli.argv"):
        run = subprocess.run([sys.executable, "-c", _EARLY, when, "diff", "x^2"], env=env,
                             capture_output=True, text=True, timeout=60)
        assert (run.returncode, run.stderr, run.stdout) == (130, "Interrupted.\n", ""), when


def test_the_latest_typing_of_a_sum_decides_its_order():
    # a long-running process (a notebook) typed 1 + x earlier: x + 1 typed now reads x + 1
    from calctutor.checking.answer import check_answer
    from calctutor.topics import run_kind

    run_kind("diff", {"expr": "1/(1+x)"})
    feedback = check_answer(run_kind("diff", {"expr": "x/(x+1)"}), "1/(x+1)").feedback
    assert "(x + 1)^2" in feedback and "(1 + x)" not in feedback, feedback
