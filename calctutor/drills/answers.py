"""Checking answers that are not one command's ``--answer``: the classification of stationary
points ("(3, 0) minimum, (-3, 0) saddle"), asked by the bank's "find and classify" exercises;
and one part of a result where the bank asks for that part alone: the determinant of a
Jacobian (a change of coordinates' scale factor), a Taylor polynomial's value at a point, a
network's output after the forward pass; and a yes/no question ("Is F an anti-derivative of
f?"), decided by the equivalence engine on the command's answer.

The verdict is an ``AnswerResult`` like every other check, so the quiz treats it the same way.
"""

from __future__ import annotations

import re

from calctutor.checking.named_answers import KINDS, check_classification, read_classification
from calctutor.errors import ParseError

__all__ = ["KINDS", "read_classification", "check_stationary_points", "answer_format"]


def check_stationary_points(exercise, text: str):
    """The verdict on a classification of the exercise's stationary points."""
    from calctutor.parsing import parse_expression

    expected = exercise.answer or []
    names = list(expected[0]["point"]) if expected else list(
        s.name for s in getattr(exercise.solve(), "variables", ()))
    want = [(tuple(parse_expression(str(p["point"][n])).expr for n in names), p["kind"])
            for p in expected]
    return check_classification(want, names, text, exercise.solve(),
                                [{"point": p["point"], "kind": p["kind"]} for p in expected])


class _Part:
    """One part of a solved result (a Jacobian's determinant, a Taylor polynomial's value
    at a point, a network's output) as a result that ``check_answer`` can judge."""

    def __init__(self, shape: str, expected, what: str, variables=(), tolerance=None,
                 mistakes=None, unfinished=()):
        self.shape, self.expected, self.what = shape, expected, what
        self.variables, self.tolerance = tuple(variables), tolerance
        self.mistakes = mistakes  # the part's own mal-rules (a callable), from its topic
        self.unfinished = tuple(unfinished)

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec

        return AnswerSpec(self.shape, self.expected, self.what, variables=self.variables,
                          tolerance=self.tolerance, mistakes=self.mistakes,
                          unfinished=self.unfinished)


def _check_part(exercise, text: str, part: _Part):
    import dataclasses

    from calctutor.checking.answer import check_answer

    verdict = check_answer(part, text)
    return dataclasses.replace(verdict, solution=exercise.solve())


def check_determinant(exercise, text: str):
    """The verdict on the determinant of the exercise's (square) Jacobian."""
    from calctutor.topics.matrices.mistakes import determinant_mistakes

    j = exercise.solve()
    return _check_part(exercise, text, _Part("expr", j.determinant, "the Jacobian determinant",
                                             j.variables, mistakes=lambda: determinant_mistakes(j)))


def check_evaluation(exercise, text: str):
    """The verdict on T_n(p): the exercise's Taylor polynomial evaluated at its point."""
    import sympy as sp

    from calctutor.checking.answer import Unfinished
    from calctutor.notation import to_text

    t = exercise.solve()
    order, value = t.evaluations[-1]
    before = ()
    if order == t.order and len(t.variables) == 1:  # the polynomial itself, not yet evaluated
        before = (Unfinished(sp.expand(t.polynomial), f"that is T{order}; evaluate it at "
                             f"{to_text(t.variables[0])} = {to_text(t.eval_at)} to give a "
                             "number", "not_evaluated"),)
    return _check_part(exercise, text, _Part("number", value,
                                             f"the value of T{order} at {t.eval_at}",
                                             t.variables, unfinished=before))


def check_output(exercise, text: str):
    """The verdict on a network's output a(L) after the forward pass."""
    from calctutor.topics.chain.mistakes import output_mistakes

    solved = exercise.solve()
    out = list(solved.forward.a[-1])
    part = (_Part("number", out[0], "the output a(L)") if len(out) == 1 else
            _Part("numbers", out, "the output a(L)"))
    part.mistakes = lambda: output_mistakes(solved)
    return _check_part(exercise, text, part)


