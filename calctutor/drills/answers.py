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

from calctutor.errors import ParseError

KINDS = {"min": "minimum", "minimum": "minimum", "minima": "minimum", "max": "maximum",
         "maximum": "maximum", "maxima": "maximum", "saddle": "saddle",
         "degenerate": "degenerate", "inconclusive": "degenerate"}
_POINT = re.compile(r"\(([^()]*)\)")
_KIND = re.compile(r"[A-Za-z]+")


def read_classification(text: str, names: list[str]):
    """[(point tuple of SymPy numbers, kind)] from the learner's text, in the order typed:
    each point "(a, b)" with a kind word (min/max/saddle/degenerate) before or after it."""
    from calctutor.parsing import parse_expressions

    points = []
    spans = []
    for m in _POINT.finditer(text):
        coords = [p.expr for p in parse_expressions(m.group(1))]
        if len(coords) != len(names):
            raise ParseError(f"the point ({m.group(1)}) should have {len(names)} coordinates "
                             f"({', '.join(names)})", text, m.start())
        points.append(tuple(coords))
        spans.append((m.start(), m.end()))
    rest = _POINT.sub(" | ", text)
    kinds = [KINDS[w.lower()] for w in _KIND.findall(rest) if w.lower() in KINDS]
    if not points:
        raise ParseError("write each stationary point in brackets with its kind, e.g. "
                         "\"(1, 0) minimum, (-1, 0) saddle\"", text, None)
    if len(kinds) != len(points):
        raise ParseError(f"give one kind (minimum, maximum, saddle or degenerate) for each of "
                         f"the {len(points)} point{'s' if len(points) != 1 else ''}", text, None)
    return list(zip(points, kinds, strict=True))


def check_stationary_points(exercise, text: str):
    """The verdict on a classification of the exercise's stationary points."""
    import sympy as sp

    from calctutor.checking.answer import AnswerResult
    from calctutor.parsing import parse_expression
    from calctutor.results import Reading

    expected = exercise.answer or []
    names = list(expected[0]["point"]) if expected else []
    want = {tuple(parse_expression(str(p["point"][n])).expr for n in names): p["kind"]
            for p in expected}
    given = read_classification(text, names)
    shown = ", ".join("(" + ", ".join(str(c) for c in pt) + f") {kind}" for pt, kind in given)
    reading = Reading(text, shown, (), shown.replace(" ", "") != text.replace(" ", ""))

    def same(a, b):  # b as typed: decimals are right to 3 places
        def close(x, y):
            if y.atoms(sp.Float):
                return abs(complex(sp.N(x - y))) <= 5e-4 * max(1.0, abs(complex(sp.N(x))))
            return sp.simplify(x - y) == 0
        return all(close(x, y) for x, y in zip(a, b, strict=True))

    def find(pt):
        return next((w for w in want if same(w, pt)), None)

    wrong_kind = [(pt, k, want[w]) for pt, k in given if (w := find(pt)) is not None
                  and want[w] != k]
    extra = [pt for pt, _ in given if find(pt) is None]
    found = {find(pt) for pt, _ in given} - {None}
    missing = [w for w in want if w not in found]
    answer = [[[str(c) for c in pt], k] for pt, k in given]
    json_expected = [{"point": p["point"], "kind": p["kind"]} for p in expected]

    def verdict(ok, feedback, code=None):
        return AnswerResult(ok, "the stationary points and their kinds", reading, json_expected,
                            answer, feedback, diagnosis=code, json_expected=json_expected,
                            solution=exercise.solve())

    def p(pt):
        return "(" + ", ".join(str(c) for c in pt) + ")"

    if not (wrong_kind or extra or missing):
        return verdict(True, "Those are the stationary points, each classified correctly.")
    if wrong_kind:
        pt, k, right = wrong_kind[0]
        return verdict(False, f"{p(pt)} is a stationary point, but not a {k}: check the sign of "
                       "det H and of f_xx there (det H < 0: saddle; det H > 0: minimum if "
                       "f_xx > 0, maximum if f_xx < 0).", "wrong_classification")
    if extra:
        return verdict(False, f"{p(extra[0])} is not a stationary point: the gradient is not "
                       "zero there.", "not_stationary")
    return verdict(False, f"There {'is' if len(missing) == 1 else 'are'} {len(missing)} more "
                   f"stationary point{'s' if len(missing) != 1 else ''}: solve ∇f = 0 fully "
                   "(every solution of each equation).", "missing_stationary_point")


class _Part:
    """One part of a solved result (a Jacobian's determinant, a Taylor polynomial's value
    at a point, a network's output) as a result that ``check_answer`` can judge."""

    def __init__(self, shape: str, expected, what: str, variables=(), tolerance=None,
                 mistakes=None):
        self.shape, self.expected, self.what = shape, expected, what
        self.variables, self.tolerance = tuple(variables), tolerance
        self.mistakes = mistakes  # the part's own mal-rules (a callable), from its topic

    def answer_spec(self):
        from calctutor.checking.answer import AnswerSpec

        return AnswerSpec(self.shape, self.expected, self.what, variables=self.variables,
                          tolerance=self.tolerance, mistakes=self.mistakes)


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
    t = exercise.solve()
    order, value = t.evaluations[-1]
    return _check_part(exercise, text, _Part("number", value,
                                             f"the value of T{order} at {t.eval_at}"))


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


CHECKS = {"stationary_points": check_stationary_points, "determinant": check_determinant,
          "evaluations": check_evaluation, "activations": check_output, "yes_no": check_yes_no}
