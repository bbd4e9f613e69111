"""Mal-rules for derivatives: the answers a learner with one broken rule would give.

``derivative_mistakes(expr, variables, at)`` is what ``DiffResult.answer_spec`` offers to
the answer checker. It runs each mal-rule differentiator of
:mod:`calctutor.checking.malrules` on THIS problem (every application of the rule broken,
then, when the rule applies several times, one application at a time), then pairs of the
rules that apply (compound slips, coded ``"a+b"``), then differentiation with respect to
the wrong variable. With a point, each wrong derivative is evaluated there. Candidates equal
to the right answer are dropped. The generic sign and constant-factor mistakes come after
these, from :mod:`calctutor.checking.diagnosis`.
"""

from __future__ import annotations

import re
from functools import partial
from itertools import combinations
from typing import Sequence

import sympy as sp

from calctutor.checking.answer import Mistake
from calctutor.checking.equivalence import check_equivalent, probe_value, quick_differ
from calctutor.checking.malrules import (
    MAL_RULES,
    CoefficientAsFactor,
    ConstantPowerRule,
    MalRule,
    OuterAtVariable,
    PowerLoweredWrongly,
    clause,
    combine,
    feedback,
    t,
)
from calctutor.notation import prose
from calctutor.steps.differentiate import Differentiator

MAX_SITES = 3   # single applications tried one at a time, per rule
MAX_PAIRS = 20  # compound slips tried (differentiations, ~1 ms each)
MAX_SIZE = 400  # count_ops of the problem above which only single rules are tried


def derivative_mistakes(expr: sp.Expr, variables: Sequence[sp.Symbol],
                        at: dict | None = None, text: str | None = None) -> list[Mistake]:
    """Candidate wrong answers for d(expr)/d(variables...), most telling first. ``text`` is
    the problem as typed: a power of numbers there (3^4) is one the learner saw, although
    it is read as its value (81)."""
    variables = list(variables)
    if not variables:
        return []
    rules = MAL_RULES + (OuterAtVariable, _constant_power_rule(text), CoefficientAsFactor,
                         PowerLoweredWrongly)
    runs = _mal_runs(expr, variables, rules) + _wrong_variable_runs(expr, variables)
    right = sp.diff(expr, *variables)
    point = dict(at) if at else None
    if point:
        right = right.xreplace(point)
    mistakes, seen = [], set()
    for code, value, said in runs:
        try:
            if point:
                value = _value_at(value, point)
                if value is None:
                    continue
            if value in seen or _same(right, value):
                continue
        except Exception:  # noqa: BLE001 - best effort, as in _differentiate
            continue
        seen.add(value)
        mistakes.append(_Deferred(code, value, said))
    return mistakes


def antiderivative_given(expr: sp.Expr, variables: Sequence[sp.Symbol], answer) -> Mistake | None:
    """The answer is an antiderivative of the function (d/dx 1/x answered ln x): its own
    derivative gives the function back. A property of the answer, so checked on it."""
    if len(variables) != 1 or not isinstance(answer, sp.Expr) or not answer.has(variables[0]):
        return None
    var = variables[0]
    try:
        back = sp.diff(answer, var)
        if quick_differ(back, expr) or check_equivalent(back, expr, [var]).equivalent is not True:
            return None
    except Exception:  # noqa: BLE001 - best effort, as in _differentiate
        return None
    return Mistake("antiderivative_given", answer, prose(
        lambda: f"You integrated instead of differentiating: the derivative of your answer "
                f"is {t(expr)} itself. The question asks for the rate of change of "
                f"{t(expr)}: apply the differentiation rules to it."))

class _Deferred(Mistake):
    """A ``Mistake`` whose feedback sentence is written when first read: printing the
    sub-expressions is the costliest part of offering dozens of candidates, and only the
    one that matches is read."""

    @property
    def feedback(self) -> str:
        said = self.__dict__["_feedback"]
        if callable(said):
            said = self.__dict__["_feedback"] = said()
        return said

    @feedback.setter
    def feedback(self, value) -> None:
        self.__dict__["_feedback"] = value


def _differentiate(d: Differentiator, expr, variables, stages=None) -> sp.Expr:
    """Successive derivatives with ``d`` at the stages listed (all by default) and the
    right rules at the others. (Not tidied between stages: tidy costs more than all the
    mal-rules together, and the rules take any form.) A rule that cannot be broken on this
    expression (an error inside SymPy) gives no candidate: diagnosis is best effort and must
    never turn a verdict into a crash."""
    current = expr
    try:
        for i, var in enumerate(variables):
            rules = d if stages is None or i in stages else Differentiator()
            current = rules.diff(current, var).result
    except Exception:  # noqa: BLE001 - see docstring
        d.slips.clear()
    return current


