"""``calctutor network``: count a fully-connected network's weights and biases (a thin
Typer layer; registered by ``calctutor.cli.chain``, the topic it belongs to)."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import AnswerOpt, FormatOpt, ShowOpt, compute


def register(app) -> None:
    """Add ``network`` to the Typer app."""

    @app.command(epilog=examples(
        'calctutor network 3,4,2',
        'calctutor network "784 -> 128 -> 10"',
        'calctutor network 3,4,2 --answer 26',
        'calctutor network 3,4,2 --answer "weights 20, biases 6"',
    ))
    def network(
        sizes: Annotated[str, typer.Argument(help="The layer sizes, input layer first: 3,4,2 "
                                             "(or \"3 -> 4 -> 2\").", metavar="SIZES")],
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Count the weights and biases of a fully-connected network.

        Layer by layer: W(k) is n(k) × n(k−1), b(k) has n(k) entries; the input layer has
        neither. --answer takes the total ("26") or both counts ("weights 20, biases 6")."""
        compute("network", fmt, answer, show, sizes=sizes)
