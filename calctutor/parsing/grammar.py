"""Tokens -> a small syntax tree, with every name checked and ambiguous notation noted.

The tree keeps the user's own structure (their brackets, their function names), so that
``show`` can echo how the text was read ("x^2*sin(x)" for "x^2 sin x"). Sums and products
are n-ary, so a long input makes a wide tree, never a deep one; every nested construct
(bracket, bar, sign, exponent, function argument) counts towards ``MAX_DEPTH``.
See ``calctutor.parsing`` for the reading rules.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from calctutor.errors import LimitError, ParseError
from calctutor.parsing.lexer import CLOSERS, OPENERS, Token
from calctutor.symbols import GREEK, canonical_name, display_name, is_variable_name

MAX_DEPTH = 60

# canonical name -> (fewest, most) arguments
FUNCTIONS: dict[str, tuple[int, int]] = {
    **{name: (1, 1) for name in (
        "sin cos tan sec csc cot asin acos atan asec acsc acot "
        "sinh cosh tanh sech csch coth asinh acosh atanh asech acsch acoth "
        "exp ln log10 log2 sqrt cbrt abs sign factorial sigmoid").split()},
    "log": (1, 2),
}
ALIASES = {
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec",
    "arccsc": "acsc", "arccosec": "acsc", "arccot": "acot", "cosec": "csc",
    "arsinh": "asinh", "arcsinh": "asinh", "arcosh": "acosh", "arccosh": "acosh",
    "artanh": "atanh", "arctanh": "atanh", "arsech": "asech", "arcsech": "asech",
    "arcsch": "acsch", "arccsch": "acsch", "arcoth": "acoth", "arccoth": "acoth",
    "Abs": "abs", "sgn": "sign",
}
INVERSES = {
    "sin": "asin", "cos": "acos", "tan": "atan", "sec": "asec", "csc": "acsc", "cot": "acot",
    "sinh": "asinh", "cosh": "acosh", "tanh": "atanh", "sech": "asech", "csch": "acsch",
    "coth": "acoth",
}
CONSTANTS = ("e", "pi")
UNKNOWN_FUNCTIONS = ("f", "g", "h")
FUNCTION_WORDS = frozenset(FUNCTIONS) | frozenset(ALIASES)
KEYWORDS = FUNCTION_WORDS | {"pi"}
_LOG_BASE = re.compile(r"log_(\d+|[A-Za-z])$")
_LEIBNIZ = re.compile(r"d[A-Za-z]$")  # dx, dt after '/': the denominator of dy/dx
# words a learner types for a function we know
_MISTYPED = {
    "in": "ln", "In": "ln", "IN": "ln", "Ln": "ln", "LN": "ln", "sine": "sin",
    "cosine": "cos", "tangent": "tan", "tg": "tan", "ctg": "cot", "arctg": "atan",
    "cotangent": "cot", "secant": "sec", "cosecant": "csc", "root": "sqrt",
    "squareroot": "sqrt", "absolute": "abs", "lg": "log10", "lb": "log2",
}
_GLUE_WORDS = sorted((w for w in KEYWORDS if len(w) > 1), key=len, reverse=True)


# -- the tree --------------------------------------------------------------------------
@dataclass(eq=False, slots=True)
class Node:
    pos: int
    end: int
    paren: bool = field(default=False, kw_only=True)  # force brackets in the reading


@dataclass(eq=False, slots=True)
class Num(Node):
    text: str


@dataclass(eq=False, slots=True)
class Const(Node):
    name: str


@dataclass(eq=False, slots=True)
class Var(Node):
    name: str


@dataclass(eq=False, slots=True)
class Run(Node):
    """A run of single letters such as ``xy``: one factor x*y (its last letter takes a power)."""

    items: list


@dataclass(eq=False, slots=True)
class Group(Node):
    open: str
    inner: Node


@dataclass(eq=False, slots=True)
class Bars(Node):
    inner: Node


@dataclass(eq=False, slots=True)
class Call(Node):
    name: str            # canonical: asin, log, ...
    shown: str           # as it is echoed: the user's word, or the inverse's name
    args: list
    bare: bool = False   # written without brackets: sin x
    power: Node | None = None  # sin^2 x


@dataclass(eq=False, slots=True)
class Unknown(Node):
    name: str
    args: list


@dataclass(eq=False, slots=True)
class Pow(Node):
    base: Node
    exp: Node


@dataclass(eq=False, slots=True)
class Sign(Node):
    sign: str
    operand: Node


@dataclass(eq=False, slots=True)
class Fact(Node):
    operand: Node


@dataclass(eq=False, slots=True)
class Product(Node):
    items: list                 # (op, node) with op '' (juxtaposed or first), '*' or '/'
    wrap_before: set = field(default_factory=set)  # indices before which the reading brackets all so far


@dataclass(eq=False, slots=True)
class Sum(Node):
    items: list                 # (op, node) with op '', '+' or '-'


# -- the reading -----------------------------------------------------------------------
def _prec(node: Node) -> int:
    if isinstance(node, Sum):
        return 1
    if isinstance(node, (Product, Run)):
        return 2
    if isinstance(node, Sign):
        return 3
    if isinstance(node, Pow) or (isinstance(node, Call) and node.power is not None):
        return 4
    if isinstance(node, Fact):
        return 5
    return 6


def show(node: Node) -> str:
    """The node in one-line learner notation, keeping the user's structure."""
    text = _show(node)
    return f"({text})" if node.paren else text


