"""Untrusted text -> tokens, with every character checked and every position kept.

Normalisation happens here: superscripts (x² -> x^(2)), √, Unicode operators (− × · ÷),
Greek letters (θ -> theta) and NFKC (fullwidth letters become ASCII). Anything outside a
small allowlist is an error that names the character and its column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from calctutor.errors import LimitError, ParseError

MAX_LENGTH = 2000
MAX_TOKENS = 1500
MAX_NESTING = 50

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+",
}
_CHAR_MAP = {
    "−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "×": "*", "·": "*", "⋅": "*",
    "∗": "*", "÷": "/", "π": " pi ", "√": " sqrt ", "∣": "|",
}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lam", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}
_ALLOWED_PUNCT = set("+-*/^().,[]|=_ \t")

_TOKEN = re.compile(
    r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),\[\]|=])"
    r"|(?P<space>[ \t]+)"
)


@dataclass(frozen=True)
class Token:
    kind: str   # "num", "name", "op", "end"
    text: str
    pos: int    # index in the text as typed (0-based)


def describe_char(ch: str) -> str:
    """A readable name for a character: 'x', or U+200B ZERO WIDTH SPACE for invisible ones."""
    name = unicodedata.name(ch, "")
    if ch.isprintable() and not ch.isspace() and unicodedata.category(ch)[0] != "C":
        return f"'{ch}' (U+{ord(ch):04X}{' ' + name if name else ''})"
    kind = "control" if unicodedata.category(ch) == "Cc" else "invisible"
    return f"{kind} character U+{ord(ch):04X}{' ' + name if name else ''}"


def normalise(text: str) -> tuple[str, list[int]]:
    """Map the typed text to the ASCII the grammar reads; also return, for every output
    character, the index of the typed character it came from (for error columns)."""
    out: list[str] = []
    where: list[int] = []

    def emit(s: str, i: int):
        out.append(s)
        where.extend([i] * len(s))

    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _SUPERSCRIPTS:
            j = i
            while j < len(text) and text[j] in _SUPERSCRIPTS:
                j += 1
            emit("^(" + "".join(_SUPERSCRIPTS[c] for c in text[i:j]) + ")", i)
            i = j
            continue
        if ch in _CHAR_MAP:
            emit(_CHAR_MAP[ch], i)
        elif ch in _GREEK or ch.lower() in _GREEK:
            emit(" " + _GREEK.get(ch, _GREEK.get(ch.lower(), "")) + " ", i)
        else:
            norm = unicodedata.normalize("NFKC", ch)
            if ch == "\n" or ch == "\r":
                raise ParseError(f"line break at column {i + 1}: write the expression on one line", text, i)
            for c in norm:
                if not (c.isascii() and (c.isalnum() or c in _ALLOWED_PUNCT)):
                    raise ParseError(f"{describe_char(ch)} at column {i + 1} is not allowed in an expression", text, i)
            emit(norm, i)
        i += 1
    return "".join(out), where


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` (ending with an "end" token); raises ParseError/LimitError."""
    if len(text) > MAX_LENGTH:
        raise LimitError(f"input is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    norm, where = normalise(text)
    tokens: list[Token] = []
    depth = 0
    pos = 0
    while pos < len(norm):
        m = _TOKEN.match(norm, pos)
        if m is None:  # cannot happen after normalise, but never trust it
            raise ParseError(f"unexpected character at column {where[pos] + 1}", text, where[pos])
        kind = m.lastgroup
        tok_text = m.group()
        if kind != "space":
            if tok_text == "**":
                tok_text = "^"
            tokens.append(Token(kind, tok_text, where[pos]))
            if tok_text in "([":
                depth += 1
                if depth > MAX_NESTING:
                    raise LimitError(f"brackets are nested too deeply (more than {MAX_NESTING} levels)")
            elif tok_text in ")]":
                depth -= 1
            if len(tokens) > MAX_TOKENS:
                raise LimitError(f"the expression is too long (more than {MAX_TOKENS} symbols)")
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens
