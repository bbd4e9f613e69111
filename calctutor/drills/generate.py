"""Drawing exercises from the bank: seeded, reproducible, deduplicated, validated.

``generate(module, count, seed, skill)`` spreads the exercises over the skills (and each
skill's templates) of the module, draws each variant from its own seed (so an exercise is
redrawn exactly by ``instantiate(template, exercise.seed)``), drops duplicates by a canonical
key, and redraws variants that fail validation (``validate.py``) a bounded number of times.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re

from calctutor.drills.bank import (
    PLACEHOLDER,
    Param,
    Skill,
    Template,
    load_bank,
    parse_module,
)
from calctutor.drills.model import Exercise, Part
from calctutor.errors import UsageError

# Attempts at a valid, new variant per exercise slot before moving on to another template.
ATTEMPTS = 12
MAX_COUNT = 200


def skills(module=None) -> list[Skill]:
    """The skills of the bank (of one module, when given) that have templates, in course order."""
    n = parse_module(module)
    bank = load_bank()
    used = {t.skill for t in bank.templates}
    return [s for s in bank.skills if s.name in used and (n is None or s.module == n)]


def module_title(module) -> str:
    n = parse_module(module)
    return load_bank().titles.get(n, "") if n is not None else "All modules"


def match_skills(name: str, module: int | None = None) -> list[Skill]:
    """Skills named by ``name``: the exact name, its number ("1.8"), or words in its name or
    title ("chain rule"), case-insensitive. UsageError when nothing matches."""
    pool = skills(module)
    want = " ".join(name.lower().split())
    exact = [s for s in pool if s.name.lower() == want or s.number == want]
    if exact:
        return exact
    # words of the name first ("product" is the product rule), then of the titles
    found = [s for s in pool if want and want in s.name.lower()]
    found = found or [s for s in pool if want and want in s.title.lower()]
    if not found:
        where = f" in module {module}" if module else ""
        known = ", ".join(s.number for s in pool)
        raise UsageError(f"no skill matches {name!r}{where} (skills: {known}; "
                         "give a number such as 1.8 or words of its name)")
    return found


def templates(module=None, skill: str | None = None) -> list[Template]:
    """The templates of a module (or all) and, optionally, of the skills ``skill`` names."""
    n = parse_module(module)
    pool = [t for t in load_bank().templates if n is None or t.module == n]
    if skill:
        names = {s.name for s in match_skills(skill, n)}
        pool = [t for t in pool if t.skill in names]
    return pool


# ---------------------------------------------------------------------------------------
# One variant


def draw_params(template: Template, rng: random.Random, textbook: bool = True) -> dict:
    """Values for the template's parameters, drawn in order (later ones may use earlier);
    ``textbook=False`` leaves their text as substituted (only ``tidy``-ed), for comparison."""
    values: dict = {}
    picked: dict[str, int] = {}  # the position drawn of each choice (for a paired one)
    for p in template.params:
        for _ in range(100):
            value = _draw(p, rng, values, picked, textbook)
            if _allowed(p, value, values):
                values[p.name] = value
                break
        else:
            raise UsageError(f"{template.file}: template {template.id!r}: params.{p.name} could "
                             "not be drawn (its 'exclude'/'differ'/'nonzero' leave nothing)")
    return values


def _draw(p: Param, rng: random.Random, values: dict, picked: dict, textbook: bool = True):
    if p.low is not None:
        return rng.randint(p.low, p.high)
    if p.choices:
        k = picked[p.pair] if p.pair else rng.randrange(len(p.choices))
        picked[p.name] = k
        value = p.choices[k]
        # a choice may use earlier parameters: "sin({a}x)"; each is printed as a textbook would
        if isinstance(value, str):
            return substitute(value, values, words=not textbook)
        return value
    return _computed(p.value, values, textbook)


def _allowed(p: Param, value, values: dict) -> bool:
    if p.nonzero and _is_zero(value):
        return False
    if value in p.exclude or str(value) in [str(e) for e in p.exclude]:
        return False
    return all(str(values[d]) != str(value) for d in p.differ)


def _is_zero(value) -> bool:
    return value == 0 or (isinstance(value, str) and value.strip() in ("0", "0.0"))


def _computed(text: str, values: dict, textbook: bool = True):
    """A parameter computed from earlier ones, e.g. "2*{a}^2": read by calctutor's safe
    parser, kept an int when it is one."""
    value = _evaluated(tidy(substitute(text, values)))
    if isinstance(value, int):
        return value
    return present(value) if textbook else value


@functools.lru_cache(maxsize=8192)
def _evaluated(text: str):
    from calctutor.notation import to_text
    from calctutor.parsing import parse_expression

    expr = parse_expression(text, what="a computed parameter").expr
    if expr.is_Integer:
        return int(expr)
    return to_text(expr)


# Options whose value is a number of things: "{n}" gives the parameter's int itself.
COUNT_OPTIONS = {"order", "steps", "max_iter", "max-iter", "nonzero"}


def substitute(value, params: dict, keep_type: bool = False, words: bool = False):
    """``value`` (a string, list or table of the template's input) with ``{name}`` replaced
    and printed as a textbook would (``present``; only ``tidy`` with ``words``: a sentence).
    With ``keep_type``, a string that is exactly one placeholder takes the parameter's own
    value (``order = "{n}"`` gives an int); otherwise values are text."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole and keep_type:
            return params[whole.group(1)]
        if whole:
            return _text(params[whole.group(1)])
        filled = PLACEHOLDER.sub(lambda m: _text(params[m.group(1)]), value)
        return tidy(filled) if words else present(filled)
    if isinstance(value, list):
        return [substitute(v, params, words=words) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, params, words=words) for k, v in value.items()}
    return value


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PLUS_MINUS = re.compile(r"\+\s*-\s*")
_MINUS_MINUS = re.compile(r"(?<![\^*/(,=])-\s*-\s*")
_UNIT = re.compile(r"(?<![\w.^/)])1\s*(?=[A-Za-z(])")
_OPEN_PLUS = re.compile(r"([(,=]\s*)\+\s*")


