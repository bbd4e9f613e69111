"""Mal-rules for derivatives: the answers a learner with one broken rule would give.

``derivative_mistakes(expr, variables, at)`` is what ``DiffResult.answer_spec`` offers to
the answer checker. (Filled in by the diagnosis work of issue 3.)
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from calctutor.checking.answer import Mistake


def derivative_mistakes(expr: sp.Expr, variables: Sequence[sp.Symbol],
                        at: dict | None = None) -> list[Mistake]:
    """Candidate wrong answers for d(expr)/d(variables...), most telling first."""
    return []
