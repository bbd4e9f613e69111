"""Is a drawn variant a good exercise? (STACK-style question tests, run on every variant.)

A variant is kept when
- its answer is computed by calctutor within ``TIME_LIMIT`` seconds (no error);
- it is not trivial: the answer is not zero (every entry), no declared variable cancels out
  of the input, and nothing is undefined (nan, zoo, oo) or complex;
- it is not huge: every answer entry is at most the template's ``max_size`` characters;
- when the template names a target misconception, that mistake gives a *different* answer
  for this variant (sin(3x) can reveal a dropped chain factor; sin(x) cannot), by the
  check the command's topic declares beside its mal-rules (``topics/<t>/mistakes.py``,
  ``REVEALS``).

``problems(exercise, template)`` lists what is wrong (empty when it is good);
``solved_and_valid`` returns the exercise with its answer, or None.

A refusal (ParseError, UsageError, LimitError) means the draw was ill-posed and is redrawn.
A crash (InternalError, any other exception, or a result the answer cannot be read from) is
a bug: the learner still gets a redrawn variant, but the crash is appended to ``CRASHES`` and
its problem starts with ``CRASH``, so the test suite fails on it instead of redrawing past it.
"""

from __future__ import annotations

import dataclasses
import json
import re

from calctutor.drills.bank import Template
from calctutor.drills.model import Exercise
from calctutor.errors import CalcTutorError, InternalError, LimitError

TIME_LIMIT = 4.0
# The parts of a command's JSON that make the answer (the rest is the worked solution).
ANSWER_FIELDS = {"stationary_points": ("point", "kind")}
_TIMED_OUT = object()
_BAD_VALUES = ("nan", "zoo", "oo", "I")
CRASH = "the command crashed"
# (template key, input, "ErrorType: message") of every crash seen in this process; a list
# only ever appended to, so the tests can see bugs that the redraw hides from the learner.
CRASHES: list[tuple[str, dict, str]] = []


def solved_and_valid(ex: Exercise, template: Template) -> Exercise | None:
    """``ex`` with its answer filled in when it passes every check, else None."""
    found, good = check_variant(ex, template)
    return good if not found else None


def problems(ex: Exercise, template: Template) -> list[str]:
    """What is wrong with this variant, in words (empty: a good exercise)."""
    return check_variant(ex, template)[0]


def check_variant(ex: Exercise, template: Template) -> tuple[list[str], Exercise | None]:
    """(problems, the exercise with its answer and cached result, or None if unsolved)."""
    from calctutor.sandbox import within

    def solve():
        try:
            return ex.solve()
        except InternalError as err:
            return _Bug(err)
        except CalcTutorError as err:
            return err
        except Exception as err:  # noqa: BLE001 - a bug in a command must not end a worksheet
            return _Bug(err)

    result = within(TIME_LIMIT, solve, default=_TIMED_OUT)
    if result is _TIMED_OUT:
        return [f"no answer within {TIME_LIMIT:g} s"], None
    if isinstance(result, CalcTutorError):
        return [f"the command failed: {err_line(result)}"], None
    if isinstance(result, _Bug):
        return [_crash(ex, template, result.err)], None
    try:
        answer = answer_of(result, template, ex)
    except (KeyError, TypeError, ValueError, InternalError) as err:
        return [_crash(ex, template, err, "no answer could be read from the result: ")], None
    except CalcTutorError as err:
        return [f"no answer could be read from the result: {err}"], None
    solved = dataclasses.replace(ex, answer=answer)
    object.__setattr__(solved, "_result", result)
    found = []
    found += _cancelled_variables(ex)
    found += _trivial_or_undefined(answer)
    found += _too_big(answer, template.max_size)
    found += _stopped_early(ex, result)
    found += ill_posed(ex, template, result, answer)
    if template.misconception and not found:
        reveal = within(TIME_LIMIT, reveals, template.misconception, solved, result,
                        default=_TIMED_OUT)
        if reveal is _TIMED_OUT:
            found.append(f"could not check within {TIME_LIMIT:g} s that the variant reveals "
                         f"{template.misconception}")
        elif not reveal:
            found.append(f"cannot reveal the target misconception {template.misconception}")
    return found, solved