def tidy(text: str) -> str:
    """Clean what substitution leaves: "x + -3" -> "x - 3", "x - -3" -> "x + 3", "1x" -> "x"."""
    out = _PLUS_MINUS.sub("- ", text)
    out = _MINUS_MINUS.sub("+ ", out)
    out = _OPEN_PLUS.sub(r"\1", out)
    out = _UNIT.sub("", out)
    return out.strip()


# ---------------------------------------------------------------------------------------
# Printing a drawn expression as a textbook would

# Where an expression's pieces end: a list's commas, an equation's sides, a matrix's rows.
_SEPARATORS = re.compile(r"(\s*[,;=<>≠≤≥]\s*)")
# A bracketed group stands, while its level is cleaned, for one character of this range.
_GROUP0 = 0xE000
_OPERAND = re.compile(r"[A-Za-z0-9_.'\ue000-\uefff]")
_ZERO_TERM = re.compile(r"0(?![\d.])\s*(?:$|[*/]|(?=[A-Za-z\ue000-\uefff]))")
_FRACTION = re.compile(r"(\d+)\s*((?:[A-Za-z\ue000-\uefff])[^/]*?)\s*/\s*(\d+)")
_POWER_ONE = re.compile(r"\^\s*1(?![\d.])")
_NUMBER_TIMES = re.compile(r"(?<![A-Za-z_\d.])(\d+)\s*\*\s*(?=[A-Za-z\ue000-\uefff])")
_NAME_TIMES = re.compile(r"([A-Za-z0-9_)\]])\s*\*\s*(?=[A-Za-z])")
_GROUP_TIMES = re.compile(r"\s*\*\s*(?=[\ue000-\uefff])")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# "5 x" -> "5x" (one letter after a number), "5cos(x)" -> "5 cos(x)" (a function's name)
_NUMBER_SPACE_LETTER = re.compile(r"(?<![A-Za-z_\d.^/])(\d+)\s+(?=[A-Za-z](?![A-Za-z0-9_]))")
_NUMBER_FUNCTION = re.compile(r"(?<![A-Za-z_\d.^/])(\d+)(?=[A-Za-z]{2,}[\ue000-\uefff])")


