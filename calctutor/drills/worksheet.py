"""A worksheet as the ``exercises`` command prints it (every format, LaTeX standalone)."""

from __future__ import annotations

import random
import time
from typing import Sequence

from calctutor.config import time_limit_s
from calctutor.drills.generate import generate, match_skills, module_title, parse_module
from calctutor.drills.model import Worksheet


def make_worksheet(module=None, count: int = 10, seed: int | None = None,
                   skill: str | None = None, answers: bool = False,
                   skills: Sequence[str] = ()) -> Worksheet:
    """The worksheet of ``generate(module, count, seed, skill)``; with ``skills`` (exact
    skill names), ``count`` exercises shared out among those skills, in their order."""
    n = parse_module(module)
    if skill:
        match_skills(skill, n)  # a precise error before any work
    if seed is None:
        seed = random.SystemRandom().randrange(1 << 31)
    # stop drawing in time to print what there is, inside the command's time limit
    limit = time_limit_s()
    deadline = time.monotonic() + 0.7 * limit
    if skills:
        exercises = []
        for k, name in enumerate(skills):
            share = count // len(skills) + (k < count % len(skills))
            if share:
                exercises += generate(None, share, seed + k, name, deadline=deadline)
    else:
        exercises = generate(n, count, seed, skill, deadline=deadline)
    return Worksheet(tuple(exercises), n, seed, answers, skill,
                     module_title(n) if n is not None else "", count)


def worksheet_text(module, count, seed, skill, answers, out, skills: Sequence[str] = (),
                   heading: str | None = None) -> str:
    """The worksheet rendered in ``out.fmt``; LaTeX is a whole document that compiles.
    ``heading`` replaces the title ("Worksheet: ...") in every format but JSON."""
    from calctutor.render import latex_document, render, render_blocks
    from calctutor.render.doc import Heading
    from calctutor.render.views import view

    sheet = make_worksheet(module, count, seed, skill, answers, skills)
    # JSON always carries each answer (the contract's shape); --answers is for print
    if heading and out.fmt != "json":
        doc = view(sheet)
        doc[0] = Heading(f"Worksheet: {heading}")
        text = render_blocks(doc, out)
    else:
        text = render(sheet, out)
    if out.fmt == "latex":
        text = latex_document(text)
    return text
