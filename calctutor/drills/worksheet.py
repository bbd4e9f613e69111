"""A worksheet as the ``exercises`` command prints it (every format, LaTeX standalone)."""

from __future__ import annotations

import random
import time

from calctutor.config import time_limit_s
from calctutor.drills.generate import generate, match_skills, module_title, parse_module
from calctutor.drills.model import Worksheet


def make_worksheet(module=None, count: int = 10, seed: int | None = None,
                   skill: str | None = None, answers: bool = False) -> Worksheet:
    """The worksheet of ``generate(module, count, seed, skill)``."""
    n = parse_module(module)
    if skill:
        match_skills(skill, n)  # a precise error before any work
    if seed is None:
        seed = random.SystemRandom().randrange(1 << 31)
    # stop drawing in time to print what there is, inside the command's time limit
    limit = time_limit_s()
    exercises = generate(n, count, seed, skill, deadline=time.monotonic() + 0.7 * limit)
    return Worksheet(tuple(exercises), n, seed, answers, skill,
                     module_title(n) if n is not None else "", count)


def worksheet_text(module, count, seed, skill, answers, out) -> str:
    """The worksheet rendered in ``out.fmt``; LaTeX is a whole document that compiles."""
    from calctutor.render import latex_document, render

    sheet = make_worksheet(module, count, seed, skill, answers)
    # JSON always carries each answer (the contract's shape); --answers is for print
    text = render(sheet, out)
    if out.fmt == "latex":
        text = latex_document(text)
    return text