def same_function(result, text: str):
    """The equivalence engine's verdict on whether the command's answer (``answer_spec``)
    is the function ``text``: what decides a yes/no exercise's key and checks it."""
    from calctutor.checking.equivalence import check_equivalent
    from calctutor.parsing import parse_expression

    spec = result.answer_spec()
    names = [v.name for v in spec.variables]
    other = parse_expression(text, variables=names, what="the compared expression")
    return check_equivalent(spec.expected, other.expr, spec.variables,
                            expected_conditions=spec.domain,
                            answer_conditions=tuple(other.reading.conditions))


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def check_yes_no(exercise, text: str):
    """The verdict on a yes/no answer ("yes", "no", or a sentence starting so), with the
    evidence: the command's answer and whether it is the compared function."""
    from calctutor.checking.answer import AnswerResult
    from calctutor.drills.generate import present
    from calctutor.notation import to_text
    from calctutor.results import Reading

    words = re.findall(r"[A-Za-z]+", text.lower())
    said = "yes" if words and words[0] in _YES else "no" if words and words[0] in _NO else None
    if said is None:
        raise ParseError("answer yes or no (then, if you like, why)", text, None)
    result = exercise.solve()
    spec = result.answer_spec()
    verdict = same_function(result, exercise.yes_if)
    got, other = present(to_text(spec.expected)), exercise.yes_if
    what = spec.what[0].upper() + spec.what[1:]
    if verdict.equivalent is None:
        return AnswerResult(None, "yes or no", Reading(text, said), exercise.answer, said,
                            f"Could not decide whether {got} is {other}: "
                            f"{verdict.summary or 'no proof or counterexample in time'}.",
                            json_expected=exercise.answer, solution=result)
    truth = "yes" if verdict.equivalent else "no"
    if verdict.equivalent:
        why = f"{what} is {got}, the same function as {other}."
    elif verdict.values and verdict.point:
        at = ", ".join(f"{n} = {v}" for n, v in verdict.point)
        why = (f"{what} is {got}, not {other}: at {at} it is {verdict.values[0]}, "
               f"but {other} is {verdict.values[1]}.")
    else:
        why = f"{what} is {got}, not {other}" + (f": {verdict.evidence}." if verdict.evidence
                                                  else ".")
    feedback = f"{truth.capitalize()}. {why}" if said == truth else f"The answer is {truth}. {why}"
    # before the last try, any reason would give a yes/no answer away: name the check only
    guarded = None if said == truth else (f"Not that: work out {spec.what[0].lower()}"
                                          f"{spec.what[1:]} and compare it with {other}.")
    return AnswerResult(said == truth, "yes or no", Reading(text, said), truth, said, feedback,
                        json_expected=truth, solution=result, guarded_feedback=guarded)


def to_decimals(verdict, text: str, decimals: int):
    """A right verdict on a question asking for ``decimals`` places, made wrong when a
    typed decimal has fewer places, or is not the value rounded to them (an exact answer
    stays right)."""
    import dataclasses

    import sympy as sp

    if verdict.correct is not True:
        return verdict
    typed = [len(d) for d in re.findall(r"\d*\.(\d+)", text)]
    if not typed:
        return verdict  # exact: 1/2, ln(3)

    def leaves(v):
        return [x for e in v for x in leaves(e)] if isinstance(v, (list, tuple)) else [v]

    places = "place" if decimals == 1 else "places"
    if min(typed) < decimals:
        return dataclasses.replace(verdict, correct=False, diagnosis="too_few_decimals",
                                   feedback=f"Right as far as it goes, but the question asks for "
                                   f"{decimals} decimal {places}: give {decimals}.")
    for e, a in zip(leaves(verdict.expected), leaves(verdict.answer), strict=False):
        try:
            gap = abs(float(sp.N(sp.sympify(a) - sp.sympify(e), 30)))
        except (TypeError, ValueError):
            continue
        if gap > 0.5 * 10 ** -decimals * (1 + 1e-9):
            return dataclasses.replace(verdict, correct=False, diagnosis="rounding",
                                       feedback=f"Close, but not the value rounded to {decimals} "
                                       f"decimal {places}: it is off by {gap:.1e}. Carry more "
                                       "digits through the step, then round once at the end.")
    return verdict


def _picture_check(key: str):
    def check(exercise, text: str):
        from calctutor.drills.pictures import CHECKS as PICTURES

        return PICTURES[key](exercise, text)

    return check


CHECKS = {"stationary_points": check_stationary_points, "determinant": check_determinant,
          "evaluations": check_evaluation, "activations": check_output, "yes_no": check_yes_no,
          "graph_slope": _picture_check("graph_slope"),
          "curve_letter": _picture_check("curve_letter")}


# ---------------------------------------------------------------------------------------
# What to type: the "Type ..." line of a question


# Where the bank checks one part of the result (``Exercise.answer_key``).
KEY_FORMATS = {
    "stationary_points": "Type each stationary point with its kind, e.g. "
                         "(1, 0) minimum, (-1, 0) saddle.",
    "determinant": "Type the determinant as one expression, e.g. 3 r (not the matrix).",
    "evaluations": "Type the value as an exact number, e.g. 13/8.",
    "yes_no": "Type yes or no.",
}
_PARTIAL = re.compile(r"(?:∂²?|d)[A-Za-zχ²]+/(?:∂|d)[A-Za-z]\w*(?:∂[A-Za-z]\w*)?(?:\(\d+\))?")
_PLACES = re.compile(r"to (\d+) decimal places")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def answer_format(exercise, spec) -> str:
    """The "Type ..." line of a question: the quantity in the prompt's own symbols and the
    form of the answer at its size (a 3×3 Hessian shows a 3×3 template)."""
    if exercise.answer_key == "activations":
        n = len(list(exercise.solve().forward.a[-1]))
        return ("Type the output as a number." if n == 1 else
                f"Type the output as {n} numbers separated by commas (one per neuron), "
                f"e.g. {_example_numbers(n)}.")
    if exercise.answer_key == "evaluations":
        from calctutor.notation import to_text

        t = exercise.solve()
        order, _ = t.evaluations[-1]
        return f"Type T{order}({to_text(t.eval_at)}) as an exact number, e.g. 13/8."
    if exercise.answer_key in KEY_FORMATS:
        return KEY_FORMATS[exercise.answer_key]
    from calctutor.drills.pictures import FORMATS as PICTURE_FORMATS

    if exercise.answer_key in PICTURE_FORMATS:
        return PICTURE_FORMATS[exercise.answer_key]
    if spec is None:
        return "Type your answer."
    return f"Type {_quantity(exercise.prompt, spec)} {_form(exercise.prompt, spec)}."