def _wrap(node: Node, at_least: int) -> str:
    text = show(node)
    return f"({text})" if _prec(node) < at_least and not node.paren else text


def _show_exponent(node: Node) -> str:
    inner = node.operand if isinstance(node, Sign) else node
    return f"({show(node)})" if _prec(inner) <= 2 and not inner.paren else show(node)


def _show(node: Node) -> str:
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Var):
        return display_name(canonical_name(node.name))  # θ, as every human format prints it
    if isinstance(node, Const):
        return node.name
    if isinstance(node, Run):
        return "*".join(show(item) for item in node.items)
    if isinstance(node, Group):
        return node.open + show(node.inner) + OPENERS[node.open]
    if isinstance(node, Bars):
        return "|" + show(node.inner) + "|"
    if isinstance(node, Call):
        text = f"{node.shown}({', '.join(show(a) for a in node.args)})"
        return text + ("^" + _show_exponent(node.power) if node.power is not None else "")
    if isinstance(node, Unknown):
        return f"{node.name}({', '.join(show(a) for a in node.args)})"
    if isinstance(node, Pow):
        return _wrap(node.base, 5) + "^" + _show_exponent(node.exp)
    if isinstance(node, Sign):
        return node.sign + _wrap(node.operand, 2)
    if isinstance(node, Fact):
        return _wrap(node.operand, 6) + "!"
    if isinstance(node, Product):
        return _show_product(node)
    if isinstance(node, Sum):
        out = _wrap(node.items[0][1], 2)
        for op, item in node.items[1:]:
            out += f" {op} " + _wrap(item, 2)
        return out
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def _show_product(node: Product) -> str:
    out = ""
    for k, (op, item) in enumerate(node.items):
        if k in node.wrap_before:
            out = f"({out})"
        if k == 0:
            out = _wrap(item, 2)
        elif op == "/":
            out += "/" + _wrap(item, 3)
        else:
            out += "*" + _wrap(item, 2)
    return out


# -- names -----------------------------------------------------------------------------
def canonical_function(word: str) -> str | None:
    """The canonical name of a known function word (``arcsin`` -> ``asin``), else None."""
    if word in FUNCTIONS:
        return word
    return ALIASES.get(word)