@functools.lru_cache(maxsize=8192)  # a bank's pieces recur from draw to draw
def present(text: str) -> str:
    """Drawn maths as a textbook prints it: ``x^1`` -> ``x``; zero terms dropped
    (``x^2 + 0x y`` -> ``x^2``, ``(y - 0)^2`` -> ``y^2``, ``sqrt(6x + 0)`` -> ``sqrt(6x)``);
    a numeric fraction reduced (``4y^2/2`` -> ``2y^2``); no ``*`` between factors
    (``5*p - 3*q`` -> ``5p - 3q``). Every piece that changed is read again with calctutor's
    parser: when it is not the same expression, the text is only ``tidy``-ed (the printed
    problem never differs from the one that is solved)."""
    plain = tidy(text)
    if not re.search(r"[\d*(]", plain):
        return plain  # nothing to print otherwise: a name, a word
    try:
        shown = _present_level(plain)
    except (ValueError, IndexError):
        return plain
    if shown is None or shown == plain or not _same_reading(plain, shown):
        return plain
    return shown


def _present_level(text: str) -> str | None:
    """One bracket level: its groups cleaned first (each kept as one placeholder character
    meanwhile), then its terms, then the groups put back (unwrapped when they hold one name)."""
    groups: list[str] = []
    flat: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in ")]":
            return None  # unbalanced: leave it to the caller's fallback
        if c not in "([":
            flat.append(c)
            i += 1
            continue
        j = _closing(text, i)
        if j is None:
            return None
        inner = _present_level(text[i + 1:j])
        if inner is None:
            return None
        groups.append(c + inner + text[j])
        flat.append(chr(_GROUP0 + len(groups) - 1))
        i = j + 1
    level = "".join(flat)
    level = _NUMBER_TIMES.sub(r"\1", level)
    level = _GROUP_TIMES.sub("", level)
    level = _NAME_TIMES.sub(r"\1 ", level)
    level = _POWER_ONE.sub("", level)
    level = _NUMBER_SPACE_LETTER.sub(r"\1", level)
    level = _NUMBER_FUNCTION.sub(r"\1 ", level)
    pieces = _SEPARATORS.split(level)
    level = "".join(p if k % 2 else _terms(p) for k, p in enumerate(pieces))
    return _put_back(level, groups)


def _closing(text: str, i: int) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "([":
            depth += 1
        elif text[j] in ")]":
            depth -= 1
            if depth == 0:
                return j
    return None


def _terms(segment: str) -> str:
    """A sum with its zero terms dropped and each term's numeric fraction reduced (the
    segment as it was when nothing changes, so the author's spacing stays)."""
    body = segment.strip()
    if not body:
        return segment
    terms: list[list[str]] = [["", ""]]
    last = ""  # the last character that is not a space
    for c in body:
        if c in "+-" and last and _OPERAND.match(last):
            terms.append([c, ""])
        else:
            terms[-1][1] += c
        if not c.isspace():
            last = c
    for t in terms:
        t[1] = t[1].strip()
    if terms[0][1].startswith("-"):
        terms[0] = ["-", terms[0][1][1:].strip()]
    kept = []
    changed = False
    for sign, term in terms:
        if _ZERO_TERM.match(term):  # 0, 0x y, 0/x: not 0.5x, 0^k or 10
            changed = True
            continue
        reduced = _reduce(term)
        changed = changed or reduced != term
        kept.append((sign, reduced))
    if not changed:
        return segment
    if not kept:
        out = "0"
    else:
        out = ("-" if kept[0][0] == "-" else "") + kept[0][1]
        out += "".join(f" {sign} {term}" for sign, term in kept[1:])
    lead = segment[: len(segment) - len(segment.lstrip())]
    trail = segment[len(segment.rstrip()):]
    return lead + out + trail


