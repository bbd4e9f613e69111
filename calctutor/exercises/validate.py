"""Is a drawn variant a good exercise? (STACK-style question tests, run on every variant.)

A variant is kept when
- its answer is computed by calctutor within ``TIME_LIMIT`` seconds (no error);
- it is not trivial: the answer is not zero (every entry), no declared variable cancels out
  of the input, and nothing is undefined (nan, zoo, oo) or complex;
- it is not huge: every answer entry is at most the template's ``max_size`` characters;
- when the template names a target misconception, that mistake gives a *different* answer
  for this variant (sin(3x) can reveal a dropped chain factor; sin(x) cannot).

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
import random
import re

from calctutor.errors import CalcTutorError, InternalError, LimitError
from calctutor.exercises.bank import Template
from calctutor.exercises.model import Exercise

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
    if template.answer_key == "yes_no":
        from calctutor.exercises.answers import same_function

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
    found: list[str] = []
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
    """True when the misconception ``code`` would give a different answer for ``ex``."""
    check = REVEALS.get(code)
    if check is None:
        return _by_mistakes(code, result)
    return check(ex, result)


def _by_mistakes(code: str, result) -> bool:
    """A code without a check of our own: trust the command's mal-rules when it has one."""
    spec_of = getattr(result, "answer_spec", None)
    if spec_of is None or spec_of().mistakes is None:
        return True
    spec = spec_of()
    return any(m.code == code and _values_differ(m.value, spec.expected)
               for m in spec.mistakes())


def _diff_mal(broken: str):
    def check(ex: Exercise, result) -> bool:
        import sympy as sp

        expr, var, order, point = _diff_problem(result)
        right = expr
        wrong = expr
        for _ in range(order):
            right = sp.diff(right, var)
            wrong = mal_diff(wrong, var, broken)
        if point:
            return _values_differ(wrong.subs(point), right.subs(point))
        return _values_differ(wrong, right)

    return check


def _diff_problem(result):
    """(expression, the variable, order, point or None) of a one-variable diff result."""
    variables = getattr(result, "variables", None) or (result.var,)
    var = variables[0]
    point = dict(result.at) if getattr(result, "at", ()) else None
    return result.expr, var, len(variables), point


def _wrong_variable(ex: Exercise, result) -> bool:
    import sympy as sp

    expr, var, _, point = _diff_problem(result)
    others = [s for s in expr.free_symbols if s != var]
    right = sp.diff(expr, var)
    for other in others:
        wrong = sp.diff(expr, other)
        if point:
            if _values_differ(wrong.subs(point), right.subs(point)):
                return True
        elif _values_differ(wrong, right):
            return True
    return False


