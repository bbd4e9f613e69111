"""Untrusted text -> SymPy expression: safe, bounded and forgiving.

Nothing here evaluates the text or hands it to SymPy as a string. ``calctutor.parsing.lexer``
normalises and checks every character, ``calctutor.parsing.grammar`` parses the tokens by
recursive descent into a small tree (checking every name against an allowlist), and
``calctutor.parsing.build`` creates the SymPy objects, sizing each numeric step first so that
``9^9^9``, ``factorial(10^8)`` or ``exp(exp(exp(10 e)))`` are refused instead of hanging.
Errors are ``ParseError`` (unreadable text) or ``LimitError`` (a bound), one line each,
naming the column.

How learner notation is read (ambiguous forms are flagged in ``Reading.notes``):

- ``^`` and ``**`` are powers, right-associative (``2^3^2`` = 2^9, flagged when the
  first exponent is a number or a bracket: ``x^(1/2)^2`` is x^(1/4)); ``-x^2`` is -(x^2);
  ``2^-1`` works; ``x²``, ``e⁻ˣ``, ``×``, ``·``, ``÷``, ``−``, ``π``, ``√``, Greek
  letters and fullwidth letters are accepted. Brackets ``()``, ``[]``, ``{}`` group,
  except square brackets glued to a name holding one whole number or name: ``a[1]``,
  ``x[i]``, ``λ[2]`` are the indexed variables a_1, x_i, lam_2 (flagged); ``x [x+1]``
  and ``2[x+1]`` group, and ``x[x+1]`` groups too but is flagged.
- Juxtaposition multiplies, at the same level as ``*`` and ``/``, left to right:
  ``2x``, ``3x y``, ``x(x+1)``, ``(x+1)(x-1)``. So ``1/2x`` is (1/2)*x and ``a/b c`` is
  (a/b)*c (both flagged). Two numbers in a row (``2 3``) are an error.
- ``x^1/2`` is (x^1)/2 = x/2: flagged ("write x^(1/2)") whenever ``n/m`` after ``^`` is
  not a whole number. ``e^2x`` is e^2*x: flagged ("write e^(2x)").
- A run of two or three single letters without ``e`` or a known name inside (``xy``,
  ``abc``) is ONE factor x*y (flagged), whose last letter takes a power: ``xy^2`` is
  x*y^2 and ``a/bc`` is a/(b*c). Longer runs, and runs hiding a known name (``sinx``,
  ``xsinx``, ``pix``, ``xe``), are errors with a did-you-mean (``sin(x)``, ``x*sin(x)``).
- A function without brackets takes the juxtaposed factors that follow it (numbers,
  names, their powers, ``|...|``), stopping at an operator, a bracket or another
  function: ``sin 2x`` = sin(2x), ``sin x^2`` = sin(x^2), ``sin 2x cos x`` = sin(2x)*cos(x),
  ``sin x/2`` = sin(x)/2, ``sin -x`` = sin(-x), ``sin cos x`` = sin(cos(x)); ``sin x (x+1)``
  = sin(x)*(x+1) (flagged). ``sin^2 x`` and ``sin^2(x)`` are sin(x)^2; ``sin^-1 x`` is
  asin(x) (flagged). ``x!`` and ``(n+1)!`` are factorials; ``n!!`` is refused (the
  double factorial is not supported; ``(n!)!`` is the factorial of n!).
- Functions: sin cos tan sec csc(cosec) cot, their inverses asin.. (arcsin..), sinh cosh
  tanh sech csch coth and their inverses asinh.. (arsinh, arcsinh..), exp, ln and log
  (natural), log(x, b), log10, log2, log_2(x), sqrt, cbrt(x) = x^(1/3) (flagged; the
  real cube root: cbrt(-8) = -2; every odd root of a negative number is real, so
  (-8)^(2/3) = 4, here and whenever a value at a point is computed), abs and |x|, sign
  (sgn), factorial, sigmoid(x) = 1/(1 + e^(-x)) (flagged). Other words are errors with a
  did-you-mean (``In(x)``: did you mean ln?).
- Everything is real: a number that is not (``sqrt(-1)``, ``ln(-1)``, ``asin(2)``) and a
  negative number to a variable power (``(-2)^x``) are errors. Notation for a derivative
  (``f'(x)``, ``y'``, ``dy/dx``, ``d/dx``, ``∂f/∂x``) is an error that points to
  ``calctutor diff``; ``2.5.3`` is an error (two decimal points).
- What the typed text requires is kept: SymPy simplifies ``x^2/x`` to x, ``sqrt(x)^2`` to
  x and ``e^(ln x)`` to x as it builds them, so ``Reading.conditions`` lists what the
  typed text needed but the result no longer shows (x ≠ 0, x ≥ 0, x > 0), and
  ``Reading.differs`` is then true.
- ``|x|`` bars: a ``|`` opens where a value is expected and closes an open bar where an
  operator is expected, so ``|x|·|y|``, ``|x||y|`` and ``|x - |y||`` work; ``|x|y|`` and
  other genuinely ambiguous bars are errors that suggest abs(...).
- ``f(x)``, ``g(x)``, ``h(x)`` are unknown functions (flagged) unless the letter is a
  declared variable; any other ``letter(...)`` multiplies: ``x(x+1)``.
- ``e`` is Euler's number, ``pi`` is pi; every other variable name (single letters, Greek
  names, ``x1``, ``a_1``, ``I0``) is a real (or positive) variable, including ``E`` and
  ``I`` (flagged), ``S``, ``N``, ``Q``, ``beta``, ``gamma``. ``lambda`` is the variable
  ``lam`` (flagged). Declared ``variables`` win over all of these readings.
- Integers are exact; decimals and scientific notation (``0.5``, ``1e-3``) are Floats.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import sympy

from calctutor.errors import CalcTutorError, InternalError, LimitError, ParseError
from calctutor.parsing.build import Builder
from calctutor.parsing.build import lost as lost_after
from calctutor.parsing.grammar import KEYWORDS, Parser, show
from calctutor.parsing.lexer import CLOSERS, OPENERS, Token, tokenize
from calctutor.results import Reading
from calctutor.symbols import GREEK_LETTERS

MAX_NAME_LENGTH = 30

__all__ = ["Parsed", "parse_expression", "parse_expressions", "parse_matrix", "parse_names", "parse_point",
           "parse_equation"]


@dataclass(frozen=True)
class Parsed:
    """A parsed expression and how it was read."""

    expr: sympy.Expr
    reading: Reading


def _guarded(fn):
    """Whatever happens inside, the caller sees a CalcTutorError (never a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CalcTutorError:
            raise
        except RecursionError:
            raise LimitError("the expression is nested too deeply") from None
        except Exception as exc:  # a bug in calctutor: still one clear line
            raise InternalError(f"could not read the input ({type(exc).__name__}); this is a "
                                "calctutor bug, please report it") from exc

    return wrapper


def _the(what: str) -> str:
    first = what.split(" ", 1)[0].lower()
    return what if first in {"the", "a", "an", "your", "this", "entry"} else f"the {what}"


def _squash(text: str) -> str:
    # θ and theta are the same name: typing either is not "read differently"
    text = "".join(GREEK_LETTERS.get(ch, ch) for ch in text).replace("lambda", "lam")
    return "".join(text.split()).replace("**", "^")


def _require_text(text, what: str) -> str:
    if not isinstance(text, str):
        raise ParseError(f"{what} must be text, not {type(text).__name__}")
    return text


# -- slices of tokens ------------------------------------------------------------------
@dataclass(frozen=True)
class _Piece:
    tree: object
    notes: tuple[str, ...]
    typed: str


def _slice(tokens: list[Token], start: int, stop: int, text: str) -> list[Token]:
    """Tokens[start:stop] with an "end" token where the slice stops."""
    pos = tokens[stop].pos if stop < len(tokens) else len(text)
    return tokens[start:stop] + [Token("end", "", pos, pos)]


def _parse_tree(text: str, tokens: list[Token], start: int, stop: int,
                declared: frozenset[str], what: str) -> _Piece:
    parser = Parser(text, _slice(tokens, start, stop, text), declared, what)
    tree = parser.parse()
    typed = text[tokens[start].pos:tokens[stop - 1].end] if stop > start else ""
    return _Piece(tree, tuple(parser.notes), typed)


def _parsed(typed: str, expr: sympy.Expr, reading: str, notes: tuple[str, ...],
            builder: Builder | None = None) -> Parsed:
    # what the typed text required but SymPy's evaluation dropped (x^2/x -> x needs x != 0)
    lost = lost_after(builder.conditions, expr) if builder is not None else ()
    differs = bool(notes) or bool(lost) or _squash(typed) != _squash(reading)
    typed_conditions = tuple(builder.conditions) if builder is not None else ()
    return Parsed(expr, Reading(typed, reading, notes, differs, lost, typed_conditions))


def _parse_range(text: str, tokens: list[Token], start: int, stop: int,
                 declared: frozenset[str], positive: bool, what: str,
                 integers: frozenset[str] = frozenset()) -> Parsed:
    piece = _parse_tree(text, tokens, start, stop, declared, what)
    builder = Builder(text, positive, integers)
    expr = builder.build(piece.tree)
    return _parsed(piece.typed, expr, show(piece.tree), piece.notes, builder)


def _retyped(text: str, parsed: Parsed) -> Parsed:
    """``parsed`` with the whole text as typed (surrounding spaces included)."""
    r = parsed.reading
    return Parsed(parsed.expr, Reading(text, r.reading, r.notes, r.differs, r.conditions,
                                         r.typed_conditions))


def _top_level(tokens: list[Token], start: int, stop: int, op: str) -> list[int]:
    """Indices of ``op`` tokens outside every bracket in tokens[start:stop]."""
    found, depth = [], 0
    for k in range(start, stop):
        text = tokens[k].text
        if tokens[k].kind != "op":
            continue
        if text in OPENERS:
            depth += 1
        elif text in CLOSERS:
            depth -= 1
        elif text == op and depth == 0:
            found.append(k)
    return found


def _split(tokens: list[Token], start: int, stop: int, op: str) -> list[tuple[int, int]]:
    cuts = _top_level(tokens, start, stop, op)
    bounds = [start - 1, *cuts, stop]
    return [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]


def _unwrap(tokens: list[Token], start: int, stop: int, *, round_too: bool) -> tuple[int, int]:
    """Drop one pair of brackets around the whole slice: ``[a, b]`` -> ``a, b``."""
    if stop - start < 2 or tokens[start].kind != "op":
        return start, stop
    opener = tokens[start].text
    if opener not in ("[", "(") or (opener == "(" and not round_too):
        return start, stop
    depth = 0
    for k in range(start, stop):
        text = tokens[k].text if tokens[k].kind == "op" else ""
        depth += text in OPENERS
        depth -= text in CLOSERS
        if depth == 0:
            if k != stop - 1 or text != OPENERS[opener]:
                return start, stop  # "[a] + [b]" or "(a)(b)": not one wrapped list
            return start + 1, stop - 1
    return start, stop


def _entry_error(text: str, tokens: list[Token], k: int, what: str) -> ParseError:
    """``what`` is empty; tokens[k] is the comma (or end) where it should have been."""
    return ParseError(f"{what} is empty (at column {tokens[k].column})", text, tokens[k].pos)


def _declared(variables: Sequence) -> frozenset[str]:
    names: set[str] = set()
    for item in variables:
        raw = item.name if isinstance(item, sympy.Symbol) else item
        found = parse_names(raw)
        if len(found) != 1:
            raise ParseError(f"'{raw}' is not one variable name", str(raw), 0)
        names.add(found[0])
    return frozenset(names)


# -- public API ------------------------------------------------------------------------
@_guarded
def parse_expression(text: str, *, variables: Sequence[str] = (), positive: bool = False,
                     what: str = "expression", integers: Sequence[str] = ()) -> Parsed:
    """Parse one expression typed by a user (notation: see the module docstring).

    ``variables`` are names declared with --var/--vars (a word such as ``speed`` becomes a
    variable); ``positive`` makes every variable positive; ``what`` names the text in
    messages ("the answer"); ``integers`` are names that stand for whole numbers (a series'
    index n, so that ``(-1)^n`` is real). Raises ParseError or LimitError, naming the column.
    """
    what = _the(what)
    text = _require_text(text, what)
    declared = _declared(variables)
    tokens = tokenize(text)
    return _retyped(text, _parse_range(text, tokens, 0, len(tokens) - 1, declared, positive,
                                       what, _declared(integers)))


@_guarded
def parse_expressions(text: str, *, variables: Sequence[str] = (),
                      positive: bool = False) -> list[Parsed]:
    """Parse a comma-separated list: ``"x*y, x+y"`` or ``"[x*y, x+y]"``.

    Commas inside brackets (``log(x, 2)``) do not separate entries.
    """
    text = _require_text(text, "the list")
    declared = _declared(variables)
    tokens = tokenize(text)
    start, stop = _unwrap(tokens, 0, len(tokens) - 1, round_too=True)
    if start == stop:
        raise ParseError("the list is empty", text, 0)
    ranges = _split(tokens, start, stop, ",")
    out = []
    for k, (a, b) in enumerate(ranges, start=1):
        what = f"entry {k} of the list" if len(ranges) > 1 else "the expression"
        if a == b:
            raise _entry_error(text, tokens, a, what)
        out.append(_parse_range(text, tokens, a, b, declared, positive, what))
    return out


@_guarded
def parse_names(text: str) -> list[str]:
    """Parse a ``--vars`` value such as ``"x,y,z"`` (or ``"x y z"``) into variable names.

    Each must be a plain word (letters, digits, ``_``, starting with a letter) that is not
    a function or constant name; ``lambda`` becomes ``lam``; duplicates are errors.
    """
    text = _require_text(text, "the variable names")
    tokens = tokenize(text)
    start, stop = _unwrap(tokens, 0, len(tokens) - 1, round_too=True)
    names: list[str] = []
    expect_name = True
    for tok in tokens[start:stop]:
        if tok.kind == "op" and tok.text == ",":
            if expect_name:
                raise ParseError(f"empty variable name before ',' at column {tok.column}",
                                 text, tok.pos)
            expect_name = True
            continue
        if tok.kind != "name":
            raise ParseError(f"'{tok.text}' at column {tok.column} is not a variable name "
                             "(a name starts with a letter, then letters, digits or _)",
                             text, tok.pos)
        name = _variable_name(text, tok)
        if name in names:
            raise ParseError(f"the variable '{tok.text}' at column {tok.column} is listed twice",
                             text, tok.pos)
        names.append(name)
        expect_name = False
    if not names:
        raise ParseError("no variable names given (e.g. x,y)", text, 0)
    if expect_name:
        raise ParseError("the list of variable names ends with ','", text, len(text))
    return names


def _variable_name(text: str, tok: Token) -> str:
    word = tok.text
    if word in KEYWORDS:
        kind = "a constant" if word == "pi" else "a function name"
        raise ParseError(f"'{word}' at column {tok.column} is {kind}, not a variable name",
                         text, tok.pos)
    if len(word) > MAX_NAME_LENGTH:
        raise LimitError(f"the variable name at column {tok.column} is too long "
                         f"(more than {MAX_NAME_LENGTH} characters)")
    return "lam" if word == "lambda" else word


@_guarded
def parse_point(text: str, variables: Sequence[sympy.Symbol], *,
                positive: bool = False) -> dict[sympy.Symbol, sympy.Expr]:
    """Parse ``"x=1,y=2"`` (or ``"1,2"`` in the order of ``variables``) into exact values.

    Values stay exact (``pi/4``, ``sqrt(2)``, ``1/3``); decimals stay Floats. Every variable
    must be given, once, as a real number (positive with ``positive``).
    """
    text = _require_text(text, "the point")
    tokens = tokenize(text)
    start, stop = _unwrap(tokens, 0, len(tokens) - 1, round_too=True)
    if start == stop:
        raise ParseError("the point is empty (write e.g. x=1 or x=1,y=2)", text, 0)
    by_name = {v.name: v for v in variables}
    ranges = _split(tokens, start, stop, ",")
    named = [bool(_top_level(tokens, a, b, "=")) for a, b in ranges]
    if any(named) and not all(named):
        k = named.index(False) if named[0] else named.index(True)
        raise ParseError(f"the point mixes 'name=value' and plain values (at column "
                         f"{tokens[ranges[k][0]].column}): use one form", text, tokens[ranges[k][0]].pos)
    point: dict[sympy.Symbol, sympy.Expr] = {}
    for k, (a, b) in enumerate(ranges):
        if a == b:
            raise _entry_error(text, tokens, a, f"value {k + 1} of the point")
        if named[k]:
            symbol, a = _point_name(text, tokens, a, b, by_name)
        else:
            if k >= len(variables):
                raise ParseError(f"the point has {len(ranges)} values but there "
                                 f"{_are_variables(variables)} (extra value at column "
                                 f"{tokens[a].column})", text, tokens[a].pos)
            symbol = variables[k]
        if symbol in point:
            raise ParseError(f"the point gives {symbol.name} twice (column {tokens[a].column})",
                             text, tokens[a].pos)
        point[symbol] = _point_value(text, tokens, a, b, symbol, positive)
    missing = [v.name for v in variables if v not in point]
    if missing:
        raise ParseError(f"the point '{' '.join(text.split())}' gives no value for "
                         f"{', '.join(missing)}", text, len(text))
    return {v: point[v] for v in variables}


def _are_variables(variables: Sequence[sympy.Symbol]) -> str:
    if not variables:
        return "are no variables"
    names = ", ".join(v.name for v in variables)
    return f"{'is' if len(variables) == 1 else 'are'} only {len(variables)} ({names})"


def _point_name(text: str, tokens: list[Token], a: int, b: int, by_name: dict):
    """The variable before ``=`` in ``x=1``, and where its value starts."""
    eq = _top_level(tokens, a, b, "=")
    if len(eq) > 1:
        raise ParseError(f"a second '=' at column {tokens[eq[1]].column} in the point",
                         text, tokens[eq[1]].pos)
    eq = eq[0]
    if eq - a != 1 or tokens[a].kind != "name":
        raise ParseError(f"expected a variable name before '=' at column {tokens[eq].column}",
                         text, tokens[eq].pos)
    tok = tokens[a]
    name = "lam" if tok.text == "lambda" else tok.text
    if name not in by_name:
        known = ", ".join(by_name) if by_name else "none"
        raise ParseError(f"'{tok.text}' at column {tok.column} is not a variable of the "
                         f"expression (its variables: {known})", text, tok.pos)
    if eq + 1 == b:
        raise ParseError(f"no value after '=' at column {tokens[eq].column}", text, tokens[eq].pos)
    return by_name[name], eq + 1


def _point_value(text, tokens, a, b, symbol, positive) -> sympy.Expr:
    what = f"the value of {symbol.name}"
    value = _parse_range(text, tokens, a, b, frozenset(), False, what).expr
    col = tokens[a].column
    if value.free_symbols or not value.is_number:
        raise ParseError(f"{what} at column {col} must be a number", text, tokens[a].pos)
    if value.is_real is False:
        raise ParseError(f"{what} at column {col} is not a real number", text, tokens[a].pos)
    if positive and value.is_positive is False:
        raise ParseError(f"{what} at column {col} must be positive (variables are assumed "
                         "positive)", text, tokens[a].pos)
    return value


@_guarded
def parse_equation(text: str, *, variables: Sequence[str] = (),
                   positive: bool = False) -> Parsed:
    """Parse ``"lhs = rhs"`` as the expression ``lhs - rhs`` (without ``=``: the expression)."""
    text = _require_text(text, "the equation")
    declared = _declared(variables)
    tokens = tokenize(text)
    end = len(tokens) - 1
    eqs = _top_level(tokens, 0, end, "=")
    if not eqs:
        return _retyped(text, _parse_range(text, tokens, 0, end, declared, positive,
                                           "the equation"))
    if len(eqs) > 1:
        raise ParseError(f"an equation has one '=', but there is another at column "
                         f"{tokens[eqs[1]].column}", text, tokens[eqs[1]].pos)
    eq = eqs[0]
    for side, a, b in (("left", 0, eq), ("right", eq + 1, end)):
        if a == b:
            raise ParseError(f"the {side} side of the equation is empty ('=' at column "
                             f"{tokens[eq].column})", text, tokens[eq].pos)
    left = _parse_tree(text, tokens, 0, eq, declared, "the left side")
    right = _parse_tree(text, tokens, eq + 1, end, declared, "the right side")
    builder = Builder(text, positive)
    expr = builder.build(left.tree) - builder.build(right.tree)
    reading = f"{show(left.tree)} = {show(right.tree)}"
    return _parsed(text, expr, reading, left.notes + tuple(n for n in right.notes
                                                           if n not in left.notes), builder)


@_guarded
def parse_matrix(text: str, *, variables: Sequence[str] = (), positive: bool = False,
                 what: str = "the matrix") -> list[list[Parsed]]:
    """Parse a matrix typed row by row, in any of the common forms: ``"[[1, x], [2, y]]"``
    (the outer brackets optional), ``"(1, x), (2, y)"``, ``"1, x; 2, y"`` (also inside one
    pair of brackets) or one row per line. A plain list ``"a, b"`` is one row. Rows must be
    equally long; a row's entries are separated by commas."""
    text = _require_text(text, what)
    declared = _declared(variables)
    tokens = _row_tokens(tokenize(text, rows=True))
    start, stop = 0, len(tokens) - 1
    ends = _top_level(tokens, start, stop, ";")
    if not ends:
        inner = _unwrap(tokens, start, stop, round_too=True)
        if inner != (start, stop) and _top_level(tokens, *inner, ";"):
            start, stop = inner  # "[a, b; c, d]"
            ends = _top_level(tokens, start, stop, ";")
    if ends:
        rows_ranges = _split(tokens, start, stop, ";")
        if rows_ranges[-1][0] == rows_ranges[-1][1] and len(rows_ranges) > 1:
            rows_ranges.pop()  # "a, b; c, d;": a closing ';' ends the last row
    else:
        rows_ranges = _bracketed_rows(tokens, start, stop)
    rows: list[list[Parsed]] = []
    for i, (a, b) in enumerate(rows_ranges, start=1):
        ra, rb = _unwrap(tokens, a, b, round_too=True)
        if ra == rb:
            raise ParseError(f"row {i} of {what} is empty (at column {tokens[a].column})", text,
                             tokens[a].pos)
        row = []
        for j, (ea, eb) in enumerate(_split(tokens, ra, rb, ","), start=1):
            if ea == eb:
                raise _entry_error(text, tokens, ea, f"entry ({i}, {j}) of {what}")
            row.append(_parse_range(text, tokens, ea, eb, declared, positive,
                                    f"entry ({i}, {j}) of {what}"))
        if rows and len(row) != len(rows[0]):
            raise ParseError(f"row {i} of {what} has {len(row)} entries but row 1 has "
                             f"{len(rows[0])} (at column {tokens[a].column})", text, tokens[a].pos)
        rows.append(row)
    return rows


def _row_tokens(tokens: list[Token]) -> list[Token]:
    """Line breaks as row ends (";") where one can end a row: outside brackets, after an
    entry; elsewhere (after a comma, inside brackets, at either end) they are white space."""
    out: list[Token] = []
    depth = 0
    for k, tok in enumerate(tokens):
        if tok.kind == "op" and tok.text in OPENERS:
            depth += 1
        elif tok.kind == "op" and tok.text in CLOSERS:
            depth -= 1
        if tok.kind == "op" and tok.text == "\n":
            after = next((t for t in tokens[k + 1:] if t.text != "\n"), None)
            ends_row = (depth == 0 and out and out[-1].text not in (",", ";")
                        and after is not None and after.kind != "end"
                        and after.text not in (",", ";"))
            if ends_row:
                out.append(Token("op", ";", tok.pos, tok.end, tok.spaced))
            continue
        out.append(tok)
    return out


def _bracketed_rows(tokens: list[Token], start: int, stop: int) -> list[tuple[int, int]]:
    """The rows of a matrix written without ';': ``[[a, b], [c, d]]``, ``[a, b], [c, d]``,
    ``(a, b), (c, d)`` or ``((a, b), (c, d))``; else the whole text is one row. A round
    bracket is a row only when it holds a comma: ``(x+1), (y)`` is a row of two entries."""

    def grouped(a: int, b: int) -> list[tuple[int, int]] | None:
        ranges = _split(tokens, a, b, ",")
        for ra, rb in ranges:
            inner = _unwrap(tokens, ra, rb, round_too=True)
            if inner == (ra, rb):
                return None
            if tokens[ra].text == "(" and not _top_level(tokens, *inner, ","):
                return None
        return ranges

    inner = _unwrap(tokens, start, stop, round_too=True)
    if inner != (start, stop):
        found = grouped(*inner)
        if found is not None:
            return found  # "[[..], [..]]"
    found = grouped(start, stop)
    if found is not None and (len(found) > 1 or tokens[start].text == "["):
        return found  # "[..], [..]" and "(..), (..)"; a lone "[a, b]" is one row too
    return [(start, stop)]  # "a, b" or "(a, b)": a single row