def _reduce(term: str) -> str:
    """``4y^2/2`` -> ``2y^2``, ``2x^2/2`` -> ``x^2``, ``6x/4`` -> ``3x/2``."""
    m = _FRACTION.fullmatch(term)
    if not m:
        return term
    import math

    num, rest, den = int(m.group(1)), m.group(2), int(m.group(3))
    if den == 0:
        return term
    g = math.gcd(num, den)
    num, den = num // g, den // g
    return (str(num) if num != 1 else "") + rest + (f"/{den}" if den != 1 else "")


def _put_back(level: str, groups: list[str]) -> str:
    out: list[str] = []
    for k, c in enumerate(level):
        n = ord(c) - _GROUP0
        if not 0 <= n < len(groups):
            out.append(c)
            continue
        group = groups[n]
        before = level[k - 1] if k else ""
        after = level[k + 1] if k + 1 < len(level) else ""
        inner = group[1:-1].strip()
        # "(y)" is y and "3(ln(x))" is 3 ln(x), unless the brackets are a function's: sin(y)
        # after "^" only one letter: e^x, but e^(x2)
        if group[0] == "(" and not _after_name(level, k) and (
                re.fullmatch(r"[A-Za-z]", inner) if before == "^" else
                (_NAME.fullmatch(inner) or _one_factor(inner, after))):
            follows = bool(after) and (after.isalnum() or after in "(_" or ord(after) >= _GROUP0)
            spaced = before.isdigit() and re.match(r"[A-Za-z]{2}", inner)  # 3 ln(x), not 3ln(x)
            out.append((" " if spaced else "") + inner + (" " if follows else ""))
            continue
        if group == "(1)" and before == "^":  # x^(1)
            out.pop()
            continue
        out.append(group)
    return "".join(out)


def _one_factor(inner: str, after: str) -> bool:
    """Whether bracketed text is one name, one function call (ln(x^2 + 1)) or a power of a
    name (e^(x^2); not when a power follows: (x^2)^3)."""
    m = re.match(r"[A-Za-z][A-Za-z0-9_]*", inner)
    if not m:
        return False
    rest = inner[m.end():]
    if not rest:
        return True
    if rest.startswith("^"):
        if after == "^":
            return False
        rest = rest[1:]
        if re.fullmatch(r"[A-Za-z0-9_]+", rest):
            return True
    return rest.startswith("(") and _closing(rest, 0) == len(rest) - 1


def _after_name(level: str, k: int) -> bool:
    """Whether position ``k`` follows a name (a function's brackets), not a number or an operator."""
    j = k
    while j > 0 and level[j - 1].isdigit():
        j -= 1
    return j > 0 and (level[j - 1].isalpha() or level[j - 1] in "_'")


def _same_reading(before: str, after: str) -> bool:
    """Whether each piece between separators reads as the same expression in both texts."""
    import sympy as sp

    from calctutor.errors import CalcTutorError
    from calctutor.parsing import parse_expression

    split = re.compile(r"[,;=<>≠≤≥\[\]]")
    old, new = split.split(before), split.split(after)
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if " ".join(a.split()) == " ".join(b.split()):
            continue
        try:
            ea, eb = parse_expression(a).expr, parse_expression(b).expr
        except CalcTutorError:
            return False
        if ea != eb and sp.expand(ea - eb) != 0:
            return False
    return True


