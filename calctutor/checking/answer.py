"""``--answer``: one mechanism that checks a learner's answer against any command's result.

A result that can be checked has a method ``answer_spec() -> AnswerSpec``: what the
expected answer is, its shape (an expression, a number, a vector, a matrix), the variables
to read the answer with, and a lazy list of *mistakes* (the answers that each misconception
would give for this very problem). ``check_answer(result, text)`` parses the text in that
shape, compares it entry by entry with the equivalence engine, and, when it is wrong, looks
for the mistake that produces it. A new command gets ``--answer`` by giving its result an
``answer_spec``; its own mal-rules go in ``AnswerSpec.mistakes``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import sympy as sp

from calctutor.checking.equivalence import Equivalence, check_equivalent
from calctutor.errors import CalcTutorError, ParseError, UsageError
from calctutor.notation import to_text
from calctutor.parsing import parse_expression, parse_expressions, parse_matrix
from calctutor.results import Reading, json_value

SHAPES = ("expr", "number", "vector", "numbers", "matrix")

# A typed decimal is accepted when it is right to the places typed, and those places are
# fine enough: at least this close, relative to the size of the value (about 3 digits).
DECIMAL_PRECISION = 1e-3
_DECIMALS = re.compile(r"\d*\.(\d+)")
ROUGH = "\x00rough:"  # marks the evidence of a right but too rough decimal (stripped)


@dataclass(frozen=True)
class Mistake:
    """What one misconception would answer for this problem, and what a tutor would say.

    ``value`` has the shape of the expected answer (or, for shape mistakes such as a
    transposed matrix, the shape the mistake produces); ``feedback`` is one or two
    sentences naming the rule and the part of the expression it applies to."""

    code: str
    value: object
    feedback: str


@dataclass(frozen=True)
class Unfinished:
    """The answer one step before the end (the derivative before it is evaluated at the
    point, say) and that last step in the imperative ("evaluate it at x = 3"). An answer
    equal to ``value`` is "right, but not finished": told the step, not marked wrong."""

    value: object
    step: str
    code: str = "unfinished"


@dataclass(frozen=True)
class AnswerSpec:
    """What a result expects as an answer (see module docstring).

    ``what`` names it in sentences ("the derivative", "the Jacobian"); ``json_expected`` is
    the expected answer in the command's own JSON shape (default: derived from ``expected``).
    ``tolerance`` (relative) makes numeric answers approximate (iterations, fits)."""

    shape: str
    expected: object
    what: str
    variables: tuple[sp.Symbol, ...] = ()
    positive: bool = False
    mistakes: Callable[[], Iterable[Mistake]] | None = None
    tolerance: float | None = None
    json_expected: object = None
    entry_names: tuple[str, ...] = ()  # e.g. ("df/dx", "df/dy") for a gradient
    # A mal-rule that is a property of the answer rather than one wrong value (e.g. "this
    # Hessian is not symmetric"): called with the parsed answer after ``mistakes``.
    inspect: Callable[[object], Mistake | None] | None = None
    # Names that stand for expressions (a chain's intermediate variables, in the final
    # variables): the answer is compared with them replaced, so that a counterexample's
    # values are consistent (x = cos t at the t shown). An answer right only once they are
    # replaced is still not written in the final variables: it is reported as such.
    substitute: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    # The point of an --at question: a symbolic answer is evaluated there, then compared.
    at: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    # Where the expected answer means something (``calctutor.domain.Condition``s): the
    # derivative of ln(x) is 1/x only for x > 0, so 1/|x| is right there.
    domain: tuple = ()
    # What is checked may depend on what was typed (Newton's --steps N: the list x1, ..., xN
    # or xN alone): called with the text, it gives the spec to check it against (None: this).
    adapt: Callable[[str], AnswerSpec | None] | None = None
    # The answer before a last required step (see ``Unfinished``). Besides these, an answer
    # that is right once ``substitute`` and ``at`` are applied is unfinished too.
    unfinished: tuple[Unfinished, ...] = ()
    # Labels as words: ``classification`` ((point values, kind) pairs, in the order of
    # ``variables``) lets an answer in words ("(1, 0) min, (-1, 0) saddle") be checked as a
    # classification of stationary points; ``label`` is the kind a value is asked for
    # ("maximum"), so "4 (max)" is the value 4 and "4 (min)" says it is the wrong kind.
    classification: tuple | None = None
    label: str | None = None
    # An answer that is not one expression compared with another (a series written from
    # any first index, an interval of convergence): ``judge`` gives the verdict on the text
    # itself; ``form`` says how to type it (the quiz's "Type ..." line).
    judge: Callable[[str], AnswerResult] | None = None
    form: str | None = None

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ValueError(f"unknown answer shape {self.shape!r}")


@dataclass(frozen=True)
class AnswerResult:
    """A verdict on a learner's answer. ``correct`` is None when it could not be decided
    (the check timed out): never "wrong" for that. ``solution`` is the command's result,
    shown only when asked (``show``)."""

    correct: bool | None
    what: str
    reading: Reading
    expected: object
    answer: object
    feedback: str
    diagnosis: str | None = None
    evidence: str | None = None
    wrong_entries: tuple[tuple[int, ...], ...] = ()
    notes: tuple[str, ...] = ()
    json_expected: object = None
    solution: object | None = None
    show: bool = False
    # The feedback for a learner who will try again (the quiz before its last try): the
    # same diagnosis and evidence without the expected answer or its value (the learner's
    # own value instead). None when ``feedback`` gives nothing away.
    guarded_feedback: str | None = None
    # right, but a last step is missing (``correct`` is then None: neither right nor wrong,
    # so the try is not used up); ``feedback`` names the step
    unfinished: bool = False

    @property
    def verdict(self) -> str:
        """"correct", "wrong", "unfinished" or "undecided" (could not be checked)."""
        if self.unfinished:
            return "unfinished"
        return {True: "correct", False: "wrong", None: "undecided"}[self.correct]

    def to_json(self) -> dict:
        out = {
            "correct": self.correct,
            "verdict": self.verdict,
            "expected": self.json_expected if self.json_expected is not None
            else json_shape(self.expected),
            "answer": json_shape(self.answer),
            "feedback": self.feedback,
            "diagnosis": self.diagnosis,
        }
        if self.evidence:
            out["evidence"] = self.evidence
        if self.wrong_entries:
            out["wrong_entries"] = [list(e) for e in self.wrong_entries]
        if self.reading.differs:
            out["read_as"] = self.reading.reading
        if self.notes:
            out["notes"] = list(self.notes)
        if self.show and self.solution is not None and hasattr(self.solution, "to_json"):
            out["solution"] = self.solution.to_json()
        return out


def json_shape(value):
    """An answer (expression, list, matrix) in the contract's JSON form."""
    if isinstance(value, sp.MatrixBase):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [json_shape(v) for v in value]
    return json_value(value)


