"""The quiz teaches: feedback before the last try never gives the answer away (a scripted
quiz over every template of the bank), every hint adds something to the question, and a
right answer after the answer was shown is stored and scheduled as a copy.

The quiz runs in-process here (an engine without the sandbox), so a pass over the whole
bank costs seconds; the expected answers are read from the exercises' JSON and perturbed
with SymPy, independently of the checker.
"""

from __future__ import annotations

import io
import re

import pytest
import sympy

from calctutor.coach.engine import Engine, _prepare
from calctutor.coach.session import Quiz, TextUI
from calctutor.render.options import RenderOptions
from tests.bank_draws import checked


class InProcess(Engine):
    """The quiz engine with every call made in this process (no fork, no limits); an
    exercise is prepared once for both scripted tests (``_prepare`` is a pure function of
    its arguments: the quiz only reads what it returns)."""

    prepared: dict = {}

    def _run(self, fn, *args):
        if fn is not _prepare:
            return fn(*args)
        exercise, *rest = args
        key = (id(exercise), *rest)
        if key not in self.prepared:
            self.prepared[key] = (exercise, fn(*args))  # the exercise kept: its id stays its
        return self.prepared[key][1]


@pytest.fixture(scope="module", autouse=True)
def _each_answer_checked_once():
    """A script types the same wrong answer twice (and both scripted tests may type it): the
    check of an answer, a pure function of the exercise and the text, is made once; each try
    still gets its own verdict, rendered with or without the answer."""
    import calctutor.coach.engine as engine

    real, memo = engine.check, {}

    def check(exercise, result, text):
        key = (id(exercise), text)
        if key not in memo:
            memo[key] = (exercise, real(exercise, result, text))
        return memo[key][1]

    patch = pytest.MonkeyPatch()
    patch.setattr(engine, "check", check)
    yield
    patch.undo()


def one_per_template():
    from calctutor.drills import templates

    out = []
    for template in templates():
        for seed in range(1, 6):
            _, found, ex = checked(template, seed)  # solved_and_valid, shared with other files
            if not found:
                out.append(ex)
                break
    return out


@pytest.fixture(scope="module")
def bank():
    exercises = one_per_template()
    assert len(exercises) >= 90  # every template of the bank has a valid variant
    return exercises


def scripted(exercise, lines: list[str]) -> str:
    out = io.StringIO()
    feed = io.StringIO("".join(line + "\n" for line in lines))
    ui = TextUI(out.write, feed.readline, width=1000)  # one line per sentence
    Quiz([exercise], InProcess(RenderOptions("plain", 1000, False)), None, ui).run()
    return out.getvalue()


# an interval of convergence as its key writes it: (-1/3, 1/3], [-1, 1), ...
INTERVAL = re.compile(r"[(\[][^,()\[\]]+,[^,()\[\]]+[)\]]")


def wrong_answer(exercise) -> str:
    """A wrong answer of the right shape: the first point misclassified, or each entry of
    the expected answer plus 7 (written by SymPy, not by calctutor)."""
    answer = exercise.answer
    if exercise.answer_key == "yes_no":
        return "yes" if answer == "no" else "no"
    if exercise.answer_key == "stationary_points":
        flip = {"minimum": "maximum", "maximum": "minimum", "saddle": "minimum",
                "degenerate": "saddle"}
        return ", ".join(f"({', '.join(p['point'].values())}) "
                         f"{flip[p['kind']] if k == 0 else p['kind']}"
                         for k, p in enumerate(answer))

    if isinstance(answer, str) and INTERVAL.fullmatch(answer):
        # an interval of convergence: the same brackets around other endpoints
        a, b = (sympy.sympify(e) for e in answer[1:-1].split(","))
        return f"{answer[0]}{sympy.sstr(a + 7)}, {sympy.sstr(b + 7)}{answer[-1]}"
    if answer == "all x":
        return "(-1, 1)"

    def bad(entry):
        value = sympy.sympify(entry)
        if value.is_number and not value.is_Rational:  # as a learner types it: a decimal
            return format(float(value) + 7, ".6g")
        return sympy.sstr(value + 7)

    if isinstance(answer, list) and answer and isinstance(answer[0], list):
        return "[" + ", ".join("[" + ", ".join(bad(e) for e in row) + "]" for row in answer) + "]"
    if isinstance(answer, list):
        return ", ".join(bad(e) for e in answer)
    return bad(answer)