_LITERAL_POWER = re.compile(r"(?<![\w.^])(\d+)\s*\^\s*(\d+|\(\s*-?\d+\s*\))(?![\w.(])")


def _constant_power_rule(text: str | None) -> type[MalRule]:
    """ConstantPowerRule, told which integers of the problem were typed as powers."""
    literals = {}
    for base, exp in _LITERAL_POWER.findall(text or ""):
        b, n = sp.Integer(base), sp.Integer(exp.strip("() "))
        if n not in (0, 1) and b > 1:
            literals[b ** n] = (b, n)
    if not literals:
        return ConstantPowerRule
    return type("ConstantPowerRuleTyped", (ConstantPowerRule,), {"literals": literals})


def _mal_runs(expr, variables, rules=MAL_RULES) -> list[tuple[str, sp.Expr, str]]:
    runs, applying, times = [], [], {}
    for rule in rules:
        d = rule()
        value = _differentiate(d, expr, variables)
        if not d.slips:
            continue
        applying.append(rule)
        runs.append((rule.code, value, partial(_say, d)))
        count = times[rule.code] = d.seen.get(rule.code, 0)
        if count > 1:
            for k in range(min(count, MAX_SITES)):
                one = rule(only=k)
                value = _differentiate(one, expr, variables)
                if one.slips:
                    runs.append((rule.code, value, partial(_say, one)))
        if len(variables) > 1:
            for stage in range(len(variables)):
                one = rule()
                value = _differentiate(one, expr, variables, {stage})
                if one.slips:
                    runs.append((rule.code, value, partial(_say, one)))
    # a rule slip and a flipped overall sign (the generic mistakes try each alone)
    negated = [(f"{code}+sign_error", -value, partial(_with_sign, said))
               for code, value, said in runs if "+" not in code]
    if sp.count_ops(expr) > MAX_SIZE:
        return runs + negated
    pairs = [(a, b) for a, b in combinations(applying, 2) if a.code != b.code]
    tried = 0
    for first, second in pairs:
        for only in _pair_sites(first, second, times):
            if tried >= MAX_PAIRS:
                return runs + negated
            tried += 1
            d = combine(first, second)(only=only)
            value = _differentiate(d, expr, variables)
            codes = {s.code for s in d.slips}
            if {first.code, second.code} <= codes:
                runs.append((d.code, value, partial(_say_pair, d, first.code, second.code)))
    return runs + negated


def _with_sign(said) -> str:
    return f"{said()} Your answer also has the opposite sign."


def _pair_sites(first, second, times):
    """Both rules broken everywhere; then, where a rule applies more than once, that rule
    broken at one place only (the other everywhere)."""
    yield {}
    for rule in (first, second):
        if times.get(rule.code, 0) > 1:
            for k in range(min(times[rule.code], MAX_SITES)):
                yield {rule.code: k}


def _say(d: MalRule) -> str:
    """The feedback of a run: the outermost slip (recorded last), and where else it happened
    (a ``Prose``: its expressions are typeset where the format can)."""
    return prose(_said, d)


def _said(d: MalRule) -> str:
    main = d.slips[-1]
    said = feedback(main)
    others = list(dict.fromkeys(t(s.expr) for s in d.slips[:-1] if s.expr != main.expr))
    if others:
        said += f" The same slip happens in {_join(others)}."
    return said


def _say_pair(d: MalRule, first: str, second: str) -> str:
    return prose(_said_pair, d, first, second)


def _said_pair(d: MalRule, first: str, second: str) -> str:
    a = next(s for s in reversed(d.slips) if s.code == first)
    b = next(s for s in reversed(d.slips) if s.code == second)
    text = f"Two slips together give your answer: {clause(a)}, and {clause(b)}."
    return text


def _wrong_variable_runs(expr, variables) -> list[tuple[str, sp.Expr, str]]:
    runs = []
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for stage, var in enumerate(variables[:3]):
        for other in symbols:
            if other == var:
                continue
            swapped = list(variables)
            swapped[stage] = other
            try:
                value = sp.diff(expr, *swapped)
            except Exception:  # noqa: BLE001 - best effort, as in _differentiate
                continue
            if len(variables) == 1:
                said = (f"You differentiated with respect to {t(other)} instead of {t(var)}: "
                        f"hold {t(other)} constant and differentiate with respect to {t(var)}.")
            else:
                said = (f"Your {_ordinal(stage + 1)} differentiation is with respect to {t(other)}, "
                        f"but it should be with respect to {t(var)} "
                        f"(the order asked for is {', '.join(t(v) for v in variables)}).")
            runs.append(("wrong_variable", value, said))
    return runs