# ---------------------------------------------------------------------------------------
# Reading the answer


def function_domain(exprs, reading=None) -> tuple:
    """The conditions for the function(s) a result was computed from to be defined (with
    those its reading recorded): where a derivative of them means something."""
    from calctutor.domain import conditions_of, reduce_conditions

    found = [c for e in exprs for c in conditions_of(e)]
    found += list(getattr(reading, "conditions", ()) or ())
    return reduce_conditions(found)


def parse_answer(text: str, spec: AnswerSpec):
    """The answer typed by the learner, in the spec's shape, how it was read, and each
    entry's domain conditions (by the entry's 1-based index, as ``_entries`` numbers them)."""
    names = [s.name for s in spec.variables]
    if spec.shape in ("expr", "number"):
        parsed = parse_expression(text, variables=names, positive=spec.positive, what="your answer")
        return parsed.expr, parsed.reading, {(): tuple(parsed.reading.conditions)}
    if spec.shape in ("vector", "numbers") and not _rows_typed(text):
        from calctutor.checking.named_answers import unname  # "m=1, c=2" -> "1, 2"

        try:
            items = parse_expressions(unname(text, spec.entry_names), variables=names,
                                      positive=spec.positive)
        except ParseError:
            # "(1, 2), (3, 4)" where a list is expected: read as the matrix it is, so the
            # verdict names the shape read and the shape expected; else the list's error
            try:
                rows = parse_matrix(text, variables=names, positive=spec.positive)
            except CalcTutorError:
                rows = []
            if len(rows) < 2:
                raise
        else:
            return ([p.expr for p in items], _join_readings(text, [p.reading for p in items]),
                    {(i + 1,): tuple(p.reading.conditions) for i, p in enumerate(items)})
    rows = parse_matrix(text, variables=names, positive=spec.positive, what="your answer")
    return ([[p.expr for p in row] for row in rows],
            _join_readings(text, [p.reading for row in rows for p in row], rows=rows),
            {(i + 1, j + 1): tuple(p.reading.conditions)
             for i, row in enumerate(rows) for j, p in enumerate(row)})


