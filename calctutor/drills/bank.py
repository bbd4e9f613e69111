"""Loading the exercise bank: ``exercises/module1.toml`` … ``module6.toml`` (see exercises/README.md).

A file declares the module's skills and its templates. Every mistake a teacher can make in a
file (a missing key, a wrong type, a placeholder without a parameter, a skill that is not
declared) is reported as a ``BankError`` naming the file, the template and the key.

This module does not import SymPy: reading the bank is plain data work.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from calctutor.errors import CalcTutorError, UsageError
from calctutor.topics import KINDS  # the commands a template may name

MODULES = range(1, 7)


def parse_module(text) -> int | None:
    """"module3", "3", 3 -> 3; None or "all" -> None (every module); UsageError otherwise."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        t = str(text).strip().lower()
        if t == "all":
            return None
        m = re.fullmatch(r"(?:module|m)?\s*(\d+)", t)
        if not m:
            raise UsageError(f"unknown module {str(text)!r}: choose module1 ... module6 (or 1 ... 6, or all)")
        value = int(m.group(1))
    if value not in MODULES:
        raise UsageError(f"unknown module {str(text)!r}: choose module1 ... module6 (or 1 ... 6, or all)")
    return value


@lru_cache(maxsize=1)
def misconceptions() -> dict[str, tuple[str, ...]]:
    """The misconceptions a template of each kind may target: the codes its topic declares
    for that command in ``mistakes.py`` (``REVEALS[kind]``, each with the check that a
    variant can show it). Read from the source: importing those modules imports SymPy."""
    import importlib.util

    from calctutor.topics import TOPICS

    out: dict[str, tuple[str, ...]] = {c: () for topic in TOPICS for c in topic.commands}
    for topic in TOPICS:
        spec = importlib.util.find_spec(f"{topic.package}.mistakes")
        if spec is not None and spec.origin:
            out |= _declared(Path(spec.origin), "REVEALS")
    return out


def _declared(path: Path, name: str) -> dict[str, tuple[str, ...]]:
    """The module-level ``name = {"kind": {"code": ..., ...}, ...}`` of the Python file
    ``path``, as each kind's codes (string keys only)."""
    import ast

    def keys(node) -> list:
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)] \
            if isinstance(node, ast.Dict) else []

    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) \
                and isinstance(node.value, ast.Dict):
            return {kind: tuple(keys(codes)) for kind, codes
                    in zip(keys(node.value), node.value.values, strict=False)}
    return {}


PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TEMPLATE_KEYS = {"id", "skill", "kind", "prompt", "params", "input", "show", "misconception",
                  "form", "domain", "hint", "max_size", "answer_key", "decimals", "yes_if",
                  "tolerance", "asked_order"}
_PARAM_KEYS = {"int", "choice", "value", "nonzero", "exclude", "differ", "pair"}
# "to 6 decimal places" in a prompt: the template's ``decimals`` must say the same
DECIMAL_PLACES = re.compile(r"(\d+)\s+decimal\s+places?", re.IGNORECASE)


class BankError(CalcTutorError):
    """A mistake in an exercise file (the message names the file, the template and the key)."""


@dataclass(frozen=True)
class Skill:
    """A course skill: its module, its name ("1.8 chain rule") and a one-line title."""

    module: int
    name: str
    title: str

    @property
    def number(self) -> str:
        """The course's number of the skill, e.g. "1.8"."""
        return self.name.split()[0]


@dataclass(frozen=True)
class Param:
    """How one parameter is drawn: an integer range, a list of choices, or a value computed
    from earlier parameters (``value = "2*{a}"``)."""

    name: str
    low: int | None = None
    high: int | None = None
    choices: tuple = ()
    value: str | None = None
    nonzero: bool = False
    exclude: tuple = ()
    differ: tuple[str, ...] = ()
    pair: str | None = None  # a choice taken at the same position as this earlier choice's