def draft(template: Template, seed: int, textbook: bool = True) -> tuple[dict, dict, tuple]:
    """(parameters, the command's input, the prompt's pieces) of the variant ``seed`` of
    ``template``, without the exercise's id or its maths pieces (cheap: for checking many
    prompts). A piece is (placeholder name, text) or ("", the template's own words); the
    prompt is their texts joined. ``textbook=False``: the text as substituted, only
    ``tidy``-ed."""
    params, inp = _draw_variant(template, seed, textbook)
    pieces = tuple((name, _shown(params[name] if name in params else inp[name]))
                   if name else (name, words) for name, words in _pieces(template.prompt))
    return params, inp, pieces


def _draw_variant(template: Template, seed: int, textbook: bool = True) -> tuple[dict, dict]:
    rng = random.Random(f"{template.key}#{seed}")
    params = draw_params(template, rng, textbook)
    inp = {k: substitute(v, params, keep_type=k in COUNT_OPTIONS, words=not textbook)
           for k, v in template.input.items()}
    return params, inp


def instantiate(template: Template, seed: int) -> Exercise:
    """The variant of ``template`` drawn from ``seed`` (its answer not yet computed)."""
    params, inp = _draw_variant(template, seed)
    parts = _prompt_parts(template, params, inp)
    prompt = "".join(text for _, text in parts)
    hints = {k: substitute(getattr(template, k), params, words=k != "domain")
             for k in ("form", "domain", "hint") if getattr(template, k)}
    if template.misconception:
        hints["misconception"] = template.misconception
    key = canonical_key(template.kind, inp)
    digest = hashlib.sha1(key.encode()).hexdigest()[:8]
    yes_if = substitute(template.yes_if, params) if template.yes_if else None
    asked = substitute(template.asked_order, params, keep_type=True) \
        if isinstance(template.asked_order, str) else template.asked_order
    return Exercise(f"m{template.module}-{template.id}-{digest}", template.module, template.skill,
                    template.kind, prompt, inp, None, template.key, seed, parts, hints,
                    template.answer_key, yes_if=yes_if, decimals=template.decimals,
                    tolerance=template.tolerance,
                    asked_order=int(asked) if asked is not None else None)


def _prompt_parts(template: Template, params: dict, inp: dict) -> tuple[Part, ...]:
    parts: list[Part] = []
    pos = 0
    text = template.prompt
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            parts.append(("text", text[pos:m.start()]))
        name = m.group(1)
        if name in params:
            value = _text(params[name])
            # a plain integer reads fine as words ("from x0 = 2"); anything else is maths
            plain = re.fullmatch(r"-?\d+", value) is not None
            parts.append(("math" if not plain and _is_math(value) else "text", value))
        else:
            parts.extend(_input_parts(inp[name]))
        pos = m.end()
    if pos < len(text):
        parts.append(("text", text[pos:]))
    return tuple(parts)


def _pieces(prompt: str):
    """(placeholder name, "") and ("", text) pieces of a prompt, in order."""
    pos = 0
    for m in PLACEHOLDER.finditer(prompt):
        if m.start() > pos:
            yield "", prompt[pos:m.start()]
        yield m.group(1), ""
        pos = m.end()
    if pos < len(prompt):
        yield "", prompt[pos:]


def _shown(value) -> str:
    """A parameter's or an input's value as the prompt prints it (as ``_input_parts``)."""
    if isinstance(value, dict):
        return ", ".join(f"{k} = {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return _text(value)


def _input_parts(value) -> list[Part]:
    if isinstance(value, dict):
        return [("text", ", ".join(f"{k} = {v}" for k, v in value.items()))]
    if isinstance(value, list):
        # e.g. constraints: each one maths, "; " between them
        parts: list[Part] = []
        for k, v in enumerate(value):
            if k:
                parts.append(("text", "; "))
            parts.extend(_input_parts(str(v)))
        return parts
    value = str(value)
    plain = re.fullmatch(r"-?\d+", value) is not None  # "from x0 = 2" reads fine as words
    return [("math" if not plain and _is_math(value) else "text", value)]


@functools.lru_cache(maxsize=8192)
def _is_math(value: str) -> bool:
    """Whether a prompt piece reads as an expression (else it is shown as words)."""
    from calctutor.errors import CalcTutorError
    from calctutor.parsing import parse_expression

    if not re.search(r"[\d^*/()+\-]|^[A-Za-z]$", value):
        return False
    try:
        # an equation ("x^2 + y^2 = 1") is maths when both sides are
        for side in value.split("=") if value.count("=") == 1 else [value]:
            parse_expression(side)
    except CalcTutorError:
        return False
    return True


def canonical_key(kind: str, inp: dict) -> str:
    """A key that two variants share when they pose the same problem: the input with every
    expression as calctutor reads it ("3x + -2" and "3*x - 2" agree)."""
    return kind + ":" + json.dumps({k: _canonical(v) for k, v in inp.items()}, sort_keys=True)


def _canonical(value):
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, str):
        return _canonical_text(value)
    return value