def _rows_typed(text: str) -> bool:
    """The text is written as rows: "[[...", or with ';' or a line break between rows."""
    body = text.strip()
    return body.startswith("[[") or ";" in body or "\n" in body


def _join_readings(text: str, readings: Sequence[Reading], rows=None) -> Reading:
    if rows is not None:
        shown = "[" + ", ".join("[" + ", ".join(p.reading.reading for p in row) + "]"
                                for row in rows) + "]"
    else:
        shown = "[" + ", ".join(r.reading for r in readings) + "]"
    notes = tuple(dict.fromkeys(n for r in readings for n in r.notes))
    conditions = tuple(dict.fromkeys(c for r in readings for c in r.conditions))
    return Reading(text, shown, notes, any(r.differs for r in readings), conditions)


# ---------------------------------------------------------------------------------------
# Comparing


def _shape_of(value) -> tuple[int, ...]:
    if isinstance(value, sp.MatrixBase):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) for v in value):
            return (len(value), len(value[0]))
        return (len(value),)
    return ()


def _entries(value) -> list[tuple[tuple[int, ...], sp.Expr]]:
    """(index, entry) pairs, 1-based indices as a learner counts."""
    if isinstance(value, sp.MatrixBase):
        value = value.tolist()
    shape = _shape_of(value)
    if len(shape) == 2:
        return [((i + 1, j + 1), v) for i, row in enumerate(value) for j, v in enumerate(row)]
    if len(shape) == 1:
        return [((i + 1,), v) for i, v in enumerate(value)]
    return [((), value)]


def _conform(answer, expected):
    """The answer in the expected shape where the learner's brackets are the only
    difference: a row [a, b] for a 1×2 matrix, [[a], [b]] for a vector, [a] for a scalar."""
    es, ans = _shape_of(expected), _shape_of(answer)
    if es == ans:
        return answer
    flat = [v for _, v in _entries(answer)]
    if len(es) == 1 and len(ans) == 2 and 1 in ans and len(flat) == es[0]:
        return flat
    if len(es) == 2 and len(ans) == 1 and es[0] == 1 and ans[0] == es[1]:
        return [list(answer)]
    if len(es) == 2 and len(ans) == 1 and es[1] == 1 and ans[0] == es[0]:
        return [[v] for v in answer]
    if es == () and len(flat) == 1:
        return flat[0]
    return answer


def _typed_decimals(text: str) -> int | None:
    found = _DECIMALS.findall(text)
    return max(len(d) for d in found) if found else None


def _numbers_close(expected: sp.Expr, answer: sp.Expr, tol: float | None,
                   decimals: int | None) -> tuple[bool | None, str | None]:
    """Numeric comparison for number-valued answers: (verdict or None, evidence)."""
    try:
        e, a = complex(sp.N(expected, 30)), complex(sp.N(answer, 30))
    except (TypeError, ValueError):
        return None, None
    if abs(e.imag) > 1e-12 or abs(a.imag) > 1e-12:
        return None, None
    e, a = e.real, a.real
    if not (math.isfinite(e) and math.isfinite(a)):
        return None, None  # inf <= tol * inf would call an overflow "close"
    shown = f"yours is {_number(answer, a)}, but the correct value is {_number(expected, e)}"
    if tol is not None and abs(a - e) <= tol * max(1.0, abs(e)):
        return True, None
    if decimals is not None and abs(a - e) <= 1e-12 * max(1.0, abs(e)):
        return True, None  # exact, however few the places typed: 0.5 for 1/2, 2.0 for 2
    if (decimals is None and tol is not None and answer.is_Integer and not expected.is_Rational
            and abs(a - e) <= 0.5 and 0.5 > DECIMAL_PRECISION * max(1.0, abs(e))):
        decimals = 0  # 9 for 8.9687 is a rounding to 0 places: told it is too rough, not wrong
    if decimals is None:
        return (False, shown) if tol is not None else (None, None)
    rounding = 0.5 * 10 ** (-decimals) * (1 + 1e-9)
    if abs(a - e) > rounding:
        return False, shown
    if rounding <= DECIMAL_PRECISION * max(1.0, abs(e)):
        return True, None
    needed = decimals + 1
    while 0.5 * 10 ** (-needed) > DECIMAL_PRECISION * max(1.0, abs(e)) and needed < 12:
        needed += 1
    return False, (f"{ROUGH}{_number(answer, a)} is right to {decimals} decimal place"
                   f"{'s' if decimals != 1 else ''}, but that is too rough: give at least "
                   f"{needed} decimal places, or the exact value")


