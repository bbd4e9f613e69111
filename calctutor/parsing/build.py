"""Syntax tree -> SymPy expression, refusing anything SymPy could not build quickly.

SymPy evaluates numbers eagerly: ``9**9**9`` computes a 370-million-digit integer,
``factorial(10**8)`` runs for minutes, and printing ``exp(exp(exp(10*E))) + 1`` never ends.
So every numeric step is sized before it is taken: literals, exponents, the digits of a
numeric power, factorial arguments, arguments of exponential-like functions, and how deeply
numbers are nested inside functions. Each node's result is checked at once (exact numbers
too long to print, infinities), so errors name the column where the trouble starts.
"""

from __future__ import annotations

import math

import sympy

from calctutor.domain import (
    Condition,
    conditions_of,
    local_conditions,
    lost_conditions,
    real_roots,
)
from calctutor.errors import LimitError, ParseError
from calctutor.parsing.grammar import (
    Bars,
    Call,
    Const,
    Fact,
    Group,
    Node,
    Num,
    Pow,
    Product,
    Run,
    Sign,
    Sum,
    Unknown,
)
from calctutor.symbols import make_symbol

MAX_INT_DIGITS = 50          # digits in an integer literal
MAX_FLOAT = 1e300            # magnitude of a decimal literal
MAX_EXPONENT = 1000          # |n| in b^n
MAX_RESULT_DIGITS = 2000     # an exact number longer than this is refused (Python prints ≤ 4300)
MAX_ROOT_DIGITS = 100       # b^(p/q) of an exact b: SymPy looks for perfect powers (0.1 s at 1000 digits)
MAX_FACTORIAL = 500
MAX_EXP_ARGUMENT = 1000      # exp(a), sinh(a), cosh(a) of a number a
MAX_ARGUMENT = 1e100         # any other function of a number (sin(10^1000) needs 1000 digits)
MAX_NUMERIC_NESTING = 6      # sin(cos(tan(...))) of a number, level after level

_MAX_BITS = int(MAX_RESULT_DIGITS * math.log2(10))
_EXP_LIKE = {"exp", "sinh", "cosh", "sigmoid"}
_UNBOUNDED = {"ln", "log", "log10", "log2", "sqrt", "cbrt", "abs", "sign"}  # they shrink numbers
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)

_SIMPLE = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc,
    "cot": sympy.cot, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "asec": sympy.asec, "acsc": sympy.acsc, "acot": sympy.acot, "sinh": sympy.sinh,
    "cosh": sympy.cosh, "tanh": sympy.tanh, "sech": sympy.sech, "csch": sympy.csch,
    "coth": sympy.coth, "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "asech": sympy.asech, "acsch": sympy.acsch, "acoth": sympy.acoth, "exp": sympy.exp,
    "ln": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs, "sign": sympy.sign,
    "factorial": sympy.factorial,
    "log10": lambda a: sympy.log(a, 10), "log2": lambda a: sympy.log(a, 2),
    "cbrt": lambda a: sympy.Pow(a, sympy.Rational(1, 3)),
    "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)),
}


def magnitude(value: sympy.Expr) -> float | None:
    """|value| as a float (``inf`` when beyond floats), or None when it cannot be told."""
    if value.is_Rational:
        p, q = abs(value.p), value.q
        if p.bit_length() - q.bit_length() > 1020:
            return math.inf
        return p / q
    try:
        approx = value.evalf(15)
        re_part, im_part = approx.as_real_imag()
        size = math.hypot(float(re_part), float(im_part))
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None
    return None if math.isnan(size) else size


def _log10_magnitude(value: sympy.Expr) -> float:
    """log10 |value| for a non-zero number (±inf when it cannot be told)."""
    if value.is_Rational:
        return (abs(value.p).bit_length() - value.q.bit_length()) * math.log10(2)
    size = magnitude(value)
    if size is None or size == 0:
        return -math.inf
    return math.log10(size) if size != math.inf else math.inf


def _needed(c: Condition) -> bool:
    """False for ``sqrt(u) ≥ 0`` (sqrt(sqrt(x))): an even root is never negative where it
    is defined, and where it is defined is recorded on its own."""
    e = c.expr
    return not (c.kind == "nonnegative" and e.is_Pow and e.exp.is_Rational
                and e.exp.q % 2 == 0)


def _even_power(e: sympy.Expr) -> bool:
    return (e.is_Pow and e.exp.is_Integer and e.exp.is_positive and e.exp % 2 == 0
            and e.base.is_real is True)