def _value_at(value, point):
    v = value.xreplace(point)
    if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    return v


def _same(right, value) -> bool:
    """Is the candidate the right answer after all (then it diagnoses nothing)? Equal real
    values at three unrelated probe points say yes (for a candidate that really differs
    that would be a coincidence of measure zero); no real value there: the full check."""
    for k in range(3):  # lazily: the first probe point usually tells them apart
        r, v = probe_value(right, k), probe_value(value, k)
        if r is None or v is None:
            break
        if abs(r - v) > 1e-9 * max(1.0, abs(r), abs(v)):
            return False
    else:
        return True
    if quick_differ(right, value):
        return False
    return check_equivalent(right, value).equivalent is True


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


# ---------------------------------------------------------------------------------------
# Which problems can reveal a misconception: the exercise bank keeps a variant that targets
# one only when the misconception gives this problem a different answer (sin(3x) can reveal
# a dropped chain factor; sin(x) cannot). ``REVEALS`` maps each command to the codes its
# templates may target, each with its check ``(result, answer) -> bool``; its keys are read
# by the bank without importing this module, so they stay string literals.


# -- a slope read off a graph (the bank's picture exercises: an estimate within a tolerance)
def slope_reading_mistakes(slope, tolerance: float) -> list[Mistake]:
    """Run over rise and the sign of a falling slope, each offered only when ``tolerance``
    tells its value apart from ``slope`` (an estimate near both is not named a mistake)."""
    e = float(slope)
    out = []
    if e != 0 and abs(1 / e - e) > 2 * tolerance:
        out.append(Mistake("slope_upside_down", 1 / sp.sympify(slope),
                           "That is run over rise, upside down: the gradient is rise over "
                           "run, the change in y divided by the change in x."))
    if abs(e) > tolerance:
        out.append(Mistake("slope_sign", -sp.sympify(slope),
                           "The sign is wrong: where the curve rises from left to right its "
                           "gradient is positive, where it falls the gradient is negative."))
    return out


def _slope_of(result):
    value = getattr(result, "value", None)
    return value if value is not None and value.is_number else None


def _problem(result):
    """(expression, the variables of each differentiation, point or None) of a diff result."""
    variables = tuple(getattr(result, "variables", None) or (result.var,))
    return result.expr, variables, dict(result.at) if getattr(result, "at", ()) else None


def _gives_another_answer(expr, variables, point, wrong) -> bool:
    right = sp.diff(expr, *variables)
    if point:
        right, wrong = right.xreplace(point), _value_at(wrong, point)
        if wrong is None:  # no value there: the misconception cannot be seen in a value
            return False
    return not _same(right, wrong)


def _reveals_rule(code: str):
    """The check for a mal-rule of :mod:`calctutor.checking.malrules` (every rule with the
    code): broken everywhere it applies, does it change the answer?"""
    rules = [r for r in MAL_RULES if r.code == code]

    def reveals(result, answer=None) -> bool:
        expr, variables, point = _problem(result)
        for rule in rules:
            d = rule()
            wrong = _differentiate(d, expr, variables)
            if d.slips and _gives_another_answer(expr, variables, point, wrong):
                return True
        return False

    return reveals


def _reveals_wrong_variable(result, answer=None) -> bool:
    expr, variables, point = _problem(result)
    return any(_gives_another_answer(expr, variables, point, wrong)
               for _, wrong, _ in _wrong_variable_runs(expr, variables))


REVEALS = {"diff": {
    "missing_chain_factor": _reveals_rule("missing_chain_factor"),
    "product_rule_as_product": _reveals_rule("product_rule_as_product"),
    "product_rule_sign": _reveals_rule("product_rule_sign"),
    "quotient_sign": _reveals_rule("quotient_sign"),
    "quotient_denominator": _reveals_rule("quotient_denominator"),
    "quotient_as_quotient": _reveals_rule("quotient_as_quotient"),
    "power_not_lowered": _reveals_rule("power_not_lowered"),
    "power_rule_on_exponential": _reveals_rule("power_rule_on_exponential"),
    "general_power_as_exponential": _reveals_rule("general_power_as_exponential"),
    "missing_log_factor": _reveals_rule("missing_log_factor"),
    "trig_sign": _reveals_rule("trig_sign"),
    "constant_not_zero": _reveals_rule("constant_not_zero"),
    "off_by_constant_factor": _reveals_rule("off_by_constant_factor"),
    "wrong_variable": _reveals_wrong_variable,
    "slope_upside_down": lambda result, answer=None: _slope_of(result) not in (None, 0, 1, -1),
    "slope_sign": lambda result, answer=None: _slope_of(result) not in (None, 0),
}}