def _number(expr: sp.Expr, value: float) -> str:
    """An exact number as it is (1/3, sqrt(2)), a float to 10 significant digits."""
    if expr.atoms(sp.Float) or sp.count_ops(expr) > 8:
        return format(value, ".10g")
    exact = to_text(expr)
    return exact if expr.is_Rational else f"{exact} = {format(value, '.8g')}"


def _compare_entry(expected, answer, spec: AnswerSpec, decimals: int | None,
                   conditions: tuple = ()) -> Equivalence:
    if spec.shape in ("number", "numbers") or (expected.is_number and answer.is_number
                                                and not conditions):
        if answer.free_symbols and expected.is_number:
            return Equivalence(False, "numeric", f"the answer should be a number, but yours "
                               f"contains {', '.join(sorted(s.name for s in answer.free_symbols))}")
        close, shown = _numbers_close(expected, answer, spec.tolerance,
                                      decimals if answer.atoms(sp.Float) else None)
        if close is not None:
            return Equivalence(close, "numeric", shown)
        if expected.is_number and answer.is_number:
            verdict = check_equivalent(expected, answer, answer_conditions=conditions)
            if verdict.equivalent is False:
                e, a = float(sp.re(sp.N(expected))), float(sp.re(sp.N(answer)))
                return Equivalence(False, verdict.method, f"yours is {_number(answer, a)}, "
                                   f"but the correct value is {_number(expected, e)}")
            return verdict
    # the intermediate names are replaced before comparing: never sampled on their own
    gone = {k.name for k, _ in spec.substitute}
    # the typed answer's conditions are on its own names, which substitution replaces
    typed = () if (spec.substitute or spec.at) else conditions
    return check_equivalent(expected, answer, [v for v in spec.variables if v.name not in gone],
                            expected_conditions=() if spec.at else spec.domain,
                            answer_conditions=typed)


def _evidence(verdict: Equivalence, spec: AnswerSpec | None = None) -> str | None:
    """'at x = 1.37 yours is 0.546, the correct value is 3.06' (expected is the first);
    with the spec's intermediate names, their values there: 'at t = 1.37 (x = 0.199...)';
    a domain difference as the engine words it, with "your answer" for "the second"."""
    if verdict.evidence_kind == "domain" and verdict.evidence:
        return _learner_note(verdict.evidence).replace("the first is", "the correct answer is")
    if verdict.values is None:
        return verdict.evidence
    correct, yours = verdict.values
    yours = yours.replace("first", "the correct value")  # "first + 1.0e-30"
    at = ", ".join(f"{n} = {v}" for n, v in verdict.point)
    if at and spec is not None and spec.substitute:
        at += _intermediate_values(verdict.point, spec)
    text = f"{'at ' + at + ', ' if at else ''}yours is {yours}, but the correct value is {correct}"
    if verdict.evidence_kind == "constant-difference" and verdict.constant:
        text += f" (the correct answer minus yours is the constant {verdict.constant} everywhere)"
    return text


def _intermediate_values(point, spec: AnswerSpec) -> str:
    """' (so x = 0.199, y = 1.88)': the intermediate names at a point of the final
    variables ((name, value text) pairs or a dict), from their definitions (never sampled
    on their own); empty when a value is not real."""
    if isinstance(point, dict):
        at = {s.name: v for s, v in point.items()}
    else:
        try:
            at = {n: sp.Rational(v) for n, v in point}
        except (TypeError, ValueError):
            return ""
    shown = []
    for name, definition in spec.substitute:
        swap = {s: at[s.name] for s in definition.free_symbols if s.name in at}
        try:
            value = complex(sp.N(definition.xreplace(swap), 15))
        except (TypeError, ValueError):
            return ""
        if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
            return ""
        shown.append(f"{to_text(name)} = {format(value.real, '.6g')}")
    return f" (so {', '.join(shown)})" if shown else ""


def _substituted(answer, spec: AnswerSpec):
    """The answer with the spec's intermediate names replaced (by name: a typed x is the
    layer's x), then evaluated at the spec's point."""
    stages = [{k.name: v for k, v in pairs} for pairs in (spec.substitute, spec.at) if pairs]
    if not stages:
        return answer

    def one(e):
        e = sp.sympify(e)
        for by_name in stages:
            swap = {s: by_name[s.name] for s in e.free_symbols
                    if isinstance(s, sp.Symbol) and s.name in by_name}
            if swap:
                e = e.xreplace(swap)
        return e

    return _map_entries(answer, one)


