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
from calctutor.render.views import read_as, reading_notes, register, sentence, view


@register(AnswerResult)
def answer_view(result: AnswerResult) -> Document:
    """The answer as typed (and read), the verdict with the diagnosis; the solution on request."""
    doc: Document = [Heading(f"Checking your answer: {result.what}")]
    doc += verdict_blocks(result, typed=True)
    if result.show and result.solution is not None:
        doc.append(Heading("Worked solution", 2))
        doc += view(result.solution)
    elif result.correct is False:
        doc.append(Paragraph(("Try again, or add --show to see the worked solution.",)))
    elif result.unfinished:
        doc.append(Paragraph(("Finish it and check again.",)))
    elif result.correct is None:
        doc.append(Paragraph(("Try writing it in a simpler form, or add --show to compare it "
                              "with the worked solution yourself.",)))
    return doc


def verdict_blocks(result: AnswerResult, typed: bool = False) -> Document:
    """What ``--answer`` and the quiz both show of a verdict, in the same words: the
    answer as read (when that differs from the text; with ``typed``, the text too), the
    verdict, the likely mistake(s) by name, and the notes."""
    rows: list[tuple[str, Segments]] = [("Your answer", (Verbatim(result.reading.text),))] \
        if typed else []
    shown = _answer_expr(result.answer)
    if result.reading.differs:
        # an answer with words in it (a classification) is shown as read, in words
        rows.append(("Read as", read_as(result.reading, shown) if shown is not None
                     else (Verbatim(result.reading.reading),)))
    doc: Document = [Fields(tuple(rows))] if rows else []
    if (result.reading.differs or typed) and shown is not None:
        doc += reading_notes(result.reading, shown)
    headline = "Right, but not finished" if result.unfinished else \
        {True: "Correct", False: "Not correct", None: "Could not check"}[result.correct]
    doc.append(Verdict(result.correct, headline, (result.feedback,),
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
        shown = ("  read as ", *read_as(reading, expr)) if reading.differs else ()
        rows.append((name, (Verbatim(reading.text), *shown)))
    doc.append(Fields(tuple(rows)))
    doc += [Note((f"{name}: ", n)) for name, r in (("A", result.a), ("B", result.b)) for n in r.notes]
    method = METHODS.get(result.method, result.method)
    verdict = result.verdict or {True: "", False: "differ", None: "undecided"}[result.equivalent]
    headline = HEADLINES.get(verdict, "Equivalent")
    notes = list(result.notes)
    if not verdict:  # a result without a verdict kind: equal, without saying how
        doc.append(Verdict(True, headline, ("A and B are equal wherever A is defined.",)))
    elif verdict in ("proved", "tested"):
        summary = result.summary or "A and B are equal wherever A is defined"
        summary = summary.removeprefix("proved equal: ")
        if verdict == "proved":
            text = "A and B are equal wherever A is defined: " + summary
        else:
            text = summary.removeprefix("equal at every point tested: ")
            text = text[:1].upper() + text[1:]
        doc.append(Verdict(True, headline, (sentence(text),)))
    elif verdict == "differ":
        doc.append(Verdict(False, headline, (sentence(result.evidence),)
                           if result.evidence else ()))
    else:
        # without a summary, the method of an undecided check says why it could not decide
        reason = result.summary or result.method.partition("undecided:")[2].strip() or (
            "neither a proof nor a counterexample was found in time")
        notes = [n for n in notes if n != result.summary]
        doc.append(Verdict(None, headline, (sentence(reason.removeprefix("could not decide: ")),)))
        method = ""
    if method:
        doc.append(Fields((("Method", (method,)),)))
    doc += [Note((n,)) for n in notes]
    return doc