@dataclass(frozen=True, eq=False)
class Template:
    """One exercise template of the bank (the fields mirror the TOML keys)."""

    id: str
    module: int
    skill: str
    kind: str
    prompt: str
    params: tuple[Param, ...]
    input: dict
    show: str | None = None
    misconception: str | None = None
    form: str | None = None
    domain: str | None = None
    hint: str | None = None
    max_size: int = 160
    answer_key: str | None = None
    file: str = ""
    decimals: int | None = None  # the answer key rounded to this many decimal places
    yes_if: str | None = None  # answer_key "yes_no": yes when the answer is this function
    tolerance: float | None = None  # answer_key "graph_slope": right within this distance
    asked_order: str | int | None = None  # answer_key "curve_letter": the order asked for

    @property
    def key(self) -> str:
        """The template's unique name across the bank, e.g. "module1/chain-sin"."""
        return f"module{self.module}/{self.id}"


@dataclass(frozen=True, eq=False)
class Bank:
    """Every module's skills and templates."""

    skills: tuple[Skill, ...]
    templates: tuple[Template, ...]
    titles: dict = field(default_factory=dict)  # module number -> module title


def bank_dir() -> Path:
    """The folder of exercise files: ``calctutor/_exercises`` when installed from a wheel,
    else the checkout's top-level ``exercises/``."""
    package = Path(__file__).resolve().parent.parent  # calctutor/
    for candidate in (package / "_exercises", package.parent / "exercises"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the exercise bank is missing (expected calctutor/_exercises or exercises/)")


@lru_cache(maxsize=4)
def load_bank(folder: str | None = None) -> Bank:
    """The whole bank (cached): every ``module<N>.toml`` of ``folder`` (default: bank_dir())."""
    root = Path(folder) if folder else bank_dir()
    skills: list[Skill] = []
    templates: list[Template] = []
    titles: dict[int, str] = {}
    for n in MODULES:
        path = root / f"module{n}.toml"
        if not path.exists():
            continue
        title, s, t = load_file(path, n)
        titles[n] = title
        skills += s
        templates += t
    return Bank(tuple(skills), tuple(templates), titles)


def load_file(path: Path, module: int) -> tuple[str, list[Skill], list[Template]]:
    """(module title, skills, templates) of one file; BankError on any mistake in it."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise BankError(f"{name}: not valid TOML ({err})") from None
    if data.get("module", module) != module:
        raise BankError(f"{name}: 'module' is {data.get('module')!r}, expected {module}")
    title = _text(data.get("title", f"Module {module}"), name, "title")
    skills = []
    for k, entry in enumerate(_tables(data, "skill", name)):
        where = f"{name}: skill {k + 1}"
        sname = _text(entry.get("name"), where, "name")
        if not re.match(rf"{module}\.\d+ \S", sname):
            raise BankError(f"{where}: 'name' must start with the skill's number, e.g. "
                            f"\"{module}.1 partial derivatives\" (got {sname!r})")
        skills.append(Skill(module, sname, _text(entry.get("title", sname), where, "title")))
    by_name = {s.name: s for s in skills} | {s.number: s for s in skills}
    templates = []
    seen: set[str] = set()
    for k, entry in enumerate(_tables(data, "template", name)):
        t = _template(entry, module, name, k, by_name)
        if t.id in seen:
            raise BankError(f"{name}: template id {t.id!r} is used twice")
        seen.add(t.id)
        templates.append(t)
    return title, skills, templates


def _tables(data: dict, key: str, name: str) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BankError(f"{name}: '{key}' must be an array of tables ([[{key}]])")
    return value


def _text(value, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{where}: '{key}' must be a non-empty string (got {value!r})")
    return value


def _template(entry: dict, module: int, name: str, k: int, skills: dict) -> Template:
    tid = entry.get("id")
    where = f"{name}: template {tid!r}" if isinstance(tid, str) else f"{name}: template {k + 1}"
    tid = _text(tid, where, "id")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", tid):
        raise BankError(f"{where}: 'id' may use only lower-case letters, digits and '-'")
    unknown = set(entry) - _TEMPLATE_KEYS
    if unknown:
        raise BankError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                        f"(known: {', '.join(sorted(_TEMPLATE_KEYS))})")
    skill = _text(entry.get("skill"), where, "skill")
    if skill not in skills:
        raise BankError(f"{where}: 'skill' {skill!r} is not declared in a [[skill]] table of {name}")
    kind = _text(entry.get("kind"), where, "kind")
    if kind not in KINDS:
        raise BankError(f"{where}: 'kind' {kind!r} is not a command (choose from {', '.join(KINDS)})")
    prompt = _text(entry.get("prompt"), where, "prompt")
    raw_params = entry.get("params", {})
    if not isinstance(raw_params, dict):
        raise BankError(f"{where}: 'params' must be a table")
    params = tuple(_param(pname, spec, f"{where}: params.{pname}", raw_params)
                   for pname, spec in raw_params.items())
    inp = entry.get("input")
    if not isinstance(inp, dict) or not inp:
        raise BankError(f"{where}: 'input' must be a table of the command's options")
    names = {p.name for p in params}
    for key, value in inp.items():
        _check_placeholders(value, names, f"{where}: input.{key}")
    _check_placeholders(prompt, names | set(inp), f"{where}: prompt")
    show = entry.get("show")
    if show is not None and show not in inp:
        raise BankError(f"{where}: 'show' names {show!r}, which is not a key of 'input'")
    mis = entry.get("misconception")
    known = misconceptions().get(kind, ())
    if mis is not None and mis not in known:
        raise BankError(f"{where}: 'misconception' {mis!r} is not one that kind {kind!r} can "
                        f"show (known: {', '.join(known) or 'none'})")
    size = entry.get("max_size", 160)
    if not isinstance(size, int) or isinstance(size, bool) or size < 10:
        raise BankError(f"{where}: 'max_size' must be an integer of at least 10")
    opt = {key: _text(entry[key], where, key) for key in ("form", "domain", "hint", "answer_key")
           if key in entry}
    decimals = _decimals(entry, prompt, where)
    yes_if = entry.get("yes_if")
    if (yes_if is not None) != (opt.get("answer_key") == "yes_no"):
        raise BankError(f"{where}: a yes/no question needs both answer_key = \"yes_no\" and "
                        "'yes_if' (the expression the command's answer is compared with)")
    if yes_if is not None:
        _check_placeholders(_text(yes_if, where, "yes_if"), names, f"{where}: yes_if")
    tolerance, asked = _picture_keys(entry, opt.get("answer_key"), prompt, names, where)
    return Template(tid, module, skills[skill].name, kind, prompt, params, inp, show, mis,
                    max_size=size, file=name, decimals=decimals, yes_if=yes_if,
                    tolerance=tolerance, asked_order=asked, **opt)


def _picture_keys(entry: dict, key: str | None, prompt: str, names: set, where: str):
    """``tolerance`` (a slope read off a graph, stated in the prompt as "within 0.5") and
    ``asked_order`` (the order whose curve is asked for), each with its answer_key only."""
    tolerance, asked = entry.get("tolerance"), entry.get("asked_order")
    if (tolerance is not None) != (key == "graph_slope"):
        raise BankError(f"{where}: a slope read off a graph needs both answer_key = "
                        "\"graph_slope\" and 'tolerance' (how close an estimate must be)")
    if tolerance is not None:
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) \
                or not 0 < tolerance <= 10:
            raise BankError(f"{where}: 'tolerance' must be a number above 0 (at most 10)")
        if not re.search(rf"\bwithin {re.escape(format(tolerance, 'g'))}(?!\d|\.\d)", prompt):
            raise BankError(f"{where}: 'tolerance' is {tolerance:g}, so the prompt must say "
                            f"how close an estimate must be: \"within {tolerance:g}\"")
        tolerance = float(tolerance)
    if (asked is not None) != (key == "curve_letter"):
        raise BankError(f"{where}: a curve to recognise needs both answer_key = "
                        "\"curve_letter\" and 'asked_order' (the order whose curve is asked)")
    if asked is not None:
        if isinstance(asked, bool) or not isinstance(asked, (int, str)):
            raise BankError(f"{where}: 'asked_order' must be an integer or \"{{name}}\"")
        _check_placeholders(asked, names, f"{where}: asked_order")
    return tolerance, asked


def _decimals(entry: dict, prompt: str, where: str) -> int | None:
    """The template's ``decimals``, which the prompt must state ("to 6 decimal places")."""
    decimals = entry.get("decimals")
    stated = DECIMAL_PLACES.search(prompt)
    if decimals is None:
        if stated:
            raise BankError(f"{where}: the prompt asks for {stated.group(0)}: give "
                            f"'decimals = {stated.group(1)}' so the answer key is rounded so")
        return None
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
        raise BankError(f"{where}: 'decimals' must be an integer from 0 to 12")
    if not stated or int(stated.group(1)) != decimals:
        raise BankError(f"{where}: 'decimals' is {decimals}, so the prompt must ask for "
                        f"the answer \"to {decimals} decimal places\"")
    return decimals


def _param(pname: str, spec, where: str, all_params: dict) -> Param:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", pname):
        raise BankError(f"{where}: a parameter name must be a letter followed by letters/digits")
    if not isinstance(spec, dict):
        raise BankError(f"{where}: must be a table such as {{ int = [1, 9] }} or "
                        "{ choice = [\"sin\", \"cos\"] }")
    unknown = set(spec) - _PARAM_KEYS
    if unknown:
        raise BankError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                        f"(known: {', '.join(sorted(_PARAM_KEYS))})")
    ways = [k for k in ("int", "choice", "value") if k in spec]
    if len(ways) != 1:
        raise BankError(f"{where}: give exactly one of 'int', 'choice' or 'value'")
    earlier = list(all_params)[: list(all_params).index(pname)]
    differ = spec.get("differ", [])
    if not isinstance(differ, list) or any(d not in earlier for d in differ):
        raise BankError(f"{where}: 'differ' must list parameters defined before {pname!r}")
    exclude = spec.get("exclude", [])
    if not isinstance(exclude, list):
        raise BankError(f"{where}: 'exclude' must be a list of values")
    nonzero = spec.get("nonzero", False)
    if not isinstance(nonzero, bool):
        raise BankError(f"{where}: 'nonzero' must be true or false")
    common = dict(nonzero=nonzero, exclude=tuple(exclude), differ=tuple(differ))
    pair = spec.get("pair")
    if pair is not None:
        partner = all_params.get(pair) if pair in earlier else None
        if not isinstance(partner, dict) or "choice" not in partner or "choice" not in spec \
                or not isinstance(spec["choice"], list) \
                or len(partner["choice"]) != len(spec["choice"]):
            raise BankError(f"{where}: 'pair' must name a 'choice' parameter defined before "
                            f"{pname!r} with as many choices as this one")
        common["pair"] = pair
    if "int" in spec:
        rng = spec["int"]
        if (not isinstance(rng, list) or len(rng) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in rng)
                or rng[0] > rng[1]):
            raise BankError(f"{where}: 'int' must be [low, high] with integers low <= high")
        left = [v for v in range(rng[0], rng[1] + 1) if v not in exclude and not (nonzero and v == 0)]
        if not left:
            raise BankError(f"{where}: no integer is left to draw from")
        return Param(pname, rng[0], rng[1], **common)
    if "choice" in spec:
        choices = spec["choice"]
        if not isinstance(choices, list) or not choices:
            raise BankError(f"{where}: 'choice' must be a non-empty list")
        if not all(isinstance(c, (str, int, float)) and not isinstance(c, bool) for c in choices):
            raise BankError(f"{where}: 'choice' may hold only strings and numbers")
        for c in choices:
            for ref in PLACEHOLDER.findall(c) if isinstance(c, str) else ():
                if ref not in earlier:
                    raise BankError(f"{where}: the choice {c!r} uses {{{ref}}}, which is not a "
                                    f"parameter defined before {pname!r}")
        return Param(pname, choices=tuple(choices), **common)
    value = _text(spec["value"], where, "value")
    for ref in PLACEHOLDER.findall(value):
        if ref not in earlier:
            raise BankError(f"{where}: 'value' uses {{{ref}}}, which is not a parameter "
                            f"defined before {pname!r}")
    return Param(pname, value=value, **common)


def _check_placeholders(value, names: set, where: str) -> None:
    if isinstance(value, str):
        for ref in PLACEHOLDER.findall(value):
            if ref not in names:
                raise BankError(f"{where}: {{{ref}}} is not a parameter of this template")
    elif isinstance(value, list):
        for item in value:
            _check_placeholders(item, names, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_placeholders(item, names, f"{where}.{key}")
    elif not isinstance(value, (int, float, bool)):
        raise BankError(f"{where}: values must be strings, numbers, booleans, lists or tables")