def _even_power_of_an_odd_root(e: sympy.Expr) -> bool:
    """``b^(p/q)`` with p even and q odd, b possibly negative: a real number ≥ 0 for
    every real b, which a further root must not turn into a negative one."""
    return (e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.p % 2 == 0
            and e.exp.q % 2 == 1 and e.base.is_nonnegative is not True)


def _split_nonzero(c: Condition) -> list[Condition]:
    """``x^2 y ≠ 0`` as ``x ≠ 0`` and ``y ≠ 0`` (and ``x^2 > 0`` as ``x ≠ 0``): the form a
    learner reads, and the one SymPy's own conditions use (so conditions the result still
    shows are matched)."""
    e = c.expr
    if c.kind == "positive" and all(_even_power(f) or (f.is_number and f.is_positive)
                                    for f in sympy.Mul.make_args(e)):
        return _split_nonzero(Condition("nonzero", e))  # x^2 y^2 > 0 is x ≠ 0 and y ≠ 0
    if c.kind != "nonzero":
        return [c]
    if e.is_Pow and e.exp.is_positive:
        return _split_nonzero(Condition("nonzero", e.base))
    if e.is_Pow and e.exp.is_negative:
        return []  # 1/u is never 0; u's own conditions say where it is defined
    if e.is_Mul:
        return [part for factor in e.args if factor.free_symbols
                for part in _split_nonzero(Condition("nonzero", factor))]
    return [c]


def lost(typed: list[Condition], evaluated: sympy.Expr) -> tuple[Condition, ...]:
    """What ``typed`` required that ``evaluated`` no longer shows, both in the same form."""
    kept = [part for c in conditions_of(evaluated) for part in _split_nonzero(c)]
    return lost_conditions(typed, evaluated, kept)