def key_texts(exercise) -> set[str]:
    """How the expected answer may be written: each entry as in the key, exact and as a
    decimal; single characters are left out (they are entry numbers and layer labels)."""
    answer = exercise.answer
    if exercise.answer_key == "yes_no":  # the word alone would match inside any sentence
        return {f"The answer is {answer}", f"{answer.capitalize()}. "}
    if exercise.answer_key == "stationary_points":
        return {f"({', '.join(p['point'].values())}) {p['kind']}" for p in answer}
    if isinstance(answer, str) and (INTERVAL.fullmatch(answer) or answer == "all x"):
        return {answer}  # the interval, not an endpoint (the working names each endpoint)
    entries = answer if isinstance(answer, list) else [answer]
    entries = [e for row in entries for e in (row if isinstance(row, list) else [row])]
    texts = set()
    for entry in entries:
        value = sympy.sympify(entry)
        texts |= {str(entry), sympy.sstr(value).replace("**", "^")}
        if value.is_number and value.is_real:
            texts |= {format(float(value), f".{d}g") for d in (4, 6, 8, 10)}
    return {t for t in texts if len(t) > 1}


def shown(text: str, key: str) -> bool:
    squeeze = re.sub(r"[\s*]", "", key.replace("**", "^"))
    if re.fullmatch(r"-?[\d./]+(e-?\d+)?", squeeze):  # a number: a whole token, not a digit of one
        return re.search(rf"(?<![\w.]){re.escape(squeeze)}(?!\w|\.\d)", text) is not None
    return squeeze in re.sub(r"[\s*]", "", text)


def test_no_answer_is_given_away_before_the_last_try(bank):
    leaks, told = [], 0
    for ex in bank:
        out = scripted(ex, [wrong_answer(ex), wrong_answer(ex)])
        answers = out.split("Your answer: ")
        assert len(answers) == 3, (ex.template, out)  # asked twice: the first was judged wrong
        # the first verdict, without the echo of what the learner typed (their own answer)
        first = answers[1].split("\n", 1)[1]
        assert "NO - Not correct" in first and "One more try" in first, (ex.template, first)
        first = "\n".join(line for line in first.splitlines()
                          if not line.startswith("Read as"))
        leaks += [(ex.template, key, first) for key in key_texts(ex) if shown(first, key)]
        # the last verdict may say it: the same search finds it there (it is not blind)
        told += any(shown(answers[2], key) for key in key_texts(ex))
    assert leaks == []
    assert told >= len(bank) // 3


def mistaken_answer(exercise) -> str | None:
    """The answer a misconception gives for this exercise (the first of its mal-rules whose
    value differs from the key), as a learner would type it; None when there is none."""
    if exercise.answer_key:
        return None
    spec = exercise.solve().answer_spec()
    for mistake in (spec.mistakes() if spec.mistakes else ()):
        value = mistake.value
        if isinstance(value, sympy.MatrixBase):
            value = value.tolist()
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
            text = "[" + ", ".join("[" + ", ".join(sympy.sstr(e) for e in row) + "]"
                                   for row in value) + "]"
        elif isinstance(value, (list, tuple)):
            text = ", ".join(sympy.sstr(e) for e in value)
        else:
            text = sympy.sstr(value)
        if not any(shown(text, key) for key in key_texts(exercise)):
            return text
    return None


