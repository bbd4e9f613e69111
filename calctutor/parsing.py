"""Untrusted text -> SymPy expression: safe, bounded and forgiving.

Nothing here evaluates the text: a tokenizer (``calctutor._lexer``) checks every character,
this recursive-descent parser checks every name against an allowlist, and the SymPy objects
are built directly. Numeric blow-ups (``9^9^9``, ``factorial(10^8)``, ``e^(e^(e^30))``) are
refused before SymPy is asked to compute them.

How learner notation is read (documented choices; ambiguous ones are flagged in notes):
- ``^`` and ``**`` are powers, right-associative; ``-x^2`` is ``-(x^2)``.
- Juxtaposition multiplies, at the same level as ``*`` and ``/``, left to right: ``2x``,
  ``x(x+1)``, ``(x+1)(x-1)``, ``3x y``. So ``1/2x`` is ``(1/2)*x`` and ``x^1/2`` is ``x/2``
  (both flagged). A run of single-letter names such as ``xy`` is one factor ``x*y`` (flagged),
  so ``1/xy`` is ``1/(x*y)``.
- A function without brackets takes the juxtaposed factors that follow it, up to an
  operator or another function: ``sin 2x`` = sin(2x), ``sin x^2`` = sin(x^2),
  ``sin 2x cos x`` = sin(2x)*cos(x). ``sin^2 x`` and ``sin^2(x)`` are sin(x)^2;
  ``sin^-1(x)`` is asin(x) (flagged).
- ``e`` is Euler's number and ``e^x`` is exp(x); ``log`` and ``ln`` are natural logs,
  ``log(x, b)`` and ``log_b(x)``-style ``log2``/``log10`` take a base.
- ``f(x)``, ``g(x)``, ``h(x)`` are unknown functions (unless declared variables);
  any other ``letter(`` is multiplication.
- Single letters, Greek names, ``x1``, ``a_1`` are variables: ``I``, ``E``, ``S``, ``N``,
  ``beta``, ``gamma`` too (never SymPy's objects). ``lambda`` is the variable ``lam``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Sequence

import sympy

from calctutor._lexer import Token, tokenize
from calctutor.errors import LimitError, ParseError
from calctutor.notation import to_text
from calctutor.results import Reading
from calctutor.symbols import is_variable_name, make_symbol

MAX_EXPONENT = 1000          # |n| in x^n
MAX_RESULT_DIGITS = 2000     # numeric powers whose value would have more digits are refused
MAX_FACTORIAL = 500
MAX_EXP_ARGUMENT = 1000      # e^a with a number a larger than this is refused
MAX_INT_DIGITS = 50
MAX_FLOAT = 1e300


def _sigmoid(z):
    return 1 / (1 + sympy.exp(-z))


def _log(arg, base=None):
    return sympy.log(arg) if base is None else sympy.log(arg) / sympy.log(base)


# name -> (builder, number of arguments allowed)
FUNCTIONS: dict[str, tuple] = {
    "sin": (sympy.sin, 1), "cos": (sympy.cos, 1), "tan": (sympy.tan, 1),
    "sec": (sympy.sec, 1), "csc": (sympy.csc, 1), "cot": (sympy.cot, 1),
    "asin": (sympy.asin, 1), "acos": (sympy.acos, 1), "atan": (sympy.atan, 1),
    "asec": (sympy.asec, 1), "acsc": (sympy.acsc, 1), "acot": (sympy.acot, 1),
    "sinh": (sympy.sinh, 1), "cosh": (sympy.cosh, 1), "tanh": (sympy.tanh, 1),
    "sech": (sympy.sech, 1), "csch": (sympy.csch, 1), "coth": (sympy.coth, 1),
    "asinh": (sympy.asinh, 1), "acosh": (sympy.acosh, 1), "atanh": (sympy.atanh, 1),
    "exp": (sympy.exp, 1), "log": (_log, 2), "ln": (sympy.log, 1),
    "log10": (lambda a: _log(a, 10), 1), "log2": (lambda a: _log(a, 2), 1),
    "sqrt": (sympy.sqrt, 1), "cbrt": (lambda a: sympy.Pow(a, sympy.Rational(1, 3)), 1),
    "abs": (sympy.Abs, 1), "sign": (sympy.sign, 1), "sgn": (sympy.sign, 1),
    "factorial": (sympy.factorial, 1), "sigmoid": (_sigmoid, 1),
}
ALIASES = {
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec", "arccsc": "acsc",
    "arccot": "acot", "cosec": "csc", "arsinh": "asinh", "arcsinh": "asinh", "arcosh": "acosh",
    "arccosh": "acosh", "artanh": "atanh", "arctanh": "atanh", "Abs": "abs",
}
INVERSES = {
    "sin": "asin", "cos": "acos", "tan": "atan", "sec": "asec", "csc": "acsc", "cot": "acot",
    "sinh": "asinh", "cosh": "acosh", "tanh": "atanh",
}
CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
UNKNOWN_FUNCTIONS = ("f", "g", "h")
KNOWN_WORDS = sorted(set(FUNCTIONS) | set(ALIASES) | set(CONSTANTS))


@dataclass(frozen=True)
class Parsed:
    """A parsed expression and how it was read."""

    expr: sympy.Expr
    reading: Reading


def _col(tok: Token) -> str:
    return f"column {tok.pos + 1}"


class _Parser:
    def __init__(self, text: str, variables: Sequence[str], positive: bool, what: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.declared = set(variables)
        self.positive = positive
        self.what = what
        self.notes: list[str] = []
        self.bars = 0  # how many |...| are open

    # -- token helpers ---------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def take(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, message: str, tok: Token | None = None) -> ParseError:
        tok = tok or self.tok
        return ParseError(message, self.text, tok.pos)

    def note(self, message: str):
        if message not in self.notes:
            self.notes.append(message)

    def is_op(self, *ops: str, tok: Token | None = None) -> bool:
        t = tok or self.tok
        return t.kind == "op" and t.text in ops

    # -- grammar ---------------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        if self.tok.kind == "end":
            raise self.error(f"{self.what} is empty")
        expr = self.expression()
        if self.tok.kind != "end":
            t = self.tok
            if self.is_op(")", "]"):
                raise self.error(f"unexpected '{t.text}' at {_col(t)}: it closes nothing")
            if self.is_op(","):
                raise self.error(f"unexpected ',' at {_col(t)} (a list is not allowed here)")
            raise self.error(f"unexpected '{t.text}' at {_col(t)}")
        return expr

    def expression(self) -> sympy.Expr:
        left = self.term()
        while self.is_op("+", "-"):
            op = self.take()
            right = self.term()
            left = left + right if op.text == "+" else left - right
        return left

    def starts_factor(self, tok: Token) -> bool:
        if tok.kind in ("num", "name"):
            return True
        if self.is_op("(", "[", tok=tok):
            return True
        return self.is_op("|", tok=tok) and self.bars == 0

    def term(self) -> sympy.Expr:
        start = self.tok
        left = self.unary()
        after_division_by_number = False
        while True:
            if self.is_op("*", "/"):
                op = self.take()
                divisor_tok = self.tok
                right = self.unary()
                if op.text == "*":
                    left = left * right
                    after_division_by_number = False
                else:
                    if right == 0:
                        raise self.error(f"division by zero at {_col(op)}", op)
                    left = left / right
                    after_division_by_number = divisor_tok.kind == "num"
            elif self.starts_factor(self.tok):
                nxt = self.tok
                right = self.unary_no_sign()
                if after_division_by_number:
                    a = self.text[start.pos:nxt.pos].strip()
                    self.note(f"'{a}{self.text[nxt.pos:self.tok.pos].strip()}' read as "
                              f"({a})*{to_text(right)}; use brackets, e.g. 1/(2x), if you meant "
                              "to divide by the whole product")
                    after_division_by_number = False
                left = left * right
            else:
                return left

    def unary(self) -> sympy.Expr:
        if self.is_op("-"):
            self.take()
            return -self.unary()
        if self.is_op("+"):
            self.take()
            return self.unary()
        return self.power()

    def unary_no_sign(self) -> sympy.Expr:
        return self.power()

    def power(self) -> sympy.Expr:
        base_tok = self.tok
        base = self.atom()
        if self.is_op("^"):
            caret = self.take()
            exp_tok = self.tok
            exponent = self.unary()
            if (exp_tok.kind == "num" and self.is_op("/") and self.peek().kind == "num"
                    and self.tokens[self.i - 1] is exp_tok):
                self.note(f"'{self.text[base_tok.pos:self.peek().pos + len(self.peek().text)]}' "
                          f"read as ({to_text(base)}^{exp_tok.text})/{self.peek().text}; "
                          f"write {to_text(base)}^({exp_tok.text}/{self.peek().text}) for a "
                          "fractional power")
            return self.make_power(base, exponent, caret)
        return base

    def make_power(self, base, exponent, at: Token) -> sympy.Expr:
        if exponent.is_number:
            if exponent.is_real is False:
                raise self.error(f"the exponent at {_col(at)} is not a real number", at)
            try:
                big = abs(float(exponent)) > MAX_EXPONENT
            except (TypeError, ValueError):
                big = False
            if big:
                raise LimitError(f"the exponent at {_col(at)} is too large (the limit is {MAX_EXPONENT})")
            if base.is_number:
                self.check_numeric_power(base, exponent, at)
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise self.error(f"0 to a negative power at {_col(at)} is undefined", at)
        return sympy.Pow(base, exponent)

    def check_numeric_power(self, base, exponent, at: Token):
        try:
            b = abs(float(base.evalf(15)))
            e = float(exponent.evalf(15))
        except (TypeError, ValueError, OverflowError):
            raise LimitError(f"the number at {_col(at)} is too large to work with") from None
        if b > 0 and abs(e * math.log10(b)) > MAX_RESULT_DIGITS:
            raise LimitError(f"the power at {_col(at)} is too large a number "
                             f"(more than {MAX_RESULT_DIGITS} digits)")

    def atom(self) -> sympy.Expr:
        t = self.tok
        if t.kind == "num":
            self.take()
            return self.number(t)
        if t.kind == "name":
            return self.name()
        if self.is_op("(", "["):
            open_tok = self.take()
            close = ")" if open_tok.text == "(" else "]"
            saved_bars, self.bars = self.bars, 0
            inner = self.expression()
            self.bars = saved_bars
            if not self.is_op(close):
                if self.tok.kind == "end":
                    raise self.error(f"'{open_tok.text}' at {_col(open_tok)} is never closed", open_tok)
                raise self.error(f"expected '{close}' at {_col(self.tok)} to close "
                                 f"'{open_tok.text}' from {_col(open_tok)}")
            self.take()
            return inner
        if self.is_op("|"):
            open_tok = self.take()
            self.bars += 1
            inner = self.expression()
            self.bars -= 1
            if not self.is_op("|"):
                raise self.error(f"'|' at {_col(open_tok)} is never closed", open_tok)
            self.take()
            return sympy.Abs(inner)
        if t.kind == "end":
            raise self.error(f"{self.what} ends too early: something is missing at the end")
        if self.is_op(")", "]"):
            raise self.error(f"unexpected '{t.text}' at {_col(t)}: something is missing before it")
        raise self.error(f"unexpected '{t.text}' at {_col(t)}")

    def number(self, t: Token) -> sympy.Expr:
        text = t.text
        if all(c.isdigit() for c in text):
            if len(text.lstrip("0")) > MAX_INT_DIGITS:
                raise LimitError(f"the number at {_col(t)} is too large (more than {MAX_INT_DIGITS} digits)")
            return sympy.Integer(int(text))
        mantissa, _, exp = text.lower().partition("e")
        if exp and abs(int(exp)) > 300:
            raise LimitError(f"the number at {_col(t)} is too large or too small (exponent beyond ±300)")
        if len(mantissa.replace(".", "").lstrip("0")) > MAX_INT_DIGITS:
            raise LimitError(f"the number at {_col(t)} has too many digits (more than {MAX_INT_DIGITS})")
        value = float(text)
        if value > MAX_FLOAT:
            raise LimitError(f"the number at {_col(t)} is too large")
        if not exp and "." not in text:
            return sympy.Integer(int(text))
        return sympy.Float(value)

    # -- names -----------------------------------------------------------------------
    def variable(self, name: str) -> sympy.Symbol:
        return make_symbol(name, self.positive)

    def name(self) -> sympy.Expr:
        t = self.take()
        word = t.text
        if word in self.declared:
            if word == "lambda":
                return self.variable("lam")
            return self.variable(word)
        if word == "lambda":
            self.note("lambda read as the variable lam")
            return self.variable("lam")
        canonical = ALIASES.get(word, word)
        if canonical in FUNCTIONS:
            return self.function(canonical, t)
        if word in CONSTANTS:
            return CONSTANTS[word]
        if word in UNKNOWN_FUNCTIONS and self.is_op("("):
            return self.unknown_function(word, t)
        if is_variable_name(word):
            return self.variable(word)
        return self.letter_run(word, t)

    def letter_run(self, word: str, t: Token) -> sympy.Expr:
        """A word that is not a name: a product of single letters (xy), or an error."""
        for fname in sorted(set(FUNCTIONS) | set(ALIASES), key=len, reverse=True):
            k = word.find(fname)
            if k >= 0 and len(fname) > 1:
                before, after = word[:k], word[k + len(fname):]
                rest = f"({after})" if after else "(...)"
                suggestion = (f"{'*'.join(before)}*" if before else "") + f"{fname}{rest}"
                raise self.error(f"unknown name '{word}' at {_col(t)}: did you mean {suggestion}?", t)
        if word.isalpha() and len(word) <= 3 and "e" not in word and not word.lower().startswith("in"):
            # a short run of single-letter variables, as in "xy" or "xyz"
            self.note(f"{word} read as {'*'.join(word)}")
            return sympy.Mul(*[self.variable(c) for c in word])
        if word in ("In", "IN", "in"):
            raise self.error(f"unknown name '{word}' at {_col(t)}: did you mean ln (natural log)?", t)
        close = difflib.get_close_matches(word.lower(), KNOWN_WORDS, n=1, cutoff=0.6)
        if close:
            hint = f": did you mean {close[0]}?"
        else:
            product = "*".join(word) if word.isalpha() and len(word) <= 8 else None
            hint = (" (declare it with --var if it is a variable"
                    + (f", or write {product} for a product)" if product else ")"))
        raise self.error(f"unknown name '{word}' at {_col(t)}{hint}", t)

    def unknown_function(self, name: str, t: Token) -> sympy.Expr:
        args = self.call_arguments(t, name)
        self.note(f"{name}({', '.join(to_text(a) for a in args)}) read as an unknown function {name}")
        return sympy.Function(name, real=True)(*args)

    def call_arguments(self, fn_tok: Token, name: str) -> list[sympy.Expr]:
        open_tok = self.take()  # '('
        saved_bars, self.bars = self.bars, 0
        args = [self.expression()]
        while self.is_op(","):
            self.take()
            args.append(self.expression())
        self.bars = saved_bars
        if not self.is_op(")"):
            if self.tok.kind == "end":
                raise self.error(f"'(' at {_col(open_tok)} is never closed", open_tok)
            raise self.error(f"expected ')' at {_col(self.tok)} to close the arguments of {name}")
        self.take()
        return args

    def function(self, name: str, t: Token) -> sympy.Expr:
        power = None
        if self.is_op("^"):  # sin^2 x, sin^-1(x)
            caret = self.take()
            sign = -1 if self.is_op("-") else 1
            if self.is_op("-", "+"):
                self.take()
            if self.tok.kind != "num":
                raise self.error(f"expected a number after '{name}^' at {_col(caret)}", caret)
            power = sign * self.number(self.take())
            if power == -1:
                if name not in INVERSES:
                    raise self.error(f"{name}^-1 at {_col(t)} is ambiguous: write 1/{name}(x) "
                                     "or the inverse function by name", t)
                self.note(f"{name}^-1 read as the inverse function {INVERSES[name]}, not 1/{name}")
                name, power = INVERSES[name], None
        builder, nargs = FUNCTIONS[name]
        if self.is_op("("):
            args = self.call_arguments(t, name)
        else:
            args = [self.bare_argument(t, name)]
        if len(args) > nargs:
            raise self.error(f"{name} at {_col(t)} takes {nargs} argument"
                             f"{'s' if nargs > 1 else ''}, not {len(args)}", t)
        self.check_function_argument(name, args, t)
        value = builder(*args)
        if power is not None:
            value = self.make_power(value, power, t)
        return value

    def bare_argument(self, t: Token, name: str) -> sympy.Expr:
        """The argument of a function written without brackets (``sin 2x``)."""
        if self.is_op("-"):
            self.take()
            return -self.bare_argument(t, name)
        if not self.starts_factor(self.tok) or self.is_function_name(self.tok):
            raise self.error(f"{name} at {_col(t)} needs an argument, e.g. {name}(x)", t)
        value = self.power()
        while self.starts_factor(self.tok) and not self.is_function_name(self.tok) \
                and not self.is_op("(", "["):
            value = value * self.power()
        return value

    def is_function_name(self, tok: Token) -> bool:
        return tok.kind == "name" and tok.text not in self.declared and (
            ALIASES.get(tok.text, tok.text) in FUNCTIONS
            or (tok.text in UNKNOWN_FUNCTIONS and self.is_op("(", tok=self.peek())))

    def check_function_argument(self, name: str, args, t: Token):
        a = args[0]
        if not a.is_number:
            return
        if name == "factorial":
            if not (a.is_integer and a >= 0):
                raise self.error(f"factorial at {_col(t)} needs a whole number ≥ 0", t)
            if a > MAX_FACTORIAL:
                raise LimitError(f"factorial({a}) at {_col(t)} is too large (the limit is {MAX_FACTORIAL})")
        if name in ("exp", "sinh", "cosh", "sigmoid"):
            try:
                big = abs(float(a.evalf(15))) > MAX_EXP_ARGUMENT
            except (TypeError, ValueError, OverflowError):
                big = True
            if big:
                raise LimitError(f"{name} at {_col(t)} of such a large number is too large to work with")


def _finish(text: str, parser: _Parser, expr) -> Parsed:
    reading = to_text(expr)

    def squash(s: str) -> str:
        return "".join(s.split()).replace("**", "^")

    differs = bool(parser.notes) or squash(text) != squash(reading)
    return Parsed(expr, Reading(text, reading, tuple(parser.notes), differs))


def _check_size(expr, text: str):
    if sympy.count_ops(expr, visual=False) > 2000:
        raise LimitError("the expression is too large (more than 2000 operations)")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ParseError("the expression is undefined (it divides by zero or is infinite)", text, None)


def parse_expression(text: str, *, variables: Sequence[str] = (), positive: bool = False,
                     what: str = "the expression") -> Parsed:
    """Parse one expression typed by a user (see the module docstring for the notation)."""
    if not isinstance(text, str):
        raise ParseError(f"{what} must be text")
    if not text.strip():
        raise ParseError(f"{what} is empty", text, 0)
    parser = _Parser(text, variables, positive, what)
    expr = parser.parse()
    _check_size(expr, text)
    return _finish(text, parser, expr)


def _split_top_level(text: str, sep: str = ",") -> list[tuple[str, int]]:
    """Split on ``sep`` outside brackets; returns (piece, offset) pairs."""
    pieces, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            pieces.append((text[start:k], start))
            start = k + 1
    pieces.append((text[start:], start))
    return pieces


def _strip_brackets(text: str) -> str:
    s = text.strip()
    if len(s) >= 2 and s[0] == "[" and s[-1] == "]":
        depth = 0
        for k, ch in enumerate(s):
            depth += ch == "["
            depth -= ch == "]"
            if depth == 0 and k < len(s) - 1:
                return s  # the first bracket closes early: "[a]+[b]" is not a list
        return s[1:-1]
    return s


def parse_expressions(text: str, *, variables: Sequence[str] = (), positive: bool = False) -> list[Parsed]:
    """Parse a comma-separated list (``"x*y, x+y"`` or ``"[x*y, x+y]"``)."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the list is empty", text or "", 0)
    tokenize(text)  # length, characters and bracket limits, with columns
    body = _strip_brackets(text)
    out = []
    for k, (piece, _) in enumerate(_split_top_level(body), start=1):
        if not piece.strip():
            raise ParseError(f"entry {k} of the list is empty", text, None)
        out.append(parse_expression(piece.strip(), variables=variables, positive=positive,
                                    what=f"entry {k}"))
    return out