def _segment(word: str) -> list[tuple[str, str]] | None:
    """Split a glued word into known names, single letters and digit runs (``xsinx``)."""
    parts: list[tuple[str, str]] = []
    i = 0
    while i < len(word):
        for known in _GLUE_WORDS:
            if word.startswith(known, i):
                parts.append(("fn" if known != "pi" else "const", known))
                i += len(known)
                break
        else:
            ch = word[i]
            if ch.isdigit():
                j = i
                while j < len(word) and word[j].isdigit():
                    j += 1
                parts.append(("num", word[i:j]))
                i = j
                continue
            if not ch.isalpha():
                return None
            parts.append(("const" if ch == "e" else "var", ch))
            i += 1
    return parts


def _join_plain(parts: list[tuple[str, str]]) -> str:
    out = ""
    for _, text in parts:
        if out and not out[-1].isdigit():
            out += "*"
        out += text
    return out


def glued_suggestion(word: str) -> str | None:
    """``sinx`` -> ``sin(x)``, ``xsinx`` -> ``x*sin(x)``, ``pix`` -> ``pi*x``; None if no known name."""
    parts = _segment(word)
    if not parts or all(kind in ("var", "num") for kind, _ in parts):
        return None
    out: list[str] = []
    k = 0
    while k < len(parts):
        kind, text = parts[k]
        if kind != "fn":
            j = k
            while j < len(parts) and parts[j][0] != "fn":
                j += 1
            stretch = parts[k:j]
        else:
            j = k + 1
            while j < len(parts) and parts[j][0] != "fn":
                j += 1
            stretch = parts[k + 1:j]
        if len(stretch) > 2:
            return None  # a real word such as "second", not sec glued to an argument
        if kind == "fn":
            out.append(f"{text}({_join_plain(stretch) if stretch else '...'})")
        else:
            out.append(_join_plain(stretch))
        k = j
    return "*".join(out)


def unknown_name_message(word: str, column: int, called: bool) -> str:
    """The one-line error for a word that is not a name, with a did-you-mean when we can."""
    where = f"unknown name '{word}' at column {column}"
    lower = word.lower()
    if word in _MISTYPED:
        return f"{where}: did you mean {_MISTYPED[word]}?"
    if lower != word and (lower in KEYWORDS or lower in _MISTYPED or lower == "e"):
        return f"{where}: did you mean {_MISTYPED.get(lower, lower)}?"
    if not called:
        glued = glued_suggestion(word)
        if glued:
            return f"{where}: did you mean {glued}?"
    candidates = sorted(FUNCTION_WORDS) if called else sorted(KEYWORDS | set(GREEK))
    close = difflib.get_close_matches(lower, candidates, n=1, cutoff=0.75)
    if close:
        return f"{where}: did you mean {close[0]}?"
    if called:
        return (f"unknown function '{word}' at column {column} (f, g and h name unknown "
                f"functions; declare {word} with --var if it is a variable)")
    if word.isalpha() and len(word) <= 8:
        return (f"{where}: write {'*'.join(word)} for a product, or declare it with "
                f"--var {word} if it is a variable")
    return f"{where} (declare it with --var {word} if it is a variable)"


def _is_letter_run(word: str) -> bool:
    """``xy``, ``abc``: short runs of single-letter variables (no e, no known name inside)."""
    lower = word.lower()
    return (word.isascii() and word.isalpha() and 2 <= len(word) <= 3 and "e" not in lower
            and lower not in KEYWORDS and lower not in _MISTYPED
            and glued_suggestion(word) is None)


