"""Untrusted text -> tokens, with every character checked and every position kept.

Normalisation happens here, character by character so that error columns stay exact:
superscripts (``x²`` -> ``x^2``, ``e²ˣ`` -> ``e^(2x)``), Unicode operators (``− × · ÷``),
``π``, ``√``, lowercase Greek letters (``θ`` -> ``theta``, ``λ`` -> ``lam``; ``θ1``, ``θ_0``
and ``θ₀`` are one name each), then NFKC (fullwidth letters
become ASCII). Anything outside a small ASCII allowlist is an error that names the
character (invisible and control characters by their code point) and its column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from calctutor.errors import LimitError, ParseError
from calctutor.symbols import GREEK_LETTERS

MAX_LENGTH = 2000
MAX_TOKENS = 2000
MAX_NESTING = 50

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "⁽": "(", "⁾": ")", "ⁿ": "n", "ⁱ": "i",
    "ˣ": "x", "ʸ": "y",
}
_OPERATORS = {
    "−": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "﹘": "-",
    "×": "*", "·": "*", "⋅": "*", "∗": "*", "•": "*", "÷": "/", "∕": "/", "⁄": "/",
    "∣": "|", "π": " pi ", "√": " sqrt ", "∛": " cbrt ",
}
_GREEK = GREEK_LETTERS
# Letters from other scripts that look like Latin ones: named in the error, never accepted.
_LOOKALIKES = {
    "а": "a", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "о": "o", "р": "p",
    "ѕ": "s", "х": "x", "у": "y", "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H",
    "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T", "Х": "X", "Ι": "I", "Ν": "N",
}
_ALLOWED = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "+-*/^()[]{}|.,=_! \t"
)
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")": "(", "]": "[", "}": "{"}

_TOKEN = re.compile(
    r"(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()\[\]{}|,=!;\n])"
    r"|(?P<space>[ \t]+)"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is "num", "name", "op" or "end"; ``pos``/``end`` index the typed text."""

    kind: str
    text: str
    pos: int
    end: int
    spaced: bool = False  # preceded by white space

    @property
    def column(self) -> int:
        return self.pos + 1


def describe_char(ch: str) -> str:
    """A readable name for a character: ``'$'``, or ``invisible character U+200B`` for hidden ones."""
    code = f"U+{ord(ch):04X}"
    category = unicodedata.category(ch)
    if category == "Cc":
        return f"control character {code}"
    if category[0] in "CZ" or not ch.isprintable():
        name = unicodedata.name(ch, "")
        return f"invisible character {code}" + (f" ({name})" if name else "")
    name = unicodedata.name(ch, "")
    return f"'{ch}' ({code}{' ' + name if name else ''})"


def _bad_character(text: str, i: int) -> ParseError:
    ch = text[i]
    if ch in "\n\r":
        return ParseError(f"line break at column {i + 1}: write the expression on one line", text, i)
    hint = ""
    if ch in _LOOKALIKES:
        hint = f": it looks like the Latin letter '{_LOOKALIKES[ch]}'; type that instead"
    elif ch in "'’′″" and i and (text[i - 1].isalnum() or text[i - 1] in ")]'’′"):
        hint = (": a prime marks a derivative (f'(x), y'), which cannot be part of an "
                "expression; type the function itself and use calctutor diff")
    elif ch in "∂∇":
        hint = (": a derivative cannot be part of an expression; type the function itself "
                "and use calctutor diff --var x (or gradient)")
    elif ch in "'\"`":
        hint = ": quotes are not part of an expression"
    elif ch == ";":
        hint = ": write one expression (use ',' to separate several)"
    return ParseError(f"{describe_char(ch)} at column {i + 1} is not allowed in an expression{hint}",
                      text, i)


def _superscript_run(text: str, i: int) -> tuple[str, int]:
    """The exponent written by the superscripts starting at ``i``, and where they end."""
    j = i
    while j < len(text) and text[j] in _SUPERSCRIPTS:
        j += 1
    body = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
    # a run of digits (with a sign) is an exponent on its own; anything else is grouped so
    # that e²ˣ is e^(2x), not e^2*x
    rest = body[1:] if body[:1] in "+-" else body
    simple = rest.isdigit() or (len(rest) == 1 and rest.isalpha())
    grouped = body.startswith("(") and body.endswith(")")
    return ("^" + body if simple or grouped else "^(" + body + ")"), j