def parse_names(text: str) -> list[str]:
    """Parse a ``--vars`` value such as ``"x,y,z"`` into validated variable names."""
    names = [n.strip() for n in text.replace(" ", ",").split(",") if n.strip()]
    if not names:
        raise ParseError("no variable names given (e.g. --vars x,y)", text, 0)
    seen = set()
    for n in names:
        if not (n.isascii() and n[0].isalpha() and n.replace("_", "a").isalnum()):
            raise ParseError(f"'{n}' is not a valid variable name (letters, digits and _ only, "
                             "starting with a letter)", text, text.find(n))
        if len(n) > 30:
            raise LimitError(f"the variable name '{n[:30]}...' is too long")
        if n in FUNCTIONS or n in ALIASES or n in CONSTANTS:
            raise ParseError(f"'{n}' is a function or constant, not a variable name", text, text.find(n))
        if n in seen:
            raise ParseError(f"the variable '{n}' is listed twice", text, text.find(n))
        seen.add(n)
    return ["lam" if n == "lambda" else n for n in names]


def parse_point(text: str, variables: Sequence[sympy.Symbol], *, positive: bool = False
                ) -> dict[sympy.Symbol, sympy.Expr]:
    """Parse ``"x=1,y=2"`` (or ``"1,2"`` in the order of ``variables``) into exact values."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the point is empty (e.g. --at x=1)", text or "", 0)
    by_name = {v.name: v for v in variables}
    point: dict[sympy.Symbol, sympy.Expr] = {}
    pieces = _split_top_level(_strip_brackets(text))
    if len(pieces) > 50:
        raise LimitError("the point has too many coordinates")
    positional = 0
    for piece, _ in pieces:
        piece = piece.strip()
        if not piece:
            raise ParseError(f"empty coordinate in the point '{text}'", text, None)
        if "=" in piece:
            name, _, value_text = piece.partition("=")
            name = name.strip()
            if name not in by_name:
                known = ", ".join(by_name) or "none"
                raise ParseError(f"'{name}' in the point is not a variable of the expression "
                                 f"(its variables: {known})", text, text.find(name))
            sym = by_name[name]
        else:
            if positional >= len(variables):
                raise ParseError(f"the point has more values than there are variables "
                                 f"({', '.join(by_name) or 'none'})", text, None)
            sym, value_text = variables[positional], piece
            positional += 1
        if sym in point:
            raise ParseError(f"the point gives {sym.name} twice", text, None)
        value = parse_expression(value_text.strip(), what=f"the value of {sym.name}").expr
        if value.free_symbols:
            raise ParseError(f"the value of {sym.name} must be a number, not '{value_text.strip()}'", text, None)
        if value.is_real is False:
            raise ParseError(f"the value of {sym.name} is not a real number", text, None)
        if positive and value.is_positive is False:
            raise ParseError(f"{sym.name} is assumed positive (--positive) but the point gives {value}", text, None)
        point[sym] = value
    return point


def parse_equation(text: str, *, variables: Sequence[str] = (), positive: bool = False) -> Parsed:
    """Parse ``"lhs = rhs"`` as ``lhs - rhs`` (or a plain expression, meaning expr = 0)."""
    if isinstance(text, str) and text.count("=") > 1:
        raise ParseError("an equation has one '=' at most", text, text.rfind("="))
    if isinstance(text, str) and "=" in text:
        lhs, _, rhs = text.partition("=")
        left = parse_expression(lhs, variables=variables, positive=positive, what="the left side")
        right = parse_expression(rhs, variables=variables, positive=positive, what="the right side")
        expr = left.expr - right.expr
        notes = left.reading.notes + right.reading.notes
        reading = f"{left.reading.reading} = {right.reading.reading}"
        return Parsed(expr, Reading(text, reading, notes, left.reading.differs or right.reading.differs))
    return parse_expression(text, variables=variables, positive=positive, what="the equation")