class _Bug:
    def __init__(self, err: Exception):
        self.err = err


def _crash(ex: Exercise, template: Template, err: Exception, where: str = "") -> str:
    what = f"{type(err).__name__}: {err}"
    CRASHES.append((template.key, dict(ex.input), what))
    return f"{CRASH}: {where}{what}"


def err_line(err: CalcTutorError) -> str:
    return err.one_line()


def answer_of(result, template: Template, ex: Exercise | None = None):
    """The answer in the contract's JSON shape: what ``--answer`` checks for this result
    (``AnswerSpec``), or the key of the command's JSON that the template names; "yes" or
    "no" for a yes/no template (``ex`` gives the compared expression); rounded to the
    template's ``decimals``."""
    if template.decimals is not None:
        return _rounded(_answer_of(result, template, ex), template.decimals)
    return _answer_of(result, template, ex)


def _answer_of(result, template: Template, ex: Exercise | None):
    from calctutor.drills import pictures

    if template.answer_key in pictures.KEYS:
        return pictures.answer_of(result, template, ex)
    if template.answer_key == "yes_no":
        from calctutor.drills.answers import same_function

        if ex is None or not ex.yes_if:
            raise ValueError("a yes/no answer needs the exercise's compared expression")
        same = same_function(result, ex.yes_if).equivalent
        if same is None:
            raise LimitError(f"could not decide whether the answer is {ex.yes_if}")
        return "yes" if same else "no"
    if template.answer_key:
        value = result.to_json()[template.answer_key]
        if template.answer_key == "evaluations":  # T0(p), ..., Tn(p): the question is Tn(p)
            return value[-1]["value"]
        if template.answer_key == "activations":  # a(1), ..., a(L): the question is the output
            return value[-1][0] if len(value[-1]) == 1 else value[-1]
        keep = ANSWER_FIELDS.get(template.answer_key)
        if keep and isinstance(value, list):
            value = [{k: v[k] for k in keep if k in v} if isinstance(v, dict) else v for v in value]
        return value
    spec_of = getattr(result, "answer_spec", None)
    if spec_of is None:
        return result.to_json()
    from calctutor.checking.answer import json_shape

    spec = spec_of()
    return spec.json_expected if spec.json_expected is not None else json_shape(spec.expected)


# ---------------------------------------------------------------------------------------
# The checks


def _entries(value) -> list:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _entries(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _entries(v)]
    return [value]


def _trivial_or_undefined(answer) -> list[str]:
    entries = [e for e in _entries(answer) if not isinstance(e, bool)]
    found = []
    texts = [str(e).replace(" ", "") for e in entries]
    if entries and all(t in ("0", "0.0", "-0.0") for t in texts):
        found.append("the answer is zero (a trivial exercise)")
    for t in texts:
        words = set("".join(c if c.isalnum() else " " for c in t).split())
        if words & set(_BAD_VALUES):
            found.append(f"the answer {t!r} is undefined or complex")
            break
    return found


def _too_big(answer, limit: int) -> list[str]:
    for e in _entries(answer):
        if isinstance(e, str) and len(e) > limit:
            return [f"an answer entry has {len(e)} characters (limit {limit})"]
    if len(json.dumps(answer)) > 8 * limit:
        return [f"the answer has more than {8 * limit} characters in all"]
    return []


def _stopped_early(ex: Exercise, result) -> list[str]:
    """An exercise asking for N iteration steps must get N (no singular or flat start)."""
    steps = ex.input.get("steps")
    if not isinstance(steps, int) or ex.kind not in ("newton", "descent"):
        return []
    its = _json(result).get("iterations")
    if isinstance(its, list) and len(its) < steps + 1:
        why = _json(result).get("message") or "the iteration stopped"
        return [f"only {len(its) - 1} of the {steps} steps could be taken ({why})"]
    return []