def normalise(text: str, rows: bool = False) -> tuple[str, list[int]]:
    """Map typed text to the ASCII the grammar reads.

    Also returns, for every output character, the index of the typed character it came
    from, so that errors name columns of what the user typed. With ``rows`` (a matrix),
    ``;`` and line breaks are kept: they end a row.
    """
    if rows:
        text = text.replace("\r", " ")
    if text.isascii() and not rows:
        for i, ch in enumerate(text):
            if ch not in _ALLOWED:
                raise _bad_character(text, i)
        return text, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []

    def emit(s: str, i: int) -> None:
        out.append(s)
        where.extend([i] * len(s))

    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _SUPERSCRIPTS:
            mapped, i_next = _superscript_run(text, i)
            emit(mapped, i)
            i = i_next
            continue
        mapped = ch if rows and ch in ";\n" else _map_char(ch)
        if mapped is None:
            raise _bad_character(text, i)
        if ch in _GREEK and i + 1 < len(text) and text[i + 1].isalpha():
            mapped += " "  # θx is θ times x; θ1, θ_0 and θ₀ stay one name
        emit(mapped, i)
        i += 1
    return "".join(out), where


def _map_char(ch: str) -> str | None:
    """The ASCII for one typed character, or None when it is not allowed."""
    if ch in _ALLOWED:
        return ch
    if ch in _OPERATORS:
        return _OPERATORS[ch]
    if ch in _GREEK:
        return " " + _GREEK[ch]
    norm = unicodedata.normalize("NFKC", ch)
    if norm == ch and ch not in _GREEK:
        return None
    if len(norm) > 1 and "⁄" in norm:  # a vulgar fraction such as ½ -> (1/2)
        return "(" + norm.replace("⁄", "/") + ")"
    pieces = []
    for c in norm:
        if c in _ALLOWED:
            pieces.append(c)
        elif c in _OPERATORS:
            pieces.append(_OPERATORS[c])
        elif c in _GREEK:
            pieces.append(" " + _GREEK[c])
        else:
            return None
    return "".join(pieces)


def tokenize(text: str, rows: bool = False) -> list[Token]:
    """The tokens of ``text``, ending with an "end" token; raises ParseError or LimitError.
    With ``rows``, ``;`` and line breaks are "op" tokens (a matrix's row ends)."""
    if len(text) > MAX_LENGTH:
        raise LimitError(f"input is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    norm, where = normalise(text, rows)
    tokens: list[Token] = []
    depth = 0
    pos = 0
    spaced = False
    while pos < len(norm):
        m = _TOKEN.match(norm, pos)
        if m is None:
            start = where[pos]
            ch = norm[pos]
            hint = ": names start with a letter" if ch == "_" else ""
            raise ParseError(f"unexpected '{ch}' at column {start + 1}{hint}", text, start)
        kind = m.lastgroup
        if kind == "space":
            spaced = True
            pos = m.end()
            continue
        tok_text = "^" if m.group() == "**" else m.group()
        tok = Token(kind, tok_text, where[pos], where[m.end() - 1] + 1, spaced)
        if (kind == "num" and tok_text.startswith(".") and not spaced and tokens
                and tokens[-1].kind == "num" and "." in tokens[-1].text):
            first = tokens[-1]
            raise ParseError(f"'{text[first.pos:tok.end]}' at column {first.column} is not a "
                             "number: it has two decimal points", text, first.pos)
        spaced = False
        tokens.append(tok)
        if len(tokens) > MAX_TOKENS:
            raise LimitError(f"the expression is too long (more than {MAX_TOKENS} symbols)")
        if tok_text in OPENERS:
            depth += 1
            if depth > MAX_NESTING:
                raise LimitError(f"brackets are nested too deeply at column {tok.column} "
                                 f"(more than {MAX_NESTING} levels)")
        elif tok_text in CLOSERS:
            depth -= 1
        pos = m.end()
    tokens.append(Token("end", "", len(text), len(text), spaced))
    return tokens