# -- the parser ------------------------------------------------------------------------
class Parser:
    """Recursive descent over one slice of tokens (``tokens`` ends with an "end" token)."""

    def __init__(self, text: str, tokens: list[Token], declared: frozenset[str], what: str):
        self.text = text
        self.tokens = tokens
        self.declared = declared
        self.what = what
        self.i = 0
        self.depth = 0
        self.bars = 0  # |...| open at the current bracket level
        self.notes: list[str] = []
        self.indexed: set[str] = set()  # names already noted as indexed (a[1])

    # -- token helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_op(self, *ops: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == "op" and tok.text in ops

    def error(self, message: str, tok: Token | None = None) -> ParseError:
        return ParseError(message, self.text, (tok or self.tok).pos)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def typed(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(f"the expression is nested too deeply at column {tok.column} "
                             f"(more than {MAX_DEPTH} levels)")

    def leave(self) -> None:
        self.depth -= 1

    def unexpected(self, tok: Token | None = None) -> ParseError:
        tok = tok or self.tok
        col = tok.column
        if tok.kind == "end":
            before = self.tokens[self.i - 1] if self.i else None
            after = f" after '{before.text}' at column {before.column}" if before else ""
            return self.error(f"{self.what} ends too early: something is missing{after}", tok)
        if tok.text in CLOSERS:
            return self.error(f"unexpected '{tok.text}' at column {col}: it closes nothing", tok)
        if tok.text == ",":
            return self.error(f"unexpected ',' at column {col} (a list is not allowed here)", tok)
        if tok.text == "=":
            return self.error(f"unexpected '=' at column {col} (an equation is not allowed here)", tok)
        if tok.text == "|":
            return self.error(f"unexpected '|' at column {col}: these bars are ambiguous; "
                              "write abs(...) instead", tok)
        return self.error(f"unexpected '{tok.text}' at column {col}", tok)

    # -- grammar
    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error(f"{self.what} is empty")
        self.check_leibniz()
        node = self.sum()
        if self.tok.kind != "end":
            raise self.unexpected()
        return node

    def check_leibniz(self) -> None:
        """Refuse ``dy/dx`` and ``d/dx x^2``: Leibniz notation names a derivative, and read
        as a product (d*y/(d*x)) it would be silently another function."""
        for k in range(1, len(self.tokens) - 1):
            slash, tok = self.tokens[k - 1], self.tokens[k]
            if (self.is_op("/", tok=slash) and tok.kind == "name" and _LEIBNIZ.match(tok.text)
                    and tok.text not in self.declared):
                raise self.error(f"'{tok.text}' at column {tok.column}: d/{tok.text} is "
                                 "notation for a derivative, which cannot be part of an "
                                 "expression; type the function itself and use calctutor "
                                 f"diff --var {tok.text[1:]}", tok)

    def sum(self) -> Node:
        first = self.term()
        items = [("", first)]
        while self.is_op("+", "-"):
            op = self.take()
            items.append((op.text, self.term()))
        if len(items) == 1:
            return first
        return Sum(first.pos, items[-1][1].end, items)

    def starts_factor(self, tok: Token) -> bool:
        if tok.kind in ("num", "name"):
            return True
        return tok.kind == "op" and (tok.text in OPENERS or (tok.text == "|" and self.bars == 0))

    def term(self) -> Node:
        first = self.signed()
        items: list[tuple[str, Node]] = [("", first)]
        product = Product(first.pos, first.end, items)
        while True:
            if self.is_op("*", "/"):
                op = self.take()
                right = self.signed()
                if op.text == "/":
                    self.check_fractional_power(items[-1][1], op, right)
                items.append((op.text, right))
            elif self.starts_factor(self.tok):
                self.check_adjacent_numbers()
                start = self.tok
                right = self.power()
                self.check_juxtaposed(product, right, start)
                items.append(("", right))
            else:
                break
        if len(items) == 1:
            return first
        product.end = items[-1][1].end
        return product

    def check_adjacent_numbers(self) -> None:
        prev = self.tokens[self.i - 1]
        if self.tok.kind == "num" and prev.kind == "num":
            raise self.error(f"two numbers in a row at columns {prev.column} and "
                             f"{self.tok.column}: write * between them to multiply")

    def check_juxtaposed(self, product: Product, right: Node, start: Token) -> None:
        """Note the ambiguous forms ``1/2x`` and ``e^2x`` (read as (1/2)*x and e^2*x)."""
        items = product.items
        op, left = items[-1]
        if op == "/":
            product.wrap_before.add(len(items))
            before = self.typed(items[0][1].pos, left.pos).rstrip("/ ")
            divisor = self.typed(left.pos, right.end)
            so_far = Product(product.pos, left.end, list(items))
            self.note(f"'{self.typed(product.pos, right.end)}' read as ({show(so_far)})*"
                      f"{show(right)}; write {before}/({divisor}) to divide by {divisor}")
        inner = left.operand if isinstance(left, Sign) else left
        if (isinstance(inner, Pow) and isinstance(inner.base, Const) and inner.base.name == "e"
                and _is_plain_number(inner.exp) and not start.spaced and not inner.exp.paren):
            exponent = self.typed(inner.exp.pos, right.end)
            self.note(f"'{self.typed(inner.pos, right.end)}' read as {show(inner)}*{show(right)}; "
                      f"write e^({exponent}) for the exponential of {exponent}")

    def check_fractional_power(self, left: Node, slash: Token, right: Node) -> None:
        """Note ``x^1/2`` (read as (x^1)/2, as operator precedence says)."""
        if not (isinstance(left, Pow) and _is_plain_number(left.exp) and isinstance(right, Num)):
            return
        if slash.spaced or self.tokens[self.i - 1].spaced and right.pos != slash.end:
            return  # "x^3 / 2" is clearly a quotient
        n = left.exp.operand if isinstance(left.exp, Sign) else left.exp
        if not (n.text.isdigit() and right.text.isdigit()) or int(right.text) == 0:
            return
        if int(n.text) % int(right.text) == 0:
            return  # x^4/2: nobody means x^(4/2)
        if int(right.text) > 9 or int(n.text) > 9:
            return  # x^10/120, x^3/24: a Taylor coefficient, not a fractional power
        self.note(f"'{self.typed(left.pos, right.end)}' read as ({show(left)})/{right.text}; "
                  f"write {show(left.base)}^({show(left.exp)}/{right.text}) for a fractional power")
        left.paren = True

    def signed(self) -> Node:
        if self.is_op("-", "+"):
            sign = self.take()
            self.enter(sign)
            operand = self.signed()
            self.leave()
            return Sign(sign.pos, operand.end, sign.text, operand)
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if not self.is_op("^"):
            return base
        caret = self.take()
        self.enter(caret)
        exponent = self.exponent()
        self.leave()
        if isinstance(exponent, Pow) and isinstance(exponent.base, (Group, Num)):
            # x^(1/2)^2 and 2^3^2: powers stack from the right, which surprises some
            self.note(f"'{self.typed(base.pos, exponent.end)}' read as {_wrap(base, 5)}^"
                      f"({show(exponent)}): powers are applied from the right; write "
                      f"({self.typed(base.pos, exponent.base.end)})^{show(exponent.exp)} "
                      "for the other reading")
        if isinstance(base, Run):  # xy^2 is x*y^2
            last = base.items[-1]
            base.items[-1] = Pow(last.pos, exponent.end, last, exponent)
            base.end = exponent.end
            return base
        return Pow(base.pos, exponent.end, base, exponent)

    def exponent(self) -> Node:
        if self.is_op("-", "+"):
            sign = self.take()
            self.enter(sign)
            operand = self.exponent()
            self.leave()
            return Sign(sign.pos, operand.end, sign.text, operand)
        if self.tok.kind == "end":
            raise self.unexpected()
        return self.power()

    def postfix(self) -> Node:
        node = self.atom()
        while self.is_op("!"):
            bang = self.take()
            if isinstance(node, Fact):  # n!! is the double factorial to some, (n!)! to others
                shown = self.typed(node.operand.pos, node.operand.end)
                raise self.error(f"'{self.typed(node.pos, bang.end)}' at column "
                                 f"{bang.column - 1}: the double factorial is not supported; "
                                 f"for the factorial of {shown}! write ({shown}!)!", bang)
            node = Fact(node.pos, bang.end, node)
        return node

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return Num(tok.pos, tok.end, tok.text)
        if tok.kind == "name":
            return self.name()
        if self.is_op(*OPENERS):
            return self.group()
        if self.is_op("|"):
            return self.bars_node()
        if tok.kind == "op" and tok.text not in CLOSERS and tok.text not in ",=":
            raise self.error(f"unexpected '{tok.text}' at column {tok.column}: something is "
                             "missing before it")
        raise self.unexpected()

    def close(self, open_tok: Token) -> Token:
        """Take the bracket that closes ``open_tok``, or explain why it is not there."""
        want = OPENERS[open_tok.text]
        if self.is_op(want):
            return self.take()
        tok = self.tok
        if tok.kind == "end":
            raise self.error(f"'{open_tok.text}' at column {open_tok.column} is never closed",
                             open_tok)
        if tok.text in CLOSERS:
            raise self.error(f"'{tok.text}' at column {tok.column} does not match "
                             f"'{open_tok.text}' at column {open_tok.column}", tok)
        raise self.unexpected()

    def group(self) -> Node:
        open_tok = self.take()
        if self.is_op(*CLOSERS):
            raise self.error(f"empty brackets at column {open_tok.column}", open_tok)
        self.enter(open_tok)
        saved, self.bars = self.bars, 0
        inner = self.sum()
        self.bars = saved
        close = self.close(open_tok)
        self.leave()
        return Group(open_tok.pos, close.end, open_tok.text, inner)

    def bars_node(self) -> Node:
        open_tok = self.take()
        if self.is_op("|"):
            raise self.error(f"empty bars '||' at column {open_tok.column}", open_tok)
        if self.tok.kind == "end":
            raise self.error(f"'|' at column {open_tok.column} is never closed (if bars are "
                             "nested, write abs(...) instead)", open_tok)
        self.enter(open_tok)
        self.bars += 1
        inner = self.sum()
        self.bars -= 1
        if not self.is_op("|"):
            if self.tok.kind == "end":
                raise self.error(f"'|' at column {open_tok.column} is never closed (if bars are "
                                 "nested, write abs(...) instead)", open_tok)
            raise self.unexpected()
        close = self.take()
        self.leave()
        return Bars(open_tok.pos, close.end, inner)

    # -- names
    def name(self) -> Node:
        tok = self.take()
        word = tok.text
        if word in self.declared or (word == "lambda" and "lam" in self.declared):
            if word == "e":
                self.note("e is the declared variable e, not Euler's number")
            return self.subscript(Var(tok.pos, tok.end, "lam" if word == "lambda" else word))
        if word == "lambda":
            self.note("lambda read as the variable λ")
            return self.subscript(Var(tok.pos, tok.end, "lam"))
        fn = canonical_function(word)
        if fn is not None:
            return self.function(tok, fn)
        base = _LOG_BASE.match(word)
        if base:
            return self.function(tok, "log", base=base.group(1))
        if word in CONSTANTS:
            before = self.tokens[self.i - 2] if self.i >= 2 else None
            if (word == "e" and before is not None and before.kind == "num" and not tok.spaced
                    and not self.is_op("^")):
                # "1e" is 1*e, though it looks like scientific notation missing its exponent
                self.note(f"'{before.text}e' read as {before.text}*e (Euler's number); "
                          f"scientific notation needs an exponent, as in {before.text}e3")
            return self.subscript(Const(tok.pos, tok.end, word))
        if word in UNKNOWN_FUNCTIONS and self.is_op("("):
            return self.unknown_function(tok)
        if is_variable_name(word):
            if word in ("E", "I"):
                what = "Euler's number is e" if word == "E" else "there is no imaginary unit here"
                self.note(f"{word} read as a variable ({what})")
            return self.subscript(Var(tok.pos, tok.end, word))
        # "foo(x)" is an unknown function, not f*o*o*(x); "xy(x+1)" stays a product
        if _is_letter_run(word) and not (len(word) >= 3 and self.is_op("(")):
            self.note(f"{word} read as {'*'.join(word)}")
            return self.subscript(Run(tok.pos, tok.end, [Var(tok.pos, tok.end, c) for c in word]))
        raise self.error(unknown_name_message(word, tok.column, self.is_op("(")), tok)

    def subscript(self, node: Node) -> Node:
        """``a[1]`` and ``x[i]`` (a name with an index, brackets glued to it) are the
        variables a_1 and x_i, flagged; other glued brackets (``x[x+1]``) group as usual,
        flagged too, since a learner may have meant an index."""
        # glued as typed (the lexer pads a Greek letter such as λ with spaces)
        if not self.is_op("[") or self.text[self.tok.pos - 1:self.tok.pos].isspace():
            return node
        opener, inner, close = self.tok, self.peek(1), self.peek(2)
        name = node.name if isinstance(node, Var) else None
        typed = self.typed(node.pos, close.end)
        plain_index = ((inner.kind == "num" and inner.text.isdigit())
                       or (inner.kind == "name" and inner.text.isalnum()
                           and canonical_function(inner.text) is None
                           and inner.text not in CONSTANTS))
        if name is not None and plain_index and self.is_op(",", tok=close):
            raise self.error(f"'{name}[{inner.text}, ...' at column {opener.column}: only one "
                             f"index is supported; name the entry as one variable, e.g. "
                             f"{name}_{inner.text}{self.peek(3).text}", opener)
        if name is None or not plain_index or not self.is_op("]", tok=close):
            shown = node.name if isinstance(node, (Var, Const)) else self.typed(node.pos, node.end)
            index = f"; an index is written {shown}_1 or {shown}[1]" if isinstance(node, Var) else ""
            self.note(f"{shown}[...] read as {shown} times the bracket (brackets group){index}")
            return node
        indexed = f"{name}_{inner.text}"
        after = self.peek(3)
        if not is_variable_name(indexed) or (self.is_op("[", tok=after) and not after.spaced):
            raise self.error(f"'{typed}' at column {opener.column}: only one index is "
                             f"supported (as in x_1, x[1] or x[i]); name it as one variable, "
                             f"e.g. {name.replace('_', '')}{inner.text}", opener)
        self.i += 3
        if name in UNKNOWN_FUNCTIONS:
            self.note(f"{typed} read as the variable {display_name(indexed)} (an index); write "
                      f"{name}({inner.text}) for a function of {inner.text}")
        elif name not in self.indexed:  # one note per name: w[1]x[1] + w[2]x[2] is common
            self.indexed.add(name)
            self.note(f"{typed} read as the variable {display_name(indexed)}: square brackets right after a "
                      f"name are an index; write {display_name(name)}*({inner.text}) for a product")
        return Var(node.pos, close.end, indexed)

    def is_function_token(self, tok: Token, after: Token) -> bool:
        if tok.kind != "name" or tok.text in self.declared:
            return False
        return (canonical_function(tok.text) is not None or bool(_LOG_BASE.match(tok.text))
                or (tok.text in UNKNOWN_FUNCTIONS and self.is_op("(", tok=after)))

    def unknown_function(self, tok: Token) -> Node:
        args, close = self.call_arguments(tok, tok.text)
        node = Unknown(tok.pos, close.end, tok.text, args)
        shown = ", ".join(show(a) for a in args)
        self.note(f"{show(node)} read as an unknown function {tok.text} of {shown}")
        return node

    def function(self, tok: Token, fn: str, base: str | None = None) -> Node:
        shown = tok.text
        power = None
        if self.is_op("^"):
            fn, shown, power = self.function_power(tok, fn, shown)
        if self.is_op(*OPENERS):
            args, close = self.call_arguments(tok, shown)
            bare, end = False, close.end
        else:
            args, bare = [self.bare_argument(tok, shown)], True
            end = args[0].end
        if base is not None:
            args.append(Num(tok.pos, tok.end, base) if base.isdigit()
                        else self.base_variable(tok, base))
            shown = "log"
        fewest, most = FUNCTIONS[fn]
        if not fewest <= len(args) <= most:
            count = "one argument" if most == 1 else f"{fewest} to {most} arguments"
            raise self.error(f"{shown} at column {tok.column} takes {count}, not {len(args)}", tok)
        node = Call(tok.pos, end, fn, shown, args, bare, power)
        if fn == "sigmoid":
            self.note(f"{show(node)} read as 1/(1 + e^(-{_show_exponent(args[0])}))")
        elif fn == "cbrt":
            self.note(f"{show(node)} read as {_wrap(args[0], 5)}^(1/3), the real cube root "
                      "(cbrt(-8) = -2)")
        return node

    def base_variable(self, tok: Token, base: str) -> Node:
        if base == "e":
            return Const(tok.pos, tok.end, "e")
        return Var(tok.pos, tok.end, base)

    def function_power(self, tok: Token, fn: str, shown: str) -> tuple[str, str, Node]:
        """``sin^2 x`` (a power of sin x) and ``sin^-1 x`` (asin x, flagged)."""
        caret = self.take()
        grouped = self.is_op("(")
        if grouped:
            self.take()
        sign = self.take().text if self.is_op("-", "+") else ""
        if self.tok.kind != "num" or not self.tok.text.isdigit():
            raise self.error(f"expected a whole number after '{shown}^' at column "
                             f"{caret.column}, as in {shown}^2(x)", caret)
        num_tok = self.take()
        if grouped:
            if not self.is_op(")"):
                raise self.error(f"expected ')' at column {self.tok.column} after the power "
                                 f"of {shown}")
            self.take()
        power: Node = Num(num_tok.pos, num_tok.end, num_tok.text)
        if sign:
            power = Sign(caret.end, num_tok.end, sign, power)
        if sign == "-" and num_tok.text.lstrip("0") == "1":
            inverse = INVERSES.get(fn)
            if inverse is None:
                raise self.error(f"{shown}^-1 at column {tok.column} is ambiguous: write "
                                 f"1/{shown}(x) for the reciprocal", tok)
            self.note(f"{shown}^-1 read as the inverse function {inverse}, not 1/{shown}")
            return inverse, inverse, None
        return fn, shown, power

    def call_arguments(self, fn_tok: Token, shown: str) -> tuple[list[Node], Token]:
        open_tok = self.take()
        if self.is_op(*CLOSERS):
            raise self.error(f"{shown} at column {fn_tok.column} needs an argument inside the "
                             "brackets", self.tok)
        self.enter(open_tok)
        saved, self.bars = self.bars, 0
        args = [self.sum()]
        while self.is_op(","):
            self.take()
            if self.is_op(*CLOSERS) or self.tok.kind == "end":
                raise self.unexpected()
            args.append(self.sum())
        self.bars = saved
        close = self.close(open_tok)
        self.leave()
        return args, close

    def bare_argument(self, fn_tok: Token, shown: str) -> Node:
        """The argument of a function written without brackets (see the reading rules)."""
        self.enter(fn_tok)
        if self.is_op("-", "+"):
            sign = self.take()
            operand = self.bare_argument(fn_tok, shown)
            self.leave()
            return Sign(sign.pos, operand.end, sign.text, operand)
        if not self.starts_factor(self.tok):
            raise self.error(f"{shown} at column {fn_tok.column} needs an argument, "
                             f"e.g. {shown}(x)", fn_tok)
        if self.is_function_token(self.tok, self.peek()):  # sin cos x = sin(cos(x))
            node = self.power()
            self.leave()
            return node
        factors = [self.power()]
        while (self.starts_factor(self.tok) and not self.is_op(*OPENERS)
               and not self.is_function_token(self.tok, self.peek())):
            self.check_adjacent_numbers()
            factors.append(self.power())
        self.leave()
        node = factors[0] if len(factors) == 1 else Product(
            factors[0].pos, factors[-1].end, [("", f) for f in factors])
        if self.is_op(*OPENERS):
            self.note(f"{shown} without brackets takes only {show(node)}, so the bracket after "
                      f"it multiplies {shown}({show(node)})")
        return node


def _is_plain_number(node: Node) -> bool:
    inner = node.operand if isinstance(node, Sign) else node
    return isinstance(inner, Num)
