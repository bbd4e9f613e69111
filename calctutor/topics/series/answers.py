"""``--answer`` for the series' own questions: a general term (right from any first index
once the powers agree term by term) and a radius or interval of convergence (typed as an
interval, inequalities or words)."""

from __future__ import annotations

import dataclasses
import re

import sympy as sp

from calctutor.checking.answer import AnswerResult, AnswerSpec
from calctutor.errors import ParseError, UsageError
from calctutor.notation import to_sympy, to_text
from calctutor.results import Reading
from calctutor.topics.series.terms import (
    NotASeries,
    PowerSeries,
    Undefined,
    coefficient_value,
    compare,
    power_term,
    read_series,
    series_text,
)


# -- the general term ------------------------------------------------------------------------
def general_term_spec(result, series: PowerSeries) -> AnswerSpec:
    """What ``--general-term --answer`` checks: the series, from any first index."""
    n = series.index
    what = f"the general term (the term in {n.name}, from {n.name} = {series.start})"
    x, a = result.at[0]

    def judge(text: str) -> AnswerResult:
        return judge_general_term(text, result, series)

    from calctutor.topics.series.mistakes import general_term_answer_mistakes

    return AnswerSpec("expr", series.term(), what, tuple(result.variables) + (n,),
                      judge=judge, json_expected=to_sympy(series.term()),
                      mistakes=lambda: general_term_answer_mistakes(series, result),
                      form=(f"as the {n.name}-th term, e.g. 3^{n.name} x^{n.name}/{n.name}! "
                            f"(type 'from {n.name} = 1' after it if your first term is for "
                            f"{n.name} = 1)"))


def _named_power(u, power: int) -> str:
    return "constant" if power == 0 else series_text(power_term(1, u, power))


def _wrong_series(series: PowerSeries, power: int, mine: PowerSeries):
    """(feedback, guarded feedback): the learner's term with that power against the series'."""
    u = series.base
    want = power_term(series.coefficient_of(power), u, power)
    k = mine.index_of(power)
    if k is None and power >= 0:
        told = f"your series has no {_named_power(u, power)} term, but the " \
               f"series has {series_text(want)}"
        kept = f"your series has no {_named_power(u, power)} term, but the series has one"
        return told, kept
    n = mine.index.name
    if k is None:  # a negative power: from the first terms
        k = next(j for j in range(mine.start, mine.start + 1000) if mine.power_of(j) == power)
    yours = series_text(power_term(coefficient_value(mine.coefficient, mine.index, k), u, power))
    if power < 0:
        text = (f"your term for {n} = {k} is {yours}, a negative power: a Taylor series has "
                f"none (does your series start later? type e.g. 'from {n} = {k + 1}')")
        return text, text
    if want == 0:
        told = (f"your term for {n} = {k} is {yours}, but the series has no "
                f"{_named_power(u, power)} term (its coefficient is 0)")
        return told, told
    return (f"your term for {n} = {k} is {yours}, the series has {series_text(want)}",
            f"your term for {n} = {k} is {yours}, which is not the series' "
            f"{_named_power(u, power)} term")