def _map_entries(value, fn):
    if isinstance(value, sp.MatrixBase):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_map_entries(v, fn) for v in value]
    return fn(value)


def _mentions(answer, symbols) -> list[str]:
    """The names among ``symbols`` that the answer uses."""
    wanted = {s.name for s in symbols}
    used = {s.name for _, e in _entries(answer) for s in sp.sympify(e).free_symbols}
    return sorted(used & wanted)


@dataclass
class _Comparison:
    correct: bool | None
    evidence: str | None = None
    wrong: list[tuple[int, ...]] = field(default_factory=list)
    undecided: list[tuple[int, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rough: list[tuple[int, ...]] = field(default_factory=list)  # right, but too few decimals
    guarded: str | None = None  # the evidence without the expected value (see _own_value)


def _own_value(expected, answer) -> str | None:
    """'yours is 18': the evidence about a wrong number that does not give the right one
    (a number's correct value is the answer itself); None for an expression, whose
    correct value at one point gives the answer away no more than a test would."""
    try:
        expected, answer = sp.sympify(expected), sp.sympify(answer)
        if not (expected.is_number and answer.is_number):
            return None
        value = complex(sp.N(answer, 30))
    except (TypeError, ValueError, sp.SympifyError):
        return None
    if abs(value.imag) > 1e-12 or not math.isfinite(value.real):
        return None
    return f"yours is {_number(answer, value.real)}"


def _reveals(text: str, expected) -> bool:
    """Whether ``text`` shows the expected answer: the whole of it, or one of its numbers
    exactly or as a decimal (a mal-rule's feedback may name the value it should be)."""
    entries = [sp.sympify(e) for _, e in _entries(expected)]
    shown = {to_text(e) for e in entries if sp.count_ops(e) > 0}
    if len(entries) == 1 and not entries[0].is_Symbol:  # a variable's name is no answer
        shown.add(to_text(entries[0]))
    for e in entries:
        if e.is_number:
            shown.add(to_text(e))
            try:
                value = complex(sp.N(e, 30))
            except (TypeError, ValueError):
                continue
            if abs(value.imag) <= 1e-12:
                shown |= {format(value.real, f".{d}g") for d in (3, 4, 6, 8, 10)}
    tokens = set(_NUMBER.findall(text))
    tokens |= {t.lstrip("-") for t in tokens}
    # an expression as a whole word: the answer r is not in "your answer"
    return any(t in tokens if _NUMBER.fullmatch(t) else
               re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text) is not None
               for t in shown if t)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _learner_note(note: str) -> str:
    """The equivalence engine's notes in a learner's words (first = correct, second = yours)."""
    return (note.replace("the first expression", "the correct answer")
            .replace("the second expression", "your answer")
            .replace("where the first is", "where the correct answer is")
            .replace("where both are defined", "where both answers are defined"))


def compare(expected, answer, spec: AnswerSpec, decimals: int | None = None,
            conditions: dict | None = None) -> _Comparison:
    """Entry by entry (different shapes are simply not equal). ``conditions`` maps an
    entry's index to the domain conditions its evaluated form no longer shows."""
    conditions = conditions or {}
    if _shape_of(expected) != _shape_of(answer):
        return _Comparison(False)
    out = _Comparison(True)
    for (index, e), (_, a) in zip(_entries(expected), _entries(answer), strict=True):
        verdict = _compare_entry(sp.sympify(e), sp.sympify(a), spec, decimals,
                                 conditions.get(index, ()))
        out.notes += [_learner_note(n) for n in verdict.notes]
        if verdict.verdict == "tested" and verdict.detail:
            # say what the verdict rests on: a search, not a proof
            out.notes.append(f"checked by evaluation, equal at every point tested: "
                             f"{verdict.detail}; not proved symbolically")
        if verdict.equivalent is False:
            out.wrong.append(index)
            evidence = _evidence(verdict, spec)
            rough = bool(evidence and evidence.startswith(ROUGH))
            if rough:
                evidence = evidence[len(ROUGH):]
                out.rough.append(index)
            if out.evidence is None and evidence:
                out.evidence = evidence
                out.guarded = evidence if rough else (_own_value(e, a) or evidence)
        elif verdict.equivalent is None:
            out.undecided.append(index)
    if out.wrong:
        out.correct = False
    elif out.undecided:
        out.correct = None
    return out


# ---------------------------------------------------------------------------------------
# The verdict


def check_answer(result, text: str, *, show: bool = False) -> AnswerResult:
    """Check ``text`` against ``result`` (any result with ``answer_spec()``)."""
    spec_of = getattr(result, "answer_spec", None)
    if spec_of is None:
        raise UsageError(f"--answer cannot be checked for this kind of result "
                         f"({type(result).__name__})")
    spec: AnswerSpec = spec_of()
    if spec.adapt is not None:
        spec = spec.adapt(text) or spec
    if spec.judge is not None:
        return dataclasses.replace(spec.judge(text), solution=result, show=show)
    labelled = _labelled(result, spec, text)
    if isinstance(labelled, AnswerResult):
        return dataclasses.replace(labelled, show=show)
    answer, reading, conditions = parse_answer(labelled, spec)
    if labelled != text:  # "4 (max)": the label agreed with the kind asked for
        reading = Reading(text, reading.reading, (*reading.notes, f"the label read as the "
                          f"word {spec.label}, the kind asked for"), True, reading.conditions)
    answer = _conform(answer, spec.expected)
    decimals = _typed_decimals(text)

    def verdict(correct, feedback, guarded=None, **extra):
        if correct is False and guarded is None and _reveals(feedback, spec.expected):
            # a mal-rule's feedback that names the right value: the mistake's name (shown
            # beside the verdict) and this sentence still say what to revisit
            guarded = f"That is not {spec.what}."
        return AnswerResult(correct, spec.what, reading, spec.expected, answer, feedback,
                            json_expected=spec.json_expected, solution=result, show=show,
                            guarded_feedback=guarded if guarded != feedback else None, **extra)

    def not_finished(form: Unfinished):
        return verdict(None, f"{_capital(form.step)}.", diagnosis=form.code, unfinished=True)

    compared = _substituted(answer, spec)
    want, got = _shape_of(spec.expected), _shape_of(answer)
    if want != got:
        form = _unfinished_form(spec, answer)
        if form is not None:
            return not_finished(form)
        mistake = diagnose(spec, compared, decimals)
        message = f"{_capital(spec.what)} should be {_describe_shape(want)}; yours is " \
                  f"{_describe_shape(got, short=True)}."
        if mistake is not None:
            return verdict(False, f"{mistake.feedback} ({message})", diagnosis=mistake.code)
        # sizes only, never a value: the message is safe before the last try ("1x4" is no
        # entry of the answer even when 4 is)
        return verdict(False, message, message, diagnosis="wrong_shape")

    comparison = compare(spec.expected, compared, spec, decimals, conditions)
    notes = tuple(dict.fromkeys(comparison.notes))
    named = [k for k, _ in spec.at + spec.substitute]
    if spec.at and comparison.evidence and _mentions(answer, named) \
            and not comparison.evidence.startswith("at "):
        point = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in spec.at)
        point += _intermediate_values(dict(spec.at), spec)
        comparison.evidence = f"at {point}, {comparison.evidence}"
        if comparison.guarded:
            comparison.guarded = f"at {point}, {comparison.guarded}"
    if comparison.correct:
        form = _last_steps(spec, answer)
        if form is not None:
            return dataclasses.replace(not_finished(form), notes=notes)
        return verdict(True, f"{'Those are' if _plural(spec.what) else 'That is'} {spec.what}.",
                       notes=notes)
    if comparison.correct is None:
        where = _which_entries(comparison.undecided, spec)
        return verdict(None, f"Your answer could not be checked{where}: neither a proof nor a "
                       "counterexample was found within the time limit.", notes=notes)
    form = _unfinished_form(spec, answer)
    if form is not None:
        return dataclasses.replace(not_finished(form), notes=notes)
    mistake = diagnose(spec, compared, decimals)
    evidence = comparison.evidence
    guarded = None
    if mistake is not None:
        feedback = mistake.feedback
        code = mistake.code
    else:
        foreign = _foreign_names(spec, answer)
        feedback = foreign or _not_right(spec, comparison)
        guarded = foreign or _not_right(spec, comparison, comparison.guarded)
        if _reveals(guarded, spec.expected):
            guarded = _not_right(spec, comparison, "")
        code = None
    return verdict(False, feedback, guarded, diagnosis=code, evidence=evidence,
                   wrong_entries=tuple(i for i in comparison.wrong if i), notes=notes)