def _declared(inp: dict) -> list[str]:
    from calctutor.topics.inputs import names_list

    names: list[str] = []
    var = inp.get("var")
    if var is not None:
        names += [var] if isinstance(var, str) else [str(v) for v in var]
    names += names_list(inp.get("vars"))
    return names


def _cancelled_variables(ex: Exercise) -> list[str]:
    """A declared variable (``var``/``vars``) must survive in the input expression, and a
    diff must have something to differentiate."""
    expr = ex.input.get("expr")
    if not isinstance(expr, str):
        return []
    from calctutor.parsing import parse_expressions

    names = _declared(ex.input)
    try:
        parsed = parse_expressions(expr, variables=names)
    except CalcTutorError as err:
        return [f"the input does not parse: {err.one_line()}"]
    free = {s.name for p in parsed for s in p.expr.free_symbols}
    gone = [n for n in names if n not in free]
    if gone:
        return [f"the variable {', '.join(gone)} cancels out of the input"]
    if not free:
        return ["the input has no variable"]
    return []


# ---------------------------------------------------------------------------------------
# Is the question, as printed, well posed? (what a textbook's editor would send back)


def ill_posed(ex: Exercise, template: Template, result, answer) -> list[str]:
    """What makes the printed question ill-posed for this draw (empty: nothing)."""
    from calctutor.drills.pictures import problems as unfair_picture

    found: list[str] = unfair_picture(ex, template, result)
    for check in (_no_stationary_point, _unsigned_area_factor, _relu_at_kink,
                  _listed_parameters, _same_role, _yes_no_without_key):
        found += check(ex, template, result, answer)
    return found


def _no_stationary_point(ex: Exercise, template: Template, result, answer) -> list[str]:
    """"Find and classify the stationary point" needs one (a singular Hessian can leave none)."""
    if template.answer_key != "stationary_points" or not isinstance(answer, list):
        return []
    if not answer:
        return ["there is no stationary point to find (the gradient is never zero)"]
    if re.search(r"\bthe stationary point\b", ex.prompt) and len(answer) != 1:
        return [f"the prompt asks for one stationary point, but there are {len(answer)}"]
    return []


_AREA = re.compile(r"\b(areas?|volumes?)\b.*\bscal|\bscal\w*\b.*\b(areas?|volumes?)\b", re.I)
_SIGNED = re.compile(r"\bsigned\b|\|\s*det|absolute value", re.I)


def _unsigned_area_factor(ex: Exercise, template: Template, result, answer) -> list[str]:
    """An area (volume) scale factor is |det J|: asking for it with det J < 0 is ambiguous,
    unless the prompt asks for the signed determinant (or for |det J|)."""
    if template.answer_key != "determinant" or not _AREA.search(ex.prompt) \
            or _SIGNED.search(ex.prompt):
        return []
    import sympy as sp

    det = getattr(result, "determinant", None)
    if not isinstance(det, sp.Expr):
        return []
    # coordinates such as r are positive; the factor must be positive wherever they are
    positive = det.xreplace({s: sp.Dummy(s.name, positive=True) for s in det.free_symbols})
    if positive.is_positive:
        return []
    return [f"the determinant {det} can be negative, but the prompt asks for an area (volume) "
            "factor: ask for |det J|, or say that the determinant is signed"]


_RELU_CONVENTION = re.compile(r"ReLU\s*'\s*\(\s*0\s*\)", re.I)


def _relu_at_kink(ex: Exercise, template: Template, result, answer) -> list[str]:
    """A gradient through a ReLU whose input is exactly 0 depends on the convention for
    ReLU'(0): the prompt must state it, or the draw is redrawn."""
    network = getattr(result, "network", None)
    forward = getattr(result, "forward", None)
    if network is None or forward is None or template.answer_key == "activations" \
            or getattr(result, "check", "cost") == "cost" or _RELU_CONVENTION.search(ex.prompt):
        return []
    for k, (layer, z) in enumerate(zip(network.layers, forward.z, strict=False), start=1):
        if layer.activation == "relu" and any(v == 0 for v in z):
            return [f"z({k}) has an entry 0, where ReLU has no derivative, and the prompt does "
                    "not say which value ReLU'(0) takes"]
    return []