def judge_general_term(text: str, result, series: PowerSeries) -> AnswerResult:
    """The verdict on a typed general term (bad input raises ParseError/UsageError)."""
    from calctutor.topics.series.mistakes import general_term_mistakes

    x, a = result.at[0]
    what = f"the general term (from {series.index.name} = {series.start})"
    try:
        mine, reading, typed = read_series(text, series.index, x, a, series.start,
                                           positive=bool(x.is_positive))
    except NotASeries as err:
        return _verdict(False, what, Reading(text, text), series, None,
                        f"That is not a general term: {err}.")
    except ParseError:
        raise
    name = series.index.name
    if typed is not None:
        reading = Reading(reading.text, f"{reading.reading} (from {name} = {typed})",
                          reading.notes, True, reading.conditions)
    else:
        # no first index typed, and the term undefined where the question's starts (x^n/n
        # at n = 0): the learner's series can only start where its terms are defined
        first = _first_defined(mine, series.start + 3)
        if first is not None and first != mine.start:
            mine = dataclasses.replace(mine, start=first)
            reading = Reading(reading.text, reading.reading, reading.notes + (
                f"your term is undefined for {name} = {series.start}, so your series was read "
                f"from {name} = {first} (type 'from {name} = {first}' to say so)",),
                True, reading.conditions)
    try:
        found = compare(mine, series)
    except Undefined as err:
        msg = (f"Your term is undefined for {series.index.name} = {err.n}, where your series "
               f"starts: {err.why}. If your series starts later, type e.g. "
               f"'from {series.index.name} = {err.n + 1}' after it.")
        return _verdict(False, what, reading, series, mine, msg)
    if found.same:
        shift = "" if mine.start == series.start and mine.step == series.step and \
            mine.offset == series.offset else ": your indexing differs, but every term is the same"
        return _verdict(True, what, reading, series, mine, f"That is {what}{shift}.")
    if found.same is None:
        return _verdict(None, what, reading, series, mine,
                        f"Your series agrees with the Taylor series in its first "
                        f"{found.checked} powers, but SymPy could not prove it for every "
                        f"{series.index.name}: it could not be checked.")
    told, kept = _wrong_series(series, found.power, mine)
    for code, wrong, feedback in general_term_mistakes(series, result):
        try:
            if compare(mine, wrong).same:
                return _verdict(False, what, reading, series, mine, f"{feedback} ({told}.)",
                                guarded=f"{feedback} ({kept}.)", diagnosis=code,
                                evidence=told)
        except Undefined:
            continue
    return _verdict(False, what, reading, series, mine, f"Not {what}: {told}.",
                    guarded=f"Not {what}: {kept}.", evidence=told)


def _first_defined(s: PowerSeries, last: int) -> int | None:
    for n in range(s.start, last + 1):
        try:
            coefficient_value(s.coefficient, s.index, n)
            return n
        except Undefined:
            continue
    return None


def _verdict(correct, what, reading, series, mine, feedback, guarded=None, diagnosis=None,
             evidence=None) -> AnswerResult:
    return AnswerResult(correct, what, reading, series.term(),
                        mine.term() if mine is not None else None, feedback,
                        diagnosis=diagnosis, evidence=evidence,
                        json_expected=to_sympy(series.term()),
                        guarded_feedback=guarded if guarded not in (None, feedback) else None)


# -- the radius and the interval -------------------------------------------------------------
_INFINITY = {"oo", "∞", "inf", "infinity", "infinite", "+oo", "+∞", "+inf", "+infinity"}
_ALL = re.compile(r"^\s*(?:for\s+)?(?:all|every|any)\s+(?:real\s+)?(?:x|numbers?|values?(?:\s+of\s+x)?|"
                  r"real\s+numbers?|reals)\s*$|^\s*(?:everywhere|r|ℝ|reals)\s*$", re.IGNORECASE)


def convergence_spec(conv) -> AnswerSpec:
    """What ``--radius``/``--interval`` with ``--answer`` checks."""
    from calctutor.topics.series.mistakes import convergence_mistakes

    if conv.asked == "radius":
        def judge(text):
            return judge_radius(text, conv)
        return AnswerSpec("number", conv.radius, "the radius of convergence", (conv.variable,),
                          judge=judge, json_expected=to_sympy(conv.radius),
                          mistakes=lambda: [m for m in convergence_mistakes(conv)
                                            if not isinstance(m.value, str)],
                          form="as a number, exactly like 3/4 or sqrt(2), or oo (infinity)")

    def judge(text):
        return judge_interval(text, conv)
    lo, hi, left, right = _as_tuple(conv)
    expected = sp.Interval(lo, hi, not left, not right)
    return AnswerSpec("expr", expected, "the interval of convergence", (conv.variable,),
                      judge=judge, json_expected=conv.interval_text(to_text),
                      mistakes=lambda: [m for m in convergence_mistakes(conv)
                                        if isinstance(m.value, str)],
                      form=(f"as an interval such as (-2, 2] or [0, 4), or inequalities such as "
                            f"-2 < {conv.variable.name} <= 2, or 'all {conv.variable.name}'"))