def _quantity(prompt: str, spec) -> str:
    """``spec.what`` in the prompt's notation (∂C/∂w for a one-neuron ∂C/∂W(1), χ² for chi^2,
    the Maclaurin polynomial about 0, the prompt's own ∂f/∂y or df/dt)."""
    what = spec.what.replace("dchi2/d", "∂χ²/∂").replace("chi^2", "χ²")
    what = what.replace("grad L", "∇L")
    typed = _PARTIAL.findall(prompt)
    asked = re.search(r"\bFind (" + _PARTIAL.pattern + ")", prompt)
    if asked:
        typed = [asked.group(1)]  # "Find df/dt as J_f · dx/dt": the first is the quantity
    weights = re.fullmatch(r"∂C/∂([Wb])\((\d+)\)", what)
    if weights:
        letter, k = weights.groups()
        for name in (what, f"∂C/∂{letter.lower()}{k}", f"∂C/∂{letter.lower()}"):
            if name in prompt:
                return name
        return what
    if "Taylor polynomial" in what and "Maclaurin" in prompt:
        what = what.replace("Taylor", "Maclaurin")
    if what == "the linearisation" and "Taylor" in prompt:
        what = "the first-order Taylor polynomial (the linearisation)"
    value_at = re.search(r"\bf'\([^()]+\)", prompt)  # "evaluate f'(0)"
    if "derivative" in what and spec.shape == "number" and value_at and not typed:
        return value_at.group(0)
    if "derivative" in what and len(typed) == 1 and spec.shape in ("expr", "number"):
        at = " at the point" if spec.shape == "number" else ""
        return f"{typed[0]}{at}"
    if spec.shape == "vector" and spec.entry_names and "(" not in what:
        names = [_in_prompt(n, prompt) for n in spec.entry_names]
        if what.startswith("the gradient") and not ("gradient" in prompt or "∇" in prompt):
            return ", ".join(names)  # the prompt asks for the partials by name
        what += f" ({', '.join(names)})"
    return what


def _in_prompt(name: str, prompt: str) -> str:
    """An entry name such as df/da as the prompt writes it (∂y/∂a), else with ∂."""
    from calctutor.symbols import display_name

    m = re.fullmatch(r"d(\w+)/d(\w+)", name)
    if not m:
        return name
    found = re.search(r"∂(\w)/∂" + re.escape(m.group(2)) + r"\b", prompt)
    return found.group(0) if found else f"∂{m.group(1)}/∂{display_name(m.group(2))}"


def _form(prompt: str, spec) -> str:
    if spec.form:
        return spec.form
    expected = spec.expected
    if spec.shape == "expr":
        return "as an expression, e.g. 3x^2 cos(x)"
    places = _PLACES.search(prompt)
    exact = "exactly" in prompt or "exact" in prompt.split()
    if places:
        number = f"to {places.group(1)} decimal places (or exactly)"
    elif exact:
        number = "exactly (like 3/4 or sqrt(2), not a rounded decimal)"
    else:
        number = "exactly like 3/4 or sqrt(2), or as a decimal"
    if spec.what.startswith("the number of") and spec.shape == "number":
        return "as a whole number (a count)"  # said only of counts: elsewhere it would be a hint
    if spec.shape == "number" or (spec.shape == "numbers" and len(expected) == 1):
        return f"as a number, {number}"
    if spec.shape == "numbers":
        n = len(expected)
        return f"as {n} numbers separated by commas, {number}: e.g. {_example_numbers(n)}"
    if spec.shape == "vector":
        n = len(expected)
        return f"as {n} expressions separated by commas, in that order"
    rows = expected.tolist() if hasattr(expected, "tolist") else [list(r) for r in expected]
    m, n = len(rows), len(rows[0])
    if m * n > len(_LETTERS):
        return f"as a {m}×{n} matrix, row by row: [[...], [...], ...]"
    letters = iter(_LETTERS)
    grid = [[next(letters) for _ in range(n)] for _ in range(m)]
    if m == 1:
        return f"as a 1×{n} row: {', '.join(grid[0])}"
    brackets = "[" + ", ".join("[" + ", ".join(r) + "]" for r in grid) + "]"
    semis = "; ".join(", ".join(r) for r in grid)
    return f"as a {m}×{n} matrix, row by row: {brackets} (or {semis})"


def _example_numbers(n: int) -> str:
    return ", ".join(("1.5", "-2", "0", "3/4", "1")[k % 5] for k in range(n))