def _labelled(result, spec: AnswerSpec, text: str):
    """Labels in the answer read as words: a classification's verdict, or the text without
    a label that agrees with the kind asked for; a label where the question asks for no
    kind is an error that says what to type instead."""
    from calctutor.checking.named_answers import KINDS, check_classification, label_words

    words = label_words(text, spec.variables)
    if not words:
        return text
    if spec.classification is not None:
        names = [v.name for v in spec.variables]
        points, complete = spec.classification
        return check_classification(points, names, text, result, complete=complete)
    kinds = {KINDS[w] for w in words if w in KINDS}
    if spec.label and kinds and words and all(w in KINDS or w in ("local", "global")
                                               for w in words):
        if kinds != {spec.label}:
            other = next(iter(kinds - {spec.label}))
            return AnswerResult(False, spec.what, Reading(text, text, (), False), spec.expected,
                                text, f"The question asks for the {spec.label}; your answer "
                                f"calls it a {other}.", diagnosis="wrong_kind",
                                json_expected=spec.json_expected, solution=result)
        import re

        bare = re.sub(r"(?i)\b(?:local|global|" + "|".join(KINDS) + r")\b", " ", text)
        bare = re.sub(r"\(\s*\)|[:=]", " ", bare).strip()
        if bare:
            return bare
    shape = {"expr": "an expression", "number": "a number"}.get(
        spec.shape, _describe_shape(_shape_of(spec.expected)))
    raise ParseError(f"'{words[0]}' is a word, not part of an answer here: {spec.what} is "
                     f"{shape}; type "
                     f"{'it' if not _plural(spec.what) else 'them'} alone", text,
                     text.lower().find(words[0]))


