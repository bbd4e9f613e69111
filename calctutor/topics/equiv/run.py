"""``calctutor equiv``: the library function, text in, result out."""

from __future__ import annotations

from calctutor.checking.equivalence import EquivResult, equiv
from calctutor.topics.inputs import names_list


def run_equiv(a: str, b: str, vars=None, positive: bool = False) -> EquivResult:
    """Whether ``a`` and ``b`` are the same function on the real domain of ``a``."""
    return equiv(a, b, variables=names_list(vars), positive=positive)