class Builder:
    """Builds SymPy objects for the nodes of one parsed text."""

    def __init__(self, text: str, positive: bool, integers: frozenset[str] = frozenset()):
        self.text = text
        self.positive = positive
        self.integers = integers  # names of whole numbers (a series' index)
        # what each typed operation requires, recorded before SymPy's evaluation can drop it
        self.conditions: list[Condition] = []

    def require(self, operation: sympy.Basic) -> None:
        """Record the conditions of one typed operation (built unevaluated: ``x^2/x`` is
        still a division by x)."""
        for c in local_conditions(operation):
            if _needed(c):
                self.conditions.extend(_split_nonzero(c))

    def build(self, node: Node) -> sympy.Expr:
        return self.node(node)[0]

    # -- errors
    def where(self, node: Node) -> str:
        return f"at column {node.pos + 1}"

    def snippet(self, node: Node) -> str:
        text = " ".join(self.text[node.pos:node.end].split())
        return text if len(text) <= 30 else text[:27] + "..."

    def parse_error(self, message: str, node: Node) -> ParseError:
        return ParseError(message, self.text, node.pos)

    def check(self, value: sympy.Expr, node: Node) -> None:
        """Refuse a result that is infinite, not real, or holds an exact number too long to
        print."""
        if value.is_number and value.is_real is False:
            raise self.parse_error(f"'{self.snippet(node)}' {self.where(node)} is not a real "
                                   "number (calctutor works with real numbers only)", node)
        parts = (value,) if value.is_Atom else (value, *value.args)
        for part in parts:
            if any(part is bad for bad in _UNDEFINED):
                raise self.parse_error(f"'{self.snippet(node)}' {self.where(node)} is undefined "
                                       "(it divides by zero or is infinite)", node)
            if part.is_Rational and max(abs(part.p).bit_length(), part.q.bit_length()) > _MAX_BITS:
                raise LimitError(f"the number '{self.snippet(node)}' {self.where(node)} is too "
                                 f"large (more than {MAX_RESULT_DIGITS} digits)")
            if part.is_Float and not abs(float(part)) <= MAX_FLOAT:
                raise LimitError(f"the number '{self.snippet(node)}' {self.where(node)} is too "
                                 f"large (beyond {MAX_FLOAT:g})")
            if part.is_Pow and part.exp.is_Rational and abs(part.exp) > MAX_EXPONENT:
                raise LimitError(f"the exponent {self.where(node)} is too large "
                                 f"(more than {MAX_EXPONENT})")

    # -- nodes: each returns (value, how deeply numbers are nested in functions)
    def node(self, node: Node) -> tuple[sympy.Expr, int]:
        method = getattr(self, "build_" + type(node).__name__)
        value, nesting = method(node)
        self.check(value, node)
        return value, nesting

    def build_Num(self, node: Num):
        return self.number(node), 0

    def build_Const(self, node: Const):
        return (sympy.E if node.name == "e" else sympy.pi), 0

    def build_Var(self, node):
        if node.name in self.integers:
            return sympy.Symbol(node.name, integer=True), 0
        return make_symbol(node.name, self.positive), 0

    def build_Run(self, node: Run):
        built = [self.node(item) for item in node.items]
        return sympy.Mul(*(v for v, _ in built)), max(n for _, n in built)

    def build_Group(self, node: Group):
        return self.node(node.inner)

    def build_Bars(self, node: Bars):
        inner, nesting = self.node(node.inner)
        return sympy.Abs(inner), nesting

    def build_Sign(self, node: Sign):
        value, nesting = self.node(node.operand)
        return (-value if node.sign == "-" else value), nesting

    def build_Sum(self, node: Sum):
        terms, deepest = [], 0
        for op, item in node.items:
            value, nesting = self.node(item)
            terms.append(-value if op == "-" else value)
            deepest = max(deepest, nesting)
        return sympy.Add(*terms), deepest

    def build_Product(self, node: Product):
        factors, deepest = [], 0
        for op, item in node.items:
            value, nesting = self.node(item)
            deepest = max(deepest, nesting)
            if op == "/":
                if value.is_zero:
                    raise self.parse_error(f"division by zero: '{self.snippet(item)}' "
                                           f"{self.where(item)} is 0", item)
                self.require(sympy.Pow(value, -1, evaluate=False))
                value = sympy.Pow(value, -1)
            factors.append(value)
            if len(factors) > 1 and all(f.is_Rational for f in factors[-2:]):
                factors[-2:] = [self.exact_product(factors[-2], factors[-1], item)]
        return sympy.Mul(*factors), deepest

    def exact_product(self, a: sympy.Rational, b: sympy.Rational, node: Node):
        bits = max(abs(a.p).bit_length() + abs(b.p).bit_length(), a.q.bit_length() + b.q.bit_length())
        if bits > 2 * _MAX_BITS:  # refuse before multiplying: the product is checked after
            raise LimitError(f"the number {self.where(node)} is too large "
                             f"(more than {MAX_RESULT_DIGITS} digits)")
        return a * b

    def build_Fact(self, node: Fact):
        value, nesting = self.node(node.operand)
        return self.call("factorial", [value], node), nesting + value.is_number

    def build_Pow(self, node: Pow):
        base, n1 = self.node(node.base)
        exp, n2 = self.node(node.exp)
        value = self.power(base, exp, node)
        numeric = base.is_number and exp.is_number and not exp.is_Integer
        return value, max(n1, n2) + bool(numeric)

    def build_Unknown(self, node: Unknown):
        built = [self.node(a) for a in node.args]
        return sympy.Function(node.name)(*(v for v, _ in built)), max(n for _, n in built)

    def build_Call(self, node: Call):
        built = [self.node(a) for a in node.args]
        args = [v for v, _ in built]
        nesting = max(n for _, n in built)
        value = self.call(node.name, args, node)
        if value.is_number:
            nesting += 1
            if nesting > MAX_NUMERIC_NESTING:
                raise LimitError(f"numbers are nested in functions too deeply {self.where(node)} "
                                 f"(more than {MAX_NUMERIC_NESTING} levels)")
        if node.power is not None:
            exp, _ = self.node(node.power)
            value = self.power(value, exp, node)
        return value, nesting

    # -- the risky steps
    def number(self, node: Num) -> sympy.Expr:
        text = node.text
        if text.isdigit():
            if len(text.lstrip("0")) > MAX_INT_DIGITS:
                raise LimitError(f"number {self.where(node)} is too large "
                                 f"(more than {MAX_INT_DIGITS} digits)")
            return sympy.Integer(int(text))
        mantissa, _, exponent = text.lower().partition("e")
        if len(mantissa.replace(".", "").lstrip("0")) > MAX_INT_DIGITS:
            raise LimitError(f"number {self.where(node)} has too many digits "
                             f"(more than {MAX_INT_DIGITS})")
        if exponent and len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise LimitError(f"number {self.where(node)} is too large or too small "
                             f"(beyond {MAX_FLOAT:g})")
        value = float(text)
        if not value <= MAX_FLOAT:
            raise LimitError(f"number {self.where(node)} is too large (beyond {MAX_FLOAT:g})")
        if value and value < 1 / MAX_FLOAT:
            raise LimitError(f"number {self.where(node)} is too small (below {1 / MAX_FLOAT:g})")
        if value == 0 and mantissa.strip("0.") != "":
            raise LimitError(f"number {self.where(node)} is too small (below {1 / MAX_FLOAT:g})")
        return sympy.Float(value)

    def power(self, base: sympy.Expr, exp: sympy.Expr, node: Node) -> sympy.Expr:
        if exp.is_number:
            size = magnitude(exp)
            if size is None or size > MAX_EXPONENT:
                raise LimitError(f"the exponent {self.where(node)} is too large "
                                 f"(more than {MAX_EXPONENT})")
            if base.is_number and not base.is_zero:
                digits = abs(_log10_magnitude(base)) * size
                if digits > MAX_RESULT_DIGITS:
                    raise LimitError(f"the power {self.where(node)} is too large a number "
                                     f"(more than {MAX_RESULT_DIGITS} digits)")
            if base.is_Rational and exp.is_Rational and not exp.is_Integer:
                self.check_root(base, node)
            if base.is_zero and exp.is_negative:
                raise self.parse_error(f"0 to a negative power {self.where(node)} is undefined",
                                       node)
        # (-1)^n is real when n is a whole number (a series' index); (-1)^x is not
        if base.is_number and base.is_negative and exp.free_symbols and not exp.is_integer:
            raise self.parse_error(f"'{self.snippet(node)}' {self.where(node)}: a negative "
                                   "number to a variable power is not real for most values; "
                                   "for minus a power, write -(2^x)", node)
        self.require(sympy.Pow(base, exp, evaluate=False))
        if (base.is_number and base.is_negative and exp.is_Rational and not exp.is_Integer
                and exp.q % 2 == 1):
            # the real odd root: (-8)^(1/3) is -2, not SymPy's principal 1 + sqrt(3) i
            return real_roots(sympy.Pow(base, exp, evaluate=False))
        if not exp.is_Integer and _even_power_of_an_odd_root(base):
            # x^(2/3) is cbrt(x)^2 = |x|^(2/3) here (the real root): SymPy would combine
            # sqrt(x^(2/3)) into x^(1/3), negative for x < 0 where the root is not
            base = sympy.Pow(sympy.Abs(base.base), base.exp)
        return sympy.Pow(base, exp)

    def check_root(self, base: sympy.Rational, node: Node) -> None:
        if max(abs(base.p).bit_length(), base.q.bit_length()) > MAX_ROOT_DIGITS * math.log2(10):
            raise LimitError(f"the root {self.where(node)} is of a number too large to work with "
                             f"(more than {MAX_ROOT_DIGITS} digits)")

    def call(self, name: str, args: list[sympy.Expr], node: Node) -> sympy.Expr:
        arg = args[0]
        if arg.is_number and name not in _UNBOUNDED:
            self.check_argument(name, arg, node)
        if name in ("sqrt", "cbrt"):
            return self.power(arg, sympy.Rational(1, 2 if name == "sqrt" else 3), node)
        if name == "log":
            if len(args) == 1:
                self.require(sympy.log(arg, evaluate=False))
                return sympy.log(arg)
            base = args[1]
            if base.is_number and (base.is_positive is False or base == 1):
                raise self.parse_error(f"the base of log {self.where(node)} must be a positive "
                                       "number other than 1", node)
            self.require(sympy.log(arg, evaluate=False))
            self.require(sympy.log(base, evaluate=False))
            self.conditions.append(Condition("nonzero", base - 1))
            return sympy.log(arg, base)
        function = _SIMPLE[name]
        if name in ("ln", "log10", "log2"):
            self.require(sympy.log(arg, evaluate=False))
        elif isinstance(function, type):  # a SymPy function class: build it unevaluated
            self.require(function(arg, evaluate=False))
        return function(arg)

    def check_argument(self, name: str, arg: sympy.Expr, node: Node) -> None:
        size = magnitude(arg)
        if name == "factorial":
            limit = MAX_FACTORIAL
        elif name in _EXP_LIKE:
            limit = MAX_EXP_ARGUMENT
        else:
            limit = MAX_ARGUMENT
        if size is None and name in _EXP_LIKE | {"factorial"}:
            size = math.inf
        if size is not None and size > limit:
            raise LimitError(f"{name} {self.where(node)} of a number this large is too much to "
                             f"work with (the limit is {limit:g})")
