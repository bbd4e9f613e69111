"""The exercise bank and its variants: ``generate``, ``skills``, ``Exercise``.

    from calctutor.drills import generate, skills, Exercise
    for ex in generate("module1", count=5, seed=7):
        print(ex.prompt, ex.answer)          # answer computed by calctutor's engine
        ex.check("2x cos(x^2)")              # an AnswerResult, as --answer gives

The bank itself is data (``exercises/module<N>.toml``, see exercises/README.md).
"""

from calctutor.drills.bank import BankError, Skill, Template, load_bank
from calctutor.drills.generate import (
    generate,
    instantiate,
    match_skills,
    module_title,
    parse_module,
    skills,
    templates,
)
from calctutor.drills.model import Exercise, Worksheet

__all__ = [
    "BankError", "Exercise", "Skill", "Template", "Worksheet", "generate", "instantiate",
    "load_bank", "match_skills", "module_title", "parse_module", "skills", "templates",
]