def _last_steps(spec: AnswerSpec, answer) -> Unfinished | None:
    """An answer right once the spec's intermediate names are substituted and its point put
    in, that still uses those names: the steps it still needs, in order."""
    names = [k for k, _ in spec.substitute] + [k for k, _ in spec.at]
    left = _mentions(answer, names)
    if not left:
        return None
    steps, code = [], "not_evaluated"
    inner = [(k, v) for k, v in spec.substitute if k.name in left]
    if inner:
        defs = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in inner)
        finals = sorted({to_text(s) for _, v in spec.substitute for s in v.free_symbols})
        steps.append(f"substitute {defs} to write it in {_join(finals) or 'the final variables'}")
        code = "not_substituted"
    if spec.at:
        point = ", ".join(f"{to_text(k)} = {to_text(v)}" for k, v in spec.at)
        numbers = all(sp.sympify(e).is_number for _, e in _entries(spec.expected))
        goal = ("the numbers" if _shape_of(spec.expected) else "a number") if numbers else \
            "its value there"
        steps.append(f"evaluate it at {point} to give {goal}")
    return Unfinished(None, ", then ".join(steps), code)


def _unfinished_form(spec: AnswerSpec, answer) -> Unfinished | None:
    """The spec's unfinished form that the answer equals (entry by entry, as functions of
    the spec's variables), if any."""
    for form in spec.unfinished:
        value = _conform(answer, form.value)
        if _shape_of(value) != _shape_of(form.value):
            continue
        try:
            same = all(check_equivalent(sp.sympify(e), sp.sympify(a),
                                        list(spec.variables)).equivalent is True
                       for (_, e), (_, a) in zip(_entries(form.value), _entries(value),
                                                 strict=True))
        except (TypeError, ValueError, AttributeError, sp.SympifyError):
            continue
        if same:
            return form
    return None


def diagnose(spec: AnswerSpec, answer, decimals: int | None = None) -> Mistake | None:
    """The first mistake (the spec's own, then the generic ones) that gives ``answer``."""
    from calctutor.checking.diagnosis import generic_diagnosis

    seen = set()
    for mistake in spec.mistakes() if spec.mistakes else ():
        key = (mistake.code, _hashable(mistake.value))
        if key in seen:
            continue
        seen.add(key)
        value = _conform(mistake.value, answer)
        if _shape_of(value) != _shape_of(answer) or _surely_differs(value, answer, spec, decimals):
            continue
        try:
            if compare(value, answer, spec, decimals).correct:
                return mistake
        except (TypeError, ValueError, AttributeError):
            continue
    if spec.inspect is not None:
        try:
            found = spec.inspect(answer)
        except (TypeError, ValueError, AttributeError):
            found = None
        if found is not None:
            return found
    return generic_diagnosis(spec, answer)


