"""Views of the drills results (registered with ``calctutor.render.views.register``).

A worksheet: a heading, one numbered item per exercise (its skill, then the prompt with
its formulas printed as maths in every format), and with ``--answers`` the answer key in
the same numbering.
"""

from __future__ import annotations

import re

import sympy

from calctutor.drills.model import Exercise, Worksheet
from calctutor.errors import CalcTutorError
from calctutor.notation import greek, keep_order
from calctutor.render.doc import (
    Document,
    Heading,
    Item,
    Note,
    Numbered,
    Paragraph,
    Segments,
    Verbatim,
)
from calctutor.render.views import register

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def math_of(text: str):
    """An expression (or an equation ``lhs = rhs``) of a prompt or an answer as SymPy
    (calctutor's safe parser), or None. (The multiplier ``lam`` is printed as λ by every
    printer: see ``symbols.display_name``.)"""
    if text.count("=") == 1:
        lhs, rhs = (math_of(side) for side in text.split("="))
        if lhs is None or rhs is None:
            return None
        return sympy.Eq(lhs, rhs, evaluate=False)
    return _parse(text)


def _parse(text: str):
    from calctutor.parsing import parse_expression

    try:
        return parse_expression(text).expr
    except CalcTutorError:
        pass
    try:  # a series' general term: (-1)^n is real for a whole number n
        return parse_expression(text, integers=["n"]).expr
    except CalcTutorError:
        pass
    # answers may name multipliers or parameters (lam, a, b) that the parser does not guess
    from calctutor.symbols import is_variable_name

    names = [n for n in dict.fromkeys(_NAME.findall(text)) if is_variable_name(n) or len(n) <= 4]
    try:
        return parse_expression(text, variables=names).expr
    except CalcTutorError:
        return None


def prompt_segments(ex: Exercise) -> Segments:
    """The prompt with its math pieces as expressions (shown as typed if they do not parse)."""
    segs: list = []
    for kind, text in _merged(_glued(ex.parts or (("text", ex.prompt),))):
        if kind == "math":
            expr = math_of(text)
            if expr is not None:
                keep_order(expr, text)  # the terms in the order the bank wrote them
            segs.append(expr if expr is not None else Verbatim(text))
        elif kind == "list":
            segs.extend(_expression_list(text))
        else:
            for piece in _text_with_matrices(text):
                segs.extend(_leibniz(piece) if isinstance(piece, str) else [piece])
    extra = [f"{label}: {ex.hints[key]}" for key, label in (("domain", "domain"),
                                                             ("form", "answer form"))
             if ex.hints.get(key)]
    if extra:
        segs.append(" (" + "; ".join(extra) + ")")
    return tuple(segs)


def _glued(parts):
    """A variable's name glued to the words before it ("∂f/∂" + "y") is part of them; a
    list of expressions (a system) is marked "list"."""
    out: list = []
    for kind, text in parts:
        if (kind == "math" and out and out[-1][0] == "text" and _NAME.fullmatch(text)
                and out[-1][1].endswith("∂")):
            kind = "text"
        elif kind == "text" and _expression_list(text) is not None:
            kind = "list"  # not merged with the words around it
        out.append((kind, text))
    return out


def _expression_list(text: str):
    """Segments for a piece that is only expressions (or equations) separated by commas (a
    system "x^2 + y^2 - 5, x - y + 1", layers "x = t^2 + 1, y = 2t"), or None: words stay
    words."""
    items = text.split(",")
    if (len(items) < 2 or not all(re.search(r"[A-Za-z]", i) for i in items)
            or not any(re.search(r"[-+*/^]", i) for i in items)):
        return None
    exprs = [math_of(i.strip()) for i in items]
    if any(e is None for e in exprs):
        return None
    out: list = []
    for k, (e, item) in enumerate(zip(exprs, items, strict=True)):
        keep_order(e, item)
        out += ([", "] if k else []) + [e]
    return out


# ∂f/∂x, ∂²f/∂y∂x, ∂χ²/∂m written in a prompt's words: maths (∂f/∂sigma is ∂f/∂σ)
_LEIBNIZ = re.compile(r"∂²?[A-Za-zα-ωχ]\w*²?/∂[A-Za-zα-ω]\w*(?:∂[A-Za-zα-ω]\w*)?")
_NAME_PART = re.compile(r"[A-Za-z]+\d*")


def _leibniz(text: str) -> list:
    out: list = []
    pos = 0
    for m in _LEIBNIZ.finditer(text):
        word = m.group(0)
        if not all(ch.isascii() or ch in "∂²" or "α" <= ch <= "ω" for ch in word):
            continue
        out.append(text[pos:m.start()])
        out.append(sympy.Symbol(_NAME_PART.sub(lambda n: greek(n.group(0)), word)))
        pos = m.end()
    out.append(text[pos:])
    return [t for t in out if not isinstance(t, str) or t]


