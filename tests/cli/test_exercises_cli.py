"""`calctutor exercises` end to end: the contract's JSON, markdown, LaTeX, errors."""

import re
import shutil
import subprocess

import pytest
import sympy as sp

KEYS = {"id", "module", "skill", "kind", "prompt", "input", "answer"}
KINDS = {"diff", "gradient", "jacobian", "hessian", "chain", "backprop", "taylor", "newton",
         "descent", "lagrange", "fit"}


def test_json_worksheet_has_the_contract_shape(cli):
    r = cli("exercises", "module1", "--count", "6", "--seed", "7", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert isinstance(data, list) and len(data) == 6
    for ex in data:
        assert KEYS <= set(ex)
        assert isinstance(ex["id"], str) and ex["module"] == 1
        assert ex["kind"] in KINDS and isinstance(ex["input"], dict)
        assert ex["skill"].startswith("1.") and ex["prompt"]
        assert isinstance(ex["answer"], (str, int, float, list, dict))
    assert len({ex["id"] for ex in data}) == 6


def test_same_seed_same_worksheet_through_the_cli(cli):
    a = cli("exercises", "1", "--count", "5", "--seed", "3", "-f", "json").json()
    b = cli("exercises", "module1", "--count", "5", "--seed", "3", "-f", "json").json()
    c = cli("exercises", "1", "--count", "5", "--seed", "4", "-f", "json").json()
    assert a == b and a != c


def test_running_diff_on_the_input_gives_the_answer(cli):
    data = cli("exercises", "1", "--count", "8", "--seed", "5", "-f", "json").json()
    for ex in data[:5]:
        inp = ex["input"]
        args = ["diff", "--format", "json"]
        if "order" in inp:
            args += ["--order", str(inp["order"])]
        if "at" in inp:
            args += ["--at", ",".join(f"{k}={v}" for k, v in inp["at"].items())]
        if inp.get("method") == "first_principles":
            args.append("--first-principles")
        out = cli(*args, "--", inp["expr"]).json()  # "--": an expression may start with "-"
        assert ex["answer"] == (out["value"] if "at" in inp else out["result"])
        assert sp.sympify(ex["answer"]) != 0


def test_answer_of_the_sheet_checks_as_correct_with_diff_answer(cli):
    (ex,) = cli("exercises", "1", "--count", "1", "--seed", "9", "--skill", "1.8", "-f", "json").json()
    r = cli("diff", ex["input"]["expr"], "--answer", ex["answer"].replace("**", "^"))
    assert r.code == 0, r.out


def test_markdown_worksheet_with_answer_key(cli):
    r = cli("exercises", "module1", "--count", "4", "--seed", "2", "--answers", "-f", "markdown")
    assert r.code == 0, r.err
    out = r.out
    assert out.startswith("## Worksheet: Module 1")
    assert "### Answers" in out
    assert len(re.findall(r"^\d\. ", out, re.M)) == 8  # four prompts, four answers
    assert "$" in out  # the formulas are maths


def test_without_answers_there_is_no_key(cli):
    r = cli("exercises", "module1", "--count", "3", "--seed", "2", "-f", "plain")
    assert r.code == 0
    assert "Answers" not in r.out
    assert r.out.count("Differentiate") + r.out.count("evaluate") + r.out.count("derivative") >= 3


def test_latex_is_a_standalone_document(cli, tmp_path):
    r = cli("exercises", "module1", "--count", "5", "--seed", "1", "--answers", "-f", "latex")
    assert r.code == 0, r.err
    tex = r.out
    assert tex.startswith("\\documentclass")
    assert tex.count("\\begin{document}") == 1 and tex.rstrip().endswith("\\end{document}")
    assert tex.count("\\begin{enumerate}") == tex.count("\\end{enumerate}") == 2
    assert tex.count("\\item") == 10
    assert tex.count("$") % 2 == 0 and tex.count("\\[") == tex.count("\\]")
    assert tex.count("{") == tex.count("}")
    if shutil.which("pdflatex"):
        (tmp_path / "sheet.tex").write_text(tex, encoding="utf-8")
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                              "sheet.tex"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]


def test_skill_filter(cli):
    data = cli("exercises", "1", "--skill", "product rule", "--count", "3", "--seed", "1",
               "-f", "json").json()
    assert data and {ex["skill"] for ex in data} == {"1.7 product rule"}


@pytest.mark.parametrize("args, words", [
    (("exercises", "module9"), "unknown module"),
    (("exercises", "chain"), "unknown module"),
    (("exercises", "1", "--skill", "knitting"), "no skill matches"),
    (("exercises", "1", "--count", "0"), "--count"),
    (("exercises", "1", "--count", "x"), "count"),
])
def test_bad_input_is_one_error_line_exit_2(cli, args, words):
    r = cli(*args)
    assert r.code == 2
    assert r.err.startswith("Error:") and words in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert r.out == ""


def test_help_has_an_example(cli):
    r = cli("exercises", "--help")
    assert r.code == 0 and "Examples" in r.out and "--answers" in r.out


def _fit_args(inp: dict) -> list[str]:
    """The `calctutor fit` options of an exercise's input (all but the data), as a script
    would pass them: lists comma-joined, tables as name=value pairs."""
    args = []
    for key, value in inp.items():
        if key == "data":
            continue
        if isinstance(value, bool):  # a flag: --show-code
            args += [f"--{key.replace('_', '-')}"] if value else []
            continue
        if isinstance(value, dict):
            value = ",".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value)
        args += [f"--{key}", str(value)]
    return args


def test_fit_exercise_runs_as_the_cli_on_its_csv(cli, tmp_path):
    data = cli("exercises", "6", "--count", "12", "--seed", "2", "-f", "json").json()
    fits = [ex for ex in data if ex["kind"] == "fit"]
    assert len({ex["input"].get("goal") for ex in fits}) >= 3  # chi2, params, gradient, steps
    for k, ex in enumerate(fits):
        inp = ex["input"]
        cols = inp["data"]
        # the csv key is the data as the CSV text fit reads
        lines = ex["csv"].splitlines()
        assert lines[0].split(",") == list(cols)
        assert [r.split(",") for r in lines[1:]] == [list(r) for r in zip(*cols.values(), strict=True)]
        path = tmp_path / f"data{k}.csv"
        path.write_text(ex["csv"], encoding="utf-8")
        answer = ex["answer"] if isinstance(ex["answer"], str) else \
            ", ".join(str(v) for v in ex["answer"])
        r = cli("fit", str(path), *_fit_args(inp), "--answer", answer, "-f", "json")
        assert r.code == 0, (ex["id"], r.err, r.out)
        out = r.json()
        # an answer asked for to some decimal places is the exact one rounded
        rounded = isinstance(ex["answer"], list) and any(isinstance(v, float)
                                                         for v in ex["answer"])
        assert out["correct"] is True and (rounded or out["expected"] == ex["answer"])
        if inp.get("goal") == "chi2" and "sigma" not in cols:
            # independently: the sum of squared residuals of the line at the given m, c
            m, c = (sp.Rational(inp["at"][n]) for n in ("m", "c"))
            chi2 = sum((sp.Rational(y) - m * sp.Rational(x) - c) ** 2
                       for x, y in zip(cols["x"], cols["y"], strict=True))
            assert sp.Rational(ex["answer"]) == chi2


def test_help_summary_is_one_short_line(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--help").out
    (line,) = [ln for ln in out.splitlines() if " exercises " in ln]
    after = out.splitlines()[out.splitlines().index(line) + 1]
    assert line.rstrip(" │").endswith(".")  # the whole sentence on the command's line
    assert after.strip(" │").split()[0] != "" and not after.startswith("│" + " " * 12)


def test_unknown_module_error_reads_like_the_quiz(cli):
    r = cli("exercises", "7")
    assert r.code == 2 and "module1 ... module6" in r.err and "…" not in r.err


def test_latex_worksheet_prints_constraints_multipliers_and_numbers_as_maths(cli):
    r = cli("exercises", "5", "--count", "3", "--seed", "3", "--answers", "-f", "latex")
    # the Lagrange exercises by skill: which templates a mixed draw reaches changes with the bank
    lagrange = cli("exercises", "5", "--skill", "5.7", "--count", "2", "--seed", "3", "--answers",
                   "-f", "latex")
    assert r.code == 0 and lagrange.code == 0, r.err + lagrange.err
    tex = r.out + lagrange.out
    assert "textasciicircum" not in tex  # no maths left as escaped words (QA F10)
    assert "lam" not in tex.replace("\\lambda", "")
    lag = [ln for ln in tex.splitlines() if "subject to" in ln]
    assert lag and all(re.search(r"subject to \$[^$]*=[^$]*\$", ln) for ln in lag)
    # a one-entry answer is a number, not a 1x1 matrix
    assert not re.search(r"\\begin\{matrix\}((?!&|\\\\|\\end).)*\\end\{matrix\}", tex)


def test_markdown_worksheet_has_no_html_entities(cli):
    for module in ("2", "3", "6"):
        r = cli("exercises", module, "--count", "10", "--seed", "3", "--answers", "-f", "markdown")
        assert r.code == 0, r.err
        assert "&#" not in r.out, module  # brackets in prompts are maths or parentheses (F23)