def test_a_named_mistake_does_not_give_the_answer_away_either(bank):
    leaks, named = [], 0
    for ex in bank:
        typed = mistaken_answer(ex)
        if typed is None:
            continue
        out = scripted(ex, [typed, "skip"])
        first = out.split("Your answer: ")[1].split("\n", 1)[1]
        first = "\n".join(line for line in first.splitlines() if not line.startswith("Read as"))
        named += "Likely mistake" in first
        leaks += [(ex.template, key, first) for key in key_texts(ex) if shown(first, key)]
    assert leaks == []
    assert named >= 10  # the mal-rules were recognised: their feedback was what was checked


def _pieces(text: str) -> list[str]:
    return [re.sub(r"[\s*]", "", p.lower()) for p in re.split(r"[,;:\n]", text)]


def adds_something(hint: str, problem: str) -> bool:
    """Whether a hint says something the problem does not: a piece (between commas, colons,
    lines) with maths that is not in the problem, or a sentence of its own (six words or
    more). Labels ("Layer 1") and connecting words ("and the layers below it") do not count."""
    given = re.sub(r"[\s*]", "", problem.lower())
    for raw, piece in zip(re.split(r"[,;:\n]", hint), _pieces(hint), strict=True):
        if re.fullmatch(r"(layer|step|input|target|hint)?\d*", piece):
            continue
        if re.search(r"[\d=^/+()]", piece):
            if piece.rstrip(".") not in given:
                return True
        elif len(raw.split()) >= 6:
            return True
    return False


def test_the_criterion_of_a_hint_that_only_restates_the_question():
    problem = "f = x1^2 + x1 x2, where x1 = t^2, x2 = 3t. Find df/dt as J_f * dx/dt."
    assert not adds_something("f = x1^2 + x1*x2, and the layers below it:\n"
                              "Layer 1: x1 = t^2, x2 = 3*t", problem)
    assert adds_something("The chain rule: df/dt = df/dx1*dx1/dt + df/dx2*dx2/dt", problem)
    assert adds_something("Start with the partial derivatives of f.", problem)


def test_hints_go_from_the_method_to_the_answer_and_never_only_restate(bank):
    from calctutor.coach.engine import _prepare

    dull, methods = [], 0
    for ex in bank:
        prepared = _prepare(ex, 1, 1, "", ("plain", 1000, False))
        hints = prepared.hints
        assert len(hints) >= 2, ex.template
        methods += hints[0].startswith("Method:")
        dull += [(ex.template, k + 1, h) for k, h in enumerate(hints)
                 if not adds_something(h, prepared.problem)]
        # the last hint gives the answer, the one a skip shows; it is the only one marked so
        assert prepared.revealing_hints == (len(hints) - 1,)
        assert prepared.answer.strip() in hints[-1], ex.template
    assert dull == []
    assert methods == len(bank)  # the first hint names the method, for every template


def test_the_guarded_feedback_keeps_the_evidence_but_not_the_value():
    """--answer (the learner asked for a check) says the correct value; the quiz before
    its last try says only the learner's own value. d/dx x^3 at x = 3 is 3 * 3^2 = 27."""
    from calctutor.checking.answer import check_answer
    from calctutor.render import render_blocks
    from calctutor.render.verdicts import verdict_blocks
    from calctutor.topics import run_kind

    x = sympy.Symbol("x")
    want = sympy.diff(x**3, x).subs(x, 3)
    verdict = check_answer(run_kind("diff", {"expr": "x^3", "at": "x=3"}), "18")
    assert verdict.correct is False
    assert str(want) in verdict.feedback and "yours is 18" in verdict.feedback
    assert "yours is 18" in verdict.guarded_feedback
    assert not shown(verdict.guarded_feedback, str(want))
    told = render_blocks(verdict_blocks(verdict), "plain", width=200, color=False)
    kept = render_blocks(verdict_blocks(verdict, reveal=False), "plain", width=200, color=False)
    assert shown(told, str(want)) and not shown(kept, str(want))
    # an expression's value at one point is evidence, not the answer: it stays
    on_expr = check_answer(run_kind("diff", {"expr": "x^3"}), "3x")
    assert on_expr.guarded_feedback is None and "the correct value is" in on_expr.feedback