def _read_number(text: str, what: str) -> sp.Expr:
    from calctutor.parsing import parse_expression

    t = text.strip()
    if t.lower() in _INFINITY:
        return sp.oo
    if t.lower() in {"-oo", "-∞", "-inf", "-infinity"}:
        return -sp.oo
    value = parse_expression(t, what=what).expr
    if not value.is_number:
        raise UsageError(f"{what} must be a number (got {text.strip()})")
    return value


def judge_radius(text: str, conv) -> AnswerResult:
    from calctutor.topics.series.mistakes import convergence_mistakes

    what = "the radius of convergence"
    if "<" in text or "," in text or _ALL.match(text):
        raise UsageError("--answer: type the radius as one number (or oo), not an interval")
    if conv.radius != sp.oo and text.strip().lower() not in _INFINITY | {"-oo", "-inf"}:
        # a number against a finite radius: the usual check (a decimal right to the places
        # typed, the radius mistakes by name, feedback that keeps the value for the quiz)
        from calctutor.checking.answer import check_answer

        class _Number:
            def answer_spec(self):
                return dataclasses.replace(convergence_spec(conv), judge=None)

        return check_answer(_Number(), text)
    got = _read_number(text, "your answer")
    reading = Reading(text, to_text(got), (), text.strip() != to_text(got))
    if _same(got, conv.radius):
        return AnswerResult(True, what, reading, conv.radius, got, f"That is {what}.",
                            json_expected=to_sympy(conv.radius))
    for m in convergence_mistakes(conv):
        if not isinstance(m.value, str) and _same(got, m.value):
            return AnswerResult(False, what, reading, conv.radius, got, m.feedback,
                                diagnosis=m.code, json_expected=to_sympy(conv.radius),
                                guarded_feedback=None)
    return AnswerResult(False, what, reading, conv.radius, got,
                        f"Not {what}: it is {to_text(conv.radius)}: the ratio test's limit "
                        f"{to_text(conv.limit)} is below 1 only for |x - a| < "
                        f"{to_text(conv.radius)}.",
                        guarded_feedback=f"Not {what}: find the limit of the ratio "
                                         f"|a(n+1)/a(n)| and solve 'limit < 1' for |x - a|.",
                        json_expected=to_sympy(conv.radius))


def _same(a, b) -> bool:
    if a == sp.oo or b == sp.oo:
        return a == b
    try:
        return bool(sp.simplify(a - b) == 0)
    except TypeError:
        return False


def read_interval(text: str, name: str, centre: sp.Expr):
    """(low, high, low closed, high closed) from "(-1, 1]", "-1 < x <= 1", "|x - 2| < 1",
    "all x", "x = 0"; a UsageError naming what to type otherwise."""
    t = text.strip().replace("≤", "<=").replace("≥", ">=").replace("−", "-")
    if _ALL.match(t) or re.fullmatch(rf"all\s+{re.escape(name)}", t, re.IGNORECASE):
        return -sp.oo, sp.oo, False, False
    m = re.fullmatch(r"([\[(])\s*(.+?)\s*,\s*(.+?)\s*([\])])", t)
    if m:
        lo = _read_number(m.group(2), "the interval's left end")
        hi = _read_number(m.group(3), "the interval's right end")
        return lo, hi, m.group(1) == "[", m.group(4) == "]"
    m = re.fullmatch(rf"(.+?)\s*(<=|<)\s*{re.escape(name)}\s*(<=|<)\s*(.+)", t)
    if m:
        lo = _read_number(m.group(1), "the left bound")
        hi = _read_number(m.group(4), "the right bound")
        return lo, hi, m.group(2) == "<=", m.group(3) == "<="
    m = re.fullmatch(r"\|\s*(.+?)\s*\|\s*(<=|<)\s*(.+)", t)
    if m:
        from calctutor.parsing import parse_expression

        inside = parse_expression(m.group(1), variables=[name], what="your answer").expr
        r = _read_number(m.group(3), "the radius")
        var = [s for s in inside.free_symbols if s.name == name]
        if len(var) != 1 or not sp.simplify(sp.diff(inside, var[0]) ** 2 - 1) == 0:
            raise UsageError(f"--answer: inside |...| write {name} - a (got {m.group(1)})")
        c = sp.simplify(-inside.xreplace({var[0]: 0}) * sp.diff(inside, var[0]))
        return sp.simplify(c - r), sp.simplify(c + r), m.group(2) == "<=", m.group(2) == "<="
    m = re.fullmatch(rf"(?:only\s+(?:at\s+)?)?{re.escape(name)}\s*=\s*(.+?)(?:\s+only)?", t,
                     re.IGNORECASE)
    if m:
        c = _read_number(m.group(1), "your answer")
        return c, c, True, True
    raise UsageError(f"--answer: type an interval such as (-1, 1] or [0, 2), inequalities "
                     f"such as -1 < {name} <= 1, or 'all {name}' (got '{text.strip()}')")


