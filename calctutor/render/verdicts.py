"""The views of verdicts: an ``--answer`` check (the answer as read, the verdict, the likely
mistake), and ``equiv`` (are two expressions the same function?)."""

from __future__ import annotations

import sympy

from calctutor.checking.answer import AnswerResult
from calctutor.checking.equivalence import EquivResult
from calctutor.render.doc import (
    Document,
    Fields,
    Heading,
    Note,
    Paragraph,
    Segments,
    Verbatim,
    Verdict,
)
from calctutor.render.views import read_as, reading_notes, register, sentence, shows_reading, view

# What to do after a verdict, by its kind, in the command line's words (``--show``); the
# Python API passes its own.
NEXT_STEPS = {
    "wrong": "Try again, or add --show to see the worked solution.",
    "unfinished": "Finish it and check again.",
    "undecided": "Try writing it in a simpler form, or add --show to compare it with the "
                 "worked solution yourself.",
}


@register(AnswerResult)
def answer_view(result: AnswerResult, next_steps: dict[str, str] = NEXT_STEPS) -> Document:
    """The answer as typed (and read), the verdict with the diagnosis; the solution on
    request, else what to do next (``next_steps``, by the verdict's kind)."""
    doc: Document = [Heading(f"Checking your answer: {result.what}")]
    doc += verdict_blocks(result, typed=True)
    if result.show and result.solution is not None:
        doc.append(Heading("Worked solution", 2))
        doc += view(result.solution)
    elif result.verdict in next_steps:
        doc.append(Paragraph((next_steps[result.verdict],)))
    return doc


def verdict_blocks(result: AnswerResult, typed: bool = False, reveal: bool = True) -> Document:
    """What ``--answer`` and the quiz both show of a verdict, in the same words: the
    answer as read (when that differs from the text; with ``typed``, the text too), the
    verdict, the likely mistake(s) by name, and the notes. Without ``reveal`` (the quiz
    before the last try) the feedback is the guarded one: no expected answer or value."""
    rows: list[tuple[str, Segments]] = [("Your answer", (Verbatim(result.reading.text),))] \
        if typed else []
    shown = _answer_expr(result.answer)
    if shows_reading(result.reading):
        # an answer with words in it (a classification) is shown as read, in words
        rows.append(("Read as", read_as(result.reading, shown) if shown is not None
                     else (Verbatim(result.reading.reading),)))
    doc: Document = [Fields(tuple(rows))] if rows else []
    if (result.reading.differs or typed) and shown is not None:
        doc += reading_notes(result.reading, shown)
    headline = "Right, but not finished" if result.unfinished else \
        {True: "Correct", False: "Not correct", None: "Could not check"}[result.correct]
    feedback = result.feedback
    if not reveal and result.guarded_feedback:
        feedback = result.guarded_feedback
    # a Prose sentence carries its expressions, typeset where the format typesets maths
    doc.append(Verdict(result.correct, headline, getattr(feedback, "segments", (feedback,)),
                       "NOT YET" if result.unfinished else None))
    names = [] if result.unfinished else mistake_names(result.diagnosis)
    if names:
        label = "Likely mistakes" if len(names) > 1 else "Likely mistake"
        doc.append(Fields(((label, (" and ".join(names),)),)))
    doc += [Note((n,)) for n in result.notes]
    return doc


def mistake_names(diagnosis: str | None) -> list[str]:
    """"missing_chain_factor+trig_sign" -> ["missing chain factor", "trig sign"]; none for
    a wrong shape, which the feedback already says in words."""
    if not diagnosis or diagnosis == "wrong_shape":
        return []
    return [code.replace("_", " ") for code in diagnosis.split("+")]


def _answer_expr(value):
    """The answer as one SymPy object to display, or None when it holds words (a point's
    kind): a Matrix would read a word as a SymPy name ('min' as the function minimum)."""
    if not all(isinstance(v, sympy.Basic) for v in _leaves(value)):
        return None
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return sympy.Matrix(value)
        return sympy.Matrix([list(value)])
    return value


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    elif isinstance(value, sympy.MatrixBase):
        yield from value
    else:
        yield value


# -- equiv ---------------------------------------------------------------------------------
METHODS = {
    "structural": "the same expression after SymPy's canonical form",
    "rational-exact": "exact rational arithmetic",
    "constant": "the difference is a constant, evaluated exactly",
    "numeric": "evaluation at points across scales and where the structure changes, "
               "re-checked with accuracy-tracking arithmetic",
    "symbolic": "symbolic simplification of the difference",
    "domain": "the domains of the two expressions, then evaluation where both are defined",
}
HEADLINES = {"proved": "Equivalent (proved)", "tested": "Equal at every point tested",
             "differ": "Not equivalent", "undecided": "Could not decide"}


@register(EquivResult)
def equiv_view(result: EquivResult) -> Document:
    """Both inputs (with readings), the verdict, the method, the evidence and any notes."""
    doc: Document = [Heading("Are these the same function?")]
    rows = []
    for name, reading, expr in (("A", result.a, result.a_expr), ("B", result.b, result.b_expr)):
        shown = ("  read as ", *read_as(reading, expr)) if shows_reading(reading) else ()
        rows.append((name, (Verbatim(reading.text), *shown)))
    doc.append(Fields(tuple(rows)))
    doc += [Note((f"{name}: ", n)) for name, r in (("A", result.a), ("B", result.b)) for n in r.notes]
    method = METHODS.get(result.method, result.method)
    verdict = result.verdict or {True: "", False: "differ", None: "undecided"}[result.equivalent]
    headline = HEADLINES.get(verdict, "Equivalent")
    notes = list(result.notes)
    if not verdict:  # a result without a verdict kind: equal, without saying how
        doc.append(Verdict(True, headline, ("A and B are equal wherever A is defined.",)))
    elif verdict == "proved":
        text = "A and B are equal wherever A is defined"
        doc.append(Verdict(True, headline, (sentence(f"{text}: {result.detail}" if result.detail
                                                     else text),)))
    elif verdict == "tested":
        # a search: how many points and where (a decimal comparison has no points to name)
        text = (f"{result.detail}, no proof found within the time budget" if result.detail
                else result.summary or "equal at every point tested, without a proof")
        doc.append(Verdict(True, headline, (sentence(text),)))
    elif verdict == "differ":
        doc.append(Verdict(False, headline, (sentence(result.evidence),)
                           if result.evidence else ()))
    else:
        reason = result.detail or "neither a proof nor a counterexample was found in time"
        notes = [n for n in notes if n != result.summary]
        doc.append(Verdict(None, headline, (sentence(reason),)))
        method = ""
    if method:
        doc.append(Fields((("Method", (method,)),)))
    doc += [Note((n,)) for n in notes]
    return doc