# "f(x; mu, sigma) = ...": the variables, then the parameters, of a function's signature
_SIGNATURE = re.compile(r"\b[A-Za-z]\w*\(\s*([\w\s,]*);([\w\s,]*)\)\s*=")


def _listed_parameters(ex: Exercise, template: Template, result, answer) -> list[str]:
    """The names a prompt's signature lists are exactly the expression's."""
    m = _SIGNATURE.search(ex.prompt)
    expr = ex.input.get("expr")
    if not m or not isinstance(expr, str):
        return []
    from calctutor.parsing import parse_expressions

    listed = {n for n in re.split(r"[\s,]+", m.group(1) + "," + m.group(2)) if n}
    try:
        used = {s.name for p in parse_expressions(expr) for s in p.expr.free_symbols}
    except CalcTutorError:
        return []
    found = []
    if listed - used:
        found.append(f"the prompt lists {', '.join(sorted(listed - used))}, which "
                     "does not appear in the function")
    if used - listed:
        found.append(f"{', '.join(sorted(used - listed))} appears in the function but is "
                     "not listed in f's arguments")
    return found


def _same_role(ex: Exercise, template: Template, result, answer) -> list[str]:
    """Two variables with the same partial derivative everywhere play the same role
    ("a x^3 + b x^3"): the question cannot tell them apart."""
    if ex.kind != "gradient" or "at" in ex.input or not isinstance(answer, list):
        return []
    entries = [" ".join(str(e).split()) for e in answer]
    if len(set(entries)) == len(entries):
        return []
    names = [v.name for v in getattr(result, "variables", ())] or ["?"] * len(entries)
    first = next(i for i, e in enumerate(entries) if entries.index(e) != i)
    other = entries.index(entries[first])
    return [f"∂/∂{names[other]} and ∂/∂{names[first]} are the same function: "
            f"{names[other]} and {names[first]} play the same role"]


_YES_NO_QUESTION = re.compile(r"^\s*(Is|Are|Does|Do|Can|Has|Have)\b")


def _yes_no_without_key(ex: Exercise, template: Template, result, answer) -> list[str]:
    """A question asking yes or no has a yes/no key."""
    if _YES_NO_QUESTION.match(ex.prompt) and template.answer_key != "yes_no":
        return ["the prompt asks a yes/no question, but the answer key is not yes or no "
                "(give answer_key = \"yes_no\" and yes_if)"]
    return []


# ---------------------------------------------------------------------------------------
# Can the variant reveal the template's target misconception?


def reveals(code: str, ex: Exercise, result) -> bool:
    """True when the misconception ``code`` would give a different answer for ``ex``: the
    check its topic declares next to its mal-rules (``mistakes.REVEALS[kind]``). A code not
    declared for the kind cannot be shown to reveal anything (the bank refuses it)."""
    check = reveal_checks(ex.kind).get(code)
    return check is not None and check(result, ex.answer)


def reveal_checks(kind: str) -> dict:
    """The misconception checks its topic declares for command ``kind`` (code -> check)."""
    from calctutor.topics import topic_of

    return getattr(topic_of(kind).module("mistakes"), "REVEALS", {}).get(kind, {})


def _rounded(value, decimals: int):
    """Every number of an answer to ``decimals`` places (an exact one as its decimal)."""
    if isinstance(value, list):
        return [_rounded(v, decimals) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v, decimals) for k, v in value.items()}
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), decimals)
    if isinstance(value, str):
        import sympy as sp

        from calctutor.parsing import parse_expression

        expr = parse_expression(value).expr
        if expr.is_number and expr.is_real:
            return round(float(sp.N(expr, 30)), decimals)
    return value


def _json(result) -> dict:
    out = result.to_json()
    return out if isinstance(out, dict) else {}