def interval_words(lo, hi, left, right, name) -> str:
    if lo == -sp.oo and hi == sp.oo:
        return f"all {name}"
    if lo == hi:
        return f"{name} = {to_text(lo)} only"
    return f"{'[' if left else '('}{to_text(lo)}, {to_text(hi)}{']' if right else ')'}"


def judge_interval(text: str, conv) -> AnswerResult:
    from calctutor.topics.series.mistakes import convergence_mistakes

    what = "the interval of convergence"
    name = conv.variable.name
    expected = conv.interval_text(to_text)
    got = read_interval(text, name, conv.centre)
    reading = Reading(text, interval_words(*got, name), (), False)
    if expected is None:
        return AnswerResult(None, what, reading, None, reading.reading,
                            "Your answer could not be checked: SymPy could not decide every "
                            "endpoint of the interval (the worked solution says which).")
    want = _as_tuple(conv)
    if len(got) == 4 and _same_interval(got, want):
        return AnswerResult(True, what, reading, expected, reading.reading, f"That is {what}.",
                            json_expected=expected)
    lo, hi, left, right = got
    if lo != -sp.oo and hi != sp.oo and conv.radius not in (0, sp.oo) and \
            _same(lo, want[0]) and _same(hi, want[1]):
        # the right ends, the wrong inclusion: say which end, not what it should be
        wrong = [e for e, mine in zip(conv.endpoints, (left, right), strict=True)
                 if mine != e.converges]
        ends = " and ".join(f"x = {to_text(e.at)}" for e in wrong)
        told = "; ".join(f"at x = {to_text(e.at)}: {e.reason}" for e in wrong)
        for m in convergence_mistakes(conv):
            if isinstance(m.value, str) and _same_interval(read_interval(m.value, name, 0),
                                                           got):
                return AnswerResult(False, what, reading, expected, reading.reading,
                                    f"{m.feedback} ({told}.)", diagnosis=m.code,
                                    guarded_feedback=f"{m.feedback} (look again at {ends}.)",
                                    evidence=told, json_expected=expected)
        return AnswerResult(False, what, reading, expected, reading.reading,
                            f"The ends are right, but not which belong: {told}.",
                            guarded_feedback=f"The ends are right, but not which belong: look "
                                             f"again at {ends}.",
                            evidence=told, json_expected=expected)
    for m in convergence_mistakes(conv):
        if isinstance(m.value, str) and _same_interval(read_interval(m.value, name, 0), got):
            return AnswerResult(False, what, reading, expected, reading.reading, m.feedback,
                                diagnosis=m.code, json_expected=expected)
    r = to_text(conv.radius)
    return AnswerResult(False, what, reading, expected, reading.reading,
                        f"Not {what}: the ratio test gives the radius {r} about "
                        f"{name} = {to_text(conv.centre)}, so the interval is {expected}.",
                        guarded_feedback=f"Not {what}: the ratio test gives the radius; centre "
                                         f"it on {name} = {to_text(conv.centre)} and test each "
                                         f"endpoint's series on its own.",
                        json_expected=expected)


def _as_tuple(conv):
    if conv.radius == sp.oo:
        return -sp.oo, sp.oo, False, False
    lo, hi = conv.bounds
    left, right = conv.closed()
    return lo, hi, bool(left), bool(right)


def _same_interval(a, b) -> bool:
    if a[0] == b[0] == -sp.oo and a[1] == b[1] == sp.oo:
        return True
    if a[0] == a[1] and b[0] == b[1]:
        return _same(a[0], b[0])
    return _same(a[0], b[0]) and _same(a[1], b[1]) and a[2] == b[2] and a[3] == b[3]