@functools.lru_cache(maxsize=8192)  # a bank's pieces recur from draw to draw
def _canonical_text(value: str) -> str:
    from calctutor.errors import CalcTutorError
    from calctutor.notation import to_sympy
    from calctutor.parsing import parse_expression

    try:
        return to_sympy(parse_expression(value).expr)
    except CalcTutorError:
        return " ".join(value.split())


# ---------------------------------------------------------------------------------------
# A worksheet


def generate(module=None, count: int = 10, seed: int | None = None,
             skill: str | None = None, *, validate: bool = True,
             deadline: float | None = None) -> list[Exercise]:
    """``count`` validated exercises of ``module`` (1…6, "module3", None or "all": every
    module), spread over its skills, reproducible from ``seed`` (random when None).

    Fewer come back when the bank has no more distinct valid variants, or when
    ``deadline`` (a ``time.monotonic()`` value) passes first."""
    import time

    from calctutor.drills.validate import solved_and_valid

    if not isinstance(count, int) or count < 1 or count > MAX_COUNT:
        raise UsageError(f"--count must be between 1 and {MAX_COUNT} (got {count})")
    pool = templates(module, skill)
    if not pool:
        raise UsageError("there are no exercises for that choice of module and skill yet "
                         "(the commands that solve them are not installed)")
    if seed is None:
        seed = random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    order = _spread(pool, count, rng)
    seen: set[str] = set()
    out: list[Exercise] = []
    dead: set[str] = set()  # templates that produced no new valid variant
    k = 0
    while len(out) < count and len(dead) < len(pool):
        if deadline is not None and time.monotonic() > deadline:
            break
        template = order[k % len(order)]
        k += 1
        if template.key in dead:
            continue
        for _ in range(ATTEMPTS):
            ex = instantiate(template, rng.randrange(1 << 31))
            key = canonical_key(ex.kind, ex.input)
            if key in seen:
                continue
            seen.add(key)
            if not validate:
                out.append(ex)
                break
            good = solved_and_valid(ex, template)
            if good is not None:
                out.append(good)
                break
        else:
            dead.add(template.key)
        if k > 50 * count + len(pool):  # a hard stop, whatever the bank holds
            break
    # a worksheet reads in course order: 1.2, 1.3, …, then module 2, …
    out.sort(key=lambda e: (e.module, _skill_order(e.skill)))
    return out


def _spread(pool: list[Template], count: int, rng: random.Random) -> list[Template]:
    """Templates in an order that visits every skill before any skill twice (and, within a
    skill, every template before any twice)."""
    by_skill: dict[str, list[Template]] = {}
    for t in pool:
        by_skill.setdefault(t.skill, []).append(t)
    for ts in by_skill.values():
        rng.shuffle(ts)
    names = list(by_skill)
    order: list[Template] = []
    rounds = max(len(ts) for ts in by_skill.values())
    for r in range(rounds):
        picked = names[:]
        rng.shuffle(picked)
        for name in picked:
            ts = by_skill[name]
            order.append(ts[r % len(ts)])
    return order


def _skill_order(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split()[0].split(".") if p.isdigit())
