"""Answers given as named values, "m=11/5, c=7/10": rewritten to the values in order.

A list answer whose entries have names (fit parameters, the coordinates of a descent
point, the components of a gradient) may be typed as ``name=value`` pairs in any order,
as ``--at`` and ``--start`` accept them.
"""

from __future__ import annotations

import re

from calctutor.errors import UsageError

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


def unname(text: str, names) -> str:
    """``text`` with "name=value" entries replaced by the values in the order of ``names``;
    unchanged when no entry is named. Raises UsageError for a wrong or repeated name."""
    names = tuple(names)
    body = text.strip()
    if body.startswith("[") and body.endswith("]") and not body.startswith("[["):
        body = body[1:-1]
    parts = _split_top(body)
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