# a matrix written in a prompt's words, row by row: "[[2, 1], [1, 3]]"
_MATRIX = re.compile(r"\[\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*\]")


def _merged(parts):
    """Adjacent text pieces joined (a matrix may be spread over several placeholders)."""
    out: list[list[str]] = []
    for kind, text in parts:
        if out and kind == "text" == out[-1][0]:
            out[-1][1] += text
        else:
            out.append([kind, text])
    return [tuple(p) for p in out]


def _text_with_matrices(text: str) -> list:
    """Words, with each matrix in them printed as a matrix (not as brackets)."""
    from calctutor.parsing import parse_matrix

    out: list = []
    pos = 0
    for m in _MATRIX.finditer(text):
        try:
            rows = parse_matrix(m.group(0))
        except CalcTutorError:
            continue
        out.append(text[pos:m.start()])
        out.append(sympy.Matrix([[p.expr for p in row] for row in rows]))
        pos = m.end()
    out.append(text[pos:])
    return [t for t in out if not isinstance(t, str) or t]


def answer_value(value):
    """An answer in the contract's JSON shape as something to print: an expression, a
    matrix (vectors as rows, as calctutor writes a Jacobian), or words (None, text)."""
    if isinstance(value, bool):
        return None, str(value).lower()
    if isinstance(value, (int, float)):
        return sympy.Float(value) if isinstance(value, float) else sympy.Integer(value), ""
    if value in ("yes", "no"):  # a yes/no question's key: words, not y*e*s
        return None, value
    if isinstance(value, str):
        expr = math_of(value)
        return (expr, "") if expr is not None else (None, value)
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        rows = [[answer_value(v)[0] for v in row] for row in value]
        if all(e is not None for row in rows for e in row) and len({len(r) for r in rows}) == 1:
            return sympy.Matrix(rows), ""
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], (list, dict)):
        return answer_value(value[0])  # one number (x1 of a Newton step), not a 1x1 matrix
    if isinstance(value, list) and value and not any(isinstance(v, (list, dict)) for v in value):
        entries = [answer_value(v)[0] for v in value]
        if all(e is not None for e in entries):
            return sympy.Matrix([entries]), ""
    return None, _words(value)


def _words(value) -> str:
    if isinstance(value, dict) and set(value) == {"point", "kind"} and isinstance(value["point"], dict):
        point = value["point"]
        return f"({', '.join(str(v) for v in point.values())}) {value['kind']}"
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_words(v) for v in value)
    return str(value)


@register(Worksheet)
def worksheet_view(sheet: Worksheet) -> Document:
    """The worksheet and, with ``answers``, its answer key."""
    where = f"Module {sheet.module}: {sheet.module_title}" if sheet.module else "All modules"
    doc: Document = [Heading(f"Worksheet: {where}")]
    about = f"{len(sheet.exercises)} exercise{'s' if len(sheet.exercises) != 1 else ''}"
    if sheet.skill:
        about += f" on the skill {sheet.skill!r}"
    about += f", seed {sheet.seed} (the same seed gives the same worksheet)."
    doc.append(Paragraph((about,)))
    if sheet.requested and len(sheet.exercises) < sheet.requested:
        doc.append(Note((f"Only {len(sheet.exercises)} of the {sheet.requested} exercises asked "
                         "for could be drawn: the bank has no more distinct variants for this "
                         "choice, or the time limit came first.",)))
    from calctutor.drills.pictures import is_picture, picture

    # a question about a picture: its figure follows the list, numbered as the exercise
    figures = [(n, ex) for n, ex in enumerate(sheet.exercises, 1) if is_picture(ex)]
    pictured = {n for n, _ in figures}
    items = tuple(Item(ex.skill, None, prompt_segments(ex) + (
        (f" (Figure {n}, below.)",) if n in pictured else ()))
        for n, ex in enumerate(sheet.exercises, 1))
    doc.append(Numbered(items, "Exercises"))
    for n, ex in figures:
        doc += [Heading(f"Figure {n}", 3), *picture(ex).blocks()]
    if sheet.answers:
        doc.append(Heading("Answers", 2))
        keys = []
        for ex in sheet.exercises:
            expr, words = answer_value(ex.answer)
            if ex.tolerance is not None and expr is not None:  # an estimate read off a graph
                near = "" if expr.is_Rational else f" ≈ {float(expr):.3g}"
                words = f"{near} (an estimate within {ex.tolerance:g} is right)"
            keys.append(Item(ex.skill, expr, (words,) if words else ()))
        doc.append(Numbered(tuple(keys)))
    return doc
