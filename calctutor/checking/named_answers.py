"""Answers with names and words in them.

A list answer whose entries have names (fit parameters, the coordinates of a descent
point, the components of a gradient) may be typed as ``name=value`` pairs in any order,
as ``--at`` and ``--start`` accept them: "m=11/5, c=7/10".

Labels (min, max, minimum, saddle, local, none, yes, no, ...) are words wherever they are
typed: a classification of stationary points ("(1, 0) min, (-1, 0) saddle"), a kind beside
a value ("4 (max)"); never letters multiplied together (m*i*n) nor SymPy's functions.
"""

from __future__ import annotations

import re

from calctutor.errors import ParseError, UsageError

_NAMED = re.compile(r"^\s*([^\W\d][\w/]*)\s*=(?!=)\s*(.*?)\s*$", re.S)


def _plain_greek(name: str) -> str:
    from calctutor.symbols import GREEK_LETTERS

    return "".join(GREEK_LETTERS.get(ch, ch) for ch in name).replace("lambda", "lam")


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


_WORDED = re.compile(r"^\s*(?:([A-Za-z]{2,})\s*:?\s+(\S.*?)|(\S.*?)\s+([A-Za-z]{2,}))\s*$", re.S)


def _worded(part: str, names) -> str | None:
    """"weights 20", "weights: 20" or "20 weights" as "weights=20" when the word is one of
    ``names`` (a name of two letters or more: a single letter is a variable, not a word)."""
    m = _WORDED.match(part)
    if not m:
        return None
    name, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return f"{name}={value}" if name in names else None


def unname(text: str, names) -> str:
    """``text`` with "name=value" entries replaced by the values in the order of ``names``;
    unchanged when no entry is named. Raises UsageError for a wrong or repeated name."""
    names = tuple(names)
    body = text.strip()
    if body.startswith("[") and body.endswith("]") and not body.startswith("[["):
        body = body[1:-1]
    parts = _split_top(body)
    worded = [_worded(p, names) for p in parts]
    if names and all(worded):  # "weights 20, biases 6": the names are words
        parts = worded
    matches = [_NAMED.match(p) for p in parts]
    if not names or not any(matches):
        return text
    if not all(matches):
        raise UsageError("name every entry of your answer or none of them, e.g. "
                         + ", ".join(f"{n}=..." for n in names))
    given: dict[str, str] = {}
    # df/dθ and df/dtheta name the same entry
    canonical = {_plain_greek(n): n for n in names}
    for m in matches:
        name, value = m.group(1), m.group(2)
        name = canonical.get(_plain_greek(name), name)
        if name not in names:
            raise UsageError(f"unknown name '{name}' in your answer: expected "
                             f"{', '.join(names)}")
        if name in given:
            raise UsageError(f"'{name}' is given twice in your answer")
        if not value:
            raise UsageError(f"'{name}=' has no value in your answer")
        given[name] = value
    missing = [n for n in names if n not in given]
    if missing:
        raise UsageError(f"your answer has no value for {', '.join(missing)}")
    return ", ".join(given[n] for n in names)


# -- labels ----------------------------------------------------------------------------------
KINDS = {"min": "minimum", "minimum": "minimum", "minima": "minimum", "max": "maximum",
         "maximum": "maximum", "maxima": "maximum", "saddle": "saddle",
         "degenerate": "degenerate", "inconclusive": "degenerate"}
# words that only qualify a kind or say there is nothing: never variables in an answer
QUALIFIERS = {"local", "global", "point", "points", "a", "is", "it", "stationary", "and",
              "at", "the", "of", "value"}
NONE_WORDS = {"none", "no", "nothing"}
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
LABELS = set(KINDS) | {"local", "global", "stationary", "none", "yes"}
_POINT = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[A-Za-z]+")


def label_words(text: str, variables=()) -> list[str]:
    """The label words in an answer (min, maximum, saddle, local, none, yes...), lower-cased,
    in order; a word that is one of the problem's variables is not a label."""
    names = {getattr(v, "name", v) for v in variables}
    if text.strip().lower() in NONE_WORDS and text.strip() not in names:
        return [text.strip().lower()]  # "no" alone is a word, not n*o
    # "min" is m*i*n only in a problem whose variables are m, i and n
    return [w.lower() for w in _WORD.findall(text) if w.lower() in LABELS and w not in names
            and not set(w) <= names]