def _hashable(value):
    if isinstance(value, sp.MatrixBase):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


def _surely_differs(value, answer, spec: AnswerSpec, decimals: int | None) -> bool:
    """A cheap look at one point shows some entry differs (most candidate mistakes are
    ruled out so, in microseconds); the tolerance is that of an approximate answer."""
    from calctutor.checking.equivalence import quick_differ

    rel = max(1e-6, spec.tolerance or 0.0)
    absolute = max(10.0 ** -decimals if decimals is not None else 1e-9, spec.tolerance or 0.0)
    try:
        return any(quick_differ(sp.sympify(e), sp.sympify(a), rel, absolute)
                   for (_, e), (_, a) in zip(_entries(value), _entries(answer), strict=True))
    except (TypeError, ValueError, sp.SympifyError):
        return False


def _foreign_names(spec: AnswerSpec, answer) -> str | None:
    """'Your answer contains t, which is not in the problem ...' (a typo or a wrong letter)."""
    if not spec.variables:
        return None
    known = {s.name for s in spec.variables}
    names = sorted({s.name for _, e in _entries(answer) for s in sp.sympify(e).free_symbols}
                   - known)
    if not names:
        return None
    wanted = ", ".join(sorted(known))
    return (f"Your answer contains {_join(names)}, which {'are' if len(names) > 1 else 'is'} not "
            f"in the problem: {spec.what} is in terms of {wanted}.")


def _not_right(spec: AnswerSpec, comparison: "_Comparison", evidence: str | None = None) -> str:
    """'That is not the derivative: at x = 1.37 yours is ...' or, entry by entry,
    'Entry (2, 2) of your Jacobian is wrong: at x = 1.37 yours is ...' (``evidence``:
    other evidence than the comparison's, e.g. without the expected value)."""
    evidence = comparison.evidence if evidence is None else evidence
    wrong = [i for i in comparison.wrong if i]
    if comparison.rough and comparison.rough == comparison.wrong:
        return f"Nearly: {evidence}."
    if not wrong:
        return f"That is not {spec.what}" + (f": {evidence}." if evidence else ".")
    names = [_entry_name(i, spec) for i in wrong]
    noun = spec.what[4:] if spec.what.startswith("the ") else spec.what
    several = len(names) > 1
    named = all(len(i) == 1 for i in wrong) and spec.entry_names and \
        all(i[0] <= len(spec.entry_names) for i in wrong)
    entries = "entries" if several else "entry"
    label = f"the {_join(names)} {entries}" if named else f"{entries} {_join(names)}"
    text = f"{_capital(label)} of your {noun} {'are' if several else 'is'} wrong"
    if evidence:
        first = f"the {names[0]} entry" if named else f"entry {names[0]}"
        text += f": {'in ' + first + ', ' if several else ''}{evidence}"
    return text + "."


def _entry_name(index, spec: AnswerSpec) -> str:
    if len(index) == 1 and spec.entry_names and index[0] <= len(spec.entry_names):
        return spec.entry_names[index[0] - 1]
    return f"({', '.join(str(i) for i in index)})" if len(index) > 1 else f"{index[0]}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(what: str) -> bool:
    """'the critical points' is plural, 'the value of the derivative' is not."""
    head = what.split(" of ")[0].split(" at ")[0].split()
    return bool(head) and head[-1].endswith("s") and not head[-1].endswith(("ss", "us"))


def _which_entries(indices, spec: AnswerSpec) -> str:
    if not indices or indices == [()]:
        return ""
    labels = []
    for index in indices:
        if len(index) == 1 and spec.entry_names and index[0] <= len(spec.entry_names):
            labels.append(spec.entry_names[index[0] - 1])
        else:
            labels.append("(" + ", ".join(str(i) for i in index) + ")" if len(index) > 1
                          else f"{index[0]}")
    noun = "entry" if len(labels) == 1 else "entries"
    return f" (wrong {noun}: {', '.join(labels)})"


def _describe_shape(shape: tuple[int, ...], short: bool = False) -> str:
    if shape == ():
        return "a single expression"
    if len(shape) == 1:
        return f"a list of {shape[0]} entr{'y' if shape[0] == 1 else 'ies'}"
    if short:
        return f"{shape[0]}×{shape[1]}"
    return (f"a {shape[0]}×{shape[1]} matrix ({shape[0]} row{'s' if shape[0] != 1 else ''}, "
            f"{shape[1]} column{'s' if shape[1] != 1 else ''})")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