def mal_diff(e, x, broken: str):
    """d e/dx with one rule broken: "chain" drops the inner derivative, "product" multiplies
    the factors' derivatives, "quotient" adds instead of subtracting in the quotient rule,
    "power" leaves the exponent unlowered. Other parts are differentiated correctly."""
    import sympy as sp

    if not e.has(x):
        return sp.S.Zero
    if e == x:
        return sp.S.One
    if e.is_Add:
        return sp.Add(*[mal_diff(a, x, broken) for a in e.args])
    if e.is_Mul:
        coeff, rest = e.as_independent(x, as_Add=False)
        if coeff != 1:
            return coeff * mal_diff(rest, x, broken)
        factors = sp.Mul.make_args(rest)
        den = [f for f in factors if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        num = [f for f in factors if f not in den]
        if broken == "quotient" and den and num:
            f, g = sp.Mul(*num), sp.Mul(*[1 / d for d in den])
            return (mal_diff(f, x, broken) * g + f * mal_diff(g, x, broken)) / g**2
        if broken == "product" and len(factors) >= 2:
            return sp.Mul(*[mal_diff(f, x, broken) for f in factors])
        return sp.Add(*[mal_diff(f, x, broken) * sp.Mul(*(factors[:i] + factors[i + 1:]))
                        for i, f in enumerate(factors)])
    if e.is_Pow and not e.exp.has(x):
        b, n = e.args
        if broken == "power":
            return n * b**n * mal_diff(b, x, broken)
        if broken == "chain" and b != x:
            return n * b ** (n - 1)
        return n * b ** (n - 1) * mal_diff(b, x, broken)
    if isinstance(e, sp.Function) and len(e.args) == 1:
        u = e.args[0]
        d = sp.Dummy("u")
        outer = e.func(d).diff(d).subs(d, u)
        if broken == "chain" and u != x:
            return outer
        return outer * mal_diff(u, x, broken)
    return sp.diff(e, x)


def _values_differ(a, b) -> bool:
    """Do two answers (expressions, or lists of them) differ as functions? Sampled at random
    positive points (inside the domain of logs and roots), exact where possible."""
    import sympy as sp

    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        la = a if isinstance(a, (list, tuple)) else [a]
        lb = b if isinstance(b, (list, tuple)) else [b]
        if len(la) != len(lb):
            return True
        return any(_values_differ(x, y) for x, y in zip(la, lb, strict=True))
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return _values_differ(sp.Matrix(a).tolist(), sp.Matrix(b).tolist())
    a, b = sp.sympify(a), sp.sympify(b)
    free = sorted((a.free_symbols | b.free_symbols), key=lambda s: s.name)
    rng = random.Random(12345)
    tried = 0
    for _ in range(8):
        point = {s: sp.Rational(rng.randint(11, 290), 100) for s in free}
        try:
            va = complex(sp.N(a.subs(point), 20))
            vb = complex(sp.N(b.subs(point), 20))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v != v or abs(v) == float("inf") for v in (va, vb)):
            continue
        tried += 1
        if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return True
        if tried >= 4:
            break
    return False


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


def _not_symmetric(ex: Exercise, result) -> bool:
    m = ex.answer
    if not (isinstance(m, list) and m and all(isinstance(r, list) for r in m)):
        return True
    if len(m) != len(m[0]):
        return True  # a transposed m×n matrix has the wrong shape: always visible
    return any(str(m[i][j]) != str(m[j][i]) for i in range(len(m)) for j in range(i))


def _has_high_terms(ex: Exercise, result) -> bool:
    terms = _json(result).get("terms")
    if not isinstance(terms, list):
        return True
    return any(t.get("degree", 0) >= 2 and str(t.get("term")) not in ("0", "") for t in terms)


def _off_origin(ex: Exercise, result) -> bool:
    at = ex.input.get("at")
    values = list(at.values()) if isinstance(at, dict) else [at]
    return any(str(v).strip() not in ("0", "None", "") for v in values)


def _first_step_moves(ex: Exercise, result) -> bool:
    its = _json(result).get("iterations")
    if not isinstance(its, list):
        return True
    if len(its) < 2:
        return False
    key = "x" if "x" in its[0] else "point"
    return its[0].get(key) != its[1].get(key)


def _constraint_matters(ex: Exercise, result) -> bool:
    cands = _json(result).get("candidates")
    if not isinstance(cands, list) or not cands:
        return True
    return any(any(str(m) not in ("0", "0.0") for m in c.get("multipliers", [])) for c in cands)


def _several_paths(ex: Exercise, result) -> bool:
    jac = _json(result).get("jacobians")
    if not isinstance(jac, list) or not jac:
        return True
    first = [e for e in _entries(jac[0]) if str(e) not in ("0", "0.0")]
    return len(first) >= 2


REVEALS = {
    "missing_chain_factor": _diff_mal("chain"),
    "product_rule_as_product": _diff_mal("product"),
    "quotient_sign": _diff_mal("quotient"),
    "power_not_lowered": _diff_mal("power"),
    "wrong_variable": _wrong_variable,
    "transposed_jacobian": _not_symmetric,
    "missing_factorial": _has_high_terms,
    "wrong_point": _off_origin,
    "newton_wrong_sign": _first_step_moves,
    "descent_uphill": _first_step_moves,
    "lagrange_constraint_forgotten": _constraint_matters,
    "missing_path": _several_paths,
}