def read_classification(text: str, names: list[str]):
    """[(point tuple of SymPy numbers, kind)] from the learner's text, in the order typed:
    each point "(a, b)" with a kind word (min/max/saddle/degenerate) before or after it;
    "local"/"global" may qualify a kind. "none" (or "no stationary points") is the empty list."""
    from calctutor.parsing import parse_expressions

    points = []
    for m in _POINT.finditer(text):
        coords = [p.expr for p in parse_expressions(m.group(1))]
        if len(coords) != len(names):
            raise ParseError(f"the point ({m.group(1)}) should have {len(names)} coordinates "
                             f"({', '.join(names)})", text, m.start())
        points.append(tuple(coords))
    rest = _POINT.sub(" | ", text)
    words = [w.lower() for w in _WORD.findall(rest)]
    kinds = [KINDS[w] for w in words if w in KINDS]
    unknown = [w for w in words if w not in KINDS and w not in QUALIFIERS and w not in NONE_WORDS]
    if unknown:
        raise ParseError(f"'{unknown[0]}' is not a kind of stationary point (minimum, maximum, "
                         "saddle or degenerate)", text, text.lower().find(unknown[0]))
    if not points and not kinds and any(w in NONE_WORDS for w in words):
        return []
    if not points:
        raise ParseError("write each stationary point in brackets with its kind, e.g. "
                         "\"(1, 0) minimum, (-1, 0) saddle\" (or \"none\")", text, None)
    if len(kinds) != len(points):
        raise ParseError(f"give one kind (minimum, maximum, saddle or degenerate) for each of "
                         f"the {len(points)} point{'s' if len(points) != 1 else ''}", text, None)
    return list(zip(points, kinds, strict=True))


def check_classification(want, names, text: str, solution=None, json_expected=None,
                         complete: bool = True):
    """The verdict (an ``AnswerResult``) on a classification of stationary points: ``want``
    is [(point tuple, kind)], ``names`` the variables in order; read in words. When the
    points found may not be all of them (``complete`` False), a classification that names
    them all is not called right: there may be more."""
    import sympy as sp

    from calctutor.checking.answer import AnswerResult
    from calctutor.results import Reading

    want = {tuple(pt): kind for pt, kind in want}
    given = read_classification(text, names)
    shown = ", ".join("(" + ", ".join(str(c) for c in pt) + f") {kind}"
                      for pt, kind in given) or "none"
    reading = Reading(text, shown, (), shown.replace(" ", "") != text.replace(" ", ""))

    def same(a, b):  # b as typed: decimals are right to 3 places
        def close(x, y):
            if y.atoms(sp.Float):
                return abs(complex(sp.N(x - y))) <= 5e-4 * max(1.0, abs(complex(sp.N(x))))
            return sp.simplify(x - y) == 0
        return all(close(x, y) for x, y in zip(a, b, strict=True))

    def find(pt):
        return next((w for w in want if same(w, pt)), None)

    wrong_kind = [(pt, k, want[w]) for pt, k in given if (w := find(pt)) is not None
                  and want[w] != k]
    extra = [pt for pt, _ in given if find(pt) is None]
    found = {find(pt) for pt, _ in given} - {None}
    missing = [w for w in want if w not in found]
    answer = [[[str(c) for c in pt], k] for pt, k in given]
    if json_expected is None:
        json_expected = [{"point": dict(zip(names, (str(c) for c in pt), strict=True)),
                          "kind": kind} for pt, kind in want.items()]

    def verdict(ok, feedback, code=None):
        return AnswerResult(ok, "the stationary points and their kinds", reading, json_expected,
                            answer, feedback, diagnosis=code, json_expected=json_expected,
                            solution=solution)

    def p(pt):
        return "(" + ", ".join(str(c) for c in pt) + ")"

    if not (wrong_kind or extra or missing) and not complete:
        return verdict(None, "Every stationary point found is in your answer, classified "
                       "correctly, but ∇f = 0 could not be solved completely: there may be "
                       "more.")
    if not (wrong_kind or extra or missing):
        if not want:
            return verdict(True, "Right: f has no stationary point (∇f = 0 has no real "
                           "solution).")
        return verdict(True, "Those are the stationary points, each classified correctly.")
    if wrong_kind:
        pt, k, right = wrong_kind[0]
        return verdict(False, f"{p(pt)} is a stationary point, but not a {k}: check the sign of "
                       "det H and of f_xx there (det H < 0: saddle; det H > 0: minimum if "
                       "f_xx > 0, maximum if f_xx < 0).", "wrong_classification")
    if extra:
        return verdict(False, f"{p(extra[0])} is not a stationary point: the gradient is not "
                       "zero there.", "not_stationary")
    return verdict(False, f"There {'is' if len(missing) == 1 else 'are'} {len(missing)} more "
                   f"stationary point{'s' if len(missing) != 1 else ''}: solve ∇f = 0 fully "
                   "(every solution of each equation).", "missing_stationary_point")
